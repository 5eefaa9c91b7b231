"""A snoozed alert stays live and keeps being updated, but says nothing until it wakes."""

import datetime as dt

import pytest
from django.utils import timezone

from crisis.models import Alert, AlertStatus, Crisis
from crisis.services import CrisisError, alert_resolve, alert_snooze
from notifications.models import Notification

from .conftest import finding

pytestmark = pytest.mark.django_db


def test_a_snoozed_alert_escalates_silently_and_stays_live(scan, bottle, owner, manager):
    scan([finding(product=bottle, money="1500")])
    alert = alert_snooze(
        alert=Alert.objects.get(), user=owner, until=timezone.now() + dt.timedelta(days=1)
    )
    assert alert.status == AlertStatus.ACKNOWLEDGED  # snoozing is a response
    assert Crisis.objects.get().acknowledged_at is not None

    report = scan([finding(product=bottle, money="25000")])

    alert.refresh_from_db()
    assert report.escalated == 1
    assert alert.severity == 4 and alert.status == AlertStatus.ACKNOWLEDGED
    assert not Notification.objects.filter(event="alert_escalated").exists()
    assert Crisis.objects.get().money_at_risk == 25000  # still counted in its crisis


def test_once_the_snooze_is_over_an_escalation_notifies_again(scan, bottle, owner, manager):
    scan([finding(product=bottle, money="1500")])
    alert = Alert.objects.get()
    alert_snooze(alert=alert, user=owner, until=timezone.now() + dt.timedelta(hours=1))

    scan([finding(product=bottle, money="25000")], at=timezone.now() + dt.timedelta(hours=2))

    assert Notification.objects.filter(event="alert_escalated").count() == 2  # owner, manager


def test_a_snooze_must_end_in_the_future_and_within_ninety_days(scan, bottle, owner):
    scan([finding(product=bottle)])
    alert = Alert.objects.get()

    for until in (timezone.now() - dt.timedelta(minutes=1), timezone.now() + dt.timedelta(days=91)):
        with pytest.raises(CrisisError) as refused:
            alert_snooze(alert=alert, user=owner, until=until)
        assert refused.value.code == "invalid_snooze"
        assert refused.value.status_code == 400
    alert.refresh_from_db()
    assert alert.snoozed_until is None and alert.status == AlertStatus.OPEN


def test_waking_a_snoozed_alert_clears_the_snooze(scan, bottle, owner):
    scan([finding(product=bottle)])
    alert = alert_snooze(
        alert=Alert.objects.get(), user=owner, until=timezone.now() + dt.timedelta(days=3)
    )
    alert = alert_snooze(alert=alert, user=owner, until=None)

    assert alert.snoozed_until is None
    assert alert.crisis.events.filter(data__change="unsnoozed").exists()


def test_a_resolved_alert_cannot_be_snoozed(scan, bottle, owner):
    scan([finding(product=bottle)])
    alert = alert_resolve(alert=Alert.objects.get(), user=owner)

    with pytest.raises(CrisisError) as refused:
        alert_snooze(alert=alert, user=owner, until=timezone.now() + dt.timedelta(days=1))
    assert refused.value.code == "alert_resolved"
    assert refused.value.status_code == 409
