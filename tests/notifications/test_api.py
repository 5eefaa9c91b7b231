"""The notification API: my notifications and preferences, the merchant's channels."""

from __future__ import annotations

import pytest

from notifications.models import Channel, Delivery
from tests.api.support import error_of

from .factories import ChannelFactory, DeliveryFactory, NotificationFactory

pytestmark = pytest.mark.django_db

SECRET = "api-signing-secret-0123456789"
BASE = "/api/v1"


def test_i_list_my_notifications_and_filter_unread(api, merchant, owner, viewer):
    NotificationFactory(merchant=merchant, recipient=owner, title="Unread one")
    NotificationFactory(
        merchant=merchant, recipient=owner, title="Read one", read_at="2025-01-01T00:00:00Z"
    )
    NotificationFactory(merchant=merchant, recipient=viewer, title="Not mine")

    everything = api.get(f"{BASE}/notifications/").json()
    unread = api.get(f"{BASE}/notifications/?unread=true").json()

    assert {row["title"] for row in everything["results"]} == {"Unread one", "Read one"}
    assert [row["title"] for row in unread["results"]] == ["Unread one"]
    assert api.get(f"{BASE}/notifications/unread-count/").json() == {"unread": 1}


def test_a_viewer_marks_their_notifications_read(viewer_api, merchant, viewer):
    first, _second = NotificationFactory.create_batch(2, merchant=merchant, recipient=viewer)

    response = viewer_api.post(f"{BASE}/notifications/{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True

    assert viewer_api.post(f"{BASE}/notifications/read-all/").json() == {"marked": 1}
    assert viewer_api.get(f"{BASE}/notifications/unread-count/").json() == {"unread": 0}


def test_someone_elses_notification_is_a_404(api, merchant, viewer):
    theirs = NotificationFactory(merchant=merchant, recipient=viewer)
    response = api.post(f"{BASE}/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_preferences_read_and_write(viewer_api):
    rows = viewer_api.get(f"{BASE}/notification-preferences/").json()
    job_failed = next(row for row in rows if row["event"] == "job_failed")
    assert (job_failed["in_app"], job_failed["email"]) == (True, True)

    response = viewer_api.put(
        f"{BASE}/notification-preferences/",
        [{"event": "job_failed", "in_app": True, "email": False}],
        format="json",
    )
    assert response.status_code == 200
    job_failed = next(row for row in response.json() if row["event"] == "job_failed")
    assert job_failed["email"] is False

    bad = viewer_api.put(
        f"{BASE}/notification-preferences/",
        [{"event": "nope", "in_app": True, "email": False}],
        format="json",
    )
    assert bad.status_code == 400
    assert error_of(bad)["items"][0]["index"] == 0


def test_an_owner_creates_a_channel_and_never_gets_its_secret_back(
    api, merchant, receiver, allow_loopback
):
    url = f"{receiver.url}/hook/token-xyz"
    response = api.post(
        f"{BASE}/notification-channels/",
        {"kind": "webhook", "name": "ERP", "url": url, "secret": SECRET, "events": ["job_failed"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_secret"] is True
    assert body["events"] == ["job_failed"]
    channel_id = body["id"]

    answers = [
        response,
        api.get(f"{BASE}/notification-channels/"),
        api.get(f"{BASE}/notification-channels/{channel_id}/"),
        api.patch(f"{BASE}/notification-channels/{channel_id}/", {"name": "ERP 2"}, format="json"),
    ]
    for answer in answers:
        text = answer.content.decode()
        assert SECRET not in text
        assert "token-xyz" not in text
    assert Channel.objects.get(pk=channel_id).secret == SECRET
    assert Channel.objects.get(pk=channel_id).name == "ERP 2"


def test_creating_a_channel_to_a_private_address_is_a_400_on_url(api):
    response = api.post(
        f"{BASE}/notification-channels/",
        {"kind": "slack", "name": "Internal", "url": "http://10.0.0.5/hook"},
        format="json",
    )
    assert response.status_code == 400
    assert "url" in error_of(response)["fields"]
    assert not Channel.objects.exists()


def test_send_test_answers_202_and_the_delivery_shows_in_the_log(
    api, merchant, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(
        merchant=merchant, kind="slack", secret="", config={"url": receiver.url}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{BASE}/notification-channels/{channel.pk}/test/")
    assert response.status_code == 202
    log = api.get(f"{BASE}/notification-channels/{channel.pk}/deliveries/").json()
    [row] = log["results"]
    assert (row["is_test"], row["status"], row["response_code"]) == (True, "sent", 200)
    assert row["latency_ms"] is not None


def test_enable_and_delete(api, merchant):
    channel = ChannelFactory(merchant=merchant, enabled=False, disabled_reason="HTTP 410")
    assert api.post(f"{BASE}/notification-channels/{channel.pk}/enable/").json()["enabled"]
    assert api.delete(f"{BASE}/notification-channels/{channel.pk}/").status_code == 204
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/notification-channels/"),
        ("post", "/notification-channels/"),
        ("get", "/notification-channels/{id}/"),
        ("patch", "/notification-channels/{id}/"),
        ("delete", "/notification-channels/{id}/"),
        ("post", "/notification-channels/{id}/test/"),
        ("post", "/notification-channels/{id}/enable/"),
        ("get", "/notification-channels/{id}/deliveries/"),
    ],
)
def test_a_viewer_cannot_see_or_manage_channels(viewer_api, merchant, method, path):
    channel = ChannelFactory(merchant=merchant)
    response = getattr(viewer_api, method)(BASE + path.format(id=channel.pk), {}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert Channel.objects.filter(pk=channel.pk).exists()
    assert not Delivery.objects.exists()


def test_another_merchants_channel_and_its_deliveries_are_404(api, other_merchant):
    channel = ChannelFactory(merchant=other_merchant)
    DeliveryFactory(channel=channel)
    for method, suffix in [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("post", "test/"),
        ("post", "enable/"),
        ("get", "deliveries/"),
    ]:
        url = f"{BASE}/notification-channels/{channel.pk}/{suffix}"
        assert getattr(api, method)(url, {}, format="json").status_code == 404, url
    assert api.get(f"{BASE}/notification-channels/").json()["count"] == 0
