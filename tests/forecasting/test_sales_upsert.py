import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from forecasting.models import DailySales
from forecasting.services import SalesRow, sales_upsert
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_upserting_sales_inserts_then_replaces_the_same_day(merchant):
    product = ProductFactory(merchant=merchant)
    day = dt.date(2026, 1, 5)
    sales_upsert(merchant=merchant, rows=[SalesRow(product.pk, day, 3, Decimal("30"))])
    sales_upsert(merchant=merchant, rows=[SalesRow(product.pk, day, 5, Decimal("50"), True)])
    row = DailySales.objects.get(product=product, date=day)
    assert (row.units, row.revenue, row.on_promotion, row.merchant_id) == (
        5,
        Decimal("50.00"),
        True,
        merchant.pk,
    )


def test_a_batch_with_another_merchants_product_writes_nothing(merchant, other_merchant):
    mine = ProductFactory(merchant=merchant)
    theirs = ProductFactory(merchant=other_merchant)
    day = dt.date(2026, 1, 5)
    rows = [SalesRow(mine.pk, day, 1, Decimal("1")), SalesRow(theirs.pk, day, 1, Decimal("1"))]
    with pytest.raises(ValidationError):
        sales_upsert(merchant=merchant, rows=rows)
    assert DailySales.objects.count() == 0


def test_a_batch_with_negative_units_writes_nothing(merchant):
    product = ProductFactory(merchant=merchant)
    rows = [
        SalesRow(product.pk, dt.date(2026, 1, 5), 2, Decimal("2")),
        SalesRow(product.pk, dt.date(2026, 1, 6), -2, Decimal("-2")),
    ]
    with pytest.raises(ValidationError):
        sales_upsert(merchant=merchant, rows=rows)
    assert DailySales.objects.count() == 0


def test_two_years_of_one_product_are_written_in_one_call(merchant):
    product = ProductFactory(merchant=merchant)
    start = dt.date(2024, 1, 1)
    rows = [
        SalesRow(product.pk, start + dt.timedelta(days=i), i % 7, Decimal(i % 7))
        for i in range(730)
    ]
    assert sales_upsert(merchant=merchant, rows=rows) == 730
    assert DailySales.objects.filter(product=product).count() == 730
