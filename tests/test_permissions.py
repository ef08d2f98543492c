"""The data dir holds every local document and people's words: private to the user (0700 and
0600) whatever the umask, and a --data-dir that cannot be one is a one-line error."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import Backend, run_cli

from gdoc_sync.emulator.app import DB_NAME

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
QUESTION_LINE = "Investors: publish due-diligence policies (Ana, CSO, online)"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def every_mode(data_dir: Path) -> dict[str, int]:
    found = {".": mode(data_dir)}
    for path in data_dir.rglob("*"):
        found[str(path.relative_to(data_dir))] = mode(path)
    return found


def test_a_session_leaves_nothing_readable_by_others(backend: Backend, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        created = run_cli(["create", "roundtable", "--json"], backend.env())
        assert created.exit_code == 0, created.stderr
        doc = __import__("json").loads(created.stdout)["document_id"]
        noted = run_cli(["note", doc, "-q", "Q1", QUESTION_LINE], backend.env())
        assert noted.exit_code == 0, noted.stderr
        synced = run_cli(["sync", doc], backend.env())
        assert synced.exit_code == 0, synced.stderr
    finally:
        os.umask(old)
    modes = every_mode(backend.data_dir)
    assert {"journal", "state", "emulator", f"emulator/{DB_NAME}"} <= set(modes), modes
    for name, found in modes.items():
        if name in (".", "journal", "state", "emulator"):
            assert found == 0o700, (name, oct(found))
        else:
            assert found & 0o077 == 0, (name, oct(found))


def test_what_an_older_version_left_open_is_tightened(tmp_path: Path) -> None:
    """A data dir made 0755 with a 0644 database, journal and state by an earlier gdoc-sync."""
    data = tmp_path / "old-data"
    old = os.umask(0o022)
    try:
        for folder in ("emulator", "journal", "state"):
            (data / folder).mkdir(parents=True)
        sqlite3.connect(data / "emulator" / DB_NAME).close()
        (data / "journal" / "1Doc.jsonl").write_text("{}\n", encoding="utf-8")
        (data / "state" / "1Doc.json").write_text("{}", encoding="utf-8")
        assert mode(data) == 0o755 and mode(data / "emulator" / DB_NAME) == 0o644
        doctor = run_cli(["doctor"], {"GDOC_SYNC_DATA_DIR": str(data)})
        assert doctor.exit_code == 10
        failing = [line for line in doctor.stdout.splitlines() if line.startswith("FAIL")]
        assert any("data dir" in line and f"chmod 700 {data}" in line for line in failing)
        result = run_cli(["--data-dir", str(data), "create", "roundtable"])
        assert result.exit_code == 0, result.stderr
    finally:
        os.umask(old)
    modes = every_mode(data)
    assert modes["."] == modes["emulator"] == modes["journal"] == modes["state"] == 0o700
    for name in (f"emulator/{DB_NAME}", "journal/1Doc.jsonl", "state/1Doc.json"):
        assert modes[name] == 0o600, name
    assert run_cli(["doctor"], {"GDOC_SYNC_DATA_DIR": str(data)}).exit_code == 0


def test_doctor_fails_on_a_database_open_to_others(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "emulator").mkdir(parents=True, mode=0o700)
    data.chmod(0o700)
    db = data / "emulator" / DB_NAME
    sqlite3.connect(db).close()
    db.chmod(0o644)
    result = run_cli(["doctor"], {"GDOC_SYNC_DATA_DIR": str(data)})
    assert result.exit_code == 10
    [line] = [x for x in result.stdout.splitlines() if x.startswith("FAIL")]
    assert "emulator data" in line and f"chmod 600 {db}" in line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/dev/null", "error: --data-dir /dev/null: /dev/null is in /dev, a system file system"),
        ("/proc/self", "error: --data-dir /proc/self: /proc/"),
        ("/sys", "error: --data-dir /sys: /sys is in /sys, a system file system"),
        ("", "error: --data-dir is empty: give a directory, or leave it out for the default"),
        ("{file}", "error: --data-dir {file}: is a file, not a directory"),
        ("{file}/below", "error: --data-dir {file}/below: cannot be created, {file} is a file"),
    ],
)
def test_a_data_dir_that_cannot_be_one_is_a_one_line_error(
    tmp_path: Path, value: str, expected: str
) -> None:
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    value, expected = value.format(file=file), expected.format(file=file)
    for args, env in (
        (["--data-dir", value, "history", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123"], {}),
        (["history", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123"], {"GDOC_SYNC_DATA_DIR": value}),
    ):
        if not value and env:
            continue  # an empty variable is unset, as in any shell: the default applies
        result = run_cli(args, env)
        shown = expected if not env else expected.replace("--data-dir", "GDOC_SYNC_DATA_DIR")
        assert result.exit_code == 2, result.stderr
        assert result.stderr.startswith(shown), result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert file.read_text("utf-8") == "x"


def test_a_folder_holding_other_things_is_never_chmodded(tmp_path: Path) -> None:
    """`--data-dir ~` or `--data-dir /tmp` (here: a shared folder with someone's file, and a
    sticky one like /tmp) keep their modes; gdoc-sync's own folders inside are private."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    (shared / "notes.txt").write_text("mine", encoding="utf-8")
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    sticky.chmod(0o1777)
    for folder, expected in ((shared, 0o755), (sticky, 0o1777)):
        result = run_cli(["--data-dir", str(folder), "create", "roundtable"])
        assert result.exit_code == 0, result.stderr
        assert stat.S_IMODE(os.stat(folder).st_mode) == expected
        for inside in ("emulator", "journal", "state"):
            assert mode(folder / inside) == 0o700
        with socket.socket() as taken:  # a port in use: serve opens the store, then stops
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = str(taken.getsockname()[1])
            served = run_cli(["emulator", "serve", "--data-dir", str(folder), "--port", port])
        assert served.exit_code == 2
        assert served.stderr.startswith(f"error: cannot listen on 127.0.0.1 port {port}: ")
        assert served.stderr.count("\n") == 1
        assert stat.S_IMODE(os.stat(folder).st_mode) == expected
        assert mode(folder / DB_NAME) == 0o600
