"""The words for what a sync did: its counts, its notices, and watch's rounds. One place, so
`sync`, `watch`, `history`, the board and the demo say the same thing the same way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

from gdoc_sync.locales.texts import session_language, texts

if TYPE_CHECKING:
    from gdoc_sync.core.reconcile import SyncPlan
    from gdoc_sync.workflows.sync import SyncResult
    from gdoc_sync.workflows.watch import Round

NO_CHANGE = "no change since the last sync"


@dataclass(frozen=True)
class SyncCounts:
    """How many contributions one sync added, edited, ...: what its summary says and what the
    journal records of it (in this order)."""

    added: int = 0
    edited: int = 0
    removed: int = 0
    withdrawn: int = 0
    unassigned: int = 0
    total: int = 0  # in the Doc

    @classmethod
    def of(cls, plan: SyncPlan) -> SyncCounts:
        return cls(
            added=len(plan.added),
            edited=len(plan.edited),
            removed=len(plan.removed),
            withdrawn=len(plan.withdrawn),
            unassigned=len(plan.unassigned),
            total=plan.total,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SyncCounts:
        """A journal entry's summary (a count it lacks is 0)."""
        return cls(**{f.name: int(data.get(f.name) or 0) for f in fields(cls)})

    def to_json(self) -> dict[str, int]:
        return asdict(self)


def counts_line(counts: SyncCounts) -> str:
    """A sync's counts in words: what `sync` and the demo print."""
    return (
        f"{counts.added} added, {counts.edited} edited, {counts.withdrawn} withdrawn, "
        f"{counts.removed} removed, {counts.unassigned} unassigned, {counts.total} in the Doc"
    )


def counts_short(counts: SyncCounts) -> str:
    """The same counts in the short form of a line per sync (`watch`'s rounds, `history`)."""
    return (
        f"{counts.total} contributions (+{counts.added} ~{counts.edited} -{counts.removed}, "
        f"{counts.withdrawn} withdrawn, {counts.unassigned} unassigned)"
    )


def sync_line(result: SyncResult) -> str:
    """The one line `sync` ends with."""
    if result.unchanged:
        return NO_CHANGE
    return f"{'would sync' if result.dry_run else 'synced'}: {counts_line(result.counts())}"


def status_line(result: SyncResult, group_names: Mapping[str, str]) -> str:
    """One round of `watch`: the short counts, then contributions per stakeholder group."""
    if result.unchanged:
        return "no change"
    groups = ", ".join(
        f"{group_names.get(k, k)} {n}" for k, n in result.plan.per_group.items() if n
    )
    return counts_short(result.counts()) + (f" | {groups}" if groups else "")


NoticeKind = Literal["restored", "unassigned", "duplicate_row", "problem"]


@dataclass(frozen=True)
class Notice:
    """Something a sync tells the moderator besides its counts."""

    kind: NoticeKind
    text: str  # the contribution ("C0004 [Q2] words") or the problem, without a heading

    @property
    def warning(self) -> bool:
        """Said on stderr by `sync` (the others are part of its report)."""
        return self.kind in ("duplicate_row", "problem")


def notices(result: SyncResult) -> list[Notice]:
    """Everything a sync has to tell besides its counts, in the order it is told."""
    if result.unchanged:
        return []
    p = result.plan
    found = [Notice("restored", f"{c.id} [{c.question_id}] {c.text}") for c in p.restored]
    found += [Notice("unassigned", f"{c.id} [{c.question_id}] {c.text}") for c in p.unassigned]
    found += [Notice("duplicate_row", d) for d in p.duplicates]
    found += [Notice("problem", problem) for problem in result.problems]
    return found


def unassigned_heading(result: SyncResult) -> str:
    """What to do with an unassigned contribution; the example names one of this session's
    own groups, in the session's language."""
    config = result.config
    groups = config.groups if config is not None else ()
    hint = texts(session_language(config.facts if config is not None else None))
    example = ", " + hint["hint.example"].format(group=groups[0].name) if groups else ""
    return f"unassigned (start the line with a stakeholder group{example})"


def notice_line(notice: Notice, result: SyncResult) -> str:
    """One notice as one line (`watch` shows each once)."""
    if notice.kind == "restored":
        return f"back in the Doc: {notice.text}"
    if notice.kind == "unassigned":
        return f"{unassigned_heading(result)}: {notice.text}"
    if notice.kind == "duplicate_row":
        from gdoc_sync.core.sheet import CONTRIBUTIONS

        return f"warning: duplicate row for {notice.text} in the {result.tabs[CONTRIBUTIONS]} tab"
    return f"warning: {notice.text}"


def notice_lines(result: SyncResult) -> list[str]:
    """Every notice of a sync, one line each."""
    return [notice_line(n, result) for n in notices(result)]


def round_summary(event: Round) -> str:
    """A round of `watch` (or of the board) in words, after its time."""
    if event.state == "stalled":
        return (
            f"stalled: no answer for {event.waited or 0:g} s; still trying, nothing lost "
            "(Ctrl-C stops)"
        )
    if event.state == "retrying":
        return f"will retry: {event.error}"
    if event.state == "failed":
        return f"{'NOT UPDATED' if event.source == 'board' else 'NOT SYNCED'}: {event.error}"
    if event.source == "board":
        return f"{event.read} contributions" if event.changed else "no change"
    if event.result is None:
        return "no change"
    return status_line(event.result, event.group_names)


def sync_report(result: SyncResult) -> tuple[list[str], list[str]]:
    """What `sync` prints: (its report: the counts, then contributions back in the Doc and
    those to assign; its warnings, one line each)."""
    found = notices(result)
    report = [sync_line(result)]
    report += [f"  back in the Doc: {n.text}" for n in found if n.kind == "restored"]
    unassigned = [n for n in found if n.kind == "unassigned"]
    if unassigned:
        report.append(unassigned_heading(result) + ":")
        report += [f"  {n.text}" for n in unassigned]
    return report, [notice_line(n, result) for n in found if n.warning]
