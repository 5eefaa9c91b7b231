"""Scans run on Celery as `crisis_scan` jobs: started by a person, an import, a forecast run or
the hourly schedule, never two waiting for one merchant."""

import datetime as dt

import pytest
from django.utils import timezone

from crisis.models import Alert, AlertKind, CrisisSettings
from crisis.services import crisis_scan_start, crisis_scan_start_on_commit, crisis_settings_update
from crisis.services.scan import SCAN_TASK
from crisis.tasks import crisis_scans_scheduled
from forecasting.services.runs import forecast_run_start
from jobs.models import Job, JobKind, JobStatus
from tests.factories import MerchantFactory
from tests.forecast_runs.factories import product_with_sales

pytestmark = pytest.mark.django_db


def test_a_started_scan_is_a_job_on_the_default_queue_that_runs_the_scan(
    merchant, owner, on_commit
):
    with on_commit():
        job = crisis_scan_start(merchant=merchant, reason="manual", user=owner)

    job.refresh_from_db()
    assert (job.kind, job.queue, job.task_name) == (JobKind.CRISIS_SCAN, "default", SCAN_TASK)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.started_by == owner
    assert job.result["reason"] == "manual"
    assert {"findings", "opened", "updated", "resolved", "seconds"} <= set(job.result)
    assert CrisisSettings.objects.get(merchant=merchant).last_scan_at is not None


def test_a_second_start_while_one_is_queued_queues_nothing(merchant, owner):
    first = crisis_scan_start(merchant=merchant, reason="import")
    second = crisis_scan_start(merchant=merchant, reason="manual", user=owner)

    assert first is not None and second is None
    assert Job.objects.filter(kind=JobKind.CRISIS_SCAN).count() == 1


def test_scans_asked_for_by_two_imports_wait_for_the_commit_and_run_once(merchant, on_commit):
    with on_commit():
        crisis_scan_start_on_commit(merchant=merchant, reason="import")
        crisis_scan_start_on_commit(merchant=merchant, reason="import")
        assert not Job.objects.exists()  # nothing before the commit

    # The second found the first still queued: one scan, which ran.
    job = Job.objects.get(kind=JobKind.CRISIS_SCAN)
    assert job.status == JobStatus.SUCCEEDED
    assert job.task_kwargs == {"reason": "import"}


def test_the_hourly_schedule_scans_every_merchant_that_wants_it_once(merchant, other_merchant):
    quiet = MerchantFactory(slug="quiet")
    crisis_settings_update(merchant=quiet, scans_enabled=False)
    MerchantFactory(slug="closed", is_active=False)
    busy = MerchantFactory(slug="busy")
    Job.objects.create(
        merchant=busy,
        kind=JobKind.CRISIS_SCAN,
        title="Crisis scan",
        task_name=SCAN_TASK,
        status=JobStatus.RUNNING,
    )

    assert crisis_scans_scheduled.delay().get() == 2
    scheduled = Job.objects.filter(kind=JobKind.CRISIS_SCAN, status=JobStatus.QUEUED)
    assert sorted(job.merchant.slug for job in scheduled) == ["alpha", "beta"]
    assert {job.task_kwargs["reason"] for job in scheduled} == {"schedule"}
    # An hour later the first ones still wait (no worker): nothing is queued twice.
    assert crisis_scans_scheduled.delay().get() == 0


def test_the_end_of_a_forecast_run_queues_a_scan_that_sees_the_new_plan(merchant, owner, on_commit):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    product = product_with_sales(
        merchant, days=120, level=12.0, on_hand=10, lead_time_days=30, last_day=yesterday
    )

    with on_commit():
        run = forecast_run_start(merchant=merchant, started_by=owner)

    run.refresh_from_db()
    scan = Job.objects.get(kind=JobKind.CRISIS_SCAN)
    assert scan.task_kwargs == {"reason": "forecast"}
    assert scan.status == JobStatus.SUCCEEDED, scan.error
    assert scan.created_at >= run.job.finished_at
    alert = Alert.objects.get(merchant=merchant, product=product)
    assert alert.kind == AlertKind.STOCKOUT_RISK
