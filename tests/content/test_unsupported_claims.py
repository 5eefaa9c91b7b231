"""Unsupported claims block approval and publishing until an edit removes them or a manager
overrides the check with a reason."""

import pytest
from django.urls import reverse

from products.content.models import DraftStatus
from products.content.services import (
    ContentConflict,
    draft_approve,
    draft_edit,
    draft_override,
    draft_publish,
)

from .factories import ContentDraftFactory, flagged_draft

pytestmark = pytest.mark.django_db


def test_a_flagged_draft_cannot_be_approved(bottle, owner):
    draft = flagged_draft(product=bottle)
    with pytest.raises(ContentConflict) as raised:
        draft_approve(draft=draft, user=owner)
    assert raised.value.error_code == "unsupported_claims"


def test_a_flagged_approved_draft_cannot_be_published(bottle, owner):
    # Approved before a rule change flagged it: publishing checks again.
    draft = flagged_draft(product=bottle, status=DraftStatus.APPROVED)
    with pytest.raises(ContentConflict) as raised:
        draft_publish(draft=draft, user=owner)
    assert raised.value.error_code == "unsupported_claims"


def test_an_edit_that_removes_the_claims_unblocks_the_draft(bottle, owner):
    draft = flagged_draft(product=bottle)
    draft = draft_edit(draft=draft, text="A stainless steel bottle that holds 750 ml.", user=owner)
    assert draft.unsupported_count == 0 and not draft.is_blocked
    assert draft_approve(draft=draft, user=owner).status == DraftStatus.APPROVED


def test_a_manager_override_with_a_reason_unblocks_and_is_recorded(bottle, manager):
    draft = draft_override(
        draft=flagged_draft(product=bottle), user=manager, reason="Supplier sheet says titanium"
    )
    assert draft.override_by == manager and draft.override_at is not None
    assert draft.override_reason == "Supplier sheet says titanium"
    draft = draft_approve(draft=draft, user=manager)
    version = draft_publish(draft=draft, user=manager)
    assert version.text == "Made of titanium with a lifetime warranty."


def test_an_override_needs_a_reason_and_unsupported_claims(bottle, owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        draft_override(draft=flagged_draft(product=bottle), user=owner, reason="  ")
    with pytest.raises(ContentConflict) as raised:
        draft_override(draft=ContentDraftFactory(product=bottle), user=owner, reason="Sure")
    assert raised.value.error_code == "nothing_to_override"


def test_an_edit_drops_the_override(bottle, owner):
    draft = draft_override(draft=flagged_draft(product=bottle), user=owner, reason="Checked")
    draft = draft_edit(draft=draft, text="Made of titanium, really.", user=owner)
    assert draft.override_at is None and draft.is_blocked


def test_the_draft_page_highlights_claims_and_hides_the_approve_form(owner_client, bottle):
    draft = flagged_draft(product=bottle)
    html = owner_client.get(reverse("content-draft", kwargs={"draft_id": draft.pk})).content
    html = html.decode()
    assert 'data-claim="unsupported"' in html and ">titanium</mark>" in html
    assert "Not supported by the product facts" in html
    assert reverse("content-draft-approve", kwargs={"draft_id": draft.pk}) not in html
    assert reverse("content-draft-override", kwargs={"draft_id": draft.pk}) in html


def test_posting_approve_on_a_flagged_draft_changes_nothing(owner_client, bottle):
    draft = flagged_draft(product=bottle)
    response = owner_client.post(
        reverse("content-draft-approve", kwargs={"draft_id": draft.pk}), follow=True
    )
    assert "claims the product facts do not support" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT


def test_a_manager_overrides_on_the_page_with_a_reason(manager_client, bottle, manager):
    draft = flagged_draft(product=bottle)
    url = reverse("content-draft-override", kwargs={"draft_id": draft.pk})
    assert manager_client.post(url, {"reason": ""}).status_code == 400
    manager_client.post(url, {"reason": "Lab report attached"})
    draft.refresh_from_db()
    assert draft.override_by == manager and draft.override_reason == "Lab report attached"


def test_an_analyst_cannot_override(analyst_client, analyst_api, bottle):
    draft = flagged_draft(product=bottle)
    page = analyst_client.get(reverse("content-draft", kwargs={"draft_id": draft.pk}))
    assert reverse("content-draft-override", kwargs={"draft_id": draft.pk}) not in (
        page.content.decode()
    )
    url = reverse("content-draft-override", kwargs={"draft_id": draft.pk})
    assert analyst_client.post(url, {"reason": "Trust me"}).status_code == 403
    api_url = reverse("api:content-draft-override", kwargs={"draft_id": draft.pk})
    response = analyst_api.post(api_url, {"reason": "Trust me"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    draft.refresh_from_db()
    assert draft.override_at is None
