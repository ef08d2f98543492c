"""Fault injection: every command under every fault at every request position keeps its promises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import people
import pytest
from faultsuite import (
    CATEGORIES,
    COMMANDS,
    CONCURRENT,
    DOC_EDITS,
    FAULTS,
    NOT_COUNTED,
    SHEET_EDITS,
    TWO_FAULTS,
    Ctx,
    FaultSuite,
    Summary,
    show,
    suite_apis,
)

from gdoc_sync.core.model import RANGE_QUESTION
from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import UnavailableError
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import sync_session

pytestmark = pytest.mark.slow

TEMPLATE = "igf2025-ws354"


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    suite = FaultSuite(tmp_path_factory.mktemp("faultsuite"), seed=354)
    result = suite.run_all(progress=print)
    print(f"\n{result.line()} ({result.seconds:.1f} s)")
    return result


def test_fault_suite(summary: Summary, request: pytest.FixtureRequest) -> None:
    show(request, summary.line())
    assert len(summary.counted) >= 500
    covered = {(s.command, s.fault) for s in summary.scenarios}
    assert covered >= {(c, f) for c in COMMANDS for f in (*FAULTS, *CONCURRENT, *TWO_FAULTS)}
    edited = {c for c in COMMANDS if c != "create"}
    assert covered >= {(c, f) for c in edited for f in (*SHEET_EDITS, *DOC_EDITS)}
    counts = summary.by_category()
    assert all(counts[name] > 0 for name in CATEGORIES)
    assert all(s.category == "not counted" for s in summary.scenarios if s.fault in NOT_COUNTED)
    vacuous = [s.name for s in summary.scenarios if not s.fired]
    assert not vacuous, f"faults that never fired: {vacuous}"
    persistent = [
        s.name
        for s in summary.scenarios
        if s.fault == "500 persistent" and s.command != "watch" and s.outcome == "succeeded"
    ]
    assert not persistent
    # A write's error, then reads failing for good: each command meets it at least once (a
    # command whose last request is that write may still succeed).
    gave_up = {s.command for s in summary.scenarios if s.fault in TWO_FAULTS and s.error}
    assert gave_up >= set(COMMANDS) - {"watch"}, gave_up
    violations = [f"{s.name}: {'; '.join(s.violations)}" for s in summary.violations]
    assert not violations, "\n".join(violations)
    assert " 0 violations;" in summary.line()


# -- the oracle has teeth: each kind of damage is reported ---------------------------------------


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> FaultSuite:
    return FaultSuite(tmp_path_factory.mktemp("oracle"))


def synced_session(suite: FaultSuite) -> Ctx:
    """A fresh copy of the baseline, synced: the oracle finds nothing wrong with it."""
    ctx = suite.fresh("sync")
    sync_session(suite.side, ctx.document_id, state=ctx.a.state, journal=ctx.a.journal)
    ctx.model.mark_synced()
    assert suite._check_all(ctx) == []
    return ctx


def _put(suite: FaultSuite, ctx: Ctx, tab: str, a1: str, row: list[str]) -> None:
    suite.people.sheets.http_client.values_update(
        ctx.spreadsheet_id, f"'{tab}'!{a1}", {"valueInputOption": "RAW"}, {"values": [row]}
    )


def _cell(suite: FaultSuite, ctx: Ctx, a1: str, value: str) -> None:
    _put(suite, ctx, "Contributions", a1, [value])


def _doc_line(ctx: Ctx, key: str) -> str:
    return ctx.model.typed[key].line


Damage = Callable[[FaultSuite, Ctx], None]


@pytest.mark.parametrize(
    "damage, reported",
    [
        (lambda s, c: _cell(s, c, "D2", "Make HRDD optional"), "row C0001 holds"),
        (lambda s, c: _cell(s, c, "L3", "Share nothing"), "C0002 Final wording"),
        (lambda s, c: _cell(s, c, "A4", "C0002"), "duplicated Sheet rows"),
        (lambda s, c: _cell(s, c, "H2", "withdrawn"), "C0001 status"),
        (
            lambda s, c: people.paste_again(s.people, c.document_id, "Q3", _doc_line(c, "K6")),
            "time(s) in Q3",
        ),
        (lambda s, c: people.strike(s.people, c.document_id, _doc_line(c, "K7")), "struck through"),
        (
            lambda s, c: people.type_line(s.people, c.document_id, "Q1", "Investors: Made up (X)"),
            "a line nobody typed",
        ),
        (lambda s, c: _put(s, c, "Matrix", "B2", ["C0009 Other"]), "Matrix Investors x Q1"),
        (
            lambda s, c: _put(s, c, "Action points", "A2", ["Investors", "1", "X"]),
            "nobody finalized",
        ),
    ],
)
def test_the_oracle_reports_damage(suite: FaultSuite, damage: Damage, reported: str) -> None:
    ctx = synced_session(suite)
    damage(suite, ctx)
    problems = suite._check_all(ctx)
    assert any(reported in p for p in problems), problems


def test_the_oracle_reports_a_wrong_action_list(suite: FaultSuite) -> None:
    from gdoc_sync.workflows.finalize import finalize_session

    ctx = synced_session(suite)
    finalize_session(suite.side, ctx.document_id, state=ctx.a.state)
    ctx.model.finalized = True
    assert suite._check_all(ctx) == []
    ctx.model.curation["C0002"]["Priority"] = "0"  # the model now expects C0002 first
    ctx.model.curation["C0001"]["Include"] = "FALSE"
    problems = suite._check_all(ctx)
    assert any("Action points tab holds" in p for p in problems), problems
    assert any("Doc's Action points section holds" in p for p in problems), problems


def test_the_oracle_reports_a_journal_naming_unknown_ids(tmp_path: Path) -> None:
    from oracle import check_journal

    (tmp_path / "d.jsonl").write_text('{"id": "C0042"}\n{"torn": \n{"ok": 1}\n')
    problems = check_journal(tmp_path, {"C0001"})
    assert any("line 2 is not a whole entry" in p for p in problems), problems
    assert any("C0042" in p for p in problems), problems


# -- minimal reproductions of what the suite found ------------------------------------------------


@pytest.mark.parametrize("action", ["apply_then_fail", "apply_then_drop"])
def test_note_whose_answer_is_lost_is_added_once(action: str) -> None:
    em, api, side = suite_apis()
    created = create_session(side, load_template(TEMPLATE), CreateOptions(notify=False))
    line = "Investors: Publish engagement outcomes (Ana Silva, investors)"
    em.faults.add(Fault(action, path=r":batchUpdate$", method="POST", status=500))
    add_note(api, created.document_id, "Q1", line)
    doc = side.get_document(created.document_id)
    text = "".join(
        run.get("textRun", {}).get("content", "")
        for el in doc["body"]["content"]
        for run in el.get("paragraph", {}).get("elements", [])
    )
    assert text.count(line) == 1


def test_two_organizers_creating_at_once_make_one_session() -> None:
    em, api, side = suite_apis()
    template = load_template(TEMPLATE)

    def other_organizer(position: int) -> None:
        if position == 0:  # right after the first create's Drive search found nothing
            em.after_request = None
            create_session(side, template, CreateOptions(notify=False))

    em.after_request = other_organizer
    first = create_session(api, template, CreateOptions(notify=False))
    found = side.find_files(
        "appProperties has { key='gdocSyncRole' and value='document' } and trashed = false"
    )
    assert [f["id"] for f in found] == [first.document_id]
    again = create_session(side, template, CreateOptions(notify=False))
    assert again.existed and again.document_id == first.document_id


def test_two_organizers_creating_at_once_write_the_doc_once() -> None:
    em, api, side = suite_apis()
    template = load_template(TEMPLATE)

    def other_organizer(position: int) -> None:
        if position == 4:  # both files exist and the Sheet is laid out; the Doc is still empty
            em.after_request = None
            create_session(side, template, CreateOptions(notify=False))

    em.after_request = other_organizer
    created = create_session(api, template, CreateOptions(notify=False))
    doc = side.get_document(created.document_id)
    ranges = doc.get("namedRanges") or {}
    assert len(ranges[RANGE_QUESTION + "Q1"]["namedRanges"]) == 1


@pytest.mark.parametrize("action", ["apply_then_fail", "apply_then_drop"])
def test_create_survives_a_lost_answer_to_a_file_create(action: str) -> None:
    """The file's id is reserved, so the retry's 409 means the first attempt landed."""
    em, api, side = suite_apis()
    em.faults.add(Fault(action, path=r"^/drive/v3/files$", method="POST", status=500))
    created = create_session(api, load_template(TEMPLATE), CreateOptions(notify=False))
    query = f"appProperties has {{ key='gdocSyncSession' and value='{created.session_id}' }}"
    found = side.find_files(query)
    assert len(found) == 2


def test_create_finds_its_unanswered_doc_layout_and_lays_it_out_once() -> None:
    """The Doc's layout is written with the revision just read: a repeat after a lost answer is
    refused, create looks again, sees the layout and goes on."""
    em, api, side = suite_apis()
    template = load_template(TEMPLATE)
    em.faults.add(
        Fault("apply_then_drop", path=r"^/v1/documents/[^/]+:batchUpdate$", method="POST")
    )
    created = create_session(api, template, CreateOptions(notify=False))
    ranges = side.get_document(created.document_id).get("namedRanges") or {}
    assert len(ranges[RANGE_QUESTION + "Q1"]["namedRanges"]) == 1


def test_create_reports_an_unanswered_sheet_layout_cleanly_and_completes_next_time() -> None:
    """A lost answer to the Sheet's layout is not retried (a repeat would add its tabs twice):
    a clean error, and the next create finishes the session."""
    em, api, side = suite_apis()
    template = load_template(TEMPLATE)
    em.faults.add(
        Fault("apply_then_drop", path=r"^/v4/spreadsheets/[^/]+:batchUpdate$", method="POST")
    )
    with pytest.raises(UnavailableError, match="no answer from the server"):
        create_session(api, template, CreateOptions(notify=False))
    created = create_session(side, template, CreateOptions(notify=False))
    assert created.existed
    ranges = side.get_document(created.document_id).get("namedRanges") or {}
    assert len(ranges[RANGE_QUESTION + "Q1"]["namedRanges"]) == 1


def test_harness_sees_the_clean_request_sequence(tmp_path: Path) -> None:
    suite = FaultSuite(tmp_path)
    note = suite.record_clean("note")
    assert note[0][0] == "GET" and note[-1][0] == "POST" and "/v1/documents/" in note[0][1]
    sync = suite.record_clean("sync")
    assert sync[0] == note[0] and len(sync) >= 3  # the Doc first, then the Sheet, then writes
