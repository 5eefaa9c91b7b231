"""Overstock: years of cover on the shelf and capital tied up beyond the target cover."""

import json
from decimal import Decimal

import numpy as np

from crisis.detectors.config import Thresholds, thresholds_from_overrides
from crisis.detectors.overstock import detect_overstock

from .builders import flat_forecast, inputs, poisson_sales


def scan(*, on_hand, level=1.5, **kwargs):
    n = len(np.atleast_1d(on_hand))
    levels = np.full(n, level)
    kwargs.setdefault("forecast", flat_forecast(levels))
    kwargs.setdefault("lead_times", 60)
    return inputs(poisson_sales(levels), on_hand=on_hand, **kwargs)


def test_years_of_cover_tying_up_capital_fires():
    findings = detect_overstock(scan(on_hand=[1650], costs=33.75, prices=89.0), Thresholds())

    [finding] = findings
    assert finding.kind == "overstock"
    assert finding.dedup_key == "overstock:1:"
    evidence = finding.evidence
    assert evidence["days_of_cover"] == 1100.0
    # Lead time 60 + cover target 30 days at 1.5 a day are needed; the rest is excess.
    assert evidence["needed_units"] == 135.0
    assert evidence["excess_units"] == 1650 - 135
    assert evidence["unit_value_basis"] == "cost"
    assert finding.money_at_risk == Decimal("33.75") * (1650 - 135)
    json.dumps(evidence)


def test_a_normal_stock_level_is_quiet():
    assert detect_overstock(scan(on_hand=[200]), Thresholds()) == []


def test_a_long_cover_of_cheap_stock_is_quiet():
    assert detect_overstock(scan(on_hand=[1650], costs=0.5, prices=1.0), Thresholds()) == []


def test_without_a_cost_units_are_valued_at_half_the_price():
    [finding] = detect_overstock(scan(on_hand=[1650], prices=20.0), Thresholds())
    assert finding.evidence["unit_value_basis"] == "half_price"
    assert finding.evidence["unit_value"] == 10.0


def test_inbound_stock_is_not_capital_on_the_shelf_yet():
    assert detect_overstock(scan(on_hand=[10], inbound=5000, costs=30.0), Thresholds()) == []


def test_dead_stock_of_an_established_product_fires_but_a_launch_is_left_alone():
    units = np.zeros((2, 140))
    scan_inputs = inputs(
        units, on_hand=[500, 500], costs=30.0, lead_times=30, age_days=np.array([400, 10])
    )

    findings = detect_overstock(scan_inputs, Thresholds())

    assert [finding.product_id for finding in findings] == [1]
    assert findings[0].evidence["days_of_cover"] is None  # nothing expected to sell


def test_aged_units_come_from_the_last_delivery_in_the_snapshots():
    snapshots = np.full((1, 91), 1650.0)  # no delivery for 91 days: at least that old
    [finding] = detect_overstock(
        scan(on_hand=[1650], costs=30.0, snap_on_hand=snapshots), Thresholds()
    )
    assert finding.evidence["days_since_last_receipt"] == 91
    assert finding.evidence["aged_units"] == 1650


def test_a_merchant_may_ask_for_more_cover_before_an_alert():
    scan_inputs = scan(on_hand=[400], costs=30.0)  # about 267 days of cover
    assert detect_overstock(scan_inputs, Thresholds())
    patient = thresholds_from_overrides({"overstock_min_cover_days": 365})
    assert detect_overstock(scan_inputs, patient) == []
