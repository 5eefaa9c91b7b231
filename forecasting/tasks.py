"""Forecast tasks, all on the `forecast` queue (route `forecasting.tasks.*`).

Thin: `forecast_run_execute` is the job's task (claims the job, sends the chunks),
`forecast_chunk` runs one chunk of SKUs, `forecast_nightly` is the beat entry point. The work
and its bookkeeping live in `forecasting.services.runs`.
"""

from __future__ import annotations

import logging
import threading

from celery import group, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

from jobs.models import Job, JobKind, JobStatus
from jobs.services import job_heartbeat

from .services.runs import (
    CHUNK_TASK,
    RUN_TASK,
    forecast_chunk_fail,
    forecast_chunk_run,
    forecast_run_dispatch,
    forecast_runs_nightly_start,
)

logger = logging.getLogger(__name__)

# What may succeed when tried again: the database or the network hiccuped. An engine error on
# the same data would fail the same way, so it is recorded at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@worker_process_init.connect
def _engine_preload(**kwargs) -> None:
    # Each pool process imports the engine (LightGBM, statsforecast) once when it starts, not
    # inside its first chunk; web processes never import it.
    import forecasting.engine  # noqa: F401


def chunk_retries() -> int:
    return int(getattr(settings, "FORECAST_CHUNK_RETRIES", 2))


def chunk_retry_backoff() -> int:
    return int(getattr(settings, "FORECAST_CHUNK_RETRY_BACKOFF", 15))


@shared_task(bind=True, name=RUN_TASK, ignore_result=True)
def forecast_run_execute(self, job_id: int, run_id: int) -> int:
    """The run's job: prepare the run and send its chunks (see `forecast_run_dispatch`)."""
    return forecast_run_dispatch(job_id=job_id, run_id=run_id, task_id=self.request.id)


def forecast_chunks_send(*, run_id: int, chunks: list[int], token: str, queue: str) -> None:
    """Send one `forecast_chunk` per chunk index as a Celery group on the job's queue."""
    group(
        forecast_chunk.si(run_id=run_id, chunk=index, token=token).set(queue=queue)
        for index in chunks
    ).apply_async()


class _KeepAlive(threading.Thread):
    """While a chunk works: the heartbeat of its job, and of the other forecast jobs waiting
    on the same queue.

    A run's chunks may wait behind another merchant's (the nightly runs start together); as
    long as some chunk on the queue is working, the workers are alive and the waiting jobs are
    not lost, so the sweeper must not resend them. When no chunk works for JOBS_STALE_AFTER,
    nothing keeps them alive and the sweeper does its job.
    """

    def __init__(self, *, job_id: int, token: str, queue: str):
        super().__init__(name=f"forecast-job-{job_id}-keepalive", daemon=True)
        self.job_id, self.token, self.queue = job_id, token, queue
        self.stopped = threading.Event()

    def beat(self) -> None:
        job_heartbeat(job_id=self.job_id, task_id=self.token or None)
        waiting = (
            Job.objects.filter(
                kind=JobKind.FORECAST_RUN, status=JobStatus.RUNNING, queue=self.queue
            )
            .exclude(pk=self.job_id)
            .values_list("pk", "celery_task_id")
        )
        for job_id, task_id in waiting:
            job_heartbeat(job_id=job_id, task_id=task_id or None)

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOBS_HEARTBEAT_SECONDS):
                try:
                    self.beat()
                except Exception:  # a missed heartbeat only makes the sweeper look sooner
                    logger.exception("forecast job %s: heartbeat failed", self.job_id)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _keepalive_start(run_id: int, token: str) -> _KeepAlive | None:
    job = Job.objects.filter(forecast_run__pk=run_id).values("pk", "queue").first()
    if job is None:
        return None
    keepalive = _KeepAlive(job_id=job["pk"], token=token, queue=job["queue"])
    keepalive.start()
    return keepalive


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@shared_task(bind=True, name=CHUNK_TASK, ignore_result=True, max_retries=None)
def forecast_chunk(self, run_id: int, chunk: int, token: str = "") -> None:
    """One chunk of a run. Transient errors are retried FORECAST_CHUNK_RETRIES times with
    backoff; then, like any other error, the chunk is recorded as failed (never dropped)."""
    eager = bool(settings.CELERY_TASK_ALWAYS_EAGER or self.request.is_eager)
    attempt = self.request.retries
    while True:
        keepalive = None if eager else _keepalive_start(run_id, token)
        try:
            forecast_chunk_run(run_id=run_id, chunk=chunk, token=token)
            return
        except TRANSIENT_ERRORS as exc:
            if attempt >= chunk_retries():
                logger.exception("forecast run %s: chunk %s failed for good", run_id, chunk)
                forecast_chunk_fail(
                    run_id=run_id,
                    chunk=chunk,
                    token=token,
                    error=f"{_error_text(exc)} (after {attempt + 1} attempts)",
                )
                return
            logger.warning("forecast run %s: chunk %s: %s; retrying", run_id, chunk, exc)
            if eager:
                # An eager Celery retry would propagate out of apply_async: retry inline.
                attempt += 1
                continue
            raise self.retry(exc=exc, countdown=chunk_retry_backoff() * 2**attempt) from exc
        except SoftTimeLimitExceeded:
            forecast_chunk_fail(
                run_id=run_id,
                chunk=chunk,
                token=token,
                error="The chunk ran longer than the task time limit and was stopped.",
            )
            return
        except Exception as exc:
            logger.exception("forecast run %s: chunk %s failed", run_id, chunk)
            forecast_chunk_fail(run_id=run_id, chunk=chunk, token=token, error=_error_text(exc))
            return
        finally:
            if keepalive is not None:
                keepalive.stop()


@shared_task(name="forecasting.tasks.forecast_nightly", ignore_result=True)
def forecast_nightly() -> int:
    """Beat entry point: start the nightly run of every merchant that wants one."""
    return len(forecast_runs_nightly_start())
