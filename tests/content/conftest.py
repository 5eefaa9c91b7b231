"""Fixtures of the content studio tests: a product, members of every role, a fake model."""

from decimal import Decimal

import pytest

from core import llm
from tests.factories import ProductFactory

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


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
