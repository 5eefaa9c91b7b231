"""Plain detector inputs for the tests: seeded Poisson sales, flat forecasts, review arrays."""

import datetime as dt

import numpy as np

from crisis.detectors.types import ForecastPaths, ReviewInputs, scan_inputs_build

TODAY = dt.date(2025, 6, 18)
DAYS = 140


def poisson_sales(levels, *, days: int = DAYS, seed: int = 0) -> np.ndarray:
    """Daily units of each product at its level, oldest first (last column = yesterday)."""
    rng = np.random.default_rng(seed)
    levels = np.asarray(levels, dtype=float)
    return rng.poisson(levels[:, None] * np.ones((len(levels), days))).astype(float)


def flat_forecast(levels, *, start: dt.date = TODAY, days: int = 28, spread=0.4) -> ForecastPaths:
    """Forecasts at a flat level from `start`: P10/P90 at (1 -/+ spread) x the level."""
    levels = np.asarray(levels, dtype=float)
    n = len(levels)
    base = np.repeat(levels[:, None], days, axis=1)
    return ForecastPaths(
        start=np.full(n, np.datetime64(start, "D")),
        q10=base * (1 - spread),
        q50=base,
        q90=base * (1 + spread),
        has=np.ones(n, dtype=bool),
        lengths=np.full(n, days, dtype=np.int64),
        run_ids=np.ones(n, dtype=np.int64),
    )


def inputs(units, **kwargs):
    kwargs.setdefault("today", TODAY)
    return scan_inputs_build(units=np.asarray(units, dtype=float), **kwargs)


def reviews(rows) -> ReviewInputs:
    """Reviews from (product row, days ago, rating, negative, [negative aspects]) tuples."""
    aspect_review, aspect_name = [], []
    for index, row in enumerate(rows):
        for aspect in row[4] if len(row) > 4 else []:
            aspect_review.append(index)
            aspect_name.append(aspect)
    return ReviewInputs(
        ids=np.arange(1, len(rows) + 1, dtype=np.int64),
        product=np.array([row[0] for row in rows], dtype=np.int64),
        age_days=np.array([row[1] for row in rows], dtype=np.int64),
        rating=np.array([row[2] for row in rows], dtype=np.int64),
        negative=np.array([row[3] for row in rows], dtype=bool),
        topic=np.zeros(len(rows), dtype=np.int64),
        aspect_review=np.array(aspect_review, dtype=np.int64),
        aspect_name=np.array(aspect_name, dtype=object),
    )


def calm_reviews(product: int, *, days: int, per_day: float, negative_share: float, seed: int):
    """A calm stream: `per_day` reviews a day over `days` days, a share of them negative."""
    rng = np.random.default_rng(seed)
    rows = []
    for age in range(days):
        for _ in range(rng.poisson(per_day)):
            bad = rng.random() < negative_share
            rows.append((product, age, 1 if bad else 5, bad, ["quality"] if bad else []))
    return rows
