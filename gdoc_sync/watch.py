"""`watch`: sync on an interval during the session, with a status line, until stopped."""

from __future__ import annotations

import time
from collections.abc import Callable

from .api import GoogleApi
from .errors import MassRemovalError, QuotaError, UnavailableError
from .journal import Journal
from .session import LocalState
from .sync import SyncOptions, SyncResult, sync_session

TRANSIENT = (UnavailableError, QuotaError)


def status_line(result: SyncResult, when: str, group_names: dict[str, str]) -> str:
    if result.unchanged:
        return f"[{when}] no change"
    p = result.plan
    groups = ", ".join(f"{group_names.get(k, k)} {n}" for k, n in p.per_group.items() if n)
    return (
        f"[{when}] {p.total} contributions (+{len(p.added)} ~{len(p.edited)} "
        f"-{len(p.removed)}, {len(p.unassigned)} unassigned)" + (f" | {groups}" if groups else "")
    )


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
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], str] = lambda: time.strftime("%H:%M:%S"),
) -> int:
    """Sync every `interval` seconds; transient failures are shown and retried next round.
    Returns the number of rounds done. Ctrl-C stops between or during rounds, cleanly: a sync
    interrupted midway is finished by the next one, since every write is idempotent."""
    done = 0
    names: dict[str, str] = {}
    said: set[str] = set()  # warnings shown already: a kept override is not repeated each round
    try:
        while rounds is None or done < rounds:
            try:
                result = sync_session(
                    api,
                    document_ref,
                    state=state,
                    journal=journal,
                    options=options,
                    progress=lambda _: None,
                )
                if result.config is not None:
                    names = {g.key: g.name for g in result.config.groups}
                status(status_line(result, clock(), names))
                for c in result.plan.unassigned:
                    if c in result.plan.added:
                        status(f"  unassigned: {c.id} [{c.question_id}] {c.text}")
                if not result.unchanged:
                    for line in result.problems:
                        if line not in said:
                            status(f"  warning: {line}")
                    said = set(result.problems)
            except TRANSIENT as exc:
                status(f"[{clock()}] will retry: {exc}")
            except MassRemovalError as exc:
                status(f"[{clock()}] NOT SYNCED: {exc}")
            done += 1
            if rounds is None or done < rounds:
                sleep(interval)
    except KeyboardInterrupt:
        status("stopped")
    return done
