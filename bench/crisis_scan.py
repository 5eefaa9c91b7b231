"""Crisis scan at scale: `crisis_scan` over a synthetic store of N SKUs with a year of history.

    .venv/bin/python bench/crisis_scan.py                        # 10,000 SKUs, 365 days
    .venv/bin/python bench/crisis_scan.py --skus 1000 --json bench/results/crisis_scan.json
    DATABASE_URL=postgres://... .venv/bin/python bench/crisis_scan.py   # a scratch PG database

1. Builds a scratch database (SQLite, or a scratch PostgreSQL database next to DATABASE_URL)
   with one merchant and `--skus` products: `--days` of daily sales (Poisson around a level
   per SKU with a weekday pattern; rows on days with sales only, COPY on PostgreSQL), stock
   levels and 91 days of stock snapshots, one current 28-day forecast per SKU (P10/P50/P90),
   an inventory plan per SKU, and about four analysed reviews per SKU with their negative
   aspect mentions. About 7 % of the SKUs carry a planted condition: 2 % too little stock for
   their lead time, 2 % years of stock, 2 % sales down to a third over the last three weeks,
   1 % a fresh burst of negative reviews. The rest are ordinary.
2. In a fresh process (so that its peak RSS is the scan's own), times:
   - `scan_inputs` alone: the bulk loading every scan starts with (the floor);
   - the first `crisis_scan` (inputs + every detector + alerts and crises created +
     notifications);
   - a second `crisis_scan` (the same conditions stand: every live alert updated in place);
   - the baseline: a naive loop of per-product ORM queries loading the same data, on a sample
     of `--sample` SKUs, scaled up to the whole store.
   Queries are counted with a database execute wrapper.

Prints a table (seconds, SKUs/s, queries, peak RSS) and the ratio to the baseline; `--json`
writes skus, days, seconds, seconds_rescan, skus_per_s, peak_rss_mb, baseline_seconds,
inputs_seconds, queries, alerts, crises, planted_found, planted. Target (issue 6): 10,000 SKUs
with a year of history scanned in under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import resource
import subprocess
import sys
import time
from decimal import Decimal
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

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

SECONDS_TARGET = 60
WRITE_SKUS = 500
SNAPSHOT_DAYS = 91
HORIZON = 28
REVIEWS_PER_SKU = 4
WEEKDAY = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.25, 0.85])
CATEGORIES = ["Drinkware", "Kitchen", "Apparel", "Electronics", "Home", "Beauty", "Toys"]
ASPECTS = ["quality", "shipping", "size_fit", "price_value", "function"]
# Share of SKUs carrying each planted condition, in this order of the SKU list.
PLANTED = {"stockout": 0.02, "overstock": 0.02, "sales_drop": 0.02, "review_surge": 0.01}
PLANTED_KIND = {
    "stockout": "stockout_risk",
    "overstock": "overstock",
    "sales_drop": "sales_drop",
    "review_surge": "review_surge",
}
DROP_DAYS, DROP_FACTOR = 21, 0.33
SURGE_REVIEWS, SURGE_DAYS = 12, 7


# --- The synthetic store -------------------------------------------------------------------------


class Sku:
    """One product's parameters and what is planted on it."""

    __slots__ = ("pk", "level", "price", "cost", "lead", "planted", "on_hand", "inbound")

    def __init__(self, pk, level, price, cost, lead, planted):
        self.pk, self.level, self.price, self.cost = pk, level, price, cost
        self.lead, self.planted = lead, planted
        self.on_hand = self.inbound = 0


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Many rows at once: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 - names from the models
            rows,
        )


def _planted_for(index: int, skus: int) -> str:
    edge = 0
    for name, share in PLANTED.items():
        edge += max(1, round(share * skus))
        if index < edge:
            return name
    return ""


def store_build(*, skus: int, days: int, seed: int):
    """The merchant, its owner and manager, and every row the scan reads; returns
    (merchant, today, sku list, counts)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Role
    from accounts.services import membership_add, merchant_create
    from forecasting.models import (
        DailySales,
        ForecastRun,
        ForecastRunStatus,
        InventoryPlan,
        SkuForecast,
    )
    from products.models import Product, StockLevel, StockSnapshot
    from reviews.models import AspectMention, Review, ReviewAnalysis

    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A scratch database: no need to survive a power cut while it is being filled.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    User = get_user_model()
    owner = User.objects.create_user(username="bench-owner", email="owner@example.com")
    User.objects.create_user(username="bench-manager", email="manager@example.com")
    merchant = merchant_create(name="Crisis Bench Store", owner=owner, slug="crisis-bench")
    membership_add(merchant=merchant, username_or_email="bench-manager", role=Role.MANAGER)
    today = timezone.localdate()
    rng = np.random.default_rng(seed)
    created = timezone.now() - dt.timedelta(days=days + 30)

    Product.objects.bulk_create(
        (
            Product(
                merchant=merchant,
                sku=f"CRISIS-{n:06d}",
                title=f"Synthetic item {n}",
                category=CATEGORIES[n % len(CATEGORIES)],
                price=Decimal(int(rng.integers(500, 12000))) / 100,
                cost=None,
                lead_time_days=int(rng.choice([7, 14, 21, 30, 45])),
                created_at=created,
                updated_at=created,
            )
            for n in range(skus)
        ),
        batch_size=2000,
    )
    rows = Product.objects.filter(merchant=merchant).order_by("pk")
    rows.update(created_at=created)  # bulk_create stamps now; the catalogue is older
    products = list(rows.values_list("pk", "price", "lead_time_days"))
    order = rng.permutation(len(products))  # planted SKUs spread over the id range
    levels = np.clip(rng.lognormal(np.log(2.0), 1.0, size=len(products)), 0.05, 60.0)
    sku_list = [
        Sku(
            pk=pk,
            level=float(levels[i]),
            price=float(price),
            cost=round(float(price) * 0.4, 2),
            lead=int(lead),
            planted=_planted_for(int(order[i]), skus),
        )
        for i, (pk, price, lead) in enumerate(products)
    ]
    Product.objects.bulk_update(
        [Product(pk=sku.pk, cost=Decimal(str(sku.cost))) for sku in sku_list],
        ["cost"],
        batch_size=2000,
    )

    start = today - dt.timedelta(days=days)
    dates = [(start + dt.timedelta(days=k)).isoformat() for k in range(days)]
    pattern = WEEKDAY[(np.arange(days) + start.weekday()) % 7]
    season = 1 + 0.15 * np.sin(np.arange(days) * 2 * np.pi / 365)
    snapshot_dates = dates[-SNAPSHOT_DAYS:]
    counts = {"sales_rows": 0, "snapshots": 0, "reviews": 0}
    run = ForecastRun.objects.create(
        merchant=merchant,
        status=ForecastRunStatus.SUCCEEDED,
        forecast_start=today,
        sku_total=len(sku_list),
        sku_done=len(sku_list),
    )
    future = WEEKDAY[(np.arange(HORIZON) + today.weekday()) % 7]
    for first in range(0, len(sku_list), WRITE_SKUS):
        batch = sku_list[first : first + WRITE_SKUS]
        sales, snapshots, levels_rows, forecasts, plans = [], [], [], [], []
        for sku in batch:
            sku_rng = np.random.default_rng([seed, sku.pk])
            demand = sku.level * pattern * season
            if sku.planted == "sales_drop":
                demand[-DROP_DAYS:] *= DROP_FACTOR
            units = sku_rng.poisson(demand)
            sold = np.flatnonzero(units)
            sales.extend(
                (merchant.pk, sku.pk, dates[k], int(units[k]), f"{units[k] * sku.price:.2f}", False)
                for k in sold.tolist()
            )
            lead_demand = sku.level * sku.lead
            if sku.planted == "stockout":
                sku.on_hand, sku.inbound = int(lead_demand * 0.15), 0
            elif sku.planted == "overstock":
                sku.on_hand, sku.inbound = int(sku.level * 900 + 600), 0
            else:
                cover = sku_rng.uniform(1.3, 2.2)
                sku.on_hand = int(lead_demand * cover + sku.level * 30 + 5)
                sku.inbound = int(lead_demand) if sku_rng.random() < 0.3 else 0
            levels_rows.append(
                StockLevel(
                    product_id=sku.pk,
                    merchant=merchant,
                    on_hand=sku.on_hand,
                    inbound=sku.inbound,
                )
            )
            # Stock at the end of each of the last 91 days: what was sold since, added back.
            sold_after = np.concatenate([np.cumsum(units[::-1])[::-1][1:], [0]])[-SNAPSHOT_DAYS:]
            snapshots.extend(
                (merchant.pk, sku.pk, day, int(sku.on_hand + later), 0)
                for day, later in zip(snapshot_dates, sold_after.tolist(), strict=True)
            )
            median = sku.level * future * (DROP_FACTOR if sku.planted == "sales_drop" else 1)
            spread = 1.2816 * np.sqrt(median)
            forecasts.append(
                SkuForecast(
                    run=run,
                    merchant=merchant,
                    product_id=sku.pk,
                    start_date=today,
                    quantiles={
                        "0.1": np.round(np.maximum(median - spread, 0), 3).tolist(),
                        "0.5": np.round(median, 3).tolist(),
                        "0.9": np.round(median + spread, 3).tolist(),
                    },
                    model_name="bench",
                )
            )
            cover_days = sku.on_hand / sku.level if sku.level else None
            short = max(0.0, sku.lead - (cover_days or 0))
            overstock = max(0, int(sku.on_hand - sku.level * (sku.lead + 90)))
            plans.append(
                InventoryPlan(
                    product_id=sku.pk,
                    merchant=merchant,
                    computed_at=timezone.now(),
                    on_hand=sku.on_hand,
                    inbound=sku.inbound,
                    lead_time_days=sku.lead,
                    service_level=Decimal("0.950"),
                    mean_daily_demand=sku.level,
                    days_of_cover=cover_days,
                    stockout_risk=1.0 if short else 0.02,
                    stockout_date=today + dt.timedelta(days=int(cover_days)) if short else None,
                    lost_revenue=Decimal(f"{short * sku.level * sku.price:.2f}"),
                    order_quantity=int(sku.level * (sku.lead + 30)) if short else 0,
                    overstock_units=overstock,
                    overstock_value=Decimal(f"{overstock * sku.cost:.2f}"),
                )
            )
        with transaction.atomic():
            _insert(
                DailySales._meta.db_table,
                ["merchant_id", "product_id", "date", "units", "revenue", "on_promotion"],
                sales,
            )
            _insert(
                StockSnapshot._meta.db_table,
                ["merchant_id", "product_id", "date", "on_hand", "inbound"],
                snapshots,
            )
            StockLevel.objects.bulk_create(levels_rows, batch_size=1000)
            SkuForecast.objects.bulk_create(forecasts, batch_size=500)
            InventoryPlan.objects.bulk_create(plans, batch_size=1000)
        counts["sales_rows"] += len(sales)
        counts["snapshots"] += len(snapshots)

    # Reviews: about REVIEWS_PER_SKU a year each, mostly happy; a burst on the surge SKUs.
    now = timezone.now()
    drafts = []
    for sku in sku_list:
        sku_rng = np.random.default_rng([seed, sku.pk, 7])
        for _ in range(int(sku_rng.poisson(REVIEWS_PER_SKU))):
            age = float(sku_rng.uniform(0, days))
            rating = int(sku_rng.choice([5, 5, 5, 4, 4, 3, 2, 1]))
            drafts.append((sku.pk, now - dt.timedelta(days=age), rating))
        if sku.planted == "review_surge":
            for _ in range(SURGE_REVIEWS):
                age = float(sku_rng.uniform(0, SURGE_DAYS))
                drafts.append((sku.pk, now - dt.timedelta(days=age), int(sku_rng.choice([1, 2]))))
    for first in range(0, len(drafts), 5000):
        chunk = drafts[first : first + 5000]
        with transaction.atomic():
            reviews = Review.objects.bulk_create(
                [
                    Review(
                        merchant=merchant,
                        product_id=product_id,
                        source="bench",
                        external_id=f"b{first + i}",
                        rating=rating,
                        title="",
                        body="It leaks." if rating <= 2 else "Works as described.",
                        language="en",
                        created_at=created_at,
                    )
                    for i, (product_id, created_at, rating) in enumerate(chunk)
                ]
            )
            analyses = ReviewAnalysis.objects.bulk_create(
                [
                    ReviewAnalysis(
                        review=review,
                        merchant=merchant,
                        product_id=review.product_id,
                        analyser_version="bench",
                        language="en",
                        sentiment=(
                            "negative"
                            if review.rating <= 2
                            else "neutral"
                            if review.rating == 3
                            else "positive"
                        ),
                        sentiment_score=0.9,
                        sentiment_model="bench",
                    )
                    for review in reviews
                ]
            )
            AspectMention.objects.bulk_create(
                [
                    AspectMention(
                        analysis=analysis,
                        merchant=merchant,
                        product_id=analysis.product_id,
                        aspect=ASPECTS[analysis.review_id % len(ASPECTS)],
                        polarity="negative",
                        span_start=0,
                        span_end=8,
                        span_text="It leaks",
                    )
                    for analysis in analyses
                    if analysis.sentiment == "negative"
                ]
            )
        counts["reviews"] += len(chunk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return merchant, today, sku_list, counts


# --- The measurements (in a fresh process) -------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(function):
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, counter.count


def naive_load(merchant, product_ids: list[int], today: dt.date) -> None:
    """What a scan without bulk selectors would do: every product's data, one query at a time."""
    from crisis.detectors.config import Thresholds
    from forecasting.models import DailySales, InventoryPlan, SkuForecast
    from products.models import StockLevel, StockSnapshot
    from reviews.models import AspectMention, Review

    thresholds = Thresholds()
    window = thresholds.sales_drop_window_days + max(thresholds.sales_drop_baseline_days, 112)
    first = today - dt.timedelta(days=window)
    year_ago = first - dt.timedelta(days=364)
    since = today - dt.timedelta(
        days=thresholds.review_baseline_days + thresholds.rating_window_days
    )
    for product_id in product_ids:
        list(
            DailySales.objects.filter(
                merchant=merchant, product_id=product_id, date__gte=first
            ).values_list("date", "units", "on_promotion")
        )
        list(
            DailySales.objects.filter(
                merchant=merchant,
                product_id=product_id,
                date__range=(year_ago, year_ago + dt.timedelta(days=window)),
            ).values_list("date", "units")
        )
        StockLevel.objects.filter(merchant=merchant, product_id=product_id).first()
        list(
            StockSnapshot.objects.filter(
                merchant=merchant,
                product_id=product_id,
                date__gte=today - dt.timedelta(days=SNAPSHOT_DAYS),
            ).values_list("date", "on_hand", "inbound")
        )
        SkuForecast.objects.filter(
            merchant=merchant, product_id=product_id, is_current=True
        ).first()
        InventoryPlan.objects.filter(merchant=merchant, product_id=product_id).first()
        list(
            Review.objects.filter(
                merchant=merchant, product_id=product_id, created_at__date__gte=since
            ).values_list("pk", "created_at", "rating", "analysis__sentiment")
        )
        list(
            AspectMention.objects.filter(
                merchant=merchant,
                product_id=product_id,
                polarity="negative",
                analysis__review__created_at__date__gte=since,
            ).values_list("analysis_id", "aspect")
        )


def measure(*, merchant_id: int, today: dt.date, sample: int) -> dict:
    from accounts.models import Merchant
    from crisis.models import Alert, Crisis
    from crisis.selectors.signals import scan_inputs
    from crisis.services import crisis_scan
    from products.models import Product

    merchant = Merchant.objects.get(pk=merchant_id)
    skus = Product.objects.filter(merchant=merchant).count()
    _inputs, inputs_seconds, inputs_queries = _timed(
        lambda: scan_inputs(merchant=merchant, today=today)
    )
    del _inputs
    first, seconds, queries = _timed(lambda: crisis_scan(merchant=merchant, today=today))
    second, seconds_rescan, queries_rescan = _timed(
        lambda: crisis_scan(merchant=merchant, today=today)
    )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ids = list(
        Product.objects.filter(merchant=merchant)
        .order_by("?")
        .values_list("pk", flat=True)[:sample]
    )
    _none, naive_seconds, naive_queries = _timed(lambda: naive_load(merchant, ids, today))
    scale = skus / max(1, len(ids))
    live = Alert.objects.filter(merchant=merchant).live()
    return {
        "skus": skus,
        "inputs_seconds": inputs_seconds,
        "inputs_queries": inputs_queries,
        "seconds": seconds,
        "queries": queries,
        "seconds_rescan": seconds_rescan,
        "queries_rescan": queries_rescan,
        "peak_rss_mb": rss_mb,
        "naive_sample": len(ids),
        "naive_sample_seconds": naive_seconds,
        "baseline_seconds": naive_seconds * scale,
        "baseline_queries": int(naive_queries * scale),
        "first": first.as_dict(),
        "second": second.as_dict(),
        "alerts": live.count(),
        "crises": Crisis.objects.filter(merchant=merchant).open().count(),
        "alert_pairs": list(live.values_list("product_id", "kind")),
    }


def _measure_in_child(env: dict, *, merchant_id: int, today: dt.date, sample: int) -> dict:
    """Run `measure` in a fresh interpreter (its peak RSS is the scan's, not the build's)."""
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--measure-merchant",
            str(merchant_id),
            "--measure-today",
            today.isoformat(),
            "--sample",
            str(sample),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise BenchError(f"the measuring process failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Main ----------------------------------------------------------------------------------------


def _row(label: str, seconds: float, skus: int, queries, rss) -> str:
    rate = f"{skus / seconds:,.0f}" if seconds else "-"
    rss_text = f"{rss:,.0f}" if rss is not None else "-"
    return f"{label:<58} {seconds:>9.2f} {rate:>9} {queries:>9,} {rss_text:>12}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--skus", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sample", type=int, default=300, help="SKUs of the naive baseline")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    parser.add_argument("--measure-merchant", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure-today", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure_merchant:  # the child process: the environment is the scratch one
        import django

        django.setup()
        values = measure(
            merchant_id=args.measure_merchant,
            today=dt.date.fromisoformat(args.measure_today),
            sample=args.sample,
        )
        print(json.dumps(values, default=str))
        return 0

    if args.skus < 100:
        parser.error("--skus must be at least 100")
    if args.days < 120:
        parser.error("--days must be at least 120")
    with scratch_environment("ecomops_bench_crisis_scan") as env:
        django_setup(env)
        from django.db import connection

        vendor = connection.vendor
        started = time.perf_counter()
        merchant, today, sku_list, counts = store_build(
            skus=args.skus, days=args.days, seed=args.seed
        )
        build_seconds = time.perf_counter() - started
        connection.close()
        print(
            f"{vendor}: {args.skus:,} SKUs x {args.days} days ({counts['sales_rows']:,} sales "
            f"rows, {counts['snapshots']:,} stock snapshots, {counts['reviews']:,} reviews) "
            f"built in {build_seconds:.1f}s"
        )
        values = _measure_in_child(env, merchant_id=merchant.pk, today=today, sample=args.sample)

    skus = values["skus"]
    print()
    print(f"{'step':<58} {'seconds':>9} {'SKUs/s':>9} {'queries':>9} {'peak RSS MB':>12}")
    print(
        _row(
            "load inputs only (scan_inputs, the floor)",
            values["inputs_seconds"],
            skus,
            values["inputs_queries"],
            None,
        )
    )
    print(
        _row(
            "crisis_scan, first (alerts created)",
            values["seconds"],
            skus,
            values["queries"],
            values["peak_rss_mb"],
        )
    )
    print(
        _row(
            "crisis_scan, again (standing conditions updated)",
            values["seconds_rescan"],
            skus,
            values["queries_rescan"],
            values["peak_rss_mb"],
        )
    )
    print(
        _row(
            f"baseline: naive per-product loading ({values['naive_sample']} SKUs, scaled)",
            values["baseline_seconds"],
            skus,
            values["baseline_queries"],
            None,
        )
    )
    first, second = values["first"], values["second"]
    print()
    print(
        f"first scan: {first['findings']:,} findings -> {first['opened']:,} alerts in "
        f"{first['crises_opened']:,} crises; steps {first['seconds']}"
    )
    print(
        f"rescan: {second['opened']} opened, {second['updated']:,} updated, "
        f"{second['resolved']} cleared; steps {second['seconds']}"
    )
    pairs = {(int(pk), kind) for pk, kind in values["alert_pairs"]}
    planted = [sku for sku in sku_list if sku.planted]
    found = sum(1 for sku in planted if (sku.pk, PLANTED_KIND[sku.planted]) in pairs)
    print(f"planted conditions with an alert of their kind: {found} of {len(planted)}")
    ratio = values["baseline_seconds"] / values["seconds"] if values["seconds"] else 0
    print(
        f"the whole scan is {ratio:.1f}x faster than the naive loop only loading the data; "
        f"target {SECONDS_TARGET} s for 10,000 SKUs: "
        + ("met" if values["seconds"] < SECONDS_TARGET else "NOT met")
        + f" ({skus:,} SKUs here)"
    )
    if args.json:
        write_json(
            args.json,
            {
                "skus": skus,
                "days": args.days,
                "seconds": round(values["seconds"], 3),
                "seconds_rescan": round(values["seconds_rescan"], 3),
                "skus_per_s": round(skus / values["seconds"], 1),
                "peak_rss_mb": round(values["peak_rss_mb"], 1),
                "baseline_seconds": round(values["baseline_seconds"], 3),
                "inputs_seconds": round(values["inputs_seconds"], 3),
                "queries": values["queries"],
                "alerts": values["alerts"],
                "crises": values["crises"],
                "planted": len(planted),
                "planted_found": found,
            },
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    bench_exit(main)
