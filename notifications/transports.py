"""How a message reaches each kind of channel: one `Transport` class per `ChannelKind`.

A transport builds its payload in the format the receiving service expects, sends it (webhooks
through `core.http`, the one outbound door; email through Django's email backend) and reads
the answer as one of three outcomes:

- ok: delivered;
- transient: worth another try later (no answer, timeout, HTTP 5xx or 429, a chat service's
  rate-limit code);
- permanent: will not work until someone fixes the channel (HTTP 3xx/4xx, a URL that is not
  allowed, a chat service's non-zero error code in a 200 answer).

Generic webhook signature (documented in the README): headers `X-EcomOps-Timestamp` (Unix
seconds) and `X-EcomOps-Signature: sha256=<hex>`, the HMAC-SHA256 with the channel's secret of
`<timestamp>.<raw body bytes>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import http

from .models import ChannelKind

OK = "ok"
TRANSIENT = "transient"
PERMANENT = "permanent"

SIGNATURE_HEADER = "X-EcomOps-Signature"
TIMESTAMP_HEADER = "X-EcomOps-Timestamp"
EVENT_HEADER = "X-EcomOps-Event"
DELIVERY_HEADER = "X-EcomOps-Delivery"

# Answers of the Chinese chat robots that mean "too many messages, slow down": worth a retry.
DINGTALK_RATE_LIMITED = {130101}  # "send too fast"
FEISHU_RATE_LIMITED = {11232}  # "frequency limited"
WECOM_RATE_LIMITED = {45009}  # "api freq out of limit"
MAX_RETRY_AFTER = 3600


class SecretMode(StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Message:
    """What is sent, whatever the channel."""

    delivery_id: int
    event: str
    event_label: str
    title: str
    body: str
    url: str  # absolute, or "" when there is nothing to open
    merchant_name: str
    merchant_slug: str
    created_at: datetime
    is_test: bool = False
    language: str = "en"


@dataclass
class Result:
    outcome: str
    error: str = ""
    response_code: int | None = None
    latency_ms: int | None = None
    retry_after: int | None = None
    request_summary: str = ""
    response_excerpt: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == OK


@dataclass(frozen=True)
class PreparedRequest:
    url: str
    body: bytes
    headers: dict[str, str]


class Transport:
    kind: str = ""
    needs_url = False
    needs_recipients = False
    secret_mode = SecretMode.NONE
    secret_help = ""
    url_placeholder = ""

    def __init__(self, *, url: str = "", secret: str = "", recipients=()):
        self.url = url
        self.secret = secret
        self.recipients = list(recipients)

    @classmethod
    def for_channel(cls, channel) -> Transport:
        return cls(url=channel.url, secret=channel.secret, recipients=channel.recipients)

    def send(self, message: Message) -> Result:
        raise NotImplementedError


# --- Email ---------------------------------------------------------------------------------------


def email_subject(message: Message) -> str:
    prefix = _("[Test] ") if message.is_test else ""
    return f"{prefix}[{message.merchant_name}] {message.title}".replace("\n", " ")[:250]


def email_body(message: Message) -> str:
    lines = [message.title, ""]
    if message.body:
        lines += [message.body, ""]
    if message.url:
        lines += [_("Open: %(url)s") % {"url": message.url}, ""]
    lines.append(f"— EcomOps · {message.merchant_name} · {message.event_label}")
    lines.append(
        _("Choose what you receive: %(url)s")
        % {"url": settings.SITE_URL.rstrip("/") + "/notifications/preferences/"}
    )
    return "\n".join(lines)


class EmailTransport(Transport):
    kind = ChannelKind.EMAIL
    needs_recipients = True

    def send(self, message: Message) -> Result:
        summary = _("email to %(count)d recipient(s)") % {"count": len(self.recipients)}
        if not self.recipients:
            return Result(PERMANENT, error=_("No recipient address."), request_summary=summary)
        email = EmailMessage(
            subject=email_subject(message),
            body=email_body(message),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=self.recipients,
        )
        started = time.monotonic()
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            return Result(PERMANENT, error=_error(exc), request_summary=summary)
        except smtplib.SMTPResponseException as exc:
            # 5xx answers are final; 4xx ("try again later") are not.
            outcome = PERMANENT if 500 <= exc.smtp_code < 600 else TRANSIENT
            return Result(outcome, error=_error(exc), request_summary=summary)
        except (smtplib.SMTPException, OSError) as exc:
            # The mail server is down or misconfigured: nothing the channel's owner can fix.
            return Result(TRANSIENT, error=_error(exc), request_summary=summary)
        return Result(OK, latency_ms=_since(started), request_summary=summary)


# --- Webhooks ------------------------------------------------------------------------------------


class WebhookTransport(Transport):
    """Base of every HTTP transport: POST a JSON body and read the answer."""

    kind = ChannelKind.WEBHOOK
    needs_url = True
    secret_mode = SecretMode.REQUIRED
    secret_help = gettext_lazy(
        "Used to sign every request (HMAC-SHA256, see the README); at least 16 characters."
    )
    url_placeholder = "https://example.com/hooks/ecomops"

    def payload(self, message: Message) -> dict:
        return {
            "id": message.delivery_id,
            "event": message.event,
            "event_label": message.event_label,
            "title": message.title,
            "body": message.body,
            "url": message.url,
            "merchant": {"slug": message.merchant_slug, "name": message.merchant_name},
            "created_at": message.created_at.isoformat(),
            "test": message.is_test,
        }

    def prepare(self, message: Message, *, now: float) -> PreparedRequest:
        body = _json_bytes(self.payload(message))
        timestamp = str(int(now))
        signature = hmac.new(
            self.secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
        ).hexdigest()
        headers = {
            "Content-Type": "application/json",
            EVENT_HEADER: message.event,
            DELIVERY_HEADER: str(message.delivery_id),
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: f"sha256={signature}",
        }
        return PreparedRequest(self.url, body, headers)

    def send(self, message: Message) -> Result:
        summary = f"POST {_masked(self.url)}"
        if not _is_http_url(self.url):
            return Result(PERMANENT, error=_("The URL is not a valid http(s) address."))
        prepared = self.prepare(message, now=time.time())
        summary = f"POST {_masked(self.url)} ({len(prepared.body)} bytes)"
        started = time.monotonic()
        try:
            response = http.request(
                "POST",
                prepared.url,
                data=prepared.body,
                headers=prepared.headers,
                timeout=settings.NOTIFICATIONS_WEBHOOK_TIMEOUT,
                allow_private=settings.NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS,
                follow_redirects=False,
            )
        except http.UrlNotAllowed as exc:
            return Result(PERMANENT, error=_error(exc), request_summary=summary)
        except http.HttpError as exc:
            return Result(
                TRANSIENT, error=_error(exc), latency_ms=_since(started), request_summary=summary
            )
        except ValueError as exc:  # http.client.InvalidURL and friends: the URL is broken
            return Result(PERMANENT, error=_error(exc), request_summary=summary)
        result = self.interpret(response)
        result.response_code = response.status
        result.latency_ms = _since(started)
        result.request_summary = summary
        result.response_excerpt = response.text(500)
        return result

    def interpret(self, response: http.HttpResponse) -> Result:
        status = response.status
        if status == 429 or status >= 500:
            return Result(
                TRANSIENT,
                error=_("HTTP %(status)d: %(text)s")
                % {"status": status, "text": response.text(200)},
                retry_after=_retry_after(response),
            )
        if 300 <= status < 400:
            return Result(
                PERMANENT,
                error=_("HTTP %(status)d: the URL redirects; enter the final address.")
                % {"status": status},
            )
        if status >= 400:
            return Result(
                PERMANENT,
                error=_("HTTP %(status)d: %(text)s")
                % {"status": status, "text": response.text(200)},
            )
        return self.interpret_ok(response)

    def interpret_ok(self, response: http.HttpResponse) -> Result:
        return Result(OK)


class SlackTransport(WebhookTransport):
    """Slack incoming webhook: `text` (notifications, fallback) and Block Kit blocks."""

    kind = ChannelKind.SLACK
    secret_mode = SecretMode.NONE
    url_placeholder = "https://hooks.slack.com/services/T000/B000/XXXX"

    def payload(self, message: Message) -> dict:
        title = _slack_escape(message.title)
        heading = f"*<{message.url}|{title}>*" if message.url else f"*{title}*"
        text = heading + (f"\n{_slack_escape(message.body)}" if message.body else "")
        footer = _slack_escape(f"{message.merchant_name} · {message.event_label}")
        return {
            "text": _test_prefix(message) + message.title,
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]},
            ],
        }

    def prepare(self, message: Message, *, now: float) -> PreparedRequest:
        return PreparedRequest(
            self.url, _json_bytes(self.payload(message)), {"Content-Type": "application/json"}
        )


class _RobotTransport(WebhookTransport):
    """Chat robots that answer 200 with a JSON error code (0 = delivered)."""

    code_keys: tuple[str, ...] = ("errcode",)
    message_keys: tuple[str, ...] = ("errmsg",)
    rate_limited: set[int] = set()

    def prepare(self, message: Message, *, now: float) -> PreparedRequest:
        return PreparedRequest(
            self.url, _json_bytes(self.payload(message)), {"Content-Type": "application/json"}
        )

    def interpret_ok(self, response: http.HttpResponse) -> Result:
        answer = response.json()
        if not isinstance(answer, dict):
            return Result(
                PERMANENT, error=_("Unexpected answer: %(text)s") % {"text": response.text(200)}
            )
        code = next((answer[key] for key in self.code_keys if key in answer), None)
        text = next((str(answer[key]) for key in self.message_keys if key in answer), "")
        try:
            code = int(code)
        except (TypeError, ValueError):
            return Result(
                PERMANENT, error=_("Unexpected answer: %(text)s") % {"text": response.text(200)}
            )
        if code == 0:
            return Result(OK)
        error = _("Error %(code)d: %(text)s") % {"code": code, "text": text}
        return Result(TRANSIENT if code in self.rate_limited else PERMANENT, error=error)


class DingTalkTransport(_RobotTransport):
    """DingTalk custom robot: markdown message; with a secret, `timestamp` and `sign` query
    parameters (HMAC-SHA256 of "<ms timestamp>\\n<secret>" keyed by the secret, base64)."""

    kind = ChannelKind.DINGTALK
    secret_mode = SecretMode.OPTIONAL
    secret_help = gettext_lazy(
        'The robot\'s "Additional signature" secret (starts with SEC); leave empty if the robot '
        "uses keywords or an IP allow-list instead."
    )
    url_placeholder = "https://oapi.dingtalk.com/robot/send?access_token=…"
    rate_limited = DINGTALK_RATE_LIMITED

    def payload(self, message: Message) -> dict:
        lines = [f"#### {_one_line(_test_prefix(message) + message.title)}"]
        if message.body:
            lines.append(message.body)
        if message.url:
            lines.append(f"[{_('Open in EcomOps')}]({message.url})")
        lines.append(f"> {message.merchant_name} · {message.event_label}")
        return {
            "msgtype": "markdown",
            "markdown": {"title": _one_line(message.title)[:100], "text": "\n\n".join(lines)},
        }

    def prepare(self, message: Message, *, now: float) -> PreparedRequest:
        url = self.url
        if self.secret:
            timestamp = str(int(now * 1000))
            url = _add_query(
                url, {"timestamp": timestamp, "sign": dingtalk_sign(self.secret, timestamp)}
            )
        return PreparedRequest(
            url, _json_bytes(self.payload(message)), {"Content-Type": "application/json"}
        )


def dingtalk_sign(secret: str, timestamp: str) -> str:
    string_to_sign = f"{timestamp}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class FeishuTransport(_RobotTransport):
    """Feishu/Lark custom bot: rich-text "post" message; with a secret, `timestamp` and `sign`
    in the body (HMAC-SHA256 of an empty message keyed by "<s timestamp>\\n<secret>", base64)."""

    kind = ChannelKind.FEISHU
    secret_mode = SecretMode.OPTIONAL
    secret_help = gettext_lazy(
        'The bot\'s "Set signature verification" secret; leave empty if it is not enabled.'
    )
    url_placeholder = "https://open.feishu.cn/open-apis/bot/v2/hook/…"
    code_keys = ("code", "StatusCode")
    message_keys = ("msg", "StatusMessage")
    rate_limited = FEISHU_RATE_LIMITED

    def payload(self, message: Message) -> dict:
        rows = []
        if message.body:
            rows.append([{"tag": "text", "text": message.body}])
        if message.url:
            rows.append([{"tag": "a", "text": _("Open in EcomOps"), "href": message.url}])
        rows.append([{"tag": "text", "text": f"{message.merchant_name} · {message.event_label}"}])
        language = "zh_cn" if message.language.startswith("zh") else "en_us"
        return {
            "msg_type": "post",
            "content": {
                "post": {
                    language: {
                        "title": _one_line(_test_prefix(message) + message.title),
                        "content": rows,
                    }
                }
            },
        }

    def prepare(self, message: Message, *, now: float) -> PreparedRequest:
        payload = self.payload(message)
        if self.secret:
            timestamp = str(int(now))
            payload = {
                "timestamp": timestamp,
                "sign": feishu_sign(self.secret, timestamp),
                **payload,
            }
        return PreparedRequest(self.url, _json_bytes(payload), {"Content-Type": "application/json"})


def feishu_sign(secret: str, timestamp: str) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


class WeComTransport(_RobotTransport):
    """WeCom (企业微信) group robot: markdown message (at most 4096 bytes of content)."""

    kind = ChannelKind.WECOM
    secret_mode = SecretMode.NONE
    url_placeholder = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
    rate_limited = WECOM_RATE_LIMITED
    MAX_CONTENT_BYTES = 4096

    def payload(self, message: Message) -> dict:
        lines = [f"**{_one_line(_test_prefix(message) + message.title)}**"]
        if message.body:
            lines.append(message.body)
        if message.url:
            lines.append(f"[{_('Open in EcomOps')}]({message.url})")
        lines.append(
            f'<font color="comment">{message.merchant_name} · {message.event_label}</font>'
        )
        content = "\n".join(lines)
        encoded = content.encode("utf-8")
        if len(encoded) > self.MAX_CONTENT_BYTES:
            content = encoded[: self.MAX_CONTENT_BYTES - 3].decode("utf-8", errors="ignore") + "…"
        return {"msgtype": "markdown", "markdown": {"content": content}}


TRANSPORTS: dict[str, type[Transport]] = {
    cls.kind: cls
    for cls in (
        EmailTransport,
        WebhookTransport,
        SlackTransport,
        DingTalkTransport,
        FeishuTransport,
        WeComTransport,
    )
}


def transport_class(kind: str) -> type[Transport]:
    try:
        return TRANSPORTS[kind]
    except KeyError:
        raise ValueError(f"Unknown channel kind {kind!r}") from None


# --- Helpers -------------------------------------------------------------------------------------


def _json_bytes(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _error(exc: BaseException) -> str:
    text = str(exc).strip()
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:500]


def _is_http_url(url: str) -> bool:
    try:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _masked(url: str) -> str:
    from .models import mask_url

    return mask_url(url)


def _add_query(url: str, params: dict[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urllib.parse.urlencode(params)
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _retry_after(response: http.HttpResponse) -> int | None:
    value = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
    try:
        return max(0, min(MAX_RETRY_AFTER, int(value))) if value is not None else None
    except ValueError:
        return None


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn treats these three as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _test_prefix(message: Message) -> str:
    return _("[Test] ") if message.is_test else ""
