"""The one retry policy for every Google call: which failures to retry, and how long to wait."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httplib2
import requests
import tenacity
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError

T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


def status_of(exc: BaseException) -> int | None:
    if isinstance(exc, HttpError):
        return int(exc.resp.status)
    if isinstance(exc, APIError):
        return int(exc.response.status_code)
    return None


def error_body(exc: BaseException) -> dict[str, Any]:
    """Google's error envelope from either client's exception, or {}."""
    raw: Any = None
    if isinstance(exc, HttpError):
        raw = exc.content
    elif isinstance(exc, APIError):
        raw = exc.response.content
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
    return reasons


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait, from a Retry-After header."""
    value = None
    if isinstance(exc, HttpError):
        value = exc.resp.get("retry-after")
    elif isinstance(exc, APIError):
        value = exc.response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def is_connection_failure(exc: BaseException) -> bool:
    return isinstance(
        exc,
        ConnectionError
        | TimeoutError
        | requests.ConnectionError
        | requests.Timeout
        | httplib2.HttpLib2Error,
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
    if any(isinstance(e, TimeoutError | requests.Timeout) for e in chain) or "timed out" in text:
        return "it did not answer in time"
    if "name or service not known" in text or "nodename nor servname" in text:
        return "the host name does not resolve"
    return "the connection failed"


def is_retryable(exc: BaseException) -> bool:
    if is_connection_failure(exc):
        return True
    status = status_of(exc)
    if status in RETRY_STATUSES:
        return True
    return status == 403 and bool(reasons_of(exc) & RATE_REASONS)


def is_ambiguous(exc: BaseException) -> bool:
    """The write may have happened: the answer was lost or the server failed after acting."""
    status = status_of(exc)
    return is_connection_failure(exc) or (status is not None and status >= 500)


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter, capped in attempts and in total time."""

    attempts: int = 6
    initial: float = 1.0
    maximum: float = 32.0
    total: float = 120.0  # never wait longer than this in all for one call
    # A server that does not answer at all (refused, timed out, dropped) is given up on once
    # the attempts and the waits between them add up to this: a dead link fails in seconds.
    unreachable_after: float = 30.0
    refused_after: float = 3.0  # nothing listening: a server restarting is back within seconds
    sleep: Callable[[float], None] = time.sleep
    rand: Callable[[], float] = field(default=random.random)
    on_retry: Callable[[BaseException, float], None] | None = None

    def wait_for(self, attempt: int, exc: BaseException | None) -> float:
        asked = retry_after(exc) if exc is not None else None
        if asked is not None:
            return min(asked, self.maximum)
        return self.rand() * min(self.maximum, self.initial * 2 ** (attempt - 1))

    def call(self, fn: Callable[[], T], *, retry_ambiguous: bool = True) -> T:
        """Run fn, retrying what is worth retrying. retry_ambiguous=False for writes that are not
        idempotent: the caller must look for the result before trying again."""

        def should_retry(exc: BaseException) -> bool:
            if not is_retryable(exc):
                return False
            return retry_ambiguous or not is_ambiguous(exc)

        spent = [0.0]  # seconds inside attempts: the waits are counted by tenacity's idle_for

        def timed() -> T:
            started = time.monotonic()
            try:
                return fn()
            finally:
                spent[0] += time.monotonic() - started

        def unreachable(state: tenacity.RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            if exc is None or not is_connection_failure(exc):
                return False
            refused = connection_failure_kind(exc) == "connection refused"
            limit = self.refused_after if refused else self.unreachable_after
            return spent[0] + state.idle_for >= limit

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return self.wait_for(state.attempt_number, exc)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            if self.on_retry and state.outcome is not None and state.next_action is not None:
                exc = state.outcome.exception()
                if exc is not None:
                    self.on_retry(exc, state.next_action.sleep)

        def stop(state: tenacity.RetryCallState) -> bool:
            return (
                state.attempt_number >= self.attempts
                # idle_for sums the waits already taken: the cap holds with an injected sleep too.
                or state.idle_for >= self.total
                or unreachable(state)
            )

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(should_retry),
            wait=wait,
            stop=stop,
            sleep=self.sleep,
            reraise=True,
            before_sleep=before_sleep,
        )
        return retrying(timed)
