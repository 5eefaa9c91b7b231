"""The dashboard's numbers, computed on data whose answer is known."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.selectors import dashboard_kpis, merchant_today
from tests.factories import (
    DailySalesFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
)

# 20:00 UTC on 1 April is already 2 April in Shanghai: the merchant's calendar decides, and
# the last complete day is 1 April.
NOW = dt.datetime(2025, 4, 1, 20, 0, tzinfo=dt.UTC)


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def shanghai(merchant):
    merchant.timezone = "Asia/Shanghai"
    merchant.currency = "CNY"
    merchant.save()
    return merchant


@pytest.fixture
def known_data(shanghai, other_merchant):
    bottle = ProductFactory(merchant=shanghai, cost=Decimal("9.50"), price=Decimal("24.90"))
    mug = ProductFactory(merchant=shanghai, cost=None, price=Decimal("20.00"))
    empty = ProductFactory(merchant=shanghai, cost=Decimal("5.00"))
    StockLevelFactory(product=bottle, on_hand=10)
    StockLevelFactory(product=mug, on_hand=3)
    StockLevelFactory(product=empty, on_hand=0)

    def sale(product, day, units, revenue):
        DailySalesFactory(product=product, date=day, units=units, revenue=Decimal(revenue))

    # Current window: 5 March .. 1 April (Shanghai). Previous: 5 February .. 4 March.
    sale(bottle, dt.date(2025, 4, 1), 10, "100.00")
    sale(mug, dt.date(2025, 3, 5), 5, "50.00")
    sale(bottle, dt.date(2025, 3, 4), 4, "40.00")
    sale(mug, dt.date(2025, 2, 5), 6, "60.00")
    sale(bottle, dt.date(2025, 2, 4), 100, "1000.00")  # before both windows
    sale(bottle, dt.date(2025, 4, 2), 100, "1000.00")  # today in Shanghai: not complete yet

    # Ratings since 2 January, Shanghai midnight = 1 January 16:00 UTC.
    ReviewFactory(product=bottle, rating=5, created_at=_utc(2025, 3, 1, 12))
    ReviewFactory(product=mug, rating=2, created_at=_utc(2025, 1, 1, 16, 30))
    ReviewFactory(product=mug, rating=1, created_at=_utc(2025, 1, 1, 15, 30))  # 23:30 local
    ReviewFactory(product=mug, rating=None, created_at=_utc(2025, 3, 2, 12))

    # Another merchant's data on the same days must not count.
    theirs = ProductFactory(merchant=other_merchant, cost=Decimal("1000"))
    StockLevelFactory(product=theirs, on_hand=1000)
    sale(theirs, dt.date(2025, 4, 1), 999, "99999.00")
    ReviewFactory(product=theirs, rating=1, created_at=_utc(2025, 3, 1, 12))
    return shanghai


def test_today_is_the_merchants_local_date(known_data):
    assert merchant_today(merchant=known_data, now=NOW) == dt.date(2025, 4, 2)


def test_revenue_and_units_compare_the_last_28_days_with_the_28_before(known_data):
    kpis = dashboard_kpis(merchant=known_data, now=NOW)
    assert kpis.current_period == (dt.date(2025, 3, 5), dt.date(2025, 4, 1))
    assert kpis.previous_period == (dt.date(2025, 2, 5), dt.date(2025, 3, 4))
    assert kpis.revenue.current == Decimal("150.00")
    assert kpis.revenue.previous == Decimal("100.00")
    assert kpis.revenue.percent == 50.0
    assert kpis.revenue.direction == "up"
    assert kpis.units.current == 15
    assert kpis.units.previous == 10
    assert kpis.units.percent == 50.0


def test_stock_value_uses_cost_and_falls_back_to_price_when_cost_is_missing(known_data):
    stock = dashboard_kpis(merchant=known_data, now=NOW).stock
    assert stock.value == Decimal("155.00")  # 10 x 9.50 + 3 x 20.00 (no cost: price)
    assert stock.units == 13
    assert stock.priced_without_cost == 1


def test_average_rating_covers_90_local_days_and_ignores_unrated_reviews(known_data):
    kpis = dashboard_kpis(merchant=known_data, now=NOW)
    assert kpis.rating_since == dt.date(2025, 1, 2)
    assert kpis.rating.count == 2
    assert kpis.rating.average == 3.5


def test_the_chart_has_one_point_per_day_for_180_days_with_zeros_for_quiet_days(known_data):
    chart = dashboard_kpis(merchant=known_data, now=NOW).chart
    assert len(chart) == 180
    assert chart[-1].date == dt.date(2025, 4, 1)
    assert (chart[-1].units, chart[-1].revenue) == (10, Decimal("100.00"))
    assert chart[-2].units == 0
    assert sum(point.units for point in chart) == 125  # everything but today's partial day


def test_a_drop_is_reported_as_down_and_no_history_as_nothing_to_compare(merchant):
    product = ProductFactory(merchant=merchant)
    today = merchant_today(merchant=merchant)
    DailySalesFactory(product=product, date=today - dt.timedelta(days=30), units=4)
    DailySalesFactory(product=product, date=today - dt.timedelta(days=1), units=1)
    DailySalesFactory(product=product, date=today, units=50)  # partial day: not counted
    kpis = dashboard_kpis(merchant=merchant)
    assert kpis.units.direction == "down"
    assert kpis.units.percent == -75.0
    empty = dashboard_kpis(merchant=ProductFactory().merchant)
    assert empty.units.percent is None
    assert empty.rating.average is None


@pytest.mark.django_db
def test_the_dashboard_shows_the_numbers_in_the_merchants_currency(owner_client, merchant):
    merchant.currency = "CNY"
    merchant.save()
    bottle = ProductFactory(merchant=merchant, cost=None, price=Decimal("1500.00"))
    StockLevelFactory(product=bottle, on_hand=2)
    today = merchant_today(merchant=merchant)
    yesterday = today - dt.timedelta(days=1)
    DailySalesFactory(product=bottle, date=yesterday, units=3, revenue=Decimal("4500.00"))
    DailySalesFactory(
        product=bottle, date=yesterday - dt.timedelta(days=28), units=2, revenue=Decimal("3000.00")
    )
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert "¥4,500.00" in html
    assert "+50.0%" in html
    assert "▲" in html and "Up" in html  # direction in words and arrow, not only colour
    assert "¥3,000.00" in html
    assert "1 product has no unit cost and is valued at its selling price." in html
    assert 'data-chart="sales-chart-data"' in html


@pytest.mark.django_db
def test_the_dashboard_runs_the_same_number_of_queries_for_a_bigger_store(owner_client, merchant):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(reverse("dashboard")).status_code == 200
        return len(queries)

    product = ProductFactory(merchant=merchant)
    StockLevelFactory(product=product)
    small = count()
    for _ in range(20):
        other = ProductFactory(merchant=merchant)
        StockLevelFactory(product=other)
        DailySalesFactory(product=other, date=merchant_today(merchant=merchant))
        ReviewFactory(product=other)
    assert count() == small
