"""List endpoints run the same number of queries for a page of 5 rows as for a page of 100."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import (
    DailySalesFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
    StockSnapshotFactory,
)

from .support import query_count

ROWS = 30


@pytest.fixture
def busy_store(merchant):
    products = ProductFactory.create_batch(ROWS, merchant=merchant)
    for index, product in enumerate(products):
        if index % 2:  # half the catalog was never counted: both kinds of row are listed
            StockLevelFactory(product=product, on_hand=index)
        DailySalesFactory(product=product)
        ReviewFactory(product=product)
    first = products[0]
    for day in range(ROWS):
        StockSnapshotFactory(product=first, date=dt.date(2025, 1, 1) + dt.timedelta(days=day))
    return first


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", ["api:product-list", "api:stock-list", "api:sales-list", "api:review-list"]
)
def test_list_queries_do_not_grow_with_the_page_size(api, busy_store, route):
    url = reverse(route)
    assert query_count(api, url, page_size=5) == query_count(api, url, page_size=100)


@pytest.mark.django_db
def test_stock_history_queries_do_not_grow_with_the_page_size(api, busy_store):
    url = reverse("api:stock-history", kwargs={"product_id": busy_store.pk})
    assert query_count(api, url, page_size=5) == query_count(api, url, page_size=100)


@pytest.mark.django_db
def test_token_requests_do_not_grow_with_the_page_size_either(token_api, busy_store):
    url = reverse("api:product-list")
    token_api.get(url)  # the first use stamps `last_used_at`; later ones within a minute do not
    assert query_count(token_api, url, page_size=5) == query_count(token_api, url, page_size=100)


@pytest.mark.django_db
def test_a_product_list_page_takes_a_handful_of_queries(api, busy_store):
    # session, user, membership, count, page: nothing per row.
    assert query_count(api, reverse("api:product-list"), page_size=100) <= 6
