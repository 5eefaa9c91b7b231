"""Whatever JSON (or not-JSON) is sent, the answer is a 4xx with a stable code, never a 500,
and nothing is written unless every item was valid."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from products.models import Product

from .conftest import bulk_url, post

KINDS = ["products", "sales", "stock", "reviews"]


def _send_raw(client, kind: str, raw: bytes | str, content_type="application/json"):
    return client.generic("POST", bulk_url(kind), raw, content_type=content_type)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"sku": "A"}, "not_an_array"),
        ("a string", "not_an_array"),
        (42, "not_an_array"),
        (None, "not_an_array"),
        (True, "not_an_array"),
    ],
)
def test_a_body_that_is_not_an_array_is_refused(owner_api, kind, payload, code):
    response = post(owner_api, kind, payload)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b"[{",
        b"[1, 2,]",
        b"\xff\xfe[]",
        b"[NaN]",
        b'[{"sku": "A", "title": "t", "price": Infinity}]',
        b'[{"sku": "A", "title": "t", "price": 1e999}]',
        b"[" * 100000 + b"]" * 100000,
        b"[" + b"9" * 5000 + b"]",
    ],
)
def test_unreadable_json_is_a_malformed_request(owner_api, merchant, raw):
    response = _send_raw(owner_api, "products", raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert not Product.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_an_unsupported_media_type(owner_api):
    response = _send_raw(owner_api, "products", "sku=A", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_items_of_the_wrong_shape_are_item_errors(owner_api, kind):
    items = [
        "not an object",
        [1, 2],
        {"sku": {"nested": ["garbage"]}},
        {"sku": "A", "price": [1], "units": {"x": 1}, "on_hand": [], "body": {"a": 1}},
        {"sku": "A", "no_such_field": 1},
        {"sku": "x" * 100000},
        {"sku": 12345, "title": 7, "price": True, "date": 20260301, "units": "many"},
        {},
    ]
    response = post(owner_api, kind, items)
    assert response.status_code == 400
    errors = response.json()["error"]["item_errors"]
    assert {error["index"] for error in errors} == set(range(len(items)))
    codes = {error["code"] for error in errors if error["index"] in (0, 1)}
    assert codes == {"not_an_object"}
    assert {error["code"] for error in errors if error["index"] == 4} >= {"unknown_field"}
    assert all(len(error["value"]) <= 200 for error in errors)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["sku", "title", "price", "date", "units", "on_hand", "body", "rating"])
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=JSON, kind=st.sampled_from(KINDS))
def test_generated_garbage_never_causes_a_server_error(owner_api, merchant, payload, kind):
    response = post(owner_api, kind, payload)
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert "code" in response.json()["error"]
        assert json.loads(response.content)  # a JSON error, never an HTML page
