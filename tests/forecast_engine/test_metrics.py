import numpy as np
import pytest

from forecasting.engine import metrics


def test_mae_and_bias_are_in_units_per_period_with_positive_bias_for_over_forecasts():
    actual = [1, 3, 0, 4]
    forecast = [2, 2, 1, 4]
    assert metrics.mae(actual, forecast) == pytest.approx(3 / 4)
    assert metrics.bias(actual, forecast) == pytest.approx((1 - 1 + 1 + 0) / 4)


def test_naive_scales_start_at_the_first_sale():
    # Leading zeros are days before launch: differences 3-0, 1-3, 1-1, 5-1 = 3, -2, 0, 4.
    history = [0, 0, 0, 3, 1, 1, 5]
    absolute, squared = metrics.naive_scales(history)
    assert absolute == pytest.approx((0 + 2 + 0 + 4) / 3)
    assert squared == pytest.approx((0 + 4 + 0 + 16) / 3)


def test_rmsse_and_mase_on_a_hand_computed_example():
    history = [2, 4, 2, 4]  # diffs 2, -2, 2: mean |d| = 2, mean d^2 = 4
    actual = [3, 3]
    forecast = [1, 3]  # errors 2, 0: MAE 1, MSE 2
    assert metrics.mase(actual, forecast, history=history) == pytest.approx(1 / 2)
    assert metrics.rmsse(actual, forecast, history=history) == pytest.approx(np.sqrt(2 / 4))


def test_scaled_metrics_are_none_when_the_history_never_changes_or_never_sold():
    assert metrics.rmsse([1], [1], history=[0, 0, 0]) is None
    assert metrics.mase([1], [1], history=[2, 2, 2]) is None
    assert metrics.naive_scales([0, 0, 5]) == (None, None)


def test_coverage_counts_the_band_edges_as_inside():
    assert metrics.coverage([0, 1, 2, 5], [0, 0, 1, 1], [0, 2, 2, 4]) == pytest.approx(3 / 4)


def test_pinball_loss_weights_under_and_over_forecasts_by_level():
    # y=10, P10=5 -> 0.1*5 = 0.5; P90=5 -> 0.9*5 = 4.5; P50=12 -> 0.5*2 = 1.
    loss = metrics.pinball(
        [10], {0.1: np.array([5.0]), 0.5: np.array([12.0]), 0.9: np.array([5.0])}
    )
    assert loss == pytest.approx((0.5 + 1 + 4.5) / 3)


def test_panel_scales_match_the_series_version_row_by_row():
    history = np.array([[0, 0, 3, 1, 1, 5], [2, 4, 2, 4, 2, 4], [0, 0, 0, 0, 0, 0]], float)
    first = np.array([2, 0, 6])
    absolute, squared = metrics.panel_scales(history, first)
    for row in range(2):
        expected = metrics.naive_scales(history[row])
        assert absolute[row] == pytest.approx(expected[0])
        assert squared[row] == pytest.approx(expected[1])
    assert np.isnan(absolute[2]) and np.isnan(squared[2])
