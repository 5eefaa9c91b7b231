"""Forecast runs at scale through real Celery workers: 1 worker, then 2, on the same data.

    .venv/bin/python bench/forecast_scale.py [--skus 20000] [--days 730] [--json PATH]
    .venv/bin/python bench/forecast_scale.py --skus 2000        # quick mode while developing

Builds a fresh database (SQLite in a temporary folder; a scratch PostgreSQL database
`ecomops_bench_forecast` when DATABASE_URL is set, loaded with COPY), fills one merchant with
--skus synthetic SKUs and --days days of sales (seeded: smooth sellers, slow and intermittent
ones, weekly and yearly seasons, trends, promotions with price cuts; rows only on days with
sales, as an order export has them), then starts a real forecast run (`forecast_run_start`,
the same call as the Forecast button) twice: once with one `celery worker --concurrency 1` on
the forecast queue, once with two. The broker is a filesystem folder, or Redis when REDIS_URL
is set (then on a queue of its own, so that no other worker on that Redis takes the chunks).

Each time is measured from the start to the job's end (all chunks, metrics, the inventory plan
of every SKU). Peak memory is the high-water mark (VmHWM in /proc) of each worker's pool
process, the one that runs the chunks. The ratio 1-worker time / 2-worker time is what to
watch: it does not depend on how fast the machine is, only on how much of the run is split.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    REPO_ROOT,
    BenchError,
    bench_exit,
    django_setup,
    scratch_environment,
    write_json,
)

CATEGORIES = [
    "Drinkware",
    "Kitchen",
    "Apparel",
    "Electronics",
    "Home textiles",
    "Beauty",
    "Toys",
    "Outdoor",
    "Garden",
    "Pets",
]
LAST_DAY = dt.date(2025, 6, 17)
READY_TIMEOUT = 120
WRITE_SKUS = 500  # SKUs generated and written per batch


# --- Data ----------------------------------------------------------------------------------------


def demand_draw(rng: np.random.Generator, days: int, start: dt.date):
    """One SKU's daily units, promotion flags and price multipliers."""
    kind = rng.choice(["smooth", "slow", "intermittent"], p=[0.35, 0.3, 0.35])
    level = {
        "smooth": rng.lognormal(2.2, 0.7),
        "slow": rng.lognormal(0.3, 0.5),
        "intermittent": rng.uniform(0.03, 0.5),
    }[kind]
    t = np.arange(days)
    weekday = (t + start.weekday()) % 7
    weekly = 1 + rng.uniform(0, 0.3) * np.cos(2 * np.pi * (weekday - rng.integers(7)) / 7)
    yearly = 1 + rng.uniform(0, 0.5) * np.cos(2 * np.pi * (t - rng.integers(365)) / 365.25)
    trend = np.exp(rng.normal(0.05, 0.2) * (t - days) / 365)
    promo = np.zeros(days, dtype=bool)
    for _ in range(rng.poisson(days / 365 * 3)):
        first = int(rng.integers(days))
        promo[first : first + int(rng.integers(3, 10))] = True
    discount = np.where(promo, rng.choice([0.1, 0.2, 0.3]), 0.0)
    mean = level * weekly * yearly * trend * (1 + 3 * discount)
    launch = int(rng.integers(days // 2)) if rng.random() < 0.1 else 0  # some launched lately
    mean[:launch] = 0
    dispersion = {"smooth": 10.0, "slow": 2.0, "intermittent": 0.3}[kind]
    units = rng.negative_binomial(dispersion, dispersion / (dispersion + mean))
    return units, promo, 1.0 - discount


def products_write(merchant, rng: np.random.Generator, skus: int) -> list[tuple[int, float]]:
    """The merchant's products and stock levels; returns (product id, price) in id order."""
    from decimal import Decimal

    from products.models import Product, StockLevel

    Product.objects.bulk_create(
        (
            Product(
                merchant=merchant,
                sku=f"SCALE-{n:06d}",
                title=f"Synthetic item {n}",
                category=CATEGORIES[n % len(CATEGORIES)],
                price=Decimal(int(rng.integers(300, 20000))) / 100,
                cost=Decimal(int(rng.integers(100, 3000))) / 100,
                lead_time_days=int(rng.integers(5, 60)),
                moq=int(rng.choice([1, 10, 50])),
                case_pack=int(rng.choice([1, 6, 12])),
            )
            for n in range(skus)
        ),
        batch_size=2000,
    )
    products = list(
        Product.objects.filter(merchant=merchant).order_by("pk").values_list("pk", "price")
    )
    StockLevel.objects.bulk_create(
        (
            StockLevel(
                product_id=pk, merchant=merchant, on_hand=int(rng.integers(0, 400)), inbound=0
            )
            for pk, _price in products
        ),
        batch_size=2000,
    )
    return [(pk, float(price)) for pk, price in products]


def sales_write(merchant, products, *, days: int, seed: int) -> int:
    """Daily sales of every product (rows on days with sales only); COPY on PostgreSQL."""
    from django.db import connection, transaction

    from forecasting.models import DailySales

    table = DailySales._meta.db_table
    columns = "merchant_id, product_id, date, units, revenue, on_promotion"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A scratch database: no need to survive a power cut while it is being filled.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB of pages for the indexes
    start = LAST_DAY - dt.timedelta(days=days - 1)
    dates = np.array([(start + dt.timedelta(days=i)).isoformat() for i in range(days)])
    written = 0
    for first in range(0, len(products), WRITE_SKUS):
        batch = products[first : first + WRITE_SKUS]
        rows = []
        for pk, price in batch:
            rng = np.random.default_rng([seed, pk])
            units, promo, multiplier = demand_draw(rng, days, start)
            sold = np.flatnonzero(units)
            revenue = np.round(units[sold] * price * multiplier[sold], 2)
            rows.extend(
                zip(
                    [merchant.pk] * len(sold),
                    [pk] * len(sold),
                    dates[sold].tolist(),
                    units[sold].tolist(),
                    revenue.tolist(),
                    promo[sold].tolist(),
                    strict=True,
                )
            )
        with transaction.atomic():
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                for row in rows:
                    buffer.write("\t".join(map(str, row)) + "\n")
                with connection.cursor() as cursor:
                    raw = cursor.cursor  # psycopg 3
                    with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        copy.write(buffer.getvalue())
            else:
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608 - names from the model
                        rows,
                    )
        written += len(rows)
    return written


def seed(*, skus: int, days: int, seed_value: int):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from accounts.services import merchant_create

    call_command("migrate", verbosity=0, interactive=False)
    owner = get_user_model().objects.create_user(username="bench", password=None)
    merchant = merchant_create(name="Scale Store", owner=owner, slug="scale")
    rng = np.random.default_rng(seed_value)
    products = products_write(merchant, rng, skus)
    rows = sales_write(merchant, products, days=days, seed=seed_value)
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")
    return merchant, owner, rows


# --- Workers -------------------------------------------------------------------------------------


class Worker:
    """One `celery worker --concurrency 1` subprocess on `queue`, its output kept."""

    def __init__(self, *, queue: str, env: dict[str, str], name: str):
        # Closed in stop(): the log outlives this method.
        self.log_file = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ecomops",
                "worker",
                "-Q",
                queue,
                "--hostname",
                f"{name}@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def log(self) -> str:
        self.log_file.seek(0)
        return self.log_file.read()

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log:
                return
            if self.process.poll() is not None:
                raise BenchError(f"worker exited with {self.process.returncode}:\n{self.log}")
            time.sleep(0.2)
        raise BenchError(f"worker not ready after {timeout}s:\n{self.log[-3000:]}")

    def pool_pids(self) -> list[int]:
        """The pool processes (children of the worker's main process)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return pids

    def peak_rss_mb(self) -> float:
        """Largest VmHWM (peak resident memory) among the worker's pool processes."""
        peaks = [0.0]
        for pid in self.pool_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def stop(self, timeout: float = 30) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log_file.close()


def broker_environment(env: dict[str, str]) -> tuple[dict[str, str], str]:
    """The workers' environment and the queue they and the run use."""
    worker_env = dict(env, CELERY_TASK_ALWAYS_EAGER="false", PYTHONUNBUFFERED="1")
    if env.get("REDIS_URL"):
        return worker_env, f"forecast-bench-{uuid.uuid4().hex[:8]}"
    worker_env["CELERY_BROKER_DIR"] = str(Path(env["DATA_DIR"]) / "broker")
    return worker_env, "forecast"


def run_with_workers(merchant, owner, *, workers: int, env: dict, queue: str, timeout: float):
    """Start a run with `workers` fresh workers; returns (seconds, run, peak RSS per worker)."""
    from django.db import connections

    from forecasting.models import ForecastRun
    from forecasting.services.runs import forecast_run_start
    from jobs.models import FINISHED_STATUSES, Job

    connections.close_all()
    pool = [
        Worker(queue=queue, env=env, name=f"bench{i}-{uuid.uuid4().hex[:4]}")
        for i in range(workers)
    ]
    try:
        for worker in pool:
            worker.wait_until_ready(READY_TIMEOUT)
        peaks = [0.0] * workers
        stop_sampling = threading.Event()

        def sample() -> None:  # pool processes may be replaced: keep the highest mark seen
            while not stop_sampling.wait(1.0):
                for index, worker in enumerate(pool):
                    peaks[index] = max(peaks[index], worker.peak_rss_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        run = forecast_run_start(merchant=merchant, started_by=owner, queue=queue)
        deadline = time.monotonic() + timeout
        while True:
            job = Job.objects.get(pk=run.job_id)
            if job.status in FINISHED_STATUSES:
                break
            if time.monotonic() > deadline:
                raise BenchError(f"the run did not finish in {timeout:.0f}s\n{pool[0].log[-3000:]}")
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        stop_sampling.set()
        sampler.join()
        for index, worker in enumerate(pool):
            peaks[index] = max(peaks[index], worker.peak_rss_mb())
        run = ForecastRun.objects.get(pk=run.pk)
        if job.status != "succeeded" or run.chunks_failed:
            raise BenchError(f"run {run.status}: {run.error or job.error}\n{pool[0].log[-3000:]}")
        return seconds, run, peaks
    finally:
        for worker in pool:
            worker.stop()


def describe(label: str, seconds: float, run, peaks: list[float]) -> str:
    phases = ", ".join(
        f"{name} {value:.1f}s" for name, value in sorted(run.timings.items()) if name != "wall"
    )
    workers = sorted({chunk.get("worker", "?") for chunk in run.parameters["chunks"]})
    return (
        f"{label:<10} {seconds:>9.1f} s  {run.sku_done:,} SKUs in {run.chunks_total} chunks "
        f"on {len(workers)} process(es); peak RSS {', '.join(f'{p:.0f}' for p in peaks)} MB\n"
        f"{'':<10} phases summed over chunks: {phases}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--skus", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--chunk-size", type=int, default=500, help="SKUs per chunk")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--timeout", type=float, default=6 * 3600, help="seconds per run at most")
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    args = parser.parse_args(argv)
    if args.skus < 10:
        parser.error("--skus must be at least 10")
    if args.days < 120:
        parser.error("--days must be at least 120")

    with scratch_environment("ecomops_bench_forecast") as env:
        env["FORECAST_CHUNK_SIZE"] = str(args.chunk_size)
        django_setup(env)
        from django.conf import settings
        from django.db import connection

        settings.FORECAST_CHUNK_SIZE = args.chunk_size
        worker_env, queue = broker_environment(env)
        started = time.monotonic()
        merchant, owner, rows = seed(skus=args.skus, days=args.days, seed_value=args.seed)
        vendor = connection.vendor
        print(
            f"{vendor}: {args.skus:,} SKUs x {args.days} days ({rows:,} sales rows) "
            f"loaded in {time.monotonic() - started:.1f}s; chunks of {args.chunk_size}"
        )
        one = run_with_workers(
            merchant, owner, workers=1, env=worker_env, queue=queue, timeout=args.timeout
        )
        print(describe("1 worker", *one))
        two = run_with_workers(
            merchant, owner, workers=2, env=worker_env, queue=queue, timeout=args.timeout
        )
        print(describe("2 workers", *two))

    speedup = one[0] / two[0]
    peak = max(one[2] + two[2])
    print(f"speedup 1 -> 2 workers: {speedup:.2f}x; peak RSS per worker {peak:.0f} MB")
    if args.json:
        write_json(
            args.json,
            {
                "skus": args.skus,
                "days": args.days,
                "seconds_1_worker": round(one[0], 2),
                "seconds_2_workers": round(two[0], 2),
                "speedup": round(speedup, 3),
                "peak_rss_mb_per_worker": round(peak, 1),
            },
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    bench_exit(main)
