"""Cells are read the way merchants' files write numbers, money, dates, flags and codes."""

import datetime as dt
from decimal import Decimal

import pytest

from imports.parsing import values
from imports.parsing.values import ValueProblem


@pytest.mark.parametrize(
    "text, expected",
    [("12", 12), (" 7 ", 7), ("1,200", 1200), ("１２", 12), ("12.0", 12), ("+3", 3), ("(4)", -4)],
)
def test_whole_numbers_are_read_in_their_common_spellings(text, expected):
    assert values.to_int(text) == expected


@pytest.mark.parametrize("text", ["12.5", "abc", "1.234", "", "1 2 3 4", "12e"])
def test_things_that_are_not_whole_numbers_are_refused(text):
    with pytest.raises(ValueProblem):
        values.to_int(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12.5", "12.50"),
        ("¥1,234.50", "1234.50"),
        ("￥１２３．４", "123.40"),
        ("$ 12", "12.00"),
        ("€3,50", "3.50"),
        ("1.234,56", "1234.56"),
        ("£0.999", "1.00"),
        ("(3.00)", "-3.00"),
        ("12元", "12.00"),
        ("CNY 8.8", "8.80"),
        ("12.50 USD", "12.50"),
        ("1'234.50", "1234.50"),
    ],
)
def test_amounts_are_read_with_symbols_separators_and_full_width_digits(text, expected):
    assert values.to_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "12..5", "1,2,3", "1e400", "¥", "#N/A"])
def test_things_that_are_not_amounts_are_refused(text):
    with pytest.raises(ValueProblem):
        values.to_decimal(text)


def test_a_formula_in_a_number_cell_is_named_as_a_formula():
    with pytest.raises(ValueProblem) as caught:
        values.to_decimal("=SUM(B2:B9)")
    assert caught.value.code == "formula"
    assert "formula" in caught.value.message


def test_a_spreadsheet_error_value_is_named_as_such():
    with pytest.raises(ValueProblem) as caught:
        values.to_int("#DIV/0!")
    assert caught.value.code == "spreadsheet_error"


def test_negative_and_absurd_quantities_are_refused():
    assert values.quantity("5", 100) == 5
    with pytest.raises(ValueProblem) as negative:
        values.quantity("-3", 100)
    with pytest.raises(ValueProblem) as absurd:
        values.quantity("1000000000", 100)
    assert (negative.value.code, absurd.value.code) == ("negative", "too_large")
    assert "1,000,000,000" not in absurd.value.message or "100" in absurd.value.message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-05", dt.datetime(2024, 3, 5)),
        ("2024/3/5", dt.datetime(2024, 3, 5)),
        ("2024.03.05 14:30", dt.datetime(2024, 3, 5, 14, 30)),
        ("20240305", dt.datetime(2024, 3, 5)),
        ("2024年3月5日", dt.datetime(2024, 3, 5)),
        ("2024年3月5日 14时30分", dt.datetime(2024, 3, 5, 14, 30)),
        ("Mar 5, 2024", dt.datetime(2024, 3, 5)),
        ("5 March 2024 2:30 PM", dt.datetime(2024, 3, 5, 14, 30)),
        ("45356", dt.datetime(2024, 3, 5)),
        ("45356.5", dt.datetime(2024, 3, 5, 12)),
        ("25/03/2024", dt.datetime(2024, 3, 25)),
        ("03/25/2024", dt.datetime(2024, 3, 25)),
        ("05/05/2024", dt.datetime(2024, 5, 5)),
    ],
)
def test_dates_are_read_in_their_common_forms(text, expected):
    value, _has_time, aware = values.parse_datetime_text(text)
    assert (value, aware) == (expected, False)


@pytest.mark.parametrize(
    "text, offset_hours",
    [
        ("2026-03-02 09:14:40 -0500", -5),
        ("2024-03-05T14:30:00Z", 0),
        ("2024-03-05 14:30 UTC+8", 8),
        ("2024/03/05 14:30:00 +08:00", 8),
    ],
)
def test_times_with_an_offset_keep_it(text, offset_hours):
    value, has_time, aware = values.parse_datetime_text(text)
    assert has_time and aware
    assert value.utcoffset() == dt.timedelta(hours=offset_hours)


def test_unix_timestamps_are_read_as_utc():
    value, _has_time, aware = values.parse_datetime_text("1709647200")
    assert aware and value == dt.datetime(2024, 3, 5, 14, 0, tzinfo=dt.UTC)
    assert values.parse_datetime_text("1709647200000")[0] == value


def test_a_zero_padded_spreadsheet_serial_as_long_as_a_timestamp_is_read_as_a_local_time():
    # Found by the fuzz test: ten characters once passed for a (UTC) timestamp.
    value, _has_time, aware = values.parse_datetime_text("00045356.5")
    assert not aware and value == dt.datetime(2024, 3, 5, 12, 0)


def test_an_ambiguous_day_month_date_is_refused_unless_the_order_is_known():
    with pytest.raises(ValueProblem) as caught:
        values.parse_datetime_text("03/05/2024")
    assert caught.value.code == "ambiguous_date"
    assert values.parse_datetime_text("03/05/2024", "DMY")[0] == dt.datetime(2024, 5, 3)
    assert values.parse_datetime_text("03/05/2024", "MDY")[0] == dt.datetime(2024, 3, 5)


def test_a_date_against_the_files_date_order_is_refused():
    with pytest.raises(ValueProblem) as caught:
        values.parse_datetime_text("03/25/2024", "DMY")
    assert caught.value.code == "date_order_mismatch"


@pytest.mark.parametrize("text", ["03/05/24", "2024-02-30", "32/01/2024", "yesterday", "1" * 200])
def test_impossible_or_two_digit_year_dates_are_refused(text):
    with pytest.raises(ValueProblem):
        values.parse_datetime_text(text)


@pytest.mark.parametrize(
    "text, expected",
    [("yes", True), ("TRUE", True), ("1", True), ("是", True), ("no", False), ("否", False)],
)
def test_yes_and_no_are_read_in_english_and_chinese(text, expected):
    assert values.to_bool(text) is expected


@pytest.mark.parametrize(
    "text, stars", [("5", 5), ("4.0", 4), ("★★★☆☆", 3), ("好评", 5), ("中评", 3), ("差评", 1)]
)
def test_ratings_are_read_as_stars(text, stars):
    assert values.to_rating(text) == stars


@pytest.mark.parametrize("text", ["0", "6", "4.5", "great"])
def test_ratings_outside_one_to_five_are_refused(text):
    with pytest.raises(ValueProblem):
        values.to_rating(text)


@pytest.mark.parametrize(
    "status, meaning",
    [
        ("paid", ""),
        ("交易成功", ""),
        ("等待买家付款", ""),
        ("卖家已发货，等待买家确认", ""),
        ("voided", "cancelled"),
        ("Cancelled", "cancelled"),
        ("交易关闭", "cancelled"),
        ("refunded", "refunded"),
        ("退款成功", "refunded"),
        ("已退款", "refunded"),
        ("partially_refunded", "partially_refunded"),
        ("部分退款", "partially_refunded"),
        ("退款关闭", ""),
        ("没有申请退款", ""),
        ("closed", ""),
    ],
)
def test_order_statuses_in_english_and_chinese_are_classified(status, meaning):
    assert values.order_status_class(status) == meaning


def test_excels_text_wrapper_around_long_order_numbers_is_removed():
    assert values.identifier(' ="3398214402871564" ') == "3398214402871564"
    assert values.identifier("\tSKU-1 ") == "SKU-1"


def test_currency_symbols_and_chinese_names_become_iso_codes():
    assert [values.to_currency(v) for v in ("usd", "¥", "人民币", "RMB", "€")] == [
        "USD",
        "CNY",
        "CNY",
        "CNY",
        "EUR",
    ]
    with pytest.raises(ValueProblem):
        values.to_currency("dollars")


def test_product_statuses_include_shopify_and_taobao_words():
    assert values.to_product_status("archived") == "discontinued"
    assert values.to_product_status("出售中") == "active"
    assert values.to_product_status("仓库中") == "draft"
