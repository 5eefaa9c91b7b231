"""Fast per-SKU statistical candidates, from statsforecast.

- seasonal_naive  SeasonalNaive(season): last week's (last year's, weekly) value per position.
- window_average  WindowAverage(28 days / 13 weeks).
- croston         CrostonOptimized: demand size and interval smoothed separately.
- adida           ADIDA: aggregate to the mean interval, smooth, disaggregate.
- tsb             TSB(alpha_d=0.1, alpha_p=0.1): demand probability decays between sales.
- ets             daily: AutoETS without trend or season (error type chosen by AICc) on the
                  series divided by its weekday profile, the profile multiplied back in
                  (a seasonal AutoETS costs ~30 ms per series and origin, too slow for a
                  panel back-test); weekly: the same without the profile.
A candidate that fails on a series (statsforecast raises on some degenerate inputs) falls back
to the mean of the last window, so one odd series never stops a run.
"""

from __future__ import annotations

import warnings

import numpy as np

STATISTICAL = ("tsb", "adida", "croston", "window_average", "ets", "seasonal_naive")
TSB_ALPHA_DEMAND = 0.1
TSB_ALPHA_PROBABILITY = 0.1
# Weeks of pseudo-observations that pull a weekday profile towards flat.
PROFILE_PRIOR_WEEKS = 8


def _window(freq: str) -> int:
    return 28 if freq == "D" else 13


def _models(season: int, freq: str) -> dict:
    from statsforecast.models import (
        ADIDA,
        TSB,
        AutoETS,
        CrostonOptimized,
        SeasonalNaive,
        WindowAverage,
    )

    return {
        "seasonal_naive": SeasonalNaive(season_length=season),
        "window_average": WindowAverage(window_size=_window(freq)),
        "croston": CrostonOptimized(),
        "adida": ADIDA(),
        "tsb": TSB(alpha_d=TSB_ALPHA_DEMAND, alpha_p=TSB_ALPHA_PROBABILITY),
        "ets": AutoETS(model="ZNN"),
    }


def weekday_profile(history: np.ndarray, *, positions: np.ndarray) -> np.ndarray:
    """Multiplicative profile per position mod 7 over the last 52 weeks, shrunk towards 1."""
    recent = history[-364:]
    where = positions[-364:] % 7
    mean = recent.mean() if len(recent) else 0.0
    profile = np.ones(7)
    if mean <= 0:
        return profile
    for day in range(7):
        values = recent[where == day]
        weight = len(values)
        profile[day] = (values.sum() / mean + PROFILE_PRIOR_WEEKS) / (weight + PROFILE_PRIOR_WEEKS)
    return profile


class StatisticalCandidates:
    def __init__(self, *, names, horizon: int, season: int, freq: str) -> None:
        self.names = [name for name in names if name in STATISTICAL]
        self.horizon = horizon
        self.season = season
        self.freq = freq
        self.models = _models(season, freq)

    def forecast(self, history: np.ndarray, *, positions: np.ndarray) -> dict[str, np.ndarray]:
        """Every candidate's forecast of the next `horizon` periods after `history`;
        `positions` are the panel columns of its values (weekday alignment; stockout days
        may be missing from them)."""
        horizon = self.horizon
        out: dict[str, np.ndarray] = {}
        y = np.asarray(history, dtype=float)
        if len(y) == 0 or not np.any(y > 0):
            return {name: np.zeros(horizon) for name in self.names}
        fallback = np.full(horizon, float(y[-_window(self.freq) :].mean()))
        for name in self.names:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    values = self._one(name, y, positions)
                values = np.asarray(values, dtype=float)
                if values.shape != (horizon,) or not np.all(np.isfinite(values)):
                    values = fallback
            except Exception:  # noqa: BLE001 - a degenerate series must not stop the run
                values = fallback
            out[name] = np.maximum(values, 0.0)
        return out

    def _one(self, name: str, y: np.ndarray, positions: np.ndarray) -> np.ndarray:
        horizon = self.horizon
        if name == "seasonal_naive" and len(y) < self.season:
            return np.full(horizon, y[-1])
        if name == "window_average" and len(y) < _window(self.freq):
            return np.full(horizon, y.mean())
        if name == "ets" and self.freq == "D":
            profile = weekday_profile(y, positions=positions)
            level = self.models["ets"].forecast(y=y / profile[positions % 7], h=horizon)["mean"]
            future = positions[-1] + 1 + np.arange(horizon)
            return level * profile[future % 7]
        return self.models[name].forecast(y=y, h=horizon)["mean"]
