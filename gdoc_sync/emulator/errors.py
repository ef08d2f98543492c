"""Errors the emulator returns, declared as data and serialized to Google's error envelope."""

from __future__ import annotations

import json
from typing import Any

# Google's canonical status names for the HTTP codes the three APIs use.
STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

REASON_BY_CODE = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    409: "conflict",
    429: "rateLimitExceeded",
    500: "backendError",
    503: "backendError",
}


class ApiError(Exception):
    """An error answer of the emulated API, rendered in Google's JSON error envelope."""

    code = 400
    status: str | None = None
    reason: str | None = None

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        status: str | None = None,
        reason: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.status = status or self.status or STATUS_BY_CODE.get(self.code, "UNKNOWN")
        self.reason = reason or self.reason or REASON_BY_CODE.get(self.code, "error")
        self.details = details
        self.headers = headers or {}

    def envelope(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "errors": [{"message": self.message, "domain": "global", "reason": self.reason}],
            "status": self.status,
        }
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def body(self) -> bytes:
        return json.dumps(self.envelope()).encode("utf-8")


class InvalidArgument(ApiError):
    """400: the request is malformed or refers to content that is not there."""

    code = 400


class PermissionDenied(ApiError):
    """403: the caller may not do this."""

    code = 403


class NotFound(ApiError):
    """404: no such document, spreadsheet, file or route."""

    code = 404


class Conflict(ApiError):
    """409: the resource changed or already exists."""

    code = 409


class RateLimited(ApiError):
    """429: quota exceeded."""

    code = 429
