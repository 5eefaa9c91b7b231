"""Plan inputs for the pure planning tests: a steady seller of 2 units a day unless told."""

import datetime as dt

import numpy as np
import pytest

from forecasting import planning

TODAY = dt.date(2024, 3, 4)  # a Monday


def flat_quantiles(p10: float, p50: float, p90: float, days: int = 28) -> dict:
    return {0.1: np.full(days, p10), 0.5: np.full(days, p50), 0.9: np.full(days, p90)}


def make_inputs(**changes) -> planning.PlanInputs:
    values = {
        "today": TODAY,
        "forecast_start": TODAY,
        # P10 = P50 = P90 = 2: mean 2 a day, variance 2 (the Poisson floor).
        "quantiles": flat_quantiles(2, 2, 2),
        "on_hand": 50,
        "inbound": 0,
        "lead_time_days": 3,
        "review_period_days": 7,
        "moq": 1,
        "case_pack": 1,
        "service_level": 0.95,
        "cover_target_days": 30,
        "aged_after_days": 90,
        "price": 10.0,
        "cost": 4.0,
        "elasticity": -2.0,
        "recent_daily_units": np.full(180, 2.0),
        "days_since_last_receipt": None,
    }
    values.update(changes)
    return planning.PlanInputs(**values)


@pytest.fixture
def independent_days(monkeypatch):
    """Days' forecast errors uncorrelated: window demand is then a plain Poisson/NB sum."""
    monkeypatch.setattr(planning, "DAY_ERROR_CORRELATION", 0.0)
