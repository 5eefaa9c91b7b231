"""The content API: shapes, lifecycle conflicts (409 with a code), roles (403), tenants (404)."""

import pytest
from django.urls import reverse

from jobs.models import Job, JobKind, JobStatus
from products.content.models import ContentDraft, ContentVersion, DraftStatus
from tests.factories import ProductFactory

from .factories import ContentDraftFactory, ContentVersionFactory, flagged_draft

pytestmark = pytest.mark.django_db


def draft_api(name: str, draft) -> str:
    return reverse(f"api:content-draft-{name}", kwargs={"draft_id": draft.pk})


def error_code(response, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]["code"]


def test_the_draft_list_is_paginated_and_filters_by_queue(owner_api, bottle):
    waiting = ContentDraftFactory(product=bottle)
    flagged = flagged_draft(product=bottle)
    body = owner_api.get(reverse("api:content-draft-list")).json()
    assert body["count"] == 2 and {"next", "previous", "results"} <= set(body)
    row = next(item for item in body["results"] if item["id"] == waiting.pk)
    assert row["product"] == bottle.pk and row["product_sku"] == "B-750"
    assert row["status"] == "draft" and row["blocked"] is False
    flagged_only = owner_api.get(reverse("api:content-draft-list"), {"queue": "flagged"}).json()
    assert [item["id"] for item in flagged_only["results"]] == [flagged.pk]
    bad = owner_api.get(reverse("api:content-draft-list"), {"queue": "nope"})
    assert error_code(bad, 400) == "invalid"


def test_the_draft_detail_has_claims_candidates_history_and_the_current_text(owner_api, bottle):
    draft = ContentDraftFactory(product=bottle)
    body = owner_api.get(reverse("api:content-draft-detail", kwargs={"draft_id": draft.pk})).json()
    assert body["claims"][0] == {
        "text": "stainless steel",
        "kind": "material",
        "start": 2,
        "end": 17,
        "supported": True,
        "evidence": "material",
    }
    assert [c["score"] for c in body["candidates"]] == [5.0, 3.5]
    assert body["current_text"] == "Our classic bottle."
    assert body["writes_product_field"] == "description"
    assert body["revisions"] == []


def test_edit_approve_publish_and_restore_through_the_api(owner_api, bottle):
    draft = flagged_draft(product=bottle)
    assert error_code(owner_api.post(draft_api("approve", draft)), 409) == "unsupported_claims"
    assert error_code(owner_api.post(draft_api("publish", draft)), 409) == "not_approved"
    edited = owner_api.post(
        draft_api("edit", draft),
        {"text": "A stainless steel bottle.", "note": "fix"},
        format="json",
    )
    assert edited.status_code == 200
    assert (
        edited.json()["unsupported_count"] == 0 and edited.json()["revisions"][0]["note"] == "fix"
    )
    assert owner_api.post(draft_api("approve", draft)).json()["status"] == "approved"
    published = owner_api.post(draft_api("publish", draft))
    assert published.status_code == 200
    assert published.json()["draft"]["status"] == "published"
    assert published.json()["version"]["is_current"] is True
    assert error_code(owner_api.post(draft_api("publish", draft)), 409) == "already_published"
    bottle.refresh_from_db()
    assert bottle.description == "A stainless steel bottle."

    versions = owner_api.get(reverse("api:content-version-list"), {"product": bottle.pk}).json()
    assert [v["source"] for v in versions["results"]] == ["generated", "original"]
    original = versions["results"][1]
    restored = owner_api.post(
        reverse("api:content-version-restore", kwargs={"version_id": original["id"]})
    )
    assert restored.status_code == 201 and restored.json()["source"] == "restored"
    assert restored.json()["restored_from"] == original["id"]
    bottle.refresh_from_db()
    assert bottle.description == "Our classic bottle."
    again = owner_api.post(
        reverse("api:content-version-restore", kwargs={"version_id": restored.json()["id"]})
    )
    assert error_code(again, 409) == "already_current"


def test_override_needs_a_reason_and_a_manager(manager_api, bottle):
    draft = flagged_draft(product=bottle)
    assert error_code(manager_api.post(draft_api("override", draft), {}, format="json"), 400) == (
        "invalid"
    )
    body = manager_api.post(
        draft_api("override", draft), {"reason": "Lab report"}, format="json"
    ).json()
    assert body["override_by"] == "maria" and body["blocked"] is False
    again = manager_api.post(draft_api("override", draft), {"reason": "x"}, format="json")
    assert error_code(again, 409) == "already_overridden"
    assert manager_api.post(draft_api("approve", draft)).status_code == 200


def test_reject_and_choose_through_the_api(owner_api, bottle):
    draft = ContentDraftFactory(product=bottle)
    chosen = owner_api.post(draft_api("choose", draft), {"index": 1}, format="json")
    assert chosen.json()["text"] == "Steel bottle, 750 ml, keeps drinks cold."
    assert (
        error_code(owner_api.post(draft_api("choose", draft), {"index": 9}, format="json"), 400)
        == "invalid"
    )
    rejected = owner_api.post(draft_api("reject", draft), {"reason": "Off brand"}, format="json")
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "Off brand"
    assert error_code(owner_api.post(draft_api("approve", draft)), 409) == "draft_rejected"


def test_generate_for_one_product_answers_202_with_the_job(owner_api, bottle, fake_llm, on_commit):
    url = reverse("api:content-generate", kwargs={"product_id": bottle.pk})
    with on_commit():
        response = owner_api.post(url, {"kind": "seo_meta", "candidates": 1}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == JobKind.CONTENT_GENERATE and body["products"] == 1
    job = Job.objects.get(pk=body["job_id"])
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.enqueue_error, job.enqueued_at)
    draft = ContentDraft.objects.get(job=job)
    assert draft.kind == "seo_meta" and draft.language == "en"  # the merchant's default


def test_generate_validates_the_options(owner_api, bottle):
    url = reverse("api:content-generate", kwargs={"product_id": bottle.pk})
    response = owner_api.post(url, {"kind": "ad_copy"}, format="json")
    assert error_code(response, 400) == "invalid"
    assert "channel" in response.json()["error"]["fields"]
    response = owner_api.post(url, {"kind": "poem"}, format="json")
    assert error_code(response, 400) == "invalid"


def test_bulk_generate_by_ids_or_by_filter(owner_api, merchant, bottle, settings):
    other = ProductFactory(merchant=merchant, description="")
    url = reverse("api:content-generate-bulk")
    by_ids = owner_api.post(
        url, {"kind": "title", "product_ids": [bottle.pk, other.pk]}, format="json"
    )
    assert by_ids.status_code == 202 and by_ids.json()["products"] == 2
    assert by_ids.json()["kind"] == JobKind.CONTENT_BULK
    by_filter = owner_api.post(
        url,
        {"kind": "description", "filter": {"empty_description": True}},
        format="json",
    )
    assert by_filter.status_code == 202 and by_filter.json()["products"] == 1
    job = Job.objects.get(pk=by_filter.json()["job_id"])
    assert job.task_kwargs["product_ids"] == [other.pk]

    nothing = owner_api.post(
        url, {"kind": "title", "filter": {"search": "no-such-product"}}, format="json"
    )
    assert error_code(nothing, 400) == "no_products"
    both = owner_api.post(
        url, {"kind": "title", "product_ids": [bottle.pk], "filter": {}}, format="json"
    )
    assert error_code(both, 400) == "invalid"
    settings.CONTENT_BULK_MAX_PRODUCTS = 1
    too_many = owner_api.post(
        url, {"kind": "title", "product_ids": [bottle.pk, other.pk]}, format="json"
    )
    assert error_code(too_many, 400) == "invalid"


def test_bulk_generate_refuses_another_merchants_products(owner_api, other_merchant):
    theirs = ProductFactory(merchant=other_merchant)
    response = owner_api.post(
        reverse("api:content-generate-bulk"),
        {"kind": "title", "product_ids": [theirs.pk]},
        format="json",
    )
    assert error_code(response, 400) == "invalid"
    assert not Job.objects.exists()


def test_another_merchants_drafts_and_versions_are_404(owner_api, other_merchant):
    product = ProductFactory(merchant=other_merchant)
    draft = ContentDraftFactory(product=product, text="beta text")
    version = ContentVersionFactory(product=product, text="beta version")
    assert (
        error_code(
            owner_api.get(reverse("api:content-draft-detail", kwargs={"draft_id": draft.pk})), 404
        )
        == "not_found"
    )
    for name in ("edit", "choose", "approve", "reject", "override", "publish"):
        assert owner_api.post(draft_api(name, draft), {}, format="json").status_code == 404, name
    for name in ("detail", "restore"):
        url = reverse(f"api:content-version-{name}", kwargs={"version_id": version.pk})
        method = owner_api.get if name == "detail" else owner_api.post
        assert method(url).status_code == 404
    generate = reverse("api:content-generate", kwargs={"product_id": product.pk})
    assert owner_api.post(generate, {"kind": "title"}, format="json").status_code == 404
    listing = owner_api.get(reverse("api:content-draft-list")).content.decode()
    versions = owner_api.get(reverse("api:content-version-list")).content.decode()
    assert "beta" not in listing and "beta" not in versions
    assert ContentVersion.objects.filter(merchant=other_merchant).count() == 1
    assert ContentDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT


def test_the_schema_documents_the_content_endpoints(owner_api):
    schema = owner_api.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/content/drafts/{draft_id}/approve/" in paths
    assert "/api/v1/products/{product_id}/content/generate/" in paths
    assert "409" in paths["/api/v1/content/drafts/{draft_id}/publish/"]["post"]["responses"]
