"""With the broker down a started job is kept as queued, the user is told, pages still work;
once the broker is back the job is sent."""

import pytest
from django.urls import reverse

from jobs.models import Job, JobKind, JobStatus
from jobs.services import job_submit, jobs_dispatch_pending, jobs_sweep

from .broker import broker_down, filesystem_broker
from .factories import JobFactory


@pytest.mark.django_db
def test_a_job_started_while_the_broker_is_down_stays_queued_with_the_error(
    merchant, owner, on_commit
):
    with broker_down(), on_commit():
        job = job_submit(
            merchant=merchant,
            kind=JobKind.IMPORT,
            title="Import",
            task_name="tests.jobs.count_items",
            task_kwargs={"items": 2},
            started_by=owner,
        )

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.enqueued_at is None
    assert "refused" in job.enqueue_error.lower()
    assert job.waiting_for_queue


# Real commits (as in production, where views run in autocommit): the message is added when
# the job's transaction commits, before the response is sent.
@pytest.mark.django_db(transaction=True)
def test_the_user_is_warned_and_the_pages_keep_working_while_the_broker_is_down(
    owner_client, merchant, owner
):
    failed = JobFactory(merchant=merchant, started_by=owner, status=JobStatus.FAILED)

    with broker_down():
        response = owner_client.post(reverse("job-retry", kwargs={"job_id": failed.pk}))
        new_job = Job.objects.exclude(pk=failed.pk).get()
        assert response.status_code == 302
        assert response["Location"] == reverse("job-detail", kwargs={"job_id": new_job.pk})

        page = owner_client.get(response["Location"])
        listing = owner_client.get(reverse("job-list"))

    assert page.status_code == 200 and listing.status_code == 200
    text = page.content.decode()
    assert "the task queue is unreachable" in text  # the flash message
    assert "starts as soon as the queue is back" in text
    assert new_job.status == JobStatus.QUEUED and new_job.enqueue_error
    assert "Waiting for the task queue" in listing.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_job_started_while_the_broker_is_up_says_started(owner_client, merchant, owner):
    failed = JobFactory(merchant=merchant, started_by=owner, status=JobStatus.CANCELLED)

    response = owner_client.post(reverse("job-retry", kwargs={"job_id": failed.pk}), follow=True)

    assert response.status_code == 200
    # Eager in tests: the job ran before the message was written.
    assert "finished." in response.content.decode()


@pytest.mark.django_db
def test_jobs_kept_while_the_broker_was_down_are_sent_when_it_is_back(merchant, tmp_path):
    first = JobFactory(merchant=merchant)
    second = JobFactory(merchant=merchant)
    with broker_down():
        assert jobs_dispatch_pending() == 0  # stops at the first refusal
    first.refresh_from_db()
    assert first.waiting_for_queue

    with filesystem_broker(tmp_path) as folder:
        assert jobs_sweep().dispatched == 2

    for job in (first, second):
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED  # on the broker now, waiting for a worker
        assert job.enqueued_at is not None and job.enqueue_error == ""
        assert job.celery_task_id
    assert len(list(folder.iterdir())) == 2
