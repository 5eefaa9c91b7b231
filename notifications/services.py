"""Writes of the notification center: raise events, read state, preferences, channels, sends.

`notify` is the one entry point for every event (see `events` for the catalogue and call
examples). It writes the in-app rows at once and the email/channel `Delivery` rows with them;
the deliveries are sent by `notifications.tasks.delivery_send` after the transaction commits.
A delivery is claimed with a conditional UPDATE before anything is sent, so a redelivered task
message never sends twice; a permanent failure disables the channel and tells its owners.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from core import http

from .events import (
    CHANNEL_DEFAULT_EVENTS,
    CHANNEL_EVENT_CHOICES,
    EMAIL,
    IN_APP,
    USER_CHANNELS,
    event_get,
    event_label,
    member_ids,
    members_with_roles,
)
from .models import (
    OPEN_DELIVERY_STATUSES,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)
from .transports import (
    OK,
    PERMANENT,
    TRANSIENT,
    EmailTransport,
    Message,
    Result,
    SecretMode,
    transport_class,
)

logger = logging.getLogger(__name__)

MAX_EMAIL_RECIPIENTS = 20
MIN_WEBHOOK_SECRET = 16
MAX_RETRY_DELAY = 3600
# A delivery "sending" for longer than this lost its worker (the task's hard limit is far below).
STALE_SENDING = timedelta(minutes=10)
# A pending delivery this old never reached the broker; a retry this late lost its message.
STALE_QUEUED = timedelta(minutes=5)


# --- Raising events ------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def _choices(event, preference: NotificationPreference | None) -> set[str]:
    if preference is None:
        return set(event.default_channels)
    return {channel for channel in USER_CHANNELS if getattr(preference, channel)}


def notify(
    *,
    merchant,
    event: str,
    title: str,
    body: str = "",
    url: str = "",
    recipients=None,
    context: dict | None = None,
    post_to_channels: bool = True,
) -> list[Notification]:
    """Tell people about `event`: in-app rows now, emails and channel posts after the commit.

    `recipients` (users) default to the event's audience; only current members of the merchant
    are notified, each through the channels of their preferences (or the event's defaults).
    Merchant channels that chose the event post it too, unless `post_to_channels` is False.
    Returns the in-app notifications created.
    """
    spec = event_get(event)
    people = recipients if recipients is not None else spec.recipients(merchant, context or {})
    allowed = member_ids(merchant, people)
    users, seen = [], set()
    for user in people:
        if user is not None and user.pk in allowed and user.pk not in seen:
            seen.add(user.pk)
            users.append(user)
    title, url = title[:200], url[:500]
    preferences = {
        preference.user_id: preference
        for preference in NotificationPreference.objects.filter(
            merchant=merchant, event=event, user_id__in=seen
        )
    }
    choices = {user.pk: _choices(spec, preferences.get(user.pk)) for user in users}
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                merchant=merchant, recipient=user, event=event, title=title, body=body, url=url
            )
            for user in users
            if IN_APP in choices[user.pk]
        ]
    )
    by_user = {notification.recipient_id: notification for notification in notifications}
    message = {"event": event, "title": title, "body": body, "url": url}
    deliveries = [
        Delivery(
            merchant=merchant,
            kind=ChannelKind.EMAIL,
            recipient=user,
            address=user.email,
            notification=by_user.get(user.pk),
            **message,
        )
        for user in users
        if EMAIL in choices[user.pk] and user.email
    ]
    if spec.posts_to_channels and post_to_channels:
        deliveries += [
            Delivery(merchant=merchant, channel=channel, kind=channel.kind, **message)
            for channel in Channel.objects.for_merchant(merchant).filter(enabled=True)
            if channel.posts(event)
        ]
    if deliveries:
        created = Delivery.objects.bulk_create(deliveries)
        deliveries_enqueue_on_commit(delivery_ids=[delivery.pk for delivery in created])
    return notifications


def deliveries_enqueue_on_commit(*, delivery_ids: list[int]) -> None:
    transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=delivery_ids))


def deliveries_enqueue(*, delivery_ids: list[int]) -> int:
    """Send delivery tasks to the broker; one it cannot reach is left for the sweeper."""
    from jobs.services import BROKER_ERRORS

    from .tasks import delivery_send

    sent = 0
    for delivery_id in delivery_ids:
        try:
            delivery_send.apply_async(kwargs={"delivery_id": delivery_id}, queue="default")
        except BROKER_ERRORS as exc:
            logger.warning(
                "delivery %s: broker unavailable, the sweeper resends it: %s", delivery_id, exc
            )
            break
        sent += 1
    return sent


def _job_page_url(job) -> str:
    try:
        return reverse("job-detail", kwargs={"job_id": job.pk})
    except NoReverseMatch:  # the jobs pages are not installed
        return ""


def notify_job_finished(*, job) -> list[Notification]:
    """A job succeeded or failed: tell whoever started it (owners and managers if nobody did).

    A cancelled job notifies nobody: the person who cancelled it knows. An automatic crisis scan
    (hourly, after imports and forecast runs) that succeeds notifies nobody either: it runs
    dozens of times a day, and the alerts it opens send their own notifications.
    """
    from jobs.models import JobKind, JobStatus

    if job.status == JobStatus.SUCCEEDED:
        if job.kind == JobKind.CRISIS_SCAN and not job.started_by_id:
            return []
        event = "job_succeeded"
    elif job.status == JobStatus.FAILED:
        event = "job_failed"
    else:
        return []
    merchant = job.merchant
    with translation.override(merchant.default_language):
        if event == "job_succeeded":
            title = _("Finished: %(title)s") % {"title": job.title}
            body = job.progress_message
        else:
            title = _("Failed: %(title)s") % {"title": job.title}
            body = job.error[:1000]
    return notify(
        merchant=merchant,
        event=event,
        title=title,
        body=body,
        url=job.result_url or _job_page_url(job),
        recipients=[job.started_by] if job.started_by_id else None,
        context={"job": job},
    )


def notify_member_invited(*, membership_id: int) -> None:
    """Someone was added to a merchant: tell them, and tell the owners."""
    membership = (
        Membership.objects.select_related("user", "merchant").filter(pk=membership_id).first()
    )
    if membership is None:
        return
    merchant, user = membership.merchant, membership.user
    with translation.override(merchant.default_language):
        role = membership.get_role_display()
        notify(
            merchant=merchant,
            event="member_invited",
            title=_("You were added to %(merchant)s as %(role)s")
            % {"merchant": merchant.name, "role": role},
            url=reverse("dashboard"),
            recipients=[user],
            post_to_channels=False,
        )
        owners = [owner for owner in members_with_roles(merchant, (Role.OWNER,)) if owner != user]
        notify(
            merchant=merchant,
            event="member_invited",
            title=_("%(user)s was added to %(merchant)s as %(role)s")
            % {"user": user.get_username(), "merchant": merchant.name, "role": role},
            url=reverse("member-list"),
            recipients=owners,
        )


# --- Read state ----------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user, merchant) -> int:
    """Mark every unread notification of the user in the merchant read; returns how many."""
    return (
        Notification.objects.for_user(user=user, merchant=merchant)
        .unread()
        .update(read_at=timezone.now())
    )


# --- Preferences ---------------------------------------------------------------------------------


def preference_set(
    *, user, merchant, event: str, in_app: bool, email: bool
) -> NotificationPreference:
    event_get(event)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, merchant=merchant, event=event, defaults={"in_app": in_app, "email": email}
    )
    return preference


@transaction.atomic
def preferences_save(*, user, merchant, choices: dict[str, set[str]]) -> None:
    """Store the user's channels for each event named in `choices` (event -> {"in_app", ...})."""
    for event, channels in choices.items():
        preference_set(
            user=user,
            merchant=merchant,
            event=event,
            in_app=IN_APP in channels,
            email=EMAIL in channels,
        )


# --- Channels ------------------------------------------------------------------------------------


def _clean_recipients(recipients) -> list[str]:
    if isinstance(recipients, str):
        recipients = recipients.replace(";", ",").replace("\n", ",").split(",")
    cleaned, errors = [], []
    for address in recipients or []:
        address = str(address).strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            errors.append(_("%(address)s is not a valid email address.") % {"address": address})
            continue
        if address.lower() not in {item.lower() for item in cleaned}:
            cleaned.append(address)
    if errors:
        raise ValidationError({"recipients": errors})
    if not cleaned:
        raise ValidationError({"recipients": _("Enter at least one email address.")})
    if len(cleaned) > MAX_EMAIL_RECIPIENTS:
        raise ValidationError(
            {"recipients": _("At most %(count)d addresses.") % {"count": MAX_EMAIL_RECIPIENTS}}
        )
    return cleaned


def webhook_url_validate(url: str) -> str:
    """A webhook URL the guard allows; raises ValidationError on `url` with a clear message."""
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("Enter the webhook URL.")})
    if len(url) > 1000:
        raise ValidationError({"url": _("The URL is too long (at most 1000 characters).")})
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"url": _("Enter an http:// or https:// URL.")})
    if settings.NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS:
        return url
    try:
        http.url_check_public(url)
    except http.UrlNotAllowed:
        raise ValidationError(
            {
                "url": _(
                    "This URL points at a private, loopback, link-local or reserved address; "
                    "webhooks may only go to public addresses."
                )
            }
        ) from None
    except http.HttpConnectionError:
        raise ValidationError({"url": _("The host name of this URL cannot be resolved.")}) from None
    return url


def _clean_events(events) -> list[str]:
    allowed = [code for code, _label in CHANNEL_EVENT_CHOICES]
    events = list(events or [])
    unknown = [event for event in events if event not in allowed]
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %(events)s") % {"events": ", ".join(map(str, unknown))}}
        )
    return [code for code in allowed if code in events]


def _clean_secret(kind: str, secret: str, *, has_secret: bool) -> None:
    mode = transport_class(kind).secret_mode
    if mode == SecretMode.NONE:
        return
    if mode == SecretMode.REQUIRED and not secret and not has_secret:
        raise ValidationError({"secret": _("A signing secret is required for this kind.")})
    if kind == ChannelKind.WEBHOOK and secret and len(secret) < MIN_WEBHOOK_SECRET:
        raise ValidationError(
            {"secret": _("Use at least %(count)d characters.") % {"count": MIN_WEBHOOK_SECRET}}
        )


def _channel_config(kind: str, *, url, recipients) -> dict:
    if kind == ChannelKind.EMAIL:
        return {"recipients": _clean_recipients(recipients)}
    return {"url": webhook_url_validate(url)}


@transaction.atomic
def channel_create(
    *,
    merchant,
    kind: str,
    name: str,
    url: str = "",
    recipients=(),
    secret: str = "",
    events=None,
    created_by=None,
) -> Channel:
    """Add a channel; invalid input raises ValidationError keyed by field."""
    if kind not in ChannelKind.values:
        raise ValidationError({"kind": _("Unknown channel kind.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the channel a name.")})
    secret = (secret or "").strip()
    _clean_secret(kind, secret, has_secret=False)
    channel = Channel(
        merchant=merchant,
        kind=kind,
        name=name[:100],
        config=_channel_config(kind, url=url, recipients=recipients),
        secret=secret if transport_class(kind).secret_mode != SecretMode.NONE else "",
        events=_clean_events(CHANNEL_DEFAULT_EVENTS if events is None else events),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    name: str | None = None,
    url: str | None = None,
    recipients=None,
    secret: str | None = None,
    clear_secret: bool = False,
    events=None,
) -> Channel:
    """Change a channel. `None` (or a blank `url`/`secret`) keeps the stored value, so forms
    that never show the URL or the secret can leave them alone; `clear_secret` removes an
    optional secret."""
    if name is not None:
        name = name.strip()
        if not name:
            raise ValidationError({"name": _("Give the channel a name.")})
        channel.name = name[:100]
    if channel.kind == ChannelKind.EMAIL:
        if recipients is not None:
            channel.config = _channel_config(channel.kind, url="", recipients=recipients)
    elif url:
        channel.config = {**channel.config, **_channel_config(channel.kind, url=url, recipients=())}
    secret = (secret or "").strip()
    mode = transport_class(channel.kind).secret_mode
    if mode != SecretMode.NONE and clear_secret and not secret:
        if mode == SecretMode.REQUIRED:
            raise ValidationError({"secret": _("A signing secret is required for this kind.")})
        channel.secret = ""
    elif mode != SecretMode.NONE and secret:
        _clean_secret(channel.kind, secret, has_secret=channel.has_secret)
        channel.secret = secret
    if events is not None:
        channel.events = _clean_events(events)
    channel.full_clean()
    channel.save()
    return channel


def channel_delete(*, channel: Channel) -> None:
    """Delete a channel and its delivery log; queued deliveries find nothing to send."""
    channel.delete()


def channel_enable(*, channel: Channel) -> Channel:
    Channel.objects.filter(pk=channel.pk).update(
        enabled=True, disabled_reason="", disabled_at=None, updated_at=timezone.now()
    )
    channel.refresh_from_db()
    return channel


def channel_disable(*, channel: Channel, reason: str) -> bool:
    """Disable a channel after a permanent failure and tell the merchant's owners and managers.

    Only the call that actually flips `enabled` notifies, so concurrent failures tell once.
    """
    now = timezone.now()
    flipped = Channel.objects.filter(pk=channel.pk, enabled=True).update(
        enabled=False, disabled_reason=reason[:500], disabled_at=now, updated_at=now
    )
    if not flipped:
        return False
    merchant = channel.merchant
    with translation.override(merchant.default_language):
        notify(
            merchant=merchant,
            event="channel_disabled",
            title=_("Notification channel “%(name)s” was disabled") % {"name": channel.name},
            body=_("It answered with an error that will not go away by itself: %(reason)s")
            % {"reason": reason[:300]},
            url=reverse("notification-channel-detail", kwargs={"channel_id": channel.pk}),
        )
    return True


def channel_send_test(*, channel: Channel, user=None) -> Delivery:
    """Queue a test message to the channel (also when it is disabled); it is sent once."""
    merchant = channel.merchant
    with translation.override(merchant.default_language):
        who = user.get_username() if getattr(user, "is_authenticated", False) else "EcomOps"
        delivery = Delivery.objects.create(
            merchant=merchant,
            channel=channel,
            kind=channel.kind,
            event="test",
            title=_("Test message from EcomOps"),
            body=_("%(user)s sent this test to check the channel “%(name)s”.")
            % {"user": who, "name": channel.name},
            url=reverse("notification-channel-detail", kwargs={"channel_id": channel.pk}),
            is_test=True,
        )
    deliveries_enqueue_on_commit(delivery_ids=[delivery.pk])
    return delivery


# --- Sending -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    result: Result
    retry_in: int | None  # seconds until the next attempt, None when the delivery is done


def _message(delivery: Delivery) -> Message:
    merchant = delivery.merchant
    with translation.override(merchant.default_language):
        label = _("Test") if delivery.is_test else event_label(delivery.event)
    return Message(
        delivery_id=delivery.pk,
        event=delivery.event,
        event_label=label,
        title=delivery.title,
        body=delivery.body,
        url=absolute_url(delivery.url),
        merchant_name=merchant.name,
        merchant_slug=merchant.slug,
        created_at=delivery.created_at,
        is_test=delivery.is_test,
        language=merchant.default_language,
    )


def _retry_delay(delivery: Delivery, result: Result) -> int:
    if result.retry_after is not None:
        return min(MAX_RETRY_DELAY, result.retry_after)
    return min(MAX_RETRY_DELAY, settings.NOTIFICATIONS_RETRY_BACKOFF * 2 ** (delivery.attempts - 1))


def delivery_attempt(*, delivery_id: int) -> Attempt | None:
    """Claim a pending (or retrying) delivery and send it once. None when there is nothing to do.

    Records the outcome on the delivery and its channel. A transient failure asks for another
    attempt until `NOTIFICATIONS_MAX_ATTEMPTS` is reached (tests are tried once); a permanent
    one disables the channel (never for a test message).
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status__in=OPEN_DELIVERY_STATUSES).update(
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        started_at=now,
        next_attempt_at=None,
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("merchant", "channel").get(pk=delivery_id)
    channel = delivery.channel
    if channel is not None and not channel.enabled and not delivery.is_test:
        result = Result(PERMANENT, error=_("Not sent: the channel is disabled."))
        _delivery_finish(delivery, result, status=DeliveryStatus.FAILED)
        return Attempt(result, None)
    if channel is not None:
        transport = transport_class(channel.kind).for_channel(channel)
    else:
        transport = EmailTransport(recipients=[delivery.address])
    try:
        result = transport.send(_message(delivery))
    except Exception as exc:  # a bug of ours: retry, and never blame (disable) the channel
        logger.exception("delivery %s: transport %s crashed", delivery_id, delivery.kind)
        result = Result(TRANSIENT, error=f"{type(exc).__name__}: {exc}"[:500])

    if result.outcome == OK:
        _delivery_finish(delivery, result, status=DeliveryStatus.SENT)
        return Attempt(result, None)
    final = delivery.is_test or delivery.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    if result.outcome == TRANSIENT and not final:
        delay = _retry_delay(delivery, result)
        _delivery_finish(delivery, result, status=DeliveryStatus.RETRYING, retry_in=delay)
        return Attempt(result, delay)
    _delivery_finish(delivery, result, status=DeliveryStatus.FAILED)
    if result.outcome == PERMANENT and channel is not None and not delivery.is_test:
        channel_disable(channel=channel, reason=result.error)
    return Attempt(result, None)


def _delivery_finish(
    delivery: Delivery, result: Result, *, status: str, retry_in: int | None = None
) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=status,
        response_code=result.response_code,
        latency_ms=result.latency_ms,
        error=result.error[:500],
        request_summary=result.request_summary[:500],
        response_excerpt=result.response_excerpt[:500],
        next_attempt_at=now + timedelta(seconds=retry_in) if retry_in is not None else None,
        finished_at=None if status == DeliveryStatus.RETRYING else now,
    )
    if delivery.channel_id is None:
        return
    if status == DeliveryStatus.SENT:
        Channel.objects.filter(pk=delivery.channel_id).update(
            last_delivery_at=now, last_error="", last_error_at=None
        )
    elif result.error:
        Channel.objects.filter(pk=delivery.channel_id).update(
            last_error=result.error[:500], last_error_at=now
        )


def deliveries_sweep(*, now=None) -> int:
    """Resend what a stopped worker or an unreachable broker left behind; returns how many.

    A delivery "sending" for too long lost its worker: it is retried, or failed when its
    attempts are used up. Pending and retrying deliveries whose message never arrived are sent.
    """
    now = now or timezone.now()
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, started_at__lt=now - STALE_SENDING
    )
    stale.filter(attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED,
        error=_("The worker sending this delivery stopped."),
        finished_at=now,
    )
    stale.update(status=DeliveryStatus.RETRYING, next_attempt_at=None)
    due = Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, created_at__lt=now - STALE_QUEUED)
        | Q(status=DeliveryStatus.RETRYING, next_attempt_at__isnull=True)
        | Q(status=DeliveryStatus.RETRYING, next_attempt_at__lt=now - STALE_QUEUED)
    ).order_by("created_at")
    ids = list(due.values_list("pk", flat=True)[:500])
    return deliveries_enqueue(delivery_ids=ids) if ids else 0
