"""Reading a whole file through sniff, suggest_mapping, iter_rows and RowValidator."""

import datetime as dt

from imports.parsing import RowValidator, iter_rows, sniff, suggest_mapping

NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)


def read_file(path, kind, *, options=None, tz="Asia/Shanghai", mapping=None, now=NOW):
    """(preset, records, problems) of a file, as the loader would read it."""
    info = sniff(path, filename=path.name)
    preset, suggested = suggest_mapping(kind, info.headers)
    validator = RowValidator(
        kind=kind,
        mapping=mapping if mapping is not None else suggested,
        options={"preset": preset, "date_order": info.date_order, **(options or {})},
        tz=tz,
        headers=info.headers,
        now=now,
    )
    records, problems = [], []
    for number, cells in iter_rows(path, info):
        record, found = validator.validate(number, cells)
        assert (record is None) == bool(found)
        if record is not None:
            records.append(record)
        problems.extend(found)
    return preset, records, problems


def codes(problems):
    return [(problem.row, problem.code) for problem in problems]
