"""A server that does not answer, or is not there: commands fail with one line, never hang.

The silent server is a real loopback socket that accepts connections (the kernel completes the
handshake) and never answers, as a captive portal or a dead conference link does."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from gdoc_sync.errors import UnavailableError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.google.retry import RetryPolicy

UNAVAILABLE = 8  # the exit code README and `gdoc-sync --help` give for an unavailable service


@pytest.fixture
def silent_server() -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


@pytest.fixture
def closed_port() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there any more
    return f"127.0.0.1:{port}"


def _run(host: str, tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GDOC_SYNC_DATA_DIR": str(tmp_path / "data"),
        "GDOC_SYNC_CONFIG_DIR": str(tmp_path / "config"),
        "GDOC_SYNC_EMULATOR_HOST": host,
        "GDOC_SYNC_TIMEOUT": "1",
    }
    # The subprocess timeout only guards the test run against a hang; it asserts no speed.
    return subprocess.run(
        [sys.executable, "-m", "gdoc_sync", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # not the checkout: the installed package runs, wherever the tests run from
        timeout=120,
    )


def failure_lines(stderr: str) -> list[str]:
    """The one error line a failed command prints, last, after one `retry:` line per retry."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if not line.startswith("retry: ")]
    assert len(errors) == 1 and errors[0] == lines[-1], stderr
    return errors


def test_a_server_that_never_answers_fails_sync_with_one_line(silent_server, tmp_path) -> None:
    done = _run(silent_server, tmp_path, "sync", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")
    assert done.returncode == UNAVAILABLE, done.stderr
    lines = failure_lines(done.stderr)
    retries = [line for line in done.stderr.splitlines() if line.startswith("retry: ")]
    assert retries and all("no answer (it did not answer in time)" in r for r in retries)
    assert f"GDOC_SYNC_EMULATOR_HOST={silent_server}" in lines[0]
    assert "did not answer in time" in lines[0]
    assert "emulator serve" in lines[0]
    assert "urllib3" not in lines[0] and "HTTPConnectionPool" not in lines[0]


def test_nothing_listening_fails_note_with_one_line(closed_port, tmp_path) -> None:
    done = _run(
        closed_port, tmp_path, "note", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "-q", "Q1", "x"
    )
    assert done.returncode == UNAVAILABLE, done.stderr
    lines = failure_lines(done.stderr)
    assert f"GDOC_SYNC_EMULATOR_HOST={closed_port}" in lines[0]
    assert "connection refused" in lines[0]


def test_sheets_calls_through_gspread_time_out_too(silent_server) -> None:
    slept: list[float] = []
    api = GoogleApi(
        for_emulator_host(silent_server, timeout=0.5),
        retry=RetryPolicy(sleep=slept.append, unreachable_after=1.0),
    )
    with pytest.raises(UnavailableError, match="did not answer in time"):
        api.get_values("some-sheet", ["Contributions"])
    # It was retried, then given up on once attempts and waits passed the limit.
    assert slept, "a timeout is worth one more try"


def test_refused_connections_are_given_up_on_sooner_than_silence() -> None:
    attempts: list[int] = []
    waits: list[float] = []

    def refused() -> None:
        attempts.append(1)
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    policy = RetryPolicy(sleep=waits.append, rand=lambda: 1.0, refused_after=3.0)
    with pytest.raises(ConnectionRefusedError):
        policy.call(refused)
    # Waits of 1 and 2 seconds reach the 3-second limit: three attempts, not the six a 5xx gets.
    assert waits == [1.0, 2.0]
    assert len(attempts) == 3


def test_a_bad_timeout_setting_is_one_line(tmp_path) -> None:
    env_bad = subprocess.run(
        [sys.executable, "-m", "gdoc_sync", "sync", "doc"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "GDOC_SYNC_DATA_DIR": str(tmp_path / "data"),
            "GDOC_SYNC_TIMEOUT": "soon",
        },
        timeout=60,
    )
    assert env_bad.returncode != 0
    assert env_bad.stderr.strip() == (
        "error: GDOC_SYNC_TIMEOUT must be a number of seconds between 0 and 3600, got 'soon'"
    )
