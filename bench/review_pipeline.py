"""Review analysis end to end: N reviews in a scratch database analysed by the backfill job.

Builds a scratch database (SQLite, or PostgreSQL with DATABASE_URL) with one merchant, a
catalogue and `--reviews` reviews (default 100,000), half English and half Chinese, whose
texts come from `../shared/data` (clothing reviews, online shopping, waimai) when present and
from a small phrase grammar otherwise. Then runs the product's own backfill job (the
`review_backfill` task body: batched analysis with progress, complaint topics, retraining
check) in this process, and measures wall time, CPU time and reviews/s. The baseline, in the
same run, is the pure pipeline (`reviews.analysis.pipeline.analyse_texts`) on the same texts
without the database: the ratio shows what the database writes and bookkeeping cost.

    python bench/review_pipeline.py                       # 100,000 reviews
    python bench/review_pipeline.py --reviews 20000 --json bench/results/review_pipeline.json

Target (issue 4): 100,000 reviews end to end in under 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import REPO_ROOT, django_setup, scratch_environment, write_json  # noqa: E402

DATA = REPO_ROOT.parent / "shared" / "data"
CATEGORIES = ["Drinkware", "Kitchen", "Apparel", "Electronics", "Home", "Beauty", "Toys", "Outdoor"]
EN_PARTS = (
    ["The lid", "The strap", "Shipping", "The fabric", "The price", "Customer service", "It"],
    [
        "leaks",
        "broke after a week",
        "was fast",
        "feels soft",
        "is fair",
        "never answered",
        "works great",
        "runs small",
        "looks cheap",
        "is perfect",
    ],
    [".", "!", ", very happy.", ", really disappointed.", ", would buy again."],
)
ZH_PARTS = (
    ["盖子", "背带", "物流", "面料", "价格", "客服", "质量"],
    ["漏水", "用了一周就断了", "很快", "很舒服", "实惠", "不理人", "很好", "偏小", "做工粗糙"],
    ["。", "！", "，很满意。", "，太失望了。", "，还会回购。"],
)


def _reference_texts() -> list[tuple[str, str, int]]:
    """(text, language, rating) from the reference sets that are present."""
    rows: list[tuple[str, str, int]] = []
    clothing = DATA / "womens_clothing_reviews" / "womens_clothing_reviews_dev.csv"
    if clothing.exists():
        with clothing.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("Review Text") or "").strip()
                if text:
                    rows.append((text, "en", int(row.get("Rating") or 3)))
    for path in (
        DATA / "online_shopping_10_cats" / "online_shopping_10_cats_dev.csv",
        DATA / "waimai_10k" / "waimai_10k.csv",
    ):
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    text = (row.get("review") or "").strip()
                    if text:
                        rows.append((text, "zh", 5 if row.get("label") == "1" else 1))
    return rows


def _synthetic(rng: random.Random, count: int) -> list[tuple[str, str, int]]:
    rows = []
    for index in range(count):
        parts = EN_PARTS if index % 2 else ZH_PARTS
        sep = " " if index % 2 else ""
        text = sep.join(rng.choice(part) for part in parts)
        rows.append((text, "en" if index % 2 else "zh", rng.randint(1, 5)))
    return rows


def seed(*, reviews: int, products: int) -> tuple[object, list[tuple[str, str, int]], str]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from accounts.services import merchant_create
    from products.models import Product
    from reviews.models import Review

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(20240611)  # noqa: S311 - reproducible data
    pool = _reference_texts()
    source = "reference data" if pool else "synthetic phrases"
    if not pool:
        pool = _synthetic(rng, 5000)
    rng.shuffle(pool)
    by_language = {lang: [row for row in pool if row[1] == lang] for lang in ("en", "zh")}
    texts = []
    for index in range(reviews):
        rows = by_language["en" if index % 2 else "zh"] or pool
        texts.append(rows[(index // 2) % len(rows)])

    owner = get_user_model().objects.create_user(username="bench", password=None)
    merchant = merchant_create(name="Bench Store", owner=owner, slug="bench")
    Product.objects.bulk_create(
        (
            Product(
                merchant=merchant,
                sku=f"BENCH-{n:05d}",
                title=f"Item {n}",
                category=CATEGORIES[n % len(CATEGORIES)],
                price=10,
            )
            for n in range(products)
        ),
        batch_size=2000,
    )
    product_ids = list(Product.objects.filter(merchant=merchant).values_list("pk", flat=True))
    now = timezone.now()
    Review.objects.bulk_create(
        (
            Review(
                merchant=merchant,
                product_id=product_ids[index % len(product_ids)],
                source="bench",
                external_id=str(index),
                rating=rating,
                body=text[:4000],
                language=language,
                created_at=now - dt.timedelta(minutes=7 * index),
            )
            for index, (text, language, rating) in enumerate(texts)
        ),
        batch_size=2000,
    )
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")
    return merchant, texts, source


class _Run:
    """What the job runner hands the job body: the merchant and a progress callback."""

    def __init__(self, merchant):
        self.merchant = merchant
        self.reports = 0

    def progress(self, **kwargs):
        self.reports += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    if args.reviews < 100 or args.products < 1:
        parser.error("--reviews must be at least 100 and --products at least 1")

    with scratch_environment("ecomops_bench_reviews") as env:
        django_setup(env)
        from django.db import connection

        from reviews.analysis.pipeline import ANALYSER_VERSION, analyse_texts
        from reviews.models import AspectMention, ReviewAnalysis
        from reviews.services.analysis import reviews_backfill_run

        started = time.monotonic()
        merchant, texts, source = seed(reviews=args.reviews, products=args.products)
        print(
            f"seeded {args.reviews:,} reviews ({source}) on {connection.vendor} "
            f"in {time.monotonic() - started:.1f}s"
        )

        # Baseline: the pure pipeline on the same texts, no database.
        sample = texts[: min(len(texts), 20_000)]
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(sample), 1000):
            chunk = sample[start : start + 1000]
            analyse_texts(
                [t for t, _l, _r in chunk],
                ratings=[r for _t, _l, r in chunk],
                languages=[lang for _t, lang, _r in chunk],
            )
        pure_wall, pure_cpu = time.perf_counter() - wall, time.process_time() - cpu
        pure_rate = len(sample) / pure_wall

        run = _Run(merchant)
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = reviews_backfill_run(run=run)
        job_wall, job_cpu = time.perf_counter() - wall, time.process_time() - cpu
        analysed = ReviewAnalysis.objects.filter(
            merchant=merchant, analyser_version=ANALYSER_VERSION
        ).count()
        mentions = AspectMention.objects.filter(merchant=merchant).count()
        if analysed != args.reviews:
            print(f"bench failed: {analysed} of {args.reviews} analysed", file=sys.stderr)
            return 1
        vendor = connection.vendor

    rate = args.reviews / job_wall
    print(f"review analysis, {vendor}, analyser {ANALYSER_VERSION}, one process")
    print(f"{'measure':<58}{'value':>14}")
    rows = [
        ("pure pipeline, no database (baseline), reviews/s", f"{pure_rate:,.0f}"),
        ("  CPU s per 1,000 reviews", f"{pure_cpu / len(sample) * 1000:.3f}"),
        (f"backfill job, {args.reviews:,} reviews: wall s", f"{job_wall:,.1f}"),
        ("  CPU s", f"{job_cpu:,.1f}"),
        ("  reviews/s end to end", f"{rate:,.0f}"),
        ("  ratio end to end / pure pipeline", f"{rate / pure_rate:.2f}"),
        ("  aspect mentions written", f"{mentions:,}"),
        ("  complaint topics", f"{outcome.summary['topics']:,}"),
        ("  progress reports", f"{run.reports:,}"),
        ("100,000 reviews at this rate: minutes", f"{100_000 / rate / 60:.1f}"),
    ]
    for name, value in rows:
        print(f"{name:<58}{value:>14}")
    if args.json:
        write_json(
            args.json,
            {
                "reviews": args.reviews,
                "job_wall_s": round(job_wall, 2),
                "job_cpu_s": round(job_cpu, 2),
                "reviews_per_s": round(rate, 1),
                "pure_reviews_per_s": round(pure_rate, 1),
                "ratio": round(rate / pure_rate, 4),
                "minutes_per_100k": round(100_000 / rate / 60, 2),
                "topics": outcome.summary["topics"],
            },
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
