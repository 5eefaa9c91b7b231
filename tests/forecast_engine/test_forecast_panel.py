import datetime

import numpy as np
import pytest

from forecasting.engine import ENGINE_VERSION, EngineConfig, Series, forecast_panel

from .synthetic import START, daily_panel

DAYS = 240
HORIZON = 14


@pytest.fixture(scope="module")
def forecast():
    rng = np.random.default_rng(1)
    series = daily_panel(skus=12, days=DAYS)
    intermittent = np.where(rng.random(DAYS) < 0.08, rng.integers(1, 4, DAYS), 0).astype(float)
    series += [
        Series(key="intermittent", values=intermittent, start=START, category="snacks"),
        Series(key="never-sold", values=np.zeros(DAYS), start=START, category="snacks"),
        Series(key="empty", values=np.array([]), start=START + datetime.timedelta(days=DAYS)),
        # Listed 10 days before the end: far too short for a back-test.
        Series(
            key="new",
            values=np.array([3, 5, 4, 6, 5, 4, 7, 5, 6, 5], float),
            start=START + datetime.timedelta(days=DAYS - 10),
            category="grocery",
        ),
    ]
    config = EngineConfig(horizon=HORIZON, quantiles=(0.1, 0.5, 0.9), n_jobs=1)
    return series, forecast_panel(series, config=config)


def test_every_series_gets_a_forecast_of_the_horizon_for_every_level(forecast):
    series, panel = forecast
    assert list(panel.results) == [item.key for item in series]
    for result in panel.results.values():
        assert sorted(result.quantiles) == [0.1, 0.5, 0.9]
        for values in result.quantiles.values():
            assert values.shape == (HORIZON,)
            assert np.all(np.isfinite(values))


def test_forecasts_start_the_day_after_the_common_last_day(forecast):
    _, panel = forecast
    expected = START + datetime.timedelta(days=DAYS)
    assert {result.start for result in panel.results.values()} == {expected}


def test_quantiles_are_non_negative_and_monotone_in_level(forecast):
    _, panel = forecast
    for result in panel.results.values():
        low, mid, high = (result.quantiles[level] for level in (0.1, 0.5, 0.9))
        assert np.all(low >= 0)
        assert np.all(low <= mid + 1e-12)
        assert np.all(mid <= high + 1e-12)


def test_skus_with_history_are_backtested_with_metrics(forecast):
    _, panel = forecast
    result = panel.results["SKU-2"]  # ~4 units a day
    assert not result.borrowed_from_category
    assert result.history_periods == DAYS
    assert result.model_name != "category"
    for value in (result.mae, result.mase, result.rmsse, result.bias, result.coverage):
        assert value is not None and np.isfinite(value)
    assert 0 <= result.coverage <= 1
    # A Poisson(4)-ish series: typically off by about 1.5 units a day, not by 10.
    assert 0.5 < result.mae < 4
    assert 2.5 < result.point.mean() < 6


def test_the_forecast_follows_each_skus_volume(forecast):
    _, panel = forecast
    slow = panel.results["SKU-0"].point.mean()  # level 0.3
    fast = panel.results["SKU-3"].point.mean()  # level 12
    assert slow < 1 < 8 < fast


def test_an_intermittent_series_forecasts_its_small_mean_with_a_band_from_zero(forecast):
    _, panel = forecast
    result = panel.results["intermittent"]
    assert 0 < result.point.mean() < 0.6
    assert np.all(result.quantiles[0.1] == 0)
    assert np.all(result.quantiles[0.9] > 0)


def test_series_that_never_sold_or_are_empty_forecast_zero(forecast):
    _, panel = forecast
    never = panel.results["never-sold"]
    assert never.model_name == "zero" and not never.borrowed_from_category
    empty = panel.results["empty"]
    assert empty.borrowed_from_category and empty.history_periods == 0
    for result in (never, empty):
        for values in result.quantiles.values():
            assert np.all(values == 0)
        assert result.rmsse is None and result.mase is None


def test_a_new_sku_borrows_its_categorys_pattern_at_its_own_level(forecast):
    _, panel = forecast
    result = panel.results["new"]
    assert result.borrowed_from_category
    assert result.model_name == "category"
    assert result.history_periods == 10
    assert result.rmsse is None
    # Its own level (5 a day) with the category's weekly shape, not the category's volume.
    assert result.point.mean() == pytest.approx(5.0, rel=0.15)
    assert result.point.std() > 0


def test_the_run_records_versions_timings_and_chosen_models(forecast):
    series, panel = forecast
    assert panel.model_versions["engine"] == ENGINE_VERSION
    assert {"lightgbm", "statsforecast"} <= set(panel.model_versions)
    assert panel.timings["total"] > 0
    assert sum(panel.chosen.values()) == len(series)
    assert panel.backtest["skus_backtested"] == 13
    assert panel.parameters["horizon"] == HORIZON


def test_p50_is_always_requested_and_levels_are_validated():
    assert EngineConfig(quantiles=(0.1, 0.9)).quantiles == (0.1, 0.5, 0.9)
    with pytest.raises(ValueError):
        EngineConfig(quantiles=(0.0, 0.5))
    with pytest.raises(ValueError):
        EngineConfig(freq="M")
    with pytest.raises(ValueError):
        EngineConfig(candidates=("prophet",))


def test_an_empty_call_returns_an_empty_forecast():
    panel = forecast_panel([], config=EngineConfig(horizon=7, n_jobs=1))
    assert panel.results == {}
