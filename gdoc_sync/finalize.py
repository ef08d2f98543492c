"""Rapporteurs' workflow: publish the curated action list into the Doc and the Sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .actions import ActionList, build_action_list, section_requests, section_text, sheet_rows
from .api import GoogleApi
from .document import in_tab, session_document
from .errors import ConflictError, GdocSyncError, RevisionConflict, SessionError
from .model import RANGE_ACTIONS, SessionConfig
from .session import LocalState, companion_sheet, parse_document_ref
from .sheet import (
    ACTION_HEADER,
    ACTIONS,
    CONFIG,
    CONTRIBUTIONS,
    ContributionsTab,
    column_letter,
    parse_config,
    quote_sheet,
)
from .sheet_io import read_tabs, write_values

MAX_ATTEMPTS = 4

Progress = Callable[[str], None]


@dataclass
class FinalizeResult:
    """What finalize published, and where."""

    document_id: str
    spreadsheet_id: str
    actions: ActionList
    wrote_doc: bool = False
    wrote_sheet: bool = False
    unchanged: bool = False  # the Doc already showed exactly this list
    requests: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Curated:
    """The Sheet as the rapporteur left it."""

    config: SessionConfig
    tab: ContributionsTab
    action_rows: int  # rows currently in the Action points tab, header included


def read_curated(api: GoogleApi, spreadsheet_id: str) -> Curated:
    values = read_tabs(api, spreadsheet_id, [CONTRIBUTIONS, CONFIG, ACTIONS])
    return Curated(
        parse_config(values[CONFIG]),
        ContributionsTab.parse(values[CONTRIBUTIONS]),
        len(values[ACTIONS]),
    )


def _actions_range(doc: dict[str, Any], document_id: str) -> tuple[int, int]:
    entry = (doc.get("namedRanges") or {}).get(RANGE_ACTIONS)
    if not entry:
        raise SessionError(
            f"document {document_id} has no Action points section (named range {RANGE_ACTIONS} "
            "is gone): restore it from File > Version history, or create the session again"
        )
    spans = [
        (r.get("startIndex", 0), r["endIndex"]) for nr in entry["namedRanges"] for r in nr["ranges"]
    ]
    if len(spans) != 1:
        raise SessionError(
            f"document {document_id}: the Action points section is split in "
            f"{len(spans)} pieces; restore it from File > Version history"
        )
    return spans[0]


def _current_text(doc: dict[str, Any], start: int, end: int) -> str:
    """The body's text in [start, end), UTF-16 offsets, for comparing with what we would write."""
    out = []
    for el in doc.get("body", {}).get("content", []):
        for pe in el.get("paragraph", {}).get("elements", []):
            run = pe.get("textRun")
            if not run:
                continue
            s = pe.get("startIndex", 0)
            content = run.get("content", "")
            units = content.encode("utf-16-le")
            lo = max(start, s) - s
            hi = min(end, pe["endIndex"]) - s
            if hi > lo:
                out.append(units[2 * lo : 2 * hi].decode("utf-16-le", "replace"))
    return "".join(out)


def finalize_session(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    dry_run: bool = False,
    progress: Progress = lambda _: None,
) -> FinalizeResult:
    """Read the curated Sheet, write the action list into the Doc's Action points section only,
    then into the Sheet's Action points tab. Never writes over a Doc change it has not seen.
    A failure says whether the Doc was changed."""
    written: list[FinalizeResult] = []
    try:
        return _finalize(
            api, document_ref, state=state, dry_run=dry_run, progress=progress, written=written
        )
    except GdocSyncError as exc:
        if written or "unchanged" in str(exc) or dry_run:
            raise
        raise type(exc)(f"{exc} (the Doc is unchanged)") from exc


def _finalize(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    dry_run: bool,
    progress: Progress,
    written: list[FinalizeResult],
) -> FinalizeResult:
    document_id = parse_document_ref(document_ref)
    doc = session_document(api, document_id)
    spreadsheet_id = companion_sheet(doc, document_id)
    curated = read_curated(api, spreadsheet_id)
    actions = build_action_list(curated.tab, curated.config)
    result = FinalizeResult(document_id, spreadsheet_id, actions)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        revision = doc.get("revisionId")
        if not revision:
            raise SessionError(
                f"document {document_id} came back without a revision id: "
                "refusing to write the action list blind"
            )
        start, end = _actions_range(doc, document_id)
        requests = in_tab(section_requests(RANGE_ACTIONS, start, actions), doc)
        result.requests = requests
        if dry_run:
            return result
        if _current_text(doc, start, end) == section_text(actions)[0]:
            result.unchanged = True
            written.append(result)
            break
        try:
            api.update_document(document_id, requests, required_revision_id=revision)
            result.wrote_doc = True
            written.append(result)
            break
        except RevisionConflict:
            if attempt == MAX_ATTEMPTS:
                raise ConflictError(
                    f"the Doc kept changing while finalize tried to write ({MAX_ATTEMPTS} "
                    "attempts); the Doc is unchanged, run finalize again"
                ) from None
            progress("the Doc changed since it was read: reading it again")
            doc = session_document(api, document_id)
    rows = sheet_rows(actions)
    blank = [[""] * len(ACTION_HEADER)] * max(0, curated.action_rows - 1 - len(rows))
    try:
        table = [list(ACTION_HEADER), *rows, *blank]
        write_values(
            api,
            spreadsheet_id,
            [
                {
                    "range": f"{quote_sheet(ACTIONS)}!A1:{column_letter(len(ACTION_HEADER) - 1)}"
                    f"{len(table)}",
                    "majorDimension": "ROWS",
                    "values": table,
                }
            ],
            grow_tab=ACTIONS,
        )
    except GdocSyncError as exc:
        written = (
            "the Doc now shows the action list"
            if result.wrote_doc or result.unchanged
            else "the Doc is unchanged"
        )
        raise type(exc)(
            f"{exc} ({written}; the Sheet's {ACTIONS!r} tab was not updated: run finalize again)"
        ) from exc
    result.wrote_sheet = True
    state.update(document_id, spreadsheet_id=spreadsheet_id)
    return result
