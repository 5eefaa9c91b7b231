"""Query-string filters of the catalog and stock API lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Product, ProductStatus, StockLevel, StockSnapshot


class ProductFilter(django_filters.FilterSet):
    sku = django_filters.CharFilter(help_text=_("Exact SKU."))
    category = django_filters.CharFilter(help_text=_("Exact category."))
    status = django_filters.ChoiceFilter(choices=ProductStatus.choices)
    brand = django_filters.CharFilter(lookup_expr="iexact", help_text=_("Brand, any case."))
    price_min = django_filters.NumberFilter(
        field_name="price", lookup_expr="gte", help_text=_("Price at least this.")
    )
    price_max = django_filters.NumberFilter(
        field_name="price", lookup_expr="lte", help_text=_("Price at most this.")
    )
    updated_since = django_filters.DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Changed at or after this ISO 8601 date-time (UTC when no offset)."),
    )

    class Meta:
        model = Product
        fields = ["sku", "category", "status", "brand"]


class StockLevelFilter(django_filters.FilterSet):
    product = django_filters.NumberFilter(field_name="product_id", help_text=_("Product id."))
    sku = django_filters.CharFilter(field_name="product__sku", help_text=_("Exact SKU."))
    on_hand__lte = django_filters.NumberFilter(
        field_name="on_hand", lookup_expr="lte", help_text=_("Low stock: on hand at most this.")
    )
    on_hand__gte = django_filters.NumberFilter(
        field_name="on_hand", lookup_expr="gte", help_text=_("On hand at least this.")
    )

    class Meta:
        model = StockLevel
        fields: list[str] = []


class StockSnapshotFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text=_("First day, YYYY-MM-DD.")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text=_("Last day, YYYY-MM-DD.")
    )

    class Meta:
        model = StockSnapshot
        fields: list[str] = []
