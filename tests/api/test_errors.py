"""Every failure of the API answers the same JSON shape with a stable code."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from products.models import Product
from products.serializers import ProductInputSerializer
from tests.factories import ProductFactory, UserFactory

from .support import error_of

PRODUCTS = reverse("api:product-list")


@pytest.mark.django_db
def test_no_credentials_is_a_401_with_a_token_challenge(anonymous_api, merchant):
    response = anonymous_api.get(PRODUCTS)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.django_db
def test_an_unknown_token_is_a_401(merchant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.get(PRODUCTS)
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


@pytest.mark.django_db
def test_a_user_without_any_merchant_is_refused_with_403(db):
    api = APIClient()
    api.force_login(UserFactory(username="drifter"))
    response = api.get(PRODUCTS)
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


@pytest.mark.django_db
def test_malformed_json_is_a_400_malformed_request(api):
    response = api.post(PRODUCTS, '{"sku": ', content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


@pytest.mark.django_db
def test_a_form_encoded_body_is_a_415(api):
    response = api.post(PRODUCTS, {"sku": "X", "title": "X", "price": "1"})
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_an_unsupported_method_is_a_405(api):
    response = api.delete(PRODUCTS)
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_json_404(api):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "not_found"


@pytest.mark.django_db
def test_an_unknown_portal_address_is_still_a_page(owner_client):
    response = owner_client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response.headers["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_a_missing_object_is_a_404_not_found(api, merchant):
    response = api.get(reverse("api:product-detail", kwargs={"product_id": 987654}))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.django_db
def test_too_many_requests_are_throttled_with_retry_after(api, merchant, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "2/minute", raising=False)
    assert api.get(PRODUCTS).status_code == 200
    assert api.get(PRODUCTS).status_code == 200
    response = api.get(PRODUCTS)
    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.django_db
def test_a_write_that_loses_a_race_for_a_unique_key_is_a_409_conflict(api, merchant, monkeypatch):
    # As if a concurrent request committed the SKU after both validations had passed: the
    # database constraint has the last word.
    ProductFactory(merchant=merchant, sku="RACE")
    monkeypatch.setattr(ProductInputSerializer, "validate_sku", lambda self, value: value)
    monkeypatch.setattr(Product, "validate_constraints", lambda self, exclude=None: None)
    response = api.post(PRODUCTS, {"sku": "RACE", "title": "Two", "price": "1"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


@pytest.mark.django_db
def test_an_unexpected_failure_is_a_json_500(owner, merchant, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("products.apis.product_create", broken)
    client = APIClient(raise_request_exception=False)
    client.force_login(owner)
    response = client.post(PRODUCTS, {"sku": "X", "title": "X", "price": "1"}, format="json")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "disk on fire" not in error["message"]
