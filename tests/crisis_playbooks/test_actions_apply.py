"""Approving an action applies exactly its own effect inside EcomOps, and nothing else."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from crisis.models import ActionStatus, CrisisEvent, PriceChange, PurchaseSuggestion
from crisis.services.actions import action_approve
from products.content.models import ContentDraft, DraftStatus

from .conftest import effects

pytestmark = pytest.mark.django_db

NOTHING = {
    "purchase_suggestions": 0,
    "price_changes": 0,
    "description_drafts": 0,
    "reply_drafts": 0,
}


def test_approving_a_reorder_records_one_purchase_suggestion_of_the_rounded_order(
    stockout_crisis, drafted, manager
):
    action = drafted(stockout_crisis)["reorder"]

    action = action_approve(action=action, user=manager)

    assert action.status == ActionStatus.APPLIED and action.decided_by == manager
    suggestion = PurchaseSuggestion.objects.get()
    assert suggestion.quantity == 550 and suggestion.product == stockout_crisis.product
    assert suggestion.action == action and suggestion.created_by == manager
    assert action.result == {"purchase_suggestion": suggestion.pk, "quantity": 550}
    assert effects() == {**NOTHING, "purchase_suggestions": 1}
    kinds = list(
        CrisisEvent.objects.filter(crisis=stockout_crisis, data__action_id=action.pk).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["action_approved", "action_applied"]


def test_approving_a_markdown_records_a_price_change_in_the_merchants_days(
    overstock_crisis, drafted, manager
):
    merchant = overstock_crisis.merchant
    merchant.timezone = "Pacific/Auckland"
    merchant.save()
    action = drafted(overstock_crisis)["markdown"]
    product = overstock_crisis.product
    # 20:00 in London on 1 March is 09:00 on 2 March in Auckland.
    at = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)

    with mock.patch.object(timezone, "now", return_value=at):
        action = action_approve(action=action, user=manager)

    assert action.status == ActionStatus.APPLIED, action.error
    change = PriceChange.objects.get()
    assert (change.old_price, change.new_price) == (Decimal("89.00"), Decimal("62.30"))
    assert change.starts_on == dt.date(2026, 3, 2)
    assert change.ends_on == dt.date(2026, 3, 29)  # 28 days, the first and the last included
    assert change.action == action and change.created_by == manager
    product.refresh_from_db()
    assert product.price == Decimal("89.00")  # the shop's price is not touched
    assert action.result["price_change"] == change.pk
    assert effects() == {**NOTHING, "price_changes": 1}


def test_approving_a_listing_fix_leaves_a_description_draft_waiting_for_approval(
    surge_crisis, drafted, manager
):
    action = drafted(surge_crisis)["listing_fix"]
    product = surge_crisis.product
    description = product.description

    action = action_approve(action=action, user=manager)

    assert action.status == ActionStatus.APPLIED, action.error
    draft = ContentDraft.objects.get(kind="description")
    assert draft.status == DraftStatus.DRAFT and draft.product == product
    assert draft.text == action.params["proposed_text"]
    assert draft.text.startswith(description) and "Lid: screw cap" in draft.text
    assert draft.unsupported_count == 0 and draft.created_by == manager
    assert draft.revisions.count() == 1
    assert action.result == {"content_draft": draft.pk, "unsupported_claims": 0}
    product.refresh_from_db()
    assert product.description == description  # published only through the studio
    assert effects() == {**NOTHING, "description_drafts": 1}


def test_approving_a_customer_reply_writes_a_reply_draft_for_each_cited_review(
    surge_crisis, drafted, manager, leak_reviews
):
    action = drafted(surge_crisis)["customer_reply"]
    text = action.params["proposed_text"]

    action = action_approve(action=action, user=manager)

    assert action.status == ActionStatus.APPLIED, action.error
    drafts = ContentDraft.objects.filter(kind="review_reply").order_by("review_id")
    assert [d.review_id for d in drafts] == sorted(r.pk for r in leak_reviews[:3])
    assert all(d.text == text and d.status == DraftStatus.DRAFT for d in drafts)
    assert all(d.unsupported_count == 0 for d in drafts)
    assert sorted(action.result["content_drafts"]) == sorted(d.pk for d in drafts)
    for review in leak_reviews:
        review.refresh_from_db()
        assert review.reply_text == ""  # answered only when a reply is published
    assert effects() == {**NOTHING, "reply_drafts": 3}


def test_a_reply_skips_reviews_answered_since_it_was_proposed(
    surge_crisis, drafted, manager, leak_reviews
):
    action = drafted(surge_crisis)["customer_reply"]
    answered = leak_reviews[0]
    answered.reply_text = "We are on it."
    answered.save()

    action = action_approve(action=action, user=manager)

    assert action.status == ActionStatus.APPLIED
    assert {"review_id": answered.pk, "reason": "already answered"} in action.result["skipped"]
    assert effects()["reply_drafts"] == 2


def test_approving_pause_ads_only_records_a_to_do(stockout_crisis, drafted, manager):
    action = drafted(stockout_crisis)["pause_ads"]

    action = action_approve(action=action, user=manager)

    assert action.status == ActionStatus.APPROVED and action.applied_at is None
    assert action.result["todo"] is True and "no ad platform" in action.result["note"]
    assert effects() == NOTHING
