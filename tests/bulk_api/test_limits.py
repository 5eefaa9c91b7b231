"""Too many items or too large a body: 413 with a stable code, before anything is read or
written."""

import json

import pytest

from products.models import Product

from .conftest import bulk_url, post


def _items(count: int) -> list[dict]:
    return [{"sku": f"S-{n}", "title": "t", "price": 1} for n in range(count)]


@pytest.mark.django_db
def test_more_items_than_the_limit_are_refused(owner_api, merchant, settings):
    settings.BULK_MAX_ITEMS = 3
    response = post(owner_api, "products", _items(4))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_many_items"
    assert not Product.objects.filter(merchant=merchant).exists()
    assert post(owner_api, "products", _items(3)).status_code == 200


@pytest.mark.django_db
def test_a_body_over_the_byte_limit_is_refused(owner_api, merchant, settings):
    settings.BULK_MAX_BODY_BYTES = 2000
    response = post(owner_api, "products", [{"sku": "BIG", "title": "x" * 5000, "price": 1}])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    assert not Product.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_a_body_that_lies_about_its_length_is_still_cut_at_the_limit(owner_api, settings):
    settings.BULK_MAX_BODY_BYTES = 100
    body = json.dumps([{"sku": "A", "title": "y" * 500, "price": 1}])
    # The declared length is trusted only to refuse early; the read itself stops at the limit.
    response = owner_api.generic(
        "POST", bulk_url("products"), body, content_type="application/json"
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_an_empty_array_is_refused(owner_api):
    response = post(owner_api, "products", [])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_items"


@pytest.mark.django_db
def test_the_default_limits_are_a_thousand_items_and_five_megabytes(settings):
    assert settings.BULK_MAX_ITEMS == 1000
    assert settings.BULK_MAX_BODY_BYTES == 5 * 1024 * 1024
