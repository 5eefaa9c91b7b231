"""API URLs of the crisis center (under /api/v1/)."""

from django.urls import path

from . import apis

urlpatterns = [
    path("crises/", apis.CrisisListApi.as_view(), name="crisis-list"),
    path("crises/<int:crisis_id>/", apis.CrisisDetailApi.as_view(), name="crisis-detail"),
    path(
        "crises/<int:crisis_id>/timeline/",
        apis.CrisisTimelineApi.as_view(),
        name="crisis-timeline",
    ),
    path(
        "crises/<int:crisis_id>/comments/",
        apis.CrisisCommentApi.as_view(),
        name="crisis-comments",
    ),
    path("crises/<int:crisis_id>/status/", apis.CrisisStatusApi.as_view(), name="crisis-status"),
    path("crises/<int:crisis_id>/assign/", apis.CrisisAssignApi.as_view(), name="crisis-assign"),
    path("crises/<int:crisis_id>/resolve/", apis.CrisisResolveApi.as_view(), name="crisis-resolve"),
    path("crises/<int:crisis_id>/reopen/", apis.CrisisReopenApi.as_view(), name="crisis-reopen"),
    path(
        "crises/<int:crisis_id>/playbooks/",
        apis.CrisisPlaybookListApi.as_view(),
        name="crisis-playbooks",
    ),
    path(
        "crises/<int:crisis_id>/actions/",
        apis.CrisisActionListApi.as_view(),
        name="crisis-actions",
    ),
    path(
        "crisis-actions/<int:action_id>/approve/",
        apis.CrisisActionApproveApi.as_view(),
        name="crisis-action-approve",
    ),
    path(
        "crisis-actions/<int:action_id>/reject/",
        apis.CrisisActionRejectApi.as_view(),
        name="crisis-action-reject",
    ),
    path("alerts/", apis.AlertListApi.as_view(), name="alert-list"),
    path("alerts/<int:alert_id>/", apis.AlertDetailApi.as_view(), name="alert-detail"),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        apis.AlertAcknowledgeApi.as_view(),
        name="alert-acknowledge",
    ),
    path("alerts/<int:alert_id>/snooze/", apis.AlertSnoozeApi.as_view(), name="alert-snooze"),
    path("alerts/<int:alert_id>/resolve/", apis.AlertResolveApi.as_view(), name="alert-resolve"),
    path("crisis-settings/", apis.CrisisSettingsApi.as_view(), name="crisis-settings"),
    path("crisis-scans/", apis.CrisisScanApi.as_view(), name="crisis-scans"),
]
