"""What people do by hand stays theirs: corrections in the Sheet, cut and paste, duplicates,
sorting during a sync, look-alike contributions (issue 11, cases 3, 4, 5, 6 and 11).

Every test types into the Doc with the Docs API and edits the Sheet with gspread, as moderators
and rapporteurs do, and reads the result back through the same clients; expectations are written
from the test's own inputs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gdoc_sync.core.template import load_template
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import SyncOptions, SyncResult, sync_session
from gdoc_sync.workflows.watch import watch_session

CONTRIBUTIONS = "Contributions"


@pytest.fixture
def session(backend):
    return create_session(
        backend.api(), load_template("igf2025-ws354"), CreateOptions(notify=False)
    )


class Moderator:
    """One moderator's machine: its own local state and journal."""

    def __init__(self, backend, name: str = "m1") -> None:
        base = backend.data_dir / name
        self.state = LocalState(base / "state")
        self.journal = Journal(base / "journal")

    def sync(self, api: GoogleApi, document_id: str, **kwargs: Any) -> SyncResult:
        return sync_session(api, document_id, state=self.state, journal=self.journal, **kwargs)


def worksheet(backend, spreadsheet_id: str, title: str = CONTRIBUTIONS):
    return backend.clients.sheets.open_by_key(spreadsheet_id).worksheet(title)


def rows(backend, spreadsheet_id: str) -> list[dict[str, str]]:
    values = worksheet(backend, spreadsheet_id).get_all_values()
    header = values[0]
    return [dict(zip(header, r, strict=True)) for r in values[1:] if any(r)]


def by_id(backend, spreadsheet_id: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in rows(backend, spreadsheet_id):
        assert row["ID"] not in found, f"two rows for {row['ID']}"
        found[row["ID"]] = row
    return found


def type_cell(backend, spreadsheet_id: str, cid: str, column: str, value: Any) -> None:
    """A rapporteur types into the row of `cid` (wherever it is now)."""
    ws = worksheet(backend, spreadsheet_id)
    values = ws.get_all_values()
    header = values[0]
    number = next(i + 1 for i, r in enumerate(values) if r and r[header.index("ID")] == cid)
    ws.update_cell(number, header.index(column) + 1, value)


def matrix(backend, spreadsheet_id: str) -> dict[str, dict[str, str]]:
    """Matrix cells by group name, then by the question id its column heading starts with: the
    block from the top to the first empty row (other tables may follow below it)."""
    values = worksheet(backend, spreadsheet_id, "Matrix").get_all_values()
    heads = [h.split(".")[0] if "." in h else h for h in values[0]]
    block = []
    for r in values[1:]:
        if not any(r):
            break
        block.append(r)
    return {r[0]: dict(zip(heads, r, strict=False)) for r in block}


def action_rows(backend, spreadsheet_id: str) -> list[dict[str, str]]:
    values = worksheet(backend, spreadsheet_id, "Action points").get_all_values()
    return [dict(zip(values[0], r, strict=True)) for r in values[1:] if any(r)]


def paragraphs(api: GoogleApi, document_id: str) -> list[tuple[int, int, str, int | None]]:
    """(start, end, text, nesting level or None) of every body paragraph."""
    out = []
    for el in api.get_document(document_id)["body"]["content"]:
        if "paragraph" not in el:
            continue
        text = "".join(
            e.get("textRun", {}).get("content", "") for e in el["paragraph"].get("elements", [])
        )
        bullet = el["paragraph"].get("bullet")
        level = None if bullet is None else bullet.get("nestingLevel", 0)
        out.append((el["startIndex"], el["endIndex"], text.rstrip("\n"), level))
    return out


def paragraph(api: GoogleApi, document_id: str, starts: str) -> tuple[int, int, str, int | None]:
    for p in paragraphs(api, document_id):
        if p[2].startswith(starts):
            return p
    raise AssertionError(f"no paragraph starts with {starts!r}")


def add_detail(api: GoogleApi, document_id: str, under: str, detail: str) -> None:
    """An indented bullet below the paragraph starting `under`, as Tab in Docs makes one."""
    _start, end, _text, _level = paragraph(api, document_id, under)
    at = end - 1
    api.update_document(
        document_id,
        [
            {"insertText": {"location": {"index": at}, "text": "\n\t" + detail}},
            {
                "createParagraphBullets": {
                    "range": {"startIndex": at + 1, "endIndex": at + 2 + len(detail)},
                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                }
            },
        ],
    )
    assert paragraph(api, document_id, detail)[3] == 1


def delete(api: GoogleApi, document_id: str, first: str, last: str | None = None) -> None:
    """Select from the paragraph starting `first` to the end of the one starting `last` (or
    `first`), newline included, and press Delete."""
    start = paragraph(api, document_id, first)[0]
    end = paragraph(api, document_id, last or first)[1]
    api.update_document(
        document_id, [{"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}}]
    )


def doc_action_section(api: GoogleApi, document_id: str) -> str:
    doc = api.get_document(document_id)
    (named,) = doc["namedRanges"]["gdoc_sync:actions"]["namedRanges"]
    (span,) = named["ranges"]
    return "\n".join(
        text
        for start, _end, text, _ in paragraphs(api, document_id)
        if span["startIndex"] <= start < span["endIndex"]
    )


# -- case 3: a person's correction in sync's columns sticks ------------------------------------


UNASSIGNED = "Note: investors should publish their HRDD policies"
ALSO_UNASSIGNED = "Remember: regulators and the UN should align guidance"
ASSIGNED = "Governments: Regulate investor HRDD (Zoë Ångström, civil society)"


def test_a_group_typed_into_addressees_sticks_and_sync_matrix_finalize_report_agree(
    backend, session, cli
) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    for text in (UNASSIGNED, ALSO_UNASSIGNED, ASSIGNED):
        add_note(api, doc, "Q1", text)
    moderator = Moderator(backend)
    moderator.sync(api, doc)
    before = by_id(backend, sheet)
    assert (before["C0001"]["Addressees"], before["C0001"]["Status"]) == ("", "unassigned")

    # The rapporteur assigns the groups in the Sheet, by name and by short name.
    type_cell(backend, sheet, "C0001", "Addressees", "Investors")
    type_cell(backend, sheet, "C0002", "Addressees", "regulators; UN")
    # A moderator edits something else in the Doc, so the next sync has work to do.
    api.update_document(
        doc,
        [
            {
                "replaceAllText": {
                    "containsText": {"text": "Regulate investor HRDD", "matchCase": True},
                    "replaceText": "Regulate investor HRDD by 2027",
                }
            }
        ],
    )
    result = moderator.sync(api, doc)
    # ...and a second moderator, whose machine never saw these rows, syncs too.
    Moderator(backend, "m2").sync(api, doc)

    after = by_id(backend, sheet)
    assert after["C0001"]["Addressees"] == "Investors"
    assert after["C0002"]["Addressees"] == "regulators; UN"
    assert after["C0001"]["Status"] == "in doc" and after["C0002"]["Status"] == "in doc"
    assert after["C0001"]["Sync note"] == (
        "Addressees kept as typed in the Sheet (the Doc says: nothing)"
    )
    assert after["C0003"]["Contribution"] == "Regulate investor HRDD by 2027"
    assert after["C0003"]["Sync note"] == ""
    said = [p for p in result.problems if p.startswith("C0001: Addressees 'Investors'")]
    assert said == [
        "C0001: Addressees 'Investors' typed in the Sheet is kept; the Doc says nothing"
    ]
    assert result.plan.unassigned == []

    # The Matrix, finalize and the report read the same groups.
    cells = matrix(backend, sheet)
    assert cells["Unassigned"]["Q1"] == ""
    assert cells["Investors"]["Q1"] == f"C0001 {UNASSIGNED}"
    assert cells["Governments and regulators"]["Q1"].split("\n") == [
        f"C0002 {ALSO_UNASSIGNED}",
        "C0003 Regulate investor HRDD by 2027",
    ]
    assert cells["Intergovernmental organisations and the UN"]["Q1"] == f"C0002 {ALSO_UNASSIGNED}"
    finalize_session(api, doc, state=moderator.state)
    published = {
        (r["Stakeholder group"], r["Contribution ID"]) for r in action_rows(backend, sheet)
    }
    assert published == {
        ("Investors", "C0001"),
        ("Governments and regulators", "C0002"),
        ("Governments and regulators", "C0003"),
        ("Intergovernmental organisations and the UN", "C0002"),
    }
    assert doc_action_section(api, doc).split("\n") == [
        "Investors",
        f"{UNASSIGNED} [Q1, onsite]",
        "Governments and regulators",
        f"{ALSO_UNASSIGNED} [Q1, onsite]",
        "Regulate investor HRDD by 2027 [Q1, proposed by Civil society, onsite]",
        "Intergovernmental organisations and the UN",
        f"{ALSO_UNASSIGNED} [Q1, onsite]",
    ]
    report = cli("report", doc, "--format", "json")
    assert report.exit_code == 0, report.stderr
    questions = {q["id"]: q for q in json.loads(report.stdout)["policy_questions"]}
    issues = {p["id"]: p["addressees"] for p in questions["Q1"]["points"]}
    assert issues == {
        "C0001": ["Investors"],
        "C0002": ["Governments and regulators", "Intergovernmental organisations and the UN"],
        "C0003": ["Governments and regulators"],
    }

    # Once the Doc says the same as the correction, the cell is sync's again: no override.
    api.update_document(
        doc,
        [
            {
                "replaceAllText": {
                    "containsText": {"text": UNASSIGNED, "matchCase": True},
                    "replaceText": "Investors: investors should publish their HRDD policies",
                }
            }
        ],
    )
    moderator.sync(api, doc)
    final = by_id(backend, sheet)
    assert final["C0001"]["Addressees"] == "Investors"
    assert final["C0001"]["Sync note"] == ""


# -- case 4: delete and restore keeps identity and curation; a detail line is never a row -------

FIRST = "Investors: Engage portfolio companies on HRDD (Ana Silva, civil society)"
CURATED = "Governments: Publish the HRDD roadmap by 2026 (Mei Lin, UN)"
DETAIL = "with yearly progress reports"
LAST = "Civil society: Monitor the roadmap"
CURATION = {"Include": "TRUE", "Final wording": "Publish a dated HRDD roadmap", "Priority": "1"}


def curate(backend, sheet: str, cid: str, cells: dict[str, str]) -> None:
    for column, value in cells.items():
        type_cell(backend, sheet, cid, column, value)


def no_row_is_a_detail_line(backend, sheet: str) -> None:
    assert all(r["Contribution"] != DETAIL for r in rows(backend, sheet)), "a detail line row"


def test_a_curated_contribution_deleted_and_restored_returns_to_its_row(backend, session) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q2", CURATED)
    add_detail(api, doc, CURATED, DETAIL)
    add_note(api, doc, "Q2", FIRST)
    add_note(api, doc, "Q2", LAST)
    moderator = Moderator(backend)
    moderator.sync(api, doc)
    ids = {r["Contribution"].split("\n")[0]: r["ID"] for r in rows(backend, sheet)}
    cid = ids["Publish the HRDD roadmap by 2026"]
    assert (
        by_id(backend, sheet)[cid]["Contribution"] == f"Publish the HRDD roadmap by 2026\n{DETAIL}"
    )
    curate(backend, sheet, cid, CURATION)

    # 1. The moderator deletes the contribution's line, leaving its detail line, and syncs.
    delete(api, doc, CURATED)
    moderator.sync(api, doc)
    no_row_is_a_detail_line(backend, sheet)
    assert by_id(backend, sheet)[cid]["Status"] == "removed from doc"
    # 2. ...then retypes the line above its detail, and syncs: the old row, its curation back.
    start = paragraph(api, doc, DETAIL)[0]
    api.update_document(
        doc,
        [
            {"insertText": {"location": {"index": start}, "text": CURATED + "\n"}},
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": start, "endIndex": start + len(CURATED) + 1},
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                    "fields": "namedStyleType",
                }
            },
            {"deleteParagraphBullets": {"range": {"startIndex": start, "endIndex": start + 1}}},
            {
                "createParagraphBullets": {
                    "range": {"startIndex": start, "endIndex": start + 1},
                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                }
            },
        ],
    )
    assert paragraph(api, doc, CURATED)[3] == 0 and paragraph(api, doc, DETAIL)[3] == 1
    moderator.sync(api, doc)
    back = by_id(backend, sheet)
    assert len(back) == 3
    assert back[cid]["Status"] in ("in doc", "edited")
    assert back[cid]["Contribution"] == f"Publish the HRDD roadmap by 2026\n{DETAIL}"
    assert {k: back[cid][k] for k in CURATION} == CURATION
    no_row_is_a_detail_line(backend, sheet)

    # 3. Cut (line and detail), sync, paste back, sync: the same again.
    delete(api, doc, CURATED, DETAIL)
    moderator.sync(api, doc)
    assert by_id(backend, sheet)[cid]["Status"] == "removed from doc"
    add_note(api, doc, "Q2", CURATED)
    add_detail(api, doc, CURATED, DETAIL)
    moderator.sync(api, doc)
    back = by_id(backend, sheet)
    assert len(back) == 3
    assert back[cid]["Status"] in ("in doc", "edited")
    assert {k: back[cid][k] for k in CURATION} == CURATION
    no_row_is_a_detail_line(backend, sheet)
    names = api.get_document(doc)["namedRanges"]
    assert f"gdoc_sync:c:{cid}" in names

    # 4. Cut and pasted back between two syncs: the row never even shows it as removed.
    delete(api, doc, CURATED, DETAIL)
    add_note(api, doc, "Q2", CURATED)
    add_detail(api, doc, CURATED, DETAIL)
    moderator.sync(api, doc)
    back = by_id(backend, sheet)
    assert len(back) == 3 and back[cid]["Status"] in ("in doc", "edited")
    assert {k: back[cid][k] for k in CURATION} == CURATION

    finalize_session(api, doc, state=moderator.state)
    published = [r for r in action_rows(backend, sheet) if r["Contribution ID"] == cid]
    assert [r["Action point"] for r in published] == [CURATION["Final wording"]]


# -- case 5: the same contribution pasted twice ---------------------------------------------------

TWICE = "Investors: Publish voting records on HRDD resolutions (Ana Silva, civil society)"


def test_a_contribution_pasted_twice_is_flagged_and_published_once(backend, session, cli) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q3", TWICE)
    moderator = Moderator(backend)
    moderator.sync(api, doc)
    add_note(api, doc, "Q3", "Governments: Something else")
    add_note(api, doc, "Q3", TWICE)  # pasted again, further down
    synced = cli("sync", doc)
    assert synced.exit_code == 0, synced.stderr
    found = by_id(backend, sheet)
    assert [(cid, r["Status"]) for cid, r in found.items()] == [
        ("C0001", "in doc"),
        ("C0002", "in doc"),
        ("C0003", "duplicate"),
    ]
    assert found["C0003"]["Sync note"].startswith("the same as C0001 (pasted twice?)")
    assert (
        "warning: C0003 [Q3] is the same contribution as another one in the Doc (pasted "
        "twice?): marked duplicate, published once; " + TWICE
    ) in synced.stderr
    again = cli("sync", doc, "--dry-run", "--json")
    assert [c["id"] for c in json.loads(again.stdout)["duplicated_in_doc"]] == ["C0003"]
    body = "Publish voting records on HRDD resolutions"
    assert matrix(backend, sheet)["Investors"]["Q3"] == f"C0001 {body}"
    finalize_session(api, doc, state=moderator.state)
    investors = [r for r in action_rows(backend, sheet) if r["Stakeholder group"] == "Investors"]
    assert [(r["Contribution ID"], r["Action point"]) for r in investors] == [("C0001", body)]
    assert doc_action_section(api, doc).count(body) == 1


# -- case 6: a person sorts the Sheet while a sync writes -----------------------------------------

SPEAKERS = ["Ana Silva", "Bùi Thị Lan", "Chidi Okeke", "Dalia Haddad", "Eero Mäkinen"]
STEPS = [
    f"Investors: Action number {n} for the peers ({SPEAKERS[n]}, civil society)" for n in range(5)
]
REWORDED = {
    0: "Action number 0, reworded,",
    2: "Action number 2, reworded,",
    4: "Action, reworded, 4",
}


class Killed(BaseException):
    """The sync's process dies (SIGKILL): nothing after this point runs."""


class SortsDuringTheWrite(GoogleApi):
    """The real client; just before sync's first Sheet write, a rapporteur sorts Contributions
    by its Contribution column, Z to A, with gspread. `die`: the process is then killed right
    after the write landed."""

    def __init__(self, backend, die: bool = False) -> None:
        super().__init__(backend.clients, retry=backend.api().retry)
        self.backend = backend
        self.sheet = ""
        self.die = die
        self.sorted = False

    def update_values(self, spreadsheet_id: str, data: list[dict[str, Any]]) -> dict[str, Any]:
        if not self.sorted:
            self.sorted = True
            ws = worksheet(self.backend, spreadsheet_id)
            header = ws.row_values(1)
            ws.sort((header.index("Contribution") + 1, "des"))
        reply = super().update_values(spreadsheet_id, data)
        if self.die:
            raise Killed
        return reply


def reword(api: GoogleApi, doc: str, which: tuple[int, ...] = (0, 2, 4)) -> dict[str, str]:
    """Reword some contributions in the Doc; returns each id's expected Contribution cell."""
    expected = {}
    for n in range(5):
        words = f"Action number {n}"
        if n in which:
            api.update_document(
                doc,
                [
                    {
                        "replaceAllText": {
                            "containsText": {"text": f"{words} for", "matchCase": True},
                            "replaceText": f"{REWORDED[n]} for",
                        }
                    }
                ],
            )
            words = REWORDED[n]
        expected[f"C{n + 1:04d}"] = f"{words} for the peers"
    return expected


def curated_session(backend, session) -> tuple[GoogleApi, str, str, Moderator]:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    for text in STEPS:
        add_note(api, doc, "Q4", text)
    moderator = Moderator(backend)
    moderator.sync(api, doc)
    for n in range(5):
        cid = f"C{n + 1:04d}"
        curate(backend, sheet, cid, {"Final wording": f"curated {cid}", "Priority": str(n + 1)})
    return api, doc, sheet, moderator


def rows_hold_their_own_values(backend, sheet: str, expected: dict[str, str]) -> None:
    found = by_id(backend, sheet)
    assert sorted(found) == sorted(expected)
    for cid, text in expected.items():
        n = int(cid[1:])
        row = found[cid]
        assert row["Contribution"] == text, cid
        assert row["Speaker"] == SPEAKERS[n - 1], cid
        assert (row["Final wording"], row["Priority"]) == (f"curated {cid}", str(n)), cid
        assert row["Sync note"] == "", cid


def test_writes_land_on_the_right_rows_when_the_sheet_is_sorted_during_a_sync(
    backend, session
) -> None:
    api, doc, sheet, moderator = curated_session(backend, session)
    expected = reword(api, doc)
    sorting = SortsDuringTheWrite(backend)
    result = moderator.sync(sorting, doc)
    assert sorting.sorted
    rows_hold_their_own_values(backend, sheet, expected)
    statuses = {cid: r["Status"] for cid, r in by_id(backend, sheet).items()}
    assert statuses == {f"C{n + 1:04d}": "edited" if n in REWORDED else "in doc" for n in range(5)}
    assert sorted(result.plan.repaired) == ["C0001", "C0005"]  # the rows the sort swapped
    for cid in ("C0001", "C0005"):
        line = f"{cid}: its row held values meant for another row (sorted during a sync); repaired"
        assert line in result.problems
    assert rows(backend, sheet)[0]["ID"] == "C0005"  # the person's order stays
    # The next sync finds nothing to do.
    assert moderator.sync(api, doc).unchanged


def test_a_sync_killed_after_a_stray_write_is_repaired_by_the_next_one(backend, session) -> None:
    api, doc, sheet, moderator = curated_session(backend, session)
    expected = reword(api, doc, (0, 2))
    with pytest.raises(Killed):
        moderator.sync(SortsDuringTheWrite(backend, die=True), doc)
    stray = by_id(backend, sheet)
    assert stray["C0005"]["Contribution"] == expected["C0001"]  # C0001's words, C0005's row
    assert stray["C0005"]["Status"] == "edited"
    result = moderator.sync(api, doc)
    rows_hold_their_own_values(backend, sheet, expected)
    statuses = {cid: r["Status"] for cid, r in by_id(backend, sheet).items()}
    assert statuses == {f"C{n + 1:04d}": "edited" if n in (0, 2) else "in doc" for n in range(5)}
    assert result.plan.repaired == ["C0005"]  # C0001's own row simply gets its update


def test_a_sheet_that_no_longer_matches_is_repaired_even_when_the_doc_is_unchanged(
    backend, session
) -> None:
    api, doc, sheet, moderator = curated_session(backend, session)
    moderator.sync(api, doc)
    ws = worksheet(backend, sheet)
    number = next(i + 1 for i, r in enumerate(ws.get_all_values()) if r[0] == "C0003")
    ws.delete_rows(number)  # someone deletes a whole row by mistake
    result = moderator.sync(api, doc)
    assert not result.unchanged
    back = by_id(backend, sheet)
    assert sorted(back) == [f"C{n:04d}" for n in range(1, 6)]
    assert back["C0003"]["Contribution"] == "Action number 2 for the peers"
    assert back["C0003"]["Status"] == "in doc"
    assert moderator.sync(api, doc).unchanged


# -- case 11: look-alikes never take over a removed row ------------------------------------------

REMOVED = "Tech companies: Report on HRDD policies ref-14 (Ana Silva, civil society)"
LOOKALIKE = "Govt: Support HRDD policies ref-48 (Ana Silva, civil society)"
RETYPED_WITH_A_CHANGE = "Tech companies: Report on HRDD policy ref-14 (Ana Silva, civil society)"
KEPT = {"Include": "TRUE", "Final wording": "Tech firms report on HRDD", "Priority": "high"}


def test_a_look_alike_in_another_section_gets_its_own_row(backend, session) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q1", REMOVED)
    moderator = Moderator(backend)
    moderator.sync(api, doc)
    curate(backend, sheet, "C0001", KEPT)
    delete(api, doc, REMOVED)
    add_note(api, doc, "Q2", LOOKALIKE)
    result = moderator.sync(
        api,
        doc,
    )
    found = by_id(backend, sheet)
    assert found["C0001"]["Status"] == "removed from doc"
    assert {k: found["C0001"][k] for k in KEPT} == KEPT
    assert found["C0002"]["Contribution"] == "Support HRDD policies ref-48"
    assert found["C0002"]["Include"] != "TRUE"
    assert (found["C0002"]["Final wording"], found["C0002"]["Priority"]) == ("", "")
    assert found["C0002"]["Sync note"] == ""
    assert [c.id for c in result.plan.added] == ["C0002"]


def test_a_near_miss_gets_a_new_row_that_says_which_row_it_may_be(backend, session, cli) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q1", REMOVED)
    add_note(api, doc, "Q1", "Investors: Ask for evidence (Mei Lin, UN)")
    moderator = Moderator(backend)
    moderator.sync(api, doc)
    curate(backend, sheet, "C0001", KEPT)
    delete(api, doc, REMOVED)
    add_note(api, doc, "Q1", RETYPED_WITH_A_CHANGE)
    as_json = cli("sync", doc, "--dry-run", "--json")
    assert json.loads(as_json.stdout)["may_be"] == [{"id": "C0003", "may_be": "C0001"}]
    synced = cli("sync", doc)
    assert synced.exit_code == 0, synced.stderr
    found = by_id(backend, sheet)
    assert found["C0001"]["Status"] == "removed from doc"
    assert {k: found["C0001"][k] for k in KEPT} == KEPT
    assert found["C0003"]["Contribution"] == "Report on HRDD policy ref-14"
    assert found["C0003"]["Final wording"] == ""
    assert found["C0003"]["Sync note"].startswith("may be C0001 (removed from the Doc)")
    assert (
        "warning: C0003 [Q1] is a new row, but it may be C0001 (removed from the Doc) retyped "
        f"or pasted back with changes: {RETYPED_WITH_A_CHANGE}"
    ) in synced.stderr
    # The note stays on later syncs, until someone clears it.
    add_note(api, doc, "Q1", "UN: Convene the investors (Mei Lin, UN)")
    later = cli("sync", doc, "--json")
    assert later.exit_code == 0
    assert json.loads(later.stdout)["may_be"] == []
    assert by_id(backend, sheet)["C0003"]["Sync note"].startswith("may be C0001")
    type_cell(backend, sheet, "C0003", "Sync note", "")
    add_note(api, doc, "Q1", "UN: Convene the investors again (Mei Lin, UN)")
    assert cli("sync", doc).exit_code == 0
    assert by_id(backend, sheet)["C0003"]["Sync note"] == ""
    type_cell(backend, sheet, "C0003", "Sync note", "checked with the rapporteur")
    assert cli("sync", doc).exit_code == 0
    assert by_id(backend, sheet)["C0003"]["Sync note"] == ""  # sync's column, not a notepad


def test_an_exact_retype_long_after_the_removal_is_not_taken_back(backend, session) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q1", REMOVED)
    add_note(api, doc, "Q1", "Investors: Ask for evidence (Mei Lin, UN)")
    moderator = Moderator(backend)
    moderator.sync(api, doc, now=lambda: "2025-06-25T10:00:00Z")
    curate(backend, sheet, "C0001", KEPT)
    delete(api, doc, REMOVED)
    moderator.sync(api, doc, now=lambda: "2025-06-25T10:05:00Z")
    add_note(api, doc, "Q1", REMOVED)
    moderator.sync(api, doc, now=lambda: "2025-06-25T11:05:00Z")  # an hour after it left
    found = by_id(backend, sheet)
    assert found["C0001"]["Status"] == "removed from doc"
    assert {k: found["C0001"][k] for k in KEPT} == KEPT
    assert found["C0003"]["Contribution"] == "Report on HRDD policies ref-14"
    assert found["C0003"]["Sync note"].startswith("may be C0001")


# -- a Sheet made before sync kept notes and records ---------------------------------------------


def test_a_sheet_without_sync_note_and_record_columns_gets_them_once(backend, session) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    ws = worksheet(backend, sheet)
    header = ws.row_values(1)
    ws.delete_columns(header.index("Sync note") + 1, header.index("Sync record") + 1)
    assert "Sync note" not in ws.row_values(1)
    add_note(api, doc, "Q1", UNASSIGNED)
    Moderator(backend).sync(api, doc)
    assert ws.row_values(1)[-2:] == ["Sync note", "Sync record"]
    type_cell(backend, sheet, "C0001", "Addressees", "Investors")
    Moderator(backend).sync(api, doc)
    row = by_id(backend, sheet)["C0001"]
    assert row["Addressees"] == "Investors"
    assert row["Sync note"] == "Addressees kept as typed in the Sheet (the Doc says: nothing)"
    meta = backend.clients.sheets.http_client.fetch_sheet_metadata(
        sheet,
        params={
            "ranges": "'Contributions'!A1:Z1",
            "fields": "sheets.data.columnMetadata.hiddenByUser",
        },
    )
    hidden = [bool(c.get("hiddenByUser")) for c in meta["sheets"][0]["data"][0]["columnMetadata"]]
    header = ws.row_values(1)
    assert [header[i] for i, h in enumerate(hidden) if h and i < len(header)] == ["Sync record"]


def test_watch_says_a_duplicate_once(backend, session) -> None:
    api = backend.api()
    doc = session.document_id
    add_note(api, doc, "Q3", TWICE)
    add_note(api, doc, "Q3", TWICE)
    lines: list[str] = []
    moderator = Moderator(backend)

    def meanwhile(_: float) -> None:
        add_note(api, doc, "Q1", "UN: Convene the investors (Mei Lin, UN)")

    watch_session(
        api,
        doc,
        state=moderator.state,
        journal=moderator.journal,
        options=SyncOptions(),
        interval=0,
        rounds=2,
        status=lines.append,
        sleep=meanwhile,
        clock=lambda: "t",
    )
    duplicate = (
        "  warning: C0002 [Q3] is the same contribution as another one in the Doc (pasted "
        f"twice?): marked duplicate, published once; {TWICE}"
    )
    assert lines.count(duplicate) == 1
    assert lines[0].startswith("[t] 2 contributions (+2") and lines[-1].startswith("[t] 3 contrib")


def test_a_recreated_contributions_tab_without_the_columns_gets_them_too(backend, session) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q1", UNASSIGNED)
    moderator = Moderator(backend)
    moderator.sync(api, doc)
    book = backend.clients.sheets.open_by_key(sheet)
    old = book.worksheet(CONTRIBUTIONS)
    values = [r[:14] for r in old.get_all_values()]  # up to Rapporteur note
    assert values[0][-1] == "Rapporteur note"
    # Someone rebuilds the tab by hand: a new sheet (another id) with the same cells.
    book.del_worksheet(old)
    new = book.add_worksheet(CONTRIBUTIONS, rows=50, cols=14)
    new.update(values, "A1", raw=True)
    add_note(api, doc, "Q1", ASSIGNED)
    moderator.sync(api, doc)
    assert new.row_values(1)[-2:] == ["Sync note", "Sync record"]
    assert [r["ID"] for r in rows(backend, sheet)] == ["C0001", "C0002"]


def test_a_deleted_row_of_a_removed_contribution_is_written_again_from_the_journal(
    backend, session, cli
) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q1", ASSIGNED)
    add_note(api, doc, "Q1", REMOVED)
    add_note(api, doc, "Q1", "Investors: Ask for evidence (Mei Lin, UN)")
    assert cli("sync", doc).exit_code == 0
    delete(api, doc, REMOVED)
    assert cli("sync", doc).exit_code == 0
    assert by_id(backend, sheet)["C0002"]["Status"] == "removed from doc"
    ws = worksheet(backend, sheet)
    number = next(i + 1 for i, r in enumerate(ws.get_all_values()) if r[0] == "C0002")
    ws.delete_rows(number)  # the Doc no longer has it, and now neither has the Sheet
    assert "C0002" not in by_id(backend, sheet)
    synced = cli("sync", doc)  # the Doc is unchanged
    assert synced.exit_code == 0, synced.stderr
    row = by_id(backend, sheet)["C0002"]
    assert (row["Contribution"], row["Addressees"], row["Speaker"]) == (
        "Report on HRDD policies ref-14",
        "Technology companies",
        "Ana Silva",
    )
    assert row["Status"] == "removed from doc"
    assert row["Sync note"] == "the row was missing from the Sheet: written again from the journal"
    assert (
        "warning: C0002 [Q1]: its row was missing from the Sheet; written again from the "
        "journal, as removed from the Doc: Report on HRDD policies ref-14"
    ) in synced.stderr
    assert cli("sync", doc).stdout.strip() == "no change since the last sync"
