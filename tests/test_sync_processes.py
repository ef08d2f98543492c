"""Real processes over `python -m gdoc_sync emulator serve`: a `gdoc-sync sync` whose Sheet is
sorted under its write, then killed with SIGKILL, and a plain rerun (issue 11, case 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from test_standalone_clients import _env, serve

from gdoc_sync.core.template import load_template
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

SPEAKERS = ["Ana Silva", "Bùi Thị Lan", "Chidi Okeke", "Dalia Haddad", "Eero Mäkinen"]


def gdoc_sync(host: str, tmp: Path, *args: str) -> subprocess.Popen[str]:
    env = {**_env(tmp), "GDOC_SYNC_EMULATOR_HOST": host, "GDOC_SYNC_DATA_DIR": str(tmp / "m1")}
    return subprocess.Popen(
        [sys.executable, "-m", "gdoc_sync", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def logged(control: requests.Session, url: str) -> list[dict[str, Any]]:
    return control.get(f"{url}/_emulator/requests").json()["requests"]


def wait_for(what: str, check: Any, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if check():
            return
        assert process.poll() is None, f"sync exited before {what}: {process.communicate()}"
        time.sleep(0.02)
    raise AssertionError(f"never saw {what}")


@pytest.mark.slow
def test_sync_killed_after_a_write_the_sheet_was_sorted_under_then_a_plain_rerun(
    tmp_path: Path,
) -> None:
    with serve(tmp_path / "emulator", tmp_path) as url:
        host = url.removeprefix("http://")
        clients = for_emulator_host(host)
        api = GoogleApi(clients, retry=RetryPolicy(sleep=lambda _: None))
        created = create_session(api, load_template("igf2025-ws354"), CreateOptions())
        doc, sheet = created.document_id, created.spreadsheet_id
        for n in range(5):
            add_note(api, doc, "Q4", f"Investors: Action number {n} ({SPEAKERS[n]}, UN)")
        code, _out, err = finished(gdoc_sync(host, tmp_path, "sync", doc))
        assert code == 0, err
        ws = clients.sheets.open_by_key(sheet).worksheet("Contributions")
        header = ws.row_values(1)
        for number in range(2, 7):
            ws.update_cell(number, header.index("Final wording") + 1, f"curated C000{number - 1}")
        api.update_document(
            doc,
            [
                {
                    "replaceAllText": {
                        "containsText": {"text": "Action number 0 ", "matchCase": True},
                        "replaceText": "Action number 0, reworded, ",
                    }
                }
            ],
        )

        control = requests.Session()
        control.trust_env = False
        control.delete(f"{url}/_emulator/requests")
        # The write waits 3 s before it applies (a slow network); the read-back after it, long
        # enough to kill the process while it waits.
        control.post(
            f"{url}/_emulator/faults",
            json={
                "faults": [
                    {"action": "latency", "path": "values:batchUpdate", "method": "POST",
                     "latency_ms": 3000, "times": 1},
                    {"action": "latency", "path": "values:batchGet", "method": "GET",
                     "latency_ms": 60000, "times": 1, "skip": 1},
                ]
            },
        ).raise_for_status()  # fmt: skip
        process = gdoc_sync(host, tmp_path, "sync", doc)
        try:
            wait_for(
                "sync's read of the Sheet",
                lambda: any("values:batchGet" in r["path"] for r in logged(control, url)),
                process,
            )
            # A rapporteur sorts Contributions by its Contribution column, Z to A.
            ws.sort((header.index("Contribution") + 1, "des"))
            wait_for(
                "sync's write",
                lambda: any("values:batchUpdate" in r["path"] for r in logged(control, url)),
                process,
            )
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
        control.delete(f"{url}/_emulator/faults")
        values = ws.get_all_values()
        stray = {r[0]: r[header.index("Contribution")] for r in values[1:] if r[0]}
        assert stray["C0005"] == "Action number 0, reworded,"  # C0001's words in C0005's row

        code, _out, err = finished(gdoc_sync(host, tmp_path, "sync", doc))
        assert code == 0, err
        assert "C0005: its row held values meant for another row" in err
        values = ws.get_all_values()
        rows = {r[0]: dict(zip(values[0], r, strict=True)) for r in values[1:] if r[0]}
        assert sorted(rows) == [f"C000{n}" for n in range(1, 6)]
        for n in range(5):
            row = rows[f"C000{n + 1}"]
            words = "Action number 0, reworded," if n == 0 else f"Action number {n}"
            assert row["Contribution"] == words
            assert row["Speaker"] == SPEAKERS[n]
            assert row["Final wording"] == f"curated C000{n + 1}"
            assert row["Status"] == ("edited" if n == 0 else "in doc")
            assert row["Sync note"] == ""
