"""Who may cancel or restart a job: whoever may start that kind of job, and its starter."""

from __future__ import annotations

from accounts.permissions import (
    ANALYSE_REVIEWS,
    EDIT_CATALOG,
    GENERATE_CONTENT,
    IMPORT_DATA,
    RESPOND_CRISES,
    RUN_FORECASTS,
    role_can,
)

from .models import Job, JobKind

# The permission each kind of job needs to be started; cancelling or restarting needs the same.
KIND_ACTIONS: dict[str, str] = {
    JobKind.IMPORT: IMPORT_DATA,
    JobKind.CONTENT_GENERATE: GENERATE_CONTENT,
    JobKind.CONTENT_BULK: GENERATE_CONTENT,
    JobKind.REVIEW_BACKFILL: ANALYSE_REVIEWS,
    JobKind.REVIEW_SUMMARY: GENERATE_CONTENT,
    JobKind.REVIEW_REPLY: GENERATE_CONTENT,
    JobKind.FORECAST_RUN: RUN_FORECASTS,
    JobKind.CRISIS_SCAN: RESPOND_CRISES,
    JobKind.CRISIS_PLAYBOOK: RESPOND_CRISES,
    JobKind.EXPORT: EDIT_CATALOG,
}


def job_can_manage(*, job: Job, user, role: str | None) -> bool:
    """Whether `user` (with `role` at the job's merchant) may cancel or restart `job`."""
    if role is None:
        return False
    if user is not None and user.is_authenticated and job.started_by_id == user.pk:
        return True
    return role_can(role, KIND_ACTIONS.get(job.kind, EDIT_CATALOG))
