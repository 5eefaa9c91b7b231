"""Crisis statuses move along the allowed transitions only; refusals carry a code."""

import pytest

from crisis.models import Crisis, CrisisEventKind, CrisisStatus
from crisis.selectors.crises import crisis_status_choices
from crisis.services import (
    CrisisError,
    crisis_reopen,
    crisis_resolve,
    crisis_status_set,
)

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(scan, bottle):
    scan([finding(product=bottle)], at=T0)
    return Crisis.objects.get()


def test_a_crisis_moves_forward_and_records_each_move(crisis, owner):
    for status in (CrisisStatus.INVESTIGATING, CrisisStatus.MITIGATING, CrisisStatus.MONITORING):
        crisis = crisis_status_set(crisis=crisis, status=status, user=owner)
        assert crisis.status == status

    moves = crisis.events.filter(kind=CrisisEventKind.STATUS_CHANGED)
    assert [(e.data["from"], e.data["to"]) for e in moves] == [
        ("detected", "investigating"),
        ("investigating", "mitigating"),
        ("mitigating", "monitoring"),
    ]
    assert all(event.actor == owner for event in moves)


def test_moving_past_detected_stops_the_acknowledgement_clock(crisis, owner):
    assert crisis.acknowledged_at is None
    crisis = crisis_status_set(crisis=crisis, status=CrisisStatus.INVESTIGATING, user=owner)
    assert crisis.acknowledged_at is not None
    assert crisis.time_to_acknowledge is not None


@pytest.mark.parametrize(
    ("start", "target", "code"),
    [
        (CrisisStatus.INVESTIGATING, CrisisStatus.DETECTED, "invalid_transition"),
        (CrisisStatus.DETECTED, CrisisStatus.RESOLVED, "postmortem_required"),
        (CrisisStatus.MITIGATING, "closed", "invalid_status"),
    ],
)
def test_a_forbidden_move_is_refused_with_its_code(crisis, owner, start, target, code):
    Crisis.objects.filter(pk=crisis.pk).update(status=start)
    crisis.refresh_from_db()

    with pytest.raises(CrisisError) as refused:
        crisis_status_set(crisis=crisis, status=target, user=owner)

    assert refused.value.code == code
    crisis.refresh_from_db()
    assert crisis.status == start
    assert not crisis.events.filter(kind=CrisisEventKind.STATUS_CHANGED).exists()


def test_a_resolved_crisis_changes_status_only_by_reopening(crisis, owner):
    crisis = crisis_resolve(crisis=crisis, user=owner, cause="A supplier slipped")

    with pytest.raises(CrisisError) as refused:
        crisis_status_set(crisis=crisis, status=CrisisStatus.MITIGATING, user=owner)
    assert refused.value.code == "crisis_resolved"
    assert refused.value.status_code == 409
    assert crisis_status_choices(crisis=crisis) == []

    crisis = crisis_reopen(crisis=crisis, user=owner)
    assert crisis.status == CrisisStatus.INVESTIGATING
    assert crisis.resolved_at is None
    assert crisis.postmortem_cause == "A supplier slipped"
    assert crisis.events.filter(kind=CrisisEventKind.REOPENED).exists()


def test_only_a_resolved_crisis_can_be_reopened(crisis, owner):
    with pytest.raises(CrisisError) as refused:
        crisis_reopen(crisis=crisis, user=owner)
    assert refused.value.code == "not_resolved"


def test_a_crisis_cannot_be_reopened_when_a_newer_one_is_open_for_its_product(
    crisis, owner, scan, bottle
):
    crisis_resolve(crisis=crisis, user=owner, cause="Fixed")
    scan([finding(product=bottle)], at=T0)  # the condition stands: a new crisis

    with pytest.raises(CrisisError) as refused:
        crisis_reopen(crisis=crisis, user=owner)
    assert refused.value.code == "group_has_open_crisis"


def test_the_status_choices_are_the_allowed_moves(crisis):
    assert [value for value, _label in crisis_status_choices(crisis=crisis)] == [
        "investigating",
        "mitigating",
        "monitoring",
    ]
