"""Each transport's payload, signature and reading of answers, against a loopback receiver."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.core import mail

from core import http
from notifications.transports import (
    OK,
    PERMANENT,
    TRANSIENT,
    DingTalkTransport,
    EmailTransport,
    FeishuTransport,
    Message,
    SlackTransport,
    WebhookTransport,
    WeComTransport,
)

SECRET = "0123456789abcdef-secret"
WHEN = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


def message(**overrides) -> Message:
    values = {
        "delivery_id": 42,
        "event": "job_failed",
        "event_label": "Job failed",
        "title": "Failed: Import <products> & stock",
        "body": "Row 3: unknown SKU.",
        "url": "https://ecomops.example/jobs/7/",
        "merchant_name": "Alpha Store",
        "merchant_slug": "alpha",
        "created_at": WHEN,
    }
    values.update(overrides)
    return Message(**values)


# --- Payload shapes ------------------------------------------------------------------------------


def test_the_generic_webhook_payload_carries_the_event_and_the_merchant():
    payload = WebhookTransport(url="https://x.example/h", secret=SECRET).payload(message())
    assert payload == {
        "id": 42,
        "event": "job_failed",
        "event_label": "Job failed",
        "title": "Failed: Import <products> & stock",
        "body": "Row 3: unknown SKU.",
        "url": "https://ecomops.example/jobs/7/",
        "merchant": {"slug": "alpha", "name": "Alpha Store"},
        "created_at": "2025-03-01T09:30:00+00:00",
        "test": False,
    }


def test_the_slack_payload_is_escaped_mrkdwn_with_a_plain_text_fallback():
    payload = SlackTransport(url="https://hooks.slack.com/services/x").payload(message())
    assert payload == {
        "text": "Failed: Import <products> & stock",
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*<https://ecomops.example/jobs/7/|Failed: Import &lt;products&gt; "
                    "&amp; stock>*\nRow 3: unknown SKU.",
                },
            },
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Alpha Store · Job failed"}],
            },
        ],
    }


def test_the_dingtalk_payload_is_a_markdown_message():
    payload = DingTalkTransport(url="https://oapi.dingtalk.com/robot/send?access_token=t").payload(
        message()
    )
    assert payload == {
        "msgtype": "markdown",
        "markdown": {
            "title": "Failed: Import <products> & stock",
            "text": "#### Failed: Import <products> & stock\n\nRow 3: unknown SKU.\n\n"
            "[Open in EcomOps](https://ecomops.example/jobs/7/)\n\n> Alpha Store · Job failed",
        },
    }


def test_the_feishu_payload_is_a_rich_text_post_in_the_merchants_language():
    payload = FeishuTransport(url="https://open.feishu.cn/open-apis/bot/v2/hook/x").payload(
        message(language="zh-hans")
    )
    assert payload == {
        "msg_type": "post",
        "content": {
            "post": {
                "zh_cn": {
                    "title": "Failed: Import <products> & stock",
                    "content": [
                        [{"tag": "text", "text": "Row 3: unknown SKU."}],
                        [
                            {
                                "tag": "a",
                                "text": "Open in EcomOps",
                                "href": "https://ecomops.example/jobs/7/",
                            }
                        ],
                        [{"tag": "text", "text": "Alpha Store · Job failed"}],
                    ],
                }
            }
        },
    }
    english = FeishuTransport(url="https://x").payload(message())
    assert list(english["content"]["post"]) == ["en_us"]


def test_the_wecom_payload_is_group_robot_markdown_within_4096_bytes():
    payload = WeComTransport(url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k").payload(
        message()
    )
    assert payload == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**Failed: Import <products> & stock**\nRow 3: unknown SKU.\n"
            "[Open in EcomOps](https://ecomops.example/jobs/7/)\n"
            '<font color="comment">Alpha Store · Job failed</font>'
        },
    }
    long = WeComTransport(url="https://x").payload(message(body="库存" * 3000))
    assert len(long["markdown"]["content"].encode("utf-8")) <= 4096


def test_a_test_message_says_so_in_its_title():
    payload = SlackTransport(url="https://x").payload(message(is_test=True))
    assert payload["text"].startswith("[Test] ")


# --- Real deliveries and signatures --------------------------------------------------------------


def test_a_generic_webhook_is_signed_so_the_receiver_can_verify_it(receiver, allow_loopback):
    result = WebhookTransport(url=f"{receiver.url}/hooks/ecomops", secret=SECRET).send(message())

    assert result.outcome == OK
    assert result.response_code == 200
    assert result.latency_ms is not None
    [request] = receiver.requests
    assert request.path == "/hooks/ecomops"
    headers = {key.lower(): value for key, value in request.headers.items()}
    assert headers["content-type"] == "application/json"
    assert headers["x-ecomops-event"] == "job_failed"
    assert headers["x-ecomops-delivery"] == "42"
    timestamp = headers["x-ecomops-timestamp"]
    # What the README tells receivers to do:
    expected = hmac.new(
        SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["x-ecomops-signature"], f"sha256={expected}")
    assert request.json()["title"] == "Failed: Import <products> & stock"


def test_a_tampered_body_does_not_match_the_signature(receiver, allow_loopback):
    WebhookTransport(url=receiver.url, secret=SECRET).send(message())
    [request] = receiver.requests
    headers = {key.lower(): value for key, value in request.headers.items()}
    timestamp = headers["x-ecomops-timestamp"]
    forged = request.body.replace(b"Failed", b"Done")
    digest = hmac.new(SECRET.encode(), timestamp.encode() + b"." + forged, hashlib.sha256)
    assert headers["x-ecomops-signature"] != f"sha256={digest.hexdigest()}"


def test_dingtalk_signs_with_timestamp_and_sign_query_parameters(receiver, allow_loopback):
    receiver.answer(200, {"errcode": 0, "errmsg": "ok"})
    transport = DingTalkTransport(url=f"{receiver.url}/robot/send?access_token=abc", secret=SECRET)
    assert transport.send(message()).outcome == OK

    [request] = receiver.requests
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
    assert query["access_token"] == ["abc"]
    timestamp = query["timestamp"][0]
    assert len(timestamp) == 13  # milliseconds
    string_to_sign = f"{timestamp}\n{SECRET}".encode()
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), string_to_sign, hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert request.json()["msgtype"] == "markdown"


def test_dingtalk_without_a_secret_sends_no_signature(receiver, allow_loopback):
    receiver.answer(200, {"errcode": 0, "errmsg": "ok"})
    DingTalkTransport(url=f"{receiver.url}/robot/send?access_token=abc").send(message())
    assert urllib.parse.urlsplit(receiver.requests[0].path).query == "access_token=abc"


def test_feishu_signs_with_timestamp_and_sign_in_the_body(receiver, allow_loopback):
    receiver.answer(200, {"code": 0, "msg": "success", "data": {}})
    assert FeishuTransport(url=receiver.url, secret=SECRET).send(message()).outcome == OK

    body = receiver.requests[0].json()
    timestamp = body["timestamp"]
    assert len(timestamp) == 10  # seconds
    key = f"{timestamp}\n{SECRET}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "post"


def test_wecom_posts_its_markdown_payload(receiver, allow_loopback):
    receiver.answer(200, {"errcode": 0, "errmsg": "ok"})
    assert WeComTransport(url=f"{receiver.url}/send?key=k").send(message()).outcome == OK
    assert receiver.requests[0].json()["msgtype"] == "markdown"


# --- Reading answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("transport_class", "status", "body", "outcome"),
    [
        (SlackTransport, 200, b"ok", OK),
        (SlackTransport, 503, b"busy", TRANSIENT),
        (SlackTransport, 500, b"oops", TRANSIENT),
        (SlackTransport, 429, b"slow down", TRANSIENT),
        (SlackTransport, 404, b"no_service", PERMANENT),
        (SlackTransport, 403, b"action_prohibited", PERMANENT),
        (SlackTransport, 410, b"channel_is_archived", PERMANENT),
        (SlackTransport, 301, b"", PERMANENT),
        (WebhookTransport, 204, b"", OK),
        (WebhookTransport, 400, b"bad", PERMANENT),
        (DingTalkTransport, 200, {"errcode": 0, "errmsg": "ok"}, OK),
        (DingTalkTransport, 200, {"errcode": 310000, "errmsg": "sign not match"}, PERMANENT),
        (DingTalkTransport, 200, {"errcode": 130101, "errmsg": "send too fast"}, TRANSIENT),
        (DingTalkTransport, 200, b"<html>not json</html>", PERMANENT),
        (FeishuTransport, 200, {"code": 0, "msg": "success"}, OK),
        (FeishuTransport, 200, {"StatusCode": 0, "StatusMessage": "success"}, OK),
        (FeishuTransport, 200, {"code": 19021, "msg": "sign match fail"}, PERMANENT),
        (FeishuTransport, 200, {"code": 11232, "msg": "frequency limited"}, TRANSIENT),
        (WeComTransport, 200, {"errcode": 0, "errmsg": "ok"}, OK),
        (WeComTransport, 200, {"errcode": 93000, "errmsg": "invalid webhook url"}, PERMANENT),
        (WeComTransport, 200, {"errcode": 45009, "errmsg": "api freq out of limit"}, TRANSIENT),
        (WeComTransport, 502, b"bad gateway", TRANSIENT),
    ],
)
def test_answers_are_read_as_ok_transient_or_permanent(
    receiver, allow_loopback, transport_class, status, body, outcome
):
    receiver.answer(status, body)
    result = transport_class(url=receiver.url, secret=SECRET).send(message())
    assert result.outcome == outcome, result.error
    assert result.response_code == status


def test_a_429_with_retry_after_says_when_to_come_back(receiver, allow_loopback):
    receiver.answer(429, b"slow down", {"Retry-After": "120"})
    result = SlackTransport(url=receiver.url).send(message())
    assert (result.outcome, result.retry_after) == (TRANSIENT, 120)


def test_no_answer_at_all_is_transient(allow_loopback):
    # Port 9 (discard) on loopback has nobody listening: connection refused.
    result = SlackTransport(url="http://127.0.0.1:9/hook").send(message())
    assert result.outcome == TRANSIENT
    assert "Connection" in result.error or "refused" in result.error


def test_a_url_that_is_not_http_is_permanent():
    assert WebhookTransport(url="ftp://x.example/h", secret=SECRET).send(message()).outcome == (
        PERMANENT
    )


def test_a_private_url_is_refused_at_send_time_and_is_permanent(receiver, settings):
    settings.NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = False
    result = SlackTransport(url=receiver.url).send(message())
    assert result.outcome == PERMANENT
    assert "private" in result.error
    assert receiver.requests == []


def test_the_transport_never_asks_core_http_to_follow_redirects_or_skip_the_guard(
    monkeypatch, settings
):
    settings.NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = False
    calls = []

    def fake_request(method, url, **kwargs):
        calls.append(kwargs)
        return http.HttpResponse(200, b"ok")

    monkeypatch.setattr(http, "request", fake_request)
    SlackTransport(url="https://hooks.slack.com/services/x").send(message())
    assert calls[0]["allow_private"] is False
    assert calls[0]["follow_redirects"] is False


# --- Email ---------------------------------------------------------------------------------------


def test_email_goes_to_every_recipient_with_the_link(settings):
    settings.DEFAULT_FROM_EMAIL = "EcomOps <ops@example.com>"
    result = EmailTransport(recipients=["a@example.com", "b@example.com"]).send(message())

    assert result.outcome == OK
    [email] = mail.outbox
    assert email.to == ["a@example.com", "b@example.com"]
    assert email.from_email == "EcomOps <ops@example.com>"
    assert email.subject == "[Alpha Store] Failed: Import <products> & stock"
    assert "https://ecomops.example/jobs/7/" in email.body
    assert "Row 3: unknown SKU." in email.body


def test_json_bodies_keep_non_ascii_text_readable():
    transport = WebhookTransport(url="https://x.example/h", secret=SECRET)
    prepared = transport.prepare(message(title="导入失败"), now=1_700_000_000)
    assert "导入失败" in prepared.body.decode("utf-8")
    assert json.loads(prepared.body)["title"] == "导入失败"
    assert prepared.headers["X-EcomOps-Timestamp"] == "1700000000"
