"""The local journal: what every sync read from the Doc, appended as whole JSON lines, never
rewritten; and the safe append-only line files it (and `note`'s ledger) are made of."""

from __future__ import annotations

import dataclasses
import difflib
import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from gdoc_sync.core.model import Contribution
from gdoc_sync.errors import LocalFileError

FORMAT = 2
# A full copy of the contributions at least every FULL_EVERY changed syncs (and whenever the
# changes would be more than half the size of a copy), so rebuilding a state reads a few lines.
FULL_EVERY = 50
_DIGEST = re.compile(rb'"digest": "([0-9a-f]{64})"')
_HEAD = 2048  # the keys before the contributions are in a line's first bytes

Warn = Callable[[str], None]


# Where a contribution sits in the Doc changes whenever anything above it is typed; the journal
# keeps the words, so positions stay out of it (one edit is then one changed record).
_POSITIONS = frozenset({"start_index", "end_index"})


def contribution_record(c: Contribution, cid: str) -> dict[str, Any]:
    # Field by field: dataclasses.asdict deep-copies, ten times slower on a 10,000-item sync.
    data = {f.name: getattr(c, f.name) for f in dataclasses.fields(c) if f.name not in _POSITIONS}
    data["id"] = cid
    data["channel"] = str(c.channel)
    data["addressees"] = list(c.addressees)
    data["links"] = list(c.links)
    return data


# -- append-only line files ---------------------------------------------------------------------


def _refuse(path: Path, why: str) -> LocalFileError:
    return LocalFileError(f"{path}: {why}; refusing to use it (move it away and run again)")


def _open(path: Path, flags: int) -> int:
    """Open without following a symbolic link; only a regular file will do."""
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise _refuse(path, "is a symbolic link") from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _refuse(path, "is not a regular file")
    return fd


def append_line(path: Path, line: bytes) -> None:
    """Append one whole line and fsync it. The file is created exclusively (never through a
    symbolic link); a line torn by an earlier crash is closed first, so nothing is glued to it."""
    if not line.endswith(b"\n"):
        line += b"\n"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = False
    try:
        fd = _open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL)
        created = True
    except FileExistsError:
        fd = _open(path, os.O_RDWR | os.O_APPEND)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        # One write of the whole line: O_APPEND keeps two processes' lines apart.
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of each non-empty line, read without following a symbolic link."""
    try:
        fd = _open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    with os.fdopen(fd, "rb") as fh:
        offset = 0
        for raw in fh:
            if raw.strip():
                yield offset, raw
            offset += len(raw)


def read_lines(path: Path, warn: Warn | None = None) -> Iterator[dict[str, Any]]:
    """Each whole JSON line of an append-only file; a torn one is skipped with a warning."""
    for offset, raw in read_raw_lines(path):
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            if warn is not None:
                warn(
                    f"{path}: skipped an unreadable line at byte {offset} (cut short by a crash?); "
                    "the lines before and after it are intact"
                )
            continue
        yield value


# -- the journal --------------------------------------------------------------------------------


@dataclasses.dataclass
class _State:
    digest: str
    keys: list[str]  # each contribution's canonical JSON
    depth: int  # changed entries since the last full copy


def _encode(contributions: Sequence[dict[str, Any]]) -> tuple[list[str], str, str]:
    keys = [json.dumps(c, ensure_ascii=False, sort_keys=True) for c in contributions]
    # The same bytes json.dumps(list) gives, so digests of old journals still match.
    payload = "[" + ", ".join(keys) + "]"
    return keys, payload, hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Journal:
    """One file per session Doc. Each sync appends an entry with its summary and the digest of
    the contributions it read; when they changed, either a full copy of them or the changes from
    the previous state (with a full copy at least every FULL_EVERY changes), so the words survive
    a wiped Doc and a damaged Sheet and a long session's journal stays small. Reads the format
    before changes were stored (every entry a full copy) too."""

    def __init__(self, directory: Path, *, warn: Warn | None = None) -> None:
        self.directory = directory
        self.warn = warn
        self._states: dict[str, _State] = {}  # per document, the last state read or written

    def path(self, document_id: str) -> Path:
        return self.directory / f"{document_id}.jsonl"

    def entries(self, document_id: str) -> Iterator[dict[str, Any]]:
        """Every readable entry, oldest first; torn lines are skipped with a warning."""
        return read_lines(self.path(document_id), self.warn)

    def history(self, document_id: str) -> list[dict[str, Any]]:
        """The entries without their contributions: when, which revision, what changed."""
        out = []
        for e in self.entries(document_id):
            light = {k: v for k, v in e.items() if k not in ("contributions", "edits")}
            light["full_copy"] = "contributions" in e
            if "edits" in e:
                light["changed"] = sum(max(i2 - i1, len(new)) for i1, i2, new in e["edits"])
            out.append(light)
        return out

    def last_digest(self, document_id: str) -> str | None:
        digest = None
        for _, raw in read_raw_lines(self.path(document_id)):
            m = _DIGEST.search(raw[:_HEAD])
            if m:
                digest = m.group(1).decode()
        return digest

    def full_copy(self, document_id: str, digest: str) -> list[dict[str, Any]] | None:
        """The contributions as they were when `digest` was recorded, rebuilt from the last
        full copy before it and the changes after; None if the journal cannot tell."""
        state = self._state(document_id, digest)
        return None if state is None else [json.loads(k) for k in state.keys]

    def _state(self, document_id: str, digest: str) -> _State | None:
        cached = self._states.get(document_id)
        if cached is not None and cached.digest == digest:
            return cached
        lines: dict[str, bytes] = {}
        for _, raw in read_raw_lines(self.path(document_id)):
            m = _DIGEST.search(raw[:_HEAD])
            if m and (b'"base": ' in raw[:_HEAD] or b'"contributions": ' in raw):
                lines.setdefault(m.group(1).decode(), raw)
        chain: list[dict[str, Any]] = []
        wanted: str | None = digest
        keys: list[str] | None = None
        while wanted is not None and len(chain) <= FULL_EVERY * 4:
            wanted_line = lines.get(wanted)
            if wanted_line is None:
                return None
            try:
                entry = json.loads(wanted_line)
            except ValueError:
                return None
            if isinstance(entry.get("contributions"), list):
                keys = _encode(entry["contributions"])[0]
                break
            chain.append(entry)
            wanted = entry.get("base")
        if keys is None:
            return None
        for entry in reversed(chain):
            for i1, i2, new in reversed(entry["edits"]):
                keys[i1:i2] = [json.dumps(c, ensure_ascii=False, sort_keys=True) for c in new]
        if _encode([json.loads(k) for k in keys])[2] != digest:
            return None
        state = _State(digest, keys, len(chain))
        self._states[document_id] = state
        return state

    def append(
        self,
        document_id: str,
        *,
        at: str,
        revision: str | None,
        summary: dict[str, Any],
        contributions: Sequence[dict[str, Any]],
        previous_digest: str | None = None,
    ) -> str:
        """Append one entry; returns its digest (pass it back next time to skip a re-read)."""
        keys, payload, digest = _encode(contributions)
        path = self.path(document_id)
        if previous_digest is None:
            previous_digest = self.last_digest(document_id)
        entry: dict[str, Any] = {
            "v": FORMAT,
            "at": at,
            "revision": revision,
            "summary": summary,
            "digest": digest,
        }
        base = None
        if previous_digest and previous_digest != digest and path.exists():
            base = self._state(document_id, previous_digest)
        state: _State | None = None
        if digest == previous_digest and path.exists():
            line = json.dumps(entry, ensure_ascii=False)  # nothing changed: no copy
            cached = self._states.get(document_id)
            state = cached if cached is not None and cached.digest == digest else None
        else:
            edits = (
                _edits(base.keys, keys) if base is not None and base.depth < FULL_EVERY else None
            )
            if base is not None and edits is not None and len(edits) * 2 < len(payload):
                entry["base"] = previous_digest
                line = json.dumps(entry, ensure_ascii=False)[:-1] + ', "edits": ' + edits + "}"
                state = _State(digest, keys, base.depth + 1)
            else:
                line = json.dumps(entry, ensure_ascii=False)[:-1] + ', "contributions": '
                line += payload + "}"
                state = _State(digest, keys, 0)
        append_line(path, line.encode("utf-8"))
        if state is not None:
            self._states[document_id] = state
        return digest


def _edits(old: list[str], new: list[str]) -> str:
    """The changes turning `old` into `new`, as JSON: [[start, end, [contributions]], ...] with
    positions in `old`, to be applied from the last to the first."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        parts.append(f"[{i1}, {i2}, [" + ", ".join(new[j1:j2]) + "]]")
    return "[" + ", ".join(parts) + "]"
