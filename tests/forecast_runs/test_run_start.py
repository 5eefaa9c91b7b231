"""Starting a run: what is refused (with a stable code) and what a start writes."""

import pytest
from django.core.exceptions import ValidationError

from forecasting.models import ForecastRun, ForecastRunStatus, Frequency
from forecasting.services.runs import RUN_TASK, forecast_run_start
from jobs.models import Job, JobKind, JobStatus
from tests.factories import ProductFactory

from .factories import product_with_sales


def codes_of(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.mark.django_db
def test_a_start_writes_a_queued_run_and_a_forecast_job_on_the_forecast_queue(
    merchant, owner, django_capture_on_commit_callbacks
):
    product_with_sales(merchant)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = forecast_run_start(merchant=merchant, started_by=owner)

    assert len(callbacks) == 1  # the job goes to the broker only after the commit
    run.refresh_from_db()
    assert run.status == ForecastRunStatus.QUEUED
    assert run.frequency == Frequency.DAILY and run.horizon == 28
    assert run.parameters["product_ids"] is None
    job = run.job
    assert (job.kind, job.task_name, job.queue) == (JobKind.FORECAST_RUN, RUN_TASK, "forecast")
    assert job.task_kwargs == {"run_id": run.pk}
    assert job.started_by == owner and job.status == JobStatus.QUEUED


@pytest.mark.django_db
def test_a_second_start_while_a_run_is_active_is_refused(merchant, owner):
    product_with_sales(merchant)
    forecast_run_start(merchant=merchant, started_by=owner)

    with pytest.raises(ValidationError) as raised:
        forecast_run_start(merchant=merchant, started_by=owner)

    assert raised.value.code == "run_active"
    assert ForecastRun.objects.filter(merchant=merchant).count() == 1
    assert Job.objects.filter(merchant=merchant).count() == 1


@pytest.mark.django_db
def test_a_run_whose_job_ended_no_longer_blocks_a_new_start(merchant, owner):
    product_with_sales(merchant)
    stuck = forecast_run_start(merchant=merchant, started_by=owner)
    Job.objects.filter(pk=stuck.job_id).update(status=JobStatus.FAILED)

    forecast_run_start(merchant=merchant, started_by=owner)

    stuck.refresh_from_db()
    assert stuck.status == ForecastRunStatus.FAILED and "job ended" in stuck.error


@pytest.mark.django_db
def test_a_store_without_sales_cannot_start_a_run(merchant):
    ProductFactory(merchant=merchant)

    with pytest.raises(ValidationError) as raised:
        forecast_run_start(merchant=merchant)

    assert raised.value.code == "no_sales"
    assert not ForecastRun.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_products_of_another_merchant_are_refused_as_unknown(merchant, other_merchant):
    mine = product_with_sales(merchant)
    theirs = product_with_sales(other_merchant)

    with pytest.raises(ValidationError) as raised:
        forecast_run_start(merchant=merchant, product_ids=[mine.pk, theirs.pk])

    assert codes_of(raised.value) == {"unknown_products"}
    assert str(theirs.pk) in str(raised.value)
    assert not ForecastRun.objects.exists()


@pytest.mark.django_db
def test_an_empty_selection_and_an_unknown_frequency_are_refused(merchant):
    product = product_with_sales(merchant)

    with pytest.raises(ValidationError) as empty:
        forecast_run_start(merchant=merchant, product_ids=[])
    with pytest.raises(ValidationError) as frequency:
        forecast_run_start(merchant=merchant, product_ids=[product.pk], frequency="M")

    assert codes_of(empty.value) == {"no_products"}
    assert frequency.value.code == "invalid_frequency"


@pytest.mark.django_db
def test_weekly_rows_make_a_weekly_run_with_the_horizon_in_weeks(merchant):
    product_with_sales(merchant, units=[40, 35, 50, 42, 38, 44, 41, 39, 45, 47], step=7)

    run = forecast_run_start(merchant=merchant)

    assert run.frequency == Frequency.WEEKLY and run.horizon == 4
