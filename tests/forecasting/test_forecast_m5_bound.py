"""`bench/forecast_m5.py` prints a bound next to the RMSSE target: a forecast that knows each
SKU's mean over the holdout, spread over the days in the engine's shape."""

import re

import numpy as np
import pytest

from tests.benches import bench_module


@pytest.fixture(scope="module")
def bench():
    return bench_module("forecast_m5.py")


def test_the_oracle_keeps_each_skus_holdout_total_in_the_forecasts_shape(bench):
    actual = np.array([[2.0, 0.0, 4.0, 2.0], [1.0, 1.0, 1.0, 1.0]])
    point = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 2.0, 0.0, 2.0]])
    oracle = bench.oracle_level(actual, point)
    np.testing.assert_allclose(oracle[0], [2.0, 2.0, 2.0, 2.0])
    np.testing.assert_allclose(oracle[1], [0.0, 2.0, 0.0, 2.0])
    np.testing.assert_allclose(oracle.sum(axis=1), actual.sum(axis=1))


def test_a_sku_the_forecast_never_sells_gets_its_mean_every_day(bench):
    oracle = bench.oracle_level(np.array([[3.0, 0.0, 0.0]]), np.zeros((1, 3)))
    np.testing.assert_allclose(oracle, [[1.0, 1.0, 1.0]])


def test_gap_closed_is_the_share_of_the_way_from_baseline_to_oracle(bench):
    assert bench.gap_closed(0.75, baseline=0.80, oracle=0.70) == pytest.approx(0.5)
    assert bench.gap_closed(0.80, baseline=0.80, oracle=0.70) == pytest.approx(0.0)
    assert bench.gap_closed(0.85, baseline=0.80, oracle=0.70) == pytest.approx(-0.5)
    assert bench.gap_closed(0.75, baseline=0.70, oracle=0.70) is None


def test_engine_config_overrides_are_checked_against_the_engine(bench):
    assert bench.engine_config('{"combine": "select", "lgbm_params": {"num_leaves": 255}}') == {
        "combine": "select",
        "lgbm_params": {"num_leaves": 255},
    }
    assert bench.engine_config('{"candidates": ["tsb", "lgbm"]}') == {"candidates": ("tsb", "lgbm")}
    for text, message in (
        ("{", "not JSON"),
        ("[1]", "must be a JSON object"),
        ('{"colour": 1}', "unknown EngineConfig fields ['colour']"),
        ('{"horizon": 7}', "set by the holdout"),
        ('{"combine": "average"}', "combine must be"),
        ('{"candidates": ["prophet"]}', "unknown candidates"),
    ):
        with pytest.raises(bench.argparse.ArgumentTypeError, match=re.escape(message)):
            bench.engine_config(text)


def test_a_bad_engine_config_is_a_usage_error(bench, capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--engine-config", '{"selection_margin": 2}'])
    assert exit_info.value.code == 2
    assert "selection_margin must lie between 0 and 1" in capsys.readouterr().err
