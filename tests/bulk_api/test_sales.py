"""Bulk daily sales: upserted on (SKU, date), idempotent, unknown SKUs refused or created."""

import datetime as dt
from decimal import Decimal

import pytest

from forecasting.models import DailySales
from products.models import Product
from tests.factories import ProductFactory

from .conftest import post, statuses

ITEMS = [
    {"sku": "BTL", "date": "2026-03-01", "units": 12, "revenue": "298.80"},
    {"sku": "BTL", "date": "2026-03-02", "units": 9, "on_promotion": True},
]


@pytest.fixture
def bottle(merchant):
    return ProductFactory(merchant=merchant, sku="BTL")


@pytest.mark.django_db
def test_days_are_created_then_unchanged_on_a_repeat(owner_api, bottle):
    first = post(owner_api, "sales", ITEMS)
    assert first.status_code == 200, first.json()
    assert statuses(first) == ["created", "created"]
    day = DailySales.objects.get(product=bottle, date=dt.date(2026, 3, 1))
    assert (day.units, day.revenue) == (12, Decimal("298.80"))
    assert DailySales.objects.get(product=bottle, date=dt.date(2026, 3, 2)).on_promotion
    again = post(owner_api, "sales", ITEMS)
    assert statuses(again) == ["unchanged", "unchanged"]
    assert DailySales.objects.filter(product=bottle).count() == 2


@pytest.mark.django_db
def test_a_new_figure_updates_the_day(owner_api, bottle):
    post(owner_api, "sales", ITEMS)
    response = post(owner_api, "sales", [{**ITEMS[0], "units": 15}])
    assert statuses(response) == ["updated"]
    assert DailySales.objects.get(product=bottle, date=dt.date(2026, 3, 1)).units == 15


@pytest.mark.django_db
def test_an_unknown_sku_rejects_the_item(owner_api, bottle):
    response = post(owner_api, "sales", [*ITEMS, {"sku": "NOPE", "date": "2026-03-01", "units": 1}])
    assert response.status_code == 400
    (error,) = response.json()["error"]["item_errors"]
    assert (error["index"], error["field"], error["code"]) == (2, "sku", "unknown_sku")
    assert not DailySales.objects.exists()


@pytest.mark.django_db
def test_unknown_skus_can_be_created(owner_api, merchant):
    response = post(
        owner_api,
        "sales",
        [{"sku": "NEW-1", "date": "2026-03-01", "units": 2}],
        create_unknown_skus="true",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["products_created"] == 1
    product = Product.objects.get(merchant=merchant, sku="NEW-1")
    assert DailySales.objects.get(product=product).units == 2


@pytest.mark.django_db
def test_items_may_hold_values_as_a_file_would(owner_api, bottle):
    items = [
        {
            "sku": "BTL",
            "date": "2026/3/1",
            "units": "1,200",
            "revenue": "¥1,234.50",
            "on_promotion": "是",
        }
    ]
    response = post(owner_api, "sales", items)
    assert response.status_code == 200, response.json()
    day = DailySales.objects.get(product=bottle)
    assert (day.date, day.units, day.revenue, day.on_promotion) == (
        dt.date(2026, 3, 1),
        1200,
        Decimal("1234.50"),
        True,
    )
