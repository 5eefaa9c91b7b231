"""Bulk reviews: keyed on (source, review id) or a fingerprint, so a repeat adds nothing."""

import pytest

from reviews.models import Review
from tests.factories import ProductFactory

from .conftest import post, statuses

ITEMS = [
    {
        "sku": "BTL",
        "external_id": "shop-981",
        "rating": 2,
        "body": "The lid leaks after a week.",
        "created_at": "2026-03-01T09:30:00+08:00",
        "source": "shopify",
    },
    {"sku": "BTL", "rating": 5, "body": "保温效果很好", "created_at": "2026-03-02T10:00:00"},
]


@pytest.fixture
def bottle(merchant):
    return ProductFactory(merchant=merchant, sku="BTL")


@pytest.mark.django_db
def test_reviews_are_created_once(owner_api, bottle):
    response = post(owner_api, "reviews", ITEMS)
    assert response.status_code == 200, response.json()
    assert statuses(response) == ["created", "created"]
    leak = Review.objects.get(merchant=bottle.merchant, external_id="shop-981")
    assert (leak.source, leak.rating, leak.product_id) == ("shopify", 2, bottle.pk)
    chinese = Review.objects.get(merchant=bottle.merchant, rating=5)
    assert chinese.source == "api" and chinese.language == "zh"
    again = post(owner_api, "reviews", ITEMS)
    assert statuses(again) == ["unchanged", "unchanged"]
    assert Review.objects.filter(product=bottle).count() == 2


@pytest.mark.django_db
def test_an_edited_review_is_updated(owner_api, bottle):
    post(owner_api, "reviews", ITEMS)
    response = post(owner_api, "reviews", [{**ITEMS[0], "rating": 1}])
    assert statuses(response) == ["updated"]
    assert Review.objects.get(external_id="shop-981").rating == 1


@pytest.mark.django_db
def test_a_rating_out_of_range_is_an_item_error(owner_api, bottle):
    response = post(owner_api, "reviews", [{**ITEMS[0], "rating": 9}], mode="valid_items")
    assert response.status_code == 207
    assert statuses(response) == ["rejected"]
    assert response.json()["item_errors"][0]["field"] == "rating"
    assert not Review.objects.exists()
