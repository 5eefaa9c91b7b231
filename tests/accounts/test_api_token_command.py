"""`manage.py api_token <username> [--merchant slug]` prints a key that works once sent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, Membership, Role, hash_token
from tests.factories import ProductFactory

PRODUCTS = reverse("api:product-list")


def api_token(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def client_for(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
def test_the_printed_key_authenticates_api_requests(owner, merchant):
    ProductFactory(merchant=merchant, sku="ALPHA-1")
    key = api_token("alice")
    response = client_for(key).get(PRODUCTS)
    assert response.status_code == 200
    assert [row["sku"] for row in response.json()["results"]] == ["ALPHA-1"]


@pytest.mark.django_db
def test_only_a_hash_of_the_key_is_stored(owner):
    key = api_token("alice", "--name", "warehouse sync")
    token = ApiToken.objects.get(user=owner)
    assert token.key_hash == hash_token(key)
    assert key not in (token.key_hash, token.prefix)
    assert token.name == "warehouse sync"
    assert token.merchant is None


@pytest.mark.django_db
def test_a_token_bound_to_one_merchant_cannot_act_for_another(owner, merchant, other_merchant):
    Membership.objects.create(user=owner, merchant=other_merchant, role=Role.OWNER)
    key = api_token("alice", "--merchant", "alpha")
    assert ApiToken.objects.get(user=owner).merchant == merchant
    client = client_for(key)
    assert client.get(PRODUCTS, headers={"X-Merchant": "alpha"}).status_code == 200
    refused = client.get(PRODUCTS, headers={"X-Merchant": "beta"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_an_unknown_user_is_a_command_error(merchant):
    with pytest.raises(CommandError, match="nobody"):
        api_token("nobody")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_unknown_merchant_is_a_command_error(owner):
    with pytest.raises(CommandError, match="gamma"):
        api_token("alice", "--merchant", "gamma")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_merchant_the_user_does_not_belong_to_is_a_command_error(owner, other_merchant):
    with pytest.raises(CommandError):
        api_token("alice", "--merchant", "beta")
    assert not ApiToken.objects.exists()
