"""Owners are members of the store and hear about it; comments and acknowledgements go on the
timeline."""

import pytest

from crisis.models import Alert, AlertStatus, Crisis, CrisisEventKind, CrisisStatus
from crisis.services import (
    CrisisError,
    alert_acknowledge,
    crisis_acknowledge,
    crisis_assign,
    crisis_comment,
)
from notifications.models import Notification
from tests.factories import UserFactory

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(scan, bottle):
    scan([finding(product=bottle), finding("review_surge", product=bottle)], at=T0)
    return Crisis.objects.get()


def test_assigning_tells_the_new_owner_and_records_it(crisis, owner, analyst):
    crisis = crisis_assign(crisis=crisis, owner=analyst, user=owner)

    assert crisis.owner == analyst
    notice = Notification.objects.get(event="crisis_assigned")
    assert notice.recipient == analyst
    assert crisis.title in notice.title
    changed = crisis.events.get(kind=CrisisEventKind.OWNER_CHANGED)
    assert changed.actor == owner and changed.data == {"from": None, "to": analyst.pk}
    assert crisis.events.filter(
        kind=CrisisEventKind.NOTIFICATION_SENT, data__recipients=[analyst.pk]
    ).exists()


def test_a_crisis_cannot_be_assigned_to_someone_outside_the_store(crisis, owner, other_owner):
    stranger = UserFactory(username="stranger")
    for person in (stranger, other_owner):
        with pytest.raises(CrisisError) as refused:
            crisis_assign(crisis=crisis, owner=person, user=owner)
        assert refused.value.code == "not_a_member"
        assert refused.value.status_code == 400

    crisis.refresh_from_db()
    assert crisis.owner is None
    assert not Notification.objects.filter(event="crisis_assigned").exists()


def test_assigning_the_same_owner_twice_notifies_once(crisis, owner, analyst):
    crisis_assign(crisis=crisis, owner=analyst, user=owner)
    crisis_assign(crisis=crisis, owner=analyst, user=owner)

    assert Notification.objects.filter(event="crisis_assigned").count() == 1


def test_a_comment_goes_on_the_timeline_and_an_empty_one_is_refused(crisis, analyst):
    event = crisis_comment(crisis=crisis, user=analyst, text="  Checking with the supplier. ")
    assert (event.kind, event.actor, event.message) == (
        CrisisEventKind.COMMENT,
        analyst,
        "Checking with the supplier.",
    )
    with pytest.raises(CrisisError) as refused:
        crisis_comment(crisis=crisis, user=analyst, text="   ")
    assert refused.value.code == "empty_comment"


def test_acknowledging_the_first_alert_acknowledges_the_crisis(crisis, analyst):
    alert = crisis.alerts.first()
    alert = alert_acknowledge(alert=alert, user=analyst)

    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == analyst
    crisis.refresh_from_db()
    assert crisis.acknowledged_at == alert.acknowledged_at
    assert crisis.status == CrisisStatus.DETECTED  # acknowledging is not a status change


def test_acknowledging_the_crisis_acknowledges_its_open_alerts_and_starts_investigating(
    crisis, analyst
):
    crisis = crisis_acknowledge(crisis=crisis, user=analyst)

    assert crisis.status == CrisisStatus.INVESTIGATING
    assert crisis.acknowledged_at is not None
    assert set(Alert.objects.values_list("status", flat=True)) == {AlertStatus.ACKNOWLEDGED}
