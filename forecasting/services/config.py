"""Writes of the planning configuration: settings, service-level overrides, calendar days.

Each write validates everything before it touches the database and runs in one transaction;
a change that moves the plans (service levels, review period, cover target, aged threshold,
elasticity) recomputes the affected plans inside that transaction, so the table never shows
plans of settings that were not saved. Calendar days only matter to the next forecast.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from products.models import Product

from ..models import CalendarEvent, CalendarEventKind, PlanningSettings, ServiceLevelOverride
from .plans import plans_refresh

# Fields that change the plans computed from the current forecasts.
PLAN_FIELDS = (
    "service_level",
    "review_period_days",
    "cover_target_days",
    "aged_after_days",
    "markdown_elasticity",
)
SETTINGS_FIELDS = frozenset(("horizon_days", "nightly_forecast", *PLAN_FIELDS))
CALENDAR_FIELDS = frozenset(("date", "kind", "name", "product"))


def _check_product(*, merchant, product) -> None:
    if product is not None and product.merchant_id != merchant.pk:
        raise ValidationError(
            {"product": _("This product does not exist.")}, code="unknown_product"
        )


@transaction.atomic
def planning_settings_update(*, merchant, **changes) -> PlanningSettings:
    """Change some of the merchant's planning settings (the row is created on first change).

    Field validators (ranges, decimal places) raise ValidationError keyed by field. When a
    field that drives the plans changes, every plan of the merchant is recomputed.
    """
    unknown = set(changes) - SETTINGS_FIELDS
    if unknown:
        raise ValueError(f"Unknown planning settings: {sorted(unknown)}")
    PlanningSettings.objects.get_or_create(merchant=merchant)
    settings = PlanningSettings.objects.select_for_update().get(merchant=merchant)
    before = {name: getattr(settings, name) for name in PLAN_FIELDS}
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.full_clean(exclude=["merchant"])
    settings.save()
    if any(getattr(settings, name) != before[name] for name in PLAN_FIELDS):
        plans_refresh(merchant=merchant)
    return settings


def _override_product_ids(*, merchant, override: ServiceLevelOverride) -> list[int]:
    if override.product_id:
        return [override.product_id]
    return list(
        Product.objects.for_merchant(merchant)
        .filter(category=override.category)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def service_level_override_set(
    *, merchant, service_level: Decimal, category: str = "", product=None
) -> ServiceLevelOverride:
    """Set the service-level target of one category or one product (replacing its old one).

    Exactly one of `category` (a category of the merchant's products) and `product` (one of
    the merchant's products). The affected plans are recomputed.
    """
    category = (category or "").strip()
    if bool(category) == (product is not None):
        raise ValidationError(
            _("Choose either a category or a product, not both."), code="category_or_product"
        )
    _check_product(merchant=merchant, product=product)
    if category and not Product.objects.for_merchant(merchant).filter(category=category).exists():
        raise ValidationError(
            {"category": _("None of your products is in this category.")},
            code="unknown_category",
        )
    lookup = {"product": product} if product is not None else {"category": category}
    override = ServiceLevelOverride.objects.filter(
        merchant=merchant, product__isnull=product is None, **lookup
    ).first() or ServiceLevelOverride(merchant=merchant, **lookup)
    override.service_level = service_level
    # The model's constraints are checked above with readable messages; the database still
    # enforces them against a concurrent write (an IntegrityError, answered as a conflict).
    override.full_clean(exclude=["merchant", "product"], validate_constraints=False)
    override.save()
    plans_refresh(
        merchant=merchant, product_ids=_override_product_ids(merchant=merchant, override=override)
    )
    return override


@transaction.atomic
def service_level_override_delete(*, merchant, override: ServiceLevelOverride) -> None:
    """Remove an override; its products fall back to the category's or the store's target."""
    if override.merchant_id != merchant.pk:
        raise ValueError("The override belongs to another merchant.")
    product_ids = _override_product_ids(merchant=merchant, override=override)
    override.delete()
    plans_refresh(merchant=merchant, product_ids=product_ids)


def _calendar_duplicate(event: CalendarEvent) -> bool:
    same = CalendarEvent.objects.filter(
        merchant_id=event.merchant_id, date=event.date, kind=event.kind, name=event.name
    )
    if event.product_id:
        same = same.filter(product_id=event.product_id)
    else:
        same = same.filter(product__isnull=True)
    if event.pk:
        same = same.exclude(pk=event.pk)
    return same.exists()


def _calendar_save(event: CalendarEvent) -> CalendarEvent:
    event.name = (event.name or "").strip()
    event.full_clean(exclude=["merchant", "product"], validate_constraints=False)
    if _calendar_duplicate(event):
        raise ValidationError(
            {"name": _("This day already has an entry of this kind with this name.")},
            code="duplicate",
        )
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as error:  # the same day written by a concurrent request
        raise ValidationError(
            {"name": _("This day already has an entry of this kind with this name.")},
            code="duplicate",
        ) from error
    return event


def calendar_event_create(
    *,
    merchant,
    date: dt.date,
    name: str,
    kind: str = CalendarEventKind.PROMOTION,
    product=None,
) -> CalendarEvent:
    """Add a holiday, sales event or promotion day: store-wide, or for one product."""
    _check_product(merchant=merchant, product=product)
    return _calendar_save(
        CalendarEvent(merchant=merchant, product=product, date=date, kind=kind, name=name)
    )


def calendar_event_update(*, merchant, event: CalendarEvent, **changes) -> CalendarEvent:
    """Change some of a calendar day's fields (`product=None` makes it store-wide)."""
    unknown = set(changes) - CALENDAR_FIELDS
    if unknown:
        raise ValueError(f"Unknown calendar fields: {sorted(unknown)}")
    if event.merchant_id != merchant.pk:
        raise ValueError("The calendar event belongs to another merchant.")
    if "product" in changes:
        _check_product(merchant=merchant, product=changes["product"])
    for name, value in changes.items():
        setattr(event, name, value)
    return _calendar_save(event)


def calendar_event_delete(*, merchant, event: CalendarEvent) -> None:
    if event.merchant_id != merchant.pk:
        raise ValueError("The calendar event belongs to another merchant.")
    event.delete()
