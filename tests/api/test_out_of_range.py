"""Numbers beyond what the database can hold are the client's error (400), never a 500."""

import pytest

from forecasting.models import DailySales
from products.models import StockLevel
from tests.factories import ProductFactory

HUGE = 10**30

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/products/{HUGE}/",
        f"/api/v1/stock/{HUGE}/",
        f"/api/v1/stock/{HUGE}/history/",
        f"/api/v1/sales/{HUGE}/",
        f"/api/v1/reviews/{HUGE}/",
    ],
)
def test_an_object_id_beyond_the_integer_range_is_not_found(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/sales/?product={HUGE}",
        f"/api/v1/reviews/?product={HUGE}",
        f"/api/v1/stock/?product={HUGE}",
        f"/api/v1/stock/?on_hand__lte={HUGE}",
    ],
)
def test_a_filter_beyond_the_integer_range_is_a_clear_error(api, path):
    response = api.get(path)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/sales/", {"product": HUGE, "date": "2025-01-01", "units": 1, "revenue": "1"}),
        ("/api/v1/stock/", {"product": HUGE, "on_hand": 1}),
        ("/api/v1/reviews/", {"product": HUGE, "body": "ok"}),
        ("/api/v1/products/", {"sku": "BIG", "title": "Big", "price": "1e30"}),
        ("/api/v1/products/", {"sku": "BIG", "title": "Big", "price": "1", "moq": HUGE}),
    ],
)
def test_a_body_beyond_the_integer_range_is_a_clear_error(api, path, body):
    response = api.post(path, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_a_stock_level_beyond_the_integer_range_is_refused_and_nothing_changes(api, merchant):
    product = ProductFactory(merchant=merchant)
    response = api.post("/api/v1/stock/", {"product": product.pk, "on_hand": HUGE}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    response = api.post(
        "/api/v1/sales/",
        {"product": product.pk, "date": "2025-01-01", "units": HUGE, "revenue": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert not StockLevel.objects.exists()
    assert not DailySales.objects.exists()
