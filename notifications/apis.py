"""Notification API: my notifications and preferences (any member), the merchant's channels
(owners and managers). Thin views over `notifications.services`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response

from accounts.permissions import MANAGE_CHANNELS, VIEW, IsMerchantMember, role_can
from core.api.views import ApiView, MerchantScopedMixin

from . import services
from .events import EVENTS
from .models import Channel, Delivery, Notification
from .selectors import (
    channel_deliveries,
    channel_get,
    channels_for,
    notification_unread_count,
    notifications_for,
    preferences_for,
)
from .serializers import (
    ChannelCreateInputSerializer,
    ChannelOutputSerializer,
    ChannelUpdateInputSerializer,
    DeliveryOutputSerializer,
    MarkedOutputSerializer,
    NotificationOutputSerializer,
    PreferenceInputSerializer,
    PreferenceOutputSerializer,
    UnreadCountOutputSerializer,
)

NOTIFICATIONS = ["notifications"]
CHANNELS = ["notification channels"]


class CanManageChannels(permissions.BasePermission):
    """Channels hold the team's chat credentials: reads and writes need MANAGE_CHANNELS."""

    message = _("Your role does not allow managing notification channels.")

    def has_permission(self, request, view) -> bool:
        membership = getattr(request, "membership", None)
        return membership is not None and role_can(membership.role, MANAGE_CHANNELS)


# --- My notifications ----------------------------------------------------------------------------


class NotificationListApi(MerchantScopedMixin, ApiView):
    """My notifications in the merchant, newest first. `unread=true` lists the unread only."""

    queryset = Notification.objects.none()
    serializer_class = NotificationOutputSerializer
    filter_backends: list = []

    def get_merchant_queryset(self):
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return notifications_for(user=self.request.user, merchant=self.merchant, unread_only=unread)

    @extend_schema(
        summary="List my notifications",
        tags=NOTIFICATIONS,
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Unread only.")],
        responses=NotificationOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class NotificationUnreadCountApi(MerchantScopedMixin, ApiView):
    """How many of my notifications in the merchant are unread (what the bell shows)."""

    queryset = Notification.objects.none()
    serializer_class = UnreadCountOutputSerializer
    filter_backends: list = []

    def get_merchant_queryset(self):
        return Notification.objects.none()

    @extend_schema(summary="Count my unread notifications", tags=NOTIFICATIONS)
    def get(self, request):
        count = notification_unread_count(user=request.user, merchant=self.merchant)
        return Response({"unread": count})


class NotificationReadApi(MerchantScopedMixin, ApiView):
    """Mark one of my notifications read (again: no change). Anyone else's id is a 404."""

    queryset = Notification.objects.none()
    serializer_class = NotificationOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "notification_id"
    write_action = VIEW

    def get_merchant_queryset(self):
        return notifications_for(user=self.request.user, merchant=self.merchant)

    @extend_schema(summary="Mark a notification read", tags=NOTIFICATIONS, request=None)
    def post(self, request, notification_id: int):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)


class NotificationReadAllApi(MerchantScopedMixin, ApiView):
    queryset = Notification.objects.none()
    serializer_class = MarkedOutputSerializer
    filter_backends: list = []
    write_action = VIEW

    def get_merchant_queryset(self):
        return Notification.objects.none()

    @extend_schema(summary="Mark all my notifications read", tags=NOTIFICATIONS, request=None)
    def post(self, request):
        marked = services.notifications_mark_all_read(user=request.user, merchant=self.merchant)
        return Response({"marked": marked})


class NotificationPreferencesApi(MerchantScopedMixin, ApiView):
    """My channels per event: `in_app` (the bell) and `email`. Events left out keep theirs."""

    queryset = Notification.objects.none()
    serializer_class = PreferenceOutputSerializer
    filter_backends: list = []
    pagination_class = None
    write_action = VIEW

    def get_merchant_queryset(self):
        return Notification.objects.none()

    def _answer(self):
        choices = preferences_for(user=self.request.user, merchant=self.merchant)
        rows = [
            {
                "event": code,
                "label": str(event.label),
                "audience": str(event.audience),
                "in_app": "in_app" in choices[code],
                "email": "email" in choices[code],
            }
            for code, event in EVENTS.items()
        ]
        return Response(PreferenceOutputSerializer(rows, many=True).data)

    @extend_schema(
        summary="Get my notification preferences",
        tags=NOTIFICATIONS,
        responses=PreferenceOutputSerializer(many=True),
    )
    def get(self, request):
        return self._answer()

    @extend_schema(
        summary="Set my notification preferences",
        description="A JSON array of `{event, in_app, email}`; events not sent keep their setting.",
        tags=NOTIFICATIONS,
        request=PreferenceInputSerializer(many=True),
        responses=PreferenceOutputSerializer(many=True),
    )
    def put(self, request):
        rows = self.input_serializer(PreferenceInputSerializer, many=True).validated_data
        services.preferences_save(
            user=request.user,
            merchant=self.merchant,
            choices={
                row["event"]: {channel for channel in ("in_app", "email") if row[channel]}
                for row in rows
            },
        )
        return self._answer()


# --- Channels ------------------------------------------------------------------------------------


class _ChannelApi(MerchantScopedMixin, ApiView):
    permission_classes = [IsMerchantMember, CanManageChannels]
    queryset = Channel.objects.none()
    serializer_class = ChannelOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "channel_id"
    write_action = MANAGE_CHANNELS

    def get_merchant_queryset(self):
        return channels_for(merchant=self.merchant)


class ChannelListApi(_ChannelApi):
    """The merchant's notification channels (owners and managers only)."""

    @extend_schema(
        summary="List notification channels",
        tags=CHANNELS,
        responses=ChannelOutputSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add a notification channel",
        description="`kind` email needs `recipients`; webhook kinds need `url` (a public "
        "http(s) address). `webhook` needs a `secret` of 16+ characters; DingTalk and Feishu "
        "accept an optional one. `events` defaults to failures, alerts and crises.",
        tags=CHANNELS,
        request=ChannelCreateInputSerializer,
        responses={201: ChannelOutputSerializer},
    )
    def post(self, request):
        data = dict(self.input_serializer(ChannelCreateInputSerializer).validated_data)
        data.pop("clear_secret", None)
        channel = services.channel_create(merchant=self.merchant, created_by=request.user, **data)
        return Response(self.get_serializer(channel).data, status=201)


class ChannelDetailApi(_ChannelApi):
    @extend_schema(summary="Get a notification channel", tags=CHANNELS)
    def get(self, request, channel_id: int):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Change a notification channel",
        description="Fields left out keep their value; a blank `url` or `secret` keeps the "
        "stored one.",
        tags=CHANNELS,
        request=ChannelUpdateInputSerializer,
        responses=ChannelOutputSerializer,
    )
    def patch(self, request, channel_id: int):
        channel = self.get_object()
        data = self.input_serializer(ChannelUpdateInputSerializer, partial=True).validated_data
        channel = services.channel_update(channel=channel, **data)
        return Response(self.get_serializer(channel).data)

    @extend_schema(summary="Delete a notification channel", tags=CHANNELS, responses={204: None})
    def delete(self, request, channel_id: int):
        services.channel_delete(channel=self.get_object())
        return Response(status=204)


class ChannelTestApi(_ChannelApi):
    serializer_class = DeliveryOutputSerializer

    @extend_schema(
        summary="Send a test message",
        description="Queues one test delivery (sent once, even to a disabled channel); "
        "follow its result in the channel's deliveries.",
        tags=CHANNELS,
        request=None,
        responses={202: DeliveryOutputSerializer},
    )
    def post(self, request, channel_id: int):
        delivery = services.channel_send_test(channel=self.get_object(), user=request.user)
        delivery.refresh_from_db()
        return Response(self.get_serializer(delivery).data, status=202)


class ChannelEnableApi(_ChannelApi):
    @extend_schema(
        summary="Re-enable a disabled channel",
        tags=CHANNELS,
        request=None,
        responses=ChannelOutputSerializer,
    )
    def post(self, request, channel_id: int):
        channel = services.channel_enable(channel=self.get_object())
        return Response(self.get_serializer(channel).data)


class ChannelDeliveryListApi(_ChannelApi):
    """Every send to the channel, newest first: status, response code, latency, error."""

    queryset = Delivery.objects.none()
    serializer_class = DeliveryOutputSerializer

    def get_merchant_queryset(self):
        channel = channel_get(merchant=self.merchant, channel_id=self.kwargs["channel_id"])
        return channel_deliveries(channel=channel)

    @extend_schema(
        summary="List a channel's deliveries",
        tags=CHANNELS,
        responses=DeliveryOutputSerializer(many=True),
    )
    def get(self, request, channel_id: int):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
