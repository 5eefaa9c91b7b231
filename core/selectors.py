"""Cross-app reads for the portal: the dashboard's KPIs, in the merchant's own calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from forecasting.selectors import DailyPoint, SalesTotals, sales_daily_series, sales_totals_compare
from products.selectors import StockValue, stock_value
from reviews.selectors import RatingSummary, rating_summary

SALES_WINDOW_DAYS = 28
RATING_WINDOW_DAYS = 90
CHART_DAYS = 180


def merchant_today(*, merchant, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the merchant is (sales dates are the merchant's local dates)."""
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(merchant.timezone)).date()


def merchant_day_start(*, merchant, day: dt.date) -> dt.datetime:
    """The instant the merchant's local `day` begins, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(merchant.timezone))


@dataclass(frozen=True)
class Change:
    current: Decimal | int
    previous: Decimal | int

    @property
    def percent(self) -> float | None:
        """Relative change in percent; None when there is nothing to compare against."""
        if not self.previous:
            return None
        return round(float((self.current - self.previous) / self.previous * 100), 1)

    @property
    def direction(self) -> str:
        if self.current > self.previous:
            return "up"
        if self.current < self.previous:
            return "down"
        return "flat"


@dataclass(frozen=True)
class DashboardKpis:
    today: dt.date
    current_period: tuple[dt.date, dt.date]
    previous_period: tuple[dt.date, dt.date]
    revenue: Change
    units: Change
    stock: StockValue
    rating_since: dt.date
    rating: RatingSummary
    chart: list[DailyPoint]


def _totals_of(points: list[DailyPoint], period: tuple[dt.date, dt.date]) -> SalesTotals:
    inside = [point for point in points if period[0] <= point.date <= period[1]]
    return SalesTotals(
        units=sum(point.units for point in inside),
        revenue=sum((point.revenue for point in inside), Decimal("0")),
    )


def dashboard_kpis(*, merchant, now: dt.datetime | None = None) -> DashboardKpis:
    """The dashboard's numbers in three queries, whatever the size of the catalog.

    The 28-day windows end yesterday (the merchant's local date): today's sales are still
    coming in, and a partial day would make every comparison look like a drop. The previous
    window is the 28 days before. The chart ends yesterday too; ratings count up to now.
    Both windows lie inside the chart's days, so their totals are summed from the chart's
    daily points rather than read again.
    """
    today = merchant_today(merchant=merchant, now=now)
    last_day = today - dt.timedelta(days=1)
    window = dt.timedelta(days=SALES_WINDOW_DAYS)
    current = (last_day - window + dt.timedelta(days=1), last_day)
    previous = (current[0] - window, current[0] - dt.timedelta(days=1))
    chart_start = last_day - dt.timedelta(days=CHART_DAYS - 1)
    chart = sales_daily_series(merchant=merchant, start=chart_start, end=last_day)
    if chart_start <= previous[0]:
        current_totals, previous_totals = _totals_of(chart, current), _totals_of(chart, previous)
    else:  # a chart shorter than both windows: read the totals on their own
        current_totals, previous_totals = sales_totals_compare(
            merchant=merchant, current=current, previous=previous
        )
    rating_since = last_day - dt.timedelta(days=RATING_WINDOW_DAYS - 1)
    return DashboardKpis(
        today=today,
        current_period=current,
        previous_period=previous,
        revenue=Change(current=current_totals.revenue, previous=previous_totals.revenue),
        units=Change(current=current_totals.units, previous=previous_totals.units),
        stock=stock_value(merchant=merchant),
        rating_since=rating_since,
        rating=rating_summary(
            merchant=merchant, since=merchant_day_start(merchant=merchant, day=rating_since)
        ),
        chart=chart,
    )
