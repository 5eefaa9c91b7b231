"""The one error the crisis services raise: a refused change with a stable code.

`CrisisError` is an `ApiError`, so the API answers it in the shared JSON shape
(`{"error": {"code": ..., "message": ...}}`) without a handler of its own; pages show its
message. 409 when the record's state refuses the change (an illegal status transition, a
resolved alert), 400 when the input itself is wrong (no post-mortem cause, an assignee who is
not a member, a snooze in the past).
"""

from __future__ import annotations

from rest_framework import status

from core.api.errors import ApiError

CONFLICT = status.HTTP_409_CONFLICT
INVALID = status.HTTP_400_BAD_REQUEST


class CrisisError(ApiError):
    """A crisis or alert change that was refused; nothing was written."""

    status_code = CONFLICT

    def __init__(self, code: str, message: str, status_code: int | None = None):
        super().__init__(code, message, status_code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
