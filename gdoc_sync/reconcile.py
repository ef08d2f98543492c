"""Reconcile the Doc's contributions with the Sheet's rows: ids, statuses and the cells to write."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import MassRemovalError
from .model import Contribution, SessionConfig, Status
from .sheet import (
    ADDRESSEES,
    CHANNEL,
    CONTRIBUTIONS,
    FIRST_SEEN,
    ID,
    LAST_CHANGED,
    PROPOSER,
    QUESTION,
    SPEAKER,
    STATUS,
    TEXT,
    TOOL_COLUMNS,
    ContributionsTab,
    column_letter,
    fit_cell,
    id_number,
    matrix_rows,
    quote_sheet,
)

SIMILARITY = 0.8  # how alike an unanchored paragraph must be to a lost one to be the same words
ADDRESSEE_SEPARATOR = "; "


def format_id(number: int) -> str:
    return f"C{number:04d}"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


@dataclass
class Change:
    """One contribution whose row sync adds or changes, for the moderator's summary."""

    id: str
    question_id: str
    text: str
    status: str


@dataclass
class SyncPlan:
    """Everything one sync will write, and what it will tell the moderator."""

    anchors: list[tuple[str, int, int]] = field(default_factory=list)  # (id, start, end)
    cell_writes: list[dict[str, Any]] = field(default_factory=list)  # values.batchUpdate data
    matrix: list[list[Any]] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    edited: list[Change] = field(default_factory=list)
    withdrawn: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    unassigned: list[Change] = field(default_factory=list)
    restored: list[Change] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    total: int = 0
    rows_changed: int = 0
    per_group: dict[str, int] = field(default_factory=dict)

    @property
    def changes_sheet(self) -> bool:
        return bool(self.cell_writes)


def sheet_text(c: Contribution) -> str:
    """The Contribution cell: what was said, its detail lines included; the addressee prefix and
    the attribution have columns of their own."""
    return fit_cell(c.body or c.text)


def sheet_text_of(record: dict[str, Any]) -> str:
    """sheet_text() of a contribution as the journal recorded it."""
    return fit_cell(record.get("body") or record.get("text") or "")


def status_of(c: Contribution, previous: str | None, old_text: str | None) -> str:
    """`old_text` is what the contribution said at the last sync: from the journal when this
    machine has it (a cell can be typed over in the Sheet), else the Sheet's cell."""
    if c.withdrawn:
        return Status.withdrawn
    if not c.addressees:
        return Status.unassigned
    was_edited = previous == Status.edited or (old_text is not None and old_text != sheet_text(c))
    return Status.edited if was_edited else Status.in_doc


def plan_sync(
    contributions: Sequence[Contribution],
    tab: ContributionsTab,
    config: SessionConfig,
    *,
    now: str,
    accept_removals: bool = False,
    removal_threshold: float = 0.5,
    unread_sections: frozenset[str] = frozenset(),
    last_texts: dict[str, str] | None = None,
) -> SyncPlan:
    """Decide ids, statuses and the exact tool-owned cells to write; people's columns untouched."""
    plan = SyncPlan()
    group_names = {g.key: g.name for g in config.groups}
    id_col = tab.column(ID)
    rows_by_id: dict[str, int] = {}  # id -> index into tab.rows
    highest = 0
    for index, row in enumerate(tab.rows):
        cid = row[id_col].strip() if id_col < len(row) else ""
        number = id_number(cid)
        if number is None:
            continue
        highest = max(highest, number)
        if cid in rows_by_id:
            plan.duplicates.append(f"{cid} (rows {rows_by_id[cid] + 2} and {index + 2})")
            continue
        rows_by_id[cid] = index
    for c in contributions:
        if c.id and (n := id_number(c.id)) is not None:
            highest = max(highest, n)

    # Identity: anchored contributions keep their id; the rest may be lost anchors (a paragraph
    # cut and pasted, retyped) found again by their words, or else new.
    in_doc_ids = {c.id for c in contributions if c.id}
    orphans = [cid for cid in rows_by_id if cid not in in_doc_ids]
    orphan_text = {cid: _norm(tab.cell(tab.rows[rows_by_id[cid]], TEXT)) for cid in orphans}
    orphan_question = {cid: tab.cell(tab.rows[rows_by_id[cid]], QUESTION) for cid in orphans}
    assigned: list[tuple[Contribution, str]] = []
    for c in contributions:
        cid = c.id
        if not cid:
            cid = _rematch(c, orphan_text, orphan_question)
            if cid:
                del orphan_text[cid]
            else:
                highest += 1
                cid = format_id(highest)
            plan.anchors.append((cid, c.start_index, c.end_index))
        assigned.append((c, cid))

    new_rows: list[tuple[int, list[str]]] = []
    matrix_cells: dict[tuple[str, str], list[str]] = {}
    unassigned_cells: dict[str, list[str]] = {}
    per_group = {g.key: 0 for g in config.groups}
    for c, cid in assigned:
        index = rows_by_id.get(cid)
        row = tab.rows[index] if index is not None else None
        previous = tab.cell(row, STATUS) if row is not None else None
        old_text = tab.cell(row, TEXT) if row is not None else None
        if last_texts is not None and cid in last_texts and row is not None:
            old_text = last_texts[cid]
        status = status_of(c, previous, old_text)
        values = {
            ID: cid,
            QUESTION: c.question_id,
            ADDRESSEES: ADDRESSEE_SEPARATOR.join(group_names.get(k, k) for k in c.addressees),
            TEXT: sheet_text(c),
            SPEAKER: c.speaker,
            PROPOSER: group_names.get(c.proposer_group, c.proposer_group),
            CHANNEL: str(c.channel),
            STATUS: str(status),
        }
        change = Change(cid, c.question_id, c.text, str(status))
        if row is None:
            values[FIRST_SEEN] = now
            values[LAST_CHANGED] = now
            new_rows.append((id_number(cid) or 0, [values[name] for name in TOOL_COLUMNS]))
            plan.added.append(change)
        else:
            differs = {name: v for name, v in values.items() if tab.cell(row, name) != v}
            if differs:
                differs[LAST_CHANGED] = now
                if not tab.cell(row, FIRST_SEEN):
                    differs[FIRST_SEEN] = now
                plan.cell_writes.extend(_row_writes(tab, index + 2, differs))
                plan.rows_changed += 1
                if previous == Status.removed:
                    plan.restored.append(change)
                elif STATUS in differs and status == Status.withdrawn:
                    plan.withdrawn.append(change)
                elif TEXT in differs or ADDRESSEES in differs or STATUS in differs:
                    plan.edited.append(change)
        if status == Status.unassigned:
            plan.unassigned.append(change)
        if status == Status.withdrawn:
            continue
        entry = f"{cid} {c.body or c.text}"
        if not c.addressees:
            unassigned_cells.setdefault(c.question_id, []).append(entry)
        for key in c.addressees:
            matrix_cells.setdefault((key, c.question_id), []).append(entry)
            per_group[key] = per_group.get(key, 0) + 1

    # Rows never go away: what left the Doc is marked, unless that is suspiciously much.
    known = sum(
        1 for cid, i in rows_by_id.items() if tab.cell(tab.rows[i], STATUS) != Status.removed
    )
    # A section sync could not find was not read: its rows did not leave the Doc.
    leaving = [
        cid
        for cid in orphan_text
        if tab.cell(tab.rows[rows_by_id[cid]], STATUS) != Status.removed
        and tab.cell(tab.rows[rows_by_id[cid]], QUESTION) not in unread_sections
    ]
    if (
        leaving
        and not accept_removals
        and len(leaving) >= 2
        and len(leaving) > removal_threshold * known
    ):
        raise MassRemovalError(
            f"this sync would mark {len(leaving)} of {known} contributions as removed from the "
            "Doc; the shared Doc was probably damaged (restore it from File > Version history), "
            "or run sync again with --accept-removals if the removals are intended"
        )
    for cid in leaving:
        index = rows_by_id[cid]
        row = tab.rows[index]
        plan.cell_writes.extend(
            _row_writes(tab, index + 2, {STATUS: str(Status.removed), LAST_CHANGED: now})
        )
        plan.rows_changed += 1
        plan.removed.append(
            Change(cid, tab.cell(row, QUESTION), tab.cell(row, TEXT), str(Status.removed))
        )

    if new_rows:
        new_rows.sort(key=lambda item: item[0])
        first = len(tab.rows) + 2
        plan.cell_writes.extend(_block_writes(tab, first, [r for _, r in new_rows]))
    plan.total = len(assigned)
    plan.per_group = per_group
    plan.matrix = matrix_rows(config, matrix_cells, unassigned_cells)
    if plan.cell_writes:
        plan.cell_writes.append(
            {
                "range": f"{quote_sheet('Matrix')}!A1",
                "majorDimension": "ROWS",
                "values": plan.matrix,
            }
        )
    return plan


def _rematch(c: Contribution, texts: dict[str, str], questions: dict[str, str]) -> str | None:
    if not texts:
        return None
    target = _norm(sheet_text(c))
    best, best_score = None, 0.0
    for cid, text in texts.items():
        matcher = difflib.SequenceMatcher(None, target, text, autojunk=False)
        if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
            continue
        score = matcher.ratio() + (0.01 if questions.get(cid) == c.question_id else 0.0)
        if score > best_score:
            best, best_score = cid, score
    return best if best_score >= SIMILARITY else None


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of sorted column indices, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for col in sorted(columns):
        if runs and runs[-1][1] == col - 1:
            runs[-1] = (runs[-1][0], col)
        else:
            runs.append((col, col))
    return runs


def _row_writes(
    tab: ContributionsTab, row_number: int, cells: dict[str, str]
) -> list[dict[str, Any]]:
    by_col = {tab.column(name): value for name, value in cells.items()}
    writes = []
    for first, last in _runs(list(by_col)):
        writes.append(
            {
                "range": f"{quote_sheet(CONTRIBUTIONS)}!{column_letter(first)}{row_number}:"
                f"{column_letter(last)}{row_number}",
                "majorDimension": "ROWS",
                "values": [[by_col[c] for c in range(first, last + 1)]],
            }
        )
    return writes


def _block_writes(
    tab: ContributionsTab, first_row: int, rows: list[list[str]]
) -> list[dict[str, Any]]:
    """New rows, written as few ranges as the column order allows (one when they are adjacent)."""
    columns = [tab.column(name) for name in TOOL_COLUMNS]
    last_row = first_row + len(rows) - 1
    writes = []
    for first, last in _runs(columns):
        order = [columns.index(c) for c in range(first, last + 1)]
        writes.append(
            {
                "range": f"{quote_sheet(CONTRIBUTIONS)}!{column_letter(first)}{first_row}:"
                f"{column_letter(last)}{last_row}",
                "majorDimension": "ROWS",
                "values": [[r[i] for i in order] for r in rows],
            }
        )
    return writes
