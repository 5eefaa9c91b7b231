"""Runs and plans of one merchant never read or write another merchant's rows."""

import pytest
from django.core.exceptions import ValidationError

from forecasting.models import ForecastRun, InventoryPlan, SkuForecast
from forecasting.services.plans import plans_refresh
from forecasting.services.runs import forecast_run_start, forecast_run_sync

from .factories import TODAY, store_with_sales


@pytest.mark.django_db
def test_a_run_forecasts_only_its_merchants_products(merchant, other_merchant, small_chunks):
    mine = store_with_sales(merchant, products=4)
    theirs = store_with_sales(other_merchant, products=3, seed=50)
    their_run = forecast_run_sync(merchant=other_merchant)
    their_rows = set(SkuForecast.objects.filter(run=their_run).values_list("pk", "is_current"))

    run = forecast_run_sync(merchant=merchant)

    assert set(SkuForecast.objects.filter(run=run).values_list("product_id", flat=True)) == {
        p.pk for p in mine
    }
    assert (
        set(SkuForecast.objects.filter(merchant=other_merchant).values_list("pk", "is_current"))
        == their_rows
    )
    assert set(
        InventoryPlan.objects.filter(merchant=merchant).values_list("product_id", flat=True)
    ) == {p.pk for p in mine}
    assert InventoryPlan.objects.filter(merchant=other_merchant).count() == len(theirs)


@pytest.mark.django_db
def test_another_merchants_active_run_does_not_block_a_start(merchant, other_merchant):
    store_with_sales(merchant, products=1)
    store_with_sales(other_merchant, products=1)
    forecast_run_start(merchant=other_merchant)

    run = forecast_run_start(merchant=merchant)

    assert run.merchant == merchant
    assert ForecastRun.objects.filter(merchant=other_merchant).count() == 1


@pytest.mark.django_db
def test_another_merchants_sales_do_not_make_a_store_forecastable(merchant, other_merchant):
    store_with_sales(other_merchant, products=2)

    with pytest.raises(ValidationError) as raised:
        forecast_run_sync(merchant=merchant)

    assert raised.value.code == "no_sales"


@pytest.mark.django_db
def test_plans_refresh_ignores_another_merchants_product_ids(merchant, other_merchant):
    store_with_sales(merchant, products=1)
    theirs = store_with_sales(other_merchant, products=2, seed=7)
    forecast_run_sync(merchant=other_merchant, today=TODAY)
    InventoryPlan.objects.all().delete()

    written = plans_refresh(merchant=merchant, product_ids=[p.pk for p in theirs], today=TODAY)

    assert written == 0 and not InventoryPlan.objects.exists()
