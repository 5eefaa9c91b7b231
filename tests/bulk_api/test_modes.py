"""All or nothing writes nothing when any item is invalid; valid_items writes the valid ones
and says what became of each item."""

import pytest

from products.models import Product

from .conftest import post, statuses

GOOD = {"sku": "GOOD-1", "title": "Good", "price": "10.00"}
BAD_PRICE = {"sku": "BAD-1", "title": "Bad", "price": "abc"}
NO_TITLE = {"sku": "BAD-2", "price": "5"}


@pytest.mark.django_db
def test_all_or_nothing_writes_nothing_and_lists_every_problem(owner_api, merchant):
    response = post(owner_api, "products", [GOOD, BAD_PRICE, NO_TITLE, GOOD])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_items"
    assert "2 of 4 items are invalid" in error["message"]
    problems = {(item["index"], item["field"]) for item in error["item_errors"]}
    assert problems == {(1, "price"), (2, "title")}
    assert all(item["code"] and item["message"] for item in error["item_errors"])
    assert not Product.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_all_or_nothing_is_the_default(owner_api, merchant):
    explicit = post(owner_api, "products", [GOOD, BAD_PRICE], mode="all_or_nothing")
    assert explicit.status_code == 400
    assert not Product.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_valid_items_writes_the_valid_ones_and_reports_each(owner_api, merchant):
    response = post(owner_api, "products", [GOOD, BAD_PRICE, NO_TITLE], mode="valid_items")
    assert response.status_code == 207
    body = response.json()
    assert statuses(response) == ["created", "rejected", "rejected"]
    assert (body["created"], body["rejected"], body["mode"]) == (1, 2, "valid_items")
    assert {error["index"] for error in body["item_errors"]} == {1, 2}
    assert list(Product.objects.filter(merchant=merchant).values_list("sku", flat=True)) == [
        "GOOD-1"
    ]


@pytest.mark.django_db
def test_valid_items_without_problems_answers_200(owner_api):
    response = post(owner_api, "products", [GOOD], mode="valid_items")
    assert response.status_code == 200 and response.json()["rejected"] == 0


@pytest.mark.django_db
def test_an_unknown_mode_is_a_query_error(owner_api, merchant):
    response = post(owner_api, "products", [GOOD], mode="most")
    assert response.status_code == 400
    assert "mode" in response.json()["error"]["fields"]
    assert not Product.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_an_unknown_sku_in_valid_items_mode_rejects_only_that_item(owner_api, merchant):
    Product.objects.create(merchant=merchant, sku="KNOWN", title="Known", price=1)
    response = post(
        owner_api,
        "stock",
        [{"sku": "KNOWN", "on_hand": 3}, {"sku": "UNKNOWN", "on_hand": 4}],
        mode="valid_items",
    )
    assert response.status_code == 207
    assert statuses(response) == ["created", "rejected"]
    assert response.json()["item_errors"][0]["code"] == "unknown_sku"
    assert response.json()["unknown_skus"] == ["UNKNOWN"]


@pytest.mark.django_db
def test_a_refused_request_names_invalid_items_and_unknown_skus_together(owner_api, merchant):
    Product.objects.create(merchant=merchant, sku="KNOWN", title="Known", price=1)
    response = post(
        owner_api,
        "sales",
        [
            {"sku": "KNOWN", "date": "2026-13-01", "units": 1},
            {"sku": "UNKNOWN", "date": "2026-03-01", "units": 1},
            {"sku": "KNOWN", "date": "2026-03-01", "units": 1},
        ],
    )
    assert response.status_code == 400
    errors = response.json()["error"]["item_errors"]
    assert [(e["index"], e["field"], e["code"]) for e in errors] == [
        (0, "date", "bad_date"),
        (1, "sku", "unknown_sku"),
    ]
    assert "not in your catalogue" in errors[1]["message"]
