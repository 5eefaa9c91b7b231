"""The cockpit's selectors on data whose answer is known."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.cockpit import (
    cockpit_drafts,
    cockpit_jobs,
    cockpit_plan,
    cockpit_review_trend,
    kpi_sparkline,
)
from core.selectors import dashboard_kpis, merchant_day_start, merchant_today
from tests.factories import DailySalesFactory, ProductFactory
from tests.review_pages.factories import analysed_review


@pytest.fixture
def shanghai(merchant):
    merchant.timezone = "Asia/Shanghai"
    merchant.save()
    return merchant


def _written(merchant, day: dt.date, hours: float = 0.5):
    """An instant `hours` after the merchant's local midnight of `day`."""
    return merchant_day_start(merchant=merchant, day=day) + dt.timedelta(hours=hours)


def test_the_review_trend_compares_local_30_day_periods(shanghai):
    today = merchant_today(merchant=shanghai)
    first = today - dt.timedelta(days=29)
    product = ProductFactory(merchant=shanghai, sku="MUG-1")
    start = _written(shanghai, first)
    for sentiment in ("negative", "negative", "positive"):
        analysed_review(product, sentiment=sentiment, rating=2, created_at=start)
    # The last minutes of the day before the period, local time: the previous period.
    before = merchant_day_start(merchant=shanghai, day=first) - dt.timedelta(minutes=5)
    analysed_review(product, sentiment="positive", rating=4, created_at=before)
    analysed_review(product, sentiment="negative", rating=4, created_at=before)
    # Older than both periods: not counted.
    old = _written(shanghai, first - dt.timedelta(days=31))
    analysed_review(product, sentiment="positive", rating=5, created_at=old)

    panel = cockpit_review_trend(merchant=shanghai, today=today)
    assert panel.period == (first, today)
    [row] = panel.rows
    assert (row.analysed, row.negative) == (3, 2)
    assert (row.previous_analysed, row.previous_negative) == (2, 1)
    assert row.change_points == 16.7  # 66.7 % now against 50 % before
    assert (row.rating_average, row.previous_rating_average) == (2.0, 4.0)


def test_the_review_trend_needs_enough_reviews_and_ranks_ties_by_negative_count(merchant):
    now = timezone.now()

    def product_with(negative: int, total: int, sku: str):
        product = ProductFactory(merchant=merchant, sku=sku)
        for index in range(total):
            sentiment = "negative" if index < negative else "positive"
            analysed_review(product, sentiment=sentiment, created_at=now - dt.timedelta(days=1))
        return product

    product_with(2, 4, "HALF-SMALL")
    product_with(4, 8, "HALF-LARGE")
    product_with(2, 2, "TOO-FEW")
    rows = cockpit_review_trend(merchant=merchant, min_reviews=3).rows
    assert [row.sku for row in rows] == ["HALF-LARGE", "HALF-SMALL"]
    assert cockpit_review_trend(merchant=merchant, min_reviews=3, limit=1).rows[0].sku == (
        "HALF-LARGE"
    )


def test_the_sparkline_sums_whole_weeks_ending_yesterday(merchant):
    product = ProductFactory(merchant=merchant)
    yesterday = merchant_today(merchant=merchant) - dt.timedelta(days=1)
    for days_back, units in ((0, 5), (6, 2), (7, 10), (83, 1), (84, 100)):
        DailySalesFactory(
            product=product,
            date=yesterday - dt.timedelta(days=days_back),
            units=units,
            revenue=Decimal(units),
        )
    sparkline = kpi_sparkline(kpis=dashboard_kpis(merchant=merchant), weeks=12)
    assert len(sparkline.weeks) == 12
    assert sparkline.weeks[-1] == yesterday - dt.timedelta(days=6)
    assert sparkline.units[-1] == 7 and sparkline.units[-2] == 10
    assert sparkline.units[0] == 1  # 84 days back is the 13th week: not shown
    assert sum(sparkline.revenue) == Decimal("18")


def test_an_empty_plan_costs_one_query(merchant, django_assert_num_queries):
    with django_assert_num_queries(1):
        panel = cockpit_plan(merchant=merchant)
    assert (panel.total, panel.stockouts, panel.overstocks, panel.computed_at) == (0, [], [], None)


def test_empty_drafts_and_jobs_read_two_queries_each(merchant, django_assert_num_queries):
    with django_assert_num_queries(2):
        drafts = cockpit_drafts(merchant=merchant)
    with django_assert_num_queries(2):
        jobs = cockpit_jobs(merchant=merchant)
    assert (drafts.waiting, drafts.flagged, drafts.oldest) == (0, 0, [])
    assert (jobs.active_count, jobs.failed_count, jobs.active, jobs.failed) == (0, 0, [], [])
