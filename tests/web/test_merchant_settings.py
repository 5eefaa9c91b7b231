"""Merchant settings: owners edit them, everyone else reads them."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import UserFactory

URL = reverse("merchant-settings")
VALID = {
    "name": "Alpha Shop",
    "currency": "cny",
    "timezone": "Asia/Shanghai",
    "default_language": "zh-hans",
}


@pytest.mark.django_db
def test_an_owner_changes_the_merchant_settings(owner_client, merchant):
    response = owner_client.post(URL, VALID)
    assert response.status_code == 302
    merchant.refresh_from_db()
    assert (merchant.name, merchant.currency, merchant.timezone, merchant.default_language) == (
        "Alpha Shop",
        "CNY",
        "Asia/Shanghai",
        "zh-hans",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("currency", "dollars"), ("timezone", "Mars/Olympus"), ("name", "")]
)
def test_invalid_settings_are_shown_next_to_the_field(owner_client, merchant, field, value):
    response = owner_client.post(URL, {**VALID, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"invalid-feedback" in response.content
    merchant.refresh_from_db()
    assert merchant.name == "Alpha Store"


@pytest.mark.django_db
def test_a_viewer_sees_the_settings_read_only(viewer_client):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only owners can change these settings." in html
    assert "disabled" in html
    assert "Save settings" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST, Role.MANAGER])
def test_only_owners_may_post_settings(client, merchant, role):
    user = UserFactory()
    Membership.objects.create(user=user, merchant=merchant, role=role)
    client.force_login(user)
    assert client.post(URL, VALID).status_code == 403
    merchant.refresh_from_db()
    assert merchant.name == "Alpha Store"
