"""core.http's SSRF guard: only callers that ask for it are limited to public addresses."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import http


@pytest.fixture
def loopback_server():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    server.hits = hits
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.5/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://100.64.0.1/hook",
        "http://240.0.0.1/hook",
        "http://localhost/hook",
    ],
)
def test_the_guard_refuses_private_loopback_link_local_and_reserved_addresses(url):
    with pytest.raises(http.UrlNotAllowed):
        http.url_check_public(url)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "http:///nohost", "file:///etc/passwd"])
def test_the_guard_refuses_urls_that_are_not_http_with_a_host(url):
    with pytest.raises(http.UrlNotAllowed):
        http.url_check_public(url)


def test_the_guard_accepts_a_public_address():
    http.url_check_public("https://8.8.8.8/hook")
    http.url_check_public("https://[2001:4860:4860::8888]/hook")


def test_a_host_that_resolves_to_any_private_address_is_refused(monkeypatch):
    def resolve(host, port, type=0):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(http.UrlNotAllowed, match="10.0.0.7"):
        http.url_check_public("https://hooks.example.com/x")


def test_a_guarded_request_to_loopback_is_refused_before_anything_is_sent(loopback_server):
    url = f"http://127.0.0.1:{loopback_server.server_port}/hook"
    with pytest.raises(http.UrlNotAllowed):
        http.request("GET", url, allow_private=False)
    assert loopback_server.hits == []


def test_requests_that_do_not_ask_for_the_guard_still_reach_loopback(loopback_server):
    response = http.request("GET", f"http://127.0.0.1:{loopback_server.server_port}/ping")
    assert response.status == 200
    assert response.json() == {"ok": True}


def test_the_connection_itself_refuses_a_host_that_changed_to_loopback_after_the_check(
    loopback_server, monkeypatch
):
    # DNS rebinding: the first lookup (the check) sees a public address, the one made when
    # connecting sees loopback. The connection must refuse, not fall through.
    real_resolve = http._resolve
    answers = iter(
        [
            [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))],
        ]
    )

    def resolve(host, port):
        return next(answers, None) or real_resolve("127.0.0.1", port)

    monkeypatch.setattr(http, "_resolve", resolve)
    url = f"http://rebind.example:{loopback_server.server_port}/hook"
    with pytest.raises(http.UrlNotAllowed):
        http.request("GET", url, allow_private=False)
    assert loopback_server.hits == []


def test_redirects_are_returned_not_followed_when_the_caller_says_so(loopback_server):
    base = f"http://127.0.0.1:{loopback_server.server_port}"
    response = http.request("GET", f"{base}/redirect", follow_redirects=False)
    assert response.status == 302
    assert loopback_server.hits == ["/redirect"]

    followed = http.request("GET", f"{base}/redirect")
    assert followed.status == 200
    assert loopback_server.hits == ["/redirect", "/redirect", "/elsewhere"]


def test_raw_bytes_are_sent_exactly_as_given():
    received = []

    class Echo(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    try:
        body = b'{"b":1,  "a":2}'
        response = http.request(
            "POST", f"http://127.0.0.1:{server.server_port}/", data=body, headers={"X": "1"}
        )
    finally:
        server.shutdown()
        server.server_close()
    assert response.status == 204
    assert received == [body]
