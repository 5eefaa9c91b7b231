"""Fixtures of the review analysis tests: members of every role, API clients, commits."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.api.conftest import _fresh_throttle_counters, api, viewer_api  # noqa: F401
from tests.factories import MembershipFactory, ProductFactory, UserFactory


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks of the block's commit (tasks run inline in tests) when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _member_api(merchant, role: str, username: str) -> APIClient:
    user = UserFactory(username=username)
    MembershipFactory(user=user, merchant=merchant, role=role)
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def manager_api(merchant):
    return _member_api(merchant, Role.MANAGER, "maria")


@pytest.fixture
def analyst_api(merchant):
    return _member_api(merchant, Role.ANALYST, "anna")


@pytest.fixture
def other_api(other_owner):
    client = APIClient()
    client.force_login(other_owner)
    return client


@pytest.fixture
def bottle(merchant):
    return ProductFactory(merchant=merchant, sku="BTL-750", category="Drinkware")
