"""The editable tree of one Docs segment: paragraphs, their runs, tables, and edits on them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from gdoc_sync.emulator.docs.utf16 import SurrogateSplit, py_index, u16len

# Suggestion fields the PREVIEW_* view modes drop once suggestions are resolved.
SUGGESTION_KEYS = (
    "suggestedInsertionIds",
    "suggestedDeletionIds",
    "suggestedTextStyleChanges",
    "suggestedParagraphStyleChanges",
    "suggestedBulletChanges",
    "suggestedPositionedObjectIds",
    "suggestedTableCellStyleChanges",
    "suggestedTableRowStyleChanges",
)

MSG_PARAGRAPH_BOUNDS = (
    "The insertion index must be inside the bounds of an existing paragraph. "
    "You can still create new paragraphs by inserting newlines."
)
MSG_BAD_DELETE = "Invalid deletion range. Cannot delete the requested range."
MSG_SURROGATE = "The index cannot be in the middle of a surrogate pair."


class Bad(Exception):
    """A request is invalid; the batch loop prefixes the message with the request's name."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Inline:
    """A paragraph element; data is Google's dict for its kind and is never mutated."""

    __slots__ = ("data", "kind", "n")

    def __init__(self, kind: str, data: dict[str, Any], n: int) -> None:
        self.kind = kind
        self.data = data
        self.n = n

    @property
    def style(self) -> dict[str, Any]:
        return self.data.get("textStyle") or {}

    def with_content(self, content: str) -> Inline:
        if content == self.data["content"]:
            return self
        return Inline("textRun", {**self.data, "content": content}, u16len(content))

    def with_data(self, **changes: Any) -> Inline:
        return Inline(self.kind, {**self.data, **changes}, self.n)


def text_run(content: str, style: dict[str, Any]) -> Inline:
    return Inline("textRun", {"content": content, "textStyle": style}, u16len(content))


class Para:
    """A paragraph; props holds every key of Google's Paragraph except elements."""

    __slots__ = ("anchors", "elems", "n", "props")

    def __init__(self, elems: list[Inline], props: dict[str, Any]) -> None:
        self.elems = elems
        self.props = props
        self.n = sum(e.n for e in elems)
        self.anchors: list[Any] | None = None

    @property
    def style(self) -> dict[str, Any]:
        return self.props.get("paragraphStyle") or {}

    def text(self) -> str:
        """The paragraph's text, one U+E907 per non-text element as Docs shows them."""
        return "".join(
            e.data["content"] if e.kind == "textRun" else "\ue907" * e.n for e in self.elems
        )


class Cell:
    __slots__ = ("content", "n", "props")

    def __init__(self, content: list[Any], props: dict[str, Any]) -> None:
        self.content = content
        self.props = props
        self.n = 1 + sum(it.n for it in content)


class Row:
    __slots__ = ("cells", "n", "props")

    def __init__(self, cells: list[Cell], props: dict[str, Any]) -> None:
        self.cells = cells
        self.props = props
        self.n = 1 + sum(c.n for c in cells)


class Table:
    """A table: one index for its start, one per row and per cell, one for its end."""

    __slots__ = ("anchors", "n", "props", "rows")

    def __init__(self, rows: list[Row], props: dict[str, Any]) -> None:
        self.rows = rows
        self.props = props
        self.n = 2 + sum(r.n for r in rows)
        self.anchors: list[Any] | None = None

    def relength(self, row: Row, cell: Cell) -> None:
        """Recounts lengths after cell's content changed (only what encloses it)."""
        before = cell.n
        cell.n = 1 + sum(it.n for it in cell.content)
        row.n += cell.n - before
        self.n += cell.n - before


class Toc:
    """A table of contents: read-only paragraphs between a start and an end index."""

    __slots__ = ("anchors", "content", "lead", "n", "props", "trail")

    def __init__(self, content: list[Any], props: dict[str, Any], lead: int, trail: int) -> None:
        self.content = content
        self.props = props
        self.lead = lead
        self.trail = trail
        self.n = lead + trail + sum(it.n for it in content)
        self.anchors: list[Any] | None = None


class Opaque:
    """A structural element edited only as a whole: a section break, or a kind unknown here."""

    __slots__ = ("anchors", "data", "kind", "n")

    def __init__(self, kind: str, data: Any, n: int) -> None:
        self.kind = kind
        self.data = data
        self.n = n
        self.anchors: list[Any] | None = None


Item = Para | Table | Toc | Opaque


# --- parsing Google's JSON ----------------------------------------------------------------


def parse_content(content: list[dict[str, Any]]) -> list[Item]:
    return [parse_item(se) for se in content]


def _span(d: dict[str, Any], default: int) -> int:
    if "endIndex" in d:
        return max(1, d["endIndex"] - d.get("startIndex", 0))
    return default


def parse_item(se: dict[str, Any]) -> Item:
    if "paragraph" in se:
        return parse_para(se["paragraph"])
    if "table" in se:
        table = se["table"]
        rows = [
            Row(
                [
                    Cell(
                        parse_content(cell.get("content") or []),
                        {k: v for k, v in cell.items() if k not in _INDEX_KEYS and k != "content"},
                    )
                    for cell in row.get("tableCells") or []
                ],
                {k: v for k, v in row.items() if k not in _INDEX_KEYS and k != "tableCells"},
            )
            for row in table.get("tableRows") or []
        ]
        props = {k: v for k, v in table.items() if k not in ("tableRows", "rows", "columns")}
        return Table(rows, props)
    if "tableOfContents" in se:
        toc = se["tableOfContents"]
        content = toc.get("content") or []
        inner = parse_content(content)
        lead = trail = 1
        if content and "endIndex" in se:
            lead = content[0].get("startIndex", 0) - se.get("startIndex", 0)
            trail = se["endIndex"] - content[-1]["endIndex"]
        props = {k: v for k, v in toc.items() if k != "content"}
        return Toc(inner, props, lead, trail)
    kind = next((k for k in se if k not in _INDEX_KEYS), "sectionBreak")
    return Opaque(kind, se.get(kind, {}), _span(se, 1))


_INDEX_KEYS = ("startIndex", "endIndex")


def parse_para(p: dict[str, Any]) -> Para:
    elems = []
    for e in p.get("elements") or []:
        kind = next((k for k in e if k not in _INDEX_KEYS), None)
        if kind is None:
            continue
        data = e[kind]
        if kind == "textRun":
            content = data.get("content", "")
            if not content:
                continue
            elems.append(Inline(kind, data, u16len(content)))
        else:
            elems.append(Inline(kind, data, _span(e, 1)))
    if not elems or elems[-1].kind != "textRun" or not elems[-1].data["content"].endswith("\n"):
        # Every paragraph ends with a newline; a hand-made import may forget it.
        style = elems[-1].style if elems else {}
        elems = normalize([*elems, text_run("\n", style)])
    return Para(elems, {k: v for k, v in p.items() if k != "elements"})


# --- writing Google's JSON ----------------------------------------------------------------


class Emitter:
    """Writes items back as Google's JSON with fresh indices; numbers footnote references."""

    __slots__ = ("footnote_ids", "number_footnotes", "suggestions")

    def __init__(self, number_footnotes: bool = False) -> None:
        self.number_footnotes = number_footnotes
        self.footnote_ids: list[str] = []
        self.suggestions = False

    def content(self, items: list[Item], start: int) -> tuple[list[dict[str, Any]], int]:
        out = []
        for it in items:
            d, start = self.item(it, start)
            out.append(d)
        return out, start

    def item(self, it: Item, start: int) -> tuple[dict[str, Any], int]:
        end = start + it.n
        d: dict[str, Any] = {"startIndex": start, "endIndex": end} if start else {"endIndex": end}
        if type(it) is Para:
            d["paragraph"] = self.para(it, start)
        elif type(it) is Table:
            d["table"] = self.table(it, start)
        elif type(it) is Toc:
            inner, _ = self.content(it.content, start + it.lead)
            d["tableOfContents"] = {"content": inner, **it.props}
        else:
            assert isinstance(it, Opaque)
            d[it.kind] = it.data
        return d, end

    def para(self, p: Para, start: int) -> dict[str, Any]:
        elements = []
        for e in p.elems:
            end = start + e.n
            data = e.data
            if e.kind == "footnoteReference" and self.number_footnotes:
                self.footnote_ids.append(data.get("footnoteId", ""))
                number = str(len(self.footnote_ids))
                if data.get("footnoteNumber") != number:
                    data = {**data, "footnoteNumber": number}
            if not self.suggestions and (
                "suggestedInsertionIds" in data or "suggestedDeletionIds" in data
            ):
                self.suggestions = True
            if start:
                elements.append({"startIndex": start, "endIndex": end, e.kind: data})
            else:
                elements.append({"endIndex": end, e.kind: data})
            start = end
        return {"elements": elements, **p.props}

    def table(self, t: Table, start: int) -> dict[str, Any]:
        rows = []
        pos = start + 1
        for row in t.rows:
            cells = []
            cpos = pos + 1
            for cell in row.cells:
                inner, end = self.content(cell.content, cpos + 1)
                cells.append({"startIndex": cpos, "endIndex": end, "content": inner, **cell.props})
                cpos = end
            rows.append({"startIndex": pos, "endIndex": cpos, "tableCells": cells, **row.props})
            pos = cpos
        columns = max((len(r.cells) for r in t.rows), default=0)
        return {"rows": len(t.rows), "columns": columns, "tableRows": rows, **t.props}


# --- runs ---------------------------------------------------------------------------------


def _same_run(a: Inline, b: Inline) -> bool:
    if a.kind != "textRun" or b.kind != "textRun":
        return False
    da, db = a.data, b.data
    if len(da) != len(db):
        return False
    return all(k == "content" or db.get(k, _MISSING) == v for k, v in da.items())


_MISSING = object()


def normalize(elems: list[Inline]) -> list[Inline]:
    """Drops empty runs and merges neighbours that differ only in content, as Docs reports."""
    out: list[Inline] = []
    for e in elems:
        if e.kind == "textRun":
            if not e.data["content"]:
                continue
            if out and _same_run(out[-1], e):
                prev = out[-1]
                merged = prev.data["content"] + e.data["content"]
                out[-1] = Inline("textRun", {**prev.data, "content": merged}, prev.n + e.n)
                continue
        out.append(e)
    return out


def split_elems(
    elems: list[Inline], offset: int, inside: str = MSG_PARAGRAPH_BOUNDS
) -> tuple[list[Inline], list[Inline]]:
    """Elements before and after a UTF-16 offset, cutting a run in two where needed.

    inside is the error when offset falls inside an element longer than one code unit.
    """
    acc = 0
    for i, e in enumerate(elems):
        if acc == offset:
            return elems[:i], elems[i:]
        if offset < acc + e.n:
            if e.kind != "textRun":
                raise Bad(inside)
            content = e.data["content"]
            try:
                cut = py_index(content, offset - acc)
            except SurrogateSplit:
                raise Bad(MSG_SURROGATE) from None
            return (
                [*elems[:i], e.with_content(content[:cut])],
                [e.with_content(content[cut:]), *elems[i + 1 :]],
            )
        acc += e.n
    return list(elems), []


def style_before(elems: list[Inline], offset: int) -> dict[str, Any]:
    """The text style inserted text takes: that of the character before it, as in Docs."""
    if offset <= 0:
        return elems[0].style
    acc = 0
    for e in elems:
        acc += e.n
        if acc >= offset:
            return e.style
    return elems[-1].style


def style_at(elems: list[Inline], offset: int) -> dict[str, Any]:
    """The text style of the character at offset (replacements keep the replaced text's)."""
    acc = 0
    for e in elems:
        acc += e.n
        if acc > offset:
            return e.style
    return elems[-1].style


def split_lines(elems: list[Inline]) -> list[list[Inline]]:
    """Cuts a run sequence after every newline: one list per paragraph."""
    lines: list[list[Inline]] = []
    cur: list[Inline] = []
    for e in elems:
        content = e.data["content"] if e.kind == "textRun" else ""
        if "\n" not in content:
            cur.append(e)
            continue
        begin = 0
        while (nl := content.find("\n", begin)) >= 0:
            cur.append(e.with_content(content[begin : nl + 1]))
            lines.append(cur)
            cur = []
            begin = nl + 1
        if begin < len(content):
            cur.append(e.with_content(content[begin:]))
    if cur:
        lines.append(cur)
    return lines


# --- structural edits (no anchors: the segment moves those) -------------------------------


class Ids:
    """Mints the IDs Docs would: headings, lists, named ranges, footnotes, people, tabs."""

    def __init__(self, mint: Callable[[str], str]) -> None:
        self.mint = mint


def derived_props(props: dict[str, Any], ids: Ids) -> dict[str, Any]:
    """Properties of a paragraph split off another: same style and bullet, its own heading ID."""
    out: dict[str, Any] = {}
    style = props.get("paragraphStyle")
    if style is not None:
        if "headingId" in style:
            style = {**style, "headingId": ids.mint("h.")}
        out["paragraphStyle"] = style
    if "bullet" in props:
        out["bullet"] = props["bullet"]
    return out


def para_insert(p: Para, offset: int, new: list[Inline], ids: Ids) -> list[Item]:
    """Inserts runs into a paragraph; newlines in them make new paragraphs before p's last."""
    left, right = split_elems(p.elems, offset)
    seq = normalize([*left, *new, *right])
    if not any(e.kind == "textRun" and "\n" in e.data["content"] for e in new):
        p.elems = seq
        p.n = sum(e.n for e in seq)
        return [p]
    lines = split_lines(seq)
    # Paragraph properties belong to the newline that ends a paragraph, so p (whose newline
    # is the last) keeps its own and the paragraphs split off before it get copies.
    out: list[Item] = [Para(line, derived_props(p.props, ids)) for line in lines[:-1]]
    p.elems = lines[-1]
    p.n = sum(e.n for e in p.elems)
    out.append(p)
    return out


def para_cut(p: Para, start: int, end: int) -> tuple[list[Inline], list[Inline]]:
    """The runs of p before start and from end on."""
    left, rest = split_elems(p.elems, start, MSG_BAD_DELETE)
    _, right = split_elems(rest, end - start, MSG_BAD_DELETE)
    return left, right


def find(items: list[Item], pos: int) -> tuple[int, int]:
    """Index and start of the item holding pos in a short list (a cell's content)."""
    start = 0
    for k, it in enumerate(items):
        if pos < start + it.n:
            return k, start
        start += it.n
    return len(items), start


Locate = Callable[[int], tuple[int, int]]
Insert = Callable[[Para, int], list[Item]]


def insert_into(item: Item, offset: int, fn: Insert, *, into_tables: bool = True) -> list[Item]:
    """Applies fn to the paragraph holding offset, descending into table cells."""
    if type(item) is Para:
        return fn(item, offset)
    if type(item) is Table and into_tables:
        row, cell, begin = _cell_at(item, offset)
        if row is None or cell is None or offset <= begin:
            raise Bad(MSG_PARAGRAPH_BOUNDS)
        local = offset - begin - 1
        k, start = find(cell.content, local)
        cell.content[k : k + 1] = insert_into(cell.content[k], local - start, fn)
        item.relength(row, cell)
        return [item]
    raise Bad(MSG_PARAGRAPH_BOUNDS)


def _cell_at(t: Table, offset: int) -> tuple[Row | None, Cell | None, int]:
    """The row and cell whose span holds offset, and the cell's start, relative to the table."""
    pos = 1
    for row in t.rows:
        if offset < pos + row.n:
            cpos = pos + 1
            for cell in row.cells:
                if offset < cpos + cell.n:
                    return row, cell, cpos
                cpos += cell.n
            return row, None, pos
        pos += row.n
    return None, None, pos


def plan_delete(
    items: list[Item], locate: Locate, total: int, start: int, end: int, *, final: str
) -> tuple[int, int, list[Item]]:
    """Deletes [start, end) from a content list: the span of items replaced and its new items.

    Follows Docs' rules: a table goes whole or only inside one cell, the newline before a
    table or section break stays, the last newline stays (final is that error's message).
    """
    if end >= total:
        raise Bad(final)
    k1, s1 = locate(start)
    k2, s2 = locate(end - 1)
    first, last = items[k1], items[k2]
    if k1 == k2 and type(first) is Table and not (start == s1 and end == s1 + first.n):
        return k1, k1, [_table_delete(first, start - s1, end - s1)]
    if k1 == k2 and type(first) is Para and end < s1 + first.n:
        kept_left, kept_right = para_cut(first, start - s1, end - s1)
        first.elems = normalize(kept_left + kept_right)
        first.n -= end - start
        return k1, k1, [first]
    if type(first) is not Para and start != s1:
        raise Bad(MSG_BAD_DELETE)
    if type(last) is not Para and end != s2 + last.n:
        raise Bad(MSG_BAD_DELETE)
    left = None
    if type(first) is Para and start > s1:
        left = split_elems(first.elems, start - s1, MSG_BAD_DELETE)[0]
    right = None
    if type(last) is Para and end < s2 + last.n:
        right = split_elems(last.elems, end - s2, MSG_BAD_DELETE)[1]
    if right is None and k2 + 1 < len(items) and type(items[k2 + 1]) is not Para:
        # The deletion ends with the newline right before a table or section break.
        raise Bad(MSG_BAD_DELETE)
    if left is not None and right is None:
        # The deletion took the newline that ended the last paragraph: what is left of the
        # first paragraph runs on into the next one.
        k2 += 1
        last = items[k2]
        assert type(last) is Para  # checked above: a table or section break raised
        right = last.elems
    if left is not None:
        assert type(first) is Para
        first.elems = normalize([*left, *(right or [])])
        first.n = sum(e.n for e in first.elems)
        return k1, k2, [first]
    if right is not None:
        assert type(last) is Para
        last.elems = right
        last.n = sum(e.n for e in right)
        return k1, k2, [last]
    return k1, k2, []


def _table_delete(t: Table, start: int, end: int) -> Table:
    row, cell, begin = _cell_at(t, start)
    if row is None or cell is None or start <= begin or end > begin + cell.n:
        raise Bad(MSG_BAD_DELETE)
    base = begin + 1
    content = cell.content
    k1, k2, new = plan_delete(
        content,
        lambda pos: find(content, pos),
        cell.n - 1,
        start - base,
        end - base,
        final=MSG_BAD_DELETE,
    )
    content[k1 : k2 + 1] = new
    t.relength(row, cell)
    return t


def paragraphs(
    items: list[Item], base: int, start: int, end: int, *, first: int = 0
) -> Iterator[tuple[Para, int]]:
    """Paragraphs overlapping [start, end), with their start index, inside tables too."""
    pos = base
    for k in range(first, len(items)):
        it = items[k]
        if pos >= end:
            return
        stop = pos + it.n
        if stop > start:
            if type(it) is Para:
                yield it, pos
            elif type(it) is Table:
                rpos = pos + 1
                for row in it.rows:
                    cpos = rpos + 1
                    for cell in row.cells:
                        yield from paragraphs(cell.content, cpos + 1, start, end)
                        cpos += cell.n
                    rpos += row.n
        pos = stop


def all_paragraphs(items: list[Item], base: int = 0) -> Iterator[tuple[Para, int]]:
    return paragraphs(items, base, base, 1 << 62)


def para_restyle(
    p: Para, start: int, end: int, fn: Callable[[Inline], Inline | list[Inline]]
) -> None:
    """Applies fn to the runs of p in [start, end), cut at the bounds first."""
    left, rest = split_elems(p.elems, start)
    middle, right = split_elems(rest, end - start)
    out = list(left)
    for e in middle:
        r = fn(e)
        if isinstance(r, list):
            out.extend(r)
        else:
            out.append(r)
    out.extend(right)
    p.elems = normalize(out)


def strip_suggestion_keys(d: dict[str, Any]) -> dict[str, Any]:
    if not any(k in d for k in SUGGESTION_KEYS):
        return d
    return {k: v for k, v in d.items() if k not in SUGGESTION_KEYS}


def replace_matches(
    item: Item,
    base: int,
    pattern: re.Pattern[str],
    text: str,
    ids: Ids,
    edits: list[tuple[int, int, int]],
) -> list[Item] | None:
    """Replaces every match of pattern in item's paragraphs (table cells too) with text.

    Appends each replacement to edits as (start, end, new length) in the document's indices
    before the edit, in order; returns the items replacing item, or None if nothing matched.
    """
    if type(item) is Para:
        plain = item.text()[:-1]
        if not plain or pattern.search(plain) is None:
            return None
        spans = []
        ascii_only = plain.isascii()
        for m in pattern.finditer(plain):
            found = m.group()
            if not found or "\ue907" in found:
                continue
            a = m.start() if ascii_only else u16len(plain[: m.start()])
            spans.append((a, a + u16len(found)))
        if not spans:
            return None
        n = u16len(text)
        edits.extend((base + a, base + b, n) for a, b in spans)
        return _para_replace_spans(item, spans, text, ids)
    if type(item) is not Table:
        return None
    changed = False
    row_start = base + 1
    for row in item.rows:
        cell_start = row_start + 1
        row_n = row.n
        for cell in row.cells:
            cell_n = cell.n
            child_start = cell_start + 1
            content: list[Item] = []
            for child in cell.content:
                child_n = child.n
                new = replace_matches(child, child_start, pattern, text, ids, edits)
                if new is None:
                    content.append(child)
                else:
                    content.extend(new)
                    changed = True
                child_start += child_n
            cell.content = content
            item.relength(row, cell)
            cell_start += cell_n
        row_start += row_n
    if not changed:
        return None
    return [item]


def _para_replace_spans(p: Para, spans: list[tuple[int, int]], text: str, ids: Ids) -> list[Item]:
    elems = p.elems
    for a, b in reversed(spans):
        left, rest = split_elems(elems, a)
        middle, right = split_elems(rest, b - a)
        new = [text_run(text, middle[0].style)] if text and middle else []
        elems = [*left, *new, *right]
    seq = normalize(elems)
    lines = split_lines(seq) if "\n" in text else [seq]
    out: list[Item] = [Para(line, derived_props(p.props, ids)) for line in lines[:-1]]
    p.elems = lines[-1]
    p.n = sum(e.n for e in p.elems)
    out.append(p)
    return out
