"""Small synthetic panels for the engine's tests (fast: a few SKUs, a few hundred days)."""

from __future__ import annotations

import datetime

import numpy as np

from forecasting.engine import Series

START = datetime.date(2023, 1, 2)  # a Monday


def weekly_pattern_sales(*, rng, days: int, level: float) -> np.ndarray:
    weekday = (np.arange(days) + START.weekday()) % 7
    profile = np.array([0.9, 0.85, 0.9, 1.0, 1.15, 1.3, 0.9])
    return rng.poisson(level * profile[weekday]).astype(float)


def daily_panel(*, skus: int = 12, days: int = 240, seed: int = 0) -> list[Series]:
    rng = np.random.default_rng(seed)
    series = []
    for index in range(skus):
        level = [0.3, 1.0, 4.0, 12.0][index % 4]
        series.append(
            Series(
                key=f"SKU-{index}",
                values=weekly_pattern_sales(rng=rng, days=days, level=level),
                start=START,
                category="grocery" if index % 2 else "snacks",
            )
        )
    return series
