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

import base64
import copy
import gc
import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gdoc_sync.emulator import fieldmask
from gdoc_sync.emulator.docs import defaults
from gdoc_sync.emulator.docs.segment import NamedRange, RangeRef, Segment
from gdoc_sync.emulator.docs.tree import (
    MSG_BAD_DELETE,
    Bad,
    Cell,
    Emitter,
    Ids,
    Inline,
    Item,
    Opaque,
    Para,
    Row,
    Table,
    all_paragraphs,
    find,
    insert_into,
    normalize,
    para_insert,
    para_restyle,
    paragraphs,
    parse_content,
    plan_delete,
    replace_matches,
    strip_suggestion_keys,
    style_at,
    style_before,
    text_run,
)
from gdoc_sync.emulator.docs.utf16 import clean_inserted, u16len
from gdoc_sync.emulator.errors import InvalidArgument

EMULATOR_KEY = "_emulator"
FIRST_TAB_ID = "t.0"

# Every request kind of the Docs v1 discovery document, to tell a typo from a kind the
# emulator does not implement.
KNOWN_REQUESTS = frozenset(
    {
        "acceptSuggestion",
        "addCommentReply",
        "addDocumentTab",
        "createDropdownDefinition",
        "createFooter",
        "createFootnote",
        "createHeader",
        "createNamedRange",
        "createParagraphBullets",
        "deleteComment",
        "deleteCommentReply",
        "deleteContentRange",
        "deleteDropdownDefinition",
        "deleteFooter",
        "deleteHeader",
        "deleteNamedRange",
        "deleteParagraphBullets",
        "deletePositionedObject",
        "deleteSuggestion",
        "deleteTab",
        "deleteTableColumn",
        "deleteTableRow",
        "insertComment",
        "insertDate",
        "insertDropdown",
        "insertInlineImage",
        "insertPageBreak",
        "insertPerson",
        "insertRichLink",
        "insertSectionBreak",
        "insertTable",
        "insertTableColumn",
        "insertTableRow",
        "insertText",
        "mergeTableCells",
        "pinTableHeaderRows",
        "rejectSuggestion",
        "replaceAllText",
        "replaceImage",
        "replaceNamedRangeContent",
        "unmergeTableCells",
        "updateCommentPost",
        "updateDocumentStyle",
        "updateDocumentTabProperties",
        "updateDropdownDefinitionProperties",
        "updateDropdownProperties",
        "updateNamedStyle",
        "updateParagraphStyle",
        "updateSectionStyle",
        "updateTableCellStyle",
        "updateTableColumnProperties",
        "updateTableRowStyle",
        "updateTextStyle",
    }
)
VIEW_MODES = {
    None: "SUGGESTIONS_INLINE",
    "": "SUGGESTIONS_INLINE",
    "DEFAULT_FOR_CURRENT_ACCESS": "SUGGESTIONS_INLINE",
    "SUGGESTIONS_INLINE": "SUGGESTIONS_INLINE",
    "PREVIEW_SUGGESTIONS_ACCEPTED": "PREVIEW_SUGGESTIONS_ACCEPTED",
    "PREVIEW_WITHOUT_SUGGESTIONS": "PREVIEW_WITHOUT_SUGGESTIONS",
}
SEGMENT_KINDS = {"headers": "headerId", "footers": "footerId", "footnotes": "footnoteId"}
MSG_FINAL_NEWLINE = "The range cannot include the newline character at the end of the segment."
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


# --- the document while a batch edits it ---------------------------------------------------


class Tab:
    """One document tab; parsed into segments only when a request or a view needs it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.props: dict[str, Any] = dict(raw.get("tabProperties") or {})
        self.raw: dict[str, Any] = raw.get("documentTab") or {}
        self.children = [Tab(child) for child in raw.get("childTabs") or []]
        self.parsed = False
        self.body: Segment
        self.segments: dict[str, dict[str, Segment]] = {}
        self.lists: dict[str, Any] = {}
        self.named: dict[str, NamedRange] = {}
        # Per name, its named ranges by ID (a dict keeps creation order and removes in O(1)).
        self.by_name: dict[str, dict[str, NamedRange]] = {}

    @property
    def id(self) -> str:
        return self.props.get("tabId", "")

    def parse(self) -> None:
        if self.parsed:
            return
        raw = self.raw
        body = raw.get("body") or {}
        items = parse_content(body.get("content") or [])
        if not items or not (type(items[0]) is Opaque and items[0].kind == "sectionBreak"):
            items.insert(
                0, Opaque("sectionBreak", {"sectionStyle": _fresh(defaults.SECTION_STYLE)}, 1)
            )
        if type(items[-1]) is not Para:
            items.append(_empty_para())
        self.body = Segment("body", "", items, {k: v for k, v in body.items() if k != "content"})
        for kind, id_key in SEGMENT_KINDS.items():
            self.segments[kind] = {}
            for seg_id, seg in (raw.get(kind) or {}).items():
                content = parse_content(seg.get("content") or []) or [_empty_para()]
                props = {k: v for k, v in seg.items() if k != "content"}
                props.setdefault(id_key, seg_id)
                self.segments[kind][seg_id] = Segment(kind, seg_id, content, props)
        self.lists = dict(raw.get("lists") or {})
        self.parsed = True
        for name, entry in (raw.get("namedRanges") or {}).items():
            for nr in entry.get("namedRanges") or []:
                named = NamedRange(nr.get("namedRangeId", ""), nr.get("name", name))
                self.add_named(named)
                for r in nr.get("ranges") or []:
                    seg = self.segment(r.get("segmentId") or "")
                    start, end = r.get("startIndex", 0), r.get("endIndex", 0)
                    if not 0 <= start < end <= seg.total:
                        raise Bad(
                            f"Named range {named.id} has a range {start}..{end} outside its "
                            f"segment, which ends at {seg.total}."
                        )
                    self.add_range(named, seg, start, end, r.get("tabId"))

    def segment(self, segment_id: str) -> Segment:
        if not segment_id:
            return self.body
        for kind in SEGMENT_KINDS:
            seg = self.segments[kind].get(segment_id)
            if seg is not None:
                return seg
        raise Bad(f"Segment with ID {segment_id} not found.")

    def all_segments(self) -> Iterator[Segment]:
        yield self.body
        for kind in SEGMENT_KINDS:
            yield from self.segments[kind].values()

    def add_named(self, named: NamedRange) -> None:
        self.named[named.id] = named
        self.by_name.setdefault(named.name, {})[named.id] = named

    def add_range(
        self, named: NamedRange, seg: Segment, start: int, end: int, tab_id: str | None = None
    ) -> None:
        ref = RangeRef(seg, named, tab_id)
        seg.attach(ref.start, start)
        seg.attach(ref.end, end)
        named.refs.append(ref)

    def remove_named(self, named: NamedRange) -> None:
        for ref in list(named.refs):
            self.drop_ref(ref)

    def drop_ref(self, ref: RangeRef) -> None:
        Segment.detach(ref.start)
        Segment.detach(ref.end)
        named = ref.named
        named.refs.remove(ref)
        if not named.refs:
            del self.named[named.id]
            group = self.by_name[named.name]
            del group[named.id]
            if not group:
                del self.by_name[named.name]

    def dump(self) -> tuple[dict[str, Any], bool]:
        """The documentTab JSON, and whether it holds suggestions on paragraph elements."""
        emitter = Emitter(number_footnotes=True)
        out: dict[str, Any] = {}
        parts: dict[str, Any] = {"body": {"content": emitter.content(self.body.items, 0)[0]}}
        parts["body"].update(self.body.props)
        # A footnote goes with its reference, and the named ranges inside it with it.
        referenced = set(emitter.footnote_ids)
        for footnote_id in [f for f in self.segments["footnotes"] if f not in referenced]:
            gone = self.segments["footnotes"].pop(footnote_id)
            for named in list(self.named.values()):
                for ref in [r for r in named.refs if r.seg is gone]:
                    self.drop_ref(ref)
        other = Emitter()
        for kind in SEGMENT_KINDS:
            if self.segments[kind]:
                parts[kind] = {
                    seg_id: {**seg.props, "content": other.content(seg.items, 0)[0]}
                    for seg_id, seg in self.segments[kind].items()
                }
        if self.lists:
            parts["lists"] = self.lists
        named_ranges = self._dump_named_ranges()
        if named_ranges:
            parts["namedRanges"] = named_ranges
        # Google's key order; what the tree owns comes from parts only, the rest from raw.
        owned = ("body", *SEGMENT_KINDS, "lists", "namedRanges")
        for key in ("body", *SEGMENT_KINDS, "documentStyle", "namedStyles"):
            if key in parts:
                out[key] = parts.pop(key)
            elif key in self.raw and key not in owned:
                out[key] = self.raw[key]
        for key, value in self.raw.items():
            if key not in out and key not in owned:
                out[key] = value
        out.update(parts)
        return out, emitter.suggestions or other.suggestions

    def _dump_named_ranges(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for named in self.named.values():
            ranges = []
            for ref in named.refs:
                r: dict[str, Any] = {
                    "startIndex": ref.seg.pos(ref.start),
                    "endIndex": ref.seg.pos(ref.end),
                }
                if ref.seg.id:
                    r["segmentId"] = ref.seg.id
                if ref.tab_id:
                    r["tabId"] = self.id
                ranges.append(r)
            entry = out.setdefault(named.name, {"name": named.name, "namedRanges": []})
            entry["namedRanges"].append(
                {"namedRangeId": named.id, "name": named.name, "ranges": ranges}
            )
        return out


class Doc:
    """A stored document opened for a batch (or a view); tabs are parsed on first use."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self.stored = stored
        self.id: str = stored.get("documentId", "")
        meta = stored.get(EMULATOR_KEY) or {}
        self.rev: int = meta.get("rev", 1)
        self.seq: int = meta.get("seq", 0)
        self.suggestion_tabs: set[str] = set(meta.get("suggestions") or ())
        self.tabs = [Tab(t) for t in stored.get("tabs") or []]
        if not self.tabs:
            self.tabs = [Tab(_new_tab_json(FIRST_TAB_ID, "Tab 1", 0))]
        self.by_id: dict[str, Tab] = {t.id: t for t in self.walk()}
        self.changed = False
        self.ids = Ids(self.mint)

    def walk(self, tabs: list[Tab] | None = None) -> Iterator[Tab]:
        for tab in self.tabs if tabs is None else tabs:
            yield tab
            yield from self.walk(tab.children)

    def mint(self, prefix: str) -> str:
        """A fresh ID shaped like Google's (kix.…, h.…, t.…), reproducible per document."""
        self.seq += 1
        digest = hashlib.sha256(f"{self.id}\0{self.seq}".encode()).digest()
        number = int.from_bytes(digest[:12], "big")
        chars = []
        for _ in range(12):
            number, rest = divmod(number, 36)
            chars.append(_BASE36[rest])
        return prefix + "".join(chars)

    def tab(self, tab_id: str | None) -> Tab:
        if tab_id:
            tab = self.by_id.get(tab_id)
            if tab is None:
                raise Bad(f"The tab with ID {tab_id} was not found.")
        else:
            tab = self.tabs[0]
        tab.parse()
        return tab

    def tabs_for(self, criteria: dict[str, Any] | None) -> list[Tab]:
        ids = (criteria or {}).get("tabIds")
        if ids:
            return [self.tab(tab_id) for tab_id in ids]
        tabs = list(self.walk())
        for tab in tabs:
            tab.parse()
        return tabs

    def dump(self, revision_id: str | None = None) -> dict[str, Any]:
        suggestions = set()

        def dump_tabs(tabs: list[Tab], level: int, parent: str | None) -> list[dict[str, Any]]:
            out = []
            for index, tab in enumerate(tabs):
                props = {k: v for k, v in tab.props.items() if k not in ("nestingLevel",)}
                props["index"] = index
                if level:
                    props["nestingLevel"] = level
                    props["parentTabId"] = parent
                else:
                    props.pop("parentTabId", None)
                if tab.parsed:
                    document_tab, has = tab.dump()
                else:
                    document_tab, has = tab.raw, tab.id in self.suggestion_tabs
                if has:
                    suggestions.add(tab.id)
                entry = {"tabProperties": props, "documentTab": document_tab}
                if tab.children:
                    entry["childTabs"] = dump_tabs(tab.children, level + 1, tab.id)
                out.append(entry)
            return out

        tabs = dump_tabs(self.tabs, 0, None)
        meta: dict[str, Any] = {"rev": self.rev, "seq": self.seq}
        if suggestions:
            meta["suggestions"] = sorted(suggestions)
        return {
            "documentId": self.id,
            "title": self.stored.get("title", ""),
            "revisionId": revision_id or self.stored.get("revisionId") or _revision_id(self.rev),
            "tabs": tabs,
            EMULATOR_KEY: meta,
        }


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pauses the cyclic GC: building a large tree triggers full collections over every object
    in the process (a cached 1.5 MB document is millions), which tripled the time of a batch."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _revision_id(rev: int) -> str:
    raw = rev.to_bytes(8, "big") + secrets.token_bytes(16)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _fresh(obj: Any) -> Any:
    return copy.deepcopy(obj)


def _empty_para() -> Para:
    return Para([text_run("\n", {})], {"paragraphStyle": _fresh(defaults.PARAGRAPH_STYLE)})


def _empty_body() -> dict[str, Any]:
    return {
        "content": [
            {"endIndex": 1, "sectionBreak": {"sectionStyle": _fresh(defaults.SECTION_STYLE)}},
            {
                "startIndex": 1,
                "endIndex": 2,
                "paragraph": {
                    "elements": [
                        {
                            "startIndex": 1,
                            "endIndex": 2,
                            "textRun": {"content": "\n", "textStyle": {}},
                        }
                    ],
                    "paragraphStyle": _fresh(defaults.PARAGRAPH_STYLE),
                },
            },
        ]
    }


def _new_tab_json(
    tab_id: str,
    title: str,
    index: int,
    document_style: dict[str, Any] | None = None,
    named_styles: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "tabProperties": {"tabId": tab_id, "title": title, "index": index},
        "documentTab": {
            "body": _empty_body(),
            "documentStyle": _fresh(document_style or defaults.DOCUMENT_STYLE),
            "namedStyles": _fresh(named_styles or defaults.NAMED_STYLES),
        },
    }


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


# --- request handlers ------------------------------------------------------------------------

Reply = dict[str, Any] | None


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


def _update_paragraph_style(doc: Doc, payload: dict[str, Any]) -> Reply:
    _tab, seg, start, end = _range(doc, payload.get("range"))
    raw_fields = payload.get("fields")
    fields = _fields(raw_fields, defaults.PARAGRAPH_STYLE_FIELDS)
    if "headingId" in fields:
        raise Bad("Unallowed field: headingId")
    style = payload.get("paragraphStyle") or {}
    named_type = None
    if "namedStyleType" in fields:
        named_type = style.get("namedStyleType") or "NORMAL_TEXT"
        if named_type not in defaults.NAMED_STYLE_TYPES:
            raise Bad(f"Invalid namedStyleType: {named_type}")
    k, base = seg.locate(start)
    for p, _ in paragraphs(seg.items, base, start, end, first=k):
        new = _masked(p.style, style, fields)
        if named_type is not None:
            new["namedStyleType"] = named_type
            if named_type in defaults.HEADING_TYPES:
                if "headingId" not in new:
                    new["headingId"] = doc.mint("h.")
            else:
                new.pop("headingId", None)
        p.props = {**p.props, "paragraphStyle": new}
    doc.changed = True
    return None


def _update_text_style(doc: Doc, payload: dict[str, Any]) -> Reply:
    _tab, seg, start, end = _range(doc, payload.get("range"))
    fields = _fields(payload.get("fields"), defaults.TEXT_STYLE_FIELDS)
    style = payload.get("textStyle") or {}
    family = style.get("weightedFontFamily")
    if isinstance(family, dict) and not family.get("fontFamily"):
        raise Bad("weightedFontFamily.fontFamily must be set when weightedFontFamily is.")
    link_field = any(f.split(".")[0] == "link" for f in fields)
    setting_link = link_field and bool(style.get("link"))

    def restyle(old: dict[str, Any], newline: bool) -> dict[str, Any]:
        mask = [f for f in fields if not (newline and f.split(".")[0] == "link")]
        new = _masked(old, style, mask)
        if setting_link and not newline:
            # Docs colours and underlines a new link unless the request says otherwise.
            if "underline" not in fields:
                new["underline"] = True
            if "foregroundColor" not in fields:
                new["foregroundColor"] = _fresh(defaults.LINK_COLOR)
        elif link_field and not setting_link and "link" in old:
            if "underline" not in fields:
                new.pop("underline", None)
            if "foregroundColor" not in fields:
                new.pop("foregroundColor", None)
        return new

    def apply(e: Inline) -> Inline | list[Inline]:
        if e.kind != "textRun":
            return e.with_data(textStyle=restyle(e.style, False)) if "textStyle" in e.data else e
        content = e.data["content"]
        if "\n" not in content:
            return e.with_data(textStyle=restyle(e.style, False))
        # Links are not set on newlines, so a newline becomes a run of its own.
        parts = [part for part in re.split("(\n)", content) if part]
        return [
            e.with_content(part).with_data(textStyle=restyle(e.style, part == "\n"))
            for part in parts
        ]

    k, base = seg.locate(start)
    for p, ps in paragraphs(seg.items, base, start, end, first=k):
        para_restyle(p, max(start, ps) - ps, min(end, ps + p.n) - ps, apply)
        bullet = p.props.get("bullet")
        if bullet is not None and start <= ps and ps + p.n <= end:
            new_bullet = {**bullet, "textStyle": restyle(bullet.get("textStyle") or {}, True)}
            p.props = {**p.props, "bullet": new_bullet}
    doc.changed = True
    return None


def _create_paragraph_bullets(doc: Doc, payload: dict[str, Any]) -> Reply:
    tab, seg, start, end = _range(doc, payload.get("range"))
    preset = payload.get("bulletPreset")
    if preset not in defaults.BULLET_PRESETS:
        raise Bad(f"Invalid bulletPreset: {preset}")
    k, base = seg.locate(start)
    targets = list(paragraphs(seg.items, base, start, end, first=k))
    list_id = None
    # Docs adds the paragraphs to the list just before them when it was made the same way.
    first = targets[0][0] if targets else None
    try:
        index = seg.index_of(first) if first is not None else 0
    except KeyError:  # a paragraph in a table cell
        index = 0
    if index > 0:
        prev = seg.items[index - 1]
        if type(prev) is Para and "bullet" in prev.props:
            prev_id = prev.props["bullet"].get("listId")
            levels = (tab.lists.get(prev_id) or {}).get("listProperties", {}).get("nestingLevels")
            if levels and defaults.preset_of(levels) == preset:
                list_id = prev_id
    if list_id is None:
        list_id = doc.mint("kix.")
        tab.lists[list_id] = {"listProperties": {"nestingLevels": defaults.nesting_levels(preset)}}
    levels = tab.lists[list_id]["listProperties"]["nestingLevels"]
    for p, ps in reversed(targets):
        # Leading tabs give the nesting level and are removed, as Docs does.
        text = p.text()
        tabs = len(text) - len(text.lstrip("\t"))
        tabs = min(tabs, len(text) - 1)
        if tabs:
            _delete(doc, tab, seg, ps, ps + tabs)
        level = min(tabs, len(levels) - 1)
        bullet: dict[str, Any] = {"listId": list_id, "textStyle": {}}
        if level:
            bullet["nestingLevel"] = level
        indents = {
            k: levels[level][k] for k in ("indentFirstLine", "indentStart") if k in levels[level]
        }
        p.props = {**p.props, "paragraphStyle": {**p.style, **indents}, "bullet": bullet}
    doc.changed = True
    return None


def _delete_paragraph_bullets(doc: Doc, payload: dict[str, Any]) -> Reply:
    _tab, seg, start, end = _range(doc, payload.get("range"))
    k, base = seg.locate(start)
    for p, _ in paragraphs(seg.items, base, start, end, first=k):
        if "bullet" in p.props:
            # The indent stays, so the paragraph keeps its visual nesting (as documented).
            p.props = {key: v for key, v in p.props.items() if key != "bullet"}
            doc.changed = True
    return None


def _new_table(rows: int, columns: int) -> Table:
    def cell() -> Cell:
        return Cell([_empty_para()], {"tableCellStyle": _fresh(defaults.TABLE_CELL_STYLE)})

    return Table(
        [
            Row(
                [cell() for _ in range(columns)],
                {"tableRowStyle": _fresh(defaults.TABLE_ROW_STYLE)},
            )
            for _ in range(rows)
        ],
        {
            "tableStyle": {
                "tableColumnProperties": [
                    {"widthType": "EVENLY_DISTRIBUTED"} for _ in range(columns)
                ]
            }
        },
    )


def _insert_table(doc: Doc, payload: dict[str, Any]) -> Reply:
    rows = _int(payload.get("rows", 0), "rows")
    columns = _int(payload.get("columns", 0), "columns")
    if rows < 1 or columns < 1:
        raise Bad("A table must have at least one row and one column.")
    if rows * columns > 50_000:
        raise Bad("The table is too large.")
    _tab, seg, index = _where(doc, payload)
    if seg.kind == "footnotes":
        raise Bad("Tables cannot be inserted inside a footnote.")

    def fn(p: Para, offset: int) -> list[Item]:
        # Docs puts a newline before the table: the table starts right after it.
        newline = text_run("\n", style_before(p.elems, offset))
        before, *after = para_insert(p, offset, [newline], doc.ids)
        return [before, _new_table(rows, columns), *after]

    _insert(doc, seg, index, fn)
    return None


def _insert_page_break(doc: Doc, payload: dict[str, Any]) -> Reply:
    body_only = "Page breaks can only be inserted in the body: the segment ID must be empty."
    _tab, seg, index = _where(doc, payload, body_only=body_only)
    k, _ = seg.locate(index)
    if type(seg.items[k]) is Table:
        raise Bad("Page breaks cannot be inserted inside a table.")

    def fn(p: Para, offset: int) -> list[Item]:
        style = style_before(p.elems, offset)
        page_break = Inline("pageBreak", {"textStyle": style}, 1)
        return para_insert(p, offset, [page_break, text_run("\n", style)], doc.ids)

    _insert(doc, seg, index, fn, into_tables=False)
    return None


def _insert_person(doc: Doc, payload: dict[str, Any]) -> Reply:
    props = payload.get("personProperties") or {}
    email = props.get("email")
    if not email:
        raise Bad("personProperties.email must be set.")
    _tab, seg, index = _where(doc, payload)
    person_props = {"email": email, "name": props.get("name") or email}

    def fn(p: Para, offset: int) -> list[Item]:
        data = {
            "personId": doc.mint("kix."),
            "textStyle": style_before(p.elems, offset),
            "personProperties": person_props,
        }
        return para_insert(p, offset, [Inline("person", data, 1)], doc.ids)

    _insert(doc, seg, index, fn)
    return None


def _create_footnote(doc: Doc, payload: dict[str, Any]) -> Reply:
    body_only = "Footnotes can only be inserted in the body: the segment ID must be empty."
    tab, seg, index = _where(doc, payload, body_only=body_only)
    footnote_id = doc.mint("kix.")
    reference = Inline(
        "footnoteReference", {"footnoteId": footnote_id, "footnoteNumber": "", "textStyle": {}}, 1
    )
    _insert(doc, seg, index, lambda p, o: para_insert(p, o, [reference], doc.ids))
    # A new footnote holds a space and its newline, like Docs'.
    content = [
        Para(
            [text_run(" \n", _fresh(defaults.FOOTNOTE_TEXT_STYLE))],
            {"paragraphStyle": _fresh(defaults.FOOTNOTE_PARAGRAPH_STYLE)},
        )
    ]
    tab.segments["footnotes"][footnote_id] = Segment(
        "footnotes", footnote_id, content, {"footnoteId": footnote_id}
    )
    return {"createFootnote": {"footnoteId": footnote_id}}


def _create_header_or_footer(kind: str) -> Any:
    """createHeader / createFooter: the section's DEFAULT one, as the API can make only that."""
    noun = kind[:-1]  # "header" or "footer"
    style_key = f"default{noun.title()}Id"

    def handler(doc: Doc, payload: dict[str, Any]) -> Reply:
        if payload.get("type") != "DEFAULT":
            raise Bad(f"{noun.title()} type not specified")
        if payload.get("sectionBreakLocation"):
            raise Bad("sectionBreakLocation is not supported by the gdoc-sync Docs emulator.")
        tab = doc.tab(None)
        style = tab.raw.get("documentStyle") or {}
        if style.get(style_key):
            raise Bad(f"Default {noun} already exists")
        segment_id = doc.mint("kix.")
        tab.segments[kind][segment_id] = Segment(
            kind, segment_id, [_empty_para()], {f"{noun}Id": segment_id}
        )
        # documentStyle is shared with the stored document, so it is replaced, not changed.
        tab.raw = {**tab.raw, "documentStyle": {**style, style_key: segment_id}}
        doc.changed = True
        return {f"create{noun.title()}": {f"{noun}Id": segment_id}}

    return handler


def _delete_header_or_footer(kind: str) -> Any:
    noun = kind[:-1]

    def handler(doc: Doc, payload: dict[str, Any]) -> Reply:
        segment_id = payload.get(f"{noun}Id") or ""
        tab = doc.tab(payload.get("tabId"))
        if segment_id not in tab.segments[kind]:
            raise Bad(f"The {noun} with ID {segment_id} was not found.")
        seg = tab.segments[kind].pop(segment_id)
        for named in list(tab.named.values()):
            for ref in [r for r in named.refs if r.seg is seg]:
                tab.drop_ref(ref)
        style = tab.raw.get("documentStyle") or {}
        tab.raw = {
            **tab.raw,
            "documentStyle": {k: v for k, v in style.items() if v != segment_id},
        }
        doc.changed = True
        return None

    return handler


def _parent(doc: Doc, tab: Tab) -> Tab | None:
    return next((candidate for candidate in doc.walk() if tab in candidate.children), None)


def _siblings(doc: Doc, tab: Tab) -> list[Tab]:
    parent = _parent(doc, tab)
    return doc.tabs if parent is None else parent.children


def _tab_properties(doc: Doc, tab: Tab) -> dict[str, Any]:
    """A tab's properties as documents.get reports them."""
    props = {
        k: v for k, v in tab.props.items() if k not in ("index", "nestingLevel", "parentTabId")
    }
    props["index"] = _siblings(doc, tab).index(tab)
    parent = _parent(doc, tab)
    if parent is not None:
        props["parentTabId"] = parent.id
        level = 0
        while parent is not None:
            level += 1
            parent = _parent(doc, parent)
        props["nestingLevel"] = level
    return props


def _add_document_tab(doc: Doc, payload: dict[str, Any]) -> Reply:
    props = payload.get("tabProperties") or {}
    parent_id = props.get("parentTabId")
    siblings = doc.tab(parent_id).children if parent_id else doc.tabs
    index = _int(props.get("index", len(siblings)), "tabProperties.index")
    if not 0 <= index <= len(siblings):
        raise Bad(f"The tab index {index} is out of range: there are {len(siblings)} tabs.")
    first = doc.tabs[0]
    tab_id = doc.mint("t.")
    title = props.get("title") or f"Tab {len(doc.by_id) + 1}"
    # A new tab looks like the first one, without its headers and footers.
    style = {
        k: v
        for k, v in (first.raw.get("documentStyle") or defaults.DOCUMENT_STYLE).items()
        if not k.endswith(("HeaderId", "FooterId"))
    }
    tab = Tab(_new_tab_json(tab_id, title, index, style, first.raw.get("namedStyles")))
    if props.get("iconEmoji"):
        tab.props["iconEmoji"] = props["iconEmoji"]
    siblings.insert(index, tab)
    doc.by_id[tab_id] = tab
    doc.changed = True
    return {"addDocumentTab": {"tabProperties": _tab_properties(doc, tab)}}


def _delete_tab(doc: Doc, payload: dict[str, Any]) -> Reply:
    tab_id = payload.get("tabId")
    if not tab_id:
        raise Bad("tabId must be set.")
    tab = doc.tab(tab_id)
    siblings = _siblings(doc, tab)
    if siblings is doc.tabs and len(doc.tabs) == 1:
        raise Bad("The last tab of a document cannot be deleted.")
    siblings.remove(tab)
    for gone in doc.walk([tab]):
        doc.by_id.pop(gone.id, None)
    doc.changed = True
    return None


def _update_document_tab_properties(doc: Doc, payload: dict[str, Any]) -> Reply:
    props = payload.get("tabProperties") or {}
    tab = doc.tab(props.get("tabId") or None)
    fields = _fields(payload.get("fields"), frozenset({"title", "iconEmoji", "index"}))
    for field in fields:
        if field == "index":
            siblings = _siblings(doc, tab)
            index = _int(props.get("index", 0), "tabProperties.index")
            if not 0 <= index < len(siblings):
                raise Bad(f"The tab index {index} is out of range: there are {len(siblings)} tabs.")
            siblings.remove(tab)
            siblings.insert(index, tab)
        elif field in props:
            tab.props[field] = props[field]
        else:
            tab.props.pop(field, None)
    doc.changed = True
    return None


HANDLERS = {
    "insertText": _insert_text,
    "deleteContentRange": _delete_content_range,
    "replaceAllText": _replace_all_text,
    "createNamedRange": _create_named_range,
    "deleteNamedRange": _delete_named_range,
    "replaceNamedRangeContent": _replace_named_range_content,
    "updateParagraphStyle": _update_paragraph_style,
    "updateTextStyle": _update_text_style,
    "createParagraphBullets": _create_paragraph_bullets,
    "deleteParagraphBullets": _delete_paragraph_bullets,
    "insertTable": _insert_table,
    "insertPageBreak": _insert_page_break,
    "insertPerson": _insert_person,
    "createFootnote": _create_footnote,
    "createHeader": _create_header_or_footer("headers"),
    "createFooter": _create_header_or_footer("footers"),
    "deleteHeader": _delete_header_or_footer("headers"),
    "deleteFooter": _delete_header_or_footer("footers"),
    "addDocumentTab": _add_document_tab,
    "deleteTab": _delete_tab,
    "updateDocumentTabProperties": _update_document_tab_properties,
}


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
            for tab in opened.walk():
                tab.parse()
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
