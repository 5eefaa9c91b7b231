"""Fixtures of the crisis pages tests: members of every role, API clients, a crisis with its
alerts, timeline, playbook and actions (made with factories, without a scan)."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from accounts.models import Role
from crisis.models import AlertKind, CrisisEventKind, Severity
from tests.clients import logged_in
from tests.factories import ProductFactory

from .factories import (
    AlertFactory,
    CrisisActionFactory,
    CrisisEventFactory,
    CrisisFactory,
    PlaybookFactory,
)


@pytest.fixture
def role_clients(owner, manager, analyst, viewer):
    """One logged-in client per role, by role name."""
    return {
        Role.OWNER: logged_in(owner),
        Role.MANAGER: logged_in(manager),
        Role.ANALYST: logged_in(analyst),
        Role.VIEWER: logged_in(viewer),
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
