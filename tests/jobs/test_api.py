"""GET /api/v1/jobs/, GET /api/v1/jobs/{id}/, POST .../cancel/ and .../retry/."""

import pytest

from jobs.models import Job, JobKind, JobStatus
from tests.api.support import error_of

from .factories import JobFactory

LIST = "/api/v1/jobs/"


def detail(job) -> str:
    return f"/api/v1/jobs/{job.pk}/"


@pytest.mark.django_db
def test_a_job_answers_with_status_progress_timings_result_and_error(api, merchant, owner):
    job = JobFactory(
        merchant=merchant,
        started_by=owner,
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=12,
        progress_message="Row 3 of 12",
        result={"accepted": 3},
        result_url="/products/",
    )

    body = api.get(detail(job)).json()

    assert body["id"] == job.pk and body["uuid"] == str(job.uuid)
    assert (body["kind"], body["status"], body["status_label"]) == ("import", "running", "Running")
    assert (body["progress_done"], body["progress_total"], body["percent"]) == (3, 12, 25)
    assert body["message"] == "Row 3 of 12"
    assert body["started_by"] == "alice"
    assert body["result"] == {"accepted": 3} and body["result_url"] == "/products/"
    assert body["error"] == "" and body["error_code"] == ""
    assert body["page_url"] == f"/jobs/{job.pk}/"
    assert {"created_at", "started_at", "finished_at", "duration_seconds"} <= set(body)
    assert body["waiting_for_queue"] is False and body["cancel_requested"] is False


@pytest.mark.django_db
def test_the_job_list_is_paginated_and_filters_by_kind_and_status(api, merchant, other_merchant):
    JobFactory(merchant=merchant, kind=JobKind.IMPORT, status=JobStatus.FAILED)
    JobFactory(merchant=merchant, kind=JobKind.FORECAST_RUN, status=JobStatus.SUCCEEDED)
    JobFactory(merchant=merchant, kind=JobKind.FORECAST_RUN, status=JobStatus.RUNNING)
    JobFactory(merchant=other_merchant, kind=JobKind.FORECAST_RUN)

    everything = api.get(LIST).json()
    assert everything["count"] == 3 and {"next", "previous", "results"} <= set(everything)

    forecasts = api.get(LIST, {"kind": "forecast_run"}).json()
    assert [row["kind"] for row in forecasts["results"]] == ["forecast_run", "forecast_run"]
    running = api.get(LIST, {"kind": "forecast_run", "status": "running"}).json()
    assert running["count"] == 1
    assert api.get(LIST, {"active": "true"}).json()["count"] == 1
    assert api.get(LIST, {"active": "false"}).json()["count"] == 2
    second_page = api.get(LIST, {"page_size": 2, "page": 2}).json()
    assert len(second_page["results"]) == 1


@pytest.mark.django_db
def test_an_unknown_filter_value_is_a_400_with_the_error_shape(api, merchant):
    response = api.get(LIST, {"status": "exploded"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


@pytest.mark.django_db
def test_another_merchants_job_is_a_404_on_every_job_endpoint(api, other_merchant):
    job = JobFactory(merchant=other_merchant, title="Beta secret")
    for response in (
        api.get(detail(job)),
        api.post(detail(job) + "cancel/"),
        api.post(detail(job) + "retry/"),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
        assert "Beta secret" not in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


@pytest.mark.django_db
def test_the_owner_cancels_a_running_job_through_the_api(api, merchant):
    job = JobFactory(merchant=merchant, status=JobStatus.RUNNING)

    response = api.post(detail(job) + "cancel/")

    assert response.status_code == 200
    assert response.json()["cancel_requested"] is True
    assert response.json()["status"] == "running"  # it stops at its next progress report


@pytest.mark.django_db
def test_cancelling_a_finished_job_is_a_409_conflict(api, merchant):
    job = JobFactory(merchant=merchant, status=JobStatus.SUCCEEDED)
    response = api.post(detail(job) + "cancel/")
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


@pytest.mark.django_db
def test_a_viewer_reads_jobs_but_may_not_cancel_or_retry_them(viewer_api, merchant, owner):
    running = JobFactory(merchant=merchant, started_by=owner, status=JobStatus.RUNNING)
    failed = JobFactory(merchant=merchant, started_by=owner, status=JobStatus.FAILED)

    assert viewer_api.get(detail(running)).status_code == 200
    for response in (
        viewer_api.post(detail(running) + "cancel/"),
        viewer_api.post(detail(failed) + "retry/"),
    ):
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
    running.refresh_from_db()
    assert not running.cancel_requested
    assert Job.objects.count() == 2


@pytest.mark.django_db
def test_retrying_a_failed_job_creates_a_new_one(
    api, merchant, owner, django_capture_on_commit_callbacks
):
    failed = JobFactory(merchant=merchant, status=JobStatus.FAILED, task_kwargs={"items": 2})

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(detail(failed) + "retry/")

    assert response.status_code == 201
    new_job = Job.objects.get(pk=response.json()["id"])
    assert new_job.pk != failed.pk and new_job.started_by == owner
    assert new_job.task_kwargs == {"items": 2}
    assert api.post(detail(new_job) + "retry/").status_code in (201, 409)


@pytest.mark.django_db
def test_retrying_a_queued_job_is_a_409(api, merchant):
    response = api.post(detail(JobFactory(merchant=merchant)) + "retry/")
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


@pytest.mark.django_db
def test_the_jobs_endpoints_are_in_the_api_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/jobs/", "/api/v1/jobs/{job_id}/", "/api/v1/jobs/{job_id}/cancel/"} <= set(
        schema["paths"]
    )
    assert "409" in schema["paths"]["/api/v1/jobs/{job_id}/retry/"]["post"]["responses"]
