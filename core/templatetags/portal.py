"""Small presentation helpers for the portal templates: money, stars, the merchant switcher."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

from django import template

from accounts.selectors import memberships_for_user

register = template.Library()

# Symbols only where they are unambiguous to the people who use the portal; anything else is
# shown with its ISO code, which is never wrong.
CURRENCY_SYMBOLS = {
    "USD": "$",
    "CNY": "¥",
    "EUR": "€",
    "GBP": "£",
    "JPY": "JP¥",
    "HKD": "HK$",
    "KRW": "₩",
    "INR": "₹",
}
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND", "CLP", "ISK", "TWD"}


@register.filter
def grouped(value) -> str:
    """`12345|grouped` -> `12,345` in every language.

    Django's zh-hans format has no thousands separator, but Chinese business software groups
    amounts with commas like English does, so the portal formats them the same way everywhere.
    """
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def money(value, currency: str = "") -> str:
    """`1234.5|money:"USD"` -> `$1,234.50`; unknown codes -> `1,234.50 SEK` (comma grouping in
    every language, see `grouped`)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    currency = (currency or "").upper()
    places = 0 if currency in ZERO_DECIMAL_CURRENCIES else 2
    text = f"{abs(amount):,.{places}f}"
    sign = "-" if amount < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {currency}".strip()


@register.filter
def stars(rating) -> str:
    """`4|stars` -> `★★★★☆` (templates give it an aria-label with the number)."""
    if rating is None:
        return ""
    filled = max(0, min(5, int(rating)))
    return "★" * filled + "☆" * (5 - filled)


@register.filter
def minutes(value) -> int:
    """A duration as whole minutes, rounded up (for "try again in N minutes")."""
    if isinstance(value, dt.timedelta):
        return max(1, math.ceil(value.total_seconds() / 60))
    try:
        return max(1, math.ceil(float(value) * 60))  # axes gives hours as a number
    except (TypeError, ValueError):
        return 0


@register.filter
def absolute(value):
    try:
        return abs(value)
    except TypeError:
        return value


@register.inclusion_tag("includes/merchant_switcher.html", takes_context=True)
def merchant_switcher(context):
    request = context["request"]
    memberships = list(memberships_for_user(user=request.user))
    return {
        "memberships": memberships,
        "active": getattr(request, "merchant", None),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def merchant_tz(merchant):
    """The merchant's time zone name for `{% timezone %}`, or None for the site default."""
    return getattr(merchant, "timezone", None) or None


@register.filter
def elided_pages(page):
    """Page numbers around the current page, with ellipses, for the pagination bar."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
