"""Named, seeded tenants used across the suite: Alice owns "Alpha", Bob owns "Beta"."""

import os

import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from accounts.models import Role

from .clients import logged_in, member_add
from .factories import MembershipFactory, MerchantFactory, UserFactory

# The fuzz tests draw new examples on every local run (that is how they find bugs); CI draws
# the same ones every time, so a build fails for the change it tests, not for the dice.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

PASSWORD = "correct-horse-battery"


@pytest.fixture
def merchant(db):
    return MerchantFactory(name="Alpha Store", slug="alpha")


@pytest.fixture
def other_merchant(db):
    return MerchantFactory(name="Beta Store", slug="beta")


@pytest.fixture
def owner(merchant):
    user = UserFactory(username="alice")
    MembershipFactory(user=user, merchant=merchant, role=Role.OWNER)
    return user


@pytest.fixture
def viewer(merchant):
    user = UserFactory(username="victor")
    MembershipFactory(user=user, merchant=merchant, role=Role.VIEWER)
    return user


@pytest.fixture
def other_owner(other_merchant):
    user = UserFactory(username="bob")
    MembershipFactory(user=user, merchant=other_merchant, role=Role.OWNER)
    return user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def manager(merchant):
    return member_add(merchant, Role.MANAGER, "maria")


@pytest.fixture
def analyst(merchant):
    return member_add(merchant, Role.ANALYST, "anna")


@pytest.fixture
def manager_client(manager):
    return logged_in(manager)


@pytest.fixture
def analyst_client(analyst):
    return logged_in(analyst)


@pytest.fixture
def owner_api(owner):
    return logged_in(owner, APIClient)


@pytest.fixture
def manager_api(manager):
    return logged_in(manager, APIClient)


@pytest.fixture
def analyst_api(analyst):
    return logged_in(analyst, APIClient)


@pytest.fixture
def viewer_api(viewer):
    return logged_in(viewer, APIClient)


@pytest.fixture
def other_api(other_owner):
    return logged_in(other_owner, APIClient)


@pytest.fixture(scope="module")
def portal_store(django_db_setup, django_db_blocker):
    """A small demo store with one of everything on the portal's pages (tests/portal_pages.py),
    built once per module: the tests using it only read."""
    from tests.portal_pages import portal_store_build, portal_store_remove

    with django_db_blocker.unblock():
        built = portal_store_build()
    yield built
    with django_db_blocker.unblock():
        portal_store_remove()
