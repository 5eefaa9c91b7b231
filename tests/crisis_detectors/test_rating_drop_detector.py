"""Rating drop: the recent average rating falls significantly below the year before."""

import json

import numpy as np

from crisis.detectors.config import Thresholds
from crisis.detectors.rating_drop import detect_rating_drop

from .builders import inputs, poisson_sales, reviews


def rated(product: int, *, ages, stars) -> list:
    return [
        (product, int(age), int(star), star <= 2) for age, star in zip(ages, stars, strict=True)
    ]


def scan(rows, products=1):
    return inputs(poisson_sales(np.full(products, 10.0)), reviews=reviews(rows), prices=20.0)


CALM = ([3, 4, 5], [0.1, 0.3, 0.6])  # about 4.5 stars
UNHAPPY = ([1, 2, 3, 4], [0.2, 0.3, 0.3, 0.2])  # about 2.5 stars


def history(product: int, *, seed: int, recent_stars=UNHAPPY, recent: int = 20):
    rng = np.random.default_rng(seed)
    before = rng.choice(CALM[0], size=120, p=CALM[1])
    now = rng.choice(recent_stars[0], size=recent, p=recent_stars[1])
    return rated(product, ages=rng.integers(30, 360, size=120), stars=before) + rated(
        product, ages=rng.integers(0, 27, size=recent), stars=now
    )


def test_a_fall_from_about_four_and_a_half_to_two_and_a_half_stars_fires():
    [finding] = detect_rating_drop(scan(history(0, seed=1)), Thresholds())

    assert finding.kind == "rating_drop"
    assert finding.dedup_key == "rating_drop:1:"
    evidence = finding.evidence
    assert evidence["drop"] > 1.5
    assert evidence["p_value"] < 0.01
    assert sum(evidence["recent_distribution"].values()) == evidence["recent_reviews"] == 20
    # drop / 4 of the next 28 days' revenue (about 10 a day at 20).
    assert 5000 < evidence["expected_revenue"] < 6000
    expected = evidence["drop"] / 4 * evidence["expected_revenue"]
    assert abs(float(finding.money_at_risk) - expected) < 1
    json.dumps(evidence)


def test_too_few_recent_reviews_are_not_enough():
    rows = history(0, seed=2, recent=4)
    assert detect_rating_drop(scan(rows), Thresholds()) == []


def test_a_small_wobble_is_not_a_drop():
    rng = np.random.default_rng(3)
    stars = rng.choice([3, 4, 5], size=200, p=[0.15, 0.35, 0.5])
    rows = rated(0, ages=rng.integers(0, 360, size=200), stars=stars)
    assert detect_rating_drop(scan(rows), Thresholds()) == []


def test_unrated_reviews_do_not_count():
    rows = history(0, seed=4, recent_stars=CALM) + [(0, 1, 0, True)] * 30
    assert detect_rating_drop(scan(rows), Thresholds()) == []
