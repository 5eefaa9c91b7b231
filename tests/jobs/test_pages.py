"""The jobs list, a job's page, the polled partials and the header indicator."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from jobs.models import JobKind, JobStatus
from tests.factories import MembershipFactory, UserFactory

from .factories import JobFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def results(response) -> str:
    """The list's table, without the header indicator (which shows active jobs everywhere)."""
    page = response.content.decode()
    return page[page.index('id="job-results"') :]


@pytest.mark.django_db
def test_the_jobs_list_shows_the_merchants_jobs_with_progress_and_filters(
    owner_client, merchant, owner, other_merchant
):
    JobFactory(
        merchant=merchant,
        started_by=owner,
        title="Spring catalog import",
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=4,
    )
    JobFactory(
        merchant=merchant,
        kind=JobKind.FORECAST_RUN,
        title="Weekly forecast",
        status=JobStatus.SUCCEEDED,
        result_url="/products/",
    )
    JobFactory(merchant=other_merchant, title="Beta private import")

    page = owner_client.get(reverse("job-list")).content.decode()
    assert "Spring catalog import" in page and "Weekly forecast" in page
    assert "Beta private import" not in page
    assert 'aria-valuenow="75"' in page
    assert 'href="/products/"' in page
    assert 'hx-trigger="every 3s"' in page  # something runs: the table polls

    only_forecasts = results(owner_client.get(reverse("job-list"), {"kind": "forecast_run"}))
    assert "Weekly forecast" in only_forecasts
    assert "Spring catalog import" not in only_forecasts
    failed = owner_client.get(reverse("job-list"), {"status": "failed", "kind": "nonsense"})
    assert failed.status_code == 200 and "No job matches" in results(failed)


@pytest.mark.django_db
def test_the_list_can_show_only_the_jobs_one_member_started(owner_client, merchant, owner):
    colleague = UserFactory(username="carol")
    MembershipFactory(user=colleague, merchant=merchant, role=Role.ANALYST)
    JobFactory(merchant=merchant, started_by=owner, title="Alice's import")
    JobFactory(merchant=merchant, started_by=colleague, title="Carol's import")

    page = results(owner_client.get(reverse("job-list"), {"started_by": colleague.pk}))

    assert "Carol&#x27;s import" in page and "Alice&#x27;s import" not in page


@pytest.mark.django_db
def test_the_polled_list_stops_polling_when_nothing_on_it_runs(owner_client, merchant):
    JobFactory(merchant=merchant, status=JobStatus.SUCCEEDED)

    response = owner_client.get(reverse("job-list"), HTTP_HX_TRIGGER="job-table", **HTMX)

    assert response.status_code == 286
    assert "every 3s" not in response.content.decode()
    assert "<html" not in response.content.decode()


@pytest.mark.django_db
def test_a_job_page_shows_status_timings_result_and_error_escaped(owner_client, merchant, owner):
    job = JobFactory(
        merchant=merchant,
        started_by=owner,
        status=JobStatus.FAILED,
        progress_done=2,
        progress_total=5,
        result={"rows_accepted": 2, "note": "<script>alert(1)</script>"},
        result_url="javascript:alert(1)",
        error_code="bad_input",
        error="<b>row 3</b> has no SKU",
    )

    page = owner_client.get(reverse("job-detail", kwargs={"job_id": job.pk})).content.decode()

    assert "Rows accepted" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;row 3&lt;/b&gt;" in page
    assert "javascript:alert" not in page  # an unsafe result link is not rendered
    assert "bad_input" in page
    assert "Run again" in page  # the owner may restart it
    assert "every 3s" not in page  # finished: no polling


@pytest.mark.django_db
def test_a_running_jobs_page_polls_its_status_until_it_ends(owner_client, merchant):
    job = JobFactory(merchant=merchant, status=JobStatus.RUNNING, progress_total=10)
    detail = owner_client.get(reverse("job-detail", kwargs={"job_id": job.pk})).content.decode()
    progress_url = reverse("job-progress", kwargs={"job_id": job.pk})
    assert f'hx-get="{progress_url}"' in detail and "Cancel job" in detail

    assert owner_client.get(progress_url, **HTMX).status_code == 200
    job.status = JobStatus.SUCCEEDED
    job.save()
    final = owner_client.get(progress_url, **HTMX)
    assert final.status_code == 286
    assert "Succeeded" in final.content.decode()


@pytest.mark.django_db
def test_the_owner_cancels_a_queued_job_from_its_page(owner_client, merchant):
    job = JobFactory(merchant=merchant)

    response = owner_client.post(reverse("job-cancel", kwargs={"job_id": job.pk}), follow=True)

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert "was cancelled" in response.content.decode()


@pytest.mark.django_db
def test_a_viewer_sees_jobs_but_cannot_cancel_or_restart_them(viewer_client, merchant, owner):
    running = JobFactory(merchant=merchant, started_by=owner, status=JobStatus.RUNNING)
    failed = JobFactory(merchant=merchant, started_by=owner, status=JobStatus.FAILED)

    page = viewer_client.get(reverse("job-detail", kwargs={"job_id": running.pk}))
    assert page.status_code == 200 and "Cancel job" not in page.content.decode()

    cancel = viewer_client.post(reverse("job-cancel", kwargs={"job_id": running.pk}))
    retry = viewer_client.post(reverse("job-retry", kwargs={"job_id": failed.pk}))

    assert (cancel.status_code, retry.status_code) == (403, 403)
    running.refresh_from_db()
    assert not running.cancel_requested
    assert failed.__class__.objects.count() == 2


@pytest.mark.django_db
def test_a_viewer_may_cancel_a_job_they_started_themselves(viewer_client, merchant, viewer):
    job = JobFactory(merchant=merchant, kind=JobKind.EXPORT, started_by=viewer)

    response = viewer_client.post(reverse("job-cancel", kwargs={"job_id": job.pk}))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


@pytest.mark.django_db
def test_another_merchants_job_is_a_404_on_every_job_page(owner_client, other_merchant):
    job = JobFactory(merchant=other_merchant, title="Beta secret job", status=JobStatus.FAILED)
    for name in ("job-detail", "job-progress"):
        response = owner_client.get(reverse(name, kwargs={"job_id": job.pk}))
        assert response.status_code == 404, name
        assert "Beta secret job" not in response.content.decode()
    for name in ("job-cancel", "job-retry"):
        assert owner_client.post(reverse(name, kwargs={"job_id": job.pk})).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


@pytest.mark.django_db
def test_the_header_indicator_counts_active_jobs_and_polls_only_while_some_run(
    owner_client, merchant, other_merchant
):
    JobFactory(merchant=merchant, title="Running import", status=JobStatus.RUNNING)
    JobFactory(merchant=merchant, title="Queued forecast")
    JobFactory(merchant=merchant, title="Old import", status=JobStatus.SUCCEEDED)
    JobFactory(merchant=other_merchant, title="Beta import", status=JobStatus.RUNNING)

    page = owner_client.get(reverse("job-list")).content.decode()
    indicator = page[page.index('id="job-indicator"') : page.index("</li>", page.index("All jobs"))]
    assert "2 jobs in progress" in indicator
    assert "Running import" in indicator and "Queued forecast" in indicator
    assert "Old import" not in indicator and "Beta import" not in indicator
    assert f'hx-get="{reverse("job-indicator")}"' in indicator

    with CaptureQueriesContext(connection) as queries:
        polled = owner_client.get(reverse("job-indicator"), **HTMX)
    assert polled.status_code == 200
    assert 'id="job-indicator-badge" hx-swap-oob="true"' in polled.content.decode()
    job_queries = [q for q in queries if "jobs_job" in q["sql"]]
    assert len(job_queries) == 1


@pytest.mark.django_db
def test_the_indicator_stops_polling_when_no_job_is_active(owner_client, merchant):
    JobFactory(merchant=merchant, status=JobStatus.SUCCEEDED)

    page = owner_client.get(reverse("job-list")).content.decode()
    assert f'hx-get="{reverse("job-indicator")}"' not in page
    polled = owner_client.get(reverse("job-indicator"), **HTMX)
    assert polled.status_code == 286
    assert "No job in progress" in polled.content.decode()


@pytest.mark.django_db
def test_the_jobs_nav_link_is_active_on_job_pages(owner_client, merchant):
    job = JobFactory(merchant=merchant)
    jobs_link = re.compile(r'<a class="nav-link( active)?"[^>]*href="/jobs/"')

    detail = owner_client.get(reverse("job-detail", kwargs={"job_id": job.pk})).content.decode()
    elsewhere = owner_client.get(reverse("product-list")).content.decode()

    assert jobs_link.search(detail).group(1) == " active"
    assert jobs_link.search(elsewhere).group(1) is None


@pytest.mark.django_db
def test_a_job_page_lists_its_language_model_calls_once_they_are_linked(owner_client, merchant):
    from jobs.selectors import job_generation_logs_supported

    job = JobFactory(merchant=merchant, status=JobStatus.SUCCEEDED)
    page = owner_client.get(reverse("job-detail", kwargs={"job_id": job.pk}))
    assert page.status_code == 200
    if not job_generation_logs_supported():
        assert "Language model calls" not in page.content.decode()
        return
    from core.models import GenerationLog

    GenerationLog.objects.create(
        merchant=merchant,
        job=job,
        backend="fake",
        model="tiny-model-x",
        purpose="description",
        prompt_version="v7",
        prompt_tokens=120,
        output_tokens=80,
        latency_ms=431,
        status="error",
        error_code="timeout",
        error="<i>took too long</i>",
    )
    text = owner_client.get(reverse("job-detail", kwargs={"job_id": job.pk})).content.decode()
    assert "Language model calls" in text
    assert "tiny-model-x" in text and "v7" in text and "431 ms" in text
    assert "120 / 80" in text and "&lt;i&gt;took too long&lt;/i&gt;" in text
