"""Who may generate, approve and publish follows the role matrix; viewers do nothing."""

import pytest
from django.urls import reverse

from products.content.models import ContentVersion, DraftStatus

from .factories import ContentDraftFactory, ContentVersionFactory

pytestmark = pytest.mark.django_db


def action_urls(draft) -> dict[str, str]:
    return {
        name: reverse(f"content-draft-{name}", kwargs={"draft_id": draft.pk})
        for name in ("edit", "choose", "approve", "reject", "override", "publish")
    }


def test_a_viewer_sees_the_draft_but_no_action_buttons(viewer_client, bottle):
    draft = ContentDraftFactory(product=bottle)
    html = viewer_client.get(reverse("content-draft", kwargs={"draft_id": draft.pk})).content
    html = html.decode()
    assert ">stainless steel</mark> bottle that holds" in html
    for url in action_urls(draft).values():
        assert url not in html


def test_a_viewer_cannot_approve_publish_edit_or_generate_by_posting(viewer_client, bottle):
    draft = ContentDraftFactory(product=bottle)
    approved = ContentDraftFactory(product=bottle, status=DraftStatus.APPROVED)
    for name, url in action_urls(draft).items():
        assert viewer_client.post(url, {"text": "x", "reason": "x", "index": 1}).status_code == (
            403
        ), name
    publish = reverse("content-draft-publish", kwargs={"draft_id": approved.pk})
    assert viewer_client.post(publish).status_code == 403
    generate = reverse("content-generate", kwargs={"product_id": bottle.pk})
    assert viewer_client.post(generate, {"kind": "description"}).status_code == 403
    assert viewer_client.get(reverse("content-bulk")).status_code == 403
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and approved.status == DraftStatus.APPROVED


def test_a_viewer_cannot_restore_a_version(viewer_client, bottle):
    old = ContentVersionFactory(product=bottle, text="old")
    ContentVersionFactory(product=bottle, text="now", is_current=True)
    url = reverse("content-version-restore", kwargs={"version_id": old.pk})
    assert viewer_client.post(url).status_code == 403
    assert ContentVersion.objects.get(is_current=True).text == "now"


def test_the_api_refuses_viewers_every_write(viewer_api, bottle):
    draft = ContentDraftFactory(product=bottle)
    version = ContentVersionFactory(product=bottle)
    urls = [
        reverse(f"api:content-draft-{name}", kwargs={"draft_id": draft.pk})
        for name in ("edit", "choose", "approve", "reject", "override", "publish")
    ]
    urls += [
        reverse("api:content-version-restore", kwargs={"version_id": version.pk}),
        reverse("api:content-generate", kwargs={"product_id": bottle.pk}),
        reverse("api:content-generate-bulk"),
    ]
    for url in urls:
        response = viewer_api.post(url, {}, format="json")
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"
    assert viewer_api.get(reverse("api:content-draft-list")).status_code == 200


def test_an_analyst_may_edit_but_not_approve_or_publish(analyst_client, bottle):
    draft = ContentDraftFactory(product=bottle)
    html = analyst_client.get(reverse("content-draft", kwargs={"draft_id": draft.pk})).content
    html = html.decode()
    urls = action_urls(draft)
    assert urls["edit"] in html and urls["approve"] not in html and urls["reject"] not in html
    analyst_client.post(urls["edit"], {"text": "A stainless steel bottle, 750 ml."})
    assert analyst_client.post(urls["approve"]).status_code == 403
    draft.refresh_from_db()
    assert draft.text == "A stainless steel bottle, 750 ml." and draft.status == DraftStatus.DRAFT


def test_a_manager_approves_and_publishes_on_the_page(manager_client, bottle, manager):
    draft = ContentDraftFactory(product=bottle)
    urls = action_urls(draft)
    html = manager_client.get(reverse("content-draft", kwargs={"draft_id": draft.pk})).content
    assert urls["approve"] in html.decode()
    manager_client.post(urls["approve"])
    html = manager_client.get(reverse("content-draft", kwargs={"draft_id": draft.pk})).content
    assert urls["publish"] in html.decode()
    manager_client.post(urls["publish"])
    draft.refresh_from_db()
    bottle.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.published_by == manager
    assert bottle.description == draft.text
