"""The crises API: board, detail, timeline, comments, status, owner, resolve, reopen."""

from decimal import Decimal

import pytest

from crisis.models import CrisisStatus, Severity
from tests.factories import ProductFactory

from .factories import CrisisFactory

API = "/api/v1/"


def _url(crisis, suffix: str = "") -> str:
    return f"{API}crises/{crisis.pk}/{suffix}"


@pytest.mark.django_db
def test_the_list_is_the_board_money_at_risk_first_with_filters(viewer_api, merchant, manager):
    worst = CrisisFactory(
        product=ProductFactory(merchant=merchant),
        money_at_risk=Decimal("9000"),
        severity=Severity.CRITICAL,
        owner=manager,
    )
    mild = CrisisFactory(product=ProductFactory(merchant=merchant), money_at_risk=Decimal("10"))
    done = CrisisFactory(product=ProductFactory(merchant=merchant), status=CrisisStatus.RESOLVED)
    body = viewer_api.get(f"{API}crises/").json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [worst.pk, mild.pk]
    first = body["results"][0]
    assert first["money_at_risk"] == "9000.00"
    assert first["severity_label"] == "Critical"
    assert first["owner"] == {"id": manager.pk, "username": "maria"}
    assert first["sla"]["state"] in ("on_track", "due_soon", "breached")
    assert first["page_url"] == f"/crisis/{worst.pk}/"
    assert [r["id"] for r in viewer_api.get(f"{API}crises/?status=resolved").json()["results"]] == [
        done.pk
    ]
    assert [r["id"] for r in viewer_api.get(f"{API}crises/?severity=4").json()["results"]] == [
        worst.pk
    ]
    assert [
        r["id"] for r in viewer_api.get(f"{API}crises/?owner={manager.pk}").json()["results"]
    ] == [worst.pk]


@pytest.mark.django_db
def test_unassigned_crises_can_be_listed(viewer_api, crisis, manager, merchant):
    CrisisFactory(product=ProductFactory(merchant=merchant), owner=manager)
    rows = viewer_api.get(f"{API}crises/?owner=unassigned").json()["results"]
    assert [row["id"] for row in rows] == [crisis.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["severity=9", "status=burning", "owner=bob", "product=x"])
def test_a_bad_filter_is_a_400_with_the_invalid_code(viewer_api, query):
    response = viewer_api.get(f"{API}crises/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_the_detail_has_alerts_metrics_and_alert_kinds(viewer_api, crisis):
    body = viewer_api.get(_url(crisis)).json()
    assert body["id"] == crisis.pk
    assert body["product"]["sku"] == "BTL-750"
    assert [alert["kind"] for alert in body["alerts"]] == ["stockout_risk", "review_surge"]
    assert body["alert_kinds"] == ["stockout_risk", "review_surge"]
    assert body["metrics"] == {"time_to_acknowledge_seconds": None, "time_to_resolve_seconds": None}
    assert body["postmortem"] is None
    assert "projection" in body["alerts"][0]["evidence"]


@pytest.mark.django_db
def test_a_missing_crisis_is_a_404_in_the_error_shape(viewer_api):
    response = viewer_api.get(f"{API}crises/987654/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_comments_go_on_the_timeline(analyst_api, viewer_api, crisis):
    response = analyst_api.post(_url(crisis, "comments/"), {"text": "On it"}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "comment" and response.json()["actor"]["username"] == "anna"
    timeline = viewer_api.get(_url(crisis, "timeline/")).json()
    assert timeline["results"][-1]["message"] == "On it"
    assert (
        analyst_api.post(_url(crisis, "comments/"), {"text": ""}, format="json").status_code == 400
    )
    response = viewer_api.post(_url(crisis, "comments/"), {"text": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_status_changes_follow_the_allowed_moves(analyst_api, crisis):
    response = analyst_api.post(_url(crisis, "status/"), {"status": "mitigating"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "mitigating"
    response = analyst_api.post(_url(crisis, "status/"), {"status": "resolved"}, format="json")
    assert response.status_code == 400
    assert (
        analyst_api.post(_url(crisis, "status/"), {"status": "detected"}, format="json").status_code
        == 400
    )
    response = analyst_api.post(_url(crisis, "status/"), {"status": "investigating"}, format="json")
    assert response.status_code == 200
    crisis_resolved = analyst_api.post(_url(crisis, "resolve/"), {"cause": "x"}, format="json")
    assert crisis_resolved.status_code == 403  # resolving is for owners and managers


@pytest.mark.django_db
def test_assigning_needs_a_manager_and_a_member(
    manager_api, analyst_api, crisis, analyst, other_owner
):
    assert (
        analyst_api.post(_url(crisis, "assign/"), {"owner": analyst.pk}, format="json").status_code
        == 403
    )
    response = manager_api.post(_url(crisis, "assign/"), {"owner": other_owner.pk}, format="json")
    assert response.status_code == 400
    assert "owner" in response.json()["error"]["fields"]
    response = manager_api.post(_url(crisis, "assign/"), {"owner": analyst.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["owner"]["username"] == "anna"
    response = manager_api.post(_url(crisis, "assign/"), {"owner": None}, format="json")
    assert response.status_code == 200 and response.json()["owner"] is None


@pytest.mark.django_db
def test_resolving_needs_a_cause_and_reopening_needs_a_resolved_crisis(manager_api, crisis):
    response = manager_api.post(_url(crisis, "reopen/"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_resolved"
    response = manager_api.post(_url(crisis, "resolve/"), {"worked": "x"}, format="json")
    assert response.status_code == 400
    assert "cause" in response.json()["error"]["fields"]
    response = manager_api.post(
        _url(crisis, "resolve/"),
        {"cause": "Late container", "worked": "Air freight", "followups": "Safety stock"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "resolved"
    assert body["postmortem"] == {
        "cause": "Late container",
        "worked": "Air freight",
        "followups": "Safety stock",
    }
    assert body["metrics"]["time_to_resolve_seconds"] > 0
    assert {alert["status"] for alert in body["alerts"]} == {"resolved"}
    again = manager_api.post(_url(crisis, "resolve/"), {"cause": "x"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "crisis_resolved"
    response = manager_api.post(_url(crisis, "reopen/"))
    assert response.status_code == 200 and response.json()["status"] == "investigating"


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_refused(analyst_api, crisis):
    response = analyst_api.post(
        _url(crisis, "comments/"), "text=hi", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
