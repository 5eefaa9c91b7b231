"""`scan_inputs`: one merchant's detector inputs in a fixed number of queries, nobody else's."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.detectors import run_detectors
from crisis.detectors.config import Thresholds
from crisis.selectors.signals import scan_inputs
from tests.factories import (
    DailySalesFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
    StockSnapshotFactory,
)
from tests.forecast_pages.factories import (
    ForecastRunFactory,
    InventoryPlanFactory,
    SkuForecastFactory,
    flat_quantiles,
)
from tests.review_pipeline.factories import (
    AspectMentionFactory,
    ComplaintTopicFactory,
    ReviewAnalysisFactory,
)

TODAY = dt.date(2025, 6, 18)
MAX_QUERIES = 15


def local(merchant, day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(merchant.timezone))


def stocked_product(merchant, *, index: int):
    """A product with sales, stock, snapshots, two forecasts, a plan and an analysed review."""
    product = ProductFactory(merchant=merchant, sku=f"P-{index}", lead_time_days=10 + index)
    StockLevelFactory(product=product, on_hand=50 + index, inbound=5)
    for days_ago in range(1, 8):
        day = TODAY - dt.timedelta(days=days_ago)
        DailySalesFactory(product=product, date=day, units=index + days_ago)
        StockSnapshotFactory(product=product, date=day, on_hand=60 - days_ago, inbound=5)
    old_run = ForecastRunFactory(merchant=merchant)
    SkuForecastFactory(
        product=product,
        run=old_run,
        is_current=False,
        start_date=TODAY - dt.timedelta(days=30),
        quantiles=flat_quantiles(5.0, days=35),
    )
    current = SkuForecastFactory(product=product, start_date=TODAY, quantiles=flat_quantiles(7.0))
    InventoryPlanFactory(product=product, forecast=current, stockout_risk=0.3, safety_stock=12.0)
    review = ReviewFactory(product=product, rating=1, created_at=local(merchant, TODAY))
    topic = ComplaintTopicFactory(product=product, label=f"lid leaks {index}")
    analysis = ReviewAnalysisFactory(review=review, sentiment="negative", topic=topic)
    AspectMentionFactory(analysis=analysis, aspect="quality")
    return product


def queries_for(merchant) -> int:
    with CaptureQueriesContext(connection) as queries:
        scan_inputs(merchant=merchant, today=TODAY)
    return len(queries)


@pytest.mark.django_db
def test_loading_takes_the_same_few_queries_for_three_products_or_twelve(
    merchant, django_assert_max_num_queries
):
    for index in range(3):
        stocked_product(merchant, index=index)
    few = queries_for(merchant)
    for index in range(3, 12):
        stocked_product(merchant, index=index)

    with django_assert_max_num_queries(MAX_QUERIES):
        inputs = scan_inputs(merchant=merchant, today=TODAY)
    assert len(inputs) == 12
    assert queries_for(merchant) == few


@pytest.mark.django_db
def test_another_merchants_products_sales_and_reviews_stay_out(merchant, other_merchant):
    mine = stocked_product(merchant, index=1)
    theirs = stocked_product(other_merchant, index=2)

    inputs = scan_inputs(merchant=merchant, today=TODAY)

    assert inputs.catalog.ids.tolist() == [mine.pk]
    assert inputs.sales.units.sum() == sum(1 + days_ago for days_ago in range(1, 8))
    assert len(inputs.reviews.ids) == 1
    assert inputs.reviews.ids[0] != theirs.reviews.get().pk
    assert set(inputs.reviews.topics) == {mine.complaint_topics.get().pk}


@pytest.mark.django_db
def test_sales_end_on_the_last_day_before_today_with_promotions_and_a_year_ago(merchant):
    product = ProductFactory(merchant=merchant)
    DailySalesFactory(product=product, date=TODAY, units=99)  # today's partial day: ignored
    DailySalesFactory(product=product, date=TODAY - dt.timedelta(days=2), units=4)
    DailySalesFactory(
        product=product, date=TODAY - dt.timedelta(days=3), units=9, on_promotion=True
    )
    DailySalesFactory(product=product, date=TODAY - dt.timedelta(days=2 + 364), units=6)

    sales = scan_inputs(merchant=merchant, today=TODAY).sales

    assert sales.end == TODAY - dt.timedelta(days=2)  # the last day with sales data
    assert sales.units[0, -1] == 4
    assert sales.units[0, -2] == 9 and sales.promo[0, -2]
    assert sales.year_ago[0, -1] == 6
    assert sales.first_sale[0] == sales.days - 2


@pytest.mark.django_db
def test_stock_snapshots_plans_and_settings_are_aligned_with_the_products(merchant):
    product = stocked_product(merchant, index=3)
    inputs = scan_inputs(merchant=merchant, today=TODAY)

    assert inputs.stock.on_hand.tolist() == [53] and inputs.stock.inbound.tolist() == [5]
    assert inputs.stock.snapshot_end == TODAY
    assert inputs.stock.snap_on_hand[0, -2] == 59  # yesterday's end of day
    assert np.isnan(inputs.stock.snap_on_hand[0, -1])  # none yet for today
    assert inputs.catalog.lead_times.tolist() == [product.lead_time_days]
    assert inputs.catalog.costs.tolist() == [float(product.cost)]
    assert inputs.plans.has.tolist() == [True]
    assert inputs.plans.stockout_risk.tolist() == [0.3]
    assert inputs.cover_target_days == 30 and inputs.aged_after_days == 90


@pytest.mark.django_db
def test_the_reference_forecast_is_the_newest_made_before_the_sales_drop_window(merchant):
    product = stocked_product(merchant, index=1)
    newer_run = ForecastRunFactory(merchant=merchant)
    SkuForecastFactory(
        product=product,
        run=newer_run,
        is_current=False,
        start_date=TODAY - dt.timedelta(days=28),
        quantiles=flat_quantiles(6.0, days=35),
    )

    inputs = scan_inputs(merchant=merchant, today=TODAY)

    # The window is the 28 days to yesterday: it starts on TODAY - 28.
    assert inputs.reference.start[0] == np.datetime64(TODAY - dt.timedelta(days=28))
    assert inputs.reference.q50[0, 0] == 6.0
    assert inputs.forecast.start[0] == np.datetime64(TODAY)
    assert inputs.forecast.q50[0, 0] == 7.0


@pytest.mark.django_db
def test_a_weekly_forecast_is_spread_over_its_days(merchant):
    product = ProductFactory(merchant=merchant)
    SkuForecastFactory(
        product=product,
        frequency="W",
        start_date=TODAY,
        quantiles={"0.1": [35.0, 70.0], "0.5": [70.0, 140.0], "0.9": [105.0, 210.0]},
    )
    forecast = scan_inputs(merchant=merchant, today=TODAY).forecast
    assert forecast.lengths.tolist() == [14]
    assert forecast.q50[0, :8].tolist() == [10.0] * 7 + [20.0]


@pytest.mark.django_db
def test_review_days_are_counted_in_the_merchants_time_zone(merchant):
    merchant.timezone = "Asia/Shanghai"
    merchant.save()
    product = ProductFactory(merchant=merchant)
    late = ReviewFactory(product=product, rating=2, created_at=local(merchant, TODAY, 0))
    analysed = ReviewFactory(product=product, rating=5, created_at=local(merchant, TODAY, 23))
    ReviewAnalysisFactory(review=analysed, sentiment="negative")
    older = ReviewFactory(
        product=product, rating=4, created_at=local(merchant, TODAY - dt.timedelta(days=3))
    )

    reviews = scan_inputs(merchant=merchant, today=TODAY).reviews

    ages = dict(zip(reviews.ids.tolist(), reviews.age_days.tolist(), strict=True))
    assert ages == {late.pk: 0, analysed.pk: 0, older.pk: 3}
    negative = dict(zip(reviews.ids.tolist(), reviews.negative.tolist(), strict=True))
    # Not analysed yet: 1-2 stars are negative; analysed: what the analysis says.
    assert negative == {late.pk: True, analysed.pk: True, older.pk: False}


@pytest.mark.django_db
def test_the_loaded_inputs_run_through_every_detector(merchant):
    product = ProductFactory(merchant=merchant, price=Decimal("30.00"), lead_time_days=30)
    StockLevelFactory(product=product, on_hand=5, inbound=0)
    SkuForecastFactory(product=product, start_date=TODAY, quantiles=flat_quantiles(10.0))

    findings = run_detectors(scan_inputs(merchant=merchant, today=TODAY), Thresholds())

    assert [(finding.kind, finding.product_id) for finding in findings] == [
        ("stockout_risk", product.pk)
    ]
