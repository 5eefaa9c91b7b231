"""Proposing an action by hand: validated numbers, a timeline line, and nothing applied yet."""

import pytest
from django.core.exceptions import PermissionDenied

from crisis.models import ActionStatus, CrisisEvent
from crisis.selectors.playbooks import actions_for
from crisis.services.actions import action_approve, action_propose
from crisis.services.errors import CrisisError

from .conftest import effects

pytestmark = pytest.mark.django_db


def test_an_analyst_proposes_a_reorder_that_waits_for_a_manager(stockout_crisis, analyst, manager):
    action = action_propose(
        crisis=stockout_crisis,
        user=analyst,
        kind="reorder",
        title="Air-freight 200 units",
        detail="Bridges the gap until the sea shipment.",
        params={"units": 200},
    )

    assert action.status == ActionStatus.PROPOSED and action.proposed_by == analyst
    assert action.params == {"units": 200, "product_id": stockout_crisis.product_id}
    assert effects()["purchase_suggestions"] == 0
    assert CrisisEvent.objects.get(kind="action_proposed").actor == analyst
    assert list(actions_for(crisis=stockout_crisis)) == [action]

    action_approve(action=action, user=manager)
    assert effects()["purchase_suggestions"] == 1


def test_a_markdown_proposal_shows_the_price_it_would_record(overstock_crisis, manager):
    action = action_propose(
        crisis=overstock_crisis,
        user=manager,
        kind="markdown",
        title="Winter sale",
        params={"price_cut": 0.25, "days": 14},
    )

    assert action.params["old_price"] == "89.00" and action.params["new_price"] == "66.75"


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("reorder", {}),
        ("reorder", {"units": 0}),
        ("reorder", {"units": "lots"}),
        ("markdown", {"price_cut": 1.5, "days": 14}),
        ("markdown", {"price_cut": 0.2, "days": 0}),
        ("listing_fix", {"proposed_text": "   "}),
        ("customer_reply", {"proposed_text": "Sorry!", "review_id": 987654}),
        ("refund_everyone", {}),
    ],
)
def test_bad_numbers_are_refused_with_a_clear_error(surge_crisis, owner, kind, params):
    with pytest.raises(CrisisError) as refused:
        action_propose(crisis=surge_crisis, user=owner, kind=kind, title="Do it", params=params)

    assert refused.value.error_code == "invalid_action" and refused.value.status_code == 400
    assert not surge_crisis.actions.exists()


def test_a_reply_without_a_review_answers_the_newest_unanswered_complaints(
    surge_crisis, owner, leak_reviews
):
    action = action_propose(
        crisis=surge_crisis,
        user=owner,
        kind="customer_reply",
        title="Apologise",
        params={"proposed_text": "Thank you for your review. We are sorry about the lid."},
    )

    assert action.params["review_ids"] == [review.pk for review in leak_reviews[:3]]


def test_a_viewer_cannot_propose(stockout_crisis, viewer):
    with pytest.raises(PermissionDenied):
        action_propose(crisis=stockout_crisis, user=viewer, kind="other", title="Call the supplier")
