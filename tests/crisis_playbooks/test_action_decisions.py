"""Who may decide an action, when, and what a refused or failed decision leaves behind."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404

from crisis.models import ActionStatus, CrisisEvent, CrisisStatus, PriceChange
from crisis.services.actions import action_approve, action_reject
from crisis.services.errors import CrisisError
from products.content.models import ContentDraft
from tests.crisis_pages.factories import CrisisActionFactory, CrisisFactory
from tests.factories import ProductFactory

from .conftest import effects

pytestmark = pytest.mark.django_db


def test_an_action_cannot_be_approved_twice(stockout_crisis, drafted, manager, owner):
    action = drafted(stockout_crisis)["reorder"]
    action_approve(action=action, user=manager)

    with pytest.raises(CrisisError) as refused:
        action_approve(action=action, user=owner)

    assert refused.value.error_code == "action_decided" and refused.value.status_code == 409
    assert effects()["purchase_suggestions"] == 1


def test_a_rejected_action_cannot_be_approved(stockout_crisis, drafted, manager):
    action = drafted(stockout_crisis)["reorder"]
    action_reject(action=action, user=manager, reason="We have a container on the water.")

    with pytest.raises(CrisisError) as refused:
        action_approve(action=action, user=manager)

    assert refused.value.error_code == "action_decided"
    assert effects()["purchase_suggestions"] == 0


def test_rejecting_records_the_reason_and_changes_nothing_else(stockout_crisis, drafted, owner):
    action = drafted(stockout_crisis)["reorder"]

    action = action_reject(action=action, user=owner, reason="Supplier is closed this week.")

    assert action.status == ActionStatus.REJECTED and action.decided_by == owner
    assert action.result == {"reason": "Supplier is closed this week."}
    event = CrisisEvent.objects.get(crisis=stockout_crisis, kind="action_rejected")
    assert event.message == "Supplier is closed this week." and event.actor == owner
    assert effects()["purchase_suggestions"] == 0


def test_another_merchants_member_cannot_approve_an_action(stockout_crisis, drafted, other_owner):
    action = drafted(stockout_crisis)["reorder"]

    with pytest.raises(Http404):
        action_approve(action=action, user=other_owner)

    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED
    assert effects()["purchase_suggestions"] == 0


def test_an_action_filed_under_another_merchants_crisis_is_not_applied(
    merchant, other_merchant, owner
):
    theirs = CrisisFactory(product=ProductFactory(merchant=other_merchant))
    action = CrisisActionFactory(crisis=theirs, merchant=merchant)

    with pytest.raises(Http404):
        action_approve(action=action, user=owner)

    assert effects()["purchase_suggestions"] == 0


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_viewers_and_analysts_cannot_decide_actions(stockout_crisis, drafted, request, role):
    user = request.getfixturevalue(role)
    action = drafted(stockout_crisis)["reorder"]

    with pytest.raises(PermissionDenied):
        action_approve(action=action, user=user)
    with pytest.raises(PermissionDenied):
        action_reject(action=action, user=user)

    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED


def test_actions_of_a_resolved_crisis_are_not_applied(stockout_crisis, drafted, manager):
    action = drafted(stockout_crisis)["reorder"]
    stockout_crisis.status = CrisisStatus.RESOLVED
    stockout_crisis.save()

    with pytest.raises(CrisisError) as refused:
        action_approve(action=action, user=manager)

    assert refused.value.error_code == "crisis_resolved"


def test_an_action_that_cannot_be_applied_fails_with_its_error(overstock_crisis, drafted, manager):
    action = drafted(overstock_crisis)["markdown"]
    product = overstock_crisis.product
    product.price = 0
    product.save()

    action = action_approve(action=action, user=manager)

    assert action.status == ActionStatus.FAILED
    assert action.error == "The product has no price to mark down."
    assert action.result == {} and action.applied_at is None
    assert not PriceChange.objects.exists()
    kinds = list(
        CrisisEvent.objects.filter(data__action_id=action.pk).values_list("kind", flat=True)
    )
    assert kinds == ["action_approved", "action_failed"]


def test_a_failure_half_way_leaves_nothing_of_what_was_applied_before_it(
    surge_crisis, drafted, manager, monkeypatch
):
    import reviews.services.replies as replies

    action = drafted(surge_crisis)["customer_reply"]
    real = replies.reply_draft_create
    calls = []

    def fails_on_the_second(**kwargs):
        calls.append(kwargs["review"].pk)
        if len(calls) == 2:
            raise DatabaseError("connection lost")
        return real(**kwargs)

    monkeypatch.setattr(replies, "reply_draft_create", fails_on_the_second)
    action = action_approve(action=action, user=manager)

    assert len(calls) == 2
    assert action.status == ActionStatus.FAILED and "DatabaseError" in action.error
    assert not ContentDraft.objects.filter(kind="review_reply").exists()
