"""Calendar features per period: position in the week/year and store-wide events.

Events are names per date (holidays, paydays, SNAP days, a store's own campaign days). Names
that fill at least `FREQUENT_SHARE` of the history (a recurring payday, SNAP) get a column of
their own; the others share an `event_code` (a categorical the model learns per name, so
"Christmas" can mean "store closed") plus the distance to the next and from the last one.
A weekly period gathers the events of its 7 days.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import numpy as np

FREQUENT_SHARE = 0.05
MAX_FREQUENT = 4
DISTANCE_CAP = 14


def _period_events(
    dates: Sequence[datetime.date],
    events: Mapping[datetime.date, Sequence[str]] | None,
    period_days: int,
) -> list[set[str]]:
    if not events:
        return [set() for _ in dates]
    normalized: dict[datetime.date, set[str]] = {}
    for day, names in events.items():
        if isinstance(day, datetime.datetime):
            day = day.date()
        if isinstance(names, str):
            names = [names]
        clean = {str(name).strip() for name in names if str(name).strip()}
        if clean:
            normalized.setdefault(day, set()).update(clean)
    out = []
    for date in dates:
        names: set[str] = set()
        for offset in range(period_days):
            names |= normalized.get(date + datetime.timedelta(days=offset), set())
        out.append(names)
    return out


def calendar_features(
    dates: Sequence[datetime.date],
    *,
    history_width: int,
    events: Mapping[datetime.date, Sequence[str]] | None,
    freq: str,
) -> tuple[dict[str, np.ndarray], list[str]]:
    """One array (len(dates)) per feature, and the names of the categorical ones."""
    period_days = 1 if freq == "D" else 7
    features: dict[str, np.ndarray] = {}
    if freq == "D":
        features["weekday"] = np.array([d.weekday() for d in dates], dtype=float)
        features["day_of_month"] = np.array([d.day for d in dates], dtype=float)
    else:
        features["week_of_year"] = np.array([d.isocalendar()[1] for d in dates], dtype=float)
    features["month"] = np.array([d.month for d in dates], dtype=float)

    per_period = _period_events(dates, events, period_days)
    history = per_period[:history_width]
    counts: dict[str, int] = {}
    for names in history:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    span = max(1, len(history))
    frequent = sorted(
        (name for name, count in counts.items() if count / span >= FREQUENT_SHARE),
        key=lambda name: (-counts[name], name),
    )[:MAX_FREQUENT]
    for index, name in enumerate(frequent):
        features[f"event_frequent_{index}"] = np.array(
            [1.0 if name in names else 0.0 for names in per_period]
        )
    rare_seen = sorted(name for name in counts if name not in frequent)
    codes = {name: code for code, name in enumerate(rare_seen)}
    rare = [sorted(names - set(frequent)) for names in per_period]
    features["event_code"] = np.array(
        [float(codes[r[0]]) if r and r[0] in codes else np.nan for r in rare]
    )
    has_event = np.array([bool(r) for r in rare])
    features["event_any"] = has_event.astype(float)
    features["event_periods_to"] = _distance(has_event, forward=True)
    features["event_periods_since"] = _distance(has_event, forward=False)
    categorical = ["event_code"]
    return features, categorical


def _distance(flags: np.ndarray, *, forward: bool) -> np.ndarray:
    """Periods to the next (forward) or since the last flagged period, capped."""
    n = len(flags)
    out = np.full(n, float(DISTANCE_CAP))
    last = None
    order = range(n - 1, -1, -1) if forward else range(n)
    for index in order:
        if flags[index]:
            last = index
        if last is not None:
            out[index] = min(abs(last - index), DISTANCE_CAP)
    return out
