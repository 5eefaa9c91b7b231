"""Fixtures of the content studio tests: a product, members of every role, a fake model."""

from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role
from core import llm
from tests.factories import MembershipFactory, ProductFactory, UserFactory

GOOD_TEXT = "A stainless steel bottle that holds 750 ml."


@pytest.fixture
def bottle(merchant):
    return ProductFactory(
        merchant=merchant,
        sku="B-750",
        title="Insulated bottle 750 ml",
        category="Drinkware",
        attributes={"material": "stainless steel", "capacity": "750 ml"},
        description="Our classic bottle.",
        price=Decimal("24.90"),
    )


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
def manager_api(manager):
    return _logged_in(manager, APIClient)


@pytest.fixture
def analyst_api(analyst):
    return _logged_in(analyst, APIClient)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks of the block's commit (job dispatch, eager tasks) when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def good_responder(request) -> str:
    return GOOD_TEXT


@pytest.fixture
def fake_llm():
    """A deterministic model that writes a grounded description of the bottle."""
    with llm.use_backend(llm.FakeBackend(responder=good_responder)) as backend:
        yield backend


@pytest.fixture
def owner_api(owner):
    return _logged_in(owner, APIClient)


@pytest.fixture
def viewer_api(viewer):
    return _logged_in(viewer, APIClient)


@pytest.fixture
def other_api(other_owner):
    return _logged_in(other_owner, APIClient)


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
