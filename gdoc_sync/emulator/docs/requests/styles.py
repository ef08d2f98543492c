"""batchUpdate handlers for paragraph and text styles and bullets."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gdoc_sync.emulator.docs import defaults
from gdoc_sync.emulator.docs.document import _fresh
from gdoc_sync.emulator.docs.requests.common import _delete, _fields, _masked, _range
from gdoc_sync.emulator.docs.tree import (
    Bad,
    Inline,
    Para,
    para_restyle,
    paragraphs,
)

if TYPE_CHECKING:
    from gdoc_sync.emulator.docs.document import Doc
    from gdoc_sync.emulator.docs.requests.common import Reply


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
