import datetime

import numpy as np
import pytest

from forecasting.engine import EngineConfig, Series, forecast_panel

from .synthetic import START, weekly_pattern_sales


def test_a_future_promotion_day_gets_a_higher_forecast_than_the_same_weekday_without():
    rng = np.random.default_rng(3)
    days, horizon = 300, 14
    series = []
    for index in range(10):
        base = weekly_pattern_sales(rng=rng, days=days, level=3.0 + index)
        promo = np.zeros(days + horizon)
        promo[:days][rng.random(days) < 0.1] = 1
        sales = base + rng.poisson(2.0 * (3.0 + index) * promo[:days])  # promotions triple sales
        if index == 0:
            promo[days:] = 0
            promo[days + 8] = 1  # one future promotion day
        series.append(Series(key=index, values=sales, start=START, promo=promo))
    panel = forecast_panel(series, config=EngineConfig(horizon=horizon, n_jobs=1))
    point = panel.results[0].point
    # Day 8 of the horizon against the same weekday one week earlier.
    assert point[8] > 1.5 * point[1]


def test_weekly_frequency_forecasts_with_yearly_seasonality_and_survives_returns():
    rng = np.random.default_rng(4)
    weeks, horizon = 150, 8
    start = datetime.date(2021, 1, 1)
    season = 1 + 0.5 * np.sin(2 * np.pi * np.arange(weeks + horizon) / 52)
    series = []
    for index in range(8):
        level = 200.0 * (index + 1)
        values = rng.normal(level * season[:weeks], level * 0.1)
        values[rng.integers(0, weeks, 3)] = -50.0  # returns exceeding sales
        series.append(Series(key=f"dept-{index}", values=values, start=start, category="d"))
    holidays = {start + datetime.timedelta(weeks=w): ["holiday"] for w in range(47, weeks, 52)}
    config = EngineConfig(freq="W", horizon=horizon, n_jobs=1)
    panel = forecast_panel(series, config=config, events=holidays)
    assert len(panel.results) == 8
    expected_start = start + datetime.timedelta(weeks=weeks)
    for index, result in enumerate(panel.results.values()):
        assert result.start == expected_start
        assert result.point.shape == (horizon,)
        assert np.all(result.quantiles[0.1] >= 0)
        assert np.all(result.quantiles[0.1] <= result.quantiles[0.9])
        level = 200.0 * (index + 1)
        assert result.point.mean() == pytest.approx(level * season[weeks:].mean(), rel=0.3)
        assert result.rmsse is not None


def test_a_recurring_store_event_in_the_future_raises_the_forecast():
    rng = np.random.default_rng(5)
    days, horizon = 320, 28
    paydays = {START + datetime.timedelta(days=d) for d in range(3, days + horizon, 14)}
    events = {day: ["Payday"] for day in paydays}
    uplift = np.array(
        [1.6 if START + datetime.timedelta(days=d) in paydays else 1.0 for d in range(days)]
    )
    series = [
        Series(key=index, values=rng.poisson((4.0 + index) * uplift).astype(float), start=START)
        for index in range(10)
    ]
    panel = forecast_panel(series, config=EngineConfig(horizon=horizon, n_jobs=1), events=events)
    future = [START + datetime.timedelta(days=days + h) for h in range(horizon)]
    on = [h for h, day in enumerate(future) if day in paydays]
    off = [h for h in range(horizon) if h not in on]
    point = np.array([result.point for result in panel.results.values()])
    assert point[:, on].mean() > 1.2 * point[:, off].mean()


def test_select_mode_keeps_one_candidate_per_sku():
    rng = np.random.default_rng(6)
    series = [
        Series(key=i, values=weekly_pattern_sales(rng=rng, days=200, level=2.0 + i), start=START)
        for i in range(6)
    ]
    config = EngineConfig(horizon=14, combine="select", selection_margin=0.0, n_jobs=1)
    panel = forecast_panel(series, config=config)
    assert "ensemble" not in panel.chosen
    assert sum(panel.chosen.values()) == 6
