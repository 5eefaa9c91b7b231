"""The alert export: the alert list's filters and order, labels in the user's language, times
in the merchant's time zone, money at risk in its currency."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from crisis.models import AlertKind, AlertStatus, Severity
from tests.crisis_pages.factories import AlertFactory
from tests.factories import ProductFactory

from .helpers import FORMULAS, csv_dicts, xlsx_cells, xlsx_dicts

CSV_URL = reverse("alert-export-csv")
XLSX_URL = reverse("alert-export-xlsx")
DETECTED = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def alerts(merchant):
    merchant.timezone = "Asia/Shanghai"
    merchant.currency = "CNY"
    merchant.save()
    kettle = ProductFactory(merchant=merchant, sku="KET-1", title="电热水壶")
    bottle = ProductFactory(merchant=merchant, sku="BTL-1")
    return [
        AlertFactory(
            product=kettle,
            kind=AlertKind.STOCKOUT_RISK,
            severity=Severity.CRITICAL,
            money_at_risk=Decimal("9000.00"),
            first_detected_at=DETECTED,
        ),
        AlertFactory(
            product=bottle,
            kind=AlertKind.REVIEW_SURGE,
            aspect="quality",
            severity=Severity.MEDIUM,
            money_at_risk=Decimal("1200.50"),
        ),
        AlertFactory(
            product=bottle,
            kind=AlertKind.OVERSTOCK,
            status=AlertStatus.RESOLVED,
            money_at_risk=Decimal("50000.00"),
        ),
    ]


@pytest.mark.django_db
def test_the_live_alerts_in_the_lists_order(viewer_client, alerts):
    rows = csv_dicts(viewer_client.get(CSV_URL))
    assert [row["SKU"] for row in rows] == ["KET-1", "BTL-1"]  # the resolved one is not live
    first = rows[0]
    assert first["Kind"] == "Stockout risk" and first["Severity"] == "Critical"
    assert first["Status"] == "Open" and first["Product"] == "电热水壶"
    assert first["Money at risk (CNY)"] == "9000.00"
    assert first["First detected (Asia/Shanghai)"] == "2026-03-01T09:30:00+08:00"
    assert rows[1]["Aspect"] == "quality / defects"


@pytest.mark.django_db
def test_the_list_filters_are_respected(viewer_client, alerts):
    rows = csv_dicts(viewer_client.get(CSV_URL, {"status": "resolved"}))
    assert [row["Kind"] for row in rows] == ["Overstock"]
    rows = csv_dicts(viewer_client.get(CSV_URL, {"kind": "review_surge"}))
    assert [row["SKU"] for row in rows] == ["BTL-1"]
    rows = csv_dicts(viewer_client.get(CSV_URL, {"sku": "KET-1"}))
    assert [row["SKU"] for row in rows] == ["KET-1"]


@pytest.mark.django_db
def test_the_workbook_has_local_times_and_numbers(viewer_client, alerts):
    rows = xlsx_dicts(viewer_client.get(XLSX_URL))
    assert rows[0]["First detected (Asia/Shanghai)"] == dt.datetime(2026, 3, 1, 9, 30)
    assert rows[0]["Money at risk (CNY)"] == pytest.approx(9000.0)


@pytest.mark.django_db
def test_alert_titles_that_look_like_formulas_stay_text(viewer_client, merchant):
    for payload in FORMULAS:
        AlertFactory(product=ProductFactory(merchant=merchant), title=payload)
    titles = sorted(row["Title"] for row in csv_dicts(viewer_client.get(CSV_URL)))
    assert titles == sorted("'" + payload for payload in FORMULAS)
    rows = xlsx_cells(viewer_client.get(XLSX_URL))
    column = [cell.value for cell in rows[0]].index("Title")
    assert {rows[n][column].data_type for n in range(1, len(rows))} == {"s"}


@pytest.mark.django_db
def test_another_merchants_alerts_never_appear(viewer_client, alerts, other_merchant):
    AlertFactory(product=ProductFactory(merchant=other_merchant, sku="beta-secret"))
    text = str(csv_dicts(viewer_client.get(CSV_URL, {"status": "all"})))
    assert "beta-secret" not in text and "KET-1" in text
    cells = str(xlsx_dicts(viewer_client.get(XLSX_URL, {"status": "all"})))
    assert "beta-secret" not in cells


@pytest.mark.django_db
def test_a_viewer_may_export_alerts(viewer_client):
    response = viewer_client.get(CSV_URL)
    assert response.status_code == 200 and response.streaming
