"""Writes of the content studio: generation jobs, drafts through their lifecycle, publishing.

Lifecycle of a `ContentDraft`:

    draft --approve--> approved --publish--> published
      |  \\                |
      |   reject          reject
      v                   v
    (edit / choose a candidate: approved goes back to draft; rejected and published are final)

A draft whose text has claims the product facts do not support (`unsupported_count > 0`) may
be neither approved nor published until an edit removes them (every edit is checked again) or
a manager overrides the check with a reason.

Review replies (kind `review_reply`, written by `reviews.llm`) follow the same lifecycle; their
text is checked by the reply checker (product facts, the merchant's reply template, the
review), and publishing one sets the review's reply instead of a product text.

Conflicts raise `ContentConflict` (HTTP 409 with a stable code); bad input raises Django's
`ValidationError`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from core.api.errors import ApiError
from core.llm import LLMError
from jobs.models import Job, JobKind
from jobs.runner import JobOutcome, JobRun
from jobs.services import job_submit

from ..models import Product
from .generation import Candidate, candidate_check, candidates_generate, facts_from_product
from .kinds import AD_CHANNELS, COPY_KINDS, ContentKind, ContentLanguage, max_chars
from .models import (
    ContentDraft,
    ContentDraftRevision,
    ContentVersion,
    DraftStatus,
    VersionSource,
)
from .selectors import style_examples, writes_product_field

logger = logging.getLogger(__name__)

GENERATE_TASK = "products.content.tasks.llm_generate_drafts"
BULK_TASK = "products.content.tasks.llm_bulk_generate"
MAX_CANDIDATES = 5
# Failures listed in a job's result; a larger batch says how many more there were.
MAX_LISTED_FAILURES = 200


class ContentConflict(ApiError):
    """The draft's state forbids the action (HTTP 409, `code` says why)."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, code: str, message: str):
        super().__init__(code, message, status.HTTP_409_CONFLICT)


class ContentGenerationFailed(Exception):
    """No draft could be written for any product of a job (the job ends failed)."""

    code = "generation_failed"


# --- Options -----------------------------------------------------------------------------------


def content_options_clean(
    *, kind: str, language: str, channel: str = "", candidates: int | None = None
) -> dict:
    """Validated generation options: kind, language, channel (ad copy only), candidate count."""
    errors: dict[str, str] = {}
    if kind not in COPY_KINDS:
        errors["kind"] = _("Choose one of the content kinds.")
    if language not in ContentLanguage.values:
        errors["language"] = _("Choose English or Simplified Chinese.")
    channel = (channel or "").strip()
    if kind == ContentKind.AD_COPY:
        if channel not in AD_CHANNELS:
            errors["channel"] = _("Ad copy needs one of the ad channels.")
    else:
        channel = ""
    if candidates is None:
        candidates = settings.CONTENT_CANDIDATES
    if not 1 <= int(candidates) <= MAX_CANDIDATES:
        errors["candidates"] = _("Ask for between 1 and %(max)d candidates.") % {
            "max": MAX_CANDIDATES
        }
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "language": language, "channel": channel, "n": int(candidates)}


def _job_title(*, kind: str, language: str, channel: str, subject: str) -> str:
    label = str(ContentKind(kind).label)
    if channel:
        label = f"{label} ({AD_CHANNELS[channel].label})"
    return _("%(kind)s in %(language)s for %(subject)s") % {
        "kind": label,
        "language": ContentLanguage(language).label,
        "subject": subject,
    }


# --- Starting generation -----------------------------------------------------------------------


@transaction.atomic
def draft_generate_start(
    *,
    merchant,
    product: Product,
    kind: str,
    language: str,
    channel: str = "",
    candidates: int | None = None,
    user=None,
) -> Job:
    """Start a job that writes candidates for one product and keeps the best as a draft."""
    if product.merchant_id != merchant.pk:
        raise ValidationError({"product": _("This product does not exist.")})
    options = content_options_clean(
        kind=kind, language=language, channel=channel, candidates=candidates
    )
    return job_submit(
        merchant=merchant,
        kind=JobKind.CONTENT_GENERATE,
        title=_job_title(
            kind=options["kind"],
            language=options["language"],
            channel=options["channel"],
            subject=product.sku,
        ),
        started_by=user,
        task_name=GENERATE_TASK,
        task_kwargs={"product_ids": [product.pk], **options},
        total=1,
    )


@transaction.atomic
def drafts_generate_bulk_start(
    *,
    merchant,
    product_ids: Iterable[int],
    kind: str,
    language: str,
    channel: str = "",
    candidates: int | None = None,
    user=None,
) -> Job:
    """Start ONE job that writes a draft for each of the merchant's `product_ids`."""
    options = content_options_clean(
        kind=kind, language=language, channel=channel, candidates=candidates
    )
    wanted = list(dict.fromkeys(int(pk) for pk in product_ids))
    if not wanted:
        raise ValidationError({"product_ids": _("Select at least one product.")})
    limit = settings.CONTENT_BULK_MAX_PRODUCTS
    if len(wanted) > limit:
        raise ValidationError(
            {
                "product_ids": _(
                    "At most %(limit)d products per bulk generation; narrow the selection."
                )
                % {"limit": limit}
            },
            code="too_many_products",
        )
    owned = set(
        Product.objects.for_merchant(merchant).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    unknown = [pk for pk in wanted if pk not in owned]
    if unknown:
        raise ValidationError(
            {"product_ids": _("These products do not exist: %(ids)s.") % {"ids": unknown[:20]}}
        )
    return job_submit(
        merchant=merchant,
        kind=JobKind.CONTENT_BULK,
        title=_job_title(
            kind=options["kind"],
            language=options["language"],
            channel=options["channel"],
            subject=_("%(count)d products") % {"count": len(wanted)},
        ),
        started_by=user,
        task_name=BULK_TASK,
        task_kwargs={"product_ids": wanted, **options},
        total=len(wanted),
    )


# --- Running generation (inside a job) ---------------------------------------------------------


def _value(item, name: str, default=None):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def claims_json(claims: Iterable) -> list[dict]:
    """Claims as stored on a draft: plain JSON with character offsets into its text."""
    return [
        {
            "text": str(_value(claim, "text", "")),
            "kind": str(_value(claim, "kind", "")),
            "start": int(_value(claim, "start", 0)),
            "end": int(_value(claim, "end", 0)),
            "supported": bool(_value(claim, "supported", False)),
            "evidence": str(_value(claim, "evidence", "") or ""),
        }
        for claim in claims or []
    ]


def _coverage(value) -> float | None:
    return None if value is None else float(value)


def drafts_create_from_candidates(
    *,
    merchant,
    product: Product,
    kind: str,
    language: str,
    channel: str = "",
    candidates: Sequence[Candidate],
    job: Job | None = None,
    user=None,
) -> tuple[ContentDraft, bool]:
    """Keep ranked candidates as one draft whose text is the best one.

    Drafts made by a job are unique per (job, product, kind, language, channel): a redelivered
    task gets the draft it wrote before instead of a second one. Returns (draft, created).
    """
    if not candidates:
        raise ValueError("drafts_create_from_candidates needs at least one candidate")
    best = candidates[0]
    fields = {
        "merchant": merchant,
        "status": DraftStatus.DRAFT,
        "text": best.text,
        "generated_text": best.text,
        "candidates": [candidate.as_json() for candidate in candidates],
        "claims": claims_json(best.claims),
        "unsupported_count": int(best.unsupported_count or 0),
        "coverage": _coverage(best.coverage),
        "prompt_version": (best.prompt_version or "")[:64],
        "model": (best.model or "")[:255],
        "generation_log_id": best.generation_log_id,
        "created_by": user,
    }
    key = {"product": product, "kind": kind, "language": language, "channel": channel}
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


def _failure(product: Product | None, product_id: int, error: BaseException | str) -> dict:
    if isinstance(error, BaseException):
        code = getattr(error, "code", "") or type(error).__name__
        message = str(error).strip() or type(error).__name__
    else:
        code, message = "no_candidate", error
    return {
        "product_id": product_id,
        "sku": product.sku if product else "",
        "code": str(code)[:40],
        "error": message[:500],
    }


def _notify_drafts_waiting(*, job: Job, waiting: int) -> None:
    from notifications.services import notify

    url = reverse("content-overview") + f"?queue=waiting&job={job.pk}"
    try:
        # The event's audience: everyone who may approve content (owners and managers).
        with transaction.atomic():
            notify(
                merchant=job.merchant,
                event="drafts_awaiting_approval",
                title=_("%(count)d drafts are waiting for approval") % {"count": waiting},
                body=job.title,
                url=url,
            )
    except Exception:  # the drafts are written; a failed notice must not fail the job
        logger.exception("job %s: could not notify approvers", job.pk)


def drafts_generate_run(
    *,
    run: JobRun,
    product_ids: Sequence[int],
    kind: str,
    language: str,
    channel: str = "",
    n: int = 3,
    notify_approvers: bool = False,
) -> JobOutcome:
    """The body of a generation job: a draft per product, in batches, reporting progress.

    Products that already have this job's draft are skipped (a redelivered task resumes where
    the dead worker stopped). One product's failure is listed in the result and the batch goes
    on; if the model server is unreachable for a whole batch the error is raised so the job
    retries later. A job with no draft at all ends failed.
    """
    job, merchant = run.job, run.merchant
    options = content_options_clean(kind=kind, language=language, channel=channel, candidates=n)
    kind, language, channel, n = (options[key] for key in ("kind", "language", "channel", "n"))
    wanted = list(dict.fromkeys(int(pk) for pk in product_ids))
    products = Product.objects.for_merchant(merchant).select_related("merchant").in_bulk(wanted)
    already = set(
        ContentDraft.objects.filter(
            job=job, kind=kind, language=language, channel=channel, product_id__in=wanted
        ).values_list("product_id", flat=True)
    )
    failures = [
        _failure(None, pk, _("The product no longer exists."))
        for pk in wanted
        if pk not in products
    ]
    pending = [products[pk] for pk in wanted if pk in products and pk not in already]
    total = len(wanted)
    processed = total - len(pending)
    created = flagged = 0
    run.progress(done=processed, total=total, message=_("Writing drafts…"))

    batch_size = max(1, settings.LLM_BATCH_SIZE)
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        items = [
            (
                facts_from_product(product),
                style_examples(product=product, kind=kind, language=language, channel=channel),
            )
            for product in batch
        ]
        try:
            results = candidates_generate(
                merchant=merchant,
                items=items,
                kind=kind,
                language=language,
                channel=channel,
                n=n,
                job_id=job.pk,
            )
        except LLMError as exc:
            if exc.transient:
                raise
            results = [exc] * len(batch)
        transient = [r for r in results if isinstance(r, LLMError) and r.transient]
        if batch and len(transient) == len(batch):
            raise transient[0]
        for product, result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                failures.append(_failure(product, product.pk, result))
                continue
            usable = [candidate for candidate in result or [] if (candidate.text or "").strip()]
            if not usable:
                failures.append(_failure(product, product.pk, _("The model wrote no usable text.")))
                continue
            draft, was_created = drafts_create_from_candidates(
                merchant=merchant,
                product=product,
                kind=kind,
                language=language,
                channel=channel,
                candidates=usable,
                job=job,
                user=job.started_by,
            )
            created += was_created
            flagged += was_created and draft.is_flagged
        processed += len(batch)
        run.progress(
            done=processed,
            message=_("%(done)d of %(total)d products") % {"done": processed, "total": total},
        )

    job_drafts = ContentDraft.objects.filter(job=job)
    drafts_total = job_drafts.count()
    if drafts_total == 0 and failures:
        first = failures[0]
        raise ContentGenerationFailed(
            _("No draft could be written (%(count)d failed; first: %(sku)s %(error)s).")
            % {"count": len(failures), "sku": first["sku"], "error": first["error"]}
        )
    summary = {
        "total": total,
        "drafts": drafts_total,
        "created": created,
        "skipped": len(already),
        "flagged": flagged,
        "failed_count": len(failures),
        "failed": failures[:MAX_LISTED_FAILURES],
    }
    if len(wanted) == 1 and products:
        url = reverse("content-studio", kwargs={"product_id": wanted[0]}) + f"?job={job.pk}"
    else:
        url = reverse("content-overview") + f"?job={job.pk}"
    waiting = job_drafts.filter(status=DraftStatus.DRAFT).unblocked().count()
    if notify_approvers and waiting:
        _notify_drafts_waiting(job=job, waiting=waiting)
    message = _("%(drafts)d drafts written, %(failed)d failed") % {
        "drafts": drafts_total,
        "failed": len(failures),
    }
    return JobOutcome(summary=summary, url=url, message=message)


# --- The lifecycle -----------------------------------------------------------------------------


def _locked(draft: ContentDraft) -> ContentDraft:
    return (
        ContentDraft.objects.select_for_update()
        .select_related("product", "product__merchant", "merchant")
        .get(pk=draft.pk)
    )


def _refuse_final(draft: ContentDraft) -> None:
    if draft.status == DraftStatus.PUBLISHED:
        raise ContentConflict("already_published", _("This draft is already published."))
    if draft.status == DraftStatus.REJECTED:
        raise ContentConflict("draft_rejected", _("This draft was rejected; generate a new one."))


def _refuse_blocked(draft: ContentDraft) -> None:
    if draft.is_blocked:
        raise ContentConflict(
            "unsupported_claims",
            _(
                "The text makes %(count)d claims the product facts do not support. Edit them "
                "out, or a manager can override the check with a reason."
            )
            % {"count": draft.unsupported_count},
        )


def _refuse_too_long(draft: ContentDraft) -> None:
    limit = max_chars(draft.kind, draft.channel)
    if limit is not None and len(draft.text) > limit:
        raise ContentConflict(
            "too_long",
            _("The text has %(length)d characters; this kind allows %(limit)d.")
            % {"length": len(draft.text), "limit": limit},
        )


def _set_text(
    draft: ContentDraft, *, text: str, claims: list[dict], unsupported: int, coverage, user, note
):
    draft.text = text
    draft.claims = claims
    draft.unsupported_count = unsupported
    draft.coverage = _coverage(coverage)
    # An override vouched for the text it was given on, and approval for the text approved.
    draft.override_by = None
    draft.override_at = None
    draft.override_reason = ""
    if draft.status == DraftStatus.APPROVED:
        draft.status = DraftStatus.DRAFT
        draft.approved_by = None
        draft.approved_at = None
    draft.save()
    ContentDraftRevision.objects.create(
        draft=draft, text=text, unsupported_count=unsupported, edited_by=user, note=note[:300]
    )
    return draft


def _text_check(draft: ContentDraft, text: str) -> Candidate:
    """The claims check of a new text: product copy against the product's facts; a review
    reply by the reply checker (facts, the merchant's reply template, the review)."""
    if draft.is_review_reply:
        # reviews builds on products: imported here so products never needs reviews to load.
        from reviews.llm.replies import reply_draft_check

        return reply_draft_check(draft=draft, text=text)
    return candidate_check(
        text=text,
        facts=facts_from_product(draft.product),
        kind=draft.kind,
        language=draft.language,
        channel=draft.channel,
    )


@transaction.atomic
def draft_edit(*, draft: ContentDraft, text: str, user, note: str = "") -> ContentDraft:
    """Replace the draft's text and check its claims again.

    An approved draft goes back to waiting for approval; an override is dropped.
    """
    draft = _locked(draft)
    _refuse_final(draft)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("The text cannot be empty.")})
    limit = max_chars(draft.kind, draft.channel)
    if limit is not None and len(text) > limit:
        raise ValidationError(
            {
                "text": _("At most %(limit)d characters (this text has %(length)d).")
                % {"limit": limit, "length": len(text)}
            }
        )
    if text == draft.text:
        return draft
    checked = _text_check(draft, text)
    return _set_text(
        draft,
        text=text,
        claims=claims_json(checked.claims),
        unsupported=int(checked.unsupported_count or 0),
        coverage=checked.coverage,
        user=user,
        note=note.strip() or _("Edited"),
    )


@transaction.atomic
def draft_choose_candidate(*, draft: ContentDraft, index: int, user) -> ContentDraft:
    """Make another of the generated candidates the draft's text (0 = the best ranked)."""
    draft = _locked(draft)
    _refuse_final(draft)
    if not 0 <= index < len(draft.candidates or []):
        raise ValidationError({"index": _("There is no candidate with this number.")})
    candidate = Candidate.from_json(draft.candidates[index])
    if candidate.text == draft.text:
        return draft
    return _set_text(
        draft,
        text=candidate.text,
        claims=claims_json(candidate.claims),
        unsupported=int(candidate.unsupported_count or 0),
        coverage=candidate.coverage,
        user=user,
        note=_("Chose candidate %(number)d") % {"number": index + 1},
    )


@transaction.atomic
def draft_approve(*, draft: ContentDraft, user) -> ContentDraft:
    draft = _locked(draft)
    _refuse_final(draft)
    if draft.status == DraftStatus.APPROVED:
        raise ContentConflict("already_approved", _("This draft is already approved."))
    _refuse_blocked(draft)
    _refuse_too_long(draft)
    draft.status = DraftStatus.APPROVED
    draft.approved_by = user
    draft.approved_at = timezone.now()
    draft.save()
    return draft


@transaction.atomic
def draft_reject(*, draft: ContentDraft, user, reason: str = "") -> ContentDraft:
    """Reject a draft or an approved draft; the reason is kept for whoever generated it."""
    draft = _locked(draft)
    if draft.status == DraftStatus.REJECTED:
        raise ContentConflict("already_rejected", _("This draft is already rejected."))
    _refuse_final(draft)
    draft.status = DraftStatus.REJECTED
    draft.rejected_by = user
    draft.rejected_at = timezone.now()
    draft.rejection_reason = (reason or "").strip()[:2000]
    draft.approved_by = None
    draft.approved_at = None
    draft.save()
    return draft


@transaction.atomic
def draft_override(*, draft: ContentDraft, user, reason: str) -> ContentDraft:
    """A manager vouches for claims the facts do not support; the reason is recorded.

    Callers check the role (owner or manager); the override lasts until the text changes.
    """
    draft = _locked(draft)
    _refuse_final(draft)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the unsupported claims are correct.")})
    if draft.unsupported_count == 0:
        raise ContentConflict(
            "nothing_to_override", _("The text has no unsupported claims to override.")
        )
    if draft.override_at is not None:
        raise ContentConflict("already_overridden", _("The check is already overridden."))
    draft.override_by = user
    draft.override_at = timezone.now()
    draft.override_reason = reason[:2000]
    draft.save()
    return draft


def _version_publish(
    *,
    product: Product,
    kind: str,
    language: str,
    channel: str,
    text: str,
    source: str,
    user,
    draft: ContentDraft | None = None,
    restored_from: ContentVersion | None = None,
) -> ContentVersion:
    """Make `text` the current version; for titles and descriptions in the merchant's default
    language also write the product field, first keeping the text it had as a version."""
    product = Product.objects.select_for_update().select_related("merchant").get(pk=product.pk)
    field = writes_product_field(product=product, kind=kind, language=language)
    key = {
        "merchant_id": product.merchant_id,
        "product": product,
        "kind": kind,
        "language": language,
        "channel": channel,
    }
    history = ContentVersion.objects.of(
        product=product, kind=kind, language=language, channel=channel
    )
    current = history.filter(is_current=True).first()
    if field:
        existing = getattr(product, field) or ""
        if current is None and existing and not history.exists():
            ContentVersion.objects.create(**key, text=existing, source=VersionSource.ORIGINAL)
        elif current is not None and existing and existing != current.text:
            # Changed outside the studio since the last publish: keep that text restorable too.
            ContentVersion.objects.create(**key, text=existing, source=VersionSource.MANUAL)
    history.filter(is_current=True).update(is_current=False)
    version = ContentVersion.objects.create(
        **key,
        text=text,
        source=source,
        draft=draft,
        restored_from=restored_from,
        published_by=user,
        is_current=True,
    )
    if field:
        setattr(product, field, text)
        product.save(update_fields=[field, "updated_at"])
    return version


@transaction.atomic
def draft_publish(*, draft: ContentDraft, user) -> ContentVersion | None:
    """Publish an approved draft: a new current version (and the product field, see above).

    A review reply becomes the review's public reply instead (no version: its history is the
    review's published reply drafts); then the result is None.
    """
    draft = _locked(draft)
    if draft.status == DraftStatus.PUBLISHED:
        raise ContentConflict("already_published", _("This draft is already published."))
    if draft.status != DraftStatus.APPROVED:
        raise ContentConflict("not_approved", _("Only an approved draft can be published."))
    _refuse_blocked(draft)
    _refuse_too_long(draft)
    if draft.is_review_reply:
        from reviews.services.replies import review_reply_publish

        review = review_reply_publish(review=draft.review, text=draft.text, user=user)
        draft.status = DraftStatus.PUBLISHED
        draft.published_by = user
        draft.published_at = review.replied_at
        draft.save()
        return None
    version = _version_publish(
        product=draft.product,
        kind=draft.kind,
        language=draft.language,
        channel=draft.channel,
        text=draft.text,
        source=VersionSource.GENERATED,
        user=user,
        draft=draft,
    )
    draft.status = DraftStatus.PUBLISHED
    draft.published_by = user
    draft.published_at = version.created_at
    draft.save()
    return version


@transaction.atomic
def version_restore(*, version: ContentVersion, user) -> ContentVersion:
    """Publish an earlier version's text again, as a new version (history is append-only)."""
    version = (
        ContentVersion.objects.select_for_update().select_related("product").get(pk=version.pk)
    )
    if version.is_current:
        raise ContentConflict("already_current", _("This version is the current text already."))
    return _version_publish(
        product=version.product,
        kind=version.kind,
        language=version.language,
        channel=version.channel,
        text=version.text,
        source=VersionSource.RESTORED,
        user=user,
        restored_from=version,
    )
