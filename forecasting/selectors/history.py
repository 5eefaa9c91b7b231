"""Sales history as arrays, the shape the forecast engine eats: one contiguous series per product.

Built for chunks of hundreds of SKUs over years of days: one query per chunk (no ORM objects, no
per-row converters), then numpy does the rest. Every function takes the merchant explicitly.

Periods: with frequency "D" one element per day; with "W" one per 7-day bucket that ends on the
series' end date (so the last bucket is always complete), labelled by its first day.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import FloatField, Max, Q
from django.db.models.functions import Cast

from products.models import Product, StockSnapshot

from ..models import CalendarEvent, DailySales, Frequency

DAYS_PER_PERIOD = {Frequency.DAILY: 1, Frequency.WEEKLY: 7}


@dataclass
class ProductHistory:
    """One product's history over whole periods from `start` to the panel's end date."""

    product_id: int
    category: str
    current_price: float
    start: dt.date
    units: np.ndarray  # float per period, oldest first
    prices: np.ndarray  # average selling price per period (gaps carried from neighbours)
    promo: np.ndarray  # 1.0 when the product was on promotion in the period


@dataclass
class CalendarInputs:
    """Calendar rows between two dates: store-wide events by day, promotion days by product."""

    events: dict[dt.date, list[str]]
    promotions: dict[int, set[dt.date]]


def sales_last_date(*, merchant, product_ids: Sequence[int] | None = None) -> dt.date | None:
    """The merchant's last day with a sales row (of the given products when `product_ids`)."""
    rows = DailySales.objects.filter(merchant=merchant)
    if product_ids is not None:
        rows = rows.filter(product_id__in=list(product_ids))
    return rows.aggregate(last=Max("date"))["last"]


def sales_frequency_guess(*, merchant, sample: int = 60) -> str:
    """ "W" when the merchant's recent sales dates all fall on one weekday (weekly data such as
    the Walmart set, one row per week), else "D"."""
    dates = list(
        DailySales.objects.filter(merchant=merchant)
        .order_by("-date")
        .values_list("date", flat=True)
        .distinct()[:sample]
    )
    if len(dates) >= 8 and len({day.weekday() for day in dates}) == 1:
        return Frequency.WEEKLY
    return Frequency.DAILY


def period_count(*, start: dt.date, end: dt.date, frequency: str) -> int:
    """How many whole periods lie from `start` to `end` (both included), at least one."""
    step = DAYS_PER_PERIOD[frequency]
    return max(1, ((end - start).days + 1) // step)


def _rows(*, merchant, product_ids: Sequence[int], first: dt.date, end: dt.date):
    """(product id, date, units, revenue, on promotion) tuples, straight from the cursor."""
    queryset = (
        DailySales.objects.filter(
            merchant=merchant, product_id__in=list(product_ids), date__range=(first, end)
        )
        .order_by()
        .values_list("product_id", "date", "units", Cast("revenue", FloatField()), "on_promotion")
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fill_gaps(prices: np.ndarray, fallback: float) -> np.ndarray:
    """Carry the last known price forward (the first known one backward); `fallback` when no
    period has a price at all."""
    known = ~np.isnan(prices)
    if not known.any():
        return np.full(len(prices), fallback, dtype=float)
    index = np.where(known, np.arange(len(prices)), 0)
    np.maximum.accumulate(index, out=index)
    filled = prices[index]
    first = int(np.argmax(known))
    filled[:first] = prices[first]
    return filled


def history_load(
    *,
    merchant,
    product_ids: Sequence[int],
    end: dt.date,
    frequency: str = Frequency.DAILY,
    max_days: int = 1096,
) -> list[ProductHistory]:
    """The history of each of the merchant's `product_ids` up to `end`, in product id order.

    A series starts at the product's first sale within the last `max_days` days (the product's
    creation day when it never sold, so a new product gets a short series of zeros and the
    engine lets it borrow from its category) and runs to `end`, days without a row counting as
    zero. Prices are revenue / units where units sold, else carried from the neighbouring
    periods, else the product's current price. Other merchants' products are ignored.
    """
    step = DAYS_PER_PERIOD[frequency]
    periods_max = max(1, max_days // step)
    first_day = end - dt.timedelta(days=periods_max * step - 1)
    products = list(
        Product.objects.filter(merchant=merchant, pk__in=list(product_ids))
        .order_by("pk")
        .values_list("pk", "category", "price", "created_at")
    )
    if not products:
        return []
    ids = np.array([row[0] for row in products], dtype=np.int64)
    rows = _rows(merchant=merchant, product_ids=ids.tolist(), first=first_day, end=end)

    n_periods_max = periods_max
    units = np.zeros((len(ids), n_periods_max))
    revenue = np.zeros((len(ids), n_periods_max))
    promo = np.zeros((len(ids), n_periods_max))
    first_period = np.full(len(ids), n_periods_max, dtype=np.int64)
    if rows:
        columns = list(zip(*rows, strict=True))
        row_ids = np.asarray(columns[0], dtype=np.int64)
        # SQLite hands dates back as text, PostgreSQL as dates: numpy reads both.
        days = np.asarray(columns[1], dtype="datetime64[D]")
        ago = (np.datetime64(end, "D") - days).astype(np.int64)
        period = n_periods_max - 1 - ago // step
        row = np.searchsorted(ids, row_ids)
        np.add.at(units, (row, period), np.asarray(columns[2], dtype=float))
        np.add.at(revenue, (row, period), np.asarray(columns[3], dtype=float))
        np.maximum.at(promo, (row, period), np.asarray(columns[4], dtype=float))
        np.minimum.at(first_period, row, period)

    tz = zoneinfo.ZoneInfo(merchant.timezone)
    origin = end - dt.timedelta(days=n_periods_max * step - 1)
    histories = []
    for index, (pk, category, price, created_at) in enumerate(products):
        current_price = float(price or 0)
        start_period = int(first_period[index])
        if start_period >= n_periods_max:  # never sold in the window
            created = created_at.astimezone(tz).date() if created_at else end
            start_period = n_periods_max - period_count(
                start=max(created, origin), end=end, frequency=frequency
            )
        start_period = min(start_period, n_periods_max - 1)
        sold = units[index, start_period:]
        with np.errstate(divide="ignore", invalid="ignore"):
            unit_prices = np.where(sold > 0, revenue[index, start_period:] / sold, np.nan)
        histories.append(
            ProductHistory(
                product_id=pk,
                category=category or "",
                current_price=current_price,
                start=origin + dt.timedelta(days=start_period * step),
                units=sold.copy(),
                prices=_fill_gaps(unit_prices, current_price),
                promo=promo[index, start_period:].copy(),
            )
        )
    return histories


def calendar_inputs(
    *, merchant, product_ids: Sequence[int], start: dt.date, end: dt.date
) -> CalendarInputs:
    """Store-wide events (holidays, sales events, store-wide promotions) by day, and each
    product's promotion days, from `start` to `end` inclusive (future days included)."""
    events: dict[dt.date, list[str]] = defaultdict(list)
    promotions: dict[int, set[dt.date]] = defaultdict(set)
    rows = (
        CalendarEvent.objects.filter(merchant=merchant, date__range=(start, end))
        .filter(Q(product__isnull=True) | Q(product_id__in=list(product_ids)))
        .order_by("date", "name")
        .values_list("product_id", "date", "name")
    )
    for product_id, day, name in rows:
        if product_id is None:
            events[day].append(name)
        else:
            # A product's own row is a promotion whatever its kind: the engine's promo flag.
            promotions[product_id].add(day)
    return CalendarInputs(events=dict(events), promotions=dict(promotions))


def recent_daily_units(
    *, merchant, product_ids: Sequence[int], end: dt.date, days: int = 56
) -> dict[int, np.ndarray]:
    """Units per day over the `days` days ending `end`, oldest first (days without a row are
    0). Products that never sold in the window are left out."""
    start = end - dt.timedelta(days=days - 1)
    rows = _rows(merchant=merchant, product_ids=product_ids, first=start, end=end)
    if not rows:
        return {}
    columns = list(zip(*rows, strict=True))
    ids, row = np.unique(np.asarray(columns[0], dtype=np.int64), return_inverse=True)
    ago = (np.datetime64(end, "D") - np.asarray(columns[1], dtype="datetime64[D]")).astype(np.int64)
    units = np.zeros((len(ids), days))
    np.add.at(units, (row, days - 1 - ago), np.asarray(columns[2], dtype=float))
    return {int(pk): units[index] for index, pk in enumerate(ids.tolist())}


def stock_days_since_receipt(
    *, merchant, product_ids: Sequence[int], today: dt.date, window_days: int
) -> dict[int, int]:
    """Days since each product's stock last went up (a delivery), from the daily snapshots of
    the last `window_days` days. A product whose snapshots cover the whole window without a
    delivery gets `window_days` (its stock is at least that old); one with fewer snapshots and
    no delivery, or none at all, is left out (unknown)."""
    first = today - dt.timedelta(days=window_days)
    queryset = (
        StockSnapshot.objects.filter(
            merchant=merchant, product_id__in=list(product_ids), date__gte=first
        )
        .order_by("product_id", "date")
        .values_list("product_id", "date", "on_hand")
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return {}
    columns = list(zip(*rows, strict=True))
    ids = np.asarray(columns[0], dtype=np.int64)
    days = np.asarray(columns[1], dtype="datetime64[D]")
    on_hand = np.asarray(columns[2], dtype=np.int64)
    same = np.concatenate([[False], ids[1:] == ids[:-1]])
    received = same & (on_hand > np.concatenate([[0], on_hand[:-1]]))
    today64 = np.datetime64(today, "D")
    result: dict[int, int] = {}
    for product_id, day in zip(ids[received].tolist(), days[received], strict=True):
        result[product_id] = int((today64 - day).astype(np.int64))  # later rows win
    boundaries = np.flatnonzero(np.concatenate([[True], ~same[1:]]))
    for start in boundaries.tolist():
        product_id = int(ids[start])
        if (
            product_id not in result
            and int((days[start] - np.datetime64(first, "D")).astype(np.int64)) <= 1
        ):
            result[product_id] = window_days
    return result
