"""Finding a session from what a user has (a Doc URL or id), and the local state kept for it."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdoc_sync.core.model import RANGE_SHEET
from gdoc_sync.errors import SessionError, UsageError
from gdoc_sync.google.scopes import SCOPE_DRIVE_FULL, SCOPES_DEFAULT
from gdoc_sync.local.settings import Settings

if TYPE_CHECKING:  # the Google stack is imported by open_api, when a command talks to Google
    from gdoc_sync.google.api import GoogleApi
    from gdoc_sync.google.retry import RetryPolicy

# Drive appProperties that label a session's files (keys + values stay under Drive's 124 bytes).
PROP_SESSION = "gdocSyncSession"
PROP_ROLE = "gdocSyncRole"
PROP_DOCUMENT = "gdocSyncDocument"
PROP_SPREADSHEET = "gdocSyncSpreadsheet"
PROP_VERSION = "gdocSyncVersion"
ROLE_DOCUMENT = "document"
ROLE_SPREADSHEET = "spreadsheet"

_ID = r"[A-Za-z0-9_-]{20,}"
_DOC_URL = re.compile(r"docs\.google\.com/document/(?:u/\d+/)?d/(" + _ID + ")")
_SHEET_URL = re.compile(r"docs\.google\.com/spreadsheets/(?:u/\d+/)?d/(" + _ID + ")")
_ANY_GOOGLE_URL = re.compile(r"^https?://", re.I)


def document_url(document_id: str) -> str:
    return f"https://docs.google.com/document/d/{document_id}/edit"


def spreadsheet_url(spreadsheet_id: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"


def parse_document_ref(ref: str) -> str:
    """A Doc id from a Doc URL or a bare id; a Sheet URL or another URL is a clear error."""
    ref = ref.strip()
    m = _DOC_URL.search(ref)
    if m:
        return m.group(1)
    if _SHEET_URL.search(ref):
        raise UsageError(
            f"{ref} is a Google Sheets URL; give the session Doc's URL "
            "(https://docs.google.com/document/d/...)"
        )
    if _ANY_GOOGLE_URL.match(ref):
        raise UsageError(
            f"{ref} is not a Google Docs document URL "
            "(expected https://docs.google.com/document/d/ID/...)"
        )
    if re.fullmatch(_ID, ref):
        return ref
    raise UsageError(f"{ref!r} is neither a Google Docs URL nor a document id")


def sheet_named_by(doc: dict[str, Any]) -> str | None:
    """The companion Sheet's id, from the Doc's `gdoc_sync:sheet:<id>` named range."""
    ranges = doc.get("namedRanges")
    if ranges is None and doc.get("tabs"):
        ranges = doc["tabs"][0].get("documentTab", {}).get("namedRanges")
    for name in ranges or {}:
        if name.startswith(RANGE_SHEET):
            return name[len(RANGE_SHEET) :]
    return None


def companion_sheet(doc: dict[str, Any], document_id: str) -> str:
    """The Sheet a session Doc names; any other Doc is refused with one clear message."""
    spreadsheet_id = sheet_named_by(doc)
    if not spreadsheet_id:
        raise SessionError(
            f"document {document_id} is not a gdoc-sync session Doc: it names no companion Sheet "
            "(create one with `gdoc-sync create TEMPLATE`)"
        )
    return spreadsheet_id


def open_api(
    settings: Settings,
    *,
    notice: Callable[[str], None] | None = None,
    scopes: tuple[str, ...] | None = None,
    retry: RetryPolicy | None = None,
) -> GoogleApi:
    """The API facade for the settings' backend; quotas are only enforced against Google."""
    # Imported here, not at the top: commands that only read local files (history, template,
    # --help) must not pay for the Google client libraries' import.
    from gdoc_sync.google.api import GoogleApi
    from gdoc_sync.google.clients import connect

    wanted = scopes or SCOPES_DEFAULT
    if settings.full_drive_scope and SCOPE_DRIVE_FULL not in wanted:
        wanted = (*wanted, SCOPE_DRIVE_FULL)
    clients = connect(settings, scopes=wanted, notice=notice)
    limiter = None
    if clients.backend == "google":
        from gdoc_sync.google.ratelimit import SharedRateLimiter

        limiter = SharedRateLimiter.for_account(settings.config_dir, clients.account)
    return GoogleApi(clients, retry=retry, limiter=limiter)


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


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash leaves the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
