"""Another merchant's SKU is unknown here: the item is refused, and their data is untouched."""

import datetime as dt

import pytest

from forecasting.models import DailySales
from products.models import Product, StockLevel
from reviews.models import Review
from tests.factories import DailySalesFactory, ProductFactory, StockLevelFactory

from .conftest import post


@pytest.fixture
def theirs(other_merchant):
    product = ProductFactory(merchant=other_merchant, sku="BETA-ONLY", title="Beta's kettle")
    StockLevelFactory(product=product, on_hand=50)
    DailySalesFactory(product=product, date=dt.date(2026, 3, 1), units=7)
    return product


ITEMS = {
    "sales": {"sku": "BETA-ONLY", "date": "2026-03-01", "units": 999},
    "stock": {"sku": "BETA-ONLY", "on_hand": 999},
    "reviews": {"sku": "BETA-ONLY", "rating": 1, "body": "terrible"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["sales", "stock", "reviews"])
def test_another_merchants_sku_is_unknown(owner_api, theirs, kind):
    response = post(owner_api, kind, [ITEMS[kind]])
    assert response.status_code == 400
    (error,) = response.json()["error"]["item_errors"]
    assert (error["field"], error["code"]) == ("sku", "unknown_sku")
    assert DailySales.objects.get(product=theirs).units == 7
    assert StockLevel.objects.get(product=theirs).on_hand == 50
    assert not Review.objects.filter(product=theirs).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["sales", "stock", "reviews"])
def test_creating_unknown_skus_creates_our_own_product_never_touches_theirs(
    owner_api, merchant, theirs, kind
):
    response = post(owner_api, kind, [ITEMS[kind]], create_unknown_skus="true")
    assert response.status_code == 200, response.json()
    ours = Product.objects.get(merchant=merchant, sku="BETA-ONLY")
    assert ours.pk != theirs.pk
    theirs.refresh_from_db()
    assert theirs.title == "Beta's kettle"
    assert DailySales.objects.get(product=theirs).units == 7
    assert StockLevel.objects.get(product=theirs).on_hand == 50
    assert not Review.objects.filter(product=theirs).exists()


@pytest.mark.django_db
def test_a_product_with_their_sku_is_a_new_product_of_ours(owner_api, merchant, theirs):
    response = post(owner_api, "products", [{"sku": "BETA-ONLY", "title": "Mine", "price": 3}])
    assert response.json()["items"] == [{"index": 0, "status": "created"}]
    theirs.refresh_from_db()
    assert theirs.title == "Beta's kettle"
    assert Product.objects.get(merchant=merchant, sku="BETA-ONLY").title == "Mine"
