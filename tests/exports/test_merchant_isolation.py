"""No export ever contains another merchant's rows, whatever the query asks for."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import DailySalesFactory, ProductFactory, ReviewFactory, StockLevelFactory
from tests.forecast_pages.factories import InventoryPlanFactory, SkuForecastFactory

from .helpers import body, csv_rows, xlsx_rows

SECRET = "beta-secret"
EXPORTS = ["product-export", "sales-export", "review-export", "forecast-export", "forecast-plan"]


def _store(merchant, sku: str, title: str):
    product = ProductFactory(merchant=merchant, sku=sku, title=title, category="Kitchen")
    StockLevelFactory(product=product)
    DailySalesFactory(product=product, date=dt.date(2026, 1, 1))
    ReviewFactory(product=product, body=f"{title} review")
    forecast = SkuForecastFactory(product=product)
    InventoryPlanFactory(product=product, forecast=forecast)
    return product


@pytest.fixture
def stores(merchant, other_merchant):
    return _store(merchant, "MINE", "my kettle"), _store(other_merchant, f"{SECRET}-sku", SECRET)


@pytest.mark.django_db
@pytest.mark.parametrize("export", EXPORTS)
def test_another_merchants_rows_never_appear(viewer_client, stores, export):
    csv_text = "\n".join(
        ",".join(row) for row in csv_rows(viewer_client.get(reverse(f"{export}-csv")))
    )
    assert "MINE" in csv_text and SECRET not in csv_text
    cells = [
        str(value)
        for row in xlsx_rows(viewer_client.get(reverse(f"{export}-xlsx")))
        for value in row
    ]
    assert "MINE" in cells and not any(SECRET in value for value in cells)


@pytest.mark.django_db
@pytest.mark.parametrize("export", ["sales-export", "forecast-export"])
def test_asking_for_another_merchants_product_exports_nothing(viewer_client, stores, export):
    _mine, theirs = stores
    rows = csv_rows(viewer_client.get(reverse(f"{export}-csv"), {"product": theirs.pk}))
    assert len(rows) == 1  # the header only
    assert (
        SECRET
        not in body(viewer_client.get(reverse(f"{export}-csv"), {"product": theirs.pk})).decode()
    )


@pytest.mark.django_db
def test_the_review_export_ignores_another_merchants_product(viewer_client, stores):
    _mine, theirs = stores
    text = body(viewer_client.get(reverse("review-export-csv"), {"product": theirs.pk})).decode()
    assert SECRET not in text
