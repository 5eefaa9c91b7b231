"""One JSON error shape for the whole API.

    {"error": {"code": "not_found", "message": "...", "fields": {"sku": ["..."]}}}

`code` is stable and documented; `message` is for humans and may be translated. `fields` is
present on `invalid` errors of one object (field name -> messages, `non_field_errors` for the
object as a whole). When a request carries a JSON array of objects, the errors of the invalid
ones come as `items`: `[{"index": 3, "fields": {"units": ["..."]}}]` (index in the array).

Codes: invalid, malformed_request, authentication_failed, not_authenticated, permission_denied,
not_found, method_not_allowed, not_acceptable, unsupported_media_type, throttled, conflict,
server_error.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
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
API_PREFIX = "/api/"


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
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): _flatten(value)
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return [_flatten(item) if isinstance(item, dict | list) else str(item) for item in detail]
    return str(detail)


def _validation_body(detail) -> dict:
    # A list serializer reports the invalid items keyed by their index (older DRF: a list
    # with one entry per item, {} for the valid ones).
    if isinstance(detail, dict) and detail and all(isinstance(key, int) for key in detail):
        indexed = sorted(detail.items())
    elif isinstance(detail, list) and detail and all(isinstance(item, dict) for item in detail):
        indexed = [(index, item) for index, item in enumerate(detail) if item]
    else:
        if not isinstance(detail, dict):
            detail = {api_settings.NON_FIELD_ERRORS_KEY: detail}
        return {"fields": _flatten(detail)}
    return {"items": [{"index": index, "fields": _flatten(item)} for index, item in indexed]}


def _as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
    if isinstance(exc, IntegrityError):
        # A unique key taken by a concurrent request between validation and the write.
        return ApiError(
            "conflict",
            _("The request conflicts with data written at the same time; retry it."),
            status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OverflowError | DataError):
        # A value the column cannot hold (an id or quantity beyond the integer range, text
        # longer than the column) that no field validator caught: the client's input, a 400.
        return exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("A value in the request is out of range.")]}
        )
    return exc


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    code = getattr(exc, "error_code", None) or next(
        (value for cls, value in CODES.items() if isinstance(exc, cls)), "error"
    )
    body: dict = {"code": code}
    if isinstance(exc, exceptions.ValidationError):
        body["message"] = _("The request has invalid fields.")
        body.update(_validation_body(exc.detail))
    else:
        body["message"] = str(exc.detail) if hasattr(exc, "detail") else str(exc)
    response.data = {"error": body}
    return response


def json_error(code: str, message: str, http_status: int) -> Response:
    return Response({"error": {"code": code, "message": message}}, status=http_status)


def _json_error_response(code: str, message: str, http_status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=http_status)


def page_not_found(request, exception=None):
    """Django's 404 handler: the API's JSON shape under /api/, the portal's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return _json_error_response(
            "not_found", _("There is no API endpoint at this address."), status.HTTP_404_NOT_FOUND
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django's 500 handler: the API's JSON shape under /api/, the portal's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return _json_error_response(
            "server_error",
            _("Something went wrong on our side; the error has been logged."),
            status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return defaults.server_error(request)
