"""Output files (-o, --result, init): written atomically when they are files, straight through
when they are devices, FIFOs or descriptors, never through a planted symlink."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import Backend, run_cli

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX files, devices and descriptors")

WORDS = "Investors: publish due-diligence policies — Zoë, محمد"


def make_doc(backend: Backend, text: str = WORDS) -> str:
    documents = backend.clients.docs.documents()
    doc_id = documents.create(body={"title": "Outputs"}).execute()["documentId"]
    documents.batchUpdate(
        documentId=doc_id,
        body={"requests": [{"insertText": {"location": {"index": 1}, "text": text + "\n"}}]},
    ).execute()
    return doc_id


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def export(backend: Backend, doc_id: str, *args: str):
    return run_cli(["export", doc_id, "--format", "txt", *args], backend.env())


@pytest.fixture
def doc_id(backend: Backend) -> str:
    return make_doc(backend)


def test_a_new_file_gets_the_umasks_mode(backend: Backend, doc_id: str, tmp_path: Path) -> None:
    """Reports are meant to be shared: not 0600 whatever the umask."""
    for mask, expected in ((0o022, 0o644), (0o007, 0o660)):
        target = tmp_path / f"report-{mask:o}.txt"
        with umask(mask):
            result = export(backend, doc_id, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        assert WORDS in target.read_text("utf-8")
        assert mode(target) == expected


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(
    backend: Backend, doc_id: str, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "session.txt"
    target.write_text("old content\n", encoding="utf-8")
    target.chmod(0o640)
    before = os.stat(target).st_ino
    result = export(backend, doc_id, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert WORDS in target.read_text("utf-8") and "old content" not in target.read_text("utf-8")
    assert mode(target) == 0o640
    assert os.stat(target).st_ino != before  # a new file renamed over the old one
    assert sorted(p.name for p in folder.iterdir()) == ["session.txt"]  # no temp file left


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_is_refused_and_its_target_left_alone(
    backend: Backend, doc_id: str, tmp_path: Path, dangling: bool
) -> None:
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(victim)
    seen = len(backend.requests())
    result = export(backend, doc_id, "-o", str(link))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {link} is a symbolic link (to {victim}): refusing to write through it; "
        "give the real file's path\n"
    )
    assert link.is_symlink() and os.readlink(link) == str(victim)
    assert victim.exists() is not dangling
    if not dangling:
        assert victim.read_text("utf-8") == "precious\n"
    assert len(backend.requests()) == seen  # refused before the Doc was even read


def test_a_terminal_is_written_through(backend: Backend, doc_id: str) -> None:
    """A character device (here a pseudo-terminal of our own) is written to, never replaced."""
    master, slave = os.openpty()
    try:
        name = os.ttyname(slave)
        result = export(backend, doc_id, "-o", name)
        assert result.exit_code == 0, result.stderr
        received = b""
        while WORDS.encode() not in received:
            received += os.read(master, 65536)
        assert stat.S_ISCHR(os.stat(name).st_mode)
    finally:
        os.close(slave)
        os.close(master)


def test_dev_null_stays_a_device(backend: Backend, doc_id: str) -> None:
    result = export(backend, doc_id, "-o", "/dev/null")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_fifo_is_written_through(backend: Backend, doc_id: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        result = export(backend, doc_id, "-o", str(fifo))
    finally:
        if reader.is_alive() and not received:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # unblock a waiting reader
        reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert WORDS in received[0].decode("utf-8")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("form", ["/dev/fd/{fd}", "/proc/self/fd/{fd}"])
def test_a_descriptor_path_is_written_to_that_descriptor(
    backend: Backend, doc_id: str, form: str
) -> None:
    """What `-o >(cmd)` passes: /dev/fd/63."""
    plain = export(backend, doc_id)
    read_end, write_end = os.pipe()
    try:
        result = export(backend, doc_id, "-o", form.format(fd=write_end))
        os.close(write_end)
        write_end = -1
        with os.fdopen(read_end, "rb") as fh:
            read_end = -1
            received = fh.read().decode("utf-8")
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)
    assert result.exit_code == 0, result.stderr
    assert WORDS in received and received == plain.stdout


def _closed_descriptor() -> int:
    """A descriptor number not open in this process now (a long test run opens many)."""
    for fd in range(900, 1000):
        try:
            os.fstat(fd)
        except OSError:
            return fd
    raise AssertionError("no closed descriptor between 900 and 999")


def test_a_closed_descriptor_is_one_clear_line(backend: Backend, doc_id: str) -> None:
    fd = _closed_descriptor()
    result = export(backend, doc_id, "-o", f"/dev/fd/{fd}")
    assert result.exit_code == 2
    assert result.stderr == f"error: /dev/fd/{fd}: descriptor {fd} is not open in this process\n"


@pytest.mark.parametrize("target", ["/dev/stdout", "-"])
def test_stdout_paths_in_a_real_process(backend: Backend, doc_id: str, target: str) -> None:
    env = {**os.environ, **backend.env(), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "gdoc_sync", "export", doc_id, "--format", "txt", "-o", target],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert WORDS in done.stdout.decode("utf-8")
    assert b"Traceback" not in done.stderr


def test_a_directory_is_refused(backend: Backend, doc_id: str, tmp_path: Path) -> None:
    result = export(backend, doc_id, "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.stderr


# -- create --batch --result --------------------------------------------------------------------


def test_batch_result_goes_once_to_a_descriptor(backend: Backend, tmp_path: Path) -> None:
    sessions = tmp_path / "event.csv"
    sessions.write_text(
        "title,date,start,timezone\n"
        "Trust online,2025-06-25,11:00,Europe/Oslo\n"
        "Data flows,2025-06-24,09:00,Europe/Oslo\n",
        encoding="utf-8",
    )
    read_end, write_end = os.pipe()
    try:
        result = run_cli(
            [
                "create",
                "--batch",
                str(sessions),
                "--template",
                "igf-workshop",
                "--no-notify",
                "--result",
                f"/dev/fd/{write_end}",
            ],
            backend.env(),
        )
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        received = fh.read().decode("utf-8")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(received)))
    # Written once at the end, not once per row: one header, one line per session.
    assert received.count("line,title,") == 1
    assert [(r["title"], r["status"]) for r in rows] == [
        ("Trust online", "created"),
        ("Data flows", "created"),
    ]
    api = backend.api()
    assert [api.get_document(r["document_id"])["title"] for r in rows] == [
        "Trust online",
        "Data flows",
    ]


# -- init ---------------------------------------------------------------------------------------


def test_init_does_not_follow_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "session.toml"
    link.symlink_to(victim)
    plain = run_cli(["init", "roundtable", str(link)])
    forced = run_cli(["init", "roundtable", str(link), "--force"])
    assert plain.exit_code == 2 and forced.exit_code == 2
    assert plain.stderr == f"error: {link} exists; use --force to overwrite it\n"
    assert "is a symbolic link" in forced.stderr and forced.stderr.count("\n") == 1
    assert victim.read_text("utf-8") == "precious\n" and link.is_symlink()
    dangling = tmp_path / "new.toml"
    dangling.symlink_to(tmp_path / "elsewhere.toml")
    assert run_cli(["init", "roundtable", str(dangling)]).exit_code == 2
    assert not (tmp_path / "elsewhere.toml").exists()


def test_init_writes_a_new_file_with_the_umasks_mode(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    with umask(0o022):
        result = run_cli(["init", "roundtable", str(target)])
    assert result.exit_code == 0, result.stderr
    assert mode(target) == 0o644 and "[[groups]]" in target.read_text("utf-8")
