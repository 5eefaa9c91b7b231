"""Query-string filters of the reviews API list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Review, ReviewLanguage


class ReviewFilter(django_filters.FilterSet):
    product = django_filters.NumberFilter(field_name="product_id", help_text=_("Product id."))
    sku = django_filters.CharFilter(field_name="product__sku", help_text=_("Exact SKU."))
    rating = django_filters.NumberFilter(help_text=_("Exact star rating, 1-5."))
    rating_min = django_filters.NumberFilter(
        field_name="rating", lookup_expr="gte", help_text=_("Rating at least this.")
    )
    rating_max = django_filters.NumberFilter(
        field_name="rating", lookup_expr="lte", help_text=_("Rating at most this.")
    )
    language = django_filters.ChoiceFilter(choices=ReviewLanguage.choices)
    source = django_filters.CharFilter(help_text=_("Exact source, e.g. shopify."))
    created_from = django_filters.DateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text=_("Written at or after this ISO 8601 date-time (UTC when no offset)."),
    )
    created_to = django_filters.DateTimeFilter(
        field_name="created_at",
        lookup_expr="lte",
        help_text=_("Written at or before this ISO 8601 date-time (UTC when no offset)."),
    )

    class Meta:
        model = Review
        fields: list[str] = []
