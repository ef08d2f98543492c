"""A client-side limiter that keeps each account under Google's per-user, per-minute quotas."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

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


class SharedRateLimiter(RateLimiter):
    """The same limiter, shared by every gdoc-sync process of one account on this machine.

    `watch`, `note` and `finalize` usually run in different processes at once; each alone would
    stay under the quota, together they would not. The requests of the last minute live in a
    small file, read and written under an exclusive lock (wall-clock times, since processes do
    not share a monotonic clock)."""

    def __init__(
        self,
        path: Path,
        quotas: dict[tuple[str, bool], int] | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        headroom: float = 0.9,
    ) -> None:
        super().__init__(quotas, clock=clock, sleep=sleep, headroom=headroom)
        self.path = path

    @classmethod
    def for_account(cls, directory: Path, account: str | None) -> SharedRateLimiter:
        tag = hashlib.sha256((account or "default").encode()).hexdigest()[:16]
        return cls(directory / f"ratelimit-{tag}.json")

    def acquire(self, api: str, write: bool) -> float:
        key = (api, write)
        limit = self.quotas.get(key)
        if limit is None:
            return 0.0
        name = f"{api}:{'write' if write else 'read'}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # filelock rather than fcntl: the same lock on every OS the README promises.
        lock = FileLock(str(self.path) + ".lock", mode=0o600)
        waited = 0.0
        while True:
            with lock:
                try:
                    sent = json.loads(self.path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    sent = {}  # absent, empty or cut short: forget it, the window is a minute
                now = self.clock()
                recent = [t for t in sent.get(name, []) if t > now - WINDOW]
                if len(recent) < limit:
                    recent.append(now)
                    sent[name] = recent
                    fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    with os.fdopen(fd, "w", encoding="utf-8") as fh:
                        json.dump(sent, fh)
                    return waited
                delay = min(recent) + WINDOW - now
            self.sleep(delay)
            waited += delay
