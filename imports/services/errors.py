"""The one error the import services raise for a request they refuse."""

from __future__ import annotations

from core.api.errors import ApiError


class ImportServiceError(ApiError):
    """A refused request with a stable `code` and a translated `message`: an API view lets it
    through (the JSON error shape, 400 or 409), a page shows `message` as a form error.

    Codes: file_too_large, empty_file, invalid_kind, invalid_mode, invalid_options,
    invalid_mapping, unknown_field, unknown_column, missing_field, not_configured,
    already_running, already_loaded, already_finished, not_editable.
    """

    def __init__(self, code: str, message: str, status_code: int = 400):
        super().__init__(code, message, status_code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
