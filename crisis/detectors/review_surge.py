"""Negative-review surge: a product's share of negative reviews, overall or about one aspect,
rises significantly above its own baseline.

Per product, over the last W = `review_window_days` days (today included) against the
B = `review_baseline_days` days before:

    n, k     = reviews, and negative ones (the analysis says negative; 1-2 stars while not
               analysed), in the window; N, K the same in the baseline
    baseline = Beta(K + 20 p_store, N - K + 20 (1 - p_store)): the product's own share,
               pulled towards the store's share p_store by 20 pseudo-reviews so that a product
               with little history is judged against the store
    p-value  = P(X >= k) for X ~ BetaBinomial(n, baseline): a one-sided binomial test that
               allows for the baseline's own uncertainty
    fires when k >= `review_min_negatives` (5), p < `review_p_value` (0.001) and
               k / n - baseline share >= `review_min_excess_share` (0.10)

The same test runs per aspect (quality, size/fit, shipping, ...) with k, K counting reviews
with a negative mention of that aspect (`AspectMention`, polarity negative). A product with a
significant overall surge gets one finding (dedup key "review_surge:<id>:"), its evidence
listing every aspect with its own counts, share and p-value; a product whose overall share
did not rise significantly gets one finding per aspect that did ("review_surge:<id>:<aspect>").

Money at risk = (k / n - baseline share) x the revenue expected over the next
`revenue_horizon_days` (28) days. Assumption: each extra point of negative reviews turns away
one point of buyers until the cause is fixed.
"""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from .stats import beta_binomial_sf
from .types import Finding, ScanInputs

KIND = "review_surge"
PRIOR_REVIEWS = 20.0
EXAMPLES = 5
TOP_TOPICS = 3
CHART_WEEKS = 12

# The review app's aspect names (same message ids, so its translations apply).
ASPECT_LABELS = {
    "quality": gettext_lazy("quality / defects"),
    "size_fit": gettext_lazy("size / fit"),
    "shipping": gettext_lazy("shipping / delivery"),
    "packaging": gettext_lazy("packaging"),
    "price_value": gettext_lazy("price / value"),
    "service": gettext_lazy("customer service"),
    "function": gettext_lazy("function / performance"),
    "appearance": gettext_lazy("appearance"),
    "authenticity": gettext_lazy("authenticity"),
}


def aspect_label(aspect: str) -> str:
    return str(ASPECT_LABELS.get(aspect, aspect))


def _counts(product: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(product[mask], minlength=n)[:n].astype(float)


def surge_test(
    *,
    product: np.ndarray,
    flagged: np.ndarray,
    recent: np.ndarray,
    base: np.ndarray,
    n: int,
) -> dict[str, np.ndarray]:
    """Counts, baseline share and one-sided p-value per product for one kind of complaint
    (`flagged` marks the reviews that carry it)."""
    n_recent = _counts(product, recent, n)
    k_recent = _counts(product, recent & flagged, n)
    n_base = _counts(product, base, n)
    k_base = _counts(product, base & flagged, n)
    store = (k_base.sum() + 0.5) / (n_base.sum() + 1.0)
    a = k_base + PRIOR_REVIEWS * store
    b = n_base - k_base + PRIOR_REVIEWS * (1 - store)
    expected_share = a / (a + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n_recent > 0, k_recent / n_recent, 0.0)
    p_value = np.ones(n)
    tested = k_recent > 0
    if tested.any():
        p_value[tested] = beta_binomial_sf(k_recent[tested], n_recent[tested], a[tested], b[tested])
    return {
        "n_recent": n_recent,
        "k_recent": k_recent,
        "n_base": n_base,
        "k_base": k_base,
        "share": share,
        "baseline_share": expected_share,
        "store_share": np.full(n, store),
        "p_value": p_value,
    }


def _fires(test: dict[str, np.ndarray], thresholds: Thresholds) -> np.ndarray:
    return (
        (test["k_recent"] >= thresholds.review_min_negatives)
        & (test["p_value"] < thresholds.review_p_value)
        & (test["share"] - test["baseline_share"] >= thresholds.review_min_excess_share)
    )


def detect_review_surge(inputs: ScanInputs, thresholds: Thresholds) -> list[Finding]:
    """Products whose negative share (overall or per aspect) surged (module docstring)."""
    n = len(inputs)
    reviews = inputs.reviews
    if n == 0 or len(reviews.ids) == 0:
        return []
    window = int(thresholds.review_window_days)
    age = reviews.age_days
    recent = (age >= 0) & (age < window)
    base = (age >= window) & (age < window + int(thresholds.review_baseline_days))
    if not recent.any():
        return []
    sellable = inputs.catalog.sellable

    aspects = np.unique(reviews.aspect_name.astype(str)) if len(reviews.aspect_name) else []
    flagged_by_aspect = {}
    aspect_tests = {}
    for aspect in aspects:
        flagged = np.zeros(len(reviews.ids), dtype=bool)
        flagged[reviews.aspect_review[reviews.aspect_name == aspect]] = True
        test = surge_test(product=reviews.product, flagged=flagged, recent=recent, base=base, n=n)
        aspect_tests[str(aspect)] = test
        flagged_by_aspect[str(aspect)] = flagged
    overall = surge_test(
        product=reviews.product, flagged=reviews.negative, recent=recent, base=base, n=n
    )

    # One finding per product: the overall surge when its negative share rose significantly
    # (the aspects that rose with it are listed in its evidence), else one per aspect that did.
    overall_rows = _fires(overall, thresholds) & sellable
    firing: list[tuple[int, str, dict, np.ndarray]] = [
        (row, "", overall, reviews.negative) for row in np.flatnonzero(overall_rows).tolist()
    ]
    for aspect, test in aspect_tests.items():
        rows = np.flatnonzero(_fires(test, thresholds) & sellable & ~overall_rows)
        firing.extend((row, aspect, test, flagged_by_aspect[aspect]) for row in rows.tolist())
    if not firing:
        return []

    revenue = expected_revenue(inputs, int(thresholds.revenue_horizon_days))
    findings = []
    for row, aspect, test, flagged in firing:
        finding = _finding(
            inputs,
            thresholds,
            row=row,
            aspect=aspect,
            test=test,
            flagged=flagged,
            recent=recent,
            revenue=float(revenue[row]),
            aspect_tests=aspect_tests,
            thresholds_met={a: bool(_fires(t, thresholds)[row]) for a, t in aspect_tests.items()},
        )
        if finding is not None:
            findings.append(finding)
    return findings


def _finding(
    inputs: ScanInputs,
    thresholds: Thresholds,
    *,
    row: int,
    aspect: str,
    test: dict[str, np.ndarray],
    flagged: np.ndarray,
    recent: np.ndarray,
    revenue: float,
    aspect_tests: dict[str, dict[str, np.ndarray]],
    thresholds_met: dict[str, bool],
) -> Finding | None:
    reviews, catalog = inputs.reviews, inputs.catalog
    excess = float(test["share"][row] - test["baseline_share"][row])
    amount = money(max(excess, 0.0) * revenue)
    if amount < thresholds.min_money_at_risk:
        return None
    mine = reviews.product == row
    hits = np.flatnonzero(mine & recent & flagged)
    # Newest first: age ascending, then the higher id (written later the same day).
    order = np.lexsort((-reviews.ids[hits], reviews.age_days[hits]))
    examples = [int(reviews.ids[i]) for i in hits[order][:EXAMPLES]]
    topic_ids, topic_counts = np.unique(reviews.topic[hits], return_counts=True)
    topics = []
    for index in np.argsort(-topic_counts, kind="stable"):
        topic_id = int(topic_ids[index])
        if topic_id <= 0:
            continue
        info = reviews.topics.get(topic_id, {})
        topics.append(
            {
                "id": topic_id,
                "label": info.get("label", ""),
                "aspect": info.get("aspect", ""),
                "reviews": int(topic_counts[index]),
            }
        )
        if len(topics) >= TOP_TOPICS:
            break
    age = reviews.age_days
    evidence = {
        **product_header(inputs, row),
        "rule": "one-sided beta-binomial test of the negative share against the baseline",
        "aspect": aspect,
        "aspect_label": aspect_label(aspect) if aspect else "",
        "window_days": int(thresholds.review_window_days),
        "baseline_days": int(thresholds.review_baseline_days),
        "recent_reviews": int(test["n_recent"][row]),
        "recent_negative": int(test["k_recent"][row]),
        "recent_share": num(test["share"][row], 4),
        "baseline_reviews": int(test["n_base"][row]),
        "baseline_negative": int(test["k_base"][row]),
        "baseline_share": num(test["baseline_share"][row], 4),
        "store_share": num(test["store_share"][row], 4),
        "excess_share": num(excess, 4),
        "p_value": float(f"{test['p_value'][row]:.3g}"),
        "p_value_threshold": thresholds.review_p_value,
        "top_topics": topics,
        "aspects": sorted(
            (
                {
                    "aspect": name,
                    "label": aspect_label(name),
                    "recent_negative": int(test_a["k_recent"][row]),
                    "recent_share": num(test_a["share"][row], 4),
                    "baseline_share": num(test_a["baseline_share"][row], 4),
                    "p_value": float(f"{test_a['p_value'][row]:.3g}"),
                    "significant": thresholds_met[name],
                }
                for name, test_a in aspect_tests.items()
                if test_a["k_recent"][row] > 0
            ),
            key=lambda item: (item["p_value"], item["aspect"]),
        ),
        "example_review_ids": examples,
        "expected_revenue": num(revenue),
        "revenue_horizon_days": int(thresholds.revenue_horizon_days),
        "money_basis": "excess_share x expected revenue over the horizon",
        "chart": {
            "weeks": week_starts(inputs.today, CHART_WEEKS),
            "reviews": series(weekly_counts(age[mine], None, CHART_WEEKS), 0),
            "negative": series(weekly_counts(age[mine & flagged], None, CHART_WEEKS), 0),
        },
    }
    values = {
        "sku": catalog.skus[row],
        "aspect": aspect_label(aspect),
        "k": int(test["k_recent"][row]),
        "n": int(test["n_recent"][row]),
        "days": int(thresholds.review_window_days),
        "share": 100 * float(test["share"][row]),
        "baseline": 100 * float(test["baseline_share"][row]),
        "money": money_text(amount, inputs.currency),
    }
    if aspect:
        title = _("%(sku)s: surge of negative reviews about %(aspect)s") % values
        summary = _(
            "%(k)d of the %(n)d reviews of the last %(days)d days complain about %(aspect)s "
            "(%(share).0f%%, against %(baseline).0f%% normally). About %(money)s of revenue "
            "is at risk."
        )
    else:
        title = _("%(sku)s: surge of negative reviews") % values
        summary = _(
            "%(k)d of the %(n)d reviews of the last %(days)d days are negative "
            "(%(share).0f%%, against %(baseline).0f%% normally). About %(money)s of revenue "
            "is at risk."
        )
    return Finding(
        kind=KIND,
        product_id=int(catalog.ids[row]),
        aspect=aspect,
        money_at_risk=amount,
        title=title,
        summary=summary % values,
        evidence=evidence,
    )
