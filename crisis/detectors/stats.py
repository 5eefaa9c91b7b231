"""Vectorised statistics shared by the detectors (numpy and scipy only).

- Demand over a window of days is negative binomial with the window's mean and variance
  (Poisson when the variance does not exceed the mean), the inventory plan's model
  (`forecasting.planning`), evaluated for many products at once.
- The sales-drop test is a one-sided CUSUM of negative-binomial log-likelihood ratios.
- The review tests are beta-binomial tail probabilities (a binomial test whose baseline share
  is itself uncertain) and Welch's one-sided t-test.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

# Correlation of one day's forecast error with another day's in the same window: the value
# the inventory plan uses (`forecasting.planning.DAY_ERROR_CORRELATION`), so the alert and the
# plan agree about the spread of demand over a lead time.
DAY_ERROR_CORRELATION = 0.15
Z_90 = 1.2815515655446004


def day_moments(q10: np.ndarray, q50: np.ndarray, q90: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-day mean and variance from P10/P50/P90 paths (any shape): the plan's reading.

    P50 is the engine's expected units; the spread comes from the upper half of the band,
    sd = (P90 - P50) / 1.2816, at least Poisson. NaN (no forecast) stays NaN.
    """
    low = np.clip(q10, 0.0, None)
    mean = np.maximum(q50, low)
    high = np.maximum(q90, mean)
    sd = (high - mean) / Z_90
    return mean, np.maximum(sd**2, mean)


def nb_cdf(units: np.ndarray, mean: np.ndarray, var: np.ndarray) -> np.ndarray:
    """P(demand <= units) for negative-binomial demand (Poisson when var <= mean), elementwise.

    Zero mean: demand is 0 for sure. Negative units: 0.
    """
    units = np.asarray(units, dtype=float)
    mean = np.asarray(mean, dtype=float)
    var = np.maximum(np.asarray(var, dtype=float), mean)
    k = np.floor(units + 1e-9)
    out = np.ones(np.broadcast(units, mean, var).shape)
    positive = mean > 0
    over = positive & (var > mean * (1 + 1e-9))
    poisson = positive & ~over
    k_b = np.broadcast_to(k, out.shape)
    m_b = np.broadcast_to(mean, out.shape)
    v_b = np.broadcast_to(var, out.shape)
    if poisson.any():
        out[poisson] = special.gammaincc(np.maximum(k_b[poisson], 0) + 1, m_b[poisson])
    if over.any():
        p = m_b[over] / v_b[over]
        size = m_b[over] ** 2 / (v_b[over] - m_b[over])
        out[over] = special.betainc(size, np.maximum(k_b[over], 0) + 1, p)
    out = np.where(np.broadcast_to(units, out.shape) < 0, 0.0, out)
    return out


def nb_quantile(level: float, mean: float, var: float) -> int:
    """Smallest whole number of units u with P(demand <= u) >= level (one product)."""
    if mean <= 0 or level <= 0:
        return 0
    level = min(level, 1 - 1e-12)
    low, high = 0, max(1, int(np.ceil(mean + 10 * np.sqrt(max(var, mean)) + 10)))
    while nb_cdf(high, mean, var) < level:
        low, high = high, high * 2
    if nb_cdf(low, mean, var) >= level:
        return low
    while high - low > 1:
        middle = (low + high) // 2
        if nb_cdf(middle, mean, var) >= level:
            high = middle
        else:
            low = middle
    return high


def nb_llr_drop(y: np.ndarray, mu: np.ndarray, alpha: np.ndarray, ratio: float) -> np.ndarray:
    """Log-likelihood ratio of "demand fell to `ratio` x mu" against "demand is mu" for
    observed units y, negative binomial with dispersion alpha (variance mu + alpha mu^2;
    Poisson at alpha 0). Positive values favour the drop."""
    alpha = np.maximum(np.asarray(alpha, dtype=float), 1e-8)
    size = 1.0 / alpha
    mu = np.maximum(np.asarray(mu, dtype=float), 1e-9)
    low = ratio * mu
    # log NB(y | m, size) = y log(m / (m + size)) + size log(size / (m + size)) + const(y)
    return y * (np.log(low / (low + size)) - np.log(mu / (mu + size))) + size * (
        np.log(mu + size) - np.log(low + size)
    )


def cusum_path(llr: np.ndarray, include: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-sided CUSUM S_t = max(0, S_{t-1} + llr_t) along axis 1 (days excluded by `include`
    add nothing). Returns the path (n, W) and, per row, the first column of the current run
    (the day after S was last 0: the CUSUM's estimate of when the drop began)."""
    n, width = llr.shape
    path = np.zeros((n, width))
    start = np.zeros(n, dtype=np.int64)
    level = np.zeros(n)
    for column in range(width):
        step = np.where(include[:, column], llr[:, column], 0.0)
        level = np.maximum(level + step, 0.0)
        path[:, column] = level
        start = np.where(level <= 0, column + 1, start)
    return path, start


def beta_binomial_sf(k: np.ndarray, n: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(X >= k) for X ~ BetaBinomial(n, a, b): the chance of at least k negatives among n
    reviews when the negative share is Beta(a, b) (the baseline's share and its uncertainty)."""
    k = np.asarray(k)
    return np.where(k <= 0, 1.0, stats.betabinom.sf(k - 1, n, a, b))


def welch_less(
    mean_recent: np.ndarray,
    var_recent: np.ndarray,
    n_recent: np.ndarray,
    mean_base: np.ndarray,
    var_base: np.ndarray,
    n_base: np.ndarray,
) -> np.ndarray:
    """One-sided p-value of Welch's t-test that the recent mean is below the baseline mean.

    Variances are sample variances (ddof 1); each is floored at 0.25 star^2 so that a run of
    identical ratings does not make any difference look certain.
    """
    var_recent = np.maximum(var_recent, 0.25)
    var_base = np.maximum(var_base, 0.25)
    se2_recent = var_recent / np.maximum(n_recent, 1)
    se2_base = var_base / np.maximum(n_base, 1)
    t = (mean_recent - mean_base) / np.sqrt(se2_recent + se2_base)
    df = (se2_recent + se2_base) ** 2 / (
        se2_recent**2 / np.maximum(n_recent - 1, 1) + se2_base**2 / np.maximum(n_base - 1, 1)
    )
    return stats.t.cdf(t, df)
