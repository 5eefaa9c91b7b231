"""The sweeper ends or resends what dead workers left behind and sends what the broker missed."""

import datetime as dt

import pytest
from django.utils import timezone

from jobs.models import JobStatus
from jobs.services import job_begin, jobs_sweep
from jobs.tasks import jobs_sweep_stale

from .factories import JobFactory

LONG_AGO = dt.timedelta(hours=1)


def stale_running(**fields):
    started = timezone.now() - LONG_AGO
    fields.setdefault("attempts", 1)
    return JobFactory(
        status=JobStatus.RUNNING,
        started_at=started,
        heartbeat_at=started,
        enqueued_at=started,
        progress_total=3,
        progress_done=2,
        **fields,
    )


@pytest.mark.django_db
def test_a_stale_idempotent_job_is_sent_again_and_the_old_message_can_no_longer_run_it(
    merchant,
):
    job = stale_running(merchant=merchant, celery_task_id="first-run", idempotent=True)

    report = jobs_sweep()

    assert (report.requeued, report.failed, report.dispatched) == (1, 0, 1)
    job.refresh_from_db()
    # Sent again (eagerly run here): a second start, under a new Celery id.
    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2
    assert job.celery_task_id.startswith(str(job.uuid)) and job.celery_task_id != "first-run"
    assert job_begin(job_id=job.pk, task_id="first-run") is None


@pytest.mark.django_db
def test_a_stale_job_that_is_not_safe_to_rerun_fails_as_worker_lost(merchant):
    job = stale_running(merchant=merchant, idempotent=False)

    report = jobs_sweep()

    assert (report.requeued, report.failed) == (0, 1)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_code == "worker_lost"
    assert job.finished_at is not None


@pytest.mark.django_db
def test_a_stale_job_out_of_attempts_fails(merchant, settings):
    settings.JOBS_MAX_ATTEMPTS = 3
    job = stale_running(merchant=merchant, attempts=3)

    jobs_sweep()

    job.refresh_from_db()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "worker_lost")


@pytest.mark.django_db
def test_a_stale_job_whose_cancel_was_requested_is_cancelled(merchant):
    job = stale_running(merchant=merchant, cancel_requested=True)

    jobs_sweep()

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


@pytest.mark.django_db
def test_the_sweeper_leaves_running_jobs_with_a_recent_heartbeat_alone(merchant, settings):
    settings.JOBS_STALE_AFTER = 180
    now = timezone.now()
    fresh = JobFactory(
        merchant=merchant,
        status=JobStatus.RUNNING,
        started_at=now - LONG_AGO,
        heartbeat_at=now - dt.timedelta(seconds=60),
        attempts=1,
        enqueued_at=now,
    )
    finished = JobFactory(
        merchant=merchant,
        status=JobStatus.SUCCEEDED,
        heartbeat_at=now - LONG_AGO,
        finished_at=now - LONG_AGO,
    )
    sent = JobFactory(merchant=merchant, enqueued_at=now - LONG_AGO, celery_task_id="x")

    assert jobs_sweep() == type(jobs_sweep())(requeued=0, failed=0, dispatched=0)

    for job, status in ((fresh, JobStatus.RUNNING), (finished, JobStatus.SUCCEEDED)):
        job.refresh_from_db()
        assert job.status == status
    sent.refresh_from_db()
    assert (sent.status, sent.celery_task_id) == (JobStatus.QUEUED, "x")


@pytest.mark.django_db
def test_the_beat_task_sends_queued_jobs_that_never_reached_the_broker(merchant):
    job = JobFactory(merchant=merchant, enqueue_error="Connection refused")

    assert jobs_sweep_stale() == {"requeued": 0, "failed": 0, "dispatched": 1}

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.enqueue_error == ""


@pytest.mark.django_db
def test_a_redelivered_message_of_a_lost_worker_follows_the_sweepers_rule(merchant):
    rerun = stale_running(merchant=merchant, celery_task_id="m1", idempotent=True)
    once_only = stale_running(merchant=merchant, celery_task_id="m2", idempotent=False)

    assert job_begin(job_id=rerun.pk, task_id="m1") is not None
    assert job_begin(job_id=once_only.pk, task_id="m2") is None

    rerun.refresh_from_db()
    once_only.refresh_from_db()
    assert (rerun.status, rerun.attempts, rerun.progress_done) == (JobStatus.RUNNING, 2, 0)
    assert (once_only.status, once_only.error_code) == (JobStatus.FAILED, "worker_lost")
