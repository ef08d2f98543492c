"""google/connect.py: one function from Settings to a GoogleApi, and the in-process backends a
program registers for a data directory (what the tests' `cli` fixture does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import NotFoundError
from gdoc_sync.google.connect import connect, use_emulator
from gdoc_sync.google.retry import RetryEvent, RetryPolicy, RetryReason
from gdoc_sync.local.settings import Settings

MISSING = "1" * 44


def settings_for(tmp_path: Path) -> Settings:
    return Settings(backend="local", data_dir=tmp_path / "data", config_dir=tmp_path / "config")


def test_the_local_backend_is_one_emulator_per_data_dir(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    first, second = connect(settings), connect(settings)
    assert first.clients.backend == "local"
    assert first.clients.emulator is second.clients.emulator
    other = connect(settings_for(tmp_path / "other"))
    assert other.clients.emulator is not first.clients.emulator
    made = first.create_file({"name": "Shared", "mimeType": "application/vnd.google-apps.document"})
    assert second.get_file(made["id"])["name"] == "Shared"


def test_a_registered_emulator_is_used_with_its_retry_policy(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    mine = Emulator(None)  # in memory: nothing on disk says which directory it serves
    waits: list[float] = []
    events: list[RetryEvent] = []
    with use_emulator(settings.emulator_dir, mine, retry=lambda: RetryPolicy(sleep=waits.append)):
        api = connect(settings, on_retry=events.append)
        assert api.clients.emulator is mine
        mine.faults.add(Fault(status=503, path="/v1/documents/", times=1))
        with pytest.raises(NotFoundError):
            api.get_document(MISSING)
    assert [(e.what, e.reason, e.status) for e in events] == [
        (f"reading document {MISSING}", RetryReason.SERVER, 503)
    ]
    assert len(waits) == 1  # the registered policy's sleep, not time.sleep
    # Once the block ends, the data dir has its own emulator again.
    assert connect(settings).clients.emulator is not mine


def test_an_emulator_host_is_reached_over_http(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    settings.emulator_host = "127.0.0.1:9"
    api = connect(settings)
    assert api.clients.backend == "emulator"
    assert api.clients.endpoint == "the emulator at GDOC_SYNC_EMULATOR_HOST=127.0.0.1:9"


def test_who_is_logged_in_is_asked_of_drive_through_the_seam(tmp_path: Path) -> None:
    """What `auth login` shows after the browser flow (there through Google's Drive)."""
    api = connect(settings_for(tmp_path))
    assert api.user_email() == "you@localhost"
    assert [(r.method, r.path) for r in api.clients.emulator.log.entries()] == [
        ("GET", "/drive/v3/about")
    ]
