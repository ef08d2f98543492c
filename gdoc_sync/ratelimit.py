"""A client-side limiter that keeps each account under Google's per-user, per-minute quotas."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

# Google's published per-user quotas, per minute.
QUOTAS: dict[tuple[str, bool], int] = {
    ("docs", False): 300,
    ("docs", True): 60,
    ("sheets", False): 60,
    ("sheets", True): 60,
    ("drive", False): 1000,
    ("drive", True): 1000,
}
WINDOW = 60.0


class RateLimiter:
    """A sliding-window limiter: acquire() waits until one more request fits in the last minute."""

    def __init__(
        self,
        quotas: dict[tuple[str, bool], int] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        headroom: float = 0.9,  # stay a little under the quota: other tools may share the account
    ) -> None:
        self.quotas = {k: max(1, int(v * headroom)) for k, v in (quotas or QUOTAS).items()}
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[tuple[str, bool], deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, api: str, write: bool) -> float:
        """Block until a request may go; returns how long it waited."""
        key = (api, write)
        limit = self.quotas.get(key)
        if limit is None:
            return 0.0
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                sent = self._sent.setdefault(key, deque())
                while sent and sent[0] <= now - WINDOW:
                    sent.popleft()
                if len(sent) < limit:
                    sent.append(now)
                    return waited
                delay = sent[0] + WINDOW - now
            self.sleep(delay)
            waited += delay
