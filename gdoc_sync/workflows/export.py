"""Render a Google Docs `documents.get` response as Markdown, HTML or plain text."""

# What is rendered, and how (the choices the Docs model leaves open):
# - The legacy form (body, lists, inlineObjects, footnotes at the top level) is one tab. The tabs
#   form (`includeTabsContent=true`) is read whole: every tab in order, each child tab after its
#   parent. When there are several, each tab starts with its title as a heading, level 1 for a
#   top-level tab, 2 for its child tabs and so on; the tab's own headings are kept as they are.
#   Footnotes are numbered across the whole document.
# - TITLE and HEADING_1 are level 1, SUBTITLE and HEADING_2 level 2, HEADING_n level n. The HTML
#   <title> is the document's name. Markdown and text hold the body only.
# - Empty paragraphs are left out: Docs users type them for spacing, not content.
# - Lists: a level is numbered when its glyphType is DECIMAL, ALPHA, ROMAN (any case or zero
#   padding), otherwise bulleted. Numbers follow Docs: counted per list across interruptions,
#   restarting a level under each new parent item. Markdown numbers are decimal; HTML keeps the
#   glyph kind (<ol type="a">); text uses the level's glyphFormat ("1.2.").
# - Tables: Markdown pipe tables take the first row as header, a cell's paragraphs and line
#   breaks are joined with <br>. HTML keeps merged cells (colspan/rowspan) and the header rows
#   Docs pins (the first row only when it says all are).
# - Footnotes: a reference renders [^n] (Markdown), a superscript link (HTML) or [n] (text), and
#   the footnotes follow the body, numbered in order of reference.
# - Images are never embedded (an HTML page that loads nothing): they render as
#   "[image: <alt text>]", or "[image]" when there is no alt text.
# - Horizontal rules render as --- / <hr>. Page, column and section breaks are layout: skipped.
# - Links keep only http, https and mailto targets; other links (javascript:, links to headings
#   or bookmarks) keep their text and lose the link. Person chips render as the person's name
#   (mailto link), rich links as their title linked to their url, date chips as the text Docs
#   displays for them (displayText; the timestamp if Docs gave none).
# - Suggestions (suggestedInsertionIds / suggestedDeletionIds on runs, chips, tables and rows)
#   are shown as the `suggestions` mode says: "mark" (the default) keeps both, marked: <ins> and
#   <del> in HTML, {++inserted++} and {--deleted--} (CriticMarkup) in Markdown and text;
#   "accept" shows the text as if every suggestion were accepted, "reject" as if rejected. Text
#   both inserted and then suggested for deletion counts as a deletion. In Markdown and text a
#   suggestion of only spaces keeps its spaces, unmarked. Strikethrough is <s> in HTML.
# - Markdown escapes every character of the text that could start markup (emphasis, links,
#   code, HTML, tables) and any line start that could open a block (heading, list, quote, rule,
#   setext underline, indented code: leading spaces become no-break spaces). Bold, italic or
#   strikethrough that Markdown cannot express at a given spot (e.g. starting on punctuation
#   inside a word) is left out rather than shown as stray asterisks. A bare URL may still be
#   auto-linked by a GFM viewer; it then points where its visible text says.

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from gdoc_sync.core.document import tabs
from gdoc_sync.core.markdown import ASCII_PUNCTUATION, escape, escape_line_start
from gdoc_sync.core.textsafe import neutralise
from gdoc_sync.locales.texts import document_language, text_direction

FORMATS = ("md", "html", "txt")
SUGGESTION_MODES = ("mark", "accept", "reject")
# The documents.get suggestionsViewMode that serves each mode: the API applies accept and reject
# itself (and merges paragraphs a suggested line break split); "mark" needs the suggestions inline.
VIEW_MODES = {
    "mark": "SUGGESTIONS_INLINE",
    "accept": "PREVIEW_SUGGESTIONS_ACCEPTED",
    "reject": "PREVIEW_WITHOUT_SUGGESTIONS",
}
_MARKS = {"ins": ("{++", "++}"), "del": ("{--", "--}")}

_HEADING_LEVELS = {"TITLE": 1, "SUBTITLE": 2, **{f"HEADING_{n}": n for n in range(1, 7)}}
_ORDERED_GLYPHS = {
    "DECIMAL": "1",
    "ZERO_DECIMAL": "1",
    "ALPHA": "a",
    "UPPER_ALPHA": "A",
    "ROMAN": "i",
    "UPPER_ROMAN": "I",
}
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# C0/C1 controls other than tab and the line breaks are invalid in HTML and invisible elsewhere;
# lone surrogates could not even be encoded for writing.
_INVISIBLE = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\n\v\r\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class _Style:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    url: str | None = None  # only ever a safe url
    mark: str | None = None  # "ins" or "del": a suggestion shown in "mark" mode


@dataclass(frozen=True, slots=True)
class _Run:
    kind: str  # "text", "break", "image", "note", "rule"
    text: str = ""  # the text, an image's alt text, a footnote's number
    style: _Style = _Style()


@dataclass(frozen=True, slots=True)
class _ListItem:
    list_id: str
    level: int
    ordered: bool
    number: int
    glyph: str  # HTML <ol type>: "1", "a", "A", "i", "I"
    label: str  # the marker in plain text: "-", "1.", "a.", "1.2."


@dataclass(slots=True)
class _Para:
    runs: list[_Run]
    heading: int = 0  # 1-6, 0 for body text
    item: _ListItem | None = None


@dataclass(slots=True)
class _Rule:
    pass


@dataclass(slots=True)
class _Cell:
    blocks: list[_Block]
    col_span: int = 1
    row_span: int = 1


@dataclass(slots=True)
class _Table:
    rows: list[list[_Cell]]
    header_rows: int = 0  # rows pinned as headers in Docs
    columns: int = 0


_Block = _Para | _Rule | _Table


@dataclass(slots=True)
class _Doc:
    title: str
    blocks: list[_Block]
    notes: list[list[_Block]] = field(default_factory=list)  # footnote n is notes[n - 1]
    language: str = ""  # a session Doc's (its language mark): the page's lang and dir


def render_document(doc: dict[str, Any], fmt: str, *, suggestions: str = "mark") -> str:
    """Render a `documents.get` response (legacy or tabs form) as "md", "html" or "txt",
    with suggestions marked, accepted or rejected (see SUGGESTION_MODES)."""
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if suggestions not in SUGGESTION_MODES:
        raise ValueError(
            f"unknown suggestions mode {suggestions!r}; expected one of "
            f"{', '.join(SUGGESTION_MODES)}"
        )
    return renderer(_read_document(doc, suggestions))


# ---------------------------------------------------------------------------------------------
# Reading the Docs structure into blocks and runs


def _read_document(doc: dict[str, Any], suggestions: str = "mark") -> _Doc:
    all_tabs = tabs(doc)
    notes: list[tuple[_Reader, str]] = []
    blocks: list[_Block] = []
    for number, tab in enumerate(all_tabs, 1):
        reader = _Reader(tab.content, suggestions, notes)
        if len(all_tabs) > 1:
            title = _clean(tab.title).strip() or f"Tab {number}"
            title_run = _Run("text", " ".join(title.split()))
            blocks.append(_Para([title_run], heading=min(tab.level + 1, 6)))
        blocks.extend(reader.blocks((tab.content.get("body") or {}).get("content") or ()))
    # A footnote may refer to another, which then joins the end of the list.
    note_blocks: list[list[_Block]] = []
    while len(note_blocks) < len(notes):
        reader, note_id = notes[len(note_blocks)]
        note_blocks.append(reader.blocks(reader.note_content(note_id)))
    return _Doc(
        title=_clean(str(doc.get("title") or "")),
        blocks=blocks,
        notes=note_blocks,
        language=_page_language(doc),
    )


def _clean(text: str) -> str:
    return _INVISIBLE.sub(lambda m: "\ufffd" if m[0] >= "\ud800" else "", text)


def _safe_url(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    url = url.strip()
    match = _SCHEME.match(url)
    # A control character or line break could hide a different scheme from this check.
    if match is None or match[1].lower() not in _SAFE_SCHEMES or _INVISIBLE.search(url):
        return None
    if _LINE_BREAKS.search(url) or "\t" in url:
        return None
    return url


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


class _Reader:
    """Walks one tab's structural elements, numbering lists and footnotes as Docs shows them."""

    def __init__(
        self,
        tab: dict[str, Any],
        suggestions: str = "mark",
        notes: list[tuple[_Reader, str]] | None = None,
    ) -> None:
        self.lists: dict[str, Any] = tab.get("lists") or {}
        self.objects: dict[str, Any] = tab.get("inlineObjects") or {}
        self.footnotes: dict[str, Any] = tab.get("footnotes") or {}
        self.counters: dict[str, list[int]] = {}
        self.note_numbers: dict[str, int] = {}
        # Footnotes of every tab, in order of first reference: shared by the tabs' readers.
        self.notes: list[tuple[_Reader, str]] = [] if notes is None else notes
        self.suggestions = suggestions
        self.mark: str | None = None  # the mark of the suggested table or row being read

    def verdict(self, element: dict[str, Any]) -> tuple[bool, str | None]:
        """Whether a suggested element shows in this mode, and its mark."""
        inserted = bool(element.get("suggestedInsertionIds"))
        deleted = bool(element.get("suggestedDeletionIds"))
        if self.suggestions == "accept":
            return not deleted, None
        if self.suggestions == "reject":
            return not inserted, None
        return True, "del" if deleted else "ins" if inserted else self.mark

    def note_content(self, note_id: str) -> list[dict[str, Any]]:
        return (self.footnotes.get(note_id) or {}).get("content") or []

    def blocks(self, content: Iterable[dict[str, Any]]) -> list[_Block]:
        out: list[_Block] = []
        for element in content:
            if "paragraph" in element:
                out.extend(self.paragraph(element["paragraph"] or {}))
            elif "table" in element:
                keep, mark = self.verdict(element["table"] or {})
                outer, self.mark = self.mark, mark
                table = self.table(element["table"] or {}) if keep else None
                self.mark = outer
                if table is not None:
                    out.append(table)
            elif "tableOfContents" in element:
                out.extend(self.blocks((element["tableOfContents"] or {}).get("content") or ()))
        return out

    def paragraph(self, paragraph: dict[str, Any]) -> list[_Block]:
        style = paragraph.get("paragraphStyle") or {}
        heading = _HEADING_LEVELS.get(style.get("namedStyleType") or "", 0)
        bullet = paragraph.get("bullet")
        item = self.list_item(bullet) if bullet is not None else None
        # A horizontal rule is an element inside a paragraph; it splits it into blocks.
        out: list[_Para | _Rule] = []
        runs: list[_Run] = []
        for run in self.runs(paragraph.get("elements") or ()):
            if run.kind == "rule":
                out.append(_Para(runs, heading, item))
                out.append(_Rule())
                runs, item = [], None
            else:
                runs.append(run)
        out.append(_Para(runs, heading, item))
        return [b for b in (_trimmed(b) for b in out) if b is not None]

    def list_item(self, bullet: dict[str, Any]) -> _ListItem:
        list_id = str(bullet.get("listId") or "")
        level = min(max(_int(bullet.get("nestingLevel")), 0), 8)
        props = (self.lists.get(list_id) or {}).get("listProperties") or {}
        levels: list[dict[str, Any]] = props.get("nestingLevels") or []
        counters = self.counters.setdefault(list_id, [0] * 9)
        counters[level] += 1
        counters[level + 1 :] = [0] * (8 - level)

        def number(n: int) -> int:
            start = (levels[n] if n < len(levels) else {}).get("startNumber")
            return counters[n] + _int(start, 1) - 1

        spec = levels[level] if level < len(levels) else {}
        glyph_type = spec.get("glyphType") or ""
        ordered = glyph_type in _ORDERED_GLYPHS and not spec.get("glyphSymbol")
        if not ordered:
            return _ListItem(list_id, level, False, 0, "", "-")
        fmt = spec.get("glyphFormat")
        if not isinstance(fmt, str) or f"%{level}" not in fmt:
            fmt = f"%{level}."

        def glyph(match: re.Match[str]) -> str:
            n = int(match[1])
            if n > level:
                return ""
            kind = (levels[n] if n < len(levels) else {}).get("glyphType") or "DECIMAL"
            return _ordinal(max(number(n), 0), kind)

        label = _clean(re.sub(r"%(\d)", glyph, fmt)).strip() or f"{number(level)}."
        return _ListItem(list_id, level, True, number(level), _ORDERED_GLYPHS[glyph_type], label)

    def runs(self, elements: Iterable[dict[str, Any]]) -> list[_Run]:
        out: list[_Run] = []
        for element in elements:
            kind, inner = next(
                ((k, v) for k, v in element.items() if k not in ("startIndex", "endIndex")),
                ("", None),
            )
            if not isinstance(inner, dict):
                continue
            keep, mark = self.verdict(inner)
            if not keep:
                continue
            style = replace(_style(inner.get("textStyle") or {}), mark=mark)
            if kind == "textRun":
                text = _clean(str(inner.get("content") or ""))
                for i, piece in enumerate(_LINE_BREAKS.split(text)):
                    if i:
                        out.append(_Run("break"))
                    if piece:
                        out.append(_Run("text", piece, style))
            elif kind == "person":
                props = inner.get("personProperties") or {}
                name = _clean(str(props.get("name") or props.get("email") or ""))
                email = props.get("email")
                url = _safe_url(f"mailto:{email}") if isinstance(email, str) and email else None
                if name:
                    out.append(_Run("text", name, replace(style, url=style.url or url)))
            elif kind == "richLink":
                props = inner.get("richLinkProperties") or {}
                url = _safe_url(props.get("uri"))
                title = _clean(str(props.get("title") or props.get("uri") or ""))
                if title:
                    out.append(_Run("text", title, replace(style, url=url)))
            elif kind == "dateElement":
                props = inner.get("dateElementProperties") or {}
                text = _clean(str(props.get("displayText") or props.get("timestamp") or ""))
                if text.strip():
                    out.append(_Run("text", " ".join(text.split()), style))
            elif kind == "inlineObjectElement":
                out.append(_Run("image", self.alt_text(inner.get("inlineObjectId")), style))
            elif kind == "footnoteReference":
                note_id = str(inner.get("footnoteId") or "")
                if note_id in self.footnotes:
                    if note_id not in self.note_numbers:
                        self.notes.append((self, note_id))
                        self.note_numbers[note_id] = len(self.notes)
                    out.append(_Run("note", str(self.note_numbers[note_id])))
            elif kind == "horizontalRule":
                out.append(_Run("rule"))
            # pageBreak, columnBreak, autoText, equation: layout or computed, not text.
        return out

    def alt_text(self, object_id: Any) -> str:
        obj = self.objects.get(object_id) if isinstance(object_id, str) else None
        embedded = ((obj or {}).get("inlineObjectProperties") or {}).get("embeddedObject") or {}
        alt = embedded.get("description") or embedded.get("title") or ""
        return " ".join(_clean(str(alt)).split())

    def table(self, table: dict[str, Any]) -> _Table | None:
        rows: list[list[_Cell]] = []
        header_rows = 0
        outer = self.mark
        for row in table.get("tableRows") or ():
            keep, self.mark = self.verdict(row)
            if not keep:
                continue
            cells = []
            for cell in row.get("tableCells") or ():
                cell_style = cell.get("tableCellStyle") or {}
                cells.append(
                    _Cell(
                        self.blocks(cell.get("content") or ()),
                        max(_int(cell_style.get("columnSpan"), 1), 1),
                        max(_int(cell_style.get("rowSpan"), 1), 1),
                    )
                )
            if (row.get("tableRowStyle") or {}).get("tableHeader") and header_rows == len(rows):
                header_rows += 1
            rows.append(cells)
        self.mark = outer
        # The cells, not the declared size, say how wide the table is (rows may differ).
        columns = max((len(r) for r in rows), default=0)
        if not columns:
            return None
        if header_rows == len(rows) > 1:
            header_rows = 1  # Docs reports every row pinned in some tables; the first is the header
        return _Table(rows, header_rows, columns)


def _style(text_style: dict[str, Any]) -> _Style:
    link = text_style.get("link") or {}
    return _Style(
        bold=bool(text_style.get("bold")),
        italic=bool(text_style.get("italic")),
        strike=bool(text_style.get("strikethrough")),
        url=_safe_url(link.get("url")) if isinstance(link, dict) else None,
    )


def _trimmed(block: _Para | _Rule) -> _Block | None:
    """The paragraph without its leading and trailing line breaks; None if nothing is left."""
    if isinstance(block, _Rule):
        return block
    runs = block.runs
    # Adjacent runs of one style are one span to the renderers (Docs splits them freely).
    merged: list[_Run] = []
    for run in runs:
        if (
            merged
            and run.kind == "text"
            and merged[-1].kind == "text"
            and (merged[-1].style == run.style)
        ):
            merged[-1] = _Run("text", merged[-1].text + run.text, run.style)
        else:
            merged.append(run)
    while merged and merged[0].kind == "break":
        merged.pop(0)
    while merged and merged[-1].kind == "break":
        merged.pop()
    if not any(
        r.kind in ("image", "note") or (r.kind == "text" and not r.text.isspace()) for r in merged
    ):
        return None
    block.runs = merged
    return block


def _ordinal(n: int, glyph_type: str) -> str:
    if glyph_type in ("ALPHA", "UPPER_ALPHA"):
        letters = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        text = letters or "0"
    elif glyph_type in ("ROMAN", "UPPER_ROMAN") and 0 < n < 4000:
        text = ""
        for value, numeral in (
            (1000, "m"),
            (900, "cm"),
            (500, "d"),
            (400, "cd"),
            (100, "c"),
            (90, "xc"),
            (50, "l"),
            (40, "xl"),
            (10, "x"),
            (9, "ix"),
            (5, "v"),
            (4, "iv"),
            (1, "i"),
        ):
            count, n = divmod(n, value)
            text += numeral * count
    elif glyph_type == "ZERO_DECIMAL":
        text = f"{n:02d}"
    else:
        text = str(n)
    return text.upper() if glyph_type.startswith("UPPER_") else text


def _lines(runs: list[_Run]) -> list[list[_Run]]:
    lines: list[list[_Run]] = [[]]
    for run in runs:
        if run.kind == "break":
            lines.append([])
        else:
            lines[-1].append(run)
    return lines


def _url_groups(runs: list[_Run]) -> list[tuple[str | None, str | None, list[_Run]]]:
    """Runs grouped by link and suggestion mark: (url, mark, runs), in order."""
    groups: list[tuple[str | None, str | None, list[_Run]]] = []
    for run in runs:
        styled = run.kind in ("text", "image")
        url, mark = (run.style.url, run.style.mark) if styled else (None, None)
        if groups and groups[-1][:2] == (url, mark):
            groups[-1][2].append(run)
        else:
            groups.append((url, mark, [run]))
    return groups


def _image_label(alt: str) -> str:
    return f"[image: {alt}]" if alt else "[image]"


def _list_groups(blocks: list[_Block]) -> list[_Block | list[_Para]]:
    """Blocks with each run of consecutive list items gathered into one list."""
    out: list[_Block | list[_Para]] = []
    for block in blocks:
        if isinstance(block, _Para) and block.item is not None:
            if out and isinstance(out[-1], list):
                out[-1].append(block)
            else:
                out.append([block])
        else:
            out.append(block)
    return out


# ---------------------------------------------------------------------------------------------
# Markdown

# A run is escaped strictly (core/markdown.py): emphasis delimiters and other runs join it, so
# every character that could be markup next to something is escaped ("!" only matters before
# "[", which is escaped). A rendered line's start is made safe as a whole, a heading or list
# marker split over runs ("1" then "." in bold) being whole there.
_MD_DELIMS = (("strike", "~~"), ("bold", "**"), ("italic", "*"))


def _md_url(url: str) -> str:
    # Percent-encoding everything but URL punctuation keeps the destination one token that no
    # parenthesis, space, angle bracket or pipe can end early.
    return quote(url, safe="!#$%&*+,-./:;=?@_~")


def _md_inline(runs: list[_Run], mode: str = "block") -> list[str]:
    """Each line of the runs as Markdown, without line ends and without empty lines at the ends.

    mode "block": the lines start lines of a paragraph or list item; "heading": an ATX heading's
    text; "cell": a table cell's or footnote's text, where lines do not start a Markdown line.
    """
    also = "#" if mode == "heading" else ""  # a trailing "#" run would be eaten
    out: list[str] = []
    for line in _lines(runs):
        styles = [[d for name, d in _MD_DELIMS if getattr(run.style, name)] for run in line]
        # Each pass drops the styles whose delimiters Markdown would not read as such; few do.
        while True:
            pieces, spans = _md_line(line, styles, also, at_start=mode == "block")
            bad = _md_unreadable(pieces)
            if not bad:
                break
            for span in bad:
                delim, members = spans[span]
                for i in members:
                    styles[i] = [d for d in styles[i] if d != delim]
        rendered = "".join(text for text, _span, _opens in pieces)
        out.append(
            escape_line_start(rendered.rstrip(), strict=True)
            if mode == "block"
            else rendered.strip()
        )
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return [neutralise(line) for line in out]  # each line a field of its own


# A piece of a Markdown line: its text, and for an emphasis delimiter its span and whether it
# opens the span.
_Piece = tuple[str, int | None, bool]


def _md_line(
    runs: list[_Run], styles: list[list[str]], also: str, *, at_start: bool
) -> tuple[list[_Piece], dict[int, tuple[str, list[int]]]]:
    """One line's pieces, and each emphasis span's delimiter and runs.

    Delimiters hug the text, whitespace going outside them, because CommonMark ignores a `**`
    next to a space; a style over several runs opens once and closes once. Each link is its own
    group: emphasis closes before it and opens again inside.
    """
    pieces: list[_Piece] = []
    spans: dict[int, tuple[str, list[int]]] = {}
    after_note = False
    index = 0
    for url, mark, group in _url_groups(runs):
        group_pieces: list[_Piece] = []
        stack: list[tuple[str, int]] = []  # open delimiters and their span, innermost last
        pending = ""
        for run in group:
            wanted = styles[index]
            members = index
            index += 1
            if run.kind == "text" and run.text.isspace():
                pending += run.text
                for _delim, span in stack:
                    spans[span][1].append(members)
                continue
            if run.kind == "note":
                lead, body, trail, wanted = "", f"[^{run.text}]", "", []
                if not pending:
                    _md_unglue(pieces + group_pieces, group_pieces)
            else:
                text = _image_label(run.text) if run.kind == "image" else run.text
                core = text.strip()
                start = text.find(core)
                lead, trail = text[:start], text[start + len(core) :]
                body = escape(core, strict=True, also=also)
                if (
                    after_note
                    and not (pending or lead)
                    and body[0] in ASCII_PUNCTUATION
                    and (
                        body[0] != "\\"  # already escaped
                    )
                ):
                    # "[^1]" then ":" or "(" would make the reference a definition or a link.
                    body = "\\" + body
            keep = 0
            while keep < min(len(stack), len(wanted)) and stack[keep][0] == wanted[keep]:
                keep += 1
            group_pieces.extend((d, span, False) for d, span in reversed(stack[keep:]))
            del stack[keep:]
            space = pending + lead
            if at_start:
                # Leading spaces would make an indented code block or a deeper list level;
                # no-break spaces keep a poem's indentation and mean nothing to Markdown.
                space = "\u00a0" * len(space.expandtabs(4))
            group_pieces.append((space, None, False))
            for delim in wanted[keep:]:
                spans[len(spans)] = (delim, [])
                stack.append((delim, len(spans) - 1))
                group_pieces.append((delim, len(spans) - 1, True))
            for _delim, span in stack:
                spans[span][1].append(members)
            group_pieces.append((body, None, False))
            pending = trail
            at_start = False
            after_note = run.kind == "note"
        group_pieces.extend((d, span, False) for d, span in reversed(stack))
        if url is not None and any(span is None and text.strip() for text, span, _ in group_pieces):
            _md_unglue(pieces, pieces)
            first = next(k for k, (text, _s, _o) in enumerate(group_pieces) if text)
            if group_pieces[first][0].startswith("^"):  # "[^" opens a footnote reference
                group_pieces[first] = ("\\" + group_pieces[first][0], None, False)
            group_pieces.insert(0, ("[", None, False))
            group_pieces.append((f"]({_md_url(url)})", None, False))
            after_note = False
        visible = any(span is None and text.strip() for text, span, _ in group_pieces)
        if mark is not None and visible:
            # The marks hug the text, as emphasis does: leading spaces stay outside.
            hug = 0
            while hug < len(group_pieces) and (
                group_pieces[hug][1] is None and not group_pieces[hug][0].strip()
            ):
                hug += 1
            opener, closer = _MARKS[mark]
            group_pieces.insert(hug, (opener, None, False))
            group_pieces.append((closer, None, False))
            after_note = False
        pieces.extend(group_pieces)
        pieces.append(("\u00a0" * len(pending.expandtabs(4)) if at_start else pending, None, False))
        after_note = after_note and not pending
    return pieces, spans


def _md_unglue(before: list[_Piece], target: list[_Piece]) -> None:
    """Escape a "!" or "^" ending the text before a "[": "![" is an image, "^[" a footnote.

    before: all pieces so far; target: the list holding its last ones (where the edit goes).
    """
    offset = len(before) - len(target)
    for k in range(len(before) - 1, -1, -1):
        text, span, _opens = before[k]
        if not text:
            continue
        if span is None and text[-1] in "!^" and k >= offset:
            target[k - offset] = (text[:-1] + "\\" + text[-1], None, False)
        return


def _md_unreadable(pieces: list[_Piece]) -> set[int]:
    """The spans with a delimiter that CommonMark would not read as the one meant.

    A delimiter must flank the text as it opens or closes it. A run of delimiters that could
    both open and close (inside a word, or between punctuation) is only trusted to do one thing
    with nothing of its kind left to confuse it: opening with none of its character open, or
    closing all that are.
    """
    chars = [(ch, span, opens) for text, span, opens in pieces for ch in text]
    bad: set[int] = set()
    open_spans: dict[str, set[int]] = {}
    i = 0
    while i < len(chars):
        ch, span, _opens = chars[i]
        if span is None:
            i += 1
            continue
        # A delimiter run is every adjacent delimiter character of one kind, whoever put it there.
        j = i
        while j < len(chars) and chars[j][1] is not None and chars[j][0] == ch:
            j += 1
        before = chars[i - 1][0] if i else " "
        after = chars[j][0] if j < len(chars) else " "
        left = not after.isspace() and (
            not _punctuation(after) or before.isspace() or _punctuation(before)
        )
        right = not before.isspace() and (
            not _punctuation(before) or after.isspace() or _punctuation(after)
        )
        members = {(m, opens) for _c, m, opens in chars[i:j] if m is not None}
        opening = {m for m, opens in members if opens}
        closing = {m for m, opens in members if not opens}
        spans_open = open_spans.setdefault(ch, set())
        if (
            (opening and not left)
            or (closing and not right)
            or (left and right and opening and (closing or spans_open))
            or (left and right and closing and spans_open - closing)
        ):
            bad.update(opening | closing)
        spans_open -= closing
        spans_open |= opening
        i = j
    return bad


def _punctuation(ch: str) -> bool:
    return ch in ASCII_PUNCTUATION or unicodedata.category(ch)[0] in "PS"


def _md_blocks(blocks: list[_Block]) -> list[str]:
    out: list[str] = []
    for block in _list_groups(blocks):
        if isinstance(block, list):
            out.append(_md_list(block))
        elif isinstance(block, _Rule):
            out.append("---")
        elif isinstance(block, _Table):
            out.append(_md_table(block))
        elif block.heading:
            # An ATX heading is a single line.
            text = " ".join(_md_inline(block.runs, "heading"))
            out.append("#" * block.heading + " " + text)
        else:
            out.append("\\\n".join(_md_inline(block.runs)))
    return out


def _md_list(items: list[_Para]) -> str:
    lines: list[str] = []
    # (Docs level, indent of the item's content, numbered): Markdown nests by indentation under
    # the parent item.
    stack: list[tuple[int, int, bool]] = []
    for para in items:
        item = para.item
        assert item is not None
        while stack and stack[-1][0] > item.level:
            stack.pop()
        sibling = stack.pop() if stack and stack[-1][0] == item.level else None
        if item.ordered and item.number != 1 and lines and (sibling is None or not sibling[2]):
            # Only a list starting at 1 may interrupt a paragraph; "2." right under a line of
            # text would be read as more of that text.
            lines.append("")
        indent = stack[-1][1] if stack else 0
        marker = f"{min(max(item.number, 0), 999_999_999)}. " if item.ordered else "- "
        stack.append((item.level, indent + len(marker), item.ordered))
        text_lines = _md_inline(para.runs) or [""]
        last = len(text_lines) - 1
        for i, line in enumerate(text_lines):
            prefix = " " * indent + marker if i == 0 else " " * (indent + len(marker))
            lines.append(prefix + line + ("\\" if i < last else ""))
    return "\n".join(lines)


def _md_cell(cell: _Cell) -> str:
    parts: list[str] = []
    for block in cell.blocks:
        if isinstance(block, _Para):
            prefix = ""
            if block.item is not None:
                prefix = "\u00a0" * (2 * block.item.level)
                prefix += f"{block.item.number}. " if block.item.ordered else "• "
            parts.append(prefix + "<br>".join(_md_inline(block.runs, "cell")))
        elif isinstance(block, _Table):
            parts.extend(" / ".join(_md_cell(c) for c in row) for row in block.rows)
    return "<br>".join(p for p in parts if p)


def _md_table(table: _Table) -> str:
    def row_line(cells: list[str]) -> str:
        return "| " + " | ".join(cells + [""] * (table.columns - len(cells))) + " |"

    rows = [[_md_cell(c) for c in row] for row in table.rows]
    lines = [row_line(rows[0]), "|" + " --- |" * table.columns]
    lines.extend(row_line(r) for r in rows[1:])
    return "\n".join(lines)


def _note_paragraphs(blocks: list[_Block]) -> list[_Para]:
    return [b for b in blocks if isinstance(b, _Para)]


def _render_md(doc: _Doc) -> str:
    parts = _md_blocks(doc.blocks)
    for number, note in enumerate(doc.notes, 1):
        # A definition is kept to one line: a footnote's paragraphs and lines join with spaces.
        # Its text is a block of its own, so each paragraph starts as a line does.
        text = " ".join(" ".join(_md_inline(p.runs)) for p in _note_paragraphs(note))
        parts.append(f"[^{number}]: {text.strip()}")
    return "\n\n".join(p for p in parts if p) + "\n"


# ---------------------------------------------------------------------------------------------
# HTML

_CSS = """\
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;\
max-width:46em;margin:2em auto;padding:0 1em;color:#1f1f1f;background:#fff}
table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #c7c7c7;padding:.3em .6em;vertical-align:top;text-align:start}
th{background:#f3f3f3}
td>p:first-child,th>p:first-child{margin-top:0}td>p:last-child,th>p:last-child{margin-bottom:0}
.image{color:#5f6368;font-style:italic}
.footnotes{font-size:.9em}
ins.suggestion{color:#137333;text-decoration:underline}
del.suggestion{color:#b3261e;text-decoration:line-through}
a{color:#0b57d0}"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_inline(runs: list[_Run]) -> str:
    out: list[str] = []
    for index, line in enumerate(_lines(runs)):
        if index:
            out.append("<br>\n")
        for url, mark, group in _url_groups(line):
            inner = "".join(_html_run(run) for run in group)
            if url is not None:
                inner = f'<a href="{_h(url)}" rel="noopener noreferrer">{inner}</a>'
            if mark is not None:
                inner = f'<{mark} class="suggestion">{inner}</{mark}>'
            out.append(inner)
    return neutralise("".join(out))


def _html_run(run: _Run) -> str:
    if run.kind == "note":
        n = _h(run.text)
        return f'<sup class="fn"><a href="#fn{n}" id="fnref{n}">{n}</a></sup>'
    if run.kind == "image":
        text = f'<span class="image">{_h(_image_label(run.text))}</span>'
    else:
        text = _h(run.text)
    style = run.style
    for on, tag in ((style.strike, "s"), (style.italic, "em"), (style.bold, "strong")):
        if on:
            text = f"<{tag}>{text}</{tag}>"
    return text


def _html_blocks(blocks: list[_Block], *, compact: bool = False) -> list[str]:
    out: list[str] = []
    groups = _list_groups(blocks)
    for block in groups:
        if isinstance(block, list):
            out.append(_html_list(block))
        elif isinstance(block, _Rule):
            out.append("<hr>")
        elif isinstance(block, _Table):
            out.append(_html_table(block))
        elif block.heading:
            tag = f"h{block.heading}"
            out.append(f'<{tag} dir="auto">{_html_inline(block.runs)}</{tag}>')
        elif compact and len(groups) == 1:
            out.append(_html_inline(block.runs))  # a table cell of one paragraph needs no <p>
        else:
            out.append(f'<p dir="auto">{_html_inline(block.runs)}</p>')
    return out


def _html_list(items: list[_Para]) -> str:
    out: list[str] = []
    # Open lists, innermost last: (Docs level, closing tag, list id). A deeper list goes inside
    # the still open <li> of its parent item, as HTML requires.
    stack: list[tuple[int, str, str]] = []
    for para in items:
        item = para.item
        assert item is not None
        tag = "ol" if item.ordered else "ul"
        while stack and stack[-1][0] > item.level:
            out.append(f"</li></{stack.pop()[1]}>")
        if stack and stack[-1][0] == item.level and stack[-1][1:] != (tag, item.list_id):
            out.append(f"</li></{stack.pop()[1]}>")
        if stack and stack[-1][0] == item.level:
            out.append("</li>\n")
        else:
            attrs = f' type="{item.glyph}"' if item.ordered and item.glyph != "1" else ""
            out.append(f"\n<{tag}{attrs}>\n")
            stack.append((item.level, tag, item.list_id))
        value = f' value="{item.number}"' if item.ordered else ""
        out.append(f'<li dir="auto"{value}>{_html_inline(para.runs)}')
    while stack:
        out.append(f"</li></{stack.pop()[1]}>\n")
    return "".join(out).strip()


def _html_table(table: _Table) -> str:
    out = ["<table>"]
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        if r == 0 and table.header_rows:
            out.append("<thead>")
        elif r == table.header_rows:
            out.append("<tbody>")
        cell_tag = "th" if r < table.header_rows else "td"
        out.append("<tr>")
        for c, cell in enumerate(row):
            # Docs keeps the cells a merge covers (empty) in the row; HTML must not repeat them.
            if (r, c) in covered:
                continue
            col_span = min(cell.col_span, table.columns - c)
            row_span = min(cell.row_span, len(table.rows) - r)
            attrs = ""
            if col_span > 1:
                attrs += f' colspan="{col_span}"'
            if row_span > 1:
                attrs += f' rowspan="{row_span}"'
            covered.update((r + dr, c + dc) for dr in range(row_span) for dc in range(col_span))
            body = "\n".join(_html_blocks(cell.blocks, compact=True))
            out.append(f'<{cell_tag} dir="auto"{attrs}>{body}</{cell_tag}>')
        out.append("</tr>")
        if r == table.header_rows - 1:
            out.append("</thead>")
    if len(table.rows) > table.header_rows:
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _render_html(doc: _Doc) -> str:
    body = _html_blocks(doc.blocks)
    if doc.notes:
        notes = []
        for number, note in enumerate(doc.notes, 1):
            text = " ".join(_html_inline(p.runs) for p in _note_paragraphs(note)).strip()
            notes.append(
                f'<li id="fn{number}" dir="auto">{text} '
                f'<a href="#fnref{number}" aria-label="back to text">\u21a9</a></li>'
            )
        body.append(
            '<section class="footnotes">\n<hr>\n<ol>\n' + "\n".join(notes) + "\n</ol>\n</section>"
        )
    title = " ".join(doc.title.split()) or _first_heading(doc.blocks) or "Untitled document"
    return (
        f"<!doctype html>\n<html{_language_attributes(doc.language)}>\n<head>\n"
        '<meta charset="utf-8">\n'
        # Belt and braces: even a flaw in the escaping could load or run nothing.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _page_language(doc: dict[str, Any]) -> str:
    """A session Doc's language (English without a mark); "" for any other Doc: unknown."""
    names = list(doc.get("namedRanges") or {})
    for tab in doc.get("tabs") or ():
        names += list((tab.get("documentTab") or {}).get("namedRanges") or {})
    if not any(name.startswith("gdoc_sync:") for name in names):
        return ""
    return document_language(doc)


def _language_attributes(language: str) -> str:
    if not language:
        return ""
    rtl = ' dir="rtl"' if text_direction(language) == "rtl" else ""
    return f' lang="{language}"{rtl}'


def _first_heading(blocks: list[_Block]) -> str:
    for block in blocks:
        if isinstance(block, _Para) and block.heading:
            return " ".join(_txt_inline(block.runs).split())
    return ""


# ---------------------------------------------------------------------------------------------
# Plain text


def _txt_inline(runs: list[_Run]) -> str:
    out: list[str] = []
    for url, mark, group in _url_groups(runs):
        text = "".join(
            "\n"
            if r.kind == "break"
            else f"[{r.text}]"
            if r.kind == "note"
            else _image_label(r.text)
            if r.kind == "image"
            else r.text
            for r in group
        )
        if url is not None and text.strip() and _bare(text.strip()) != _bare(url):
            text = f"{text} ({url})"
        core = text.strip()
        if mark is not None and core:
            start = text.find(core)
            opener, closer = _MARKS[mark]
            text = f"{text[:start]}{opener}{core}{closer}{text[start + len(core) :]}"
        out.append(text)
    return neutralise("".join(out).rstrip())


def _bare(url: str) -> str:
    return url.split("://", 1)[-1].removeprefix("mailto:").rstrip("/")


def _width(text: str) -> int:
    """The columns a line takes in a terminal: wide CJK, emoji sequences (joined by ZWJ, with a
    variation selector, flags) and combining marks measured as wcwidth says for today's Unicode;
    a tab counted as one column, since a cell cannot know its tab stops."""
    from wcwidth import width  # only for plain-text lists and tables; ~30 ms to import

    return int(width(text.expandtabs(1), control_codes="ignore"))


def _txt_blocks(blocks: list[_Block]) -> list[str]:
    out: list[str] = []
    for block in _list_groups(blocks):
        if isinstance(block, list):
            lines = []
            for para in block:
                item = para.item
                assert item is not None
                indent = "  " * item.level + item.label + " "
                text = _txt_inline(para.runs).replace("\n", "\n" + " " * _width(indent))
                lines.append(indent + text)
            out.append("\n".join(lines))
        elif isinstance(block, _Rule):
            out.append("-" * 20)
        elif isinstance(block, _Table):
            out.append(_txt_table(block))
        else:
            text = _txt_inline(block.runs)
            if block.heading in (1, 2):
                # Underlined like a setext heading, so the outline survives in plain text.
                underline = "=" if block.heading == 1 else "-"
                longest = max(_width(line) for line in text.split("\n"))
                text += "\n" + underline * max(longest, 3)
            out.append(text)
    return out


def _txt_table(table: _Table) -> str:
    rows = [[_txt_cell(cell) for cell in row] for row in table.rows]
    rows = [row + [""] * (table.columns - len(row)) for row in rows]
    widths = [max(_width(row[c]) for row in rows) for c in range(table.columns)]
    lines = []
    for r, row in enumerate(rows):
        cells = [text + " " * (widths[c] - _width(text)) for c, text in enumerate(row)]
        while len(cells) > 1 and not cells[-1].strip():
            cells.pop()  # no separator left dangling after the last cell with text
        lines.append(" | ".join(cells).rstrip())
        if r == 0 and len(rows) > 1:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def _txt_cell(cell: _Cell) -> str:
    parts: list[str] = []
    for block in cell.blocks:
        if isinstance(block, _Para):
            label = f"{block.item.label} " if block.item is not None else ""
            parts.append(label + _txt_inline(block.runs).strip())
        elif isinstance(block, _Table):
            parts.extend(" / ".join(_txt_cell(c) for c in row) for row in block.rows)
    return " / ".join(p for p in parts if p).replace("\n", " / ")


def _render_txt(doc: _Doc) -> str:
    parts = _txt_blocks(doc.blocks)
    for number, note in enumerate(doc.notes, 1):
        text = " ".join(_txt_inline(p.runs) for p in _note_paragraphs(note))
        parts.append(f"[{number}] " + " ".join(text.split("\n")).strip())
    return "\n\n".join(p for p in parts if p) + "\n"


_RENDERERS: dict[str, Callable[[_Doc], str]] = {
    "md": _render_md,
    "html": _render_html,
    "txt": _render_txt,
}
