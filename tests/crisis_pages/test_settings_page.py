"""Crisis settings: thresholds from THRESHOLD_FIELDS with their defaults, SLA hours, scans."""

import pytest
from django.urls import reverse

from accounts.models import Role
from crisis.detectors.config import DEFAULT_SLA_HOURS, THRESHOLD_FIELDS
from crisis.models import CrisisSettings
from crisis.services import crisis_settings_get

URL = "/crisis/settings/"


def _form_data(client) -> dict:
    """The form as the page shows it (every field with its current value)."""
    form = client.get(reverse("crisis-settings")).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "scans_enabled":
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


@pytest.mark.django_db
def test_every_threshold_is_on_the_page_with_its_default(viewer_client):
    html = viewer_client.get(reverse("crisis-settings")).content.decode()
    assert reverse("crisis-settings") == URL
    for spec in THRESHOLD_FIELDS:
        assert f'name="{spec.name}"' in html, spec.name
        assert str(spec.label) in html
    assert html.count("Default:") >= len(THRESHOLD_FIELDS) + 2 * len(DEFAULT_SLA_HOURS)


@pytest.mark.django_db
def test_viewers_and_analysts_see_the_settings_but_cannot_change_them(role_clients, merchant):
    for role in (Role.VIEWER, Role.ANALYST):
        client = role_clients[role]
        html = client.get(reverse("crisis-settings")).content.decode()
        assert "<fieldset disabled>" in html
        assert "Save settings" not in html
        data = _form_data(role_clients[Role.OWNER])
        data["review_min_negatives"] = "9"
        assert client.post(reverse("crisis-settings"), data).status_code == 403
    assert crisis_settings_get(merchant=merchant).thresholds == {}


@pytest.mark.django_db
def test_a_manager_saves_only_the_values_that_differ_from_the_defaults(manager_client, merchant):
    data = _form_data(manager_client)
    data["review_min_negatives"] = "9"
    data["severity_high_money"] = "6000"
    data["sla_4_acknowledge"] = "2"
    data.pop("scans_enabled", None)
    response = manager_client.post(reverse("crisis-settings"), data)
    assert response.status_code == 302
    row = CrisisSettings.objects.get(merchant=merchant)
    assert row.thresholds == {"review_min_negatives": 9, "severity_high_money": "6000.00"}
    assert row.sla_hours == {"4": [2.0, float(DEFAULT_SLA_HOURS[4][1])]}
    assert row.scans_enabled is False


@pytest.mark.django_db
def test_bad_values_are_shown_under_their_fields_and_nothing_is_saved(manager_client, merchant):
    data = _form_data(manager_client)
    data["severity_medium_money"] = "9000"  # above the high band: the bands must rise
    data["review_p_value"] = "5"
    data["sla_3_acknowledge"] = "500"  # longer than resolving
    response = manager_client.post(reverse("crisis-settings"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "review_p_value" in form.errors
    assert "sla_3_acknowledge" in form.errors
    assert b"is-invalid" in response.content
    data = _form_data(manager_client)
    data["severity_medium_money"] = "9000"
    response = manager_client.post(reverse("crisis-settings"), data)
    assert response.status_code == 400
    assert (
        "severity_medium_money" in response.context["form"].errors
        or response.context["form"].non_field_errors()
    )
    assert crisis_settings_get(merchant=merchant).thresholds == {}


@pytest.mark.django_db
def test_scan_now_starts_a_scan_job_for_responders(analyst_client, viewer_client, merchant):
    from jobs.models import Job, JobKind

    assert viewer_client.post(reverse("crisis-scan")).status_code == 403
    response = analyst_client.post(reverse("crisis-scan"), {"next": reverse("crisis-settings")})
    assert response.status_code == 302 and response["Location"] == reverse("crisis-settings")
    assert Job.objects.filter(merchant=merchant, kind=JobKind.CRISIS_SCAN).count() == 1
    response = analyst_client.post(reverse("crisis-scan"), follow=True)
    assert b"A scan is already queued or running." in response.content
    assert Job.objects.filter(merchant=merchant, kind=JobKind.CRISIS_SCAN).count() == 1
