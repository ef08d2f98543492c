"""`note`: a contribution is added exactly once, in plain style, whatever happens to the run."""

from __future__ import annotations

import pytest

from gdoc_sync.core.sheet import CONTRIBUTIONS, quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import UnavailableError
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import NoteLedger, add_note
from gdoc_sync.workflows.sync import sync_session

DOC_WRITE = r"^/v1/documents/[^/]+:batchUpdate$"
DOC_READ = "^/v1/documents/*$"  # GET: documents.get (fault paths are plain text + wildcards)


@pytest.fixture
def session(backend):
    api = backend.api()
    created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
    return created


def paragraphs(doc: dict) -> list[dict]:
    return [el["paragraph"] for el in doc["body"]["content"] if "paragraph" in el]


def text_of(paragraph: dict) -> str:
    return "".join(e.get("textRun", {}).get("content", "") for e in paragraph["elements"]).rstrip(
        "\n"
    )


def copies(doc: dict, needle: str) -> int:
    return sum(needle in text_of(p) for p in paragraphs(doc))


def test_apply_then_fail_with_private_use_and_control_characters_adds_one_copy(
    backend, session
) -> None:
    # Word's bullet (a private-use character) and a control character: Docs would not store
    # them as given, so comparing exact text cannot tell whether the first write landed.
    backend.emulator.log.clear()
    backend.emulator.faults.add(
        Fault(action="apply_then_fail", status=503, method="POST", path=DOC_WRITE)
    )
    api = backend.api()
    add_note(api, session.document_id, "Q1", "Investors: \uf0b7 fund\x07 audits of HRDD")
    doc = api.get_document(session.document_id)
    assert copies(doc, "fund audits of HRDD") == 1
    (para,) = [p for p in paragraphs(doc) if "fund audits of HRDD" in text_of(p)]
    assert text_of(para) == "Investors: \u2022 fund audits of HRDD"  # the bullet shows as •
    writes = [e for e in backend.requests() if e.method == "POST" and "documents/" in e.path]
    assert [e.fault for e in writes] == ["apply_then_fail", None]  # the retry was refused


def test_write_lands_then_reads_fail_then_a_plain_rerun_adds_nothing(backend, session) -> None:
    ledger = NoteLedger(backend.data_dir / "state")
    line = "Governments: \uf0b7 require HRDD \x01reporting"
    backend.emulator.faults.add(
        Fault(action="apply_then_fail", status=503, method="POST", path=DOC_WRITE)
    )
    backend.emulator.faults.add(
        Fault(action="error", status=503, method="GET", path=DOC_READ, skip=1, times=-1)
    )
    with pytest.raises(UnavailableError):
        add_note(backend.api(), session.document_id, "Q2", line, ledger=ledger)
    backend.emulator.faults.clear()
    api = backend.api()
    assert copies(api.get_document(session.document_id), "require HRDD reporting") == 1
    again = add_note(api, session.document_id, "Q2", line, ledger=ledger)
    assert again.already
    assert copies(api.get_document(session.document_id), "require HRDD reporting") == 1
    # Run once more after it completed: still one copy.
    assert add_note(api, session.document_id, "Q2", line, ledger=ledger).already
    assert copies(api.get_document(session.document_id), "require HRDD reporting") == 1


def test_a_note_deleted_from_the_doc_is_added_again_when_asked_again(backend, session) -> None:
    ledger = NoteLedger(backend.data_dir / "state")
    api = backend.api()
    line = "CSO: keep the grievance channel open"
    add_note(api, session.document_id, "Q3", line, ledger=ledger)
    doc = api.get_document(session.document_id)
    el = next(
        el
        for el in doc["body"]["content"]
        if "paragraph" in el and line in text_of(el["paragraph"])
    )
    api.update_document(
        session.document_id,
        [
            {
                "deleteContentRange": {
                    "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"]}
                }
            }
        ],
    )
    assert copies(api.get_document(session.document_id), line) == 0
    result = add_note(api, session.document_id, "Q3", line, ledger=ledger)
    assert not result.already
    assert copies(api.get_document(session.document_id), line) == 1


def test_emulator_insertion_takes_the_style_of_the_text_before_it(backend, session) -> None:
    """As in Google Docs: text inserted right after struck-through text is struck through."""
    api = backend.api()
    add_note(api, session.document_id, "Q1", "Investors: first point")
    doc = api.get_document(session.document_id)
    el = next(
        el
        for el in doc["body"]["content"]
        if "paragraph" in el and "first point" in text_of(el["paragraph"])
    )
    start, end = el["startIndex"], el["endIndex"] - 1
    api.update_document(
        session.document_id,
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": start, "endIndex": end},
                    "textStyle": {"strikethrough": True},
                    "fields": "strikethrough",
                }
            },
            {"insertText": {"location": {"index": end}, "text": " and more"}},
        ],
    )
    doc = api.get_document(session.document_id)
    (para,) = [p for p in paragraphs(doc) if "first point" in text_of(p)]
    runs = [e["textRun"] for e in para["elements"] if "textRun" in e]
    assert "".join(r["content"] for r in runs) == "Investors: first point and more\n"
    assert all(r["textStyle"].get("strikethrough") for r in runs if r["content"].strip())


def test_a_note_after_a_struck_through_bullet_is_not_withdrawn(backend, session) -> None:
    api = backend.api()
    doc_id = session.document_id
    add_note(api, doc_id, "Q1", "Investors: withdrawn idea (Ana)")
    doc = api.get_document(doc_id)
    el = next(
        el
        for el in doc["body"]["content"]
        if "paragraph" in el and "withdrawn idea" in text_of(el["paragraph"])
    )
    api.update_document(
        doc_id,
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"] - 1},
                    "textStyle": {"strikethrough": True, "bold": True, "underline": True},
                    "fields": "strikethrough,bold,underline",
                }
            }
        ],
    )
    add_note(api, doc_id, "Q1", "Governments: a new point (Bea)")
    doc = api.get_document(doc_id)
    (para,) = [p for p in paragraphs(doc) if "a new point" in text_of(p)]
    for run in (e["textRun"] for e in para["elements"] if "textRun" in e):
        style = run["textStyle"]
        assert not style.get("strikethrough") and not style.get("bold")
        assert not style.get("underline")
    assert para.get("bullet") is not None
    state = LocalState(backend.data_dir / "state")
    sync_session(api, doc_id, state=state, journal=Journal(backend.data_dir / "journal"))
    rows = backend.clients.sheets.http_client.values_get(
        session.spreadsheet_id, quote_sheet(CONTRIBUTIONS)
    )["values"]
    header = rows[0]
    status = {r[header.index("Contribution")]: r[header.index("Status")] for r in rows[1:]}
    assert status["a new point"] == "in doc"
    assert status["withdrawn idea"] == "withdrawn"


def test_cli_rerun_says_the_note_is_already_there(backend, session, cli) -> None:
    first = cli("note", session.document_id, "-q", "Q4", "Investors: publish outcomes")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("added to Q4: Investors: publish outcomes")
    second = cli("note", session.document_id, "-q", "Q4", "Investors: publish outcomes")
    assert second.exit_code == 0, second.stderr
    assert second.stdout.startswith("already in Q4 (an earlier run added it)")
    doc = backend.api().get_document(session.document_id)
    assert copies(doc, "publish outcomes") == 1


def test_a_note_starting_with_words_bullet_is_assigned(backend, session) -> None:
    """Pasted from Word, the line starts with its private-use bullet (U+F0B7): stored as "•",
    read as a hand-typed list mark, and the contribution is still addressed to its group."""
    api = backend.api()
    add_note(api, session.document_id, "Q1", "\uf0b7 Investors: Publish audits (Lee Wong, UN)")
    state = LocalState(backend.data_dir / "state")
    sync_session(
        api, session.document_id, state=state, journal=Journal(backend.data_dir / "journal")
    )
    rows = backend.clients.sheets.http_client.values_get(
        session.spreadsheet_id, quote_sheet(CONTRIBUTIONS)
    )["values"]
    header = rows[0]
    (row,) = [r for r in rows[1:] if "Publish audits" in r[header.index("Contribution")]]
    assert row[header.index("Contribution")] == "Publish audits"
    assert row[header.index("Addressees")] == "Investors"
    assert row[header.index("Speaker")] == "Lee Wong"
    assert row[header.index("Status")] == "in doc"
