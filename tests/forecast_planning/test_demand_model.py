import datetime as dt

import numpy as np
import pytest
from scipy import stats

from forecasting import planning

from .conftest import TODAY, flat_quantiles, make_inputs


def test_p50_is_the_mean_and_the_upper_half_gives_the_spread():
    mean, var = planning.day_moments_from_quantiles(
        np.array([10.0]), np.array([20.0]), np.array([40.0])
    )
    # The engine stores the expected units at level 0.5; sd = (P90 - P50) / 1.2816.
    assert mean[0] == pytest.approx(20.0)
    assert var[0] == pytest.approx((20 / 1.2815516) ** 2, rel=1e-6)  # sd 15.6


def test_narrow_quantiles_keep_at_least_poisson_variance():
    mean, var = planning.day_moments_from_quantiles(
        np.array([0.1]), np.array([0.3]), np.array([0.5])
    )
    assert mean[0] == pytest.approx(0.3)
    assert var[0] == pytest.approx(0.3)  # (0.2 / 1.28)^2 = 0.024 is below the Poisson floor


def test_crossing_or_negative_quantiles_are_repaired_before_use():
    mean, var = planning.day_moments_from_quantiles(
        np.array([-3.0, 2.0]), np.array([5.0, -1.0]), np.array([4.0, 1.0])
    )
    # P90 below P50 is raised to it; a negative P50 is raised to P10
    assert list(mean) == pytest.approx([5.0, 2.0])
    assert list(var) == pytest.approx([5.0, 2.0])


def test_window_quantile_is_poisson_when_variance_equals_mean():
    assert planning.demand_quantile(0.95, mean=20, var=20) == 28
    assert planning.demand_quantile(0.5, mean=6, var=6) == 6


def test_window_quantile_is_negative_binomial_when_overdispersed():
    mean, var = 20.0, 60.0
    p, n = mean / var, mean * mean / (var - mean)
    for level in (0.5, 0.9, 0.95, 0.999):
        assert planning.demand_quantile(level, mean=mean, var=var) == stats.nbinom.ppf(level, n, p)


def test_window_cdf_matches_scipy():
    assert planning.demand_cdf(3, mean=6, var=6) == pytest.approx(stats.poisson.cdf(3, 6))
    p, n = 0.25, 6 * 0.25 / 0.75
    assert planning.demand_cdf(4, mean=6, var=24) == pytest.approx(stats.nbinom.cdf(4, n, p))


def test_correlated_days_widen_the_window_but_keep_its_mean(monkeypatch):
    # No sales history: the window's variance is the forecast's alone.
    demand = planning.demand_build(make_inputs(recent_daily_units=np.array([])), length=30)
    monkeypatch.setattr(planning, "DAY_ERROR_CORRELATION", 0.0)
    ((share, mean, var),) = demand.window(0, 10).parts
    assert (share, mean, var) == pytest.approx((1.0, 20.0, 20.0))
    monkeypatch.setattr(planning, "DAY_ERROR_CORRELATION", 0.5)
    ((share, mean, var),) = demand.window(0, 10).parts
    # 20 + 0.5 * ((10 * sqrt 2)^2 - 20)
    assert (share, mean, var) == pytest.approx((1.0, 20.0, 110.0))


def test_a_forecast_made_days_ago_is_read_from_today():
    quantiles = {level: np.arange(28, dtype=float) for level in (0.1, 0.5, 0.9)}
    inputs = make_inputs(quantiles=quantiles, forecast_start=TODAY - dt.timedelta(days=5))
    demand = planning.demand_build(inputs, length=30)
    assert demand.mean[0] == pytest.approx(5.0)
    assert demand.horizon_days == 23
    assert demand.source == "forecast"


def test_days_beyond_the_forecast_repeat_its_last_week_weekday_for_weekday():
    path = np.array([1, 2, 3, 4, 5, 6, 7] * 2, dtype=float) * 1.0
    quantiles = dict.fromkeys((0.1, 0.5, 0.9), path)
    demand = planning.demand_build(make_inputs(quantiles=quantiles), length=28)
    assert list(demand.mean[14:21]) == [1, 2, 3, 4, 5, 6, 7]
    assert list(demand.mean[21:28]) == [1, 2, 3, 4, 5, 6, 7]


def test_string_quantile_keys_from_json_are_understood():
    quantiles = {str(level): list(values) for level, values in flat_quantiles(1, 2, 3).items()}
    demand = planning.demand_build(make_inputs(quantiles=quantiles), length=28)
    assert demand.source == "forecast"
    assert demand.mean[0] == pytest.approx(2.0)


def test_own_window_variance_is_the_variance_of_the_products_w_day_totals():
    units = np.array([0.0, 4.0] * 28)
    # single days swing between 0 and 4; every 2-day total is 4
    assert planning.own_window_variance(units, 1) == pytest.approx(4 * 56 / 55)
    assert planning.own_window_variance(units, 2) == pytest.approx(0.0)


def test_own_window_variance_needs_history_and_a_sale():
    assert planning.own_window_variance(np.full(11, 3.0), 10) is None
    assert planning.own_window_variance(np.zeros(56), 10) is None


def test_the_window_variance_averages_the_forecasts_and_the_products_own(independent_days):
    # forecast: 20 a day, sd (40 - 20) / 1.2816 = 15.6 a day; own 10-day totals never vary
    inputs = make_inputs(
        quantiles=flat_quantiles(10, 20, 40), recent_daily_units=np.array([0.0, 4.0] * 28)
    )
    ((share, mean, var),) = planning.demand_build(inputs, length=30).window(0, 10).parts
    forecast_var = 10 * (20 / 1.2815516) ** 2
    assert (share, mean) == (1.0, pytest.approx(200.0))
    assert var == pytest.approx(forecast_var / 2)


def test_the_window_variance_never_drops_below_poisson(independent_days):
    inputs = make_inputs(quantiles=flat_quantiles(2, 2, 2), recent_daily_units=np.full(56, 2.0))
    ((_, mean, var),) = planning.demand_build(inputs, length=30).window(0, 10).parts
    assert var == pytest.approx(mean) == pytest.approx(20.0)
