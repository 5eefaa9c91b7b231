"""The shared writers: CSV with a byte-order mark and ISO values, a workbook that openpyxl
reads back, formula text neutralised, numbers left as numbers."""

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

from openpyxl import load_workbook

from core.exports import (
    BOOL,
    CSV_CHUNK_CHARS,
    DATE,
    DATETIME,
    INT,
    MONEY,
    NUMBER,
    PERCENT,
    TEXT,
    Column,
    csv_lines,
    neutralise,
    sheet_title,
    xlsx_write,
)

from .helpers import FORMULAS

COLUMNS = [
    Column("Text", TEXT, lambda r: r["text"]),
    Column("Int", INT, lambda r: r["int"]),
    Column("Number", NUMBER, lambda r: r["number"], decimals=2),
    Column("Share", PERCENT, lambda r: r["share"]),
    Column("Money (CNY)", MONEY, lambda r: r["money"]),
    Column("Day", DATE, lambda r: r["day"]),
    Column("When (Asia/Shanghai)", DATETIME, lambda r: r["when"]),
    Column("Flag", BOOL, lambda r: r["flag"]),
]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ROW = {
    "text": "保温杯 500ml",
    "int": -3,
    "number": -1.5,
    "share": 0.125,
    "money": Decimal("-12.5"),
    "day": dt.date(2026, 3, 1),
    "when": dt.datetime(2026, 3, 1, 1, 2, 3, 456, tzinfo=dt.UTC),
    "flag": True,
}


def _csv(rows) -> str:
    return "".join(csv_lines(rows, columns=COLUMNS, tz=SHANGHAI))


def _workbook(rows):
    file = io.BytesIO()
    xlsx_write(rows, columns=COLUMNS, file=file, title="Test", tz=SHANGHAI)
    file.seek(0)
    return load_workbook(file).active


def test_the_csv_starts_with_a_byte_order_mark_and_writes_iso_values():
    text = _csv([ROW])
    assert text.startswith("\ufeffText,Int,Number,Share (%),Money (CNY),Day,When (Asia/Shanghai)")
    line = text.splitlines()[1]
    assert line == "保温杯 500ml,-3,-1.50,12.5,-12.50,2026-03-01,2026-03-01T09:02:03+08:00,yes"


def test_text_a_spreadsheet_would_run_gets_an_apostrophe_in_csv():
    for payload in FORMULAS:
        assert neutralise(payload) == "'" + payload
    assert neutralise("\tcmd") == "'\tcmd" and neutralise("\rcmd") == "'\rcmd"
    assert neutralise("plain 中文") == "plain 中文"


def test_a_negative_number_stays_a_number_in_both_formats():
    assert ",-3,-1.50," in _csv([ROW])
    sheet = _workbook([ROW])
    assert sheet["B2"].value == -3 and sheet["B2"].data_type == "n"
    assert sheet["E2"].value == -12.5 and sheet["E2"].data_type == "n"


def test_workbook_formula_text_is_a_string_cell_never_a_formula():
    sheet = _workbook([{**ROW, "text": payload} for payload in FORMULAS])
    for row, payload in enumerate(FORMULAS, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.value == payload and cell.data_type == "s"


def test_the_workbook_holds_typed_cells_and_local_times():
    sheet = _workbook([ROW])
    assert sheet["A2"].value == "保温杯 500ml"
    assert sheet["D2"].value == 0.125 and sheet["D2"].number_format == "0.0%"
    assert sheet["F2"].value == dt.datetime(2026, 3, 1)
    assert sheet["G2"].value == dt.datetime(2026, 3, 1, 9, 2, 3)  # Shanghai wall time
    assert sheet["H2"].value is True
    assert sheet["C2"].number_format == "#,##0.00"


def test_control_characters_and_giant_cells_do_not_break_the_workbook():
    sheet = _workbook([{**ROW, "text": "bad\x00\x07text" + "x" * 40000}])
    value = sheet["A2"].value
    assert value.startswith("badtext") and len(value) == 32767


def test_empty_values_are_empty_cells():
    empty = dict.fromkeys(ROW)
    assert _csv([empty]).splitlines()[1] == ",,,,,,,"
    sheet = _workbook([empty])
    assert all(cell.value is None for cell in sheet[2])


def test_csv_lines_are_sent_in_pieces_not_one_write_per_row():
    pieces = list(csv_lines([ROW] * 2000, columns=COLUMNS))
    assert 1 < len(pieces) < 2000
    assert all(len(piece) < CSV_CHUNK_CHARS + 500 for piece in pieces)


def test_the_rows_are_read_lazily_while_the_csv_is_sent():
    consumed = []

    def rows():
        for index in range(5000):
            consumed.append(index)
            yield ROW

    lines = csv_lines(rows(), columns=COLUMNS)
    next(lines)
    assert 0 < len(consumed) < 5000


def test_a_sheet_title_is_one_excel_accepts():
    assert sheet_title("Plan: [Q1]/Q2?") == "Plan   Q1  Q2"
    assert len(sheet_title("x" * 50)) == 31
