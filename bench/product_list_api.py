"""Product list API at 10,000 products under gunicorn, next to a bare Django JSON view.

    .venv/bin/python bench/product_list_api.py [--json PATH]

Builds a fresh database (SQLite in a temporary folder; a scratch PostgreSQL database
`ecomops_bench` when DATABASE_URL is set), fills one merchant with --products products and
their stock levels, issues an API token, starts `gunicorn ecomops.wsgi -w 2` on 127.0.0.1 and
drives `GET /api/v1/products/?page_size=50` and the bare `/healthz` view with the same client.
The ratio list_rps / bare_rps is what to watch: it does not depend on how fast the machine is.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    BenchError,
    LoadResult,
    bench_exit,
    django_setup,
    drive,
    gunicorn,
    request_once,
    scratch_environment,
    write_json,
)

LIST_PATH = "/api/v1/products/?page_size=50"
BARE_PATH = "/healthz"
CATEGORIES = ["Drinkware", "Kitchen", "Outdoor", "Bags", "Home", "Lighting", "Garden", "Pets"]
MATERIALS = ["stainless steel", "glass", "bamboo", "cotton", "recycled PET", "ceramic"]


def seed(*, products: int) -> str:
    """One merchant with `products` products and stock levels; returns an API token key."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from accounts.services import api_token_create, merchant_create
    from products.models import Product, StockLevel

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(20240611)  # noqa: S311 - reproducible data, not security
    owner = get_user_model().objects.create_user(username="bench", password=None)
    merchant = merchant_create(name="Bench Store", owner=owner, slug="bench")
    Product.objects.bulk_create(
        (
            Product(
                merchant=merchant,
                sku=f"BENCH-{n:05d}",
                title=f"{rng.choice(MATERIALS).title()} item {n}",
                category=CATEGORIES[n % len(CATEGORIES)],
                brand=f"Brand {n % 37}",
                attributes={"material": rng.choice(MATERIALS), "size": rng.choice("SML")},
                description="Benchmark product. " * 10,
                price=Decimal(rng.randint(500, 20000)) / 100,
                cost=Decimal(rng.randint(200, 4000)) / 100,
                currency=merchant.currency,
            )
            for n in range(products)
        ),
        batch_size=2000,
    )
    StockLevel.objects.bulk_create(
        (
            StockLevel(
                product_id=pk,
                merchant=merchant,
                on_hand=rng.randint(0, 500),
                inbound=rng.choice([0, 0, 50]),
            )
            for pk in Product.objects.filter(merchant=merchant).values_list("pk", flat=True)
        ),
        batch_size=2000,
    )
    _, key = api_token_create(user=owner, merchant=merchant, name="bench")
    # Planner statistics, as a live database has them: a freshly loaded table without them
    # gets a sequential scan and sort on PostgreSQL, a 100x slower page query.
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")
    # gunicorn opens its own connections; nothing may hold SQLite's write lock meanwhile.
    connections.close_all()
    return key


def check_list_response(port: int, headers: dict[str, str], *, products: int) -> None:
    """Refuse to benchmark an answer that is not the full product page."""
    status, body = request_once(port, LIST_PATH, headers)
    if status != 200:
        raise BenchError(f"GET {LIST_PATH} answered {status}: {body[:300]!r}")
    page = json.loads(body)
    if page.get("count") != products or len(page.get("results", [])) != 50:
        raise BenchError(f"GET {LIST_PATH} did not return 50 of {products} products: {page!r:.300}")


def table(rows: list[tuple[str, LoadResult]], ratio: float, context: str) -> str:
    lines = [
        context,
        f"{'endpoint':<42} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}",
    ]
    for label, result in rows:
        lines.append(
            f"{label:<42} {result.requests:>8} {result.p50:>8.2f} {result.p95:>8.2f} "
            f"{result.rps:>8.1f}"
        )
    lines.append(f"ratio list_rps / bare_rps = {ratio:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", metavar="PATH", help="write the results as one JSON object")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per URL")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured requests per URL")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--time-limit", type=float, default=120, help="seconds at most per measured phase"
    )
    args = parser.parse_args(argv)
    for name in ("products", "requests", "concurrency", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.products < 50:
        parser.error("--products must be at least 50 (one full page)")

    with scratch_environment("ecomops_bench") as env:
        started = time.monotonic()
        django_setup(env)
        from django.db import connection

        key = seed(products=args.products)
        vendor = connection.vendor
        print(f"seeded {args.products:,} products on {vendor} in {time.monotonic() - started:.1f}s")
        headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
        load = {
            "requests": args.requests,
            "warmup": args.warmup,
            "concurrency": args.concurrency,
            "time_limit": args.time_limit,
        }
        with gunicorn(env, workers=args.workers) as port:
            check_list_response(port, headers, products=args.products)
            bare = drive(port, BARE_PATH, **load)
            listing = drive(port, LIST_PATH, headers=headers, **load)

    ratio = listing.rps / bare.rps
    context = (
        f"{vendor}, {args.products:,} products, gunicorn -w {args.workers} (sync), "
        f"{args.concurrency} clients, {args.requests} requests per URL after {args.warmup} "
        "warm-up"
    )
    print(
        table(
            [(f"GET {LIST_PATH}", listing), (f"GET {BARE_PATH} (bare Django JSON)", bare)],
            ratio,
            context,
        )
    )
    for result in (listing, bare):
        if not result.completed_all:
            print(f"warning: {result.path} hit the {args.time_limit}s limit", file=sys.stderr)
    if args.json:
        write_json(
            args.json,
            {
                "list_p50_ms": round(listing.p50, 3),
                "list_p95_ms": round(listing.p95, 3),
                "list_rps": round(listing.rps, 2),
                "bare_rps": round(bare.rps, 2),
                "ratio": round(ratio, 4),
            },
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    bench_exit(main)
