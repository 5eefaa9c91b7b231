"""Jobs through a real broker and real `celery worker` processes.

Both tests use the broker of tests/core/test_celery_worker.py (a temporary filesystem folder,
or Redis when REDIS_URL is set) and a queue unique to the test. The worker loads the test job
tasks with `--include`.
"""

from __future__ import annotations

import time
import uuid

import pytest

from jobs.models import Job, JobKind, JobStatus
from jobs.services import job_submit, jobs_sweep
from tests.core.test_celery_worker import READY_TIMEOUT, Worker, worker_environment

from .broker import sending_to

JOB_TIMEOUT = 90


@pytest.fixture
def queue_name():
    return f"test-jobs-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def start_worker(transactional_db, tmp_path, queue_name):
    broker_url, transport_options, env = worker_environment(
        tmp_path, LLM_BACKEND="fake", JOBS_HEARTBEAT_SECONDS="1"
    )
    workers: list[Worker] = []

    def start() -> Worker:
        worker = Worker(queue=queue_name, env=env, extra_args=("--include", "tests.jobs.jobtasks"))
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


def wait_for(job: Job, condition, worker: Worker, what: str) -> Job:
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
