"""A session Doc with more than one tab: people add their own tabs ("Notes"), anywhere; sync,
finalize and report keep reading and writing the session's tab, through the real clients."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gdoc_sync.core.contributions import parse_session_doc
from gdoc_sync.core.model import RANGE_ACTIONS, RANGE_CONTRIBUTION, RANGE_QUESTION
from gdoc_sync.core.sheet import CONFIG, CONTRIBUTIONS, parse_config, quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.report import session_report
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import SyncOptions, sync_session

SESSION_TAB_TYPED = [
    "Investors: Publish human-rights due diligence policies (Ana Silva, civil society)",
    "Governments: Make due diligence mandatory for investors (Nguyễn Thị Hoa, online)",
]
NOTES_TAB_TEXT = "Investors: my own reminder, not a contribution (Moderator, online)"


def all_tabs(backend: Any, document_id: str) -> list[dict[str, Any]]:
    """Every tab (children after their parent), as documents.get with includeTabsContent."""
    doc = backend.clients.docs.documents().get(documentId=document_id, includeTabsContent=True)
    out: list[dict[str, Any]] = []

    def walk(tabs: list[dict[str, Any]]) -> None:
        for tab in tabs:
            out.append(tab)
            walk(tab.get("childTabs") or [])

    walk(doc.execute()["tabs"])
    return out


def tab_named(backend: Any, document_id: str, title: str) -> dict[str, Any]:
    (tab,) = [t for t in all_tabs(backend, document_id) if t["tabProperties"]["title"] == title]
    return tab


def text_of(tab: dict[str, Any]) -> str:
    return "".join(
        pe.get("textRun", {}).get("content", "")
        for element in tab["documentTab"]["body"]["content"]
        for pe in element.get("paragraph", {}).get("elements", [])
    )


def batch(backend: Any, document_id: str, *requests: dict[str, Any]) -> list[dict[str, Any]]:
    body = {"requests": list(requests)}
    reply = backend.clients.docs.documents().batchUpdate(documentId=document_id, body=body)
    return reply.execute()["replies"]


def add_tab(backend: Any, document_id: str, title: str, **props: Any) -> str:
    (reply,) = batch(
        backend, document_id, {"addDocumentTab": {"tabProperties": {"title": title, **props}}}
    )
    return reply["addDocumentTab"]["tabProperties"]["tabId"]


def type_into(backend: Any, document_id: str, tab_id: str, text: str) -> None:
    batch(
        backend,
        document_id,
        {"insertText": {"location": {"index": 1, "tabId": tab_id}, "text": text + "\n"}},
    )


def sheet_rows(backend: Any, spreadsheet_id: str) -> list[dict[str, str]]:
    values = backend.clients.sheets.http_client.values_get(
        spreadsheet_id, quote_sheet(CONTRIBUTIONS)
    )["values"]
    header = values[0]
    return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]


def session_tab_of(backend: Any, document_id: str) -> dict[str, Any]:
    (tab,) = [
        t
        for t in all_tabs(backend, document_id)
        if RANGE_ACTIONS in (t["documentTab"].get("namedRanges") or {})
    ]
    return tab


def type_contributions_in_q1(backend: Any, document_id: str, lines: list[str]) -> None:
    """Type into the session tab's Q1 list, as a moderator in the browser: at its empty bullet."""
    tab = session_tab_of(backend, document_id)
    (q1,) = tab["documentTab"]["namedRanges"][RANGE_QUESTION + "Q1"]["namedRanges"]
    end = q1["ranges"][0]["endIndex"]
    paragraph = next(
        el
        for el in tab["documentTab"]["body"]["content"]
        if el.get("endIndex") == end and "paragraph" in el
    )
    assert "bullet" in paragraph["paragraph"], "the section ends with its empty bullet"
    location = {"index": paragraph["startIndex"], "tabId": tab["tabProperties"]["tabId"]}
    batch(backend, document_id, {"insertText": {"location": location, "text": "\n".join(lines)}})


@pytest.fixture
def session(backend: Any) -> tuple[Any, str, str, LocalState, Journal]:
    api = backend.api()
    created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
    state = LocalState(backend.data_dir / "state")
    journal = Journal(backend.data_dir / "journal")
    return api, created.document_id, created.spreadsheet_id, state, journal


def test_a_notes_tab_placed_first_moves_nothing(backend, session) -> None:
    api, document_id, spreadsheet_id, state, journal = session
    notes = add_tab(backend, document_id, "Notes", index=0)
    type_into(backend, document_id, notes, NOTES_TAB_TEXT)
    assert [t["tabProperties"]["title"] for t in all_tabs(backend, document_id)] == [
        "Notes",
        "Tab 1",
    ]
    type_contributions_in_q1(backend, document_id, SESSION_TAB_TYPED)

    result = sync_session(api, document_id, state=state, journal=journal)
    assert result.anchored == 2
    rows = sheet_rows(backend, spreadsheet_id)
    assert [(r["Question"], r["Speaker"]) for r in rows] == [
        ("Q1", "Ana Silva"),
        ("Q1", "Nguyễn Thị Hoa"),
    ]
    assert "Publish human-rights due diligence policies" in rows[0]["Contribution"]
    assert "Make due diligence mandatory for investors" in rows[1]["Contribution"]
    assert not any("reminder" in r["Contribution"] for r in rows)
    # The anchors went into the session's tab, none into the Notes tab.
    anchors = [
        name
        for name in session_tab_of(backend, document_id)["documentTab"]["namedRanges"]
        if name.startswith(RANGE_CONTRIBUTION)
    ]
    assert sorted(anchors) == sorted(RANGE_CONTRIBUTION + r["ID"] for r in rows)
    assert not tab_named(backend, document_id, "Notes")["documentTab"].get("namedRanges")

    # A second sync finds nothing new: the anchors are read back from the session's tab.
    again = sync_session(
        api, document_id, state=state, journal=journal, options=SyncOptions(force=True)
    )
    assert again.anchored == 0 and not again.plan.added
    assert sheet_rows(backend, spreadsheet_id) == rows

    # note writes into the session's tab, never into another one.
    add_note(api, document_id, "Q2", "Investors: noted from the command line")
    assert "noted from the command line" in text_of(session_tab_of(backend, document_id))
    assert "noted from the command line" not in text_of(tab_named(backend, document_id, "Notes"))

    notes_before = tab_named(backend, document_id, "Notes")["documentTab"]
    finalize_session(api, document_id, state=state)
    assert tab_named(backend, document_id, "Notes")["documentTab"] == notes_before
    session_text = text_of(session_tab_of(backend, document_id))
    assert "Publish human-rights due diligence policies" in session_text.split("Action points")[-1]
    assert "Make due diligence mandatory for investors" in session_text.split("Action points")[-1]
    # The report finds the Sheet through the session's tab when this machine does not know it.
    report = session_report(api, document_id, LocalState(backend.data_dir / "fresh"), "md")
    assert "Publish human-rights due diligence policies" in report


def test_notes_tab_after_the_session_and_a_child_tab(backend, session, cli) -> None:
    api, document_id, spreadsheet_id, state, journal = session
    session_tab = session_tab_of(backend, document_id)["tabProperties"]["tabId"]
    notes = add_tab(backend, document_id, "Notes")
    child = add_tab(backend, document_id, "Breakout room", parentTabId=session_tab)
    type_into(backend, document_id, notes, NOTES_TAB_TEXT)
    type_into(backend, document_id, child, "Governments: typed in the breakout tab (Ana, online)")
    add_note(api, document_id, "Q2", "CSO & Investors: Meet before every AGM season (محمد الأحمد)")

    result = sync_session(api, document_id, state=state, journal=journal)
    assert result.anchored == 1
    rows = sheet_rows(backend, spreadsheet_id)
    assert [(r["Question"], r["Speaker"]) for r in rows] == [("Q2", "محمد الأحمد")]
    assert "Meet before every AGM season" in rows[0]["Contribution"]

    assert cli("finalize", document_id).exit_code == 0
    session_text = text_of(session_tab_of(backend, document_id))
    assert "Meet before every AGM season" in session_text.split("Action points")[-1]
    assert NOTES_TAB_TEXT in text_of(tab_named(backend, document_id, "Notes"))
    report = cli("report", document_id, "--format", "md")
    assert report.exit_code == 0, report.stderr
    assert "Meet before every AGM season" in report.stdout


def test_a_copy_of_the_session_tab_is_reported_not_read(backend, session) -> None:
    _api, document_id, spreadsheet_id, _state, _journal = session
    type_contributions_in_q1(backend, document_id, SESSION_TAB_TYPED[:1])
    tabbed = (
        backend.clients.docs.documents()
        .get(documentId=document_id, includeTabsContent=True)
        .execute()
    )
    # A duplicated tab keeps its named ranges: made here from the session tab itself.
    (session_tab,) = tabbed["tabs"]
    copy = json.loads(json.dumps(session_tab))
    copy["tabProperties"] = {"tabId": "t.copy", "title": "Copy of Tab 1", "index": 1}
    tabbed["tabs"].append(copy)
    config = parse_config(
        backend.clients.sheets.http_client.values_get(spreadsheet_id, quote_sheet(CONFIG))["values"]
    )
    parsed = parse_session_doc(tabbed, config)
    assert len(parsed.contributions) == 1
    assert parsed.problems == [
        "tab(s) 'Copy of Tab 1' also hold gdoc-sync named ranges (a copy of the session?); "
        "only tab 'Tab 1' was read"
    ]
