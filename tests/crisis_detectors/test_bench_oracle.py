"""The sales-drop upper bound of `bench/crisis_detection.py --oracle-bound`: its SKU model,
its threshold for a false-alert budget and its detection delays, on small synthetic series."""

import datetime as dt

import numpy as np
import pytest

from tests.benches import bench_module


@pytest.fixture(scope="module")
def bench():
    return bench_module("crisis_detection.py")


@pytest.fixture
def small(bench, monkeypatch):
    """Fewer simulated chains and paths: the tests check behaviour, not precision."""
    monkeypatch.setattr(bench, "ORACLE_NULL_CHAINS", 100)
    monkeypatch.setattr(bench, "ORACLE_NULL_DAYS", 1200)
    monkeypatch.setattr(bench, "ORACLE_PATHS", 400)
    return bench


def _event(bench, *, row, day, size=0.4):
    return bench.Event("drop", size, row, 0, day)


def _weekday_series(bench, rng, profile, alpha, days):
    """Negative-binomial units whose mean follows `profile` by weekday (Monday 0)."""
    weekday = np.array([(bench.M5_FIRST_DAY + dt.timedelta(days=k)).weekday() for k in range(days)])
    mean = np.asarray(profile)[weekday]
    shape = 1 / alpha
    return rng.poisson(rng.gamma(shape, mean / shape)).astype(float)


def test_the_oracle_reads_weekday_means_and_dispersion_from_the_clean_history(bench, monkeypatch):
    monkeypatch.setattr(bench, "ORACLE_HISTORY_DAYS", 2000)
    rng = np.random.default_rng(1)
    profile = [4.0, 4.0, 4.0, 4.0, 6.0, 8.0, 8.0]
    units = np.stack([_weekday_series(bench, rng, profile, 0.2, 3000) for _ in range(3)])
    models = bench.oracle_models(units, [_event(bench, row=r, day=2900) for r in range(3)])

    assert np.allclose(models.mean, np.array(profile)[None, :], rtol=0.1)
    assert np.allclose(models.alpha, 0.2, atol=0.06)
    onset = (bench.M5_FIRST_DAY + dt.timedelta(days=2900)).weekday()
    assert (models.onset_weekday == onset).all()


def test_a_larger_budget_buys_a_lower_threshold_whose_alarm_rate_fits_it(small):
    bench = small
    models = bench.OracleModels(
        mean=np.full((1, 7), 3.0), alpha=np.array([0.1]), onset_weekday=np.array([0])
    )
    budgets = np.array([1 / 200, 1 / 25])
    rng = np.random.default_rng(2)
    strict, loose = bench.oracle_thresholds(models, 0.6, budgets, rng)[0]

    assert loose < strict
    # On a fresh no-change series the loose threshold alarms about as often as it may.
    from crisis.detectors.stats import nb_llr_drop

    units = bench._nb_draws(rng, np.full((200, 1000), 3.0), np.array([[0.1]]))
    level = np.zeros(200)
    openings = 0
    for day in range(1000):
        after = np.maximum(level + nb_llr_drop(units[:, day], 3.0, 0.1, 0.6), 0.0)
        openings += int(((level < loose) & (after >= loose)).sum())
        level = after
    rate = openings / (200 * 1000)
    assert budgets[1] / 2 < rate < budgets[1] * 1.5


def test_bigger_drops_are_found_sooner_and_alarms_live_at_the_onset_are_left_out(small):
    bench = small
    models = bench.OracleModels(
        mean=np.full((2, 7), 4.0), alpha=np.array([0.1, 0.1]), onset_weekday=np.array([0, 3])
    )
    rng = np.random.default_rng(3)
    thresholds = np.array([[3.0], [0.0]])  # the second alarms on every day, the onset too
    small_drop = bench.oracle_delays(models, 0.8, thresholds, rng)
    big_drop = bench.oracle_delays(models, 0.4, thresholds, rng)

    assert np.isnan(big_drop[1]).all()
    found_small = small_drop[0, :, 0] <= bench.DROP_HORIZON
    found_big = big_drop[0, :, 0] <= bench.DROP_HORIZON
    assert found_big.mean() > found_small.mean()
    assert np.median(big_drop[0, found_big, 0]) < np.median(small_drop[0, found_small, 0])


def test_the_drift_check_raises_thresholds_only_for_series_that_leave_their_model(small):
    bench = small
    rng = np.random.default_rng(4)
    steady = np.stack([_weekday_series(bench, rng, [5.0] * 7, 0.05, 2200) for _ in range(20)])
    drifting = steady.copy()
    drifting[:, 2020:] = rng.binomial(drifting[:, 2020:].astype(np.int64), 0.5)
    check = {
        "period_start": 2000,
        "episodes": 1,
        "ratio": 0.6,
        "budget": 1 / 50,
    }

    _rate, steady_raise = bench.oracle_real_alarms(steady, [], rng=rng, **check)
    drift_rate, drift_raise = bench.oracle_real_alarms(drifting, [], rng=rng, **check)

    assert drift_rate > check["budget"]
    assert drift_raise > steady_raise
