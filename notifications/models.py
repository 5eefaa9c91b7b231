"""Notifications: what a user sees in the portal, what they chose to receive, and every send.

`Notification` is one in-app message for one user of one merchant. `NotificationPreference`
holds a user's choice for one event (no row = the event's defaults). `Channel` is a merchant's
outside destination (email addresses or a webhook of some kind, see `transports`), and
`Delivery` is one attempt-tracked send to a user's email address or to a channel: every send
leaves one, successful or not.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class NotificationQuerySet(models.QuerySet):
    def for_user(self, *, user, merchant):
        return self.filter(recipient=user, merchant=merchant)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("merchant"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's unread count and the list: one user in one merchant, unread first.
            models.Index(
                fields=["recipient", "merchant", "read_at"], name="notif_recipient_unread"
            ),
            models.Index(
                fields=["recipient", "merchant", "-created_at"], name="notif_recipient_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(TimeStampedModel):
    """A user's channels for one event in one merchant. Absent row = the event's defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("merchant"),
    )
    event = models.CharField(_("event"), max_length=40)
    in_app = models.BooleanField(_("in the portal"), default=True)
    email = models.BooleanField(_("by email"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "merchant", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "merchant", "event"], name="notif_pref_user_merchant_event_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.merchant}: {self.event}"


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook (signed JSON)")
    SLACK = "slack", _("Slack")
    DINGTALK = "dingtalk", _("DingTalk")
    FEISHU = "feishu", _("Feishu / Lark")
    WECOM = "wecom", _("WeCom")


class ChannelQuerySet(models.QuerySet):
    def for_merchant(self, merchant):
        return self.filter(merchant=merchant)


class Channel(TimeStampedModel):
    """A merchant's destination for notifications: email addresses or a webhook.

    `config` holds `url` (webhook kinds) or `recipients` (email); `secret` (signing secret) is
    stored apart and never rendered. Webhook URLs embed the chat's token, so pages show them
    masked (`url_display`) and forms never fill them back in.
    """

    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="notification_channels",
        verbose_name=_("merchant"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    config = models.JSONField(_("configuration"), default=dict, blank=True)
    secret = models.CharField(_("signing secret"), max_length=300, blank=True)
    events = models.JSONField(_("events posted"), default=list, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=500, blank=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_delivery_at = models.DateTimeField(_("last successful delivery"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def url(self) -> str:
        return str((self.config or {}).get("url", ""))

    @property
    def recipients(self) -> list[str]:
        return list((self.config or {}).get("recipients", []))

    @property
    def has_secret(self) -> bool:
        return bool(self.secret)

    @property
    def url_display(self) -> str:
        return mask_url(self.url)

    @property
    def target_display(self) -> str:
        if self.kind == ChannelKind.EMAIL:
            return ", ".join(self.recipients)
        return self.url_display

    def posts(self, event: str) -> bool:
        return event in (self.events or [])


def mask_url(url: str) -> str:
    """Scheme and host of a URL, the rest hidden: chat webhook URLs carry their token."""
    if not url:
        return ""
    parts = urlsplit(url)
    if not parts.netloc:
        return "••••"
    return f"{parts.scheme}://{parts.netloc}/••••"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Retrying")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


OPEN_DELIVERY_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class Delivery(models.Model):
    """One message to one destination (a channel, or a user's email), with every attempt's fate.

    The message itself (event, title, body, link) is copied in, so a delivery can be sent and
    retried on its own and the log shows what was sent.
    """

    merchant = models.ForeignKey(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
        verbose_name=_("merchant"),
    )
    channel = models.ForeignKey(
        Channel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("channel"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_deliveries",
        verbose_name=_("recipient"),
    )
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    address = models.CharField(_("email address"), max_length=254, blank=True)
    event = models.CharField(_("event"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    is_test = models.BooleanField(_("test"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    request_summary = models.CharField(_("request"), max_length=500, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["channel", "-created_at"], name="delivery_channel_recent"),
            models.Index(fields=["status", "created_at"], name="delivery_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.destination} ({self.get_status_display()})"

    @property
    def event_label(self) -> str:
        from .events import event_label

        return event_label(self.event)

    @property
    def destination(self) -> str:
        if self.channel_id:
            return self.channel.name
        return self.address
