"""Jobs through a real broker and real `celery worker` processes.

Both tests use the broker of tests/core/test_celery_worker.py (a temporary filesystem folder,
or Redis when REDIS_URL is set) and a queue unique to the test. The worker loads the test job
tasks with `--include`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from jobs.models import Job, JobKind, JobStatus
from jobs.services import job_submit, jobs_sweep
from tests.core.processes import REPO_ROOT, database_url_of_this_test
from tests.core.test_celery_worker import READY_TIMEOUT, Worker

from .broker import broker_settings, sending_to

JOB_TIMEOUT = 90


class JobWorker(Worker):
    """A `celery worker` that also knows the test job tasks."""

    def __init__(self, *, queue: str, env: dict[str, str]):  # noqa: D107
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ecomops",
                "worker",
                "-Q",
                queue,
                "--include",
                "tests.jobs.jobtasks",
                "--hostname",
                f"{queue}-{uuid.uuid4().hex[:6]}@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, no acknowledgement."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def queue_name():
    return f"test-jobs-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def start_worker(transactional_db, tmp_path, queue_name):
    broker_url, transport_options, broker_env = broker_settings(tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_BROKER_DIR"}
    }
    env.update(
        broker_env,
        DJANGO_SETTINGS_MODULE="ecomops.settings",
        DATABASE_URL=database_url_of_this_test(),
        CELERY_TASK_ALWAYS_EAGER="false",
        DATA_DIR=str(tmp_path / "worker-data"),
        LLM_BACKEND="fake",
        JOBS_HEARTBEAT_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    workers: list[JobWorker] = []

    def start() -> JobWorker:
        worker = JobWorker(queue=queue_name, env=env)
        workers.append(worker)
        worker.wait_until_ready(READY_TIMEOUT)
        return worker

    with sending_to(broker_url, transport_options):
        try:
            yield start
        finally:
            for worker in workers:
                worker.stop()


def submit_count(merchant, queue: str, *, items: int, step_sleep: float) -> Job:
    return job_submit(
        merchant=merchant,
        kind=JobKind.IMPORT,
        title="Count through a real worker",
        task_name="tests.jobs.count_items",
        task_kwargs={"items": items, "step_sleep": step_sleep},
        queue=queue,
    )


def wait_for(job: Job, condition, worker: JobWorker, what: str) -> Job:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        assert job.status != JobStatus.FAILED, f"{job.error}\n{worker.log}"
        time.sleep(0.1)
    pytest.fail(f"job never {what}: {job.status} {job.progress_done}\n{worker.log}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_job_and_its_row_shows_progress_then_success(
    merchant, start_worker, queue_name
):
    worker = start_worker()

    job = submit_count(merchant, queue_name, items=6, step_sleep=0.4)

    job.refresh_from_db()
    assert job.enqueued_at is not None and job.enqueue_error == ""
    midway = wait_for(
        job, lambda j: j.status == JobStatus.RUNNING and 0 < j.progress_done < 6, worker, "ran"
    )
    assert midway.progress_total == 6 and midway.heartbeat_at is not None
    done = wait_for(job, lambda j: j.status == JobStatus.SUCCEEDED, worker, "succeeded")
    assert (done.progress_done, done.percent, done.attempts) == (6, 100, 1)
    assert done.result["counted"] == 6
    assert f"tests.jobs.count_items[{job.uuid}]" in worker.log


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_resent_by_the_sweeper_and_finished_by_another(
    merchant, start_worker, queue_name, settings
):
    settings.JOBS_STALE_AFTER = 3
    first = start_worker()
    job = submit_count(merchant, queue_name, items=12, step_sleep=0.5)
    wait_for(job, lambda j: j.status == JobStatus.RUNNING and j.progress_done >= 2, first, "ran")

    first.kill()
    time.sleep(settings.JOBS_STALE_AFTER + 1.5)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # nobody but the sweeper can tell it is dead
    report = jobs_sweep()
    assert (report.requeued, report.dispatched) == (1, 1)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.celery_task_id != str(job.uuid)

    second = start_worker()
    done = wait_for(job, lambda j: j.status == JobStatus.SUCCEEDED, second, "succeeded")
    assert (done.attempts, done.progress_done) == (2, 12)
    assert job.celery_task_id in second.log
