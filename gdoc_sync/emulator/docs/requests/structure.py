"""batchUpdate handlers for structure: tables, page breaks, people chips, footnotes,
headers and footers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gdoc_sync.emulator.docs import defaults
from gdoc_sync.emulator.docs.document import _empty_para, _fresh
from gdoc_sync.emulator.docs.requests.common import _insert, _int, _where
from gdoc_sync.emulator.docs.segment import Segment
from gdoc_sync.emulator.docs.tree import (
    Bad,
    Cell,
    Inline,
    Item,
    Para,
    Row,
    Table,
    para_insert,
    style_before,
    text_run,
)

if TYPE_CHECKING:
    from gdoc_sync.emulator.docs.document import Doc
    from gdoc_sync.emulator.docs.requests.common import Reply


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
    content: list[Item] = [
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
