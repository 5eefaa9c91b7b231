"""The one outbound HTTP door: every request EcomOps makes to another server goes through here.

Standard library only (`urllib.request`), JSON in and out. Non-2xx answers are returned, not
raised, so callers decide what a status means; only failures to get any answer at all raise
(`HttpConnectionError`, `HttpTimeout`). Tests patch this module, or point it at a loopback
server, never the network.
"""

from __future__ import annotations

import json
import urllib.error
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
) -> HttpResponse:
    """Send one request and return the answer, whatever its status."""
    if not url.startswith(("http://", "https://")):
        raise HttpConnectionError(f"Not an http(s) URL: {url!r}")
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
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
