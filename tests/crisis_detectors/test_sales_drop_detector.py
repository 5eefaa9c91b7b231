"""Sales drop: sales persistently below what was expected, and not because the shelf was empty."""

import datetime as dt
import json

import numpy as np

from crisis.detectors import run_detectors
from crisis.detectors.config import Thresholds
from crisis.detectors.sales_drop import detect_sales_drop

from .builders import TODAY, flat_forecast, inputs, poisson_sales


def dropped(levels, *, days: int, to: float, seed: int = 1, rows=None) -> np.ndarray:
    units = poisson_sales(levels, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for row in rows if rows is not None else range(len(units)):
        units[row, -days:] = rng.binomial(units[row, -days:].astype(np.int64), to)
    return units


def test_a_steady_seller_falling_to_40_percent_is_a_sales_drop():
    findings = detect_sales_drop(inputs(dropped([20.0], days=10, to=0.4)), Thresholds())

    [finding] = findings
    assert finding.kind == "sales_drop"
    assert finding.dedup_key == "sales_drop:1:"
    evidence = finding.evidence
    assert evidence["expected_from"] == "history"
    assert 0.45 < evidence["drop_share"] < 0.75
    assert evidence["cusum"] >= evidence["cusum_threshold"]
    assert evidence["drop_began"] >= (TODAY - dt.timedelta(days=12)).isoformat()
    # A month of the drop at the product's price.
    expected = evidence["drop_share"] * evidence["expected_daily_units"] * 10.0 * 28
    assert abs(float(finding.money_at_risk) - expected) < 5
    chart = evidence["chart"]
    assert len(chart["dates"]) == len(chart["actual"]) == len(chart["p10"]) == 56
    assert chart["dates"][-1] == (TODAY - dt.timedelta(days=1)).isoformat()
    json.dumps(evidence)


def test_noise_around_a_steady_level_raises_nothing():
    levels = np.linspace(2.0, 40.0, 200)
    assert detect_sales_drop(inputs(poisson_sales(levels, seed=3)), Thresholds()) == []


def test_a_sparse_product_going_quiet_is_not_judged():
    units = poisson_sales([0.8], seed=4)
    units[0, -21:] = 0
    assert detect_sales_drop(inputs(units), Thresholds()) == []


def test_promotion_days_do_not_set_the_normal_level():
    units = poisson_sales([10.0], seed=5)
    promo = np.zeros(units.shape, dtype=bool)
    promo[0, -60:-30] = True
    units[0, -60:-30] *= 3  # a month-long promotion before the window
    assert detect_sales_drop(inputs(units, promo=promo), Thresholds()) == []


def test_a_drop_caused_by_an_empty_shelf_is_a_stockout_not_a_sales_drop():
    units = poisson_sales([20.0], seed=6)
    units[0, -8:] = 0
    snapshots = np.full((1, 60), 200.0)
    snapshots[0, -8:] = 0  # out of stock for the last 8 days
    scan_inputs = inputs(
        units,
        on_hand=0,
        lead_times=14,
        snap_on_hand=snapshots,
        forecast=flat_forecast([20.0]),
    )

    assert detect_sales_drop(scan_inputs, Thresholds()) == []
    findings = run_detectors(scan_inputs, Thresholds())
    assert [finding.kind for finding in findings] == ["stockout_risk"]
    lost = findings[0].evidence["sales_lost_to_stockout"]
    assert lost["stockout_days"] == 8
    assert lost["units_sold_on_those_days"] == 0


def test_without_snapshots_a_product_out_of_stock_now_is_not_a_sales_drop():
    units = poisson_sales([20.0], seed=7)
    units[0, -8:] = 0
    scan_inputs = inputs(units, on_hand=0, lead_times=14)
    assert detect_sales_drop(scan_inputs, Thresholds()) == []


def test_a_drop_with_stock_on_the_shelf_is_a_sales_drop():
    units = dropped([20.0], days=10, to=0.3, seed=8)
    snapshots = np.full((1, 60), 200.0)
    scan_inputs = inputs(units, on_hand=200, snap_on_hand=snapshots)
    [finding] = detect_sales_drop(scan_inputs, Thresholds())
    assert finding.evidence["stockout_days_left_out"] == 0


def test_a_forecast_made_before_the_window_is_the_yardstick_when_there_is_one():
    # History says 10 a day, but the forecast made before the window expected 30: a drop.
    units = poisson_sales([10.0], seed=9)
    window_start = TODAY - dt.timedelta(days=28)
    reference = flat_forecast([30.0], start=window_start - dt.timedelta(days=2), days=35)
    [finding] = detect_sales_drop(inputs(units, reference=reference), Thresholds())
    assert finding.evidence["expected_from"] == "forecast"
    assert finding.evidence["reference_forecast_start"] == "2025-05-19"


def test_a_forecast_made_during_the_window_is_not_a_yardstick():
    units = poisson_sales([10.0], seed=10)
    reference = flat_forecast([30.0], start=TODAY - dt.timedelta(days=5), days=35)
    assert detect_sales_drop(inputs(units, reference=reference), Thresholds()) == []


def test_a_day_the_whole_store_sold_nothing_is_left_out():
    levels = np.linspace(5.0, 30.0, 40)
    units = poisson_sales(levels, seed=11)
    units[:, -3] = 0  # a closure (or a day missing from the import), two days ago
    assert detect_sales_drop(inputs(units), Thresholds()) == []


def test_only_the_products_that_fell_are_reported_in_a_busy_store():
    levels = np.linspace(5.0, 30.0, 60)
    units = dropped(levels, days=14, to=0.3, seed=12, rows=[10, 40])
    findings = detect_sales_drop(inputs(units), Thresholds())
    assert sorted(finding.product_id for finding in findings) == [11, 41]


def overdispersed_sales(levels, *, dispersion: float, days: int = 140, seed: int) -> np.ndarray:
    """Negative-binomial daily units (variance mu + dispersion x mu^2): a grocery line's
    lumpy baskets rather than Poisson arrivals."""
    levels = np.asarray(levels, dtype=float)
    size = 1.0 / dispersion
    rng = np.random.default_rng(seed)
    mean = levels[:, None] * np.ones((len(levels), days))
    return rng.negative_binomial(size, size / (size + mean)).astype(float)


def test_a_drop_of_a_lumpy_three_a_day_seller_is_found_within_three_weeks():
    # Three a day with a dispersion of 0.3 (a lumpy M5 grocery line; the median is about
    # 0.14): with the baseline's full spread a fall to 40 % adds little evidence a day; the
    # CUSUM's capped dispersion finds it.
    units = overdispersed_sales([3.0], dispersion=0.3, seed=21)
    rng = np.random.default_rng(121)
    units[0, -21:] = rng.binomial(units[0, -21:].astype(np.int64), 0.4)

    [finding] = detect_sales_drop(inputs(units), Thresholds())
    assert finding.evidence["expected_from"] == "history"
    assert finding.evidence["drop_share"] >= 0.4
    assert finding.evidence["cusum"] >= Thresholds().sales_drop_cusum_threshold


def test_lumpy_noise_of_sparse_sellers_raises_no_drop():
    # 200 products selling 2-4 a day with the M5 grocery median dispersion, no drop.
    levels = np.linspace(2.0, 4.0, 200)
    units = overdispersed_sales(levels, dispersion=0.15, seed=22)
    assert detect_sales_drop(inputs(units), Thresholds()) == []
