"""Moderators' shortcut: append one contribution to a question's list from the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .api import GoogleApi
from .errors import ConflictError, RevisionConflict, SessionError, UsageError
from .model import RANGE_ONLINE, RANGE_QUESTION
from .session import parse_document_ref

MAX_ATTEMPTS = 5
ONLINE = "online"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def format_note(
    text: str, *, speaker: str | None = None, group: str | None = None, online: bool = False
) -> str:
    """The contribution as a moderator would type it: `Group: text (speaker, group, online)`."""
    text = " ".join(text.split())
    if not text:
        raise UsageError("the contribution text is empty")
    parts = [p for p in (speaker, group, "online" if online else None) if p]
    return f"{text} ({', '.join(parts)})" if parts else text


@dataclass
class NoteResult:
    """Where the contribution landed."""

    document_id: str
    section: str
    index: int
    text: str


def _section_range(doc: dict[str, Any], question: str) -> tuple[str, int, int]:
    name = RANGE_ONLINE if question.lower() == ONLINE else RANGE_QUESTION + question
    entry = (doc.get("namedRanges") or {}).get(name)
    if not entry:
        known = sorted(
            n[len(RANGE_QUESTION) :]
            for n in (doc.get("namedRanges") or {})
            if n.startswith(RANGE_QUESTION)
        )
        if question.lower() == ONLINE:
            raise SessionError("this session Doc has no online discussion section")
        raise UsageError(
            f"--question {question}: no such policy question in this Doc "
            f"(known: {', '.join(known) or 'none'})"
        )
    spans = [
        (r.get("startIndex", 0), r["endIndex"]) for nr in entry["namedRanges"] for r in nr["ranges"]
    ]
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    return name, start, end


def plan_note(doc: dict[str, Any], question: str, text: str) -> list[dict[str, Any]]:
    """Requests that put `text` as a new top-level bullet at the end of the section's list."""
    _, start, end = _section_range(doc, question)
    paragraphs = [
        el
        for el in doc.get("body", {}).get("content", [])
        if "paragraph" in el and el.get("startIndex", 0) >= start and el["endIndex"] <= end
    ]
    bullets = [p for p in paragraphs if p["paragraph"].get("bullet")]
    if bullets:
        last = bullets[-1]
        content = "".join(
            e.get("textRun", {}).get("content", "") for e in last["paragraph"].get("elements", [])
        )
        level = last["paragraph"]["bullet"].get("nestingLevel", 0)
        if not content.strip() and level == 0:
            # The template's empty bullet: fill it instead of leaving a blank line above.
            at = last["startIndex"]
            return [{"insertText": {"location": {"index": at}, "text": text}}]
        at = last["endIndex"] - 1
        requests: list[dict[str, Any]] = [
            {"insertText": {"location": {"index": at}, "text": "\n" + text}}
        ]
        if level:
            # After a nested detail line the new paragraph would be nested too: make it its own
            # top-level item.
            new_start = at + 1
            new_end = new_start + utf16_len(text)
            requests += [
                {
                    "deleteParagraphBullets": {
                        "range": {"startIndex": new_start, "endIndex": new_end}
                    }
                },
                {
                    "createParagraphBullets": {
                        "range": {"startIndex": new_start, "endIndex": new_end},
                        "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                    }
                },
            ]
        return requests
    if not paragraphs:
        raise SessionError(f"the section for {question} is empty: its named range covers no text")
    last = paragraphs[-1]
    at = last["endIndex"] - 1
    new_start = at + 1
    return [
        {"insertText": {"location": {"index": at}, "text": "\n" + text}},
        {
            "updateParagraphStyle": {
                "range": {"startIndex": new_start, "endIndex": new_start + utf16_len(text)},
                "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                "fields": "namedStyleType",
            }
        },
        {
            "createParagraphBullets": {
                "range": {"startIndex": new_start, "endIndex": new_start + utf16_len(text)},
                "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
            }
        },
    ]


def _copies(doc: dict[str, Any], question: str, text: str) -> int:
    """How many paragraphs of the section read exactly `text`."""
    _, start, end = _section_range(doc, question)
    count = 0
    for el in doc.get("body", {}).get("content", []):
        if "paragraph" not in el or el.get("startIndex", 0) < start or el["endIndex"] > end:
            continue
        content = "".join(
            e.get("textRun", {}).get("content", "") for e in el["paragraph"].get("elements", [])
        )
        count += content.rstrip("\n") == text
    return count


def add_note(
    api: GoogleApi,
    document_ref: str,
    question: str,
    text: str,
    *,
    progress: Callable[[str], None] = lambda _: None,
) -> NoteResult:
    """Append the contribution; if people type in the meantime, read again and retry."""
    document_id = parse_document_ref(document_ref)
    before: int | None = None
    for _attempt in range(MAX_ATTEMPTS):
        doc = api.get_document(document_id)
        if before is None:
            before = _copies(doc, question, text)
        elif _copies(doc, question, text) > before:
            # The write we could not confirm did land (its answer was lost): do not add it twice.
            return NoteResult(document_id, question, -1, text)
        revision = doc.get("revisionId")
        if not revision:
            raise SessionError(
                f"document {document_id} came back without a revision id: refusing to write blind"
            )
        requests = plan_note(doc, question, text)
        try:
            api.update_document(document_id, requests, required_revision_id=revision)
        except RevisionConflict:
            progress("the Doc changed while adding the note: trying again")
            continue
        index = requests[0]["insertText"]["location"]["index"]
        return NoteResult(document_id, question, index, text)
    raise ConflictError(
        f"the Doc kept changing; the note was not added after {MAX_ATTEMPTS} "
        "attempts, run note again"
    )
