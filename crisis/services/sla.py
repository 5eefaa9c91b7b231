"""SLA by severity: when a crisis must be acknowledged and resolved, and the sweep that warns
once per missed deadline.

Deadlines are set when a crisis opens (from its detection) and again when its severity rises
(never further away while they are still ahead: an escalation cannot buy time; a deadline
already missed is replaced). A new deadline re-arms its warning.
The sweep (`crisis.tasks.crisis_sla_sweep`, every CRISIS_SLA_SWEEP_SECONDS) claims each missed
deadline with a conditional UPDATE of its guard field, so a warning is sent exactly once however
many sweeps overlap; the claim, the `sla_breached` timeline line and the notification commit
together, so a failed notification leaves the deadline unclaimed for the next sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Crisis, CrisisEventKind, CrisisStatus, Severity

logger = logging.getLogger(__name__)

# A deadline is "due soon" once less than this share of its window is left (the crisis pages and
# the selectors use the same rule).
SLA_DUE_SOON_SHARE = 0.25

ACKNOWLEDGE = "acknowledge"
RESOLVE = "resolve"


def sla_deadlines(
    *, severity: int, start: dt.datetime, hours: dict[int, tuple[float, float]]
) -> tuple[dt.datetime, dt.datetime]:
    """(acknowledge by, resolve by) for a crisis of `severity` counted from `start`."""
    acknowledge, resolve = hours.get(int(severity)) or hours[max(hours)]
    return start + dt.timedelta(hours=acknowledge), start + dt.timedelta(hours=resolve)


def crisis_deadlines_open(
    crisis: Crisis, *, hours: dict[int, tuple[float, float]], now: dt.datetime
) -> None:
    """Set both deadlines of a crisis that has just been detected (not saved here)."""
    crisis.acknowledge_due_at, crisis.resolve_due_at = sla_deadlines(
        severity=crisis.severity, start=crisis.detected_at or now, hours=hours
    )
    crisis.acknowledge_breach_notified_at = None
    crisis.resolve_breach_notified_at = None


def crisis_deadlines_escalate(
    crisis: Crisis, *, hours: dict[int, tuple[float, float]], now: dt.datetime
) -> list[str]:
    """The crisis's severity rose: each pending deadline becomes that of the new severity
    counted from now, unless the one it has is sooner and still ahead (an escalation cannot buy
    time). A deadline already missed is replaced, so the escalated crisis can be warned about
    again. Returns the fields changed (not saved here)."""
    acknowledge, resolve = sla_deadlines(severity=crisis.severity, start=now, hours=hours)

    def replaces(current: dt.datetime | None, new: dt.datetime) -> bool:
        return current is None or current <= now or new < current

    changed = []
    if crisis.acknowledged_at is None and replaces(crisis.acknowledge_due_at, acknowledge):
        crisis.acknowledge_due_at = acknowledge
        crisis.acknowledge_breach_notified_at = None
        changed += ["acknowledge_due_at", "acknowledge_breach_notified_at"]
    if replaces(crisis.resolve_due_at, resolve):
        crisis.resolve_due_at = resolve
        crisis.resolve_breach_notified_at = None
        changed += ["resolve_due_at", "resolve_breach_notified_at"]
    return changed


def crisis_deadline_reopen(
    crisis: Crisis, *, hours: dict[int, tuple[float, float]], now: dt.datetime
) -> None:
    """A resolved crisis was reopened: a fresh resolve deadline from now (not saved here)."""
    _acknowledge, crisis.resolve_due_at = sla_deadlines(
        severity=crisis.severity, start=now, hours=hours
    )
    crisis.resolve_breach_notified_at = None


# --- The sweep -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaSweepReport:
    acknowledge_breaches: int
    resolve_breaches: int


def _breach_notify(crisis: Crisis, step: str, due: dt.datetime, now: dt.datetime) -> None:
    # Imported here: `crises` builds on the deadline helpers above.
    from .crises import crisis_event_add, crisis_notify, local_time_text

    severity = Severity(crisis.severity).label
    due_text = local_time_text(crisis.merchant, due)
    if step == ACKNOWLEDGE:
        message = _("Nobody acknowledged this %(severity)s crisis by its deadline (%(due)s).") % {
            "severity": severity,
            "due": due_text,
        }
        title = _("Not acknowledged in time: %(title)s") % {"title": crisis.title}
    else:
        message = _("This %(severity)s crisis was not resolved by its deadline (%(due)s).") % {
            "severity": severity,
            "due": due_text,
        }
        title = _("Not resolved in time: %(title)s") % {"title": crisis.title}
    crisis_event_add(
        crisis=crisis,
        kind=CrisisEventKind.SLA_BREACHED,
        message=message,
        data={"step": step, "due_at": due.isoformat(), "severity": crisis.severity},
    )
    crisis_notify(
        crisis=crisis,
        event="crisis_sla_breached",
        title=title,
        body=message,
        context={"assignee": crisis.owner},
    )


def _sweep_step(step: str, now: dt.datetime) -> int:
    if step == ACKNOWLEDGE:
        due_field, guard = "acknowledge_due_at", "acknowledge_breach_notified_at"
        pending = Q(acknowledged_at__isnull=True)
    else:
        due_field, guard = "resolve_due_at", "resolve_breach_notified_at"
        pending = Q()
    candidates = (
        Crisis.objects.exclude(status=CrisisStatus.RESOLVED)
        .filter(pending, **{f"{due_field}__lte": now, f"{guard}__isnull": True})
        .values_list("pk", due_field)
    )
    sent = 0
    for crisis_id, due in candidates:
        try:
            with transaction.atomic():
                # The claim: only one sweep moves the guard from NULL for this deadline.
                claimed = (
                    Crisis.objects.exclude(status=CrisisStatus.RESOLVED)
                    .filter(pending, pk=crisis_id, **{due_field: due, f"{guard}__isnull": True})
                    .update(**{guard: now})
                )
                if not claimed:
                    continue
                crisis = Crisis.objects.select_related("merchant", "owner").get(pk=crisis_id)
                with translation.override(crisis.merchant.default_language):
                    _breach_notify(crisis, step, due, now)
        except Exception:
            # Rolled back with its claim: the next sweep tries this deadline again.
            logger.exception("crisis %s: SLA %s warning failed", crisis_id, step)
            continue
        sent += 1
    return sent


def crisis_sla_sweep(*, now: dt.datetime | None = None) -> SlaSweepReport:
    """Warn about every missed deadline not warned about yet, once each (see the module)."""
    now = now or timezone.now()
    return SlaSweepReport(
        acknowledge_breaches=_sweep_step(ACKNOWLEDGE, now),
        resolve_breaches=_sweep_step(RESOLVE, now),
    )
