"""Writing needs a role that may import data: viewers are refused before the body is read."""

import pytest
from rest_framework.test import APIClient

from forecasting.models import DailySales
from products.models import Product

from .conftest import bulk_url, post

KINDS = ["products", "sales", "stock", "reviews"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_viewer_may_not_write(viewer_api, merchant, kind):
    response = post(viewer_api, kind, [{"sku": "A", "title": "t", "price": 1}])
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Product.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_an_analyst_may_write(analyst_api, merchant):
    response = post(analyst_api, "products", [{"sku": "A", "title": "t", "price": 1}])
    assert response.status_code == 200
    assert Product.objects.filter(merchant=merchant, sku="A").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_an_anonymous_client_is_refused(db, kind):
    response = post(APIClient(), kind, [{"sku": "A"}])
    assert response.status_code in (401, 403)
    assert not DailySales.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_endpoints_only_take_post(owner_api, kind):
    assert owner_api.get(bulk_url(kind)).status_code == 405
