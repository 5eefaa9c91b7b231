"""Every crisis page renders for every role; anonymous visitors are sent to log in."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role

ROLES = [Role.OWNER, Role.MANAGER, Role.ANALYST, Role.VIEWER]


def _urls(crisis):
    alert = crisis.alerts.first()
    return [
        reverse("crisis-board"),
        reverse("crisis-board") + "?status=resolved",
        reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}),
        reverse("alert-list"),
        reverse("alert-detail", kwargs={"alert_id": alert.pk}),
        reverse("crisis-settings"),
        reverse("dashboard"),
        reverse("product-detail", kwargs={"product_id": crisis.product_id}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_crisis_page_renders_for_each_role(role_clients, crisis, playbook, role):
    client = role_clients[role]
    for url in _urls(crisis):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<html lang=" in response.content, url


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client, crisis):
    for url in _urls(crisis):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_navigation_marks_the_crisis_section_as_current(owner_client, crisis):
    html = owner_client.get(reverse("alert-list")).content.decode()
    assert re.search(rf'nav-link active"\s+href="{reverse("crisis-board")}"', html)


@pytest.mark.django_db
def test_a_crisis_without_a_product_renders_as_store_wide(owner_client, merchant):
    from .factories import CrisisFactory

    crisis = CrisisFactory(product=None, merchant=merchant, title="Store-wide rating slide")
    html = owner_client.get(reverse("crisis-detail", kwargs={"crisis_id": crisis.pk})).content
    assert b"Whole store" in html
    assert b"Store-wide rating slide" in html
