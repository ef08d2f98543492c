"""Fault injection: every command under every fault at every request position keeps its promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultsuite import (
    COMMANDS,
    CONCURRENT,
    FAULTS,
    FaultSuite,
    Summary,
    suite_apis,
)

from gdoc_sync.create import CreateOptions, create_session
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import UnavailableError
from gdoc_sync.model import RANGE_QUESTION
from gdoc_sync.note import add_note
from gdoc_sync.template import load_template

pytestmark = pytest.mark.slow

TEMPLATE = "igf2025-ws354"

@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    suite = FaultSuite(tmp_path_factory.mktemp("faultsuite"), seed=354)
    result = suite.run_all(progress=print)
    print(f"\n{result.line()} ({result.seconds:.1f} s)")
    return result


def test_fault_suite(summary: Summary) -> None:
    print(summary.line())
    assert len(summary.scenarios) >= 200
    covered = {(s.command, s.fault) for s in summary.scenarios}
    assert covered >= {(c, f) for c in COMMANDS for f in (*FAULTS, *CONCURRENT)}
    vacuous = [s.name for s in summary.scenarios if not s.fired]
    assert not vacuous, f"faults that never fired: {vacuous}"
    persistent = [
        s.name
        for s in summary.scenarios
        if s.fault == "500 persistent" and s.command != "watch" and s.outcome == "succeeded"
    ]
    assert not persistent
    violations = [f"{s.name}: {'; '.join(s.violations)}" for s in summary.violations]
    assert not violations, "\n".join(violations)
    assert summary.line().endswith(" 0 violations")


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
