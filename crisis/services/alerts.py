"""Alerts: what a scan's findings do to the merchant's alerts and crises, and what people do to
an alert (acknowledge, snooze, resolve).

`alerts_apply` is the write half of a scan (`crisis.services.scan.crisis_scan` runs the
detectors and hands it their findings; tests hand it findings of their own):

- a finding whose deduplication key has a live alert (open or acknowledged) updates that alert
  in place: money at risk, severity, evidence, title, `last_detected_at`, `detections`. A
  standing condition never fires twice;
- a finding without one opens a new alert, in the crisis of its product (or the store),
  opening that crisis when there is none. A condition that returns after its alert was
  resolved therefore opens a new alert;
- a live alert of a kind the scan covered that no finding matched has cleared: it is resolved
  with the resolution "cleared";
- severity comes from money at risk (`severity_for`); a rise escalates (`alert_escalated`),
  a new alert notifies `alert_opened`, both only from CRISIS_NOTIFY_MIN_SEVERITY up, at most
  CRISIS_NOTIFY_MAX_PER_SCAN per scan and event (the rest in one summary), and never while the
  alert is snoozed (`snoozed_until` in the future: live but silent).

Concurrency: the whole apply is one transaction that first writes the merchant's
`CrisisSettings` row (`last_scan_at`). That UPDATE is the per-merchant scan lock: a second
scan of the same merchant waits for the first to commit and then sees its alerts, on
PostgreSQL (row lock) as on SQLite (write lock). The partial unique constraints (one live
alert per key, one unresolved crisis per group) are the last line; an IntegrityError rolls the
apply back and it is tried once more.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import notify
from products.models import Product

from ..detectors.config import severity_for
from ..models import (
    LIVE_ALERT_STATUSES,
    Alert,
    AlertKind,
    AlertResolution,
    AlertStatus,
    Crisis,
    CrisisEvent,
    CrisisEventKind,
    CrisisSettings,
    CrisisStatus,
    Severity,
)
from .crises import (
    _mark_acknowledged,
    crisis_event_add,
    crisis_lock,
    crisis_notify,
    crisis_refresh,
    crisis_refresh_save,
    crisis_subject,
    crisis_title,
    group_key_for,
    local_time_text,
    managers_and_owner,
    page_url,
)
from .errors import INVALID, CrisisError
from .settings import crisis_settings_get, crisis_sla_hours, crisis_thresholds
from .sla import crisis_deadlines_open

logger = logging.getLogger(__name__)

MAX_MONEY = Decimal("999999999999.99")  # what `money_at_risk` (14 digits, 2 places) holds
SNOOZE_LONGEST = dt.timedelta(days=90)
CENT = Decimal("0.01")


def notify_min_severity() -> int:
    return int(getattr(settings, "CRISIS_NOTIFY_MIN_SEVERITY", Severity.MEDIUM))


def notify_max_per_scan() -> int:
    return int(getattr(settings, "CRISIS_NOTIFY_MAX_PER_SCAN", 10))


@dataclass
class ScanReport:
    """What one scan found and did. `seconds` holds the timings of its steps."""

    merchant_id: int
    findings: int = 0
    opened: int = 0
    updated: int = 0
    escalated: int = 0
    resolved: int = 0
    crises_opened: int = 0
    crises_monitoring: int = 0
    notifications: int = 0
    live_alerts: int = 0
    open_crises: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)
    if not amount.is_finite() or amount < 0:
        return Decimal(0)
    return min(amount, MAX_MONEY)


def _is_snoozed(alert: Alert, now: dt.datetime) -> bool:
    return alert.snoozed_until is not None and alert.snoozed_until > now


def _findings_unique(findings: Iterable) -> dict[str, object]:
    """One finding per deduplication key (the costliest, should a detector repeat itself)."""
    unique: dict[str, object] = {}
    for finding in findings:
        key = str(finding.dedup_key)[:200]
        kept = unique.get(key)
        if kept is None or _money(finding.money_at_risk) > _money(kept.money_at_risk):
            unique[key] = finding
    return unique


@dataclass
class _Pending:
    """Notifications decided during the apply, sent once the rows are written."""

    opened: list[Alert] = field(default_factory=list)
    escalated: list[tuple[Alert, int]] = field(default_factory=list)
    # Every live alert whose severity moved (up or down, snoozed or not): its severity before.
    severity_before: dict[str, int] = field(default_factory=dict)


def alerts_apply(
    *,
    merchant,
    findings: Iterable,
    now: dt.datetime | None = None,
    kinds: Iterable[str] | None = None,
    thresholds=None,
) -> ScanReport:
    """Upsert the merchant's alerts and crises from one scan's `findings` (module docstring).

    `kinds`: the alert kinds this scan looked for (default: all); only live alerts of those
    kinds can clear. `thresholds`: the detector thresholds the findings were made with (default:
    the merchant's), for severities.
    """
    now = now or timezone.now()
    findings = list(findings)
    kinds = set(kinds) if kinds is not None else set(AlertKind.values)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _apply(merchant, findings, now=now, kinds=kinds, thresholds=thresholds)
        except IntegrityError:
            # Only reachable when something wrote alerts outside the scan lock; the second
            # attempt sees those rows and updates them instead.
            if attempt == 2:
                raise
            logger.warning("merchant %s: scan raced another writer; applying again", merchant.pk)
    raise AssertionError("unreachable")


def _apply(merchant, findings: list, *, now, kinds: set[str], thresholds) -> ScanReport:
    report = ScanReport(merchant_id=merchant.pk)
    settings_row = crisis_settings_get(merchant=merchant)
    # The per-merchant scan lock (module docstring), taken before anything is read.
    CrisisSettings.objects.filter(pk=settings_row.pk).update(last_scan_at=now)
    thresholds = thresholds or crisis_thresholds(settings_row=settings_row)
    hours = crisis_sla_hours(settings_row=settings_row)

    crises = {
        crisis.group_key: crisis
        for crisis in Crisis.objects.select_for_update()
        .filter(merchant=merchant)
        .exclude(status=CrisisStatus.RESOLVED)
    }
    live = {
        alert.dedup_key: alert
        for alert in Alert.objects.select_for_update().filter(
            merchant=merchant, status__in=LIVE_ALERT_STATUSES
        )
    }
    unique = _findings_unique(findings)
    report.findings = len(unique)

    product_ids = {finding.product_id for finding in unique.values() if finding.product_id}
    product_ids |= {alert.product_id for alert in live.values() if alert.product_id}
    product_ids |= {crisis.product_id for crisis in crises.values() if crisis.product_id}
    titles = dict(
        Product.objects.filter(merchant=merchant, pk__in=product_ids).values_list("pk", "title")
    )

    updated: list[Alert] = []
    created: list[Alert] = []
    pending = _Pending()
    for key, finding in unique.items():
        if finding.kind not in AlertKind.values:
            logger.warning("merchant %s: finding %s of unknown kind skipped", merchant.pk, key)
            continue
        product_id = finding.product_id or None
        if product_id is not None and product_id not in titles:
            logger.warning("merchant %s: finding %s names an unknown product", merchant.pk, key)
            continue
        money = _money(finding.money_at_risk)
        severity = int(severity_for(money, thresholds))
        alert = live.get(key)
        if alert is not None:
            before = alert.severity
            alert.money_at_risk = money
            alert.severity = severity
            alert.title = str(finding.title)[:300]
            alert.summary = str(finding.summary)
            alert.evidence = finding.evidence or {}
            alert.last_detected_at = now
            alert.detections += 1
            alert.updated_at = now
            updated.append(alert)
            if severity != before:
                pending.severity_before[key] = before
            if severity > before:
                report.escalated += 1
                if not _is_snoozed(alert, now) and severity >= notify_min_severity():
                    pending.escalated.append((alert, before))
            continue
        alert = Alert(
            merchant=merchant,
            kind=finding.kind,
            product_id=product_id,
            aspect=str(finding.aspect or "")[:32],
            dedup_key=key,
            status=AlertStatus.OPEN,
            severity=severity,
            money_at_risk=money,
            title=str(finding.title)[:300],
            summary=str(finding.summary),
            evidence=finding.evidence or {},
            first_detected_at=now,
            last_detected_at=now,
            detections=1,
            created_at=now,
            updated_at=now,
        )
        created.append(alert)
        live[key] = alert

    cleared = [
        alert
        for key, alert in live.items()
        if key not in unique and alert.pk is not None and alert.kind in kinds
    ]
    for alert in cleared:
        del live[alert.dedup_key]

    # Crises: one per product (or the store) with live alerts; new ones open with their first.
    groups: dict[str, list[Alert]] = defaultdict(list)
    for alert in live.values():
        groups[group_key_for(alert.product_id)].append(alert)
    new_crises: list[Crisis] = []
    for group, members in groups.items():
        if group in crises:
            continue
        members.sort(key=lambda alert: (-alert.money_at_risk, -alert.severity, alert.kind))
        product_id = members[0].product_id
        crisis = Crisis(
            merchant=merchant,
            product_id=product_id,
            group_key=group,
            title=crisis_title(
                subject=crisis_subject(titles.get(product_id)),
                kinds=[alert.kind for alert in members],
            ),
            status=CrisisStatus.DETECTED,
            severity=max(alert.severity for alert in members),
            money_at_risk=sum((alert.money_at_risk for alert in members), Decimal(0)),
            detected_at=now,
            created_at=now,
            updated_at=now,
        )
        crisis_deadlines_open(crisis, hours=hours, now=now)
        crises[group] = crisis
        new_crises.append(crisis)
    Crisis.objects.bulk_create(new_crises)
    report.crises_opened = len(new_crises)

    moved_crisis: list[Alert] = []
    for alert in live.values():
        crisis = crises[group_key_for(alert.product_id)]
        if alert.crisis_id != crisis.pk:
            alert.crisis = crisis
            if alert.pk is not None:
                moved_crisis.append(alert)

    Alert.objects.bulk_create(created, batch_size=500)
    Alert.objects.bulk_update(
        updated,
        [
            "money_at_risk",
            "severity",
            "title",
            "summary",
            "evidence",
            "last_detected_at",
            "detections",
            "updated_at",
        ],
        batch_size=500,
    )
    if moved_crisis:
        Alert.objects.bulk_update(moved_crisis, ["crisis"], batch_size=500)
    if cleared:
        Alert.objects.filter(pk__in=[alert.pk for alert in cleared]).update(
            status=AlertStatus.RESOLVED,
            resolution=AlertResolution.CLEARED,
            resolved_at=now,
            updated_at=now,
        )
    report.opened, report.updated, report.resolved = len(created), len(updated), len(cleared)
    pending.opened = [alert for alert in created if alert.severity >= notify_min_severity()]

    events = _alert_events(merchant, created, updated, cleared, pending)

    # Every open crisis against its live alerts: money, severity, title, SLA, monitoring.
    by_crisis: dict[int, list[Alert]] = defaultdict(list)
    for alert in live.values():
        by_crisis[alert.crisis_id].append(alert)
    returned = {alert.crisis_id for alert in created}
    fresh = {crisis.pk for crisis in new_crises}
    changed_crises: list[Crisis] = []
    changed_fields: set[str] = set()
    for crisis in crises.values():
        if crisis.pk in fresh:
            continue
        fields, crisis_events = crisis_refresh(
            crisis,
            live=by_crisis.get(crisis.pk, []),
            subject=crisis_subject(titles.get(crisis.product_id)),
            hours=hours,
            now=now,
            returned=crisis.pk in returned,
        )
        if fields:
            crisis.updated_at = now
            changed_crises.append(crisis)
            changed_fields |= fields
            if "status" in fields and crisis.status == CrisisStatus.MONITORING:
                report.crises_monitoring += 1
        events.extend(crisis_events)
    if changed_crises:
        Crisis.objects.bulk_update(
            changed_crises, sorted(changed_fields | {"updated_at"}), batch_size=500
        )
    CrisisEvent.objects.bulk_create(events, batch_size=1000)

    report.notifications = _notifications_send(merchant, crises, pending, now)
    report.live_alerts = len(live)
    report.open_crises = len(crises)
    counts: dict[str, int] = defaultdict(int)
    for alert in live.values():
        counts[alert.kind] += 1
    report.by_kind = dict(sorted(counts.items()))
    return report


def _alert_events(merchant, created, updated, cleared, pending) -> list[CrisisEvent]:
    """The timeline lines of the alerts' changes (each on its alert's crisis)."""
    events: list[CrisisEvent] = []
    previous = (
        dict(
            Alert.objects.filter(
                merchant=merchant,
                status=AlertStatus.RESOLVED,
                dedup_key__in=[alert.dedup_key for alert in created],
            )
            .values("dedup_key")
            .annotate(last=Max("pk"))
            .values_list("dedup_key", "last")
        )
        if created
        else {}
    )

    def line(alert: Alert, kind: str, message: str, data: dict) -> None:
        if alert.crisis_id is None:
            return
        events.append(
            CrisisEvent(
                crisis_id=alert.crisis_id,
                merchant_id=merchant.pk,
                kind=kind,
                message=message,
                data={"alert": alert.pk, "kind": alert.kind, **data},
            )
        )

    for alert in created:
        returned = previous.get(alert.dedup_key)
        line(
            alert,
            CrisisEventKind.ALERT_ADDED,
            (_("The condition is back: %(title)s") if returned else _("New alert: %(title)s"))
            % {"title": alert.title},
            {
                "severity": alert.severity,
                "money_at_risk": str(alert.money_at_risk),
                **({"previous_alert": returned} if returned else {}),
            },
        )
    for alert in updated:
        before = pending.severity_before.get(alert.dedup_key)
        if before is None:
            continue
        values = {
            "before": Severity(before).label,
            "after": Severity(alert.severity).label,
            "title": alert.title,
        }
        line(
            alert,
            CrisisEventKind.ALERT_UPDATED,
            (
                _("Alert escalated from %(before)s to %(after)s: %(title)s")
                if alert.severity > before
                else _("Alert eased from %(before)s to %(after)s: %(title)s")
            )
            % values,
            {
                "change": "escalated" if alert.severity > before else "eased",
                "from": before,
                "to": alert.severity,
                "money_at_risk": str(alert.money_at_risk),
            },
        )
    for alert in cleared:
        line(
            alert,
            CrisisEventKind.ALERT_RESOLVED,
            _("The condition cleared: %(title)s") % {"title": alert.title},
            {"resolution": AlertResolution.CLEARED},
        )
    return events


def _notifications_send(merchant, crises: dict, pending: _Pending, now) -> int:
    """`alert_opened` and `alert_escalated`, costliest first, at most CRISIS_NOTIFY_MAX_PER_SCAN
    each; the rest in one summary line per event so a first scan does not flood anyone."""
    by_id = {crisis.pk: crisis for crisis in crises.values()}
    limit = notify_max_per_scan()
    sent = 0
    batches = (
        ("alert_opened", [(alert, None) for alert in pending.opened]),
        ("alert_escalated", pending.escalated),
    )
    for event, items in batches:
        items = sorted(items, key=lambda item: (-item[0].severity, -item[0].money_at_risk))
        for alert, _before in items[:limit]:
            crisis = by_id.get(alert.crisis_id)
            if crisis is None:
                continue
            crisis.merchant = merchant
            values = {
                "title": alert.title,
                "severity": Severity(alert.severity).label,
                "money": f"{alert.money_at_risk:,.2f}",
                "currency": merchant.currency,
            }
            if event == "alert_opened":
                title = _("%(severity)s alert: %(title)s") % values
            else:
                title = _("Escalated to %(severity)s: %(title)s") % values
            body = _("%(currency)s %(money)s at risk.") % values
            if alert.summary:
                body = f"{body} {alert.summary}"
            sent += crisis_notify(
                crisis=crisis,
                event=event,
                title=title,
                body=body[:2000],
                recipients=managers_and_owner(crisis),
            )
        rest = items[limit:]
        if rest:
            title = (
                ngettext(
                    "%(count)d more alert opened by the last scan.",
                    "%(count)d more alerts opened by the last scan.",
                    len(rest),
                )
                if event == "alert_opened"
                else ngettext(
                    "%(count)d more alert escalated by the last scan.",
                    "%(count)d more alerts escalated by the last scan.",
                    len(rest),
                )
            )
            notified = notify(
                merchant=merchant,
                event=event,
                title=title % {"count": len(rest)},
                body=_("Scan of %(time)s.") % {"time": local_time_text(merchant, now)},
                url=page_url("alert-list"),
            )
            sent += len(notified)
    return sent


# --- What people do to an alert ------------------------------------------------------------------


def _alert_locked(alert: Alert) -> tuple[Alert, Crisis | None]:
    """The alert's crisis (first) and the alert, both locked: the scan's lock order."""
    crisis = crisis_lock(alert.crisis) if alert.crisis_id else None
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    return alert, crisis


def _refuse_resolved(alert: Alert) -> None:
    if alert.status == AlertStatus.RESOLVED:
        raise CrisisError("alert_resolved", _("This alert is already resolved."))


def _acknowledge(alert: Alert, crisis: Crisis | None, user, now) -> bool:
    if alert.status != AlertStatus.OPEN:
        return False
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = user
    if crisis is not None and _mark_acknowledged(crisis, now):
        crisis.save(update_fields=["acknowledged_at", "updated_at"])
    return True


def alert_acknowledge(*, alert: Alert, user) -> Alert:
    """Someone has seen the alert: open -> acknowledged (already acknowledged: no-op); the
    first acknowledgement of a crisis's alerts stops its acknowledgement clock.
    Refused on a resolved alert (`alert_resolved`, 409)."""
    now = timezone.now()
    with transaction.atomic():
        alert, crisis = _alert_locked(alert)
        _refuse_resolved(alert)
        if _acknowledge(alert, crisis, user, now):
            alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
            if crisis is not None:
                crisis_event_add(
                    crisis=crisis,
                    kind=CrisisEventKind.ALERT_UPDATED,
                    actor=user,
                    message=_("Alert acknowledged: %(title)s") % {"title": alert.title},
                    data={"alert": alert.pk, "kind": alert.kind, "change": "acknowledged"},
                )
    return alert


def alert_snooze(*, alert: Alert, user, until: dt.datetime | None) -> Alert:
    """Silence the alert until `until` (None: wake it now). It stays live, keeps being updated
    by scans and still counts in its crisis, but notifies nobody while snoozed; snoozing an
    open alert acknowledges it (someone has seen it).

    Refused with `alert_resolved` (409), `invalid_snooze` (400) for a moment in the past or
    more than 90 days ahead.
    """
    now = timezone.now()
    if until is not None:
        if timezone.is_naive(until):
            raise CrisisError("invalid_snooze", _("Give the snooze end with a time zone."), INVALID)
        if until <= now:
            raise CrisisError("invalid_snooze", _("Snooze until a moment in the future."), INVALID)
        if until > now + SNOOZE_LONGEST:
            raise CrisisError(
                "invalid_snooze",
                _("Snooze for at most %(days)d days.") % {"days": SNOOZE_LONGEST.days},
                INVALID,
            )
    with transaction.atomic():
        alert, crisis = _alert_locked(alert)
        _refuse_resolved(alert)
        if until is None and alert.snoozed_until is None:
            return alert
        alert.snoozed_until = until
        fields = ["snoozed_until", "updated_at"]
        if until is not None and _acknowledge(alert, crisis, user, now):
            fields += ["status", "acknowledged_at", "acknowledged_by"]
        alert.save(update_fields=fields)
        if crisis is not None:
            if until is None:
                message = _("Alert woken up: %(title)s") % {"title": alert.title}
            else:
                message = _("Alert snoozed until %(until)s: %(title)s") % {
                    "until": local_time_text(crisis.merchant, until),
                    "title": alert.title,
                }
            crisis_event_add(
                crisis=crisis,
                kind=CrisisEventKind.ALERT_UPDATED,
                actor=user,
                message=message,
                data={
                    "alert": alert.pk,
                    "kind": alert.kind,
                    "change": "snoozed" if until else "unsnoozed",
                    "until": until.isoformat() if until else None,
                },
            )
    return alert


def alert_resolve(*, alert: Alert, user) -> Alert:
    """A person closes the alert (resolution "manual"). If the condition is still there the next
    scan opens a new alert; the crisis moves to "monitoring" when this was its last live alert.
    Refused on a resolved alert (`alert_resolved`, 409)."""
    now = timezone.now()
    with transaction.atomic():
        alert, crisis = _alert_locked(alert)
        _refuse_resolved(alert)
        alert.status = AlertStatus.RESOLVED
        alert.resolution = AlertResolution.MANUAL
        alert.resolved_at = now
        alert.resolved_by = user
        alert.save(
            update_fields=["status", "resolution", "resolved_at", "resolved_by", "updated_at"]
        )
        if crisis is not None:
            crisis_event_add(
                crisis=crisis,
                kind=CrisisEventKind.ALERT_RESOLVED,
                actor=user,
                message=_("Alert resolved: %(title)s") % {"title": alert.title},
                data={"alert": alert.pk, "kind": alert.kind, "resolution": AlertResolution.MANUAL},
            )
            if _mark_acknowledged(crisis, now):
                crisis.save(update_fields=["acknowledged_at", "updated_at"])
            crisis_refresh_save(crisis, now=now)
    return alert
