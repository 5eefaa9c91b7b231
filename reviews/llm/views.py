"""Portal pages of the review language-model features: a review with its analysis and reply
panel, and a product's "What customers say".

Views validate, call one service and redirect; every object is looked up among the request
merchant's own (another merchant's id is a 404) and each action checks the role matrix. The
reply lifecycle (edit, choose, approve, reject, override, publish) posts to the content
studio's own views, which send a reply draft back to its review's page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import merchant_required
from accounts.permissions import APPROVE_CONTENT, GENERATE_CONTENT, PUBLISH_CONTENT, role_can
from jobs.models import Job
from jobs.views_helpers import job_started_message
from products.content.forms import DraftEditForm, OverrideForm, RejectForm
from products.content.generation import Candidate
from products.content.kinds import max_chars
from products.content.selectors import draft_revisions
from products.content.text import highlight_segments
from products.selectors import product_get
from reviews.models import Aspect
from reviews.services.replies import REPLY_TASK, reply_generate_start
from reviews.services.summaries import SUMMARY_TASK, summary_generate_start

from .forms import ReplyGenerateForm, SummaryGenerateForm
from .replies import addressed_aspects, complaints_from_text
from .selectors import (
    OPEN_STATUSES,
    aspect_segments,
    aspect_summaries_latest,
    reply_draft_current,
    reply_drafts,
    reply_template_last,
    review_analysis,
    review_complaints,
    review_get,
    summary_latest,
)
from .text import review_clean

MAX_LISTED_DRAFTS = 20


def _permissions(request) -> dict[str, bool]:
    role = request.membership.role if request.membership else None
    return {
        "can_generate": role_can(role, GENERATE_CONTENT),
        "can_approve": role_can(role, APPROVE_CONTENT),
        "can_publish": role_can(role, PUBLISH_CONTENT),
    }


def _own_job(request, job_id, task_name: str) -> Job | None:
    try:
        job_id = int(job_id)
    except (TypeError, ValueError):
        return None
    return Job.objects.filter(merchant=request.merchant, pk=job_id, task_name=task_name).first()


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- A review ------------------------------------------------------------------------------------
def _candidate_rows(draft) -> list[dict]:
    rows = []
    for index, data in enumerate(draft.candidates or []):
        candidate = Candidate.from_json(data)
        claims = [claim.as_json() for claim in candidate.claims]
        rows.append(
            {
                "index": index,
                "number": index + 1,
                "text": candidate.text,
                "segments": highlight_segments(candidate.text, claims),
                "score": candidate.score,
                "unsupported_count": candidate.unsupported_count,
                "is_current": candidate.text == draft.text,
            }
        )
    return rows


def _aspect_names(aspects: list[str]) -> list[str]:
    return [str(Aspect(a).label) if a in Aspect.values else a for a in aspects]


def _review_context(request, review, *, generate_form=None) -> dict:
    merchant = request.merchant
    analysis = review_analysis(review=review)
    mentions = list(analysis.aspects.filter(merchant=merchant)) if analysis else []
    draft = reply_draft_current(merchant=merchant, review=review)
    complaints = review_complaints(review=review)
    if complaints is None:
        complaints = complaints_from_text(review_clean(review.title, review.body).text)
    context = {
        "review": review,
        "product": review.product,
        "analysis": analysis,
        "mentions": mentions,
        "segments": aspect_segments(review=review, mentions=mentions),
        "complaints": complaints,
        "draft": draft,
        "drafts": list(reply_drafts(merchant=merchant, review=review)[:MAX_LISTED_DRAFTS]),
        "generate_form": generate_form
        or ReplyGenerateForm(initial={"template": reply_template_last(merchant=merchant)}),
        "job": None,
        **_permissions(request),
    }
    job = _own_job(request, request.GET.get("job"), REPLY_TASK)
    if job is not None and job.task_kwargs.get("review_id") == review.pk:
        context["job"] = job
    if draft is not None:
        addressed, missing = addressed_aspects(draft.text, complaints)
        context.update(
            {
                "draft_segments": highlight_segments(draft.text, draft.claims),
                "unsupported_claims": [c for c in draft.claims or [] if not c.get("supported")],
                "candidates": _candidate_rows(draft),
                "revisions": draft_revisions(draft=draft),
                "addressed": _aspect_names(addressed),
                "not_addressed": _aspect_names(missing),
                "is_open": draft.status in OPEN_STATUSES,
                "edit_form": DraftEditForm(initial={"text": draft.text}, draft=draft),
                "reject_form": RejectForm(),
                "override_form": OverrideForm(),
                "max_chars": max_chars(draft.kind),
            }
        )
    return context


@merchant_required()
@require_GET
def review_detail(request, review_id: int):
    """One review: its text with the aspects highlighted, its analysis, and the reply panel."""
    review = review_get(merchant=request.merchant, review_id=review_id)
    return render(request, "reviews/llm/review_detail.html", _review_context(request, review))


@merchant_required(GENERATE_CONTENT)
@require_POST
def review_reply_generate(request, review_id: int):
    review = review_get(merchant=request.merchant, review_id=review_id)
    form = ReplyGenerateForm(request.POST)
    if form.is_valid():
        try:
            job = reply_generate_start(
                merchant=request.merchant,
                review=review,
                user=request.user,
                template=form.cleaned_data["template"],
                candidates=form.cleaned_data["candidates"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            job_started_message(request, job)
            url = reverse("review-detail", kwargs={"review_id": review.pk})
            return HttpResponseRedirect(f"{url}?job={job.pk}#reply")
    context = _review_context(request, review, generate_form=form)
    return render(request, "reviews/llm/review_detail.html", context, status=400)


@merchant_required()
@require_GET
def review_reply_job(request, review_id: int, job_id: int):
    """The reply job's progress (htmx polls it); a finished job reloads the page."""
    review = review_get(merchant=request.merchant, review_id=review_id)
    job = _own_job(request, job_id, REPLY_TASK)
    if job is None or job.task_kwargs.get("review_id") != review.pk:
        raise Http404
    response = render(request, "reviews/llm/_reply_job.html", {"job": job, "review": review})
    if request.htmx and job.is_finished:
        response["HX-Refresh"] = "true"
    return response


# --- What customers say --------------------------------------------------------------------------
def _summary_context(request, product, *, job=None) -> dict:
    summary = summary_latest(merchant=request.merchant, product=product)
    return {
        "product": product,
        "summary": summary,
        "summary_job": job,
        "can_generate": _permissions(request)["can_generate"],
    }


@merchant_required()
@require_GET
def product_review_summary(request, product_id: int):
    """A product's "What customers say": the overall summary and each aspect's."""
    product = product_get(merchant=request.merchant, product_id=product_id)
    job = _own_job(request, request.GET.get("job"), SUMMARY_TASK)
    if job is not None and job.task_kwargs.get("product_id") != product.pk:
        job = None
    context = _summary_context(request, product, job=job)
    aspect_summaries = aspect_summaries_latest(merchant=request.merchant, product=product)
    context.update(
        {
            "aspect_summaries": [{"summary": summary} for summary in aspect_summaries],
            "form": SummaryGenerateForm(),
        }
    )
    return render(request, "reviews/llm/summary.html", context)


@merchant_required()
@require_GET
def review_summary_section(request, product_id: int):
    """The "What customers say" section alone (htmx polls it while a summary job runs)."""
    product = product_get(merchant=request.merchant, product_id=product_id)
    job = _own_job(request, request.GET.get("job"), SUMMARY_TASK)
    if job is not None and job.task_kwargs.get("product_id") != product.pk:
        job = None
    response = render(
        request, "reviews/llm/summary_section.html", _summary_context(request, product, job=job)
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@merchant_required(GENERATE_CONTENT)
@require_POST
def review_summary_generate(request, product_id: int):
    """Start summarising; htmx gets the section back (polling the job), others a redirect."""
    product = product_get(merchant=request.merchant, product_id=product_id)
    form = SummaryGenerateForm(request.POST)
    url = reverse("review-summary", kwargs={"product_id": product.pk})
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(status=400)
        return HttpResponseRedirect(url)
    try:
        job = summary_generate_start(
            merchant=request.merchant,
            product=product,
            aspect=form.cleaned_data["aspect"],
            language=form.cleaned_data["language"],
            user=request.user,
        )
    except ValidationError:
        return HttpResponse(status=400) if request.htmx else HttpResponseRedirect(url)
    job_started_message(request, job)
    if request.htmx:
        job.refresh_from_db()
        return render(
            request,
            "reviews/llm/summary_section.html",
            _summary_context(request, product, job=job),
        )
    return HttpResponseRedirect(f"{url}?job={job.pk}")
