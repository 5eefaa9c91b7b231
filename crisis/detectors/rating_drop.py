"""Rating drop: a product's average star rating over the recent days falls significantly.

Per product, rated reviews of the last W = `rating_window_days` days (today included) against
those of the `review_baseline_days` days before:

    fires when both have at least `rating_min_reviews` (10) rated reviews,
               baseline mean - recent mean >= `rating_min_drop` (0.5 stars),
               and Welch's one-sided t-test gives p < `rating_p_value` (0.001)
               (each variance at least 0.25 star^2, so a run of identical ratings does not
               make any difference look certain)

Money at risk = (drop in stars / 4) x the revenue expected over the next
`revenue_horizon_days` (28) days. Assumption: a fall from 5 to 1 star would turn away every
buyer, and the share turned away grows in proportion to the fall.
"""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _

from .common import (
    expected_revenue,
    money,
    money_text,
    num,
    product_header,
    series,
    week_starts,
    weekly_counts,
)
from .config import Thresholds
from .stats import welch_less
from .types import Finding, ScanInputs

KIND = "rating_drop"
EXAMPLES = 5
CHART_WEEKS = 12


def _moments(product: np.ndarray, ratings: np.ndarray, mask: np.ndarray, n: int):
    count = np.bincount(product[mask], minlength=n)[:n].astype(float)
    total = np.bincount(product[mask], weights=ratings[mask], minlength=n)[:n]
    squares = np.bincount(product[mask], weights=ratings[mask] ** 2, minlength=n)[:n]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
        var = np.where(count > 1, (squares - count * mean**2) / (count - 1), np.nan)
    return count, mean, np.maximum(np.nan_to_num(var), 0.0)


def detect_rating_drop(inputs: ScanInputs, thresholds: Thresholds) -> list[Finding]:
    """Products whose recent average rating fell significantly (module docstring)."""
    n = len(inputs)
    reviews = inputs.reviews
    if n == 0 or len(reviews.ids) == 0:
        return []
    window = int(thresholds.rating_window_days)
    rated = reviews.rating > 0
    age = reviews.age_days
    recent = rated & (age >= 0) & (age < window)
    base = rated & (age >= window) & (age < window + int(thresholds.review_baseline_days))
    if not recent.any():
        return []
    ratings = reviews.rating.astype(float)
    n_recent, mean_recent, var_recent = _moments(reviews.product, ratings, recent, n)
    n_base, mean_base, var_base = _moments(reviews.product, ratings, base, n)
    minimum = thresholds.rating_min_reviews
    checked = (n_recent >= minimum) & (n_base >= minimum) & inputs.catalog.sellable
    drop = np.nan_to_num(mean_base - mean_recent)
    checked &= drop >= thresholds.rating_min_drop
    if not checked.any():
        return []
    p_value = np.ones(n)
    p_value[checked] = welch_less(
        mean_recent[checked],
        var_recent[checked],
        n_recent[checked],
        mean_base[checked],
        var_base[checked],
        n_base[checked],
    )
    firing = np.flatnonzero(checked & (p_value < thresholds.rating_p_value))
    if not len(firing):
        return []
    revenue = expected_revenue(inputs, int(thresholds.revenue_horizon_days))
    findings = []
    for row in firing.tolist():
        share = min(float(drop[row]) / 4.0, 1.0)
        amount = money(share * float(revenue[row]))
        if amount < thresholds.min_money_at_risk:
            continue
        mine = reviews.product == row
        low = np.flatnonzero(mine & recent & (reviews.rating <= 2))
        order = np.lexsort((-reviews.ids[low], age[low]))
        weekly_total = weekly_counts(age[mine & rated], ratings[mine & rated], CHART_WEEKS)
        weekly_count = weekly_counts(age[mine & rated], None, CHART_WEEKS)
        with np.errstate(divide="ignore", invalid="ignore"):
            weekly_mean = np.where(weekly_count > 0, weekly_total / weekly_count, np.nan)
        distribution = np.bincount(reviews.rating[mine & recent].astype(np.int64), minlength=6)[1:6]
        evidence = {
            **product_header(inputs, row),
            "rule": "Welch's one-sided t-test of recent against baseline ratings",
            "window_days": window,
            "baseline_days": int(thresholds.review_baseline_days),
            "recent_reviews": int(n_recent[row]),
            "recent_mean": num(mean_recent[row], 2),
            "baseline_reviews": int(n_base[row]),
            "baseline_mean": num(mean_base[row], 2),
            "drop": num(drop[row], 2),
            "p_value": float(f"{p_value[row]:.3g}"),
            "p_value_threshold": thresholds.rating_p_value,
            "recent_distribution": {str(star): int(distribution[star - 1]) for star in range(1, 6)},
            "example_review_ids": [int(reviews.ids[i]) for i in low[order][:EXAMPLES]],
            "expected_revenue": num(revenue[row]),
            "revenue_horizon_days": int(thresholds.revenue_horizon_days),
            "money_basis": "drop / 4 x expected revenue over the horizon",
            "chart": {
                "weeks": week_starts(inputs.today, CHART_WEEKS),
                "average_rating": series(weekly_mean, 2),
                "reviews": series(weekly_count, 0),
            },
        }
        values = {
            "sku": inputs.catalog.skus[row],
            "recent": float(mean_recent[row]),
            "baseline": float(mean_base[row]),
            "count": int(n_recent[row]),
            "days": window,
            "money": money_text(amount, inputs.currency),
        }
        findings.append(
            Finding(
                kind=KIND,
                product_id=int(inputs.catalog.ids[row]),
                aspect="",
                money_at_risk=amount,
                title=_("%(sku)s rating fell to %(recent).1f stars") % values,
                summary=_(
                    "The %(count)d reviews of the last %(days)d days average %(recent).1f stars, "
                    "against %(baseline).1f before. About %(money)s of revenue is at risk."
                )
                % values,
                evidence=evidence,
            )
        )
    return findings
