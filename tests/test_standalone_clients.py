"""`gdoc-sync emulator serve` in a subprocess serves a client that knows nothing of gdoc-sync."""

from __future__ import annotations

import ast
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

SCRIPT = Path(__file__).parent / "standalone_client_script.py"
ALLOWED_IMPORTS = {
    "googleapiclient",
    "gspread",
    "requests",
    "httplib2",
    "__future__",
    "json",
    "sys",
    "typing",
}
PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(
        {
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "GDOC_SYNC_DATA_DIR": str(tmp / "gdoc-sync"),
            "PYTHONIOENCODING": "utf-8",
        }
    )
    return env


@contextmanager
def serve(data_dir: Path, tmp: Path) -> Iterator[str]:
    """`python -m gdoc_sync emulator serve` on a free port until the block ends; yields its URL."""
    port = _free_port()
    log = (tmp / f"serve-{port}.log").open("w", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "gdoc_sync",
        "emulator",
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=_env(tmp))
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, tmp / f"serve-{port}.log")
        yield url
    finally:
        # The CLI stops cleanly on Ctrl-C, unless SIGINT is ignored (a background job inherits
        # that): then SIGTERM; the store commits every request, so either keeps the data.
        ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        process.send_signal(signal.SIGTERM if ignored else signal.SIGINT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    session = requests.Session()
    session.trust_env = False
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the emulator exited: {log.read_text(encoding='utf-8')}")
        try:
            if session.get(f"{url}/_emulator/health", timeout=1).json()["status"] == "ok":
                return
        except (requests.ConnectionError, requests.Timeout, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"the emulator did not answer: {log.read_text(encoding='utf-8')}")


def run_script(tmp: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        timeout=60,
        env=_env(tmp),
        cwd=tmp,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout)


def test_the_client_script_imports_only_googles_libraries() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS


def run(text: str, start: int, end: int, *, bold: bool = False) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text, "bold": bold, "units": end - start}


def test_standalone_clients_against_a_served_emulator_and_its_persisted_state(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "emulator"
    with serve(data_dir, tmp_path) as url:
        written = run_script(tmp_path, url)

    assert written["gdocSyncModules"] == []
    document = written["document"]
    assert document["title"] == "Notes 👩🏽‍💻 שלום"
    # 👩🏽‍💻 is 7 UTF-16 units and 🇳🇴 is 4: the bold range starts at 1 + 6 + 7 + 5 = 19.
    assert document["paragraphs"] == [
        {
            "start": 1,
            "end": 29,
            "direction": "LEFT_TO_RIGHT",
            "runs": [
                run("Coder 👩🏽‍💻 and ", 1, 19),
                run("🇳🇴 bold", 19, 28, bold=True),
                run("\n", 28, 29),
            ],
        },
        {
            "start": 29,
            "end": 46,
            "direction": "RIGHT_TO_LEFT",
            "runs": [run("محمد الأحمد שלום\n", 29, 46)],
        },
        {"start": 46, "end": 47, "direction": "LEFT_TO_RIGHT", "runs": [run("\n", 46, 47)]},
    ]
    assert document["namedRanges"] == {
        "arabic-surname": [{"start": 34, "end": 40, "text": "الأحمد"}]
    }
    assert document["checks"] == {
        "runLengthsAreUtf16": True,
        "boldIsFlagAndWord": True,
        "namedRangeIsArabicSurname": True,
    }
    assert written["driveFile"] == {
        "name": "Notes 👩🏽‍💻 שלום",
        "mimeType": "application/vnd.google-apps.document",
    }
    assert written["spreadsheet"] == {
        "title": "Cells ✓ مرحبا",
        "worksheets": ["Sheet1", "עלה 🍃"],
        "values": {
            "Sheet1": [
                ["👩🏽‍💻", "🇳🇴", "Zoë"],
                ["محمد الأحمد", "שלום", "Ünïcödé ✓"],
                ["line\nbreak", "", "end"],
            ],
            "עלה 🍃": [["", "", ""], ["", "🇳🇴", "שלום"]],
        },
        "B2": "🇳🇴",
    }

    # A new server on the same data dir serves the same document and spreadsheet.
    with serve(data_dir, tmp_path) as url:
        again = run_script(tmp_path, url, written["documentId"], written["spreadsheetId"])
    assert again == written
