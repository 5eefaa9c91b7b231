"""API serializers of the crisis center: input (validation) and output kept apart.

Outputs read what the selectors loaded (products, owners and the other users are joined by
them); inputs only validate shapes, the services decide whether a change is allowed.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.selectors import merchant_members

from .models import (
    ActionKind,
    Alert,
    Crisis,
    CrisisAction,
    CrisisEvent,
    CrisisSettings,
    CrisisStatus,
    Playbook,
)
from .templatetags.crisis_tags import crisis_alert_kinds, playbook_source, sla_state

TEXT_MAX = 4000
SNOOZE_LONGEST = dt.timedelta(days=90)


class _UserField(serializers.Field):
    """A user as `{"id", "username"}` (null for nobody)."""

    def to_representation(self, value):
        return {"id": value.pk, "username": value.get_username()}


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"id": {"type": "integer"}, "username": {"type": "string"}},
    }
)
class UserOutputField(_UserField):
    pass


class ProductBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    sku = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


# --- Alerts --------------------------------------------------------------------------------------


class AlertOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    resolution_label = serializers.CharField(source="get_resolution_display", read_only=True)
    product = ProductBriefSerializer(read_only=True, allow_null=True)
    money_at_risk = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text=_("In the merchant's currency."),
    )
    evidence = serializers.JSONField(
        read_only=True, help_text=_("The detector's numbers and the series behind its chart.")
    )
    snoozed = serializers.SerializerMethodField(
        help_text=_("True while `snoozed_until` lies in the future.")
    )
    acknowledged_by = UserOutputField(read_only=True, allow_null=True)
    resolved_by = UserOutputField(read_only=True, allow_null=True)
    crisis = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    page_url = serializers.SerializerMethodField(help_text=_("The alert's page in the portal."))

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "kind_label",
            "product",
            "aspect",
            "status",
            "status_label",
            "severity",
            "severity_label",
            "money_at_risk",
            "title",
            "summary",
            "evidence",
            "dedup_key",
            "first_detected_at",
            "last_detected_at",
            "detections",
            "acknowledged_at",
            "acknowledged_by",
            "snoozed_until",
            "snoozed",
            "resolved_at",
            "resolved_by",
            "resolution",
            "resolution_label",
            "crisis",
            "page_url",
        ]
        read_only_fields = fields

    def get_snoozed(self, alert: Alert) -> bool:
        return bool(alert.snoozed_until and alert.snoozed_until > timezone.now())

    def get_page_url(self, alert: Alert) -> str:
        return reverse("alert-detail", kwargs={"alert_id": alert.pk})


class SnoozeInputSerializer(serializers.Serializer):
    until = serializers.DateTimeField(
        required=False,
        help_text=_("When the alert comes back (ISO 8601 with a time zone), within 90 days."),
    )
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=SNOOZE_LONGEST.days,
        help_text=_("Or: snooze for this many days from now."),
    )

    def validate(self, attrs):
        if ("until" in attrs) == ("days" in attrs):
            raise serializers.ValidationError(_("Send either `until` or `days`."))
        now = timezone.now()
        until = attrs.get("until") or now + dt.timedelta(days=attrs["days"])
        if until <= now:
            raise serializers.ValidationError({"until": [_("Choose a moment in the future.")]})
        if until > now + SNOOZE_LONGEST:
            raise serializers.ValidationError(
                {"until": [_("Snooze for at most %(days)s days.") % {"days": SNOOZE_LONGEST.days}]}
            )
        return {"until": until}


# --- Crises --------------------------------------------------------------------------------------


class SlaOutputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["breached", "due_soon", "on_track", "met", "missed", "none"],
        read_only=True,
        help_text=_(
            "breached: the deadline that matters now has passed; due_soon: less than a quarter "
            "of its window is left; on_track; for a resolved crisis met or missed; none without "
            "deadlines."
        ),
    )
    step = serializers.ChoiceField(
        choices=["acknowledge", "resolve"],
        read_only=True,
        help_text=_("Which deadline: acknowledging until someone has, then resolving."),
    )
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CrisisOutputSerializer(serializers.ModelSerializer):
    """A crisis as the board lists it."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    product = ProductBriefSerializer(read_only=True, allow_null=True)
    owner = UserOutputField(read_only=True, allow_null=True)
    money_at_risk = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text=_("The sum over its live alerts, in the merchant's currency."),
    )
    sla = serializers.SerializerMethodField()
    alert_kinds = serializers.SerializerMethodField(
        help_text=_("Kinds of its live alerts, largest money at risk first.")
    )
    page_url = serializers.SerializerMethodField(help_text=_("The crisis page in the portal."))

    class Meta:
        model = Crisis
        fields = [
            "id",
            "title",
            "product",
            "status",
            "status_label",
            "severity",
            "severity_label",
            "money_at_risk",
            "owner",
            "detected_at",
            "acknowledged_at",
            "resolved_at",
            "acknowledge_due_at",
            "resolve_due_at",
            "sla",
            "alert_kinds",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(SlaOutputSerializer)
    def get_sla(self, crisis: Crisis) -> dict:
        state = sla_state(crisis)
        return {"state": state.state, "step": state.step, "due_at": state.due_at}

    def get_alert_kinds(self, crisis: Crisis) -> list[str]:
        return crisis_alert_kinds(crisis)

    def get_page_url(self, crisis: Crisis) -> str:
        return reverse("crisis-detail", kwargs={"crisis_id": crisis.pk})


class CrisisMetricsSerializer(serializers.Serializer):
    time_to_acknowledge_seconds = serializers.FloatField(read_only=True, allow_null=True)
    time_to_resolve_seconds = serializers.FloatField(read_only=True, allow_null=True)


class PostmortemSerializer(serializers.Serializer):
    cause = serializers.CharField(read_only=True)
    worked = serializers.CharField(read_only=True)
    followups = serializers.CharField(read_only=True)


class CrisisDetailOutputSerializer(CrisisOutputSerializer):
    """One crisis with its alerts (every status), metrics and post-mortem."""

    alerts = serializers.SerializerMethodField()
    metrics = serializers.SerializerMethodField()
    postmortem = serializers.SerializerMethodField()
    resolved_by = UserOutputField(read_only=True, allow_null=True)

    class Meta(CrisisOutputSerializer.Meta):
        fields = [
            *CrisisOutputSerializer.Meta.fields,
            "resolved_by",
            "alerts",
            "metrics",
            "postmortem",
        ]
        read_only_fields = fields

    @extend_schema_field(AlertOutputSerializer(many=True))
    def get_alerts(self, crisis: Crisis) -> list:
        alerts = sorted(crisis.alerts.all(), key=lambda a: (-a.money_at_risk, -a.pk))
        return AlertOutputSerializer(alerts, many=True, context=self.context).data

    @extend_schema_field(CrisisMetricsSerializer)
    def get_metrics(self, crisis: Crisis) -> dict:
        def seconds(value):
            return value.total_seconds() if value is not None else None

        return {
            "time_to_acknowledge_seconds": seconds(crisis.time_to_acknowledge),
            "time_to_resolve_seconds": seconds(crisis.time_to_resolve),
        }

    @extend_schema_field(PostmortemSerializer(allow_null=True))
    def get_postmortem(self, crisis: Crisis) -> dict | None:
        if not (crisis.postmortem_cause or crisis.postmortem_worked or crisis.postmortem_followups):
            return None
        return {
            "cause": crisis.postmortem_cause,
            "worked": crisis.postmortem_worked,
            "followups": crisis.postmortem_followups,
        }


class CrisisEventOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = UserOutputField(read_only=True, allow_null=True)

    class Meta:
        model = CrisisEvent
        fields = ["id", "kind", "kind_label", "actor", "message", "data", "created_at"]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=TEXT_MAX, help_text=_("The comment, 1–4,000 characters.")
    )


class StatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            CrisisStatus.INVESTIGATING,
            CrisisStatus.MITIGATING,
            CrisisStatus.MONITORING,
        ],
        help_text=_(
            "investigating, mitigating or monitoring (resolving asks for a post-mortem: "
            "`resolve/`; nobody moves a crisis back to detected)."
        ),
    )


class AssignInputSerializer(serializers.Serializer):
    owner = serializers.IntegerField(
        allow_null=True,
        help_text=_("User id of a member of the merchant; null leaves the crisis unassigned."),
    )

    def validate_owner(self, value):
        if value is None:
            return None
        member = (
            merchant_members(merchant=self.context["request"].merchant)
            .filter(user_id=value)
            .first()
        )
        if member is None:
            raise serializers.ValidationError(_("No member of this store has this id."))
        return member.user


class ResolveInputSerializer(serializers.Serializer):
    cause = serializers.CharField(
        max_length=TEXT_MAX, help_text=_("What caused the crisis (required).")
    )
    worked = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    followups = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


# --- Playbooks and actions -----------------------------------------------------------------------


class PlaybookOutputSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    sections = serializers.JSONField(
        read_only=True,
        help_text=_(
            "What happened and the likely cause, each statement with the evidence labels it "
            "cites (A<id> alert, T<id> complaint topic, R<id> review)."
        ),
    )
    dropped = serializers.JSONField(
        read_only=True,
        help_text=_("Statements left out because they could not be tied to the evidence."),
    )
    source = serializers.SerializerMethodField(
        help_text=_(
            "model: drafted by the language model (every statement checked against the "
            "evidence); evidence: composed from the evidence without the model; mixed."
        )
    )
    requested_by = UserOutputField(read_only=True, allow_null=True)
    job = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Playbook
        fields = [
            "id",
            "crisis",
            "status",
            "status_label",
            "language",
            "sections",
            "dropped",
            "source",
            "model_name",
            "prompt_version",
            "requested_by",
            "job",
            "error",
            "created_at",
        ]
        read_only_fields = fields

    def get_source(self, playbook: Playbook) -> str:
        return playbook_source(playbook)


class CrisisActionOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    proposed_by = UserOutputField(read_only=True, allow_null=True)
    decided_by = UserOutputField(read_only=True, allow_null=True)
    params = serializers.JSONField(
        read_only=True,
        help_text=_(
            'Kind-specific numbers: {"units": 500} / {"price_cut": 0.2, "days": 14} / '
            '{"proposed_text": "..."} / {"review_id": 12, "proposed_text": "..."}.'
        ),
    )
    result = serializers.JSONField(
        read_only=True,
        help_text=_("What approving created inside EcomOps (ids by kind)."),
    )

    class Meta:
        model = CrisisAction
        fields = [
            "id",
            "crisis",
            "playbook",
            "kind",
            "kind_label",
            "title",
            "detail",
            "params",
            "status",
            "status_label",
            "proposed_by",
            "decided_by",
            "decided_at",
            "applied_at",
            "result",
            "error",
            "created_at",
        ]
        read_only_fields = fields


class ActionProposeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    title = serializers.CharField(max_length=300)
    detail = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    params = serializers.DictField(
        required=False,
        default=dict,
        help_text=_(
            'reorder {"units": N}; markdown {"price_cut": 0.2, "days": 14}; listing_fix '
            '{"proposed_text": "..."}; customer_reply {"proposed_text": "...", "review_id": N}.'
        ),
    )


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


# --- Settings ------------------------------------------------------------------------------------


class CrisisSettingsOutputSerializer(serializers.ModelSerializer):
    thresholds = serializers.SerializerMethodField(
        help_text=_("Every detector threshold in force: the defaults with the overrides on top.")
    )
    threshold_overrides = serializers.JSONField(source="thresholds", read_only=True)
    sla_hours = serializers.SerializerMethodField(
        help_text=_('Hours to acknowledge and to resolve by severity: {"4": [1.0, 8.0], ...}.')
    )
    sla_hours_overrides = serializers.JSONField(source="sla_hours", read_only=True)

    class Meta:
        model = CrisisSettings
        fields = [
            "scans_enabled",
            "thresholds",
            "threshold_overrides",
            "sla_hours",
            "sla_hours_overrides",
            "last_scan_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_thresholds(self, settings_row: CrisisSettings) -> dict:
        from dataclasses import asdict

        from .services.settings import crisis_thresholds

        return {
            name: float(value) if not isinstance(value, bool | int) else value
            for name, value in asdict(crisis_thresholds(settings_row=settings_row)).items()
        }

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_sla_hours(self, settings_row: CrisisSettings) -> dict:
        from .services.settings import crisis_sla_hours

        hours = crisis_sla_hours(settings_row=settings_row)
        return {str(severity): list(pair) for severity, pair in sorted(hours.items())}


class CrisisSettingsInputSerializer(serializers.Serializer):
    thresholds = serializers.DictField(
        required=False,
        help_text=_("Overrides of the detector thresholds by name; replaces the stored ones."),
    )
    sla_hours = serializers.DictField(
        required=False,
        help_text=_(
            'Overrides by severity (1–4): {"4": [1, 8]} = acknowledge within 1 h, resolve within '
            "8 h; replaces the stored ones."
        ),
    )
    scans_enabled = serializers.BooleanField(required=False)
