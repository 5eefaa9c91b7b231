"""Reply drafts for reviews, through the content studio's draft -> approve -> publish workflow.

A reply draft is a `ContentDraft` of kind `review_reply` linked to its review, so the studio's
statuses, revisions, role rules (analysts and up generate and edit; owners and managers
approve, override and publish), unsupported-claim blocking, audit fields and "drafts waiting
for approval" notifications apply unchanged. Generation runs as a job on the llm queue:
several candidates in one batched call, each post-edited and checked by
`reviews.llm.replies` (grounded in the product's facts, the merchant's reply template and the
review), the best kept as the draft. Publishing an approved reply (content services'
`draft_publish`) calls `review_reply_publish`, which sets the review's reply.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.permissions import APPROVE_CONTENT, role_can
from core import llm
from core.llm.client import generate_requests, request
from jobs.models import Job, JobKind
from jobs.runner import JobOutcome, JobRun
from jobs.services import job_submit
from products.content.generation import Candidate, facts_from_product
from products.content.kinds import ContentKind, ContentLanguage
from products.content.models import ContentDraft, ContentDraftRevision, DraftStatus
from products.content.services import claims_json
from reviews.llm.prompts import REPLY_MAX_NEW_TOKENS, REPLY_PROMPT_VERSIONS, reply_messages
from reviews.llm.replies import reply_context_build, reply_from_output
from reviews.llm.selectors import review_complaints

from ..models import Review, ReviewLanguage

logger = logging.getLogger(__name__)

REPLY_TASK = "reviews.llm.tasks.llm_review_reply"
MAX_TEMPLATE_CHARS = 2000
MAX_REPLY_CANDIDATES = 5
SAMPLE_TEMPERATURE = 0.6
SAMPLE_TOP_P = 0.9
SAMPLE_SEED = 20240611


class ReplyGenerationFailed(Exception):
    code = "reply_failed"


def _job_kind() -> str:
    # A dedicated kind once jobs.models has it; a reply is content generation meanwhile.
    return JobKind.REVIEW_REPLY


def reply_language(review: Review) -> str:
    """The draft's language (a ContentLanguage): the review's, else the merchant's default."""
    if review.language == ReviewLanguage.CHINESE:
        return ContentLanguage.ZH_HANS
    if review.language == ReviewLanguage.ENGLISH:
        return ContentLanguage.EN
    default = review.merchant.default_language
    return default if default in ContentLanguage.values else ContentLanguage.EN


def reply_options_clean(*, template: str = "", candidates: int | None = None) -> dict:
    errors = {}
    template = (template or "").replace("\r\n", "\n").strip()
    if len(template) > MAX_TEMPLATE_CHARS:
        errors["template"] = _("At most %(limit)d characters.") % {"limit": MAX_TEMPLATE_CHARS}
    if candidates is None:
        candidates = int(getattr(settings, "REVIEW_REPLY_CANDIDATES", 2))
    if not 1 <= int(candidates) <= MAX_REPLY_CANDIDATES:
        errors["candidates"] = _("Ask for between 1 and %(max)d candidates.") % {
            "max": MAX_REPLY_CANDIDATES
        }
    if errors:
        raise ValidationError(errors)
    return {"template": template, "n": int(candidates)}


@transaction.atomic
def reply_generate_start(
    *, merchant, review: Review, user=None, template: str = "", candidates: int | None = None
) -> Job:
    """Start a job writing a reply draft for `review` (one draft per job)."""
    from reviews.llm import tasks  # noqa: F401 - registers the task in this process

    if review.merchant_id != merchant.pk:
        raise ValidationError({"review": _("This review does not exist.")})
    if not (review.body or "").strip():
        raise ValidationError({"review": _("The review has no text to answer.")})
    options = reply_options_clean(template=template, candidates=candidates)
    return job_submit(
        merchant=merchant,
        kind=_job_kind(),
        title=_("Reply to review #%(id)d (%(sku)s)") % {"id": review.pk, "sku": review.product.sku},
        started_by=user,
        task_name=REPLY_TASK,
        task_kwargs={"review_id": review.pk, **options},
        total=1,
    )


def _candidates(*, merchant, review: Review, template: str, n: int, job_id: int | None):
    """Ranked reply candidates (best first) and the model's error when every call failed."""
    language = reply_language(review)
    context = reply_context_build(
        facts=facts_from_product(review.product),
        review_title=review.title,
        review_body=review.body,
        language=language,
        template=template,
        complaints=review_complaints(review=review),
    )
    messages = reply_messages(
        facts=context.facts,
        review_text=context.review_text,
        rating=review.rating,
        complaints=context.complaints,
        template=template,
        language=language,
    )
    limits = {"max_new_tokens": REPLY_MAX_NEW_TOKENS}
    requests = [request(messages, temperature=0, **limits)] + [
        request(
            messages,
            temperature=SAMPLE_TEMPERATURE,
            top_p=SAMPLE_TOP_P,
            seed=SAMPLE_SEED + index,
            **limits,
        )
        for index in range(n - 1)
    ]
    version = REPLY_PROMPT_VERSIONS[language]
    try:
        results = generate_requests(
            requests,
            purpose="review_reply",
            prompt_version=version,
            merchant=merchant,
            return_exceptions=True,
            job_id=job_id,
        )
    except llm.LLMError as error:
        if error.transient:
            raise
        results = [error] * len(requests)
    failures = [r for r in results if isinstance(r, llm.LLMError)]
    if failures and len(failures) == len(results) and all(f.transient for f in failures):
        raise failures[0]
    candidates: list[Candidate] = []
    for result in results:
        if isinstance(result, BaseException):
            continue
        candidates.append(
            reply_from_output(
                result.text,
                context,
                truncated=result.finish_reason == "length",
                prompt_version=version,
                model=result.model,
                generation_log_id=result.log_id,
            )
        )
    model_error = ""
    if not candidates:
        # The model failed for good (misconfigured, refused): the fixed-text reply still
        # gives the operator a grounded start; the failure is in the job and its log rows.
        first = failures[0]
        model_error = f"{getattr(first, 'code', 'error')}: {first}"
        fallback = reply_from_output("", context, prompt_version=version)
        fallback.edits.insert(0, f"the model failed: {model_error}")
        candidates.append(fallback)
    unique: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: -c.score):  # stable: greedy first on ties
        if candidate.text and all(candidate.text != kept.text for kept in unique):
            unique.append(candidate)
    return language, context, unique, model_error


def _candidate_json(candidate: Candidate) -> dict:
    data = candidate.as_json()
    # For a reply, `covered_attributes` are the complaint aspects it addresses.
    data["addressed_aspects"] = list(candidate.covered_attributes)
    return data


def reply_draft_create(
    *,
    merchant,
    review: Review,
    language: str,
    template: str,
    candidates: list[Candidate],
    job: Job | None = None,
    user=None,
) -> tuple[ContentDraft, bool]:
    """Keep ranked candidates as one reply draft whose text is the best; a job's draft is
    unique per job (a redelivered task finds it). Returns (draft, created)."""
    best = candidates[0]
    fields = {
        "merchant": merchant,
        "review": review,
        "reply_template": template,
        "status": DraftStatus.DRAFT,
        "text": best.text,
        "generated_text": best.text,
        "candidates": [_candidate_json(candidate) for candidate in candidates],
        "claims": claims_json(best.claims),
        "unsupported_count": int(best.unsupported_count or 0),
        "coverage": float(best.coverage),
        "prompt_version": (best.prompt_version or "")[:64],
        "model": (best.model or "")[:255],
        "generation_log_id": best.generation_log_id,
        "created_by": user,
    }
    key = {
        "product": review.product,
        "kind": ContentKind.REVIEW_REPLY,
        "language": language,
        "channel": "",
    }
    with transaction.atomic():
        if job is None:
            draft, created = ContentDraft.objects.create(**key, **fields), True
        else:
            draft, created = ContentDraft.objects.get_or_create(job=job, **key, defaults=fields)
        if created:
            ContentDraftRevision.objects.create(
                draft=draft,
                text=draft.text,
                unsupported_count=draft.unsupported_count,
                edited_by=user,
                note=_("Generated (%(model)s)") % {"model": draft.model or "?"},
            )
    return draft, created


def _notify_approvers(*, job: Job, draft: ContentDraft, review: Review) -> None:
    """Tell owners and managers a reply waits for them, unless its author may approve it."""
    starter = job.started_by
    if starter is not None:
        role = (
            Membership.objects.filter(user=starter, merchant=job.merchant)
            .values_list("role", flat=True)
            .first()
        )
        if role_can(role, APPROVE_CONTENT):
            return
    from notifications.services import notify

    try:
        with transaction.atomic():
            notify(
                merchant=job.merchant,
                event="drafts_awaiting_approval",
                title=_("A reply to review #%(id)d is waiting for approval") % {"id": review.pk},
                body=draft.text[:300],
                url=reverse("review-detail", kwargs={"review_id": review.pk}) + "#reply",
            )
    except Exception:  # the draft is written; a failed notice must not fail the job
        logger.exception("job %s: could not notify approvers", job.pk)


def reply_drafts_generate_run(
    *, run: JobRun, review_id: int, template: str = "", n: int = 2
) -> JobOutcome:
    """The body of a reply job: candidates, the best as a draft, approvers told."""
    job, merchant = run.job, run.merchant
    options = reply_options_clean(template=template, candidates=n)
    review = (
        Review.objects.filter(merchant=merchant, pk=review_id)
        .select_related("product", "product__merchant", "merchant")
        .first()
    )
    if review is None:
        raise ReplyGenerationFailed(_("The review no longer exists."))
    url = reverse("review-detail", kwargs={"review_id": review.pk}) + f"?job={job.pk}#reply"
    draft = ContentDraft.objects.filter(job=job, review=review).first()
    model_error = ""
    if draft is None:
        run.progress(done=0, total=1, message=_("Writing the reply…"))
        language, _context, candidates, model_error = _candidates(
            merchant=merchant,
            review=review,
            template=options["template"],
            n=options["n"],
            job_id=job.pk,
        )
        draft, created = reply_draft_create(
            merchant=merchant,
            review=review,
            language=language,
            template=options["template"],
            candidates=candidates,
            job=job,
            user=job.started_by,
        )
        if created and not draft.is_blocked:
            _notify_approvers(job=job, draft=draft, review=review)
    run.progress(done=1, total=1)
    summary = {
        "review_id": review.pk,
        "draft_id": draft.pk,
        "drafts": 1,
        "unsupported": draft.unsupported_count,
        "addressed_aspects": (
            draft.candidates[0].get("addressed_aspects", []) if draft.candidates else []
        ),
        "candidates": len(draft.candidates or []),
        "model_error": model_error[:500],
    }
    message = (
        _("Reply draft written; %(count)d unsupported claims flagged")
        % {"count": draft.unsupported_count}
        if draft.unsupported_count
        else _("Reply draft written")
    )
    return JobOutcome(summary=summary, url=url, message=message)


@transaction.atomic
def review_reply_publish(*, review: Review, text: str, user) -> Review:
    """Make `text` the review's public reply (called when an approved reply is published)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    review.reply_text = text
    review.replied_at = timezone.now()
    review.replied_by = user if getattr(user, "is_authenticated", False) else None
    review.save(update_fields=["reply_text", "replied_at", "replied_by"])
    return review
