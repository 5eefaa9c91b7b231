"""The jobs pages: list, detail, cancel/retry, and the partials htmx polls while jobs run.

A polled partial answers HTTP 286 once nothing it shows is active: htmx swaps that last
state in and stops polling.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import merchant_required
from accounts.models import Membership
from core.htmx import is_partial

from .forms import JobFilterForm
from .models import Job, JobStatus
from .permissions import job_can_manage
from .selectors import job_generation_logs, job_get, job_list, jobs_active
from .services import JobStateError, job_cancel, job_retry
from .views_helpers import job_started_message

JOBS_PER_PAGE = 25
# htmx: "stop polling" (the response is still swapped in).
STOP_POLLING = 286
LIST_POLL_ID = "job-table"


def _members(merchant) -> list[tuple[int, str]]:
    memberships = (
        Membership.objects.filter(merchant=merchant)
        .select_related("user")
        .order_by("user__username")
    )
    return [(m.user_id, m.user.get_username()) for m in memberships]


def _can_manage(request, job: Job) -> bool:
    return job_can_manage(job=job, user=request.user, role=request.membership.role)


@merchant_required()
@require_GET
def job_list_view(request):
    merchant = request.merchant
    form = JobFilterForm(request.GET, members=_members(merchant))
    jobs = job_list(merchant=merchant, **form.filters())
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    any_active = any(job.is_active for job in page.object_list)
    context = {
        "form": form,
        "page": page,
        "jobs": page.object_list,
        "any_active": any_active,
        "poll_id": LIST_POLL_ID,
    }
    if is_partial(request):
        response = render(request, "jobs/_job_table.html", context)
        if request.htmx.trigger == LIST_POLL_ID and not any_active:
            response.status_code = STOP_POLLING
    else:
        response = render(request, "jobs/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _status_context(request, job: Job) -> dict:
    return {"job": job, "can_manage": _can_manage(request, job)}


@merchant_required()
@require_GET
def job_detail(request, job_id: int):
    job = job_get(merchant=request.merchant, job_id=job_id)
    context = _status_context(request, job)
    context["generation_logs"] = job_generation_logs(job=job)
    return render(request, "jobs/detail.html", context)


@merchant_required()
@require_GET
def job_progress_partial(request, job_id: int):
    """The detail page's status card, polled every 3 s while the job is active."""
    job = job_get(merchant=request.merchant, job_id=job_id)
    response = render(request, "jobs/_job_status.html", _status_context(request, job))
    if not job.is_active:
        response.status_code = STOP_POLLING
    return response


@merchant_required()
@require_GET
def job_indicator(request):
    """The header indicator's dropdown (and, out of band, its badge); one query."""
    count, jobs = jobs_active(merchant=request.merchant)
    response = render(
        request,
        "jobs/_indicator_menu.html",
        {"active_count": count, "active_jobs": jobs, "oob": True},
    )
    if not count:
        response.status_code = STOP_POLLING
    return response


@merchant_required()
@require_POST
def job_cancel_view(request, job_id: int):
    job = job_get(merchant=request.merchant, job_id=job_id)
    if not _can_manage(request, job):
        raise PermissionDenied
    try:
        job = job_cancel(job=job)
    except JobStateError as exc:
        messages.error(request, str(exc))
    else:
        if job.status == JobStatus.CANCELLED:
            messages.success(request, _("“%(title)s” was cancelled.") % {"title": job.title})
        else:
            messages.info(
                request,
                _("“%(title)s” stops at its next safe point.") % {"title": job.title},
            )
    return redirect("job-detail", job_id=job.pk)


@merchant_required()
@require_POST
def job_retry_view(request, job_id: int):
    job = job_get(merchant=request.merchant, job_id=job_id)
    if not _can_manage(request, job):
        raise PermissionDenied
    try:
        new_job = job_retry(job=job, started_by=request.user)
    except JobStateError as exc:
        messages.error(request, str(exc))
        return redirect("job-detail", job_id=job.pk)
    job_started_message(request, new_job)
    return redirect("job-detail", job_id=new_job.pk)
