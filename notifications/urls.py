from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("bell/count/", views.notification_bell_count, name="notification-bell-count"),
    path("bell/menu/", views.notification_bell_menu, name="notification-bell-menu"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("preferences/", views.notification_preferences, name="notification-preferences"),
    path("<int:notification_id>/open/", views.notification_open, name="notification-open"),
    path("<int:notification_id>/read/", views.notification_read, name="notification-read"),
    path("channels/", views.channel_list, name="notification-channel-list"),
    path("channels/new/", views.channel_create, name="notification-channel-create"),
    path("channels/<int:channel_id>/", views.channel_detail, name="notification-channel-detail"),
    path("channels/<int:channel_id>/edit/", views.channel_edit, name="notification-channel-edit"),
    path(
        "channels/<int:channel_id>/delete/",
        views.channel_delete,
        name="notification-channel-delete",
    ),
    path("channels/<int:channel_id>/test/", views.channel_test, name="notification-channel-test"),
    path(
        "channels/<int:channel_id>/enable/",
        views.channel_enable,
        name="notification-channel-enable",
    ),
]
