"""`finalize`, `report`, `export`, `demo`: the curated action list reaches the Doc and reports."""

from __future__ import annotations

import json

import pytest

from gdoc_sync.core.model import RANGE_ACTIONS
from gdoc_sync.core.sheet import CONTRIBUTIONS, HEADER, column_letter, quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.errors import describe
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.finalize import _actions_range, finalize_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import sync_session

NOTES = [
    ("Q1", "Investors: Ask portfolio companies for HRDD policies (Ana Silva, civil society)"),
    ("Q1", "Governments: Extend mandatory HRDD to investors (Yael Cohen, governments, online)"),
    ("Q2", "CSO & Investors: Meet before every AGM season (محمد الأحمد, civil society)"),
    ("Q3", "Note: nobody defined salience"),
    ("Q4", "Investors: Publish engagement outcomes <script>alert(1)</script> **now**"),
]


@pytest.fixture
def synced(backend):
    api = backend.api()
    created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
    for question, line in NOTES:
        add_note(api, created.document_id, question, line)
    state = LocalState(backend.data_dir / "state")
    sync_session(
        api, created.document_id, state=state, journal=Journal(backend.data_dir / "journal")
    )
    return created, state


def set_cells(backend, spreadsheet_id: str, cells: dict[tuple[str, str], object]) -> None:
    """Curate like a rapporteur: (contribution id, column name) -> value."""
    values = backend.clients.sheets.http_client.values_get(
        spreadsheet_id, quote_sheet(CONTRIBUTIONS)
    )["values"]
    row_of = {r[0]: n for n, r in enumerate(values[1:], start=2)}
    data = [
        {
            "range": f"{quote_sheet(CONTRIBUTIONS)}!{column_letter(HEADER.index(col))}"
            f"{row_of[cid]}",
            "values": [[value]],
        }
        for (cid, col), value in cells.items()
    ]
    backend.clients.sheets.http_client.values_batch_update(
        spreadsheet_id, {"valueInputOption": "USER_ENTERED", "data": data}
    )


def body_text(doc: dict) -> str:
    return "".join(
        pe.get("textRun", {}).get("content", "")
        for el in doc["body"]["content"]
        for pe in el.get("paragraph", {}).get("elements", [])
    )


def outside(doc: dict) -> tuple[str, str]:
    """The Doc's text before and after the Action points range (in UTF-16 units)."""
    start, end = _actions_range(doc, "doc")
    units = body_text(doc).encode("utf-16-le")
    # body text starts at index 1 (index 0 is the section break)
    return (
        units[: 2 * (start - 1)].decode("utf-16-le"),
        units[2 * (end - 1) :].decode("utf-16-le"),
    )


def section(doc: dict) -> list[tuple[str, str, bool]]:
    """(style, text, numbered) of each paragraph in the Action points range."""
    start, end = _actions_range(doc, "doc")
    out = []
    for el in doc["body"]["content"]:
        if "paragraph" not in el or el["startIndex"] < start or el["startIndex"] >= end + 1:
            continue
        p = el["paragraph"]
        text = "".join(e.get("textRun", {}).get("content", "") for e in p["elements"]).strip()
        out.append((p["paragraphStyle"]["namedStyleType"], text, "bullet" in p))
    return out


def test_untouched_sheet_publishes_every_assigned_contribution(backend, synced) -> None:
    created, state = synced
    api = backend.api()
    before = api.get_document(created.document_id)
    result = finalize_session(api, created.document_id, state=state)
    assert result.actions.rule == "all assigned"
    after = api.get_document(created.document_id)
    assert outside(after) == outside(before)
    assert section(after) == [
        ("HEADING_3", "Investors", False),
        (
            "NORMAL_TEXT",
            "Ask portfolio companies for HRDD policies [Q1, proposed by Civil society, onsite]",
            True,
        ),
        (
            "NORMAL_TEXT",
            "Meet before every AGM season [Q2, proposed by Civil society, onsite]",
            True,
        ),
        (
            "NORMAL_TEXT",
            "Publish engagement outcomes <script>alert(1)</script> **now** [Q4, onsite]",
            True,
        ),
        ("HEADING_3", "Governments and regulators", False),
        (
            "NORMAL_TEXT",
            "Extend mandatory HRDD to investors [Q1, proposed by Governments and "
            "regulators, online]",
            True,
        ),
        ("HEADING_3", "Civil society", False),
        (
            "NORMAL_TEXT",
            "Meet before every AGM season [Q2, proposed by Civil society, onsite]",
            True,
        ),
    ]
    # Each group's list is numbered on its own.
    start, _ = _actions_range(after, "doc")
    lists = {
        el["paragraph"]["bullet"]["listId"]
        for el in after["body"]["content"]
        if "paragraph" in el
        and el["startIndex"] >= start
        and el["paragraph"].get("bullet")
        and "AGM" in body_text({"body": {"content": [el]}})
    }
    assert len(lists) == 2
    rows = backend.clients.sheets.http_client.values_get(
        created.spreadsheet_id, quote_sheet("Action points")
    )["values"]
    assert rows[0][0] == "Stakeholder group" and len(rows) == 6


def test_ticks_rewording_and_priority(backend, synced) -> None:
    created, state = synced
    set_cells(
        backend,
        created.spreadsheet_id,
        {
            ("C0001", "Include"): True,
            ("C0005", "Include"): True,
            ("C0003", "Include"): False,
            ("C0005", "Final wording"): "Publish engagement outcomes, failures included",
            ("C0005", "Priority"): "1",
            ("C0001", "Priority"): "2",
        },
    )
    result = finalize_session(backend.api(), created.document_id, state=state)
    assert result.actions.rule == "ticked only"
    assert [(k, [a.contribution_id for a in acts]) for k, _, acts in result.actions.by_group] == [
        ("investors", ["C0005", "C0001"])
    ]
    doc = backend.api().get_document(created.document_id)
    texts = [t for _, t, _ in section(doc)]
    assert texts[1].startswith("Publish engagement outcomes, failures included [Q4")


def test_finalize_twice_gives_the_same_doc(backend, synced, cli) -> None:
    created, _ = synced
    first = cli("finalize", created.document_id)
    assert first.exit_code == 0, first.stderr
    doc1 = backend.api().get_document(created.document_id)
    second = cli("finalize", created.document_id)
    assert second.exit_code == 0
    assert "already shows these 5 action point(s)" in second.stderr
    doc2 = backend.api().get_document(created.document_id)
    assert doc2["body"] == doc1["body"]
    assert doc2["revisionId"] == doc1["revisionId"]


def test_concurrent_edit_between_read_and_write_is_kept(backend, synced, monkeypatch) -> None:
    created, state = synced
    api = backend.api()
    other = backend.api()
    calls = {"n": 0}
    real_get = type(api).get_document

    def get_then_someone_types(self, document_id, **kwargs):
        doc = real_get(self, document_id, **kwargs)
        if self is not api:
            return doc
        calls["n"] += 1
        if calls["n"] == 1:  # a moderator types right after finalize's first read
            add_note(other, document_id, "Q2", "Investors: Typed during finalize")
        return doc

    monkeypatch.setattr(type(api), "get_document", get_then_someone_types)
    result = finalize_session(api, created.document_id, state=state)
    monkeypatch.undo()
    assert calls["n"] == 2 and result.wrote_doc
    doc = api.get_document(created.document_id)
    assert "Investors: Typed during finalize" in body_text(doc)
    assert ("HEADING_3", "Investors", False) in section(doc)


def test_missing_actions_section_is_a_clear_error(backend, synced, cli) -> None:
    created, _ = synced
    api = backend.api()
    doc = api.get_document(created.document_id)
    range_id = doc["namedRanges"][RANGE_ACTIONS]["namedRanges"][0]["namedRangeId"]
    api.update_document(created.document_id, [{"deleteNamedRange": {"namedRangeId": range_id}}])
    before = api.get_document(created.document_id)
    result = cli("finalize", created.document_id)
    assert result.exit_code == 1
    assert "has no Action points section (named range gdoc_sync:actions is gone)" in result.stderr
    assert result.stderr.strip().endswith(
        "; finalize sent no write to the Doc: the Doc is unchanged"
    )
    assert api.get_document(created.document_id)["revisionId"] == before["revisionId"]


def test_a_failed_sheet_write_says_the_doc_was_written(backend, synced, cli) -> None:
    from gdoc_sync.emulator.faults import Fault

    created, _ = synced
    backend.emulator.faults.add(
        Fault(action="error", status=400, method="POST", path="values:batchUpdate$", times=-1)
    )
    result = cli("finalize", created.document_id)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "; the Doc now shows the action list; the Sheet's 'Action points' tab was not updated: "
        "run finalize again"
    )
    assert result.stderr.splitlines()[-1].startswith("error: ")  # message and note: one line
    backend.emulator.faults.clear()
    assert ("HEADING_3", "Investors", False) in section(
        backend.api().get_document(created.document_id)
    )


def test_dry_run_and_json(backend, synced, cli) -> None:
    created, _ = synced
    before = api_revision = backend.api().get_document(created.document_id)["revisionId"]
    result = cli("finalize", created.document_id, "--dry-run", "--json")
    data = json.loads(result.stdout)
    assert [g["key"] for g in data["groups"]] == ["investors", "governments", "civil_society"]
    assert data["requests"][0]["replaceNamedRangeContent"]["namedRangeName"] == RANGE_ACTIONS
    assert backend.api().get_document(created.document_id)["revisionId"] == before == api_revision


def test_export_renders_the_doc_inert(backend, synced, cli, tmp_path) -> None:
    created, _ = synced
    out = tmp_path / "doc.html"
    result = cli("export", created.document_id, "--format", "html", "-o", str(out))
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    md = cli("export", created.document_id, "--format", "md").stdout
    assert "## Q1. How can investors embrace" in md
    txt = cli("export", created.document_id, "--format", "txt").stdout
    assert "Investors: Ask portfolio companies for HRDD policies" in txt


def test_demo_runs_a_whole_session(tmp_path) -> None:
    from conftest import run_cli

    result = run_cli(["demo", "--dir", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.stderr
    assert "6. Rapporteur: finalize the action list into the Doc" in result.stdout
    report = (tmp_path / "demo" / "report.md").read_text(encoding="utf-8")
    assert "### Action points per stakeholder group" in report
    assert "محمد الأحمد" in report and "Zoë Ångström" in report
    html = (tmp_path / "demo" / "session-doc.html").read_text(encoding="utf-8")
    assert "Action points" in html
    contributions = (tmp_path / "demo" / "sheet-contributions.csv").read_text(encoding="utf-8")
    assert "withdrawn" in contributions and "edited" in contributions
    assert "unassigned" in contributions


def test_nothing_selected_says_so_in_the_doc(backend, synced) -> None:
    created, state = synced
    set_cells(
        backend, created.spreadsheet_id, {(f"C000{n}", "Include"): False for n in range(1, 6)}
    )
    result = finalize_session(backend.api(), created.document_id, state=state)
    assert result.actions.count == 0
    doc = backend.api().get_document(created.document_id)
    assert section(doc) == [("NORMAL_TEXT", "No action points were selected.", False)]


# -- hand edits of the published list (issue 11, case 2) ----------------------------------------


def paragraph_range(doc: dict, needle: str) -> tuple[int, int]:
    """(start, end without the newline) of the paragraph in the Action points range holding
    `needle`."""
    start, end = _actions_range(doc, "doc")
    for el in doc["body"]["content"]:
        if "paragraph" in el and start <= el["startIndex"] < end + 1:
            if needle in body_text({"body": {"content": [el]}}):
                return el["startIndex"], el["endIndex"] - 1
    raise AssertionError(f"{needle!r} is not in the Action points section")


def test_hand_edits_of_the_published_list_are_refused_then_overwritten_on_request(
    backend, synced, cli
) -> None:
    created, _ = synced
    assert cli("finalize", created.document_id).exit_code == 0
    api = backend.api()
    doc = api.get_document(created.document_id)
    # The rapporteur fixes one item, deletes another and adds a line, directly in the Doc.
    s, _ = paragraph_range(doc, "Publish engagement outcomes")
    anchor = s + len("Publish engagement")
    api.update_document(
        created.document_id, [{"insertText": {"location": {"index": anchor}, "text": " yearly"}}]
    )
    doc = api.get_document(created.document_id)
    s, e = paragraph_range(doc, "Extend mandatory HRDD")
    api.update_document(
        created.document_id,
        [{"deleteContentRange": {"range": {"startIndex": s, "endIndex": e + 1}}}],
    )
    doc = api.get_document(created.document_id)
    _, e = paragraph_range(doc, "Ask portfolio companies")
    api.update_document(
        created.document_id,
        [{"insertText": {"location": {"index": e}, "text": "\nTyped by the rapporteur"}}],
    )
    edited = api.get_document(created.document_id)

    refused = cli("finalize", created.document_id)
    assert refused.exit_code == 11, refused.stderr
    message = refused.stderr.split("error: ", 1)[1].strip().splitlines()
    assert message[0] == (
        "the Action points section was edited in the Doc since finalize wrote it; "
        "nothing was written:"
    )
    assert sorted(message[1:-1]) == [
        '  C0002 (Governments and regulators): deleted from the Doc (it read "Extend '
        'mandatory HRDD to investors")',
        '  C0005 (Investors): edited, now reads "Publish engagement yearly outcomes '
        '<script>alert(1)</script> **now** [Q4, onsite]"',
        '  added by hand: "Typed by the rapporteur"',
    ]
    assert "--overwrite" in message[-1] and "Final wording" in message[-1]
    after = api.get_document(created.document_id)
    assert after["revisionId"] == edited["revisionId"]

    overwritten = cli("finalize", created.document_id, "--overwrite")
    assert overwritten.exit_code == 0, overwritten.stderr
    texts = [t for _, t, _ in section(api.get_document(created.document_id))]
    assert "Typed by the rapporteur" not in texts
    assert any(t.startswith("Publish engagement outcomes <script>") for t in texts)
    assert any(t.startswith("Extend mandatory HRDD to investors") for t in texts)
    assert cli("finalize", created.document_id).exit_code == 0  # nothing edited since


def test_an_edit_carried_into_final_wording_publishes(backend, synced, cli) -> None:
    created, _ = synced
    assert cli("finalize", created.document_id).exit_code == 0
    api = backend.api()
    doc = api.get_document(created.document_id)
    s, _ = paragraph_range(doc, "Ask portfolio companies")
    api.update_document(
        created.document_id,
        [{"insertText": {"location": {"index": s + len("Ask")}, "text": " all"}}],
    )
    set_cells(
        backend,
        created.spreadsheet_id,
        {("C0001", "Final wording"): "Ask all portfolio companies for HRDD policies"},
    )
    result = cli("finalize", created.document_id)
    assert result.exit_code == 0, result.stderr
    texts = [t for _, t, _ in section(api.get_document(created.document_id))]
    assert (
        texts[1]
        == "Ask all portfolio companies for HRDD policies [Q1, proposed by Civil society, onsite]"
    )
    # Later curation changes publish without complaint: the marks match the Doc again.
    set_cells(backend, created.spreadsheet_id, {("C0005", "Priority"): "1"})
    assert cli("finalize", created.document_id).exit_code == 0


# -- what a failed finalize says about the Doc (case 9) ----------------------------------------

DOC_WRITE = r"^/v1/documents/[^/]+:batchUpdate$"
DOC_READ = "^/v1/documents/*$"  # GET: documents.get (fault paths are plain text + wildcards)


def test_a_write_that_landed_then_failed_is_reported_from_a_read_back(backend, synced, cli) -> None:
    from gdoc_sync.emulator.faults import Fault

    created, _ = synced
    before = backend.api().get_document(created.document_id)
    backend.emulator.faults.add(
        Fault(action="apply_then_fail", status=400, method="POST", path=DOC_WRITE)
    )
    result = cli("finalize", created.document_id)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "; read back: the Doc now shows the new action list; run finalize again for the Sheet"
    )
    after = backend.api().get_document(created.document_id)
    assert after["revisionId"] != before["revisionId"]
    assert ("HEADING_3", "Investors", False) in section(after)


def test_write_lands_then_reads_fail_the_failure_says_what_the_read_back_shows(
    backend, synced
) -> None:
    from gdoc_sync.emulator.faults import Fault
    from gdoc_sync.errors import UnavailableError

    created, state = synced
    faults = backend.emulator.faults
    # The write lands, its answer is lost, the retry is refused on its revision, and the
    # re-read fails every retry; the read back after that answers.
    faults.add(Fault(action="apply_then_fail", status=503, method="POST", path=DOC_WRITE))
    faults.add(Fault(action="error", status=503, method="GET", path=DOC_READ, skip=1, times=6))
    with pytest.raises(UnavailableError) as failed:
        finalize_session(backend.api(), created.document_id, state=state)
    assert describe(failed.value).endswith(
        "; read back: the Doc now shows the new action list; run finalize again for the Sheet"
    )
    faults.clear()
    # When even the read back fails, it says it cannot tell.
    set_cells(backend, created.spreadsheet_id, {("C0005", "Priority"): "1"})
    faults.add(Fault(action="apply_then_fail", status=503, method="POST", path=DOC_WRITE))
    faults.add(Fault(action="error", status=503, method="GET", path=DOC_READ, skip=1, times=-1))
    with pytest.raises(UnavailableError) as unknown:
        finalize_session(backend.api(), created.document_id, state=state)
    assert "finalize could not read the Doc back to tell whether its write landed" in describe(
        unknown.value
    )
    faults.clear()
    assert section(backend.api().get_document(created.document_id))[1][1].startswith(
        "Publish engagement outcomes"
    )


# -- text Docs cannot store as given (case 7), style of the list (case 10) ---------------------


def test_final_wording_with_private_use_and_control_characters_publishes(
    backend, synced, cli
) -> None:
    created, _ = synced
    set_cells(
        backend,
        created.spreadsheet_id,
        {("C0001", "Final wording"): "\uf0b7 Ask\x07 portfolio companies \ue123 for policies"},
    )
    first = cli("finalize", created.document_id)
    assert first.exit_code == 0, first.stderr
    doc = backend.api().get_document(created.document_id)
    texts = [t for _, t, _ in section(doc)]
    assert texts[1] == (
        "\u2022 Ask portfolio companies \ufffd for policies [Q1, proposed by Civil society, onsite]"
    )
    second = cli("finalize", created.document_id)
    assert second.exit_code == 0, second.stderr
    assert "already shows these" in second.stderr
    assert backend.api().get_document(created.document_id)["revisionId"] == doc["revisionId"]
    rows = backend.clients.sheets.http_client.values_get(
        created.spreadsheet_id, quote_sheet("Action points")
    )["values"]
    assert rows[1][2] == "\u2022 Ask portfolio companies \ufffd for policies"


def test_the_published_list_is_plain_whatever_it_replaces(backend, synced, cli) -> None:
    created, _ = synced
    assert cli("finalize", created.document_id).exit_code == 0
    api = backend.api()
    doc = api.get_document(created.document_id)
    start, end = _actions_range(doc, "doc")
    api.update_document(
        created.document_id,
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": start, "endIndex": end},
                    "textStyle": {"underline": True, "strikethrough": True, "italic": True},
                    "fields": "underline,strikethrough,italic",
                }
            }
        ],
    )
    set_cells(backend, created.spreadsheet_id, {("C0005", "Priority"): "1"})
    result = cli("finalize", created.document_id)
    assert result.exit_code == 0, result.stderr
    doc = api.get_document(created.document_id)
    start, end = _actions_range(doc, "doc")
    styles = [
        pe["textRun"]["textStyle"]
        for el in doc["body"]["content"]
        if "paragraph" in el and start <= el["startIndex"] < end
        for pe in el["paragraph"]["elements"]
        if pe.get("textRun", {}).get("content", "").strip()
    ]
    assert styles and not any(
        s.get("underline") or s.get("strikethrough") or s.get("italic") for s in styles
    )


def test_a_hand_added_line_is_quoted_with_its_no_break_spaces(backend, synced, cli) -> None:
    """The refusal quotes what the rapporteur typed as typed: French no-break spaces before
    a colon and an exclamation mark are not turned into plain spaces."""
    created, _ = synced
    assert cli("finalize", created.document_id).exit_code == 0
    api = backend.api()
    doc = api.get_document(created.document_id)
    _, e = paragraph_range(doc, "Ask portfolio companies")
    typed = "Ajout de la rapporteuse\u00a0: à confirmer\u202f!"
    api.update_document(
        created.document_id,
        [{"insertText": {"location": {"index": e}, "text": "\n" + typed}}],
    )
    refused = cli("finalize", created.document_id)
    assert refused.exit_code == 11, refused.stderr
    assert f'added by hand: "{typed}"' in refused.stderr
