"""A condition that comes back after its alert was resolved opens a new alert."""

import datetime as dt

import pytest

from crisis.models import Alert, AlertStatus, Crisis, CrisisEventKind, CrisisStatus
from crisis.services import alert_acknowledge, alert_resolve, crisis_resolve

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


def test_a_condition_that_returns_after_clearing_opens_a_new_alert_in_the_same_crisis(
    scan, bottle, owner
):
    scan([finding(product=bottle)], at=T0)
    alert_acknowledge(alert=Alert.objects.get(), user=owner)
    scan([], at=T0 + dt.timedelta(hours=1))
    assert Crisis.objects.get().status == CrisisStatus.MONITORING

    report = scan([finding(product=bottle)], at=T0 + dt.timedelta(hours=2))

    first, second = Alert.objects.order_by("pk")
    assert report.opened == 1
    assert first.status == AlertStatus.RESOLVED and second.status == AlertStatus.OPEN
    assert first.dedup_key == second.dedup_key
    assert second.crisis_id == first.crisis_id
    crisis = Crisis.objects.get()
    # Someone had acknowledged it: back to investigating, not to detected.
    assert crisis.status == CrisisStatus.INVESTIGATING
    back = crisis.events.filter(kind=CrisisEventKind.ALERT_ADDED).last()
    assert back.data["previous_alert"] == first.pk


def test_resolving_an_alert_by_hand_while_the_condition_stands_reopens_it_next_scan(
    scan, bottle, owner
):
    scan([finding(product=bottle)], at=T0)
    alert_resolve(alert=Alert.objects.get(), user=owner)

    scan([finding(product=bottle)], at=T0 + dt.timedelta(hours=1))

    assert Alert.objects.count() == 2
    assert Alert.objects.live().count() == 1


def test_after_a_crisis_is_resolved_a_returning_condition_opens_a_new_crisis(scan, bottle, owner):
    scan([finding(product=bottle)], at=T0)
    old = Crisis.objects.get()
    crisis_resolve(crisis=old, user=owner, cause="Supplier delay")

    scan([finding(product=bottle)], at=T0 + dt.timedelta(days=1))

    new = Crisis.objects.exclude(pk=old.pk).get()
    assert new.status == CrisisStatus.DETECTED
    assert new.group_key == old.group_key
    assert Alert.objects.live().get().crisis == new
