"""`watch`: sync on an interval during the session, with a status line, until stopped.

Each round ends in one `Round` event (ok, retrying, failed) and, when a round is still waiting
for an answer after a few seconds, a `stalled` event first: the CLI's status line and the board's
live feed both read these events, never the text of the status line."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from gdoc_sync.errors import MassRemovalError, QuotaError, UnavailableError, describe
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.summary import notice_lines, round_summary
from gdoc_sync.workflows.sync import SyncOptions, SyncResult, sync_session

TRANSIENT = (UnavailableError, QuotaError)

# How long a round may wait for an answer before the status line says it is stalled.
STALL_AFTER = 5.0

RoundState = Literal["ok", "retrying", "failed", "stalled"]


@dataclass
class Round:
    """What one round of `watch` (or of the board) came to, as data: the CLI and the board
    render it (workflows.summary.round_summary) and tell rounds apart by `state`, never by
    their words."""

    state: RoundState
    when: str
    result: SyncResult | None = field(default=None, repr=False)  # an ok round's sync
    group_names: dict[str, str] = field(default_factory=dict, repr=False)  # key -> name
    error: str = ""  # retrying, failed: what went wrong, in one line
    waited: float | None = None  # stalled: seconds without an answer so far
    warnings: list[str] = field(default_factory=list)  # new since the last change: show once
    source: Literal["sync", "board"] = "sync"  # board: the board's own read of the Sheet
    read: int = 0  # board: contributions on the board read
    changed: bool = True  # board: the board read differs from the last

    @property
    def synced(self) -> bool:
        """The round wrote what it found (or found nothing to write)."""
        return self.state == "ok"

    @property
    def summary(self) -> str:
        """The status line after "[when] "."""
        return round_summary(self)

    @property
    def status(self) -> str:
        return f"[{self.when}] {self.summary}"

    def lines(self) -> list[str]:
        """The status line, then one line per warning."""
        return [self.status] + [f"  {w}" for w in self.warnings]


def _in_background(
    work: Callable[[], SyncResult], stall_after: float, stalled: Callable[[], None]
) -> SyncResult:
    """Run one round's sync in a thread; call `stalled` once if it has not ended after
    `stall_after` seconds, then keep waiting for it (its requests carry their own timeouts)."""
    results: list[SyncResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as exc:  # handed to the caller's thread below
            errors.append(exc)

    thread = threading.Thread(target=run, name="watch-round", daemon=True)
    thread.start()
    thread.join(stall_after)
    if thread.is_alive():
        stalled()
        while thread.is_alive():
            thread.join(0.2)
    if errors:
        raise errors[0]
    return results[0]


def watch_session(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    journal: Journal,
    options: SyncOptions,
    interval: float,
    rounds: int | None = None,
    status: Callable[[str], None] = print,
    on_round: Callable[[Round], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], str] = lambda: time.strftime("%H:%M:%S"),
    stall_after: float | None = STALL_AFTER,
    said: set[str] | None = None,
) -> int:
    """Sync every `interval` seconds; transient failures are shown and retried next round.
    Each round is reported to `on_round` (by default its lines go to `status`); a round still
    waiting after `stall_after` seconds is reported as stalled first, and carries on. `said`
    holds the warnings shown already (pass the same set to calls of one round each).
    Returns the number of rounds done. Ctrl-C stops between or during rounds, cleanly: a sync
    interrupted midway is finished by the next one, since every write is idempotent."""

    def emit(event: Round) -> None:
        if on_round is not None:
            on_round(event)
        else:
            for line in event.lines():
                status(line)

    done = 0
    names: dict[str, str] = {}
    said = set() if said is None else said  # each warning is shown once per change of the Doc
    try:
        while rounds is None or done < rounds:

            def work() -> SyncResult:
                return sync_session(
                    api,
                    document_ref,
                    state=state,
                    journal=journal,
                    options=options,
                    progress=lambda _: None,
                )

            def stalled() -> None:
                emit(Round("stalled", clock(), waited=stall_after))

            try:
                if stall_after is None:
                    result = work()
                else:
                    result = _in_background(work, stall_after, stalled)
                if result.config is not None:
                    names = {g.key: g.name for g in result.config.groups}
                warnings: list[str] = []
                if not result.unchanged:
                    current = notice_lines(result)
                    warnings = [w for w in current if w not in said]
                    said.clear()
                    said.update(current)
                emit(Round("ok", clock(), result, dict(names), warnings=warnings))
            except TRANSIENT as exc:
                emit(Round("retrying", clock(), error=describe(exc)))
            except MassRemovalError as exc:
                emit(Round("failed", clock(), error=describe(exc)))
            done += 1
            if rounds is None or done < rounds:
                sleep(interval)
    except KeyboardInterrupt:
        status("stopped")
    return done
