"""Which merchant a request acts for: the token's, the X-Merchant header's, or the session's."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.services import api_token_create, api_token_revoke
from tests.factories import MembershipFactory, ProductFactory

from .support import error_of

PRODUCTS = reverse("api:product-list")


def skus(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["sku"] for row in response.json()["results"]]


@pytest.fixture
def two_stores(owner, merchant, other_merchant):
    """Alice owns alpha and is a viewer of beta; each store has one product."""
    MembershipFactory(user=owner, merchant=other_merchant, role=Role.VIEWER)
    ProductFactory(merchant=merchant, sku="ALPHA-1")
    ProductFactory(merchant=other_merchant, sku="BETA-1")


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
class TestXMerchantHeader:
    def test_the_header_switches_between_the_users_merchants(self, api, two_stores):
        assert skus(api.get(PRODUCTS, headers={"X-Merchant": "alpha"})) == ["ALPHA-1"]
        assert skus(api.get(PRODUCTS, headers={"X-Merchant": "beta"})) == ["BETA-1"]

    def test_the_role_follows_the_merchant_of_the_header(self, api, two_stores):
        payload = {"sku": "NEW", "title": "New", "price": "1.00"}
        in_alpha = api.post(PRODUCTS, payload, format="json", headers={"X-Merchant": "alpha"})
        assert in_alpha.status_code == 201
        in_beta = api.post(PRODUCTS, payload, format="json", headers={"X-Merchant": "beta"})
        assert in_beta.status_code == 403
        assert error_of(in_beta)["code"] == "permission_denied"

    def test_an_id_of_the_other_merchant_is_a_404_until_the_header_names_it(
        self, api, two_stores, other_merchant
    ):
        beta_product = other_merchant.products.get()
        url = reverse("api:product-detail", kwargs={"product_id": beta_product.pk})
        assert api.get(url, headers={"X-Merchant": "alpha"}).status_code == 404
        assert api.get(url, headers={"X-Merchant": "beta"}).status_code == 200

    def test_a_merchant_the_user_does_not_belong_to_is_a_404(self, api, other_merchant):
        response = api.get(PRODUCTS, headers={"X-Merchant": "beta"})
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"

    def test_without_the_header_the_session_merchant_is_used(self, api, two_stores, other_merchant):
        session = api.session
        session["active_merchant_id"] = other_merchant.pk
        session.save()
        assert skus(api.get(PRODUCTS)) == ["BETA-1"]


@pytest.mark.django_db
class TestTokens:
    def test_a_token_authenticates_without_a_session(self, owner, merchant):
        ProductFactory(merchant=merchant, sku="ALPHA-1")
        _token, key = api_token_create(user=owner)
        assert skus(token_client(key).get(PRODUCTS)) == ["ALPHA-1"]

    def test_a_token_records_when_it_was_last_used(self, owner, merchant):
        token, key = api_token_create(user=owner)
        token_client(key).get(PRODUCTS)
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_an_unbound_token_follows_the_header(self, owner, two_stores):
        _token, key = api_token_create(user=owner)
        client = token_client(key)
        assert skus(client.get(PRODUCTS, headers={"X-Merchant": "beta"})) == ["BETA-1"]

    def test_a_bound_token_acts_for_its_merchant_only(self, owner, two_stores, other_merchant):
        _token, key = api_token_create(user=owner, merchant=other_merchant)
        client = token_client(key)
        assert skus(client.get(PRODUCTS)) == ["BETA-1"]
        assert skus(client.get(PRODUCTS, headers={"X-Merchant": "beta"})) == ["BETA-1"]
        response = client.get(PRODUCTS, headers={"X-Merchant": "alpha"})
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"

    def test_a_revoked_token_is_refused(self, owner, merchant):
        token, key = api_token_create(user=owner)
        api_token_revoke(token=token)
        response = token_client(key).get(PRODUCTS)
        assert response.status_code == 401
        assert error_of(response)["code"] == "authentication_failed"

    def test_a_token_of_an_inactive_user_is_refused(self, owner, merchant):
        _token, key = api_token_create(user=owner)
        owner.is_active = False
        owner.save()
        assert token_client(key).get(PRODUCTS).status_code == 401

    def test_a_viewers_token_may_read_but_not_write(self, viewer, merchant):
        _token, key = api_token_create(user=viewer)
        client = token_client(key)
        assert client.get(PRODUCTS).status_code == 200
        response = client.post(PRODUCTS, {"sku": "X", "title": "X", "price": "1"}, format="json")
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"

    def test_token_writes_need_no_csrf_token(self, owner, merchant):
        _token, key = api_token_create(user=owner)
        client = APIClient(enforce_csrf_checks=True)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = client.post(PRODUCTS, {"sku": "X", "title": "X", "price": "1"}, format="json")
        assert response.status_code == 201, response.content

    def test_session_writes_need_the_csrf_token(self, owner, merchant):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(owner)
        response = client.post(PRODUCTS, {"sku": "X", "title": "X", "price": "1"}, format="json")
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
