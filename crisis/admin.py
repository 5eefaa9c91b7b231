"""The crisis center in the admin: every model, read-only where the services are the only
writers (alerts, crises, the timeline, playbooks, actions, what approved actions left behind).

Staff may change a merchant's crisis settings (validated like the settings page) and the
status of a purchase suggestion (ordered, cancelled); everything else goes through the portal,
so that each change leaves its timeline line and notification.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .detectors.config import thresholds_from_overrides
from .models import (
    Alert,
    Crisis,
    CrisisAction,
    CrisisEvent,
    CrisisSettings,
    Playbook,
    PriceChange,
    PurchaseSuggestion,
)
from .services.errors import CrisisError
from .services.settings import sla_hours_clean


def _pretty_json(value) -> str:
    return format_html(
        '<pre style="white-space: pre-wrap; max-width: 60rem">{}</pre>',
        json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True),
    )


def _link(model: str, pk, text) -> str:
    if not pk:
        return "—"
    return format_html(
        '<a href="{}">{}</a>', reverse(f"admin:crisis_{model}_change", args=[pk]), text
    )


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the crisis services only: the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CrisisSettingsForm(forms.ModelForm):
    class Meta:
        model = CrisisSettings
        fields = ["merchant", "scans_enabled", "thresholds", "sla_hours"]

    def clean(self):
        cleaned = super().clean()
        try:
            thresholds_from_overrides(cleaned.get("thresholds") or {})
        except ValueError as exc:
            self.add_error("thresholds", str(exc))
        try:
            cleaned["sla_hours"] = sla_hours_clean(cleaned.get("sla_hours") or {})
        except CrisisError as exc:
            self.add_error("sla_hours", exc.message)
        return cleaned


@admin.register(CrisisSettings)
class CrisisSettingsAdmin(admin.ModelAdmin):
    form = CrisisSettingsForm
    list_display = ["merchant", "scans_enabled", "last_scan_at", "updated_at"]
    list_filter = ["scans_enabled"]
    list_select_related = ["merchant"]
    readonly_fields = ["last_scan_at", "updated_at"]


class CrisisEventInline(_ReadOnlyInline):
    model = CrisisEvent
    fields = ["created_at", "kind", "actor", "message"]
    readonly_fields = fields
    ordering = ["created_at", "id"]
    show_change_link = False


class AlertInline(_ReadOnlyInline):
    model = Alert
    fields = ["title", "kind", "status", "severity", "money_at_risk", "last_detected_at"]
    readonly_fields = fields
    ordering = ["status", "-money_at_risk"]


@admin.register(Crisis)
class CrisisAdmin(_ReadOnlyAdmin):
    list_display = [
        "title",
        "merchant",
        "status",
        "severity",
        "money_at_risk",
        "owner",
        "detected_at",
        "acknowledge_due_at",
        "resolve_due_at",
    ]
    list_filter = ["merchant", "status", "severity"]
    list_select_related = ["merchant", "owner", "product"]
    search_fields = ["title", "product__sku", "postmortem_cause"]
    date_hierarchy = "detected_at"
    raw_id_fields = ["product", "owner", "resolved_by"]
    inlines = [AlertInline, CrisisEventInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "merchant",
                    "title",
                    "product",
                    "group_key",
                    "status",
                    "severity",
                    "money_at_risk",
                    "owner",
                ]
            },
        ),
        (
            _("Times and SLA"),
            {
                "fields": [
                    "detected_at",
                    "acknowledged_at",
                    "resolved_at",
                    "resolved_by",
                    "acknowledge_due_at",
                    "resolve_due_at",
                    "acknowledge_breach_notified_at",
                    "resolve_breach_notified_at",
                ]
            },
        ),
        (
            _("Post-mortem"),
            {"fields": ["postmortem_cause", "postmortem_worked", "postmortem_followups"]},
        ),
    ]


@admin.register(Alert)
class AlertAdmin(_ReadOnlyAdmin):
    list_display = [
        "title",
        "merchant",
        "kind",
        "status",
        "severity",
        "money_at_risk",
        "detections",
        "last_detected_at",
        "snoozed_until",
        "resolution",
    ]
    list_filter = ["merchant", "kind", "status", "severity", "resolution"]
    list_select_related = ["merchant", "product"]
    search_fields = ["title", "dedup_key", "product__sku"]
    date_hierarchy = "first_detected_at"
    raw_id_fields = ["product", "crisis", "acknowledged_by", "resolved_by"]
    exclude = ["evidence"]
    readonly_fields = ["crisis_link", "evidence_pretty"]

    @admin.display(description=_("crisis"))
    def crisis_link(self, alert: Alert):
        return _link("crisis", alert.crisis_id, alert.crisis)

    @admin.display(description=_("evidence"))
    def evidence_pretty(self, alert: Alert):
        return _pretty_json(alert.evidence)


@admin.register(CrisisEvent)
class CrisisEventAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "crisis", "merchant", "kind", "actor", "message"]
    list_filter = ["merchant", "kind"]
    list_select_related = ["crisis", "merchant", "actor"]
    search_fields = ["message"]
    date_hierarchy = "created_at"
    raw_id_fields = ["crisis", "actor"]


class CrisisActionInline(_ReadOnlyInline):
    model = CrisisAction
    fields = ["title", "kind", "status", "decided_by", "decided_at"]
    readonly_fields = fields


@admin.register(Playbook)
class PlaybookAdmin(_ReadOnlyAdmin):
    list_display = ["pk", "crisis", "merchant", "status", "language", "model_name", "created_at"]
    list_filter = ["merchant", "status", "language"]
    list_select_related = ["crisis", "merchant"]
    raw_id_fields = ["crisis", "generation", "job", "requested_by"]
    exclude = ["evidence", "sections", "dropped"]
    readonly_fields = ["evidence_pretty", "sections_pretty", "dropped_pretty"]
    inlines = [CrisisActionInline]

    @admin.display(description=_("evidence"))
    def evidence_pretty(self, playbook: Playbook):
        return _pretty_json(playbook.evidence)

    @admin.display(description=_("sections"))
    def sections_pretty(self, playbook: Playbook):
        return _pretty_json(playbook.sections)

    @admin.display(description=_("dropped statements"))
    def dropped_pretty(self, playbook: Playbook):
        return _pretty_json(playbook.dropped)


@admin.register(CrisisAction)
class CrisisActionAdmin(_ReadOnlyAdmin):
    list_display = ["title", "crisis", "merchant", "kind", "status", "decided_by", "applied_at"]
    list_filter = ["merchant", "kind", "status"]
    list_select_related = ["crisis", "merchant", "decided_by"]
    search_fields = ["title", "detail"]
    raw_id_fields = ["crisis", "playbook", "proposed_by", "decided_by"]
    exclude = ["params", "result"]
    readonly_fields = ["params_pretty", "result_pretty"]

    @admin.display(description=_("parameters"))
    def params_pretty(self, action: CrisisAction):
        return _pretty_json(action.params)

    @admin.display(description=_("result"))
    def result_pretty(self, action: CrisisAction):
        return _pretty_json(action.result)


@admin.register(PurchaseSuggestion)
class PurchaseSuggestionAdmin(admin.ModelAdmin):
    list_display = ["product", "merchant", "quantity", "status", "created_by", "created_at"]
    list_filter = ["merchant", "status"]
    list_select_related = ["product", "merchant", "created_by"]
    search_fields = ["product__sku", "note"]
    raw_id_fields = ["product", "action", "created_by"]
    # The buyer marks a suggestion ordered or cancelled; what was approved stays as it was.
    readonly_fields = ["merchant", "product", "quantity", "action", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PriceChange)
class PriceChangeAdmin(_ReadOnlyAdmin):
    list_display = ["product", "merchant", "old_price", "new_price", "starts_on", "ends_on"]
    list_filter = ["merchant"]
    list_select_related = ["product", "merchant"]
    search_fields = ["product__sku", "reason"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["product", "action", "created_by"]
