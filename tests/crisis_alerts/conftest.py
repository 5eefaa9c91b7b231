"""Hand-made detector findings applied with `alerts_apply`, a store with people in every role,
and a clock that moves between scans."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from crisis.detectors.types import Finding
from crisis.services.alerts import alerts_apply
from tests.factories import MembershipFactory, ProductFactory, UserFactory

T0 = dt.datetime(2025, 6, 18, 9, 0, tzinfo=dt.UTC)


def finding(kind="stockout_risk", product=None, money="1500", aspect="", title=None, **evidence):
    """A detector's verdict as `run_detectors` returns it."""
    product_id = product.pk if product is not None else None
    return Finding(
        kind=kind,
        product_id=product_id,
        aspect=aspect,
        money_at_risk=Decimal(money),
        title=title or f"{kind} on {product.sku if product else 'the store'}",
        summary=f"{money} at risk",
        evidence=evidence or {"money": money},
    )


@pytest.fixture
def manager(merchant):
    user = UserFactory(username="mona")
    MembershipFactory(user=user, merchant=merchant, role=Role.MANAGER)
    return user


@pytest.fixture
def analyst(merchant):
    user = UserFactory(username="andy")
    MembershipFactory(user=user, merchant=merchant, role=Role.ANALYST)
    return user


@pytest.fixture
def bottle(merchant):
    return ProductFactory(merchant=merchant, sku="BTL-750", title="Summit Water Bottle")


@pytest.fixture
def charger(merchant):
    return ProductFactory(merchant=merchant, sku="CHG-65W", title="Voltra Charger")


@pytest.fixture
def scan(merchant):
    """`scan(findings, at=T0 + ...)`: apply one scan's findings to the merchant."""

    def run(findings, *, at=None, kinds=None):
        return alerts_apply(
            merchant=merchant, findings=findings, now=at or timezone.now(), kinds=kinds
        )

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (sending jobs, notifications) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
