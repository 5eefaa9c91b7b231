"""The one outbound HTTP door: every request EcomOps makes to another server goes through here.

Standard library only (`urllib.request`), JSON in and out. Non-2xx answers are returned, not
raised, so callers decide what a status means; only failures to get any answer at all raise
(`HttpConnectionError`, `HttpTimeout`). Tests patch this module, or point it at a loopback
server, never the network.

Requests to addresses a user typed (webhooks) pass `allow_private=False`: the host is resolved
and every address must be public (`url_check_public`), and the connection itself only ever goes
to a checked address, so a DNS answer that changes between the check and the connect (DNS
rebinding) or a redirect cannot reach an internal service. Such requests ignore the
environment's proxy settings, since the guard must see the real destination.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

USER_AGENT = "EcomOps/0.1"


class HttpError(Exception):
    """No HTTP answer was received."""


class HttpConnectionError(HttpError):
    """Refused, reset, DNS failure: the server could not be reached."""


class HttpTimeout(HttpError):
    """The server did not answer within the timeout."""


class UrlNotAllowed(HttpError):
    """The URL is malformed or points at a private, loopback, link-local or reserved address."""


def address_is_public(address: str) -> bool:
    """Whether an IP address is reachable on the public internet (and so safe to call)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:10.0.0.1 and 64:ff9b::/96-style embeddings are checked as the IPv4 they carry.
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _resolve(host: str, port: int) -> list[tuple]:
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise HttpConnectionError(f"Cannot resolve {host!r}: {error}") from error


def _check_addresses(host: str, infos: list[tuple]) -> None:
    for info in infos:
        address = info[4][0]
        if not address_is_public(address):
            raise UrlNotAllowed(
                f"{host} resolves to {address}, a private, loopback, link-local or reserved "
                "address: requests there are not allowed."
            )


def url_check_public(url: str) -> None:
    """Raise `UrlNotAllowed` unless `url` is http(s) and every address of its host is public.

    The host is resolved (a name such as "localhost" counts by what it resolves to); a name
    that cannot be resolved raises `HttpConnectionError`.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlNotAllowed(f"Not an http(s) URL with a host: {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UrlNotAllowed(f"Invalid port in {url!r}") from error
    _check_addresses(parts.hostname, _resolve(parts.hostname, port))


def _create_public_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """`socket.create_connection` that connects only to public addresses of the host."""
    host, port = address
    infos = _resolve(host, port)
    _check_addresses(host, infos)
    last_error: OSError | None = None
    for family, socktype, proto, _canonname, sockaddr in infos:
        sock = socket.socket(family, socktype, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            last_error = error
            sock.close()
    raise last_error or OSError(f"No address to connect to for {host}")


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _create_public_connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _create_public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Return 3xx answers as they are: the caller decides what a redirect means."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener(*, allow_private: bool, follow_redirects: bool):
    handlers: list = []
    if not allow_private:
        handlers += [urllib.request.ProxyHandler({}), _PublicHTTPHandler, _PublicHTTPSHandler]
    if not follow_redirects:
        handlers.append(_NoRedirect)
    return urllib.request.build_opener(*handlers)


@dataclass
class HttpResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None

    def text(self, limit: int = 500) -> str:
        return self.body.decode("utf-8", errors="replace")[:limit]


def request(
    method: str,
    url: str,
    *,
    json_body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    data: bytes | None = None,
    allow_private: bool = True,
    follow_redirects: bool = True,
) -> HttpResponse:
    """Send one request and return the answer, whatever its status.

    `data` sends raw bytes (e.g. a JSON body that was signed byte for byte); `json_body` sends
    a value as JSON. `allow_private=False` refuses (`UrlNotAllowed`) any host that is or
    resolves to a non-public address, checked again at connect time. `follow_redirects=False`
    returns a 3xx answer instead of following it.
    """
    if not url.startswith(("http://", "https://")):
        raise HttpConnectionError(f"Not an http(s) URL: {url!r}")
    if not allow_private:
        url_check_public(url)
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if json_body is not None:
        data = json.dumps(json_body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)  # noqa: S310
    if allow_private and follow_redirects:
        open_url = urllib.request.urlopen
    else:
        open_url = _opener(allow_private=allow_private, follow_redirects=follow_redirects).open
    try:
        with open_url(req, timeout=timeout) as response:  # noqa: S310
            return HttpResponse(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return HttpResponse(error.code, error.read() or b"", dict(error.headers or {}))
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise HttpTimeout(f"{method} {url}: no answer within {timeout} s") from error
        raise HttpConnectionError(f"{method} {url}: {error.reason}") from error
    except TimeoutError as error:
        raise HttpTimeout(f"{method} {url}: no answer within {timeout} s") from error
    except (ConnectionError, OSError) as error:
        raise HttpConnectionError(f"{method} {url}: {error}") from error


def post_json(url: str, payload: Any, **kwargs: Any) -> HttpResponse:
    return request("POST", url, json_body=payload, **kwargs)
