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

The wrapper claims the job (a finished or cancelled job is skipped, so a redelivered message
does nothing), keeps a heartbeat while the function runs (the sweeper resends or fails jobs
whose heartbeat stops), retries only the listed transient errors with backoff, and finishes
the row: succeeded with the outcome, failed with the error, or cancelled.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection

from .models import Job
from .services import (
    JobCancelled,
    job_begin,
    job_fail,
    job_heartbeat,
    job_mark_cancelled,
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

    def __init__(self, job: Job, *, retries: int = 0):
        self.job = job
        self.retries = retries

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
        """Report progress; raises `JobCancelled` when a user asked to cancel the job."""
        if job_progress(
            job_id=self.job.pk, done=done, total=total, message=message, advance=advance
        ):
            raise JobCancelled

    def check_cancelled(self) -> None:
        if job_heartbeat(job_id=self.job.pk):
            raise JobCancelled


class _Heartbeat(threading.Thread):
    """Marks the job alive while a long step runs without progress reports."""

    def __init__(self, job_id: int, interval: float):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    job_heartbeat(job_id=self.job_id)
                except Exception:  # a missed heartbeat only makes the sweeper look sooner
                    logger.exception("job %s: heartbeat failed", self.job_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def job_task(
    *,
    name: str,
    transient: tuple[type[BaseException], ...] = (),
    max_retries: int = 3,
    retry_backoff: int = 30,
    **task_options,
) -> Callable:
    """Declare a Celery task that runs one `Job`; see the module docstring."""

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
            job = job_begin(job_id=job_id, task_id=self.request.id)
            if job is None:
                logger.info("job %s: nothing to do (finished, cancelled or gone)", job_id)
                return None
            heartbeat = None
            if not settings.CELERY_TASK_ALWAYS_EAGER:
                heartbeat = _Heartbeat(job_id, settings.JOBS_HEARTBEAT_SECONDS)
                heartbeat.start()
            try:
                outcome = function(JobRun(job, retries=self.request.retries), **kwargs)
            except JobCancelled:
                job_mark_cancelled(job_id=job_id)
                return None
            except SoftTimeLimitExceeded:
                job_fail(
                    job_id=job_id,
                    error="The job ran longer than the time limit and was stopped.",
                    error_code="time_limit",
                )
                return None
            except transient as exc:
                if self.request.retries < max_retries:
                    job_progress(job_id=job_id, message=f"Retrying after: {_error_text(exc)}"[:300])
                    countdown = retry_backoff * (2**self.request.retries)
                    raise self.retry(exc=exc, countdown=countdown) from exc
                job_fail(job_id=job_id, error=_error_text(exc), error_code="transient_error")
                return None
            except Exception as exc:
                logger.exception("job %s failed", job_id)
                job_fail(
                    job_id=job_id,
                    error=_error_text(exc),
                    error_code=getattr(exc, "code", "error") or "error",
                )
                return None
            finally:
                if heartbeat is not None:
                    heartbeat.stop()
            if isinstance(outcome, dict) or outcome is None:
                outcome = JobOutcome(summary=outcome or {})
            job_succeed(
                job_id=job_id,
                result=outcome.summary,
                result_url=outcome.url,
                message=outcome.message,
            )
            return None

        return task

    return decorator
