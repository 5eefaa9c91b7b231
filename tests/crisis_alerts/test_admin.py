"""The crisis admin lists every crisis model by merchant, status and kind, shows alerts and
crises read-only with their evidence and timeline, and validates crisis settings."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from crisis.models import Alert, Crisis, CrisisEvent, CrisisSettings

from .conftest import finding

pytestmark = pytest.mark.django_db

MODELS = [
    "crisissettings",
    "crisis",
    "alert",
    "crisisevent",
    "playbook",
    "crisisaction",
    "purchasesuggestion",
    "pricechange",
]


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123-xyz")
    client.force_login(admin)
    return client


def test_every_crisis_model_has_a_list_filtered_by_merchant(admin_client, scan, bottle, merchant):
    scan([finding(product=bottle, money="6000", cover_days=3)])

    for name in MODELS:
        response = admin_client.get(
            reverse(f"admin:crisis_{name}_changelist"), {"merchant__id__exact": merchant.pk}
        )
        assert response.status_code == 200, name
    filtered = admin_client.get(
        reverse("admin:crisis_alert_changelist"), {"kind__exact": "stockout_risk"}
    )
    assert filtered.status_code == 200 and bottle.sku in filtered.content.decode()


def test_alerts_and_crises_are_read_only_with_evidence_and_timeline(admin_client, scan, bottle):
    scan([finding(product=bottle, money="6000", cover_days=3)])
    alert, crisis = Alert.objects.get(), Crisis.objects.get()

    page = admin_client.get(reverse("admin:crisis_alert_change", args=[alert.pk]))
    assert page.status_code == 200
    assert "&quot;cover_days&quot;: 3" in page.content.decode()
    assert 'name="money_at_risk"' not in page.content.decode()  # not an input

    page = admin_client.get(reverse("admin:crisis_crisis_change", args=[crisis.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert CrisisEvent.objects.filter(crisis=crisis).first().message in text
    assert admin_client.get(reverse("admin:crisis_crisis_add")).status_code == 403


def test_crisis_settings_in_the_admin_are_validated(admin_client, merchant):
    url = reverse("admin:crisis_crisissettings_add")
    response = admin_client.post(
        url,
        {
            "merchant": merchant.pk,
            "scans_enabled": "on",
            "thresholds": '{"no_such_threshold": 1}',
            "sla_hours": '{"4": [8, 2]}',
        },
    )

    assert response.status_code == 200
    assert not CrisisSettings.objects.exists()
    text = response.content.decode()
    assert "unknown threshold" in text
    assert "acknowledging cannot take longer than resolving" in text
