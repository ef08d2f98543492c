"""Moderators' workflow: bring the Sheet up to date with the Doc, losing and duplicating nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.core.contributions import ParsedDoc, parse_session_doc
from gdoc_sync.core.document import in_tab, session_document
from gdoc_sync.core.links import companion_sheet, parse_document_ref, sheet_named_by
from gdoc_sync.core.model import RANGE_CONTRIBUTION, RANGE_QUESTION, SessionConfig
from gdoc_sync.core.reconcile import Change, SyncPlan, format_id, plan_sync, sheet_text_of
from gdoc_sync.core.sheet import (
    CONFIG,
    CONTRIBUTIONS,
    CONTRIBUTIONS_ID,
    ENGLISH_TABS,
    INCLUDE,
    LIST_ROWS,
    RECORD,
    SYNC_NOTE,
    ContributionsTab,
    RowRecord,
    SheetTabs,
    bookkeeping_columns_requests,
    id_number,
    parse_config,
    recorded_columns,
)
from gdoc_sync.errors import ApiCallError, ConflictError, RevisionMismatch, SessionError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.sheet_io import known_tabs, read_tabs, write_values
from gdoc_sync.local.journal import Journal, contribution_record
from gdoc_sync.local.state import LocalState
from gdoc_sync.locales.texts import document_language
from gdoc_sync.report import sheet as report_sheet
from gdoc_sync.workflows.summary import SyncCounts

MAX_ATTEMPTS = 4  # reads and re-plans when someone changes the Doc between our read and write
VERIFY_ATTEMPTS = 3  # read-backs of the Contributions tab after writing to its existing rows

Progress = Callable[[str], None]


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SyncOptions:
    """How a sync should behave."""

    dry_run: bool = False
    accept_removals: bool = False
    removal_threshold: float = 0.5
    force: bool = False  # sync even if the Doc's revision is the one last synced


@dataclass
class SyncResult:
    """What a sync found and did."""

    document_id: str
    spreadsheet_id: str
    revision_id: str | None
    unchanged: bool = False  # the Doc had not changed since the last sync: nothing read further
    plan: SyncPlan = field(default_factory=SyncPlan)
    wrote_sheet: bool = False
    anchored: int = 0
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)
    config: SessionConfig | None = None
    tabs: SheetTabs = ENGLISH_TABS  # the Sheet's tab titles, to name them as people see them

    def counts(self) -> SyncCounts:
        return SyncCounts.of(self.plan)

    def to_json(self) -> dict[str, Any]:
        def items(changes: list[Change]) -> list[dict[str, str]]:
            return [
                {"id": c.id, "question": c.question_id, "text": c.text, "status": c.status}
                for c in changes
            ]

        p = self.plan
        return {
            "document_id": self.document_id,
            "spreadsheet_id": self.spreadsheet_id,
            "revision_id": self.revision_id,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "added": items(p.added),
            "edited": items(p.edited),
            "removed": items(p.removed),
            "withdrawn": items(p.withdrawn),
            "restored": items(p.restored),
            "unassigned": items(p.unassigned),
            "total": p.total,
            "per_group": p.per_group,
            "duplicated_in_doc": items(p.duplicated),
            "may_be": [{"id": c.id, "may_be": old} for c, old in p.maybe],
            "overrides": p.overrides,
            "repaired": p.repaired,
            "problems": self.problems + [f"duplicate row for {d}" for d in p.duplicates],
        }


@dataclass
class SheetSnapshot:
    """The parts of the Sheet a sync needs, from one read."""

    config: SessionConfig
    tab: ContributionsTab
    recorded: dict[str, str] = field(default_factory=dict)  # header text -> column identity

    @property
    def tabs(self) -> SheetTabs:
        return self.tab.tabs


def read_sheet(api: GoogleApi, spreadsheet_id: str, tabs: SheetTabs | None = None) -> SheetSnapshot:
    """The Contributions and configuration tabs, in one read; `tabs`: the titles to try first."""
    values = read_tabs(api, spreadsheet_id, [CONTRIBUTIONS, CONFIG], tabs)
    recorded = recorded_columns(values[CONFIG])
    return SheetSnapshot(
        config=parse_config(values[CONFIG], values.tabs),
        tab=ContributionsTab.parse(values[CONTRIBUTIONS], recorded, values.tabs),
        recorded=recorded,
    )


def remembered_tabs(state: LocalState, document_id: str) -> SheetTabs | None:
    """The tab titles this machine last read the session's Sheet by, if it knows them."""
    known = state.load(document_id).get("sheet_tabs")
    return SheetTabs.of(known) if isinstance(known, dict) and known else None


def remember_tabs(state: LocalState, document_id: str, tabs: SheetTabs) -> None:
    if state.load(document_id).get("sheet_tabs") != tabs.as_dict():
        state.update(document_id, sheet_tabs=tabs.as_dict())


def load_session(
    api: GoogleApi, document_id: str, state: LocalState
) -> tuple[dict[str, Any], SheetSnapshot, str]:
    """Read the Doc and its Sheet, concurrently when the Sheet's id is already known."""
    known_sheet = state.load(document_id).get("spreadsheet_id")
    known_tabs = remembered_tabs(state, document_id)
    if known_sheet:
        with ThreadPoolExecutor(max_workers=2) as pool:
            doc_future = pool.submit(session_document, api, document_id)
            sheet_future = pool.submit(read_sheet, api, known_sheet, known_tabs)
            doc = doc_future.result()
            try:
                snapshot = sheet_future.result()
            except SessionError:
                snapshot = None
        named = sheet_named_by(doc)
        if named and named != known_sheet:
            snapshot = None  # the Doc now names another Sheet: believe the Doc
        if snapshot is not None:
            remember_tabs(state, document_id, snapshot.tabs)
            return doc, snapshot, known_sheet
    else:
        doc = session_document(api, document_id)
    spreadsheet_id = companion_sheet(doc, document_id)
    # Without titles known here, the Doc's language says which create gave the tabs.
    snapshot = read_sheet(
        api, spreadsheet_id, known_tabs or SheetTabs.in_language(document_language(doc))
    )
    state.update(document_id, spreadsheet_id=spreadsheet_id, sheet_tabs=snapshot.tabs.as_dict())
    return doc, snapshot, spreadsheet_id


def sync_session(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    journal: Journal,
    options: SyncOptions | None = None,
    progress: Progress = lambda _: None,
    now: Callable[[], str] = utc_now,
) -> SyncResult:
    """One sync: read the Doc (and, if it changed, the Sheet), write what changed, journal it."""
    options = options or SyncOptions()
    document_id = parse_document_ref(document_ref)
    remembered = state.load(document_id)
    last_revision = remembered.get("last_revision")
    known_sheet = remembered.get("spreadsheet_id")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        # The Doc and the Sheet are read together (one round trip), every time: a Sheet that no
        # longer matches the Doc (rows sorted under a write, a row deleted) is repaired even
        # when the Doc has not changed.
        doc, snapshot, spreadsheet_id = load_session(api, document_id, state)
        unchanged_doc = bool(
            attempt == 1
            and last_revision
            and known_sheet
            and not options.force
            and doc.get("revisionId") == last_revision
        )
        if unchanged_doc and remembered.get("sheet_digest") == sheet_digest(snapshot.tab):
            # Neither the Doc nor the Sheet changed since a sync found them in agreement.
            return SyncResult(document_id, spreadsheet_id, last_revision, unchanged=True)
        ctx = SyncContext(
            api=api,
            document_id=document_id,
            spreadsheet_id=spreadsheet_id,
            state=state,
            journal=journal,
            options=options,
            progress=progress,
            stamp=now(),
        )
        try:
            return _sync_once(ctx, doc, snapshot, unchanged_doc=unchanged_doc)
        except RevisionMismatch:
            if attempt == MAX_ATTEMPTS:
                raise ConflictError(
                    f"the Doc kept changing while sync tried to anchor new contributions "
                    f"({MAX_ATTEMPTS} attempts); nothing was written, run sync again"
                ) from None
            progress("the Doc changed while syncing: reading it again")
    raise AssertionError("unreachable")


@dataclass
class SyncContext:
    """What one attempt of a sync works with: where, with which records, and how."""

    api: GoogleApi
    document_id: str
    spreadsheet_id: str
    state: LocalState
    journal: Journal
    options: SyncOptions
    progress: Progress
    stamp: str  # when this sync happened, as rows and the journal record it


@dataclass
class DocReading:
    """The Doc and the Sheet as one attempt read them, and what this machine remembers."""

    doc: dict[str, Any]
    snapshot: SheetSnapshot
    parsed: ParsedDoc
    unread: frozenset[str]  # sections neither their named range nor their heading found
    remembered: dict[str, Any]  # the local state of this Doc when the attempt began
    last_texts: dict[str, str] | None  # id -> the Contribution cell the last sync wrote
    lost: dict[str, dict[str, Any]]  # rows deleted from the Sheet, as the journal recorded them

    @property
    def config(self) -> SessionConfig:
        return self.snapshot.config


@dataclass
class DocWrites:
    """The named ranges one sync adds to or removes from the Doc."""

    sections: list[tuple[str, tuple[int, int]]]  # sections found by heading: their range back
    stale: list[str]  # contribution anchors whose paragraph is gone or joined to another

    def any(self, plan: SyncPlan) -> bool:
        return bool(plan.anchors or self.sections or self.stale)


def _sync_once(
    ctx: SyncContext,
    doc: dict[str, Any],
    snapshot: SheetSnapshot,
    *,
    unchanged_doc: bool = False,
) -> SyncResult:
    """One attempt: read, plan, write the Doc, journal, write the Sheet, verify, remember."""
    reading = _read(ctx, doc, snapshot)
    result = _plan(ctx, reading)
    if ctx.options.dry_run:
        return result
    writes = doc_writes(doc, reading.parsed, unread=reading.unread)
    if unchanged_doc and not (writes.any(result.plan) or result.plan.changes_sheet):
        # Nothing to do, and nothing new to journal: the Doc is as last synced, the Sheet agrees.
        ctx.state.update(ctx.document_id, sheet_digest=sheet_digest(snapshot.tab))
        return SyncResult(
            ctx.document_id,
            ctx.spreadsheet_id,
            reading.parsed.revision_id,
            unchanged=True,
            config=reading.config,
        )
    if not snapshot.tab.has(SYNC_NOTE) or not snapshot.tab.has(RECORD):
        # A Sheet made before sync kept notes and records: give it the two columns, once.
        _add_bookkeeping_columns(ctx.api, ctx.spreadsheet_id, snapshot)
        return _sync_once(ctx, doc, snapshot)
    if writes.any(result.plan):
        _write_doc(ctx, reading, writes, result)
    digest = _journal(ctx, reading, result)
    grid_rows = _write_sheet(ctx, reading, result)
    # A tab the writes found renamed (the Matrix, which sync writes but never reads) is kept
    # under its new title, so the next sync on this machine writes it straight away.
    titles = known_tabs(ctx.spreadsheet_id) or snapshot.tabs
    ctx.state.update(
        ctx.document_id,
        sheet_tabs=titles.as_dict(),
        spreadsheet_id=ctx.spreadsheet_id,
        grid_rows=grid_rows,
        last_revision=result.revision_id,
        journal_digest=digest,
        last_sync=ctx.stamp,
        sheet_digest=None,
    )
    return result


def _read(ctx: SyncContext, doc: dict[str, Any], snapshot: SheetSnapshot) -> DocReading:
    """Phase 1: the Doc's contributions, and what the journal knows that the Sheet may not."""
    config = snapshot.config
    if config.document_id and config.document_id != ctx.document_id:
        raise SessionError(
            f"the Sheet {ctx.spreadsheet_id} belongs to document {config.document_id}, not "
            f"{ctx.document_id}: the Doc names the wrong Sheet"
        )
    parsed = parse_session_doc(doc, config)
    remembered = ctx.state.load(ctx.document_id)
    last_texts = None
    if remembered.get("journal_digest"):
        copy = ctx.journal.full_copy(ctx.document_id, remembered["journal_digest"])
        if copy is not None:
            last_texts = {r["id"]: sheet_text_of(r) for r in copy if r.get("id")}
    return DocReading(
        doc=doc,
        snapshot=snapshot,
        parsed=parsed,
        unread=frozenset(parsed.sections_missing) - frozenset(parsed.sections_by_heading),
        remembered=remembered,
        last_texts=last_texts,
        lost=_lost_rows(ctx.journal, ctx.state, ctx.document_id, parsed, snapshot.tab),
    )


def _plan(ctx: SyncContext, reading: DocReading) -> SyncResult:
    """Phase 2: ids, statuses and cells (core.reconcile), and what to tell the moderator."""
    parsed = reading.parsed
    plan = plan_sync(
        parsed.contributions,
        reading.snapshot.tab,
        reading.config,
        now=ctx.stamp,
        accept_removals=ctx.options.accept_removals,
        removal_threshold=ctx.options.removal_threshold,
        unread_sections=reading.unread,
        last_texts=reading.last_texts,
        lost=reading.lost,
    )
    problems = list(parsed.problems) + [
        f"section {qid} was not found (its named range and its heading are gone), so its "
        f"contributions were not read and their rows were left as they were; put back a "
        f"heading starting '{qid}.' and sync again"
        for qid in sorted(reading.unread)
    ]
    problems.extend(_plan_notices(plan))
    return SyncResult(
        ctx.document_id,
        ctx.spreadsheet_id,
        parsed.revision_id,
        plan=plan,
        dry_run=ctx.options.dry_run,
        problems=problems,
        config=reading.config,
        tabs=reading.snapshot.tabs,
    )


def doc_writes(doc: dict[str, Any], parsed: ParsedDoc, *, unread: frozenset[str]) -> DocWrites:
    """The named ranges to put back or take away, besides the new contributions' anchors."""
    # A section found by its heading (its named range was cut with it) gets its range back, so
    # every command finds it again and this sync's warning is not repeated by the next.
    body = (doc.get("body") or {}).get("content") or [{}]
    last = body[-1].get("endIndex", 1) - 1  # a range cannot hold the body's final newline
    sections = [(q, (s, min(e, last))) for q, (s, e) in sorted(parsed.heading_spans.items())]
    # A stale anchor (its paragraph joined to another, or gone) is removed, once; only when
    # every section was read, so an anchor of a section not found is never taken for stale.
    return DocWrites(
        sections=[(q, (s, e)) for q, (s, e) in sections if s < e],
        stale=[] if unread else list(parsed.stale_anchors),
    )


def anchor_requests(plan: SyncPlan, writes: DocWrites) -> list[dict[str, Any]]:
    """One documents.batchUpdate's requests: new anchors, sections' ranges, stale ones gone."""
    return (
        [
            {
                "createNamedRange": {
                    "name": RANGE_CONTRIBUTION + cid,
                    "range": {"startIndex": start, "endIndex": end},
                }
            }
            for cid, start, end in plan.anchors
        ]
        + [
            {
                "createNamedRange": {
                    "name": RANGE_QUESTION + qid,
                    "range": {"startIndex": start, "endIndex": end},
                }
            }
            for qid, (start, end) in writes.sections
        ]
        + [{"deleteNamedRange": {"name": RANGE_CONTRIBUTION + cid}} for cid in writes.stale]
    )


def _write_doc(
    ctx: SyncContext, reading: DocReading, writes: DocWrites, result: SyncResult
) -> None:
    """Phase 3: anchor the new contributions (and sections) in the Doc, only in the revision
    read: a Doc changed since raises RevisionMismatch, and the attempt starts over."""
    revision = result.revision_id
    if not revision:
        raise SessionError(
            f"document {ctx.document_id} came back without a revision id: "
            "refusing to write anchors blind"
        )
    plan = result.plan
    if plan.anchors:
        ctx.progress(f"anchoring {len(plan.anchors)} new contribution(s) in the Doc")
    if writes.stale:
        ctx.progress(f"removing stale anchor(s) {', '.join(writes.stale)}")
    if writes.sections:
        ctx.progress(
            f"anchoring section(s) {', '.join(q for q, _ in writes.sections)} by their heading"
        )
    reply = ctx.api.update_document(
        ctx.document_id,
        in_tab(anchor_requests(plan, writes), reading.doc),
        required_revision_id=revision,
    )
    result.anchored = len(plan.anchors)
    result.revision_id = (reply.get("writeControl") or {}).get("requiredRevisionId", revision)


def _journal(ctx: SyncContext, reading: DocReading, result: SyncResult) -> str:
    """Phase 4: record what the Doc said. Only now are the new ids given (the anchors landed):
    the journal records what is true."""
    parsed, plan = reading.parsed, result.plan
    ids = _ids_in_order(parsed, plan)
    return ctx.journal.append(
        ctx.document_id,
        at=ctx.stamp,
        revision=result.revision_id,
        summary=result.counts().to_json(),
        contributions=[
            contribution_record(c, cid) for c, cid in zip(parsed.contributions, ids, strict=True)
        ],
        previous_digest=reading.remembered.get("journal_digest"),
    )


def _write_sheet(ctx: SyncContext, reading: DocReading, result: SyncResult) -> int:
    """Phase 5: the Report tab's counts, then the planned cells; rows a sort moved under the
    write are verified and repaired. Returns the Contributions tab's rows as now known."""
    plan, snapshot = result.plan, reading.snapshot
    plan.cell_writes += report_sheet.on_sync(
        ctx.api,
        ctx.spreadsheet_id,
        reading.config,
        reading.parsed.contributions,
        plan.changes_sheet,
        snapshot.tabs,
    )
    grid_rows: int = reading.remembered.get("grid_rows", LIST_ROWS)
    if not plan.changes_sheet:
        return grid_rows
    include = snapshot.tab.header.index(INCLUDE) if INCLUDE in snapshot.tab.header else None
    ctx.progress(f"writing {plan.rows_changed + len(plan.added)} row(s) to the Sheet")
    grid_rows = write_values(
        ctx.api,
        ctx.spreadsheet_id,
        plan.cell_writes,
        grow_tab=CONTRIBUTIONS,
        tabs=snapshot.tabs,
        checkbox_column=include,
        known_rows=grid_rows,
    )
    result.wrote_sheet = True
    if _touches_existing_rows(plan, len(snapshot.tab.rows), snapshot.tabs):
        ids = _ids_in_order(reading.parsed, plan)
        for c, cid in zip(reading.parsed.contributions, ids, strict=True):
            c.id = cid
        _verify_rows(ctx, reading, result, checkbox_column=include, known_rows=grid_rows)
    return grid_rows


def _ids_in_order(parsed: ParsedDoc, plan: SyncPlan) -> list[str]:
    """The id each parsed contribution ended up with (anchored ones keep theirs)."""
    fresh = iter(cid for cid, _, _ in plan.anchors)
    return [c.id or next(fresh) for c in parsed.contributions]


_ROW_NUMBER = re.compile(r"![A-Z]+(\d+)")


def sheet_digest(tab: ContributionsTab) -> str:
    """A fingerprint of the Contributions tab as read, to tell a Sheet that has not changed."""
    payload = json.dumps([tab.header, tab.rows], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lost_rows(
    journal: Journal,
    state: LocalState,
    document_id: str,
    parsed: ParsedDoc,
    tab: ContributionsTab,
) -> dict[str, dict[str, Any]]:
    """Contributions the journal recorded whose rows are gone from the Sheet while they are gone
    from the Doc too (someone deleted the row of a removed contribution): id -> last record.
    The journal is read only when an id below the highest known has no row and no paragraph."""
    known = {cid for cid, _row in tab.contribution_rows()} | {c.id for c in parsed.contributions}
    numbers = [n for n in (id_number(cid) for cid in known) if n is not None]
    if not numbers:
        return {}
    missing = {format_id(n) for n in range(1, max(numbers) + 1)} - known
    unknown = set(state.load(document_id).get("not_in_journal") or ())
    if not missing - unknown:
        return {}  # looked for already, and this machine's journal never had them
    found: dict[str, dict[str, Any]] = {}
    for entry in journal.entries(document_id):
        for record in entry.get("contributions") or ():
            if isinstance(record, dict) and record.get("id") in missing:
                found[record["id"]] = record
    state.update(document_id, not_in_journal=sorted(unknown | (missing - set(found))))
    return found


def _touches_existing_rows(plan: SyncPlan, rows: int, tabs: SheetTabs) -> bool:
    """Whether the plan writes into rows that were there when read (positions a person's sort
    can change under the write); rows appended past the last one cannot be moved that way."""
    prefix = tabs.range(CONTRIBUTIONS, "") + "!"
    for write in plan.cell_writes:
        if not write["range"].startswith(prefix):
            continue
        m = _ROW_NUMBER.search(write["range"])
        if m and int(m.group(1)) <= rows + 1:
            return True
    return False


def _verify_rows(
    ctx: SyncContext,
    reading: DocReading,
    result: SyncResult,
    *,
    checkbox_column: int | None,
    known_rows: int,
) -> None:
    """Read the Contributions tab back and check every row holds what this sync meant for its
    id; a row someone's sort moved under the write is put back as it was, then written again.

    Each row's hidden record names the id its cells were written for, so a stray write shows
    even in a later sync; here the rows as first read give back exactly what the stray write
    covered."""
    first = reading.snapshot.tab
    before = {cid: first.cell(row, RECORD) for cid, row in first.contribution_rows()}
    intended = result.plan.records
    for _ in range(VERIFY_ATTEMPTS):
        values = read_tabs(ctx.api, ctx.spreadsheet_id, [CONTRIBUTIONS], reading.snapshot.tabs)
        tab = ContributionsTab.parse(values[CONTRIBUTIONS], reading.snapshot.recorded, values.tabs)
        if not _went_astray(tab, intended, before):
            return  # (a row another sync wrote since is that sync's to check)
        repair = plan_sync(
            reading.parsed.contributions,
            tab,
            reading.config,
            now=ctx.stamp,
            accept_removals=True,
            unread_sections=reading.unread,
            previous=first,
        )
        if not repair.changes_sheet:
            return
        intended = repair.records
        before = {cid: tab.cell(row, RECORD) for cid, row in tab.contribution_rows()}
        for cid in repair.repaired:
            if cid not in result.plan.repaired:
                result.plan.repaired.append(cid)
                result.problems.append(_repaired_line(cid))
        write_values(
            ctx.api,
            ctx.spreadsheet_id,
            repair.cell_writes,
            grow_tab=CONTRIBUTIONS,
            tabs=tab.tabs,
            checkbox_column=checkbox_column,
            known_rows=known_rows,
        )
    result.problems.append(
        f"the {reading.snapshot.tabs[CONTRIBUTIONS]} tab kept changing while sync wrote to it: "
        "run sync again to check it"
    )


def _went_astray(tab: ContributionsTab, intended: dict[str, str], before: dict[str, str]) -> bool:
    """Whether a write of this sync landed on a row other than the one it was meant for: a row
    holds a record for another id, or a row meant to be written still holds its old record."""
    found: dict[str, str] = {}
    for cid, row in tab.contribution_rows():
        text = tab.cell(row, RECORD)
        record = RowRecord.parse(text)
        if record is not None and record.id != cid:
            return True
        found[cid] = text
    return any(
        found.get(cid) != record and found.get(cid) == before.get(cid)
        for cid, record in intended.items()
    )


def _add_bookkeeping_columns(api: GoogleApi, spreadsheet_id: str, snapshot: SheetSnapshot) -> None:
    tab = snapshot.tab
    try:
        api.update_spreadsheet(
            spreadsheet_id, bookkeeping_columns_requests(CONTRIBUTIONS_ID, tab.header, tab.language)
        )
    except ApiCallError:
        # Not the tab create made (someone re-created it): find its id by its title.
        meta = api.get_spreadsheet(spreadsheet_id, fields="sheets.properties(sheetId,title)")
        sheet_id = next(
            s["properties"]["sheetId"]
            for s in meta.get("sheets", [])
            if s["properties"]["title"] == tab.tabs[CONTRIBUTIONS]
        )
        api.update_spreadsheet(
            spreadsheet_id, bookkeeping_columns_requests(sheet_id, tab.header, tab.language)
        )
    for name in (SYNC_NOTE, RECORD):
        if name not in tab.header:
            tab.header.append(name)


def _plan_notices(plan: SyncPlan) -> list[str]:
    """What sync tells the moderator about rows it kept, flagged or repaired."""
    lines = list(plan.overrides)
    for c in plan.duplicated:
        lines.append(
            f"{c.id} [{c.question_id}] is the same contribution as another one in the Doc "
            f"(pasted twice?): marked duplicate, published once; {c.text}"
        )
    for c, old in plan.maybe:
        lines.append(
            f"{c.id} [{c.question_id}] is a new row, but it may be {old} (removed from the Doc) "
            f"retyped or pasted back with changes: {c.text}"
        )
    lines.extend(_repaired_line(cid) for cid in plan.repaired)
    for c in plan.rewritten:
        lines.append(
            f"{c.id} [{c.question_id}]: its row was missing from the Sheet; written again from "
            f"the journal, as removed from the Doc: {c.text}"
        )
    return lines


def _repaired_line(cid: str) -> str:
    return f"{cid}: its row held values meant for another row (sorted during a sync); repaired"
