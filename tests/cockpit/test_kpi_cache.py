"""The KPIs may be cached per merchant and local day (`COCKPIT_KPI_CACHE_SECONDS`); nothing
else on the cockpit is, and without the setting nothing is cached at all."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.cockpit import cockpit_kpis
from core.selectors import merchant_today
from tests.crisis_pages.factories import CrisisFactory
from tests.factories import DailySalesFactory, ProductFactory

KPI_QUERIES = 3


@pytest.fixture(autouse=True)
def _empty_cache():
    # The locmem cache outlives a test's rollback.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kpi_cache(settings):
    settings.COCKPIT_KPI_CACHE_SECONDS = 300


def _yesterday_sale(merchant, revenue: str):
    yesterday = merchant_today(merchant=merchant) - dt.timedelta(days=1)
    DailySalesFactory(
        product=ProductFactory(merchant=merchant), date=yesterday, revenue=Decimal(revenue)
    )


def _count(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    return len(queries), response.content.decode()


def test_without_the_setting_every_request_reads_fresh_numbers(viewer_client, merchant):
    _yesterday_sale(merchant, "100.00")
    first, _html = _count(viewer_client)
    _yesterday_sale(merchant, "23.00")
    second, html = _count(viewer_client)
    assert first == second
    assert "$123.00" in html


def test_with_the_setting_the_kpis_are_read_once_and_the_panels_stay_live(
    kpi_cache, viewer_client, merchant
):
    _yesterday_sale(merchant, "100.00")
    cold, _html = _count(viewer_client)
    _yesterday_sale(merchant, "23.00")  # a late import: unseen until the entry expires
    CrisisFactory(product=ProductFactory(merchant=merchant), title="Fresh crisis")
    warm, html = _count(viewer_client)
    assert warm == cold - KPI_QUERIES
    assert "$100.00" in html and "$123.00" not in html
    assert "Fresh crisis" in html  # crises are never cached


def test_the_cache_is_per_merchant_and_per_local_day(kpi_cache, merchant, other_merchant):
    _yesterday_sale(merchant, "100.00")
    _yesterday_sale(other_merchant, "7.00")
    assert cockpit_kpis(merchant=merchant).revenue.current == Decimal("100.00")
    assert cockpit_kpis(merchant=other_merchant).revenue.current == Decimal("7.00")
    tomorrow = merchant_today(merchant=merchant) + dt.timedelta(days=1)
    noon = dt.datetime.combine(tomorrow, dt.time(12), tzinfo=dt.UTC)
    later = cockpit_kpis(merchant=merchant, now=noon)
    assert later.today != cockpit_kpis(merchant=merchant).today  # a new day, a new entry


def test_a_merchant_recreated_with_an_old_id_never_sees_the_old_numbers(kpi_cache, merchant):
    _yesterday_sale(merchant, "100.00")
    assert cockpit_kpis(merchant=merchant).revenue.current == Decimal("100.00")
    _yesterday_sale(merchant, "23.00")
    assert cockpit_kpis(merchant=merchant).revenue.current == Decimal("100.00")  # cached
    # Same id, another creation time: a database rebuilt, or a test rolled back.
    merchant.created_at = merchant.created_at + dt.timedelta(seconds=1)
    assert cockpit_kpis(merchant=merchant).revenue.current == Decimal("123.00")
