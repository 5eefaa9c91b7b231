import numpy as np
import pytest

from forecasting import planning

from .conftest import make_inputs


def test_overstock_is_stock_beyond_lead_time_plus_cover_target_demand_and_safety_stock(
    independent_days,
):
    result = planning.plan_compute(make_inputs(on_hand=150, inbound=50, cost=4.0))
    # needed: 2 a day over 3 + 30 days = 66, plus safety stock 8 -> 74; 200 - 74 = 126
    assert result.overstock_units == 126
    assert result.overstock_value == pytest.approx(504.0)


def test_overstock_without_a_cost_is_valued_at_half_the_price(independent_days):
    result = planning.plan_compute(make_inputs(on_hand=200, cost=None, price=10.0))
    assert result.overstock_value == pytest.approx(126 * 5.0)


def test_stock_within_the_cover_target_is_not_overstock():
    result = planning.plan_compute(make_inputs(on_hand=60))
    assert result.overstock_units == 0
    assert result.overstock_value == 0
    assert result.markdown == {}


def test_aged_units_are_those_still_on_the_shelf_after_the_ageing_threshold():
    # 2 a day for 90 days sells 180 of 200
    assert planning.plan_compute(make_inputs(on_hand=200)).aged_units == 20
    # inbound is newer stock: sold after the shelf (first in, first out)
    assert planning.plan_compute(make_inputs(on_hand=200, inbound=300)).aged_units == 20


def test_aged_units_count_the_age_since_the_last_delivery():
    # already 30 days old: 60 days left to sell 120
    result = planning.plan_compute(make_inputs(on_hand=200, days_since_last_receipt=30))
    assert result.aged_units == 80
    older = planning.plan_compute(make_inputs(on_hand=200, days_since_last_receipt=120))
    assert older.aged_units == 200


def test_markdown_picks_the_cut_with_the_most_revenue_plus_keep_value(independent_days):
    result = planning.plan_compute(make_inputs(on_hand=200, price=10.0, cost=4.0, elasticity=-2.0))
    markdown = result.markdown
    # 56 units expected over 28 days; a unit kept waits 126 / (2 * 2) = 31.5 days:
    # keep value 4 * (1 - 0.25 * 31.5 / 365) = 3.914. At 20 % off: 56 / 0.8^2 = 87.5 units
    # at 8.00 = 700 + 112.5 kept * 3.914 = 1140.3, the best of 10..50 %.
    assert markdown["price_cut"] == pytest.approx(0.2)
    assert markdown["new_price"] == pytest.approx(8.0)
    assert markdown["elasticity"] == -2.0
    assert markdown["days"] == 28
    assert markdown["baseline_units"] == pytest.approx(56.0)
    assert markdown["expected_units"] == pytest.approx(87.5)
    assert markdown["recovered"] == pytest.approx(700.0)
    assert markdown["keep_value"] == pytest.approx(3.91, abs=0.01)
    assert markdown["net_gain"] == pytest.approx(16.7, abs=0.1)


def test_a_slow_mover_nobody_would_wait_for_gets_the_deepest_cut():
    quantiles = {level: np.full(28, 0.1) for level in (0.1, 0.5, 0.9)}
    result = planning.plan_compute(make_inputs(quantiles=quantiles, on_hand=500))
    # 2.8 units in 28 days: a kept unit waits ~6 years, worth nothing; elasticity -2 means
    # revenue grows with the cut.
    assert result.markdown["price_cut"] == pytest.approx(0.5)
    assert result.markdown["expected_units"] == pytest.approx(2.8 * 4, abs=0.1)


def test_inelastic_demand_gets_the_smallest_cut():
    result = planning.plan_compute(make_inputs(on_hand=400, elasticity=-0.5))
    assert result.markdown["price_cut"] == pytest.approx(0.1)
    assert result.markdown["net_gain"] < 0  # shown, but it does not pay


def test_markdown_sales_are_capped_by_the_stock():
    result = planning.plan_compute(
        make_inputs(on_hand=120, cover_target_days=7, cost=0.0, elasticity=-6.0)
    )
    assert result.overstock_units > 0
    assert result.markdown["expected_units"] <= 120
