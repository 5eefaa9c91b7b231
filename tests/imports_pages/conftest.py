"""Fixtures of the import pages tests: members of every role, API clients, the sample SKUs
in the catalogue, and uploads stored in a throw-away media directory."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import MembershipFactory, ProductFactory, UserFactory

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
def analyst_client(analyst):
    return _logged_in(analyst)


@pytest.fixture
def manager_client(manager):
    return _logged_in(manager)


@pytest.fixture
def owner_api(owner):
    return _logged_in(owner, APIClient)


@pytest.fixture
def analyst_api(analyst):
    return _logged_in(analyst, APIClient)


@pytest.fixture
def viewer_api(viewer):
    return _logged_in(viewer, APIClient)


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
