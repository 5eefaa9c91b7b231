"""Writes of `Job` rows: submit, dispatch, progress, finish, cancel, sweep.

This module is the one place that sends work to the broker. Every state change is a
conditional UPDATE, so a redelivered message, a late worker and the sweeper never fight over
a row: whoever loses the race changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from kombu.exceptions import KombuError, OperationalError

from .models import ACTIVE_STATUSES, Job, JobStatus

logger = logging.getLogger(__name__)

# What a broker that is down or unreachable raises when we publish (kombu wraps most of them).
BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, OSError, TimeoutError)


class JobCancelled(Exception):
    """Raised inside a running job when a user asked to cancel it."""


@dataclass(frozen=True)
class SweepReport:
    requeued: int
    failed: int
    dispatched: int


def job_submit(
    *,
    merchant,
    kind: str,
    title: str,
    task_name: str,
    task_kwargs: dict | None = None,
    started_by=None,
    queue: str | None = None,
    total: int | None = None,
    idempotent: bool = True,
) -> Job:
    """Record a job and send it to the broker once the surrounding transaction commits.

    The task receives `job_id=<pk>` plus `task_kwargs`. When the broker is unreachable the job
    stays queued with `enqueue_error` set, and `jobs_dispatch_pending` sends it later; callers
    can tell the user by looking at `job.enqueued_at` after the commit.
    """
    job = Job.objects.create(
        merchant=merchant,
        kind=kind,
        title=title[:200],
        task_name=task_name,
        task_kwargs=task_kwargs or {},
        started_by=started_by if getattr(started_by, "is_authenticated", False) else None,
        queue=queue or _queue_for(task_name),
        progress_total=total,
        idempotent=idempotent,
    )
    transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    return job


def _queue_for(task_name: str) -> str:
    route = current_app.amqp.router.route({}, task_name)
    queue = route.get("queue")
    return getattr(queue, "name", None) or settings.CELERY_TASK_DEFAULT_QUEUE


def job_dispatch(*, job_id: int) -> bool:
    """Send a queued job that is not yet on the broker. Returns whether it was sent.

    `enqueued_at` is claimed before publishing so two dispatchers never send one job twice;
    a publish that fails releases the claim and records why.
    """
    now = timezone.now()
    job = Job.objects.filter(pk=job_id).only("uuid", "attempts").first()
    if job is None:
        return False
    # Each sending gets its own Celery id, and only a message carrying the job's current id may
    # run it: a late redelivery of a message the sweeper already replaced does nothing.
    task_id = str(job.uuid) if job.attempts == 0 else f"{job.uuid}-{job.attempts}"
    claimed = Job.objects.filter(
        pk=job_id, status=JobStatus.QUEUED, enqueued_at__isnull=True, cancel_requested=False
    ).update(enqueued_at=now, enqueue_error="", celery_task_id=task_id)
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    kwargs = {**job.task_kwargs, "job_id": job.pk}
    try:
        task = current_app.tasks.get(job.task_name)
        if task is not None:
            task.apply_async(kwargs=kwargs, task_id=task_id, queue=job.queue)
        else:
            current_app.send_task(job.task_name, kwargs=kwargs, task_id=task_id, queue=job.queue)
    except BROKER_ERRORS as exc:
        logger.warning("job %s: broker unavailable: %s", job_id, exc)
        Job.objects.filter(pk=job_id, enqueued_at=now).update(
            enqueued_at=None, enqueue_error=str(exc)[:500] or type(exc).__name__
        )
        return False
    return True


def jobs_dispatch_pending(*, limit: int = 200) -> int:
    """Send every queued job that never reached the broker (it was down). Returns the count."""
    pending = Job.objects.filter(
        status=JobStatus.QUEUED, enqueued_at__isnull=True, cancel_requested=False
    ).order_by("created_at")[:limit]
    sent = 0
    for job_id in list(pending.values_list("pk", flat=True)):
        if job_dispatch(job_id=job_id):
            sent += 1
        elif (
            Job.objects.filter(pk=job_id, enqueued_at__isnull=True)
            .exclude(enqueue_error="")
            .exists()
        ):
            break  # the broker is still down: the next run tries again
    return sent


def job_begin(*, job_id: int, task_id: str | None = None) -> Job | None:
    """Claim a job for a worker: queued (or running, when redelivered) becomes running.

    Returns None when the job is gone, finished or cancelled, or when `task_id` is not the
    job's current Celery id (a stale message): the task then does nothing.
    """
    now = timezone.now()
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=True).update(
        status=JobStatus.CANCELLED, finished_at=now
    )
    candidates = Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES, cancel_requested=False)
    if task_id:
        candidates = candidates.filter(Q(celery_task_id="") | Q(celery_task_id=task_id))
    claimed = candidates.update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        enqueued_at=Coalesce(F("enqueued_at"), Value(now)),
    )
    if not claimed:
        return None
    return Job.objects.get(pk=job_id)


def job_heartbeat(*, job_id: int) -> bool:
    """Record that the worker is alive. Returns True when a cancel was requested."""
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
    return Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def job_progress(
    *,
    job_id: int,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
    advance: int = 0,
) -> bool:
    """Report progress; `advance` adds to `done` atomically (chunks of one job report this way).

    Returns True when a cancel was requested, so the task can stop at a safe point.
    """
    updates: dict = {"heartbeat_at": timezone.now()}
    if total is not None:
        updates["progress_total"] = max(0, total)
    # `done` never passes the total: the row's check constraint would refuse it.
    ceiling = Coalesce(Value(total) if total is not None else F("progress_total"), Value(2**31 - 1))
    if done is not None:
        updates["progress_done"] = Least(Value(max(0, done)), ceiling)
    elif advance:
        updates["progress_done"] = Least(F("progress_done") + advance, ceiling)
    if message is not None:
        updates["progress_message"] = message[:300]
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(**updates)
    return Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def job_succeed(
    *, job_id: int, result: dict | None = None, result_url: str = "", message: str = ""
) -> bool:
    """Mark a running job succeeded and notify whoever started it. False if it was not running."""
    now = timezone.now()
    updates = {
        "status": JobStatus.SUCCEEDED,
        "finished_at": now,
        "heartbeat_at": now,
        "result": result or {},
        "result_url": result_url[:500],
    }
    if message:
        updates["progress_message"] = message[:300]
    if not (result or {}).get("partial"):
        updates["progress_done"] = Coalesce(F("progress_total"), F("progress_done"))
    done = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(**updates)
    if done:
        transaction.on_commit(lambda: _notify_finished(job_id))
    return bool(done)


def job_fail(*, job_id: int, error: str, error_code: str = "error") -> bool:
    """Mark an active job failed, keep the error, and notify. False if it had already ended."""
    now = timezone.now()
    done = Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
        status=JobStatus.FAILED,
        finished_at=now,
        heartbeat_at=now,
        error=error[:10000],
        error_code=error_code[:40],
    )
    if done:
        transaction.on_commit(lambda: _notify_finished(job_id))
    return bool(done)


def job_mark_cancelled(*, job_id: int) -> bool:
    """Called by the task when it stopped because of a cancel request."""
    return bool(
        Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
    )


def job_cancel(*, job: Job) -> Job:
    """Cancel a job: a queued one ends now; a running one stops at its next progress report."""
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, cancel_requested=True, finished_at=now
    ):
        try:
            current_app.control.revoke(str(job.uuid))
        except BROKER_ERRORS:  # the task would see the cancelled row anyway
            logger.info("job %s: could not revoke on the broker", job.pk)
    else:
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job, started_by=None) -> Job:
    """Start a finished (failed or cancelled) job again as a new job with the same arguments."""
    return job_submit(
        merchant=job.merchant,
        kind=job.kind,
        title=job.title,
        task_name=job.task_name,
        task_kwargs=job.task_kwargs,
        started_by=started_by or job.started_by,
        queue=job.queue,
        total=job.progress_total,
        idempotent=job.idempotent,
    )


def jobs_sweep(*, now=None) -> SweepReport:
    """End or resend what dead workers left behind, and send jobs the broker missed.

    A running job whose worker stopped sending heartbeats for `JOBS_STALE_AFTER` seconds is sent
    again if it is idempotent and has attempts left, otherwise marked failed.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.JOBS_STALE_AFTER)
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before)
    requeued = failed = 0
    for job in stale.only("pk", "idempotent", "attempts", "cancel_requested"):
        if job.cancel_requested:
            job_mark_cancelled(job_id=job.pk)
            continue
        if job.idempotent and job.attempts < settings.JOBS_MAX_ATTEMPTS:
            requeued += Job.objects.filter(
                pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=stale_before
            ).update(
                status=JobStatus.QUEUED,
                enqueued_at=None,
                progress_message="",
            )
        elif Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=stale_before
        ).exists():
            failed += job_fail(
                job_id=job.pk,
                error="The worker running this job stopped responding.",
                error_code="worker_lost",
            )
    dispatched = jobs_dispatch_pending()
    return SweepReport(requeued=requeued, failed=failed, dispatched=dispatched)


def _notify_finished(job_id: int) -> None:
    from notifications.services import notify_job_finished

    job = Job.objects.select_related("merchant", "started_by").filter(pk=job_id).first()
    if job is not None:
        notify_job_finished(job=job)
