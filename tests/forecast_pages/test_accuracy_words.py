"""Forecast accuracy in words an operator understands."""

import pytest

from forecasting.models import SkuForecast
from forecasting.templatetags.forecast_tags import (
    accuracy_sentence,
    accuracy_short,
    markdown_summary,
)


def forecast(**fields) -> SkuForecast:
    values = {"frequency": "D", "mae": 3.2, "coverage": 0.81, "borrowed_from_category": False}
    values.update(fields)
    return SkuForecast(**values)


@pytest.mark.parametrize(
    "fields, sentence",
    [
        (
            {},
            "Typically off by about 3 units a day; the likely range (P10–P90) held 81% of days "
            "in testing.",
        ),
        ({"mae": 1.04, "coverage": None}, "Typically off by about 1 unit a day."),
        ({"mae": 0.36, "coverage": None}, "Typically off by about 0.4 units a day."),
        ({"mae": 0.01, "coverage": None}, "Typically off by less than 0.1 units a day."),
        ({"mae": 1234.4, "coverage": None}, "Typically off by about 1,234 units a day."),
        (
            {"frequency": "W", "mae": 12.6, "coverage": 0.774},
            "Typically off by about 13 units a week; the likely range (P10–P90) held 77% of "
            "weeks in testing.",
        ),
        ({"mae": None, "coverage": 0.8}, "The likely range (P10–P90) held 80% of days in testing."),
        ({"mae": None, "coverage": None}, "Not enough history to test this forecast yet."),
        ({"mae": float("nan"), "coverage": None}, "Not enough history to test this forecast yet."),
    ],
)
def test_the_accuracy_sentence(fields, sentence):
    assert accuracy_sentence(forecast(**fields)) == sentence


def test_a_forecast_borrowed_from_the_category_says_so():
    text = accuracy_sentence(forecast(borrowed_from_category=True))
    assert text.endswith("Little sales history yet: the forecast leans on its category.")


def test_no_forecast_is_said_plainly():
    assert accuracy_sentence(None) == "No forecast yet."
    assert accuracy_short(None) == "no forecast"


@pytest.mark.parametrize(
    "fields, short",
    [
        ({}, "± 3 a day"),
        ({"frequency": "W", "mae": 0.5}, "± 0.5 a week"),
        ({"mae": None}, "not tested yet"),
    ],
)
def test_the_short_accuracy_of_the_plan_table(fields, short):
    assert accuracy_short(forecast(**fields)) == short


def test_a_plan_without_a_markdown_has_no_markdown_text():
    class Plan:
        markdown = {}

    assert markdown_summary(Plan(), "USD") == ""
