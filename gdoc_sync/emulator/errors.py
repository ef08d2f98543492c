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


ERROR_INFO_REASONS = {
    "accessNotConfigured": "SERVICE_DISABLED",
    "rateLimitExceeded": "RATE_LIMIT_EXCEEDED",
    "userRateLimitExceeded": "RATE_LIMIT_EXCEEDED",
    "insufficientPermissions": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
}
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


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
        location: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
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
