"""The default seed (what `make demo` builds), checked once end to end (~20 s on 2 cores)."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Max

from core.demo import demo_seed
from core.demo.crises import OVERSTOCK_SKU, REVIEW_SURGE_SKU, SALES_SLIDE_SKU, STOCKOUT_SKU
from forecasting.models import DailySales
from products.models import Product, StockLevel
from reviews.models import Review

from . import rules

TODAY = dt.date(2025, 3, 12)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_default_seed_has_the_promised_size_and_all_four_crises():
    result = demo_seed(today=TODAY)
    merchant = result.merchant

    products = Product.objects.filter(merchant=merchant)
    assert products.count() == 200
    statuses = Counter(products.values_list("status", flat=True))
    assert statuses["active"] > 170 and statuses["draft"] > 0 and statuses["discontinued"] > 0
    sales = DailySales.objects.filter(merchant=merchant)
    assert sales.count() > 100_000
    assert sales.aggregate(last=Max("date"))["last"] == TODAY - dt.timedelta(days=1)
    assert StockLevel.objects.filter(merchant=merchant).count() == 200
    reviews = Review.objects.filter(merchant=merchant)
    assert reviews.count() == 5000
    languages = Counter(reviews.values_list("language", flat=True))
    assert min(languages["en"], languages["zh"]) > 2000

    assert rules.stockout_risks(merchant, today=TODAY) == [STOCKOUT_SKU]
    assert rules.overstocks(merchant, today=TODAY) == [OVERSTOCK_SKU]
    assert rules.sliding(merchant, today=TODAY) == [SALES_SLIDE_SKU]
    assert rules.negative_surges(merchant, today=TODAY) == [REVIEW_SURGE_SKU]
    assert [crisis.sku for crisis in result.crises] == [
        STOCKOUT_SKU,
        OVERSTOCK_SKU,
        SALES_SLIDE_SKU,
        REVIEW_SURGE_SKU,
    ]
