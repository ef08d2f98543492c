"""Request budgets: how many API calls each workflow makes, counted in the emulator's log."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Backend

from gdoc_sync.core.template import load_template
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreatedSession, CreateOptions, Share, create_session
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import add_note, plan_note
from gdoc_sync.workflows.sync import sync_session

TEMPLATE = "igf2025-ws354"
GROUPS = ["Investors", "Tech companies", "Governments", "CSOs", "UN"]
PEOPLE = [Share("moderator@example.org", "writer"), Share("rapporteur@example.org", "commenter")]

# Docs and Sheets calls are counted as reads and writes (which read method is used may change;
# the budget may not); Drive calls by method, as create's budget is stated in them.
CREATE_CALLS = [
    "drive.files.list",  # is this session already there? (create is idempotent)
    "drive.files.generateIds",  # the Doc's and the Sheet's ids, so each names the other
    "drive.files.create",  # the Doc
    "drive.files.create",  # the Sheet
    "drive.files.list",  # did another organizer create the same session meanwhile?
    "sheets write",  # tabs, headers, formats, config: one batchUpdate
    "docs read",  # the Doc's revision, so the layout cannot be written twice
    "docs write",  # the whole Doc layout and its named ranges: one batchUpdate
]
_DRIVE = [
    ("GET", r"^/drive/v3/files$", "drive.files.list"),
    ("GET", r"^/drive/v3/files/generateIds$", "drive.files.generateIds"),
    ("POST", r"^/drive/v3/files$", "drive.files.create"),
    ("POST", r"^/drive/v3/files/[^/]+/permissions$", "drive.permissions.create"),
    ("GET", r"^/drive/v3/files/[^/]+/permissions$", "drive.permissions.list"),
    ("GET", r"^/drive/v3/files/[^/]+$", "drive.files.get"),
]


def label(entry: Any) -> str:
    """`docs read`, `sheets write`..., or the Drive method."""
    if entry.api == "drive":
        for method, pattern, name in _DRIVE:
            if entry.method == method and re.search(pattern, entry.path):
                return name
    return f"{entry.api} {'read' if entry.method == 'GET' else 'write'}"


def calls(backend: Backend, action: Callable[[], Any]) -> list[str]:
    """What `action` called, in order."""
    backend.emulator.log.clear()
    action()
    return [label(e) for e in backend.requests()]


def read_together(made: list[str]) -> list[str]:
    """A sync that knows its Sheet reads the Doc and the Sheet at once (one round trip): the two
    reads may be logged in either order."""
    return sorted(made[:2]) + made[2:]


def lines(n: int) -> list[str]:
    return [
        f"{GROUPS[i % len(GROUPS)]}: Publish step {i} of the HRDD roadmap "
        f"(Speaker {i}, civil society{', online' if i % 3 == 0 else ''})"
        for i in range(n)
    ]


class Session:
    """A created session, with the local state a moderator's machine keeps."""

    def __init__(self, backend: Backend, tmp_path: Path, title: str) -> None:
        self.backend = backend
        self.api = backend.api()
        template = load_template(TEMPLATE, {"title": title})
        self.created: CreatedSession = create_session(
            self.api, template, CreateOptions(notify=False)
        )
        self.doc = self.created.document_id
        self.state = LocalState(tmp_path / title / "state")
        self.journal = Journal(tmp_path / title / "journal")

    def fill(self, n: int, question: str = "Q1") -> None:
        """n contributions as bullets of one section, in one Docs batchUpdate."""
        doc = self.api.get_document(self.doc)
        self.api.update_document(self.doc, plan_note(doc, question, "\n".join(lines(n))))

    def sync(self) -> Any:
        return sync_session(self.api, self.doc, state=self.state, journal=self.journal)


def test_create_is_eight_requests_plus_two_per_person(backend: Backend) -> None:
    api = backend.api()
    alone = load_template(TEMPLATE, {"title": "Budget: nobody shared"})
    assert calls(backend, lambda: create_session(api, alone, CreateOptions(notify=False))) == (
        CREATE_CALLS
    )
    shared = load_template(TEMPLATE, {"title": "Budget: two people"})
    made = calls(
        backend, lambda: create_session(api, shared, CreateOptions(shares=PEOPLE, notify=False))
    )
    # Drive permissions are per file: each person costs one on the Doc and one on the Sheet.
    assert made == CREATE_CALLS + ["drive.permissions.create"] * 2 * len(PEOPLE)


@pytest.mark.parametrize("n", [10, 300])
def test_sync_budgets_do_not_grow_with_contributions(
    backend: Backend, tmp_path: Path, n: int
) -> None:
    session = Session(backend, tmp_path, f"Budget sync {n}")
    first = calls(backend, session.sync)  # empty Doc: learns the Sheet and the revision
    assert first == ["docs read", "sheets read"]

    session.fill(n)
    changed = calls(backend, session.sync)
    assert read_together(changed) == [
        "docs read",  # the Doc, and at the same time:
        "sheets read",  # the Contributions and Config tabs, in one read
        "docs write",  # anchor the n new contributions (named ranges), one batchUpdate
        "sheets write",  # the new rows and the Matrix, in one write
    ]  # new rows only: appended past the last row, where a person's sort cannot move them
    assert len(changed) <= 4

    # The Sheet is read every time, so that a Sheet that no longer matches the Doc (sorted under
    # a sync's write, a row deleted) is repaired even when the Doc has not changed.
    unchanged = calls(backend, session.sync)
    assert sorted(unchanged) == ["docs read", "sheets read"]

    # An edit: no new anchors, so one request fewer.
    doc = session.api.get_document(session.doc)
    edit = [
        {
            "replaceAllText": {
                "containsText": {"text": "Publish step 3 ", "matchCase": True},
                "replaceText": "Publish, with evidence, step 3 ",
            }
        }
    ]
    session.api.update_document(session.doc, edit, required_revision_id=doc["revisionId"])
    edited = calls(backend, session.sync)
    assert read_together(edited) == [
        "docs read",
        "sheets read",
        "sheets write",  # the edited row and the Matrix
        "sheets read",  # read back: every row written holds what was meant for its id
    ]


@pytest.mark.parametrize("n", [10, 300])
def test_note_and_finalize_budgets_do_not_grow(backend: Backend, tmp_path: Path, n: int) -> None:
    session = Session(backend, tmp_path, f"Budget note {n}")
    session.sync()
    session.fill(n)
    session.sync()

    noted = calls(backend, lambda: add_note(session.api, session.doc, "Q2", "UN: Convene (A, UN)"))
    assert noted == ["docs read", "docs write"]

    final: list[Any] = []
    finalized = calls(
        backend,
        lambda: final.append(finalize_session(session.api, session.doc, state=session.state)),
    )
    assert finalized == [
        "docs read",
        "sheets read",  # Contributions, Config and Action points, in one read
        "docs write",  # the Action points section only
        "sheets write",  # the Action points tab
    ]
    assert final[0].actions.count == n  # each contribution addresses one group


def test_no_change_sync_without_local_state_reads_doc_and_sheet(
    backend: Backend, tmp_path: Path
) -> None:
    """Losing the local state costs one request, never data."""
    session = Session(backend, tmp_path, "Budget lost state")
    session.fill(10)
    session.sync()
    session.state = LocalState(tmp_path / "elsewhere")
    assert calls(backend, session.sync) == ["docs read", "sheets read"]


def test_a_thousand_new_contributions_and_action_points_stay_within_budget(
    backend: Backend, tmp_path: Path
) -> None:
    """The Contributions and Action points tabs are created with room for them: no extra
    request to grow the grid."""
    if backend.transport == "http":
        pytest.skip("one transport is enough for the count")
    session = Session(backend, tmp_path, "Budget 1000")
    session.sync()
    session.fill(1_000)
    assert len(calls(backend, session.sync)) == 4
    final: list[Any] = []
    made = calls(
        backend,
        lambda: final.append(finalize_session(session.api, session.doc, state=session.state)),
    )
    assert final[0].actions.count == 1_000
    assert len(made) == 4


@pytest.mark.slow
def test_sync_past_the_first_5000_rows_grows_the_tab_once(backend: Backend, tmp_path: Path) -> None:
    """One more request, once per 5,000 rows: the tab grows before the rows are written (RAW)."""
    from gdoc_sync.core.sheet import CONTRIBUTIONS, LIST_ROWS, quote_sheet

    session = Session(backend, tmp_path, "Budget: past the grid")
    session.sync()
    session.fill(LIST_ROWS + 20)
    changed = calls(backend, session.sync)
    assert read_together(changed) == [
        "docs read",
        "sheets read",
        "docs write",
        "sheets write",
        "sheets write",
    ]
    values = backend.clients.sheets.http_client.values_get(
        session.created.spreadsheet_id, quote_sheet(CONTRIBUTIONS)
    )["values"]
    assert len(values) == LIST_ROWS + 21
    assert values[-1][0] == f"C{LIST_ROWS + 20:04d}"
    session.fill(30)
    assert len(calls(backend, session.sync)) == 4  # the grown tab has room again
