"""Reply drafts go through the content studio's draft -> approve -> publish workflow."""

import pytest
from django.urls import reverse

from core.models import GenerationLog
from jobs.models import Job, JobStatus
from notifications.models import Notification
from products.content.models import ContentDraft, DraftStatus
from products.content.services import ContentConflict, draft_approve, draft_edit, draft_publish
from reviews.services.replies import reply_generate_start
from tests.factories import ReviewFactory

from .conftest import use_model
from .factories import ReplyDraftFactory, ReviewAnalysisFactory, mention

pytestmark = pytest.mark.django_db

POLITE = "Thank you for telling us. We are sorry the lid of your bottle leaks."


@pytest.fixture
def complaint(bottle):
    review = ReviewFactory(
        product=bottle, rating=1, title="Leaks", body="The lid leaks water into my bag."
    )
    analysis = ReviewAnalysisFactory(review=review)
    mention(analysis, "quality", "negative", "The lid leaks water")
    return review


def generate(client, review, on_commit, **data):
    url = reverse("review-reply-generate", kwargs={"review_id": review.pk})
    with on_commit():
        return client.post(url, {"template": "", "candidates": 2, **data})


def test_an_analyst_generates_a_grounded_reply_draft_in_the_review_language(
    analyst_client, complaint, on_commit, manager
):
    with use_model(lambda request: POLITE):
        response = generate(analyst_client, complaint, on_commit)

    job = Job.objects.get(task_name="reviews.llm.tasks.llm_review_reply")
    assert response.status_code == 302 and f"?job={job.pk}" in response.url
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.queue == "llm"
    draft = ContentDraft.objects.get(job=job)
    assert (draft.kind, draft.review, draft.language, draft.status) == (
        "review_reply",
        complaint,
        "en",
        DraftStatus.DRAFT,
    )
    assert draft.text == POLITE and draft.unsupported_count == 0
    assert draft.candidates[0]["addressed_aspects"] == ["quality"]
    assert draft.revisions.count() == 1
    assert GenerationLog.objects.filter(job=job, purpose="review_reply").count() == 2
    # The analyst cannot approve: the approvers hear of the waiting reply.
    notice = Notification.objects.get(recipient=manager, event="drafts_awaiting_approval")
    assert notice.url.endswith(f"/reviews/{complaint.pk}/#reply")


def test_a_chinese_review_gets_a_chinese_reply(owner_client, bottle, on_commit):
    review = ReviewFactory(
        product=bottle, language="zh", rating=1, title="", body="盖子漏水，质量太差了。"
    )

    def respond(request):
        assert "你是网店的客服" in request.chat_messages[0]["content"]
        return "很抱歉盖子漏水给您带来不便。"

    with use_model(respond):
        generate(owner_client, review, on_commit)

    draft = ContentDraft.objects.get(review=review)
    assert draft.language == "zh-hans"
    assert draft.text.startswith("很抱歉盖子漏水给您带来不便。")


def test_a_reply_promising_an_unoffered_refund_is_cleaned(owner_client, complaint, on_commit):
    with use_model(lambda request: "We will refund you in full. " + POLITE):
        generate(owner_client, complaint, on_commit)

    draft = ContentDraft.objects.get(review=complaint)
    assert "refund" not in draft.text and draft.unsupported_count == 0
    assert "refund" in " ".join(draft.candidates[0]["edits"])


def test_the_template_allows_its_remedy_and_is_kept_for_later_checks(
    owner_client, complaint, on_commit
):
    template = "Leaking lids are replaced free of charge."
    with use_model(lambda request: POLITE + " We will replace the lid."):
        generate(owner_client, complaint, on_commit, template=template)

    draft = ContentDraft.objects.get(review=complaint)
    assert draft.reply_template == template
    assert draft.text.endswith("We will replace the lid.") and draft.unsupported_count == 0
    # An edit is checked against the same template: a refund is still not offered.
    edited = draft_edit(draft=draft, text=draft.text + " We also refund you.", user=None)
    assert edited.unsupported_count == 1
    assert [c["kind"] for c in edited.claims if not c["supported"]] == ["promise"]


def test_a_viewer_cannot_generate_edit_approve_or_publish_a_reply(viewer_client, complaint):
    draft = ReplyDraftFactory(review=complaint)
    approved = ReplyDraftFactory(review=complaint, status=DraftStatus.APPROVED)
    url = reverse("review-reply-generate", kwargs={"review_id": complaint.pk})
    assert viewer_client.post(url, {"candidates": 1}).status_code == 403
    for name in ("edit", "approve", "reject", "override"):
        action = reverse(f"content-draft-{name}", kwargs={"draft_id": draft.pk})
        assert viewer_client.post(action, {"text": "x", "reason": "x"}).status_code == 403
    publish = reverse("content-draft-publish", kwargs={"draft_id": approved.pk})
    assert viewer_client.post(publish).status_code == 403
    complaint.refresh_from_db()
    assert complaint.reply_text == "" and not Job.objects.exists()


def test_an_analyst_cannot_approve_or_publish_a_reply(analyst_client, complaint):
    draft = ReplyDraftFactory(review=complaint)
    approve = reverse("content-draft-approve", kwargs={"draft_id": draft.pk})
    assert analyst_client.post(approve).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT


def test_approving_and_publishing_sets_the_reviews_reply(manager_client, manager, complaint):
    draft = ReplyDraftFactory(review=complaint)
    approve = reverse("content-draft-approve", kwargs={"draft_id": draft.pk})
    publish = reverse("content-draft-publish", kwargs={"draft_id": draft.pk})

    response = manager_client.post(approve)
    assert response.status_code == 302
    assert response.url == reverse("review-detail", kwargs={"review_id": complaint.pk}) + "#reply"
    response = manager_client.post(publish)
    assert response.status_code == 302

    draft.refresh_from_db()
    complaint.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.published_by == manager
    assert complaint.reply_text == draft.text
    assert complaint.replied_by == manager and complaint.replied_at == draft.published_at
    assert not draft.versions.exists()  # a reply is no product text version


def test_a_reply_with_unsupported_claims_cannot_be_approved_until_edited(manager, complaint):
    draft = ReplyDraftFactory(review=complaint)
    draft = draft_edit(draft=draft, text="We refund everyone. Your fault anyway.", user=manager)
    assert draft.unsupported_count == 2 and draft.is_blocked

    with pytest.raises(ContentConflict) as refused:
        draft_approve(draft=draft, user=manager)
    assert refused.value.error_code == "unsupported_claims"

    draft = draft_edit(draft=draft, text="We are sorry the lid leaks.", user=manager)
    draft_approve(draft=draft, user=manager)
    draft_publish(draft=draft, user=manager)
    complaint.refresh_from_db()
    assert complaint.reply_text == "We are sorry the lid leaks."


def test_the_content_draft_page_sends_a_reply_to_its_review(owner_client, complaint):
    draft = ReplyDraftFactory(review=complaint)
    response = owner_client.get(reverse("content-draft", kwargs={"draft_id": draft.pk}))

    assert response.status_code == 302
    assert response.url == reverse("review-detail", kwargs={"review_id": complaint.pk}) + "#reply"


def test_reply_drafts_wait_in_the_content_queue(owner_client, complaint):
    ReplyDraftFactory(review=complaint, text="We are sorry the lid leaks, truly.")
    html = owner_client.get(reverse("content-overview") + "?queue=waiting").content.decode()

    assert "Review reply" in html


def test_generating_needs_a_review_with_text(merchant, owner, bottle):
    from django.core.exceptions import ValidationError

    review = ReviewFactory(product=bottle, body=" ")
    with pytest.raises(ValidationError):
        reply_generate_start(merchant=merchant, review=review, user=owner)


def test_a_bad_generate_form_is_a_400_and_starts_nothing(owner_client, complaint):
    url = reverse("review-reply-generate", kwargs={"review_id": complaint.pk})
    response = owner_client.post(url, {"candidates": 9})

    assert response.status_code == 400 and not Job.objects.exists()


def test_a_redelivered_reply_job_writes_no_second_draft(owner, merchant, complaint, on_commit):
    from reviews.llm.tasks import llm_review_reply

    with use_model(lambda request: POLITE):
        with on_commit():
            job = reply_generate_start(merchant=merchant, review=complaint, user=owner)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, finished_at=None)
        llm_review_reply.apply(kwargs={"job_id": job.pk, **job.task_kwargs})

    assert ContentDraft.objects.filter(job=job).count() == 1
