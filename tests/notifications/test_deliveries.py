"""Sending: every delivery leaves a row, transient failures retry, permanent ones disable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from notifications.models import Channel, ChannelKind, Delivery, Notification
from notifications.services import (
    channel_send_test,
    deliveries_sweep,
    delivery_attempt,
    notify,
)
from tests.factories import MembershipFactory, UserFactory

from .factories import ChannelFactory, DeliveryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(merchant, receiver, allow_loopback):
    return ChannelFactory(
        merchant=merchant,
        kind=ChannelKind.SLACK,
        name="Ops Slack",
        config={"url": f"{receiver.url}/services/T/B/X"},
        secret="",
        events=["job_failed"],
    )


def _raise(merchant, django_capture_on_commit_callbacks, event="job_failed"):
    with django_capture_on_commit_callbacks(execute=True):
        notify(merchant=merchant, event=event, title="Failed: nightly import", url="/jobs/1/")


def test_a_channel_posts_the_events_it_chose_and_the_delivery_is_logged(
    merchant, owner, hook, receiver, django_capture_on_commit_callbacks
):
    _raise(merchant, django_capture_on_commit_callbacks)

    [delivery] = Delivery.objects.filter(channel=hook)
    assert delivery.status == "sent"
    assert delivery.attempts == 1
    assert delivery.response_code == 200
    assert delivery.latency_ms is not None
    assert delivery.error == ""
    assert delivery.finished_at is not None
    assert "POST http://127.0.0.1" in delivery.request_summary
    assert "/services/T/B/X" not in delivery.request_summary  # the token part stays hidden
    [request] = receiver.requests
    assert request.json()["text"] == "Failed: nightly import"
    hook.refresh_from_db()
    assert hook.last_delivery_at is not None


def test_a_channel_does_not_post_events_it_did_not_choose(
    merchant, owner, hook, receiver, django_capture_on_commit_callbacks
):
    _raise(merchant, django_capture_on_commit_callbacks, event="job_succeeded")
    assert not Delivery.objects.filter(channel=hook).exists()
    assert receiver.requests == []


def test_a_503_is_retried_and_the_next_attempt_succeeds(
    merchant, owner, hook, receiver, django_capture_on_commit_callbacks
):
    receiver.answer(503, b"try later")

    _raise(merchant, django_capture_on_commit_callbacks)

    [delivery] = Delivery.objects.filter(channel=hook)
    assert delivery.status == "sent"
    assert delivery.attempts == 2
    assert delivery.response_code == 200
    assert len(receiver.requests) == 2
    hook.refresh_from_db()
    assert hook.enabled
    assert hook.last_error == ""


def test_transient_failures_stop_after_the_last_attempt_without_disabling_the_channel(
    merchant, owner, hook, receiver, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    receiver.default = (503, b"down", {})

    _raise(merchant, django_capture_on_commit_callbacks)

    [delivery] = Delivery.objects.filter(channel=hook)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 3, 503)
    assert "503" in delivery.error
    assert len(receiver.requests) == 3
    hook.refresh_from_db()
    assert hook.enabled
    assert "503" in hook.last_error


def test_a_retry_waits_longer_each_time(merchant, hook, receiver, settings):
    settings.NOTIFICATIONS_RETRY_BACKOFF = 30
    receiver.default = (500, b"oops", {})
    delivery = DeliveryFactory(channel=hook, status="pending", attempts=0, response_code=None)

    first = delivery_attempt(delivery_id=delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(status="retrying")
    second = delivery_attempt(delivery_id=delivery.pk)

    assert (first.retry_in, second.retry_in) == (30, 60)
    delivery.refresh_from_db()
    assert delivery.status == "retrying"
    assert delivery.next_attempt_at > timezone.now()


def test_a_4xx_disables_the_channel_and_tells_owners_and_managers(
    merchant, owner, viewer, hook, receiver, django_capture_on_commit_callbacks
):
    manager = UserFactory(username="mona")
    MembershipFactory(user=manager, merchant=merchant, role=Role.MANAGER)
    receiver.answer(404, b"no_service")

    _raise(merchant, django_capture_on_commit_callbacks)

    [delivery] = Delivery.objects.filter(channel=hook)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, 404)
    assert len(receiver.requests) == 1  # never retried
    hook.refresh_from_db()
    assert not hook.enabled
    assert "404" in hook.disabled_reason
    assert hook.disabled_at is not None
    told = Notification.objects.filter(event="channel_disabled", merchant=merchant)
    assert {n.recipient.username for n in told} == {"alice", "mona"}
    assert "Ops Slack" in told.first().title
    assert told.first().url == f"/notifications/channels/{hook.pk}/"


def test_an_error_code_in_a_200_answer_disables_a_dingtalk_channel(
    merchant, owner, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(
        merchant=merchant,
        kind=ChannelKind.DINGTALK,
        config={"url": f"{receiver.url}/robot/send?access_token=t"},
        secret="",
        events=["job_failed"],
    )
    receiver.answer(200, {"errcode": 310000, "errmsg": "keywords not in content"})

    _raise(merchant, django_capture_on_commit_callbacks)

    channel.refresh_from_db()
    assert not channel.enabled
    assert "310000" in channel.disabled_reason


def test_a_disabled_channel_receives_nothing_until_re_enabled(
    merchant, owner, hook, receiver, django_capture_on_commit_callbacks
):
    Channel.objects.filter(pk=hook.pk).update(enabled=False, disabled_reason="HTTP 404")

    _raise(merchant, django_capture_on_commit_callbacks)

    assert not Delivery.objects.filter(channel=hook).exists()
    assert receiver.requests == []


def test_a_broken_webhook_does_not_stop_people_from_being_notified(
    merchant, owner, allow_loopback, django_capture_on_commit_callbacks
):
    ChannelFactory(
        merchant=merchant, config={"url": "http://127.0.0.1:9/nobody"}, events=["job_failed"]
    )

    _raise(merchant, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(recipient=owner, event="job_failed").exists()
    assert len(mail.outbox) == 1  # job_failed emails by default


def test_a_delivery_is_sent_once_even_when_its_task_runs_twice(merchant, hook, receiver):
    delivery = DeliveryFactory(channel=hook, status="pending", attempts=0, response_code=None)

    assert delivery_attempt(delivery_id=delivery.pk).result.ok
    assert delivery_attempt(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1


def test_a_test_message_is_sent_once_and_never_disables_the_channel(
    merchant, owner, hook, receiver, django_capture_on_commit_callbacks
):
    receiver.answer(404, b"no_service")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = channel_send_test(channel=hook, user=owner)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.is_test, delivery.response_code) == ("failed", True, 404)
    hook.refresh_from_db()
    assert hook.enabled
    assert "404" in hook.last_error
    assert receiver.requests[0].json()["text"].startswith("[Test] ")


def test_the_sweeper_resends_what_never_reached_the_broker_and_what_a_dead_worker_left(
    merchant, hook, receiver
):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    lost = DeliveryFactory(channel=hook, status="pending", attempts=0, response_code=None)
    stuck = DeliveryFactory(channel=hook, status="sending", attempts=1, response_code=None)
    fresh = DeliveryFactory(channel=hook, status="pending", attempts=0, response_code=None)
    Delivery.objects.filter(pk__in=[lost.pk, stuck.pk]).update(
        created_at=long_ago, started_at=long_ago
    )

    assert deliveries_sweep() == 2

    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == "sent"
    assert statuses[stuck.pk] == "sent"
    assert statuses[fresh.pk] == "pending"  # its own task message is still on its way
    assert len(receiver.requests) == 2


def test_an_email_channel_writes_to_its_addresses(
    merchant, owner, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(
        merchant=merchant,
        kind=ChannelKind.EMAIL,
        config={"recipients": ["ops@example.com", "boss@example.com"]},
        secret="",
        events=["alert_opened"],
    )
    _raise(merchant, django_capture_on_commit_callbacks, event="alert_opened")

    [email] = mail.outbox  # alert_opened is in-app only for people by default
    assert email.to == ["ops@example.com", "boss@example.com"]
    assert Delivery.objects.get(channel=channel).status == "sent"
