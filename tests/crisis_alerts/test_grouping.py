"""Alerts about one product make one crisis; store-wide alerts make the store's crisis."""

from decimal import Decimal

import pytest

from crisis.models import Alert, Crisis, CrisisStatus, Severity

from .conftest import T0, finding

pytestmark = pytest.mark.django_db


def test_a_stockout_risk_and_a_review_surge_about_one_product_are_one_crisis(scan, bottle):
    report = scan(
        [
            finding("review_surge", product=bottle, money="2500", aspect="leaking"),
            finding("stockout_risk", product=bottle, money="7000"),
        ],
        at=T0,
    )

    crisis = Crisis.objects.get()
    assert report.crises_opened == 1
    assert set(Alert.objects.values_list("crisis_id", flat=True)) == {crisis.pk}
    assert crisis.group_key == f"product:{bottle.pk}"
    assert crisis.product == bottle
    assert crisis.status == CrisisStatus.DETECTED
    assert crisis.money_at_risk == Decimal("9500.00")
    assert crisis.severity == Severity.HIGH  # the worst of its alerts
    assert crisis.title == "Summit Water Bottle: Stockout risk, Negative-review surge"
    assert crisis.detected_at == T0


def test_an_alert_added_later_joins_the_open_crisis_and_raises_its_figures(scan, bottle):
    scan([finding("stockout_risk", product=bottle, money="1500")], at=T0)
    scan(
        [
            finding("stockout_risk", product=bottle, money="1500"),
            finding("rating_drop", product=bottle, money="30000"),
        ],
        at=T0,
    )

    crisis = Crisis.objects.get()
    assert crisis.alerts.count() == 2
    assert crisis.money_at_risk == Decimal("31500.00")
    assert crisis.severity == Severity.CRITICAL
    assert crisis.title.startswith("Summit Water Bottle: Rating drop")


def test_other_products_and_the_store_get_crises_of_their_own(scan, bottle, charger):
    scan(
        [
            finding("stockout_risk", product=bottle),
            finding("stockout_risk", product=charger),
            finding("sales_drop", product=None, money="12000"),
        ],
        at=T0,
    )

    assert sorted(Crisis.objects.values_list("group_key", flat=True)) == sorted(
        [f"product:{bottle.pk}", f"product:{charger.pk}", "store"]
    )
    store = Crisis.objects.get(group_key="store")
    assert store.product is None
    assert store.title == "Whole store: Sales drop"
