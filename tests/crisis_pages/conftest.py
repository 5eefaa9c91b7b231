"""Fixtures of the crisis pages tests: members of every role, API clients, a crisis with its
alerts, timeline, playbook and actions (made with factories, without a scan)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role
from crisis.models import AlertKind, CrisisEventKind, Severity
from tests.factories import MembershipFactory, ProductFactory, UserFactory

from .factories import (
    AlertFactory,
    CrisisActionFactory,
    CrisisEventFactory,
    CrisisFactory,
    PlaybookFactory,
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


@pytest.fixture
def role_clients(owner, manager, analyst, viewer):
    """One logged-in client per role, by role name."""
    return {
        Role.OWNER: _logged_in(owner),
        Role.MANAGER: _logged_in(manager),
        Role.ANALYST: _logged_in(analyst),
        Role.VIEWER: _logged_in(viewer),
    }


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def product(merchant):
    return ProductFactory(merchant=merchant, sku="BTL-750", title="Summit bottle 750 ml")


@pytest.fixture
def crisis(product):
    """A high crisis of one product: a stockout risk and a negative-review surge."""
    crisis = CrisisFactory(
        product=product,
        title="Summit bottle 750 ml: stockout risk and leaking complaints",
        severity=Severity.HIGH,
        money_at_risk=Decimal("6200.00"),
    )
    AlertFactory(
        product=product,
        crisis=crisis,
        kind=AlertKind.STOCKOUT_RISK,
        money_at_risk=Decimal("5000.00"),
        title="BTL-750 is likely to run out before a new order can arrive",
    )
    AlertFactory(
        product=product,
        crisis=crisis,
        kind=AlertKind.REVIEW_SURGE,
        aspect="leaking",
        severity=Severity.MEDIUM,
        money_at_risk=Decimal("1200.00"),
        title="Negative reviews about leaking rose",
    )
    CrisisEventFactory(crisis=crisis, kind=CrisisEventKind.ALERT_ADDED, message="New alert")
    return crisis


@pytest.fixture
def playbook(crisis):
    return PlaybookFactory(crisis=crisis)


@pytest.fixture
def proposed_action(crisis, playbook):
    return CrisisActionFactory(crisis=crisis, playbook=playbook, title="Order 120 units now")
