from django.urls import path

from . import apis

urlpatterns = [
    path("notifications/", apis.NotificationListApi.as_view(), name="notification-list"),
    path(
        "notifications/unread-count/",
        apis.NotificationUnreadCountApi.as_view(),
        name="notification-unread-count",
    ),
    path(
        "notifications/read-all/",
        apis.NotificationReadAllApi.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        apis.NotificationReadApi.as_view(),
        name="notification-read",
    ),
    path(
        "notification-preferences/",
        apis.NotificationPreferencesApi.as_view(),
        name="notification-preferences",
    ),
    path(
        "notification-channels/",
        apis.ChannelListApi.as_view(),
        name="notification-channel-list",
    ),
    path(
        "notification-channels/<int:channel_id>/",
        apis.ChannelDetailApi.as_view(),
        name="notification-channel-detail",
    ),
    path(
        "notification-channels/<int:channel_id>/test/",
        apis.ChannelTestApi.as_view(),
        name="notification-channel-test",
    ),
    path(
        "notification-channels/<int:channel_id>/enable/",
        apis.ChannelEnableApi.as_view(),
        name="notification-channel-enable",
    ),
    path(
        "notification-channels/<int:channel_id>/deliveries/",
        apis.ChannelDeliveryListApi.as_view(),
        name="notification-channel-deliveries",
    ),
]
