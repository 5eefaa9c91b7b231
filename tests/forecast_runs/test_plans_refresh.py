"""`plans_refresh` turns the current forecasts, stock and settings into one plan per product."""

import datetime as dt
from decimal import Decimal

import pytest

from forecasting.models import InventoryPlan, PlanningSettings, SkuForecast
from forecasting.services.plans import plans_refresh
from forecasting.services.runs import forecast_run_sync
from products.models import StockLevel, StockSnapshot

from .factories import TODAY, ServiceLevelOverrideFactory, product_with_sales


def set_forecast(product, *, per_day: float, spread: float = 0.3, days: int = 28):
    """Replace the product's current forecast by a flat one (the plan is what is tested)."""
    forecast = SkuForecast.objects.get(product=product, is_current=True)
    forecast.start_date = TODAY
    forecast.quantiles = {
        "0.1": [per_day * (1 - spread)] * days,
        "0.5": [per_day] * days,
        "0.9": [per_day * (1 + spread)] * days,
    }
    forecast.save()


@pytest.fixture
def store(merchant):
    running_out = product_with_sales(
        merchant,
        level=20,
        seed=1,
        on_hand=30,
        lead_time_days=21,
        moq=100,
        case_pack=24,
        sku="RUN-OUT",
    )
    stuffed = product_with_sales(
        merchant,
        level=1,
        seed=2,
        on_hand=2000,
        lead_time_days=14,
        sku="STUFFED",
        price="30.00",
        cost=Decimal("12.00"),
    )
    fine = product_with_sales(merchant, level=5, seed=3, on_hand=200, lead_time_days=14, sku="OK")
    forecast_run_sync(merchant=merchant, today=TODAY)
    set_forecast(running_out, per_day=20)
    set_forecast(stuffed, per_day=1)
    set_forecast(fine, per_day=5)
    return running_out, stuffed, fine


@pytest.mark.django_db
def test_the_plan_orders_what_runs_out_and_flags_what_is_overstocked(merchant, store):
    running_out, stuffed, fine = store

    written = plans_refresh(merchant=merchant, today=TODAY)

    assert written == 3
    plans = {plan.product.sku: plan for plan in InventoryPlan.objects.select_related("product")}
    short = plans["RUN-OUT"]
    assert short.stockout_risk > 0.99
    assert short.stockout_date == TODAY + dt.timedelta(days=1)  # 30 units, 20 a day
    assert short.order_quantity > 0 and short.order_quantity % 24 == 0
    assert short.order_quantity >= 100
    assert short.on_hand == 30 and short.lead_time_days == 21
    assert short.service_level == Decimal("0.950")
    assert short.lost_revenue > 0 and short.overstock_units == 0
    heavy = plans["STUFFED"]
    assert heavy.stockout_risk < 0.01 and heavy.order_quantity == 0
    assert heavy.overstock_units > 1500
    assert heavy.overstock_value == Decimal(heavy.overstock_units) * Decimal("12.00")
    assert heavy.markdown["price_cut"] > 0 and heavy.days_of_cover > 1000
    assert plans["OK"].overstock_units == 0 and plans["OK"].stockout_risk < 0.5
    by_risk = list(InventoryPlan.objects.order_by("-stockout_risk").values_list("product__sku"))
    by_money = list(InventoryPlan.objects.order_by("-overstock_value").values_list("product__sku"))
    assert by_risk[0] == ("RUN-OUT",) and by_money[0] == ("STUFFED",)


@pytest.mark.django_db
def test_service_level_overrides_of_category_and_product_are_applied(merchant, store):
    running_out, stuffed, fine = store
    PlanningSettings.objects.filter(merchant=merchant).update(service_level=Decimal("0.900"))
    ServiceLevelOverrideFactory(
        merchant=merchant, category=fine.category, service_level=Decimal("0.800")
    )
    ServiceLevelOverrideFactory(
        merchant=merchant, product=running_out, service_level=Decimal("0.990")
    )
    stuffed.category = "Blankets"
    stuffed.save()

    plans_refresh(merchant=merchant, today=TODAY)

    levels = dict(InventoryPlan.objects.values_list("product__sku", "service_level"))
    assert levels == {
        "RUN-OUT": Decimal("0.990"),
        "STUFFED": Decimal("0.900"),
        "OK": Decimal("0.800"),
    }


@pytest.mark.django_db
def test_a_higher_service_level_raises_safety_stock_and_the_reorder_point(merchant, store):
    running_out, _stuffed, _fine = store
    plans_refresh(merchant=merchant, today=TODAY)
    before = InventoryPlan.objects.get(product=running_out)
    ServiceLevelOverrideFactory(
        merchant=merchant, product=running_out, service_level=Decimal("0.995")
    )

    plans_refresh(merchant=merchant, product_ids=[running_out.pk], today=TODAY)

    after = InventoryPlan.objects.get(product=running_out)
    assert after.safety_stock > before.safety_stock
    assert after.reorder_point > before.reorder_point


@pytest.mark.django_db
def test_stock_changes_move_the_plan_and_products_without_a_forecast_get_none(merchant, store):
    running_out, stuffed, fine = store
    StockLevel.objects.filter(product=running_out).update(on_hand=5000)
    lonely = product_with_sales(merchant, seed=9, sku="NEW")  # sold, never forecast

    plans_refresh(merchant=merchant, today=TODAY)

    plan = InventoryPlan.objects.get(product=running_out)
    assert plan.on_hand == 5000 and plan.order_quantity == 0 and plan.overstock_units > 0
    assert not InventoryPlan.objects.filter(product=lonely).exists()


@pytest.mark.django_db
def test_stock_that_arrived_long_ago_counts_as_aged(merchant, store):
    _running_out, stuffed, _fine = store
    for days_ago, on_hand in ((100, 100), (95, 2100), (1, 2000)):
        StockSnapshot.objects.create(
            merchant=merchant,
            product=stuffed,
            date=TODAY - dt.timedelta(days=days_ago),
            on_hand=on_hand,
        )

    plans_refresh(merchant=merchant, today=TODAY)

    assert InventoryPlan.objects.get(product=stuffed).aged_units > 1500
