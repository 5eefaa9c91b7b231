"""Switching the active merchant: only to merchants the user belongs to."""

import pytest
from django.urls import reverse

from accounts.middleware import SESSION_KEY
from accounts.models import Role
from tests.factories import MembershipFactory, MerchantFactory, ProductFactory

URL = reverse("merchant-switch")


@pytest.fixture
def gamma(owner):
    merchant = MerchantFactory(name="Gamma Store", slug="gamma")
    MembershipFactory(user=owner, merchant=merchant, role=Role.ANALYST)
    ProductFactory(merchant=merchant, title="Gamma teapot")
    return merchant


@pytest.mark.django_db
def test_the_switcher_lists_every_merchant_of_the_user(owner_client, merchant, gamma):
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert f'name="merchant_id" value="{merchant.pk}"' in html
    assert f'name="merchant_id" value="{gamma.pk}"' in html


@pytest.mark.django_db
def test_a_user_switches_to_another_of_their_merchants(owner_client, gamma):
    response = owner_client.post(URL, {"merchant_id": gamma.pk})
    assert response.status_code == 302
    assert owner_client.session[SESSION_KEY] == gamma.pk
    products = owner_client.get(reverse("product-list"))
    assert products.context["merchant"] == gamma
    assert b"Gamma teapot" in products.content


@pytest.mark.django_db
def test_switching_to_a_merchant_the_user_does_not_belong_to_is_not_found(
    owner_client, other_merchant
):
    assert owner_client.post(URL, {"merchant_id": other_merchant.pk}).status_code == 404
    assert owner_client.post(URL, {"merchant_id": "not-a-number"}).status_code == 404
    assert SESSION_KEY not in owner_client.session


@pytest.mark.django_db
def test_switching_needs_a_login_and_a_post(client, owner_client, merchant):
    assert owner_client.get(URL).status_code == 405
    client.logout()
    response = client.post(URL, {"merchant_id": merchant.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
