"""The dashboard's "Open crises" panel and the product page's crisis card."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from crisis.models import CrisisStatus, Severity
from tests.factories import ProductFactory

from .factories import AlertFactory, CrisisFactory


@pytest.mark.django_db
def test_the_dashboard_lists_open_crises_ranked_by_money_at_risk(viewer_client, merchant):
    for money, severity in (
        ("300", Severity.LOW),
        ("48000", Severity.CRITICAL),
        ("7000", Severity.HIGH),
    ):
        CrisisFactory(
            product=ProductFactory(merchant=merchant),
            title=f"Worth {money}",
            money_at_risk=Decimal(money),
            severity=severity,
        )
    CrisisFactory(
        product=ProductFactory(merchant=merchant),
        title="Resolved one",
        status=CrisisStatus.RESOLVED,
        money_at_risk=Decimal("99999"),
    )
    html = viewer_client.get(reverse("dashboard")).content.decode()
    panel = html[html.index('id="open-crises-title"') :]
    order = sorted(("Worth 300", "Worth 48000", "Worth 7000"), key=panel.index)
    assert order == ["Worth 48000", "Worth 7000", "Worth 300"]
    assert "Resolved one" not in panel
    assert ">Critical</span>" in panel  # severity in words, not colour only
    assert "$48,000.00" in panel
    assert "See all 3 open crises" in panel


@pytest.mark.django_db
def test_the_dashboard_warns_about_a_missed_deadline_and_links_each_crisis(viewer_client, merchant):
    now = timezone.now()
    crisis = CrisisFactory(
        product=ProductFactory(merchant=merchant),
        detected_at=now - dt.timedelta(hours=10),
        acknowledge_due_at=now - dt.timedelta(hours=6),
    )
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}) in html
    assert 'data-sla="breached"' in html and "Acknowledgement overdue" in html


@pytest.mark.django_db
def test_the_dashboard_says_when_nothing_is_burning(viewer_client):
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert "No open crisis." in html


@pytest.mark.django_db
def test_the_dashboard_shows_at_most_five_crises(viewer_client, merchant):
    for index in range(7):
        CrisisFactory(product=ProductFactory(merchant=merchant), title=f"Crisis number {index}")
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert html.count('data-crisis="') == 5
    assert "See all 7 open crises" in html


@pytest.mark.django_db
def test_the_product_page_shows_its_open_crisis_and_live_alerts(viewer_client, crisis):
    html = viewer_client.get(
        reverse("product-detail", kwargs={"product_id": crisis.product_id})
    ).content.decode()
    card = html[html.index('id="crisis-card-title"') :]
    assert reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}) in card
    assert "$6,200.00" in card
    for alert in crisis.alerts.all():
        assert reverse("alert-detail", kwargs={"alert_id": alert.pk}) in card


@pytest.mark.django_db
def test_a_product_without_trouble_says_so(viewer_client, merchant):
    product = ProductFactory(merchant=merchant)
    AlertFactory(product=ProductFactory(merchant=merchant))  # another product's alert
    html = viewer_client.get(reverse("product-detail", kwargs={"product_id": product.pk}))
    assert b"No open crisis or live alert for this product." in html.content
