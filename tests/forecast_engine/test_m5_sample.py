"""The engine on 50 real M5 SKUs (skipped without ../shared/data)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import EngineConfig, Series, forecast_panel, rmsse

M5 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "m5_foods3_tx3"
pytestmark = pytest.mark.skipif(
    not (M5 / "sales_train_validation_afcs2025.csv").is_file(),
    reason="reference data ../shared/data/m5_foods3_tx3 is absent",
)


def test_fifty_m5_skus_forecast_with_sane_accuracy_and_bands():
    history = pd.read_csv(M5 / "sales_train_validation_afcs2025.csv", nrows=50)
    holdout = pd.read_csv(M5 / "sales_test_validation_afcs2025.csv", nrows=50)
    calendar = pd.read_csv(M5 / "calendar_afcs2025.csv")
    dates = pd.to_datetime(calendar["date"], format="%m/%d/%Y").dt.date
    values = history.iloc[:, 1:].to_numpy(float)[:, -800:]  # the last 800 days: fast
    start = dates.iloc[1913 - 800]
    events = {
        dates[i]: [name for name in (calendar.event_name_1[i],) if isinstance(name, str)]
        + (["SNAP"] if calendar.snap_TX[i] else [])
        for i in range(len(calendar))
    }
    series = [
        Series(key=sku, values=values[row], start=start, category="FOODS_3")
        for row, sku in enumerate(history["id"])
    ]
    panel = forecast_panel(series, config=EngineConfig(horizon=28, n_jobs=1), events=events)
    assert len(panel.results) == 50
    actual = holdout.iloc[:, 1:].to_numpy(float)
    point = np.array([panel.results[sku].point for sku in history["id"]])
    low = np.array([panel.results[sku].quantiles[0.1] for sku in history["id"]])
    high = np.array([panel.results[sku].quantiles[0.9] for sku in history["id"]])
    coverage = ((low <= actual) & (actual <= high)).mean()
    assert 0.65 < coverage < 0.95
    # The volume of the last four weeks, give or take.
    assert point.sum() == pytest.approx(values[:, -28:].sum(), rel=0.25)
    backtest = [panel.results[sku].rmsse for sku in history["id"]]
    known = [value for value in backtest if value is not None]
    assert len(known) >= 45 and 0.3 < np.mean(known) < 1.2
    # Better on the holdout than repeating the last week.
    naive = np.tile(values[:, -7:], 4)
    engine_rmsse = _mean_rmsse(actual, point, values)
    assert engine_rmsse < 0.9 * _mean_rmsse(actual, naive, values)


def _mean_rmsse(actual, forecast, history) -> float:
    return float(
        np.mean([rmsse(a, f, history=h) for a, f, h in zip(actual, forecast, history, strict=True)])
    )
