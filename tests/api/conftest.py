"""API clients for the seeded tenants: Alice owns "alpha", Victor views it, Bob owns "beta"."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(owner):
    """Alice, logged in with a session (the portal's own calls use this path)."""
    client = APIClient()
    client.force_login(owner)
    return client


@pytest.fixture
def viewer_api(viewer):
    client = APIClient()
    client.force_login(viewer)
    return client


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def token_api(owner):
    """Alice with an API token that is bound to no merchant."""
    _token, key = api_token_create(user=owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
