"""A chunked forecast run end to end through a real broker and a real `celery worker`.

The worker (a separate process on the test database) takes the run's job, sends the chunk
tasks to the same queue and works through them; the test only watches the rows.
"""

from __future__ import annotations

import time
import uuid

import pytest

from forecasting.models import ForecastRun, ForecastRunStatus, InventoryPlan, SkuForecast
from forecasting.services.runs import CHUNK_TASK, RUN_TASK, forecast_run_start
from jobs.models import JobStatus
from tests.core.test_celery_worker import READY_TIMEOUT, Worker, worker_environment
from tests.jobs.broker import sending_to

from .factories import store_with_sales

RUN_TIMEOUT = 240


@pytest.fixture
def queue_name():
    return f"test-forecast-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def forecast_worker(transactional_db, tmp_path, queue_name):
    broker_url, transport_options, env = worker_environment(tmp_path, JOBS_HEARTBEAT_SECONDS="1")
    worker = Worker(queue=queue_name, env=env)
    try:
        worker.wait_until_ready(READY_TIMEOUT)
        with sending_to(broker_url, transport_options):
            yield worker
    finally:
        worker.stop()


def wait_until_finished(run: ForecastRun, worker: Worker) -> ForecastRun:
    """The run once its job has ended (the job ends last, after the run's totals)."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        run.refresh_from_db()
        run.job.refresh_from_db()
        if run.job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            return run
        time.sleep(0.25)
    pytest.fail(
        f"run never finished: {run.status} {run.chunks_done}/{run.chunks_total}\n{worker.log}"
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_chunked_forecast_to_the_end(
    merchant, owner, forecast_worker, queue_name, settings
):
    settings.FORECAST_CHUNK_SIZE = 2
    products = store_with_sales(merchant, products=5)

    run = forecast_run_start(merchant=merchant, started_by=owner, queue=queue_name)

    done = wait_until_finished(run, forecast_worker)
    assert done.status == ForecastRunStatus.SUCCEEDED, f"{done.error}\n{forecast_worker.log}"
    assert (done.chunks_total, done.chunks_done, done.sku_done) == (3, 3, 5)
    assert all(chunk["worker"] for chunk in done.parameters["chunks"])
    assert SkuForecast.objects.filter(run=done, is_current=True).count() == 5
    assert InventoryPlan.objects.filter(product__in=products).count() == 5
    job = done.job
    assert job.status == JobStatus.SUCCEEDED and job.progress_done == 5
    assert job.queue == queue_name
    log = forecast_worker.log
    assert f"{RUN_TASK}[{job.celery_task_id}] succeeded" in log
    assert log.count(f"{CHUNK_TASK}[") >= 3
