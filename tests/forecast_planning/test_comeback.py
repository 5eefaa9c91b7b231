"""A product whose sales stopped may have been out of stock rather than unwanted."""

import numpy as np
import pytest

from forecasting import planning

from .conftest import flat_quantiles, make_inputs


def stopped_selling(*, rate: float = 2.0, zero_days: int = 14, days: int = 180) -> np.ndarray:
    return np.concatenate([np.full(days - zero_days, rate), np.zeros(zero_days)])


def test_a_run_of_zero_days_mixes_in_a_comeback_at_the_earlier_rate(independent_days):
    inputs = make_inputs(
        quantiles=flat_quantiles(0, 0, 0), recent_daily_units=stopped_selling(zero_days=14)
    )
    demand = planning.demand_build(inputs, length=30)
    assert demand.resume_share == pytest.approx(8 / 14)
    assert demand.resume_mean == pytest.approx(2.0)
    forecast_part, comeback_part = demand.window(0, 10).parts
    assert forecast_part == pytest.approx((1 - 8 / 14, 0.0, 0.0))
    assert comeback_part[:2] == pytest.approx((8 / 14, 20.0))
    assert demand.expected[0] == pytest.approx(8 / 14 * 2.0)


def test_the_comeback_share_shrinks_with_the_run_within_bounds():
    share = [
        planning.resumption_detect(
            recent=stopped_selling(zero_days=run),
            expected_rate=0.0,
            on_hand=0,
            days_since_last_receipt=None,
        )[0]
        for run in (6, 7, 10, 20, 40, 56, 57)
    ]
    assert share == pytest.approx([0.0, 0.8, 0.8, 0.4, 0.2, 0.15, 0.0])


def test_an_out_of_stock_seller_is_restocked_although_its_forecast_fell_to_zero():
    inputs = make_inputs(
        quantiles=flat_quantiles(0, 0, 0),
        on_hand=0,
        recent_daily_units=stopped_selling(rate=5.0, zero_days=21),
    )
    result = planning.plan_compute(inputs)
    assert result.order_quantity > 0
    assert result.stockout_risk > 0.3
    assert result.mean_daily_demand == pytest.approx(8 / 21 * 5.0, abs=1e-4)


def test_no_comeback_when_stock_sat_on_the_shelf_through_the_run():
    share, _, _ = planning.resumption_detect(
        recent=stopped_selling(zero_days=14),
        expected_rate=0.0,
        on_hand=30,
        days_since_last_receipt=20,
    )
    assert share == 0
    # delivered during the run: the shelf may have been empty before
    share, _, _ = planning.resumption_detect(
        recent=stopped_selling(zero_days=14),
        expected_rate=0.0,
        on_hand=30,
        days_since_last_receipt=5,
    )
    assert share > 0


def test_no_comeback_when_the_forecast_already_expects_the_earlier_rate():
    share, _, _ = planning.resumption_detect(
        recent=stopped_selling(rate=2.0, zero_days=14),
        expected_rate=2.5,
        on_hand=0,
        days_since_last_receipt=None,
    )
    assert share == 0


def test_no_comeback_for_a_product_that_never_sold():
    assert planning.resumption_detect(
        recent=np.zeros(180), expected_rate=0.0, on_hand=0, days_since_last_receipt=None
    ) == (0.0, 0.0, 0.0)


def test_the_comeback_rate_is_the_56_days_before_the_run():
    recent = np.concatenate([np.full(100, 10.0), np.full(56, 1.0), np.zeros(14)])
    _, rate, _ = planning.resumption_detect(
        recent=recent, expected_rate=0.0, on_hand=0, days_since_last_receipt=None
    )
    assert rate == pytest.approx(1.0)
