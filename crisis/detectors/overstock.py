"""Overstock / inventory backlog (库存积压): stock that will take far too long to sell.

Rule (per product that is not a draft, with a stock record):

    stock        = on hand: the capital already sitting on the shelf (inbound stock is shown
                   in the evidence; it counts once it lands, as aged stock does)
    rate         = expected units a day: the current forecast's P50 over its horizon (recent
                   sales when the forecast no longer covers today)
    cover        = stock / rate days (endless when nothing is expected to sell)
    needed       = expected demand over lead time + the planning cover target (days), plus the
                   plan's safety stock
    excess units = floor(stock - needed), at least 0
    unit value   = unit cost, or half the shelf price when the cost is unknown (the inventory
                   plan's rule: a 50 % gross margin)
    fires when cover >= `overstock_min_cover_days` (default 180) and
               excess units x unit value >= `overstock_min_value` (default 1,000)

A product created in the last 28 days with nothing expected to sell is not judged yet (a
launch whose stock arrived before its first sale).

Money at risk = excess units x unit value: the capital tied up beyond the target cover.
Evidence adds the aged units (units on the shelf now still there once they are older than
the planning setting "aged after", first in first out) and the plan's markdown suggestion.
"""

from __future__ import annotations

import math

import numpy as np
from django.utils.translation import gettext as _

from .common import (
    demand_from_today,
    history_chart,
    money,
    money_text,
    num,
    product_header,
    unit_value,
)
from .config import Thresholds
from .types import Finding, ScanInputs

KIND = "overstock"
NEW_PRODUCT_DAYS = 28
# The expected rate is read over this many days (the forecast's horizon, its last week
# repeated beyond it).
RATE_DAYS = 28


def days_since_receipt(inputs: ScanInputs) -> np.ndarray:
    """Days since each product's on-hand stock last rose (a delivery) in the snapshots; the
    snapshot span when none did over a full span; NaN when unknown."""
    snap = inputs.stock.snap_on_hand
    n = len(inputs)
    result = np.full(n, np.nan)
    if snap.size == 0 or snap.shape[1] < 2:
        return result
    width = snap.shape[1]
    ago = (inputs.today - inputs.stock.snapshot_end).days + (width - 1 - np.arange(width))
    with np.errstate(invalid="ignore"):
        rose = np.zeros_like(snap, dtype=bool)
        rose[:, 1:] = snap[:, 1:] > snap[:, :-1]
    any_rise = rose.any(axis=1)
    last = width - 1 - np.argmax(rose[:, ::-1], axis=1)
    result[any_rise] = ago[last[any_rise]]
    full_span = ~np.isnan(snap[:, 0]) & ~any_rise
    result[full_span] = ago[0]
    return result


def detect_overstock(inputs: ScanInputs, thresholds: Thresholds) -> list[Finding]:
    """Products whose stock covers far more than the target (module docstring)."""
    n = len(inputs)
    if n == 0:
        return []
    catalog, stock, plans = inputs.catalog, inputs.stock, inputs.plans
    lead = np.maximum(catalog.lead_times.astype(np.int64), 1)
    target = max(int(inputs.cover_target_days), 0)
    span = int(max(lead.max() + target, RATE_DAYS, inputs.aged_after_days))
    demand = demand_from_today(inputs, span)
    usable = demand.source == "forecast"
    horizon = np.where(usable, np.clip(inputs.forecast.lengths, 1, RATE_DAYS), RATE_DAYS).astype(
        np.int64
    )
    cumulative = np.cumsum(demand.mean, axis=1)
    rows = np.arange(n)
    rate = cumulative[rows, horizon - 1] / horizon
    total = np.maximum(stock.on_hand, 0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(rate > 0, total / rate, np.inf)
    needed = cumulative[rows, np.minimum(lead + target, span) - 1]
    needed = needed + np.where(plans.has, np.nan_to_num(plans.safety_stock), 0.0)
    excess = np.floor(np.maximum(total - needed, 0.0) + 1e-9)

    judged = catalog.sellable & stock.known & (total > 0)
    judged &= (rate > 0) | (catalog.age_days >= NEW_PRODUCT_DAYS)
    candidates = judged & (cover >= thresholds.overstock_min_cover_days) & (excess > 0)
    if not candidates.any():
        return []
    received = days_since_receipt(inputs)
    findings = []
    for row in np.flatnonzero(candidates).tolist():
        value, basis = unit_value(float(catalog.prices[row]), float(catalog.costs[row]))
        amount = money(excess[row] * value)
        if amount < thresholds.overstock_min_value or amount < thresholds.min_money_at_risk:
            continue
        findings.append(
            _finding(
                inputs,
                row=row,
                amount=amount,
                cover=float(cover[row]),
                rate=float(rate[row]),
                total=int(total[row]),
                needed=float(needed[row]),
                excess=int(excess[row]),
                value=value,
                basis=basis,
                received=float(received[row]),
                cumulative=cumulative[row],
                source=str(demand.source[row]),
                target=target,
                lead=int(lead[row]),
                thresholds=thresholds,
            )
        )
    return findings


def _finding(
    inputs: ScanInputs,
    *,
    row: int,
    amount,
    cover: float,
    rate: float,
    total: int,
    needed: float,
    excess: int,
    value: float,
    basis: str,
    received: float,
    cumulative: np.ndarray,
    source: str,
    target: int,
    lead: int,
    thresholds: Thresholds,
) -> Finding:
    catalog, stock, plans = inputs.catalog, inputs.stock, inputs.plans
    on_hand = max(int(stock.on_hand[row]), 0)
    # Aged: units on the shelf now still there once older than "aged after" (first in, first
    # out; the shelf is at least as old as the last delivery).
    aged = None
    if not math.isnan(received):
        ageing = max(int(inputs.aged_after_days) - int(received), 0)
        sold_before_aged = float(cumulative[ageing - 1]) if ageing > 0 else 0.0
        aged = max(0, math.floor(on_hand - sold_before_aged + 1e-9))
    endless = not math.isfinite(cover)
    evidence = {
        **product_header(inputs, row),
        "rule": "days of cover >= threshold and capital beyond target cover >= minimum",
        "on_hand": on_hand,
        "inbound": max(int(stock.inbound[row]), 0),
        "expected_daily_units": num(rate, 3),
        "demand_source": source,
        "days_of_cover": None if endless else num(cover, 1),
        "cover_threshold_days": thresholds.overstock_min_cover_days,
        "lead_time_days": lead,
        "cover_target_days": target,
        "needed_units": num(needed, 1),
        "excess_units": excess,
        "unit_value": num(value),
        "unit_value_basis": basis,
        "tied_up_on_hand": num(total * value),
        "money_basis": "excess_units x unit_value",
        "days_since_last_receipt": None if math.isnan(received) else int(received),
        "aged_after_days": int(inputs.aged_after_days),
        "aged_units": aged,
        "history": history_chart(inputs, row),
    }
    if plans.has[row]:
        evidence["plan"] = {
            "overstock_units": num(plans.overstock_units[row], 0),
            "overstock_value": num(plans.overstock_value[row]),
            "aged_units": num(plans.aged_units[row], 0),
            "days_of_cover": num(plans.days_of_cover[row], 1),
            "markdown": plans.markdown[row] or {},
        }
    values = {
        "sku": catalog.skus[row],
        "units": total,
        "cover": cover if not endless else 0,
        "years": (cover / 365) if not endless else 0,
        "excess": excess,
        "money": money_text(amount, inputs.currency),
        "target": lead + target,
    }
    if endless:
        summary = _(
            "%(units)d units in stock and no sales expected: %(excess)d units beyond "
            "%(target)d days of demand tie up %(money)s."
        )
    else:
        summary = _(
            "%(units)d units in stock last about %(cover).0f days (%(years).1f years) at the "
            "expected rate: %(excess)d units beyond %(target)d days of demand tie up %(money)s."
        )
    return Finding(
        kind=KIND,
        product_id=int(catalog.ids[row]),
        aspect="",
        money_at_risk=amount,
        title=_("%(sku)s is overstocked: %(money)s tied up beyond its target cover") % values,
        summary=summary % values,
        evidence=evidence,
    )
