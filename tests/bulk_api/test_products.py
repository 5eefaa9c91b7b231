"""Bulk products: created, then unchanged on a repeat, updated when a value changes."""

from decimal import Decimal

import pytest

from products.models import Product

from .conftest import post, statuses

ITEMS = [
    {
        "sku": "DRK-BTL-750",
        "title": "Insulated bottle 750 ml",
        "price": "24.90",
        "cost": 9.5,
        "category": "Drinkware",
        "attributes": {"material": "stainless steel"},
    },
    {"sku": "KIT-PAN-28", "title": "不粘锅 28cm", "price": 199, "currency": "CNY"},
]


@pytest.mark.django_db
def test_new_products_are_created(owner_api, merchant):
    response = post(owner_api, "products", ITEMS)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["received"], body["created"], body["rejected"]) == (2, 2, 0)
    assert statuses(response) == ["created", "created"]
    bottle = Product.objects.get(merchant=merchant, sku="DRK-BTL-750")
    assert bottle.price == Decimal("24.90") and bottle.cost == Decimal("9.50")
    assert bottle.attributes == {"material": "stainless steel"}
    pan = Product.objects.get(merchant=merchant, sku="KIT-PAN-28")
    assert pan.title == "不粘锅 28cm" and pan.currency == "CNY"


@pytest.mark.django_db
def test_sending_the_same_items_again_changes_nothing(owner_api, merchant):
    post(owner_api, "products", ITEMS)
    before = list(Product.objects.filter(merchant=merchant).order_by("sku").values())
    response = post(owner_api, "products", ITEMS)
    assert response.status_code == 200
    assert statuses(response) == ["unchanged", "unchanged"]
    assert response.json()["unchanged"] == 2
    assert list(Product.objects.filter(merchant=merchant).order_by("sku").values()) == before


@pytest.mark.django_db
def test_a_changed_value_updates_only_that_product(owner_api, merchant):
    post(owner_api, "products", ITEMS)
    changed = [{**ITEMS[0], "price": "19.90"}, ITEMS[1]]
    response = post(owner_api, "products", changed)
    assert statuses(response) == ["updated", "unchanged"]
    assert Product.objects.get(merchant=merchant, sku="DRK-BTL-750").price == Decimal("19.90")


@pytest.mark.django_db
def test_two_items_with_one_sku_store_the_later(owner_api, merchant):
    response = post(
        owner_api,
        "products",
        [{"sku": "A", "title": "first", "price": 1}, {"sku": "A", "title": "second", "price": 2}],
    )
    assert statuses(response) == ["duplicate", "created"]
    assert Product.objects.get(merchant=merchant, sku="A").title == "second"


@pytest.mark.django_db
def test_create_unknown_skus_is_refused_for_products(owner_api):
    response = post(owner_api, "products", ITEMS, create_unknown_skus="true")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "create_unknown_skus" in response.json()["error"]["fields"]
