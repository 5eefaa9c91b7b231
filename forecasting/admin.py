from django.contrib import admin

from .models import DailySales


@admin.register(DailySales)
class DailySalesAdmin(admin.ModelAdmin):
    list_display = ["product", "merchant", "date", "units", "revenue", "on_promotion"]
    list_filter = ["merchant", "on_promotion", "date"]
    search_fields = ["product__sku", "product__title"]
    date_hierarchy = "date"
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product"]
    readonly_fields = ["merchant"]
    show_full_result_count = False  # counting millions of rows on every page load is wasteful

    def save_model(self, request, obj, form, change):
        obj.merchant_id = obj.product.merchant_id
        super().save_model(request, obj, form, change)
