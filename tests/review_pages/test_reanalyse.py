"""Starting a (re-)analysis from the portal: owners and managers only, through the backfill
service, back to the page it came from."""

import pytest
from django.urls import reverse

from jobs.models import Job, JobKind
from reviews.models import ReviewAnalysis

URL = reverse("review-reanalyse")


@pytest.mark.django_db
def test_an_owner_starts_the_analysis_of_the_waiting_reviews(owner_client, catalogue, merchant):
    response = owner_client.post(URL, {"next": reverse("review-insights")})
    assert response.status_code == 302
    assert response["Location"] == reverse("review-insights")
    job = Job.objects.get(merchant=merchant, kind=JobKind.REVIEW_BACKFILL)
    assert job.progress_total == 1  # the one review waiting
    assert job.task_kwargs == {"language": ""}
    assert not ReviewAnalysis.objects.filter(merchant=merchant, analyser_version="").exists()


@pytest.mark.django_db
def test_re_analyse_all_marks_every_analysis_outdated_and_starts_one_job(
    manager_client, catalogue, merchant, other_merchant
):
    manager_client.post(URL, {"force": "on"})
    job = Job.objects.get(merchant=merchant, kind=JobKind.REVIEW_BACKFILL)
    assert job.progress_total == 5
    assert ReviewAnalysis.objects.filter(merchant=merchant, analyser_version="").count() == 4
    # Beta's analyses are untouched, and Beta gets no job.
    assert not ReviewAnalysis.objects.filter(merchant=other_merchant, analyser_version="").exists()
    assert not Job.objects.filter(merchant=other_merchant).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_a_viewer_or_analyst_cannot_start_an_analysis(role_client, catalogue, merchant, role):
    response = role_client(role).post(URL, {"force": "on"})
    assert response.status_code == 403
    assert not Job.objects.filter(merchant=merchant).exists()
    assert not ReviewAnalysis.objects.filter(merchant=merchant, analyser_version="").exists()


@pytest.mark.django_db
def test_starting_an_analysis_needs_a_post(owner_client, catalogue, merchant):
    assert owner_client.get(URL).status_code == 405
    assert not Job.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_a_foreign_next_address_is_ignored(owner_client, catalogue):
    response = owner_client.post(URL, {"next": "https://evil.example/steal"})
    assert response["Location"] == reverse("review-list")


@pytest.mark.django_db
def test_an_unknown_language_starts_nothing(owner_client, catalogue, merchant):
    response = owner_client.post(URL, {"language": "klingon"})
    assert response.status_code == 302
    assert not Job.objects.filter(merchant=merchant).exists()


@pytest.mark.django_db
def test_a_running_analysis_shows_its_progress_and_hides_the_buttons(
    owner_client, catalogue, merchant
):
    owner_client.post(URL, {})
    html = owner_client.get(reverse("review-list")).content.decode()
    job = Job.objects.get(merchant=merchant)
    assert f'href="{reverse("job-detail", kwargs={"job_id": job.pk})}"' in html
    assert f'hx-get="{reverse("review-analysis-status")}' in html
    assert 'data-action="reanalyse-all"' not in html


@pytest.mark.django_db
def test_the_status_panel_renders_alone_for_htmx_polling(owner_client, catalogue):
    response = owner_client.get(reverse("review-analysis-status"), {"next": "/reviews/insights/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "4 of 5 reviews analysed" in html
    assert 'name="next" value="/reviews/insights/"' in html
