"""The four crises planted in the demo store, and the evidence the seed prints for each.

Every crisis lives on a fixed SKU so that the README, the tests and later detectors can name
it. The generators in `sales`, `stock` and `reviews` read the flags set here; nothing else in
the demo data is tuned to trip a detector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from core.selectors import merchant_day_start

from .catalog import TIER_BESTSELLER, TIER_SLOW, TIER_STEADY, ProductSpec, _description

STOCKOUT = "stockout"
OVERSTOCK = "overstock"
SALES_SLIDE = "sales_slide"
REVIEW_SURGE = "review_surge"

STOCKOUT_SKU = "ELE-CHG-65W-WHT"  # Voltra GaN USB-C Charger, 65W, White
OVERSTOCK_SKU = "HTX-THR-HRB-MUS"  # Linden House Wool Throw Blanket, Herringbone, Mustard
SALES_SLIDE_SKU = "KIT-PAN-28-GRY"  # Forge & Fern Nonstick Frying Pan, 28 cm, Graphite
REVIEW_SURGE_SKU = "DRK-BTL-750-SLV"  # Summit Insulated Water Bottle, 750 ml, Silver

CRISIS_SKUS = {
    STOCKOUT_SKU: STOCKOUT,
    OVERSTOCK_SKU: OVERSTOCK,
    SALES_SLIDE_SKU: SALES_SLIDE,
    REVIEW_SURGE_SKU: REVIEW_SURGE,
}

# Stock-out: on hand covers this many days of the last 28 days' sales; nothing inbound.
STOCKOUT_COVER_DAYS = 4.5
# Overstock: on hand is this many days of the last 90 days' average sales.
OVERSTOCK_COVER_DAYS = 1100
OVERSTOCK_RECEIPT_DAYS_AGO = 72
# Slide: demand falls linearly over the last 21 days from 85% to 20% of its normal level.
SLIDE_DAYS = 21
SLIDE_FROM = 0.85
SLIDE_TO = 0.20
# Review surge: negative reviews about leaking in the last days, versus a calm history.
SURGE_DAYS = 9
SURGE_ASPECT = "leaking"


def surge_size(total_reviews: int) -> int:
    return min(30, max(8, total_reviews // 10))


def crisis_apply_catalog(spec: ProductSpec) -> None:
    """Give a crisis product the demand profile its story needs."""
    spec.crisis = CRISIS_SKUS[spec.sku]
    spec.status = "active"
    spec.launched_days_ago = None
    spec.stopped_days_ago = None
    spec.description = _description(spec.item, spec.attributes)
    if spec.crisis == STOCKOUT:
        # The store's best-seller, shipped by sea from the factory.
        spec.tier, spec.base_demand = TIER_BESTSELLER, 34.0
        spec.lead_time_days, spec.moq, spec.case_pack = 35, 500, 50
        spec.quality, spec.strong_aspect, spec.weak_aspect = 0.5, "function", "shipping"
        spec.extra["trend"] = 0.25
        spec.extra["stock_high_days"] = 42
    elif spec.crisis == OVERSTOCK:
        # A winter throw bought in bulk that never sold at the rate hoped for.
        spec.tier, spec.base_demand = TIER_SLOW, 1.3
        spec.lead_time_days, spec.moq, spec.case_pack = 60, 200, 12
        spec.quality, spec.strong_aspect, spec.weak_aspect = 0.2, "quality", "price_value"
        spec.extra["trend"] = -0.1
    elif spec.crisis == SALES_SLIDE:
        # A steady seller with flat demand: no season, no trend, no promotions lately.
        spec.tier, spec.base_demand = TIER_STEADY, 30.0
        spec.lead_time_days = 40
        spec.quality, spec.strong_aspect, spec.weak_aspect = 0.3, "function", "shipping"
        spec.extra.update(trend=0.0, flat_season=True, no_promo_days=120, poisson=True)
    elif spec.crisis == REVIEW_SURGE:
        # A well-liked bottle until a new production batch started leaking.
        spec.tier, spec.base_demand = TIER_STEADY, 14.0
        spec.quality, spec.strong_aspect, spec.weak_aspect = 0.7, "function", "shipping"


def slide_factors(days: int) -> np.ndarray:
    """Demand multipliers for the last `SLIDE_DAYS` days of the slide product."""
    factors = np.ones(days)
    factors[-SLIDE_DAYS:] = np.linspace(SLIDE_FROM, SLIDE_TO, SLIDE_DAYS)
    return factors


def slide_is_clear(units: np.ndarray) -> bool:
    """Three 7-day sums, each at least 10% below the one before and below the 8-week baseline."""
    weeks = [int(units[-21 + 7 * i : len(units) - 14 + 7 * i].sum()) for i in range(3)]
    baseline = float(units[-77:-21].sum()) / 8
    return (
        weeks[0] >= 1.1 * weeks[1]
        and weeks[1] >= 1.1 * weeks[2]
        and weeks[0] < 0.9 * baseline
        and weeks[2] < 0.5 * baseline
    )


@dataclass(frozen=True)
class CrisisEvidence:
    kind: str
    sku: str
    title: str
    summary: str


def _units_between(product, start: dt.date, end: dt.date) -> int:
    from forecasting.models import DailySales

    total = DailySales.objects.filter(product=product, date__gte=start, date__lte=end).aggregate(
        total=Sum("units")
    )["total"]
    return int(total or 0)


def crisis_evidence(*, merchant, today: dt.date) -> list[CrisisEvidence]:
    """What a detector should see for each planted crisis, measured from the written data."""
    from products.models import Product, StockLevel
    from reviews.models import Review

    products = {
        product.sku: product
        for product in Product.objects.filter(merchant=merchant, sku__in=list(CRISIS_SKUS))
    }
    yesterday = today - dt.timedelta(days=1)
    evidence = []

    product = products.get(STOCKOUT_SKU)
    if product is not None:
        stock = StockLevel.objects.get(product=product)
        daily = _units_between(product, today - dt.timedelta(days=28), yesterday) / 28
        cover = stock.on_hand / daily if daily else 0.0
        at_risk = max(0.0, product.lead_time_days - cover) * daily * float(product.price)
        evidence.append(
            CrisisEvidence(
                STOCKOUT,
                product.sku,
                product.title,
                _(
                    "%(on_hand)d on hand, %(inbound)d inbound, selling %(daily).1f a day: "
                    "%(cover).1f days of cover against a %(lead)d-day lead time "
                    "(about $%(at_risk)s of sales at risk before a new order could land)."
                )
                % {
                    "on_hand": stock.on_hand,
                    "inbound": stock.inbound,
                    "daily": daily,
                    "cover": cover,
                    "lead": product.lead_time_days,
                    "at_risk": f"{at_risk:,.0f}",
                },
            )
        )

    product = products.get(OVERSTOCK_SKU)
    if product is not None:
        stock = StockLevel.objects.get(product=product)
        daily = _units_between(product, today - dt.timedelta(days=90), yesterday) / 90
        cover = stock.on_hand / daily if daily else float("inf")
        tied_up = Decimal(stock.on_hand) * (product.cost or Decimal(0))
        evidence.append(
            CrisisEvidence(
                OVERSTOCK,
                product.sku,
                product.title,
                _(
                    "%(on_hand)d on hand, selling %(daily).2f a day: %(cover).0f days "
                    "(%(years).1f years) of cover, $%(tied_up)s tied up at cost."
                )
                % {
                    "on_hand": stock.on_hand,
                    "daily": daily,
                    "cover": cover,
                    "years": cover / 365,
                    "tied_up": f"{tied_up:,.0f}",
                },
            )
        )

    product = products.get(SALES_SLIDE_SKU)
    if product is not None:
        weeks = [
            _units_between(
                product,
                today - dt.timedelta(days=21 - 7 * i),
                today - dt.timedelta(days=15 - 7 * i),
            )
            for i in range(3)
        ]
        baseline = (
            _units_between(product, today - dt.timedelta(days=77), today - dt.timedelta(days=22))
            / 8
        )
        evidence.append(
            CrisisEvidence(
                SALES_SLIDE,
                product.sku,
                product.title,
                _(
                    "Units in the last three weeks: %(w1)d, %(w2)d, %(w3)d, against a normal "
                    "week of %(baseline).0f (last week %(percent).0f%% of normal)."
                )
                % {
                    "w1": weeks[0],
                    "w2": weeks[1],
                    "w3": weeks[2],
                    "baseline": baseline,
                    "percent": 100 * weeks[2] / baseline if baseline else 0,
                },
            )
        )

    product = products.get(REVIEW_SURGE_SKU)
    if product is not None:
        since = merchant_day_start(merchant=merchant, day=today - dt.timedelta(days=10))
        leak = Q(body__icontains="leak") | Q(body__contains="漏") | Q(title__icontains="leak")
        negative = Review.objects.filter(product=product, rating__lte=2).filter(leak)
        recent = negative.filter(created_at__gte=since)
        evidence.append(
            CrisisEvidence(
                REVIEW_SURGE,
                product.sku,
                product.title,
                _(
                    "%(recent)d reviews of 1-2 stars about leaking in the last 10 days "
                    "(%(en)d English, %(zh)d Chinese), against %(before)d in all the time before."
                )
                % {
                    "recent": recent.count(),
                    "en": recent.filter(language="en").count(),
                    "zh": recent.filter(language="zh").count(),
                    "before": negative.filter(created_at__lt=since).count(),
                },
            )
        )
    return evidence
