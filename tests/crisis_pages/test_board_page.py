"""The crisis board: open crises money at risk first, filters, SLA, alert kinds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from crisis.models import AlertKind, CrisisStatus, Severity
from tests.factories import ProductFactory

from .factories import AlertFactory, CrisisFactory


def _rows(html: str, titles: list[str]) -> list[str]:
    """The given titles in the order the page shows them."""
    return sorted((title for title in titles if title in html), key=html.index)


@pytest.mark.django_db
def test_open_crises_are_listed_most_money_at_risk_first(viewer_client, merchant):
    titles = []
    for money in ("120.00", "9800.00", "2500.00"):
        crisis = CrisisFactory(
            product=ProductFactory(merchant=merchant),
            title=f"Crisis worth {money}",
            money_at_risk=Decimal(money),
        )
        titles.append(crisis.title)
    CrisisFactory(
        product=ProductFactory(merchant=merchant),
        title="Long resolved crisis",
        status=CrisisStatus.RESOLVED,
        money_at_risk=Decimal("99999.00"),
    )
    html = viewer_client.get(reverse("crisis-board")).content.decode()
    assert _rows(html, titles) == [
        "Crisis worth 9800.00",
        "Crisis worth 2500.00",
        "Crisis worth 120.00",
    ]
    assert "Long resolved crisis" not in html
    assert "$9,800.00" in html


@pytest.mark.django_db
def test_the_resolved_filter_shows_resolved_crises_only(viewer_client, merchant):
    CrisisFactory(product=ProductFactory(merchant=merchant), title="Still burning")
    CrisisFactory(
        product=ProductFactory(merchant=merchant),
        title="Put out last week",
        status=CrisisStatus.RESOLVED,
    )
    html = viewer_client.get(reverse("crisis-board"), {"status": "resolved"}).content.decode()
    assert "Put out last week" in html
    assert "Still burning" not in html


@pytest.mark.django_db
def test_severity_and_owner_filters_narrow_the_board(viewer_client, merchant, manager):
    CrisisFactory(
        product=ProductFactory(merchant=merchant), title="Critical one", severity=Severity.CRITICAL
    )
    CrisisFactory(
        product=ProductFactory(merchant=merchant),
        title="Owned low one",
        severity=Severity.LOW,
        owner=manager,
    )
    html = viewer_client.get(reverse("crisis-board"), {"severity": "4"}).content.decode()
    assert "Critical one" in html and "Owned low one" not in html
    html = viewer_client.get(reverse("crisis-board"), {"owner": str(manager.pk)}).content.decode()
    assert "Owned low one" in html and "Critical one" not in html
    html = viewer_client.get(reverse("crisis-board"), {"owner": "unassigned"}).content.decode()
    assert "Critical one" in html and "Owned low one" not in html


@pytest.mark.django_db
def test_an_invalid_filter_is_ignored_and_shown_not_a_500(viewer_client, crisis):
    response = viewer_client.get(reverse("crisis-board"), {"severity": "9", "status": "nope"})
    assert response.status_code == 200
    assert crisis.title in response.content.decode()
    assert b"is-invalid" in response.content


@pytest.mark.django_db
def test_each_row_shows_severity_in_words_owner_age_sla_and_alert_kinds(viewer_client, crisis):
    html = viewer_client.get(reverse("crisis-board")).content.decode()
    assert 'data-severity="3"' in html and ">High</span>" in html
    assert "nobody yet" in html
    assert 'data-kind="stockout_risk"' in html and 'data-kind="review_surge"' in html
    assert 'data-sla="on_track"' in html
    assert reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}) in html


@pytest.mark.django_db
def test_breached_and_due_soon_deadlines_are_flagged_in_words(viewer_client, merchant):
    now = timezone.now()
    CrisisFactory(
        product=ProductFactory(merchant=merchant),
        title="Overdue",
        detected_at=now - dt.timedelta(hours=6),
        acknowledge_due_at=now - dt.timedelta(hours=2),
    )
    CrisisFactory(
        product=ProductFactory(merchant=merchant),
        title="Almost due",
        severity=Severity.HIGH,
        detected_at=now - dt.timedelta(hours=3, minutes=50),
        acknowledge_due_at=now + dt.timedelta(minutes=10),
    )
    html = viewer_client.get(reverse("crisis-board")).content.decode()
    assert 'data-sla="breached"' in html and "Acknowledgement overdue" in html
    assert 'data-sla="due_soon"' in html and "Acknowledge soon" in html


@pytest.mark.django_db
def test_htmx_filtering_returns_only_the_table(viewer_client, crisis):
    response = viewer_client.get(reverse("crisis-board"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert crisis.title.encode() in response.content


@pytest.mark.django_db
def test_the_scan_button_shows_for_responders_only(role_clients):
    from accounts.models import Role

    assert (
        b'action="/crisis/scan/"' in role_clients[Role.ANALYST].get(reverse("crisis-board")).content
    )
    assert (
        b'action="/crisis/scan/"'
        not in role_clients[Role.VIEWER].get(reverse("crisis-board")).content
    )


@pytest.mark.django_db
def test_the_counts_by_status_and_severity_cover_open_crises(viewer_client, merchant):
    for _ in range(2):
        CrisisFactory(product=ProductFactory(merchant=merchant), status=CrisisStatus.MITIGATING)
    AlertFactory(product=ProductFactory(merchant=merchant), kind=AlertKind.OVERSTOCK)
    html = viewer_client.get(reverse("crisis-board")).content.decode()
    assert "2 open crises." in html
