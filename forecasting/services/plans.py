"""Inventory plans: one `InventoryPlan` row per product from its current forecast and stock.

The arithmetic is `forecasting.planning.plan_compute` (formulas in the README, "Inventory
plan"); this module gathers its inputs in bulk (forecasts, stock, recent sales, deliveries,
settings and service-level overrides) and writes the rows with one upsert per batch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from core.selectors import merchant_today
from products.models import Product, StockLevel

from ..models import (
    Frequency,
    InventoryPlan,
    PlanningSettings,
    ServiceLevelOverride,
    SkuForecast,
)
from ..selectors.history import (
    DAYS_PER_PERIOD,
    recent_daily_units,
    sales_last_date,
    stock_days_since_receipt,
)

BATCH = 2000
RECENT_DAYS = 56
PLAN_OUTPUT_FIELDS = [
    "merchant",
    "forecast",
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
]


def planning_settings_get(*, merchant, lock: bool = False) -> PlanningSettings:
    """The merchant's planning settings, created with the defaults on first use. With `lock`,
    the row is locked until the surrounding transaction ends (one forecast start at a time)."""
    settings, _created = PlanningSettings.objects.get_or_create(merchant=merchant)
    if lock:
        settings = PlanningSettings.objects.select_for_update().get(pk=settings.pk)
    return settings


def _daily_quantiles(forecast: SkuForecast) -> dict[float, np.ndarray]:
    """Quantile paths per day: a weekly forecast's weeks are spread evenly over their days."""
    step = DAYS_PER_PERIOD.get(forecast.frequency, 1)
    paths = {}
    for level, values in (forecast.quantiles or {}).items():
        array = np.asarray(values, dtype=float)
        if forecast.frequency == Frequency.WEEKLY:
            array = np.repeat(array / step, step)
        paths[float(level)] = array
    return paths


def _money(value: float) -> Decimal:
    return Decimal(str(round(float(value or 0), 2)))


def _service_levels(merchant) -> tuple[dict[str, float], dict[int, float]]:
    categories, products = {}, {}
    for category, product_id, level in ServiceLevelOverride.objects.filter(
        merchant=merchant
    ).values_list("category", "product_id", "service_level"):
        if product_id is not None:
            products[product_id] = float(level)
        elif category:
            categories[category] = float(level)
    return categories, products


def plans_refresh(*, merchant, product_ids=None, today: dt.date | None = None) -> int:
    """Recompute the plans of the merchant's products (all, or `product_ids`) that have a
    current forecast; returns how many rows were written. Other merchants' ids are ignored.

    Inputs: the current `SkuForecast`, `StockLevel` (none = nothing on hand), the product's
    lead time, MOQ, case pack, price and cost, the last 56 days of sales (the demand when the
    forecast no longer covers today), days since the last delivery (from stock snapshots), the
    merchant's `PlanningSettings` and `ServiceLevelOverride` rows.
    """
    from ..planning import PlanInputs, plan_compute, service_level_for

    planning = planning_settings_get(merchant=merchant)
    today = today or merchant_today(merchant=merchant)
    category_levels, product_levels = _service_levels(merchant)
    forecasts = SkuForecast.objects.filter(merchant=merchant, is_current=True)
    if product_ids is not None:
        forecasts = forecasts.filter(product_id__in=list(product_ids))
    ids = list(forecasts.order_by("product_id").values_list("product_id", flat=True))
    last_sale = sales_last_date(merchant=merchant) or today - dt.timedelta(days=1)
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        products = Product.objects.filter(merchant=merchant, pk__in=batch).only(
            "pk", "category", "price", "cost", "lead_time_days", "moq", "case_pack"
        )
        products = {product.pk: product for product in products}
        current = {
            forecast.product_id: forecast
            for forecast in SkuForecast.objects.filter(
                merchant=merchant, is_current=True, product_id__in=batch
            ).only("pk", "product_id", "frequency", "start_date", "quantiles")
        }
        stock = {
            product_id: (on_hand, inbound)
            for product_id, on_hand, inbound in StockLevel.objects.filter(
                merchant=merchant, product_id__in=batch
            ).values_list("product_id", "on_hand", "inbound")
        }
        recent = recent_daily_units(
            merchant=merchant, product_ids=batch, end=last_sale, days=RECENT_DAYS
        )
        received = stock_days_since_receipt(
            merchant=merchant,
            product_ids=batch,
            today=today,
            window_days=planning.aged_after_days,
        )
        now = timezone.now()
        rows = []
        for product_id in batch:
            product, forecast = products.get(product_id), current.get(product_id)
            if product is None or forecast is None:
                continue
            on_hand, inbound = stock.get(product_id, (0, 0))
            level = service_level_for(
                default=float(planning.service_level),
                category_overrides=category_levels,
                product_overrides=product_levels,
                category=product.category,
                product_id=product_id,
            )
            result = plan_compute(
                PlanInputs(
                    today=today,
                    forecast_start=forecast.start_date,
                    quantiles=_daily_quantiles(forecast),
                    on_hand=on_hand,
                    inbound=inbound,
                    lead_time_days=product.lead_time_days,
                    review_period_days=planning.review_period_days,
                    moq=product.moq,
                    case_pack=product.case_pack,
                    service_level=level,
                    cover_target_days=planning.cover_target_days,
                    aged_after_days=planning.aged_after_days,
                    price=float(product.price or 0),
                    cost=float(product.cost) if product.cost is not None else None,
                    elasticity=float(planning.markdown_elasticity),
                    recent_daily_units=recent.get(product_id, np.zeros(RECENT_DAYS)),
                    days_since_last_receipt=received.get(product_id),
                )
            )
            rows.append(
                InventoryPlan(
                    product_id=product_id,
                    merchant_id=merchant.pk,
                    forecast_id=forecast.pk,
                    computed_at=now,
                    on_hand=on_hand,
                    inbound=inbound,
                    lead_time_days=product.lead_time_days,
                    service_level=Decimal(str(round(level, 3))),
                    mean_daily_demand=result.mean_daily_demand,
                    safety_stock=result.safety_stock,
                    reorder_point=result.reorder_point,
                    order_quantity=result.order_quantity,
                    days_of_cover=result.days_of_cover,
                    stockout_date=result.stockout_date,
                    stockout_risk=result.stockout_risk,
                    lost_revenue=_money(result.lost_revenue),
                    overstock_units=result.overstock_units,
                    overstock_value=_money(result.overstock_value),
                    aged_units=result.aged_units,
                    markdown=result.markdown,
                )
            )
        with transaction.atomic():
            InventoryPlan.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["product"],
                update_fields=PLAN_OUTPUT_FIELDS,
            )
        written += len(rows)
    return written
