"""batchUpdate handlers for text and named ranges: insert, delete and replace text,
create, delete and fill named ranges."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gdoc_sync.emulator.docs.requests.common import (
    _delete,
    _insert,
    _range,
    _replace,
    _text_inserter,
    _where,
)
from gdoc_sync.emulator.docs.segment import NamedRange
from gdoc_sync.emulator.docs.tree import (
    Bad,
    replace_matches,
)
from gdoc_sync.emulator.docs.utf16 import clean_inserted, u16len

if TYPE_CHECKING:
    from gdoc_sync.emulator.docs.document import Doc, Tab
    from gdoc_sync.emulator.docs.requests.common import Reply


def _insert_text(doc: Doc, payload: dict[str, Any]) -> Reply:
    text = clean_inserted(payload.get("text") or "")
    _tab, seg, index = _where(doc, payload)
    if not text:
        return None
    _insert(doc, seg, index, _text_inserter(doc, text))
    return None


def _delete_content_range(doc: Doc, payload: dict[str, Any]) -> Reply:
    tab, seg, start, end = _range(doc, payload.get("range"))
    _delete(doc, tab, seg, start, end)
    return None


def _replace_all_text(doc: Doc, payload: dict[str, Any]) -> Reply:
    criteria = payload.get("containsText") or {}
    needle = criteria.get("text") or ""
    if not needle:
        raise Bad("The text to search for (containsText.text) must not be empty.")
    flags = 0 if criteria.get("matchCase") else re.IGNORECASE
    try:
        pattern = re.compile(needle if criteria.get("searchByRegex") else re.escape(needle), flags)
    except re.error as exc:
        raise Bad(f"Invalid regular expression {needle!r}: {exc}.") from None
    replacement = clean_inserted(payload.get("replaceText") or "")
    count = 0
    for tab in doc.tabs_for(payload.get("tabsCriteria")):
        for seg in tab.all_segments():
            # From the last item back, so the starts of the items still to do stay valid.
            for k in range(len(seg.items) - 1, -1, -1):
                edits: list[tuple[int, int, int]] = []
                new = replace_matches(
                    seg.items[k], seg.start_of(k), pattern, replacement, doc.ids, edits
                )
                if new is None:
                    continue
                for ref in seg.rewrite(k, k, new, 0, 0, edits):
                    tab.drop_ref(ref)
                count += len(edits)
                doc.changed = True
    return {"replaceAllText": {"occurrencesChanged": count} if count else {}}


def _named_name(payload: dict[str, Any], name_key: str) -> tuple[str | None, str | None]:
    range_id = payload.get("namedRangeId") or None
    name = payload.get(name_key) or None
    if range_id is None and name is None:
        raise Bad("ID or name for named range must be set")
    if range_id is not None and name is not None:
        raise Bad(f"Only one of namedRangeId and {name_key} may be set.")
    return range_id, name


def _find_named(doc: Doc, payload: dict[str, Any], name_key: str) -> list[tuple[Tab, NamedRange]]:
    range_id, name = _named_name(payload, name_key)
    found = []
    for tab in doc.tabs_for(payload.get("tabsCriteria")):
        if range_id is not None:
            named = tab.named.get(range_id)
            if named is not None:
                found.append((tab, named))
        else:
            found.extend((tab, named) for named in tab.by_name.get(name or "", {}).values())
    if range_id is not None and not found:
        raise Bad(f"The named range with ID {range_id} was not found.")
    return found


def _create_named_range(doc: Doc, payload: dict[str, Any]) -> Reply:
    name = payload.get("name") or ""
    if not isinstance(name, str) or not 1 <= u16len(name) <= 256:
        raise Bad("The name of a named range must be from 1 to 256 UTF-16 code units long.")
    tab, seg, start, end = _range(doc, payload.get("range"))
    named = NamedRange(doc.mint("kix."), name)
    tab.add_named(named)
    tab.add_range(named, seg, start, end)
    doc.changed = True
    return {"createNamedRange": {"namedRangeId": named.id}}


def _delete_named_range(doc: Doc, payload: dict[str, Any]) -> Reply:
    for tab, named in _find_named(doc, payload, "name"):
        tab.remove_named(named)
        doc.changed = True
    return None


def _replace_named_range_content(doc: Doc, payload: dict[str, Any]) -> Reply:
    text = clean_inserted(payload.get("text") or "")
    for tab, named in _find_named(doc, payload, "namedRangeName"):
        # As documented: the first range gets the text, the others are deleted with their
        # content. Later ranges go first, so positions computed from anchors stay exact.
        refs = sorted(
            named.refs, key=lambda r: (r.seg.kind != "body", r.seg.id, r.seg.pos(r.start))
        )
        for ref in reversed(refs[1:]):
            if ref in named.refs:
                _delete(doc, tab, ref.seg, ref.seg.pos(ref.start), ref.seg.pos(ref.end))
        if refs and refs[0] in named.refs:
            first = refs[0]
            seg = first.seg
            _replace(doc, tab, seg, seg.pos(first.start), seg.pos(first.end), text)
    return None
