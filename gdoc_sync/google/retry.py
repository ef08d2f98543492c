"""The one retry policy for every Google call: which failures to retry, and how long to wait."""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import tenacity

from gdoc_sync.google.errors import (
    RETRY_STATUSES,
    connection_failure_kind,
    is_connection_failure,
    is_rate_limited,
    retry_after,
    status_of,
)

T = TypeVar("T")


class RetryReason(enum.Enum):
    """Why a call is tried again."""

    QUOTA = "quota"  # 429, or a 403 for a per-minute rate: Google asks to slow down
    SERVER = "server"  # 408 or 5xx: the service failed, or may have
    NO_ANSWER = "no answer"  # refused, dropped or timed out: nothing answered


@dataclass(frozen=True)
class RetryEvent:
    """One retry about to happen: shown on stderr by the CLI and on the board's page."""

    what: str  # the call, e.g. "reading document 1abc" ("" when the caller did not say)
    attempt: int  # the attempt that just failed, from 1
    attempts: int  # the most attempts the policy makes
    wait: float  # seconds before the next attempt
    reason: RetryReason
    status: int | None = None  # the HTTP status, None when nothing answered
    detail: str = ""  # a few words: "connection refused", "HTTP 503"

    def describe(self) -> str:
        cause = {
            RetryReason.QUOTA: f"over the request quota ({self.detail})",
            RetryReason.SERVER: f"the service failed ({self.detail})",
            RetryReason.NO_ANSWER: f"no answer ({self.detail})",
        }[self.reason]
        lead = f"{self.what}: " if self.what else ""
        return (
            f"{lead}{cause}; trying again in {self.wait:.1f} s "
            f"(attempt {self.attempt + 1} of {self.attempts})"
        )

    @classmethod
    def of(
        cls, exc: BaseException, *, what: str, attempt: int, attempts: int, wait: float
    ) -> RetryEvent:
        status = status_of(exc)
        if status is None:
            reason, detail = RetryReason.NO_ANSWER, connection_failure_kind(exc)
        elif is_rate_limited(exc):
            reason, detail = RetryReason.QUOTA, f"HTTP {status}"
        else:
            reason, detail = RetryReason.SERVER, f"HTTP {status}"
        return cls(what, attempt, attempts, wait, reason, status, detail)


def is_retryable(exc: BaseException) -> bool:
    if is_connection_failure(exc):
        return True
    return status_of(exc) in RETRY_STATUSES or is_rate_limited(exc)


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
    on_retry: Callable[[RetryEvent], None] | None = None  # told of every retry before its wait

    def wait_for(self, attempt: int, exc: BaseException | None) -> float:
        asked = retry_after(exc) if exc is not None else None
        if asked is not None:
            return min(asked, self.maximum)
        return self.rand() * min(self.maximum, self.initial * 2 ** (attempt - 1))

    def call(self, fn: Callable[[], T], *, retry_ambiguous: bool = True, what: str = "") -> T:
        """Run fn, retrying what is worth retrying. retry_ambiguous=False for writes that are not
        idempotent: the caller must look for the result before trying again. `what` names the
        call in the RetryEvent each retry sends to on_retry."""

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
                    event = RetryEvent.of(
                        exc,
                        what=what,
                        attempt=state.attempt_number,
                        attempts=self.attempts,
                        wait=state.next_action.sleep,
                    )
                    self.on_retry(event)

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
