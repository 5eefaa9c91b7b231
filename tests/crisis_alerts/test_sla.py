"""SLA by severity: deadlines on opening and on escalation, one warning per missed deadline."""

import datetime as dt

import pytest
from django.utils import timezone

from crisis.models import Crisis, CrisisEventKind
from crisis.services import crisis_settings_update, crisis_sla_sweep, crisis_status_set
from crisis.tasks import crisis_sla_sweep as crisis_sla_sweep_task
from notifications.models import Notification

from .conftest import finding

pytestmark = pytest.mark.django_db


def test_deadlines_follow_the_severity_and_the_merchants_sla_hours(scan, bottle, merchant):
    crisis_settings_update(merchant=merchant, sla_hours={"3": [2, 10]})
    now = timezone.now()
    scan([finding(product=bottle, money="6000")], at=now)  # high

    crisis = Crisis.objects.get()
    assert crisis.acknowledge_due_at == now + dt.timedelta(hours=2)
    assert crisis.resolve_due_at == now + dt.timedelta(hours=10)


def test_an_escalation_brings_the_deadlines_closer_and_rearms_the_warning(scan, bottle):
    start = timezone.now() - dt.timedelta(hours=30)
    scan([finding(product=bottle, money="1500")], at=start)  # medium: 24 h / 168 h
    assert crisis_sla_sweep().acknowledge_breaches == 1

    later = timezone.now()
    scan([finding(product=bottle, money="25000")], at=later)  # critical: 1 h / 24 h

    crisis = Crisis.objects.get()
    assert crisis.acknowledge_due_at == later + dt.timedelta(hours=1)
    assert crisis.resolve_due_at == later + dt.timedelta(hours=24)
    assert crisis.acknowledge_breach_notified_at is None


def test_a_missed_deadline_is_notified_exactly_once(scan, bottle, owner, manager):
    scan([finding(product=bottle, money="25000")], at=timezone.now() - dt.timedelta(hours=2))

    first = crisis_sla_sweep()
    second = crisis_sla_sweep()
    crisis_sla_sweep_task.delay()

    assert (first.acknowledge_breaches, first.resolve_breaches) == (1, 0)
    assert (second.acknowledge_breaches, second.resolve_breaches) == (0, 0)
    notices = Notification.objects.filter(event="crisis_sla_breached")
    assert sorted(n.recipient.username for n in notices) == ["alice", "mona"]
    crisis = Crisis.objects.get()
    assert crisis.acknowledge_breach_notified_at is not None
    breaches = crisis.events.filter(kind=CrisisEventKind.SLA_BREACHED)
    assert [event.data["step"] for event in breaches] == ["acknowledge"]
    assert crisis.events.filter(
        kind=CrisisEventKind.NOTIFICATION_SENT, data__event="crisis_sla_breached"
    ).exists()


def test_an_acknowledged_crisis_is_only_warned_about_its_resolve_deadline(scan, bottle, owner):
    scan([finding(product=bottle, money="25000")], at=timezone.now() - dt.timedelta(hours=30))
    crisis_status_set(crisis=Crisis.objects.get(), status="investigating", user=owner)

    report = crisis_sla_sweep()

    assert (report.acknowledge_breaches, report.resolve_breaches) == (0, 1)


def test_a_notification_that_fails_leaves_the_deadline_for_the_next_sweep(
    scan, bottle, owner, monkeypatch
):
    scan([finding(product=bottle, money="25000")], at=timezone.now() - dt.timedelta(hours=2))

    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr("crisis.services.crises.notify", broken)
    assert crisis_sla_sweep().acknowledge_breaches == 0
    assert Crisis.objects.get().acknowledge_breach_notified_at is None
    assert not Crisis.objects.get().events.filter(kind=CrisisEventKind.SLA_BREACHED).exists()

    monkeypatch.undo()
    assert crisis_sla_sweep().acknowledge_breaches == 1
