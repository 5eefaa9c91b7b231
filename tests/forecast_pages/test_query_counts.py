"""The plan and forecast lists run the same number of queries for 5 rows as for 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.support import query_count
from tests.factories import ProductFactory

from .factories import ForecastRunFactory, InventoryPlanFactory, SkuForecastFactory

ROWS = 30


@pytest.fixture
def busy_store(merchant):
    run = ForecastRunFactory(merchant=merchant)
    for index in range(ROWS):
        product = ProductFactory(merchant=merchant, category=f"C{index % 3}")
        forecast = SkuForecastFactory(product=product, run=run)
        # Half the plans were computed without a forecast: both kinds of row are listed.
        InventoryPlanFactory(product=product, forecast=forecast if index % 2 else None)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["api:inventory-plan-list", "api:forecast-list"])
def test_list_queries_do_not_grow_with_the_page_size(owner_api, busy_store, route):
    url = reverse(route)
    assert query_count(owner_api, url, page_size=5) == query_count(owner_api, url, page_size=100)


@pytest.mark.django_db
def test_a_plan_list_page_takes_a_handful_of_queries(owner_api, busy_store):
    # session, user, membership, count, page: nothing per row.
    assert query_count(owner_api, reverse("api:inventory-plan-list"), page_size=100) <= 6


@pytest.mark.django_db
def test_the_plan_page_does_not_grow_with_its_rows(owner_client, merchant, busy_store):
    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = owner_client.get(reverse("forecast-plan"), params)
        assert response.status_code == 200
        return len(queries)

    few = count(category="C0")
    for _index in range(ROWS):
        product = ProductFactory(merchant=merchant, category="C0")
        InventoryPlanFactory(product=product, forecast=SkuForecastFactory(product=product))
    assert count(category="C0") == few
