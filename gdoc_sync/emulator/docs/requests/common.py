"""What every Docs batchUpdate handler uses: resolving locations, ranges and `fields`
masks, and edits that keep named ranges on their text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gdoc_sync.emulator import fieldmask
from gdoc_sync.emulator.docs.document import MSG_FINAL_NEWLINE
from gdoc_sync.emulator.docs.segment import Segment
from gdoc_sync.emulator.docs.tree import (
    MSG_BAD_DELETE,
    Bad,
    Para,
    find,
    insert_into,
    para_insert,
    paragraphs,
    plan_delete,
    style_at,
    style_before,
    text_run,
)

if TYPE_CHECKING:
    from gdoc_sync.emulator.docs.document import Doc, Tab

# --- resolving request arguments -----------------------------------------------------------


def _int(value: Any, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise Bad(f"{what} must be an integer.")


def _index_error(index: int, seg: Segment) -> Bad:
    return Bad(
        f"Index {index} must be less than the end index of the referenced segment, {seg.total}."
    )


def _where(
    doc: Doc, payload: dict[str, Any], *, body_only: str | None = None
) -> tuple[Tab, Segment, int]:
    """Tab, segment and index of a request's location or endOfSegmentLocation."""
    loc = payload.get("location")
    eos = payload.get("endOfSegmentLocation")
    if loc is not None and eos is not None:
        raise Bad("Only one of location and endOfSegmentLocation may be set.")
    if loc is None and eos is None:
        raise Bad("A location or an endOfSegmentLocation must be set.")
    spec = loc if loc is not None else eos
    assert spec is not None  # one of the two is set, checked above
    tab = doc.tab(spec.get("tabId"))
    segment_id = spec.get("segmentId") or ""
    if body_only and segment_id:
        raise Bad(body_only)
    seg = tab.segment(segment_id)
    if loc is None:
        return tab, seg, seg.total - 1
    index = _int(loc.get("index", 0), "location.index")
    if index < 0:
        raise Bad(f"Index {index} must be greater than or equal to 0.")
    if index >= seg.total:
        raise _index_error(index, seg)
    return tab, seg, index


def _range(doc: Doc, rng: Any) -> tuple[Tab, Segment, int, int]:
    if not isinstance(rng, dict):
        raise Bad("A range must be set.")
    if "startIndex" not in rng or "endIndex" not in rng:
        raise Bad("The range must have a start index and an end index.")
    start = _int(rng["startIndex"], "range.startIndex")
    end = _int(rng["endIndex"], "range.endIndex")
    tab = doc.tab(rng.get("tabId"))
    seg = tab.segment(rng.get("segmentId") or "")
    if end < start:
        raise Bad("Invalid range: end index cannot be less than start index")
    if start == end:
        raise Bad("The range should not be empty.")
    if start < 0:
        raise Bad(f"Index {start} must be greater than or equal to 0.")
    if start >= seg.total:
        raise _index_error(start, seg)
    if end > seg.total:
        raise _index_error(end - 1, seg)
    return tab, seg, start, end


def _para_at(seg: Segment, pos: int) -> tuple[Para, int] | None:
    """The paragraph holding pos (inside tables too) and pos's offset in it."""
    k, start = seg.locate(pos)
    for p, ps in paragraphs(seg.items, start, pos, pos + 1, first=k):
        return p, pos - ps
    return None


def _fields(raw: Any, allowed: frozenset[str]) -> list[str]:
    if not isinstance(raw, str) or not raw.strip():
        raise Bad(
            "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"
        )
    try:
        fields = [".".join(path) for path in fieldmask.paths(raw)]
    except ValueError:
        raise Bad(f"Invalid field mask: '{raw}'.") from None
    if "*" in fields:
        return sorted(allowed - {"headingId"})
    for field in fields:
        if field.split(".")[0] not in allowed:
            raise Bad(
                "Error expanding 'fields' parameter. "
                f"Cannot find matching fields for path '{field}'."
            )
    return fields


def _masked(old: dict[str, Any], new: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """old with each field path set from new, or removed where new leaves it unset."""
    out = dict(old)
    for field in fields:
        path = field.split(".")
        source: Any = new
        for part in path:
            source = source.get(part, _UNSET) if isinstance(source, dict) else _UNSET
        target = out
        for part in path[:-1]:
            inner = target.get(part)
            target[part] = dict(inner) if isinstance(inner, dict) else {}
            target = target[part]
        if source is _UNSET:
            target.pop(path[-1], None)
        else:
            target[path[-1]] = source
    return out


_UNSET = object()


# --- edits that keep named ranges on their text --------------------------------------------


def _insert(doc: Doc, seg: Segment, index: int, fn: Any, *, into_tables: bool = True) -> None:
    k, start = seg.locate(index)
    new_items = insert_into(seg.items[k], index - start, fn, into_tables=into_tables)
    seg.rewrite(k, k, new_items, index, index)
    doc.changed = True


def _delete(doc: Doc, tab: Tab, seg: Segment, start: int, end: int) -> None:
    if seg.kind == "body" and start < 1:
        raise Bad(MSG_BAD_DELETE)
    k1, k2, new_items = plan_delete(
        seg.items, seg.locate, seg.total, start, end, final=MSG_FINAL_NEWLINE
    )
    for ref in seg.rewrite(k1, k2, new_items, start, end):
        tab.drop_ref(ref)
    doc.changed = True


def _replace(doc: Doc, tab: Tab, seg: Segment, start: int, end: int, text: str) -> None:
    """Replaces [start, end) with text in the style of the replaced text's first character.

    Done as one edit, so a range that covered the replaced text covers the new text.
    """
    if not text:
        _delete(doc, tab, seg, start, end)
        return
    if seg.kind == "body" and start < 1:
        raise Bad(MSG_BAD_DELETE)
    at = _para_at(seg, start)
    style = style_at(at[0].elems, at[1]) if at else {}
    k1, k2, new_items = plan_delete(
        seg.items, seg.locate, seg.total, start, end, final=MSG_FINAL_NEWLINE
    )
    local = start - seg.start_of(k1)
    j, j_start = find(new_items, local)
    if j == len(new_items):
        # Whole items went; the text starts the item after them.
        k2 += 1
        new_items.append(seg.items[k2])
    new_items[j : j + 1] = insert_into(
        new_items[j],
        local - j_start,
        lambda p, o: para_insert(p, o, [text_run(text, style)], doc.ids),
    )
    for ref in seg.rewrite(k1, k2, new_items, start, end):
        tab.drop_ref(ref)
    doc.changed = True


def _text_inserter(doc: Doc, text: str) -> Any:
    return lambda p, o: para_insert(p, o, [text_run(text, style_before(p.elems, o))], doc.ids)


Reply = dict[str, Any] | None
