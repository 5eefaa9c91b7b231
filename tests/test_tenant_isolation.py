"""Sweep every URL pattern of the portal and the API with a second merchant's data.

Alice belongs to "alpha" only. For each pattern that takes an object id, Alice asking for
Beta's object must get exactly what she gets for an id that does not exist (a 404, or a 405
for a method the view does not have): never the object, never a 403 that leaks existence.
Every page and list without ids must not show any of Beta's data.

A new URL kwarg must be provided by a `tests/<app>/tenant.py` module (or named in
NOT_TENANT_KWARGS below): the sweep fails on a kwarg it does not know, so no new endpoint
escapes it. Such a module defines

    def beta_objects(*, merchant, owner, secret) -> dict[str, int]:   # kwarg -> Beta's id
    def alice_objects(*, merchant, owner) -> None:                     # Alice's own data

Beta's objects should carry `secret` in their visible text so a leak is caught.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from accounts.services import api_token_create
from tests.factories import (
    DailySalesFactory,
    MembershipFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
    StockSnapshotFactory,
    UserFactory,
)

SKIPPED_PREFIXES = ("admin/", "i18n/", "api/schema/", "api/docs/", "static/", "media/")
# kwargs that name no merchant object; the sweep still checks these pages leak nothing.
NOT_TENANT_KWARGS = {"uidb64": "MQ", "token": "set-password"}
METHODS = ("get", "post", "put", "patch", "delete")
SECRET = "beta-secret"
MISSING_ID = 987654321
ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _tenant_modules():
    """Every `tests/<app>/tenant.py`: each app contributes its own objects to the sweep."""
    root = Path(__file__).parent
    for info in pkgutil.iter_modules([str(root)]):
        if info.ispkg and (root / info.name / "tenant.py").exists():
            yield importlib.import_module(f"tests.{info.name}.tenant")


def _patterns(resolvers=None, prefix=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route.lstrip("^").replace("\\Z", "").replace("$", "")


@pytest.fixture
def beta_world(other_merchant, other_owner):
    product = ProductFactory(
        merchant=other_merchant, sku=f"{SECRET}-sku", title=f"{SECRET} kettle", brand=SECRET
    )
    StockLevelFactory(product=product, on_hand=4242)
    StockSnapshotFactory(product=product)
    sales = DailySalesFactory(product=product)
    review = ReviewFactory(product=product, title=f"{SECRET} title", body=f"{SECRET} body")
    member = Membership.objects.get(user=other_owner, merchant=other_merchant)
    ids = {
        "product_id": product.pk,
        "sales_id": sales.pk,
        "review_id": review.pk,
        "member_id": member.pk,
    }
    for module in _tenant_modules():
        ids.update(module.beta_objects(merchant=other_merchant, owner=other_owner, secret=SECRET))
    return ids


@pytest.fixture
def alice_world(merchant, owner):
    product = ProductFactory(merchant=merchant)
    StockLevelFactory(product=product)
    DailySalesFactory(product=product)
    ReviewFactory(product=product)
    MembershipFactory(merchant=merchant, user=UserFactory(username="mallory"), role=Role.VIEWER)
    for module in _tenant_modules():
        module.alice_objects(merchant=merchant, owner=owner)
    return product


def _text(response) -> str:
    """The body as text; streamed responses (CSV exports, file downloads) are read out."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def _names(route: str) -> set[str]:
    return {match.group("name") for match in ARG.finditer(route)}


def _url(route: str, ids: dict) -> str:
    def substitute(match):
        name = match.group("name")
        if name in NOT_TENANT_KWARGS:
            return NOT_TENANT_KWARGS[name]
        if name not in ids:
            raise AssertionError(
                f"URL /{route} takes <{name}>: add it to OBJECT_IDS in {__file__} so the "
                "tenant sweep covers it."
            )
        return str(ids[name])

    return "/" + ARG.sub(substitute, route)


def _clients(owner):
    web = APIClient()
    web.force_login(owner)
    _token, key = api_token_create(user=owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return web, api


@pytest.mark.django_db
def test_another_merchants_objects_answer_like_missing_ones_on_every_url(
    owner, alice_world, beta_world
):
    web, api = _clients(owner)
    routes = [r for r in _patterns() if ARG.search(r) and not r.startswith(SKIPPED_PREFIXES)]
    object_routes = [
        r for r in routes if set(ARG.findall(r)) - {("", k) for k in NOT_TENANT_KWARGS}
    ]
    assert any(r.startswith("api/v1/") for r in object_routes), "the API has object URLs"
    assert any(not r.startswith("api/") for r in object_routes), "the portal has object URLs"
    missing_ids = dict.fromkeys(beta_world, MISSING_ID)
    checked = 0
    for route in routes:
        client = api if route.startswith("api/") else web
        for method in METHODS:
            theirs = getattr(client, method)(_url(route, beta_world), {}, format="json")
            missing = getattr(client, method)(_url(route, missing_ids), {}, format="json")
            where = f"{method.upper()} /{route}"
            assert theirs.status_code == missing.status_code, where
            if route in object_routes:
                assert theirs.status_code not in (200, 201, 202, 204, 302, 403), where
            assert SECRET not in _text(theirs).lower(), where
            checked += 1
    assert checked >= 5 * len(object_routes)


@pytest.mark.django_db
def test_no_page_or_list_without_ids_shows_another_merchants_data(owner, alice_world, beta_world):
    web, api = _clients(owner)
    routes = [
        r
        for r in _patterns()
        if not ARG.search(r) and not r.startswith(SKIPPED_PREFIXES) and "logout" not in r
    ]
    assert "api/v1/products/" in routes
    assert "" in routes  # the dashboard
    for route in routes:
        client = api if route.startswith("api/") else web
        response = client.get("/" + route)
        assert response.status_code < 500, route
        text = _text(response)
        assert SECRET not in text.lower(), route
        # Beta's stock figure as a number of its own (not digits inside a timestamp or an id).
        assert not re.search(r"(?<![\d.])4242(?!\d)", text), route
