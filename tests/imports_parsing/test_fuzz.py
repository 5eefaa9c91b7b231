"""Fuzzing the parser: sniff + iter_rows + RowValidator on generated garbage never crash.

Three hypothesis properties, each asserting that the only exception is ImportFileError (a clear
whole-file error) and that every row yields a record or problems, never both missing:

- `test_garbage_bytes_never_crash_the_parser`: 1,000 examples (max_examples=1000) of random bytes,
  most of them behind a real file signature (BOMs, zip, OLE, PDF, a GB18030 header line) to
  reach deeper code.
- `test_near_valid_csv_never_crashes_and_every_row_gets_an_answer`: 500 examples of CSV files
  built from real and broken headers and cells (numbers with symbols, dates in many forms,
  formulas, quotes, newlines, delimiters, huge values, Chinese text) in UTF-8, UTF-8 with BOM,
  GB18030 or UTF-16, with any of the four delimiters, written correctly or naively (broken
  quoting), some with limits lowered so the limit errors are reached, validated as any kind.
- `test_damaged_workbooks_never_crash_the_parser`: 300 examples of a valid workbook with bytes
  overwritten, removed or cut off.

deadline=5 s per example (a pathological regex or loop fails it); the three properties take
about 22 s together on one core (measured with `pytest --durations`). Nothing is written
anywhere but a temporary directory: the parser has no database access at all, so there is
nothing it could half-write.
"""

import atexit
import csv
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.parsing import (
    FIELDS,
    KINDS,
    PRESETS,
    RECORD_TYPES,
    ImportFileError,
    RowValidator,
    iter_rows,
    sniff,
    suggest_mapping,
)

from .files import write_xlsx


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=dt.timedelta(seconds=5),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
WORKDIR = Path(tempfile.mkdtemp(prefix="ecomops-fuzz-"))
atexit.register(shutil.rmtree, WORKDIR, True)

SIGNATURES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"%PDF",
    b"sep=;\n",
    "订单编号,商品编码\n".encode("gb18030"),
]

KNOWN_HEADERS = sorted(
    {field.name for fields in FIELDS.values() for field in fields}
    | {
        name
        for preset in PRESETS.values()
        for columns in preset.columns.values()
        for names in columns.values()
        for name in names
    }
)

CELLS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "¥1,234.50",
            "￥１２３",
            "$ 12",
            "1.234,56",
            "(3.00)",
            "12元",
            "=SUM(A1:A3)",
            '="00123"',
            "#N/A",
            "2026-03-05",
            "2026-03-05 14:30:00 -0500",
            "2026/3/5",
            "05/03/2026",
            "25/03/2026",
            "03/25/2026",
            "2026年3月5日",
            "46086",
            "Mar 5, 2026",
            "1999-01-01",
            "2099-01-01",
            "1709647200",
            "03/05/26",
            "交易关闭",
            "退款成功",
            "partially_refunded",
            "voided",
            "好评",
            "★★★☆☆",
            "是",
            "no",
            "active",
            "archived",
            "CNY",
            "Default Title",
            "x" * 300,
        ]
    ),
    # Printable text mostly: control characters make a file binary, tested by the bytes above.
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.text(alphabet='",;\t|\n\r= 0123456789.-/年月日:abc漏水', max_size=30),
)


def run_pipeline(path: Path, kind: str) -> int:
    """Sniff, map, read and validate every row; returns how many rows were answered."""
    try:
        info = sniff(path, filename=path.name)
        preset, mapping = suggest_mapping(kind, info.headers)
        width = max(len(info.headers), 1)
        for position, field in enumerate(f for f in FIELDS[kind] if f.required):
            mapping.setdefault(field.name, position % width)
            if mapping[field.name] in ("", None):
                mapping[field.name] = position % width
        validator = RowValidator(
            kind=kind,
            mapping=mapping,
            options={"preset": preset, "date_order": info.date_order},
            tz="Asia/Shanghai",
            headers=info.headers,
            now=NOW,
        )
        answered = 0
        for number, cells in iter_rows(path, info):
            assert number > info.header_row
            assert all(isinstance(cell, str) for cell in cells)
            record, problems = validator.validate(number, cells)
            assert (record is None) != (problems == []), (record, problems)
            if record is not None:
                assert isinstance(record, RECORD_TYPES[kind])
                assert record.row == number
            for problem in problems:
                assert problem.row == number and problem.code and problem.message
            answered += 1
        return answered
    except ImportFileError as error:
        assert error.code and error.message
        return -1


@fuzz(1000)
@given(st.sampled_from(SIGNATURES), st.binary(max_size=3000), st.sampled_from(KINDS))
def test_garbage_bytes_never_crash_the_parser(signature, data, kind):
    path = WORKDIR / "garbage.csv"
    path.write_bytes(signature + data)
    run_pipeline(path, kind)


@st.composite
def near_valid_csv(draw):
    kind = draw(st.sampled_from(KINDS))
    field_names = [field.name for field in FIELDS[kind]]
    headers = draw(
        st.lists(
            st.one_of(st.sampled_from(field_names), st.sampled_from(KNOWN_HEADERS), CELLS),
            min_size=1,
            max_size=12,
        )
    )
    rows = draw(
        st.lists(
            st.lists(CELLS, min_size=0, max_size=len(headers) + 2),
            max_size=25,
        )
    )
    if draw(st.booleans()):
        rows = [headers] + rows
    else:
        rows = [[draw(st.text(max_size=20))], []] + [headers] + rows
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buffer = io.StringIO()
    if draw(st.booleans()):
        csv.writer(buffer, delimiter=delimiter).writerows(rows)
    else:  # naive join: quotes and delimiters inside cells break the structure
        buffer.write("\n".join(delimiter.join(row) for row in rows))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    limits = draw(
        st.sampled_from(
            [
                {},
                {"IMPORT_MAX_COLUMNS": 5},
                {"IMPORT_MAX_CELL_BYTES": 50, "IMPORT_MAX_LINE_BYTES": 200},
                {"IMPORT_MAX_ROWS": 3},
            ]
        )
    )
    return kind, buffer.getvalue().encode(encoding, errors="replace"), limits


@fuzz(500)
@given(near_valid_csv())
def test_near_valid_csv_never_crashes_and_every_row_gets_an_answer(example):
    kind, data, limits = example
    path = WORKDIR / "near.csv"
    path.write_bytes(data)
    with override_settings(**limits):
        run_pipeline(path, kind)


def _workbook_bytes() -> bytes:
    rows = [
        ["order_number", "sku", "quantity", "amount", "ordered_at", "status"],
        *[[f"{n}", f"S{n % 7}", n % 5, n * 1.5, "2026-03-05 10:00", "paid"] for n in range(40)],
    ]
    path = write_xlsx(WORKDIR / "seed.xlsx", rows)
    return path.read_bytes()


WORKBOOK = _workbook_bytes()


@fuzz(300)
@given(
    st.lists(
        st.tuples(st.integers(0, len(WORKBOOK) - 1), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=6,
    ),
    st.one_of(st.none(), st.integers(0, len(WORKBOOK))),
)
def test_damaged_workbooks_never_crash_the_parser(changes, cut):
    data = bytearray(WORKBOOK)
    for position, replacement in changes:
        data[position : position + len(replacement)] = replacement
    if cut is not None:
        data = data[:cut]
    path = WORKDIR / "damaged.xlsx"
    path.write_bytes(bytes(data))
    run_pipeline(path, "orders")


def test_the_untouched_seed_workbook_reads_every_row():
    path = WORKDIR / "seed-check.xlsx"
    path.write_bytes(WORKBOOK)
    assert run_pipeline(path, "orders") == 40
