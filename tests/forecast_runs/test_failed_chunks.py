"""A chunk that fails is retried when the error is transient, then counted and reported:
the run ends partial (or failed when nothing succeeded), never silently short."""

import pytest
from django.db import OperationalError

import forecasting.engine
from forecasting.models import ForecastRun, ForecastRunStatus, InventoryPlan, SkuForecast
from forecasting.services.runs import (
    forecast_chunk_fail,
    forecast_run_finish,
    forecast_run_start,
    forecast_run_sync,
)
from jobs.models import JobStatus
from notifications.models import Notification

from .factories import store_with_sales


def engine_failing_for(monkeypatch, *, product_ids, error, times=None):
    """The real engine, except that a chunk holding one of `product_ids` raises `error`
    (`times` times, or always). Returns the list of calls that failed."""
    real = forecasting.engine.forecast_panel
    failures = []

    def engine(series, **kwargs):
        if {s.key for s in series} & set(product_ids) and (times is None or len(failures) < times):
            failures.append([s.key for s in series])
            raise error
        return real(series, **kwargs)

    monkeypatch.setattr(forecasting.engine, "forecast_panel", engine)
    return failures


@pytest.mark.django_db
def test_a_chunk_that_keeps_failing_is_counted_named_and_the_run_ends_partial(
    merchant, owner, on_commit, small_chunks, monkeypatch
):
    products = store_with_sales(merchant, products=7)
    broken = products[4]  # second chunk: products 4-6
    engine_failing_for(
        monkeypatch, product_ids=[broken.pk], error=ValueError("singular matrix in chunk")
    )

    with on_commit():
        run = forecast_run_start(merchant=merchant, started_by=owner)

    run.refresh_from_db()
    assert run.status == ForecastRunStatus.PARTIAL
    assert (run.chunks_total, run.chunks_done, run.chunks_failed) == (3, 2, 1)
    assert (run.sku_total, run.sku_done) == (7, 4)
    assert "Chunk 2 of 3" in run.error and "singular matrix in chunk" in run.error
    assert [chunk["status"] for chunk in run.parameters["chunks"]] == ["done", "failed", "done"]
    forecast = set(SkuForecast.objects.filter(run=run).values_list("product_id", flat=True))
    assert forecast == {p.pk for p in products[:3] + products[6:]}
    assert InventoryPlan.objects.filter(merchant=merchant).count() == 4

    job = run.job
    assert job.status == JobStatus.SUCCEEDED and job.result["partial"] is True
    assert job.result["chunks_failed"] == 1 and job.progress_done == 4
    notice = Notification.objects.get(recipient=owner, event="job_succeeded")
    assert "1 chunk failed" in notice.body


@pytest.mark.django_db
def test_a_transient_error_is_retried_and_the_chunk_then_succeeds(
    merchant, on_commit, small_chunks, monkeypatch
):
    products = store_with_sales(merchant, products=5)
    failures = engine_failing_for(
        monkeypatch, product_ids=[products[0].pk], error=OperationalError("locked"), times=1
    )

    with on_commit():
        run = forecast_run_start(merchant=merchant)

    run.refresh_from_db()
    assert len(failures) == 1
    assert run.status == ForecastRunStatus.SUCCEEDED and run.chunks_failed == 0
    assert run.sku_done == 5


@pytest.mark.django_db
def test_a_transient_error_that_persists_fails_the_chunk_after_the_retries(
    merchant, on_commit, small_chunks, monkeypatch, settings
):
    settings.FORECAST_CHUNK_RETRIES = 2
    products = store_with_sales(merchant, products=5)
    failures = engine_failing_for(
        monkeypatch, product_ids=[products[0].pk], error=OperationalError("server closed")
    )

    with on_commit():
        run = forecast_run_start(merchant=merchant)

    run.refresh_from_db()
    assert len(failures) == 3  # the first try and two retries
    assert run.status == ForecastRunStatus.PARTIAL and run.chunks_failed == 1
    assert "after 3 attempts" in run.error


@pytest.mark.django_db
def test_a_run_whose_every_chunk_failed_fails_and_so_does_its_job(
    merchant, owner, on_commit, small_chunks, monkeypatch
):
    products = store_with_sales(merchant, products=4)
    engine_failing_for(monkeypatch, product_ids=[p.pk for p in products], error=KeyError("x"))

    with on_commit():
        run = forecast_run_start(merchant=merchant, started_by=owner)

    run.refresh_from_db()
    assert run.status == ForecastRunStatus.FAILED and run.chunks_failed == 2
    assert run.job.status == JobStatus.FAILED and run.job.error_code == "forecast_failed"
    assert "KeyError" in run.job.error
    assert Notification.objects.filter(recipient=owner, event="job_failed").exists()


@pytest.mark.django_db
def test_a_chunk_recorded_once_is_not_counted_again_by_a_late_failure(merchant, small_chunks):
    store_with_sales(merchant, products=4)
    run = forecast_run_sync(merchant=merchant)

    assert not forecast_chunk_fail(run_id=run.pk, chunk=0, error="late duplicate")
    assert not forecast_run_finish(run_id=run.pk)

    run.refresh_from_db()
    assert (run.chunks_done, run.chunks_failed) == (2, 0) and run.error == ""
    assert ForecastRun.objects.get(pk=run.pk).status == ForecastRunStatus.SUCCEEDED


@pytest.mark.django_db
def test_plans_that_fail_leave_the_forecasts_and_make_the_run_partial(
    merchant, small_chunks, monkeypatch
):
    import forecasting.services.runs as runs

    products = store_with_sales(merchant, products=5)
    real = runs.plans_refresh

    def plans(*, merchant, product_ids, today):
        if products[0].pk in product_ids:
            raise ZeroDivisionError("lead time of zero")
        return real(merchant=merchant, product_ids=product_ids, today=today)

    monkeypatch.setattr(runs, "plans_refresh", plans)

    run = forecast_run_sync(merchant=merchant)

    assert run.status == ForecastRunStatus.PARTIAL
    assert (run.chunks_done, run.chunks_failed, run.sku_done) == (2, 0, 5)
    assert "Chunk 1: the inventory plan could not be refreshed" in run.error
    assert SkuForecast.objects.filter(run=run).count() == 5
    assert InventoryPlan.objects.filter(merchant=merchant).count() == 2
