"""The cockpit reads a fixed number of queries, whatever the size of the store."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.selectors import merchant_today
from tests.factories import DailySalesFactory, ProductFactory, StockLevelFactory

from .conftest import store_fill

# The page's share: KPIs 3, crises 3, plan 3, reviews 1, drafts 2, jobs 2 (14); the rest is the
# session, the user, the membership and the header's job indicator and notification bell.
MAX_QUERIES = 20


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(queries)


def test_a_full_cockpit_stays_within_its_query_budget(
    viewer_client, store, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert viewer_client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_bigger_store_costs_the_same_number_of_queries(viewer_client, merchant):
    store_fill(merchant, tag="first ")
    small = _count(viewer_client)
    for round_number in range(3):
        store_fill(merchant, tag=f"more {round_number} ")
    yesterday = merchant_today(merchant=merchant) - dt.timedelta(days=1)
    for _ in range(15):
        product = ProductFactory(merchant=merchant)
        StockLevelFactory(product=product)
        DailySalesFactory(product=product, date=yesterday)
    assert _count(viewer_client) == small
