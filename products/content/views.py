"""Portal pages of the content studio: the queue, a product's studio, a draft, bulk generation.

Views validate, call one service and redirect; every object is looked up among the request
merchant's own (another merchant's id is a 404), and each action checks the role matrix.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import merchant_required
from accounts.permissions import APPROVE_CONTENT, GENERATE_CONTENT, PUBLISH_CONTENT, role_can
from jobs.models import Job, JobKind
from jobs.views_helpers import job_started_message

from ..selectors import product_categories, product_get
from .forms import (
    BulkGenerateForm,
    DraftEditForm,
    DraftFilterForm,
    GenerationOptionsForm,
    OverrideForm,
    RejectForm,
)
from .generation import Candidate
from .kinds import AD_CHANNELS, max_chars
from .models import ContentDraft, DraftStatus
from .selectors import (
    content_bulk_products,
    current_text,
    draft_get,
    draft_queue_counts,
    draft_revisions,
    drafts_list,
    version_get,
    versions_list,
    writes_product_field,
)
from .services import (
    ContentConflict,
    draft_approve,
    draft_choose_candidate,
    draft_edit,
    draft_generate_start,
    draft_override,
    draft_publish,
    draft_reject,
    drafts_generate_bulk_start,
    version_restore,
)
from .text import diff_segments, diff_stats, highlight_segments

DRAFTS_PER_PAGE = 30
STUDIO_DRAFTS = 30
STUDIO_VERSIONS = 100
BULK_PREVIEW = 20
CONTENT_JOB_KINDS = (JobKind.CONTENT_GENERATE, JobKind.CONTENT_BULK)


def _permissions(request) -> dict[str, bool]:
    role = request.membership.role if request.membership else None
    return {
        "can_generate": role_can(role, GENERATE_CONTENT),
        "can_approve": role_can(role, APPROVE_CONTENT),
        "can_publish": role_can(role, PUBLISH_CONTENT),
    }


def _content_job(request, job_id) -> Job | None:
    if not job_id:
        return None
    try:
        job_id = int(job_id)
    except (TypeError, ValueError):
        return None
    return Job.objects.filter(
        merchant=request.merchant, pk=job_id, kind__in=CONTENT_JOB_KINDS
    ).first()


def job_page_url(job: Job) -> str:
    return reverse("job-detail", kwargs={"job_id": job.pk})


def _job_context(job: Job | None) -> dict:
    if job is None:
        return {"job": None}
    drafts = []
    if job.is_finished:
        drafts = list(
            ContentDraft.objects.filter(merchant_id=job.merchant_id, job=job)
            .select_related("product")
            .order_by("product__sku")[:50]
        )
    candidates = []
    if job.kind == JobKind.CONTENT_GENERATE and len(drafts) == 1:
        # One product: show its candidates right where the user pressed Generate.
        candidates = _candidate_rows(drafts[0])
    return {
        "job": job,
        "job_url": job_page_url(job),
        "job_drafts": drafts,
        "job_candidates": candidates,
    }


# --- The queue ---------------------------------------------------------------------------------


@merchant_required()
@require_GET
def content_overview(request):
    """Recent drafts by queue: waiting for approval, flagged, approved, published, rejected."""
    merchant = request.merchant
    form = DraftFilterForm(request.GET)
    filters = form.filters()
    job = _content_job(request, filters["job_id"])
    if filters["job_id"] and job is None:
        filters["job_id"] = -1  # another merchant's or unknown job: an empty list, not theirs
    drafts = drafts_list(merchant=merchant, **filters)
    page = Paginator(drafts, DRAFTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "drafts": page.object_list,
        "queue": filters["queue"] or "all",
        "counts": draft_queue_counts(merchant=merchant),
        **_job_context(job),
        **_permissions(request),
    }
    response = render(request, "products/content/overview.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@merchant_required()
@require_GET
def content_job_progress(request, job_id: int):
    """The progress partial of a generation job; htmx polls it until the job ends."""
    job = get_object_or_404(Job, merchant=request.merchant, pk=job_id, kind__in=CONTENT_JOB_KINDS)
    return render(request, "products/content/_job_progress.html", _job_context(job))


# --- A product's studio ------------------------------------------------------------------------


def _studio_context(request, product, form=None) -> dict:
    merchant = request.merchant
    drafts = list(
        drafts_list(merchant=merchant, product_id=product.pk).select_related("created_by")[
            :STUDIO_DRAFTS
        ]
    )
    versions = list(versions_list(merchant=merchant, product_id=product.pk)[:STUDIO_VERSIONS])
    current = [version for version in versions if version.is_current]
    for version in versions:
        version.writes_field = writes_product_field(
            product=product, kind=version.kind, language=version.language
        )
        version.channel_label = (
            AD_CHANNELS[version.channel].display_label if version.channel in AD_CHANNELS else ""
        )
    return {
        "product": product,
        "form": form or GenerationOptionsForm(merchant=merchant),
        "drafts": drafts,
        "versions": versions,
        "current_versions": current,
        "default_language": merchant.get_default_language_display(),
        "ad_channels": AD_CHANNELS,
        **_job_context(_content_job(request, request.GET.get("job"))),
        **_permissions(request),
    }


@merchant_required()
@require_GET
def content_studio(request, product_id: int):
    product = product_get(merchant=request.merchant, product_id=product_id)
    return render(request, "products/content/studio.html", _studio_context(request, product))


@merchant_required(GENERATE_CONTENT)
@require_POST
def content_generate(request, product_id: int):
    product = product_get(merchant=request.merchant, product_id=product_id)
    form = GenerationOptionsForm(request.POST, merchant=request.merchant)
    if form.is_valid():
        try:
            job = draft_generate_start(
                merchant=request.merchant, product=product, user=request.user, **form.options()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            job_started_message(request, job)
            url = reverse("content-studio", kwargs={"product_id": product.pk})
            return HttpResponseRedirect(f"{url}?job={job.pk}")
    context = _studio_context(request, product, form=form)
    return render(request, "products/content/studio.html", context, status=400)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- A draft -----------------------------------------------------------------------------------


def _candidate_rows(draft: ContentDraft) -> list[dict]:
    rows = []
    for index, data in enumerate(draft.candidates or []):
        candidate = Candidate.from_json(data)
        claims = [
            {
                "start": getattr(claim, "start", 0),
                "end": getattr(claim, "end", 0),
                "supported": getattr(claim, "supported", False),
                "evidence": getattr(claim, "evidence", ""),
                "kind": getattr(claim, "kind", ""),
            }
            for claim in candidate.claims or []
        ]
        rows.append(
            {
                "index": index,
                "number": index + 1,
                "text": candidate.text,
                "segments": highlight_segments(candidate.text, claims),
                "score": candidate.score,
                "coverage": candidate.coverage,
                "unsupported_count": candidate.unsupported_count,
                "missing_attributes": list(candidate.missing_attributes or []),
                "repetition": candidate.repetition,
                "length_ok": candidate.length_ok,
                "is_current": candidate.text == draft.text,
            }
        )
    return rows


def _draft_page(request, draft: ContentDraft, *, edit_form=None, override_form=None, status=200):
    if draft.is_review_reply:
        # A reply is reviewed next to its review; form errors travel as messages.
        for form in (edit_form, override_form):
            for errors in form.errors.values() if form is not None else ():
                messages.error(request, " ".join(errors))
        return redirect(_draft_url(draft))
    product = draft.product
    now_text = current_text(
        product=product, kind=draft.kind, language=draft.language, channel=draft.channel
    )
    diff = diff_segments(now_text, draft.text)
    context = {
        "draft": draft,
        "product": product,
        "segments": highlight_segments(draft.text, draft.claims),
        "unsupported_claims": [claim for claim in draft.claims or [] if not claim.get("supported")],
        "candidates": _candidate_rows(draft),
        "current_text": now_text,
        "diff": diff,
        "diff_stats": diff_stats(diff),
        "writes_field": writes_product_field(
            product=product, kind=draft.kind, language=draft.language
        ),
        "channel": AD_CHANNELS.get(draft.channel),
        "max_chars": max_chars(draft.kind, draft.channel),
        "text_length": len(draft.text),
        "edit_form": edit_form or DraftEditForm(initial={"text": draft.text}, draft=draft),
        "reject_form": RejectForm(),
        "override_form": override_form or OverrideForm(),
        "revisions": draft_revisions(draft=draft),
        "versions": list(draft.versions.order_by("-created_at")),
        "is_open": draft.status in (DraftStatus.DRAFT, DraftStatus.APPROVED),
        **_permissions(request),
    }
    return render(request, "products/content/draft.html", context, status=status)


@merchant_required()
@require_GET
def content_draft(request, draft_id: int):
    return _draft_page(request, draft_get(merchant=request.merchant, draft_id=draft_id))


def _draft_url(draft) -> str:
    if draft.is_review_reply:
        return reverse("review-detail", kwargs={"review_id": draft.review_id}) + "#reply"
    return reverse("content-draft", kwargs={"draft_id": draft.pk})


def _run_action(request, draft, action, success: str):
    """Call a lifecycle service; a refusal becomes a message on the draft's page."""
    try:
        action()
    except ContentConflict as conflict:
        messages.error(request, str(conflict.detail))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(_draft_url(draft))


@merchant_required(GENERATE_CONTENT)
@require_POST
def content_draft_edit(request, draft_id: int):
    draft = draft_get(merchant=request.merchant, draft_id=draft_id)
    form = DraftEditForm(request.POST, draft=draft)
    if form.is_valid():
        try:
            draft = draft_edit(
                draft=draft,
                text=form.cleaned_data["text"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ContentConflict as conflict:
            messages.error(request, str(conflict.detail))
            return redirect(_draft_url(draft))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if draft.is_blocked:
                messages.warning(
                    request,
                    _("Saved. The text still makes claims the product facts do not support."),
                )
            else:
                messages.success(request, _("Saved and checked against the product facts."))
            return redirect(_draft_url(draft))
    return _draft_page(request, draft, edit_form=form, status=400)


@merchant_required(GENERATE_CONTENT)
@require_POST
def content_draft_choose(request, draft_id: int):
    draft = draft_get(merchant=request.merchant, draft_id=draft_id)
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1
    return _run_action(
        request,
        draft,
        lambda: draft_choose_candidate(draft=draft, index=index, user=request.user),
        _("The chosen candidate is now the draft's text."),
    )


@merchant_required(APPROVE_CONTENT)
@require_POST
def content_draft_approve(request, draft_id: int):
    draft = draft_get(merchant=request.merchant, draft_id=draft_id)
    return _run_action(
        request,
        draft,
        lambda: draft_approve(draft=draft, user=request.user),
        _("Approved. It can be published now."),
    )


@merchant_required(APPROVE_CONTENT)
@require_POST
def content_draft_reject(request, draft_id: int):
    draft = draft_get(merchant=request.merchant, draft_id=draft_id)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run_action(
        request,
        draft,
        lambda: draft_reject(draft=draft, user=request.user, reason=reason),
        _("Rejected."),
    )


@merchant_required(APPROVE_CONTENT)
@require_POST
def content_draft_override(request, draft_id: int):
    draft = draft_get(merchant=request.merchant, draft_id=draft_id)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, draft, override_form=form, status=400)
    return _run_action(
        request,
        draft,
        lambda: draft_override(draft=draft, user=request.user, reason=form.cleaned_data["reason"]),
        _("Override recorded: the draft can be approved despite the flagged claims."),
    )


@merchant_required(PUBLISH_CONTENT)
@require_POST
def content_draft_publish(request, draft_id: int):
    draft = draft_get(merchant=request.merchant, draft_id=draft_id)
    field = writes_product_field(product=draft.product, kind=draft.kind, language=draft.language)
    if draft.is_review_reply:
        success = _("Published: the reply is now the store's answer to the review.")
    elif field:
        success = _("Published: the product's %(field)s is updated.") % {"field": field}
    else:
        success = _("Published as the current version.")
    return _run_action(
        request, draft, lambda: draft_publish(draft=draft, user=request.user), success
    )


@merchant_required(PUBLISH_CONTENT)
@require_POST
def content_version_restore(request, version_id: int):
    version = version_get(merchant=request.merchant, version_id=version_id)
    try:
        version_restore(version=version, user=request.user)
    except ContentConflict as conflict:
        messages.error(request, str(conflict.detail))
    else:
        messages.success(request, _("Restored: that text is the current version again."))
    url = reverse("content-studio", kwargs={"product_id": version.product_id})
    return redirect(f"{url}#history")


# --- Bulk generation ---------------------------------------------------------------------------


@merchant_required(GENERATE_CONTENT)
@require_http_methods(["GET", "POST"])
def content_bulk(request):
    """Pick products by a filter and start one job that writes a draft for each."""
    merchant = request.merchant
    categories = product_categories(merchant=merchant)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BulkGenerateForm(data, merchant=merchant, categories=categories)
    products = None
    status = 200
    limit = settings.CONTENT_BULK_MAX_PRODUCTS
    if data is not None and form.is_valid():
        products = content_bulk_products(merchant=merchant, **form.product_filter())
        count = products.count()
        if request.method == "POST":
            if count == 0:
                form.add_error(None, _("No product matches this selection."))
            elif count > limit:
                form.add_error(
                    None,
                    _("%(count)d products match; at most %(limit)d per bulk generation.")
                    % {"count": count, "limit": limit},
                )
            else:
                try:
                    job = drafts_generate_bulk_start(
                        merchant=merchant,
                        product_ids=list(products.values_list("pk", flat=True)),
                        user=request.user,
                        **form.options(),
                    )
                except ValidationError as error:
                    _form_errors(form, error)
                else:
                    job_started_message(request, job)
                    return HttpResponseRedirect(f"{reverse('content-overview')}?job={job.pk}")
            status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "matching": products.count() if products is not None else None,
        "preview": list(products[:BULK_PREVIEW]) if products is not None else [],
        "limit": limit,
        **_permissions(request),
    }
    return render(request, "products/content/bulk.html", context, status=status)
