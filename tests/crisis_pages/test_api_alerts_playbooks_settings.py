"""The alerts, playbooks, actions, settings and scans API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from crisis.models import ActionStatus, AlertKind, AlertStatus, CrisisSettings, PlaybookStatus
from jobs.models import JobKind
from tests.factories import ProductFactory

from .factories import AlertFactory

API = "/api/v1/"


@pytest.mark.django_db
def test_alerts_are_listed_money_at_risk_first_with_filters(viewer_api, merchant):
    product = ProductFactory(merchant=merchant, sku="K-1")
    small = AlertFactory(product=product, kind=AlertKind.OVERSTOCK, money_at_risk=Decimal("5"))
    big = AlertFactory(product=ProductFactory(merchant=merchant), money_at_risk=Decimal("900"))
    gone = AlertFactory(product=product, status=AlertStatus.RESOLVED)
    body = viewer_api.get(f"{API}alerts/").json()
    assert [row["id"] for row in body["results"]] == [big.pk, small.pk]
    assert body["results"][0]["snoozed"] is False
    assert [r["id"] for r in viewer_api.get(f"{API}alerts/?kind=overstock").json()["results"]] == [
        small.pk
    ]
    assert [
        r["id"] for r in viewer_api.get(f"{API}alerts/?sku=K-1&status=resolved").json()["results"]
    ] == [gone.pk]
    assert viewer_api.get(f"{API}alerts/?kind=flood").status_code == 400
    assert viewer_api.get(f"{API}alerts/{big.pk}/").json()["evidence"]["lead_time_days"] == 10


@pytest.mark.django_db
def test_alerts_are_acknowledged_snoozed_and_resolved_by_responders(
    analyst_api, viewer_api, merchant
):
    alert = AlertFactory(product=ProductFactory(merchant=merchant))
    url = f"{API}alerts/{alert.pk}/"
    assert viewer_api.post(url + "acknowledge/").status_code == 403
    response = analyst_api.post(url + "acknowledge/")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    response = analyst_api.post(url + "snooze/", {"days": 3}, format="json")
    assert response.status_code == 200 and response.json()["snoozed"] is True
    until = (timezone.now() + dt.timedelta(days=2)).isoformat()
    assert analyst_api.post(url + "snooze/", {"until": until}, format="json").status_code == 200
    for bad in ({}, {"days": 0}, {"days": 3, "until": until}, {"until": "2001-01-01T00:00:00Z"}):
        response = analyst_api.post(url + "snooze/", bad, format="json")
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid"
    response = analyst_api.post(url + "resolve/")
    assert response.status_code == 200 and response.json()["resolution"] == "manual"
    response = analyst_api.post(url + "resolve/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "alert_resolved"


@pytest.mark.django_db
def test_requesting_a_playbook_answers_202_with_the_job(analyst_api, viewer_api, crisis):
    url = f"{API}crises/{crisis.pk}/playbooks/"
    assert viewer_api.post(url).status_code == 403
    response = analyst_api.post(url)
    assert response.status_code == 202
    job = response.json()
    assert job["kind"] == JobKind.CRISIS_PLAYBOOK and job["page_url"] == f"/jobs/{job['id']}/"
    again = analyst_api.post(url)
    assert again.status_code == 409 and again.json()["error"]["code"] == "playbook_running"
    playbooks = viewer_api.get(url).json()["results"]
    assert [p["status"] for p in playbooks] == [PlaybookStatus.GENERATING]


@pytest.mark.django_db
def test_a_ready_playbook_lists_its_sections_and_source(viewer_api, playbook):
    body = viewer_api.get(f"{API}crises/{playbook.crisis_id}/playbooks/").json()["results"][0]
    assert body["source"] == "model"
    assert body["sections"]["statements"]["what_happened"][0]["text"].startswith("Stock runs out")


@pytest.mark.django_db
def test_actions_are_proposed_then_approved_or_rejected_by_managers(
    analyst_api, manager_api, crisis
):
    url = f"{API}crises/{crisis.pk}/actions/"
    response = analyst_api.post(
        url, {"kind": "reorder", "title": "Order 200", "params": {"units": 200}}, format="json"
    )
    assert response.status_code == 201
    action = response.json()
    assert action["status"] == ActionStatus.PROPOSED and action["params"]["units"] == 200
    bad = analyst_api.post(url, {"kind": "reorder", "title": "x", "params": {}}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_action"
    assert (
        analyst_api.post(url, {"kind": "teleport", "title": "x"}, format="json").status_code == 400
    )
    approve = f"{API}crisis-actions/{action['id']}/approve/"
    assert analyst_api.post(approve).status_code == 403
    response = manager_api.post(approve)
    assert response.status_code == 200
    assert response.json()["status"] == ActionStatus.APPLIED
    assert "purchase_suggestion" in response.json()["result"]
    response = manager_api.post(f"{API}crisis-actions/{action['id']}/reject/", {}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "action_decided"
    assert [a["id"] for a in analyst_api.get(url).json()["results"]] == [action["id"]]


@pytest.mark.django_db
def test_rejecting_keeps_the_reason(manager_api, proposed_action):
    response = manager_api.post(
        f"{API}crisis-actions/{proposed_action.pk}/reject/", {"reason": "Not now"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == ActionStatus.REJECTED


@pytest.mark.django_db
def test_settings_are_read_by_all_and_changed_by_managers(viewer_api, manager_api, merchant):
    body = viewer_api.get(f"{API}crisis-settings/").json()
    assert body["scans_enabled"] is True
    assert body["thresholds"]["review_min_negatives"] == 5
    assert body["sla_hours"]["4"] == [1.0, 24.0]
    assert (
        viewer_api.patch(
            f"{API}crisis-settings/", {"scans_enabled": False}, format="json"
        ).status_code
        == 403
    )
    response = manager_api.patch(
        f"{API}crisis-settings/",
        {"thresholds": {"review_min_negatives": 8}, "sla_hours": {"4": [2, 12]}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["thresholds"]["review_min_negatives"] == 8
    assert response.json()["sla_hours"]["4"] == [2.0, 12.0]
    assert response.json()["scans_enabled"] is True
    response = manager_api.patch(
        f"{API}crisis-settings/", {"thresholds": {"bogus": 1}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_thresholds"
    assert "bogus" in response.json()["error"]["message"]
    response = manager_api.put(f"{API}crisis-settings/", {"scans_enabled": False}, format="json")
    assert response.status_code == 200
    row = CrisisSettings.objects.get(merchant=merchant)
    assert (row.thresholds, row.sla_hours, row.scans_enabled) == ({}, {}, False)


@pytest.mark.django_db
def test_a_scan_is_started_with_202_and_a_second_queued_one_is_a_409(analyst_api, viewer_api):
    assert viewer_api.post(f"{API}crisis-scans/").status_code == 403
    response = analyst_api.post(f"{API}crisis-scans/")
    assert response.status_code == 202 and response.json()["kind"] == JobKind.CRISIS_SCAN
    again = analyst_api.post(f"{API}crisis-scans/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "scan_queued"


@pytest.mark.django_db
def test_another_merchants_ids_are_404s(owner_api, other_merchant):
    from .factories import CrisisActionFactory, CrisisFactory

    theirs = CrisisFactory(product=ProductFactory(merchant=other_merchant))
    alert = AlertFactory(product=theirs.product, crisis=theirs)
    action = CrisisActionFactory(crisis=theirs)
    for method, url in (
        ("get", f"{API}crises/{theirs.pk}/"),
        ("get", f"{API}crises/{theirs.pk}/timeline/"),
        ("post", f"{API}crises/{theirs.pk}/comments/"),
        ("post", f"{API}crises/{theirs.pk}/resolve/"),
        ("get", f"{API}alerts/{alert.pk}/"),
        ("post", f"{API}alerts/{alert.pk}/resolve/"),
        ("post", f"{API}crisis-actions/{action.pk}/approve/"),
    ):
        response = getattr(owner_api, method)(url, {}, format="json")
        assert response.status_code == 404, url
    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED
