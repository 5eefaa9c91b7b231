"""Reads of `Job` rows for the pages, the header indicator and the API. Merchant always given."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, QuerySet, Window
from django.shortcuts import get_object_or_404

from .models import ACTIVE_STATUSES, Job, JobKind, JobStatus

# The header indicator lists at most this many active jobs; the count covers all of them.
INDICATOR_LIMIT = 5


def job_list(
    *, merchant, kind: str = "", status: str = "", started_by_id: int | None = None
) -> QuerySet[Job]:
    """The merchant's jobs, newest first; unknown `kind`/`status` values filter nothing out
    (forms and the API validate them first)."""
    jobs = Job.objects.for_merchant(merchant).select_related("started_by")
    if kind in JobKind.values:
        jobs = jobs.filter(kind=kind)
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    if started_by_id is not None:
        jobs = jobs.filter(started_by_id=started_by_id)
    return jobs.order_by("-created_at", "-pk")


def job_get(*, merchant, job_id: int) -> Job:
    """One of the merchant's jobs; another merchant's id is a 404 like a missing one."""
    return get_object_or_404(
        Job.objects.for_merchant(merchant).select_related("started_by"), pk=job_id
    )


def jobs_active(*, merchant, limit: int = INDICATOR_LIMIT) -> tuple[int, list[Job]]:
    """(how many jobs are queued or running, the `limit` most recent of them) in one query.

    The count comes from a window function so the header costs a single query per page.
    """
    rows = list(
        Job.objects.for_merchant(merchant)
        .filter(status__in=ACTIVE_STATUSES)
        .annotate(active_count=Window(Count("pk")))
        .only(
            "pk",
            "kind",
            "title",
            "status",
            "progress_done",
            "progress_total",
            "progress_message",
            "enqueued_at",
            "enqueue_error",
            "started_at",
        )
        .order_by("-created_at", "-pk")[:limit]
    )
    return (rows[0].active_count if rows else 0), rows


def job_generation_logs_supported() -> bool:
    """Whether `GenerationLog` has its `job` foreign key (added with the content studio)."""
    from core.models import GenerationLog

    try:
        field = GenerationLog._meta.get_field("job")
    except FieldDoesNotExist:
        return False
    return getattr(field, "related_model", None) is Job


def job_generation_logs(*, job: Job, limit: int = 200) -> list | None:
    """The language-model calls made for `job`, oldest first; None when logs are not linked
    to jobs in this version of the schema."""
    if not job_generation_logs_supported():
        return None
    from core.models import GenerationLog

    return list(
        GenerationLog.objects.filter(job=job)
        .defer("prompt", "output", "parameters")
        .order_by("created_at", "pk")[:limit]
    )
