"""A new playbook replaces the proposals of the previous one; decided actions stay as they are."""

import pytest

from crisis.models import ActionStatus, CrisisEvent
from crisis.selectors.playbooks import actions_for, playbook_latest
from crisis.services.actions import action_approve, action_propose

pytestmark = pytest.mark.django_db


def test_a_new_playbook_rejects_the_old_proposals_as_superseded(stockout_crisis, drafted, owner):
    first = drafted(stockout_crisis)
    approved = action_approve(action=first["reorder"], user=owner)
    by_hand = action_propose(
        crisis=stockout_crisis, user=owner, kind="other", title="Call the supplier"
    )

    second = drafted(stockout_crisis)

    latest = playbook_latest(crisis=stockout_crisis)
    old_pause = first["pause_ads"]
    old_pause.refresh_from_db()
    assert old_pause.status == ActionStatus.REJECTED
    assert old_pause.result == {"reason": "superseded", "superseded_by_playbook": latest.pk}
    approved.refresh_from_db()
    by_hand.refresh_from_db()
    assert approved.status == ActionStatus.APPLIED and by_hand.status == ActionStatus.PROPOSED
    assert {a.playbook_id for a in second.values()} == {latest.pk}
    assert [a.pk for a in actions_for(crisis=stockout_crisis)][-2:] == [
        second["reorder"].pk,
        second["pause_ads"].pk,
    ]
    drafted_event = CrisisEvent.objects.filter(kind="playbook_drafted").last()
    assert drafted_event.data["superseded_actions"] == [old_pause.pk]
