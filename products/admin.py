from django.contrib import admin

from .models import Product, StockLevel, StockSnapshot


class StockLevelInline(admin.StackedInline):
    model = StockLevel
    fields = ["on_hand", "inbound"]
    extra = 0
    can_delete = False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "sku",
        "title",
        "merchant",
        "category",
        "brand",
        "price",
        "status",
        "updated_at",
    ]
    list_filter = ["merchant", "status", "category"]
    search_fields = ["sku", "title", "brand", "category"]
    list_select_related = ["merchant"]
    autocomplete_fields = ["merchant"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [StockLevelInline]

    def save_formset(self, request, form, formset, change):
        # The inline's merchant is the product's own, never chosen by hand.
        for instance in formset.save(commit=False):
            instance.merchant_id = form.instance.merchant_id
            instance.save()
        formset.save_m2m()


@admin.register(StockLevel)
class StockLevelAdmin(admin.ModelAdmin):
    list_display = ["product", "merchant", "on_hand", "inbound", "updated_at"]
    list_filter = ["merchant"]
    search_fields = ["product__sku", "product__title"]
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product"]
    readonly_fields = ["merchant"]

    def save_model(self, request, obj, form, change):
        obj.merchant_id = obj.product.merchant_id
        super().save_model(request, obj, form, change)


@admin.register(StockSnapshot)
class StockSnapshotAdmin(admin.ModelAdmin):
    list_display = ["product", "merchant", "date", "on_hand", "inbound"]
    list_filter = ["merchant", "date"]
    search_fields = ["product__sku"]
    date_hierarchy = "date"
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product"]
    readonly_fields = ["merchant"]

    def save_model(self, request, obj, form, change):
        obj.merchant_id = obj.product.merchant_id
        super().save_model(request, obj, form, change)


# The content studio's admin (its models belong to this app).
from .content import admin as content_admin  # noqa: E402,F401
