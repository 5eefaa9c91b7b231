"""Raising events: who is told, through which channels, and the hooks in jobs and accounts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from accounts.services import membership_add
from jobs.models import Job, JobKind
from jobs.runner import JobOutcome, JobRun, job_task
from jobs.services import job_submit
from notifications.models import Delivery, Notification
from notifications.selectors import preferences_for
from notifications.services import notify, preference_set
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@job_task(name="tests.notifications.tiny_job")
def tiny_job(run: JobRun, *, fail: bool = False) -> JobOutcome:
    run.progress(done=1, total=1, message="1 thing done")
    if fail:
        raise RuntimeError("the tiny job broke")
    return JobOutcome(summary={"things": 1}, url="/products/")


def _submit(merchant, user, *, fail=False) -> Job:
    job = job_submit(
        merchant=merchant,
        kind=JobKind.EXPORT,
        title="Export products",
        started_by=user,
        task_name="tests.notifications.tiny_job",
        task_kwargs={"fail": fail},
        total=1,
    )
    return job


def test_a_finished_job_notifies_whoever_started_it_in_the_portal(
    merchant, owner, viewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _submit(merchant, viewer)

    job.refresh_from_db()
    assert job.status == "succeeded"
    [notification] = Notification.objects.filter(merchant=merchant)
    assert notification.recipient == viewer
    assert notification.event == "job_succeeded"
    assert notification.title == "Finished: Export products"
    assert notification.url == "/products/"  # the job's result
    assert notification.read_at is None
    assert mail.outbox == []  # success is in-app only by default


def test_a_failed_job_links_to_its_page_and_emails_the_starter(
    merchant, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _submit(merchant, owner, fail=True)

    job.refresh_from_db()
    assert job.status == "failed"
    [notification] = Notification.objects.filter(recipient=owner)
    assert notification.event == "job_failed"
    assert notification.title == "Failed: Export products"
    assert "the tiny job broke" in notification.body
    assert notification.url == reverse("job-detail", kwargs={"job_id": job.pk})
    [email] = mail.outbox
    assert email.to == [owner.email]
    assert "Failed: Export products" in email.subject
    delivery = Delivery.objects.get(recipient=owner)
    assert (delivery.status, delivery.kind, delivery.notification) == (
        "sent",
        "email",
        notification,
    )


def test_a_job_nobody_started_notifies_the_owners_and_managers(
    merchant, owner, viewer, django_capture_on_commit_callbacks
):
    manager = UserFactory(username="mona")
    MembershipFactory(user=manager, merchant=merchant, role=Role.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(merchant, None)

    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"alice", "mona"}


def test_preferences_decide_the_channels(merchant, owner, django_capture_on_commit_callbacks):
    preference_set(user=owner, merchant=merchant, event="job_failed", in_app=False, email=False)
    preference_set(user=owner, merchant=merchant, event="alert_opened", in_app=True, email=True)

    with django_capture_on_commit_callbacks(execute=True):
        notify(merchant=merchant, event="job_failed", title="Failed")
        notify(merchant=merchant, event="alert_opened", title="Stock runs out")

    assert list(Notification.objects.values_list("event", flat=True)) == ["alert_opened"]
    assert [email.subject for email in mail.outbox] == ["[Alpha Store] Stock runs out"]


def test_without_a_choice_every_event_is_in_app_and_failures_and_crises_also_email(merchant, owner):
    choices = preferences_for(user=owner, merchant=merchant)
    assert all("in_app" in channels for channels in choices.values())
    emailed = {event for event, channels in choices.items() if "email" in channels}
    assert {"job_failed", "crisis_assigned", "crisis_sla_breached"} <= emailed
    assert "job_succeeded" not in emailed


def test_people_outside_the_merchant_are_never_notified(merchant, owner, other_owner):
    created = notify(
        merchant=merchant, event="job_failed", title="Failed", recipients=[owner, other_owner]
    )
    assert [n.recipient for n in created] == [owner]


def test_crisis_events_go_to_the_assignee_and_sla_breaches_also_to_managers(
    merchant, owner, viewer
):
    notify(merchant=merchant, event="crisis_assigned", title="Yours", context={"assignee": viewer})
    notify(
        merchant=merchant, event="crisis_sla_breached", title="Late", context={"assignee": viewer}
    )

    assigned = Notification.objects.filter(event="crisis_assigned")
    breached = Notification.objects.filter(event="crisis_sla_breached")
    assert [n.recipient for n in assigned] == [viewer]
    assert {n.recipient.username for n in breached} == {"alice", "victor"}


def test_drafts_waiting_for_approval_go_to_those_who_may_approve(merchant, owner, viewer):
    notify(merchant=merchant, event="drafts_awaiting_approval", title="3 drafts to review")
    assert [n.recipient for n in Notification.objects.all()] == [owner]


def test_an_unknown_event_is_a_programming_error(merchant, owner):
    with pytest.raises(ValueError, match="Unknown notification event"):
        notify(merchant=merchant, event="nope", title="x")


def test_adding_a_member_tells_them_and_the_owners(
    merchant, owner, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(username="nina")
    with django_capture_on_commit_callbacks(execute=True):
        membership_add(merchant=merchant, username_or_email="nina", role=Role.ANALYST)

    theirs = Notification.objects.get(recipient=newcomer)
    owners = Notification.objects.get(recipient=owner)
    assert theirs.event == owners.event == "member_invited"
    assert theirs.title == "You were added to Alpha Store as Analyst"
    assert owners.title == "nina was added to Alpha Store as Analyst"
    assert owners.url == reverse("member-list")


def test_titles_follow_the_merchants_language(merchant, owner, django_capture_on_commit_callbacks):
    merchant.default_language = "zh-hans"
    merchant.save()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(merchant, owner)
    # The lead translates at the end; until then the English text is kept, never an error.
    assert Notification.objects.get(recipient=owner).title.endswith("Export products")
