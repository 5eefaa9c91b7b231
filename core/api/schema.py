"""OpenAPI additions shared by every API view: the merchant header, the token scheme, errors."""

from __future__ import annotations

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter

MERCHANT_HEADER_NAME = "X-Merchant"
VERSION_TOKEN = re.compile(r"^v\d+$")

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": (
                        "Stable, machine-readable: invalid, malformed_request, "
                        "authentication_failed, not_authenticated, permission_denied, not_found, "
                        "method_not_allowed, not_acceptable, unsupported_media_type, throttled, "
                        "conflict."
                    ),
                },
                "message": {"type": "string", "description": "For humans; may be translated."},
                "fields": {
                    "type": "object",
                    "description": (
                        "With `invalid`: field name -> messages; `non_field_errors` for the "
                        "object as a whole."
                    ),
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "items": {
                    "type": "array",
                    "description": (
                        "With `invalid` on a JSON array body: the invalid items, by their "
                        "index in the array."
                    ),
                    "items": {
                        "type": "object",
                        "properties": {
                            "index": {"type": "integer"},
                            "fields": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                },
                            },
                        },
                        "required": ["index", "fields"],
                    },
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

ERROR_RESPONSES = {
    "400": "Invalid query parameters or body (`invalid`, `malformed_request`).",
    "401": "No or invalid credentials (`not_authenticated`, `authentication_failed`).",
    "403": "Not a member of the merchant, or the role may not do this (`permission_denied`).",
    "404": (
        "No such object among the merchant's, no such page, or an `X-Merchant` slug the "
        "user does not belong to (`not_found`)."
    ),
    "415": "The body is not JSON (`unsupported_media_type`).",
    "429": "Too many requests (`throttled`); retry after the `Retry-After` header's seconds.",
}


class ApiAutoSchema(AutoSchema):
    """Adds the `X-Merchant` header and the error responses to every operation."""

    def get_override_parameters(self):
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                MERCHANT_HEADER_NAME,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description=(
                    "Slug of the merchant to act for, when the user belongs to several. "
                    "Defaults to the merchant a token is bound to, else the one active in the "
                    "session, else the user's first. A token bound to a merchant refuses any "
                    "other slug (403); a slug the user does not belong to is a 404."
                ),
            ),
        ]

    def _tokenize_path(self) -> list[str]:
        # Operation ids and default tags start after the version: `products_list`, not
        # `v1_products_list` (the schema and docs views share the `/api/` prefix only).
        tokens = super()._tokenize_path()
        while tokens and (tokens[0] == "api" or VERSION_TOKEN.match(tokens[0])):
            tokens = tokens[1:]
        return tokens

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "415"]
        elif self._is_list_view():
            codes.append("400")  # a filter with a malformed value
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, schema=ERROR_SCHEMA, object="Error"
        )
        self.registry.register_on_missing(component)
        for code in self._error_codes():
            responses.setdefault(
                code,
                {
                    "content": {"application/json": {"schema": component.ref}},
                    "description": ERROR_RESPONSES[code],
                },
            )
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token <key>`. Create a key with "
                "`manage.py api_token <username> [--merchant <slug>]`; it is printed once."
            ),
        }
