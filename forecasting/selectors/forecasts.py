"""Reads of forecast runs, current forecasts, inventory plans and the planning configuration.

Every function takes the merchant explicitly; an id of another merchant's object is a 404.
The plan table, its CSV/XLSX export and the plans API share `plan_list`, so the three always
agree on which rows there are and in which order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import (
    CalendarEvent,
    ForecastRun,
    ForecastRunStatus,
    Frequency,
    InventoryPlan,
    PlanningSettings,
    ServiceLevelOverride,
    SkuForecast,
)
from .sales import sales_daily_series

# A product is "at risk" when a stockout before a new order could arrive is at least this
# likely (one chance in five): the plan table's "At risk" filter and its first rows.
AT_RISK_THRESHOLD = 0.2
# The plan's "at risk" and "overstock" views, their counts and the cockpit's panels: one rule each.
PLAN_AT_RISK = Q(stockout_risk__gte=AT_RISK_THRESHOLD)
PLAN_OVERSTOCKED = Q(overstock_units__gt=0)
# Days of sales drawn before the forecast on the product's forecast page.
HISTORY_DAYS = 120

ACTIVE_RUN_STATUSES = (ForecastRunStatus.QUEUED, ForecastRunStatus.RUNNING)

PLAN_VIEWS = ("at_risk", "overstock")

_SKU = F("product__sku").asc()
_PK = F("product_id").asc()

# Public sort keys of the plan table (page, export and API `ordering`) -> ORDER BY. Every
# ordering ends with the SKU and the primary key, so pages neither overlap nor skip rows.
# A missing days-of-cover means no expected demand at all (endless cover); a missing stockout
# date means no stockout within the horizon: both sort as "latest".
PLAN_SORTS: dict[str, tuple] = {
    # Money at stake first: revenue a stockout would lose plus money tied up in overstock,
    # so the worst stockout and the worst overstock both lead, whatever the catalog's size.
    "attention": (F("at_stake").desc(), F("stockout_risk").desc(), _SKU, _PK),
    "-stockout_risk": (F("stockout_risk").desc(), F("lost_revenue").desc(), _SKU, _PK),
    "stockout_risk": (F("stockout_risk").asc(), _SKU, _PK),
    "-overstock_value": (F("overstock_value").desc(), F("overstock_units").desc(), _SKU, _PK),
    "overstock_value": (F("overstock_value").asc(), _SKU, _PK),
    "days_of_cover": (F("days_of_cover").asc(nulls_last=True), _SKU, _PK),
    "-days_of_cover": (F("days_of_cover").desc(nulls_first=True), _SKU, _PK),
    "stockout_date": (F("stockout_date").asc(nulls_last=True), _SKU, _PK),
    "-stockout_date": (F("stockout_date").desc(nulls_first=True), _SKU, _PK),
    "-order_quantity": (F("order_quantity").desc(), _SKU, _PK),
    "order_quantity": (F("order_quantity").asc(), _SKU, _PK),
    "-overstock_units": (F("overstock_units").desc(), _SKU, _PK),
    "overstock_units": (F("overstock_units").asc(), _SKU, _PK),
    "-aged_units": (F("aged_units").desc(), _SKU, _PK),
    "aged_units": (F("aged_units").asc(), _SKU, _PK),
    "-lost_revenue": (F("lost_revenue").desc(), _SKU, _PK),
    "lost_revenue": (F("lost_revenue").asc(), _SKU, _PK),
    "on_hand": (F("on_hand").asc(), _SKU, _PK),
    "-on_hand": (F("on_hand").desc(), _SKU, _PK),
    "sku": (_SKU, _PK),
    "-sku": (F("product__sku").desc(), F("product_id").desc()),
}
DEFAULT_PLAN_SORT = "attention"

# The plan row's own columns and the few product/forecast columns the table shows: the
# forecast's quantile arrays and the product's description stay in the database.
PLAN_ROW_FIELDS = (
    "product_id",
    "merchant_id",
    "forecast_id",
    "computed_at",
    "on_hand",
    "inbound",
    "lead_time_days",
    "service_level",
    "mean_daily_demand",
    "safety_stock",
    "reorder_point",
    "order_quantity",
    "days_of_cover",
    "stockout_date",
    "stockout_risk",
    "lost_revenue",
    "overstock_units",
    "overstock_value",
    "aged_units",
    "markdown",
    "product__sku",
    "product__title",
    "product__category",
    "product__currency",
    "product__price",
    "product__cost",
    "product__moq",
    "product__case_pack",
    "forecast__frequency",
    "forecast__model_name",
    "forecast__mae",
    "forecast__mase",
    "forecast__rmsse",
    "forecast__bias",
    "forecast__coverage",
    "forecast__history_periods",
    "forecast__borrowed_from_category",
    "forecast__start_date",
)


# --- Inventory plans ---------------------------------------------------------------------------


def plan_list(
    *,
    merchant,
    search: str = "",
    category: str = "",
    view: str = "",
    sort: str = DEFAULT_PLAN_SORT,
    product_id: int | None = None,
    sku: str = "",
) -> QuerySet[InventoryPlan]:
    """The merchant's plans, filtered and sorted, with the product and forecast columns joined.

    Default order ("attention"): most money at stake first (revenue at risk of a stockout plus
    the value of the overstock), then the highest stockout risk.

    `view`: "at_risk" (stockout risk at least `AT_RISK_THRESHOLD`), "overstock" (any units
    beyond lead time plus the cover target) or "" (all). `sort`: a key of `PLAN_SORTS`.
    """
    plans = (
        InventoryPlan.objects.filter(merchant=merchant)
        .select_related("product", "forecast")
        .only(*PLAN_ROW_FIELDS)
        .annotate(at_stake=F("lost_revenue") + F("overstock_value"))
    )
    search = search.strip()
    if search:
        plans = plans.filter(
            Q(product__sku__icontains=search)
            | Q(product__title__icontains=search)
            | Q(product__brand__icontains=search)
        )
    if category:
        plans = plans.filter(product__category=category)
    if view == "at_risk":
        plans = plans.filter(PLAN_AT_RISK)
    elif view == "overstock":
        plans = plans.filter(PLAN_OVERSTOCKED)
    if product_id is not None:
        plans = plans.filter(product_id=product_id)
    if sku:
        plans = plans.filter(product__sku=sku)
    return plans.order_by(*PLAN_SORTS.get(sort, PLAN_SORTS[DEFAULT_PLAN_SORT]))


def plan_get(*, merchant, product_id: int) -> InventoryPlan:
    """One product's plan; another merchant's product, or one without a plan, is a 404."""
    return get_object_or_404(plan_list(merchant=merchant), product_id=product_id)


def plan_for_product(*, merchant, product) -> InventoryPlan | None:
    return plan_list(merchant=merchant, product_id=product.pk).first()


@dataclass(frozen=True)
class PlanCounts:
    total: int
    at_risk: int
    overstock: int


def plan_counts(*, merchant) -> PlanCounts:
    """How many plans there are, how many at risk and how many overstocked (one query)."""
    row = InventoryPlan.objects.filter(merchant=merchant).aggregate(
        total=Count("pk"),
        at_risk=Count("pk", filter=PLAN_AT_RISK),
        overstock=Count("pk", filter=PLAN_OVERSTOCKED),
    )
    return PlanCounts(**row)


def plan_categories(*, merchant) -> list[str]:
    """Categories of the merchant's planned products, for the plan table's filter."""
    return list(
        InventoryPlan.objects.filter(merchant=merchant)
        .exclude(product__category="")
        .order_by("product__category")
        .values_list("product__category", flat=True)
        .distinct()
    )


# --- Forecasts ---------------------------------------------------------------------------------


def forecast_list(
    *, merchant, product_id: int | None = None, sku: str = ""
) -> QuerySet[SkuForecast]:
    """The current forecast of each of the merchant's products, by SKU."""
    forecasts = (
        SkuForecast.objects.filter(merchant=merchant, is_current=True)
        .select_related("product")
        .defer(
            "product__description",
            "product__attributes",
        )
    )
    if product_id is not None:
        forecasts = forecasts.filter(product_id=product_id)
    if sku:
        forecasts = forecasts.filter(product__sku=sku)
    return forecasts.order_by("product__sku", "product_id")


def forecast_current(*, merchant, product) -> SkuForecast | None:
    """The product's current forecast, or None when it has never been forecast."""
    return (
        SkuForecast.objects.filter(merchant=merchant, product=product, is_current=True)
        .select_related("run")
        .first()
    )


def forecast_dates(forecast: SkuForecast) -> list[dt.date]:
    """The first day of each period of the forecast's quantile arrays."""
    step = dt.timedelta(days=7 if forecast.frequency == Frequency.WEEKLY else 1)
    periods = len(forecast_quantile(forecast, "0.5"))
    return [forecast.start_date + step * index for index in range(periods)]


def forecast_quantile(forecast: SkuForecast, level: str) -> list[float]:
    """One quantile path; keys are stored as strings ("0.1"), tolerant of "0.10" or floats."""
    quantiles = forecast.quantiles or {}
    if level in quantiles:
        return [float(value) for value in quantiles[level]]
    for key, values in quantiles.items():
        try:
            if abs(float(key) - float(level)) < 1e-9:
                return [float(value) for value in values]
        except (TypeError, ValueError):
            continue
    return []


@dataclass(frozen=True)
class ForecastSummary:
    """What the product page's card says about the forecast."""

    forecast: SkuForecast
    periods: int
    expected_units: float  # sum of the P50 path over the horizon
    end_date: dt.date


def forecast_summary(forecast: SkuForecast | None) -> ForecastSummary | None:
    if forecast is None:
        return None
    dates = forecast_dates(forecast)
    if not dates:
        return None
    step = dt.timedelta(days=7 if forecast.frequency == Frequency.WEEKLY else 1)
    return ForecastSummary(
        forecast=forecast,
        periods=len(dates),
        expected_units=sum(forecast_quantile(forecast, "0.5")),
        end_date=dates[-1] + step - dt.timedelta(days=1),
    )


@dataclass(frozen=True)
class SeriesPoint:
    date: dt.date
    units: int


@dataclass(frozen=True)
class ForecastSeries:
    """History before the forecast, the forecast band, and what actually sold since."""

    history: list[SeriesPoint]
    actuals: list[SeriesPoint]
    dates: list[dt.date]
    p10: list[float]
    p50: list[float]
    p90: list[float]


def _buckets(points, *, anchor: dt.date, days: int) -> list[SeriesPoint]:
    """Sum daily points into `days`-long periods aligned on `anchor`; partial periods dropped."""
    if days == 1:
        return [SeriesPoint(date=point.date, units=point.units) for point in points]
    totals: dict[dt.date, list[int]] = {}
    for point in points:
        offset = (point.date - anchor).days // days
        start = anchor + dt.timedelta(days=offset * days)
        totals.setdefault(start, []).append(point.units)
    return [
        SeriesPoint(date=start, units=sum(units))
        for start, units in sorted(totals.items())
        if len(units) == days
    ]


def forecast_series(
    *,
    merchant,
    product,
    forecast: SkuForecast | None,
    today: dt.date,
    history_days: int = HISTORY_DAYS,
) -> ForecastSeries:
    """Sales history (about `history_days` before the forecast), the forecast's P10/P50/P90
    and the actual sales of the forecast's days that have passed (up to yesterday).

    Weekly forecasts get weekly sums of the daily sales, aligned on the forecast's start.
    """
    yesterday = today - dt.timedelta(days=1)
    if forecast is None:
        start = yesterday - dt.timedelta(days=history_days - 1)
        points = sales_daily_series(merchant=merchant, product=product, start=start, end=yesterday)
        history = [SeriesPoint(date=point.date, units=point.units) for point in points]
        return ForecastSeries(history=history, actuals=[], dates=[], p10=[], p50=[], p90=[])

    dates = forecast_dates(forecast)
    period = 7 if forecast.frequency == Frequency.WEEKLY else 1
    history_start = forecast.start_date - dt.timedelta(days=history_days)
    if period > 1:
        periods_back = -(-history_days // period)
        history_start = forecast.start_date - dt.timedelta(days=periods_back * period)
    forecast_end = (dates[-1] + dt.timedelta(days=period - 1)) if dates else forecast.start_date
    end = min(yesterday, forecast_end)
    points = (
        sales_daily_series(merchant=merchant, product=product, start=history_start, end=end)
        if end >= history_start
        else []
    )
    periods = _buckets(points, anchor=forecast.start_date, days=period)
    return ForecastSeries(
        history=[point for point in periods if point.date < forecast.start_date],
        actuals=[point for point in periods if point.date >= forecast.start_date],
        dates=dates,
        p10=forecast_quantile(forecast, "0.1"),
        p50=forecast_quantile(forecast, "0.5"),
        p90=forecast_quantile(forecast, "0.9"),
    )


# --- Runs --------------------------------------------------------------------------------------


def run_list(*, merchant) -> QuerySet[ForecastRun]:
    """The merchant's forecast runs, newest first, with their job and who started it."""
    return (
        ForecastRun.objects.filter(merchant=merchant)
        .select_related("job", "job__started_by")
        .order_by("-created_at", "-pk")
    )


def run_get(*, merchant, run_id: int) -> ForecastRun:
    """One of the merchant's runs; another merchant's id is a 404."""
    return get_object_or_404(run_list(merchant=merchant), pk=run_id)


def run_active(*, merchant) -> ForecastRun | None:
    """The merchant's queued or running run, if any."""
    return run_list(merchant=merchant).filter(status__in=ACTIVE_RUN_STATUSES).first()


def run_latest_finished(*, merchant) -> ForecastRun | None:
    return run_list(merchant=merchant).exclude(status__in=ACTIVE_RUN_STATUSES).first()


# --- Planning configuration --------------------------------------------------------------------


def planning_settings_get(*, merchant) -> PlanningSettings:
    """The merchant's settings; the defaults (unsaved) until they are first changed."""
    return PlanningSettings.objects.filter(merchant=merchant).first() or PlanningSettings(
        merchant=merchant
    )


def service_level_overrides(*, merchant) -> QuerySet[ServiceLevelOverride]:
    """Category overrides first (by name), then product overrides (by SKU)."""
    return (
        ServiceLevelOverride.objects.filter(merchant=merchant)
        .select_related("product")
        .defer("product__description", "product__attributes")
        .order_by(F("product__sku").asc(nulls_first=True), "category", "pk")
    )


def service_level_override_get(*, merchant, override_id: int) -> ServiceLevelOverride:
    return get_object_or_404(service_level_overrides(merchant=merchant), pk=override_id)


def calendar_events(
    *,
    merchant,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    product_id: int | None = None,
    kind: str = "",
) -> QuerySet[CalendarEvent]:
    """The merchant's calendar days (store-wide and per product), by date."""
    events = (
        CalendarEvent.objects.filter(merchant=merchant)
        .select_related("product")
        .defer("product__description", "product__attributes")
    )
    if date_from:
        events = events.filter(date__gte=date_from)
    if date_to:
        events = events.filter(date__lte=date_to)
    if product_id is not None:
        events = events.filter(product_id=product_id)
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("date", "name", "pk")


def calendar_event_get(*, merchant, event_id: int) -> CalendarEvent:
    return get_object_or_404(calendar_events(merchant=merchant), pk=event_id)
