"""The pages and the API show what a real scan found: the detectors' own evidence is charted."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from core.selectors import merchant_today
from crisis.models import Alert, AlertKind, Crisis
from crisis.services import crisis_scan
from tests.factories import DailySalesFactory, ProductFactory, StockLevelFactory


@pytest.fixture
def running_out(merchant):
    """A best-seller with four days of stock and a month's lead time."""
    product = ProductFactory(merchant=merchant, sku="CHG-65W", lead_time_days=30)
    StockLevelFactory(product=product, on_hand=80, inbound=0)
    today = merchant_today(merchant=merchant)
    for days_ago in range(1, 57):
        DailySalesFactory(product=product, date=today - dt.timedelta(days=days_ago), units=20)
    return product


@pytest.mark.django_db
def test_a_scanned_stockout_is_charted_on_the_crisis_and_alert_pages(owner_client, running_out):
    crisis_scan(merchant=running_out.merchant)
    alert = Alert.objects.get(product=running_out, kind=AlertKind.STOCKOUT_RISK)
    crisis = Crisis.objects.get(product=running_out)
    for url in (
        reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}),
        reverse("alert-detail", kwargs={"alert_id": alert.pk}),
    ):
        html = owner_client.get(url).content.decode()
        data = re.search(
            rf'<script id="evidence-{alert.pk}" type="application/json">(.*?)</script>', html
        )
        assert data, url
        chart = json.loads(data.group(1))
        assert {trace["name"] for trace in chart["traces"]} >= {"Projected stock"}
        assert chart["vlines"] and chart["hlines"]
        assert "Lead time (days)" in html and "Chance of running out" in html
    board = owner_client.get(reverse("crisis-board")).content.decode()
    assert crisis.title in board
    dashboard = owner_client.get(reverse("dashboard")).content.decode()
    assert reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}) in dashboard
