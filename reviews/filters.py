"""Query-string filters of the reviews API list.

The analysis filters (sentiment, aspect, polarity, topic, analysed, q, local dates) are the
inbox's own, applied by `reviews.selectors.insights.reviews_filter`, so the API and the inbox
page always agree.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Aspect, ComplaintTopic, Review, ReviewLanguage, Sentiment
from .selectors.insights import reviews_filter

# The largest id any supported database holds (BigAutoField).
_MAX_ID = 2**63 - 1


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
    date_from = django_filters.DateFilter(
        method="inbox",
        help_text=_("Written on or after this day (YYYY-MM-DD, the merchant's time zone)."),
    )
    date_to = django_filters.DateFilter(
        method="inbox",
        help_text=_("Written on or before this day (YYYY-MM-DD, the merchant's time zone)."),
    )
    sentiment = django_filters.ChoiceFilter(
        choices=Sentiment.choices, method="inbox", help_text=_("The analysed sentiment.")
    )
    aspect = django_filters.ChoiceFilter(
        choices=Aspect.choices,
        method="inbox",
        help_text=_("Reviews that mention this aspect (of `polarity` when given)."),
    )
    polarity = django_filters.ChoiceFilter(
        choices=Sentiment.choices,
        method="inbox",
        help_text=_("With `aspect`: the mention's polarity; alone: any aspect of it."),
    )
    topic = django_filters.NumberFilter(
        method="inbox", help_text=_("Complaint topic id (see review-topics).")
    )
    analysed = django_filters.BooleanFilter(
        method="inbox", help_text=_("true: reviews with an analysis; false: still waiting.")
    )
    q = django_filters.CharFilter(
        method="inbox",
        max_length=200,
        help_text=_("Text search: title or text contains this (any case)."),
    )

    class Meta:
        model = Review
        fields: list[str] = []

    def filter_queryset(self, queryset):
        # The inbox filters go together through one selector call (aspect with polarity).
        inbox = {}
        for name, value in self.form.cleaned_data.items():
            if getattr(self.filters[name], "method", None) == "inbox":
                if value in (None, ""):
                    continue
                if name == "topic":
                    if not 0 < value <= _MAX_ID:
                        return queryset.none()  # no topic has such an id
                    value = int(value)
                inbox["search" if name == "q" else name] = value
            else:
                queryset = self.filters[name].filter(queryset, value)
        if inbox:
            queryset = reviews_filter(queryset, merchant=self.request.merchant, **inbox)
        return queryset

    def inbox(self, queryset, name, value):  # pragma: no cover - applied in filter_queryset
        return queryset


class TopicFilter(django_filters.FilterSet):
    product = django_filters.NumberFilter(field_name="product_id", help_text=_("Product id."))
    category = django_filters.CharFilter(
        method="category_topics", help_text=_("Category-level topics of this category.")
    )
    language = django_filters.ChoiceFilter(choices=ReviewLanguage.choices)
    aspect = django_filters.ChoiceFilter(choices=Aspect.choices)
    scope = django_filters.ChoiceFilter(
        choices=[("product", _("product")), ("category", _("category"))],
        method="scope_topics",
        help_text=_("product: one product's topics; category: a whole category's."),
    )

    class Meta:
        model = ComplaintTopic
        fields: list[str] = []

    def category_topics(self, queryset, name, value):
        return queryset.filter(product__isnull=True, category=value)

    def scope_topics(self, queryset, name, value):
        return queryset.filter(product__isnull=(value == "category"))
