"""A run split into chunks: every chunk's rows, the run's totals, the job and its notice."""

import datetime as dt

import numpy as np
import pytest
from django.db.models import Count

from forecasting.models import ForecastRunStatus, Frequency, InventoryPlan, SkuForecast
from forecasting.services.runs import forecast_run_start, forecast_run_sync
from jobs.models import JobStatus
from notifications.models import Notification

from .factories import LAST_DAY, product_with_sales, store_with_sales


@pytest.mark.django_db
def test_a_run_in_chunks_forecasts_every_product_and_finishes_its_job(
    merchant, owner, on_commit, small_chunks
):
    products = store_with_sales(merchant, products=8)

    with on_commit():
        run = forecast_run_start(merchant=merchant, started_by=owner)

    run.refresh_from_db()
    assert run.status == ForecastRunStatus.SUCCEEDED
    assert (run.chunks_total, run.chunks_done, run.chunks_failed) == (3, 3, 0)
    assert (run.sku_total, run.sku_done) == (8, 8)
    assert [chunk["skus"] for chunk in run.parameters["chunks"]] == [3, 3, 2]
    assert all(chunk["status"] == "done" for chunk in run.parameters["chunks"])
    assert run.forecast_start == LAST_DAY + dt.timedelta(days=1)
    assert run.parameters["end_date"] == LAST_DAY.isoformat()
    assert sum(run.chosen_models.values()) == 8
    assert {"mase", "rmsse", "bias", "coverage"} <= set(run.metrics)
    assert run.metrics["skus"] == 8
    assert run.timings["load"] > 0 and run.timings["save"] > 0 and "wall" in run.timings
    assert run.model_versions
    assert run.error == ""

    forecasts = SkuForecast.objects.filter(run=run)
    assert sorted(forecasts.values_list("product_id", flat=True)) == sorted(p.pk for p in products)
    first = forecasts.first()
    assert first.start_date == run.forecast_start
    assert set(first.quantiles) == {"0.1", "0.5", "0.9"}
    assert all(len(path) == 28 for path in first.quantiles.values())
    assert InventoryPlan.objects.filter(merchant=merchant).count() == 8

    job = run.job
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (8, 8)
    assert job.result["forecast"] == 8 and job.result["chunks_failed"] == 0
    notice = Notification.objects.get(recipient=owner, event="job_succeeded")
    assert job.title in notice.title


@pytest.mark.django_db
def test_a_new_run_makes_its_rows_current_and_keeps_the_old_ones(merchant, small_chunks):
    products = store_with_sales(merchant, products=5)
    first = forecast_run_sync(merchant=merchant)
    second = forecast_run_sync(merchant=merchant)

    assert first.status == second.status == ForecastRunStatus.SUCCEEDED
    current = SkuForecast.objects.filter(product__in=products, is_current=True)
    assert set(current.values_list("run_id", flat=True)) == {second.pk}
    per_product = current.values("product").annotate(n=Count("pk"))
    assert {row["n"] for row in per_product} == {1} and len(per_product) == 5
    assert SkuForecast.objects.filter(run=first, is_current=False).count() == 5
    plans = InventoryPlan.objects.filter(merchant=merchant)
    assert set(plans.values_list("forecast__run_id", flat=True)) == {second.pk}


@pytest.mark.django_db
def test_a_run_of_some_products_touches_only_those(merchant, small_chunks):
    products = store_with_sales(merchant, products=6)
    everything = forecast_run_sync(merchant=merchant)

    some = forecast_run_sync(merchant=merchant, product_ids=[products[1].pk, products[4].pk])

    assert (some.sku_total, some.chunks_total) == (2, 1)
    current = dict(SkuForecast.objects.filter(is_current=True).values_list("product_id", "run_id"))
    assert current[products[1].pk] == current[products[4].pk] == some.pk
    assert [current[p.pk] for p in (products[0], products[2], products[3], products[5])] == [
        everything.pk
    ] * 4


@pytest.mark.django_db
def test_weekly_sales_are_forecast_by_the_week_and_planned_by_the_day(merchant):
    rng = np.random.default_rng(5)
    products = [
        product_with_sales(
            merchant, units=rng.poisson(level, size=104), step=7, on_hand=30, sku=f"WK-{level}"
        )
        for level in (20, 60)
    ]

    run = forecast_run_sync(merchant=merchant, today=LAST_DAY + dt.timedelta(days=1))

    assert run.status == ForecastRunStatus.SUCCEEDED and run.frequency == Frequency.WEEKLY
    forecast = SkuForecast.objects.get(product=products[1], is_current=True)
    assert forecast.frequency == Frequency.WEEKLY and forecast.start_date == run.forecast_start
    assert all(len(path) == 4 for path in forecast.quantiles.values())
    plan = InventoryPlan.objects.get(product=products[1])
    assert 5 < plan.mean_daily_demand < 15  # about 60 a week
