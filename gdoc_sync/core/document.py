"""One reading of a Docs `documents.get` response: its tabs, the session's tab, UTF-16 lengths."""

# A response comes in one of two forms. Without includeTabsContent (the "legacy" form) the
# first tab's content (body, lists, namedRanges, ...) sits at the top level. With it, every tab
# is in `tabs`, each with its `documentTab` and its `childTabs` (nested tabs, any depth). This
# module is the one place that tells the forms apart, so a reader of the Doc never guesses.

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gdoc_sync.core.model import RANGE_PREFIX

if TYPE_CHECKING:
    from gdoc_sync.google.api import GoogleApi

# The response fields that describe the document, not one tab's content.
_HEAD = ("documentId", "title", "revisionId", "suggestionsViewMode")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Docs index (a lone surrogate counts one)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True, slots=True)
class DocTab:
    """One tab of a document: its id, title, depth and content (a `documentTab`)."""

    tab_id: str  # "" for a response in the legacy form, which does not say
    title: str
    level: int  # 0 for a top-level tab, 1 for its child tabs, ...
    content: dict[str, Any]


def tabs(doc: dict[str, Any]) -> list[DocTab]:
    """Every tab in reading order (a tab, then its child tabs), or the legacy form's one."""
    if "tabs" not in doc or "body" in doc:
        return [DocTab("", "", 0, doc)]
    return list(_walk(doc.get("tabs") or [], 0))


def _walk(raw_tabs: list[Any], level: int) -> Iterator[DocTab]:
    for raw in raw_tabs:
        if not isinstance(raw, dict):
            continue
        props = raw.get("tabProperties") or {}
        yield DocTab(
            str(props.get("tabId") or ""),
            str(props.get("title") or ""),
            level,
            raw.get("documentTab") or {},
        )
        yield from _walk(raw.get("childTabs") or [], level + 1)


class TabView(dict[str, Any]):
    """One tab of a response shaped as the legacy form (head fields and the tab's content),
    so code that reads `body` and `namedRanges` reads that tab; `tab_id` says which it is."""

    tab_id: str
    tab_title: str
    tab_count: int
    also_marked: list[str]  # titles of other tabs that hold gdoc-sync's named ranges too

    def __init__(
        self,
        doc: dict[str, Any],
        tab: DocTab,
        tab_count: int,
        also_marked: list[str] | None = None,
    ) -> None:
        super().__init__({k: doc[k] for k in _HEAD if k in doc})
        self.update(tab.content)
        self.tab_id = tab.tab_id
        self.tab_title = tab.title
        self.tab_count = tab_count
        self.also_marked = also_marked or []


def _session_marks(tab: DocTab) -> int:
    named = tab.content.get("namedRanges") or {}
    return sum(1 for name in named if isinstance(name, str) and name.startswith(RANGE_PREFIX))


def session_view(doc: dict[str, Any]) -> TabView:
    """The tab that holds the session: the one with gdoc-sync's named ranges (sections,
    anchors, the Sheet's mark), the first of them if several do (a duplicated tab; the view
    names the others), else the first tab. People may add tabs of their own ("Notes") anywhere
    without moving the session."""
    all_tabs = tabs(doc)
    if not all_tabs:
        return TabView(doc, DocTab("", "", 0, {}), 0)
    marked = [t for t in all_tabs if _session_marks(t)]
    if not marked:
        return TabView(doc, all_tabs[0], len(all_tabs))
    return TabView(doc, marked[0], len(all_tabs), [t.title for t in marked[1:]])


def session_document(api: GoogleApi, document_id: str) -> TabView:
    """Read a session Doc with every tab (includeTabsContent) and view the session's tab."""
    return session_view(api.get_document(document_id, tabs=True))


def in_tab(requests: list[dict[str, Any]], doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The batchUpdate requests aimed at the tab `doc` views: tabId in every location and
    range, and tabsCriteria on the requests that act by name across tabs. A document of one
    tab gets them unchanged (the API applies a request without a tab to the first tab)."""
    tab_id = doc.tab_id if isinstance(doc, TabView) and doc.tab_count > 1 else ""
    if not tab_id:
        return requests
    out = []
    for request in requests:
        aimed = {}
        for kind, payload in request.items():
            payload = dict(payload)
            for key in ("location", "range", "endOfSegmentLocation"):
                if isinstance(payload.get(key), dict):
                    payload[key] = {**payload[key], "tabId": tab_id}
            if kind in ("replaceNamedRangeContent", "deleteNamedRange", "replaceAllText"):
                payload["tabsCriteria"] = {"tabIds": [tab_id]}
            aimed[kind] = payload
        out.append(aimed)
    return out
