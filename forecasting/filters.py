"""Query-string filters of the forecasting API lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import (
    CalendarEvent,
    CalendarEventKind,
    DailySales,
    ForecastRun,
    ForecastRunStatus,
    ForecastRunTrigger,
    InventoryPlan,
    SkuForecast,
)
from .selectors.forecasts import DEFAULT_PLAN_SORT, PLAN_SORTS, PLAN_VIEWS, plan_list


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


# --- Forecasts, plans, runs and calendar days --------------------------------------------------


class ForecastFilter(django_filters.FilterSet):
    product = django_filters.NumberFilter(field_name="product_id", help_text=_("Product id."))
    sku = django_filters.CharFilter(field_name="product__sku", help_text=_("Exact SKU."))

    class Meta:
        model = SkuForecast
        fields: list[str] = []


class InventoryPlanFilter(django_filters.FilterSet):
    """The plan table's filters and sort keys, applied by `plan_list` like the portal page."""

    search = django_filters.CharFilter(
        method="_selected", help_text=_("Part of the SKU, title or brand (any case).")
    )
    category = django_filters.CharFilter(method="_selected", help_text=_("Exact category."))
    view = django_filters.ChoiceFilter(
        method="_selected",
        choices=[(view, view) for view in PLAN_VIEWS],
        help_text=_(
            "at_risk: stockout risk of at least 20 % before a new order could arrive; "
            "overstock: stock beyond lead time plus the cover target."
        ),
    )
    product = django_filters.NumberFilter(method="_selected", help_text=_("Product id."))
    sku = django_filters.CharFilter(method="_selected", help_text=_("Exact SKU."))
    ordering = django_filters.ChoiceFilter(
        method="_selected",
        choices=[(key, key) for key in PLAN_SORTS],
        help_text=_(
            "attention (default: most money at stake first, i.e. revenue at risk of a stockout "
            "plus overstock value), or a column with `-` for descending: stockout_risk, "
            "overstock_value, days_of_cover, stockout_date, order_quantity, overstock_units, "
            "aged_units, lost_revenue, on_hand, sku."
        ),
    )

    class Meta:
        model = InventoryPlan
        fields: list[str] = []

    def _selected(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        product = data.get("product")
        return plan_list(
            merchant=self.request.merchant,
            search=data.get("search") or "",
            category=data.get("category") or "",
            view=data.get("view") or "",
            sort=data.get("ordering") or DEFAULT_PLAN_SORT,
            product_id=int(product) if product is not None else None,
            sku=data.get("sku") or "",
        )


class ForecastRunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ForecastRunStatus.choices)
    trigger = django_filters.ChoiceFilter(choices=ForecastRunTrigger.choices)

    class Meta:
        model = ForecastRun
        fields: list[str] = []


class CalendarEventFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text=_("First day, YYYY-MM-DD.")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text=_("Last day, YYYY-MM-DD.")
    )
    product = django_filters.NumberFilter(
        field_name="product_id", help_text=_("Product id (its own days only).")
    )
    store_wide = django_filters.BooleanFilter(
        field_name="product", lookup_expr="isnull", help_text=_("true: only store-wide days.")
    )
    kind = django_filters.ChoiceFilter(choices=CalendarEventKind.choices)

    class Meta:
        model = CalendarEvent
        fields: list[str] = []
