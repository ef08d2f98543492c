"""Errors the emulator returns, declared as data and serialized to Google's error envelope."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

# Google's canonical status names for the HTTP codes the three APIs use (Google's words, which
# http.HTTPStatus does not hold; its phrases are the HTTP reason, see app.py).
STATUS_BY_CODE: dict[int, str] = {
    HTTPStatus.BAD_REQUEST: "INVALID_ARGUMENT",
    HTTPStatus.UNAUTHORIZED: "UNAUTHENTICATED",
    HTTPStatus.FORBIDDEN: "PERMISSION_DENIED",
    HTTPStatus.NOT_FOUND: "NOT_FOUND",
    HTTPStatus.REQUEST_TIMEOUT: "DEADLINE_EXCEEDED",
    HTTPStatus.CONFLICT: "ABORTED",
    HTTPStatus.TOO_MANY_REQUESTS: "RESOURCE_EXHAUSTED",
    HTTPStatus.INTERNAL_SERVER_ERROR: "INTERNAL",
    HTTPStatus.BAD_GATEWAY: "UNAVAILABLE",
    HTTPStatus.SERVICE_UNAVAILABLE: "UNAVAILABLE",
    HTTPStatus.GATEWAY_TIMEOUT: "DEADLINE_EXCEEDED",
}

REASON_BY_CODE: dict[int, str] = {
    HTTPStatus.BAD_REQUEST: "badRequest",
    HTTPStatus.UNAUTHORIZED: "authError",
    HTTPStatus.FORBIDDEN: "forbidden",
    HTTPStatus.NOT_FOUND: "notFound",
    HTTPStatus.CONFLICT: "conflict",
    HTTPStatus.TOO_MANY_REQUESTS: "rateLimitExceeded",
    HTTPStatus.INTERNAL_SERVER_ERROR: "backendError",
    HTTPStatus.SERVICE_UNAVAILABLE: "backendError",
}


ERROR_INFO_REASONS = {
    "accessNotConfigured": "SERVICE_DISABLED",
    "rateLimitExceeded": "RATE_LIMIT_EXCEEDED",
    "userRateLimitExceeded": "RATE_LIMIT_EXCEEDED",
    "insufficientPermissions": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
}
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


class ApiError(Exception):
    """An error answer of the emulated API, rendered in Google's JSON error envelope."""

    code: int = HTTPStatus.BAD_REQUEST
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
        location: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = int(self.code if code is None else code)  # a plain number in every message
        self.status = status or self.status or STATUS_BY_CODE.get(self.code, "UNKNOWN")
        self.explicit_reason = reason
        self.reason = reason or self.reason or REASON_BY_CODE.get(self.code, "error")
        self.details = details
        self.headers = headers or {}
        self.location = location  # Drive names the query parameter at fault

    def envelope(self, api: str = "drive") -> dict[str, Any]:
        """Google's error body. Drive keeps its older `errors` list (with a reason gspread and
        gdoc-sync read); Docs and Sheets answer with code, message, status and details only."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if api == "drive":
            domain = "usageLimits" if self.reason in RATE_LIMIT_REASONS else "global"
            item = {"message": self.message, "domain": domain, "reason": self.reason}
            if self.location:
                item.update(location=self.location, locationType="parameter")
            error["errors"] = [item]
        error["status"] = self.status
        if api != "drive" and self.explicit_reason and not self.details:
            # The newer APIs say why in an ErrorInfo detail, e.g. SERVICE_DISABLED.
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": ERROR_INFO_REASONS.get(self.explicit_reason, self.explicit_reason),
                    "domain": "googleapis.com",
                    "metadata": {"service": f"{api}.googleapis.com"},
                }
            ]
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def body(self, api: str = "drive") -> bytes:
        return json.dumps(self.envelope(api)).encode("utf-8")


class InvalidArgument(ApiError):
    """400: the request is malformed or refers to content that is not there."""

    code: int = HTTPStatus.BAD_REQUEST


class PermissionDenied(ApiError):
    """403: the caller may not do this."""

    code: int = HTTPStatus.FORBIDDEN


class NotFound(ApiError):
    """404: no such document, spreadsheet, file or route."""

    code: int = HTTPStatus.NOT_FOUND


class Conflict(ApiError):
    """409: the resource changed or already exists."""

    code: int = HTTPStatus.CONFLICT


class RateLimited(ApiError):
    """429: quota exceeded."""

    code: int = HTTPStatus.TOO_MANY_REQUESTS
