"""Workbooks: native dates and numbers arrive as text the validator reads, cached formula values
are used, and a formula saved without its value is refused with "paste values"."""

import datetime as dt
import zipfile
from decimal import Decimal

from imports.parsing import iter_rows, sniff

from .files import write_xlsx
from .helpers import codes, read_file


def with_cached_value(path, formula: str, value: str):
    """Rewrite the sheet so `formula` carries a computed value, as Excel saves it."""
    with zipfile.ZipFile(path) as source:
        parts = {item.filename: source.read(item) for item in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>"
    ).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_native_dates_numbers_and_sku_numbers_arrive_as_readable_text(tmp_path):
    rows = [
        ["sku", "date", "units", "revenue"],
        [12345, dt.datetime(2026, 3, 5), 3, 59.9],
        ["B", dt.date(2026, 3, 6), 2.0, 10],
    ]
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    assert list(iter_rows(path, sniff(path))) == [
        (2, ["12345", "2026-03-05", "3", "59.9"]),
        (3, ["B", "2026-03-06", "2", "10"]),
    ]
    _preset, records, problems = read_file(path, "sales")
    assert problems == []
    assert (records[0].sku, records[0].date, records[0].revenue) == (
        "12345",
        dt.date(2026, 3, 5),
        Decimal("59.90"),
    )


def test_a_native_date_time_is_read_in_the_merchants_time_zone(tmp_path):
    rows = [
        ["order_number", "sku", "quantity", "ordered_at"],
        ["1", "A", 1, dt.datetime(2026, 3, 5, 23, 30)],
    ]
    path = write_xlsx(tmp_path / "o.xlsx", rows)
    _preset, records, problems = read_file(path, "orders", tz="Asia/Shanghai")
    assert problems == []
    assert records[0].ordered_at.replace(tzinfo=None) == dt.datetime(2026, 3, 5, 23, 30)
    assert records[0].date == dt.date(2026, 3, 5)


def test_a_formula_with_its_cached_value_is_read_as_the_value(tmp_path):
    rows = [["sku", "date", "units"], ["A", "2026-03-05", "=1+1"]]
    path = with_cached_value(write_xlsx(tmp_path / "f.xlsx", rows), "1+1", "2")
    _preset, records, problems = read_file(path, "sales")
    assert problems == []
    assert records[0].units == 2


def test_a_formula_without_a_cached_value_is_refused_asking_to_paste_values(tmp_path):
    rows = [["sku", "title", "price"], ["A", '=CONCAT("a","b")', 1], ["B", "Cup", "=1+1"]]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    _preset, records, problems = read_file(path, "products")
    assert records == []
    assert codes(problems) == [(2, "formula_without_value"), (3, "formula")]
    assert "paste it back as values" in problems[0].message


def test_blank_rows_of_a_sheet_are_skipped_and_numbering_follows_the_sheet(tmp_path):
    rows = [["sku", "on_hand"], ["A", 1], [None, None], ["B", 2]]
    path = write_xlsx(tmp_path / "k.xlsx", rows)
    assert [number for number, _cells in iter_rows(path, sniff(path))] == [2, 4]
