"""Long zero runs of steady sellers are read as stockouts, not as weeks without demand."""

import numpy as np

from forecasting.engine import EngineConfig, Series, forecast_panel
from forecasting.engine.panel import stockout_mask

from ..forecast_engine.synthetic import START, daily_panel


def _steady(days: int, *, level: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).poisson(level, days).astype(float)


def test_a_steady_sellers_finished_zero_run_is_a_stockout():
    values = _steady(200, level=4.0, seed=0)
    values[100:130] = 0
    mask = stockout_mask(values[None, :], end=199)[0]
    assert mask[100:130].all()
    assert mask.sum() == 30


def test_an_ongoing_zero_run_is_left_for_the_forecast_to_judge():
    values = _steady(200, level=4.0, seed=1)
    values[170:] = 0
    assert not stockout_mask(values[None, :], end=199).any()


def test_a_slow_sellers_quiet_weeks_are_ordinary_demand():
    rng = np.random.default_rng(2)
    values = np.where(rng.random(200) < 0.05, 1.0, 0.0)
    values[0] = 1.0
    values[100:125] = 0
    values[125] = 1.0
    assert not stockout_mask(values[None, :], end=199)[0, 100:125].any()


def test_days_before_the_first_sale_are_never_stockouts():
    values = np.concatenate([np.full(50, np.nan), _steady(100, level=3.0, seed=3)])
    assert not stockout_mask(values[None, :], end=149)[0, :50].any()


def test_a_sku_back_from_a_stockout_is_forecast_at_its_level_on_sale():
    days, level = 240, 6.0
    series = daily_panel(skus=8, days=days)
    values = _steady(days, level=level, seed=4)
    values[days - 45 : days - 10] = 0  # out of stock for five weeks, back ten days ago
    series.append(Series(key="restocked", values=values, start=START, category="grocery"))
    forecasts = {
        flag: forecast_panel(
            series, config=EngineConfig(horizon=14, n_jobs=1, stockouts=flag)
        ).results["restocked"]
        for flag in (True, False)
    }
    on_sale = forecasts[True].point.mean()
    assert on_sale > forecasts[False].point.mean()
    assert on_sale > 0.7 * level
