"""Reads of playbooks and crisis actions. The crisis passed in was fetched for the merchant
(`crisis.selectors.crises.crisis_get`), so every read here is scoped through it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jobs.models import FINISHED_STATUSES

from ..models import CrisisAction, Playbook, PlaybookStatus


def playbooks_for(*, crisis) -> QuerySet[Playbook]:
    """The crisis's playbooks, newest first."""
    return (
        Playbook.objects.filter(crisis=crisis, merchant_id=crisis.merchant_id)
        .select_related("requested_by", "job")
        .order_by("-created_at", "-pk")
    )


def playbook_latest(*, crisis) -> Playbook | None:
    """The newest playbook of the crisis, or None.

    A playbook still "generating" whose job already ended (failed, cancelled, lost) is shown
    as failed with the job's error, so the page stops waiting for it; the row itself is marked
    failed by the next `playbook_request`."""
    playbook = playbooks_for(crisis=crisis).first()
    if (
        playbook is not None
        and playbook.status == PlaybookStatus.GENERATING
        and playbook.job is not None
        and playbook.job.status in FINISHED_STATUSES
    ):
        playbook.status = PlaybookStatus.FAILED
        playbook.error = (
            playbook.error
            or playbook.job.error
            or _("The job ended without drafting the playbook.")
        )
    return playbook


def actions_for(*, crisis) -> QuerySet[CrisisAction]:
    """The crisis's actions in the order they were proposed, with who proposed and decided."""
    return (
        CrisisAction.objects.filter(crisis=crisis, merchant_id=crisis.merchant_id)
        .select_related("playbook", "proposed_by", "decided_by")
        .order_by("created_at", "pk")
    )
