"""A condition that is still there updates its live alert in place; it never fires twice."""

import datetime as dt
from decimal import Decimal

import pytest

from crisis.models import Alert, AlertStatus, Crisis, CrisisEvent, CrisisEventKind
from notifications.models import Notification

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


def test_a_standing_condition_never_opens_a_second_alert_or_notifies_again(
    scan, bottle, owner, manager
):
    first = scan([finding(product=bottle, money="1500")], at=T0)
    second = scan([finding(product=bottle, money="1500")], at=T0 + dt.timedelta(hours=1))

    assert (first.opened, first.updated) == (1, 0)
    assert (second.opened, second.updated, second.resolved) == (0, 1, 0)
    assert Alert.objects.count() == 1
    assert Crisis.objects.count() == 1
    # Opened once: one notice per manager, none for the hour after.
    assert Notification.objects.filter(event="alert_opened").count() == 2
    assert CrisisEvent.objects.filter(kind=CrisisEventKind.ALERT_ADDED).count() == 1


def test_the_live_alert_takes_the_new_numbers_of_each_scan(scan, bottle, owner):
    scan([finding(product=bottle, money="1500", cover_days=6)], at=T0)
    later = T0 + dt.timedelta(hours=2)
    scan([finding(product=bottle, money="1800.456", cover_days=4)], at=later)

    alert = Alert.objects.get()
    assert alert.status == AlertStatus.OPEN
    assert alert.money_at_risk == Decimal("1800.46")
    assert alert.evidence == {"cover_days": 4}
    assert alert.first_detected_at == T0
    assert alert.last_detected_at == later
    assert alert.detections == 2
    crisis = alert.crisis
    assert crisis.money_at_risk == Decimal("1800.46")


def test_an_acknowledged_alert_stays_acknowledged_while_its_condition_stands(scan, bottle, owner):
    from crisis.services import alert_acknowledge

    scan([finding(product=bottle)], at=T0)
    alert_acknowledge(alert=Alert.objects.get(), user=owner)
    scan([finding(product=bottle)], at=T0 + dt.timedelta(hours=1))

    alert = Alert.objects.get()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.detections == 2


def test_the_same_key_twice_in_one_scan_counts_once_with_the_larger_amount(scan, bottle):
    report = scan(
        [finding(product=bottle, money="1200"), finding(product=bottle, money="2500")], at=T0
    )

    assert report.findings == 1
    assert Alert.objects.get().money_at_risk == Decimal("2500.00")


def test_a_finding_about_another_merchants_product_is_ignored(scan, other_merchant):
    from tests.factories import ProductFactory

    foreign = ProductFactory(merchant=other_merchant)
    report = scan([finding(product=foreign)], at=T0)

    assert report.opened == 0
    assert not Alert.objects.exists()
