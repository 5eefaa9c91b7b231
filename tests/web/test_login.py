"""Signing in, and the lock after too many failed attempts (django-axes)."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD

URL = reverse("login")


@pytest.mark.django_db
def test_a_member_signs_in_and_lands_on_the_dashboard(client, owner):
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_a_wrong_password_shows_an_error_on_the_form(client, owner):
    response = client.post(URL, {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.django_db
def test_sign_in_is_locked_after_too_many_failed_attempts(client, owner):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert client.post(URL, {"username": "alice", "password": "wrong"}).status_code == 200
    locked = client.post(URL, {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429
    # Even the right password is refused until the cool-off ends, and the page says when.
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"Try again in {minutes} minutes." in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_for_one_user_do_not_lock_another(client, owner, viewer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(URL, {"username": "alice", "password": "wrong"})
    response = client.post(URL, {"username": "victor", "password": PASSWORD})
    assert response.status_code == 302
