import datetime as dt

import numpy as np
import pytest

from forecasting import planning

from .conftest import TODAY, make_inputs


def test_days_of_cover_and_stockout_date_follow_expected_demand():
    result = planning.plan_compute(make_inputs(on_hand=9))
    # 2 a day: 8 units gone after 4 days, the 9th half-way through day 4.
    assert result.days_of_cover == pytest.approx(4.5)
    assert result.stockout_date == TODAY + dt.timedelta(days=4)


def test_days_of_cover_count_inbound_and_the_stockout_date_sees_it_from_its_arrival():
    result = planning.plan_compute(make_inputs(on_hand=0, inbound=100, lead_time_days=5))
    assert result.days_of_cover == pytest.approx(50.0)
    assert result.stockout_date == TODAY  # out today, the delivery comes on day 5


def test_inbound_that_lands_before_the_shelf_empties_moves_the_stockout_date():
    result = planning.plan_compute(make_inputs(on_hand=20, inbound=10, lead_time_days=5))
    assert result.days_of_cover == pytest.approx(15.0)
    assert result.stockout_date == TODAY + dt.timedelta(days=15)


def test_a_stockout_beyond_the_forecast_uses_its_last_week():
    quantiles = {level: np.array([0, 0, 0, 0, 0, 7, 7], dtype=float) for level in (0.1, 0.5, 0.9)}
    result = planning.plan_compute(make_inputs(quantiles=quantiles, on_hand=30))
    # 14 units a week, Saturdays and Sundays: day 5, 6, 12, 13, 19 (30 > 28 after day 13)
    assert result.stockout_date == TODAY + dt.timedelta(days=19)
    assert result.days_of_cover == pytest.approx(19 + 2 / 7, abs=0.05)


def test_stockout_risk_is_the_chance_lead_time_demand_exceeds_the_shelf(independent_days):
    result = planning.plan_compute(make_inputs(on_hand=3, lead_time_days=3))
    # Poisson(6): P(X > 3) = 1 - 0.1512
    assert result.stockout_risk == pytest.approx(0.8488, abs=1e-4)


def test_inbound_does_not_lower_the_risk_before_it_lands(independent_days):
    without = planning.plan_compute(make_inputs(on_hand=3))
    with_inbound = planning.plan_compute(make_inputs(on_hand=3, inbound=500))
    assert with_inbound.stockout_risk == without.stockout_risk
    assert with_inbound.order_quantity == 0


def test_lost_revenue_is_median_lead_time_demand_beyond_the_shelf_at_the_price(
    independent_days,
):
    result = planning.plan_compute(make_inputs(on_hand=2, price=10.0))
    # median of Poisson(6) is 6: 4 units short at 10
    assert result.lost_revenue == pytest.approx(40.0)
    assert planning.plan_compute(make_inputs(on_hand=6)).lost_revenue == 0


def test_a_well_stocked_product_has_no_risk_and_no_lost_revenue():
    result = planning.plan_compute(make_inputs(on_hand=60))
    assert result.stockout_risk < 0.001
    assert result.lost_revenue == 0
    assert result.mean_daily_demand == pytest.approx(2.0)
