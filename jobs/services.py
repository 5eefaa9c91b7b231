"""Writes of `Job` rows: submit, dispatch, progress, finish, cancel, retry, sweep.

This module is the one place that sends work to the broker. Every state change is a
conditional UPDATE, so a redelivered message, a late worker and the sweeper never fight over
a row: whoever loses the race changes nothing. Writes made on behalf of a running task carry
its Celery id (`task_id`): once the sweeper has sent a job again, the worker it gave up on can
no longer move the row.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError, OperationalError

from .models import ACTIVE_STATUSES, FINISHED_STATUSES, Job, JobStatus

logger = logging.getLogger(__name__)

# What a broker that is down or unreachable raises when we publish (kombu wraps most of them).
BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, OSError, TimeoutError)
# The largest value of a PositiveIntegerField on every database we support.
_MAX_COUNT = 2**31 - 1


class JobCancelled(Exception):
    """Raised inside a running job when it must stop: a user cancelled it, or it was taken
    away from this worker (the sweeper failed it or sent it to another one)."""


class JobStateError(Exception):
    """The job is not in a state that allows the requested change (e.g. retrying a running
    job). The message is translated and may be shown to the user."""


@dataclass(frozen=True)
class SweepReport:
    requeued: int
    failed: int
    dispatched: int


def _owned(job_id: int, task_id: str | None, *statuses: str):
    """The job's row, only while it is in `statuses` and (with `task_id`) this run's."""
    rows = Job.objects.filter(pk=job_id, status__in=statuses)
    if task_id:
        rows = rows.filter(celery_task_id=task_id)
    return rows


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
    stays queued with `enqueue_error` set, and `jobs_dispatch_pending` sends it later; views
    tell the user with `jobs.views_helpers.job_started_message(request, job)`.
    """
    job = Job.objects.create(
        merchant=merchant,
        kind=kind,
        title=title[:200],
        task_name=task_name,
        task_kwargs=task_kwargs or {},
        started_by=started_by if getattr(started_by, "is_authenticated", False) else None,
        queue=queue or _queue_for(task_name),
        progress_total=max(0, total) if total is not None else None,
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
    job = Job.objects.filter(pk=job_id).only("uuid", "celery_task_id").first()
    if job is None:
        return False
    # Each sending gets its own Celery id, and only a message carrying the job's current id may
    # run it: a late redelivery of a message that was replaced does nothing.
    task_id = str(job.uuid) if not job.celery_task_id else f"{job.uuid}-{secrets.token_hex(4)}"
    claimed = Job.objects.filter(
        pk=job_id, status=JobStatus.QUEUED, enqueued_at__isnull=True, cancel_requested=False
    ).update(enqueued_at=now, enqueue_error="", celery_task_id=task_id)
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    kwargs = {**job.task_kwargs, "job_id": job.pk}
    try:
        task = _registered_task(job.task_name)
        if task is not None:
            task.apply_async(kwargs=kwargs, task_id=task_id, queue=job.queue)
        else:
            current_app.send_task(job.task_name, kwargs=kwargs, task_id=task_id, queue=job.queue)
    except BROKER_ERRORS as exc:
        logger.warning("job %s: broker unavailable: %s", job_id, exc)
        Job.objects.filter(pk=job_id, enqueued_at=now, celery_task_id=task_id).update(
            enqueued_at=None, enqueue_error=(str(exc) or type(exc).__name__)[:500]
        )
        return False
    return True


def job_resend(*, job: Job) -> bool:
    """Send a queued job again with a new Celery id (its message may be lost); the old message,
    should it still arrive, is stale and does nothing. Returns whether it was sent."""
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED, cancel_requested=False).update(
        enqueued_at=None
    )
    return job_dispatch(job_id=job.pk)


def _registered_task(name: str):
    """The task object for `name`, importing the apps' tasks modules once if needed.

    A web process only imports the `tasks` modules Celery autodiscovers when asked to; without
    the task object, an eager run (tests, CELERY_TASK_ALWAYS_EAGER) could not happen.
    """
    task = current_app.tasks.get(name)
    if task is None:
        current_app.loader.import_default_modules()
        task = current_app.tasks.get(name)
    return task


def jobs_dispatch_pending(*, limit: int = 200) -> int:
    """Send every queued job that never reached the broker (it was down). Returns the count."""
    pending = Job.objects.filter(
        status=JobStatus.QUEUED, enqueued_at__isnull=True, cancel_requested=False
    ).order_by("created_at", "pk")[:limit]
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
    """Claim a job for a worker: queued becomes running.

    Returns None when the job is gone, finished or cancelled, or when `task_id` is not the
    job's current Celery id (a stale message): the task then does nothing. A job that is still
    `running` when its message comes again lost its worker mid-way (the broker redelivered an
    unacknowledged message): it runs again only if it is idempotent and has attempts left,
    the same rule as the sweeper's, else it fails with `worker_lost`.
    """
    now = timezone.now()
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=True).update(
        status=JobStatus.CANCELLED, finished_at=now
    )
    candidates = Job.objects.filter(pk=job_id, cancel_requested=False)
    if task_id:
        candidates = candidates.filter(Q(celery_task_id="") | Q(celery_task_id=task_id))
    claim = {
        "status": JobStatus.RUNNING,
        "started_at": Coalesce(F("started_at"), Value(now)),
        "heartbeat_at": now,
        "attempts": F("attempts") + 1,
        "enqueued_at": Coalesce(F("enqueued_at"), Value(now)),
    }
    if task_id:
        claim["celery_task_id"] = task_id
    if candidates.filter(status=JobStatus.QUEUED).update(**claim):
        return Job.objects.select_related("merchant", "started_by").get(pk=job_id)
    # Still running: a worker that is alive owns it (a duplicate message does nothing); one
    # whose heartbeat stopped lost it, and the sweeper's rule decides.
    stale_before = now - timedelta(seconds=settings.JOBS_STALE_AFTER)
    lost = candidates.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before)
    if lost.filter(idempotent=True, attempts__lt=settings.JOBS_MAX_ATTEMPTS).update(
        **claim, progress_done=0
    ):
        logger.warning("job %s: redelivered after its worker was lost; running it again", job_id)
        return Job.objects.select_related("merchant", "started_by").get(pk=job_id)
    _fail(lost, job_id, "The worker running this job stopped responding.", "worker_lost")
    return None


def job_heartbeat(*, job_id: int, task_id: str | None = None) -> bool:
    """Record that the worker is alive. Returns True when the job must stop (see
    `job_progress`)."""
    alive = _owned(job_id, task_id, JobStatus.RUNNING).update(heartbeat_at=timezone.now())
    return not alive or Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def job_progress(
    *,
    job_id: int,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
    advance: int = 0,
    task_id: str | None = None,
) -> bool:
    """Report progress; `advance` adds to `done` atomically (chunks of one job report this way).

    `done` never passes the total (the row's check constraint would refuse it): a `total`
    lower than what is done pulls `done` down with it. Returns True when the task should stop
    at a safe point: a user asked to cancel, or (with `task_id`) the job is no longer this
    run's because the sweeper failed it or sent it to another worker.
    """
    updates: dict = {"heartbeat_at": timezone.now()}
    if total is not None:
        total = min(max(0, total), _MAX_COUNT)
        updates["progress_total"] = total
    ceiling = Coalesce(
        Value(total) if total is not None else F("progress_total"), Value(_MAX_COUNT)
    )
    if done is not None:
        current = Value(min(max(0, done), _MAX_COUNT))
    elif advance:
        current = F("progress_done") + advance
    elif total is not None:
        current = F("progress_done")
    else:
        current = None
    if current is not None:
        # Least/Coalesce of an integer column and integer literals: the same SQL on SQLite
        # (MIN) and PostgreSQL (LEAST); the output field is given since the sources mix
        # IntegerField and PositiveIntegerField.
        updates["progress_done"] = Least(
            current, ceiling, output_field=Job._meta.get_field("progress_done")
        )
    if message is not None:
        updates["progress_message"] = message[:300]
    updated = _owned(job_id, task_id, JobStatus.RUNNING).update(**updates)
    if task_id and not updated:
        return True
    return Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def job_postpone(*, job_id: int, message: str, task_id: str | None = None) -> bool:
    """A running job waits for a retry of its task: back to queued (the sweeper leaves it
    alone, a cancel ends it at once) with a message saying why."""
    return bool(
        _owned(job_id, task_id, JobStatus.RUNNING).update(
            status=JobStatus.QUEUED, progress_message=message[:300], heartbeat_at=timezone.now()
        )
    )


def job_mark_unsent(*, job_id: int, error: str, task_id: str | None = None) -> bool:
    """A postponed job whose retry could not be published: `jobs_dispatch_pending` sends it
    again (with a new Celery id) once the broker is back."""
    return bool(
        _owned(job_id, task_id, JobStatus.QUEUED).update(
            enqueued_at=None, enqueue_error=(error or "broker unavailable")[:500]
        )
    )


def job_succeed(
    *,
    job_id: int,
    result: dict | None = None,
    result_url: str = "",
    message: str = "",
    task_id: str | None = None,
) -> bool:
    """Mark a running job succeeded and notify whoever started it. False if it was not running.

    Progress is set to the total, unless the result says `"partial": true` (some items were
    skipped and the bar should say so).
    """
    now = timezone.now()
    updates = {
        "status": JobStatus.SUCCEEDED,
        "finished_at": now,
        "heartbeat_at": now,
        "result": result or {},
        "result_url": result_url[:500],
        "cancel_requested": False,
    }
    if message:
        updates["progress_message"] = message[:300]
    if not (result or {}).get("partial"):
        updates["progress_done"] = Coalesce(F("progress_total"), F("progress_done"))
    done = _owned(job_id, task_id, JobStatus.RUNNING).update(**updates)
    if done:
        transaction.on_commit(lambda: _notify_finished(job_id))
    return bool(done)


def job_fail(
    *, job_id: int, error: str, error_code: str = "error", task_id: str | None = None
) -> bool:
    """Mark an active job failed, keep the error, and notify. False if it had already ended."""
    return _fail(_owned(job_id, task_id, *ACTIVE_STATUSES), job_id, error, error_code)


def _fail(rows, job_id: int, error: str, error_code: str) -> bool:
    now = timezone.now()
    done = rows.update(
        status=JobStatus.FAILED,
        finished_at=now,
        heartbeat_at=now,
        error=error[:10000],
        error_code=str(error_code or "error")[:40],
    )
    if done:
        transaction.on_commit(lambda: _notify_finished(job_id))
    return bool(done)


def job_mark_cancelled(*, job_id: int, task_id: str | None = None) -> bool:
    """Called by the task when it stopped because of a cancel request. False when nobody asked
    to cancel (the job was taken away from this run instead) or it has already ended."""
    return bool(
        _owned(job_id, task_id, *ACTIVE_STATUSES)
        .filter(cancel_requested=True)
        .update(status=JobStatus.CANCELLED, finished_at=timezone.now())
    )


def job_cancel(*, job: Job) -> Job:
    """Cancel a job: a queued one ends now; a running one stops at its next progress report
    or heartbeat. Raises `JobStateError` when the job has already finished."""
    now = timezone.now()
    # No revoke on the broker: the message of a cancelled job finds the row cancelled and does
    # nothing, and a revoke would make this request wait on a broker that may be down.
    if not Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, cancel_requested=True, finished_at=now
    ):
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    if job.status in FINISHED_STATUSES and job.status != JobStatus.CANCELLED:
        raise JobStateError(_("This job has already finished."))
    return job


def job_retry(*, job: Job, started_by=None) -> Job:
    """Start a failed or cancelled job again as a new job with the same arguments.

    Raises `JobStateError` for a job that is still queued/running or that succeeded.
    """
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise JobStateError(_("Only a failed or cancelled job can be started again."))
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
    again (with a new Celery id, so the dead worker's message can no longer run it) if it is
    idempotent and has attempts left (`JOBS_MAX_ATTEMPTS` starts in all), otherwise it fails
    with `worker_lost`; one whose cancel was requested is cancelled. Then every queued job that
    never reached the broker is sent. Safe to run concurrently: each change is conditional.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.JOBS_STALE_AFTER)
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before)
    requeued = failed = 0
    for job in stale.only("pk", "idempotent", "attempts", "cancel_requested"):
        still_stale = Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=stale_before
        )
        if job.cancel_requested:
            still_stale.update(status=JobStatus.CANCELLED, finished_at=now)
        elif job.idempotent and job.attempts < settings.JOBS_MAX_ATTEMPTS:
            requeued += still_stale.update(
                status=JobStatus.QUEUED, enqueued_at=None, progress_done=0, progress_message=""
            )
        else:
            failed += _fail(
                still_stale,
                job.pk,
                "The worker running this job stopped responding.",
                "worker_lost",
            )
    dispatched = jobs_dispatch_pending()
    return SweepReport(requeued=requeued, failed=failed, dispatched=dispatched)


def _notify_finished(job_id: int) -> None:
    from notifications.services import notify_job_finished

    job = Job.objects.select_related("merchant", "started_by").filter(pk=job_id).first()
    if job is None:
        return
    try:
        notify_job_finished(job=job)
    except Exception:
        # The job's own row is already true; a failed notification leaves its own trace in
        # the notifications app and must not turn a finished job into a crashed task.
        logger.exception("job %s: finish notification failed", job_id)
