"""The alert list (filters, money at risk first, buttons) and an alert's page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from crisis.models import Alert, AlertKind, AlertStatus, Severity
from tests.factories import ProductFactory

from .factories import AlertFactory


def _list(client, **params) -> str:
    response = client.get(reverse("alert-list"), params)
    assert response.status_code == 200
    return response.content.decode()


def _url(name, alert):
    return reverse(name, kwargs={"alert_id": alert.pk})


@pytest.fixture
def alerts(merchant):
    kettle = ProductFactory(merchant=merchant, sku="KET-1")
    mug = ProductFactory(merchant=merchant, sku="MUG-1")
    return {
        "small": AlertFactory(
            product=kettle, kind=AlertKind.OVERSTOCK, money_at_risk=Decimal("80"), title="Small"
        ),
        "big": AlertFactory(
            product=mug,
            kind=AlertKind.SALES_DROP,
            severity=Severity.CRITICAL,
            money_at_risk=Decimal("25000"),
            title="Big",
        ),
        "snoozed": AlertFactory(
            product=mug,
            kind=AlertKind.RATING_DROP,
            status=AlertStatus.ACKNOWLEDGED,
            money_at_risk=Decimal("500"),
            snoozed_until=timezone.now() + dt.timedelta(days=2),
            title="Sleeping",
        ),
        "resolved": AlertFactory(
            product=kettle, status=AlertStatus.RESOLVED, money_at_risk=Decimal("9"), title="Gone"
        ),
    }


def _titles(html, alerts) -> list[str]:
    marks = {f'data-alert="{alert.pk}"': alert.title for alert in alerts.values()}
    return [
        title
        for mark, title in sorted(
            ((m, t) for m, t in marks.items() if m in html), key=lambda item: html.index(item[0])
        )
    ]


@pytest.mark.django_db
def test_live_alerts_are_listed_most_money_at_risk_first(viewer_client, alerts):
    assert _titles(_list(viewer_client), alerts) == ["Big", "Sleeping", "Small"]


@pytest.mark.django_db
def test_filters_by_kind_status_severity_product_and_snoozed(viewer_client, alerts):
    assert _titles(_list(viewer_client, kind="overstock"), alerts) == ["Small"]
    assert _titles(_list(viewer_client, status="resolved"), alerts) == ["Gone"]
    assert _titles(_list(viewer_client, status="all"), alerts) == [
        "Big",
        "Sleeping",
        "Small",
        "Gone",
    ]
    assert _titles(_list(viewer_client, severity="4"), alerts) == ["Big"]
    assert _titles(_list(viewer_client, sku="KET-1"), alerts) == ["Small"]
    product_id = alerts["big"].product_id
    assert _titles(_list(viewer_client, product=product_id), alerts) == ["Big", "Sleeping"]
    assert _titles(_list(viewer_client, snoozed="yes"), alerts) == ["Sleeping"]
    assert _titles(_list(viewer_client, snoozed="no"), alerts) == ["Big", "Small"]


@pytest.mark.django_db
def test_an_unknown_sku_is_reported_under_its_field(viewer_client, alerts):
    html = _list(viewer_client, sku="NOPE")
    assert "None of your products has the SKU “NOPE”." in html


@pytest.mark.django_db
def test_buttons_show_for_responders_and_a_viewer_is_refused(role_clients, alerts):
    big = alerts["big"]
    assert _url("alert-acknowledge", big) in _list(role_clients[Role.ANALYST])
    assert _url("alert-acknowledge", big) not in _list(role_clients[Role.VIEWER])
    viewer = role_clients[Role.VIEWER]
    for name in ("alert-acknowledge", "alert-snooze", "alert-resolve"):
        assert viewer.post(_url(name, big), {"period": "day"}).status_code == 403
    big.refresh_from_db()
    assert big.status == AlertStatus.OPEN


@pytest.mark.django_db
def test_acknowledging_from_the_list_swaps_the_row_with_htmx(analyst_client, alerts, analyst):
    big = alerts["big"]
    response = analyst_client.post(
        _url("alert-acknowledge", big), {"row": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<li") and "Alert acknowledged." in html
    big.refresh_from_db()
    assert (big.status, big.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, analyst)


@pytest.mark.django_db
def test_snoozing_for_a_day_a_week_or_until_a_date(analyst_client, alerts, merchant):
    from core.selectors import merchant_day_start, merchant_today

    small, big = alerts["small"], alerts["big"]
    before = timezone.now()
    analyst_client.post(_url("alert-snooze", small), {"period": "day"})
    small.refresh_from_db()
    assert dt.timedelta(hours=23) < small.snoozed_until - before < dt.timedelta(hours=25)
    analyst_client.post(_url("alert-snooze", small), {"period": "week"})
    small.refresh_from_db()
    assert dt.timedelta(days=6) < small.snoozed_until - before < dt.timedelta(days=8)
    day = merchant_today(merchant=merchant) + dt.timedelta(days=10)
    response = analyst_client.post(
        _url("alert-snooze", big), {"period": "until", "until": day.isoformat()}
    )
    assert response.status_code == 302
    big.refresh_from_db()
    assert big.snoozed_until == merchant_day_start(merchant=merchant, day=day)


@pytest.mark.django_db
def test_a_snooze_date_in_the_past_is_shown_as_an_error(analyst_client, alerts):
    big = alerts["big"]
    response = analyst_client.post(
        _url("alert-snooze", big), {"period": "until", "until": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "Choose a day after today." in response.content.decode()
    response = analyst_client.post(
        _url("alert-snooze", big),
        {"period": "until", "until": "", "row": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<li") and "Choose the day the alert should come back." in html
    big.refresh_from_db()
    assert big.snoozed_until is None


@pytest.mark.django_db
def test_resolving_an_alert_and_resolving_it_again(analyst_client, alerts):
    big = alerts["big"]
    response = analyst_client.post(_url("alert-resolve", big), {"next": reverse("alert-list")})
    assert response.status_code == 302 and response["Location"] == reverse("alert-list")
    big.refresh_from_db()
    assert big.status == AlertStatus.RESOLVED
    response = analyst_client.post(_url("alert-resolve", big), follow=True)
    assert b"This alert is already resolved." in response.content


@pytest.mark.django_db
def test_a_next_address_elsewhere_is_not_followed(analyst_client, alerts):
    big = alerts["big"]
    response = analyst_client.post(
        _url("alert-acknowledge", big), {"next": "https://evil.example/"}
    )
    assert response["Location"] == _url("alert-detail", big)


@pytest.mark.django_db
def test_the_alert_page_shows_its_chart_facts_and_crisis(viewer_client, crisis):
    alert = crisis.alerts.get(kind=AlertKind.STOCKOUT_RISK)
    html = viewer_client.get(_url("alert-detail", alert)).content.decode()
    assert alert.title in html
    assert f'id="evidence-{alert.pk}"' in html
    assert "Lead time (days)" in html
    assert reverse("crisis-detail", kwargs={"crisis_id": crisis.pk}) in html


@pytest.mark.django_db
def test_an_alert_without_evidence_renders_without_a_chart(viewer_client, merchant):
    alert = AlertFactory(product=ProductFactory(merchant=merchant), evidence={})
    html = viewer_client.get(_url("alert-detail", alert)).content.decode()
    assert f'id="evidence-{alert.pk}"' not in html
    assert "plotly.min.js" not in html
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_the_alert_list_exports_what_its_filters_select(viewer_client, alerts):
    response = viewer_client.get(reverse("alert-export-csv"), {"kind": "overstock"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Small" in body and "Big" not in body
    html = _list(viewer_client)
    assert f'formaction="{reverse("alert-export-xlsx")}"' in html
