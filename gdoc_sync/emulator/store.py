"""The emulator's persistent state: one SQLite file shared by Docs, Sheets and Drive."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
"""


class Store:
    """Resources (documents, spreadsheets, Drive files) kept as JSON, one transaction per request.

    Several processes may share one data dir (two moderators on one laptop, or a test that syncs
    from a subprocess), so every request runs in an IMMEDIATE transaction: writers queue on
    SQLite's lock instead of overwriting each other. Parsed bodies are cached by version so a large
    document is not decoded again on every read.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path else ":memory:"
        if path:
            _private_database(Path(path))
        self._local = threading.local()
        self._cache: dict[tuple[str, str], tuple[int, Any]] = {}
        self._cache_lock = threading.Lock()
        # An in-memory database exists per connection, so all threads share one, serialized.
        self._shared: sqlite3.Connection | None = None
        self._shared_lock = threading.RLock()
        if self.path == ":memory:":
            self._shared = sqlite3.connect(
                ":memory:", check_same_thread=False, isolation_level=None
            )
            self._shared.executescript(SCHEMA)
        else:
            conn = self._connect()
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        if self._shared is not None:
            with self._shared_lock:
                yield from self._run(self._shared)
        else:
            yield from self._run(self._connect())

    def _run(self, conn: sqlite3.Connection) -> Iterator[Transaction]:
        conn.execute("BEGIN IMMEDIATE")
        tx = Transaction(self, conn)
        try:
            yield tx
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            tx._flush()
            conn.execute("COMMIT")
            tx._publish()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class Transaction:
    """Reads and writes of one request; nothing is visible to others until it commits."""

    def __init__(self, store: Store, conn: sqlite3.Connection) -> None:
        self._store = store
        self._conn = conn
        self._pending: dict[tuple[str, str], Any] = {}  # None means deleted
        self._committed: dict[tuple[str, str], tuple[int, Any]] = {}

    def get(self, kind: str, id: str) -> Any | None:
        """The resource, as a private copy the caller may mutate and put back."""
        value = self.peek(kind, id)
        return None if value is None else copy.deepcopy(value)

    def peek(self, kind: str, id: str) -> Any | None:
        """The resource, shared with the cache: callers must not mutate it (saves a deep copy)."""
        key = (kind, id)
        if key in self._pending:
            return self._pending[key]
        row = self._conn.execute(
            "SELECT version FROM resources WHERE kind=? AND id=?", key
        ).fetchone()
        if row is None:
            return None
        version = row[0]
        with self._store._cache_lock:
            cached = self._store._cache.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        (body,) = self._conn.execute(
            "SELECT body FROM resources WHERE kind=? AND id=?", key
        ).fetchone()
        value = json.loads(body)
        with self._store._cache_lock:
            self._store._cache[key] = (version, value)
        return value

    def exists(self, kind: str, id: str) -> bool:
        key = (kind, id)
        if key in self._pending:
            return self._pending[key] is not None
        row = self._conn.execute("SELECT 1 FROM resources WHERE kind=? AND id=?", key).fetchone()
        return row is not None

    def put(self, kind: str, id: str, value: Any) -> None:
        self._pending[(kind, id)] = value

    def delete(self, kind: str, id: str) -> None:
        self._pending[(kind, id)] = None

    def ids(self, kind: str) -> list[str]:
        rows = self._conn.execute("SELECT id FROM resources WHERE kind=? ORDER BY rowid", (kind,))
        found = [r[0] for r in rows]
        for (k, i), v in self._pending.items():
            if k == kind:
                if v is None and i in found:
                    found.remove(i)
                elif v is not None and i not in found:
                    found.append(i)
        return found

    def _flush(self) -> None:
        for (kind, id), value in self._pending.items():
            if value is None:
                self._conn.execute("DELETE FROM resources WHERE kind=? AND id=?", (kind, id))
                continue
            row = self._conn.execute(
                "SELECT version FROM resources WHERE kind=? AND id=?", (kind, id)
            ).fetchone()
            version = (row[0] if row else 0) + 1
            self._conn.execute(
                "INSERT OR REPLACE INTO resources(kind, id, version, body) VALUES (?,?,?,?)",
                (kind, id, version, json.dumps(value, ensure_ascii=False, separators=(",", ":"))),
            )
            self._committed[(kind, id)] = (version, value)

    def _publish(self) -> None:
        with self._store._cache_lock:
            for key, entry in self._committed.items():
                self._store._cache[key] = entry
            for key, value in self._pending.items():
                if value is None:
                    self._store._cache.pop(key, None)


def _private_database(path: Path) -> None:
    """Every local document lives in this file: its folder 0700, the file (and SQLite's -wal and
    -shm, which SQLite creates with the database's mode) 0600, whatever the umask, including a
    file an older version left readable to others."""
    from gdoc_sync.local.settings import private_dir, private_file

    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        pass  # a symlink or unopenable: sqlite3.connect reports what is wrong with it
    else:
        os.close(fd)
    for suffix in ("", "-wal", "-shm", "-journal"):
        private_file(path.with_name(path.name + suffix))
