"""The emulated Docs v1 document: its stored form, documents.get rendering and batchUpdate.

The stored form is Google's own documents.get response in tabs form (every tab with its
documentTab, indices included) plus an "_emulator" entry with counters, so rendering is mostly
a copy. batchUpdate parses the tabs a batch touches into an editable tree (tree.py, segment.py),
applies the requests in order and writes the tree back; the input is never mutated, so a
request that fails leaves the caller holding the document as it was.

Suggestions are kept as imported. Only suggestions on paragraph elements are interpreted: the
PREVIEW_* view modes delete the suggested insertions (or deletions) from a copy and drop the
suggestion fields; suggestions on tables, rows and cells are passed through unchanged.
"""

from __future__ import annotations

import secrets
from typing import Any

from gdoc_sync.emulator.docs.document import (
    EMULATOR_KEY,
    FIRST_TAB_ID,
    VIEW_MODES,
    Doc,
    _gc_paused,
    _new_tab_json,
    _revision_id,
)
from gdoc_sync.emulator.docs.requests import HANDLERS, KNOWN_REQUESTS
from gdoc_sync.emulator.docs.requests.common import _delete
from gdoc_sync.emulator.docs.tree import (
    Bad,
    Inline,
    all_paragraphs,
    normalize,
    strip_suggestion_keys,
)
from gdoc_sync.emulator.errors import InvalidArgument

# --- the public interface ----------------------------------------------------------------------


def new_document(document_id: str, title: str) -> dict[str, Any]:
    """The stored form of a new empty document: a section break 0..1, an empty paragraph 1..2."""
    return {
        "documentId": document_id,
        "title": title,
        "revisionId": _revision_id(1),
        "tabs": [_new_tab_json(FIRST_TAB_ID, "Tab 1", 0)],
        EMULATOR_KEY: {"rev": 1, "seq": 0},
    }


_LEGACY_SKIP = ("documentId", "title", "revisionId", "suggestionsViewMode", "tabs", EMULATOR_KEY)


def import_document(doc: dict[str, Any], document_id: str | None = None) -> dict[str, Any]:
    """The stored form of a documents.get response, in legacy or tabs form.

    Indices are recomputed from the content, so a consistent document round-trips exactly.
    """
    if not isinstance(doc, dict):
        raise InvalidArgument("A document must be a JSON object.")
    doc_id = document_id or doc.get("documentId") or secrets.token_urlsafe(33)
    if doc.get("tabs"):
        tabs = doc["tabs"]
    else:
        content = {k: v for k, v in doc.items() if k not in _LEGACY_SKIP}
        tab = _new_tab_json(FIRST_TAB_ID, "Tab 1", 0)
        tab["documentTab"].update(content)
        tabs = [tab]
    stored = {
        "documentId": doc_id,
        "title": doc.get("title") or "Untitled document",
        "revisionId": doc.get("revisionId") or _revision_id(1),
        "tabs": tabs,
    }
    with _gc_paused():
        opened = Doc(stored)
        try:
            for opened_tab in opened.walk():
                opened_tab.parse()
        except Bad as exc:
            raise InvalidArgument(exc.message) from None
        return opened.dump()


def render(
    stored: dict[str, Any],
    *,
    include_tabs_content: bool = False,
    suggestions_view_mode: str | None = None,
) -> dict[str, Any]:
    """The documents.get response for the stored document.

    The response shares its content with stored (copying a large document costs more than
    serving it): like stored itself, treat it as read-only.
    """
    mode = VIEW_MODES.get(suggestions_view_mode or "")
    if mode is None:
        raise InvalidArgument(
            "Invalid value at 'suggestions_view_mode' (type.googleapis.com/"
            f'google.apps.docs.v1.SuggestionsViewMode), "{suggestions_view_mode}"'
        )
    tabs = stored.get("tabs") or []
    with_suggestions = set((stored.get(EMULATOR_KEY) or {}).get("suggestions") or ())
    if mode != "SUGGESTIONS_INLINE" and with_suggestions:
        with _gc_paused():
            tabs = _preview(stored, mode, with_suggestions)
    head = {
        "documentId": stored["documentId"],
        "title": stored.get("title", ""),
        "revisionId": stored["revisionId"],
        "suggestionsViewMode": mode,
    }
    if include_tabs_content:
        return {**head, "tabs": tabs}
    return {**head, **(tabs[0]["documentTab"] if tabs else {})}


def _preview(stored: dict[str, Any], mode: str, tab_ids: set[str]) -> list[dict[str, Any]]:
    """Tabs with every suggestion accepted or rejected (on paragraph elements only)."""
    drop = (
        "suggestedDeletionIds"
        if mode == "PREVIEW_SUGGESTIONS_ACCEPTED"
        else "suggestedInsertionIds"
    )
    doc = Doc(stored)
    for tab in doc.walk():
        if tab.id not in tab_ids:
            continue
        tab.parse()
        for seg in tab.all_segments():
            gone: list[tuple[int, int]] = []
            for p, start in all_paragraphs(seg.items):
                pos = start
                for e in p.elems:
                    if drop in e.data:
                        if gone and gone[-1][1] == pos:
                            gone[-1] = (gone[-1][0], pos + e.n)
                        else:
                            gone.append((pos, pos + e.n))
                    pos += e.n
            for a, b in reversed(gone):
                try:
                    _delete(doc, tab, seg, a, b)
                except Bad:
                    pass  # kept where deleting would break the structure (a final newline)
            for p, _ in all_paragraphs(seg.items):
                p.elems = normalize(
                    [Inline(e.kind, strip_suggestion_keys(e.data), e.n) for e in p.elems]
                )
                p.props = strip_suggestion_keys(p.props)
        tab.raw = {k: v for k, v in tab.raw.items() if not k.startswith("suggested")}
    return doc.dump()["tabs"]


def batch_update(
    stored: dict[str, Any], body: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Applies a documents.batchUpdate body: (new stored document, the response).

    All or nothing: an invalid request raises InvalidArgument naming it and nothing is kept.
    """
    if not isinstance(body, dict):
        raise InvalidArgument("The request body must be a JSON object.")
    requests = body.get("requests") or []
    if not isinstance(requests, list):
        raise InvalidArgument("Invalid value at 'requests': a list of requests is expected.")
    current = stored["revisionId"]
    control = body.get("writeControl") or {}
    required = control.get("requiredRevisionId")
    target = control.get("targetRevisionId")
    if required and target:
        raise InvalidArgument("Only one of requiredRevisionId and targetRevisionId may be set.")
    if required and required != current:
        raise InvalidArgument(
            f"The required revision ID '{required}' does not match the latest revision.",
            status="FAILED_PRECONDITION",
        )
    # The emulator keeps no history to merge a stale target revision's edits against, so a
    # target revision must be the latest, like a required one.
    if target and target != current:
        raise InvalidArgument(
            f"The target revision ID '{target}' does not match the latest revision, and the "
            "emulator cannot apply changes against an earlier revision.",
            status="FAILED_PRECONDITION",
        )
    if control.get("writeMode") == "SUGGEST":
        raise InvalidArgument("writeControl.writeMode SUGGEST is not supported by the emulator.")

    with _gc_paused():
        return _apply(stored, requests)


def _apply(stored: dict[str, Any], requests: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = Doc(stored)
    replies: list[dict[str, Any]] = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or not request:
            raise InvalidArgument(f"Invalid requests[{i}]: No request set.")
        if len(request) > 1:
            names = ", ".join(request)
            raise InvalidArgument(
                f"Invalid requests[{i}]: only one kind of request may be set, got {names}."
            )
        ((kind, payload),) = request.items()
        handler = HANDLERS.get(kind)
        if handler is None:
            if kind in KNOWN_REQUESTS:
                raise InvalidArgument(
                    f"Invalid requests[{i}].{kind}: {kind} is not supported by the gdoc-sync "
                    "Docs emulator."
                )
            raise InvalidArgument(
                f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{i}]': "
                "Cannot find field."
            )
        try:
            reply = handler(doc, payload if isinstance(payload, dict) else {})
        except Bad as exc:
            raise InvalidArgument(f"Invalid requests[{i}].{kind}: {exc.message}") from None
        replies.append(reply or {})

    if doc.changed:
        doc.rev += 1
        new = doc.dump(_revision_id(doc.rev))
        _check_size(new)
    else:
        new = stored  # the same object tells the caller there is nothing to save
    response = {
        "documentId": stored["documentId"],
        "replies": replies,
        "writeControl": {"requiredRevisionId": new["revisionId"]},
    }
    return new, response


# support.google.com/drive/answer/37603 ("Files you can store in Google Drive"): a document
# holds up to 1.02 million characters. Google's wording past it is not recorded.
MAX_DOCUMENT_CHARS = 1_020_000


def _check_size(stored: dict[str, Any]) -> None:
    """Refuse a batch that leaves the document's bodies (all tabs) past Google's limit; sizes
    count UTF-16 code units, as indexes do."""
    total = 0
    pending = list(stored.get("tabs") or [])
    while pending:
        tab = pending.pop()
        pending.extend(tab.get("childTabs") or [])
        content = ((tab.get("documentTab") or {}).get("body") or {}).get("content") or []
        if content:
            total += content[-1].get("endIndex", 0)
    if total > MAX_DOCUMENT_CHARS:
        raise InvalidArgument(
            f"The document would hold more than {MAX_DOCUMENT_CHARS} characters, the most "
            "Google allows in a document."
        )


def document_text(stored: dict[str, Any]) -> str:
    """The text of the first tab's body, table cells included, in document order."""
    tabs = stored.get("tabs") or []
    content = tabs[0]["documentTab"]["body"]["content"] if tabs else []
    parts: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for se in items:
            if "paragraph" in se:
                for e in se["paragraph"]["elements"]:
                    run = e.get("textRun")
                    if run:
                        parts.append(run.get("content", ""))
            elif "table" in se:
                for row in se["table"].get("tableRows") or []:
                    for cell in row.get("tableCells") or []:
                        walk(cell.get("content") or [])
            elif "tableOfContents" in se:
                walk(se["tableOfContents"].get("content") or [])

    walk(content)
    return "".join(parts)


__all__ = [
    "batch_update",
    "document_text",
    "import_document",
    "new_document",
    "render",
]
