"""A job's row follows its task: submit, run (eagerly here), finish, fail, retry, cancel."""

import pytest

from jobs.models import Job, JobKind, JobStatus
from jobs.services import (
    JobStateError,
    job_begin,
    job_cancel,
    job_dispatch,
    job_progress,
    job_retry,
    job_submit,
    job_succeed,
)

from .factories import JobFactory


def submit(merchant, owner, task_name, on_commit, total=None, **task_kwargs) -> Job:
    with on_commit():
        job = job_submit(
            merchant=merchant,
            kind=JobKind.IMPORT,
            title="Catalog import",
            started_by=owner,
            task_name=task_name,
            task_kwargs=task_kwargs,
            total=total,
        )
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_submitted_job_runs_and_succeeds_with_progress_at_its_total(merchant, owner, on_commit):
    job = submit(merchant, owner, "tests.jobs.count_items", on_commit, items=4)

    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert job.result == {"counted": 4, "label": "<b>bold</b>"}
    assert job.result_url == "/jobs/"
    assert job.started_by == owner
    assert job.attempts == 1
    assert job.started_at <= job.finished_at
    assert job.celery_task_id == str(job.uuid)
    assert job.enqueued_at is not None and job.enqueue_error == ""


@pytest.mark.django_db
def test_a_job_is_sent_to_the_queue_its_task_is_routed_to(merchant, owner):
    job = job_submit(
        merchant=merchant,
        kind=JobKind.CONTENT_BULK,
        title="Bulk",
        task_name="products.content.tasks.llm_bulk_generate",
    )
    assert job.queue == "llm"
    assert JobFactory(task_name="tests.jobs.count_items").queue == "default"


@pytest.mark.django_db
def test_a_job_whose_task_raises_fails_with_the_error_and_its_code(merchant, owner, on_commit):
    job = submit(merchant, owner, "tests.jobs.broken", on_commit)

    assert job.status == JobStatus.FAILED
    assert job.error_code == "bad_input"
    assert "BadInput: row 3 has no SKU" in job.error
    assert job.finished_at is not None
    assert job.progress_done == 1


@pytest.mark.django_db
def test_a_transient_error_is_retried_then_the_job_fails(merchant, owner, on_commit):
    job = submit(merchant, owner, "tests.jobs.flaky", on_commit)

    assert job.status == JobStatus.FAILED
    assert job.error_code == "transient_error"
    assert "upstream timed out" in job.error
    # max_retries=2: the first run and two retries, the last one seeing retries == 2.
    assert job.result == {"retries_seen": 2}
    assert job.attempts == 3


@pytest.mark.django_db
def test_a_finished_job_notifies_whoever_started_it(merchant, owner, on_commit):
    from notifications.models import Notification

    job = submit(merchant, owner, "tests.jobs.count_items", on_commit, items=1)

    assert Notification.objects.filter(recipient=owner, merchant=merchant).exists(), job


@pytest.mark.django_db
def test_cancelling_a_queued_job_ends_it_and_its_message_does_nothing(merchant, owner):
    job = job_submit(
        merchant=merchant,
        kind=JobKind.IMPORT,
        title="Import",
        task_name="tests.jobs.count_items",
        task_kwargs={"items": 2},
    )  # not committed: still queued, never sent

    job = job_cancel(job=job)

    assert job.status == JobStatus.CANCELLED and job.finished_at is not None
    assert job_dispatch(job_id=job.pk) is False
    assert job_begin(job_id=job.pk, task_id=str(job.uuid)) is None
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.attempts == 0


@pytest.mark.django_db
def test_a_running_job_stops_at_its_next_progress_report_after_a_cancel(merchant, owner, on_commit):
    job = submit(merchant, owner, "tests.jobs.cancelled_while_running", on_commit)

    assert job.status == JobStatus.CANCELLED
    assert job.cancel_requested
    assert job.progress_done == 2  # the report that saw the cancel is still recorded
    assert job.error == ""


@pytest.mark.django_db
def test_cancelling_a_finished_job_is_refused():
    job = JobFactory(status=JobStatus.SUCCEEDED)
    with pytest.raises(JobStateError):
        job_cancel(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and not job.cancel_requested


@pytest.mark.django_db
def test_a_stale_redelivery_with_another_task_id_does_nothing(merchant):
    job = JobFactory(merchant=merchant, celery_task_id="current-id")

    assert job_begin(job_id=job.pk, task_id="an-old-message") is None
    job.refresh_from_db()
    assert (job.status, job.attempts, job.started_at) == (JobStatus.QUEUED, 0, None)

    assert job_begin(job_id=job.pk, task_id="current-id") is not None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)


@pytest.mark.django_db
def test_a_duplicate_message_does_not_start_a_job_a_live_worker_runs(merchant):
    job = JobFactory(merchant=merchant, celery_task_id="the-id")
    assert job_begin(job_id=job.pk, task_id="the-id") is not None

    assert job_begin(job_id=job.pk, task_id="the-id") is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)


@pytest.mark.django_db
def test_writes_of_a_worker_the_job_was_taken_from_change_nothing(merchant):
    job = JobFactory(merchant=merchant, status=JobStatus.RUNNING, celery_task_id="new-run")

    assert job_progress(job_id=job.pk, done=2, total=3, task_id="old-run") is True
    assert job_succeed(job_id=job.pk, result={"x": 1}, task_id="old-run") is False
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == (JobStatus.RUNNING, 0, None)


@pytest.mark.django_db
def test_chunks_advancing_one_job_add_up_and_never_pass_the_total(merchant, owner, on_commit):
    job = submit(merchant, owner, "tests.jobs.chunked", on_commit, chunk_sizes=[3, 4], expected=10)
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress_done == 10  # success fills the bar

    running = JobFactory(merchant=merchant, status=JobStatus.RUNNING, progress_total=10)
    for size in (4, 4):
        job_progress(job_id=running.pk, advance=size)
    running.refresh_from_db()
    assert running.progress_done == 8
    job_progress(job_id=running.pk, advance=5)
    running.refresh_from_db()
    assert running.progress_done == 10


@pytest.mark.django_db
def test_progress_is_clamped_to_a_total_and_a_smaller_total_pulls_it_down(merchant):
    job = JobFactory(merchant=merchant, status=JobStatus.RUNNING)

    job_progress(job_id=job.pk, done=50, total=20, message="x" * 400)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, len(job.progress_message)) == (20, 20, 300)

    job_progress(job_id=job.pk, total=5)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (5, 5)

    job_progress(job_id=job.pk, done=-3)
    job.refresh_from_db()
    assert job.progress_done == 0


@pytest.mark.django_db
def test_progress_without_a_total_counts_freely(merchant):
    job = JobFactory(merchant=merchant, status=JobStatus.RUNNING)
    job_progress(job_id=job.pk, advance=7)
    job_progress(job_id=job.pk, advance=7)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.percent) == (14, None, None)


@pytest.mark.django_db
def test_a_failed_job_runs_again_as_a_new_job_with_the_same_arguments(
    merchant, owner, viewer, on_commit
):
    failed = JobFactory(
        merchant=merchant,
        started_by=owner,
        status=JobStatus.FAILED,
        task_kwargs={"items": 2},
        progress_total=2,
    )
    with on_commit():
        again = job_retry(job=failed, started_by=viewer)
    again.refresh_from_db()

    assert again.pk != failed.pk
    assert again.status == JobStatus.SUCCEEDED
    assert again.started_by == viewer
    assert again.task_kwargs == {"items": 2}


@pytest.mark.django_db
@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED])
def test_only_failed_or_cancelled_jobs_can_run_again(status):
    with pytest.raises(JobStateError):
        job_retry(job=JobFactory(status=status))
    assert Job.objects.count() == 1
