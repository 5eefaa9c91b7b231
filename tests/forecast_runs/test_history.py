"""Sales history comes out as contiguous arrays per product, the shape the engine needs."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from forecasting.models import DailySales, Frequency
from forecasting.selectors.history import (
    calendar_inputs,
    history_load,
    recent_daily_units,
    sales_frequency_guess,
    stock_days_since_receipt,
)
from products.models import StockSnapshot
from tests.factories import ProductFactory

from .factories import LAST_DAY, TODAY, CalendarEventFactory, product_with_sales


def sale(product, day, units, price="10.00", promo=False):
    DailySales.objects.create(
        merchant=product.merchant,
        product=product,
        date=day,
        units=units,
        revenue=Decimal(price) * units,
        on_promotion=promo,
    )


@pytest.mark.django_db
def test_history_starts_at_the_first_sale_and_fills_missing_days_with_zero(merchant):
    product = ProductFactory(merchant=merchant, price=Decimal("12.00"))
    sale(product, LAST_DAY - dt.timedelta(days=5), 4, price="10.00")
    sale(product, LAST_DAY - dt.timedelta(days=2), 2, price="8.00", promo=True)

    (history,) = history_load(merchant=merchant, product_ids=[product.pk], end=LAST_DAY)

    assert history.start == LAST_DAY - dt.timedelta(days=5)
    assert history.units.tolist() == [4, 0, 0, 2, 0, 0]
    assert history.prices.tolist() == [10, 10, 10, 8, 8, 8]  # carried over days without sales
    assert history.promo.tolist() == [0, 0, 0, 1, 0, 0]
    assert history.current_price == 12.0


@pytest.mark.django_db
def test_history_is_cut_to_the_window_and_ignores_other_merchants(merchant, other_merchant):
    mine = product_with_sales(merchant, days=400, seed=1)
    theirs = product_with_sales(other_merchant, days=50, seed=2)

    histories = history_load(
        merchant=merchant, product_ids=[mine.pk, theirs.pk], end=LAST_DAY, max_days=365
    )

    assert [h.product_id for h in histories] == [mine.pk]
    assert len(histories[0].units) == 365 and histories[0].units.sum() > 0


@pytest.mark.django_db
def test_a_product_that_never_sold_gets_zeros_from_its_creation(merchant):
    product = ProductFactory(merchant=merchant)
    product.created_at = dt.datetime(2025, 6, 10, 12, tzinfo=dt.UTC)
    product.save()

    (history,) = history_load(merchant=merchant, product_ids=[product.pk], end=LAST_DAY)

    assert history.start == dt.date(2025, 6, 10)
    assert history.units.tolist() == [0.0] * 8
    assert np.all(history.prices == float(product.price))


@pytest.mark.django_db
def test_weekly_history_sums_whole_weeks_that_end_on_the_last_day(merchant):
    product = ProductFactory(merchant=merchant)
    for weeks_ago, units in ((2, 7), (1, 3), (0, 5)):
        sale(product, LAST_DAY - dt.timedelta(days=7 * weeks_ago), units)
    sale(product, LAST_DAY - dt.timedelta(days=1), 1)

    (history,) = history_load(
        merchant=merchant, product_ids=[product.pk], end=LAST_DAY, frequency=Frequency.WEEKLY
    )

    assert history.units.tolist() == [7, 3, 6]
    assert history.start == LAST_DAY - dt.timedelta(days=20)


@pytest.mark.django_db
def test_weekly_rows_are_recognised_as_weekly_data(merchant, other_merchant):
    product_with_sales(merchant, units=np.arange(12), step=7)
    product_with_sales(other_merchant, days=30)

    assert sales_frequency_guess(merchant=merchant) == Frequency.WEEKLY
    assert sales_frequency_guess(merchant=other_merchant) == Frequency.DAILY


@pytest.mark.django_db
def test_calendar_gives_store_events_by_day_and_product_promotions_ahead(merchant, other_merchant):
    product = ProductFactory(merchant=merchant)
    CalendarEventFactory(merchant=merchant, date=TODAY, name="Summer sale")
    CalendarEventFactory(merchant=merchant, date=TODAY + dt.timedelta(days=3), product=product)
    CalendarEventFactory(merchant=other_merchant, date=TODAY, name="Their sale")

    calendar = calendar_inputs(
        merchant=merchant, product_ids=[product.pk], start=LAST_DAY, end=TODAY + dt.timedelta(9)
    )

    assert calendar.events == {TODAY: ["Summer sale"]}
    assert calendar.promotions == {product.pk: {TODAY + dt.timedelta(days=3)}}


@pytest.mark.django_db
def test_recent_units_and_days_since_the_last_delivery(merchant):
    product = ProductFactory(merchant=merchant)
    sale(product, LAST_DAY, 3)
    sale(product, LAST_DAY - dt.timedelta(days=2), 5)
    for days_ago, on_hand in ((10, 50), (9, 45), (8, 80), (1, 60)):
        StockSnapshot.objects.create(
            merchant=merchant, product=product, date=TODAY - dt.timedelta(days_ago), on_hand=on_hand
        )

    recent = recent_daily_units(merchant=merchant, product_ids=[product.pk], end=LAST_DAY, days=4)
    received = stock_days_since_receipt(
        merchant=merchant, product_ids=[product.pk], today=TODAY, window_days=30
    )

    assert recent[product.pk].tolist() == [0, 5, 0, 3]
    assert received == {product.pk: 8}
