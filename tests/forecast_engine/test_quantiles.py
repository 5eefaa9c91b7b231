import numpy as np
import pytest

from forecasting.engine import EngineConfig, Series, forecast_panel
from forecasting.engine.quantiles import Calibration, dispersion, mid_cdf, mid_quantile

from .synthetic import START, weekly_pattern_sales


def test_mid_quantiles_rise_with_the_level_and_stay_within_half_a_unit_of_a_count():
    levels = np.linspace(0.02, 0.98, 25)
    values = mid_quantile(levels, np.full(25, 3.0), np.full(25, 0.2))
    assert np.all(np.diff(values) >= 0)
    integer = np.round(values)
    assert np.all(np.abs(values - integer) <= 0.5 + 1e-9)


def test_mid_cdf_is_the_level_at_which_the_mid_quantile_reaches_the_count():
    mu, alpha = np.array([2.5]), np.array([0.3])
    for count in (0, 1, 2, 5):
        level = mid_cdf(np.array([count]), mu, alpha)
        assert mid_quantile(level, mu, alpha)[0] == pytest.approx(max(count, 0), abs=1e-6)


def test_a_zero_forecast_has_a_zero_band():
    assert mid_quantile(0.9, np.array([0.0]), np.array([0.5]))[0] == 0


def test_dispersion_is_small_for_poisson_and_large_for_lumpy_demand():
    rng = np.random.default_rng(0)
    mean = np.full((2, 400), 4.0)
    poisson = rng.poisson(4.0, 400)
    lumpy = np.where(rng.random(400) < 0.2, rng.poisson(20.0, 400), 0)
    alpha = dispersion(np.vstack([poisson, lumpy]).astype(float), mean)
    assert alpha[0] < 0.15 < 1.0 < alpha[1]


def test_recalibration_maps_levels_to_what_the_back_test_delivered():
    rng = np.random.default_rng(1)
    mean = np.full((300, 56), 2.0)
    actual = rng.poisson(2.0, (300, 56)).astype(float)
    # A model that claims a far too wide spread: recalibration narrows the levels it reads.
    calibration = Calibration.fit(
        actual=actual, mean=mean, alpha=np.full(300, 2.0), volume=np.full(300, 2.0)
    )
    low = calibration.effective(0.1, np.array([2.0]))[0]
    high = calibration.effective(0.9, np.array([2.0]))[0]
    assert 0.1 < low < high < 0.9


def test_p10_p90_bands_cover_about_80_percent_of_unseen_days():
    rng = np.random.default_rng(2)
    days, horizon = 330, 28
    series, future = [], []
    for index in range(40):
        sales = weekly_pattern_sales(rng=rng, days=days + horizon, level=0.5 + index % 8)
        series.append(Series(key=index, values=sales[:days], start=START))
        future.append(sales[days:])
    panel = forecast_panel(series, config=EngineConfig(horizon=horizon, n_jobs=1))
    actual = np.array(future)
    low = np.array([panel.results[i].quantiles[0.1] for i in range(40)])
    high = np.array([panel.results[i].quantiles[0.9] for i in range(40)])
    coverage = ((low <= actual) & (actual <= high)).mean()
    assert 0.7 < coverage < 0.9
    assert 0.7 < panel.backtest["coverage"] < 0.9
