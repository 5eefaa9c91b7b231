"""What goes into the engine and what comes out of it: plain dataclasses over numpy arrays."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np

# Bump when the same input would give different forecasts (features, defaults, selection).
ENGINE_VERSION = "1.1.0"

FREQUENCIES = ("D", "W")

# Every candidate the engine knows, in the order ties are broken.
CANDIDATES = (
    "lgbm",
    "tsb",
    "adida",
    "croston",
    "window_average",
    "ets",
    "seasonal_naive",
)


@dataclass
class Series:
    """One SKU's history: one value per period, oldest first, gaps filled with 0.

    `prices` and `promo`, when given, cover the history and the horizon
    (len(values) + horizon); NaN marks an unknown price. Negative values (returns) are
    treated as 0.
    """

    key: int | str
    values: np.ndarray
    start: datetime.date
    category: str = ""
    prices: np.ndarray | None = None
    promo: np.ndarray | None = None


@dataclass
class EngineConfig:
    """Knobs of one engine run. The defaults were chosen on earlier M5 splits of the history
    alone (`bench/forecast_m5.py --cut 28/56/84`), never on the benchmark's holdout."""

    freq: str = "D"
    horizon: int = 28
    quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)
    # Candidates to back-test; "lgbm" is the global gradient-boosted model.
    candidates: tuple[str, ...] = CANDIDATES
    # Rolling-origin back-test: this many windows of `horizon` periods at the end of history.
    backtest_windows: int = 2
    # Periods of history (from the first sale) a SKU needs to get its own back-test; shorter
    # histories borrow their category's pattern. Never less than (windows + 1) x horizon.
    min_history: int | None = None
    # Only the most recent periods are training targets of the global model (None: 3 years
    # daily, 156 weeks weekly); older history still feeds its long-window features.
    train_periods: int | None = None
    # History the statistical candidates see (None: 2 years); they weigh recent periods most.
    statistical_periods: int | None = None
    # "ensemble": per volume band, the candidates weighted to minimize the back-test error;
    # "select": per SKU, the candidate with the lowest back-test error.
    combine: str = "ensemble"
    combine_bands: int = 3
    # Another candidate replaces the preferred one (the ensemble, else the global model) for a
    # SKU only when its back-test squared error is lower by more than this share (a few
    # weeks of one SKU's back-test are a noisy judge).
    selection_margin: float = 0.3
    # LightGBM: overrides of the defaults in `gbm.DEFAULT_PARAMS`, and rounds.
    lgbm_params: dict = field(default_factory=dict)
    lgbm_rounds: int | None = None
    # Refit the global model on all data for the final forecast (None: only when the
    # back-test cut shortens its training window, see `forecast._refit_needed`).
    refit_final: bool | None = None
    # Weigh each SKU's rows by 1 / its naive squared error (the RMSSE scale).
    lgbm_weighting: bool = True
    # Training rows per target period: each draws its own forecast origin (1..horizon back).
    origins_per_target: int = 1
    # Long zero runs of steady sellers that ended before the origin (stockouts, delisted
    # weeks) count as days off sale: the global model's level and seasonal features and the
    # statistical candidates' inputs leave them out (`panel.stockout_mask`).
    stockouts: bool = True
    # Recalibrate quantile levels on the back-test so that bands cover what they claim.
    calibrate: bool = True
    n_jobs: int = 2
    seed: int = 0

    def __post_init__(self) -> None:
        if self.freq not in FREQUENCIES:
            raise ValueError(f"freq must be one of {FREQUENCIES}, not {self.freq!r}")
        if int(self.horizon) < 1:
            raise ValueError("horizon must be at least 1 period")
        self.horizon = int(self.horizon)
        levels = sorted({round(float(q), 6) for q in self.quantiles} | {0.5})
        if any(not 0 < q < 1 for q in levels):
            raise ValueError("quantile levels must lie strictly between 0 and 1")
        self.quantiles = tuple(levels)
        unknown = set(self.candidates) - set(CANDIDATES)
        if unknown or not self.candidates:
            raise ValueError(f"unknown candidates {sorted(unknown)}; known: {CANDIDATES}")
        if self.combine not in ("ensemble", "select"):
            raise ValueError("combine must be 'ensemble' or 'select'")
        if self.backtest_windows < 1:
            raise ValueError("backtest_windows must be at least 1")
        if self.origins_per_target < 1:
            raise ValueError("origins_per_target must be at least 1")
        if not 0 <= self.selection_margin <= 1:
            raise ValueError("selection_margin must lie between 0 and 1")
        if self.combine_bands < 1 or self.n_jobs < 1:
            raise ValueError("combine_bands and n_jobs must be at least 1")

    @property
    def season(self) -> int:
        return 7 if self.freq == "D" else 52

    @property
    def period_days(self) -> int:
        return 1 if self.freq == "D" else 7

    @property
    def needed_history(self) -> int:
        # Every back-test window plus one horizon of history before the earliest origin.
        backtest = (self.backtest_windows + 1) * self.horizon
        if self.min_history is not None:
            return max(backtest, int(self.min_history))
        return backtest

    @property
    def recent_periods(self) -> int:
        if self.train_periods is not None:
            return max(self.needed_history, int(self.train_periods))
        return 1095 if self.freq == "D" else 156

    @property
    def statistical_history(self) -> int:
        if self.statistical_periods is not None:
            return max(self.horizon, int(self.statistical_periods))
        return 730 if self.freq == "D" else 104

    def as_json(self) -> dict:
        """The parameters a ForecastRun records."""
        return {
            "freq": self.freq,
            "horizon": self.horizon,
            "quantiles": list(self.quantiles),
            "candidates": list(self.candidates),
            "backtest_windows": self.backtest_windows,
            "min_history": self.needed_history,
            "train_periods": self.recent_periods,
            "statistical_periods": self.statistical_history,
            "combine": self.combine,
            "combine_bands": self.combine_bands,
            "selection_margin": self.selection_margin,
            "lgbm_params": dict(self.lgbm_params),
            "lgbm_rounds": self.lgbm_rounds,
            "refit_final": self.refit_final,
            "lgbm_weighting": self.lgbm_weighting,
            "origins_per_target": self.origins_per_target,
            "stockouts": self.stockouts,
            "calibrate": self.calibrate,
            "n_jobs": self.n_jobs,
            "seed": self.seed,
        }


@dataclass
class SkuResult:
    """One SKU's forecast. `quantiles[0.5]` is the point forecast (expected units per
    period, see `quantiles.py`); the other levels are calibrated quantiles. The metrics come
    from the chosen model's rolling-origin back-test (None when there was none)."""

    key: int | str
    start: datetime.date
    quantiles: dict[float, np.ndarray]
    model_name: str
    mae: float | None
    mase: float | None
    rmsse: float | None
    bias: float | None
    coverage: float | None
    history_periods: int
    borrowed_from_category: bool

    @property
    def point(self) -> np.ndarray:
        return self.quantiles[0.5]


@dataclass
class PanelForecast:
    results: dict[int | str, SkuResult]
    model_versions: dict[str, str]
    timings: dict[str, float]
    chosen: dict[str, int]
    # Panel-level back-test summary and the quantile recalibration that was applied.
    backtest: dict[str, float | None] = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
