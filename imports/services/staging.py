"""Staging tables and set-based upserts: how validated records reach the domain tables.

An import never writes a domain row one at a time. Valid records go to a TEMP staging table as
they are read (PostgreSQL: `COPY` from a buffer, through psycopg 3's `cursor.copy()`; other
databases: batched `executemany`), and the load is a handful of statements over whole tables:

1. **classify**: the staged rows, the last one of each natural key (a duplicate key in one file:
   the later row wins), are joined to the target table on that key into a work table that
   says, per row, *new*, *changed* or *unchanged*. A staged NULL means "not given": the stored
   value is kept (an empty cell never erases data), a new row gets the column's default;
2. **write**: `INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE ... WHERE (stored values) IS
   DISTINCT FROM (excluded values)` for the new and changed rows only, so an unchanged row is
   not even rewritten and a row a concurrent writer inserted in between becomes an update;
3. the counts (created, updated, unchanged, duplicates) come from the work table, the same way
   on every database.

On PostgreSQL the three are one statement: the work table is a CTE that the write (and the
caller's follow-up inserts) read, so an import streamed in chunks creates, analyzes and drops
no table per chunk. Text keys are sorted in the "C" collation (`Upsert.text_key`).

The SQL is the same on PostgreSQL and SQLite (both have `ON CONFLICT ... DO UPDATE`, window
functions and `UPDATE ... FROM`); only the operator spelling of "is distinct from", the column
types of the temporary tables and the CTE-or-table form of the work table differ. Every
statement runs inside the caller's transaction: the caller decides what is all-or-nothing.

Table and column names in the SQL built here come from the model definitions in this package,
never from a file; values always travel as parameters or through COPY.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

# Logical column types of staging tables -> (PostgreSQL, SQLite) column types.
_TYPES = {
    "text": ("text", "text"),
    "int": ("bigint", "integer"),
    "decimal": ("numeric", "decimal"),
    "date": ("date", "date"),
    "datetime": ("timestamptz", "datetime"),
    "bool": ("boolean", "bool"),
    "json": ("jsonb", "text"),
}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def distinct_op() -> str:
    """NULL-safe "differs": SQLite's `IS NOT` is PostgreSQL's `IS DISTINCT FROM`."""
    return "IS DISTINCT FROM" if is_postgresql() else "IS NOT"


def temp_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def execute(sql: str, params: Sequence = ()) -> int:
    """Run one statement; returns its row count."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetchall(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def drop_table(name: str) -> None:
    execute(f"DROP TABLE IF EXISTS {name}")


def empty_table(name: str) -> None:
    """Empty a temporary table between chunks. PostgreSQL: TRUNCATE, since the dead rows of a
    DELETE could not be vacuumed before the import's transaction ends, and every later scan of
    the table would read them again."""
    if is_postgresql():
        execute(f"TRUNCATE {name}")
    else:
        execute(f"DELETE FROM {name}")  # noqa: S608


def analyze(name: str) -> None:
    """Temporary tables get no statistics from autovacuum; the planner needs row counts to pick
    hash joins over nested loops on a million rows."""
    if is_postgresql():
        execute(f"ANALYZE {name}")


# --- Staging ------------------------------------------------------------------------------------


class Stage:
    """A TEMP table that collects one import's valid records until they are loaded.

    `columns` are (name, logical type) pairs; a `seq` column (the row's position in the file)
    is added first, so that the last of several rows with one natural key wins. `add()` buffers
    a tuple of values in column order and writes every `batch_rows` rows: memory stays at one
    batch whatever the size of the file.

    The table lives in the database session, outside any transaction, so the rows read so far
    survive the progress reports made in between; `drop()` (or the end of the session, should
    the worker die) removes it.
    """

    def __init__(self, *, columns: Sequence[tuple[str, str]], batch_rows: int = 10_000):
        self.name = temp_name("import_stage")
        self.columns = [("seq", "int"), *columns]
        self.batch_rows = max(1, batch_rows)
        self.rows = 0
        self._buffer: list[tuple] = []
        self._created = False
        index = 0 if is_postgresql() else 1
        self._sql_types = [_TYPES[kind][index] for _, kind in self.columns]
        self._adapters = [_sqlite_adapter(kind) for _, kind in self.columns]

    def create(self) -> Stage:
        columns = ", ".join(
            f"{name} {sql_type}"
            for (name, _), sql_type in zip(self.columns, self._sql_types, strict=True)
        )
        drop_table(self.name)
        execute(f"CREATE TEMP TABLE {self.name} ({columns})")
        self._created = True
        return self

    def add(self, seq: int, values: tuple) -> None:
        self._buffer.append((seq, *values))
        if len(self._buffer) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        rows, self._buffer = self._buffer, []
        names = ", ".join(name for name, _ in self.columns)
        if is_postgresql():
            copy_sql = f"COPY {self.name} ({names}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
        else:
            adapters = self._adapters
            placeholders = ", ".join(["%s"] * len(self.columns))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.name} ({names}) VALUES ({placeholders})",  # noqa: S608
                    [
                        tuple(
                            adapt(value) if value is not None else None
                            for adapt, value in zip(adapters, row, strict=True)
                        )
                        for row in rows
                    ],
                )
        self.rows += len(rows)

    def copy_text(self, text: str, rows: int) -> None:
        """PostgreSQL: add rows already formatted by `copy_format` (one COPY)."""
        names = ", ".join(name for name, _ in self.columns)
        copy_sql = f"COPY {self.name} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            copy.write(text)
        self.rows += rows

    def finish(self) -> int:
        """Write what is buffered and give the planner the table's size. Returns the rows."""
        self.flush()
        analyze(self.name)
        return self.rows

    def drop(self) -> None:
        self._buffer = []
        if self._created:
            drop_table(self.name)
            self._created = False

    def __enter__(self) -> Stage:
        return self.create()

    def __exit__(self, *exc_info) -> None:
        self.drop()


# COPY's text format: backslash escapes for the four characters that would end a field or a
# row; NUL cannot be stored in PostgreSQL text at all and is dropped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": ""})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is Decimal:
        return str(value)
    if kind is dt.date or kind is dt.datetime:
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


# What `str()` of a staged value may hold that COPY's text format reads differently.
_COPY_UNSAFE = re.compile(r"[\\\n\r\x00]")


def copy_format(rows: list[tuple]) -> str:
    """Rows ((seq, *values) tuples) as the body of a text-format COPY.

    The streaming load formats each batch in the thread that reads the file, so the thread
    that talks to the database only sends bytes (the formatting is Python, one core's work
    either way, but off the database's critical path).

    A row is first written the quick way, `str()` of every value joined by tabs: the text
    PostgreSQL reads back as the same value for the types a staging row holds (ints,
    decimals, dates, "2024-03-05 14:30:00+08:00" datetimes, "True"/"False"). Only a row that
    has a NULL, or a value whose text holds a tab, a line end, a backslash or a NUL, is
    written again value by value with COPY's escapes (`_copy_value`)."""
    value = _copy_value
    unsafe = _COPY_UNSAFE.search
    lines = []
    append = lines.append
    for row in rows:
        line = "\t".join(map(str, row))
        if None in row or unsafe(line) is not None or line.count("\t") != len(row) - 1:
            line = "\t".join([value(item) for item in row])
        append(line)
    append("")
    return "\n".join(lines)


def _sqlite_adapter(kind: str) -> Callable:
    """Values as Django itself stores them on SQLite, so that a re-import compares equal."""
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value
    if kind == "date":
        return lambda value: value.isoformat() if isinstance(value, dt.date) else value
    if kind == "decimal":
        return lambda value: str(value) if isinstance(value, Decimal) else value
    if kind == "bool":
        return lambda value: int(bool(value))
    return lambda value: value


def json_text(value) -> str | None:
    """A JSON column's value as Django's JSONField writes it (same separators, same order)."""
    return None if value is None else json.dumps(value)


# --- Set-based upsert ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Upsert:
    """How the rows of a source query land in one target table.

    `key`: the natural key (a unique constraint of the table, `conflict_where` being its
    condition when the constraint is partial, columns written `{table}column`). `values`: the
    columns compared and written; a NULL in the source keeps the stored value, or takes
    `defaults[name]` (SQL) for a new row.
    `insert_only`: columns written for new rows only (`created_at`). `on_change`: columns set
    whenever a row is written (`updated_at`, the import that last changed it). `keep_old`:
    stored values the caller needs after the write (as `old_<name>` in the work table).
    """

    table: str
    pk: str
    key: tuple[str, ...]
    values: tuple[str, ...]
    defaults: dict[str, str] = field(default_factory=dict)
    insert_only: dict[str, str] = field(default_factory=dict)
    on_change: dict[str, str] = field(default_factory=dict)
    conflict_where: str = ""
    keep_old: tuple[str, ...] = ()
    # Key columns holding text: grouped and remembered (`seen`) in the "C" collation, bytes
    # compared as bytes. Equal text is equal bytes in any deterministic collation, so the
    # groups are the same, and sorting them skips the locale's comparison, several times slower.
    text_key: tuple[str, ...] = ()
    # Columns the rows are written in the order of (a table whose indexes are mostly in that
    # order, fed rows spread over all of them: each index page is then visited once per write).
    write_order: tuple[str, ...] = ()

    def bytewise(self, name: str, alias: str = "") -> str:
        """`alias.name` for grouping and comparing: in the "C" collation when it is a text key
        (PostgreSQL; SQLite compares bytes anyway)."""
        column = f"{alias}.{name}" if alias else name
        if name in self.text_key and is_postgresql():
            return f'{column} COLLATE "C"'
        return column


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Source rows that repeated a natural key of a later row (the later one was loaded).
    duplicates: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "written": self.written,
        }

    def add(self, other: UpsertCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.duplicates += other.duplicates


class Work:
    """The classified rows of one upsert (`action`: n = new, c = changed, u = unchanged), kept
    until the caller is done with them (e.g. which dates an orders import touched)."""

    def __init__(self, name: str, spec: Upsert):
        self.name = name
        self.spec = spec

    def drop(self) -> None:
        drop_table(self.name)


def seen_create(spec: Upsert) -> str:
    """A TEMP table of the keys an import has written so far (see `upsert(seen=...)`)."""
    name = temp_name("import_seen")
    columns = ", ".join(f"{spec.bytewise(column)} AS {column}" for column in spec.key)
    execute(f"CREATE TEMP TABLE {name} AS SELECT {columns} FROM {spec.table} WHERE 1 = 0")  # noqa: S608
    execute(f"CREATE UNIQUE INDEX {name}_key ON {name} ({', '.join(spec.key)})")
    return name


def upsert(
    *,
    spec: Upsert,
    source: str,
    params: Sequence = (),
    dedup: bool = True,
    order: str = "seq DESC",
    keep_work: bool = False,
    seen: str | None = None,
    follow: Sequence[str] = (),
) -> tuple[UpsertCounts, Work | None]:
    """Upsert the rows of `source` (a SELECT giving the key and value columns, and `seq` when
    `dedup`) into `spec.table`; see the module docstring. Of several source rows with one key,
    the first in `order` is kept. Returns the counts, and the work table when `keep_work` (the
    caller drops it).

    An import loaded in chunks passes `seen` (`seen_create`): a key an earlier chunk wrote is
    counted as a duplicate (the later row still wins), and this chunk's keys are added to it.
    `follow`: statements (`INSERT INTO ... SELECT ... FROM {work} ...`) that read the classified
    rows (key, values, `target_pk`, `old_<name>`, `action`, `duplicate`) in the same step, e.g.
    which days the written order lines touched.

    On PostgreSQL (without `keep_work`) the classification, the write, `seen` and `follow` are
    ONE statement: the classified rows are a CTE that the writes read, so no work table is
    created, analyzed, scanned and dropped per call (an import streamed in chunks makes two
    upserts per chunk). Elsewhere they are a TEMP work table and one statement each. The
    counts come from the classification either way.

    Run it inside a transaction: the work table and the write are one step of the caller's.
    """
    op = distinct_op()
    key = spec.key
    if dedup:
        # One sort gives both the row that wins and how many rows shared its key.
        partition = ", ".join(spec.bytewise(name) for name in key)
        ranked = (
            f"SELECT * FROM (SELECT src.*, "  # noqa: S608
            f"ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {order}) AS import_rank, "
            f"COUNT(*) OVER (PARTITION BY {partition}) AS import_copies "
            f"FROM ({source}) src) ranked WHERE import_rank = 1"
        )
        copies = "s.import_copies"
    else:
        ranked, copies = source, "1"
    merged = [
        f"COALESCE(s.{name}, t.{name}, {spec.defaults[name]}) AS {name}"
        if name in spec.defaults
        else f"COALESCE(s.{name}, t.{name}) AS {name}"
        for name in spec.values
    ]
    changed = (
        " OR ".join(f"COALESCE(s.{name}, t.{name}) {op} t.{name}" for name in spec.values)
        or "FALSE"
    )
    join = " AND ".join(f"t.{name} = s.{name}" for name in key)
    if spec.conflict_where:
        # The partial unique index's condition, so that the join can use that index.
        join += " AND " + spec.conflict_where.format(table="t.")
    old = "".join(f", t.{name} AS old_{name}" for name in spec.keep_old)
    if seen:
        duplicate = f"d.{key[0]} IS NOT NULL"
        seen_join = f" LEFT JOIN {seen} d ON " + " AND ".join(
            f"d.{name} = {spec.bytewise(name, 's')}" for name in key
        )
    else:
        duplicate, seen_join = "1 = 0", ""
    classified = (
        f"SELECT {', '.join(f's.{name}' for name in key)}, {', '.join(merged)}, "  # noqa: S608
        f"t.{spec.pk} AS target_pk{old}, "
        f"CASE WHEN t.{spec.pk} IS NULL THEN 'n' WHEN ({changed}) THEN 'c' ELSE 'u' END "
        f"AS action, CASE WHEN {duplicate} THEN 1 ELSE 0 END AS duplicate, "
        f"{copies} AS import_copies "
        f"FROM ({ranked}) s LEFT JOIN {spec.table} t ON {join}{seen_join}"
    )
    tally = (
        "SELECT action, duplicate, COUNT(*), SUM(import_copies - 1) FROM {work} "
        "GROUP BY action, duplicate"
    )
    names = ", ".join(key)
    remember = (
        f"INSERT INTO {seen} ({names}) SELECT {names} FROM {{work}} WHERE duplicate = 0"  # noqa: S608
        if seen
        else ""
    )
    if is_postgresql() and not keep_work:
        steps = [
            _write_sql(spec, "import_work", op),
            *(step.format(work="import_work") for step in filter(None, [remember, *follow])),
        ]
        writes = "".join(f", import_step_{number} AS ({step})" for number, step in enumerate(steps))
        rows = fetchall(
            f"WITH import_work AS ({classified}){writes} " + tally.format(work="import_work"),
            params,
        )
        return _tally(rows), None
    work = temp_name("import_work")
    execute(f"CREATE TEMP TABLE {work} AS {classified}", params)
    rows = fetchall(tally.format(work=work))
    counts = _tally(rows)
    if any(action in ("n", "c") for action, _duplicate, number, _repeats in rows if number):
        execute(_write_sql(spec, work, op))
    for step in filter(None, [remember, *follow]):
        execute(step.format(work=work))
    if keep_work:
        analyze(work)  # the caller joins it to its table
        return counts, Work(work, spec)
    drop_table(work)
    return counts, None


def _tally(rows: list[tuple]) -> UpsertCounts:
    """The counts of a classification: (action, duplicate, rows, repeats) groups."""
    counts = UpsertCounts()
    for action, duplicate, number, repeats in rows:
        counts.duplicates += int(repeats or 0)
        if duplicate:
            counts.duplicates += number
        elif action == "n":
            counts.created += number
        elif action == "c":
            counts.updated += number
        else:
            counts.unchanged += number
    return counts


def _write_sql(spec: Upsert, work: str, op: str) -> str:
    """The write of the new and changed rows of `work` (a table or a CTE)."""
    columns = [*spec.key, *spec.values]
    selected = list(columns)
    for name, expression in {**spec.insert_only, **spec.on_change}.items():
        columns.append(name)
        selected.append(expression)
    target = spec.table
    conflict = f"({', '.join(spec.key)})"
    if spec.conflict_where:
        conflict += " WHERE " + spec.conflict_where.format(table="")
    updates = [f"{name} = excluded.{name}" for name in spec.values]
    updates += [f"{name} = excluded.{name}" for name in spec.on_change]
    differs = " OR ".join(f"{target}.{name} {op} excluded.{name}" for name in spec.values)
    order = f" ORDER BY {', '.join(spec.write_order)}" if spec.write_order else ""
    return (
        f"INSERT INTO {target} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(selected)} FROM {work} WHERE action IN ('n', 'c'){order} "
        f"ON CONFLICT {conflict} DO UPDATE SET {', '.join(updates)} WHERE {differs}"
    )
