"""The demo store comes with forecasts and a plan, and its planted crises top the plan."""

from decimal import Decimal

import pytest

from core.demo import demo_seed
from core.demo.crises import OVERSTOCK_SKU, STOCKOUT_SKU
from forecasting.models import (
    CalendarEvent,
    ForecastRun,
    ForecastRunStatus,
    InventoryPlan,
    SkuForecast,
)
from products.models import Product
from tests.demo.conftest import SMALL, demo_remove
from tests.demo.test_planted_crises import DAYS


@pytest.fixture(scope="module", params=DAYS, ids=str)
def demo(request, django_db_setup, django_db_blocker):
    """The small demo (30 products, 120 days) built as of each day the planted-crisis tests
    use (quiet June, the summer sale, Black Friday week, after Christmas, mid January)."""
    with django_db_blocker.unblock():
        result = demo_seed(**SMALL, today=request.param)
    yield result
    with django_db_blocker.unblock():
        demo_remove()


@pytest.mark.django_db
def test_every_demo_product_has_a_current_forecast_and_a_plan(demo):
    for store in (demo.merchant, demo.second_merchant):
        products = set(Product.objects.filter(merchant=store).values_list("pk", flat=True))
        run = ForecastRun.objects.get(merchant=store)
        assert run.status == ForecastRunStatus.SUCCEEDED, run.error
        assert run.forecast_start == demo.today
        forecast = SkuForecast.objects.filter(merchant=store, is_current=True)
        assert set(forecast.values_list("product_id", flat=True)) == products
        assert (
            set(InventoryPlan.objects.filter(merchant=store).values_list("product_id", flat=True))
            == products
        )
    assert CalendarEvent.objects.filter(merchant=demo.merchant, date__gte=demo.today).exists()


@pytest.mark.django_db
def test_the_planted_stockout_tops_the_plan_by_stockout_risk(demo):
    plans = InventoryPlan.objects.filter(merchant=demo.merchant).order_by(
        "-stockout_risk", "-lost_revenue"
    )
    top = plans.select_related("product").first()

    assert top.product.sku == STOCKOUT_SKU
    assert top.stockout_risk > 0.9 and top.order_quantity > 0
    assert top.stockout_date is not None
    assert (top.stockout_date - demo.today).days < top.lead_time_days


@pytest.mark.django_db
def test_the_planted_overstock_tops_the_plan_by_overstock_value(demo):
    plans = InventoryPlan.objects.filter(merchant=demo.merchant).order_by("-overstock_value")
    top, runner_up = plans.select_related("product")[:2]

    assert top.product.sku == OVERSTOCK_SKU
    assert top.overstock_value > Decimal("1.5") * runner_up.overstock_value
    assert top.markdown["price_cut"] > 0 and top.aged_units > 0
