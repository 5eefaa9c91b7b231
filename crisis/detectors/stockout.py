"""Stockout risk: stock runs out before the next possible replenishment.

Rule (per active product with a stock record and at least one unit of expected demand over
its lead time):

    D(c)       = demand over the first c days from today: the current forecast's daily
                 P10/P50/P90 read as a mean and a variance per day (sd = (P90 - P50) / 1.2816,
                 at least Poisson), summed with the inventory plan's day-to-day error
                 correlation (0.15), negative binomial; recent sales (28-day mean, 56-day
                 variance) when the forecast no longer covers today
    L          = the product's lead time: an order placed today lands on day L at the earliest
    deliveries = when today's inbound stock lands, read from the stock snapshots (an order
                 placed on day d lands on d + L; `inbound_schedule`); inbound the history does
                 not explain is taken to land today
    S(c)       = on hand + deliveries landing before day c
    risk       = max over c in {L} and every delivery day before L of P(D(c) > S(c))
    fires when risk >= `stockout_min_probability` (default 0.8)

At c = L this is "even with everything inbound, demand before a new order could land exceeds
the stock"; at a delivery day, "the shelf empties before that delivery arrives".

Money at risk = lost units x price, lost units = max over the same c of P50 of D(c) - S(c):
the median demand the stock cannot serve before a new order could land, if nothing is
expedited.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils.translation import gettext as _

from .common import (
    demand_from_today,
    history_chart,
    iso_dates,
    money,
    money_text,
    num,
    product_header,
    series,
)
from .config import Thresholds
from .stats import DAY_ERROR_CORRELATION, Z_90, nb_cdf, nb_quantile
from .types import Finding, ScanInputs

KIND = "stockout_risk"


def inbound_schedule(inputs: ScanInputs, length: int) -> tuple[np.ndarray, np.ndarray]:
    """(units of the current inbound stock expected to land on each day from today, whether
    the days were read from the stock history), shape (n, length).

    From the end-of-day snapshots and the sales of the same days: a delivery on day d is
    on_hand[d] - on_hand[d-1] + units sold on d (when positive), an order placed on day d is
    inbound[d] - inbound[d-1] + that delivery. The newest orders that add up to today's
    inbound are the open ones; each lands a lead time after it was placed (today when that
    day has passed). Inbound the history does not explain (no snapshots, or ordered before
    them) is taken to land today: the stock that can serve demand within the lead time.
    """
    stock, sales = inputs.stock, inputs.sales
    n = len(inputs)
    lead = np.maximum(inputs.catalog.lead_times.astype(np.int64), 1)
    inbound_now = np.maximum(stock.inbound, 0).astype(float)
    schedule = np.zeros((n, length))
    from_history = np.zeros(n, dtype=bool)
    snap_on_hand, snap_inbound = stock.snap_on_hand, stock.snap_inbound
    if snap_on_hand.shape[1] >= 2 and inbound_now.any():
        width = snap_on_hand.shape[1]
        # Units sold on each snapshot day (0 for days after the last sales day).
        sold = np.zeros((n, width))
        for column in range(width):
            day = stock.snapshot_end - dt.timedelta(days=width - 1 - column)
            index = sales.days - 1 - (sales.end - day).days
            if 0 <= index < sales.days:
                sold[:, column] = sales.units[:, index]
        with np.errstate(invalid="ignore"):
            delivered = np.nan_to_num(np.diff(snap_on_hand, axis=1)) + sold[:, 1:]
            delivered = np.where(np.isnan(np.diff(snap_on_hand, axis=1)), 0.0, delivered)
            delivered = np.maximum(delivered, 0.0)
            ordered = np.nan_to_num(np.diff(snap_inbound, axis=1)) + delivered
        ordered = np.maximum(ordered, 0.0)
        # Open part of each order: the newest orders adding up to today's inbound.
        newer = np.cumsum(ordered[:, ::-1], axis=1)[:, ::-1] - ordered
        open_units = np.clip(inbound_now[:, None] - newer, 0.0, ordered)
        ago = (inputs.today - stock.snapshot_end).days + (width - 1 - np.arange(1, width))
        lands = np.clip(lead[:, None] - ago[None, :], 0, length - 1)
        rows = np.repeat(np.arange(n), width - 1)
        np.add.at(schedule, (rows, lands.ravel()), open_units.ravel())
        from_history = open_units.sum(axis=1) > 0
    schedule[:, 0] += np.maximum(inbound_now - schedule.sum(axis=1), 0.0)
    return schedule, from_history


def detect_stockout(inputs: ScanInputs, thresholds: Thresholds) -> list[Finding]:
    """Products likely to run out before a new order could arrive (module docstring)."""
    n = len(inputs)
    if n == 0:
        return []
    catalog, stock = inputs.catalog, inputs.stock
    lead = np.maximum(catalog.lead_times.astype(np.int64), 1)
    longest = int(lead.max())
    demand = demand_from_today(inputs, longest)
    on_hand = np.maximum(stock.on_hand, 0).astype(float)
    schedule, from_history = inbound_schedule(inputs, longest + 1)

    # Demand over the first c days (c = 1..longest) and the stock that can serve it: on hand
    # plus what lands before day c.
    total_mean = np.cumsum(demand.mean, axis=1)
    total_var = np.cumsum(demand.var, axis=1)
    total_sd = np.cumsum(np.sqrt(demand.var), axis=1)
    total_var = total_var + DAY_ERROR_CORRELATION * np.maximum(total_sd**2 - total_var, 0.0)
    available = on_hand[:, None] + np.cumsum(schedule, axis=1)[:, :longest]
    days = np.arange(1, longest + 1)[None, :]
    checkpoint = (days == lead[:, None]) | ((schedule[:, 1:] > 0) & (days <= lead[:, None]))
    risks = np.zeros((n, longest))
    risks[checkpoint] = 1.0 - nb_cdf(
        available[checkpoint], total_mean[checkpoint], total_var[checkpoint]
    )
    risk = risks.max(axis=1)
    rows = np.arange(n)
    lead_mean = total_mean[rows, lead - 1]

    candidates = (
        catalog.active
        & stock.known
        & (lead_mean >= 1.0)
        & (risk >= thresholds.stockout_min_probability)
    )
    findings = []
    for row in np.flatnonzero(candidates).tolist():
        finding = _finding(
            inputs,
            thresholds,
            row=row,
            lead=int(lead[row]),
            demand_mean=demand.mean[row],
            demand_var=demand.var[row],
            source=str(demand.source[row]),
            total=(total_mean[row], total_var[row]),
            available=available[row],
            checkpoints=np.flatnonzero(checkpoint[row]) + 1,
            schedule=schedule[row],
            from_history=bool(from_history[row]),
            risk=float(risk[row]),
        )
        if finding is not None:
            findings.append(finding)
    return findings


def _finding(
    inputs: ScanInputs,
    thresholds: Thresholds,
    *,
    row: int,
    lead: int,
    demand_mean: np.ndarray,
    demand_var: np.ndarray,
    source: str,
    total: tuple[np.ndarray, np.ndarray],
    available: np.ndarray,
    checkpoints: np.ndarray,
    schedule: np.ndarray,
    from_history: bool,
    risk: float,
) -> Finding | None:
    catalog, stock, plans = inputs.catalog, inputs.stock, inputs.plans
    on_hand = max(int(stock.on_hand[row]), 0)
    inbound = max(int(stock.inbound[row]), 0)
    price = float(catalog.prices[row])
    total_mean, total_var = total
    lead_mean, lead_var = float(total_mean[lead - 1]), float(total_var[lead - 1])
    median_lead = nb_quantile(0.5, lead_mean, lead_var)
    # Units of median demand the stock cannot serve by the worst checkpoint.
    lost_units = 0
    for day in checkpoints.tolist():
        median = nb_quantile(0.5, float(total_mean[day - 1]), float(total_var[day - 1]))
        lost_units = max(lost_units, int(np.ceil(median - available[day - 1] - 1e-9)))
    amount = money(lost_units * price)
    if amount < thresholds.min_money_at_risk or lost_units <= 0:
        return None

    # Expected path: cumulative demand against the stock on the shelf, deliveries included.
    cumulative = np.cumsum(demand_mean[:lead])
    sd = np.sqrt(np.cumsum(demand_var[:lead]))
    shelf = on_hand + np.cumsum(schedule[:lead])
    short = np.flatnonzero(cumulative > shelf + 1e-9)
    stockout_date = inputs.today + dt.timedelta(days=int(short[0])) if short.size else None
    cover = _days_of_cover(cumulative, demand_mean[:lead], on_hand + inbound)
    days = [inputs.today + dt.timedelta(days=k) for k in range(lead)]
    arrivals = [
        {"date": (inputs.today + dt.timedelta(days=day)).isoformat(), "units": int(round(units))}
        for day, units in enumerate(schedule.tolist())
        if units > 0
    ]

    evidence = {
        **product_header(inputs, row),
        "rule": "P(demand before a delivery or the lead time > stock by then) >= threshold",
        "on_hand": on_hand,
        "inbound": inbound,
        "inbound_arrivals": arrivals,
        "inbound_arrivals_from_history": from_history,
        "lead_time_days": lead,
        "probability": num(risk, 4),
        "threshold": thresholds.stockout_min_probability,
        "demand_source": source,
        "demand_over_lead_time": {
            "mean": num(lead_mean, 1),
            "p10": nb_quantile(0.1, lead_mean, lead_var),
            "p50": median_lead,
            "p90": nb_quantile(0.9, lead_mean, lead_var),
        },
        "days_of_cover": num(cover, 1),
        "expected_stockout_date": stockout_date.isoformat() if stockout_date else None,
        "lost_units": int(lost_units),
        "money_basis": "lost_units x price",
        "projection": {
            "dates": iso_dates(days),
            "expected_cumulative": series(cumulative, 1),
            "cumulative_p10": series(np.maximum(cumulative - Z_90 * sd, 0), 1),
            "cumulative_p90": series(cumulative + Z_90 * sd, 1),
            "available": series(shelf, 0),
        },
        "history": history_chart(inputs, row),
    }
    if plans.has[row]:
        evidence["plan"] = {
            "stockout_risk": num(plans.stockout_risk[row], 4),
            "stockout_date": plans.stockout_date[row].isoformat()
            if plans.stockout_date[row]
            else None,
            "order_quantity": num(plans.order_quantity[row], 0),
            "lost_revenue": num(plans.lost_revenue[row]),
            "days_of_cover": num(plans.days_of_cover[row], 1),
        }
    values = {
        "sku": catalog.skus[row],
        "on_hand": on_hand,
        "inbound": inbound,
        "cover": cover if cover is not None else 0.0,
        "lead": lead,
        "percent": 100 * risk,
        "money": money_text(amount, inputs.currency),
    }
    return Finding(
        kind=KIND,
        product_id=int(catalog.ids[row]),
        aspect="",
        money_at_risk=amount,
        title=_("%(sku)s is likely to run out before a new order can arrive") % values,
        summary=_(
            "%(on_hand)d on hand and %(inbound)d inbound cover about %(cover).1f days of "
            "expected demand, but a new order takes %(lead)d days. Chance of running out "
            "before then: %(percent).0f%%. About %(money)s of sales at risk."
        )
        % values,
        evidence=evidence,
    )


def _days_of_cover(cumulative: np.ndarray, expected: np.ndarray, stock: float) -> float | None:
    """Days until expected demand uses up `stock` (fractional; beyond the window at its
    average rate; None without demand)."""
    if stock <= 0:
        return 0.0
    if not len(cumulative) or cumulative[-1] <= 0:
        return None
    day = int(np.searchsorted(cumulative, stock - 1e-9))
    if day < len(cumulative):
        before = cumulative[day - 1] if day else 0.0
        return float(day + (stock - before) / expected[day])
    rate = float(cumulative[-1] / len(cumulative))
    return float(len(cumulative) + (stock - cumulative[-1]) / rate)
