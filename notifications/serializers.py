"""API serializers of the notification center: input (validation) and output kept apart.

Channel secrets and webhook URLs are write-only: answers say whether a secret is set and show
the URL's host only (chat webhook URLs carry their token).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .events import CHANNEL_EVENT_CHOICES, EVENT_CHOICES
from .models import Channel, ChannelKind, Delivery, Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class UnreadCountOutputSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were marked read."))


class PreferenceOutputSerializer(serializers.Serializer):
    event = serializers.CharField()
    label = serializers.CharField()
    audience = serializers.CharField(help_text=_("Who gets this event."))
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class PreferenceInputSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=EVENT_CHOICES)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class ChannelOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text=_("Scheme and host only: the rest of a webhook URL is its token.")
    )
    recipients = serializers.ListField(child=serializers.EmailField(), read_only=True)
    has_secret = serializers.BooleanField(read_only=True)

    class Meta:
        model = Channel
        fields = [
            "id",
            "kind",
            "name",
            "url",
            "recipients",
            "has_secret",
            "events",
            "enabled",
            "disabled_reason",
            "disabled_at",
            "last_error",
            "last_error_at",
            "last_delivery_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_url(self, channel: Channel) -> str:
        return channel.url_display


class ChannelUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    url = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("Webhook kinds: the URL to POST to. Blank or absent keeps the stored one."),
    )
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=254),
        required=False,
        max_length=20,
        help_text=_("Email channels: the addresses to write to."),
    )
    secret = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_(
            "Signing secret (webhook: required, DingTalk/Feishu: optional). Never returned."
        ),
    )
    clear_secret = serializers.BooleanField(
        required=False, default=False, help_text=_("Remove an optional signing secret.")
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNEL_EVENT_CHOICES), required=False
    )


class ChannelCreateInputSerializer(ChannelUpdateInputSerializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    name = serializers.CharField(max_length=100)


class DeliveryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "title",
            "is_test",
            "status",
            "attempts",
            "response_code",
            "latency_ms",
            "error",
            "request_summary",
            "response_excerpt",
            "created_at",
            "started_at",
            "next_attempt_at",
            "finished_at",
        ]
        read_only_fields = fields
