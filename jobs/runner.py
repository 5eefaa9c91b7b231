"""`@job_task`: a Celery task that runs one `Job` and keeps its row true.

    @job_task(name="content.tasks.llm_bulk_generate", transient=(LLMUnavailableError,))
    def llm_bulk_generate(run: JobRun, *, product_ids: list[int]) -> JobOutcome:
        run.progress(done=0, total=len(product_ids))
        for i, product_id in enumerate(product_ids, 1):
            ...
            run.progress(done=i, message=...)   # raises JobCancelled when a user cancelled
        return JobOutcome(summary={"drafts": n}, url=reverse(...))

    job = job_submit(merchant=m, kind=JobKind.CONTENT_BULK, title=..., started_by=user,
                     task_name="content.tasks.llm_bulk_generate",
                     task_kwargs={"product_ids": ids})

The wrapper claims the job (a finished or cancelled job, or a message whose Celery id is not
the job's current one, is skipped, so a redelivered or replaced message does nothing), keeps a
heartbeat while the function runs (the sweeper resends or fails jobs whose heartbeat stops),
retries only the listed transient errors with backoff (the job shows as queued meanwhile), and
finishes the row: succeeded with the outcome, failed with the error, or cancelled. Every write
carries the task's id, so a worker the sweeper gave up on cannot change the row any more.

Chunks of one job report with `run.progress(advance=len(chunk))`; long steps without progress
call `run.check_cancelled()`. Both raise `JobCancelled`, which the wrapper handles.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from celery import shared_task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection

from .models import Job
from .services import (
    JobCancelled,
    job_begin,
    job_fail,
    job_heartbeat,
    job_mark_cancelled,
    job_mark_unsent,
    job_postpone,
    job_progress,
    job_succeed,
)

logger = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    summary: dict = field(default_factory=dict)
    url: str = ""
    message: str = ""


class JobRun:
    """What a job function gets: its `Job` row and a way to report progress."""

    def __init__(self, job: Job, *, retries: int = 0, task_id: str | None = None):
        self.job = job
        self.retries = retries
        self.task_id = task_id

    @property
    def job_id(self) -> int:
        return self.job.pk

    @property
    def merchant(self):
        return self.job.merchant

    def progress(
        self,
        *,
        done: int | None = None,
        total: int | None = None,
        message: str | None = None,
        advance: int = 0,
    ) -> None:
        """Report progress (`advance=n` adds n to what is done, for chunks); raises
        `JobCancelled` when a user asked to cancel the job or it was taken away from this run.
        """
        if job_progress(
            job_id=self.job.pk,
            done=done,
            total=total,
            message=message,
            advance=advance,
            task_id=self.task_id,
        ):
            raise JobCancelled

    def check_cancelled(self) -> None:
        """Between steps that report no progress: raises `JobCancelled` like `progress`."""
        if job_heartbeat(job_id=self.job.pk, task_id=self.task_id):
            raise JobCancelled


class _Heartbeat(threading.Thread):
    """Marks the job alive while a long step runs without progress reports."""

    def __init__(self, job_id: int, task_id: str | None, interval: float):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.task_id = task_id
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    job_heartbeat(job_id=self.job_id, task_id=self.task_id)
                except Exception:  # a missed heartbeat only makes the sweeper look sooner
                    logger.exception("job %s: heartbeat failed", self.job_id)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _error_code(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    return str(code)[:40] if isinstance(code, str) and code else "error"


def _run(
    function: Callable, job: Job, kwargs: dict, retries: int, task_id: str | None, eager: bool
) -> JobOutcome | None:
    """One attempt of a job function under a heartbeat. Returns its outcome, or None when the
    row was already finished here (cancelled, failed); re-raises only `transient` candidates
    for the caller to sort out."""
    job_id = job.pk
    heartbeat = None
    if not eager:
        heartbeat = _Heartbeat(job_id, task_id, settings.JOBS_HEARTBEAT_SECONDS)
        heartbeat.start()
    try:
        outcome = function(JobRun(job, retries=retries, task_id=task_id), **kwargs)
    except JobCancelled:
        if not job_mark_cancelled(job_id=job_id, task_id=task_id):
            logger.info("job %s: taken away from this run; stopping", job_id)
        return None
    except SoftTimeLimitExceeded:
        job_fail(
            job_id=job_id,
            task_id=task_id,
            error="The job ran longer than the time limit and was stopped.",
            error_code="time_limit",
        )
        return None
    finally:
        if heartbeat is not None:
            heartbeat.stop()
    if isinstance(outcome, dict) or outcome is None:
        outcome = JobOutcome(summary=outcome or {})
    return outcome


def job_task(
    *,
    name: str,
    transient: tuple[type[BaseException], ...] = (),
    max_retries: int = 3,
    retry_backoff: int = 30,
    **task_options,
) -> Callable:
    """Declare a Celery task that runs one `Job`; see the module docstring.

    `transient` errors are retried `max_retries` times after `retry_backoff`, 2x, 4x... seconds
    (the job shows as queued with the reason meanwhile), then the job fails with
    `transient_error`. Any other exception fails it with the exception's `code` attribute
    (when it is a string) or `error`.
    """

    def decorator(function: Callable[..., JobOutcome | dict | None]):
        @shared_task(
            bind=True,
            name=name,
            ignore_result=True,
            max_retries=max_retries,
            **task_options,
        )
        @wraps(function)
        def task(self, job_id: int, **kwargs):
            task_id = self.request.id
            eager = bool(settings.CELERY_TASK_ALWAYS_EAGER or self.request.is_eager)
            retries = self.request.retries
            while True:
                job = job_begin(job_id=job_id, task_id=task_id)
                if job is None:
                    logger.info("job %s: nothing to do (finished, cancelled, stale)", job_id)
                    return None
                try:
                    outcome = _run(function, job, kwargs, retries, task_id, eager)
                except transient as exc:
                    if retries >= max_retries:
                        job_fail(
                            job_id=job_id,
                            task_id=task_id,
                            error=_error_text(exc),
                            error_code="transient_error",
                        )
                        return None
                    job_postpone(
                        job_id=job_id,
                        task_id=task_id,
                        message=f"Retrying after: {_error_text(exc)}",
                    )
                    if eager:
                        # Inline runs (tests, CELERY_TASK_ALWAYS_EAGER) retry at once: an eager
                        # Celery retry would propagate out of apply_async instead.
                        retries += 1
                        continue
                    countdown = retry_backoff * (2**retries)
                    try:
                        retry = self.retry(exc=exc, countdown=countdown, throw=False)
                    except Reject as rejected:  # the broker refused the retry's message
                        job_mark_unsent(job_id=job_id, task_id=task_id, error=str(rejected))
                        return None
                    raise retry from exc
                except Exception as exc:
                    logger.exception("job %s failed", job_id)
                    job_fail(
                        job_id=job_id,
                        task_id=task_id,
                        error=_error_text(exc),
                        error_code=_error_code(exc),
                    )
                    return None
                if outcome is not None:
                    job_succeed(
                        job_id=job_id,
                        task_id=task_id,
                        result=outcome.summary,
                        result_url=outcome.url,
                        message=outcome.message,
                    )
                return None

        return task

    return decorator
