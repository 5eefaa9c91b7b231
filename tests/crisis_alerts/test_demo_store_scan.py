"""On the demo store, a scan finds the four planted crises and ranks them above everything else.

The demo seed scans the store it builds (as of its `today`); these tests read what it found and
scan again. One small seed for the module: it takes a while."""

import pytest

from core.demo import demo_seed
from core.demo.crises import OVERSTOCK_SKU, REVIEW_SURGE_SKU, SALES_SLIDE_SKU, STOCKOUT_SKU
from crisis.models import Alert, AlertKind, Crisis
from crisis.selectors.crises import crisis_board
from crisis.services import crisis_scan
from tests.demo.conftest import SMALL, TODAY, demo_remove

pytestmark = pytest.mark.slow

PLANTED = {
    STOCKOUT_SKU: AlertKind.STOCKOUT_RISK,
    OVERSTOCK_SKU: AlertKind.OVERSTOCK,
    SALES_SLIDE_SKU: AlertKind.SALES_DROP,
    REVIEW_SURGE_SKU: AlertKind.REVIEW_SURGE,
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        lines = []
        result = demo_seed(**SMALL, today=TODAY, log=lines.append)
    yield result, lines
    with django_db_blocker.unblock():
        demo_remove()


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_the_four_planted_crises_top_the_board(demo):
    result, _lines = demo
    board = list(crisis_board(merchant=result.merchant))

    top = {crisis.product.sku for crisis in board[:4]}
    assert top == set(PLANTED), [(c.title, c.money_at_risk) for c in board[:8]]
    for crisis in board[:4]:
        kinds = set(crisis.alerts.live().values_list("kind", flat=True))
        assert PLANTED[crisis.product.sku] in kinds, (crisis.title, kinds)


def test_the_seed_log_names_what_the_scan_found(demo):
    result, lines = demo
    found = [line for line in lines if "crisis scan found" in line]
    assert len(found) == 2
    assert found[0].startswith("Demo Store: crisis scan found")
    crisis_lines = lines[lines.index(found[0]) + 1 : lines.index(found[0]) + 5]
    assert all(line.startswith("  ") and "at risk" in line for line in crisis_lines)


def test_scanning_the_demo_store_again_changes_no_crisis(demo):
    result, _lines = demo
    before = {
        c.pk: (c.group_key, c.status) for c in Crisis.objects.filter(merchant=result.merchant)
    }
    alerts = Alert.objects.filter(merchant=result.merchant).count()

    report = crisis_scan(merchant=result.merchant, today=TODAY)

    assert report.opened == 0 and report.resolved == 0
    assert report.updated == report.live_alerts
    assert Alert.objects.filter(merchant=result.merchant).count() == alerts
    after = {c.pk: (c.group_key, c.status) for c in Crisis.objects.filter(merchant=result.merchant)}
    assert after == before
