"""Stockout risk: stock that runs out before a new order could land, from the forecast."""

import json

import numpy as np

from crisis.detectors.config import Thresholds, thresholds_from_overrides
from crisis.detectors.stockout import detect_stockout, inbound_schedule

from .builders import TODAY, flat_forecast, inputs, poisson_sales


def scan(*, on_hand, inbound=0, lead=14, level=10.0, **kwargs):
    n = len(np.atleast_1d(on_hand))
    levels = np.full(n, level)
    kwargs.setdefault("forecast", flat_forecast(levels))
    return inputs(
        poisson_sales(levels), on_hand=on_hand, inbound=inbound, lead_times=lead, **kwargs
    )


def test_a_best_seller_with_days_of_stock_and_weeks_of_lead_time_fires():
    findings = detect_stockout(scan(on_hand=[30], lead=35, prices=40.0), Thresholds())

    [finding] = findings
    assert finding.kind == "stockout_risk"
    assert finding.dedup_key == "stockout_risk:1:"
    evidence = finding.evidence
    assert evidence["probability"] > 0.99
    assert evidence["demand_source"] == "forecast"
    median = evidence["demand_over_lead_time"]["p50"]
    assert abs(median - 350) <= 3  # 35 days at 10 a day
    # Median demand over the lead time not served, at the price.
    assert evidence["lost_units"] == median - 30
    assert finding.money_at_risk == (median - 30) * 40
    assert evidence["expected_stockout_date"] == "2025-06-21"
    assert len(evidence["projection"]["dates"]) == 35
    json.dumps(evidence)


def test_enough_stock_for_the_lead_time_is_quiet():
    assert detect_stockout(scan(on_hand=[400], lead=14), Thresholds()) == []


def test_inbound_stock_counts_when_nothing_says_it_will_be_late():
    assert detect_stockout(scan(on_hand=[20], inbound=400, lead=14), Thresholds()) == []


def test_inbound_landing_after_the_shelf_empties_still_fires():
    # Ordered 2 days ago with a 14-day lead time: it lands in 12 days, the shelf lasts 2.
    days = 30
    units = poisson_sales([10.0])
    sold_after = np.concatenate([np.cumsum(units[0, -days:][::-1])[::-1][1:], [0.0]])
    snap_on_hand = (20 + sold_after)[None, :]  # the shelf falls by what sells
    snap_inbound = np.zeros((1, days))
    snap_inbound[0, -2:] = 400
    findings = detect_stockout(
        inputs(
            units,
            on_hand=20,
            inbound=400,
            lead_times=14,
            forecast=flat_forecast([10.0]),
            snap_on_hand=snap_on_hand,
            snap_inbound=snap_inbound,
        ),
        Thresholds(),
    )

    [finding] = findings
    assert finding.evidence["inbound_arrivals"] == [{"date": "2025-06-30", "units": 400}]
    assert finding.evidence["inbound_arrivals_from_history"] is True


def test_deliveries_are_read_from_the_snapshots_and_the_sales_of_the_same_days():
    units = np.zeros((1, 140))
    units[0, -3:] = 5  # sold 5 a day over the last three days
    snap_on_hand = np.array([[50.0, 45.0, 140.0, 135.0]])  # 100 delivered two days ago
    snap_inbound = np.array([[100.0, 300.0, 200.0, 200.0]])  # 200 ordered three days ago
    scan_inputs = inputs(
        units,
        on_hand=135,
        inbound=200,
        lead_times=10,
        snap_on_hand=snap_on_hand,
        snap_inbound=snap_inbound,
    )

    schedule, from_history = inbound_schedule(scan_inputs, 11)

    # Ordered 3 days before today (the snapshot of 2025-06-15): lands in 10 - 3 = 7 days.
    assert schedule[0, 7] == 200
    assert schedule.sum() == 200
    assert from_history[0]


def test_a_product_without_a_stock_record_is_not_judged():
    assert detect_stockout(scan(on_hand=None), Thresholds()) == []


def test_discontinued_products_are_left_to_run_out():
    scan_inputs = scan(on_hand=[5])
    scan_inputs.catalog.active[:] = False
    assert detect_stockout(scan_inputs, Thresholds()) == []


def test_without_a_forecast_recent_sales_give_the_demand():
    [finding] = detect_stockout(scan(on_hand=[5], forecast=None), Thresholds())
    assert finding.evidence["demand_source"] == "recent_sales"


def test_an_expired_forecast_is_not_used():
    old = flat_forecast([10.0], start=TODAY.replace(month=4))
    [finding] = detect_stockout(scan(on_hand=[5], forecast=old), Thresholds())
    assert finding.evidence["demand_source"] == "recent_sales"


def test_a_stricter_merchant_needs_a_higher_chance():
    # 115 on hand against 140 expected over the 14-day lead time: about 89 % to run out.
    scan_inputs = scan(on_hand=[115], lead=14)
    [finding] = detect_stockout(scan_inputs, Thresholds())
    assert 0.8 < finding.evidence["probability"] < 0.95
    strict = thresholds_from_overrides({"stockout_min_probability": 0.95})
    assert detect_stockout(scan_inputs, strict) == []
    relaxed = thresholds_from_overrides({"stockout_min_probability": 0.5})
    assert detect_stockout(scan(on_hand=[130], lead=14), relaxed)
    assert detect_stockout(scan(on_hand=[130], lead=14), Thresholds()) == []


def test_findings_below_the_money_floor_are_not_reported():
    scan_inputs = scan(on_hand=[30], lead=35, prices=1.0)
    floor = thresholds_from_overrides({"min_money_at_risk": 1000})
    assert detect_stockout(scan_inputs, floor) == []
