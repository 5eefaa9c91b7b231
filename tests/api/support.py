"""Helpers shared by the API tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def error_of(response) -> dict:
    """The body's error object, after checking the response has the one error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]


def query_count(client, url: str, **params) -> int:
    """Queries one GET runs; fails unless it answers 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)
