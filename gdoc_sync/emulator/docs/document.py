"""The document while a batch edits it: its tabs parsed into editable trees (tree.py,
segment.py), ids and revisions, and written back."""

from __future__ import annotations

import base64
import copy
import gc
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gdoc_sync.emulator.docs import defaults
from gdoc_sync.emulator.docs.segment import NamedRange, RangeRef, Segment
from gdoc_sync.emulator.docs.tree import (
    Bad,
    Emitter,
    Ids,
    Opaque,
    Para,
    parse_content,
    text_run,
)

EMULATOR_KEY = "_emulator"
FIRST_TAB_ID = "t.0"


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
                entry: dict[str, Any] = {"tabProperties": props, "documentTab": document_tab}
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
