"""Fixtures of the forecast pages tests: members of every role, API clients, a small store."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import MembershipFactory, UserFactory


def _member(merchant, role: str, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, merchant=merchant, role=role)
    return user


@pytest.fixture
def manager(merchant):
    return _member(merchant, Role.MANAGER, "maria")


@pytest.fixture
def analyst(merchant):
    return _member(merchant, Role.ANALYST, "anna")


def _logged_in(user, client_class=Client):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(manager):
    return _logged_in(manager)


@pytest.fixture
def analyst_client(analyst):
    return _logged_in(analyst)


@pytest.fixture
def owner_api(owner):
    return _logged_in(owner, APIClient)


@pytest.fixture
def manager_api(manager):
    return _logged_in(manager, APIClient)


@pytest.fixture
def analyst_api(analyst):
    return _logged_in(analyst, APIClient)


@pytest.fixture
def viewer_api(viewer):
    return _logged_in(viewer, APIClient)


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()
