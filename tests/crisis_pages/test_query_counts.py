"""The board, the alert list, the crisis page and the dashboard panel read in a bounded number
of queries, however many crises and alerts there are."""

from decimal import Decimal

import pytest
from django.urls import reverse

from crisis.models import AlertKind
from tests.factories import ProductFactory

from .factories import AlertFactory, CrisisEventFactory, CrisisFactory


def _store(merchant, manager, count: int) -> None:
    for index in range(count):
        product = ProductFactory(merchant=merchant)
        crisis = CrisisFactory(product=product, owner=manager, money_at_risk=Decimal(100 + index))
        for kind in (AlertKind.STOCKOUT_RISK, AlertKind.REVIEW_SURGE):
            AlertFactory(product=product, crisis=crisis, kind=kind)
        CrisisEventFactory(crisis=crisis, actor=manager)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_the_board_reads_a_bounded_number_of_queries(
    viewer_client, merchant, manager, count, django_assert_max_num_queries
):
    _store(merchant, manager, count)
    with django_assert_max_num_queries(16):
        assert viewer_client.get(reverse("crisis-board")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_the_alert_list_reads_a_bounded_number_of_queries(
    analyst_client, merchant, manager, count, django_assert_max_num_queries
):
    _store(merchant, manager, count)
    with django_assert_max_num_queries(12):
        assert analyst_client.get(reverse("alert-list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_the_dashboard_reads_a_bounded_number_of_queries(
    viewer_client, merchant, manager, count, django_assert_max_num_queries
):
    _store(merchant, manager, count)
    with django_assert_max_num_queries(20):
        assert viewer_client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_the_crisis_page_does_not_read_per_alert_or_per_event(
    manager_client, merchant, manager, django_assert_max_num_queries
):
    product = ProductFactory(merchant=merchant)
    crisis = CrisisFactory(product=product)
    for kind in AlertKind.values:
        AlertFactory(product=product, crisis=crisis, kind=kind)
    for _ in range(15):
        CrisisEventFactory(crisis=crisis, actor=manager)
    with django_assert_max_num_queries(22):
        response = manager_client.get(reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}))
    assert response.status_code == 200
