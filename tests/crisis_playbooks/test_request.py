"""Asking for a playbook: who may, when it is refused, and what a stuck draft becomes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from crisis.models import CrisisEvent, CrisisStatus, Playbook, PlaybookStatus
from crisis.playbooks import playbook_request
from crisis.selectors.playbooks import playbook_latest
from crisis.services.errors import CrisisError
from jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def test_requesting_creates_a_generating_playbook_its_job_and_a_timeline_line(
    stockout_crisis, analyst
):
    job = playbook_request(crisis=stockout_crisis, user=analyst)  # not committed: not run

    playbook = Playbook.objects.get(crisis=stockout_crisis)
    assert playbook.status == PlaybookStatus.GENERATING and playbook.job == job
    assert playbook.requested_by == analyst and playbook.language == "en"
    assert job.task_kwargs == {"playbook_id": playbook.pk} and job.started_by == analyst
    event = CrisisEvent.objects.get(crisis=stockout_crisis)
    assert event.kind == "playbook_requested" and event.actor == analyst
    assert playbook_latest(crisis=stockout_crisis) == playbook


def test_a_second_request_while_one_is_running_is_refused(stockout_crisis, owner):
    playbook_request(crisis=stockout_crisis, user=owner)

    with pytest.raises(CrisisError) as refused:
        playbook_request(crisis=stockout_crisis, user=owner)

    assert refused.value.error_code == "playbook_running" and refused.value.status_code == 409
    assert Playbook.objects.filter(crisis=stockout_crisis).count() == 1


def test_a_draft_whose_job_died_is_shown_failed_and_does_not_block_a_new_one(
    stockout_crisis, owner
):
    job = playbook_request(crisis=stockout_crisis, user=owner)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="worker lost")
    stuck = Playbook.objects.get(job=job)

    shown = playbook_latest(crisis=stockout_crisis)
    assert shown.status == PlaybookStatus.FAILED and shown.error == "worker lost"

    playbook_request(crisis=stockout_crisis, user=owner)

    stuck.refresh_from_db()
    assert stuck.status == PlaybookStatus.FAILED and stuck.error == "worker lost"
    assert CrisisEvent.objects.filter(kind="playbook_failed", crisis=stockout_crisis).count() == 1
    assert playbook_latest(crisis=stockout_crisis).status == PlaybookStatus.GENERATING


def test_a_resolved_crisis_gets_no_playbook(stockout_crisis, owner):
    stockout_crisis.status = CrisisStatus.RESOLVED
    stockout_crisis.save()

    with pytest.raises(CrisisError) as refused:
        playbook_request(crisis=stockout_crisis, user=owner)

    assert refused.value.error_code == "crisis_resolved"
    assert not Playbook.objects.exists() and not Job.objects.exists()


def test_a_viewer_cannot_request_a_playbook(stockout_crisis, viewer):
    with pytest.raises(PermissionDenied):
        playbook_request(crisis=stockout_crisis, user=viewer)

    assert not Playbook.objects.exists()


def test_another_merchants_member_cannot_request_a_playbook(stockout_crisis, other_owner):
    with pytest.raises(Http404):
        playbook_request(crisis=stockout_crisis, user=other_owner)

    assert not Playbook.objects.exists()
