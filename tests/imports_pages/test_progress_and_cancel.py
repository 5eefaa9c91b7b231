"""While an import is queued or running its page polls a status card with the job's progress
bar; the poll stops once it has finished. Cancelling ends a queued import at once."""

import pytest
from django.urls import reverse

from imports.models import ImportStatus
from jobs.models import Job, JobKind, JobStatus

from .factories import ImportBatchFactory, finished_batch

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def running(merchant, owner):
    job = Job.objects.create(
        merchant=merchant,
        kind=JobKind.IMPORT,
        title="Import of orders.csv",
        task_name="imports.tasks.import_run",
        status=JobStatus.RUNNING,
        progress_done=40_000,
        progress_total=100_000,
        started_by=owner,
    )
    return ImportBatchFactory(merchant=merchant, status=ImportStatus.RUNNING, job=job)


@pytest.mark.django_db
def test_a_running_import_shows_the_job_progress_and_keeps_polling(viewer_client, running):
    url = reverse("import-detail", kwargs={"batch_id": running.pk})
    page = viewer_client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'aria-valuenow="40"' in page
    assert "Cancel the import" not in page  # a viewer cannot cancel
    partial = viewer_client.get(url, **HTMX)
    assert partial.status_code == 200
    text = partial.content.decode()
    assert text.startswith('<div id="import-status"') and "<html" not in text


@pytest.mark.django_db
def test_the_poll_stops_once_the_import_has_finished(owner_client, merchant):
    batch = finished_batch(merchant=merchant)
    partial = owner_client.get(reverse("import-detail", kwargs={"batch_id": batch.pk}), **HTMX)
    assert partial.status_code == 286
    assert "hx-trigger" not in partial.content.decode()


@pytest.mark.django_db
def test_cancelling_a_running_import_asks_its_job_to_stop(owner_client, running):
    url = reverse("import-detail", kwargs={"batch_id": running.pk})
    assert "Cancel the import" in owner_client.get(url).content.decode()
    response = owner_client.post(reverse("import-cancel", kwargs={"batch_id": running.pk}))
    assert response["Location"] == url
    running.job.refresh_from_db()
    assert running.job.cancel_requested


@pytest.mark.django_db
def test_discarding_an_upload_waiting_for_its_mapping_cancels_it(owner_client, merchant):
    batch = ImportBatchFactory(merchant=merchant)
    response = owner_client.post(reverse("import-cancel", kwargs={"batch_id": batch.pk}))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    followed = owner_client.get(response["Location"]).content.decode()
    assert "The import was cancelled; nothing was loaded." in followed
    again = owner_client.post(reverse("import-cancel", kwargs={"batch_id": batch.pk}))
    followed = owner_client.get(again["Location"]).content.decode()
    assert "This import has already finished." in followed
