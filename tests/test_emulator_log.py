"""The emulator's request log is a bounded ring: a long `watch` session against `emulator serve`
keeps the latest requests, counts every one, and never grows without bound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests
from conftest import run_cli
from test_standalone_clients import _env, _free_port, _wait_healthy

from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.faults import DEFAULT_LOG_SIZE
from gdoc_sync.google.clients import for_emulator


def test_the_log_keeps_the_latest_requests_and_counts_them_all(tmp_path: Path) -> None:
    emulator = Emulator(tmp_path / "emulator", log_size=3)
    docs = for_emulator(emulator).docs.documents()
    doc_id = docs.create(body={"title": "Ring"}).execute()["documentId"]
    for _ in range(4):
        docs.get(documentId=doc_id).execute()
    kept = emulator.log.entries()
    assert [(e.method, e.path) for e in kept] == [("GET", f"/v1/documents/{doc_id}")] * 3
    assert emulator.request_counts() == {"docs": 5}
    assert emulator.log.dropped() == 2
    emulator.log.clear()
    assert emulator.log.entries() == [] and emulator.request_counts() == {}


def test_the_default_size_is_documented() -> None:
    assert Emulator().log.max_entries == DEFAULT_LOG_SIZE == 10_000
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "--log-size" in readme and "10,000" in readme


def test_emulator_serve_log_size_bounds_the_served_log(tmp_path: Path) -> None:
    """A real `emulator serve --log-size 2` process: after four API requests its log endpoint
    holds the last two and says how many it let go."""
    port = _free_port()
    command = [sys.executable, "-m", "gdoc_sync", "emulator", "serve", "--port", str(port)]
    command += ["--data-dir", str(tmp_path / "data"), "--log-size", "2"]
    output = tmp_path / "serve.log"
    with output.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, env=_env(tmp_path)
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, output)
        session = requests.Session()
        session.trust_env = False
        created = session.post(f"{url}/v1/documents", json={"title": "Served"}).json()
        for _ in range(3):
            session.get(f"{url}/v1/documents/{created['documentId']}").raise_for_status()
        log = session.get(f"{url}/_emulator/requests").json()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert [entry["method"] for entry in log["requests"]] == ["GET", "GET"]
    assert (log["maxEntries"], log["dropped"]) == (2, 2)


def test_log_size_must_be_positive() -> None:
    result = run_cli(["emulator", "serve", "--log-size", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--log-size': 0 is not in the range x>=1." in result.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "gdoc_sync", "emulator", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "--log-size" in helped.stdout and "10000" in helped.stdout
