"""Pieces several detectors share: expected demand from today on, money, JSON-safe numbers."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from .stats import day_moments
from .types import ForecastPaths, ScanInputs

# Without a usable forecast: a flat demand at the mean of the last FALLBACK_MEAN_DAYS days of
# sales, with the variance of the last FALLBACK_VARIANCE_DAYS days (at least Poisson), as the
# inventory plan does.
FALLBACK_MEAN_DAYS = 28
FALLBACK_VARIANCE_DAYS = 56
# Days of history drawn in evidence charts.
CHART_DAYS = 56


@dataclass
class Demand:
    """Expected units and variance per product and day from today (column 0 = today)."""

    mean: np.ndarray  # (n, length)
    var: np.ndarray
    source: np.ndarray  # str per product: "forecast", "recent_sales" or "none"


def path_index(offsets: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """Column of each product's path for days offsets[i] .. offsets[i] + width - 1.

    Days past a path's end repeat its last week (weekday for weekday), days before its start
    its first week, as the inventory plan extends a forecast beyond its horizon.
    """
    lengths = np.maximum(np.asarray(lengths, dtype=np.int64), 1)[:, None]
    period = np.minimum(lengths, 7)
    index = np.asarray(offsets, dtype=np.int64)[:, None] + np.arange(width)[None, :]
    after = index >= lengths
    index = np.where(after, lengths - period + (index - lengths) % period, index)
    before = index < 0
    return np.where(before, index % period, index)


def forecast_days(
    paths: ForecastPaths, first_day: dt.date, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, var, usable) of each product's forecast for `width` days from `first_day`.

    `usable[i]` is False when product i has no forecast or its forecast ended before
    `first_day` (an expired forecast says nothing about today).
    """
    n = len(paths.has)
    mean = np.zeros((n, width))
    var = np.zeros((n, width))
    offsets = np.zeros(n, dtype=np.int64)
    has = paths.has & ~np.isnat(paths.start)
    if has.any():
        offsets[has] = (np.datetime64(first_day, "D") - paths.start[has]).astype(np.int64)
    usable = has & (offsets < paths.lengths) & (paths.lengths > 0)
    if usable.any():
        rows = np.flatnonzero(usable)
        index = path_index(offsets[rows], paths.lengths[rows], width)
        day_mean, day_var = day_moments(
            np.take_along_axis(paths.q10[rows], index, axis=1),
            np.take_along_axis(paths.q50[rows], index, axis=1),
            np.take_along_axis(paths.q90[rows], index, axis=1),
        )
        mean[rows] = np.nan_to_num(day_mean)
        var[rows] = np.nan_to_num(day_var)
    return mean, var, usable


def selling_units(inputs: ScanInputs, days: int) -> np.ndarray:
    """The last `days` columns of sales with days before each product's first sale as NaN."""
    units = inputs.sales.units[:, -days:].astype(float)
    width = inputs.sales.days
    column = np.arange(width - units.shape[1], width)[None, :]
    return np.where(column >= inputs.sales.first_sale[:, None], units, np.nan)


def demand_from_today(inputs: ScanInputs, length: int) -> Demand:
    """Expected demand for `length` days from today: the current forecast where it still
    covers today, else recent sales (flat), else nothing."""
    n = len(inputs)
    mean, var, usable = forecast_days(inputs.forecast, inputs.today, length)
    source = np.where(usable, "forecast", "none").astype(object)
    fallback = ~usable
    if fallback.any():
        recent = selling_units(inputs, FALLBACK_VARIANCE_DAYS)[fallback]
        with warnings.catch_warnings():
            # Products that never sold: all NaN, read as no demand below.
            warnings.simplefilter("ignore", RuntimeWarning)
            level = np.nanmean(recent[:, -FALLBACK_MEAN_DAYS:], axis=1)
            spread = np.nanvar(recent, axis=1, ddof=1)
        level = np.nan_to_num(level)
        spread = np.maximum(np.nan_to_num(spread), level)
        rows = np.flatnonzero(fallback)
        mean[rows] = level[:, None]
        var[rows] = spread[:, None]
        source[rows] = np.where(level > 0, "recent_sales", "none")
    return Demand(mean=mean, var=var, source=source if n else np.zeros(0, dtype=object))


def unit_value(price: float, cost: float) -> tuple[float, str]:
    """Money tied up in one unit and how it was valued: the unit cost, or half the shelf price
    when the cost is unknown (the inventory plan's rule, a 50 % gross margin)."""
    if cost is not None and not math.isnan(cost) and cost >= 0:
        return float(cost), "cost"
    return max(float(price), 0.0) * 0.5, "half_price"


def money(value: float) -> Decimal:
    """A non-negative amount rounded to cents."""
    if value is None or not math.isfinite(value) or value <= 0:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money_text(value: Decimal, currency: str) -> str:
    """`1,234 USD`: whole units are enough in a sentence, and the ISO code is never ambiguous
    (the portal shows the exact amount with its symbol next to it)."""
    return f"{value:,.0f} {currency}".strip()


def num(value, places: int = 2):
    """A JSON-safe number: None for NaN/inf, ints stay ints."""
    if value is None:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, places)


def series(values, places: int = 2) -> list:
    return [num(value, places) for value in np.asarray(values, dtype=float).tolist()]


def iso_dates(days: list[dt.date]) -> list[str]:
    return [day.isoformat() for day in days]


def history_chart(inputs: ScanInputs, row: int, days: int = CHART_DAYS) -> dict:
    """The last `days` days of sales and end-of-day stock of one product, for a chart."""
    sales = inputs.sales
    days = min(days, sales.days)
    chart = {
        "dates": iso_dates(sales.dates(days)),
        "units": series(sales.units[row, -days:], 1),
    }
    stock = inputs.stock
    if stock.snap_on_hand.size:
        shift = (stock.snapshot_end - sales.end).days
        end = stock.snap_on_hand.shape[1] - shift
        on_hand = np.full(days, np.nan)
        for k in range(days):
            column = end - days + k
            if 0 <= column < stock.snap_on_hand.shape[1]:
                on_hand[k] = stock.snap_on_hand[row, column]
        if not np.isnan(on_hand).all():
            chart["on_hand"] = series(on_hand, 0)
    return chart


def product_header(inputs: ScanInputs, row: int) -> dict:
    catalog = inputs.catalog
    return {
        "sku": catalog.skus[row],
        "product_title": catalog.titles[row],
        "currency": inputs.currency,
        "price": num(catalog.prices[row]),
    }


def expected_revenue(inputs: ScanInputs, days: int) -> np.ndarray:
    """Revenue each product is expected to make over the next `days` days at today's price
    (the current forecast's P50, recent sales without one)."""
    if len(inputs) == 0:
        return np.zeros(0)
    demand = demand_from_today(inputs, max(int(days), 1))
    return demand.mean[:, :days].sum(axis=1) * np.maximum(inputs.catalog.prices, 0.0)


def weekly_counts(age_days: np.ndarray, weights: np.ndarray | None, weeks: int) -> np.ndarray:
    """Sums over the last `weeks` 7-day blocks ending today (oldest first) of `weights`
    (1 each when None) of items `age_days` old."""
    block = np.asarray(age_days, dtype=np.int64) // 7
    keep = (block >= 0) & (block < weeks)
    values = np.ones(len(block)) if weights is None else np.asarray(weights, dtype=float)
    counts = np.bincount(block[keep], weights=values[keep], minlength=weeks)[:weeks]
    return counts[::-1]


def week_starts(today: dt.date, weeks: int) -> list[str]:
    """First day of each of the last `weeks` 7-day blocks ending today, oldest first."""
    return [(today - dt.timedelta(days=7 * (weeks - k) - 1)).isoformat() for k in range(weeks)]
