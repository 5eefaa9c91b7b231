"""Forecasts and plans for a freshly seeded demo store, so its pages are full from the start.

The store's sale events (history and the coming year) go into the calendar the forecast
reads, then one in-process forecast run covers every product and refreshes the plan. No data
is tuned here: the planted stock-out and overstock reach the top of the plan because of their
stock, demand and lead times alone.
"""

from __future__ import annotations

import datetime as dt

from forecasting.models import CalendarEvent, CalendarEventKind, ForecastRun, ForecastRunTrigger
from forecasting.services.runs import forecast_run_sync

from .sales import sale_event_days

UPCOMING_DAYS = 365


def demo_calendar_write(*, merchant, today: dt.date, days: int) -> int:
    """Store-wide sale days from the first day of history to a year ahead; returns the count."""
    rows = [
        CalendarEvent(merchant=merchant, date=day, kind=CalendarEventKind.EVENT, name=name)
        for day, name in sale_event_days(
            start=today - dt.timedelta(days=days),
            end=today + dt.timedelta(days=UPCOMING_DAYS),
        )
    ]
    CalendarEvent.objects.bulk_create(rows)
    return len(rows)


def demo_forecast(*, merchant, today: dt.date) -> ForecastRun:
    """Forecast every product of the store in this process and plan them as of `today`."""
    return forecast_run_sync(merchant=merchant, trigger=ForecastRunTrigger.IMPORT, today=today)
