"""Factories of the forecast pages tests: runs, SKU forecasts and plans without the engine."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from forecasting.models import (
    CalendarEvent,
    ForecastRun,
    ForecastRunStatus,
    ForecastRunTrigger,
    InventoryPlan,
    ServiceLevelOverride,
    SkuForecast,
)
from tests.factories import MerchantFactory, ProductFactory

HORIZON = 28


def flat_quantiles(level: float = 10.0, days: int = HORIZON, spread: float = 0.4) -> dict:
    """Quantile paths around a flat median: P10 = (1 - spread) x, P90 = (1 + spread) x."""
    return {
        "0.1": [round(level * (1 - spread), 3)] * days,
        "0.5": [float(level)] * days,
        "0.9": [round(level * (1 + spread), 3)] * days,
    }


class ForecastRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForecastRun

    merchant = factory.SubFactory(MerchantFactory)
    status = ForecastRunStatus.SUCCEEDED
    trigger = ForecastRunTrigger.NIGHTLY
    horizon = HORIZON
    forecast_start = factory.LazyFunction(lambda: timezone.localdate())
    model_versions = factory.LazyFunction(lambda: {"engine": "1.0", "lightgbm": "4.6.0"})
    timings = factory.LazyFunction(
        lambda: {"load": 1.25, "backtest": 7.5, "fit": 3.75, "save": 0.5, "wall": 14.0}
    )
    metrics = factory.LazyFunction(
        lambda: {"mae": 2.91, "mase": 0.812, "rmsse": 0.734, "bias": -0.12, "coverage": 0.806}
    )
    chosen_models = factory.LazyFunction(lambda: {"lgbm": 7, "croston": 2, "seasonal_naive": 1})
    sku_total = 10
    sku_done = 10
    chunks_total = 2
    chunks_done = 2
    chunks_failed = 0
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(seconds=14))
    finished_at = factory.LazyFunction(timezone.now)


class SkuForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkuForecast

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    run = factory.SubFactory(ForecastRunFactory, merchant=factory.SelfAttribute("..merchant"))
    is_current = True
    frequency = "D"
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    quantiles = factory.LazyFunction(flat_quantiles)
    model_name = "lgbm"
    mae = 3.2
    mase = 0.81
    rmsse = 0.77
    bias = 0.4
    coverage = 0.81
    history_periods = 365
    borrowed_from_category = False


class InventoryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryPlan

    product = factory.SubFactory(ProductFactory)
    merchant = factory.SelfAttribute("product.merchant")
    forecast = None
    on_hand = 300
    inbound = 0
    lead_time_days = 14
    service_level = Decimal("0.950")
    mean_daily_demand = 10.0
    safety_stock = 40.0
    reorder_point = 250.0
    order_quantity = 0
    days_of_cover = 30.0
    stockout_date = None
    stockout_risk = 0.01
    lost_revenue = Decimal("0")
    overstock_units = 0
    overstock_value = Decimal("0")
    aged_units = 0
    markdown = factory.LazyFunction(dict)


def overstock_markdown(**overrides) -> dict:
    markdown = {
        "price_cut": 0.3,
        "new_price": 17.43,
        "elasticity": -2.0,
        "days": 28,
        "baseline_units": 20.0,
        "expected_units": 40.8,
        "recovered": 711.14,
        "keep_value": 4.1,
        "net_gain": 250.5,
    }
    markdown.update(overrides)
    return markdown


class CalendarEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarEvent

    merchant = factory.SubFactory(MerchantFactory)
    product = None
    date = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    kind = "promotion"
    name = factory.Sequence(lambda n: f"Promotion {n}")


class ServiceLevelOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLevelOverride

    merchant = factory.SubFactory(MerchantFactory)
    category = "Drinkware"
    product = None
    service_level = Decimal("0.980")
