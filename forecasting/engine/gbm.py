"""The global gradient-boosted model: one LightGBM over every SKU of the panel (M5 style).

Direct multi-horizon: a training row is (SKU, forecast origin o, target period t = o + h) with
h drawn at random in 1..horizon for every target period, so one model learns all horizons and
every feature only looks at what was known at the origin:
- level and intermittency at o: last value, rolling means (1, 4, 13 and 52 weeks), share of
  non-zero periods, periods since the last sale, age since the first sale;
- seasonality: mean of the last 4 and 52 same weekdays (weekly data: the same week last year),
  last year's sales around the target date and their ratio to last year's level at the origin;
- the target period's calendar (weekday, day of month, month / week of year), events
  (`calendar.py`), promotion flag and price relative to the recent price at o;
- the horizon h and the category.
Objective: Tweedie (counts with many zeros). The prediction is the expected units per period.
"""

from __future__ import annotations

import numpy as np

from .panel import Panel
from .types import EngineConfig

DEFAULT_PARAMS = {
    "objective": "tweedie",
    "tweedie_variance_power": 1.1,
    "learning_rate": 0.08,
    "num_leaves": 63,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.7,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "max_bin": 63,
    "force_row_wise": True,
    "verbose": -1,
}
DEFAULT_ROUNDS = 250
# Rows beyond this are sampled away (memory and time stay bounded on large chunks).
MAX_TRAIN_ROWS = 1_500_000
MIN_TRAIN_ROWS = 200
# An origin needs this many observed periods of the SKU to be used.
MIN_OBSERVED = 7


def _windows(config: EngineConfig) -> dict[str, int]:
    if config.freq == "D":
        return {"mean_7": 7, "mean_28": 28, "mean_91": 91, "mean_364": 364}
    return {"mean_4": 4, "mean_13": 13, "mean_26": 26, "mean_52": 52}


class FeatureBuilder:
    """Precomputes cumulative sums over the panel so that any (SKU, origin, target) row's
    features are a handful of array lookups."""

    def __init__(
        self,
        panel: Panel,
        *,
        calendar: dict[str, np.ndarray],
        calendar_categorical: list[str],
        config: EngineConfig,
        stockouts: np.ndarray | None = None,
    ) -> None:
        self.panel = panel
        self.config = config
        self.calendar = calendar
        self.season = config.season
        self.year = 364 if config.freq == "D" else 52
        self.windows = _windows(config)
        # Left padding so that every look-back index stays >= 0.
        self.pad = max(self.windows.values()) + self.year + 2 * self.season + 8
        n, width = panel.y.shape
        self.width = width
        observed = np.isfinite(panel.y)
        values = np.where(observed, panel.y, 0.0)
        padded = np.zeros((n, self.pad + width))
        padded[:, self.pad :] = values
        seen = np.zeros((n, self.pad + width))
        seen[:, self.pad :] = observed
        self.values = padded
        self.sum = _cumsum(padded)
        self.count = _cumsum(seen)
        self.nonzero = _cumsum((padded > 0).astype(float))
        self.season_sum = _stride_cumsum(padded, self.season)
        self.season_count = _stride_cumsum(seen, self.season)
        # Stockout days (zeros) add nothing to the sums; leaving them out of the counts turns
        # every mean into the mean over days on sale. From an origin inside such a run the
        # run was not over yet, so those rows keep the plain counts (`in_run`).
        self.stockouts = np.zeros((n, width), dtype=bool) if stockouts is None else stockouts
        on_sale = seen.copy()
        on_sale[:, self.pad :] *= ~self.stockouts
        self.count_on_sale = _cumsum(on_sale)
        self.season_count_on_sale = _stride_cumsum(on_sale, self.season)
        self.smoothed = _smoothed(panel.y, config.freq)
        # Mean sales per selling SKU of the whole panel (row 0) and of each category (1 + code):
        # store-wide momentum and last year's seasonal movement, far less noisy than one SKU's.
        codes = panel.category_codes
        groups = [np.ones(n, dtype=bool)] + [codes == c for c in range(codes.max() + 1 if n else 0)]
        aggregate = np.zeros((len(groups), self.pad + width))
        for index, members in enumerate(groups):
            active = on_sale[members].sum(axis=0)
            total = padded[members].sum(axis=0)
            aggregate[index] = np.where(active > 0, total / np.maximum(active, 1), 0.0)
        self.aggregate_sum = _cumsum(aggregate)
        self.group_of = codes + 1
        cols = np.arange(width)[None, :]
        last_sale = np.where(values > 0, cols, -1)
        self.last_sale = np.maximum.accumulate(last_sale, axis=1)
        self.first = panel.first
        self.categorical = list(calendar_categorical)
        self.use_category = len(set(panel.category_codes.tolist())) > 1
        if self.use_category:
            self.categorical.append("category")
        if panel.promo is not None:
            self.promo = panel.promo
            self.promo_sum = _cumsum(
                np.concatenate([np.zeros((n, self.pad)), panel.promo[:, :width]], axis=1)
            )
        else:
            self.promo = None
        if panel.prices is not None:
            self.prices = panel.prices
            known = np.isfinite(panel.prices[:, :width])
            price_values = np.where(known, panel.prices[:, :width], 0.0)
            self.price_sum = _cumsum(
                np.concatenate([np.zeros((n, self.pad)), price_values], axis=1)
            )
            self.price_count = _cumsum(
                np.concatenate([np.zeros((n, self.pad)), known.astype(float)], axis=1)
            )
        else:
            self.prices = None

    # -- windows over the padded cumulative sums; `end` is a panel column (inclusive) ----------
    def _window(self, cumulative, rows, end, length):
        stop = end + self.pad + 1
        return cumulative[rows, stop] - cumulative[rows, stop - length]

    def _count(self, rows, end, length, in_run):
        plain = self._window(self.count, rows, end, length)
        return np.where(in_run, plain, self._window(self.count_on_sale, rows, end, length))

    def _mean(self, rows, end, length, in_run):
        total = self._window(self.sum, rows, end, length)
        count = self._count(rows, end, length, in_run)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def _season_mean(self, rows, end, repeats, in_run):
        index = end + self.pad
        back = index - repeats * self.season
        total = self.season_sum[rows, index] - self.season_sum[rows, back]
        plain = self.season_count[rows, index] - self.season_count[rows, back]
        on_sale = self.season_count_on_sale[rows, index] - self.season_count_on_sale[rows, back]
        count = np.where(in_run, plain, on_sale)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def rows(self, sku: np.ndarray, origin: np.ndarray, target: np.ndarray) -> dict:
        """Feature columns for rows (sku, origin column, target column); target may lie in
        the horizon beyond the history."""
        horizon = target - origin
        in_run = self.stockouts[sku, origin]
        features: dict[str, np.ndarray] = {"horizon": horizon.astype(float)}
        features["last"] = self.values[sku, origin + self.pad]
        means = {}
        for name, length in self.windows.items():
            means[name] = self._mean(sku, origin, length, in_run)
            features[name] = means[name]
        short_window = 28 if self.config.freq == "D" else 13
        count = self._count(sku, origin, short_window, in_run)
        nonzero = self._window(self.nonzero, sku, origin, short_window)
        features["nonzero_share"] = nonzero / np.maximum(count, 1)
        last = self.last_sale[sku, origin]
        features["since_last_sale"] = np.where(
            last >= 0, np.minimum(origin - last, self.year), np.nan
        )
        features["age"] = np.minimum(origin - self.first[sku], 3 * self.year).astype(float)
        for name, values in self.smoothed.items():
            features[name] = values[sku, origin]

        # Latest period at or before the origin in the target's season position.
        steps = -(-horizon // self.season)
        anchor = target - steps * self.season
        year_mean = means["mean_364" if self.config.freq == "D" else "mean_52"]
        if self.config.freq == "D":
            features["weekday_mean_4"] = self._season_mean(sku, anchor, 4, in_run)
            weekday_52 = self._season_mean(sku, anchor, 52, in_run)
            with np.errstate(invalid="ignore", divide="ignore"):
                features["weekday_profile"] = weekday_52 / year_mean
            around = 3
        else:
            features["season_last"] = self.values[sku, anchor + self.pad]
            features["season_mean_2"] = self._season_mean(sku, anchor, 2, in_run)
            around = 1
        # Last year around the target period, if it lies before the origin.
        last_year_end = target - self.year + around
        ok = last_year_end <= origin
        end = np.where(ok, last_year_end, origin)
        ly = self._mean(sku, end, 2 * around + 1, in_run)
        base = self._mean(sku, origin - self.year, short_window, in_run)  # the pad keeps it >= 0
        features["last_year"] = np.where(ok, ly, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            features["last_year_ratio"] = np.where(ok & (base > 0), ly / base, np.nan)

        self._aggregate_features(features, sku, origin, target)
        for name, values in self.calendar.items():
            features[name] = values[target]
        if self.use_category:
            features["category"] = self.panel.category_codes[sku].astype(float)
        if self.promo is not None:
            features["promo"] = self.promo[sku, target]
            promo_count = self._window(self.promo_sum, sku, origin, short_window)
            features["promo_share"] = promo_count / short_window
        if self.prices is not None:
            price = self.prices[sku, target]
            total = self._window(self.price_sum, sku, origin, short_window)
            known = self._window(self.price_count, sku, origin, short_window)
            recent = np.where(known > 0, total / np.maximum(known, 1), np.nan)
            with np.errstate(invalid="ignore", divide="ignore"):
                features["price_ratio"] = price / recent
            features["price"] = price
        return features

    def _aggregate_features(self, features, sku, origin, target) -> None:
        short, month = (7, 28) if self.config.freq == "D" else (4, 13)
        year = self.year
        around = 3 if self.config.freq == "D" else 1

        def mean(rows, end, length):
            stop = end + self.pad + 1
            return (
                self.aggregate_sum[rows, stop] - self.aggregate_sum[rows, stop - length]
            ) / length

        groups = [("store", np.zeros(len(sku), dtype=int))]
        if self.use_category:
            groups.append(("category", self.group_of[sku]))
        for prefix, rows in groups:
            recent = mean(rows, origin, month)
            with np.errstate(invalid="ignore", divide="ignore"):
                features[f"{prefix}_momentum"] = mean(rows, origin, short) / recent
                features[f"{prefix}_trend"] = recent / mean(rows, origin, year)
                base = mean(rows, origin - year, month)
                ok = target - year + around <= origin
                ly = mean(rows, np.where(ok, target - year + around, origin), 2 * around + 1)
                features[f"{prefix}_last_year_ratio"] = np.where(ok & (base > 0), ly / base, np.nan)
                ahead = mean(rows, origin - year + month, month)
                features[f"{prefix}_last_year_ahead"] = np.where(base > 0, ahead / base, np.nan)

    def training_rows(
        self, *, train_end: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sku, origin, target) for every target period of the recent window up to
        `train_end`, each with its own random horizon."""
        config = self.config
        horizon = config.horizon
        low = max(0, train_end - config.recent_periods + 1)
        targets = np.arange(low, train_end + 1)
        n = self.panel.y.shape[0]
        skus, origins, out_targets = [], [], []
        for _ in range(config.origins_per_target):
            sku = np.repeat(np.arange(n), len(targets))
            target = np.tile(targets, n)
            step = rng.integers(1, horizon + 1, size=len(target))
            origin = target - step
            keep = origin >= self.first[sku] + MIN_OBSERVED - 1
            skus.append(sku[keep])
            origins.append(origin[keep])
            out_targets.append(target[keep])
        sku = np.concatenate(skus)
        origin = np.concatenate(origins)
        target = np.concatenate(out_targets)
        if len(sku) > MAX_TRAIN_ROWS:
            pick = np.sort(rng.choice(len(sku), MAX_TRAIN_ROWS, replace=False))
            sku, origin, target = sku[pick], origin[pick], target[pick]
        return sku, origin, target

    def target(self, sku: np.ndarray, target: np.ndarray) -> np.ndarray:
        return self.values[sku, target + self.pad]


def _smoothed(y: np.ndarray, freq: str) -> dict[str, np.ndarray]:
    """Exponentially smoothed level (fast and slow) and TSB's occurrence probability and
    demand size, per SKU and period; NaN before the first sale."""
    fast, slow = (0.1, 0.02) if freq == "D" else (0.3, 0.1)
    n, width = y.shape
    out = {
        name: np.full((n, width), np.nan) for name in ("ewm_fast", "ewm_slow", "occurrence", "size")
    }
    state = {name: np.full(n, np.nan) for name in out}
    for col in range(width):
        value = y[:, col]
        seen = np.isfinite(value)
        if not seen.any():
            continue
        sold = seen & (value > 0)
        for name, alpha in (("ewm_fast", fast), ("ewm_slow", slow)):
            previous = state[name]
            updated = np.where(np.isnan(previous), value, alpha * value + (1 - alpha) * previous)
            state[name] = np.where(seen, updated, previous)
        previous = state["occurrence"]
        hit = sold.astype(float)
        updated = np.where(np.isnan(previous), hit, fast * hit + (1 - fast) * previous)
        state["occurrence"] = np.where(seen, updated, previous)
        previous = state["size"]
        updated = np.where(np.isnan(previous), value, fast * value + (1 - fast) * previous)
        state["size"] = np.where(sold, updated, previous)
        for name in out:
            out[name][:, col] = state[name]
    out["tsb"] = out["occurrence"] * out["size"]
    return out


def _cumsum(values: np.ndarray) -> np.ndarray:
    out = np.zeros((values.shape[0], values.shape[1] + 1))
    np.cumsum(values, axis=1, out=out[:, 1:])
    return out


def _stride_cumsum(values: np.ndarray, stride: int) -> np.ndarray:
    """out[:, j] = values[:, j] + values[:, j - stride] + ... (inclusive)."""
    out = np.empty_like(values)
    for offset in range(stride):
        out[:, offset::stride] = np.cumsum(values[:, offset::stride], axis=1)
    return out


def _matrix(features: dict) -> tuple[np.ndarray, list[str]]:
    """float32 design matrix; a ratio over an empty window (inf) becomes missing (NaN)."""
    names = list(features)
    matrix = np.column_stack([features[name] for name in names]).astype(np.float32)
    matrix[~np.isfinite(matrix)] = np.nan
    return matrix, names


class GlobalModel:
    """LightGBM over the panel; `fit` then `predict` from any origin column."""

    def __init__(self, builder: FeatureBuilder, *, config: EngineConfig) -> None:
        self.builder = builder
        self.config = config
        self.booster = None
        self.rows_trained = 0

    def fit(self, *, train_end: int) -> bool:
        """Train on targets up to column `train_end`; False when there is too little data."""
        import lightgbm as lgb

        rng = np.random.default_rng(self.config.seed + train_end)
        sku, origin, target = self.builder.training_rows(train_end=train_end, rng=rng)
        if len(sku) < MIN_TRAIN_ROWS:
            return False
        features = self.builder.rows(sku, origin, target)
        matrix, names = _matrix(features)
        label = self.builder.target(sku, target)
        weight = self._weights(train_end)[sku] if self.config.lgbm_weighting else np.ones(len(sku))
        params = dict(DEFAULT_PARAMS)
        params.update(self.config.lgbm_params)
        params["num_threads"] = max(1, int(self.config.n_jobs))
        params["seed"] = self.config.seed
        rounds = self.config.lgbm_rounds or DEFAULT_ROUNDS
        categorical = [name for name in self.builder.categorical if name in names]
        dataset = lgb.Dataset(
            matrix,
            label=label,
            weight=weight,
            feature_name=names,
            categorical_feature=categorical,
            free_raw_data=True,
            params={"max_bin": params.get("max_bin", 255), "verbose": -1},
        )
        self.booster = lgb.train(params, dataset, num_boost_round=rounds)
        self.names = names
        self.rows_trained = len(sku)
        return True

    def _weights(self, train_end: int) -> np.ndarray:
        """Per SKU 1 / (its squared one-step naive error): the loss then weighs every SKU as
        RMSSE does instead of by its volume. Clipped so that a few near-constant SKUs do not
        take over, and normalized to mean 1."""
        from .metrics import panel_scales

        panel = self.builder.panel
        _, squared = panel_scales(panel.y[:, : train_end + 1], panel.first)
        known = np.isfinite(squared)
        if not known.any():
            return np.ones(len(squared))
        squared = np.where(known, squared, np.median(squared[known]))
        low, high = np.quantile(squared, [0.02, 0.98])
        weight = 1.0 / np.clip(squared, max(low, 1e-6), max(high, 1e-6))
        return weight / weight.mean()

    def predict(self, *, origin: int, skus: np.ndarray) -> np.ndarray:
        """(len(skus) x horizon) expected units for the periods after column `origin`."""
        horizon = self.config.horizon
        skus = np.asarray(skus, dtype=int)
        if self.booster is None or len(skus) == 0:
            return np.zeros((len(skus), horizon))
        sku = np.repeat(skus, horizon)
        target = origin + np.tile(np.arange(1, horizon + 1), len(skus))
        features = self.builder.rows(sku, np.full(len(sku), origin), target)
        matrix, _ = _matrix(features)
        predicted = self.booster.predict(matrix, num_threads=max(1, int(self.config.n_jobs)))
        return np.maximum(predicted, 0.0).reshape(len(skus), horizon)
