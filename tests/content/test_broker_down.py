"""Starting generation while the task queue is down: the operator is told, nothing is lost."""

import pytest
from django.urls import reverse

from jobs.models import Job, JobKind, JobStatus
from tests.factories import ProductFactory
from tests.jobs.broker import broker_down


@pytest.mark.django_db(transaction=True)
def test_generation_started_while_the_broker_is_down_is_kept_and_the_user_is_warned(
    owner_client, merchant
):
    product = ProductFactory(merchant=merchant)

    with broker_down():
        response = owner_client.post(
            reverse("content-generate", kwargs={"product_id": product.pk}),
            {"kind": "description", "language": "en", "candidates": 2},
        )
        studio = owner_client.get(response["Location"])

    job = Job.objects.get(merchant=merchant)
    assert response.status_code == 302
    assert job.kind == JobKind.CONTENT_GENERATE
    assert job.status == JobStatus.QUEUED and job.enqueued_at is None and job.enqueue_error
    assert studio.status_code == 200
    assert "the task queue is unreachable" in studio.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_202_and_says_the_job_waits_for_the_queue(owner_api, merchant):
    product = ProductFactory(merchant=merchant)

    with broker_down():
        response = owner_api.post(
            f"/api/v1/products/{product.pk}/content/generate/",
            {"kind": "description", "language": "en"},
            format="json",
        )

    assert response.status_code == 202
    assert response.json()["waiting_for_queue"] is True
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == JobStatus.QUEUED and job.enqueue_error
