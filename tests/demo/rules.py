"""Explicit rules a detector would apply to the demo data, written against the ORM.

They are deliberately simple and independent of `core.demo`: the tests check that the
planted crises are visible to someone who only reads the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zoneinfo
from decimal import Decimal

from django.db.models import Avg, Sum

from forecasting.models import DailySales
from products.models import Product, StockLevel, StockSnapshot
from reviews.models import Review

LEAK = re.compile(r"leak|漏", re.IGNORECASE)


def average_daily_units(product, *, today: dt.date, days: int) -> float:
    """Average units over the recorded days (rows exist from launch) in the last `days`."""
    value = DailySales.objects.filter(
        product=product, date__gte=today - dt.timedelta(days=days), date__lt=today
    ).aggregate(value=Avg("units"))["value"]
    return float(value or 0)


def units_between(product, start: dt.date, end: dt.date) -> int:
    total = DailySales.objects.filter(product=product, date__gte=start, date__lte=end).aggregate(
        total=Sum("units")
    )["total"]
    return int(total or 0)


def active_products(merchant):
    return Product.objects.filter(merchant=merchant, status="active").order_by("sku")


def stockout_risks(merchant, *, today: dt.date) -> list[str]:
    """Days of cover (on hand / average daily sales, last 28 days) below the lead time and
    nothing inbound, for products selling at least one a day."""
    risky = []
    for product in active_products(merchant):
        daily = average_daily_units(product, today=today, days=28)
        stock = StockLevel.objects.get(product=product)
        if daily >= 1 and stock.inbound == 0 and stock.on_hand / daily < product.lead_time_days:
            risky.append(product.sku)
    return risky


def overstocks(merchant, *, today: dt.date, min_value: Decimal = Decimal(5000)) -> list[str]:
    """More than a year of cover at the last 90 days' rate, with at least `min_value` at cost."""
    found = []
    for product in active_products(merchant):
        daily = average_daily_units(product, today=today, days=90)
        stock = StockLevel.objects.get(product=product)
        value = stock.on_hand * (product.cost or Decimal(0))
        cover = stock.on_hand / daily if daily else float("inf")
        if cover > 365 and value >= min_value:
            found.append(product.sku)
    return found


def weekly_units(product, *, today: dt.date) -> tuple[list[int], float]:
    """Units of the last three 7-day weeks, oldest first, and the average of the 8 before."""
    weeks = [
        units_between(
            product, today - dt.timedelta(days=21 - 7 * i), today - dt.timedelta(days=15 - 7 * i)
        )
        for i in range(3)
    ]
    baseline = (
        units_between(product, today - dt.timedelta(days=77), today - dt.timedelta(days=22)) / 8
    )
    return weeks, baseline


def sliding(merchant, *, today: dt.date, min_weekly: float = 70) -> list[str]:
    """Three consecutive weekly declines, the first already below 90% of the 8-week baseline
    and the last below half of it, for products that normally sell `min_weekly` a week."""
    found = []
    for product in active_products(merchant):
        weeks, baseline = weekly_units(product, today=today)
        if (
            baseline >= min_weekly
            and weeks[0] > weeks[1] > weeks[2]
            and weeks[0] < 0.9 * baseline
            and weeks[2] < 0.5 * baseline
        ):
            found.append(product.sku)
    return found


def local_midnight(merchant, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zoneinfo.ZoneInfo(merchant.timezone))


def negative_leak_reviews(product, *, since=None, until=None):
    reviews = Review.objects.filter(product=product, rating__lte=2)
    if since is not None:
        reviews = reviews.filter(created_at__gte=since)
    if until is not None:
        reviews = reviews.filter(created_at__lt=until)
    return [review for review in reviews if LEAK.search(f"{review.title} {review.body}")]


def negative_surges(merchant, *, today: dt.date, minimum: int = 5) -> list[str]:
    """Products with at least `minimum` reviews of 1-2 stars in the last 10 days."""
    since = local_midnight(merchant, today - dt.timedelta(days=10))
    found = []
    for product in Product.objects.filter(merchant=merchant).order_by("sku"):
        if Review.objects.filter(product=product, rating__lte=2, created_at__gte=since).count() >= (
            minimum
        ):
            found.append(product.sku)
    return found


def demo_digest(merchant) -> str:
    """A digest of everything the seed writes for a merchant, independent of primary keys."""
    digest = hashlib.sha256()

    def feed(rows):
        for row in rows:
            digest.update(json.dumps(row, default=str, sort_keys=True).encode())

    feed([[merchant.name, merchant.slug, merchant.currency, merchant.timezone]])
    feed(
        Product.objects.filter(merchant=merchant)
        .order_by("sku")
        .values_list(*Product.EDITABLE_FIELDS, "created_at")
    )
    feed(
        DailySales.objects.filter(merchant=merchant)
        .order_by("product__sku", "date")
        .values_list("product__sku", "date", "units", "revenue", "on_promotion")
    )
    feed(
        StockLevel.objects.filter(merchant=merchant)
        .order_by("product__sku")
        .values_list("product__sku", "on_hand", "inbound")
    )
    feed(
        StockSnapshot.objects.filter(merchant=merchant)
        .order_by("product__sku", "date")
        .values_list("product__sku", "date", "on_hand", "inbound")
    )
    feed(
        Review.objects.filter(merchant=merchant)
        .order_by("source", "external_id")
        .values_list(
            "source",
            "external_id",
            "product__sku",
            "rating",
            "title",
            "body",
            "language",
            "author_name",
            "created_at",
        )
    )
    return digest.hexdigest()
