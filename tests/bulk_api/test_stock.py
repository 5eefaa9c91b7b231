"""Bulk stock levels: upserted per SKU, idempotent, with a snapshot of the day."""

import pytest

from products.models import StockLevel, StockSnapshot
from tests.factories import ProductFactory, StockLevelFactory

from .conftest import post, statuses


@pytest.fixture
def bottle(merchant):
    return ProductFactory(merchant=merchant, sku="BTL")


@pytest.mark.django_db
def test_stock_is_set_then_unchanged_on_a_repeat(owner_api, bottle):
    items = [{"sku": "BTL", "on_hand": 140, "inbound": 300, "date": "2026-03-02"}]
    response = post(owner_api, "stock", items)
    assert response.status_code == 200, response.json()
    assert statuses(response) == ["created"]
    stock = StockLevel.objects.get(product=bottle)
    assert (stock.on_hand, stock.inbound) == (140, 300)
    assert StockSnapshot.objects.filter(product=bottle, on_hand=140).exists()
    assert statuses(post(owner_api, "stock", items)) == ["unchanged"]


@pytest.mark.django_db
def test_a_new_count_updates_the_level(owner_api, bottle):
    StockLevelFactory(product=bottle, on_hand=10)
    response = post(owner_api, "stock", [{"sku": "BTL", "on_hand": 0}])
    assert statuses(response) == ["updated"]
    assert StockLevel.objects.get(product=bottle).on_hand == 0


@pytest.mark.django_db
def test_negative_stock_is_an_item_error(owner_api, bottle):
    response = post(owner_api, "stock", [{"sku": "BTL", "on_hand": -5}])
    assert response.status_code == 400
    (error,) = response.json()["error"]["item_errors"]
    assert (error["index"], error["field"]) == (0, "on_hand")
    assert not StockLevel.objects.filter(product=bottle).exists()
