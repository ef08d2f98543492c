"""What gdoc-sync keeps between runs for each Doc, and the one atomic file write every local file
(state, outputs, the saved login) goes through."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

PRIVATE = 0o600  # the owner only: state, ledgers and the saved login


class LocalState:
    """Small per-document facts kept between runs: the companion Sheet's id, the last revision
    synced. Losing it costs requests, never data."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, document_id: str) -> Path:
        return self.directory / f"{document_id}.json"

    def load(self, document_id: str) -> dict[str, Any]:
        try:
            data = json.loads(self._path(document_id).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, document_id: str, data: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomic(self._path(document_id), json.dumps(data, ensure_ascii=False, indent=1))

    def update(self, document_id: str, **changes: Any) -> None:
        data = self.load(document_id)
        data.update(changes)
        self.save(document_id, data)


def write_atomic(path: Path, data: str | bytes, *, mode: int = PRIVATE) -> None:
    """Write a file so that a crash leaves the old content or the new, never half of it: a
    temporary file in the same folder, given `mode`, flushed to disk, then renamed over `path`.
    Text is written as UTF-8. Missing folders are made (with the umask's mode)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view) :]
            if os.name != "nt":
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
