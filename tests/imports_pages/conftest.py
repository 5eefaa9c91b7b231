"""Fixtures of the import pages tests: members of every role, API clients, the sample SKUs
in the catalogue, and uploads stored in a throw-away media directory."""

import pytest
from django.core.cache import cache

from tests.factories import ProductFactory

# The SKUs the sample files name (demo store SKUs, core/demo/catalog.py).
SAMPLE_SKUS = (
    "DRK-BTL-750-SLV",
    "ELE-CHG-65W-WHT",
    "ELE-CHG-100W-WHT",
    "KIT-PAN-28-GRY",
    "HTX-THR-HRB-MUS",
    "DRK-GLS-MNT",
    "APP-SCK-L-OAT",
    "BEA-SRM-10",
)


@pytest.fixture
def catalogue(merchant):
    """The merchant sells every SKU the sample files name."""
    return {sku: ProductFactory(merchant=merchant, sku=sku) for sku in SAMPLE_SKUS}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()
