"""Reads of crises and alerts for the pages, the API and the dashboard; every one scoped to a
merchant (another merchant's crisis or alert is a 404).

Crisis querysets from here carry the SLA warning of each crisis, annotated in the query:

    sla_step     "acknowledge" while nobody has, then "resolve"
    sla_due_at   the deadline of that step
    sla_state    breached | due_soon | on_track | none (open crises);
                 met | missed | none (resolved ones)

"due_soon": less than SLA_DUE_SOON_SHARE of the step's window (the SLA hours of the crisis's
severity) is left; the crisis pages use the same rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import (
    LIVE_ALERT_STATUSES,
    Alert,
    AlertStatus,
    Crisis,
    CrisisEvent,
    CrisisSettings,
    CrisisStatus,
    Severity,
)
from ..services.crises import CRISIS_TRANSITIONS
from ..services.settings import crisis_sla_hours
from ..services.sla import ACKNOWLEDGE, RESOLVE, SLA_DUE_SOON_SHARE

ALL = "all"
LIVE = "live"
UNASSIGNED = "unassigned"
METRICS_DAYS = 90


def _sla_annotate(queryset: QuerySet, *, merchant, now: dt.datetime) -> QuerySet:
    hours = crisis_sla_hours(settings_row=CrisisSettings.objects.filter(merchant=merchant).first())
    resolved = Q(status=CrisisStatus.RESOLVED)
    acknowledging = ~resolved & Q(acknowledged_at__isnull=True, acknowledge_due_at__isnull=False)
    resolving = ~resolved & ~acknowledging
    due_soon = []
    for severity, (acknowledge_hours, resolve_hours) in hours.items():
        acknowledge_soon = now + dt.timedelta(hours=acknowledge_hours * SLA_DUE_SOON_SHARE)
        resolve_soon = now + dt.timedelta(hours=resolve_hours * SLA_DUE_SOON_SHARE)
        due_soon += [
            When(
                acknowledging & Q(severity=severity, acknowledge_due_at__lte=acknowledge_soon),
                then=Value("due_soon"),
            ),
            When(
                resolving & Q(severity=severity, resolve_due_at__lte=resolve_soon),
                then=Value("due_soon"),
            ),
        ]
    return queryset.annotate(
        sla_step=Case(
            When(acknowledging, then=Value(ACKNOWLEDGE)),
            default=Value(RESOLVE),
            output_field=CharField(),
        ),
        sla_due_at=Case(
            When(acknowledging, then=F("acknowledge_due_at")),
            default=F("resolve_due_at"),
        ),
        sla_state=Case(
            When(resolved & Q(resolve_due_at__isnull=True), then=Value("none")),
            When(resolved & Q(resolved_at__lte=F("resolve_due_at")), then=Value("met")),
            When(resolved, then=Value("missed")),
            When(acknowledging & Q(acknowledge_due_at__lte=now), then=Value("breached")),
            When(resolving & Q(resolve_due_at__isnull=True), then=Value("none")),
            When(resolving & Q(resolve_due_at__lte=now), then=Value("breached")),
            *due_soon,
            default=Value("on_track"),
            output_field=CharField(),
        ),
    )


def _crises(*, merchant, now: dt.datetime | None = None) -> QuerySet:
    return _sla_annotate(
        Crisis.objects.for_merchant(merchant)
        .select_related("owner", "product")
        .annotate(
            live_alerts=Count("alerts", filter=Q(alerts__status__in=LIVE_ALERT_STATUSES)),
        ),
        merchant=merchant,
        now=now or timezone.now(),
    )


def crisis_board(
    *,
    merchant,
    status: str | None = None,
    severity: int | None = None,
    owner=None,
    now: dt.datetime | None = None,
) -> QuerySet:
    """Crises, money at risk first (then severity, then the newest).

    `status`: None = every unresolved crisis, "all", or one status. `severity`: one level.
    `owner`: a user or user id, or "unassigned".
    """
    crises = _crises(merchant=merchant, now=now)
    if status is None:
        crises = crises.exclude(status=CrisisStatus.RESOLVED)
    elif status != ALL:
        crises = crises.filter(status=status)
    if severity is not None:
        crises = crises.filter(severity=int(severity))
    if owner == UNASSIGNED:
        crises = crises.filter(owner__isnull=True)
    elif owner is not None:
        crises = crises.filter(owner_id=getattr(owner, "pk", owner))
    return crises.order_by("-money_at_risk", "-severity", "-detected_at", "-pk")


def crisis_board_counts(*, merchant) -> dict[str, int]:
    """{status: crises}, every status present (resolved ones of all time included)."""
    counts = dict.fromkeys(CrisisStatus.values, 0)
    for status, count in (
        Crisis.objects.for_merchant(merchant)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    ):
        counts[status] = count
    return counts


def crisis_get(*, merchant, crisis_id: int) -> Crisis:
    """One crisis of the merchant (any status), SLA-annotated; 404 otherwise."""
    return get_object_or_404(_crises(merchant=merchant), pk=crisis_id)


def crises_open_for_dashboard(*, merchant, limit: int = 5) -> list[Crisis]:
    """The open crises that cost the most, for the dashboard's card."""
    return list(crisis_board(merchant=merchant)[: max(0, int(limit))])


def crisis_status_choices(*, crisis: Crisis) -> list[tuple[str, str]]:
    """The statuses a person may move this crisis to with `crisis_status_set`."""
    allowed = CRISIS_TRANSITIONS.get(crisis.status, frozenset())
    return [(value, label) for value, label in CrisisStatus.choices if value in allowed]


def crisis_alerts(*, crisis: Crisis) -> QuerySet:
    """The crisis's alerts: live ones first, then by money at risk."""
    return (
        Alert.objects.filter(crisis=crisis, merchant_id=crisis.merchant_id)
        .select_related("product", "acknowledged_by", "resolved_by")
        .annotate(
            is_live=Case(
                When(status__in=LIVE_ALERT_STATUSES, then=Value(0)),
                default=Value(1),
            )
        )
        .order_by("is_live", "-money_at_risk", "-severity", "-last_detected_at", "-pk")
    )


def crisis_timeline(*, crisis: Crisis) -> QuerySet:
    """Everything that happened to the crisis, oldest first."""
    return (
        CrisisEvent.objects.filter(crisis=crisis, merchant_id=crisis.merchant_id)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def alert_list(
    *,
    merchant,
    status: str | None = None,
    kind: str | None = None,
    severity: int | None = None,
    product=None,
    crisis=None,
    snoozed: bool | None = None,
    now: dt.datetime | None = None,
) -> QuerySet:
    """The merchant's alerts, money at risk first.

    `status`: None or "live" = open or acknowledged, "all", or one status. `product`, `crisis`:
    an instance or an id. `snoozed`: True = snoozed now, False = not snoozed now.
    """
    now = now or timezone.now()
    alerts = Alert.objects.for_merchant(merchant).select_related("product", "crisis")
    if status in (None, LIVE):
        alerts = alerts.filter(status__in=LIVE_ALERT_STATUSES)
    elif status != ALL:
        alerts = alerts.filter(status=status)
    if kind:
        alerts = alerts.filter(kind=kind)
    if severity is not None:
        alerts = alerts.filter(severity=int(severity))
    if product is not None:
        alerts = alerts.filter(product_id=getattr(product, "pk", product))
    if crisis is not None:
        alerts = alerts.filter(crisis_id=getattr(crisis, "pk", crisis))
    if snoozed is True:
        alerts = alerts.filter(snoozed_until__gt=now)
    elif snoozed is False:
        alerts = alerts.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
    return alerts.order_by("-money_at_risk", "-severity", "-last_detected_at", "-pk")


def alert_get(*, merchant, alert_id: int) -> Alert:
    """One alert of the merchant (any status); 404 otherwise."""
    return get_object_or_404(
        Alert.objects.for_merchant(merchant).select_related(
            "product", "crisis", "acknowledged_by", "resolved_by"
        ),
        pk=alert_id,
    )


def alert_is_snoozed(alert: Alert, *, now: dt.datetime | None = None) -> bool:
    return alert.snoozed_until is not None and alert.snoozed_until > (now or timezone.now())


@dataclass(frozen=True)
class SeverityMetrics:
    """Response times of the crises of one severity detected in the window."""

    severity: int
    label: str
    crises: int
    acknowledged: int
    resolved: int
    mean_time_to_acknowledge: dt.timedelta | None
    mean_time_to_resolve: dt.timedelta | None
    acknowledge_breaches: int
    resolve_breaches: int


def _mean(values: list[dt.timedelta]) -> dt.timedelta | None:
    if not values:
        return None
    return sum(values, dt.timedelta()) / len(values)


def crisis_metrics(
    *, merchant, days: int = METRICS_DAYS, now: dt.datetime | None = None
) -> list[SeverityMetrics]:
    """Time to acknowledge and time to resolve, averaged per severity (critical first) over the
    crises detected in the last `days` days; SLA warnings sent among them."""
    now = now or timezone.now()
    rows = Crisis.objects.for_merchant(merchant).filter(
        detected_at__gte=now - dt.timedelta(days=days)
    )
    by_severity: dict[int, list] = {severity: [] for severity in Severity.values}
    for row in rows.only(
        "severity",
        "detected_at",
        "acknowledged_at",
        "resolved_at",
        "acknowledge_breach_notified_at",
        "resolve_breach_notified_at",
    ):
        by_severity.setdefault(row.severity, []).append(row)
    metrics = []
    for severity in sorted(by_severity, reverse=True):
        crises = by_severity[severity]
        acknowledged = [c.time_to_acknowledge for c in crises if c.time_to_acknowledge is not None]
        resolved = [c.time_to_resolve for c in crises if c.time_to_resolve is not None]
        metrics.append(
            SeverityMetrics(
                severity=severity,
                label=str(Severity(severity).label),
                crises=len(crises),
                acknowledged=len(acknowledged),
                resolved=len(resolved),
                mean_time_to_acknowledge=_mean(acknowledged),
                mean_time_to_resolve=_mean(resolved),
                acknowledge_breaches=sum(
                    1 for c in crises if c.acknowledge_breach_notified_at is not None
                ),
                resolve_breaches=sum(1 for c in crises if c.resolve_breach_notified_at is not None),
            )
        )
    return metrics


def alert_counts(*, merchant) -> dict[str, int]:
    """Live alerts per status (open, acknowledged), for headers and badges."""
    counts = dict.fromkeys([AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED], 0)
    for status, count in (
        Alert.objects.for_merchant(merchant)
        .filter(status__in=LIVE_ALERT_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    ):
        counts[status] = count
    return counts
