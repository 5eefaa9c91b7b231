"""Portal pages: the bell, my notifications, my preferences, the merchant's channels."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import merchant_required
from accounts.permissions import MANAGE_CHANNELS
from core.htmx import is_partial

from . import services
from .events import EVENTS, USER_CHANNEL_LABELS, USER_CHANNELS
from .forms import ChannelForm, PreferencesForm
from .models import ChannelKind
from .selectors import (
    BELL_LATEST,
    channel_deliveries,
    channel_get,
    channels_for,
    notification_get,
    notification_unread_count,
    notifications_for,
    preferences_for,
)
from .transports import transport_class

NOTIFICATIONS_PER_PAGE = 25
DELIVERIES_PER_PAGE = 25
# htmx stops polling when an answer has this status (the session ended, or no merchant).
HTMX_STOP_POLLING = 286


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- Bell ----------------------------------------------------------------------------------------


@require_GET
def notification_bell_count(request):
    """The badge, polled every 30 s: one COUNT query of our own."""
    if not request.user.is_authenticated or getattr(request, "membership", None) is None:
        return HttpResponse(status=HTMX_STOP_POLLING)
    unread = notification_unread_count(user=request.user, merchant=request.merchant)
    return render(request, "notifications/_bell_badge.html", {"unread": unread})


@merchant_required()
@require_GET
def notification_bell_menu(request):
    """The dropdown's content, loaded when it opens."""
    latest = list(notifications_for(user=request.user, merchant=request.merchant)[:BELL_LATEST])
    return render(
        request,
        "notifications/_bell_menu.html",
        {"latest": latest, "has_unread": any(n.read_at is None for n in latest)},
    )


# --- My notifications ----------------------------------------------------------------------------


@merchant_required()
@require_GET
def notification_list(request):
    unread_only = request.GET.get("filter") == "unread"
    notifications = notifications_for(
        user=request.user, merchant=request.merchant, unread_only=unread_only
    )
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    unread = notification_unread_count(user=request.user, merchant=request.merchant)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "unread": unread},
    )


@merchant_required()
@require_GET
def notification_open(request, notification_id: int):
    """Mark the notification read and go where it points (within this site only)."""
    notification = notification_get(
        user=request.user, merchant=request.merchant, notification_id=notification_id
    )
    services.notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notification-list")


@merchant_required()
@require_POST
def notification_read(request, notification_id: int):
    notification = notification_get(
        user=request.user, merchant=request.merchant, notification_id=notification_id
    )
    services.notification_mark_read(notification=notification)
    if is_partial(request):
        unread = notification_unread_count(user=request.user, merchant=request.merchant)
        return render(
            request,
            "notifications/_item.html",
            {"notification": notification, "unread": unread, "oob_badge": True},
        )
    return redirect(_safe_next(request, reverse("notification-list")))


@merchant_required()
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user, merchant=request.merchant)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect(_safe_next(request, reverse("notification-list")))


# --- My preferences ------------------------------------------------------------------------------


@merchant_required()
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    current = preferences_for(user=request.user, merchant=request.merchant)
    if request.method == "POST":
        form = PreferencesForm(request.POST, choices=current)
        if form.is_valid():
            services.preferences_save(
                user=request.user, merchant=request.merchant, choices=form.choices()
            )
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notification-preferences")
    else:
        form = PreferencesForm(choices=current)
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "channel_labels": [USER_CHANNEL_LABELS[channel] for channel in USER_CHANNELS],
            "has_email": bool(request.user.email),
        },
    )


# --- Channels ------------------------------------------------------------------------------------


def _kind_choices():
    return [
        {"value": value, "label": label, "secret_mode": transport_class(value).secret_mode}
        for value, label in ChannelKind.choices
    ]


@merchant_required(MANAGE_CHANNELS)
@require_GET
def channel_list(request):
    return render(
        request,
        "notifications/channels.html",
        {"channels": list(channels_for(merchant=request.merchant)), "kinds": _kind_choices()},
    )


@merchant_required(MANAGE_CHANNELS)
@require_http_methods(["GET", "POST"])
def channel_create(request):
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in ChannelKind.values:
        raise Http404
    if request.method == "POST":
        form = ChannelForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                channel = services.channel_create(
                    merchant=request.merchant,
                    kind=kind,
                    created_by=request.user,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    _("Channel “%(name)s” added. Send a test to check it.")
                    % {"name": channel.name},
                )
                return redirect("notification-channel-detail", channel_id=channel.pk)
        status = 400
    else:
        form = ChannelForm(kind=kind)
        status = 200
    return render(
        request,
        "notifications/channel_form.html",
        {"form": form, "kind": kind, "kind_label": ChannelKind(kind).label, "channel": None},
        status=status,
    )


@merchant_required(MANAGE_CHANNELS)
@require_http_methods(["GET", "POST"])
def channel_edit(request, channel_id: int):
    channel = channel_get(merchant=request.merchant, channel_id=channel_id)
    if request.method == "POST":
        form = ChannelForm(request.POST, kind=channel.kind, channel=channel)
        if form.is_valid():
            try:
                services.channel_update(channel=channel, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_error(exc)
                channel.refresh_from_db()
            else:
                messages.success(request, _("Channel “%(name)s” saved.") % {"name": channel.name})
                return redirect("notification-channel-detail", channel_id=channel.pk)
        status = 400
    else:
        form = ChannelForm(kind=channel.kind, channel=channel)
        status = 200
    return render(
        request,
        "notifications/channel_form.html",
        {
            "form": form,
            "kind": channel.kind,
            "kind_label": channel.get_kind_display(),
            "channel": channel,
        },
        status=status,
    )


@merchant_required(MANAGE_CHANNELS)
@require_GET
def channel_detail(request, channel_id: int):
    channel = channel_get(merchant=request.merchant, channel_id=channel_id)
    page = Paginator(channel_deliveries(channel=channel), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    template = (
        "notifications/_delivery_table.html"
        if is_partial(request)
        else "notifications/channel_detail.html"
    )
    event_labels = {code: event.label for code, event in EVENTS.items()}
    response = render(
        request,
        template,
        {
            "channel": channel,
            "page": page,
            "event_labels": event_labels,
            "posted_events": [
                event_labels[code] for code in channel.events if code in event_labels
            ],
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@merchant_required(MANAGE_CHANNELS)
@require_POST
def channel_delete(request, channel_id: int):
    channel = channel_get(merchant=request.merchant, channel_id=channel_id)
    name = channel.name
    services.channel_delete(channel=channel)
    messages.success(request, _("Channel “%(name)s” deleted.") % {"name": name})
    return redirect("notification-channel-list")


@merchant_required(MANAGE_CHANNELS)
@require_POST
def channel_test(request, channel_id: int):
    channel = channel_get(merchant=request.merchant, channel_id=channel_id)
    services.channel_send_test(channel=channel, user=request.user)
    messages.info(
        request,
        _("A test message is on its way; its result appears in the delivery log below."),
    )
    return redirect("notification-channel-detail", channel_id=channel.pk)


@merchant_required(MANAGE_CHANNELS)
@require_POST
def channel_enable(request, channel_id: int):
    channel = channel_get(merchant=request.merchant, channel_id=channel_id)
    services.channel_enable(channel=channel)
    messages.success(request, _("Channel “%(name)s” is enabled again.") % {"name": channel.name})
    return redirect(
        _safe_next(
            request, reverse("notification-channel-detail", kwargs={"channel_id": channel.pk})
        )
    )
