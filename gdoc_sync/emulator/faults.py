"""Fault injection and the request log: how tests and benchmarks see and disturb the emulator."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from gdoc_sync.emulator.pathmatch import PathPattern

ACTIONS = (
    "error",
    "drop",
    "apply_then_fail",
    "apply_then_drop",
    "latency",
    "hold",
    "apply_then_hold",
)
HOLD_SECONDS = 60.0  # how long a held request waits for a release unless latency_ms says


class DroppedConnection(Exception):
    """The emulator closes the connection without answering."""


@dataclass
class Fault:
    """One rule: requests whose method and path match get this fault, `times` times after `skip`."""

    action: str = "error"
    path: str = "**"  # a PathPattern searched in the request path (no regex: see pathmatch)
    method: str | None = None
    status: int = 503
    retry_after: float | None = None
    latency_ms: float = 0.0
    after_ms: float = 0.0  # a pause after the request was applied, before it is answered
    times: int = 1  # -1: for ever
    skip: int = 0  # let this many matching requests through first
    reason: str | None = None  # the error's reason, e.g. rateLimitExceeded for a 403
    message: str | None = None
    body: str | None = None  # the whole answer, verbatim (a recorded Google error envelope)
    seen: int = field(default=0, compare=False)
    fired: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown fault action {self.action!r}; one of {', '.join(ACTIONS)}")
        self._pattern = PathPattern.compile(self.path)
        self._released = threading.Event()

    def hold(self) -> None:
        """Keep a held request waiting until the rule is released (or its time runs out): a
        client killed meanwhile dies with its request unanswered, before or after it applied."""
        self._released.wait(self.latency_ms / 1000.0 if self.latency_ms else HOLD_SECONDS)

    def release(self) -> None:
        self._released.set()

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return self._pattern.search(path)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LoggedRequest:
    """One request the emulator answered (or refused to)."""

    method: str
    path: str
    query: str
    status: int
    api: str
    started: float
    duration_ms: float
    fault: str | None = None


class FaultPlan:
    """The active fault rules, consulted once per request, thread-safe."""

    def __init__(self) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.Lock()
        self.latency_ms = 0.0  # added to every request, e.g. 150 ms to model Google's round trip

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            for rule in self._rules:
                rule.release()
            self._rules.clear()
            self.latency_ms = 0.0

    def rules(self) -> list[Fault]:
        with self._lock:
            return list(self._rules)

    def pick(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path):
                    continue
                rule.seen += 1
                if rule.seen <= rule.skip:
                    continue
                if rule.times != -1 and rule.fired >= rule.times:
                    continue
                rule.fired += 1
                return rule
        return None


DEFAULT_LOG_SIZE = 10_000


class RequestLog:
    """The last `max_entries` API requests the emulator saw, in order (a ring: a long `watch`
    session does not grow the server's memory); control requests are not logged. Counts per
    API cover every request since the last clear, kept or not."""

    def __init__(self, max_entries: int = DEFAULT_LOG_SIZE) -> None:
        if max_entries < 1:
            raise ValueError(f"the request log holds at least 1 entry, not {max_entries}")
        self.max_entries = max_entries
        self._entries: deque[LoggedRequest] = deque(maxlen=max_entries)
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)
            self._counts[entry.api] = self._counts.get(entry.api, 0) + 1

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def counts(self) -> dict[str, int]:
        """Requests per API since the last clear, including those the ring let go."""
        with self._lock:
            return dict(self._counts)

    def dropped(self) -> int:
        """How many requests since the last clear are no longer kept."""
        with self._lock:
            return sum(self._counts.values()) - len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
