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

Peak RSS is this process's high-water mark (VmHWM) over the import, reset just before it
(the database server's own memory is not counted). `--json PATH` writes `rows`, `seconds`,
`rows_per_s`, `copy_seconds`, `copy_ratio`, `peak_rss_mb` (and `rss_before_mb`, the
re-import's figures, the database).
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


def seed(*, skus: int, seed_value: int):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.services import merchant_create
    from products.models import Product

    call_command("migrate", verbosity=0, interactive=False)
    owner = get_user_model().objects.create_user(username="bench", password=None)
    merchant = merchant_create(name="Import Bench Store", owner=owner, slug="import-bench")
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
        peak_rss_reset()
        before = rss_mb()
        seconds, batch = import_once(merchant, owner, path)
        peak = peak_rss_mb()
        lines = OrderLine.objects.filter(merchant=merchant).count()
        days = DailySales.objects.filter(merchant=merchant).count()
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
    print(
        f"import speed / {baseline} speed: {copy_ratio:.1%}; peak RSS {peak:.0f} MB "
        f"({before:.0f} MB before the import); "
        f"{batch.rows_created:,} lines created -> {lines:,} order lines, {days:,} daily sales; "
        f"second import: {again.rows_unchanged:,} unchanged, {again.rows_created:,} created, "
        f"{again.rows_updated:,} updated"
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
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
