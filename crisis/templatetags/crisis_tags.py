"""Presentation helpers of the crisis pages: severity badges that carry text and a shape (never
colour only), SLA states, durations in words, and the product page's crisis card."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import RESPOND_CRISES, role_can
from crisis.models import AlertKind, AlertStatus, CrisisEventKind, CrisisStatus, Severity
from crisis.selectors.crises import alert_list, crisis_board
from crisis.services.sla import SLA_DUE_SOON_SHARE

register = template.Library()


PRODUCT_CARD_ALERTS = 5
MAX_EVENT_LINKS = 10

SEVERITY_CLASSES = {
    Severity.CRITICAL: "text-bg-danger",
    Severity.HIGH: "text-bg-warning",
    Severity.MEDIUM: "text-bg-info",
    Severity.LOW: "text-bg-secondary",
}
# Icons are decorative (aria-hidden); the label says the same in words.
KIND_ICONS = {
    AlertKind.STOCKOUT_RISK: "📦",
    AlertKind.OVERSTOCK: "🏬",
    AlertKind.SALES_DROP: "📉",
    AlertKind.REVIEW_SURGE: "💬",
    AlertKind.RATING_DROP: "⭐",
}
STATUS_CLASSES = {
    CrisisStatus.DETECTED: "text-bg-danger-subtle text-danger-emphasis border border-danger-subtle",
    CrisisStatus.INVESTIGATING: "text-bg-warning-subtle text-warning-emphasis border",
    CrisisStatus.MITIGATING: "text-bg-primary-subtle text-primary-emphasis border",
    CrisisStatus.MONITORING: "text-bg-info-subtle text-info-emphasis border",
    CrisisStatus.RESOLVED: "text-bg-success-subtle text-success-emphasis border",
    AlertStatus.OPEN: "text-bg-danger-subtle text-danger-emphasis border border-danger-subtle",
    AlertStatus.ACKNOWLEDGED: "text-bg-warning-subtle text-warning-emphasis border",
}


def _severity(value) -> Severity | None:
    try:
        return Severity(int(value))
    except (TypeError, ValueError):
        return None


@register.simple_tag
def severity_badge(value) -> str:
    """`▮▮▮▯ High`: the bars give the level a shape, the word says it; colour only adds."""
    severity = _severity(value)
    if severity is None:
        return ""
    bars = "▮" * severity.value + "▯" * (Severity.CRITICAL.value - severity.value)
    return format_html(
        '<span class="badge {} severity-badge" data-severity="{}">'
        '<span aria-hidden="true" class="me-1">{}</span>'
        '<span class="visually-hidden">{} </span>{}</span>',
        SEVERITY_CLASSES[severity],
        severity.value,
        bars,
        _("Severity:"),
        severity.label,
    )


@register.simple_tag
def status_badge(obj) -> str:
    """A crisis's or an alert's status as a labelled badge."""
    status = getattr(obj, "status", "")
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        STATUS_CLASSES.get(status, "text-bg-light border"),
        status,
        obj.get_status_display(),
    )


@register.filter
def kind_icon(kind: str) -> str:
    return KIND_ICONS.get(kind, "⚠")


@register.simple_tag
def kind_label(kind: str) -> str:
    """An alert kind with its icon (decorative) and its name."""
    try:
        label = AlertKind(kind).label
    except ValueError:
        label = kind
    return format_html(
        '<span class="text-nowrap alert-kind" data-kind="{}"><span aria-hidden="true">{}</span> {}'
        "</span>",
        kind,
        kind_icon(kind),
        label,
    )


@register.simple_tag
def crisis_alert_kinds(crisis) -> list[str]:
    """The kinds of a crisis's live alerts, most money at risk first, each once. Reads the
    `live_alert_rows` the board prefetches (else the crisis's alerts)."""
    alerts = getattr(crisis, "live_alert_rows", None)
    if alerts is None:
        alerts = [alert for alert in crisis.alerts.all() if alert.status != AlertStatus.RESOLVED]
    kinds: list[str] = []
    for alert in sorted(alerts, key=lambda alert: -alert.money_at_risk):
        if alert.kind not in kinds:
            kinds.append(alert.kind)
    return kinds


@register.filter
def elapsed(value) -> str:
    """A timedelta in words, at most two units: `45 min`, `3 h 20 min`, `2 days 4 h`."""
    if value is None or value == "":
        return "—"
    if isinstance(value, int | float):
        value = dt.timedelta(seconds=value)
    seconds = max(0, int(value.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        if hours:
            text += " " + _("%(hours)d h") % {"hours": hours}
        return text
    if hours:
        text = _("%(hours)d h") % {"hours": hours}
        if minutes:
            text += " " + _("%(minutes)d min") % {"minutes": minutes}
        return text
    return _("%(minutes)d min") % {"minutes": minutes}


# --- SLA -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaState:
    """Where a crisis stands against its SLA.

    `state`: breached, due_soon, on_track, met, missed or none; `step`: acknowledge or resolve
    (which deadline is meant); `due_at` that deadline; `left` the time left (negative once past).
    """

    state: str
    step: str
    due_at: dt.datetime | None
    left: dt.timedelta | None

    @property
    def label(self) -> str:
        if self.state == "breached":
            if self.step == "acknowledge":
                return _("Acknowledgement overdue")
            return _("Resolution overdue")
        if self.state == "due_soon":
            if self.step == "acknowledge":
                return _("Acknowledge soon")
            return _("Resolve soon")
        if self.state == "on_track":
            return _("On track")
        if self.state == "met":
            return _("Resolved within the SLA")
        if self.state == "missed":
            return _("Resolved after the SLA")
        return _("No SLA")

    @property
    def css(self) -> str:
        return {
            "breached": "text-bg-danger",
            "due_soon": "text-bg-warning",
            "missed": "text-bg-light border border-danger text-danger-emphasis",
        }.get(self.state, "text-bg-light border")

    @property
    def icon(self) -> str:
        return {"breached": "⛔", "due_soon": "⏳", "missed": "⛔", "met": "✓"}.get(self.state, "")

    @property
    def warning(self) -> bool:
        return self.state in ("breached", "due_soon")


def sla_state(crisis, *, now: dt.datetime | None = None) -> SlaState:
    """The deadline that matters now: acknowledging until someone has, then resolving.

    Crises from `crisis.selectors.crises` carry it annotated by the query (`sla_state`,
    `sla_step`, `sla_due_at`, with the rule of `SLA_DUE_SOON_SHARE` of the SLA window); a
    crisis loaded otherwise gets the same rule here, with its own deadlines as the window.
    """
    now = now or timezone.now()
    if hasattr(crisis, "sla_state"):
        due = crisis.sla_due_at
        left = due - now if due is not None and crisis.sla_state not in ("met", "missed") else None
        return SlaState(crisis.sla_state, crisis.sla_step, due, left)
    if crisis.status == CrisisStatus.RESOLVED:
        due = crisis.resolve_due_at
        if due is None or crisis.resolved_at is None:
            return SlaState("none", "resolve", due, None)
        return SlaState("met" if crisis.resolved_at <= due else "missed", "resolve", due, None)
    if crisis.acknowledged_at is None and crisis.acknowledge_due_at is not None:
        step, due = "acknowledge", crisis.acknowledge_due_at
    else:
        step, due = "resolve", crisis.resolve_due_at
    if due is None:
        return SlaState("none", step, None, None)
    left = due - now
    if left.total_seconds() <= 0:
        return SlaState("breached", step, due, left)
    window = due - crisis.detected_at if crisis.detected_at else None
    if window is not None and left <= window * SLA_DUE_SOON_SHARE:
        return SlaState("due_soon", step, due, left)
    return SlaState("on_track", step, due, left)


@register.simple_tag
def crisis_sla(crisis) -> SlaState:
    """`{% crisis_sla crisis as sla %}`."""
    return sla_state(crisis)


@register.simple_tag
def sla_badge(crisis) -> str:
    sla = sla_state(crisis)
    if sla.state == "none":
        return format_html('<span class="text-body-secondary">{}</span>', "—")
    if sla.state in ("met", "missed"):
        title = ""
    elif sla.left is not None and sla.left.total_seconds() < 0:
        title = _("%(time)s overdue") % {"time": elapsed(-sla.left)}
    else:
        title = _("%(time)s left") % {"time": elapsed(sla.left)}
    return format_html(
        '<span class="badge {} sla-badge" data-sla="{}" title="{}"><span aria-hidden="true">{}'
        "</span> {}</span>{}",
        sla.css,
        sla.state,
        title,
        sla.icon,
        sla.label,
        format_html('<span class="d-block small text-body-secondary">{}</span>', title)
        if title
        else "",
    )


# --- Playbooks ----------------------------------------------------------------------------------

# A statement cites the evidence by label: A<id> alert, T<id> complaint topic, R<id> review
# (`crisis.playbooks.evidence`); the ids are the database's, so each label links to its page.
CITATION = re.compile(r"^([ATR])(\d{1,9})$")
CITATION_TARGETS = {
    "A": ("alert-detail", "alert_id"),
    "T": ("review-topic", "topic_id"),
    "R": ("review-detail", "review_id"),
}
MODEL = "model"
EVIDENCE = "evidence"
MIXED = "mixed"
PLAYBOOK_SECTIONS = ("what_happened", "likely_cause")


def citation_link(label) -> dict:
    """`{"label": "T3", "url": "/reviews/topics/3/", "title": "Complaint topic 3"}`."""
    label = str(label).strip().upper()
    match = CITATION.match(label)
    if not match:
        return {"label": label, "url": "", "title": ""}
    letter, number = match.group(1), int(match.group(2))
    name, kwarg = CITATION_TARGETS[letter]
    titles = {
        "A": _("Alert %(number)s"),
        "T": _("Complaint topic %(number)s"),
        "R": _("Review %(number)s"),
    }
    return {
        "label": label,
        "url": reverse(name, kwargs={kwarg: number}),
        "title": titles[letter] % {"number": number},
    }


def _statements(value) -> list[dict]:
    """A section as a list of `{"text", "citations", "source"}` (plain text: one statement)."""
    if not value:
        return []
    if isinstance(value, str):
        return [{"text": value, "citations": [], "source": ""}]
    statements = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str):
            statements.append({"text": item, "citations": [], "source": ""})
        elif isinstance(item, dict) and item.get("text"):
            statements.append(
                {
                    "text": str(item["text"]),
                    "citations": [citation_link(label) for label in item.get("citations") or []],
                    "source": item.get("source") or "",
                }
            )
    return statements


@register.simple_tag
def playbook_statements(playbook, section: str) -> list[dict]:
    """`{% playbook_statements playbook "what_happened" as statements %}`: the section's
    statements with their citations as links (`sections["statements"]`, written by
    `crisis.playbooks.generate`; a playbook with plain text sections gives one statement)."""
    sections = playbook.sections if isinstance(playbook.sections, dict) else {}
    statements = sections.get("statements")
    if isinstance(statements, dict) and section in statements:
        return _statements(statements[section])
    return _statements(sections.get(section))


@register.simple_tag
def playbook_citations(playbook) -> list[dict]:
    """The evidence the playbook cites, each with what it is and a link to it."""
    sections = playbook.sections if isinstance(playbook.sections, dict) else {}
    rows = []
    for item in sections.get("citations") or []:
        if isinstance(item, dict) and item.get("label"):
            link = citation_link(item["label"])
            rows.append({**link, "note": str(item.get("note") or "")})
    return rows


def playbook_source(playbook) -> str:
    """model (drafted by the language model), evidence (composed from the evidence when the
    model's text was unusable), mixed, or "" while there is no text."""
    sections = playbook.sections if isinstance(playbook.sections, dict) else {}
    if sections.get("source") in (MODEL, EVIDENCE, MIXED):
        return sections["source"]
    sources = {
        statement["source"] or MODEL
        for name in PLAYBOOK_SECTIONS
        for statement in playbook_statements(playbook, name)
    }
    if not sources:
        return ""
    if len(sources) > 1:
        return MIXED
    return EVIDENCE if sources == {EVIDENCE} else MODEL


@register.simple_tag
def playbook_source_badge(playbook) -> str:
    source = playbook_source(playbook)
    if source == EVIDENCE:
        text = _("composed from the evidence")
        title = _(
            "The language model's draft could not be tied to the evidence, so this text states "
            "only the evidence's own numbers and words."
        )
        css = "text-bg-warning"
    elif source == MIXED:
        text = _("partly composed from the evidence")
        title = _("Statements marked “from the evidence” were composed without the model.")
        css = "text-bg-light border"
    elif source == MODEL:
        text = _("drafted by the language model")
        title = _("Every statement shown was checked against the evidence it cites.")
        css = "text-bg-light border"
    else:
        return ""
    return format_html(
        '<span class="badge {}" data-playbook-source="{}" title="{}">{}</span>',
        css,
        source,
        title,
        text,
    )


@register.simple_tag
def dropped_text(statement) -> str:
    """A dropped statement and why it was dropped."""
    if isinstance(statement, dict):
        text = statement.get("text") or ""
        reason = statement.get("reason") or ""
    else:
        text, reason = str(statement), ""
    if reason:
        return format_html('{} <span class="fst-italic">({})</span>', text, reason)
    return format_html("{}", text)


# --- The product page's card ---------------------------------------------------------------------


@register.inclusion_tag("crisis/_product_card.html", takes_context=True)
def crisis_product_card(context, product):
    """The product's open crisis (if any) and its live alerts, for the product page."""
    request = context.get("request")
    merchant = getattr(request, "merchant", None)
    membership = getattr(request, "membership", None)
    crisis, alerts = None, []
    if merchant is not None and product.merchant_id == merchant.pk:
        # Bounded reads: the product's one unresolved crisis and its worst live alerts.
        crisis = crisis_board(merchant=merchant).filter(product=product).first()
        alerts = list(alert_list(merchant=merchant, product=product)[:PRODUCT_CARD_ALERTS])
    return {
        "product": product,
        "crisis": crisis,
        "alerts": alerts,
        "currency": merchant.currency if merchant else "",
        "can_respond": role_can(membership.role if membership else None, RESPOND_CRISES),
        "request": request,
    }


# --- Actions and the timeline --------------------------------------------------------------------

ACTION_STATUS_CLASSES = {
    "proposed": "text-bg-warning",
    "approved": "text-bg-info",
    "applied": "text-bg-success",
    "rejected": "text-bg-secondary",
    "failed": "text-bg-danger",
}
EVENT_ICONS = {
    CrisisEventKind.ALERT_ADDED: "🔔",
    CrisisEventKind.ALERT_UPDATED: "🔁",
    CrisisEventKind.ALERT_RESOLVED: "✓",
    CrisisEventKind.STATUS_CHANGED: "➜",
    CrisisEventKind.OWNER_CHANGED: "👤",
    CrisisEventKind.SEVERITY_CHANGED: "▲",
    CrisisEventKind.COMMENT: "💬",
    CrisisEventKind.PLAYBOOK_REQUESTED: "📝",
    CrisisEventKind.PLAYBOOK_DRAFTED: "📋",
    CrisisEventKind.PLAYBOOK_FAILED: "⚠",
    CrisisEventKind.ACTION_PROPOSED: "💡",
    CrisisEventKind.ACTION_APPROVED: "👍",
    CrisisEventKind.ACTION_REJECTED: "✗",
    CrisisEventKind.ACTION_APPLIED: "✔",
    CrisisEventKind.ACTION_FAILED: "⚠",
    CrisisEventKind.NOTIFICATION_SENT: "✉",
    CrisisEventKind.SLA_BREACHED: "⛔",
    CrisisEventKind.POSTMORTEM: "🗒",
    CrisisEventKind.REOPENED: "↺",
}


@register.simple_tag
def action_status_class(status: str) -> str:
    return ACTION_STATUS_CLASSES.get(status, "text-bg-light border")


@register.simple_tag
def event_icon(kind: str) -> str:
    return EVENT_ICONS.get(kind, "•")


def _percent_text(value) -> str:
    try:
        return f"{float(value) * 100:g} %"
    except (TypeError, ValueError):
        return str(value)


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@register.simple_tag
def action_params(action) -> list[tuple[str, str]]:
    """An action's numbers in words: `[("Units to order", "500"), ...]` (the params written by
    `crisis.services.actions.action_params_clean`)."""
    params = action.params if isinstance(action.params, dict) else {}
    rows = []
    if "units" in params:
        units = params["units"]
        rows.append((_("Units to order"), f"{units:,}" if _is_id(units) else str(units)))
    if "price_cut" in params:
        rows.append((_("Price cut"), _percent_text(params["price_cut"])))
    if params.get("old_price") and params.get("new_price"):
        rows.append(
            (
                _("Price"),
                _("%(old)s → %(new)s") % {"old": params["old_price"], "new": params["new_price"]},
            )
        )
    if "days" in params:
        rows.append((_("For how many days"), str(params["days"])))
    review_ids = params.get("review_ids") or (
        [params["review_id"]] if params.get("review_id") else []
    )
    if review_ids:
        rows.append((_("Reviews to answer"), ", ".join(f"#{number}" for number in review_ids)))
    if params.get("proposed_text"):
        rows.append((_("Proposed text"), str(params["proposed_text"])))
    return rows


@register.simple_tag
def action_rationale(action) -> dict | None:
    """Why the playbook proposes this action, in the model's words checked against the
    evidence (`params["rationale"]`), with its citations as links; None without one."""
    params = action.params if isinstance(action.params, dict) else {}
    statements = _statements([params.get("rationale")] if params.get("rationale") else [])
    return statements[0] if statements else None


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.simple_tag
def action_results(action) -> list[dict]:
    """What approving created inside EcomOps, as `{"label", "url"}` (`CrisisAction.result`, as
    `crisis.services.actions` records it)."""
    result = action.result if isinstance(action.result, dict) else {}
    links = []
    if _is_id(result.get("purchase_suggestion")):
        links.append(
            {
                "label": _("a purchase suggestion of %(units)s units")
                % {"units": result.get("quantity", "?")},
                "url": "",
            }
        )
    if _is_id(result.get("price_change")):
        links.append(
            {
                "label": _("a price change from %(old)s to %(new)s, %(start)s to %(end)s")
                % {
                    "old": result.get("old_price", "?"),
                    "new": result.get("new_price", "?"),
                    "start": result.get("starts_on", "?"),
                    "end": result.get("ends_on") or "…",
                },
                "url": "",
            }
        )
    drafts = [result["content_draft"]] if _is_id(result.get("content_draft")) else []
    drafts += [draft for draft in result.get("content_drafts") or [] if _is_id(draft)]
    for draft in drafts:
        links.append(
            {
                "label": _("draft %(number)s in the content studio") % {"number": draft},
                "url": _url("content-draft", draft_id=draft),
            }
        )
    if result.get("todo"):
        links.append({"label": _("a to-do: carry it out outside EcomOps"), "url": ""})
    return links


@register.simple_tag
def event_links(event) -> list[dict]:
    """Links to the alerts, actions and jobs a timeline line is about."""
    data = event.data if isinstance(event.data, dict) else {}
    links = []

    def alert(alert_id) -> None:
        if isinstance(alert_id, int) and not isinstance(alert_id, bool):
            links.append(
                {
                    "label": _("Alert %(number)s") % {"number": alert_id},
                    "url": reverse("alert-detail", kwargs={"alert_id": alert_id}),
                }
            )

    def action(action_id) -> None:
        if isinstance(action_id, int) and not isinstance(action_id, bool):
            links.append(
                {
                    "label": _("Action %(number)s") % {"number": action_id},
                    "url": f"#action-{action_id}",
                }
            )

    alert(data.get("alert"))
    alert(data.get("previous_alert"))
    for key in ("alerts", "acknowledged_alerts"):
        for alert_id in data.get(key) or []:
            alert(alert_id)
    action(data.get("action") or data.get("action_id"))
    for action_id in data.get("actions") or []:
        action(action_id)
    if isinstance(data.get("playbook_id"), int):
        links.append({"label": _("Playbook"), "url": "#playbook"})
    job_id = data.get("job") or data.get("job_id")
    if isinstance(job_id, int) and not isinstance(job_id, bool):
        links.append(
            {
                "label": _("Job %(number)s") % {"number": job_id},
                "url": reverse("job-detail", kwargs={"job_id": job_id}),
            }
        )
    return links[:MAX_EVENT_LINKS]
