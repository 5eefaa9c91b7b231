"""Resolving a crisis asks for a post-mortem and closes its live alerts."""

import pytest

from crisis.models import (
    Alert,
    AlertResolution,
    AlertStatus,
    Crisis,
    CrisisEventKind,
    CrisisStatus,
)
from crisis.services import CrisisError, crisis_resolve

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(scan, bottle):
    scan(
        [
            finding("stockout_risk", product=bottle),
            finding("review_surge", product=bottle, aspect="leaking"),
        ],
        at=T0,
    )
    return Crisis.objects.get()


@pytest.mark.parametrize("cause", ["", "   "])
def test_resolving_without_a_cause_is_refused_and_changes_nothing(crisis, owner, cause):
    with pytest.raises(CrisisError) as refused:
        crisis_resolve(crisis=crisis, user=owner, cause=cause, worked="Reorder")

    assert refused.value.code == "postmortem_required"
    assert refused.value.status_code == 400
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.DETECTED
    assert Alert.objects.live().count() == 2


def test_resolving_keeps_the_postmortem_and_resolves_the_live_alerts(crisis, owner):
    crisis = crisis_resolve(
        crisis=crisis,
        user=owner,
        cause=" A new gasket supplier ",
        worked="Pulled the batch",
        followups="Check seals on arrival",
    )

    assert crisis.status == CrisisStatus.RESOLVED
    assert crisis.resolved_by == owner and crisis.resolved_at is not None
    assert (crisis.postmortem_cause, crisis.postmortem_worked, crisis.postmortem_followups) == (
        "A new gasket supplier",
        "Pulled the batch",
        "Check seals on arrival",
    )
    assert crisis.time_to_resolve is not None
    assert crisis.acknowledged_at is not None
    alerts = Alert.objects.filter(crisis=crisis)
    assert {(a.status, a.resolution) for a in alerts} == {
        (AlertStatus.RESOLVED, AlertResolution.CRISIS_RESOLVED)
    }
    postmortem = crisis.events.get(kind=CrisisEventKind.POSTMORTEM)
    assert postmortem.data == {
        "cause": "A new gasket supplier",
        "worked": "Pulled the batch",
        "followups": "Check seals on arrival",
    }
    assert crisis.events.filter(kind=CrisisEventKind.ALERT_RESOLVED).count() == 2


def test_a_resolved_crisis_cannot_be_resolved_again(crisis, owner):
    crisis_resolve(crisis=crisis, user=owner, cause="x")
    with pytest.raises(CrisisError) as refused:
        crisis_resolve(crisis=crisis, user=owner, cause="y")
    assert refused.value.code == "crisis_resolved"
    crisis.refresh_from_db()
    assert crisis.postmortem_cause == "x"


def test_a_crisis_whose_alerts_all_cleared_waits_for_a_person_to_resolve_it(scan, crisis):
    scan([], at=T0)
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.MONITORING
    assert crisis.resolved_at is None
