"""Import speed: an orders CSV through the product's own import job, against a raw COPY.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_speed.py [--rows N] [--json PATH]
    DATABASE_URL=postgres://... .venv/bin/python bench/import_speed.py --rows 100000  # quick

Builds a fresh database (a scratch PostgreSQL database `ecomops_bench_import` when DATABASE_URL
is set, created and dropped here; SQLite in a temporary folder otherwise, where the baseline is
a bare `executemany` insert, not COPY, and the figures say so), one merchant with --skus
products, and an orders CSV of --rows order lines over those SKUs and two years (one to four
lines per order, 3 % refunded, 2 % cancelled; the generic template's headers).

Then, timed: the file goes through the import job exactly as an upload from the portal does
(`import_upload`, `import_configure` with the suggested mapping, `import_start`, and the
`imports.tasks.import_run` task run in this process with the job's own Celery id: the job's
claim, progress and finish included). The whole file is read, validated, loaded into order
lines, and the daily sales of every (product, day) it touched are recomputed. The same file is
then imported a second time, which must change nothing (its unchanged count is printed).

Baseline, in the same run: a raw `COPY ... FROM STDIN (FORMAT csv)` of the same file into a bare
table of text columns, without indexes: the fastest way bytes get into the database.
`copy_ratio` = COPY seconds / import seconds (1.0 would be "as fast as a raw COPY").

The floor, in the same run and before the import (PostgreSQL only): the least work any import
that keeps the product's guarantees must do on the database, as pure SQL without any validation
(`floor_load`): in one transaction, COPY the same file into a TEMP (unlogged) staging table,
upsert its lines on their natural key into the real order-line table (its unique key, indexes,
checks and foreign keys, so a second run changes nothing), and recompute the daily sales of the
(product, date) pairs written, from all of the store's lines. It loads a scratch store with the
same catalogue, on the import's connection settings; the two tables are emptied afterwards so
the import starts from the same empty tables, and the floor's order lines and daily sales must
equal the import's (else the bench fails). `floor_ratio` = COPY seconds / floor seconds: the
best `copy_ratio` any import keeping the guarantees could reach on this database.

Peak RSS is this process's high-water mark (VmHWM) over the import, reset just before it
(the database server's own memory is not counted). `--json PATH` writes `rows`, `seconds`,
`rows_per_s`, `copy_seconds`, `copy_ratio`, `peak_rss_mb` (and `rss_before_mb`, the
re-import's figures, the database, and on PostgreSQL `floor_seconds`, `floor_rows_per_s`,
`floor_ratio`, `import_to_floor` = import seconds / floor seconds, and the floor's steps
`floor_<step>_seconds`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import BenchError, django_setup, scratch_environment, write_json  # noqa: E402

HEADERS = [
    "order_number",
    "line_key",
    "sku",
    "quantity",
    "amount",
    "refunded_amount",
    "ordered_at",
    "status",
]
FIRST_DAY = dt.datetime(2023, 7, 1, 0, 0, 0)
DAYS = 730
COPY_CHUNK_BYTES = 1 << 20


def sku_name(number: int) -> str:
    return f"BNC-{number:05d}"


def prices(skus: int, seed: int) -> list[Decimal]:
    rng = random.Random(seed)
    return [Decimal(rng.randrange(199, 19999)) / 100 for _ in range(skus)]


def csv_generate(path: Path, *, rows: int, skus: int, seed: int) -> int:
    """Write the orders file, streaming (constant memory); returns its size in bytes."""
    rng = random.Random(seed)
    unit_prices = prices(skus, seed)
    span = DAYS * 86400
    # Orders in time order, as a platform exports them.
    step = span / max(1, rows / 2.2)
    moment = 0.0
    order = 5_000_000
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        while written < rows:
            order += 1
            moment += rng.random() * 2 * step
            at = FIRST_DAY + dt.timedelta(seconds=min(span - 1, int(moment)))
            draw = rng.random()
            status = "cancelled" if draw < 0.02 else "refunded" if draw < 0.05 else "paid"
            for line in range(1, min(rows - written, rng.choice((1, 1, 2, 2, 3, 4))) + 1):
                number = min(skus - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(skus))
                number %= skus
                quantity = rng.choice((1, 1, 1, 2, 2, 3, 5))
                amount = unit_prices[number] * quantity
                writer.writerow(
                    [
                        f"#{order}",
                        f"{order}-{line}",
                        sku_name(number),
                        quantity,
                        f"{amount:.2f}",
                        f"{amount:.2f}" if status == "refunded" else "0.00",
                        at.strftime("%Y-%m-%d %H:%M:%S"),
                        status,
                    ]
                )
                written += 1
    return path.stat().st_size


def catalogue_create(merchant, *, skus: int, seed_value: int) -> None:
    """The --skus products of a store (the same SKUs and prices in every store)."""
    from products.models import Product

    unit_prices = prices(skus, seed_value)
    Product.objects.bulk_create(
        [
            Product(
                merchant=merchant,
                sku=sku_name(number),
                title=f"Bench product {number}",
                price=unit_prices[number],
                currency=merchant.currency,
            )
            for number in range(skus)
        ],
        batch_size=2000,
    )


def seed(*, skus: int, seed_value: int):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.services import merchant_create

    call_command("migrate", verbosity=0, interactive=False)
    owner = get_user_model().objects.create_user(username="bench", password=None)
    merchant = merchant_create(name="Import Bench Store", owner=owner, slug="import-bench")
    catalogue_create(merchant, skus=skus, seed_value=seed_value)
    return merchant, owner


def peak_rss_reset() -> None:
    """Start a new high-water mark of this process's resident memory (Linux)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def rss_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_once(merchant, owner, path: Path):
    """One import through the job path; returns (seconds, batch)."""
    from django.core.files import File

    from imports.models import ImportBatch, ImportMode, ImportStatus
    from imports.services import import_configure, import_start, import_upload
    from imports.tasks import import_run
    from jobs.models import Job

    started = time.perf_counter()
    with open(path, "rb") as handle:
        batch = import_upload(
            merchant=merchant, user=owner, kind="orders", uploaded_file=File(handle, path.name)
        )
    batch = import_configure(
        batch=batch, mapping=batch.mapping, mode=ImportMode.ALL_OR_NOTHING, options=batch.options
    )
    job = import_start(batch=batch, user=owner)
    job = Job.objects.get(pk=job.pk)
    # The task itself, in this process, with the id its message carries.
    import_run.apply(
        kwargs={"job_id": job.pk, "batch_id": batch.pk}, task_id=job.celery_task_id or None
    )
    seconds = time.perf_counter() - started
    batch = ImportBatch.objects.get(pk=batch.pk)
    job.refresh_from_db()
    if batch.status != ImportStatus.SUCCEEDED:
        raise BenchError(
            f"import {batch.status}: {batch.error_code} {batch.error_message} "
            f"(job {job.status}: {job.error})"
        )
    return seconds, batch


def raw_copy(path: Path) -> float:
    """The baseline: the file into a bare table, as fast as the database takes bytes."""
    from django.db import connection

    columns = ", ".join(f"{name} text" for name in HEADERS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_orders")
        cursor.execute(f"CREATE TABLE bench_raw_orders ({columns})")
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_sql = "COPY bench_raw_orders FROM STDIN (FORMAT csv, HEADER true)"
            with open(path, "rb") as handle, cursor.cursor.copy(copy_sql) as copy:
                while chunk := handle.read(COPY_CHUNK_BYTES):
                    copy.write(chunk)
    else:
        placeholders = ", ".join(["%s"] * len(HEADERS))
        with open(path, encoding="utf-8", newline="") as handle, connection.cursor() as cursor:
            reader = csv.reader(handle)
            next(reader)
            batch: list[list[str]] = []
            for row in reader:
                batch.append(row)
                if len(batch) >= 10_000:
                    cursor.executemany(
                        f"INSERT INTO bench_raw_orders VALUES ({placeholders})",  # noqa: S608
                        batch,
                    )
                    batch = []
            if batch:
                cursor.executemany(
                    f"INSERT INTO bench_raw_orders VALUES ({placeholders})",  # noqa: S608
                    batch,
                )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_orders")
    return seconds


# The floor's SQL. The staged row is the file's row with COPY's own type checks; the order line
# is what the import makes of it (the merchant's local time and date, a "refunded" status
# refunds the whole line, a partial refund's units from its share of the amount, as the
# validator does); the daily sales of the (product, date) pairs the write touched are
# recomputed from all of the merchant's lines of those pairs (the README's rule).
FLOOR_STAGE = """
CREATE TEMP TABLE bench_floor_stage (
    order_number text, line_key text, sku text, quantity integer, amount numeric(14, 2),
    refunded_amount numeric(14, 2), ordered_at timestamp, status text
) ON COMMIT DROP
"""
FLOOR_LINES = """
CREATE TEMP TABLE bench_floor_touched ON COMMIT DROP AS
WITH written AS (
    INSERT INTO {lines} AS t (
        merchant_id, order_number, line_key, product_id, ordered_at, date, quantity,
        refunded_quantity, amount, refunded_amount, cancelled
    )
    SELECT %(merchant)s, s.order_number, s.line_key, p.id, s.ordered_at AT TIME ZONE %(tz)s,
        s.ordered_at::date, s.quantity,
        CASE WHEN s.status = 'refunded' THEN s.quantity
            WHEN s.refunded_amount > 0 AND s.amount > 0 THEN LEAST(s.quantity,
                floor(s.refunded_amount * s.quantity / s.amount + 0.001)::integer)
            ELSE 0 END,
        s.amount,
        CASE WHEN s.status = 'refunded' THEN s.amount ELSE LEAST(s.refunded_amount, s.amount) END,
        s.status = 'cancelled'
    FROM bench_floor_stage s
    JOIN {products} p ON p.merchant_id = %(merchant)s AND p.sku = s.sku
    ON CONFLICT (merchant_id, order_number, line_key) DO UPDATE SET
        product_id = excluded.product_id, ordered_at = excluded.ordered_at,
        date = excluded.date, quantity = excluded.quantity,
        refunded_quantity = excluded.refunded_quantity, amount = excluded.amount,
        refunded_amount = excluded.refunded_amount, cancelled = excluded.cancelled
    WHERE (t.product_id, t.ordered_at, t.date, t.quantity, t.refunded_quantity, t.amount,
            t.refunded_amount, t.cancelled)
        IS DISTINCT FROM (excluded.product_id, excluded.ordered_at, excluded.date,
            excluded.quantity, excluded.refunded_quantity, excluded.amount,
            excluded.refunded_amount, excluded.cancelled)
    RETURNING product_id, date
)
SELECT DISTINCT product_id, date FROM written
"""
FLOOR_DAILY = """
INSERT INTO {daily} AS d (merchant_id, product_id, date, units, revenue, on_promotion)
SELECT %(merchant)s, ol.product_id, ol.date,
    SUM(CASE WHEN ol.cancelled THEN 0 ELSE ol.quantity - ol.refunded_quantity END),
    SUM(CASE WHEN ol.cancelled THEN 0 ELSE ol.amount - ol.refunded_amount END), FALSE
FROM bench_floor_touched tp
JOIN {lines} ol ON ol.product_id = tp.product_id AND ol.date = tp.date
GROUP BY ol.product_id, ol.date
ON CONFLICT (product_id, date) DO UPDATE SET units = excluded.units, revenue = excluded.revenue
WHERE (d.units, d.revenue) IS DISTINCT FROM (excluded.units, excluded.revenue)
"""


def floor_load(path: Path, merchant) -> dict[str, float]:
    """The floor (see the module docstring) into `merchant`, a store with the catalogue: one
    transaction of COPY, line upsert, daily-sales recompute and commit, on a connection with
    the import's settings (`temp_buffers`, `work_mem`). Spared what the product does beyond
    the least its guarantees need, so that it is a true lower bound: no repeated keys looked
    for inside the file (this file has none), no created/updated/unchanged counts, no import
    recorded on each line (so no foreign key to check there), no pairs a changed line moved
    away from (a first load changes no line), no progress, no job. Returns the seconds of
    each step and in total."""
    import psycopg
    from psycopg import sql

    from forecasting.models import DailySales
    from imports.models import OrderLine
    from imports.services.load import PIPELINE_TEMP_BUFFERS, PIPELINE_WORK_MEM
    from products.models import Product

    tables = {
        "lines": sql.Identifier(OrderLine._meta.db_table),
        "products": sql.Identifier(Product._meta.db_table),
        "daily": sql.Identifier(DailySales._meta.db_table),
    }
    params = {"merchant": merchant.pk, "tz": merchant.timezone}
    seconds: dict[str, float] = {}
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute(f"SET temp_buffers = '{PIPELINE_TEMP_BUFFERS}'")
        conn.execute(f"SET work_mem = '{PIPELINE_WORK_MEM}'")
        conn.commit()
        started = mark = time.perf_counter()

        def step(name: str) -> None:
            nonlocal mark
            now = time.perf_counter()
            seconds[name] = now - mark
            mark = now

        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute(FLOOR_STAGE)
            copy_sql = "COPY bench_floor_stage FROM STDIN (FORMAT csv, HEADER true)"
            with open(path, "rb") as handle, cursor.copy(copy_sql) as copy:
                while chunk := handle.read(COPY_CHUNK_BYTES):
                    copy.write(chunk)
            step("copy")
            cursor.execute(sql.SQL(FLOOR_LINES).format(**tables), params)
            cursor.execute("ANALYZE bench_floor_touched")
            step("lines")
            # The cheapest plan, not the planner's guess: for 1M lines it picks a memoized
            # nested loop, an index probe per pair (20 s under load), where sorting both sides
            # once and merging them takes 6 s (same transaction, same load).
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute(sql.SQL(FLOOR_DAILY).format(**tables), params)
            step("daily_sales")
        step("commit")
        seconds["total"] = time.perf_counter() - started
    return seconds


def floor_measure(path: Path, owner, *, skus: int, seed_value: int) -> tuple[dict, tuple]:
    """The floor, run before the import into a scratch store of the same catalogue; then the
    two tables it wrote are emptied, so the import starts from the same empty tables and
    indexes as the floor did. Returns its seconds and what it left in its store."""
    from django.db import connection

    from accounts.services import merchant_create
    from forecasting.models import DailySales
    from imports.models import OrderLine

    scratch = merchant_create(name="Import Floor Store", owner=owner, slug="import-floor")
    catalogue_create(scratch, skus=skus, seed_value=seed_value)
    seconds = floor_load(path, scratch)
    totals = store_totals(scratch)
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {OrderLine._meta.db_table}, {DailySales._meta.db_table}"  # noqa: S608
        )
    return seconds, totals


def store_totals(merchant) -> tuple:
    """What a load left in a store: its lines (count, quantities, refunds, amounts) and its
    daily sales (count, units, revenue)."""
    from django.db.models import Count, Sum

    from forecasting.models import DailySales
    from imports.models import OrderLine

    lines = OrderLine.objects.filter(merchant=merchant).aggregate(
        lines=Count("id"),
        quantity=Sum("quantity"),
        refunded_quantity=Sum("refunded_quantity"),
        amount=Sum("amount"),
        refunded_amount=Sum("refunded_amount"),
    )
    daily = DailySales.objects.filter(merchant=merchant).aggregate(
        days=Count("id"), units=Sum("units"), revenue=Sum("revenue")
    )
    return (*lines.values(), *daily.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skus", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    # The import's job must run here, not on some worker listening on a shared Redis.
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)

    with scratch_environment("ecomops_bench_import") as env:
        django_setup(env)
        from celery import current_app
        from django.db import connection

        from forecasting.models import DailySales
        from imports.models import OrderLine

        database = connection.vendor
        merchant, owner = seed(skus=args.skus, seed_value=args.seed)
        # Every app's tasks module, as a worker has them before its first job.
        current_app.loader.import_default_modules()
        path = Path(env["DATA_DIR"]) / "bench-orders.csv"
        size = csv_generate(path, rows=args.rows, skus=args.skus, seed=args.seed)
        print(
            f"{args.rows:,} order lines over {args.skus:,} SKUs and {DAYS} days: "
            f"{size / 1e6:.1f} MB, on {database}"
            + ("" if database == "postgresql" else " (no DATABASE_URL: SQLite, no COPY)")
        )

        copy_seconds = raw_copy(path)
        floor: dict[str, float] = {}
        floor_totals: tuple = ()
        if database == "postgresql":
            floor, floor_totals = floor_measure(path, owner, skus=args.skus, seed_value=args.seed)
        peak_rss_reset()
        before = rss_mb()
        seconds, batch = import_once(merchant, owner, path)
        peak = peak_rss_mb()
        lines = OrderLine.objects.filter(merchant=merchant).count()
        days = DailySales.objects.filter(merchant=merchant).count()
        # The floor is no shortcut: it left its store as the import leaves its own.
        if floor and floor_totals != (import_totals := store_totals(merchant)):
            raise BenchError(
                "the floor's order lines and daily sales differ from the import's: "
                f"{floor_totals} != {import_totals}"
            )
        again_seconds, again = import_once(merchant, owner, path)

    rows = batch.rows_total
    rows_per_s = rows / seconds if seconds else 0.0
    copy_ratio = copy_seconds / seconds if seconds else 0.0
    baseline = "raw COPY into a bare table" if database == "postgresql" else "bare executemany"
    print(f"{'':34}{'seconds':>10}{'rows/s':>12}")
    print(f"{'import job (first load)':34}{seconds:>10.2f}{rows_per_s:>12,.0f}")
    again_rate = rows / again_seconds if again_seconds else 0.0
    print(f"{'import job (same file again)':34}{again_seconds:>10.2f}{again_rate:>12,.0f}")
    print(f"{baseline:34}{copy_seconds:>10.2f}{rows / copy_seconds:>12,.0f}")
    floor_seconds = floor.get("total", 0.0)
    if floor_seconds:
        floor_rate = rows / floor_seconds
        print(f"{'floor: pure SQL, same tables':34}{floor_seconds:>10.2f}{floor_rate:>12,.0f}")
    print(
        f"import speed / {baseline} speed: {copy_ratio:.1%}; peak RSS {peak:.0f} MB "
        f"({before:.0f} MB before the import); "
        f"{batch.rows_created:,} lines created -> {lines:,} order lines, {days:,} daily sales; "
        f"second import: {again.rows_unchanged:,} unchanged, {again.rows_created:,} created, "
        f"{again.rows_updated:,} updated"
    )
    if floor_seconds:
        print(
            f"floor speed / {baseline} speed: {copy_seconds / floor_seconds:.1%}; "
            f"import seconds / floor seconds: {seconds / floor_seconds:.2f}; floor steps: "
            + ", ".join(f"{name} {value:.1f} s" for name, value in floor.items() if name != "total")
            + " (same lines and daily sales as the import)"
        )
    timings = (batch.report or {}).get("seconds", {})
    if timings:
        print(
            "first import inside the job: "
            + ", ".join(f"{name} {value:.1f} s" for name, value in timings.items())
        )
    if args.json:
        write_json(
            args.json,
            {
                "rows": rows,
                "seconds": round(seconds, 3),
                "rows_per_s": round(rows_per_s, 1),
                "copy_seconds": round(copy_seconds, 3),
                "copy_ratio": round(copy_ratio, 4),
                "peak_rss_mb": round(peak, 1),
                "rss_before_mb": round(before, 1),
                "reimport_seconds": round(again_seconds, 3),
                "reimport_unchanged": again.rows_unchanged,
                "database": database,
                **_floor_json(floor, rows=rows, seconds=seconds, copy_seconds=copy_seconds),
            },
        )
    return 0


def _floor_json(floor: dict[str, float], *, rows: int, seconds: float, copy_seconds: float):
    """The floor's flat JSON keys (none on SQLite, where there is no floor run)."""
    total = floor.get("total", 0.0)
    if not total:
        return {}
    return {
        "floor_seconds": round(total, 3),
        "floor_rows_per_s": round(rows / total, 1),
        "floor_ratio": round(copy_seconds / total, 4),
        "import_to_floor": round(seconds / total, 3),
        **{
            f"floor_{name}_seconds": round(value, 3)
            for name, value in floor.items()
            if name != "total"
        },
    }


if __name__ == "__main__":
    sys.exit(main())
