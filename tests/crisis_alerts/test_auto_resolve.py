"""A condition the scan no longer finds resolves its alert ("cleared"); the crisis then waits in
"monitoring" for a person to close it."""

import datetime as dt

import pytest

from crisis.models import (
    Alert,
    AlertResolution,
    AlertStatus,
    Crisis,
    CrisisEvent,
    CrisisEventKind,
    CrisisStatus,
)

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


def test_a_cleared_condition_resolves_its_alert_and_the_crisis_moves_to_monitoring(scan, bottle):
    scan([finding(product=bottle)], at=T0)
    later = T0 + dt.timedelta(hours=1)
    report = scan([], at=later)

    alert = Alert.objects.get()
    assert report.resolved == 1
    assert alert.status == AlertStatus.RESOLVED
    assert alert.resolution == AlertResolution.CLEARED
    assert alert.resolved_at == later and alert.resolved_by is None
    crisis = Crisis.objects.get()
    assert crisis.status == CrisisStatus.MONITORING
    assert crisis.resolved_at is None
    assert crisis.money_at_risk == 0
    kinds = list(crisis.events.values_list("kind", flat=True))
    assert kinds == [
        CrisisEventKind.ALERT_ADDED,
        CrisisEventKind.NOTIFICATION_SENT,
        CrisisEventKind.ALERT_RESOLVED,
        CrisisEventKind.STATUS_CHANGED,
    ]


def test_only_the_cleared_condition_resolves_and_the_crisis_keeps_the_other(scan, bottle, owner):
    scan(
        [
            finding("stockout_risk", product=bottle, money="6000"),
            finding("review_surge", product=bottle, money="900", aspect="leaking"),
        ],
        at=T0,
    )
    scan([finding("review_surge", product=bottle, money="900", aspect="leaking")], at=T0)

    live = Alert.objects.live()
    assert list(live.values_list("kind", flat=True)) == ["review_surge"]
    crisis = Crisis.objects.get()
    assert crisis.status == CrisisStatus.DETECTED
    assert crisis.money_at_risk == 900
    assert crisis.title == "Summit Water Bottle: Negative-review surge"


def test_kinds_the_scan_did_not_look_for_do_not_clear(scan, bottle):
    scan([finding("overstock", product=bottle), finding("stockout_risk", product=bottle)], at=T0)
    report = scan([], at=T0, kinds=["stockout_risk"])

    assert report.resolved == 1
    assert list(Alert.objects.live().values_list("kind", flat=True)) == ["overstock"]


def test_a_snoozed_alert_whose_condition_cleared_resolves_too(scan, bottle, owner):
    from crisis.services import alert_snooze

    scan([finding(product=bottle)], at=T0)
    alert_snooze(
        alert=Alert.objects.get(),
        user=owner,
        until=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
    )
    scan([], at=T0 + dt.timedelta(hours=1))

    assert Alert.objects.get().status == AlertStatus.RESOLVED
    assert CrisisEvent.objects.filter(kind=CrisisEventKind.ALERT_RESOLVED).count() == 1
