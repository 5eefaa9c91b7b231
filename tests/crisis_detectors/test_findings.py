"""Every finding: stable dedup key, JSON-safe evidence, text in the active language, ranked."""

import datetime as dt
import json
from decimal import Decimal

import numpy as np
from django.utils import translation

from crisis.detectors import run_detectors
from crisis.detectors.config import Thresholds
from crisis.models import AlertKind

from .builders import TODAY, calm_reviews, flat_forecast, inputs, poisson_sales, reviews


def busy_store(today=TODAY):
    """Five products, each with one problem: stockout, overstock, drop, surge, rating drop."""
    levels = np.array([10.0, 1.0, 20.0, 10.0, 10.0])
    units = poisson_sales(levels, seed=21)
    rng = np.random.default_rng(22)
    units[2, -12:] = rng.binomial(units[2, -12:].astype(np.int64), 0.3)
    rows = calm_reviews(3, days=300, per_day=0.5, negative_share=0.05, seed=23)
    rows += [(3, k % 10, 1, True, ["size_fit"]) for k in range(12)]
    rng = np.random.default_rng(24)
    rows += [
        (4, int(a), int(s), s <= 2)
        for a, s in zip(rng.integers(30, 300, 120), rng.choice([4, 5], 120), strict=True)
    ]
    rows += [
        (4, int(a), int(s), s <= 2)
        for a, s in zip(rng.integers(0, 27, 20), rng.choice([1, 2, 3], 20), strict=True)
    ]
    return inputs(
        units,
        today=today,
        on_hand=[20, 2000, 600, 400, 400],
        lead_times=[30, 30, 14, 14, 14],
        costs=[5.0, 40.0, 5.0, 5.0, 5.0],
        prices=[20.0, 80.0, 20.0, 20.0, 20.0],
        forecast=flat_forecast(levels, start=today),
        reviews=reviews(rows),
    )


def test_each_problem_gives_one_finding_of_its_kind_ranked_by_money():
    findings = run_detectors(busy_store(), Thresholds())

    pairs = {(finding.product_id, finding.kind) for finding in findings}
    expected = {
        (1, "stockout_risk"),
        (2, "overstock"),
        (3, "sales_drop"),
        (4, "review_surge"),
        (5, "rating_drop"),
    }
    assert expected <= pairs
    # A wave of one-star complaints is both a surge of negatives and a fall of the rating.
    assert pairs - expected <= {(4, "rating_drop"), (5, "review_surge")}
    assert {finding.kind for finding in findings} <= set(AlertKind.values)
    money = [finding.money_at_risk for finding in findings]
    assert money == sorted(money, reverse=True)
    assert all(isinstance(value, Decimal) and value > 0 for value in money)


def test_evidence_is_plain_json_with_the_product_and_its_figures():
    for finding in run_detectors(busy_store(), Thresholds()):
        text = json.dumps(finding.evidence, allow_nan=False)
        assert json.loads(text)["sku"] == f"SKU-{finding.product_id}"
        assert finding.evidence["currency"] == "USD"


def test_dedup_keys_are_kind_product_aspect_and_stable_from_one_scan_to_the_next():
    today = run_detectors(busy_store(), Thresholds())
    tomorrow = run_detectors(busy_store(TODAY + dt.timedelta(days=1)), Thresholds())

    keys = {finding.dedup_key for finding in today}
    assert keys == {finding.dedup_key for finding in tomorrow}
    for finding in today:
        assert finding.dedup_key == f"{finding.kind}:{finding.product_id}:{finding.aspect}"


def test_titles_and_summaries_are_written_in_the_active_language():
    with translation.override("zh-hans"):
        chinese = run_detectors(busy_store(), Thresholds())
    with translation.override("en"):
        english = run_detectors(busy_store(), Thresholds())

    surge_zh = next(f for f in chinese if f.dedup_key == "review_surge:4:")
    surge_en = next(f for f in english if f.dedup_key == "review_surge:4:")
    assert surge_en.evidence["aspects"][0]["label"] == "size / fit"
    assert surge_zh.evidence["aspects"][0]["label"] == "尺码 / 合身度"
    for finding in english:
        assert finding.title and finding.summary and finding.evidence["sku"] in finding.title


def test_an_empty_store_has_no_findings():
    assert run_detectors(inputs(np.zeros((0, 140))), Thresholds()) == []
