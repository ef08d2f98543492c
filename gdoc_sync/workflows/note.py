"""Moderators' shortcut: append one contribution to a question's list from the command line,
exactly once however often the command is interrupted and run again."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdoc_sync.core.document import in_tab, session_document, utf16_len
from gdoc_sync.core.links import parse_document_ref
from gdoc_sync.core.model import (
    RANGE_ACTIONS,
    RANGE_ONLINE,
    RANGE_PREFIX,
    RANGE_QUESTION,
    question_heading,
)
from gdoc_sync.core.text import PLAIN_FIELDS, one_line, storable
from gdoc_sync.errors import ConflictError, RevisionMismatch, SessionError, UsageError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.local.journal import Warn, append_line, read_lines
from gdoc_sync.locales.texts import document_language, texts

MAX_ATTEMPTS = 5
ONLINE = "online"
# The invisible mark written in the same batchUpdate as a note's text: the answer to "did my
# write land?" whatever Docs did to the characters.
RANGE_NOTE = RANGE_PREFIX + "note:"  # + the note's id


def format_note(
    text: str,
    *,
    speaker: str | None = None,
    group: str | None = None,
    online: bool = False,
    language: str = "en",
) -> str:
    """The contribution as a moderator would type it: `Group: text (speaker, group, online)`,
    the channel word in the session's language ("en línea", "en ligne")."""
    text = one_line(text)
    if not text:
        raise UsageError("the contribution text is empty")
    word = texts(language)["word.online"] if online else None
    parts = [one_line(p) for p in (speaker, group, word) if p]
    parts = [p for p in parts if p]
    return f"{text} ({', '.join(parts)})" if parts else text


@dataclass
class NoteResult:
    """Where the contribution landed."""

    document_id: str
    section: str
    index: int
    text: str
    note_id: str = ""
    already: bool = False  # an earlier, interrupted run had added it: nothing was written now


class NoteLedger:
    """This machine's record of the notes it is adding: a `pending` line is written (and fsynced)
    before the Doc write, a `done` line after it. A run of the same note (same Doc, question and
    text) finds the pending or done line, reuses its id and asks the Doc whether that id's mark
    is there, so a note killed at any moment is added exactly once when run again."""

    def __init__(self, directory: Path, *, warn: Warn | None = None) -> None:
        self.directory = directory
        self.warn = warn

    def path(self, document_id: str) -> Path:
        return self.directory / f"{document_id}.notes.jsonl"

    @staticmethod
    def key(document_id: str, question: str, text: str) -> str:
        blob = json.dumps([document_id, question.lower(), text], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def find(self, document_id: str, key: str) -> dict[str, Any] | None:
        """The latest line about this note, or None."""
        found = None
        for entry in read_lines(self.path(document_id), self.warn):
            if entry.get("key") == key and isinstance(entry.get("id"), str):
                found = entry
        return found

    def ids(self, document_id: str, key: str) -> list[str]:
        """Every id a run of this note has used on this machine (two runs at once use two)."""
        return list(
            dict.fromkeys(
                entry["id"]
                for entry in read_lines(self.path(document_id), self.warn)
                if entry.get("key") == key and isinstance(entry.get("id"), str)
            )
        )

    def record(self, document_id: str, key: str, note_id: str, state: str, question: str) -> None:
        line = {
            "key": key,
            "id": note_id,
            "state": state,
            "question": question,
            "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        append_line(self.path(document_id), json.dumps(line).encode("utf-8"))


def _named(doc: dict[str, Any]) -> dict[str, Any]:
    return doc.get("namedRanges") or {}


def _section_range(doc: dict[str, Any], question: str) -> tuple[str, int, int]:
    name = RANGE_ONLINE if question.lower() == ONLINE else RANGE_QUESTION + question
    entry = _named(doc).get(name)
    if not entry and question.lower() != ONLINE:
        # Question ids are case-insensitive: "-q q2" is Q2.
        for other in _named(doc):
            if other.startswith(RANGE_QUESTION) and (
                other[len(RANGE_QUESTION) :].casefold() == question.casefold()
            ):
                name, entry = other, _named(doc)[other]
                break
    if not entry and question.lower() != ONLINE:
        # Its named range is gone (the section was cut and typed back, or moved): its heading.
        found = _section_by_heading(doc, question)
        if found is not None:
            return found
    if not entry:
        known = sorted(
            n[len(RANGE_QUESTION) :] for n in _named(doc) if n.startswith(RANGE_QUESTION)
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


def _section_by_heading(doc: dict[str, Any], question: str) -> tuple[str, int, int] | None:
    """The section whose heading starts with the question id ("Q3.", "q3:"), to the next heading
    of its level or above, or the next named section, whichever comes first."""
    pattern = question_heading(question)
    headings: list[tuple[int, int, str]] = []  # (start, level, text)
    for el in doc.get("body", {}).get("content", []):
        paragraph = el.get("paragraph")
        if not paragraph or paragraph.get("bullet"):
            continue
        style = (paragraph.get("paragraphStyle") or {}).get("namedStyleType", "")
        if style.startswith("HEADING_") or style == "TITLE":
            level = int(style.rsplit("_", 1)[1]) if style.startswith("HEADING_") else 0
            headings.append((el.get("startIndex", 0), level, _text_of(el)))
    match = next(((h, m) for h in headings if (m := pattern.match(h[2]))), None)
    if match is None:
        return None
    (start, level, _text), id_match = match
    ends = [s for s, lvl, _ in headings if s > start and lvl <= level]
    ends += [
        r.get("startIndex", 0)
        for name, entry in _named(doc).items()
        if name.startswith((RANGE_QUESTION, RANGE_ONLINE, RANGE_ACTIONS))
        for nr in entry["namedRanges"]
        for r in nr["ranges"]
        if r.get("startIndex", 0) > start
    ]
    body = doc.get("body", {}).get("content", [])
    end = min(ends) if ends else (body[-1]["endIndex"] if body else start)
    return RANGE_QUESTION + id_match.group(0).strip(), start, end


def _marker_start(doc: dict[str, Any], note_id: str) -> int | None:
    entry = _named(doc).get(RANGE_NOTE + note_id)
    if not entry:
        return None
    starts = [r.get("startIndex", 0) for nr in entry["namedRanges"] for r in nr["ranges"]]
    return min(starts) if starts else None


def _plain(start: int, end: int) -> list[dict[str, Any]]:
    """Requests that give [start, end) plain text in a normal paragraph, whatever came before."""
    return [
        {
            "updateTextStyle": {
                "range": {"startIndex": start, "endIndex": end},
                "textStyle": {},
                "fields": PLAIN_FIELDS,
            }
        },
        {
            "updateParagraphStyle": {
                "range": {"startIndex": start, "endIndex": end},
                "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                "fields": "namedStyleType",
            }
        },
    ]


BULLETS = "BULLET_DISC_CIRCLE_SQUARE"


def _text_of(paragraph: dict[str, Any]) -> str:
    return "".join(
        e.get("textRun", {}).get("content", "") for e in paragraph["paragraph"].get("elements", [])
    )


def plan_note(
    doc: dict[str, Any], question: str, text: str, note_id: str | None = None
) -> list[dict[str, Any]]:
    """Requests that put `text` as a new top-level bullet at the end of the section's list, in
    plain style, with the note's invisible mark over it when `note_id` is given."""
    _, start, end = _section_range(doc, question)
    length = utf16_len(text)
    paragraphs = [
        el
        for el in doc.get("body", {}).get("content", [])
        if "paragraph" in el and el.get("startIndex", 0) >= start and el["endIndex"] <= end
    ]
    bullets = [p for p in paragraphs if p["paragraph"].get("bullet")]
    # Text typed below the last bullet (its bullet turned off) is a contribution too: the note
    # goes after it, as a bullet of its own.
    typed_after = [
        p
        for p in paragraphs
        if bullets and p["startIndex"] > bullets[-1]["startIndex"] and _text_of(p).strip()
    ]
    requests: list[dict[str, Any]]
    if typed_after:
        at = typed_after[-1]["endIndex"] - 1
        new_start = at + 1
        rng = {"startIndex": new_start, "endIndex": new_start + length}
        requests = [{"insertText": {"location": {"index": at}, "text": "\n" + text}}]
        requests += _plain(new_start, new_start + length)
        requests += [
            {"deleteParagraphBullets": {"range": rng}},
            {"createParagraphBullets": {"range": dict(rng), "bulletPreset": BULLETS}},
        ]
    elif bullets:
        last = bullets[-1]
        content = "".join(
            e.get("textRun", {}).get("content", "") for e in last["paragraph"].get("elements", [])
        )
        level = last["paragraph"]["bullet"].get("nestingLevel", 0)
        if not content.strip() and level == 0:
            # The template's empty bullet: fill it instead of leaving a blank line above.
            new_start = last["startIndex"]
            requests = [{"insertText": {"location": {"index": new_start}, "text": text}}]
            requests += _plain(new_start, new_start + length)
        else:
            at = last["endIndex"] - 1
            new_start = at + 1
            requests = [{"insertText": {"location": {"index": at}, "text": "\n" + text}}]
            requests += _plain(new_start, new_start + length)
            if level:
                # After a nested detail line the new paragraph would be nested too: make it its
                # own top-level item.
                rng = {"startIndex": new_start, "endIndex": new_start + length}
                requests += [
                    {"deleteParagraphBullets": {"range": rng}},
                    {
                        "createParagraphBullets": {
                            "range": dict(rng),
                            "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                        }
                    },
                ]
    else:
        if not paragraphs:
            raise SessionError(
                f"the section for {question} is empty: its named range covers no text"
            )
        at = paragraphs[-1]["endIndex"] - 1
        new_start = at + 1
        requests = [{"insertText": {"location": {"index": at}, "text": "\n" + text}}]
        requests += _plain(new_start, new_start + length)
        requests.append(
            {
                "createParagraphBullets": {
                    "range": {"startIndex": new_start, "endIndex": new_start + length},
                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                }
            }
        )
    if note_id:
        requests.append(
            {
                "createNamedRange": {
                    "name": RANGE_NOTE + note_id,
                    "range": {"startIndex": new_start, "endIndex": new_start + length},
                }
            }
        )
    return requests


def add_note(
    api: GoogleApi,
    document_ref: str,
    question: str,
    text: str | Callable[[str], str],
    *,
    ledger: NoteLedger | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> NoteResult:
    """Append the contribution; if people type in the meantime, read again and retry.

    The text goes in with an invisible mark (`gdoc_sync:note:<id>`) in the same batchUpdate,
    which requires the revision just read: the write lands whole or not at all, and a read
    shows whether it landed. With a ledger, the id is recorded before the write, so a run
    interrupted at any moment (even killed after the write, before its answer) and run again
    finds its mark instead of adding a second copy."""
    document_id = parse_document_ref(document_ref)
    doc = session_document(api, document_id)
    if callable(text):  # the line as the Doc's language writes it (format_note's channel word)
        text = text(document_language(doc))
    text = storable(text).strip()
    if not text:
        raise UsageError("the contribution text is empty")
    key = NoteLedger.key(document_id, question, text)
    earlier = ledger.find(document_id, key) if ledger else None
    note_id = earlier["id"] if earlier else uuid.uuid4().hex[:16]
    recorded = earlier is not None and earlier.get("state") == "pending"
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            doc = session_document(api, document_id)
        # Our id, or that of another run of the same note on this machine (run at the same
        # time, or earlier and interrupted).
        candidates = [note_id] + (
            [i for i in ledger.ids(document_id, key) if i != note_id] if ledger else []
        )
        found = [(i, at) for i in candidates if (at := _marker_start(doc, i)) is not None]
        if found:
            # This note's mark is in the Doc: an earlier write landed (its answer may have been
            # lost, or the process killed). Do not add it twice.
            found_id, at = found[0]
            if ledger is not None and (earlier is None or earlier.get("state") != "done"):
                ledger.record(document_id, key, found_id, "done", question)
            mine = found_id == note_id and attempt > 0
            return NoteResult(document_id, question, at, text, found_id, already=not mine)
        if attempt == 0 and earlier is not None and earlier.get("state") == "done":
            # Added before and since deleted from the Doc by someone: running the command again
            # asks for it again, as a new note.
            note_id = uuid.uuid4().hex[:16]
            recorded = False
        revision = doc.get("revisionId")
        if not revision:
            raise SessionError(
                f"document {document_id} came back without a revision id: refusing to write blind"
            )
        requests = plan_note(doc, question, text, note_id)
        if ledger is not None and not recorded:
            ledger.record(document_id, key, note_id, "pending", question)
            recorded = True
        try:
            api.update_document(document_id, in_tab(requests, doc), required_revision_id=revision)
        except RevisionMismatch:
            progress("the Doc changed while adding the note: trying again")
            continue
        if ledger is not None:
            ledger.record(document_id, key, note_id, "done", question)
        index = requests[0]["insertText"]["location"]["index"]
        return NoteResult(document_id, question, index, text, note_id)
    raise ConflictError(
        f"the Doc kept changing; the note was not added after {MAX_ATTEMPTS} "
        "attempts, run note again"
    )


@dataclass
class NotePreview:
    """What `note --dry-run` would do: where the text would go, and the requests."""

    document_id: str
    section: str
    index: int
    text: str
    after: str  # the paragraph it would follow ("" when it fills the section's empty bullet)
    requests: list[dict[str, Any]]


def preview_note(
    api: GoogleApi, document_ref: str, question: str, text: str | Callable[[str], str]
) -> NotePreview:
    """Read the Doc and plan the note without writing anything (not even the local ledger)."""
    document_id = parse_document_ref(document_ref)
    doc = session_document(api, document_id)
    if callable(text):  # the line as the Doc's language writes it
        text = text(document_language(doc))
    text = storable(text).strip()
    if not text:
        raise UsageError("the contribution text is empty")
    requests = plan_note(doc, question, text)
    insert = requests[0]["insertText"]
    index = insert["location"]["index"]
    after = ""
    if insert["text"].startswith("\n"):
        for el in doc.get("body", {}).get("content", []):
            if "paragraph" in el and el.get("startIndex", 0) <= index < el["endIndex"]:
                after = "".join(
                    e.get("textRun", {}).get("content", "") for e in el["paragraph"]["elements"]
                ).strip()
    name, _, _ = _section_range(doc, question)
    section = ONLINE if name == RANGE_ONLINE else name[len(RANGE_QUESTION) :]
    return NotePreview(document_id, section, index, text, after, requests)
