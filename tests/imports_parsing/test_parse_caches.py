"""The validator remembers the date and time cells it read (orders repeat an order's time on
each of its lines; a file spans a few hundred days): a remembered cell gives exactly what
reading it again would, a refused cell is refused every time, and a row's problems name that
row."""

import datetime as dt

import imports.parsing.validate as validate
from imports.parsing import RowValidator
from tests.imports_parsing.helpers import NOW

ORDER_HEADERS = ["order_number", "sku", "quantity", "amount", "ordered_at"]
SALES_HEADERS = ["sku", "date", "units"]

TIMES = [
    "2025-03-05 14:30:00",
    "2025-03-05 14:30:00",  # the next line of the same order
    "2025-03-05T14:30:00+08:00",
    "2025-03-05 14:30:00",  # the first again, after another
    " 2025-03-05 14:30 ",
    "2025/3/5 14:30",
    "05/03/2025 14:30",  # day first in this file
    "2025-11-02 01:30:00",  # the hour America/New_York lives twice
    "1999-12-31 23:00:00",  # before 2000: refused
    "1999-12-31 23:00:00",  # ... every time
    "2099-01-01 00:00:00",  # the future: refused
    "not a date",
    "not a date",
    "45722.5",  # an Excel serial
    "1741185000",  # Unix seconds, UTC
    "1741185000",
    "2025-03-05 14:30:00",
]
DAYS = [
    "2025-03-05",
    "2025-03-05",
    "05/03/2025",
    "2025年3月5日",
    "2025-03-05",
    "20250305",
    "31/12/2025",
    "31/12/2025",
    "13/13/2025",
    "13/13/2025",
    "1999-01-01",
    "1999-01-01",
    "2025-02-29",
    "2025-02-29",
    "45722",
    "2025-03-05",
]


def _orders(now=NOW):
    return RowValidator(
        kind="orders",
        mapping={name: name for name in ORDER_HEADERS},
        options={"date_order": "DMY"},
        tz="America/New_York",
        headers=ORDER_HEADERS,
        now=now,
    )


def _sales(order="DMY"):
    return RowValidator(
        kind="sales",
        mapping={name: name for name in SALES_HEADERS},
        options={"date_order": order},
        tz="Asia/Shanghai",
        headers=SALES_HEADERS,
        now=NOW,
    )


def test_order_times_read_once_give_what_a_fresh_reading_gives():
    shared = _orders()
    for number, moment in enumerate(TIMES, start=2):
        # One order per two rows, so repeated times are also an order's next line.
        cells = [f"#{number // 2}", f"S-{number}", "1", "9.90", moment]
        remembered = shared.validate(number, cells)
        fresh = _orders().validate(number, list(cells))

        assert remembered == fresh, moment
        record, problems = remembered
        if record is not None:
            assert record.ordered_at.tzinfo is not None
            assert record.date == record.ordered_at.astimezone(shared.tz).date()
        for problem in problems:
            assert problem.row == number


def test_a_refused_time_is_refused_on_every_row_that_has_it():
    validator = _orders()
    rows = [
        validator.validate(number, [f"#{number}", "S-1", "1", "9.90", "1999-12-31 23:00:00"])
        for number in range(2, 6)
    ]

    assert all(record is None for record, _problems in rows)
    assert [problems[0].row for _record, problems in rows] == [2, 3, 4, 5]
    assert {problems[0].code for _record, problems in rows} == {"date_out_of_range"}


def test_the_repeated_hour_of_a_dst_change_keeps_the_same_reading():
    validator = _orders()
    first, _ = validator.validate(2, ["#1", "S-1", "1", "9.90", "2025-11-02 01:30:00"])
    second, _ = validator.validate(3, ["#1", "S-2", "1", "9.90", "2025-11-02 01:30:00"])

    assert first.ordered_at == second.ordered_at
    assert first.ordered_at.utcoffset() == second.ordered_at.utcoffset()


def test_sales_days_read_once_give_what_a_fresh_reading_gives():
    for order in ("DMY", "MDY", ""):
        shared = _sales(order)
        for number, day in enumerate(DAYS, start=2):
            cells = ["S-1", day, "3"]
            assert shared.validate(number, cells) == _sales(order).validate(number, cells), (
                order,
                day,
            )


def test_the_remembered_days_are_bounded(monkeypatch):
    monkeypatch.setattr(validate, "DATE_CACHE_SIZE", 10)
    validator = _sales()
    start = dt.date(2024, 1, 1)
    for offset in range(40):
        day = start + dt.timedelta(days=offset)
        record, problems = validator.validate(offset + 2, ["S-1", day.isoformat(), "1"])
        assert not problems
        assert record.date == day
    for offset in range(40):  # the forgotten ones are read again, the same
        day = start + dt.timedelta(days=offset)
        record, _problems = validator.validate(offset + 50, ["S-1", day.isoformat(), "1"])
        assert record.date == day
