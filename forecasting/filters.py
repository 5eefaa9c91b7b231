"""Query-string filters of the sales API list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import DailySales


class SalesFilter(django_filters.FilterSet):
    product = django_filters.NumberFilter(field_name="product_id", help_text=_("Product id."))
    sku = django_filters.CharFilter(field_name="product__sku", help_text=_("Exact SKU."))
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text=_("First day, YYYY-MM-DD.")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text=_("Last day, YYYY-MM-DD.")
    )
    on_promotion = django_filters.BooleanFilter(help_text=_("true or false."))

    class Meta:
        model = DailySales
        fields: list[str] = []
