"""`forecast_panel`: back-test every candidate on each SKU's own recent history, combine them
(or keep the best) per SKU, forecast, and put calibrated quantiles around the forecast."""

from __future__ import annotations

import datetime
import functools
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import metrics
from .calendar import calendar_features
from .gbm import FeatureBuilder, GlobalModel
from .panel import Panel, panel_build, stockout_mask
from .quantiles import Calibration, dispersion, quantile_paths
from .statistical import STATISTICAL, StatisticalCandidates
from .types import CANDIDATES, ENGINE_VERSION, EngineConfig, PanelForecast, Series, SkuResult

ZERO = "zero"
CATEGORY = "category"
ENSEMBLE = "ensemble"


def model_versions() -> dict[str, str]:
    import lightgbm
    import scipy
    import statsforecast

    return {
        "engine": ENGINE_VERSION,
        "lightgbm": lightgbm.__version__,
        "statsforecast": statsforecast.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()
        self._begin = self._last

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - self._last, 4)
        self._last = now

    def total(self) -> None:
        self.timings["total"] = round(time.perf_counter() - self._begin, 4)


@dataclass
class Candidates:
    """Every candidate's back-test and final forecasts for the SKUs with a back-test."""

    panel: Panel
    full_rows: np.ndarray
    origins: list[int]
    names: list[str]
    backtest: dict[str, np.ndarray]  # name -> (full rows x windows * horizon)
    final: dict[str, np.ndarray]  # name -> (full rows x horizon)
    actual: np.ndarray  # (full rows x windows * horizon)
    mae_scale: np.ndarray
    mse_scale: np.ndarray
    rows_trained: int
    refit: bool = False


def candidates_run(
    panel: Panel,
    *,
    config: EngineConfig,
    events: Mapping[datetime.date, Sequence[str]] | None,
    clock: _Clock,
) -> Candidates:
    """Back-test and forecast every candidate on the SKUs with enough history."""
    n, width = panel.y.shape
    horizon = config.horizon
    never_sold = panel.first >= width
    full_rows = np.flatnonzero(~never_sold & (panel.history_periods >= config.needed_history))
    calendar, categorical = calendar_features(
        panel.dates, history_width=width, events=events, freq=config.freq
    )
    origins = [width - 1 - k * horizon for k in range(config.backtest_windows, 0, -1)]
    final_origin = width - 1
    names = [name for name in CANDIDATES if name in config.candidates]
    backtest: dict[str, np.ndarray] = {}
    final: dict[str, np.ndarray] = {}
    rows_trained = 0
    refit = False
    clock.lap("prepare")

    @functools.cache
    def off_sale(origin: int) -> np.ndarray | None:
        """The stockout days known at `origin` (`stockout_mask`), None when not read."""
        return stockout_mask(panel.y, end=origin) if config.stockouts else None

    if "lgbm" in names and len(full_rows):
        builder = FeatureBuilder(
            panel,
            calendar=calendar,
            calendar_categorical=categorical,
            config=config,
            stockouts=off_sale(final_origin),
        )
        clock.lap("features")
        # Trained on data before the earliest back-test origin: nothing it is scored on
        # was seen in training.
        model = GlobalModel(builder, config=config)
        if model.fit(train_end=origins[0]):
            backtest["lgbm"] = np.concatenate(
                [model.predict(origin=o, skus=full_rows) for o in origins], axis=1
            )
            clock.lap("lgbm_backtest")
            if _refit_needed(panel, full_rows=full_rows, origin=origins[0], config=config):
                model = GlobalModel(builder, config=config)
                model.fit(train_end=final_origin)
                refit = True
            final["lgbm"] = model.predict(origin=final_origin, skus=full_rows)
            rows_trained = model.rows_trained
            clock.lap("lgbm_final")
    names = [name for name in names if name != "lgbm" or "lgbm" in final]

    statistical = [name for name in names if name in STATISTICAL]
    if statistical and len(full_rows):
        stats_models = StatisticalCandidates(
            names=statistical, horizon=horizon, season=config.season, freq=config.freq
        )
        per_origin = {o: {name: [] for name in statistical} for o in [*origins, final_origin]}
        # Stockout days known at each origin are left out of the models' inputs (the
        # weekday positions of the remaining days travel with them).
        for row in full_rows:
            for origin, store in per_origin.items():
                begin = max(panel.first[row], origin - config.statistical_history + 1)
                positions = np.arange(begin, origin + 1)
                if (stockouts := off_sale(origin)) is not None:
                    positions = positions[~stockouts[row, begin : origin + 1]]
                forecasts = stats_models.forecast(panel.y[row, positions], positions=positions)
                for name in statistical:
                    store[name].append(forecasts[name])
        for name in statistical:
            backtest[name] = np.concatenate(
                [np.array(per_origin[o][name]) for o in origins], axis=1
            )
            final[name] = np.array(per_origin[final_origin][name])
        clock.lap("statistical")

    actual = np.concatenate([panel.y[full_rows, o + 1 : o + 1 + horizon] for o in origins], axis=1)
    actual = np.nan_to_num(actual)  # before a first sale inside a window: nothing sold
    mae_scale, mse_scale = metrics.panel_scales(
        panel.y[full_rows, : origins[0] + 1], panel.first[full_rows]
    )
    if not len(full_rows):
        names = []
    return Candidates(
        panel=panel,
        full_rows=full_rows,
        origins=origins,
        names=names,
        backtest=backtest,
        final=final,
        actual=actual,
        mae_scale=mae_scale,
        mse_scale=mse_scale,
        rows_trained=rows_trained,
        refit=refit,
    )


def _refit_needed(
    panel: Panel, *, full_rows: np.ndarray, origin: int, config: EngineConfig
) -> bool:
    """Whether the final forecast needs its own global model. By default the back-test's
    model (trained up to the earliest back-test origin) also makes the final forecast from the
    latest data: on M5 splits a model 8 weeks older forecast as well as a refitted one, at half
    the cost. It is refitted when the back-test cut shortens its training window (short
    histories), or always with `refit_final=True`."""
    if config.refit_final is not None:
        return bool(config.refit_final)
    data_start = int(panel.first[full_rows].min()) if len(full_rows) else 0
    return origin - config.recent_periods + 1 < data_start + config.horizon


@dataclass
class Choice:
    point: np.ndarray  # (full rows x horizon)
    backtest: np.ndarray  # (full rows x windows * horizon)
    names: np.ndarray  # model name per full row
    details: dict


def _scaled_errors(c: Candidates) -> dict[str, np.ndarray]:
    """Per candidate and SKU: back-test mean squared error / the SKU's RMSSE scale."""
    scale = np.where(np.isfinite(c.mse_scale), c.mse_scale, np.nanmedian(c.mse_scale))
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    return {name: ((c.backtest[name] - c.actual) ** 2).mean(axis=1) / scale for name in c.names}


def ensemble_weights(forecasts: np.ndarray, actual: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Non-negative weights (summing to 1) of candidate forecasts (rows x periods x
    candidates) that minimize the back-test's squared errors, each SKU's divided by its RMSSE
    scale. Found by non-negative least squares, then normalized."""
    from scipy.optimize import nnls

    k = forecasts.shape[2]
    root = 1.0 / np.sqrt(scale)[:, None, None]
    design = (forecasts * root).reshape(-1, k)
    target = (actual[:, :, None] * root).reshape(-1)
    try:
        weights, _ = nnls(design, target, maxiter=50 * k)
    except RuntimeError:
        weights = np.ones(k)
    total = weights.sum()
    return weights / total if total > 0 else np.full(k, 1.0 / k)


def candidates_combine(c: Candidates, *, config: EngineConfig) -> Choice:
    """Per SKU: the volume band's back-test-weighted ensemble of the candidates, or, in
    "select" mode or when one candidate beats it on the SKU's own back-test by more than
    `selection_margin`, that candidate."""
    rows = len(c.full_rows)
    horizon = config.horizon
    if not rows or not c.names:
        width = len(c.origins) * horizon
        return Choice(
            point=np.zeros((rows, horizon)),
            backtest=np.zeros((rows, width)),
            names=np.array([ZERO] * rows, dtype=object),
            details={},
        )
    errors = _scaled_errors(c)
    details: dict = {"candidates_rmsse": {n: _nanmean(np.sqrt(errors[n])) for n in c.names}}
    names = list(c.names)
    point = {name: c.final[name] for name in names}
    backtest = {name: c.backtest[name] for name in names}
    if config.combine == "ensemble" and len(names) > 1:
        scale = np.where(np.isfinite(c.mse_scale), c.mse_scale, np.nanmedian(c.mse_scale))
        scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
        volume = np.mean([c.backtest[name].mean(axis=1) for name in names], axis=0)
        bands = max(1, config.combine_bands)
        edges = np.quantile(volume, np.linspace(0, 1, bands + 1)[1:-1]) if bands > 1 else []
        band = np.searchsorted(edges, volume, side="right")
        stacked_bt = np.stack([c.backtest[name] for name in names], axis=2)
        stacked_final = np.stack([c.final[name] for name in names], axis=2)
        ensemble_bt = np.zeros((rows, stacked_bt.shape[1]))
        ensemble_final = np.zeros((rows, horizon))
        weights_json = []
        for index in range(bands):
            members = band == index
            if not members.any():
                continue
            weights = ensemble_weights(stacked_bt[members], c.actual[members], scale[members])
            ensemble_bt[members] = stacked_bt[members] @ weights
            ensemble_final[members] = stacked_final[members] @ weights
            weights_json.append(
                {n: round(float(w), 4) for n, w in zip(names, weights, strict=True) if w > 0}
            )
        details["ensemble_weights"] = weights_json
        details["ensemble_volume_edges"] = [round(float(e), 4) for e in edges]
        names.insert(0, ENSEMBLE)
        point[ENSEMBLE] = ensemble_final
        backtest[ENSEMBLE] = ensemble_bt
        errors[ENSEMBLE] = ((ensemble_bt - c.actual) ** 2).mean(axis=1) / scale
    stacked = np.column_stack([errors[name] for name in names])
    best = np.argmin(stacked, axis=1)
    preferred = ENSEMBLE if ENSEMBLE in names else ("lgbm" if "lgbm" in names else None)
    if preferred is not None:
        # The preferred model stays unless another beats it clearly on this SKU: a few weeks
        # of back-test are a noisy judge of one SKU.
        base = errors[preferred]
        keep = stacked[np.arange(rows), best] >= (1 - config.selection_margin) * base
        best = np.where(keep, names.index(preferred), best)
    chosen = np.array([names[b] for b in best], dtype=object)
    chosen_point = np.zeros((rows, horizon))
    chosen_backtest = np.zeros_like(c.actual)
    for column, name in enumerate(names):
        pick = best == column
        chosen_point[pick] = point[name][pick]
        chosen_backtest[pick] = backtest[name][pick]
    return Choice(point=chosen_point, backtest=chosen_backtest, names=chosen, details=details)


def forecast_panel(
    series: Sequence[Series],
    *,
    config: EngineConfig,
    events: Mapping[datetime.date, Sequence[str]] | None = None,
) -> PanelForecast:
    """Forecast every series of the panel `config.horizon` periods past their common end.

    SKUs with enough history (`config.needed_history` periods since their first sale): every
    candidate forecasts the last `backtest_windows` x `horizon` periods from rolling origins
    inside the history; the candidates are combined (or one is chosen) per SKU on that
    back-test, which also gives the SKU's metrics and spread. Shorter histories borrow their
    category's forecast shape at their own level; SKUs that never sold forecast zero.
    """
    clock = _Clock()
    panel = panel_build(series, config=config)
    c = candidates_run(panel, config=config, events=events, clock=clock)
    choice = candidates_combine(c, config=config)
    clock.lap("selection")
    full_rows = c.full_rows
    width = panel.width
    history = panel.history_periods
    actual = c.actual
    results: dict = {}

    # Spread and calibration from the chosen models' back-test errors.
    alpha_full = dispersion(actual, choice.backtest) if len(full_rows) else np.array([])
    calibration = Calibration.identity()
    if config.calibrate and len(full_rows):
        calibration = Calibration.fit(
            actual=actual,
            mean=choice.backtest,
            alpha=alpha_full,
            volume=choice.backtest.mean(axis=1),
        )
    band_levels = (0.1, 0.5, 0.9)
    if len(full_rows):
        bt_quantiles = quantile_paths(
            mean=choice.backtest,
            alpha=alpha_full,
            volume=choice.backtest.mean(axis=1),
            levels=band_levels,
            calibration=calibration,
        )
        inside = (bt_quantiles[0.1] <= actual) & (actual <= bt_quantiles[0.9])
        coverage = inside.mean(axis=1)
        error = choice.backtest - actual
        mae = np.abs(error).mean(axis=1)
        bias = error.mean(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mase = mae / c.mae_scale
            rmsse = np.sqrt((error**2).mean(axis=1) / c.mse_scale)
        point_quantiles = quantile_paths(
            mean=choice.point,
            alpha=alpha_full,
            volume=choice.point.mean(axis=1),
            levels=config.quantiles,
            calibration=calibration,
        )
    clock.lap("quantiles")

    start = panel.dates[width]
    for index, row in enumerate(full_rows):
        results[panel.keys[row]] = SkuResult(
            key=panel.keys[row],
            start=start,
            quantiles={level: point_quantiles[level][index] for level in config.quantiles},
            model_name=str(choice.names[index]),
            mae=_num(mae[index]),
            mase=_num(mase[index]),
            rmsse=_num(rmsse[index]),
            bias=_num(bias[index]),
            coverage=_num(coverage[index]),
            history_periods=int(history[row]),
            borrowed_from_category=False,
        )
    _borrowed_results(
        panel,
        results=results,
        config=config,
        full_rows=full_rows,
        chosen_point=choice.point,
        alpha_full=alpha_full,
        calibration=calibration,
        start=start,
    )
    results = {key: results[key] for key in panel.keys}  # the caller's order
    clock.lap("borrow")
    clock.total()
    chosen = Counter(result.model_name for result in results.values())
    backtested = len(full_rows) > 0
    summary = {
        "skus": len(panel.keys),
        "skus_backtested": int(len(full_rows)),
        "rmsse": _nanmean(rmsse) if backtested else None,
        "mase": _nanmean(mase) if backtested else None,
        "mae": _nanmean(mae) if backtested else None,
        "bias": _nanmean(bias) if backtested else None,
        "coverage": _nanmean(coverage) if backtested else None,
        **choice.details,
        "calibration": calibration.as_json(band_levels),
        "lgbm_rows": c.rows_trained,
        "lgbm_refit": c.refit,
    }
    return PanelForecast(
        results=results,
        model_versions=model_versions(),
        timings=clock.timings,
        chosen=dict(sorted(chosen.items())),
        backtest=summary,
        parameters=config.as_json(),
    )


def _borrowed_results(
    panel: Panel,
    *,
    results: dict,
    config: EngineConfig,
    full_rows: np.ndarray,
    chosen_point: np.ndarray,
    alpha_full: np.ndarray,
    calibration: Calibration,
    start: datetime.date,
) -> None:
    """SKUs without a back-test: their category's forecast shape (the back-tested SKUs'
    summed forecast over its mean; the whole panel's when the category has none) at their
    own level, the mean of their last 4 weeks (13 weeks when weekly) since the first sale.
    SKUs that never sold in a history long enough for a back-test forecast zero."""
    n, width = panel.y.shape
    rows = np.setdiff1d(np.arange(n), full_rows)
    if not len(rows):
        return
    level_window = 28 if config.freq == "D" else 13
    pooled_shape = _shape(chosen_point, config.horizon)
    pooled_alpha = float(np.median(alpha_full)) if len(alpha_full) else 0.5
    full_codes = panel.category_codes[full_rows]
    shapes, alphas, levels, names, borrowed = [], [], [], [], []
    for row in rows:
        never_sold = panel.first[row] >= width
        if never_sold and panel.length[row] >= config.needed_history:
            names.append(ZERO)
            borrowed.append(False)
            levels.append(0.0)
        else:
            names.append(CATEGORY)
            borrowed.append(True)
            recent = panel.y[row, max(panel.first[row], width - level_window) :]
            levels.append(0.0 if never_sold or not recent.size else float(np.nanmean(recent)))
        same = full_codes == panel.category_codes[row]
        shapes.append(_shape(chosen_point[same], config.horizon) if same.any() else pooled_shape)
        alphas.append(float(np.median(alpha_full[same])) if same.any() else pooled_alpha)
    levels = np.array(levels)
    quantiles = quantile_paths(
        mean=levels[:, None] * np.array(shapes),
        alpha=np.array(alphas),
        volume=levels,
        levels=config.quantiles,
        calibration=calibration,
    )
    for index, row in enumerate(rows):
        results[panel.keys[row]] = SkuResult(
            key=panel.keys[row],
            start=start,
            quantiles={level: quantiles[level][index] for level in config.quantiles},
            model_name=names[index],
            mae=None,
            mase=None,
            rmsse=None,
            bias=None,
            coverage=None,
            history_periods=int(panel.history_periods[row]),
            borrowed_from_category=borrowed[index],
        )


def _shape(points: np.ndarray, horizon: int) -> np.ndarray:
    """Forecast path relative to its mean, volume-weighted over SKUs (flat when empty)."""
    if points.size == 0:
        return np.ones(horizon)
    total = points.sum(axis=0)
    mean = total.mean()
    return total / mean if mean > 0 else np.ones(horizon)


def _num(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _nanmean(values) -> float | None:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else None
