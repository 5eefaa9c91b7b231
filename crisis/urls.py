"""Portal URLs of the crisis center (under /crisis/)."""

from django.urls import path

from . import export_views, views

urlpatterns = [
    path("", views.crisis_board_view, name="crisis-board"),
    path("scan/", views.crisis_scan_now, name="crisis-scan"),
    path("settings/", views.crisis_settings_view, name="crisis-settings"),
    path("alerts/", views.alert_list_view, name="alert-list"),
    path(
        "alerts.csv",
        export_views.alert_export_view,
        {"export_format": "csv"},
        name="alert-export-csv",
    ),
    path(
        "alerts.xlsx",
        export_views.alert_export_view,
        {"export_format": "xlsx"},
        name="alert-export-xlsx",
    ),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert-detail"),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        views.alert_acknowledge_view,
        name="alert-acknowledge",
    ),
    path("alerts/<int:alert_id>/snooze/", views.alert_snooze_view, name="alert-snooze"),
    path("alerts/<int:alert_id>/resolve/", views.alert_resolve_view, name="alert-resolve"),
    path("<int:crisis_id>/", views.crisis_detail, name="crisis-detail"),
    path("<int:crisis_id>/acknowledge/", views.crisis_acknowledge_view, name="crisis-acknowledge"),
    path("<int:crisis_id>/comment/", views.crisis_comment_view, name="crisis-comment"),
    path("<int:crisis_id>/status/", views.crisis_status_view, name="crisis-status"),
    path("<int:crisis_id>/assign/", views.crisis_assign_view, name="crisis-assign"),
    path("<int:crisis_id>/resolve/", views.crisis_resolve_view, name="crisis-resolve"),
    path("<int:crisis_id>/reopen/", views.crisis_reopen_view, name="crisis-reopen"),
    path(
        "<int:crisis_id>/playbook/",
        views.crisis_playbook_section,
        name="crisis-playbook-section",
    ),
    path(
        "<int:crisis_id>/playbook/draft/",
        views.crisis_playbook_draft,
        name="crisis-playbook-draft",
    ),
    path(
        "<int:crisis_id>/actions/",
        views.crisis_action_propose,
        name="crisis-action-propose",
    ),
    path(
        "actions/<int:action_id>/approve/",
        views.crisis_action_approve,
        name="crisis-action-approve",
    ),
    path(
        "actions/<int:action_id>/reject/",
        views.crisis_action_reject,
        name="crisis-action-reject",
    ),
]
