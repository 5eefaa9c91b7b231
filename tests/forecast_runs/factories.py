"""Factories and a sales builder of the forecast-run tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
import numpy as np

from forecasting.models import (
    CalendarEvent,
    CalendarEventKind,
    DailySales,
    PlanningSettings,
    ServiceLevelOverride,
)
from products.models import StockLevel
from tests.factories import MerchantFactory, ProductFactory

# The last day of sales in every store these tests build (a Tuesday).
LAST_DAY = dt.date(2025, 6, 17)
TODAY = LAST_DAY + dt.timedelta(days=1)


class CalendarEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarEvent

    merchant = factory.SubFactory(MerchantFactory)
    date = TODAY
    kind = CalendarEventKind.EVENT
    name = factory.Sequence(lambda n: f"Summer sale {n}")


class PlanningSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanningSettings
        django_get_or_create = ("merchant",)

    merchant = factory.SubFactory(MerchantFactory)


class ServiceLevelOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLevelOverride

    merchant = factory.SubFactory(MerchantFactory)
    category = ""
    product = None
    service_level = Decimal("0.990")


def daily_units(*, days: int, level: float, seed: int, weekly: bool = True) -> np.ndarray:
    """Poisson units around `level` with a weekday pattern: deterministic per seed."""
    rng = np.random.default_rng(seed)
    weekday = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 0.85]) if weekly else np.ones(7)
    first = LAST_DAY - dt.timedelta(days=days - 1)
    pattern = weekday[(np.arange(days) + first.weekday()) % 7]
    return rng.poisson(level * pattern)


def product_with_sales(
    merchant,
    *,
    days: int = 120,
    level: float = 5.0,
    seed: int = 0,
    on_hand: int = 100,
    inbound: int = 0,
    price: str = "20.00",
    units: np.ndarray | None = None,
    last_day: dt.date = LAST_DAY,
    step: int = 1,
    **product_fields,
):
    """A product of `merchant` with daily (or every `step` days) sales ending `last_day`,
    and its stock level."""
    product = ProductFactory(merchant=merchant, price=Decimal(price), **product_fields)
    if units is None:
        units = daily_units(days=days, level=level, seed=seed)
    first = last_day - dt.timedelta(days=(len(units) - 1) * step)
    DailySales.objects.bulk_create(
        DailySales(
            merchant=merchant,
            product=product,
            date=first + dt.timedelta(days=index * step),
            units=int(value),
            revenue=Decimal(price) * int(value),
        )
        for index, value in enumerate(units)
    )
    StockLevel.objects.create(product=product, merchant=merchant, on_hand=on_hand, inbound=inbound)
    return product


def store_with_sales(merchant, *, products: int, days: int = 120, seed: int = 0) -> list:
    """`products` products with sales of different levels (some intermittent)."""
    levels = [0.3, 2.0, 6.0, 12.0]
    return [
        product_with_sales(
            merchant,
            days=days,
            level=levels[index % len(levels)],
            seed=seed + index,
            category=["Drinkware", "Kitchen"][index % 2],
        )
        for index in range(products)
    ]
