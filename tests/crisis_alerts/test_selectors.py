"""The board, the alert list, the timeline and the response-time metrics, per merchant."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from crisis.models import Alert, Crisis, CrisisStatus
from crisis.selectors.crises import (
    alert_get,
    alert_list,
    crises_open_for_dashboard,
    crisis_board,
    crisis_board_counts,
    crisis_get,
    crisis_metrics,
    crisis_timeline,
)
from crisis.services import (
    alert_snooze,
    crisis_assign,
    crisis_resolve,
    crisis_status_set,
)
from crisis.services.alerts import alerts_apply
from tests.factories import ProductFactory

from .conftest import finding

pytestmark = pytest.mark.django_db


def test_the_board_ranks_open_crises_by_money_at_risk_and_filters(
    scan, merchant, bottle, charger, owner, analyst
):
    scan(
        [
            finding(product=bottle, money="1500"),
            finding(product=charger, money="25000"),
            finding("sales_drop", money="6000"),
        ]
    )
    charger_crisis = Crisis.objects.get(product=charger)
    crisis_assign(crisis=charger_crisis, owner=analyst, user=owner)
    crisis_resolve(crisis=Crisis.objects.get(product=bottle), user=owner, cause="Done")

    board = crisis_board(merchant=merchant)
    assert [c.group_key for c in board] == [f"product:{charger.pk}", "store"]
    assert board[0].live_alerts == 1
    assert [c.pk for c in crisis_board(merchant=merchant, owner=analyst)] == [charger_crisis.pk]
    assert len(crisis_board(merchant=merchant, owner="unassigned")) == 1
    assert len(crisis_board(merchant=merchant, severity=3)) == 1
    assert len(crisis_board(merchant=merchant, status="all")) == 3
    assert len(crisis_board(merchant=merchant, status=CrisisStatus.RESOLVED)) == 1
    assert crisis_board_counts(merchant=merchant)["detected"] == 2
    assert [c.pk for c in crises_open_for_dashboard(merchant=merchant, limit=1)] == [
        charger_crisis.pk
    ]


def test_the_board_warns_about_deadlines_missed_and_due_soon(scan, merchant, bottle, charger):
    now = timezone.now()
    scan([finding(product=bottle, money="25000")], at=now - dt.timedelta(hours=2))  # 1 h
    scan(
        [finding(product=bottle, money="25000"), finding(product=charger, money="6000")],
        at=now - dt.timedelta(hours=3, minutes=30),  # high: 4 h to acknowledge
    )
    states = {c.product_id: (c.sla_state, c.sla_step) for c in crisis_board(merchant=merchant)}

    assert states[bottle.pk] == ("breached", "acknowledge")
    assert states[charger.pk] == ("due_soon", "acknowledge")


def test_a_resolved_crisis_shows_whether_it_met_its_sla(scan, merchant, bottle, owner):
    scan([finding(product=bottle, money="1500")])
    crisis_resolve(crisis=Crisis.objects.get(), user=owner, cause="ok")

    crisis = crisis_get(merchant=merchant, crisis_id=Crisis.objects.get().pk)
    assert crisis.sla_state == "met"


def test_another_merchants_crisis_and_alert_are_not_found(scan, merchant, other_merchant, bottle):
    scan([finding(product=bottle)])
    crisis, alert = Crisis.objects.get(), Alert.objects.get()

    with pytest.raises(Http404):
        crisis_get(merchant=other_merchant, crisis_id=crisis.pk)
    with pytest.raises(Http404):
        alert_get(merchant=other_merchant, alert_id=alert.pk)
    assert not crisis_board(merchant=other_merchant).exists()
    assert not alert_list(merchant=other_merchant).exists()


def test_the_alert_list_filters_by_status_kind_product_and_snooze(
    scan, merchant, bottle, charger, owner
):
    scan(
        [
            finding(product=bottle),
            finding("review_surge", product=bottle, aspect="leaking"),
            finding(product=charger),
        ]
    )
    snoozed = Alert.objects.get(product=charger)
    alert_snooze(alert=snoozed, user=owner, until=timezone.now() + dt.timedelta(days=1))
    scan([finding(product=charger)])  # the bottle's two clear

    assert [a.pk for a in alert_list(merchant=merchant)] == [snoozed.pk]
    assert alert_list(merchant=merchant, status="all").count() == 3
    assert alert_list(merchant=merchant, status="resolved", product=bottle).count() == 2
    assert alert_list(merchant=merchant, status="all", kind="review_surge").count() == 1
    assert alert_list(merchant=merchant, snoozed=True).count() == 1
    assert alert_list(merchant=merchant, snoozed=False).count() == 0


def test_the_timeline_is_oldest_first(scan, merchant, bottle, owner):
    scan([finding(product=bottle)])
    crisis = Crisis.objects.get()
    crisis_status_set(crisis=crisis, status="investigating", user=owner)

    kinds = [event.kind for event in crisis_timeline(crisis=crisis)]
    assert kinds == ["alert_added", "notification_sent", "status_changed"]


def test_metrics_average_the_response_times_per_severity(merchant, owner):
    now = timezone.now()
    for hours_to_ack in (1, 3):
        product = ProductFactory(merchant=merchant)
        alerts_apply(
            merchant=merchant,
            findings=[finding(product=product, money="25000")],
            now=now - dt.timedelta(days=2),
            kinds=[],
        )
        crisis = Crisis.objects.get(product=product)
        Crisis.objects.filter(pk=crisis.pk).update(
            acknowledged_at=crisis.detected_at + dt.timedelta(hours=hours_to_ack)
        )
    old = ProductFactory(merchant=merchant)
    alerts_apply(
        merchant=merchant,
        findings=[finding(product=old, money="25000")],
        now=now - dt.timedelta(days=100),
        kinds=[],
    )

    metrics = {row.severity: row for row in crisis_metrics(merchant=merchant, now=now)}
    critical = metrics[4]
    assert critical.crises == 2 and critical.acknowledged == 2
    assert critical.mean_time_to_acknowledge == dt.timedelta(hours=2)
    assert critical.resolved == 0 and critical.mean_time_to_resolve is None
    assert metrics[1].crises == 0
