"""batchUpdate handlers for document tabs: add, delete, update properties."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gdoc_sync.emulator.docs import defaults
from gdoc_sync.emulator.docs.document import Tab, _new_tab_json
from gdoc_sync.emulator.docs.requests.common import _fields, _int
from gdoc_sync.emulator.docs.tree import (
    Bad,
)

if TYPE_CHECKING:
    from gdoc_sync.emulator.docs.document import Doc
    from gdoc_sync.emulator.docs.requests.common import Reply


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
