"""The bulk API's JSON items go through the same field rules as file rows."""

import datetime as dt
from decimal import Decimal

from imports.parsing import RowValidator

from .helpers import NOW


def validator(kind):
    return RowValidator(kind=kind, tz="Asia/Shanghai", now=NOW)


def test_a_valid_product_item_becomes_a_record_with_only_its_fields_provided():
    record, problems = validator("products").validate_item(
        0,
        {
            "sku": "DRK-1",
            "title": "Bottle",
            "price": 19.9,
            "attributes": {"material": "steel", "capacity_ml": 750},
        },
    )
    assert problems == []
    assert (record.price, record.attributes) == (
        Decimal("19.90"),
        {"material": "steel", "capacity_ml": 750},
    )
    assert record.provided == frozenset({"sku", "title", "price", "attributes"})


def test_item_problems_name_the_index_and_field():
    record, problems = validator("sales").validate_item(
        7, {"sku": "A", "date": "2026-13-01", "units": -2, "colour": "red"}
    )
    assert record is None
    assert sorted((p.row, p.column, p.code) for p in problems) == [
        (7, "colour", "unknown_field"),
        (7, "date", "bad_date"),
        (7, "units", "negative"),
    ]
    assert problems[0].message.startswith("Item 7, field")


def test_missing_required_fields_and_wrong_types_are_reported():
    _record, problems = validator("stock").validate_item(0, {"on_hand": [1, 2]})
    assert sorted((p.column, p.code) for p in problems) == [
        ("on_hand", "wrong_type"),
        ("sku", "required"),
    ]
    _record, problems = validator("stock").validate_item(1, ["not", "an", "object"])
    assert [p.code for p in problems] == ["not_an_object"]


def test_review_items_read_times_and_detect_language():
    record, problems = validator("reviews").validate_item(
        0, {"sku": "A", "body": "质量很好", "rating": 5, "created_at": "2026-03-05T10:00:00Z"}
    )
    assert problems == []
    assert record.created_at == dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)
    assert (record.language, record.source) == ("zh", "import")
