import datetime as dt

import numpy as np
import pytest

from forecasting import planning

from .conftest import TODAY, flat_quantiles, make_inputs


def test_zero_demand_needs_no_stock_and_all_stock_is_overstock():
    result = planning.plan_compute(make_inputs(quantiles=flat_quantiles(0, 0, 0), on_hand=40))
    assert result.mean_daily_demand == 0
    assert result.reorder_point == 0
    assert result.safety_stock == 0
    assert result.order_quantity == 0
    assert result.days_of_cover is None
    assert result.stockout_date is None
    assert result.stockout_risk == 0
    assert result.lost_revenue == 0
    assert result.overstock_units == 40
    assert result.aged_units == 40
    assert result.markdown["expected_units"] == 0
    assert result.markdown["recovered"] == 0


def test_zero_demand_and_zero_stock_is_a_quiet_plan():
    result = planning.plan_compute(
        make_inputs(quantiles=flat_quantiles(0, 0, 0), on_hand=0, recent_daily_units=[])
    )
    assert result.order_quantity == 0
    assert result.stockout_date is None
    assert result.stockout_risk == 0
    assert result.overstock_units == 0
    assert result.markdown == {}


def test_without_a_forecast_the_plan_uses_recent_sales():
    recent = np.concatenate([np.full(152, 9.0), np.full(28, 3.0)])
    result = planning.plan_compute(make_inputs(quantiles={}, recent_daily_units=recent))
    assert result.demand_source == "recent_sales"
    assert result.mean_daily_demand == pytest.approx(3.0)
    assert result.reorder_point > 30


def test_a_forecast_that_no_longer_covers_today_falls_back_to_recent_sales():
    inputs = make_inputs(
        forecast_start=TODAY - dt.timedelta(days=40), recent_daily_units=np.full(60, 5.0)
    )
    result = planning.plan_compute(inputs)
    assert result.demand_source == "recent_sales"
    assert result.mean_daily_demand == pytest.approx(5.0)


def test_a_forecast_missing_p90_falls_back_to_recent_sales():
    quantiles = flat_quantiles(1, 2, 3)
    del quantiles[0.9]
    result = planning.plan_compute(make_inputs(quantiles=quantiles))
    assert result.demand_source == "recent_sales"


def test_no_forecast_and_no_sales_is_zero_demand():
    result = planning.plan_compute(make_inputs(quantiles={}, recent_daily_units=np.array([])))
    assert result.demand_source == "none"
    assert result.reorder_point == 0
    assert result.order_quantity == 0


def test_a_forecast_starting_tomorrow_is_used_weekday_for_weekday():
    path = np.array([1, 2, 3, 4, 5, 6, 7] * 4, dtype=float)
    quantiles = dict.fromkeys((0.1, 0.5, 0.9), path)
    demand = planning.demand_build(
        make_inputs(quantiles=quantiles, forecast_start=TODAY + dt.timedelta(days=1)), length=28
    )
    assert demand.mean[0] == pytest.approx(7.0)  # today is the weekday before day 0
    assert demand.mean[1] == pytest.approx(1.0)


def test_zero_and_negative_stock_show_a_stockout_today_with_certain_risk():
    for on_hand in (0, -3):
        result = planning.plan_compute(make_inputs(on_hand=on_hand))
        assert result.stockout_date == TODAY
        assert result.days_of_cover == 0
        assert result.stockout_risk > 0.99
        assert result.lost_revenue == pytest.approx(60.0)  # median 6 units at 10
        assert result.aged_units == 0
        assert result.overstock_units == 0


def test_service_level_0_999_and_zero_periods_still_give_finite_plans(independent_days):
    result = planning.plan_compute(
        make_inputs(service_level=0.999, lead_time_days=0, review_period_days=0, on_hand=0)
    )
    # lead time and review period count one day each: Poisson(4) at 99.9 %
    assert result.reorder_point == 11
    assert result.order_quantity == result.reorder_point


def test_a_huge_volume_is_planned_without_overflow():
    result = planning.plan_compute(
        make_inputs(quantiles=flat_quantiles(9000, 10000, 11000), on_hand=0)
    )
    assert 100_000 < result.reorder_point < 130_000
    assert result.stockout_risk == pytest.approx(1.0)


def test_a_free_product_has_no_money_at_stake():
    result = planning.plan_compute(make_inputs(on_hand=500, price=0.0, cost=None))
    assert result.overstock_units > 0
    assert result.overstock_value == 0
    assert result.markdown["recovered"] == 0
