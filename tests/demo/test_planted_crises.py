"""Each planted crisis is visible to a simple rule, and only on its product, on any day."""

import datetime as dt

import pytest

from core.demo import demo_seed
from core.demo.crises import OVERSTOCK_SKU, REVIEW_SURGE_SKU, SALES_SLIDE_SKU, STOCKOUT_SKU
from products.models import Product, StockLevel

from . import rules
from .conftest import SMALL, demo_remove

# Quiet June, the summer sale, Black Friday week, just after Christmas, mid January.
DAYS = [
    dt.date(2025, 6, 18),
    dt.date(2025, 7, 12),
    dt.date(2025, 12, 2),
    dt.date(2025, 12, 28),
    dt.date(2026, 1, 14),
]


@pytest.fixture(scope="module", params=DAYS, ids=str)
def seeded_on(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = demo_seed(**SMALL, today=request.param)
    yield result.merchant, request.param
    with django_db_blocker.unblock():
        demo_remove()


@pytest.fixture
def seeded(seeded_on, db):
    return seeded_on


def test_the_best_seller_will_stock_out_before_a_reorder_could_arrive(seeded):
    merchant, today = seeded
    product = Product.objects.get(merchant=merchant, sku=STOCKOUT_SKU)
    stock = StockLevel.objects.get(product=product)

    daily = rules.average_daily_units(product, today=today, days=28)
    assert daily >= 20  # a best-seller
    assert stock.inbound == 0
    assert stock.on_hand / daily < 7 < product.lead_time_days
    assert rules.stockout_risks(merchant, today=today) == [STOCKOUT_SKU]


def test_the_slow_throw_has_years_of_stock_tying_up_capital(seeded):
    merchant, today = seeded
    product = Product.objects.get(merchant=merchant, sku=OVERSTOCK_SKU)
    stock = StockLevel.objects.get(product=product)

    daily = rules.average_daily_units(product, today=today, days=90)
    assert 0 < daily < 3
    assert stock.on_hand / daily > 3 * 365
    assert stock.on_hand * product.cost > 20_000
    assert rules.overstocks(merchant, today=today) == [OVERSTOCK_SKU]


def test_the_pan_slides_three_weeks_running_below_its_normal_level(seeded):
    merchant, today = seeded
    product = Product.objects.get(merchant=merchant, sku=SALES_SLIDE_SKU)

    weeks, baseline = rules.weekly_units(product, today=today)
    assert weeks[0] > weeks[1] > weeks[2]
    assert weeks[0] < 0.9 * baseline
    assert weeks[2] < 0.5 * baseline
    assert rules.sliding(merchant, today=today) == [SALES_SLIDE_SKU]


def test_the_bottle_gets_a_fresh_surge_of_leak_complaints_in_both_languages(seeded):
    merchant, today = seeded
    product = Product.objects.get(merchant=merchant, sku=REVIEW_SURGE_SKU)
    since = rules.local_midnight(merchant, today - dt.timedelta(days=10))

    recent = rules.negative_leak_reviews(product, since=since)
    before = rules.negative_leak_reviews(product, until=since)
    history_days = (since.date() - (today - dt.timedelta(days=SMALL["days"]))).days
    assert len(recent) >= 8
    assert {review.language for review in recent} == {"en", "zh"}
    assert len(recent) >= 20 * len(before) * 10 / history_days  # far above the prior rate
    assert rules.negative_surges(merchant, today=today) == [REVIEW_SURGE_SKU]
