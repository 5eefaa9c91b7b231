"""Daily demand: weekly and yearly seasonality, trend, promotions and count noise.

For each product, mean demand on day t is

    base × weekday × season(day of year) × gift peak × trend(t) × promotion uplift × ramp

and units are drawn from a negative binomial around it (Poisson-gamma; low dispersion for
intermittent sellers, so most of their days are zero). Every product has its own random
stream keyed by its SKU, so adding products never changes the series of the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .catalog import (
    APPAREL,
    BEAUTY,
    DRINKWARE,
    ELECTRONICS,
    HOME_TEXTILES,
    KITCHEN,
    OUTDOOR,
    STREAM_SALES,
    TIER_BESTSELLER,
    TIER_INTERMITTENT,
    TIER_SLOW,
    TIER_STEADY,
    TOYS,
    ProductSpec,
    sku_key,
)
from .crises import SALES_SLIDE, slide_factors, slide_is_clear

# Monday..Sunday multipliers (mean 1).
_WEEKDAY_DEFAULT = (1.04, 1.00, 0.98, 0.97, 0.94, 0.98, 1.09)
_WEEKDAY_LEISURE = (0.95, 0.93, 0.94, 0.97, 1.02, 1.10, 1.09)
_WEEKDAY_OFFICE = (1.07, 1.05, 1.02, 1.00, 0.97, 0.92, 0.97)
WEEKDAY = {
    DRINKWARE: _WEEKDAY_DEFAULT,
    KITCHEN: _WEEKDAY_DEFAULT,
    APPAREL: _WEEKDAY_LEISURE,
    ELECTRONICS: _WEEKDAY_OFFICE,
    HOME_TEXTILES: _WEEKDAY_DEFAULT,
    BEAUTY: _WEEKDAY_DEFAULT,
    TOYS: _WEEKDAY_LEISURE,
    OUTDOOR: _WEEKDAY_LEISURE,
}
# (amplitude, peak day of year) of the yearly cycle, unless the item type overrides it.
SEASON = {
    DRINKWARE: (0.30, 190),
    KITCHEN: (0.10, 335),
    APPAREL: (0.15, 300),
    ELECTRONICS: (0.08, 330),
    HOME_TEXTILES: (0.25, 15),
    BEAUTY: (0.08, 150),
    TOYS: (0.15, 340),
    OUTDOOR: (0.45, 175),
}
# Extra December gift demand (peak multiplier − 1, centred on 12 December).
GIFT_PEAK = {
    DRINKWARE: 0.30,
    KITCHEN: 0.40,
    APPAREL: 0.25,
    ELECTRONICS: 0.60,
    HOME_TEXTILES: 0.30,
    BEAUTY: 0.50,
    TOYS: 1.20,
    OUTDOOR: 0.15,
}
# Negative binomial dispersion: smaller = noisier (and more zero days).
DISPERSION = {TIER_BESTSELLER: 20.0, TIER_STEADY: 8.0, TIER_SLOW: 3.0, TIER_INTERMITTENT: 0.4}
PROMO_DISCOUNTS = (0.10, 0.15, 0.20, 0.25, 0.30)


@dataclass
class Calendar:
    dates: list[dt.date]
    weekday: np.ndarray
    day_of_year: np.ndarray
    events: list[tuple[np.ndarray, float]]  # store-wide sales: (day mask, discount)

    @property
    def days(self) -> int:
        return len(self.dates)


def _black_friday(year: int) -> dt.date:
    november = dt.date(year, 11, 1)
    first_thursday = november + dt.timedelta(days=(3 - november.weekday()) % 7)
    return first_thursday + dt.timedelta(days=22)


def sale_events(year: int) -> list[tuple[dt.date, dt.date, float, str]]:
    """The store-wide sales of one year: (first day, last day, discount, name)."""
    black_friday = _black_friday(year)
    return [
        (dt.date(year, 7, 8), dt.date(year, 7, 14), 0.15, "Summer sale"),
        (dt.date(year, 11, 11), dt.date(year, 11, 11), 0.20, "Singles' Day"),
        (black_friday, black_friday + dt.timedelta(days=3), 0.25, "Black Friday to Cyber Monday"),
    ]


def sale_event_days(*, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Every day from `start` to `end` (inclusive) that belongs to a store-wide sale."""
    days = []
    for year in range(start.year, end.year + 1):
        for first, last, _discount, name in sale_events(year):
            day = max(first, start)
            while day <= min(last, end):
                days.append((day, name))
                day += dt.timedelta(days=1)
    return sorted(days)


def calendar_build(*, today: dt.date, days: int) -> Calendar:
    """The `days` dates ending yesterday, with the store-wide sale events in them."""
    dates = [today - dt.timedelta(days=days - i) for i in range(days)]
    ordinals = np.array([d.toordinal() for d in dates])
    events = []
    for year in range(dates[0].year, dates[-1].year + 1):
        for start, end, discount, _name in sale_events(year):
            mask = (ordinals >= start.toordinal()) & (ordinals <= end.toordinal())
            if mask.any():
                events.append((mask, discount))
    return Calendar(
        dates=dates,
        weekday=np.array([d.weekday() for d in dates]),
        day_of_year=np.array([d.timetuple().tm_yday for d in dates]),
        events=events,
    )


@dataclass
class SalesSeries:
    """Units per day over the calendar; rows exist for days `first` to `last - 1`."""

    spec: ProductSpec
    units: np.ndarray
    discount: np.ndarray
    first: int
    last: int

    @property
    def selling(self) -> bool:
        return self.last > self.first

    def unit_price_cents(self) -> np.ndarray:
        return np.rint(self.spec.price_cents * (1.0 - self.discount)).astype(np.int64)

    def revenue_cents(self) -> np.ndarray:
        return self.units * self.unit_price_cents()

    def recent_average(self, days: int) -> float:
        """Average units per selling day over the last `days` days (0 when not selling)."""
        start = max(self.first, self.last - days)
        if self.last <= start:
            return 0.0
        return float(self.units[start : self.last].mean())


def _gift_peak(day_of_year: np.ndarray, amplitude: float) -> np.ndarray:
    distance = np.minimum(np.abs(day_of_year - 346), 365 - np.abs(day_of_year - 346))
    return 1.0 + amplitude * np.exp(-0.5 * (distance / 10.0) ** 2)


def sales_simulate(*, spec: ProductSpec, calendar: Calendar, seed: int) -> SalesSeries:
    """Draw the daily units of one product over the calendar."""
    rng = np.random.default_rng([seed, STREAM_SALES, sku_key(spec.sku)])
    days = calendar.days
    t = np.arange(days)
    extra = spec.extra
    amplitude, peak = spec.item.season or SEASON[spec.category]
    gift = GIFT_PEAK[spec.category]
    if extra.get("flat_season"):
        amplitude, gift = 0.0, 0.0
    season = 1.0 + amplitude * np.cos(2 * np.pi * (calendar.day_of_year - peak) / 365.25)
    weekday = np.asarray(WEEKDAY[spec.category])[calendar.weekday]
    growth = extra.get("trend", float(np.clip(rng.normal(0.08, 0.18), -0.35, 0.5)))
    trend = np.exp(growth * (t - (days - 1)) / 365.0)

    discount = np.zeros(days)
    for mask, event_discount in calendar.events:
        if rng.random() < 0.6:
            discount = np.where(mask, np.maximum(discount, event_discount), discount)
    for _ in range(int(rng.poisson(days / 365.0 * 2.5))):
        start = int(rng.integers(0, days))
        length = int(rng.integers(3, 11))
        promo_discount = float(rng.choice(PROMO_DISCOUNTS))
        window = slice(start, min(days, start + length))
        discount[window] = np.maximum(discount[window], promo_discount)
    if extra.get("no_promo_days"):
        discount[-extra["no_promo_days"] :] = 0.0
    elasticity = float(rng.uniform(2.5, 5.5))

    first = 0 if spec.launched_days_ago is None else max(0, days - spec.launched_days_ago)
    last = days if spec.stopped_days_ago is None else max(first, days - spec.stopped_days_ago)
    if spec.status == "draft":
        first = last = days
    ramp = np.ones(days)
    if first > 0:
        ramp = 1.0 - np.exp(-(t - first + 1).clip(min=0) / 12.0)

    mean = (
        spec.base_demand
        * weekday
        * season
        * _gift_peak(calendar.day_of_year, gift)
        * trend
        * (1.0 + elasticity * discount)
        * ramp
    )
    if spec.crisis == SALES_SLIDE:
        mean = mean * slide_factors(days)
    if extra.get("poisson"):
        units = rng.poisson(mean)
    else:
        k = DISPERSION[spec.tier]
        units = rng.negative_binomial(k, k / (k + mean))
    units = units.astype(np.int64)
    if spec.crisis == SALES_SLIDE:
        # Planted, so it must be unambiguous whatever the day: redraw the slide weeks until
        # each is lower than the one before (a handful of tries at most).
        for _ in range(200):
            if slide_is_clear(units):
                break
            units[-21:] = rng.poisson(mean[-21:])
    units[:first] = 0
    units[last:] = 0
    discount[:first] = 0.0
    discount[last:] = 0.0
    return SalesSeries(spec=spec, units=units, discount=discount, first=first, last=last)
