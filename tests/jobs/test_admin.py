"""The jobs admin: filters and search, read-only rows, and the two actions."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jobs.models import Job, JobStatus

from .factories import JobFactory


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123-xyz")
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_the_admin_lists_jobs_with_filters_and_search(admin_client, merchant):
    JobFactory(merchant=merchant, title="Needle import", status=JobStatus.FAILED)
    JobFactory(merchant=merchant, title="Haystack import")
    url = reverse("admin:jobs_job_changelist")

    page = admin_client.get(url, {"q": "needle", "status__exact": "failed"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "Needle import" in text and "Haystack import" not in text
    job = Job.objects.get(title="Needle import")
    detail = admin_client.get(reverse("admin:jobs_job_change", args=[job.pk]))
    assert detail.status_code == 200
    assert 'name="title"' not in detail.content.decode()  # rows are read-only here


@pytest.mark.django_db
def test_admin_actions_cancel_and_send_jobs_again(admin_client, merchant, on_commit):
    queued = JobFactory(merchant=merchant)
    failed = JobFactory(merchant=merchant, status=JobStatus.FAILED, task_kwargs={"items": 1})
    url = reverse("admin:jobs_job_changelist")

    admin_client.post(url, {"action": "cancel_jobs", "_selected_action": [queued.pk]})
    queued.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED

    with on_commit():
        admin_client.post(url, {"action": "send_again", "_selected_action": [failed.pk]})
    again = Job.objects.exclude(pk__in=[queued.pk, failed.pk]).get()
    assert again.status == JobStatus.SUCCEEDED and again.task_kwargs == {"items": 1}


@pytest.mark.django_db
def test_send_again_resends_a_queued_job_under_a_new_task_id(admin_client, merchant):
    stuck = JobFactory(
        merchant=merchant, celery_task_id="lost-message", enqueued_at="2026-01-01T00:00Z"
    )

    admin_client.post(
        reverse("admin:jobs_job_changelist"),
        {"action": "send_again", "_selected_action": [stuck.pk]},
    )

    stuck.refresh_from_db()
    assert stuck.status == JobStatus.SUCCEEDED  # eager here: sent and run
    assert stuck.celery_task_id != "lost-message"
