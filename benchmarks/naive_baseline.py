"""The baseline: the same sync done the way most scripts do it, with gspread, one call per row."""

from __future__ import annotations

import re
from typing import Any

from gdoc_sync.google.clients import Clients

_QUESTION_HEADING = re.compile(r"^(Q\d+)[.:\s]")
_ATTRIBUTION = re.compile(r"\(([^()]*)\)\s*$")
ONLINE_WORDS = ("online", "remote", "zoom", "chat")


def _text(paragraph: dict[str, Any]) -> str:
    return "".join(
        e.get("textRun", {}).get("content", "") for e in paragraph.get("elements", [])
    ).strip()


def naive_rows(doc: dict[str, Any]) -> list[list[str]]:
    """Contribution rows as a typical script finds them: bullets under "Qn." headings, split at
    the first colon and at the trailing parenthesis."""
    rows: list[list[str]] = []
    question = ""
    for element in doc.get("body", {}).get("content", []):
        paragraph = element.get("paragraph")
        if not paragraph:
            continue
        text = _text(paragraph)
        style = paragraph.get("paragraphStyle", {}).get("namedStyleType", "")
        if style.startswith("HEADING"):
            m = _QUESTION_HEADING.match(text)
            question = m.group(1) if m else ""
            continue
        if not question or not paragraph.get("bullet") or not text:
            continue
        group, sep, rest = text.partition(":")
        if not sep:
            group, rest = "", text
        speaker = proposer = ""
        online = False
        m = _ATTRIBUTION.search(rest)
        if m:
            parts = [p.strip() for p in m.group(1).split(",")]
            online = parts[-1].lower() in ONLINE_WORDS
            parts = parts[:-1] if online else parts
            speaker = parts[0] if parts else ""
            proposer = parts[1] if len(parts) > 1 else ""
            rest = rest[: m.start()]
        rows.append(
            [
                question,
                group.strip(),
                rest.strip(),
                speaker,
                proposer,
                "online" if online else "onsite",
            ]
        )
    return rows


def naive_sync(clients: Clients, document_id: str, spreadsheet_id: str) -> int:
    """Read the Doc once, then append one row per contribution with gspread's append_row."""
    doc = clients.docs.documents().get(documentId=document_id).execute()
    worksheet = clients.sheets.open_by_key(spreadsheet_id).worksheet("Contributions")
    rows = naive_rows(doc)
    for row in rows:
        worksheet.append_row(row, value_input_option="RAW")
    return len(rows)
