"""Template helpers of the import pages: status colours, durations, the mapping table."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ImportStatus

register = template.Library()

# Colour is never the only signal: every badge also carries the status text.
STATUS_CLASSES = {
    ImportStatus.UPLOADED: "text-bg-info",
    ImportStatus.QUEUED: "text-bg-secondary",
    ImportStatus.RUNNING: "text-bg-primary",
    ImportStatus.SUCCEEDED: "text-bg-success",
    ImportStatus.REJECTED: "text-bg-danger",
    ImportStatus.FAILED: "text-bg-danger",
    ImportStatus.CANCELLED: "text-bg-warning",
}


@register.filter
def import_status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def import_seconds(batch) -> float | None:
    """Seconds the load took (or has taken so far); None before it started."""
    if not batch.started_at:
        return None
    end = batch.finished_at or timezone.now()
    return max(0.0, (end - batch.started_at).total_seconds())


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for dicts in templates; None when absent."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def join_value(value) -> str:
    """A mapped column, or the columns of a list (attributes), as text."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


@register.filter
def next_step_text(step: str) -> str:
    """What happens after a load, in words (`report.next_steps`)."""
    texts = {
        "crisis_scan": _("A crisis scan was started to check the new figures."),
        "forecast_nightly": _("Forecasts include the new sales after tonight's run."),
        "review_analysis": _("The new reviews are being analysed."),
    }
    return str(texts.get(step, step))
