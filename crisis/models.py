"""The crisis center's records: alerts from the detectors, crises that group them, the timeline,
playbooks drafted by the language model, the actions a manager approves, and what those
actions leave behind inside EcomOps (purchase suggestions, recorded price changes).

Rows are written by `crisis.services` only. Detectors (`crisis.detectors`) are pure functions
and never touch these models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class AlertKind(models.TextChoices):
    STOCKOUT_RISK = "stockout_risk", _("Stockout risk")
    OVERSTOCK = "overstock", _("Overstock")
    SALES_DROP = "sales_drop", _("Sales drop")
    REVIEW_SURGE = "review_surge", _("Negative-review surge")
    RATING_DROP = "rating_drop", _("Rating drop")


class Severity(models.IntegerChoices):
    """Derived from money at risk (thresholds in the merchant's crisis settings)."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


LIVE_ALERT_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class AlertResolution(models.TextChoices):
    CLEARED = "cleared", _("Condition cleared")
    MANUAL = "manual", _("Resolved by a person")
    CRISIS_RESOLVED = "crisis_resolved", _("Crisis resolved")


class CrisisSettings(models.Model):
    """Per-merchant detector thresholds and SLA hours.

    Both are JSON overrides of the documented defaults in `crisis.detectors.config`; an empty
    object means "all defaults". Validated by the settings form and the API serializer.
    """

    merchant = models.OneToOneField(
        "accounts.Merchant",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="crisis_settings",
        verbose_name=_("merchant"),
    )
    scans_enabled = models.BooleanField(_("scheduled scans"), default=True)
    thresholds = models.JSONField(_("detector thresholds"), default=dict, blank=True)
    sla_hours = models.JSONField(_("SLA hours by severity"), default=dict, blank=True)
    last_scan_at = models.DateTimeField(_("last scan"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("crisis settings")
        verbose_name_plural = _("crisis settings")

    def __str__(self) -> str:
        return f"crisis settings {self.merchant_id}"


class CrisisStatus(models.TextChoices):
    DETECTED = "detected", _("Detected")
    INVESTIGATING = "investigating", _("Investigating")
    MITIGATING = "mitigating", _("Mitigating")
    MONITORING = "monitoring", _("Monitoring")
    RESOLVED = "resolved", _("Resolved")


class CrisisQuerySet(models.QuerySet):
    def for_merchant(self, merchant):
        return self.filter(merchant=merchant)

    def open(self):
        return self.exclude(status=CrisisStatus.RESOLVED)


class Crisis(TimeStampedModel):
    """The related alerts of one product (or of the whole store) and the response to them."""

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="crises",
        verbose_name=_("product"),
    )
    # "product:<id>" or "store": at most one unresolved crisis per key (constraint below).
    group_key = models.CharField(_("group"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=CrisisStatus.choices, default=CrisisStatus.DETECTED
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.LOW
    )
    # The sum over its live alerts, in the merchant's currency; refreshed by every scan.
    money_at_risk = models.DecimalField(
        _("money at risk"), max_digits=14, decimal_places=2, default=0
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    detected_at = models.DateTimeField(_("detected"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    # SLA by severity: deadlines set when the crisis opens or its severity rises.
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    # Guard fields so a breach warning is sent once per deadline.
    acknowledge_breach_notified_at = models.DateTimeField(
        _("acknowledge breach notified"), null=True, blank=True
    )
    resolve_breach_notified_at = models.DateTimeField(
        _("resolve breach notified"), null=True, blank=True
    )
    # Post-mortem, asked for on resolving.
    postmortem_cause = models.TextField(_("cause"), blank=True)
    postmortem_worked = models.TextField(_("what worked"), blank=True)
    postmortem_followups = models.TextField(_("follow-ups"), blank=True)

    objects = CrisisQuerySet.as_manager()

    class Meta:
        ordering = ["-money_at_risk", "-severity", "-detected_at"]
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "group_key"],
                condition=~Q(status="resolved"),
                name="crisis_one_unresolved_per_group",
            ),
        ]
        indexes = [
            models.Index(fields=["merchant", "status", "-money_at_risk"], name="crisis_board"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_to_acknowledge(self):
        if self.acknowledged_at:
            return self.acknowledged_at - self.detected_at
        return None

    @property
    def time_to_resolve(self):
        if self.resolved_at:
            return self.resolved_at - self.detected_at
        return None


class AlertQuerySet(models.QuerySet):
    def for_merchant(self, merchant):
        return self.filter(merchant=merchant)

    def live(self):
        return self.filter(status__in=LIVE_ALERT_STATUSES)


class Alert(TimeStampedModel):
    """One detector's finding. A standing condition updates its live alert, never a new one."""

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("product"),
    )
    # Review surges may be about one aspect ("quality", "size_fit", ...); blank otherwise.
    aspect = models.CharField(_("aspect"), max_length=32, blank=True)
    # kind + product + aspect: at most one live alert per key (constraint below).
    dedup_key = models.CharField(_("deduplication key"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.LOW
    )
    money_at_risk = models.DecimalField(
        _("money at risk"), max_digits=14, decimal_places=2, default=0
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    # The detector's numbers (and the series behind the chart), as plain JSON.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    first_detected_at = models.DateTimeField(_("first detected"))
    last_detected_at = models.DateTimeField(_("last detected"))
    detections = models.PositiveIntegerField(_("times detected"), default=1)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=AlertResolution.choices, blank=True
    )
    crisis = models.ForeignKey(
        Crisis,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("crisis"),
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-money_at_risk", "-severity", "-last_detected_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "dedup_key"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="alert_one_live_per_key",
            ),
            models.CheckConstraint(
                condition=Q(money_at_risk__gte=0), name="alert_money_non_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["merchant", "status", "-money_at_risk"], name="alert_list"),
            models.Index(fields=["merchant", "kind", "status"], name="alert_kind_status"),
        ]

    def __str__(self) -> str:
        return self.title


class CrisisEventKind(models.TextChoices):
    ALERT_ADDED = "alert_added", _("Alert added")
    ALERT_UPDATED = "alert_updated", _("Alert updated")
    ALERT_RESOLVED = "alert_resolved", _("Alert resolved")
    STATUS_CHANGED = "status_changed", _("Status changed")
    OWNER_CHANGED = "owner_changed", _("Owner changed")
    SEVERITY_CHANGED = "severity_changed", _("Severity changed")
    COMMENT = "comment", _("Comment")
    PLAYBOOK_REQUESTED = "playbook_requested", _("Playbook requested")
    PLAYBOOK_DRAFTED = "playbook_drafted", _("Playbook drafted")
    PLAYBOOK_FAILED = "playbook_failed", _("Playbook failed")
    ACTION_PROPOSED = "action_proposed", _("Action proposed")
    ACTION_APPROVED = "action_approved", _("Action approved")
    ACTION_REJECTED = "action_rejected", _("Action rejected")
    ACTION_APPLIED = "action_applied", _("Action applied")
    ACTION_FAILED = "action_failed", _("Action failed")
    NOTIFICATION_SENT = "notification_sent", _("Notification sent")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    POSTMORTEM = "postmortem", _("Post-mortem written")
    REOPENED = "reopened", _("Reopened")


class CrisisEvent(models.Model):
    """One line of a crisis timeline. Append-only."""

    crisis = models.ForeignKey(
        Crisis, on_delete=models.CASCADE, related_name="events", verbose_name=_("crisis")
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=CrisisEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("crisis event")
        verbose_name_plural = _("crisis events")
        indexes = [models.Index(fields=["crisis", "created_at"], name="crisis_event_timeline")]

    def __str__(self) -> str:
        return f"{self.crisis_id} {self.kind}"


class PlaybookStatus(models.TextChoices):
    GENERATING = "generating", _("Generating")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Playbook(TimeStampedModel):
    """A response drafted by the language model from the crisis evidence only.

    `sections` = {"what_happened": str, "likely_cause": str, "citations": [...]}; the concrete
    actions are `CrisisAction` rows with `playbook` set, each waiting for a manager.
    """

    crisis = models.ForeignKey(
        Crisis, on_delete=models.CASCADE, related_name="playbooks", verbose_name=_("crisis")
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PlaybookStatus.choices,
        default=PlaybookStatus.GENERATING,
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    # The evidence the prompt was built from (numbers, topics, plan figures), kept as sent.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    # Statements dropped because the checker could not tie them to the evidence.
    dropped = models.JSONField(_("dropped statements"), default=list, blank=True)
    model_name = models.CharField(_("model"), max_length=255, blank=True)
    prompt_version = models.CharField(_("prompt version"), max_length=64, blank=True)
    generation = models.ForeignKey(
        "core.GenerationLog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generation"),
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return f"playbook {self.pk} for crisis {self.crisis_id}"


class ActionKind(models.TextChoices):
    REORDER = "reorder", _("Order stock")
    MARKDOWN = "markdown", _("Mark down")
    LISTING_FIX = "listing_fix", _("Fix the listing")
    CUSTOMER_REPLY = "customer_reply", _("Customer reply")
    PAUSE_ADS = "pause_ads", _("Pause ads")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


class CrisisAction(TimeStampedModel):
    """A proposed response step. Nothing happens until a manager approves it; approving applies
    it inside EcomOps only (a purchase suggestion, a recorded price change, a listing draft in
    the content studio, a reply draft), never outside."""

    crisis = models.ForeignKey(
        Crisis, on_delete=models.CASCADE, related_name="actions", verbose_name=_("crisis")
    )
    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    playbook = models.ForeignKey(
        Playbook,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("playbook"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    # Kind-specific numbers: {"units": 500} / {"price_cut": 0.2, "days": 14} /
    # {"proposed_text": "..."} / {"review_id": 12}.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    # What approving created: {"purchase_suggestion": id} / {"price_change": id} /
    # {"content_draft": id} ...
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("crisis action")
        verbose_name_plural = _("crisis actions")
        indexes = [models.Index(fields=["merchant", "status"], name="crisis_action_status")]

    def __str__(self) -> str:
        return self.title


class PurchaseSuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ORDERED = "ordered", _("Ordered")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseSuggestion(TimeStampedModel):
    """An approved "order N units now": a note for the buyer, not a purchase order sent out."""

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="purchase_suggestions",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PurchaseSuggestionStatus.choices,
        default=PurchaseSuggestionStatus.OPEN,
    )
    note = models.TextField(_("note"), blank=True)
    action = models.ForeignKey(
        CrisisAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crisis action"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase suggestion")
        verbose_name_plural = _("purchase suggestions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="purchase_suggestion_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


class PriceChange(TimeStampedModel):
    """An approved price change (a markdown for a number of days), recorded with the price it
    replaces so the follow-up can compare sales before and after."""

    merchant = models.ForeignKey(
        "accounts.Merchant", on_delete=models.CASCADE, related_name="+", verbose_name=_("merchant")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="price_changes",
        verbose_name=_("product"),
    )
    old_price = models.DecimalField(_("old price"), max_digits=12, decimal_places=2)
    new_price = models.DecimalField(_("new price"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    action = models.ForeignKey(
        CrisisAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crisis action"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("price change")
        verbose_name_plural = _("price changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_price__gte=0), name="price_change_new_price_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="price_change_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.old_price} -> {self.new_price}"
