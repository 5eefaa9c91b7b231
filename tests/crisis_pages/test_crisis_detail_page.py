"""The crisis page: header, SLA, metrics, evidence charts, links, timeline, playbook, actions."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from crisis.models import CrisisEventKind, CrisisStatus, PlaybookStatus

from .factories import CrisisEventFactory, PlaybookFactory, playbook_sections


def _page(client, crisis) -> str:
    response = client.get(reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_header_shows_product_status_severity_money_owner_and_deadlines(
    viewer_client, crisis, manager
):
    crisis.owner = manager
    crisis.save()
    html = _page(viewer_client, crisis)
    assert crisis.title in html
    assert reverse("product-detail", kwargs={"product_id": crisis.product_id}) in html
    assert 'data-status="detected"' in html and ">Detected<" in html
    assert ">High</span>" in html
    assert "$6,200.00" in html
    assert "maria" in html
    assert "Acknowledge by" in html and "Resolve by" in html
    assert "not acknowledged yet" in html and "not resolved yet" in html


@pytest.mark.django_db
def test_links_lead_to_the_products_forecast_and_review_insights(viewer_client, crisis):
    html = _page(viewer_client, crisis)
    assert reverse("forecast-product", kwargs={"product_id": crisis.product_id}) in html
    assert reverse("review-product-insights", kwargs={"product_id": crisis.product_id}) in html


@pytest.mark.django_db
def test_a_breached_deadline_is_announced_as_an_alert(viewer_client, crisis):
    now = timezone.now()
    crisis.detected_at = now - dt.timedelta(hours=8)
    crisis.acknowledge_due_at = now - dt.timedelta(hours=4)
    crisis.save()
    html = _page(viewer_client, crisis)
    assert (
        'class="alert alert-danger d-flex gap-2 align-items-start sla-warning" role="alert"' in html
    )
    assert "Nobody has acknowledged this crisis" in html


@pytest.mark.django_db
def test_time_to_acknowledge_and_resolve_are_shown_once_known(viewer_client, crisis):
    crisis.acknowledged_at = crisis.detected_at + dt.timedelta(hours=1, minutes=30)
    crisis.resolved_at = crisis.detected_at + dt.timedelta(days=2, hours=3)
    crisis.status = CrisisStatus.RESOLVED
    crisis.postmortem_cause = "Supplier delay"
    crisis.save()
    html = _page(viewer_client, crisis)
    assert re.search(r'data-metric="acknowledge">\s*1 h 30 min', html)
    assert re.search(r'data-metric="resolve">\s*2 days 3 h', html)
    assert "Supplier delay" in html and "Post-mortem" in html


@pytest.mark.django_db
def test_each_alert_shows_its_evidence_chart_and_key_figures(viewer_client, crisis):
    html = _page(viewer_client, crisis)
    charts = re.findall(r'<script id="(evidence-\d+)" type="application/json">(.*?)</script>', html)
    assert len(charts) == 2
    kinds = {json.loads(data)["kind"] for _id, data in charts}
    assert kinds == {"stockout_risk", "review_surge"}
    assert "crisis/evidence_chart.js" in html and "vendor/plotly/plotly.min.js" in html
    assert "Chance of a fluke (p-value)" in html


@pytest.mark.django_db
def test_the_timeline_lists_events_with_who_and_links_to_alerts(viewer_client, crisis, manager):
    alert = crisis.alerts.first()
    CrisisEventFactory(
        crisis=crisis,
        kind=CrisisEventKind.ALERT_UPDATED,
        actor=manager,
        message="Alert acknowledged",
        data={"alert": alert.pk},
    )
    html = _page(viewer_client, crisis)
    assert "Alert acknowledged" in html and "maria" in html
    assert reverse("alert-detail", kwargs={"alert_id": alert.pk}) in html


@pytest.mark.django_db
def test_the_playbook_shows_statements_with_citations_as_links(viewer_client, crisis):
    alert = crisis.alerts.first()
    PlaybookFactory(
        crisis=crisis,
        sections=playbook_sections(
            what_happened=["Stock covers 4 days against a 35 day lead time."],
            likely_cause=["Complaints about leaking lids rose."],
            citations=[f"A{alert.pk}", "T7", "R12"],
        ),
        dropped=[{"text": "Sales will double", "reason": "a number the evidence does not state"}],
    )
    html = _page(viewer_client, crisis)
    assert "Stock covers 4 days against a 35 day lead time." in html
    assert f'href="{reverse("alert-detail", kwargs={"alert_id": alert.pk})}"' in html
    assert f'href="{reverse("review-topic", kwargs={"topic_id": 7})}"' in html
    assert f'href="{reverse("review-detail", kwargs={"review_id": 12})}"' in html
    assert "drafted by the language model" in html
    assert re.search(r"<details[^>]*playbook-dropped", html)
    assert "Sales will double" in html


@pytest.mark.django_db
def test_a_playbook_composed_from_the_evidence_says_so(viewer_client, crisis):
    PlaybookFactory(
        crisis=crisis,
        sections=playbook_sections(
            what_happened=["This crisis puts 6200 USD at risk."],
            likely_cause=["The evidence holds no explanation."],
            source="evidence",
        ),
    )
    html = _page(viewer_client, crisis)
    assert "composed from the evidence" in html
    assert "drafted by the language model" not in html


@pytest.mark.django_db
def test_a_playbook_being_drafted_shows_the_jobs_progress_and_polls(analyst_client, crisis):
    from jobs.models import Job, JobKind

    job = Job.objects.create(
        merchant=crisis.merchant,
        kind=JobKind.CRISIS_PLAYBOOK,
        title="Playbook",
        task_name="crisis.tasks.llm_playbook_generate",
    )
    PlaybookFactory(crisis=crisis, status=PlaybookStatus.GENERATING, sections={}, job=job)
    html = _page(analyst_client, crisis)
    assert "Drafting a playbook from the evidence" in html
    assert 'role="progressbar"' in html
    assert reverse("crisis-playbook-section", kwargs={"crisis_id": crisis.pk}) in html
    assert re.search(r"Draft a new playbook", html)
    assert re.search(r'type="submit" disabled>Draft a new playbook', html)


@pytest.mark.django_db
def test_the_polled_section_reloads_the_page_once_the_playbook_is_ready(analyst_client, playbook):
    url = reverse("crisis-playbook-section", kwargs={"crisis_id": playbook.crisis_id})
    response = analyst_client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
