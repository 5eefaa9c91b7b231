"""CSV and Excel exports of the inventory plan table and of the current forecasts.

The caller passes `plan_list(...)` with the page's filters and sort; every row is written, not
one page. The streaming, the workbook and the formula neutralisation are `core.exports`'s.
Money columns name the merchant's currency.

The sales export has one row per product and day of `DailySales` in a date range, oldest day
first, for the products the product list's filters select (search, category, status).

The forecast export has one row per product and forecast period (a day, or a week for weekly
forecasts): P10, P50 and P90 of the product's current forecast, with its model and back-tested
accuracy. Its products and their order are the plan table's (every product with a current
forecast has a plan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.exports import (
    BOOL,
    CSV,
    DATE,
    INT,
    MONEY,
    NUMBER,
    PERCENT,
    ROWS_PER_QUERY,
    TEXT,
    XLSX,
    Column,
    export_response,
    money_header,
    queryset_rows,
)

from .models import DailySales, Frequency, InventoryPlan, SkuForecast
from .selectors.forecasts import forecast_dates, forecast_quantile
from .templatetags.forecast_tags import accuracy_sentence, model_label

PLAN_STEM = "inventory-plan"
FORECAST_STEM = "forecasts"
SALES_STEM = "daily-sales"
# Products per query of their current forecasts (the quantile arrays are the bulky part).
FORECASTS_PER_QUERY = 500


# --- The inventory plan --------------------------------------------------------------------------


def _markdown(plan: InventoryPlan, key: str):
    value = (plan.markdown or {}).get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _forecast(plan: InventoryPlan, name: str):
    return getattr(plan.forecast, name, None) if plan.forecast_id else None


def _model_text(name: str | None) -> str:
    return f"{name} — {model_label(name)}" if name and model_label(name) != name else name or ""


def plan_columns(*, currency: str) -> list[Column]:
    """The export's columns, headers in the active language, money in `currency`."""

    def money(label: str) -> str:
        return money_header(label, currency)

    return [
        Column(_("SKU"), TEXT, lambda p: p.product.sku, 18),
        Column(_("Product"), TEXT, lambda p: p.product.title, 40),
        Column(_("Category"), TEXT, lambda p: p.product.category, 18),
        Column(_("On hand"), INT, lambda p: p.on_hand),
        Column(_("Inbound"), INT, lambda p: p.inbound),
        Column(_("Lead time (days)"), INT, lambda p: p.lead_time_days),
        Column(_("Service level target"), PERCENT, lambda p: p.service_level),
        Column(_("Mean daily demand"), NUMBER, lambda p: p.mean_daily_demand),
        Column(_("Safety stock"), NUMBER, lambda p: p.safety_stock),
        Column(_("Reorder point"), NUMBER, lambda p: p.reorder_point),
        Column(_("Suggested order"), INT, lambda p: p.order_quantity),
        Column(_("Days of cover"), NUMBER, lambda p: p.days_of_cover),
        Column(_("Projected stockout"), DATE, lambda p: p.stockout_date),
        Column(_("Stockout risk"), PERCENT, lambda p: p.stockout_risk),
        Column(money(_("Revenue at risk")), MONEY, lambda p: p.lost_revenue, 16),
        Column(_("Overstock units"), INT, lambda p: p.overstock_units),
        Column(money(_("Overstock value")), MONEY, lambda p: p.overstock_value, 16),
        Column(_("Aged units"), INT, lambda p: p.aged_units),
        Column(_("Markdown price cut"), PERCENT, lambda p: _markdown(p, "price_cut")),
        Column(money(_("Markdown price")), MONEY, lambda p: _markdown(p, "new_price"), 16),
        Column(_("Markdown units sold"), NUMBER, lambda p: _markdown(p, "expected_units")),
        Column(
            money(_("Markdown money recovered")), MONEY, lambda p: _markdown(p, "recovered"), 18
        ),
        Column(_("Markdown elasticity"), NUMBER, lambda p: _markdown(p, "elasticity")),
        Column(_("Forecast model"), TEXT, lambda p: _model_text(_forecast(p, "model_name")), 24),
        Column(_("Typical error (units per period)"), NUMBER, lambda p: _forecast(p, "mae")),
        Column(_("P10–P90 coverage"), PERCENT, lambda p: _forecast(p, "coverage")),
        Column(_("Forecast accuracy"), TEXT, lambda p: accuracy_sentence(p.forecast), 60),
    ]


def plan_export(plans, *, merchant, export_format: str):
    """The plan table (`plan_list(...)`, every row in its order) as CSV or XLSX."""
    return export_response(
        export_format,
        queryset_rows(plans, chunk_size=ROWS_PER_QUERY),
        columns=plan_columns(currency=merchant.currency),
        merchant=merchant,
        stem=PLAN_STEM,
        title=_("Inventory plan"),
        freeze="C2",
    )


def plan_csv_response(plans, *, merchant):
    return plan_export(plans, merchant=merchant, export_format=CSV)


def plan_xlsx_response(plans, *, merchant):
    return plan_export(plans, merchant=merchant, export_format=XLSX)


# --- Current forecasts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastPoint:
    """One period of one product's current forecast."""

    forecast: SkuForecast
    product: object
    date: dt.date
    p10: float | None
    p50: float | None
    p90: float | None


def _at(values: list[float], index: int) -> float | None:
    return values[index] if index < len(values) else None


def forecast_points(forecast: SkuForecast, *, product) -> Iterator[ForecastPoint]:
    p10, p50, p90 = (forecast_quantile(forecast, level) for level in ("0.1", "0.5", "0.9"))
    for index, day in enumerate(forecast_dates(forecast)):
        yield ForecastPoint(
            forecast=forecast,
            product=product,
            date=day,
            p10=_at(p10, index),
            p50=_at(p50, index),
            p90=_at(p90, index),
        )


def plan_forecast_points(plans, *, merchant) -> Iterator[ForecastPoint]:
    """The current forecast of each planned product, in the plan table's order.

    The plans are read in chunks; each chunk's current forecasts (with their quantile arrays)
    come in one query, so memory holds one chunk and the query count grows with the number of
    chunks, not of products.
    """
    rows = queryset_rows(plans, chunk_size=FORECASTS_PER_QUERY)
    while chunk := list(islice(rows, FORECASTS_PER_QUERY)):
        current = {
            forecast.product_id: forecast
            for forecast in SkuForecast.objects.filter(
                merchant=merchant,
                is_current=True,
                product_id__in=[plan.product_id for plan in chunk],
            )
        }
        for plan in chunk:
            forecast = current.get(plan.product_id)
            if forecast is not None:
                yield from forecast_points(forecast, product=plan.product)


def forecast_columns() -> list[Column]:
    def period(point: ForecastPoint) -> str:
        return _("week") if point.forecast.frequency == Frequency.WEEKLY else _("day")

    return [
        Column(_("SKU"), TEXT, lambda r: r.product.sku, 18),
        Column(_("Product"), TEXT, lambda r: r.product.title, 40),
        Column(_("Category"), TEXT, lambda r: r.product.category, 18),
        Column(_("Period start"), DATE, lambda r: r.date),
        Column(_("Period"), TEXT, period, 8),
        Column(_("P10 (units)"), NUMBER, lambda r: r.p10, 11, decimals=2),
        Column(_("P50 (units)"), NUMBER, lambda r: r.p50, 11, decimals=2),
        Column(_("P90 (units)"), NUMBER, lambda r: r.p90, 11, decimals=2),
        Column(_("Forecast model"), TEXT, lambda r: _model_text(r.forecast.model_name), 24),
        Column(_("Typical error (units per period)"), NUMBER, lambda r: r.forecast.mae, 14, 2),
        Column(_("P10–P90 coverage"), PERCENT, lambda r: r.forecast.coverage),
        Column(_("MASE"), NUMBER, lambda r: r.forecast.mase, 8, decimals=3),
        Column(_("Forecast accuracy"), TEXT, lambda r: accuracy_sentence(r.forecast), 60),
    ]


def forecast_export(points: Iterable[ForecastPoint], *, merchant, export_format: str):
    return export_response(
        export_format,
        points,
        columns=forecast_columns(),
        merchant=merchant,
        stem=FORECAST_STEM,
        title=_("Forecasts"),
        freeze="B2",
    )


# --- Daily sales ---------------------------------------------------------------------------------


def sales_export_rows(
    *,
    merchant,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
    category: str = "",
    status: str = "",
    product_id: int | None = None,
) -> QuerySet[DailySales]:
    """The merchant's daily sales in a date range (inclusive), oldest day first, then by SKU;
    product filters as the product list's (`search` in SKU, title or brand)."""
    sales = (
        DailySales.objects.filter(merchant=merchant)
        .select_related("product")
        .only(
            "date",
            "units",
            "revenue",
            "on_promotion",
            "product__sku",
            "product__title",
            "product__category",
        )
    )
    if date_from is not None:
        sales = sales.filter(date__gte=date_from)
    if date_to is not None:
        sales = sales.filter(date__lte=date_to)
    search = search.strip()
    if search:
        sales = sales.filter(
            Q(product__sku__icontains=search)
            | Q(product__title__icontains=search)
            | Q(product__brand__icontains=search)
        )
    if category:
        sales = sales.filter(product__category=category)
    if status:
        sales = sales.filter(product__status=status)
    if product_id is not None:
        sales = sales.filter(product_id=product_id)
    return sales.order_by("date", "product__sku", "product_id")


def sales_columns(*, currency: str) -> list[Column]:
    return [
        Column(_("Date"), DATE, lambda s: s.date),
        Column(_("SKU"), TEXT, lambda s: s.product.sku, 18),
        Column(_("Product"), TEXT, lambda s: s.product.title, 40),
        Column(_("Category"), TEXT, lambda s: s.product.category, 18),
        Column(_("Units"), INT, lambda s: s.units),
        Column(money_header(_("Revenue"), currency), MONEY, lambda s: s.revenue, 14),
        Column(_("On promotion"), BOOL, lambda s: s.on_promotion),
    ]


def sales_export(sales, *, merchant, export_format: str):
    """`sales_export_rows(...)` as CSV or XLSX; revenue in the merchant's currency."""
    return export_response(
        export_format,
        queryset_rows(sales),
        columns=sales_columns(currency=merchant.currency),
        merchant=merchant,
        stem=SALES_STEM,
        title=_("Daily sales"),
        freeze="C2",
    )
