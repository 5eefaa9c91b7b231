"""Negative-review surge: a significant rise of a product's negative share, with a minimum."""

import json

import numpy as np

from crisis.detectors.config import Thresholds
from crisis.detectors.review_surge import detect_review_surge

from .builders import calm_reviews, inputs, poisson_sales, reviews


def scan(rows, *, products=1, **kwargs):
    return inputs(poisson_sales(np.full(products, 10.0)), reviews=reviews(rows), **kwargs)


def surge(product: int, *, count: int, aspects=("quality",)):
    return [(product, k % 10, 1, True, list(aspects)) for k in range(count)]


def test_a_wave_of_complaints_against_a_calm_history_fires():
    calm = calm_reviews(0, days=300, per_day=0.5, negative_share=0.08, seed=1)
    scan_inputs = scan(calm + surge(0, count=12), prices=30.0)
    scan_inputs.reviews.topic[-3:] = 77
    scan_inputs.reviews.topics[77] = {"label": "lid leaks", "aspect": "quality"}

    findings = detect_review_surge(scan_inputs, Thresholds())

    [finding] = findings
    assert finding.kind == "review_surge"
    assert finding.aspect == ""
    assert finding.dedup_key == "review_surge:1:"
    evidence = finding.evidence
    assert evidence["recent_negative"] >= 12
    assert evidence["baseline_share"] < 0.15
    assert evidence["p_value"] < 1e-6
    assert evidence["top_topics"] == [
        {"id": 77, "label": "lid leaks", "aspect": "quality", "reviews": 3}
    ]
    assert len(evidence["example_review_ids"]) == 5
    assert evidence["aspects"][0]["aspect"] == "quality"
    # The excess share of the next 28 days' revenue (about 10 a day at 30).
    assert 8000 < evidence["expected_revenue"] < 9000
    expected = evidence["excess_share"] * evidence["expected_revenue"]
    assert abs(float(finding.money_at_risk) - expected) < 1
    assert len(evidence["chart"]["weeks"]) == len(evidence["chart"]["negative"]) == 12
    json.dumps(evidence)


def test_two_bad_reviews_of_a_rarely_reviewed_product_are_not_a_crisis():
    rows = [(0, 200, 5, False), (0, 100, 5, False), (0, 2, 1, True), (0, 3, 1, True)]
    assert detect_review_surge(scan(rows), Thresholds()) == []


def test_a_product_that_always_draws_complaints_is_judged_against_its_own_baseline():
    calm = calm_reviews(0, days=300, per_day=2.0, negative_share=0.45, seed=2)
    assert detect_review_surge(scan(calm), Thresholds()) == []


def test_a_rise_in_one_aspect_without_a_rise_overall_is_reported_for_that_aspect():
    # Negative reviews keep their share, but they now all complain about the size.
    rng = np.random.default_rng(3)
    rows = []
    for age in range(300):
        for _ in range(rng.poisson(2.0)):
            bad = rng.random() < 0.3
            aspect = "size_fit" if age < 14 else str(rng.choice(["quality", "shipping"]))
            rows.append((0, age, 1 if bad else 5, bad, [aspect] if bad else []))

    [finding] = detect_review_surge(scan(rows), Thresholds())

    assert finding.aspect == "size_fit"
    assert finding.dedup_key == "review_surge:1:size_fit"
    assert finding.evidence["aspect_label"] == "size / fit"


def test_a_new_product_is_judged_against_the_store_share():
    calm = calm_reviews(1, days=300, per_day=2.0, negative_share=0.1, seed=4)
    fresh = [(0, 1, 5, False)] + surge(0, count=7)
    [finding] = detect_review_surge(scan(calm + fresh, products=2), Thresholds())
    assert finding.product_id == 1
    assert finding.evidence["baseline_reviews"] == 0
    assert finding.evidence["store_share"] < 0.15


def test_old_complaints_outside_the_window_do_not_fire():
    calm = calm_reviews(0, days=300, per_day=0.5, negative_share=0.08, seed=5)
    old_wave = [(0, 60 + k, 1, True, ["quality"]) for k in range(12)]
    assert detect_review_surge(scan(calm + old_wave), Thresholds()) == []
