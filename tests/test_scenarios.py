"""The whole workflow, written once: against the emulator (in-process and HTTP) by default, and
against real Google with GDOC_SYNC_LIVE=1, credentials and GDOC_SYNC_LIVE_FOLDER."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.server import EmulatorServer
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator, for_emulator_host
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.report import render_markdown, report_data
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.finalize import finalize_session, read_curated
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import sync_session

LIVE = os.environ.get("GDOC_SYNC_LIVE") == "1"


@pytest.fixture(params=["inprocess", "http", pytest.param("live", marks=pytest.mark.live)])
def scenario_api(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[GoogleApi, str | None]]:
    """(api, parent folder): the same scenario on each backend."""
    if request.param == "inprocess":
        yield (
            GoogleApi(
                for_emulator(Emulator(tmp_path / "emu")), retry=RetryPolicy(sleep=lambda _: None)
            ),
            None,
        )
    elif request.param == "http":
        with EmulatorServer(tmp_path / "emu") as server:
            yield (
                GoogleApi(
                    for_emulator_host(server.address), retry=RetryPolicy(sleep=lambda _: None)
                ),
                None,
            )
    else:
        folder = os.environ.get("GDOC_SYNC_LIVE_FOLDER")
        if not LIVE or not folder:
            pytest.skip(
                "needs real Google: GDOC_SYNC_LIVE=1, credentials and "
                "GDOC_SYNC_LIVE_FOLDER (a Drive folder the tests may write in)"
            )
        from gdoc_sync.google.connect import connect
        from gdoc_sync.local.settings import Settings

        api = connect(Settings.from_env(backend="google"))
        made: list[str] = []
        original = api.create_file

        def tracked(metadata: dict) -> dict:
            made.append(metadata["id"])
            return original(metadata)

        api.create_file = tracked  # type: ignore[method-assign]
        try:
            yield api, folder
        finally:
            for file_id in made:  # leave the folder as we found it
                api.clients.drive.files().delete(fileId=file_id, supportsAllDrives=True).execute()


def test_a_whole_session(scenario_api, tmp_path: Path) -> None:
    api, folder = scenario_api
    template = load_template("igf2025-ws354")
    created = create_session(api, template, CreateOptions(notify=False, new=True, parent=folder))
    doc_id = created.document_id
    add_note(api, doc_id, "Q1", "Investors: Ask for HRDD policies (Amara Okafor, civil society)")
    add_note(api, doc_id, "Q2", "Goverments: Cover investors in HRDD laws (Zoë Ångström, online)")
    add_note(api, doc_id, "online", "Note: a question from the chat")
    state, journal = LocalState(tmp_path / "state"), Journal(tmp_path / "journal")
    first = sync_session(api, doc_id, state=state, journal=journal)
    assert [c.id for c in first.plan.added] == ["C0001", "C0002", "C0003"]
    assert [c.id for c in first.plan.unassigned] == ["C0003"]
    assert sync_session(api, doc_id, state=state, journal=journal).unchanged
    final = finalize_session(api, doc_id, state=state)
    assert [(key, len(actions)) for key, _, actions in final.actions.by_group] == [
        ("investors", 1),
        ("governments", 1),
    ]
    curated = read_curated(api, created.spreadsheet_id)
    report = render_markdown(report_data(curated.tab, curated.config))
    assert "### Governments and regulators" in report
    assert "Cover investors in HRDD laws" in report
