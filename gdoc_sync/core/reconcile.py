"""Reconcile the Doc's contributions with the Sheet's rows: ids, statuses and the cells to write."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.core.model import Contribution, SessionConfig, Status
from gdoc_sync.core.sheet import (
    ADDRESSEES,
    BOOKKEEPING_COLUMNS,
    CHANNEL,
    CONTRIBUTIONS,
    FINAL_WORDING,
    FIRST_SEEN,
    ID,
    LAST_CHANGED,
    MATRIX,
    NOTE,
    OVERRIDABLE,
    PROPOSER,
    QUESTION,
    RECORD,
    SPEAKER,
    STATUS,
    SYNC_NOTE,
    TEXT,
    TOOL_COLUMNS,
    ContributionsTab,
    RowRecord,
    addressee_groups,
    column_letter,
    fit_cell,
    id_number,
    matrix_rows,
    value_hash,
)
from gdoc_sync.errors import MassRemovalError
from gdoc_sync.locales import LANGUAGES
from gdoc_sync.locales.texts import texts

SIMILARITY = 0.8  # how alike a new paragraph's words must be to a lost row's to be named as maybe
REMATCH_WINDOW = dt.timedelta(minutes=30)  # a row marked removed longer ago is not taken back
ADDRESSEE_SEPARATOR = "; "
NOTE_SEPARATOR = " | "


def format_id(number: int) -> str:
    return f"C{number:04d}"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def duplicate_key(c: Contribution) -> tuple[str, ...]:
    """What makes two paragraphs the same contribution pasted twice: words, addressees, speaker."""
    return (_norm(sheet_text(c)), ",".join(c.addressees), _norm(c.speaker))


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
    duplicates: list[str] = field(default_factory=list)  # ids on two rows of the Sheet
    duplicated: list[Change] = field(default_factory=list)  # pasted twice in the Doc
    maybe: list[tuple[Change, str]] = field(default_factory=list)  # new row, old row it may be
    overrides: list[str] = field(default_factory=list)  # cells kept as a person typed them
    repaired: list[str] = field(default_factory=list)  # rows a stray write had changed
    records: dict[str, str] = field(default_factory=dict)  # id -> the record this plan writes
    rewritten: list[Change] = field(default_factory=list)  # lost rows written from the journal
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


def _stamp(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


@dataclass
class _Row:
    """One existing row as sync reads it: who owns each of its correctable cells."""

    index: int  # into tab.rows
    row: list[str]
    record: RowRecord | None  # what sync last wrote, if the row says so (for this id)
    kept: dict[str, str]  # column -> the value a person typed there (an override)
    misplaced: bool = False  # the row held what a sync meant for another id
    foreign: RowRecord | None = None  # the record a stray write left, when misplaced


def _read_row(
    tab: ContributionsTab,
    index: int,
    cid: str,
    previous: dict[str, tuple[ContributionsTab, list[str]]] | None,
    doc_values: dict[str, str] | None,
) -> _Row:
    row = tab.rows[index]
    record = tab.record(row)
    if record is None:
        # A row no sync has recorded (a Sheet older than records): every cell is sync's.
        return _Row(index, row, None, {})
    if record.id == cid:
        kept = {
            name: tab.cell(row, name)
            for name in OVERRIDABLE
            if value_hash(tab.cell(row, name)) != record.hashes[name]
        }
        return _Row(index, row, record, kept)
    # A write meant for another row landed here (the rows were sorted while a sync wrote).
    before = (previous or {}).get(cid)
    if before is not None:
        old_tab, old_row = before
        old_record = old_tab.record(old_row)
        if old_record is not None and old_record.id == cid:
            kept = {
                name: old_tab.cell(old_row, name)
                for name in OVERRIDABLE
                if value_hash(old_tab.cell(old_row, name)) != old_record.hashes[name]
            }
            return _Row(index, row, old_record, kept, misplaced=True)
    # Without the row as it was: cells the stray write did not touch and that differ from the
    # Doc may be a person's; keep them rather than risk reverting one.
    kept = {
        name: tab.cell(row, name)
        for name in OVERRIDABLE
        if name != STATUS  # sync's own word, worked out again below
        and value_hash(tab.cell(row, name)) != record.hashes[name]
        and doc_values is not None
        and tab.cell(row, name) != doc_values.get(name, tab.cell(row, name))
    }
    return _Row(index, row, None, kept, misplaced=True, foreign=record)


def _note_parts(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(NOTE_SEPARATOR) if p.strip()]


def typed_on(old: str, new: str) -> bool:
    """Whether `new` is `old` typed on: `old` (without an attribution left open, "(Mei Li")
    is where `new` starts."""
    head = old.rstrip()
    opened = head.rfind("(")
    if opened >= 0 and ")" not in head[opened:]:
        head = head[:opened].rstrip()
    return bool(head) and new.startswith(head) and len(new) >= len(head)


def status_of(
    c: Contribution,
    previous: str | None,
    old_text: str | None,
    *,
    assigned: bool,
    duplicate: bool = False,
    text_hash: str | None = None,
    curated: bool = False,
) -> str:
    """`old_text` is what the contribution said at the last sync: from the journal when this
    machine has it (a cell can be typed over in the Sheet), else the Sheet's cell; `text_hash`
    is the row record's fingerprint of it, when there is one. `assigned`: some group is named,
    in the Doc or in the Sheet; `curated`: a rapporteur wrote Final wording or a note on the row.

    Words typed on from where the last sync caught them (a half-typed line synced by `watch`,
    then finished) are not an edit: nobody worked from the half, unless a rapporteur curated
    the row since, who saw it."""
    if c.withdrawn:
        return Status.withdrawn
    if duplicate:
        return Status.duplicate
    if not assigned:
        return Status.unassigned
    new_text = sheet_text(c)
    if old_text is not None:
        changed = old_text != new_text and (curated or not typed_on(old_text, new_text))
    elif text_hash is not None:
        changed = text_hash != value_hash(new_text)
    else:
        changed = False
    was_edited = previous == Status.edited or changed
    return Status.edited if was_edited else Status.in_doc


@dataclass
class _Planning:
    """What the phases of one plan_sync share: its inputs, and the plan as it grows."""

    tab: ContributionsTab
    config: SessionConfig
    now: str
    group_names: dict[str, str]
    before: dict[str, tuple[ContributionsTab, list[str]]] | None  # id -> the row as first read
    last_texts: dict[str, str] | None
    bookkeeping: bool  # the tab has the Sync note and Record columns
    said: dict[str, Any]  # sync's notes, in the language of the tab's header
    plan: SyncPlan = field(default_factory=SyncPlan)
    rows_by_id: dict[str, int] = field(default_factory=dict)  # id -> index into tab.rows
    highest: int = 0  # the highest id number in the Sheet or the Doc
    new_rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (id number, cells)
    matrix_cells: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    unassigned_cells: dict[str, list[str]] = field(default_factory=dict)
    per_group: dict[str, int] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """The cells of a new row, in order."""
        return TOOL_COLUMNS + (BOOKKEEPING_COLUMNS if self.bookkeeping else ())


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
    previous: ContributionsTab | None = None,
    lost: dict[str, dict[str, Any]] | None = None,
) -> SyncPlan:
    """Decide ids, statuses and the exact tool-owned cells to write; people's columns untouched,
    and a cell a person corrected in sync's columns kept as they typed it (an override).

    `previous`: the tab as this sync first read it, when planning again after its own write
    (to repair rows a sort moved under the write). `lost`: contributions no longer in the Doc
    whose rows someone deleted, as the journal recorded them (id -> record): written again.

    The phases, in order: read the rows; give every paragraph its id (matching); mark what was
    pasted twice; plan each contribution's row (overrides, status, notes); plan the rows that
    left the Doc (orphans); write back rows the journal knows were lost; then the writes."""
    p = _Planning(
        tab=tab,
        config=config,
        now=now,
        group_names={g.key: g.name for g in config.groups},
        before=(
            None
            if previous is None
            else {cid: (previous, row) for cid, row in previous.contribution_rows()}
        ),
        last_texts=last_texts,
        bookkeeping=tab.has(SYNC_NOTE) and tab.has(RECORD),
        said=texts(tab.language)["sync_note"],
        per_group={g.key: 0 for g in config.groups},
    )
    _read_rows(p, contributions)
    assigned, orphans, maybe = _assign_ids(p, contributions)
    duplicate_of = _duplicates_in_doc(assigned)
    for c, cid in assigned:
        _plan_contribution(p, c, cid, duplicate_of=duplicate_of, maybe=maybe)
    _plan_orphans(
        p,
        orphans,
        unread_sections=unread_sections,
        accept_removals=accept_removals,
        removal_threshold=removal_threshold,
    )
    _plan_lost(p, lost or {}, {cid for _, cid in assigned} | set(p.rows_by_id))
    return _finish(p, total=len(assigned))


def _read_rows(p: _Planning, contributions: Sequence[Contribution]) -> None:
    """Phase 1: which row holds which id (an id on two rows is reported, the first kept), and
    the highest id number yet, so a new one follows it."""
    id_col = p.tab.column(ID)
    for index, row in enumerate(p.tab.rows):
        cid = row[id_col].strip() if id_col < len(row) else ""
        number = id_number(cid)
        if number is None:
            continue
        p.highest = max(p.highest, number)
        if cid in p.rows_by_id:
            p.plan.duplicates.append(f"{cid} (rows {p.rows_by_id[cid] + 2} and {index + 2})")
            continue
        p.rows_by_id[cid] = index
    for c in contributions:
        if c.id and (n := id_number(c.id)) is not None:
            p.highest = max(p.highest, n)


def _assign_ids(
    p: _Planning, contributions: Sequence[Contribution]
) -> tuple[list[tuple[Contribution, str]], list[str], dict[str, str]]:
    """Phase 2, identity: (each contribution with its id, the ids of rows no paragraph holds,
    new id -> the old row it may be).

    Anchored contributions keep their id. A paragraph without one (its anchor lost to a cut and
    paste, or retyped) takes back a row only when it is the same contribution: the same
    section, words, addressees, speaker, group and channel as sync last wrote there, and the row
    left the Doc recently. A near miss gets a new row that says which it may be."""
    tab = p.tab
    in_doc_ids = {c.id for c in contributions if c.id}
    orphans = [cid for cid in p.rows_by_id if cid not in in_doc_ids]
    candidates: dict[str, list[_Orphan]] = {}  # by the question sync last wrote for the row
    if any(not c.id for c in contributions):
        for cid in orphans:
            row = tab.rows[p.rows_by_id[cid]]
            record = tab.record(row)
            orphan = _Orphan(cid, row, record if record and record.id == cid else None)
            candidates.setdefault(tab.cell(row, QUESTION), []).append(orphan)
    now_stamp = _stamp(p.now)
    assigned: list[tuple[Contribution, str]] = []
    maybe: dict[str, str] = {}
    for c in contributions:
        cid = c.id
        if not cid:
            near = None
            taken = None
            if here := candidates.get(c.question_id):
                values = _doc_values(c, "", p.group_names)
                taken, near = _rematch(values, tab, here, now_stamp)
            if taken:
                cid = taken
                orphans.remove(cid)
                for found in candidates.values():
                    found[:] = [o for o in found if o.id != cid]
            else:
                p.highest += 1
                cid = format_id(p.highest)
                if near:
                    maybe[cid] = near
            p.plan.anchors.append((cid, c.start_index, c.end_index))
        assigned.append((c, cid))
    return assigned, orphans, maybe


def _duplicates_in_doc(assigned: list[tuple[Contribution, str]]) -> dict[str, str]:
    """Phase 3: the same contribution twice in the Doc (pasted twice): id -> the id of the
    first noted, which keeps the row that counts; the others are marked and left out of the
    Matrix and the action list."""
    first_of: dict[tuple[str, ...], str] = {}
    duplicate_of: dict[str, str] = {}
    for c, cid in sorted(assigned, key=lambda item: id_number(item[1]) or 0):
        if c.withdrawn:
            continue
        key = duplicate_key(c)
        if key in first_of:
            duplicate_of[cid] = first_of[key]
        else:
            first_of[key] = cid
    return duplicate_of


def _plan_contribution(
    p: _Planning,
    c: Contribution,
    cid: str,
    *,
    duplicate_of: dict[str, str],
    maybe: dict[str, str],
) -> None:
    """Phase 4: one contribution's row: whose each cell is (the Doc's, or a person's override),
    its status and notes, the cells to write, and its place in the Matrix."""
    tab, plan, config = p.tab, p.plan, p.config
    index = p.rows_by_id.get(cid)
    doc_values = _doc_values(c, cid, p.group_names)
    state = _read_row(tab, index, cid, p.before, doc_values) if index is not None else None
    row = state.row if state is not None else None
    kept = state.kept if state is not None else {}
    previous_status = _previous_status(p, state, cid)
    old_text = None
    text_hash = None
    if row is not None:
        assert state is not None
        if p.last_texts is not None and cid in p.last_texts:
            old_text = p.last_texts[cid]
        elif state.record is not None:
            text_hash = state.record.hashes[TEXT]
        elif not state.misplaced:
            old_text = tab.cell(row, TEXT)
    if ADDRESSEES in kept:
        keys, unknown = addressee_groups(kept[ADDRESSEES], config)
    else:
        keys, unknown = list(dict.fromkeys(c.addressees)), []
    status = status_of(
        c,
        previous_status,
        old_text,
        assigned=bool(keys),
        duplicate=cid in duplicate_of,
        text_hash=text_hash,
        curated=row is not None
        and any(tab.cell(row, n).strip() for n in (FINAL_WORDING, NOTE) if tab.has(n)),
    )
    doc_values[STATUS] = str(status)
    # A correction the Doc now agrees with is sync's again.
    kept = {n: v for n, v in kept.items() if value_hash(v) != value_hash(doc_values[n])}
    effective = {**doc_values, **kept}
    notes = _row_notes(p, cid, row, state, kept, doc_values, unknown, duplicate_of, maybe)
    record = RowRecord.of(cid, doc_values)
    values = {**effective, ID: cid}
    if p.bookkeeping:
        values[SYNC_NOTE] = NOTE_SEPARATOR.join(notes)
        values[RECORD] = record.render()
    change = Change(cid, c.question_id, c.text, str(effective[STATUS]))
    for name in kept:
        plan.overrides.append(
            f"{cid}: {name} {kept[name]!r} typed in the Sheet is kept; the Doc says "
            + (repr(doc_values[name]) if doc_values[name] else "nothing")
        )
    if cid in duplicate_of:
        plan.duplicated.append(change)
    if cid in maybe:
        plan.maybe.append((change, maybe[cid]))
    if row is None:
        values[FIRST_SEEN] = now = p.now
        values[LAST_CHANGED] = now
        if p.bookkeeping:
            plan.records[cid] = values[RECORD]
        p.new_rows.append((id_number(cid) or 0, [values[name] for name in p.columns]))
        plan.added.append(change)
    else:
        assert state is not None
        _plan_row_writes(p, state, cid, values, effective, previous_status, change)
    if effective[STATUS] == Status.unassigned:
        plan.unassigned.append(change)
    if effective[STATUS] in (Status.withdrawn, Status.duplicate, Status.removed):
        return
    question = effective[QUESTION]
    entry = f"{cid} {effective[TEXT]}"
    if not keys:
        p.unassigned_cells.setdefault(question, []).append(entry)
    for key in keys:
        p.matrix_cells.setdefault((key, question), []).append(entry)
        p.per_group[key] = p.per_group.get(key, 0) + 1


def _previous_status(p: _Planning, state: _Row | None, cid: str) -> str | None:
    """The Status the row had at the last sync (a stray write's own Status is not this row's)."""
    if state is None:
        return None
    previous_status: str | None = p.tab.cell(state.row, STATUS)
    if state.misplaced and p.before and cid in p.before:
        old_tab, old_row = p.before[cid]
        previous_status = old_tab.cell(old_row, STATUS)
    elif state.foreign is not None and previous_status is not None:
        if value_hash(previous_status) == state.foreign.hashes[STATUS]:
            previous_status = None  # the stray write's, not this row's
    return previous_status


def _row_notes(
    p: _Planning,
    cid: str,
    row: list[str] | None,
    state: _Row | None,
    kept: dict[str, str],
    doc_values: dict[str, str],
    unknown: list[str],
    duplicate_of: dict[str, str],
    maybe: dict[str, str],
) -> list[str]:
    """The row's Sync note: overrides kept, unknown groups, pasted twice, which row it may be."""
    said, tab = p.said, p.tab
    notes = _override_notes(kept, doc_values, tab)
    if ADDRESSEES in kept and unknown:
        notes.append(
            said["unknown_groups"].format(
                column=tab.shown_column(ADDRESSEES), names=", ".join(repr(u) for u in unknown)
            )
        )
    if cid in duplicate_of:
        notes.append(said["duplicate"].format(id=duplicate_of[cid]))
    if cid in maybe:
        notes.append(said["may_be"].format(id=maybe[cid]))
    elif row is not None and not (state is not None and state.misplaced) and p.bookkeeping:
        notes.extend(
            n for n in _note_parts(tab.cell(row, SYNC_NOTE)) if n.startswith(MAYBE_PREFIXES)
        )
    return notes


def _plan_row_writes(
    p: _Planning,
    state: _Row,
    cid: str,
    values: dict[str, str],
    effective: dict[str, str],
    previous_status: str | None,
    change: Change,
) -> None:
    """The cells of an existing row that differ from what they should say, and what the
    moderator is told about it (repaired, back in the Doc, withdrawn, edited)."""
    tab, plan, now = p.tab, p.plan, p.now
    row = state.row
    differs = {
        name: v
        for name, v in values.items()
        if name != ID and tab.cell(row, name) != v and name in _WRITABLE
    }
    if not differs:
        return
    content = {n for n in differs if n not in (SYNC_NOTE, RECORD)}
    if content:
        differs[LAST_CHANGED] = now
    if not tab.cell(row, FIRST_SEEN):
        differs[FIRST_SEEN] = now
    if p.bookkeeping:
        differs[RECORD] = values[RECORD]  # every write carries it: a stray one shows
        plan.records[cid] = values[RECORD]
    plan.cell_writes.extend(_row_writes(tab, state.index + 2, differs))
    plan.rows_changed += 1
    if state.misplaced:
        plan.repaired.append(cid)
    elif previous_status == Status.removed and content:
        plan.restored.append(change)
    elif STATUS in differs and effective[STATUS] == Status.withdrawn:
        plan.withdrawn.append(change)
    elif TEXT in differs or ADDRESSEES in differs or STATUS in differs:
        plan.edited.append(change)


def _plan_orphans(
    p: _Planning,
    orphans: list[str],
    *,
    unread_sections: frozenset[str],
    accept_removals: bool,
    removal_threshold: float,
) -> None:
    """Phase 5: rows whose contribution is not in the Doc. Rows never go away: what left the
    Doc is marked, unless that is suspiciously much (MassRemovalError)."""
    tab, plan, rows_by_id = p.tab, p.plan, p.rows_by_id
    known = sum(
        1 for cid, i in rows_by_id.items() if tab.cell(tab.rows[i], STATUS) != Status.removed
    )
    # A section sync could not find was not read: its rows did not leave the Doc.
    leaving = [
        cid
        for cid in orphans
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
    for cid in orphans:
        index = rows_by_id[cid]
        row = tab.rows[index]
        if tab.cell(row, QUESTION) in unread_sections and cid not in leaving:
            continue
        writes = _orphan_writes(tab, index, cid, p.before, leaving=cid in leaving, now=p.now)
        if writes:
            plan.cell_writes.extend(_row_writes(tab, index + 2, writes))
            plan.rows_changed += 1
            if RECORD in writes:
                plan.records[cid] = writes[RECORD]
        if cid in leaving:
            plan.removed.append(
                Change(cid, tab.cell(row, QUESTION), tab.cell(row, TEXT), str(Status.removed))
            )
        elif writes and STATUS not in writes:
            plan.repaired.append(cid)


def _plan_lost(p: _Planning, lost: dict[str, dict[str, Any]], in_plan: set[str]) -> None:
    """Phase 6: a row someone deleted while its contribution was gone from the Doc too is
    written again from the journal's record, as removed."""
    for cid, recorded in lost.items():
        if cid in in_plan or id_number(cid) is None:
            continue
        values = _recorded_values(recorded, cid, p.group_names)
        if p.bookkeeping:
            values[SYNC_NOTE] = p.said["lost"]
            values[RECORD] = RowRecord.of(cid, values).render()
            p.plan.records[cid] = values[RECORD]
        values[FIRST_SEEN] = values[LAST_CHANGED] = p.now
        p.new_rows.append((id_number(cid) or 0, [values[name] for name in p.columns]))
        p.plan.rewritten.append(Change(cid, values[QUESTION], values[TEXT], str(Status.removed)))


def _finish(p: _Planning, *, total: int) -> SyncPlan:
    """Phase 7: the new rows, in id order after the last row, and the Matrix when anything
    is written."""
    plan = p.plan
    if p.new_rows:
        p.new_rows.sort(key=lambda item: item[0])
        first = len(p.tab.rows) + 2
        plan.cell_writes.extend(
            _block_writes(p.tab, first, [r for _, r in p.new_rows], p.bookkeeping)
        )
    plan.total = total
    plan.per_group = p.per_group
    plan.matrix = matrix_rows(p.config, p.matrix_cells, p.unassigned_cells)
    if plan.cell_writes:
        plan.cell_writes.append(
            {
                "range": p.tab.tabs.range(MATRIX, "A1"),
                "majorDimension": "ROWS",
                "values": plan.matrix,
            }
        )
    return plan


# Cells sync may write in an existing row (the ID is the row's key; people's columns never).
_WRITABLE = frozenset(TOOL_COLUMNS) | frozenset(BOOKKEEPING_COLUMNS)
# A "may be" note stays until someone clears it: how it starts in every shipped language.
MAYBE_PREFIXES = tuple(
    dict.fromkeys(
        str(texts(language)["sync_note"]["may_be"]).split("{id}", 1)[0] for language in LANGUAGES
    )
)


def _override_notes(
    kept: dict[str, str], doc_values: dict[str, str], tab: ContributionsTab
) -> list[str]:
    said = texts(tab.language)["sync_note"]
    return [
        said["kept"].format(
            column=tab.shown_column(name),
            doc=tab.shown(name, doc_values[name]) if doc_values[name] else said["nothing"],
        )
        for name in OVERRIDABLE
        if name in kept
    ]


def _recorded_values(
    recorded: dict[str, Any], cid: str, group_names: dict[str, str]
) -> dict[str, str]:
    """A lost row's cells from the journal's record of its contribution (removed from the Doc)."""
    keys = [str(k) for k in recorded.get("addressees") or ()]
    proposer = str(recorded.get("proposer_group") or "")
    return {
        ID: cid,
        QUESTION: str(recorded.get("question_id") or ""),
        ADDRESSEES: ADDRESSEE_SEPARATOR.join(group_names.get(k, k) for k in keys),
        TEXT: sheet_text_of(recorded),
        SPEAKER: str(recorded.get("speaker") or ""),
        PROPOSER: group_names.get(proposer, proposer),
        CHANNEL: str(recorded.get("channel") or ""),
        STATUS: str(Status.removed),
    }


def _doc_values(c: Contribution, cid: str, group_names: dict[str, str]) -> dict[str, str]:
    """The row's correctable cells as the Doc says them (Status is decided later)."""
    return {
        ID: cid,
        QUESTION: c.question_id,
        ADDRESSEES: ADDRESSEE_SEPARATOR.join(group_names.get(k, k) for k in c.addressees),
        TEXT: sheet_text(c),
        SPEAKER: c.speaker,
        PROPOSER: group_names.get(c.proposer_group, c.proposer_group),
        CHANNEL: str(c.channel),
        STATUS: "",
    }


def _orphan_writes(
    tab: ContributionsTab,
    index: int,
    cid: str,
    before: dict[str, tuple[ContributionsTab, list[str]]] | None,
    *,
    leaving: bool,
    now: str,
) -> dict[str, str]:
    """The cells to write in the row of a contribution no longer in the Doc."""
    row = tab.rows[index]
    bookkeeping = tab.has(SYNC_NOTE) and tab.has(RECORD)
    record = tab.record(row)
    source_tab, source = tab, row
    if record is not None and record.id != cid:
        # A stray write landed here: put back what the row held, if this sync read it.
        if before is None or cid not in before:
            return {}
        source_tab, source = before[cid]
        record = source_tab.record(source)
    target = {name: source_tab.cell(source, name) for name in OVERRIDABLE}
    status_is_sync = record is None or value_hash(target[STATUS]) == record.hashes[STATUS]
    hashes = dict(record.hashes) if record is not None and record.id == cid else None
    if leaving and status_is_sync:
        target[STATUS] = str(Status.removed)
    if hashes is not None:
        if leaving:
            hashes[STATUS] = value_hash(str(Status.removed))
        rendered = RowRecord(cid, hashes).render()
    else:
        rendered = RowRecord.of(cid, target).render()
    if bookkeeping:
        target[RECORD] = rendered
        target[SYNC_NOTE] = source_tab.cell(source, SYNC_NOTE)
    writes = {name: v for name, v in target.items() if tab.cell(row, name) != v}
    if writes:
        if STATUS in writes:
            writes[LAST_CHANGED] = now
        if bookkeeping:
            writes[RECORD] = rendered
    return writes


@dataclass
class _Orphan:
    """A row whose contribution is not (or no longer) anchored in the Doc."""

    id: str
    row: list[str]
    record: RowRecord | None  # for this id, if the row has one


def _rematch(
    values: dict[str, str],
    tab: ContributionsTab,
    candidates: list[_Orphan],
    now: dt.datetime | None,
) -> tuple[str | None, str | None]:
    """(the row this paragraph is, or None; else the row it may be, or None). Only rows of the
    paragraph's own section are candidates."""
    same: list[str] = []
    near: tuple[float, str] | None = None
    target = _norm(values[TEXT])
    for orphan in candidates:
        row = orphan.row
        whole = all(_was(tab, orphan, name, values[name]) for name in _IDENTITY)
        removed = tab.cell(row, STATUS) == Status.removed
        recent = not removed or _recent(tab.cell(row, LAST_CHANGED), now)
        if whole and recent:
            same.append(orphan.id)
            continue
        text = _norm(tab.cell(row, TEXT))
        matcher = difflib.SequenceMatcher(None, target, text, autojunk=False)
        if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
            continue
        score = matcher.ratio()
        if score >= SIMILARITY and (near is None or score > near[0]):
            near = (score, orphan.id)
    if same:
        return min(same, key=lambda cid: id_number(cid) or 0), None
    return None, near[1] if near else None


# What must agree for a paragraph to be a lost contribution found again: the whole line.
_IDENTITY = (QUESTION, ADDRESSEES, TEXT, SPEAKER, PROPOSER, CHANNEL)


def _was(tab: ContributionsTab, orphan: _Orphan, name: str, value: str) -> bool:
    """Whether sync last wrote `value` in this cell (by the row's record, else the cell)."""
    if orphan.record is not None:
        return orphan.record.hashes[name] == value_hash(value)
    return _norm(tab.cell(orphan.row, name)) == _norm(value)


def _recent(stamp: str, now: dt.datetime | None) -> bool:
    when = _stamp(stamp)
    if when is None or now is None:
        return False
    return dt.timedelta(0) <= now - when <= REMATCH_WINDOW


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
    # Statuses and channels go in as the tab's language writes them (read back as identities).
    by_col = {tab.column(name): tab.shown(name, value) for name, value in cells.items()}
    writes = []
    for first, last in _runs(list(by_col)):
        writes.append(
            {
                "range": tab.tabs.range(
                    CONTRIBUTIONS,
                    f"{column_letter(first)}{row_number}:{column_letter(last)}{row_number}",
                ),
                "majorDimension": "ROWS",
                "values": [[by_col[c] for c in range(first, last + 1)]],
            }
        )
    return writes


def _block_writes(
    tab: ContributionsTab, first_row: int, rows: list[list[str]], bookkeeping: bool
) -> list[dict[str, Any]]:
    """New rows, written as few ranges as the column order allows (one when they are adjacent)."""
    names = TOOL_COLUMNS + (BOOKKEEPING_COLUMNS if bookkeeping else ())
    columns = [tab.column(name) for name in names]
    last_row = first_row + len(rows) - 1
    writes = []
    for first, last in _runs(columns):
        order = [columns.index(c) for c in range(first, last + 1)]
        writes.append(
            {
                "range": tab.tabs.range(
                    CONTRIBUTIONS,
                    f"{column_letter(first)}{first_row}:{column_letter(last)}{last_row}",
                ),
                "majorDimension": "ROWS",
                "values": [[tab.shown(names[i], r[i]) for i in order] for r in rows],
            }
        )
    return writes
