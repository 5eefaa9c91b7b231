"""Per-merchant threshold overrides: defaults, coercion, validation errors that name the key."""

from dataclasses import fields
from decimal import Decimal

import pytest

from crisis.detectors.config import (
    THRESHOLD_FIELDS,
    Thresholds,
    thresholds_as_json,
    thresholds_from_overrides,
)


def test_no_overrides_give_the_documented_defaults():
    assert thresholds_from_overrides({}) == Thresholds()
    assert thresholds_from_overrides(None) == Thresholds()


def test_overrides_replace_only_the_fields_they_name():
    thresholds = thresholds_from_overrides(
        {"stockout_min_probability": 0.8, "overstock_min_value": "2500", "review_window_days": 7}
    )
    assert thresholds.stockout_min_probability == 0.8
    assert thresholds.overstock_min_value == Decimal("2500.00")
    assert thresholds.review_window_days == 7
    assert thresholds.sales_drop_cusum_threshold == Thresholds().sales_drop_cusum_threshold


def test_numbers_may_come_as_strings_from_a_form():
    thresholds = thresholds_from_overrides({"rating_min_reviews": "12", "rating_min_drop": "0.7"})
    assert thresholds.rating_min_reviews == 12
    assert thresholds.rating_min_drop == pytest.approx(0.7)


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"no_such_threshold": 1}, "no_such_threshold"),
        ({"stockout_min_probability": 1.5}, "stockout_min_probability"),
        ({"stockout_min_probability": "likely"}, "stockout_min_probability"),
        ({"review_window_days": 7.5}, "review_window_days"),
        ({"review_min_negatives": True}, "review_min_negatives"),
        ({"overstock_min_value": "lots"}, "overstock_min_value"),
        ({"overstock_min_value": "NaN"}, "overstock_min_value"),
        ({"sales_drop_window_days": 365}, "sales_drop_window_days"),
        ({"severity_high_money": 500}, "severity_high_money"),
    ],
)
def test_a_bad_override_is_refused_with_a_message_naming_its_key(overrides, key):
    with pytest.raises(ValueError) as error:
        thresholds_from_overrides(overrides)
    assert str(error.value).startswith(f"{key}:")


def test_overrides_must_be_an_object():
    with pytest.raises(ValueError):
        thresholds_from_overrides([("stockout_min_probability", 0.6)])


def test_the_settings_form_fields_cover_every_threshold_with_its_default_in_range():
    assert [field.name for field in THRESHOLD_FIELDS] == [f.name for f in fields(Thresholds)]
    for field in THRESHOLD_FIELDS:
        assert field.type in ("int", "float", "money")
        assert field.min <= float(field.default) <= field.max, field.name
        assert str(field.label) and str(field.help)


def test_thresholds_as_json_round_trips_through_the_overrides():
    thresholds = thresholds_from_overrides(
        {"overstock_min_value": "1234.5", "review_p_value": 1e-4}
    )
    assert thresholds_from_overrides(thresholds_as_json(thresholds)) == thresholds
