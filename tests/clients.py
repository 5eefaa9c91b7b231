"""Members of each role and logged-in clients, shared by the fixtures in `tests/conftest.py`."""

from django.test import Client

from .factories import MembershipFactory, UserFactory


def member_add(merchant, role: str, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, merchant=merchant, role=role)
    return user


def logged_in(user, client_class=Client):
    client = client_class()
    client.force_login(user)
    return client
