"""The local journal: whole fsynced lines, torn tails skipped, no symlinks followed, only what
landed, bounded growth, and journals written before changes were stored still read."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
from pathlib import Path

import pytest

from gdoc_sync.core.model import RANGE_CONTRIBUTION
from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import GdocSyncError, LocalFileError
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import sync_session

DOC = "1" + "d" * 43


def record(n: int, text: str) -> dict:
    return {"id": f"C{n:04d}", "question_id": "Q1", "text": text, "body": text, "speaker": "Ana"}


def append(journal: Journal, contributions: list[dict], at: str = "t", **kw) -> str:
    return journal.append(
        DOC,
        at=at,
        revision="r",
        summary={
            "added": 0,
            "edited": 0,
            "removed": 0,
            "withdrawn": 0,
            "unassigned": 0,
            "total": len(contributions),
        },
        contributions=contributions,
        **kw,
    )


def test_a_torn_tail_is_skipped_with_a_warning_and_not_glued_to_the_next_entry(
    tmp_path: Path,
) -> None:
    warnings: list[str] = []
    journal = Journal(tmp_path, warn=warnings.append)
    append(journal, [record(1, "first")], at="t1")
    # A crash in the middle of the next line: half of it is on disk, no newline.
    with journal.path(DOC).open("ab") as fh:
        fh.write(b'{"v": 2, "at": "t2", "revision": "r", "summ')
    append(Journal(tmp_path, warn=warnings.append), [record(1, "first"), record(2, "x")], at="t3")
    entries = list(journal.entries(DOC))
    assert [e["at"] for e in entries] == ["t1", "t3"]
    assert len(warnings) == 1 and "skipped an unreadable line" in warnings[0]
    last = entries[-1]["digest"]
    assert Journal(tmp_path).full_copy(DOC, last) == [record(1, "first"), record(2, "x")]


def test_the_journal_never_follows_a_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n", encoding="utf-8")
    (tmp_path / "journal").mkdir()
    journal = Journal(tmp_path / "journal")
    os.symlink(target, journal.path(DOC))
    with pytest.raises(LocalFileError, match="is a symbolic link; refusing to use it"):
        append(journal, [record(1, "first")])
    assert target.read_text(encoding="utf-8") == "precious\n"
    # A dangling link (the target does not exist) is refused too, and nothing is created.
    os.unlink(journal.path(DOC))
    os.symlink(tmp_path / "missing.txt", journal.path(DOC))
    with pytest.raises(LocalFileError):
        append(journal, [record(1, "first")])
    assert not (tmp_path / "missing.txt").exists()


def _append_many(directory: str, worker: int) -> None:
    journal = Journal(Path(directory))
    for i in range(40):
        text = f"worker {worker} entry {i} " + "é" * 20_000  # lines over the pipe buffer size
        append(journal, [record(worker, text)], at=f"{worker}-{i}", previous_digest="none")


def test_appends_from_several_processes_stay_whole_lines(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(str(tmp_path), w)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
        assert p.exitcode == 0
    warnings: list[str] = []
    entries = list(Journal(tmp_path, warn=warnings.append).entries(DOC))
    assert warnings == []
    assert sorted(e["at"] for e in entries) == sorted(
        f"{w}-{i}" for w in range(4) for i in range(40)
    )


def test_growth_is_bounded_and_every_state_can_be_rebuilt(tmp_path: Path) -> None:
    rng = random.Random(7)
    journal = Journal(tmp_path)
    state: list[dict] = [record(n, f"contribution {n} " + "words " * 30) for n in range(1, 201)]
    recorded: list[tuple[str, list[dict]]] = []
    full_copies_bytes = 0  # what storing a full copy on every changed round would take
    previous = None
    for round_ in range(300):
        i = rng.randrange(len(state))
        state[i] = {**state[i], "text": state[i]["text"] + f" edit {round_}"}
        if round_ % 3 == 0:
            state.insert(rng.randrange(len(state) + 1), record(1000 + round_, f"new {round_}"))
        if round_ % 7 == 0:
            del state[rng.randrange(len(state))]
        snapshot = [dict(c) for c in state]
        previous = append(journal, snapshot, at=str(round_), previous_digest=previous)
        recorded.append((previous, snapshot))
        full_copies_bytes += len(json.dumps(snapshot, ensure_ascii=False))
    size = journal.path(DOC).stat().st_size
    assert size * 10 < full_copies_bytes, (size, full_copies_bytes)
    history = journal.history(DOC)
    assert len(history) == 300
    assert 2 <= sum(h["full_copy"] for h in history) <= 300 // 50 + 2
    # Any recorded state, rebuilt by a fresh reader, is exactly what was appended.
    for digest, snapshot in [*rng.sample(recorded, 25), recorded[-1]]:
        assert Journal(tmp_path).full_copy(DOC, digest) == snapshot


def test_journals_written_before_changes_were_stored_still_read(tmp_path: Path, cli) -> None:
    first = [record(1, "old words")]
    second = [record(1, "old words"), record(2, "more")]
    lines = []
    for at, contributions, copy in (
        ("t1", first, True),
        ("t2", first, False),
        ("t3", second, True),
    ):
        payload = json.dumps(contributions, ensure_ascii=False, sort_keys=True)
        entry = {
            "at": at,
            "revision": "r",
            "summary": {
                "added": 1,
                "edited": 0,
                "removed": 0,
                "withdrawn": 0,
                "unassigned": 0,
                "total": len(contributions),
            },
            "digest": hashlib.sha256(payload.encode()).hexdigest(),
        }
        line = json.dumps(entry, ensure_ascii=False)
        if copy:
            line = line[:-1] + ', "contributions": ' + payload + "}"
        lines.append(line)
    directory = tmp_path / "data" / "journal"
    directory.mkdir(parents=True)
    (directory / f"{DOC}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    journal = Journal(directory)
    old_digest = journal.last_digest(DOC)
    assert journal.full_copy(DOC, old_digest) == second
    third = [*second, record(3, "added after the upgrade")]
    new_digest = append(journal, third, at="t4")
    assert Journal(directory).full_copy(DOC, new_digest) == third
    assert "edits" in list(journal.entries(DOC))[-1]  # stored as changes from the old copy
    shown = cli("history", DOC, env={"GDOC_SYNC_DATA_DIR": str(tmp_path / "data")})
    assert shown.exit_code == 0, shown.stderr
    rows = shown.stdout.splitlines()
    assert [r.split()[0] for r in rows] == ["t1", "t2", "t3", "t4"]
    assert [r.endswith("(full copy)") for r in rows] == [True, False, True, False]


def named_ids(doc: dict) -> set[str]:
    return {
        n[len(RANGE_CONTRIBUTION) :]
        for n in doc.get("namedRanges") or {}
        if n.startswith(RANGE_CONTRIBUTION)
    }


def test_sync_journals_only_what_landed(backend) -> None:
    api = backend.api()
    created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
    doc_id = created.document_id
    add_note(api, doc_id, "Q1", "Investors: ask for HRDD policies (Ana)")
    add_note(api, doc_id, "Q2", "Governments: extend HRDD laws (Bea)")
    state = LocalState(backend.data_dir / "state")
    journal = Journal(backend.data_dir / "journal")
    # The anchors' write is refused: no id was given, so the journal must not name one.
    backend.emulator.faults.add(
        Fault(action="error", status=400, method="POST", path=r"documents/[^/]+:batchUpdate$")
    )
    with pytest.raises(GdocSyncError):
        sync_session(api, doc_id, state=state, journal=journal)
    backend.emulator.faults.clear()
    assert list(journal.entries(doc_id)) == []
    assert named_ids(api.get_document(doc_id)) == set()
    sync_session(api, doc_id, state=state, journal=journal)
    (entry,) = list(journal.entries(doc_id))
    journaled = {c["id"] for c in entry["contributions"]}
    assert journaled == named_ids(api.get_document(doc_id)) and len(journaled) == 2
