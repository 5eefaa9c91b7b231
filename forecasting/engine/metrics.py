"""Accuracy measures of a forecast against what was actually sold.

All take plain arrays, one value per period. `history` is what the forecaster saw before the
forecast window; it only sets the scale of MASE and RMSSE, the M5 way: the one-step naive
forecast's in-sample errors counted from the first non-zero sale (leading zeros are days the
product was not on sale yet, not days it sold nothing).

- MAE    mean |actual - forecast|, in units per period ("typically off by about N units a day").
- bias   mean (forecast - actual): positive means the forecast runs high.
- MASE   MAE / mean |y_t - y_{t-1}| over the history from its first non-zero value.
- RMSSE  sqrt(mean (actual - forecast)^2 / mean (y_t - y_{t-1})^2), same history span.
- coverage  share of periods with lower <= actual <= upper (P10-P90 band: ideally 0.8).
- pinball   mean over levels q and periods of max(q (y - f_q), (q - 1)(y - f_q)).

MASE and RMSSE are None when the scale is undefined (fewer than two values since the first
sale, or a history that never changes), never a division by zero.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def _as_float(values) -> np.ndarray:
    return np.asarray(values, dtype=float).ravel()


def naive_scales(history) -> tuple[float | None, float | None]:
    """(mean absolute, mean squared) one-step naive difference from the first non-zero value."""
    y = _as_float(history)
    nonzero = np.flatnonzero(y != 0)
    if nonzero.size == 0:
        return None, None
    diffs = np.diff(y[nonzero[0] :])
    if diffs.size == 0:
        return None, None
    absolute = float(np.mean(np.abs(diffs)))
    squared = float(np.mean(diffs**2))
    if absolute <= 0 or squared <= 0:
        return None, None
    return absolute, squared


def mae(actual, forecast) -> float:
    return float(np.mean(np.abs(_as_float(actual) - _as_float(forecast))))


def bias(actual, forecast) -> float:
    return float(np.mean(_as_float(forecast) - _as_float(actual)))


def mase(actual, forecast, *, history) -> float | None:
    scale, _ = naive_scales(history)
    return None if scale is None else mae(actual, forecast) / scale


def rmsse(actual, forecast, *, history) -> float | None:
    _, scale = naive_scales(history)
    if scale is None:
        return None
    error = _as_float(actual) - _as_float(forecast)
    return float(np.sqrt(np.mean(error**2) / scale))


def coverage(actual, lower, upper) -> float:
    y = _as_float(actual)
    return float(np.mean((_as_float(lower) <= y) & (y <= _as_float(upper))))


def pinball(actual, quantiles: Mapping[float, np.ndarray]) -> float:
    """Mean pinball (quantile) loss over the given levels, in units per period."""
    y = _as_float(actual)
    losses = []
    for level, values in quantiles.items():
        diff = y - _as_float(values)
        losses.append(np.mean(np.maximum(level * diff, (level - 1) * diff)))
    return float(np.mean(losses))


def panel_scales(history: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`naive_scales` for every row of a (series x periods) matrix at once; NaN where
    undefined. `first` is each row's first non-zero column (>= width when none); NaN cells
    (before a series' start) never count."""
    history = np.asarray(history, dtype=float)
    n, width = history.shape
    diffs = np.diff(history, axis=1)
    cols = np.arange(1, width)[None, :]
    valid = (cols > np.asarray(first)[:, None]) & np.isfinite(diffs)
    count = valid.sum(axis=1)
    safe = np.where(valid, diffs, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        absolute = np.abs(safe).sum(axis=1) / count
        squared = (safe**2).sum(axis=1) / count
    bad = (count == 0) | ~(absolute > 0) | ~(squared > 0)
    absolute[bad] = np.nan
    squared[bad] = np.nan
    return absolute, squared
