"""Fixtures of the forecast pages tests: members of every role, API clients, a small store."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()
