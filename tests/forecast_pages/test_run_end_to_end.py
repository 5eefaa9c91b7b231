"""The "Run forecast now" button, through the real engine: the pages fill up."""

import datetime as dt

import numpy as np
import pytest
from django.urls import reverse

from core.selectors import merchant_today
from forecasting.models import ForecastRun, ForecastRunStatus, InventoryPlan, SkuForecast
from tests.factories import DailySalesFactory, ProductFactory, StockLevelFactory


@pytest.fixture
def shop(merchant):
    """Three products with 120 days of weekday-shaped sales and some stock."""
    rng = np.random.default_rng(7)
    today = merchant_today(merchant=merchant)
    products = []
    for index, level in enumerate((2.0, 8.0, 20.0)):
        product = ProductFactory(merchant=merchant, sku=f"E2E-{index}", lead_time_days=10)
        StockLevelFactory(product=product, on_hand=int(level * 5))
        for back in range(1, 121):
            day = today - dt.timedelta(days=back)
            units = int(rng.poisson(level * (1.3 if day.weekday() >= 5 else 1.0)))
            DailySalesFactory(product=product, date=day, units=units)
        products.append(product)
    return products


@pytest.mark.django_db
def test_a_run_started_from_the_plan_page_fills_the_plan_and_forecast_pages(
    manager_client, merchant, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("forecast-run-start"))
    run = ForecastRun.objects.get(merchant=merchant)
    assert response["Location"] == reverse("forecast-run-detail", kwargs={"run_id": run.pk})
    assert run.status == ForecastRunStatus.SUCCEEDED, run.error
    assert SkuForecast.objects.filter(merchant=merchant, is_current=True).count() == 3
    assert InventoryPlan.objects.filter(merchant=merchant).count() == 3

    detail = manager_client.get(response["Location"]).content.decode()
    assert "succeeded" in detail and "3 / 3" in detail
    plan = manager_client.get(reverse("forecast-plan")).content.decode()
    assert all(product.sku in plan for product in shop)
    page = manager_client.get(reverse("forecast-product", kwargs={"product_id": shop[2].pk}))
    assert "Typically off by about" in page.content.decode()
    assert len(page.context["chart"]["forecast"]["p50"]) == run.horizon
