"""API clients of the bulk tests: Alice owns "alpha", Anna analyses it, Victor views it, Bob
owns "beta"."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def owner_api(owner):
    return _api(owner)


@pytest.fixture
def analyst_api(merchant):
    user = UserFactory(username="anna")
    MembershipFactory(user=user, merchant=merchant, role=Role.ANALYST)
    return _api(user)


@pytest.fixture
def viewer_api(viewer):
    return _api(viewer)


@pytest.fixture
def other_api(other_owner):
    return _api(other_owner)


def bulk_url(kind: str, **query) -> str:
    url = reverse(f"api:bulk-{kind}")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def post(client, kind: str, items, **query):
    """POST `items` (any JSON value) to the bulk endpoint of `kind`."""
    return client.post(
        bulk_url(kind, **query), data=json.dumps(items), content_type="application/json"
    )


def statuses(response) -> list[str]:
    return [item["status"] for item in response.json()["items"]]
