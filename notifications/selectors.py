"""Reads of the notification center. Every function takes the merchant explicitly."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .events import EVENTS, USER_CHANNELS
from .models import Channel, Delivery, Notification, NotificationPreference

BELL_LATEST = 8


def notifications_for(*, user, merchant, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.for_user(user=user, merchant=merchant)
    if unread_only:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-pk")


def notification_unread_count(*, user, merchant) -> int:
    """One COUNT over the (recipient, merchant, read_at) index: the bell polls this."""
    return Notification.objects.for_user(user=user, merchant=merchant).unread().count()


def notification_get(*, user, merchant, notification_id: int) -> Notification:
    """The user's own notification in the merchant; anyone else's is a 404."""
    return get_object_or_404(
        Notification.objects.for_user(user=user, merchant=merchant), pk=notification_id
    )


def preferences_for(*, user, merchant) -> dict[str, set[str]]:
    """Every event -> the channels the user gets it by (stored choice, else the defaults)."""
    stored = {
        preference.event: preference
        for preference in NotificationPreference.objects.filter(user=user, merchant=merchant)
    }
    choices = {}
    for code, event in EVENTS.items():
        preference = stored.get(code)
        if preference is None:
            choices[code] = set(event.default_channels)
        else:
            choices[code] = {channel for channel in USER_CHANNELS if getattr(preference, channel)}
    return choices


def channels_for(*, merchant) -> QuerySet[Channel]:
    return Channel.objects.for_merchant(merchant).order_by("name", "pk")


def channel_get(*, merchant, channel_id: int) -> Channel:
    return get_object_or_404(Channel.objects.for_merchant(merchant), pk=channel_id)


def channel_deliveries(*, channel: Channel) -> QuerySet[Delivery]:
    return Delivery.objects.filter(merchant_id=channel.merchant_id, channel=channel).order_by(
        "-created_at", "-pk"
    )
