from django.contrib import admin

from .models import Review
from .services import language_detect


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "product", "merchant", "rating", "language", "source", "created_at"]
    list_filter = ["merchant", "rating", "language", "source"]
    search_fields = ["title", "body", "author_name", "external_id", "product__sku"]
    date_hierarchy = "created_at"
    list_select_related = ["product", "merchant"]
    raw_id_fields = ["product"]
    readonly_fields = ["merchant", "imported_at"]

    def save_model(self, request, obj, form, change):
        obj.merchant_id = obj.product.merchant_id
        if not obj.language:
            obj.language = language_detect(f"{obj.title} {obj.body}")
        super().save_model(request, obj, form, change)
