"""A real HTTP receiver on loopback: deliveries, signatures and retries are checked for real."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Receiver:
    """Answers queued responses in order (then `default`), and records every request."""

    server: ThreadingHTTPServer
    requests: list[Received] = field(default_factory=list)
    responses: deque = field(default_factory=deque)
    default: tuple = (200, b"ok", {})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def answer(self, status: int, body=b"ok", headers: dict | None = None) -> None:
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.responses.append((status, body, headers or {}))


@pytest.fixture
def receiver():
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            rec = state["receiver"]
            rec.requests.append(
                Received("POST", self.path, dict(self.headers.items()), self.rfile.read(length))
            )
            status, body, headers = rec.responses.popleft() if rec.responses else rec.default
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec = Receiver(server)
    state["receiver"] = rec
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_loopback(settings):
    """Let webhooks reach the loopback receiver (the SSRF guard refuses it otherwise)."""
    settings.NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = True
    settings.NOTIFICATIONS_RETRY_BACKOFF = 0
    return settings


@pytest.fixture
def api(owner):
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    client = APIClient()
    client.force_login(owner)
    return client


@pytest.fixture
def viewer_api(viewer):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(viewer)
    return client
