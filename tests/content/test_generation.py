"""Generation jobs end to end with the fake model through the eager job runner."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import llm
from core.models import GenerationLog
from jobs.models import Job, JobKind, JobStatus
from notifications.models import Notification
from products.content.generation import candidate_check, facts_from_product
from products.content.models import ContentDraft, DraftStatus
from products.content.selectors import style_examples
from products.content.services import drafts_create_from_candidates, drafts_generate_bulk_start
from products.content.tasks import llm_bulk_generate
from tests.factories import ProductFactory

from .conftest import GOOD_TEXT
from .factories import ContentDraftFactory

pytestmark = pytest.mark.django_db


def responder_failing_for(marker: str):
    def respond(request) -> str:
        if marker in request.prompt_json():
            raise llm.LLMBadRequestError("The model refused this product.")
        return GOOD_TEXT

    return respond


@pytest.fixture
def catalog(merchant):
    return [
        ProductFactory(
            merchant=merchant,
            sku=f"C-{number}",
            title=f"Bottle {number}",
            attributes={"material": "stainless steel", "capacity": "750 ml"},
        )
        for number in range(1, 4)
    ]


def test_generating_for_one_product_runs_a_job_and_keeps_the_best_candidate(
    owner_client, bottle, owner, fake_llm, on_commit
):
    url = reverse("content-generate", kwargs={"product_id": bottle.pk})
    with on_commit():
        response = owner_client.post(
            url, {"kind": "description", "language": "en", "channel": "", "candidates": 2}
        )
    job = Job.objects.get(kind=JobKind.CONTENT_GENERATE)
    assert response.status_code == 302 and response.url.endswith(f"?job={job.pk}")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.queue == "llm" and job.started_by == owner
    draft = ContentDraft.objects.get(product=bottle)
    assert draft.job == job and draft.status == DraftStatus.DRAFT
    assert draft.text == GOOD_TEXT and draft.unsupported_count == 0
    assert len(draft.candidates) == 2 and draft.created_by == owner
    assert draft.generation_log is not None
    assert GenerationLog.objects.filter(job_id=job.pk).count() == 2
    assert job.result["drafts"] == 1 and job.result_url.endswith(f"?job={job.pk}")
    # The studio polls the job; once done it shows the candidates with their scores.
    progress = owner_client.get(reverse("content-job-progress", kwargs={"job_id": job.pk}))
    html = progress.content.decode()
    assert "Candidate 1" in html and reverse("content-draft", kwargs={"draft_id": draft.pk}) in html


def test_an_active_job_partial_keeps_polling(owner_client, merchant, owner, catalog):
    job = drafts_generate_bulk_start(
        merchant=merchant,
        product_ids=[p.pk for p in catalog],
        kind="title",
        language="en",
        user=owner,
    )
    html = owner_client.get(reverse("content-job-progress", kwargs={"job_id": job.pk})).content
    assert 'hx-trigger="every 2s"' in html.decode()


def test_a_bulk_job_lists_the_failing_product_and_writes_the_others(
    owner_client, merchant, owner, manager, catalog, on_commit
):
    catalog[1].title = "Broken bottle"
    catalog[1].save()
    backend = llm.FakeBackend(responder=responder_failing_for("Broken bottle"))
    with llm.use_backend(backend), on_commit():
        response = owner_client.post(
            reverse("content-bulk"),
            {"q": "C-", "kind": "description", "language": "en", "candidates": 1},
        )
    job = Job.objects.get(kind=JobKind.CONTENT_BULK)
    assert response.status_code == 302
    assert response.url == reverse("content-overview") + f"?job={job.pk}"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_done == job.progress_total == 3
    assert set(ContentDraft.objects.filter(job=job).values_list("product__sku", flat=True)) == {
        "C-1",
        "C-3",
    }
    assert job.result["failed_count"] == 1
    assert job.result["failed"][0]["sku"] == "C-2"
    assert "refused" in job.result["failed"][0]["error"]
    # Approvers (owners and managers) hear that drafts are waiting.
    notified = set(
        Notification.objects.filter(event="drafts_awaiting_approval").values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {owner.username, manager.username}
    # The overview shows the job's drafts and the failure.
    html = owner_client.get(response.url).content.decode()
    assert "C-2" in html and "refused" in html and "C-1" in html


def test_a_bulk_job_where_every_product_fails_ends_failed(merchant, owner, catalog, on_commit):
    backend = llm.FakeBackend(responder=responder_failing_for("Bottle"))
    with llm.use_backend(backend), on_commit():
        job = drafts_generate_bulk_start(
            merchant=merchant,
            product_ids=[p.pk for p in catalog],
            kind="title",
            language="en",
            candidates=1,
            user=owner,
        )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error_code == "generation_failed"
    assert not ContentDraft.objects.exists()


def test_a_redelivered_job_creates_no_duplicate_drafts(merchant, owner, catalog, on_commit):
    with llm.use_backend(llm.FakeBackend(responder=lambda request: GOOD_TEXT)) as backend:
        with on_commit():
            job = drafts_generate_bulk_start(
                merchant=merchant,
                product_ids=[p.pk for p in catalog],
                kind="description",
                language="en",
                candidates=1,
                user=owner,
            )
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED
        calls = len(backend.calls)
        # The worker died before it could mark the job finished (its heartbeat stopped), and
        # the broker redelivers the unacknowledged message.
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
        )
        llm_bulk_generate.apply(
            kwargs={**job.task_kwargs, "job_id": job.pk}, task_id=job.celery_task_id
        )
        assert len(backend.calls) == calls  # nothing generated twice
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["skipped"] == 3
    assert ContentDraft.objects.filter(job=job).count() == 3


def test_a_redelivered_job_generates_only_the_products_not_done(
    merchant, owner, catalog, on_commit
):
    prompts = []

    def respond(request):
        prompts.append(request.prompt_json())
        return GOOD_TEXT

    with llm.use_backend(llm.FakeBackend(responder=respond)):
        job = drafts_generate_bulk_start(
            merchant=merchant,
            product_ids=[p.pk for p in catalog],
            kind="description",
            language="en",
            candidates=1,
            user=owner,
        )
        # The first delivery wrote C-1's draft before its worker was killed.
        ContentDraftFactory(product=catalog[0], job=job)
        llm_bulk_generate.apply(kwargs={**job.task_kwargs, "job_id": job.pk})
    assert len(prompts) == 2 and not any("Bottle 1" in prompt for prompt in prompts)
    assert ContentDraft.objects.filter(job=job).count() == 3


def test_one_draft_per_job_product_kind_language_and_channel(merchant, bottle, owner):
    job = drafts_generate_bulk_start(
        merchant=merchant, product_ids=[bottle.pk], kind="description", language="en", user=owner
    )
    candidate = candidate_check(
        text=GOOD_TEXT, facts=facts_from_product(bottle), kind="description", language="en"
    )
    options = {"merchant": merchant, "product": bottle, "kind": "description", "language": "en"}
    first, created = drafts_create_from_candidates(**options, candidates=[candidate], job=job)
    again, created_again = drafts_create_from_candidates(**options, candidates=[candidate], job=job)
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        ContentDraftFactory(product=bottle, job=job)


def test_style_examples_are_approved_texts_of_the_same_category_and_language(
    merchant, bottle, settings
):
    settings.CONTENT_STYLE_EXAMPLES = 2
    same = ProductFactory(merchant=merchant, category="Drinkware")
    other_category = ProductFactory(merchant=merchant, category="Kitchen")
    ContentDraftFactory(product=same, status=DraftStatus.APPROVED, text="Approved voice one.")
    ContentDraftFactory(product=same, status=DraftStatus.DRAFT, text="Not approved.")
    ContentDraftFactory(product=other_category, status=DraftStatus.APPROVED, text="Kitchen.")
    ContentDraftFactory(
        product=same, status=DraftStatus.APPROVED, language="zh-hans", text="中文。"
    )
    ContentDraftFactory(
        product=same,
        status=DraftStatus.PUBLISHED,
        published_at="2026-01-01T00:00Z",
        text="Published voice.",
    )
    ContentDraftFactory(product=same, status=DraftStatus.APPROVED, text="Approved voice two.")
    examples = style_examples(product=bottle, kind="description", language="en")
    assert examples == ["Published voice.", "Approved voice two."]


def test_style_examples_reach_the_prompt(merchant, bottle, owner, on_commit):
    same = ProductFactory(merchant=merchant, category="Drinkware")
    ContentDraftFactory(product=same, status=DraftStatus.APPROVED, text="House voice sample.")
    backend = llm.FakeBackend(responder=lambda request: GOOD_TEXT)
    with llm.use_backend(backend), on_commit():
        drafts_generate_bulk_start(
            merchant=merchant,
            product_ids=[bottle.pk],
            kind="description",
            language="en",
            candidates=1,
            user=owner,
        )
    assert "House voice sample." in backend.calls[0].prompt_json()


def test_the_bulk_page_previews_the_selection_and_refuses_an_empty_one(
    owner_client, bottle, catalog
):
    preview = owner_client.get(
        reverse("content-bulk"),
        {"q": "C-", "kind": "description", "language": "en", "candidates": 3},
    )
    assert "3 products match" in preview.content.decode()
    response = owner_client.post(
        reverse("content-bulk"),
        {"q": "nothing-like-this", "kind": "description", "language": "en", "candidates": 3},
    )
    assert response.status_code == 400
    assert "No product matches this selection." in response.content.decode()
    assert not Job.objects.exists()


def test_the_bulk_page_can_select_only_products_without_a_description(
    owner_client, bottle, catalog
):
    preview = owner_client.get(
        reverse("content-bulk"),
        {"empty_description": "on", "kind": "description", "language": "en", "candidates": 3},
    )
    html = preview.content.decode()
    assert "3 products match" in html and "B-750" not in html
