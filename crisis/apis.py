"""Crisis center API: crises (board, detail, timeline, comments, status, owner, resolve, reopen),
playbooks and actions, alerts (acknowledge, snooze, resolve), settings and scans.

Thin views over `crisis.selectors`, `crisis.services`, `crisis.services.actions` and
`crisis.playbooks`, scoped to one merchant (another merchant's id is a 404). Every member reads;
responding (comments, status, alerts, playbooks, proposing actions, scans) needs
RESPOND_CRISES, deciding (owner, resolve, reopen, approving actions, settings) MANAGE_CRISES.
A refused change answers the shared error shape with the service's code (`CrisisError`).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.permissions import MANAGE_CRISES, RESPOND_CRISES
from core.api.errors import ApiError
from core.api.views import ApiView, MerchantScopedMixin
from jobs.serializers import JobOutputSerializer

from .filters import AlertFilter, CrisisFilter
from .models import Alert, Crisis, CrisisAction, CrisisEvent, CrisisSettings, Playbook
from .playbooks.generate import playbook_request
from .selectors.crises import (
    alert_get,
    alert_list,
    crisis_board,
    crisis_get,
    crisis_timeline,
)
from .selectors.playbooks import actions_for, playbooks_for
from .serializers import (
    ActionProposeInputSerializer,
    AlertOutputSerializer,
    AssignInputSerializer,
    CommentInputSerializer,
    CrisisActionOutputSerializer,
    CrisisDetailOutputSerializer,
    CrisisEventOutputSerializer,
    CrisisOutputSerializer,
    CrisisSettingsInputSerializer,
    CrisisSettingsOutputSerializer,
    PlaybookOutputSerializer,
    RejectInputSerializer,
    ResolveInputSerializer,
    SnoozeInputSerializer,
    StatusInputSerializer,
)
from .services import (
    alert_acknowledge,
    alert_resolve,
    alert_snooze,
    crisis_assign,
    crisis_comment,
    crisis_reopen,
    crisis_resolve,
    crisis_scan_start,
    crisis_settings_get,
    crisis_settings_update,
    crisis_status_set,
)
from .services.actions import action_approve, action_propose, action_reject
from .views import with_alert_kinds

CRISES = ["crises"]
ALERTS = ["crisis alerts"]
PLAYBOOKS = ["crisis playbooks and actions"]
SETTINGS = ["crisis settings"]


def _refused(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=None, description=description)


CONFLICT = _refused(
    gettext_lazy(
        "The record's state refuses the change (`error.code`, e.g. crisis_resolved, "
        "invalid_transition, alert_resolved)."
    )
)


class _CrisisApi(MerchantScopedMixin, ApiView):
    """A view about one crisis of the merchant (`crisis_id`)."""

    queryset = Crisis.objects.none()
    filter_backends: list = []
    lookup_url_kwarg = "crisis_id"

    def get_merchant_queryset(self):
        return crisis_board(merchant=self.merchant, status=None)

    def crisis(self) -> Crisis:
        return crisis_get(merchant=self.merchant, crisis_id=self.kwargs["crisis_id"])

    def detail(self, crisis: Crisis, *, http_status: int = status.HTTP_200_OK) -> Response:
        crisis = crisis_get(merchant=self.merchant, crisis_id=crisis.pk)
        data = CrisisDetailOutputSerializer(crisis, context=self.get_serializer_context()).data
        return Response(data, status=http_status)


# --- Crises --------------------------------------------------------------------------------------


class CrisisListApi(MerchantScopedMixin, ApiView):
    """The crisis board: open crises, most money at risk first.

    Filters: `status` (open, the default, or one status), `severity`, `owner`, `product`.
    Page-number pagination: `page`, `page_size`.
    """

    queryset = Crisis.objects.none()
    serializer_class = CrisisOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CrisisFilter

    def get_merchant_queryset(self):
        return crisis_board(merchant=self.merchant)

    @extend_schema(summary="List crises", tags=CRISES, responses=CrisisOutputSerializer(many=True))
    def get(self, request):
        crises = with_alert_kinds(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(crises)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CrisisDetailApi(_CrisisApi):
    """One crisis with its alerts, SLA, metrics and post-mortem."""

    serializer_class = CrisisDetailOutputSerializer

    @extend_schema(summary="Get a crisis", tags=CRISES)
    def get(self, request, crisis_id: int):
        return self.detail(self.crisis())


class CrisisTimelineApi(_CrisisApi):
    """The crisis's timeline, oldest first: alerts, status and owner changes, comments,
    playbooks, actions, notifications sent, SLA breaches."""

    queryset = CrisisEvent.objects.none()
    serializer_class = CrisisEventOutputSerializer

    @extend_schema(
        summary="List a crisis's timeline",
        tags=CRISES,
        responses=CrisisEventOutputSerializer(many=True),
    )
    def get(self, request, crisis_id: int):
        page = self.paginate_queryset(crisis_timeline(crisis=self.crisis()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CrisisCommentApi(_CrisisApi):
    """Add a comment to the crisis's timeline."""

    queryset = CrisisEvent.objects.none()
    serializer_class = CrisisEventOutputSerializer
    write_action = RESPOND_CRISES

    @extend_schema(
        summary="Comment on a crisis",
        description="Owners, managers and analysts. 400 `empty_comment` / `invalid`.",
        tags=CRISES,
        request=CommentInputSerializer,
        responses={201: CrisisEventOutputSerializer},
    )
    def post(self, request, crisis_id: int):
        crisis = self.crisis()
        data = self.input_serializer(CommentInputSerializer).validated_data
        event = crisis_comment(crisis=crisis, user=request.user, text=data["text"])
        event = CrisisEvent.objects.select_related("actor").get(pk=event.pk)
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)


class CrisisStatusApi(_CrisisApi):
    serializer_class = CrisisDetailOutputSerializer
    write_action = RESPOND_CRISES

    @extend_schema(
        summary="Change a crisis's status",
        description=(
            "detected → investigating → mitigating → monitoring, and back from mitigating or "
            "monitoring; resolving asks for a post-mortem (`resolve/`). 409 "
            "`invalid_transition`, `crisis_resolved`, `postmortem_required`. Owners, managers "
            "and analysts."
        ),
        tags=CRISES,
        request=StatusInputSerializer,
        responses={200: CrisisDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, crisis_id: int):
        crisis = self.crisis()
        data = self.input_serializer(StatusInputSerializer).validated_data
        crisis = crisis_status_set(crisis=crisis, status=data["status"], user=request.user)
        return self.detail(crisis)


class CrisisAssignApi(_CrisisApi):
    serializer_class = CrisisDetailOutputSerializer
    write_action = MANAGE_CRISES

    @extend_schema(
        summary="Assign a crisis's owner",
        description=(
            "`owner`: the user id of a member of the merchant (null: nobody); the new owner is "
            "notified. 409 `crisis_resolved`. Owners and managers."
        ),
        tags=CRISES,
        request=AssignInputSerializer,
        responses={200: CrisisDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, crisis_id: int):
        crisis = self.crisis()
        data = self.input_serializer(AssignInputSerializer).validated_data
        crisis = crisis_assign(crisis=crisis, owner=data["owner"], user=request.user)
        return self.detail(crisis)


class CrisisResolveApi(_CrisisApi):
    serializer_class = CrisisDetailOutputSerializer
    write_action = MANAGE_CRISES

    @extend_schema(
        summary="Resolve a crisis with its post-mortem",
        description=(
            "`cause` is required; `worked` and `followups` are kept when given. Resolves the "
            "crisis's live alerts too. 400 `postmortem_required`, 409 `crisis_resolved`. Owners "
            "and managers."
        ),
        tags=CRISES,
        request=ResolveInputSerializer,
        responses={200: CrisisDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, crisis_id: int):
        crisis = self.crisis()
        data = self.input_serializer(ResolveInputSerializer).validated_data
        crisis = crisis_resolve(crisis=crisis, user=request.user, **data)
        return self.detail(crisis)


class CrisisReopenApi(_CrisisApi):
    serializer_class = CrisisDetailOutputSerializer
    write_action = MANAGE_CRISES

    @extend_schema(
        summary="Reopen a resolved crisis",
        description=(
            "Back to investigating with a fresh resolve deadline. 409 `not_resolved`, "
            "`group_has_open_crisis` (a newer crisis of the same product is open). Owners and "
            "managers."
        ),
        tags=CRISES,
        request=None,
        responses={200: CrisisDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, crisis_id: int):
        crisis = crisis_reopen(crisis=self.crisis(), user=request.user)
        return self.detail(crisis)


# --- Playbooks and actions -----------------------------------------------------------------------


class CrisisPlaybookListApi(_CrisisApi):
    """The crisis's playbooks, newest first; POST asks the language model for a new one."""

    queryset = Playbook.objects.none()
    serializer_class = PlaybookOutputSerializer
    write_action = RESPOND_CRISES

    @extend_schema(
        summary="List a crisis's playbooks",
        tags=PLAYBOOKS,
        responses=PlaybookOutputSerializer(many=True),
    )
    def get(self, request, crisis_id: int):
        page = self.paginate_queryset(playbooks_for(crisis=self.crisis()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Draft a playbook",
        description=(
            "Starts a job on the llm queue (202 with the job; follow it on `jobs/{job_id}/`). "
            "The playbook is drafted from the crisis's evidence only and proposes actions that "
            "wait for a manager. 409 `crisis_resolved` or `playbook_running`. Owners, managers "
            "and analysts."
        ),
        tags=PLAYBOOKS,
        request=None,
        responses={202: JobOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, crisis_id: int):
        job = playbook_request(crisis=self.crisis(), user=request.user)
        job.refresh_from_db()
        return Response(JobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class CrisisActionListApi(_CrisisApi):
    """The crisis's actions in the order they were proposed; POST proposes one."""

    queryset = CrisisAction.objects.none()
    serializer_class = CrisisActionOutputSerializer
    write_action = RESPOND_CRISES

    @extend_schema(
        summary="List a crisis's actions",
        tags=PLAYBOOKS,
        responses=CrisisActionOutputSerializer(many=True),
    )
    def get(self, request, crisis_id: int):
        page = self.paginate_queryset(actions_for(crisis=self.crisis()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Propose an action",
        description=(
            "A proposal only: nothing happens until an owner or a manager approves it. "
            "Owners, managers and analysts. 400 `invalid_action` for missing or bad `params`."
        ),
        tags=PLAYBOOKS,
        request=ActionProposeInputSerializer,
        responses={201: CrisisActionOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, crisis_id: int):
        crisis = self.crisis()
        data = self.input_serializer(ActionProposeInputSerializer).validated_data
        action = action_propose(crisis=crisis, user=request.user, **data)
        return Response(self.get_serializer(action).data, status=status.HTTP_201_CREATED)


class _ActionApi(MerchantScopedMixin, ApiView):
    queryset = CrisisAction.objects.none()
    serializer_class = CrisisActionOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "action_id"
    write_action = MANAGE_CRISES

    def get_merchant_queryset(self):
        return CrisisAction.objects.filter(merchant=self.merchant).select_related("crisis")

    def action(self) -> CrisisAction:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["action_id"])


class CrisisActionApproveApi(_ActionApi):
    @extend_schema(
        summary="Approve an action",
        description=(
            "Applies it inside EcomOps only (a purchase suggestion, a recorded price change, a "
            "listing draft, a reply draft); `status` becomes applied, or failed with `error`. "
            "409 `action_decided` when it is no longer proposed. Owners and managers."
        ),
        tags=PLAYBOOKS,
        request=None,
        responses={200: CrisisActionOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, action_id: int):
        action = action_approve(action=self.action(), user=request.user)
        return Response(self.get_serializer(action).data)


class CrisisActionRejectApi(_ActionApi):
    @extend_schema(
        summary="Reject an action",
        description="`reason` is optional. 409 `action_decided`. Owners and managers.",
        tags=PLAYBOOKS,
        request=RejectInputSerializer,
        responses={200: CrisisActionOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, action_id: int):
        action = self.action()
        data = self.input_serializer(RejectInputSerializer).validated_data
        action = action_reject(action=action, user=request.user, reason=data["reason"])
        return Response(self.get_serializer(action).data)


# --- Alerts --------------------------------------------------------------------------------------


class AlertListApi(MerchantScopedMixin, ApiView):
    """Alerts, most money at risk first (by default the live ones: open and acknowledged).

    Filters: `kind`, `status`, `severity`, `product`, `sku`, `snoozed`. Page-number
    pagination: `page`, `page_size`.
    """

    queryset = Alert.objects.none()
    serializer_class = AlertOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AlertFilter

    def get_merchant_queryset(self):
        return alert_list(merchant=self.merchant)

    @extend_schema(summary="List alerts", tags=ALERTS, responses=AlertOutputSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class _AlertApi(MerchantScopedMixin, ApiView):
    queryset = Alert.objects.none()
    serializer_class = AlertOutputSerializer
    filter_backends: list = []
    lookup_url_kwarg = "alert_id"
    write_action = RESPOND_CRISES

    def get_merchant_queryset(self):
        return alert_list(merchant=self.merchant)

    def alert(self) -> Alert:
        return alert_get(merchant=self.merchant, alert_id=self.kwargs["alert_id"])

    def answer(self, alert: Alert) -> Response:
        alert = alert_get(merchant=self.merchant, alert_id=alert.pk)
        return Response(self.get_serializer(alert).data)


class AlertDetailApi(_AlertApi):
    """One alert with the detector's evidence."""

    @extend_schema(summary="Get an alert", tags=ALERTS)
    def get(self, request, alert_id: int):
        return self.answer(self.alert())


class AlertAcknowledgeApi(_AlertApi):
    @extend_schema(
        summary="Acknowledge an alert",
        description="open → acknowledged (already acknowledged: unchanged). 409 "
        "`alert_resolved`. Owners, managers and analysts.",
        tags=ALERTS,
        request=None,
        responses={200: AlertOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, alert_id: int):
        return self.answer(alert_acknowledge(alert=self.alert(), user=request.user))


class AlertSnoozeApi(_AlertApi):
    @extend_schema(
        summary="Snooze an alert",
        description=(
            "`until` (a moment within 90 days) or `days`. A snoozed alert stays live and "
            "counts in its crisis but notifies nobody; snoozing an open alert acknowledges it. "
            "409 `alert_resolved`. Owners, managers and analysts."
        ),
        tags=ALERTS,
        request=SnoozeInputSerializer,
        responses={200: AlertOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, alert_id: int):
        alert = self.alert()
        data = self.input_serializer(SnoozeInputSerializer).validated_data
        return self.answer(alert_snooze(alert=alert, user=request.user, until=data["until"]))


class AlertResolveApi(_AlertApi):
    @extend_schema(
        summary="Resolve an alert",
        description=(
            "A person closes the alert; if the condition is still there the next scan opens a "
            "new one. 409 `alert_resolved`. Owners, managers and analysts."
        ),
        tags=ALERTS,
        request=None,
        responses={200: AlertOutputSerializer, 409: CONFLICT},
    )
    def post(self, request, alert_id: int):
        return self.answer(alert_resolve(alert=self.alert(), user=request.user))


# --- Settings and scans --------------------------------------------------------------------------


class CrisisSettingsApi(MerchantScopedMixin, ApiView):
    """Detector thresholds, SLA hours per severity and scheduled scans (defaults until first
    changed)."""

    queryset = CrisisSettings.objects.none()
    serializer_class = CrisisSettingsOutputSerializer
    filter_backends: list = []
    pagination_class = None
    write_action = MANAGE_CRISES

    def get_merchant_queryset(self):
        return CrisisSettings.objects.filter(merchant=self.merchant)

    @extend_schema(summary="Get the crisis settings", tags=SETTINGS)
    def get(self, request):
        return Response(self.get_serializer(crisis_settings_get(merchant=self.merchant)).data)

    @extend_schema(
        summary="Replace the crisis settings",
        description=(
            "`thresholds` and `sla_hours` replace the stored overrides (`{}`: all defaults). "
            "400 `invalid_thresholds` / `invalid_sla_hours` naming the bad key; nothing is "
            "saved then. Owners and managers."
        ),
        tags=SETTINGS,
        request=CrisisSettingsInputSerializer,
        responses=CrisisSettingsOutputSerializer,
    )
    def put(self, request):
        data = self.input_serializer(CrisisSettingsInputSerializer).validated_data
        settings = crisis_settings_update(
            merchant=self.merchant,
            thresholds=data.get("thresholds", {}),
            sla_hours=data.get("sla_hours", {}),
            scans_enabled=data.get("scans_enabled", True),
        )
        return Response(self.get_serializer(settings).data)

    @extend_schema(
        summary="Change some crisis settings",
        description=(
            "Fields left out keep their value; a field sent replaces its stored overrides. "
            "Owners and managers."
        ),
        tags=SETTINGS,
        request=CrisisSettingsInputSerializer,
        responses=CrisisSettingsOutputSerializer,
    )
    def patch(self, request):
        data = self.input_serializer(CrisisSettingsInputSerializer, partial=True).validated_data
        settings = crisis_settings_update(
            merchant=self.merchant,
            thresholds=data.get("thresholds"),
            sla_hours=data.get("sla_hours"),
            scans_enabled=data.get("scans_enabled"),
        )
        return Response(self.get_serializer(settings).data)


class CrisisScanApi(MerchantScopedMixin, ApiView):
    """Start a scan of the store now."""

    queryset = CrisisSettings.objects.none()
    serializer_class = JobOutputSerializer
    filter_backends: list = []
    pagination_class = None
    write_action = RESPOND_CRISES

    def get_merchant_queryset(self):
        return CrisisSettings.objects.filter(merchant=self.merchant)

    @extend_schema(
        summary="Scan the store now",
        description=(
            "Queues a scan job (202 with the job; follow it on `jobs/{job_id}/`): the detectors "
            "run, alerts are opened, updated or cleared, crises grouped and people notified. "
            "409 `scan_queued` while another scan waits in the queue. Owners, managers and "
            "analysts."
        ),
        tags=CRISES,
        request=None,
        responses={202: JobOutputSerializer, 409: CONFLICT},
    )
    def post(self, request):
        job = crisis_scan_start(merchant=self.merchant, reason="manual", user=request.user)
        if job is None:
            raise ApiError(
                "scan_queued",
                _("A scan of this store is already waiting in the queue."),
                status.HTTP_409_CONFLICT,
            )
        job.refresh_from_db()
        return Response(JobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)
