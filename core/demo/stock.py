"""Stock history consistent with the sales: end-of-day on-hand and inbound for the last days.

The history is walked backwards from the stock we want today: going back one day adds that
day's sales, and when the stock would climb above a sensible maximum a delivery is placed on
that day (a whole number of case packs, at least the MOQ), ordered one lead time earlier. So
for any two consecutive days `on_hand[t] = on_hand[t-1] - units[t] + delivered[t]`, deliveries
come out of inbound, and stock is never negative, which means no sale in the history was
impossible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .catalog import STREAM_STOCK, ProductSpec, sku_key
from .crises import (
    OVERSTOCK,
    OVERSTOCK_COVER_DAYS,
    OVERSTOCK_RECEIPT_DAYS_AGO,
    SALES_SLIDE,
    STOCKOUT,
    STOCKOUT_COVER_DAYS,
)
from .sales import SalesSeries


@dataclass
class StockHistory:
    """End-of-day stock for the last `len(on_hand)` days; rows from index `first`."""

    on_hand: np.ndarray
    inbound: np.ndarray
    first: int

    @property
    def current(self) -> tuple[int, int]:
        return int(self.on_hand[-1]), int(self.inbound[-1])


def _round_up(quantity: float, pack: int) -> int:
    return int(math.ceil(quantity / pack)) * pack


def _round_down(quantity: float, pack: int) -> int:
    return int(quantity // pack) * pack


def stock_simulate(*, series: SalesSeries, window: int, seed: int) -> StockHistory:
    """End-of-day stock over the last `window` days of the series."""
    spec: ProductSpec = series.spec
    rng = np.random.default_rng([seed, STREAM_STOCK, sku_key(spec.sku)])
    days = len(series.units)
    offset = days - window
    units = series.units[offset:]
    on_hand = np.zeros(window, dtype=np.int64)
    inbound = np.zeros(window, dtype=np.int64)
    lead = spec.lead_time_days

    if spec.status == "draft":
        # Not launched: the first order is on its way for some of them.
        created = max(0, window - (spec.launched_days_ago or 0))
        if rng.random() < 0.5:
            inbound[created:] = _round_up(spec.moq, spec.case_pack)
        return StockHistory(on_hand=on_hand, inbound=inbound, first=created)

    first = max(0, series.first - offset)
    deliveries: list[tuple[int, int]] = []  # (day index, quantity)
    open_order: tuple[int, int] | None = None  # (ordered on day index, quantity)
    allow_deliveries = spec.status != "discontinued"

    rate = series.recent_average(28)
    if spec.crisis == SALES_SLIDE:
        # Stocked for the demand it had before the slide.
        rate = float(series.units[days - 77 : days - 21].mean())
    expected = rate if rate > 0 else spec.base_demand * 0.5
    cover_days = lead + float(rng.uniform(10, 45))
    high_days = spec.extra.get("stock_high_days", max(cover_days + 10, lead + 30))
    low_days = float(rng.uniform(4, 10))

    if spec.status == "discontinued":
        end = 0
    elif spec.crisis == STOCKOUT:
        end = max(1, round(rate * STOCKOUT_COVER_DAYS))
    elif spec.crisis == OVERSTOCK:
        slow_rate = max(series.recent_average(90), 0.5)
        end = _round_up(slow_rate * OVERSTOCK_COVER_DAYS, spec.case_pack)
        allow_deliveries = False
        delivery_day = max(first + 1, window - OVERSTOCK_RECEIPT_DAYS_AGO)
        deliveries.append((delivery_day, _round_down(end * 0.85, spec.case_pack)))
    else:
        end = math.ceil(expected * cover_days)
        average_90 = series.recent_average(90)
        if average_90 > 0:
            # Never more than ~300 days of cover: overstock is the planted crisis's alone.
            end = min(end, int(average_90 * 300))
        if rng.random() < 0.35 and lead > 2:
            quantity = max(spec.moq, _round_up(expected * 45, spec.case_pack))
            open_order = (window - int(rng.integers(1, lead)), quantity)

    high = max(expected * high_days, expected * low_days + spec.moq)
    planted = dict(deliveries)
    value = end
    for t in range(window - 1, first - 1, -1):
        on_hand[t] = value
        start_of_day = value + int(units[t])  # stock after this morning's delivery
        delivered = planted.get(t, 0)
        if allow_deliveries and t > first and start_of_day > high:
            quantity = _round_down(start_of_day - expected * low_days, spec.case_pack)
            if quantity >= spec.moq:
                delivered = quantity
                deliveries.append((t, quantity))
        value = start_of_day - delivered

    for day, quantity in deliveries:
        ordered = day - max(1, lead + int(rng.integers(-3, 4)))
        inbound[max(0, ordered) : day] += quantity
    if open_order is not None:
        ordered, quantity = open_order
        inbound[max(0, ordered) :] += quantity
    on_hand[:first] = 0
    inbound[:first] = 0
    return StockHistory(on_hand=on_hand, inbound=inbound, first=first)
