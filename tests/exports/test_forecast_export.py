"""The forecast export: P10/P50/P90 per product and day of the current forecast, with model
and accuracy, for the plan table's products in its order (or one product)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProductFactory
from tests.forecast_pages.factories import (
    InventoryPlanFactory,
    SkuForecastFactory,
    flat_quantiles,
)

from .helpers import csv_dicts, xlsx_dicts

CSV_URL = reverse("forecast-export-csv")
XLSX_URL = reverse("forecast-export-xlsx")
START = dt.date(2026, 2, 2)


def _planned(merchant, sku: str, *, level: float, risk: float, category="Kitchen", **forecast):
    product = ProductFactory(merchant=merchant, sku=sku, category=category)
    forecast = SkuForecastFactory(
        product=product,
        start_date=START,
        quantiles=flat_quantiles(level=level, days=7),
        **forecast,
    )
    InventoryPlanFactory(product=product, forecast=forecast, stockout_risk=risk)
    return product


@pytest.mark.django_db
def test_every_day_of_every_current_forecast_in_the_plans_order(viewer_client, merchant):
    _planned(merchant, "LOW", level=10, risk=0.1)
    _planned(merchant, "HIGH", level=4, risk=0.9)
    rows = csv_dicts(viewer_client.get(CSV_URL, {"sort": "-stockout_risk"}))
    assert len(rows) == 14
    assert [row["SKU"] for row in rows] == ["HIGH"] * 7 + ["LOW"] * 7
    first = rows[0]
    assert first["Period start"] == "2026-02-02" and rows[6]["Period start"] == "2026-02-08"
    assert first["Period"] == "day"
    assert (first["P10 (units)"], first["P50 (units)"], first["P90 (units)"]) == (
        "2.40",
        "4.00",
        "5.60",
    )
    assert first["Forecast model"].startswith("lgbm — gradient-boosted trees")
    assert first["Typical error (units per period)"] == "3.20"
    assert first["P10–P90 coverage (%)"] == "81.0"
    assert first["Forecast accuracy"].startswith("Typically off by about 3 units a day")


@pytest.mark.django_db
def test_the_plan_filters_select_the_products(viewer_client, merchant):
    _planned(merchant, "KIT", level=10, risk=0.5, category="Kitchen")
    _planned(merchant, "DRK", level=10, risk=0.5, category="Drinkware")
    rows = csv_dicts(viewer_client.get(CSV_URL, {"category": "Drinkware"}))
    assert {row["SKU"] for row in rows} == {"DRK"}
    rows = csv_dicts(viewer_client.get(CSV_URL, {"q": "KI"}))
    assert {row["SKU"] for row in rows} == {"KIT"}


@pytest.mark.django_db
def test_one_products_forecast_from_its_forecast_page(viewer_client, merchant):
    product = _planned(merchant, "ONE", level=10, risk=0.5)
    _planned(merchant, "TWO", level=10, risk=0.5)
    rows = xlsx_dicts(viewer_client.get(XLSX_URL, {"product": product.pk}))
    assert {row["SKU"] for row in rows} == {"ONE"} and len(rows) == 7
    assert rows[0]["P50 (units)"] == pytest.approx(10.0)
    assert rows[0]["Period start"] == dt.datetime(2026, 2, 2)
    page = viewer_client.get(reverse("forecast-product", kwargs={"product_id": product.pk}))
    assert f"{CSV_URL}?product={product.pk}".encode() in page.content


@pytest.mark.django_db
def test_a_weekly_forecast_has_one_row_per_week(viewer_client, merchant):
    _planned(merchant, "WEEKLY", level=70, risk=0.5, frequency="W")
    rows = csv_dicts(viewer_client.get(CSV_URL))
    assert [row["Period start"] for row in rows[:2]] == ["2026-02-02", "2026-02-09"]
    assert rows[0]["Period"] == "week"


@pytest.mark.django_db
def test_only_the_current_forecast_is_exported(viewer_client, merchant):
    product = _planned(merchant, "CUR", level=10, risk=0.5)
    SkuForecastFactory(product=product, is_current=False, quantiles=flat_quantiles(level=99))
    rows = csv_dicts(viewer_client.get(CSV_URL))
    assert {row["P50 (units)"] for row in rows} == {"10.00"}


@pytest.mark.django_db
def test_the_forecasts_are_read_a_chunk_at_a_time_not_one_query_per_product(
    viewer_client, merchant
):
    for index in range(40):
        _planned(merchant, f"SKU-{index:02d}", level=5, risk=index / 100)
    with CaptureQueriesContext(connection) as queries:
        rows = csv_dicts(viewer_client.get(CSV_URL))
    assert len(rows) == 40 * 7
    assert len(queries) <= 8
