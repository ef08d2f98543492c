"""How a session's Doc and Sheet are found and named: their URLs, a Doc id from what a user
pastes, the Doc's pointer to its companion Sheet, and the Drive labels on both files."""

from __future__ import annotations

import re
from typing import Any

from gdoc_sync.core.model import RANGE_SHEET
from gdoc_sync.errors import SessionError, UsageError

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
