"""Reads over the sales time series. Every function takes the merchant explicitly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from ..models import DailySales


@dataclass(frozen=True)
class SalesTotals:
    units: int
    revenue: Decimal


@dataclass(frozen=True)
class DailyPoint:
    date: dt.date
    units: int
    revenue: Decimal


def _units_sum(condition: Q | None = None):
    return Coalesce(Sum("units", filter=condition), Value(0), output_field=IntegerField())


def _revenue_sum(condition: Q | None = None):
    return Coalesce(
        Sum("revenue", filter=condition),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


def sales_totals_compare(
    *, merchant, current: tuple[dt.date, dt.date], previous: tuple[dt.date, dt.date]
) -> tuple[SalesTotals, SalesTotals]:
    """Units and revenue in two inclusive date ranges, in one query."""
    in_current = Q(date__range=current)
    in_previous = Q(date__range=previous)
    start = min(current[0], previous[0])
    end = max(current[1], previous[1])
    row = DailySales.objects.filter(merchant=merchant, date__range=(start, end)).aggregate(
        current_units=_units_sum(in_current),
        current_revenue=_revenue_sum(in_current),
        previous_units=_units_sum(in_previous),
        previous_revenue=_revenue_sum(in_previous),
    )
    return (
        SalesTotals(units=row["current_units"], revenue=row["current_revenue"]),
        SalesTotals(units=row["previous_units"], revenue=row["previous_revenue"]),
    )


def sales_daily_series(*, merchant, start: dt.date, end: dt.date, product=None) -> list[DailyPoint]:
    """One point per day from `start` to `end` inclusive; days without a sales row are zero.

    Store-wide when `product` is None, else for that product (which must be the merchant's).
    """
    rows = DailySales.objects.filter(merchant=merchant, date__range=(start, end))
    if product is not None:
        rows = rows.filter(product=product)
    by_date = {
        row["date"]: row
        for row in rows.values("date")
        .order_by("date")
        .annotate(units_total=_units_sum(), revenue_total=_revenue_sum())
    }
    points = []
    day = start
    while day <= end:
        row = by_date.get(day)
        points.append(
            DailyPoint(
                date=day,
                units=row["units_total"] if row else 0,
                revenue=row["revenue_total"] if row else Decimal("0"),
            )
        )
        day += dt.timedelta(days=1)
    return points
