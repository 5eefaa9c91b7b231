"""A product's forecast page: history, band, P50, actuals since, accuracy, model and plan."""

import datetime as dt

import pytest
from django.urls import reverse

from core.selectors import merchant_today
from tests.factories import DailySalesFactory, ProductFactory

from .factories import (
    ForecastRunFactory,
    InventoryPlanFactory,
    SkuForecastFactory,
    flat_quantiles,
    overstock_markdown,
)


def page(product):
    return reverse("forecast-product", kwargs={"product_id": product.pk})


@pytest.fixture
def bottle(merchant):
    return ProductFactory(merchant=merchant, sku="B-750", title="Insulated bottle 750 ml")


@pytest.fixture
def forecast(merchant, bottle):
    """A forecast that started five days ago; sales before and since."""
    today = merchant_today(merchant=merchant)
    start = today - dt.timedelta(days=5)
    for back in range(1, 31):
        DailySalesFactory(product=bottle, date=start - dt.timedelta(days=back), units=9)
    for day in range(5):
        DailySalesFactory(product=bottle, date=start + dt.timedelta(days=day), units=12 + day)
    run = ForecastRunFactory(merchant=merchant)
    return SkuForecastFactory(
        product=bottle,
        run=run,
        start_date=start,
        quantiles=flat_quantiles(10.0),
        mae=3.2,
        coverage=0.81,
        mase=0.812,
        rmsse=0.734,
        bias=-0.25,
        model_name="lgbm",
    )


@pytest.mark.django_db
def test_the_chart_holds_history_the_band_the_median_and_the_actuals_since(viewer_client, forecast):
    response = viewer_client.get(page(forecast.product))
    chart = response.context["chart"]
    assert chart["kind"] == "forecast"
    assert len(chart["forecast"]["x"]) == 28
    assert chart["forecast"]["x"][0] == forecast.start_date.isoformat()
    assert chart["forecast"]["p10"][0] == 6.0 and chart["forecast"]["p90"][0] == 14.0
    assert chart["forecast"]["p50"] == [10.0] * 28
    assert len(chart["history"]["x"]) == 120
    assert chart["history"]["x"][-1] == (forecast.start_date - dt.timedelta(days=1)).isoformat()
    assert chart["history"]["y"][-30:] == [9] * 30
    assert chart["actuals"]["y"] == [12, 13, 14, 15, 16]  # through yesterday
    html = response.content.decode()
    assert 'data-forecast-chart="forecast-chart-data"' in html
    assert "plotly.min.js" in html and "forecasting/forecast_chart.js" in html


@pytest.mark.django_db
def test_the_accuracy_is_said_in_words_with_the_expert_figures_beside(viewer_client, forecast):
    html = viewer_client.get(page(forecast.product)).content.decode()
    assert (
        "Typically off by about 3 units a day; the likely range (P10–P90) held 81% of days "
        "in testing."
    ) in html
    for figure in ("0.812", "0.734", "-0.25", "81.0%"):
        assert figure in html
    assert "gradient-boosted trees over all products (LightGBM)" in html


@pytest.mark.django_db
def test_the_values_table_lists_each_day_with_the_actual_when_known(viewer_client, forecast):
    response = viewer_client.get(page(forecast.product))
    rows = response.context["rows"]
    assert len(rows) == 28
    assert [row["actual"] for row in rows[:6]] == [12, 13, 14, 15, 16, None]


@pytest.mark.django_db
def test_the_plan_card_shows_safety_stock_order_stockout_and_the_markdown_scenario(
    viewer_client, forecast
):
    InventoryPlanFactory(
        product=forecast.product,
        forecast=forecast,
        safety_stock=41.6,
        reorder_point=252.0,
        order_quantity=480,
        stockout_date=dt.date(2031, 5, 4),
        stockout_risk=0.64,
        overstock_units=900,
        markdown=overstock_markdown(),
    )
    html = viewer_client.get(page(forecast.product)).content.decode()
    for text in (
        "Safety stock",
        ">42<",
        ">252<",
        "480",
        "64%",
        "A price cut of 30% (to $17.43) is expected to sell about 41 units in the next 28 "
        "days instead of 20, bringing in $711.14.",
        "Assumes a price elasticity of -2.0",
        "$250.50 better",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_a_product_without_a_forecast_offers_to_start_one(manager_client, merchant, bottle):
    DailySalesFactory(product=bottle, date=merchant_today(merchant=merchant) - dt.timedelta(1))
    html = manager_client.get(page(bottle)).content.decode()
    assert "No forecast yet" in html
    assert f'name="product_id" value="{bottle.pk}"' in html
    assert "Forecast this product now" in html
    assert "No plan yet" in html


@pytest.mark.django_db
def test_a_viewer_sees_no_start_button(viewer_client, bottle):
    html = viewer_client.get(page(bottle)).content.decode()
    assert "No forecast yet" in html
    assert "Forecast this product now" not in html
    assert "plotly.min.js" not in html  # no sales, no chart


@pytest.mark.django_db
def test_a_weekly_forecast_is_compared_with_weekly_sums(viewer_client, merchant, bottle):
    today = merchant_today(merchant=merchant)
    start = today - dt.timedelta(days=14)
    for day in range(-21, 14):
        DailySalesFactory(product=bottle, date=start + dt.timedelta(days=day), units=2)
    SkuForecastFactory(
        product=bottle,
        start_date=start,
        frequency="W",
        quantiles=flat_quantiles(14.0, days=8),
        mae=4.0,
        coverage=0.75,
    )
    response = viewer_client.get(page(bottle))
    chart = response.context["chart"]
    assert chart["forecast"]["x"][1] == (start + dt.timedelta(days=7)).isoformat()
    assert chart["actuals"]["y"] == [14, 14]
    assert chart["history"]["y"][-3:] == [14, 14, 14]
    assert "Typically off by about 4 units a week" in response.content.decode()


@pytest.mark.django_db
def test_another_merchants_product_forecast_is_not_found(viewer_client, other_merchant):
    theirs = SkuForecastFactory(product=ProductFactory(merchant=other_merchant))
    assert viewer_client.get(page(theirs.product)).status_code == 404
