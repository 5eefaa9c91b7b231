"""Admin of the content studio: drafts with their edit history, and published versions.

Versions and revisions are history: the admin shows them read-only.
"""

from django.contrib import admin

from .models import ContentDraft, ContentDraftRevision, ContentVersion


class RevisionInline(admin.TabularInline):
    model = ContentDraftRevision
    fields = ["at", "edited_by", "note", "unsupported_count", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ContentDraft)
class ContentDraftAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "product",
        "merchant",
        "kind",
        "language",
        "channel",
        "status",
        "unsupported_count",
        "updated_at",
    ]
    list_filter = ["status", "kind", "language", "merchant"]
    search_fields = ["product__sku", "product__title", "text"]
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product", "job", "generation_log"]
    readonly_fields = [
        "merchant",
        "generated_text",
        "candidates",
        "claims",
        "unsupported_count",
        "coverage",
        "prompt_version",
        "model",
        "created_by",
        "approved_by",
        "approved_at",
        "rejected_by",
        "rejected_at",
        "published_by",
        "published_at",
        "override_by",
        "override_at",
        "override_reason",
        "created_at",
        "updated_at",
    ]
    inlines = [RevisionInline]


@admin.register(ContentVersion)
class ContentVersionAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "product",
        "merchant",
        "kind",
        "language",
        "channel",
        "source",
        "is_current",
        "created_at",
    ]
    list_filter = ["source", "is_current", "kind", "language", "merchant"]
    search_fields = ["product__sku", "product__title", "text"]
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product", "draft", "restored_from"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ContentDraftRevision)
class ContentDraftRevisionAdmin(admin.ModelAdmin):
    list_display = ["draft", "at", "edited_by", "note", "unsupported_count"]
    search_fields = ["draft__product__sku", "text", "note"]
    list_select_related = ["draft", "edited_by"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
