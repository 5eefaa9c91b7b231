"""The bell's unread count for `templates/notifications/_bell.html` (one COUNT query)."""

from __future__ import annotations

from django import template

from notifications.selectors import notification_unread_count

register = template.Library()

BADGE_MAX = 99


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    request = context.get("request")
    merchant = getattr(request, "merchant", None)
    if request is None or merchant is None or not request.user.is_authenticated:
        return 0
    return notification_unread_count(user=request.user, merchant=merchant)


@register.filter
def badge_count(value) -> str:
    """`120|badge_count` -> "99+": the badge stays small."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{BADGE_MAX}+" if number > BADGE_MAX else str(number)
