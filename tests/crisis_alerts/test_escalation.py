"""Severity follows money at risk; a rise escalates the alert and tightens the crisis's SLA."""

import datetime as dt

import pytest

from crisis.models import Alert, CrisisEventKind, Severity
from crisis.services.crises import crisis_assign
from notifications.models import Notification

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


def test_severity_comes_from_money_at_risk(scan, merchant):
    from tests.factories import ProductFactory

    amounts = {40: Severity.LOW, 1000: Severity.MEDIUM, 5000: Severity.HIGH}
    amounts[20000] = Severity.CRITICAL
    scan(
        [finding(product=ProductFactory(merchant=merchant), money=str(m)) for m in amounts],
        at=T0,
    )

    assert {int(a.money_at_risk): a.severity for a in Alert.objects.all()} == amounts


def test_a_rise_in_severity_notifies_the_escalation_and_writes_the_timeline(
    scan, bottle, owner, manager, analyst
):
    scan([finding(product=bottle, money="1500")], at=T0)
    crisis = Alert.objects.get().crisis
    crisis_assign(crisis=crisis, owner=analyst, user=owner)

    report = scan([finding(product=bottle, money="6000")], at=T0 + dt.timedelta(hours=1))

    assert report.escalated == 1
    notices = Notification.objects.filter(event="alert_escalated")
    # Owners and managers, and the crisis's owner.
    assert sorted(n.recipient.username for n in notices) == ["alice", "andy", "mona"]
    assert "High" in notices.first().title
    crisis.refresh_from_db()
    assert crisis.severity == Severity.HIGH
    kinds = list(crisis.events.values_list("kind", flat=True))
    assert CrisisEventKind.SEVERITY_CHANGED in kinds
    escalated = crisis.events.get(kind=CrisisEventKind.ALERT_UPDATED, data__change="escalated")
    assert (escalated.data["from"], escalated.data["to"]) == (2, 3)
    sent = crisis.events.filter(
        kind=CrisisEventKind.NOTIFICATION_SENT, data__event="alert_escalated"
    )
    assert sent.count() == 1


def test_a_fall_in_severity_notifies_nobody(scan, bottle, owner):
    scan([finding(product=bottle, money="6000")], at=T0)
    scan([finding(product=bottle, money="1500")], at=T0 + dt.timedelta(hours=1))

    alert = Alert.objects.get()
    assert alert.severity == Severity.MEDIUM
    assert not Notification.objects.filter(event="alert_escalated").exists()
    eased = alert.crisis.events.get(kind=CrisisEventKind.ALERT_UPDATED)
    assert (eased.data["change"], eased.data["from"], eased.data["to"]) == ("eased", 3, 2)


def test_low_alerts_open_silently_and_a_big_first_scan_sends_a_summary(
    scan, merchant, owner, settings
):
    from tests.factories import ProductFactory

    settings.CRISIS_NOTIFY_MAX_PER_SCAN = 2
    products = [ProductFactory(merchant=merchant) for _ in range(6)]
    findings = [finding(product=products[0], money="100")]
    findings += [finding(product=p, money=str(2000 + i)) for i, p in enumerate(products[1:])]
    scan(findings, at=T0)

    titles = list(
        Notification.objects.filter(recipient=owner, event="alert_opened")
        .order_by("pk")
        .values_list("title", flat=True)
    )
    # The two costliest by name, the other three in a summary, the low one not at all.
    assert titles == [
        f"Medium alert: stockout_risk on {products[5].sku}",
        f"Medium alert: stockout_risk on {products[4].sku}",
        "3 more alerts opened by the last scan.",
    ]
