"""Order lines: Shopify- and Taobao-style exports become lines with net units, refunds and
cancellations, on the merchant's local date."""

import datetime as dt
from decimal import Decimal

from imports.parsing import RowValidator

from .files import write_csv
from .helpers import codes, read_file

HEADERS = ["order_number", "sku", "quantity", "amount", "ordered_at", "status"]


def lines(records):
    return {
        (r.order_number, r.line_key): (
            r.quantity,
            r.refunded_quantity,
            r.refunded_amount,
            r.cancelled,
        )
        for r in records
    }


def test_a_shopify_export_reads_every_line_with_refunds_and_cancellations(shopify_orders):
    preset, records, problems = read_file(shopify_orders, "orders")
    assert preset == "shopify"
    assert problems == []
    got = lines(records)
    assert len(records) == 10
    # Price x quantity, no amount column in the export.
    assert records[0].amount == Decimal("59.90")
    # partially_refunded with the order's 21.95 refund: one unit of the first line only.
    assert got[("#1043", "DRK-GLS-MNT")] == (2, 1, Decimal("21.95"), False)
    assert got[("#1043", "APP-SCK-L-OAT")] == (3, 0, Decimal("0.00"), False)
    assert got[("#1044", "HTX-THR-HRB-MUS")][3] is True  # voided, Cancelled at set
    assert got[("#1046", "BEA-SRM-10")] == (1, 1, Decimal("35.95"), False)  # refunded


def test_shopify_times_with_an_offset_land_on_the_merchants_local_date(shopify_orders):
    _preset, records, _problems = read_file(shopify_orders, "orders", tz="Asia/Shanghai")
    first = records[2]  # #1042, 2026-03-02 13:39:58 -0500 = 03-03 02:39 in Shanghai
    assert first.ordered_at.utcoffset() == dt.timedelta(hours=-5)
    assert first.date == dt.date(2026, 3, 3)
    _preset, records, _problems = read_file(shopify_orders, "orders", tz="America/New_York")
    assert records[2].date == dt.date(2026, 3, 2)


def test_a_taobao_export_in_gb18030_reads_sub_orders_refunds_and_closed_orders(taobao_orders):
    preset, records, problems = read_file(taobao_orders, "orders", tz="Asia/Shanghai")
    assert preset == "taobao"
    assert problems == []
    got = lines(records)
    assert got[("3398214402871564", "3398214402871565")] == (2, 0, Decimal("0.00"), False)
    # 退款金额 21.95 of 43.90 paid for two: one unit refunded.
    assert got[("3399123645508812", "3399123645508813")] == (2, 1, Decimal("21.95"), False)
    assert got[("3399017284456730", "3399017284456730")][3] is True  # 交易关闭
    assert records[0].ordered_at == dt.datetime(
        2026, 3, 2, 10, 15, 32, tzinfo=records[0].ordered_at.tzinfo
    )
    assert str(records[0].ordered_at.tzinfo) == "Asia/Shanghai"
    assert records[0].title == "Summit 保温杯 750ml 银色"


def test_order_level_cells_blank_on_later_lines_are_taken_from_the_orders_first_line(tmp_path):
    rows = [
        [
            "Name",
            "Lineitem sku",
            "Lineitem quantity",
            "Lineitem price",
            "Created at",
            "Financial Status",
        ],
        ["#1", "A", "1", "10", "2026-03-02 09:00:00 +0800", "refunded"],
        ["#1", "B", "2", "5", "", ""],
        ["#2", "C", "1", "5", "", "paid"],
    ]
    _preset, records, problems = read_file(write_csv(tmp_path / "o.csv", rows), "orders")
    assert [(r.sku, r.refunded_quantity, r.date) for r in records] == [
        ("A", 1, dt.date(2026, 3, 2)),
        ("B", 2, dt.date(2026, 3, 2)),
    ]
    assert codes(problems) == [(4, "required")]
    assert "Created at" in problems[0].message and "Row 4" in problems[0].message


def test_a_second_line_of_the_same_sku_gets_its_own_key_and_a_repeated_row_is_refused(tmp_path):
    rows = [
        HEADERS,
        ["1001", "A", "1", "10", "2026-03-02 10:00", "paid"],
        ["1001", "A", "2", "18", "2026-03-02 10:00", "paid"],
        ["1001", "A", "2", "18", "2026-03-02 10:00", "paid"],
    ]
    _preset, records, problems = read_file(write_csv(tmp_path / "o.csv", rows), "orders")
    assert [r.line_key for r in records] == ["A", "A#2"]
    assert codes(problems) == [(4, "duplicate_row")]
    assert "row 3" in problems[0].message


def test_negative_absurd_and_formula_quantities_are_refused_with_row_column_and_value(tmp_path):
    rows = [
        HEADERS,
        ["1", "A", "-3", "10", "2026-03-02", "paid"],
        ["2", "A", "99999999", "10", "2026-03-02", "paid"],
        ["3", "A", "=B2*2", "10", "2026-03-02", "paid"],
        ["4", "A", "2.5", "10", "2026-03-02", "paid"],
        ["5", "A", "2", "-10", "2026-03-02", "paid"],
        ["6", "A", "2", "1e12", "2026-03-02", "paid"],
    ]
    _preset, records, problems = read_file(write_csv(tmp_path / "o.csv", rows), "orders")
    assert records == []
    assert codes(problems) == [
        (2, "negative"),
        (3, "too_large"),
        (4, "formula"),
        (5, "not_whole"),
        (6, "negative"),
        (7, "too_large"),
    ]
    first = problems[0]
    assert (first.column, first.value) == ("quantity", "-3")
    assert first.message.startswith("Row 2, column “quantity”: “-3” is negative")


def test_dates_before_2000_or_in_the_future_are_refused(tmp_path):
    rows = [
        HEADERS,
        ["1", "A", "1", "1", "1999-12-31", "paid"],
        ["2", "A", "1", "1", "2026-12-09 10:00", "paid"],
        ["3", "A", "1", "1", "2026-12-08 07:00", "paid"],
    ]
    _preset, records, problems = read_file(write_csv(tmp_path / "o.csv", rows), "orders")
    assert codes(problems) == [(2, "date_out_of_range"), (3, "date_out_of_range")]
    assert [r.order_number for r in records] == ["3"]


def test_more_refunded_units_than_ordered_are_refused(tmp_path):
    rows = [
        HEADERS + ["refunded_quantity"],
        ["1", "A", "2", "10", "2026-03-02", "paid", "3"],
    ]
    _preset, _records, problems = read_file(write_csv(tmp_path / "o.csv", rows), "orders")
    assert codes(problems) == [(2, "refund_exceeds_quantity")]
    assert problems[0].column == "refunded_quantity"


def test_every_problem_of_a_row_is_reported_at_once(tmp_path):
    rows = [HEADERS, ["", "", "x", "y", "z", ""]]
    _preset, _records, problems = read_file(write_csv(tmp_path / "o.csv", rows), "orders")
    assert sorted(p.code for p in problems) == [
        "bad_date",
        "not_a_number",
        "not_a_number",
        "required",
        "required",
    ]


def test_the_validator_refuses_a_mapping_that_misses_a_required_field():
    import pytest

    from imports.parsing import ImportFileError

    with pytest.raises(ImportFileError) as caught:
        RowValidator(kind="orders", mapping={"sku": "sku"}, headers=["sku"])
    assert caught.value.code == "invalid_mapping"
    assert "Order number" in caught.value.message


def test_a_line_whose_price_times_quantity_is_absurd_is_refused(tmp_path):
    rows = [
        ["order_number", "sku", "quantity", "unit_price", "ordered_at"],
        ["1", "A", "900000", "9000000", "2026-03-02"],
        ["2", "A", "3", "9.90", "2026-03-02"],
    ]
    _preset, records, problems = read_file(write_csv(tmp_path / "o.csv", rows), "orders")
    assert codes(problems) == [(2, "too_large")]
    assert problems[0].column == "unit_price"
    assert records[0].amount == Decimal("29.70")
