"""A run's job sent again by the sweeper resumes where it stopped; a cancelled job ends the
run; a chunk message of an earlier sending does nothing."""

import datetime as dt

import pytest
from django.utils import timezone

import forecasting.engine
import forecasting.tasks
from forecasting.models import ForecastRunStatus, SkuForecast
from forecasting.services.runs import forecast_chunk_run, forecast_run_start
from jobs.models import Job, JobStatus
from jobs.services import job_cancel, jobs_sweep

from .factories import store_with_sales


@pytest.fixture
def sent_chunks(monkeypatch):
    """Chunk sendings recorded instead of run: (run id, chunk indexes, token) each."""
    sent = []
    monkeypatch.setattr(
        forecasting.tasks,
        "forecast_chunks_send",
        lambda *, run_id, chunks, token, queue: sent.append((run_id, list(chunks), token)),
    )
    return sent


@pytest.mark.django_db
def test_a_job_sent_again_sends_only_unrecorded_chunks_and_old_messages_do_nothing(
    merchant, small_chunks, sent_chunks, django_capture_on_commit_callbacks
):
    store_with_sales(merchant, products=8)
    with django_capture_on_commit_callbacks(execute=True):
        run = forecast_run_start(merchant=merchant)
    ((run_id, chunks, first_token),) = sent_chunks
    assert (run_id, chunks) == (run.pk, [0, 1, 2])
    run.refresh_from_db()
    second_chunk = run.parameters["chunks"][1]
    assert forecast_chunk_run(run_id=run.pk, chunk=0, token=first_token).recorded

    # The worker dies: no heartbeat; the sweeper sends the job again under a new Celery id.
    with django_capture_on_commit_callbacks(execute=True):
        report = jobs_sweep(now=timezone.now() + dt.timedelta(hours=1))
    assert report.requeued == 1

    (_, chunks, second_token) = sent_chunks[-1]
    assert chunks == [1, 2] and second_token != first_token
    stale = forecast_chunk_run(run_id=run.pk, chunk=1, token=first_token)
    assert not stale.recorded
    assert not SkuForecast.objects.filter(
        run=run, product_id__gte=second_chunk["first_id"]
    ).exists()
    for chunk in chunks:
        with django_capture_on_commit_callbacks(execute=True):
            assert forecast_chunk_run(run_id=run.pk, chunk=chunk, token=second_token).recorded
    run.refresh_from_db()
    assert run.status == ForecastRunStatus.SUCCEEDED and run.sku_done == 8
    job = Job.objects.get(pk=run.job_id)
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2


@pytest.mark.django_db
def test_a_run_whose_job_was_cancelled_before_it_started_is_ended_by_the_next_start(
    merchant, django_capture_on_commit_callbacks
):
    store_with_sales(merchant, products=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cancelled = forecast_run_start(merchant=merchant)
    job_cancel(job=cancelled.job)
    for callback in callbacks:
        callback()  # the cancelled job is never sent

    with django_capture_on_commit_callbacks(execute=True):
        second = forecast_run_start(merchant=merchant)

    cancelled.refresh_from_db()
    second.refresh_from_db()
    assert cancelled.status == ForecastRunStatus.FAILED
    assert not SkuForecast.objects.filter(run=cancelled).exists()
    assert second.status == ForecastRunStatus.SUCCEEDED


@pytest.mark.django_db
def test_a_cancel_while_chunks_run_stops_the_rest_and_cancels_the_job(
    merchant, small_chunks, on_commit, monkeypatch
):
    store_with_sales(merchant, products=7)
    real = forecasting.engine.forecast_panel

    def engine_then_cancel(series, **kwargs):
        job = Job.objects.get(kind="forecast_run")
        job_cancel(job=job)  # a user presses Cancel while the first chunk computes
        return real(series, **kwargs)

    monkeypatch.setattr(forecasting.engine, "forecast_panel", engine_then_cancel)

    with on_commit():
        run = forecast_run_start(merchant=merchant)

    run.refresh_from_db()
    assert run.status == ForecastRunStatus.FAILED and "Cancelled" in run.error
    assert run.chunks_done == 0 and not SkuForecast.objects.exists()
    assert run.job.status == JobStatus.CANCELLED
