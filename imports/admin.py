"""Imports in the admin: read-only (the services write them), with their row errors inline.

Saved column mappings can be renamed or deleted; order lines are shown for support (they
are written by imports only: an edit here would not recompute the daily sales).
"""

from django.contrib import admin

from .models import ColumnMapping, ImportBatch, ImportRowError, OrderLine


class ImportRowErrorInline(admin.TabularInline):
    model = ImportRowError
    fields = ["row_number", "column", "value", "code", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    show_change_link = False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "merchant",
        "kind",
        "status",
        "mode",
        "rows_total",
        "rows_rejected",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "created_at",
    ]
    list_filter = ["merchant", "kind", "status", "mode", "file_format"]
    search_fields = ["original_name", "sha256", "error_code", "created_by__username"]
    list_select_related = ["merchant", "created_by"]
    date_hierarchy = "created_at"
    inlines = [ImportRowErrorInline]
    readonly_fields = [
        field.name for field in ImportBatch._meta.fields if field.name not in ("id",)
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "merchant", "kind", "preset", "updated_at"]
    list_filter = ["merchant", "kind", "preset"]
    search_fields = ["name"]
    list_select_related = ["merchant"]
    readonly_fields = ["merchant", "kind", "headers_signature", "headers", "preset", "mapping"]
    fields = ["name", *readonly_fields, "options"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = [
        "order_number",
        "line_key",
        "product",
        "merchant",
        "date",
        "quantity",
        "refunded_quantity",
        "amount",
        "cancelled",
    ]
    list_filter = ["merchant", "cancelled", "date"]
    search_fields = ["order_number", "line_key", "product__sku"]
    list_select_related = ["product", "merchant"]
    date_hierarchy = "date"
    readonly_fields = [field.name for field in OrderLine._meta.fields if field.name != "id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
