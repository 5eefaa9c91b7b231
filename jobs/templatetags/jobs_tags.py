"""Template helpers of the jobs pages and the header indicator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ..models import JobKind, JobStatus
from ..selectors import jobs_active

register = template.Library()

STATUS_CLASSES = {
    JobStatus.QUEUED: "text-bg-secondary",
    JobStatus.RUNNING: "text-bg-primary",
    JobStatus.SUCCEEDED: "text-bg-success",
    JobStatus.FAILED: "text-bg-danger",
    JobStatus.CANCELLED: "text-bg-warning",
}
BAR_CLASSES = {
    JobStatus.SUCCEEDED: "bg-success",
    JobStatus.FAILED: "bg-danger",
    JobStatus.CANCELLED: "bg-warning",
}


@register.inclusion_tag("jobs/_indicator_item.html", takes_context=True)
def jobs_indicator(context):
    """The header's active-jobs indicator (one query)."""
    request = context.get("request")
    merchant = getattr(request, "merchant", None)
    count, jobs = jobs_active(merchant=merchant) if merchant is not None else (0, [])
    return {"active_count": count, "active_jobs": jobs, "request": request}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def bar_class(status: str) -> str:
    return BAR_CLASSES.get(status, "")


@register.filter
def duration(seconds) -> str:
    """`75.2|duration` -> `1 min 15 s`; `—` when unknown."""
    if seconds is None:
        return "—"
    seconds = int(round(float(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)d min %(s)d s") % {"m": minutes, "s": secs}
    return _("%(s)d s") % {"s": secs}


@register.filter
def job_link(url: str) -> str:
    """A job's result link if it is safe to put in an href (a path on this site or http(s)),
    else an empty string: the link comes from task code, not from a template."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    if url.startswith(("https://", "http://")):
        return url
    return ""


# --- A job's result summary as rows of the job page ----------------------------------------
#
# Job handlers report plain JSON (`JobOutcome.summary`, stored in `Job.result`) so that the row
# stays language-neutral; it is put into words here, in the reader's language, when the page
# renders. Every key a handler reports needs a label below; tests/jobs/test_result_labels.py
# reads the handlers and fails on a key without one. An unknown key (an old row, a test job)
# still shows, as its humanized name.

RESULT_LABELS = {
    # Counts shared by several jobs.
    "total": pgettext_lazy("job result", "Total"),
    "drafts": pgettext_lazy("job result", "Drafts"),
    "created": pgettext_lazy("job result", "Created"),
    "updated": pgettext_lazy("job result", "Updated"),
    "skipped": pgettext_lazy("job result", "Skipped"),
    "flagged": pgettext_lazy("job result", "Flagged"),
    "failed_count": pgettext_lazy("job result", "Failed"),
    "failed": pgettext_lazy("job result", "Failures"),
    "status": pgettext_lazy("job result", "Outcome"),
    "partial": pgettext_lazy("job result", "Partly done"),
    "reason": pgettext_lazy("job result", "Started because of"),
    "language": pgettext_lazy("job result", "Language"),
    "model_error": pgettext_lazy("job result", "Model error"),
    "dropped": pgettext_lazy("job result", "Statements dropped"),
    "source": pgettext_lazy("job result", "Written from"),
    # What the job worked on (ids: the job's link opens the object itself).
    "batch_id": pgettext_lazy("job result", "Import"),
    "run_id": pgettext_lazy("job result", "Forecast run"),
    "crisis_id": pgettext_lazy("job result", "Crisis"),
    "playbook_id": pgettext_lazy("job result", "Playbook"),
    "product_id": pgettext_lazy("job result", "Product"),
    "review_id": pgettext_lazy("job result", "Review"),
    "draft_id": pgettext_lazy("job result", "Draft"),
    "summary_id": pgettext_lazy("job result", "Summary"),
    "sku": pgettext_lazy("job result", "SKU"),
    "code": pgettext_lazy("job result", "Code"),
    "error": pgettext_lazy("job result", "Error"),
    # Imports.
    "rows": pgettext_lazy("job result", "Rows"),
    "valid": pgettext_lazy("job result", "Valid rows"),
    "rejected": pgettext_lazy("job result", "Rejected"),
    "unchanged": pgettext_lazy("job result", "Unchanged"),
    "unknown_skus": pgettext_lazy("job result", "Unknown SKUs"),
    "daily_sales": pgettext_lazy("job result", "Daily sales"),
    "recomputed": pgettext_lazy("job result", "Days recomputed"),
    # Forecast runs.
    "skus": pgettext_lazy("job result", "Products"),
    "forecast": pgettext_lazy("job result", "Products forecast"),
    "chunks": pgettext_lazy("job result", "Chunks"),
    "chunks_failed": pgettext_lazy("job result", "Chunks failed"),
    "metrics": pgettext_lazy("job result", "Average accuracy"),
    "chosen_models": pgettext_lazy("job result", "Models chosen"),
    "mae": pgettext_lazy("job result", "MAE"),
    "mase": pgettext_lazy("job result", "MASE"),
    "rmsse": pgettext_lazy("job result", "RMSSE"),
    "bias": pgettext_lazy("job result", "Bias"),
    "coverage": pgettext_lazy("job result", "Interval coverage"),
    "borrowed": pgettext_lazy("job result", "Borrowed from the category"),
    # Crisis scans.
    "findings": pgettext_lazy("job result", "Conditions found"),
    "opened": pgettext_lazy("job result", "New alerts"),
    "escalated": pgettext_lazy("job result", "Alerts escalated"),
    "resolved": pgettext_lazy("job result", "Alerts cleared"),
    "crises_opened": pgettext_lazy("job result", "Crises opened"),
    "crises_monitoring": pgettext_lazy("job result", "Crises being monitored"),
    "notifications": pgettext_lazy("job result", "Notifications sent"),
    "live_alerts": pgettext_lazy("job result", "Live alerts"),
    "open_crises": pgettext_lazy("job result", "Open crises"),
    "by_kind": pgettext_lazy("job result", "Conditions by kind"),
    # Crisis playbooks.
    "actions": pgettext_lazy("job result", "Actions proposed"),
    # Review analysis, summaries and replies.
    "analysed": pgettext_lazy("job result", "Reviews analysed"),
    "topics": pgettext_lazy("job result", "Complaint topics"),
    "retraining": pgettext_lazy("job result", "Models retraining"),
    "summaries": pgettext_lazy("job result", "Summaries"),
    "extractive": pgettext_lazy("job result", "Quoted from reviews"),
    "aspect": pgettext_lazy("job result", "Aspect"),
    "statements": pgettext_lazy("job result", "Statements"),
    "method": pgettext_lazy("job result", "Written by"),
    "reviews_considered": pgettext_lazy("job result", "Reviews considered"),
    "unsupported": pgettext_lazy("job result", "Unsupported claims"),
    "addressed_aspects": pgettext_lazy("job result", "Aspects addressed"),
    "candidates": pgettext_lazy("job result", "Candidates"),
}

# Not shown: the merchant is always the reader's own, the scan's step timings are for
# benchmarks (the job's duration is on the page), and dropped statements are the model's own
# words, listed with the summary they were dropped from.
RESULT_HIDDEN_KEYS = frozenset({"merchant_id", "seconds", "dropped_statements"})
# Shown only when set: an empty model error means the model did not fail.
RESULT_HIDDEN_WHEN_EMPTY = frozenset({"model_error", "reason"})
# Ids read as "#12" next to the label naming the object.
RESULT_ID_KEYS = frozenset(key for key in RESULT_LABELS if key.endswith("_id"))
# Dicts whose keys are data (model names), not labels to translate.
RESULT_DATA_KEYED = frozenset({"chosen_models"})

# Fixed vocabularies of values that have no model choices of their own.
RESULT_VALUE_LABELS = {
    ("reason", "manual"): pgettext_lazy("job result reason", "a person"),
    ("reason", "import"): pgettext_lazy("job result reason", "an import"),
    ("reason", "forecast"): pgettext_lazy("job result reason", "a forecast run"),
    ("reason", "schedule"): pgettext_lazy("job result reason", "the schedule"),
    ("reason", "demo"): pgettext_lazy("job result reason", "the demo store"),
    ("source", "model"): pgettext_lazy("job result source", "the language model"),
    ("source", "evidence"): pgettext_lazy("job result source", "the evidence (fixed text)"),
    ("source", "mixed"): pgettext_lazy("job result source", "the model and the evidence"),
    ("method", "model"): pgettext_lazy("job result method", "the language model"),
    ("method", "extractive"): pgettext_lazy("job result method", "quotes from reviews"),
    ("method", "empty"): pgettext_lazy("job result method", "nothing (no reviews to use)"),
    ("aspect", ""): pgettext_lazy("job result", "Overall"),
}


def _value_choices() -> dict[tuple[str, str], type]:
    """Keys whose values are one of a model's choices, by (job kind, key); kind "" for any.
    The enums are the apps' own, so a value reads as it does on the app's pages; imported
    when a result is shown, so that loading the jobs app does not load every other app."""
    from crisis.models import AlertKind, PlaybookStatus
    from forecasting.models import ForecastRunStatus
    from imports.models import ImportStatus
    from reviews.models import Aspect, ReviewLanguage

    return {
        (JobKind.IMPORT, "status"): ImportStatus,
        (JobKind.FORECAST_RUN, "status"): ForecastRunStatus,
        (JobKind.CRISIS_PLAYBOOK, "status"): PlaybookStatus,
        ("", "by_kind"): AlertKind,
        ("", "aspect"): Aspect,
        ("", "addressed_aspects"): Aspect,
        ("", "language"): ReviewLanguage,
        ("", "retraining"): ReviewLanguage,
    }


def result_label(key) -> str:
    """The label of a result key in the active language; an unknown key humanized."""
    label = RESULT_LABELS.get(key)
    return str(label) if label is not None else str(key).replace("_", " ").strip().capitalize()


def result_value_label(*, kind: str, key: str, value: str) -> str | None:
    """The translated word for a value of a fixed vocabulary, None for free data."""
    label = RESULT_VALUE_LABELS.get((key, value))
    if label is not None:
        return str(label)
    choices = _value_choices()
    enum = choices.get((kind, key)) or choices.get(("", key))
    if enum is not None and value in enum.values:
        return str(enum(value).label)
    return None


_DATA = '<span translate="no">{}</span>'
_DASH = escape("—")


def _joined(separator: str, parts) -> SafeString:
    """Safe parts joined, each left as it is (they are escaped already)."""
    return format_html_join(separator, "{}", ((part,) for part in parts if part))


def _value_html(value, *, kind: str, key: str) -> SafeString:
    """One value as HTML: numbers localized, vocabulary translated, free text (ids, names,
    error messages) marked `translate="no"` so the page audit and browsers leave it as is."""
    if isinstance(value, bool):
        return escape(_("yes") if value else _("no"))
    if value is None or value == [] or value == {}:
        return _DASH
    if isinstance(value, int | float | Decimal):
        if key in RESULT_ID_KEYS:
            return escape(f"#{value}")
        return escape(number_format(value, force_grouping=True))
    if isinstance(value, list):
        return _joined("; ", (_value_html(item, kind=kind, key=key) for item in value))
    if isinstance(value, dict):
        return _joined(
            ", ", (_pair_html(key, name, item, kind=kind) for name, item in value.items())
        )
    text = str(value)
    label = result_value_label(kind=kind, key=key, value=text)
    if label is not None:
        return escape(label)
    return format_html(_DATA, text) if text else _DASH


def _pair_html(parent: str, name, item, *, kind: str) -> SafeString:
    """`label: value` of a nested dict's entry: its key is a result key, a vocabulary word of
    the parent (`by_kind`'s alert kinds) or data (`chosen_models`' model names); empty for a
    hidden key."""
    name = str(name)
    value = _value_html(item, kind=kind, key=name)
    if parent in RESULT_DATA_KEYED:
        return format_html(_DATA + ": {}", name, value)
    if name in RESULT_HIDDEN_KEYS:
        return SafeString("")
    label = result_value_label(kind=kind, key=parent, value=name) or result_label(name)
    return format_html("{}: {}", label, value)


@dataclass(frozen=True)
class ResultRow:
    key: str
    label: str
    value: SafeString


@register.filter
def result_rows(job) -> list[ResultRow]:
    """A job's result summary as rows of (label, value HTML) in the active language.

    Takes the job (its kind tells which vocabulary a `status` belongs to); a bare result dict
    is read as of no particular kind."""
    if isinstance(job, dict):
        kind, result = "", job
    else:
        kind, result = getattr(job, "kind", ""), getattr(job, "result", None)
    if not isinstance(result, dict):
        return []
    rows = []
    for key, value in result.items():
        key = str(key)
        if key in RESULT_HIDDEN_KEYS or (key in RESULT_HIDDEN_WHEN_EMPTY and not value):
            continue
        html = _value_html(value, kind=kind, key=key)
        rows.append(ResultRow(key=key, label=result_label(key), value=html))
    return rows
