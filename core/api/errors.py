"""One JSON error shape for the whole API.

    {"error": {"code": "not_found", "message": "...", "fields": {"sku": ["..."]}}}

`code` is stable and documented; `message` is for humans and may be translated.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

CODES = {
    exceptions.ValidationError: "invalid",
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


class ApiError(exceptions.APIException):
    """A domain error raised by a service, with its own stable code."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, message: str, status_code: int | None = None):
        super().__init__(detail=message, code=code)
        self.error_code = code
        if status_code is not None:
            self.status_code = status_code


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) if isinstance(item, dict | list) else str(item) for item in detail]
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    code = getattr(exc, "error_code", None) or next(
        (value for cls, value in CODES.items() if isinstance(exc, cls)), "error"
    )
    body: dict = {"code": code}
    if isinstance(exc, exceptions.ValidationError):
        body["message"] = "The request has invalid fields."
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body["fields"] = _flatten(detail)
    else:
        body["message"] = str(exc.detail) if hasattr(exc, "detail") else str(exc)
    response.data = {"error": body}
    return response


def json_error(code: str, message: str, http_status: int) -> Response:
    return Response({"error": {"code": code, "message": message}}, status=http_status)
