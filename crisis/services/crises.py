"""Crisis records: the timeline, status, owner, comments, resolving with a post-mortem.

A crisis groups the live alerts of one product (`group_key` "product:<id>") or of the whole
store ("store"); the scan (`crisis.services.alerts`) opens it with its first alert and keeps
its money at risk (the sum over its live alerts), severity (their maximum) and title. When its
last alert resolves it moves to "monitoring"; only a person resolves it, with a post-mortem.

    detected -> investigating -> mitigating -> monitoring -> resolved
                (and back: mitigating -> investigating, monitoring -> investigating/mitigating)
    resolved -> investigating                      crisis_reopen only

Every change leaves a line on the crisis timeline (`CrisisEvent`), notifications included.
Rows are locked crisis first, then its alerts, in every service and in the scan, so two
writers never wait on each other in opposite orders.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from notifications.events import MANAGERS, members_with_roles
from notifications.services import notify

from ..models import (
    LIVE_ALERT_STATUSES,
    Alert,
    AlertKind,
    AlertResolution,
    AlertStatus,
    Crisis,
    CrisisEvent,
    CrisisEventKind,
    CrisisStatus,
    Severity,
)
from .errors import INVALID, CrisisError
from .settings import crisis_settings_get, crisis_sla_hours
from .sla import crisis_deadline_reopen, crisis_deadlines_escalate

STORE_GROUP = "store"
COMMENT_MAX_LENGTH = 4000
POSTMORTEM_MAX_LENGTH = 4000

# Where a person may move a crisis with `crisis_status_set`. Resolving needs a post-mortem
# (`crisis_resolve`); a resolved crisis comes back with `crisis_reopen`; nobody moves a crisis
# back to "detected" (the scan does, when an alert returns to an unacknowledged crisis).
CRISIS_TRANSITIONS: dict[str, frozenset[str]] = {
    CrisisStatus.DETECTED: frozenset(
        {CrisisStatus.INVESTIGATING, CrisisStatus.MITIGATING, CrisisStatus.MONITORING}
    ),
    CrisisStatus.INVESTIGATING: frozenset({CrisisStatus.MITIGATING, CrisisStatus.MONITORING}),
    CrisisStatus.MITIGATING: frozenset({CrisisStatus.INVESTIGATING, CrisisStatus.MONITORING}),
    CrisisStatus.MONITORING: frozenset({CrisisStatus.INVESTIGATING, CrisisStatus.MITIGATING}),
    CrisisStatus.RESOLVED: frozenset(),
}


def group_key_for(product_id: int | None) -> str:
    return f"product:{product_id}" if product_id else STORE_GROUP


def local_time_text(merchant, value: dt.datetime) -> str:
    """A moment as the merchant reads it (their time zone), for timeline and notification text."""
    return value.astimezone(zoneinfo.ZoneInfo(merchant.timezone)).strftime("%Y-%m-%d %H:%M")


def page_url(name: str, **kwargs) -> str:
    """A portal page's path, or "" when the crisis pages are not installed."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # the pages are not installed (a trimmed URLconf)
        return ""


def crisis_url(crisis: Crisis) -> str:
    return page_url("crisis-detail", crisis_id=crisis.pk)


def alert_url(alert: Alert) -> str:
    return page_url("alert-detail", alert_id=alert.pk)


# --- Timeline and notifications ------------------------------------------------------------------


def crisis_event_add(
    *, crisis: Crisis, kind: str, actor=None, message: str = "", data: dict | None = None
) -> CrisisEvent:
    """Append one line to the crisis's timeline (the playbook and action services use it too)."""
    if kind not in CrisisEventKind.values:
        raise ValueError(f"Unknown crisis event kind {kind!r}")
    return CrisisEvent.objects.create(
        crisis=crisis,
        merchant_id=crisis.merchant_id,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        message=message,
        data=data or {},
    )


def crisis_notify(
    *,
    crisis: Crisis,
    event: str,
    title: str,
    body: str = "",
    url: str | None = None,
    recipients=None,
    context: dict | None = None,
) -> int:
    """Raise a notification about the crisis and record it on its timeline
    (`notification_sent`, with who got it in the portal). Call inside the transaction of the
    change; returns the number of people notified in the portal."""
    notifications = notify(
        merchant=crisis.merchant,
        event=event,
        title=title,
        body=body,
        url=crisis_url(crisis) if url is None else url,
        recipients=recipients,
        context=context,
    )
    people = sorted({item.recipient_id for item in notifications})
    crisis_event_add(
        crisis=crisis,
        kind=CrisisEventKind.NOTIFICATION_SENT,
        message=title,
        data={"event": event, "recipients": people},
    )
    return len(people)


def managers_and_owner(crisis: Crisis) -> list | None:
    """Who hears about a crisis by default: owners and managers, and its owner if it has one
    (None = the event's own audience, when there is no owner to add)."""
    if crisis.owner_id is None:
        return None
    people = members_with_roles(crisis.merchant, MANAGERS)
    if crisis.owner_id not in {person.pk for person in people}:
        people.append(crisis.owner)
    return people


# --- Money, severity, title ----------------------------------------------------------------------


def crisis_title(*, subject: str, kinds: Iterable[str]) -> str:
    """ "Summit Water Bottle: Negative-review surge, Stockout risk" (kinds by money at risk)."""
    labels = [str(AlertKind(kind).label) for kind in dict.fromkeys(kinds)]
    return (_("%(subject)s: %(problems)s") % {"subject": subject, "problems": ", ".join(labels)})[
        :300
    ]


def crisis_subject(product_title: str | None) -> str:
    return product_title or _("Whole store")


def crisis_refresh(
    crisis: Crisis,
    *,
    live: list[Alert],
    subject: str,
    hours: dict[int, tuple[float, float]],
    now: dt.datetime,
    returned: bool = False,
) -> tuple[set[str], list[CrisisEvent]]:
    """Bring a crisis in line with its live alerts (`live`), in memory: money at risk, severity,
    title, SLA deadlines when the severity rose, "monitoring" when nothing is live any more, and
    back from "monitoring" when an alert `returned`. Returns the changed fields and the timeline
    lines to write (unsaved); the caller saves both."""
    changed: set[str] = set()
    events: list[CrisisEvent] = []

    def event(kind: str, message: str, data: dict) -> None:
        events.append(
            CrisisEvent(
                crisis=crisis, merchant_id=crisis.merchant_id, kind=kind, message=message, data=data
            )
        )

    money = sum((alert.money_at_risk for alert in live), Decimal(0)).quantize(Decimal("0.01"))
    if money != crisis.money_at_risk:
        crisis.money_at_risk = money
        changed.add("money_at_risk")
    if live:
        ranked = sorted(live, key=lambda alert: (-alert.money_at_risk, -alert.severity, alert.kind))
        title = crisis_title(subject=subject, kinds=[alert.kind for alert in ranked])
        if title != crisis.title:
            crisis.title = title
            changed.add("title")
        severity = max(alert.severity for alert in live)
        if severity != crisis.severity:
            before = crisis.severity
            crisis.severity = severity
            changed.add("severity")
            event(
                CrisisEventKind.SEVERITY_CHANGED,
                _("Severity changed from %(before)s to %(after)s.")
                % {"before": Severity(before).label, "after": Severity(severity).label},
                {"from": before, "to": severity},
            )
            if severity > before and crisis.status != CrisisStatus.RESOLVED:
                changed.update(crisis_deadlines_escalate(crisis, hours=hours, now=now))
    if crisis.status == CrisisStatus.RESOLVED:
        return changed, events
    if not live and crisis.status != CrisisStatus.MONITORING:
        before = crisis.status
        crisis.status = CrisisStatus.MONITORING
        changed.add("status")
        event(
            CrisisEventKind.STATUS_CHANGED,
            _("Every alert has cleared: monitoring until someone resolves the crisis."),
            {"from": before, "to": CrisisStatus.MONITORING, "automatic": True},
        )
    elif live and returned and crisis.status == CrisisStatus.MONITORING:
        after = (
            CrisisStatus.DETECTED if crisis.acknowledged_at is None else CrisisStatus.INVESTIGATING
        )
        crisis.status = after
        changed.add("status")
        event(
            CrisisEventKind.STATUS_CHANGED,
            _("An alert came back while the crisis was being monitored."),
            {"from": CrisisStatus.MONITORING, "to": after, "automatic": True},
        )
    return changed, events


def crisis_refresh_save(crisis: Crisis, *, now: dt.datetime, returned: bool = False) -> None:
    """`crisis_refresh` from the database and saved: after a person changed one of its alerts.
    The caller holds the crisis's row lock."""
    live = list(crisis.alerts.filter(status__in=LIVE_ALERT_STATUSES))
    hours = crisis_sla_hours(settings_row=crisis_settings_get(merchant=crisis.merchant))
    subject = crisis_subject(crisis.product.title if crisis.product_id else None)
    changed, events = crisis_refresh(
        crisis, live=live, subject=subject, hours=hours, now=now, returned=returned
    )
    if changed:
        crisis.save(update_fields=[*changed, "updated_at"])
    CrisisEvent.objects.bulk_create(events)


# --- Locks ---------------------------------------------------------------------------------------


def crisis_lock(crisis: Crisis) -> Crisis:
    """The crisis's row, locked until the transaction ends, with what the services read."""
    return (
        Crisis.objects.select_for_update(of=("self",))
        .select_related("merchant", "owner", "product")
        .get(pk=crisis.pk)
    )


def _mark_acknowledged(crisis: Crisis, now: dt.datetime) -> bool:
    """The first response to a crisis (an alert acknowledged or snoozed, the crisis moved past
    "detected", assigned, resolved) stops its acknowledgement clock."""
    if crisis.acknowledged_at is None:
        crisis.acknowledged_at = now
        return True
    return False


# --- What people do ------------------------------------------------------------------------------


def crisis_status_set(*, crisis: Crisis, status: str, user) -> Crisis:
    """Move a crisis to `status` along `CRISIS_TRANSITIONS`; the same status is a no-op.

    Refused with CrisisError: `invalid_status` (400) for an unknown status,
    `postmortem_required` (409) for "resolved" (use `crisis_resolve`), `crisis_resolved` (409)
    on a resolved crisis (use `crisis_reopen`), `invalid_transition` (409) otherwise.
    """
    if status not in CrisisStatus.values:
        raise CrisisError("invalid_status", _("Unknown crisis status."), INVALID)
    now = timezone.now()
    with transaction.atomic():
        crisis = crisis_lock(crisis)
        if crisis.status == status:
            return crisis
        if status == CrisisStatus.RESOLVED:
            raise CrisisError(
                "postmortem_required", _("Resolving a crisis asks for a short post-mortem.")
            )
        if crisis.status == CrisisStatus.RESOLVED:
            raise CrisisError(
                "crisis_resolved", _("This crisis is resolved; reopen it to change its status.")
            )
        if status not in CRISIS_TRANSITIONS[crisis.status]:
            raise CrisisError(
                "invalid_transition",
                _("A crisis cannot move from “%(from)s” to “%(to)s”.")
                % {
                    "from": CrisisStatus(crisis.status).label,
                    "to": CrisisStatus(status).label,
                },
            )
        before = crisis.status
        crisis.status = status
        fields = ["status", "updated_at"]
        if _mark_acknowledged(crisis, now):
            fields.append("acknowledged_at")
        crisis.save(update_fields=fields)
        crisis_event_add(
            crisis=crisis,
            kind=CrisisEventKind.STATUS_CHANGED,
            actor=user,
            message=_("Status changed from “%(from)s” to “%(to)s”.")
            % {"from": CrisisStatus(before).label, "to": CrisisStatus(status).label},
            data={"from": before, "to": status},
        )
    return crisis


def crisis_acknowledge(*, crisis: Crisis, user) -> Crisis:
    """ "I am on it": acknowledges the crisis and its open alerts, and moves a crisis still
    "detected" to "investigating". Refused on a resolved crisis (`crisis_resolved`, 409)."""
    now = timezone.now()
    with transaction.atomic():
        crisis = crisis_lock(crisis)
        if crisis.status == CrisisStatus.RESOLVED:
            raise CrisisError("crisis_resolved", _("This crisis is already resolved."))
        opened = list(
            crisis.alerts.select_for_update()
            .filter(status=AlertStatus.OPEN)
            .values_list("pk", flat=True)
        )
        Alert.objects.filter(pk__in=opened).update(
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_at=now,
            acknowledged_by=user,
            updated_at=now,
        )
        fields = ["updated_at"]
        if _mark_acknowledged(crisis, now):
            fields.append("acknowledged_at")
        before = crisis.status
        if before == CrisisStatus.DETECTED:
            crisis.status = CrisisStatus.INVESTIGATING
            fields.append("status")
        crisis.save(update_fields=fields)
        if len(fields) > 1 or opened:
            crisis_event_add(
                crisis=crisis,
                kind=CrisisEventKind.STATUS_CHANGED
                if before != crisis.status
                else CrisisEventKind.ALERT_UPDATED,
                actor=user,
                message=_("Acknowledged (%(count)d open alerts).") % {"count": len(opened)},
                data={
                    "from": before,
                    "to": crisis.status,
                    "acknowledged_alerts": opened,
                },
            )
    return crisis


def crisis_assign(*, crisis: Crisis, owner, user) -> Crisis:
    """Give the crisis an owner (None: nobody) and tell them (`crisis_assigned`).

    Refused with CrisisError `not_a_member` (400) when the owner is not an active member of the
    crisis's merchant, `crisis_resolved` (409) on a resolved crisis.
    """
    now = timezone.now()
    with transaction.atomic():
        crisis = crisis_lock(crisis)
        if crisis.status == CrisisStatus.RESOLVED:
            raise CrisisError("crisis_resolved", _("A resolved crisis cannot be reassigned."))
        if owner is not None:
            owner_id = getattr(owner, "pk", owner)
            if not Membership.objects.filter(
                merchant_id=crisis.merchant_id, user_id=owner_id, user__is_active=True
            ).exists():
                raise CrisisError(
                    "not_a_member",
                    _("A crisis can only be assigned to a member of this store."),
                    INVALID,
                )
            owner = get_user_model().objects.get(pk=owner_id)
        if (owner.pk if owner else None) == crisis.owner_id:
            return crisis
        before = crisis.owner
        crisis.owner = owner
        fields = ["owner", "updated_at"]
        if owner is not None and _mark_acknowledged(crisis, now):
            fields.append("acknowledged_at")
        crisis.save(update_fields=fields)
        if owner is None:
            message = _("Unassigned (was %(before)s).") % {"before": before.get_username()}
        else:
            message = _("Assigned to %(owner)s.") % {"owner": owner.get_username()}
        crisis_event_add(
            crisis=crisis,
            kind=CrisisEventKind.OWNER_CHANGED,
            actor=user,
            message=message,
            data={"from": before.pk if before else None, "to": owner.pk if owner else None},
        )
        if owner is not None:
            crisis_notify(
                crisis=crisis,
                event="crisis_assigned",
                title=_("Crisis assigned to you: %(title)s") % {"title": crisis.title},
                body=_("%(by)s made you the owner of this crisis.")
                % {"by": user.get_username() if user else _("EcomOps")},
                context={"assignee": owner},
            )
    return crisis


def crisis_comment(*, crisis: Crisis, user, text: str) -> CrisisEvent:
    """Add a comment to the timeline; refused when empty or longer than 4,000 characters."""
    text = (text or "").strip()
    if not text:
        raise CrisisError("empty_comment", _("Write something first."), INVALID)
    if len(text) > COMMENT_MAX_LENGTH:
        raise CrisisError(
            "comment_too_long",
            _("A comment has at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH},
            INVALID,
        )
    return crisis_event_add(crisis=crisis, kind=CrisisEventKind.COMMENT, actor=user, message=text)


def crisis_resolve(
    *, crisis: Crisis, user, cause: str, worked: str = "", followups: str = ""
) -> Crisis:
    """Close the crisis with its post-mortem (the cause is required, the rest recorded when
    given) and resolve its live alerts (resolution "crisis_resolved"). A condition that is still
    there opens a new alert, and a new crisis, at the next scan.

    Refused with CrisisError `postmortem_required` (400) without a cause, `postmortem_too_long`
    (400), `crisis_resolved` (409) when it already is.
    """
    cause, worked, followups = ((value or "").strip() for value in (cause, worked, followups))
    if not cause:
        raise CrisisError(
            "postmortem_required", _("Say what caused the crisis before resolving it."), INVALID
        )
    if any(len(value) > POSTMORTEM_MAX_LENGTH for value in (cause, worked, followups)):
        raise CrisisError(
            "postmortem_too_long",
            _("Each post-mortem answer has at most %(max)d characters.")
            % {"max": POSTMORTEM_MAX_LENGTH},
            INVALID,
        )
    now = timezone.now()
    with transaction.atomic():
        crisis = crisis_lock(crisis)
        if crisis.status == CrisisStatus.RESOLVED:
            raise CrisisError("crisis_resolved", _("This crisis is already resolved."))
        live = list(
            crisis.alerts.select_for_update()
            .filter(status__in=LIVE_ALERT_STATUSES)
            .values_list("pk", "title")
        )
        Alert.objects.filter(pk__in=[pk for pk, _title in live]).update(
            status=AlertStatus.RESOLVED,
            resolution=AlertResolution.CRISIS_RESOLVED,
            resolved_at=now,
            resolved_by=user,
            updated_at=now,
        )
        before = crisis.status
        crisis.status = CrisisStatus.RESOLVED
        crisis.resolved_at = now
        crisis.resolved_by = user
        crisis.money_at_risk = Decimal(0)
        crisis.postmortem_cause = cause
        crisis.postmortem_worked = worked
        crisis.postmortem_followups = followups
        _mark_acknowledged(crisis, now)
        crisis.save()
        CrisisEvent.objects.bulk_create(
            [
                CrisisEvent(
                    crisis=crisis,
                    merchant_id=crisis.merchant_id,
                    kind=CrisisEventKind.ALERT_RESOLVED,
                    actor=user,
                    message=_("Alert resolved with the crisis: %(title)s") % {"title": title},
                    data={"alert": pk, "resolution": AlertResolution.CRISIS_RESOLVED},
                )
                for pk, title in live
            ]
            + [
                CrisisEvent(
                    crisis=crisis,
                    merchant_id=crisis.merchant_id,
                    kind=CrisisEventKind.POSTMORTEM,
                    actor=user,
                    message=cause,
                    data={"cause": cause, "worked": worked, "followups": followups},
                ),
                CrisisEvent(
                    crisis=crisis,
                    merchant_id=crisis.merchant_id,
                    kind=CrisisEventKind.STATUS_CHANGED,
                    actor=user,
                    message=_("Resolved."),
                    data={"from": before, "to": CrisisStatus.RESOLVED},
                ),
            ]
        )
    return crisis


def crisis_reopen(*, crisis: Crisis, user) -> Crisis:
    """Open a resolved crisis again ("investigating", a fresh resolve deadline); its
    post-mortem stays until it is resolved again. The next scan attaches the conditions still
    standing to it. Refused with `not_resolved` (409) when it is not resolved and
    `group_has_open_crisis` (409) when a newer crisis of the same product is open."""
    now = timezone.now()
    with transaction.atomic():
        crisis = crisis_lock(crisis)
        if crisis.status != CrisisStatus.RESOLVED:
            raise CrisisError("not_resolved", _("Only a resolved crisis can be reopened."))
        newer = (
            Crisis.objects.filter(merchant_id=crisis.merchant_id, group_key=crisis.group_key)
            .open()
            .first()
        )
        if newer is not None:
            raise CrisisError(
                "group_has_open_crisis",
                _("“%(title)s” is open for the same product; continue there.")
                % {"title": newer.title},
            )
        hours = crisis_sla_hours(settings_row=crisis_settings_get(merchant=crisis.merchant))
        crisis.status = CrisisStatus.INVESTIGATING
        crisis.resolved_at = None
        crisis.resolved_by = None
        crisis_deadline_reopen(crisis, hours=hours, now=now)
        crisis.save()
        crisis_event_add(
            crisis=crisis,
            kind=CrisisEventKind.REOPENED,
            actor=user,
            message=_("Reopened."),
            data={"from": CrisisStatus.RESOLVED, "to": CrisisStatus.INVESTIGATING},
        )
    return crisis
