"""Google's error answers, read and classified once: every failed call becomes one typed error
of gdoc_sync.errors, with a one-line message saying which call failed and what to do.

Classification goes by HTTP status and Google's structured fields: the envelope's `status`
(INVALID_ARGUMENT, FAILED_PRECONDITION, ...), Drive's `errors[].reason` and the newer APIs'
`ErrorInfo` detail (`reason`, `metadata`). Where Google says what went wrong only in the message,
the message is matched here and nowhere else (see `_MESSAGE_KINDS`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, cast

import google.auth.exceptions
import httplib2
from googleapiclient.errors import HttpError

from gdoc_sync.errors import (
    AccessDeniedError,
    AlreadyExists,
    ApiCallError,
    AuthError,
    GdocSyncError,
    GridLimitExceeded,
    InvalidRequest,
    NotFoundError,
    QuotaError,
    RangeNotFound,
    RevisionMismatch,
    UnavailableError,
)
from gdoc_sync.google.deferred_imports import classes_if_loaded
from gdoc_sync.google.scopes import SCOPES_DEFAULT

RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
DAILY_REASONS = frozenset({"dailyLimitExceeded", "quotaExceeded"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


# -- reading an error answer ----------------------------------------------------------------------

# gspread's and requests' exceptions are checked only when a command loaded those libraries (an
# exception can only be one if it did): `note` never imports gspread, nor, on the local backend,
# requests (start-up).


def _sheets_response(exc: BaseException) -> Any:
    """The HTTP response of gspread's APIError, or None when exc is not one."""
    if isinstance(exc, classes_if_loaded("gspread.exceptions", "APIError")):
        return cast(Any, exc).response
    return None


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of either client's error, or None (nothing answered, or not an answer)."""
    if isinstance(exc, HttpError):
        return int(exc.resp.status)
    if (response := _sheets_response(exc)) is not None:
        return int(response.status_code)
    return None


def error_body(exc: BaseException) -> dict[str, Any]:
    """Google's error envelope from either client's exception, or {}."""
    raw: Any = None
    if isinstance(exc, HttpError):
        raw = exc.content
    elif (response := _sheets_response(exc)) is not None:
        raw = response.content
    try:
        data = json.loads(raw) if raw else {}
    except (ValueError, TypeError):
        return {}
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, dict) else {}


def reasons_of(exc: BaseException) -> set[str]:
    """Why Google refused: Drive's errors[].reason and the newer APIs' ErrorInfo reasons, which
    are spelt differently (RATE_LIMIT_EXCEEDED for rateLimitExceeded)."""
    body = error_body(exc)
    reasons = {e.get("reason", "") for e in body.get("errors", []) if isinstance(e, dict)}
    for detail in body.get("details", []):
        if isinstance(detail, dict) and detail.get("reason"):
            reason = detail["reason"]
            reasons.add(reason)
            if reason == "RATE_LIMIT_EXCEEDED":
                reasons.add("rateLimitExceeded")
    reasons.discard("")
    return reasons


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait, from a Retry-After header."""
    value = None
    if isinstance(exc, HttpError):
        value = exc.resp.get("retry-after")
    elif (response := _sheets_response(exc)) is not None:
        value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def is_connection_failure(exc: BaseException) -> bool:
    requests_errors = classes_if_loaded("requests", "ConnectionError", "Timeout")
    return isinstance(
        exc, (ConnectionError, TimeoutError, httplib2.HttpLib2Error, *requests_errors)
    )


def connection_failure_kind(exc: BaseException) -> str:
    """Why nothing answered, in a few words rather than urllib3's nested message."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "connection refused"
    timeouts = (TimeoutError, *classes_if_loaded("requests", "Timeout"))
    if any(isinstance(e, timeouts) for e in chain) or "timed out" in text:
        return "it did not answer in time"
    if "name or service not known" in text or "nodename nor servname" in text:
        return "the host name does not resolve"
    return "the connection failed"


def is_rate_limited(exc: BaseException) -> bool:
    """A per-minute quota: 429, or Drive's 403 with a rate reason."""
    status = status_of(exc)
    return status == 429 or (status == 403 and bool(reasons_of(exc) & RATE_REASONS))


@dataclass
class Answer:
    """One error answer, read once: what the classifier decides on."""

    status: int
    message: str  # the envelope's message, whitespace collapsed
    google_status: str  # INVALID_ARGUMENT, FAILED_PRECONDITION, ... ("" when absent)
    reasons: set[str]  # errors[].reason and ErrorInfo reasons
    info_reason: str = ""  # the ErrorInfo detail's reason, e.g. SERVICE_DISABLED
    metadata: dict[str, str] = field(default_factory=dict)  # the ErrorInfo detail's metadata
    body: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, exc: BaseException, status: int) -> Answer:
        body = error_body(exc)
        info_reason, metadata = "", {}
        for detail in body.get("details") or []:
            if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("ErrorInfo"):
                info_reason = str(detail.get("reason") or "")
                meta = detail.get("metadata")
                metadata = meta if isinstance(meta, dict) else {}
                break
        return cls(
            status=status,
            message=" ".join(str(body.get("message") or "").split()),
            google_status=str(body.get("status") or ""),
            reasons=reasons_of(exc),
            info_reason=info_reason,
            metadata=metadata,
            body=body,
        )


# -- what Google says only in words ---------------------------------------------------------------

# Sheets answers these with a bare 400 INVALID_ARGUMENT envelope, code, message and status and no
# reason (the shape of the recorded answer in tests/fixtures/google/gspread-cassettes/
# WorksheetTest.test_hide_show_worksheet.json: "Invalid requests[0].updateSheetProperties: ..."),
# so the message is all there is to tell them apart. The wordings are Sheets' own, as the
# emulator (gdoc_sync/emulator/sheets/grid.py, a1.py) reproduces them:
#   'Invalid requests[0].addSheet: A sheet with the name "X" already exists. Please enter ...'
#   'Unable to parse range: Matrix!A1:C9' (values.batchGet / batchUpdate: 'Invalid data[0]: ...')
#   "Range ('Matrix'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
# Docs answers a stale writeControl.requiredRevisionId with a 400 whose status is
# FAILED_PRECONDITION (the emulator's docs/models.py: "The required revision ID '...' does not
# match the latest revision."); a 400 whose message speaks of the revision is read the same way,
# should the status be missing.
_MESSAGE_KINDS: tuple[tuple[re.Pattern[str], type[ApiCallError | RevisionMismatch]], ...] = (
    (re.compile(r"\balready exists\b", re.I), AlreadyExists),
    (re.compile(r"\bUnable to parse range\b", re.I), RangeNotFound),
    (re.compile(r"\bexceeds grid limits\b", re.I), GridLimitExceeded),
    (re.compile(r"\brevision", re.I), RevisionMismatch),
)


def _kind_of_400(answer: Answer) -> type[GdocSyncError]:
    if answer.google_status == "FAILED_PRECONDITION" and "revision" in answer.message.lower():
        return RevisionMismatch
    if answer.google_status == "ALREADY_EXISTS":
        return AlreadyExists
    for pattern, kind in _MESSAGE_KINDS:
        if pattern.search(answer.message):
            return kind
    return InvalidRequest


# -- the classifier -------------------------------------------------------------------------------


def classify(
    exc: BaseException,
    what: str,
    *,
    account: str | None = None,
    endpoint: str = "the server",
    hint: str = "",
) -> GdocSyncError:
    """The one typed, one-line error for a failed call. `what` says which call on which file,
    `account` whom gdoc-sync acts as (a service account's e-mail tells its traps apart),
    `endpoint` what was tried and `hint` what to check when nothing answered."""
    if isinstance(exc, google.auth.exceptions.RefreshError | google.auth.exceptions.TransportError):
        return _refresh_failure(exc, what, account)
    status = status_of(exc)
    if status is None:
        if is_connection_failure(exc):
            advice = f"; {hint}" if hint else ""
            return UnavailableError(
                f"{what}: no answer from {endpoint} ({connection_failure_kind(exc)}){advice}"
            )
        return ApiCallError(f"{what}: {exc}")
    answer = Answer.of(exc, status)
    error = (
        _storage_full(answer, what, account)
        or _service_disabled(answer, what)
        or _quota(exc, answer, what)
        or _scope_missing(answer, what)
        or _not_shared(answer, what, account)
        or _by_status(answer, what)
    )
    if isinstance(error, ApiCallError):
        error.status = status
    return error


def _shown(answer: Answer) -> str:
    return answer.message or f"HTTP {answer.status}"


def _by_status(answer: Answer, what: str) -> GdocSyncError:
    status, message = answer.status, _shown(answer)
    if status == 404:
        return NotFoundError(f"{what}: not found, or this account cannot see it ({message})")
    if status == 403:
        return AccessDeniedError(f"{what}: permission denied ({message})")
    if status == 409 or answer.google_status == "ALREADY_EXISTS" or "duplicate" in answer.reasons:
        return AlreadyExists(f"{what}: already exists ({message})")
    if status == 400:
        kind = _kind_of_400(answer)
        if kind is RevisionMismatch:
            return RevisionMismatch(f"{what}: the document changed since it was read ({message})")
        return kind(f"{what}: {status} {message}")
    if status >= 500:
        return UnavailableError(
            f"{what}: the service failed even after retries ({status}: {message})"
        )
    return ApiCallError(f"{what}: {status} {message}")


def _storage_full(answer: Answer, what: str, account: str | None) -> GdocSyncError | None:
    lowered = answer.message.lower()
    if "storageQuotaExceeded" not in answer.reasons and "storage quota" not in lowered:
        return None
    sa = _service_account(account)
    if sa or "service account" in lowered:
        who = f" ({sa})" if sa else ""
        return AccessDeniedError(
            f"{what}: a service account{who} has no Drive storage and cannot own files: "
            "create the session in a shared drive the service account is a member of "
            "(--parent SHARED_DRIVE_OR_FOLDER_ID), or use a user login (`gdoc-sync auth login`)"
        )
    return QuotaError(
        f"{what}: the Drive storage of {account or 'this account'} is full: "
        "free some space, or create the files in a shared drive with --parent"
    )


def _service_disabled(answer: Answer, what: str) -> GdocSyncError | None:
    if answer.info_reason != "SERVICE_DISABLED" and "accessNotConfigured" not in answer.reasons:
        return None
    meta, message = answer.metadata, answer.message
    service = meta.get("service") or _match(r"apis/api/([\w.-]+)", message) or "the API"
    title = meta.get("serviceTitle") or service
    project = (
        meta.get("consumer", "").removeprefix("projects/")
        or meta.get("containerInfo")
        or _match(r"project (\d+)", message)
        or "?"
    )
    url = meta.get("activationUrl") or (
        f"https://console.developers.google.com/apis/api/{service}/overview?project={project}"
    )
    return AccessDeniedError(
        f"{what}: the {title} ({service}) is not enabled in Cloud project "
        f"{project}: enable it at {url}, wait a few minutes, and retry"
    )


def _quota(exc: BaseException, answer: Answer, what: str) -> GdocSyncError | None:
    reasons, meta, message = answer.reasons, answer.metadata, answer.message
    daily = reasons & DAILY_REASONS
    rate = answer.status == 429 or reasons & RATE_REASONS
    if not (rate or daily or answer.info_reason == "RATE_LIMIT_EXCEEDED"):
        return None
    quota = (
        meta.get("quota_limit")
        or _match(r"limit '([^']+)'", message)
        or meta.get("quota_metric")
        or _match(r"quota metric '([^']+)'", message)
        or next(iter(sorted(reasons & (RATE_REASONS | DAILY_REASONS))), "")
        or "a rate quota"
    )
    service = meta.get("service") or _match(r"service '([^']+)'", message)
    value = meta.get("quota_limit_value")
    where = f" of {service}" if service else ""
    limit = f" (limit {value})" if value else ""
    if is_rate_limited(exc) and not daily:
        after = "gdoc-sync already retried with backoff; wait a minute and run it again"
    else:
        after = "retrying will not help until the quota resets"
    return QuotaError(
        f"{what}: quota '{quota}'{where}{limit} exceeded; {after}, or ask for "
        "more in the Cloud console (IAM & Admin > Quotas)"
    )


def _scope_missing(answer: Answer, what: str) -> GdocSyncError | None:
    if answer.status != 403 or not _scope_trouble(answer):
        return None
    return AccessDeniedError(
        f"{what}: the login lacks a needed scope ({_shown(answer)}); "
        "run `gdoc-sync auth login` again"
    )


def _scope_trouble(answer: Answer) -> bool:
    return "insufficientPermissions" in answer.reasons or (
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT" in json.dumps(answer.body)
    )


def _not_shared(answer: Answer, what: str, account: str | None) -> GdocSyncError | None:
    sa = _service_account(account)
    if not sa or answer.status not in (403, 404) or _scope_trouble(answer):
        return None
    thing = _thing(what)
    kind = NotFoundError if answer.status == 404 else AccessDeniedError
    rights = "" if answer.status == 404 else " with enough rights (editor)"
    return kind(
        f"{what}: the {thing} is not shared{rights} with the service account's e-mail "
        f"{sa}: share it with {sa}, or use a user login (`gdoc-sync auth login`)"
    )


def _refresh_failure(
    exc: google.auth.exceptions.GoogleAuthError, what: str, account: str | None
) -> GdocSyncError:
    text = _first_line(exc)
    lead = f"{what}: " if what else ""
    if isinstance(exc, google.auth.exceptions.TransportError):
        return UnavailableError(f"{lead}no answer from Google's token endpoint ({text})")
    if "unauthorized_client" in text:
        scopes = ",".join(SCOPES_DEFAULT)
        return AuthError(
            f"{lead}Google will not let the service account act as {account or 'that user'} "
            "(unauthorized_client): a Workspace admin must authorise the service account's client "
            f"ID for the scopes {scopes} under Admin console > Security > API controls > "
            "Domain-wide delegation"
        )
    if "invalid_scope" in text:
        # gcloud insists on cloud-platform among ADC scopes; gdoc-sync's own login does not.
        scopes = ",".join(("https://www.googleapis.com/auth/cloud-platform", *SCOPES_DEFAULT))
        return AuthError(
            f"{lead}these credentials were not granted the scopes gdoc-sync needs "
            f"({text}): use `gdoc-sync auth login`, or for Application Default "
            "Credentials run `gcloud auth application-default login "
            f"--client-id-file=CLIENT.json --scopes={scopes}`"
        )
    if "invalid_grant" in text and (
        "JWT" in text or "Invalid email" in text or _service_account(account)
    ):
        return AuthError(
            f"{lead}the service-account key was refused ({text}): the key may have "
            "been deleted, or the --impersonate user does not exist"
        )
    return AuthError(f"{lead}the login no longer works ({text}): run `gdoc-sync auth login`")


def _service_account(account: str | None) -> str | None:
    return account if account and account.endswith(".gserviceaccount.com") else None


def _thing(what: str) -> str:
    if "document" in what:
        return "Doc"
    if "spreadsheet" in what:
        return "Sheet"
    return "file (or the --parent folder)"


def _first_line(exc: BaseException) -> str:
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return " ".join(text.split())[:300]


def _match(pattern: str, text: str) -> str | None:
    m = re.search(pattern, text)
    return m.group(1) if m else None
