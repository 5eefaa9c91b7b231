"""Run history and run detail; starting a run from the portal, by role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.selectors import merchant_today
from forecasting.models import ForecastRun, ForecastRunStatus
from jobs.models import Job, JobKind, JobStatus
from tests.factories import DailySalesFactory, ProductFactory

from .factories import ForecastRunFactory

RUNS = reverse("forecast-run-list")
START = reverse("forecast-run-start")


def detail(run):
    return reverse("forecast-run-detail", kwargs={"run_id": run.pk})


@pytest.fixture
def sales(merchant):
    product = ProductFactory(merchant=merchant)
    today = merchant_today(merchant=merchant)
    for back in range(1, 15):
        DailySalesFactory(product=product, date=today - dt.timedelta(days=back), units=back % 4)
    return product


@pytest.fixture
def finished_run(merchant, owner):
    job = Job.objects.create(
        merchant=merchant,
        kind=JobKind.FORECAST_RUN,
        title="Forecast of all products",
        task_name="forecasting.tasks.forecast_run_execute",
        status=JobStatus.SUCCEEDED,
        started_by=owner,
        finished_at=timezone.now(),
    )
    return ForecastRunFactory(
        merchant=merchant,
        job=job,
        status=ForecastRunStatus.PARTIAL,
        chunks_total=3,
        chunks_done=2,
        chunks_failed=1,
        sku_total=15,
        sku_done=10,
        error="Chunk 3 of 3 (products 11 to 15) failed: MemoryError",
    )


@pytest.mark.django_db
def test_the_run_history_lists_status_products_chunks_duration_and_metrics(
    viewer_client, finished_run
):
    html = viewer_client.get(RUNS).content.decode()
    for text in ("partly failed", "10 / 15", "2 / 3", "1 failed", "14 s", "0.812", "0.734"):
        assert text in html, text
    assert detail(finished_run) in html
    assert "alice" in html  # who started it


@pytest.mark.django_db
def test_the_run_detail_shows_phases_metrics_models_errors_and_the_job(viewer_client, finished_run):
    html = viewer_client.get(detail(finished_run)).content.decode()
    for text in (
        "Back-testing the candidates",
        "7.5 s",  # backtest phase
        "14.0 s",  # wall
        "80.6%",  # coverage
        "occasional sales, Croston&#x27;s method",
        "7 products",
        "Chunk 3 of 3 (products 11 to 15) failed: MemoryError",
        reverse("job-detail", kwargs={"job_id": finished_run.job_id}),
        "lightgbm 4.6.0",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_an_active_run_polls_its_status_and_htmx_gets_the_partial(viewer_client, merchant):
    run = ForecastRunFactory(
        merchant=merchant,
        status=ForecastRunStatus.RUNNING,
        finished_at=None,
        metrics={},
        chosen_models={},
    )
    html = viewer_client.get(detail(run)).content.decode()
    assert 'hx-trigger="every 3s"' in html
    assert "Available when the run has finished." in html
    partial = viewer_client.get(detail(run), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="run-status"' in partial


@pytest.mark.django_db
def test_a_manager_starts_a_run_of_all_products(manager_client, manager, merchant, sales):
    response = manager_client.post(START)
    run = ForecastRun.objects.get(merchant=merchant)
    assert response.status_code == 302
    assert response["Location"] == detail(run)
    assert run.status == ForecastRunStatus.QUEUED and run.trigger == "manual"
    assert run.job.kind == JobKind.FORECAST_RUN and run.job.started_by == manager


@pytest.mark.django_db
def test_an_analyst_may_start_a_run_of_one_product(analyst_client, merchant, sales):
    response = analyst_client.post(START, {"product_id": sales.pk})
    run = ForecastRun.objects.get(merchant=merchant)
    assert response["Location"] == reverse("forecast-product", kwargs={"product_id": sales.pk})
    assert run.parameters["product_ids"] == [sales.pk]


@pytest.mark.django_db
def test_a_viewer_cannot_start_a_run_nor_sees_the_button(viewer_client, merchant, sales):
    assert "Run forecast now" not in viewer_client.get(RUNS).content.decode()
    assert viewer_client.post(START).status_code == 403
    assert not ForecastRun.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_a_second_start_while_a_run_is_active_is_refused_with_a_message(
    manager_client, merchant, sales
):
    manager_client.post(START)
    html = manager_client.post(START, follow=True).content.decode()
    assert ForecastRun.objects.filter(merchant=merchant).count() == 1
    assert "already in progress" in html
    assert "A forecast is running" in html  # the button became a link to the run


@pytest.mark.django_db
def test_a_store_without_sales_is_told_there_is_nothing_to_forecast(manager_client, merchant):
    html = manager_client.post(START, follow=True).content.decode()
    assert "no sales to forecast from" in html
    assert not ForecastRun.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_starting_a_run_of_another_merchants_product_is_not_found(
    manager_client, merchant, other_merchant, sales
):
    theirs = ProductFactory(merchant=other_merchant)
    assert manager_client.post(START, {"product_id": theirs.pk}).status_code == 404
    assert manager_client.post(START, {"product_id": "abc"}).status_code == 404
    assert not ForecastRun.objects.exists()


@pytest.mark.django_db
def test_another_merchants_run_is_not_found(viewer_client, other_merchant):
    theirs = ForecastRunFactory(merchant=other_merchant)
    assert viewer_client.get(detail(theirs)).status_code == 404
    assert "No forecast has run yet." in viewer_client.get(RUNS).content.decode()
