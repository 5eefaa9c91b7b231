"""Portal pages: bell, list, preferences, channels; roles and tenants."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Channel, Delivery, Notification, NotificationPreference

from .factories import ChannelFactory, DeliveryFactory, NotificationFactory

pytestmark = pytest.mark.django_db

SECRET = "very-secret-signing-key-123"


def test_the_bell_shows_the_unread_count_on_every_page(owner_client, merchant, owner):
    NotificationFactory.create_batch(3, merchant=merchant, recipient=owner)
    NotificationFactory(merchant=merchant, recipient=owner, read_at="2025-01-01T00:00:00Z")

    html = owner_client.get("/products/").content.decode()

    assert 'id="notification-bell"' in html
    assert "3 unread" in html
    assert 'hx-trigger="every 30s"' in html


def test_the_bell_count_endpoint_runs_one_query_on_notifications(owner_client, merchant, owner):
    NotificationFactory.create_batch(120, merchant=merchant, recipient=owner)
    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get("/notifications/bell/count/")
    assert response.status_code == 200
    assert "99+" in response.content.decode()
    ours = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(ours) == 1


def test_the_bell_stops_polling_once_logged_out(client):
    assert client.get("/notifications/bell/count/").status_code == 286


def test_the_bell_menu_lists_the_latest_eight(owner_client, merchant, owner):
    for i in range(10):
        NotificationFactory(merchant=merchant, recipient=owner, title=f"Note {i}")
    html = owner_client.get("/notifications/bell/menu/").content.decode()
    assert html.count("/open/") == 8
    assert "Note 9" in html and "Note 1" not in html
    assert "Mark all read" in html


def test_the_list_filters_unread_and_opening_marks_read(owner_client, merchant, owner):
    unread = NotificationFactory(merchant=merchant, recipient=owner, title="Fresh <b>news</b>")
    NotificationFactory(
        merchant=merchant, recipient=owner, title="Old news", read_at="2025-01-01T00:00:00Z"
    )

    html = owner_client.get("/notifications/?filter=unread").content.decode()
    assert "Fresh &lt;b&gt;news&lt;/b&gt;" in html  # escaped
    assert "Old news" not in html

    response = owner_client.get(f"/notifications/{unread.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/products/"
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_opening_a_notification_never_redirects_off_site(owner_client, merchant, owner):
    notification = NotificationFactory(merchant=merchant, recipient=owner, url="https://evil.test/")
    response = owner_client.get(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_read_with_htmx_swaps_the_row_and_the_badge(owner_client, merchant, owner):
    notification = NotificationFactory(merchant=merchant, recipient=owner)
    response = owner_client.post(f"/notifications/{notification.pk}/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert 'hx-swap-oob="true"' in html
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_marks_only_mine_in_this_merchant(
    owner_client, merchant, owner, viewer, other_merchant
):
    NotificationFactory.create_batch(2, merchant=merchant, recipient=owner)
    theirs = NotificationFactory(merchant=merchant, recipient=viewer)
    elsewhere = NotificationFactory(merchant=other_merchant, recipient=owner)

    response = owner_client.post("/notifications/read-all/", {"next": "/products/"})

    assert response["Location"] == "/products/"
    assert not Notification.objects.filter(recipient=owner, merchant=merchant, read_at=None)
    theirs.refresh_from_db()
    elsewhere.refresh_from_db()
    assert theirs.read_at is None and elsewhere.read_at is None


def test_someone_elses_notification_is_a_404(viewer_client, merchant, owner):
    notification = NotificationFactory(merchant=merchant, recipient=owner)
    assert viewer_client.get(f"/notifications/{notification.pk}/open/").status_code == 404
    assert viewer_client.post(f"/notifications/{notification.pk}/read/").status_code == 404


def test_a_viewer_saves_their_own_preferences(viewer_client, viewer, merchant):
    page = viewer_client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert 'name="job_failed__email"' in page.content.decode()

    response = viewer_client.post(
        "/notifications/preferences/", {"job_failed__in_app": "on", "job_succeeded__email": "on"}
    )

    assert response.status_code == 302
    stored = {
        p.event: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=viewer)
    }
    assert stored["job_failed"] == (True, False)
    assert stored["job_succeeded"] == (False, True)


@pytest.mark.parametrize(
    "url",
    [
        "/notifications/channels/",
        "/notifications/channels/new/?kind=slack",
        "/notifications/channels/{id}/",
        "/notifications/channels/{id}/edit/",
    ],
)
def test_a_viewer_cannot_see_or_manage_channels(viewer_client, merchant, url):
    channel = ChannelFactory(merchant=merchant)
    assert viewer_client.get(url.format(id=channel.pk)).status_code == 403


@pytest.mark.parametrize("action", ["test", "enable", "delete", "edit"])
def test_a_viewer_cannot_change_channels(viewer_client, merchant, action):
    channel = ChannelFactory(merchant=merchant, enabled=False)
    response = viewer_client.post(f"/notifications/channels/{channel.pk}/{action}/", {"name": "x"})
    assert response.status_code == 403
    channel.refresh_from_db()
    assert not channel.enabled and not Delivery.objects.exists()


def test_another_merchants_channel_is_a_404(owner_client, other_merchant):
    channel = ChannelFactory(merchant=other_merchant)
    for suffix in ("", "edit/"):
        assert owner_client.get(f"/notifications/channels/{channel.pk}/{suffix}").status_code == 404
    for suffix in ("test/", "enable/", "delete/"):
        assert (
            owner_client.post(f"/notifications/channels/{channel.pk}/{suffix}").status_code == 404
        )
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_an_owner_adds_a_webhook_and_its_secret_is_never_shown_again(
    owner_client, merchant, owner, receiver, allow_loopback
):
    url = f"{receiver.url}/hook/token-abc"
    response = owner_client.post(
        "/notifications/channels/new/",
        {
            "kind": "webhook",
            "name": "Our ERP",
            "url": url,
            "secret": SECRET,
            "events": ["job_failed", "alert_opened"],
        },
    )
    channel = Channel.objects.get(merchant=merchant)
    assert response.status_code == 302
    assert (channel.secret, channel.url, channel.events) == (
        SECRET,
        url,
        ["job_failed", "alert_opened"],
    )
    assert channel.created_by == owner

    for page in (
        "/notifications/channels/",
        f"/notifications/channels/{channel.pk}/",
        f"/notifications/channels/{channel.pk}/edit/",
    ):
        html = owner_client.get(page).content.decode()
        assert SECRET not in html, page
        assert "token-abc" not in html, page
    assert (
        "•••• set"
        in owner_client.get(f"/notifications/channels/{channel.pk}/edit/").content.decode()
    )


def test_editing_with_the_secret_and_url_left_blank_keeps_them(
    owner_client, merchant, allow_loopback
):
    channel = ChannelFactory(merchant=merchant, secret=SECRET)
    old_url = channel.url
    response = owner_client.post(
        f"/notifications/channels/{channel.pk}/edit/",
        {"name": "Renamed", "url": "", "secret": "", "events": ["job_failed"]},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.secret, channel.url, channel.events) == (
        "Renamed",
        SECRET,
        old_url,
        ["job_failed"],
    )


def test_a_webhook_to_a_private_address_is_refused_by_the_form(owner_client, merchant):
    response = owner_client.post(
        "/notifications/channels/new/",
        {"kind": "slack", "name": "Internal", "url": "http://169.254.169.254/latest/"},
    )
    assert response.status_code == 400
    assert "private, loopback" in response.content.decode()
    assert not Channel.objects.exists()


def test_a_webhook_needs_a_long_enough_secret(owner_client, merchant, allow_loopback):
    response = owner_client.post(
        "/notifications/channels/new/",
        {"kind": "webhook", "name": "ERP", "url": "http://127.0.0.1:1/x", "secret": "short"},
    )
    assert response.status_code == 400
    assert "at least 16" in response.content.decode()


def test_send_test_and_the_delivery_log(
    owner_client, merchant, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(
        merchant=merchant, kind="slack", secret="", config={"url": receiver.url}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/notifications/channels/{channel.pk}/test/")
    assert response.status_code == 302
    response = owner_client.get(response["Location"])

    html = response.content.decode()
    [delivery] = Delivery.objects.filter(channel=channel)
    assert delivery.is_test and delivery.status == "sent"
    assert f'id="delivery-{delivery.pk}"' in html
    assert "Sent" in html and " ms" in html
    assert len(receiver.requests) == 1


def test_a_disabled_channel_shows_why_and_can_be_re_enabled(owner_client, merchant):
    channel = ChannelFactory(
        merchant=merchant, enabled=False, disabled_reason="HTTP 404: no_service"
    )
    DeliveryFactory(channel=channel, status="failed", response_code=404, error="HTTP 404")
    html = owner_client.get("/notifications/channels/").content.decode()
    assert "Disabled" in html and "HTTP 404: no_service" in html and "Re-enable" in html

    owner_client.post(f"/notifications/channels/{channel.pk}/enable/")
    channel.refresh_from_db()
    assert channel.enabled and channel.disabled_reason == ""


def test_an_unknown_channel_kind_is_a_404(owner_client):
    assert owner_client.get("/notifications/channels/new/?kind=fax").status_code == 404


def test_deleting_a_channel(owner_client, merchant):
    channel = ChannelFactory(merchant=merchant)
    response = owner_client.post(f"/notifications/channels/{channel.pk}/delete/")
    assert response.status_code == 302
    assert not Channel.objects.exists()
