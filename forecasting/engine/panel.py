"""Series of different lengths lined up in one matrix that ends on the common last period."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .types import EngineConfig, Series


@dataclass
class Panel:
    keys: list
    categories: list[str]
    category_codes: np.ndarray  # int per series, index into sorted(set(categories))
    # (series x periods) history; NaN before a series' first sale (not on sale yet).
    y: np.ndarray
    # Column of each series' first non-zero value (= width when it never sold).
    first: np.ndarray
    # Periods each series actually covers (its own len(values), capped by the matrix).
    length: np.ndarray
    # One date per column of history + horizon.
    dates: list[datetime.date]
    prices: np.ndarray | None  # (series x (periods + horizon)), NaN unknown
    promo: np.ndarray | None  # same shape, 0/1

    @property
    def width(self) -> int:
        return self.y.shape[1]

    @property
    def history_periods(self) -> np.ndarray:
        """Periods since the first sale (0 when the series never sold)."""
        return self.width - self.first


def _period_offset(start: datetime.date, end: datetime.date, step: int) -> int:
    return (end - start).days // step


def panel_build(series: Sequence[Series], *, config: EngineConfig) -> Panel:
    """Line every series up on the latest end date. A series that ends earlier (it should not)
    is padded with zeros: in the product, no sales row means no sale."""
    step = config.period_days
    horizon = config.horizon
    values = []
    ends = []
    for item in series:
        raw = np.asarray(item.values if item.values is not None else [], dtype=float).ravel()
        raw = np.where(np.isfinite(raw), raw, 0.0)
        raw = np.maximum(raw, 0.0)  # returns (negative sales) are not demand
        values.append(raw)
        ends.append(item.start + datetime.timedelta(days=step * (len(raw) - 1)))
    nonempty = [end for end, raw in zip(ends, values, strict=True) if len(raw)]
    if nonempty:
        last = max(nonempty)
    elif series:
        last = min(item.start for item in series) - datetime.timedelta(days=step)
    else:
        last = datetime.date.today()
    starts = [
        _period_offset(item.start, last, step) + 1 if len(raw) else 0
        for item, raw in zip(series, values, strict=True)
    ]
    width = max([max(s, len(raw)) for s, raw in zip(starts, values, strict=True)] + [1])
    n = len(series)
    y = np.full((n, width), np.nan)
    length = np.zeros(n, dtype=int)
    first = np.full(n, width, dtype=int)
    for row, (raw, span) in enumerate(zip(values, starts, strict=True)):
        if not len(raw):
            continue
        # `span` periods from the series' start to the common end; its own values fill the
        # first len(raw) of them, the rest (ending early) are zeros.
        span = min(max(span, len(raw)), width)
        block = np.zeros(span)
        own = raw[:span]
        block[: len(own)] = own
        y[row, width - span :] = block
        length[row] = span
        nonzero = np.flatnonzero(block > 0)
        if nonzero.size:
            first[row] = width - span + nonzero[0]
    cols = np.arange(width)[None, :]
    y[cols < first[:, None]] = np.nan  # before the first sale: not on sale yet

    dates = [last - datetime.timedelta(days=step * (width - 1 - k)) for k in range(width + horizon)]
    prices = promo = None
    if any(item.prices is not None for item in series):
        prices = np.full((n, width + horizon), np.nan)
        for row, item in enumerate(series):
            if item.prices is not None:
                _place(prices[row], item.prices, length[row], width, horizon)
    if any(item.promo is not None for item in series):
        promo = np.zeros((n, width + horizon))
        for row, item in enumerate(series):
            if item.promo is not None:
                _place(promo[row], item.promo, length[row], width, horizon)
        promo = np.where(np.isfinite(promo) & (promo > 0), 1.0, 0.0)
    categories = [item.category or "" for item in series]
    names = sorted(set(categories))
    lookup = {name: code for code, name in enumerate(names)}
    return Panel(
        keys=[item.key for item in series],
        categories=categories,
        category_codes=np.array([lookup[c] for c in categories], dtype=int),
        y=y,
        first=first,
        length=length,
        dates=dates,
        prices=prices,
        promo=promo,
    )


def _place(target: np.ndarray, source, length: int, width: int, horizon: int) -> None:
    """Copy a history+horizon array aligned on its own start into the panel's row."""
    source = np.asarray(source, dtype=float).ravel()
    begin = width - length  # the panel column of the series' first period
    usable = source[: length + horizon]
    target[begin : begin + len(usable)] = usable


# A zero run is taken for a stockout (or a product off the shelf) when it is at least this
# long and the SKU's share of selling days before it makes such a run by chance less likely
# than STOCKOUT_CHANCE: a steady seller that sells nothing for weeks was not on sale.
STOCKOUT_MIN_RUN = 7
STOCKOUT_CHANCE = 1e-3
STOCKOUT_RATE_WINDOW = 56


def stockout_mask(y: np.ndarray, *, end: int) -> np.ndarray:
    """(series x (end + 1)) True on the zero days of the stockout-like runs that were over by
    column `end` (a sale came after them, at or before `end`). An ongoing run at `end` is
    not marked: whether the product comes back is what the forecast has to say (the global
    model's training targets keep every zero, so it learns how often such runs go on).
    Days before a series' first sale (NaN) are never marked."""
    values = y[:, : end + 1]
    n, width = values.shape
    mask = np.zeros((n, width), dtype=bool)
    threshold = -np.log(STOCKOUT_CHANCE)
    sold = np.nan_to_num(values) > 0
    zero = np.isfinite(values) & ~sold
    for row in range(n):
        edges = np.diff(np.concatenate([[0], zero[row].astype(np.int8), [0]]))
        starts = np.flatnonzero(edges == 1)
        stops = np.flatnonzero(edges == -1)  # exclusive
        for start, stop in zip(starts, stops, strict=True):
            length = stop - start
            if length < STOCKOUT_MIN_RUN or stop >= width:
                continue
            before = sold[row, max(0, start - STOCKOUT_RATE_WINDOW) : start]
            observed = np.isfinite(values[row, max(0, start - STOCKOUT_RATE_WINDOW) : start])
            days = observed.sum()
            if days < STOCKOUT_MIN_RUN:
                continue
            share = before.sum() / days
            if share >= 1 or length * -np.log1p(-share) > threshold:
                mask[row, start:stop] = True
    return mask
