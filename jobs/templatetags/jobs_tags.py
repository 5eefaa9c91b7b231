"""Template helpers of the jobs pages and the header indicator."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ..models import JobStatus
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


# Labels of the result keys jobs report; an unknown key is shown as itself, readable.
RESULT_LABELS = {
    "total": pgettext_lazy("job result", "Total"),
    "drafts": pgettext_lazy("job result", "Drafts"),
    "created": pgettext_lazy("job result", "Created"),
    "updated": pgettext_lazy("job result", "Updated"),
    "skipped": pgettext_lazy("job result", "Skipped"),
    "flagged": pgettext_lazy("job result", "Flagged"),
    "failed_count": pgettext_lazy("job result", "Failed"),
    "failed": pgettext_lazy("job result", "Failures"),
    "rows": pgettext_lazy("job result", "Rows"),
    "rejected": pgettext_lazy("job result", "Rejected"),
}


def _result_text(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return "; ".join(_result_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_result_text(item)}" for key, item in value.items())
    return str(value)


@register.filter
def result_rows(result) -> list[tuple[str, str]]:
    """A result summary as (label, text) rows: known keys translated, nested values flattened."""
    if not isinstance(result, dict):
        return []
    rows = []
    for key, value in result.items():
        label = RESULT_LABELS.get(key) or str(key).replace("_", " ").strip().capitalize()
        rows.append((str(label), _result_text(value)))
    return rows
