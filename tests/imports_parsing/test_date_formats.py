"""A file with dates in five formats: each read, and day/month order settled per file from its
unambiguous rows or the user's choice, never guessed per row."""

import datetime as dt

from imports.parsing import sniff

from .files import write_csv
from .helpers import codes, read_file

FIVE_FORMATS = [
    ["sku", "date", "units"],
    ["A", "2026-03-05", "1"],  # ISO
    ["B", "2026/03/06", "1"],  # year first, slashes
    ["C", "25/03/2026", "1"],  # day first (unambiguous: 25 is no month)
    ["D", "2026年3月7日", "1"],  # Chinese
    ["E", "46091", "1"],  # Excel serial of 2026-03-10
    ["F", "04/03/2026", "1"],  # ambiguous on its own
]


def test_the_date_order_of_a_file_is_taken_from_its_unambiguous_rows(tmp_path):
    path = write_csv(tmp_path / "s.csv", FIVE_FORMATS)
    assert sniff(path).date_order == "DMY"
    _preset, records, problems = read_file(path, "sales")
    assert problems == []
    assert [r.date for r in records] == [
        dt.date(2026, 3, 5),
        dt.date(2026, 3, 6),
        dt.date(2026, 3, 25),
        dt.date(2026, 3, 7),
        dt.date(2026, 3, 10),
        dt.date(2026, 3, 4),
    ]


def test_without_an_unambiguous_row_the_ambiguous_ones_are_refused_not_guessed(tmp_path):
    rows = [r for r in FIVE_FORMATS if r[0] != "C"]
    path = write_csv(tmp_path / "s.csv", rows)
    assert sniff(path).date_order == ""
    _preset, records, problems = read_file(path, "sales")
    assert codes(problems) == [(6, "ambiguous_date")]
    assert "day first or month first" in problems[0].message
    assert len(records) == 4


def test_the_users_choice_of_date_order_reads_the_ambiguous_rows(tmp_path):
    rows = [r for r in FIVE_FORMATS if r[0] != "C"]
    path = write_csv(tmp_path / "s.csv", rows)
    _preset, records, problems = read_file(path, "sales", options={"date_order": "MDY"})
    assert problems == []
    assert records[-1].date == dt.date(2026, 4, 3)


def test_a_file_mixing_both_orders_stays_undecided_and_refuses_only_ambiguous_rows(tmp_path):
    rows = [["sku", "date", "units"], ["A", "25/03/2026", "1"], ["B", "03/25/2026", "1"]]
    rows.append(["C", "03/04/2026", "1"])
    path = write_csv(tmp_path / "s.csv", rows)
    assert sniff(path).date_order == ""
    _preset, records, problems = read_file(path, "sales")
    assert [r.date for r in records] == [dt.date(2026, 3, 25), dt.date(2026, 3, 25)]
    assert codes(problems) == [(4, "ambiguous_date")]


def test_a_row_against_the_chosen_order_is_refused(tmp_path):
    rows = [["sku", "date", "units"], ["A", "03/25/2026", "1"]]
    path = write_csv(tmp_path / "s.csv", rows)
    _preset, _records, problems = read_file(path, "sales", options={"date_order": "DMY"})
    assert codes(problems) == [(2, "date_order_mismatch")]
