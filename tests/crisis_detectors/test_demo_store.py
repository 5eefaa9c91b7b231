"""The detectors on the demo store: the four planted crises are found with the default
thresholds and outrank everything else; the rest of the store stays almost quiet."""

import pytest

from core.demo import demo_seed
from core.demo.crises import (
    OVERSTOCK_SKU,
    REVIEW_SURGE_SKU,
    SALES_SLIDE_SKU,
    STOCKOUT_SKU,
)
from crisis.detectors import run_detectors
from crisis.detectors.config import Thresholds
from crisis.selectors.signals import scan_inputs
from tests.demo.conftest import SMALL, TODAY, demo_remove

PLANTED = {
    STOCKOUT_SKU: "stockout_risk",
    OVERSTOCK_SKU: "overstock",
    SALES_SLIDE_SKU: "sales_drop",
    REVIEW_SURGE_SKU: "review_surge",
}
# Conditions on products that were not planted, at most (the demo's own randomness).
MAX_OTHERS = 2


@pytest.fixture(scope="module")
def seeded_findings(django_db_setup, django_db_blocker):
    """Seed the small demo once, scan both stores' inputs with the default thresholds."""
    with django_db_blocker.unblock():
        result = demo_seed(**SMALL, today=TODAY)
        findings = run_detectors(scan_inputs(merchant=result.merchant, today=TODAY), Thresholds())
        second = run_detectors(
            scan_inputs(merchant=result.second_merchant, today=TODAY), Thresholds()
        )
    yield findings, second
    with django_db_blocker.unblock():
        demo_remove()


@pytest.fixture
def demo_findings(seeded_findings, db):
    return seeded_findings


def test_each_planted_crisis_is_found_by_its_detector(demo_findings):
    findings, _second = demo_findings
    found = {(finding.evidence["sku"], finding.kind) for finding in findings}
    assert set(PLANTED.items()) <= found


def test_the_planted_crises_outrank_everything_else_by_money_at_risk(demo_findings):
    findings, _second = demo_findings
    planted = [f for f in findings if PLANTED.get(f.evidence["sku"]) == f.kind]
    others = [f for f in findings if f.evidence["sku"] not in PLANTED]
    assert len(planted) == 4
    if others:
        assert min(f.money_at_risk for f in planted) > max(f.money_at_risk for f in others)


def test_the_rest_of_the_store_raises_few_alerts(demo_findings):
    findings, second = demo_findings
    others = [f for f in findings if f.evidence["sku"] not in PLANTED]
    assert len(others) <= MAX_OTHERS, [(f.kind, f.evidence["sku"]) for f in others]
    assert len(second) <= MAX_OTHERS, [(f.kind, f.evidence["sku"]) for f in second]


def test_the_planted_findings_carry_the_numbers_the_seed_reports(demo_findings):
    findings, _second = demo_findings
    by_kind = {f.kind: f for f in findings if PLANTED.get(f.evidence["sku"]) == f.kind}

    stockout = by_kind["stockout_risk"].evidence
    assert stockout["inbound"] == 0 and stockout["lead_time_days"] == 35
    assert stockout["days_of_cover"] < 7
    assert stockout["probability"] > 0.99

    overstock = by_kind["overstock"].evidence
    assert overstock["days_of_cover"] > 3 * 365
    assert overstock["unit_value_basis"] == "cost"

    slide = by_kind["sales_drop"].evidence
    assert slide["expected_from"] == "history"
    assert slide["drop_share"] > 0.4
    assert slide["stockout_days_left_out"] == 0

    surge = by_kind["review_surge"].evidence
    assert surge["recent_negative"] >= 8
    assert surge["p_value"] < 1e-6
    assert surge["example_review_ids"]
