"""`sync`, `note`, `watch`, `history`: the Doc's contributions reach the Sheet, losing nothing."""

from __future__ import annotations

import json
import threading

import pytest

from gdoc_sync.core.sheet import CONTRIBUTIONS, HEADER, MATRIX, quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.errors import MassRemovalError
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import SyncOptions, sync_session
from gdoc_sync.workflows.watch import watch_session


@pytest.fixture
def session(backend):
    api = backend.api()
    created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
    return created


def machine(backend, name: str = "m1") -> dict:
    base = backend.data_dir / name
    return {"state": LocalState(base / "state"), "journal": Journal(base / "journal")}


def rows(backend, spreadsheet_id: str, render: str = "FORMATTED_VALUE") -> list[dict[str, str]]:
    values = backend.clients.sheets.http_client.values_get(
        spreadsheet_id, quote_sheet(CONTRIBUTIONS), params={"valueRenderOption": render}
    ).get("values", [])
    header = values[0]
    return [dict(zip(header, r + [""] * (len(header) - len(r)), strict=True)) for r in values[1:]]


def find_paragraph(doc: dict, text: str) -> dict:
    for el in doc["body"]["content"]:
        content = "".join(
            e.get("textRun", {}).get("content", "")
            for e in el.get("paragraph", {}).get("elements", [])
        )
        if text in content:
            return el
    raise AssertionError(f"{text!r} not in the Doc")


def test_sync_reads_every_part_of_the_format(backend, session) -> None:
    api = backend.api()
    doc_id = session.document_id
    add_note(
        api,
        doc_id,
        "Q1",
        "Goverments: Regulate investor HRDD (Zoë Ångström, civil society, online)",
    )
    add_note(api, doc_id, "Q1", "CSO & UN: Publish case evidence (محمد الأحمد, civil society)")
    add_note(api, doc_id, "Q2", "All: Treat rights risk as financial risk")
    add_note(api, doc_id, "Q2", "[CSO] Name laggards 👩🏽‍💻 (Nguyễn Thị Minh Khai)")
    add_note(api, doc_id, "Q3", "#investors Open a channel for NGOs (Ana Silva, investors, zoom)")
    add_note(api, doc_id, "online", "Note: the chat asked about small funds")
    add_note(api, doc_id, "Q4", '=IMPORTXML("http://x", "//a")')
    result = sync_session(api, doc_id, **machine(backend))
    assert len(result.plan.added) == 7
    by_text = {r["Contribution"]: r for r in rows(backend, session.spreadsheet_id)}
    gov = by_text["Regulate investor HRDD"]
    assert gov["Addressees"] == "Governments and regulators"
    assert (gov["Speaker"], gov["Proposer group"], gov["Channel"]) == (
        "Zoë Ångström",
        "Civil society",
        "online",
    )
    assert gov["Status"] == "in doc" and gov["Question"] == "Q1"
    rtl = by_text["Publish case evidence"]
    assert rtl["Addressees"] == "Civil society; Intergovernmental organisations and the UN"
    assert rtl["Speaker"] == "محمد الأحمد" and rtl["Channel"] == "onsite"
    assert by_text["Treat rights risk as financial risk"]["Addressees"].count(";") == 4
    assert by_text["Name laggards 👩🏽‍💻"]["Speaker"] == "Nguyễn Thị Minh Khai"
    assert by_text["Open a channel for NGOs"]["Channel"] == "online"
    note = by_text["Note: the chat asked about small funds"]
    assert note["Status"] == "unassigned" and note["Channel"] == "online"
    assert note["Question"] == "online"
    # RAW: the formula-like contribution is text, not a formula.
    formulas = {
        r["ID"]: r["Contribution"] for r in rows(backend, session.spreadsheet_id, "FORMULA")
    }
    assert '=IMPORTXML("http://x", "//a")' in formulas.values()
    assert [r["ID"] for r in rows(backend, session.spreadsheet_id)] == [
        f"C{n:04d}" for n in range(1, 8)
    ]


def test_person_chip_is_the_speaker_and_strikethrough_withdraws(backend, session) -> None:
    api = backend.api()
    doc_id = session.document_id
    add_note(api, doc_id, "Q1", "Investors: Publish voting rationales ")
    doc = api.get_document(doc_id)
    para = find_paragraph(doc, "Publish voting rationales")
    api.update_document(
        doc_id,
        [
            {
                "insertPerson": {
                    "location": {"index": para["endIndex"] - 1},
                    "personProperties": {"name": "Aroha Ngata", "email": "aroha@example.org"},
                }
            }
        ],
    )
    add_note(api, doc_id, "Q1", "Investors: Withdraw this one")
    sync_session(api, doc_id, **machine(backend))
    doc = api.get_document(doc_id)
    para = find_paragraph(doc, "Withdraw this one")
    api.update_document(
        doc_id,
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": para["startIndex"], "endIndex": para["endIndex"] - 1},
                    "textStyle": {"strikethrough": True},
                    "fields": "strikethrough",
                }
            }
        ],
    )
    result = sync_session(api, doc_id, **machine(backend))
    assert [c.id for c in result.plan.withdrawn] == ["C0002"]
    by_id = {r["ID"]: r for r in rows(backend, session.spreadsheet_id)}
    assert by_id["C0001"]["Speaker"] == "Aroha Ngata"
    assert by_id["C0002"]["Status"] == "withdrawn"
    matrix = backend.clients.sheets.http_client.values_get(
        session.spreadsheet_id, quote_sheet(MATRIX)
    ).get("values", [])
    flat = "\n".join("\n".join(r) for r in matrix)
    assert "C0001" in flat and "C0002" not in flat


def test_edits_keep_identity_and_curation_survives_sorting(backend, session) -> None:
    api = backend.api()
    doc_id = session.document_id
    for n in range(4):
        add_note(api, doc_id, "Q2", f"Investors: Action number {n} for the peers")
    m = machine(backend)
    sync_session(api, doc_id, **m)
    http = backend.clients.sheets.http_client
    final_col = "KLMN"[list(HEADER[10:]).index("Final wording")]
    http.values_update(
        session.spreadsheet_id,
        f"{quote_sheet(CONTRIBUTIONS)}!{final_col}3",
        params={"valueInputOption": "RAW"},
        body={"values": [["Curated C0002"]]},
    )
    # A person sorts the tab by Contribution, descending: C0004 is now on row 2.
    meta = http.fetch_sheet_metadata(session.spreadsheet_id)
    sheet_id = next(
        s["properties"]["sheetId"]
        for s in meta["sheets"]
        if s["properties"]["title"] == CONTRIBUTIONS
    )
    http.batch_update(
        session.spreadsheet_id,
        {
            "requests": [
                {
                    "sortRange": {
                        "range": {"sheetId": sheet_id, "startRowIndex": 1},
                        "sortSpecs": [{"dimensionIndex": 3, "sortOrder": "DESCENDING"}],
                    }
                }
            ]
        },
    )
    api.update_document(
        doc_id,
        [
            {
                "replaceAllText": {
                    "containsText": {"text": "Action number 1 for", "matchCase": True},
                    "replaceText": "Action number one, reworded, for",
                }
            }
        ],
    )
    result = sync_session(api, doc_id, **m)
    assert [c.id for c in result.plan.edited] == ["C0002"]
    assert result.plan.added == []
    after = {r["ID"]: r for r in rows(backend, session.spreadsheet_id)}
    assert len(after) == 4
    assert after["C0002"]["Contribution"] == "Action number one, reworded, for the peers"
    assert after["C0002"]["Status"] == "edited"
    assert after["C0002"]["Final wording"] == "Curated C0002"
    assert rows(backend, session.spreadsheet_id)[0]["ID"] == "C0004"


def test_removals_are_marked_and_mass_removal_needs_consent(backend, session, cli) -> None:
    api = backend.api()
    doc_id = session.document_id
    for n in range(4):
        add_note(api, doc_id, "Q3", f"Governments: Step {n}")
    assert cli("sync", doc_id).exit_code == 0
    doc = api.get_document(doc_id)
    first = find_paragraph(doc, "Governments: Step 0")
    last = find_paragraph(doc, "Governments: Step 3")
    # Someone wipes the whole list except one line.
    api.update_document(
        doc_id,
        [
            {
                "deleteContentRange": {
                    "range": {"startIndex": first["startIndex"], "endIndex": last["startIndex"]}
                }
            }
        ],
    )
    refused = cli("sync", doc_id)
    assert refused.exit_code == 6
    assert refused.stderr.strip().endswith(
        "error: this sync would mark 3 of 4 contributions as removed from the Doc; the shared "
        "Doc was probably damaged (restore it from File > Version history), or run sync again "
        "with --accept-removals if the removals are intended"
    )
    assert {r["Status"] for r in rows(backend, session.spreadsheet_id)} == {"in doc"}
    accepted = cli("sync", doc_id, "--accept-removals", "--json")
    assert accepted.exit_code == 0, accepted.stderr
    assert len(json.loads(accepted.stdout)["removed"]) == 3
    statuses = [r["Status"] for r in rows(backend, session.spreadsheet_id)]
    assert statuses == ["removed from doc"] * 3 + ["in doc"]


def test_no_change_sync_reads_doc_and_sheet_and_journal_keeps_the_words(
    backend, session, cli
) -> None:
    api = backend.api()
    add_note(api, session.document_id, "Q1", "Investors: Keep this (Ana, investors)")
    assert cli("sync", session.document_id).exit_code == 0
    before = len(backend.requests())
    again = cli("sync", session.document_id)
    assert again.stdout.strip() == "no change since the last sync"
    # The Doc and the Sheet, read at once: the Sheet is checked even when the Doc is unchanged.
    assert sorted((r.api, r.method) for r in backend.requests()[before:]) == [
        ("docs", "GET"),
        ("sheets", "GET"),
    ]
    history = cli("history", session.document_id, "--json")
    entries = json.loads(history.stdout)
    assert len(entries) == 1 and entries[0]["summary"]["added"] == 1
    # As text: one line per sync, its counts in the words watch gives a round.
    (line,) = cli("history", session.document_id).stdout.splitlines()
    assert line == (
        f"{entries[0]['at']}  1 contributions (+1 ~0 -0, 0 withdrawn, 0 unassigned)  (full copy)"
    )
    journal = Journal(backend.data_dir / "journal")
    (entry,) = list(journal.entries(session.document_id))
    assert entry["contributions"][0]["text"] == "Investors: Keep this (Ana, investors)"


def test_dry_run_writes_nothing(backend, session, cli) -> None:
    add_note(backend.api(), session.document_id, "Q1", "Investors: Maybe")
    before = len(backend.requests())
    result = cli("sync", session.document_id, "--dry-run", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["added"][0]["text"] == "Investors: Maybe"
    assert all(r.method == "GET" for r in backend.requests()[before:])
    assert rows(backend, session.spreadsheet_id) == []


def test_two_moderators_syncing_at_once_converge(backend, session) -> None:
    api = backend.api()
    doc_id = session.document_id
    for n in range(6):
        add_note(api, doc_id, "Q4", f"Investors: Concurrent {n}")
    machines = [machine(backend, "a"), machine(backend, "b")]
    errors: list[BaseException] = []

    def run(m: dict) -> None:
        try:
            sync_session(backend.api(), doc_id, **m)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(m,)) for m in machines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for m in machines:
        sync_session(api, doc_id, **m)
    ids = [r["ID"] for r in rows(backend, session.spreadsheet_id)]
    assert sorted(ids) == [f"C{n:04d}" for n in range(1, 7)]
    doc = api.get_document(doc_id)
    anchors = [n for n in doc["namedRanges"] if n.startswith("gdoc_sync:c:")]
    assert sorted(anchors) == [f"gdoc_sync:c:C{n:04d}" for n in range(1, 7)]


def test_note_lands_at_the_end_of_the_question_and_rejects_unknown_questions(
    backend, session, cli
) -> None:
    doc_id = session.document_id
    ok = cli("note", doc_id, "-q", "Q2", "Investors: First", "--speaker", "Ana", "--online")
    assert ok.exit_code == 0 and ok.stdout.strip() == "added to Q2: Investors: First (Ana, online)"
    assert cli("note", doc_id, "-q", "Q2", "CSO: Second").exit_code == 0
    doc = backend.api().get_document(doc_id)
    first = find_paragraph(doc, "Investors: First")
    second = find_paragraph(doc, "CSO: Second")
    assert first["endIndex"] == second["startIndex"]
    assert first["paragraph"]["bullet"]["listId"] == second["paragraph"]["bullet"]["listId"]
    bad = cli("note", doc_id, "-q", "Q9", "x")
    assert bad.exit_code == 2
    assert bad.stderr.strip().endswith(
        "error: --question Q9: no such policy question in this Doc (known: Q1, Q2, Q3, Q4)"
    )


def test_watch_rides_out_transient_errors(backend, session) -> None:
    from gdoc_sync.emulator.faults import Fault
    from gdoc_sync.google.retry import RetryPolicy

    api = backend.api(retry=RetryPolicy(attempts=1, sleep=lambda _: None))
    add_note(api, session.document_id, "Q1", "Investors: During watch")
    lines: list[str] = []
    backend.emulator.faults.add(
        Fault(action="error", status=503, path="/v1/documents/", method="GET", times=1)
    )
    rounds = watch_session(
        api,
        session.document_id,
        options=SyncOptions(),
        interval=0,
        rounds=3,
        status=lines.append,
        sleep=lambda _: None,
        clock=lambda: "t",
        **machine(backend),
    )
    assert rounds == 3
    assert lines[0].startswith("[t] will retry: reading document")
    assert lines[1].startswith("[t] 1 contributions (+1")
    assert lines[2] == "[t] no change"


def test_sync_grows_a_tab_people_trimmed(backend, session) -> None:
    """Blank rows deleted by hand: the write reaches past the tab's grid (Sheets'
    GridLimitExceeded), and sync grows the tab and writes every contribution."""
    from faultsuite import trim_rows

    api = backend.api()
    trim_rows(api, session.spreadsheet_id, {CONTRIBUTIONS: 2})
    lines = [
        "Governments: Fund research on tech risks (Mei Lin, civil society)",
        "Investors: Publish HRDD policies (Zoë Ångström, investors)",
        "Tech companies: Open a human rights desk (Dana Levi, investors)",
    ]
    for line in lines:
        add_note(api, session.document_id, "Q1", line)
    sync_session(api, session.document_id, **machine(backend))
    written = [r["Contribution"] for r in rows(backend, session.spreadsheet_id)]
    assert len(written) == 3
    for line in lines:
        assert any(w and w in line for w in written), (line, written)


def test_sync_refuses_a_doc_that_is_not_a_session(backend, cli) -> None:
    doc = backend.clients.docs.documents().create(body={"title": "Just a doc"}).execute()
    result = cli("sync", doc["documentId"])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        f"error: document {doc['documentId']} is not a gdoc-sync session Doc: it names no "
        "companion Sheet (create one with `gdoc-sync create TEMPLATE`)"
    )
    wrong = cli("sync", "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit")
    assert wrong.exit_code == 2 and "is a Google Sheets URL" in wrong.stderr
    missing = cli("sync", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")
    assert missing.exit_code == 3
    assert "not found, or this account cannot see it" in missing.stderr


def test_mass_removal_error_is_raised_by_the_library_too(backend, session) -> None:
    api = backend.api()
    for n in range(3):
        add_note(api, session.document_id, "Q1", f"Investors: Gone {n}")
    sync_session(api, session.document_id, **machine(backend))
    doc = api.get_document(session.document_id)
    a, c = find_paragraph(doc, "Gone 0"), find_paragraph(doc, "Gone 2")
    api.update_document(
        session.document_id,
        [
            {
                "deleteContentRange": {
                    "range": {"startIndex": a["startIndex"], "endIndex": c["endIndex"] - 1}
                }
            }
        ],
    )
    with pytest.raises(MassRemovalError):
        sync_session(api, session.document_id, **machine(backend))


def test_watch_stops_cleanly_on_ctrl_c(backend, session) -> None:
    api = backend.api()
    add_note(api, session.document_id, "Q1", "Investors: Before the break")
    lines: list[str] = []

    def interrupted(_: float) -> None:
        raise KeyboardInterrupt

    rounds = watch_session(
        api,
        session.document_id,
        options=SyncOptions(),
        interval=10,
        status=lines.append,
        sleep=interrupted,
        clock=lambda: "t",
        **machine(backend),
    )
    assert rounds == 1
    assert lines[-1] == "stopped"
    assert [r["ID"] for r in rows(backend, session.spreadsheet_id)] == ["C0001"]
