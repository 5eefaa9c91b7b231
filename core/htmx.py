"""Small helpers for views that answer htmx requests."""

from __future__ import annotations


def is_partial(request) -> bool:
    """An htmx swap of one region, not a full page (history restores need the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request
