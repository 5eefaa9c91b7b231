"""Named, seeded tenants used across the suite: Alice owns "Alpha", Bob owns "Beta"."""

import pytest

from accounts.models import Role

from .factories import MembershipFactory, MerchantFactory, UserFactory

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
