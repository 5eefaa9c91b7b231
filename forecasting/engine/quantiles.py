"""From a point forecast to quantiles: negative binomial spread, recalibrated on the back-test.

1. Spread. Around each SKU's expected units mu the demand is negative binomial with variance
   mu + alpha mu^2; alpha is the SKU's method-of-moments estimate from its back-test errors,
   sum((y - mu)^2 - mu) / sum(mu^2), shrunk towards the panel median with the weight of
   `PRIOR_PERIODS` periods (a few weeks of errors are a noisy estimate).
2. Continuous quantiles of a count. A quantile of a count is an integer, and an integer band
   covers more than it claims (P10 = 0 covers every zero day). The engine uses the
   mid-quantile instead: level p falls inside the step of some count k, at
   k - 1/2 + (p - F(k-1)) / P(k), as if each count were spread over [k - 1/2, k + 1/2].
3. Recalibration. For every back-test observation u = F(y - 1) + P(y) / 2 (the level at which
   the mid-quantile equals y). Requested level q is then served by the level below which a
   share q of those u fall, per volume band of SKUs: a band [P10, P90] then holds 80 % of the
   back-test days, whatever the model's own spread got wrong (Kuleshov et al., 2018).
4. Level 0.5 carries the point forecast (the expected units), not the median: with
   intermittent demand the median is 0 on most days, and a plan built on it would stock
   nothing. Quantiles are then made monotone around it and never negative.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

ALPHA_MIN = 1e-3
ALPHA_MAX = 20.0
PRIOR_PERIODS = 28
TINY = 1e-9
# SKUs are recalibrated per band of volume (expected units per period, by panel terciles):
# slow movers' counts are coarse, fast movers' nearly continuous.
VOLUME_BANDS = 3
MIN_CALIBRATION_POINTS = 200


def dispersion(actual: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Per-row alpha from (rows x periods) back-test actuals and expected values; NaN cells
    are skipped. Shrunk towards the median of the rows."""
    actual = np.asarray(actual, dtype=float)
    mean = np.asarray(mean, dtype=float)
    valid = np.isfinite(actual) & np.isfinite(mean)
    excess = np.where(valid, (actual - mean) ** 2 - mean, 0.0).sum(axis=1)
    scale = np.where(valid, mean**2, 0.0).sum(axis=1)
    periods = valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(scale > TINY, excess / scale, np.nan)
    raw = np.clip(raw, ALPHA_MIN, ALPHA_MAX)
    known = np.isfinite(raw)
    pooled = float(np.median(raw[known])) if known.any() else 0.5
    raw = np.where(known, raw, pooled)
    return (periods * raw + PRIOR_PERIODS * pooled) / (periods + PRIOR_PERIODS)


def _nb(mu: np.ndarray, alpha: np.ndarray):
    mu = np.maximum(np.asarray(mu, dtype=float), TINY)
    alpha = np.clip(np.asarray(alpha, dtype=float), ALPHA_MIN, ALPHA_MAX)
    size = 1.0 / alpha
    return size, size / (size + mu)


def mid_cdf(y: np.ndarray, mu: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """F(y - 1) + P(y) / 2 for counts y (non-integers are floored)."""
    y = np.floor(np.maximum(np.asarray(y, dtype=float), 0.0))
    mu, alpha = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(alpha, dtype=float))
    size, prob = _nb(mu, alpha)
    below = np.where(y >= 1, stats.nbinom.cdf(y - 1, size, prob), 0.0)
    at = stats.nbinom.pmf(y, size, prob)
    out = below + at / 2
    zero = mu <= TINY
    return np.where(zero, np.where(y == 0, 0.5, 1.0), out)


def mid_quantile(level, mu: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The continuous (mid-) quantile at `level` (scalar or array broadcast with mu)."""
    mu, alpha, level = np.broadcast_arrays(
        np.asarray(mu, dtype=float), np.asarray(alpha, dtype=float), np.asarray(level, float)
    )
    size, prob = _nb(mu, alpha)
    level = np.clip(level, 1e-6, 1 - 1e-6)
    k = stats.nbinom.ppf(level, size, prob)
    below = np.where(k >= 1, stats.nbinom.cdf(k - 1, size, prob), 0.0)
    at = np.maximum(stats.nbinom.pmf(k, size, prob), TINY)
    value = k - 0.5 + np.clip((level - below) / at, 0.0, 1.0)
    value = np.where(mu <= TINY, 0.0, value)
    return np.maximum(value, 0.0)


class Calibration:
    """Maps a requested level to the level that delivers it, per volume band."""

    def __init__(self, *, edges: np.ndarray, maps: list[np.ndarray]):
        self.edges = edges
        self.maps = maps  # per volume band: the sorted back-test u values

    @classmethod
    def identity(cls) -> Calibration:
        return cls(edges=np.array([]), maps=[])

    @classmethod
    def fit(
        cls, *, actual: np.ndarray, mean: np.ndarray, alpha: np.ndarray, volume: np.ndarray
    ) -> Calibration:
        """actual/mean: (rows x periods) back-test; alpha and volume per row."""
        valid_rows = np.isfinite(volume)
        if valid_rows.sum() == 0:
            return cls.identity()
        edges = np.quantile(volume[valid_rows], np.linspace(0, 1, VOLUME_BANDS + 1)[1:-1])
        band = np.searchsorted(edges, volume, side="right")
        u = mid_cdf(np.nan_to_num(actual), mean, alpha[:, None])
        ok = np.isfinite(actual) & np.isfinite(mean)
        maps = []
        pooled = np.sort(u[ok & valid_rows[:, None]])
        for index in range(VOLUME_BANDS):
            rows = (band == index) & valid_rows
            values = np.sort(u[ok & rows[:, None]])
            if len(values) < MIN_CALIBRATION_POINTS:
                values = pooled
            maps.append(values)
        if len(pooled) < MIN_CALIBRATION_POINTS:
            return cls.identity()
        return cls(edges=edges, maps=maps)

    def effective(self, level: float, volume: np.ndarray) -> np.ndarray:
        """The level to read from the model's distribution, per SKU."""
        volume = np.asarray(volume, dtype=float)
        if not self.maps:
            return np.full(volume.shape, level)
        band = np.searchsorted(self.edges, np.nan_to_num(volume), side="right")
        table = np.array([np.quantile(values, level) for values in self.maps])
        return np.clip(table[band], 1e-4, 1 - 1e-4)

    def as_json(self, levels) -> dict:
        if not self.maps:
            return {}
        return {
            "volume_edges": [round(float(edge), 4) for edge in self.edges],
            "levels": {
                str(level): [round(float(np.quantile(v, level)), 4) for v in self.maps]
                for level in levels
            },
        }


def quantile_paths(
    *,
    mean: np.ndarray,
    alpha: np.ndarray,
    volume: np.ndarray,
    levels,
    calibration: Calibration,
) -> dict[float, np.ndarray]:
    """(rows x periods) per level: calibrated mid-quantiles, the mean at 0.5, monotone in
    level, non-negative."""
    mean = np.maximum(np.asarray(mean, dtype=float), 0.0)
    levels = sorted(levels)
    out: dict[float, np.ndarray] = {}
    for level in levels:
        if level == 0.5:
            out[level] = mean.copy()
            continue
        effective = calibration.effective(level, volume)
        values = mid_quantile(effective[:, None], mean, alpha[:, None])
        out[level] = np.minimum(values, mean) if level < 0.5 else np.maximum(values, mean)
    running = None
    for level in levels:
        running = out[level] if running is None else np.maximum(running, out[level])
        out[level] = running
    return out
