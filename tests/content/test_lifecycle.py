"""The draft lifecycle: draft -> approved | rejected, approved -> published; edits keep history."""

import pytest
from django.core.exceptions import ValidationError

from products.content.models import DraftStatus
from products.content.services import (
    ContentConflict,
    draft_approve,
    draft_choose_candidate,
    draft_edit,
    draft_publish,
    draft_reject,
)

from .factories import ContentDraftFactory

pytestmark = pytest.mark.django_db


def conflict_code(action) -> str:
    with pytest.raises(ContentConflict) as raised:
        action()
    assert raised.value.status_code == 409
    return raised.value.error_code


@pytest.fixture
def draft(bottle):
    return ContentDraftFactory(product=bottle)


def test_a_draft_can_be_approved_and_records_who_approved_it(draft, owner):
    draft = draft_approve(draft=draft, user=owner)
    assert draft.status == DraftStatus.APPROVED
    assert draft.approved_by == owner and draft.approved_at is not None


def test_an_approved_draft_cannot_be_approved_again(draft, owner):
    draft = draft_approve(draft=draft, user=owner)
    assert conflict_code(lambda: draft_approve(draft=draft, user=owner)) == "already_approved"


def test_a_draft_that_is_not_approved_cannot_be_published(draft, owner):
    assert conflict_code(lambda: draft_publish(draft=draft, user=owner)) == "not_approved"


def test_an_approved_draft_is_published_once(draft, owner):
    draft = draft_approve(draft=draft, user=owner)
    version = draft_publish(draft=draft, user=owner)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.published_by == owner
    assert version.draft == draft and version.is_current
    assert conflict_code(lambda: draft_publish(draft=draft, user=owner)) == "already_published"


def test_a_published_draft_can_be_neither_edited_approved_nor_rejected(draft, owner):
    draft_publish(draft=draft_approve(draft=draft, user=owner), user=owner)
    draft.refresh_from_db()
    assert conflict_code(lambda: draft_edit(draft=draft, text="New", user=owner)) == (
        "already_published"
    )
    assert conflict_code(lambda: draft_approve(draft=draft, user=owner)) == "already_published"
    assert conflict_code(lambda: draft_reject(draft=draft, user=owner)) == "already_published"


def test_a_draft_or_an_approved_draft_can_be_rejected_with_a_reason(bottle, owner):
    waiting = draft_reject(draft=ContentDraftFactory(product=bottle), user=owner, reason="Tone")
    assert waiting.status == DraftStatus.REJECTED and waiting.rejection_reason == "Tone"
    approved = draft_approve(draft=ContentDraftFactory(product=bottle), user=owner)
    approved = draft_reject(draft=approved, user=owner)
    assert approved.status == DraftStatus.REJECTED and approved.approved_at is None


def test_a_rejected_draft_is_final(draft, owner):
    draft = draft_reject(draft=draft, user=owner)
    assert conflict_code(lambda: draft_reject(draft=draft, user=owner)) == "already_rejected"
    assert conflict_code(lambda: draft_approve(draft=draft, user=owner)) == "draft_rejected"
    assert conflict_code(lambda: draft_publish(draft=draft, user=owner)) == "not_approved"
    assert conflict_code(lambda: draft_edit(draft=draft, text="x", user=owner)) == "draft_rejected"


def test_editing_an_approved_draft_sends_it_back_for_approval_and_keeps_history(draft, owner):
    draft = draft_approve(draft=draft, user=owner)
    draft = draft_edit(
        draft=draft, text="A stainless steel bottle, 750 ml.", user=owner, note="shorter"
    )
    assert draft.status == DraftStatus.DRAFT and draft.approved_by is None
    assert draft.generated_text == "A stainless steel bottle that holds 750 ml."
    revision = draft.revisions.order_by("-at", "-pk").first()
    assert revision.text == "A stainless steel bottle, 750 ml."
    assert revision.edited_by == owner and revision.note == "shorter"


def test_an_edit_is_checked_against_the_product_facts(draft, owner):
    draft = draft_edit(draft=draft, text="A titanium bottle that holds 750 ml.", user=owner)
    assert draft.unsupported_count == 1
    flagged = [claim for claim in draft.claims if not claim["supported"]]
    assert [claim["text"] for claim in flagged] == ["titanium"]
    assert draft.text[flagged[0]["start"] : flagged[0]["end"]] == "titanium"


def test_an_empty_or_too_long_edit_is_refused(draft, owner):
    with pytest.raises(ValidationError):
        draft_edit(draft=draft, text="   ", user=owner)
    with pytest.raises(ValidationError):
        draft_edit(draft=draft, text="x" * 2001, user=owner)


def test_choosing_another_candidate_makes_it_the_text(draft, owner):
    draft = draft_choose_candidate(draft=draft, index=1, user=owner)
    assert draft.text == "Steel bottle, 750 ml, keeps drinks cold."
    assert draft.revisions.count() == 1  # the factory wrote no initial revision
    with pytest.raises(ValidationError):
        draft_choose_candidate(draft=draft, index=7, user=owner)
