"""Read the contributions moderators noted in a session Doc out of its `documents.get` response."""

# The format, and every transformation applied to what moderators typed, is documented on
# parse_session_doc; the text is otherwise kept exactly as typed.

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.core.document import TabView, session_view
from gdoc_sync.core.groups import GroupMatcher, normalize, strip_decoration
from gdoc_sync.core.model import (
    RANGE_ACTIONS,
    RANGE_CONTRIBUTION,
    RANGE_ONLINE,
    RANGE_PREFIX,
    RANGE_QUESTION,
    RANGE_SHEET,
    Channel,
    Contribution,
    SessionConfig,
    question_heading,
)
from gdoc_sync.locales import DEFAULT_LANGUAGE, Vocabulary, vocabulary
from gdoc_sync.locales.texts import session_language, squash_spaces, texts

# Optional marker a template may put over a section's discussion prompts (any name starting so,
# e.g. gdoc_sync:prompts:Q1); paragraphs inside are never contributions, whatever their style.
RANGE_PROMPTS = RANGE_PREFIX + "prompts"
ONLINE_SECTION = "online"
ACTIONS_SECTION = "actions"
MAX_PREFIX_CHARS = 60

_HEADING_LEVELS = {"TITLE": 0, "SUBTITLE": 0, **{f"HEADING_{n}": n for n in range(1, 7)}}

# Person chips travel through the text as characters of the supplementary private use plane,
# which nobody types, so that addressee and attribution parsing can see where they are.
_CHIP_BASE = 0x100000
_CHIP = re.compile("[\U00100000-\U0010fffd]")
_CHIP_SEPARATORS = "-\u2013\u2014,;"
_AFTER_LEADING_CHIP = re.compile(r"[ \t]*[:\uff1a,;\-\u2013\u2014]?[ \t]*")

_COLONS = re.compile(r"[:\uff1a]")
# A prefix holding these is a sentence or a formula, not a list of groups. (A full stop may end
# a short form, "gob. e emp.:"; a sentence before a colon still names no group.)
_NOT_A_PREFIX = re.compile(
    r"[!?;()\[\]{}\"\u201c\u201d\u00ab\u00bb<>=@#*\n\u000b\U00100000-\U0010fffd]"
)
_HASHTAG = re.compile(r"#([^\s#:,;/]+)[ \t]*")
_TRAILING_PAREN = re.compile(r"\(([^()]*)\)[ \t]*([.!\u3002]?)[ \t]*$")
_ATTRIBUTION_SEPARATORS = re.compile(r"[,;\u060c\u061b\u3001\uff0c\uff1b]")
_NEVER_IN_ATTRIBUTIONS = re.compile(r"[/:@=\"\d]")
_EMPTY_PARENS = re.compile(r"[ \t]*\([ \t]*\)|(?<=\()[ \t]*[,;][ \t]*")

# Between the parts of an attribution: commas and semicolons (Arabic and CJK forms too), and
# dashes with spaces around them or long dashes ("civil society – Amara Okafor"); a hyphen inside
# a name ("Jean-Pierre") is no separator.
_ATTRIBUTION_DASHES = re.compile(r"\s+[-\u2010-\u2015]\s+|\s*[\u2013\u2014\u2015]\s*")
# Marks typed before the prefix of a line already bulleted: "- Governments:", "• CSO:", "1) UN:".
_LEADING_MARK = re.compile(r"(?:[-\u2022\u2023\u25aa\u25e6\u2013\u2014>]+|\d{1,2}[.)])[ \t]+")
# A line wrapped in quotes, the groups inside: « », “ ”, " ", ‹ ›, „ “, ‘ ’ (and the spaces
# French typing puts after the opening one).
_OPENING_QUOTE = re.compile('[\u00ab\u201c"\u2039\u201e\u2018][ \t\u00a0\u202f]*')
# "Investors - ask ...", "CSOs — publish ...": a spaced dash after the groups.
_PREFIX_DASH = re.compile(r"[ \t]+[-\u2013\u2014][ \t]+")
QUOTE_CHARS = 60
_ESCAPED_NO_BREAK = re.compile(r"(\\*)\\(xa0|u202f|u2007)")

# Words that mark a parenthesis as a reference or an aside rather than a person's name.
_PROSE_WORDS = frozenset(
    "see eg ie cf etc e.g i.e principle principles guideline guidelines report section article "
    "page pages para paragraph chapter annex the of and or for to in on at with via from by is are "
    "was not no also".split()
)


@dataclass
class ParsedDoc:
    """What a session Doc holds: its contributions, and what was found missing or odd on the way."""

    contributions: list[Contribution] = field(default_factory=list)
    revision_id: str | None = None
    spreadsheet_id: str | None = None
    document_id: str = ""
    title: str = ""
    sections_found: list[str] = field(default_factory=list)  # by named range, in document order
    sections_missing: list[str] = field(default_factory=list)  # question ids without a named range
    sections_by_heading: list[str] = field(default_factory=list)  # missing ones found by heading
    heading_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # their [start, end)
    stale_anchors: list[str] = field(default_factory=list)  # anchor ids no contribution carries
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Segment:
    text: str
    url: str
    struck: bool
    chip: str | None = None  # a person chip's name; text is then empty


@dataclass(slots=True)
class _Paragraph:
    start: int
    end: int  # endIndex, newline included
    heading_level: int | None
    bullet_level: int | None
    segments: list[_Segment] | None  # None when plain is all there is (no link, strike, chip)
    plain: str  # visible text runs including struck ones, chips left out
    italic: bool  # has text, and all of it is italic
    has_struck_text: bool  # "text" here and below: anything but whitespace
    has_unstruck_text: bool
    has_chip: bool


@dataclass
class _Marks:
    sections: dict[str, list[int]] = field(default_factory=dict)  # section id -> [start, end]
    anchors: list[tuple[str, int, int]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    prompts: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Attribution:
    names: tuple[str, ...]
    group: str
    channel: Channel | None
    unread: tuple[str, ...] = ()  # parts recognised as nothing: kept with the speaker, and warned


_NO_ATTRIBUTION = _Attribution(names=(), group="", channel=None)


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The start of a text for a warning: one line, at most `limit` characters, quoted."""
    flat = squash_spaces(text)  # no-break spaces are typography: kept
    quoted = repr(flat[:limit] + ("..." if len(flat) > limit else ""))
    # repr escapes them ("\\xa0"); show them as typed (an escaped backslash before one stays).
    return _ESCAPED_NO_BREAK.sub(
        lambda m: m[0] if len(m[1]) % 2 else m[1] + chr(int(m[2][1:], 16)), quoted
    )


def session_vocabulary(config: SessionConfig, problems: list[str] | None = None) -> Vocabulary:
    """The moderators' words for a session: its language's and English's, and its template's
    [vocabulary], as recorded in the Sheet's config; English when the record is unreadable."""
    language = config.facts.get("language") or DEFAULT_LANGUAGE
    extra = config.facts.get("vocabulary")
    try:
        return vocabulary(str(language), extra if isinstance(extra, dict) else None)
    except (ValueError, TypeError, AttributeError) as exc:
        if problems is not None:
            problems.append(
                f"the session's language or vocabulary is unreadable ({exc}); "
                "reading English words only"
            )
        return vocabulary()


def parse_session_doc(doc: dict[str, Any], config: SessionConfig) -> ParsedDoc:
    """Read the contributions of a `documents.get` response: the legacy form (the first tab),
    or the tabs form, read in the session's tab (document.session_view).

    Sections are the named ranges gdoc_sync:question:<id> and gdoc_sync:online; gdoc_sync:actions
    is never read. A question without its range is looked for by a heading "Q1." / "Q1 " / "Q1:",
    spanning to the next heading of the same or a higher level. Paragraphs typed just after a
    section's range, before the next heading or section, still belong to it (reported).

    In a section, each top-level bullet or plain paragraph is a contribution and nested bullets
    below it are its detail lines. Not contributions: headings, empty paragraphs, paragraphs in a
    gdoc_sync:prompts range, plain paragraphs equal to the question's text or one of its prompts,
    and wholly italic plain paragraphs before the section's first bullet (the template's prompts).

    Transformations of the typed text, and only these: surrounding whitespace and the final
    newline are stripped; a soft line break becomes "\\n"; detail lines are joined with "\\n";
    unaccepted suggested insertions are left out; if the whole contribution is struck through it
    is kept as withdrawn, otherwise struck parts are dropped (they were corrected) and the spaces
    left on both sides of a dropped part collapse to one; a link renders as "text (url)" unless
    its text is the url; a person chip read as the speaker is removed together with the spaces
    and one separator (",", ";", dash) before it, other chips render as the person's name.
    """
    result = ParsedDoc(
        revision_id=doc.get("revisionId"),
        document_id=doc.get("documentId") or "",
        title=doc.get("title") or "",
    )
    tab = _session_tab(doc, result.problems)
    paragraphs, tables = _read_body(tab.get("body") or {})
    marks = _read_named_ranges(tab.get("namedRanges") or {}, result.problems)
    vocab = session_vocabulary(config, result.problems)
    matcher = GroupMatcher(config.groups, vocab)

    if marks.sheets:
        result.spreadsheet_id = marks.sheets[0]
        if len(set(marks.sheets)) > 1:
            result.problems.append(
                f"several {RANGE_SHEET}<id> named ranges ({', '.join(sorted(set(marks.sheets)))}); "
                f"using {marks.sheets[0]}"
            )

    sections = _locate_sections(paragraphs, marks, config, result)
    groups = _group_paragraphs(paragraphs, sections, marks, config, result)

    for table_start, cells in tables:
        sid = _section_at(sections, table_start)
        if sid is None or sid == ACTIONS_SECTION:
            continue
        if not cells:
            result.problems.append(
                f"{sid}: a table in the section was not read; contributions belong in bullets"
            )
        for text in cells:
            result.problems.append(
                f"{sid}: text typed in a table was not read: {quote(text)}; contributions belong "
                "in bullets under the question (move it out of the table)"
            )

    reader = _Reader(matcher, result.problems)
    firsts: list[_Paragraph] = []
    for sid, paras in groups:
        default_channel = Channel.online if sid == ONLINE_SECTION else Channel.onsite
        contribution = reader.contribution(sid, paras, default_channel)
        if contribution is not None:
            result.contributions.append(contribution)
            firsts.append(paras[0])
    _assign_anchors(result.contributions, firsts, marks.anchors, result)
    return result


def _session_tab(doc: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    # In the tabs form, the session is the tab with gdoc-sync's named ranges; other tabs are
    # people's own (notes, drafts) and hold no contributions.
    tab = doc if isinstance(doc, TabView) else session_view(doc)
    if "body" not in tab:
        problems.append("the document has no body (was it fetched without includeTabsContent?)")
    if tab.also_marked:
        others = ", ".join(repr(title) for title in tab.also_marked)
        problems.append(
            f"tab(s) {others} also hold gdoc-sync named ranges (a copy of the session?); only "
            f"tab {tab.tab_title!r} was read"
        )
    return tab


def _read_body(
    body: dict[str, Any],
) -> tuple[list[_Paragraph], list[tuple[int, list[str]]]]:
    """The body's paragraphs, and each table's start with the texts typed in its cells."""
    paragraphs: list[_Paragraph] = []
    tables: list[tuple[int, list[str]]] = []
    for element in body.get("content") or ():
        if "paragraph" in element:
            paragraphs.append(_read_paragraph(element))
        elif "table" in element:
            tables.append((element.get("startIndex", 0), _cell_texts(element["table"])))
    return paragraphs, tables


def _cell_texts(table: dict[str, Any]) -> list[str]:
    texts: list[str] = []
    for row in table.get("tableRows") or ():
        for cell in row.get("tableCells") or ():
            for element in cell.get("content") or ():
                if "paragraph" in element:
                    text = _read_paragraph(element).plain.strip()
                    if text:
                        texts.append(text)
                elif "table" in element:
                    texts.extend(_cell_texts(element["table"]))
    return texts


def _read_paragraph(element: dict[str, Any]) -> _Paragraph:
    paragraph = element["paragraph"]
    style = (paragraph.get("paragraphStyle") or {}).get("namedStyleType") or "NORMAL_TEXT"
    bullet = paragraph.get("bullet")
    segments: list[_Segment] = []
    plain: list[str] = []
    has_struck = has_unstruck = has_chip = has_upright = has_link = False

    for item in paragraph.get("elements") or ():
        run = item.get("textRun")
        if run is not None:
            if "suggestedInsertionIds" in run:
                continue
            text = run.get("content") or ""
            run_style = run.get("textStyle") or {}
            link = run_style.get("link")
            url = (link.get("url") or "") if link else ""
        elif (rich := item.get("richLink")) is not None:
            if "suggestedInsertionIds" in rich:
                continue
            props = rich.get("richLinkProperties") or {}
            url = props.get("uri") or ""
            text = props.get("title") or url
            run_style = rich.get("textStyle") or {}
        elif (person := item.get("person")) is not None:
            props = person.get("personProperties") or {}
            name = props.get("name") or props.get("email") or ""
            if name and "suggestedInsertionIds" not in person:
                struck = bool((person.get("textStyle") or {}).get("strikethrough"))
                segments.append(_Segment("", "", struck, name))
                has_chip = True
            continue
        else:
            continue  # images, footnote references, breaks: nothing a contribution says
        struck = bool(run_style.get("strikethrough"))
        has_link = has_link or bool(url)
        segments.append(_Segment(text, url, struck))
        plain.append(text)
        if text and not text.isspace():
            if struck:
                has_struck = True
            else:
                has_unstruck = True
            if not run_style.get("italic"):
                has_upright = True

    return _Paragraph(
        start=element.get("startIndex", 0),
        end=element.get("endIndex", 0),
        heading_level=_HEADING_LEVELS.get(style),
        bullet_level=None if bullet is None else int(bullet.get("nestingLevel") or 0),
        # Most paragraphs are plain text: keeping no segments for them spares the garbage collector.
        segments=segments if has_link or has_struck or has_chip else None,
        plain="".join(plain),
        italic=(has_struck or has_unstruck) and not has_upright,
        has_struck_text=has_struck,
        has_unstruck_text=has_unstruck,
        has_chip=has_chip,
    )


def _read_named_ranges(named: dict[str, Any], problems: list[str]) -> _Marks:
    marks = _Marks()
    for key, entry in named.items():
        for named_range in entry.get("namedRanges") or ():
            name = named_range.get("name") or key
            if not name.startswith(RANGE_PREFIX):
                continue
            if name.startswith(RANGE_SHEET):
                if name[len(RANGE_SHEET) :]:
                    marks.sheets.append(name[len(RANGE_SHEET) :])
                continue
            for span in named_range.get("ranges") or ():
                if span.get("segmentId"):
                    continue  # headers, footers and footnotes hold no session content
                start = span.get("startIndex", 0)
                end = span.get("endIndex", start)
                _add_mark(marks, name, start, end, problems)
    return marks


def _add_mark(marks: _Marks, name: str, start: int, end: int, problems: list[str]) -> None:
    if name.startswith(RANGE_CONTRIBUTION):
        cid = name[len(RANGE_CONTRIBUTION) :]
        if cid:
            marks.anchors.append((cid, start, end))
        else:
            problems.append(f"named range {name!r} has no contribution id; ignored")
        return
    if name.startswith(RANGE_PROMPTS):
        marks.prompts.append((start, end))
        return
    if name.startswith(RANGE_QUESTION):
        sid = name[len(RANGE_QUESTION) :]
    elif name == RANGE_ONLINE:
        sid = ONLINE_SECTION
    elif name == RANGE_ACTIONS:
        sid = ACTIONS_SECTION
    else:
        return
    if not sid:
        problems.append(f"named range {name!r} has no question id; ignored")
        return
    # Several ranges under one name (a copied section, a range Docs split): read their union.
    span = marks.sections.setdefault(sid, [start, end])
    span[0] = min(span[0], start)
    span[1] = max(span[1], end)


def _locate_sections(
    paragraphs: list[_Paragraph], marks: _Marks, config: SessionConfig, result: ParsedDoc
) -> list[tuple[int, int, str]]:
    # Question ids are case-insensitive: a range named gdoc_sync:question:q2 is Q2's.
    canonical = {q.id.casefold(): q.id for q in config.questions}
    for sid in list(marks.sections):
        own = canonical.get(sid.casefold())
        if own is not None and own != sid:
            s_, e_ = marks.sections.pop(sid)
            span = marks.sections.setdefault(own, [s_, e_])
            span[0], span[1] = min(span[0], s_), max(span[1], e_)
    sections = [(s, e, sid) for sid, (s, e) in marks.sections.items()]
    sections.sort()
    result.sections_found = [sid for _s, _e, sid in sections if sid != ACTIONS_SECTION]
    known = {q.id for q in config.questions}
    for _s, _e, sid in sections:
        if sid not in known and sid not in (ONLINE_SECTION, ACTIONS_SECTION):
            result.problems.append(
                f"named range {RANGE_QUESTION}{sid} names no question of this session; "
                f"its contributions are read under {sid}"
            )
    if config.hybrid and ONLINE_SECTION not in marks.sections:
        result.problems.append(f"online section not found (named range {RANGE_ONLINE} missing)")

    body_end = paragraphs[-1].end if paragraphs else 0
    range_starts = sorted(s for s, _e, _sid in sections)
    # A bullet pasted onto a heading line is a contribution, not a section's heading.
    headings = [p for p in paragraphs if p.heading_level is not None and p.bullet_level is None]
    for question in config.questions:
        if question.id in marks.sections:
            continue
        result.sections_missing.append(question.id)
        pattern = question_heading(question.id)
        found = [h for h in headings if pattern.match(h.plain)]
        if not found:
            result.problems.append(
                f"{question.id}: named range {RANGE_QUESTION}{question.id} missing and no heading "
                f'starts with "{question.id}."; its contributions were not read'
            )
            continue
        heading = found[0]
        level = heading.heading_level or 0
        end = body_end
        for other in headings:
            if other.start > heading.start and (other.heading_level or 0) <= level:
                end = other.start
                break
        later_range = bisect.bisect_right(range_starts, heading.start)
        if later_range < len(range_starts):
            end = min(end, range_starts[later_range])
        sections.append((heading.start, end, question.id))
        result.sections_by_heading.append(question.id)
        result.heading_spans[question.id] = (heading.start, end)
        result.problems.append(
            f"{question.id}: named range {RANGE_QUESTION}{question.id} missing; "
            f"section found by its heading {heading.plain.strip()!r}"
        )
        if len(found) > 1:
            result.problems.append(
                f"{question.id}: several headings start with {question.id}; used the first"
            )
    sections.sort()
    return sections


def _section_at(sections: list[tuple[int, int, str]], index: int) -> str | None:
    # The innermost (latest starting) section wins, so a section nested in another keeps its own.
    best: str | None = None
    for start, end, sid in sections:
        if start > index:
            break
        if index < end:
            best = sid
    return best


def _section_finder(sections: list[tuple[int, int, str]]) -> Callable[[int], str | None]:
    """_section_at for many indices: the owner is constant between two range boundaries."""
    points = sorted({p for start, end, _sid in sections for p in (start, end)})
    owners = [_section_at(sections, p) for p in points]

    def find(index: int) -> str | None:
        i = bisect.bisect_right(points, index) - 1
        return owners[i] if i >= 0 else None

    return find


def _group_paragraphs(
    paragraphs: list[_Paragraph],
    sections: list[tuple[int, int, str]],
    marks: _Marks,
    config: SessionConfig,
    result: ParsedDoc,
) -> list[tuple[str, list[_Paragraph]]]:
    prompt_texts = {
        q.id: {normalize(t) for t in (q.text, *q.prompts) if t} for q in config.questions
    }
    groups: list[tuple[str, list[_Paragraph]]] = []
    spilled: dict[str, int] = {}
    current: str | None = None
    spill_from: str | None = None  # section whose range the last paragraph in a range belonged to
    seen_bullet = False
    open_group: list[_Paragraph] | None = None
    section_of = _section_finder(sections)
    questions = [(s, sid) for s, _e, sid in sections if sid != ACTIONS_SECTION]
    first_start, first_sid = min(questions) if questions else (None, "")
    # The heading just above the first question ("Policy questions"): text typed between the two
    # was meant for the session, not for the Doc's introduction.
    above_from = max(
        (
            p.start
            for p in paragraphs
            if p.heading_level is not None and first_start is not None and p.start < first_start
        ),
        default=None,
    )
    actions_end = max((e for _s, e, sid in sections if sid == ACTIONS_SECTION), default=None)

    for para in paragraphs:
        sid = section_of(para.start)
        spill = False
        heading = para.heading_level is not None and para.bullet_level is None
        if sid is not None:
            spill_from = sid
        elif heading:
            spill_from = None
        else:
            # Docs does not always grow a range when text is typed right after its end.
            sid = spill_from
            spill = sid is not None
        if sid != current:
            current, seen_bullet, open_group = sid, False, None
        if sid is None or (sid == ACTIONS_SECTION and spill):
            if not heading and (para.plain.strip() or para.has_chip):
                where = None
                if sid == ACTIONS_SECTION or (
                    actions_end is not None and para.start >= actions_end
                ):
                    heading = texts(session_language(config.facts))["heading.actions"]
                    where = f"below {heading}"
                elif above_from is not None and above_from < para.start < (first_start or 0):
                    where = f"above the first question ({first_sid})"
                if where is not None:
                    result.problems.append(
                        f"{where}: {quote(para.plain)} was not read as a contribution; move it "
                        "under the question it answers"
                    )
            continue
        if sid == ACTIONS_SECTION:
            continue
        if heading:
            open_group = None
            continue
        if para.heading_level is not None and (para.plain.strip() or para.has_chip):
            result.problems.append(
                f"{sid}: {quote(para.plain)} is a bullet styled as a heading; read as a "
                "contribution (set its style to Normal text)"
            )
        if not para.plain.strip() and not para.has_chip:
            continue
        if any(s <= para.start < e for s, e in marks.prompts):
            continue
        if para.bullet_level is None:
            if normalize(para.plain) in prompt_texts.get(sid, ()):
                continue
            if not seen_bullet and para.italic:
                continue
        else:
            seen_bullet = True
        if spill:
            spilled[sid] = spilled.get(sid, 0) + 1
        if para.bullet_level:
            if open_group is not None:
                open_group.append(para)
            else:
                # A detail line whose contribution was deleted (or an indent typed by mistake)
                # is never a contribution of its own: it would become a row that outlives the
                # contribution it belonged to. Said, so that it can be outdented.
                text = " ".join(para.plain.split())
                result.problems.append(
                    f"{sid}: an indented line with no contribution above it was not read: "
                    f"{text[:60]!r}{'...' if len(text) > 60 else ''}; if it is a contribution "
                    "of its own, outdent it (Shift+Tab)"
                )
            continue
        open_group = [para]
        groups.append((sid, open_group))

    for sid, count in spilled.items():
        name = RANGE_ONLINE if sid == ONLINE_SECTION else RANGE_QUESTION + sid
        result.problems.append(
            f"{sid}: {count} paragraph(s) after the end of named range {name} read as part of it"
        )
    return groups


def _render(para: _Paragraph, keep_struck: bool, chips: list[str], links: list[str]) -> str:
    segments = para.segments
    if segments is None:
        text = para.plain
        return (text.replace("\v", "\n") if "\v" in text else text).strip()
    out: list[str] = []
    dropped = False
    i, count = 0, len(segments)
    while i < count:
        segment = segments[i]
        i += 1
        if segment.struck and not keep_struck:
            dropped = True
            continue
        if segment.chip is not None:
            chips.append(segment.chip)
            piece = chr(_CHIP_BASE + len(chips) - 1)
        elif segment.url:
            # Docs splits one link into several runs where its style changes; render it once.
            texts = [segment.text]
            while i < count and segments[i].url == segment.url and segments[i].chip is None:
                if keep_struck or not segments[i].struck:
                    texts.append(segments[i].text)
                i += 1
            piece = _render_link("".join(texts), segment.url, links)
        else:
            piece = segment.text
        if dropped and out and piece[:1] in (" ", "\t") and out[-1][-1:] in (" ", "\t"):
            piece = piece.lstrip(" \t")
        dropped = False
        if piece:
            out.append(piece)
    text = "".join(out)
    if "\v" in text:
        text = text.replace("\v", "\n")
    return text.strip()


def _render_link(text: str, url: str, links: list[str]) -> str:
    core = text.rstrip()
    if not core.strip():
        return text
    if url not in links:
        links.append(url)
    if _bare_url(core.strip()) == _bare_url(url):
        return text
    return f"{core} ({url}){text[len(core) :]}"


def _bare_url(url: str) -> str:
    # Docs links typed "www.x.org" to "http://www.x.org" and "a@b.org" to "mailto:a@b.org".
    return url.split("://", 1)[-1].removeprefix("mailto:").rstrip("/")


class _Reader:
    """Turns grouped paragraphs into contributions, remembering what repeats between them."""

    def __init__(self, matcher: GroupMatcher, problems: list[str]) -> None:
        self.matcher = matcher
        self.problems = problems
        self.channels = _channel_words(matcher.vocab)
        self.honorifics = frozenset(normalize(w) for w in matcher.vocab.honorifics)
        # Attributions repeat ("CSO, online"); reading one is the costliest step per contribution.
        self._attributions: dict[str, _Attribution | None] = {}

    def contribution(
        self, sid: str, paras: list[_Paragraph], default_channel: Channel
    ) -> Contribution | None:
        withdrawn = any(p.has_struck_text for p in paras) and not any(
            p.has_unstruck_text for p in paras
        )
        chips: list[str] = []
        links: list[str] = []
        first = _render(paras[0], withdrawn, chips, links)
        first_chips = len(chips)
        details = [
            line for line in (_render(p, withdrawn, chips, links) for p in paras[1:]) if line
        ]
        if not first:
            if not details:
                return None
            first, details = details[0], details[1:]

        addressees, rest = _split_addressees(first, self.matcher)
        body_details = list(details)
        split = self.attribution(rest, body_elsewhere=bool(details))
        if split is not None:
            rest, attribution = split
        elif details:
            split = self.attribution(
                details[-1], body_elsewhere=bool(rest.strip()) or len(details) > 1
            )
            if split is not None:
                body_details[-1], attribution = split
        if split is None:
            attribution = _NO_ATTRIBUTION

        speakers: set[int] = set()
        names: list[str] = []
        for name in attribution.names:
            names.append(_CHIP.sub(lambda m: _take_chip(m, chips, speakers), name))
        if chips and not names:
            # Without an attribution naming someone, the chip the moderator put last is the speaker.
            pick = (first_chips or len(chips)) - 1
            speakers.add(pick)
            names.append(chips[pick])

        text = _resolve_chips("\n".join([first, *details]) if details else first, chips, speakers)
        if not text:
            return None
        if attribution.unread:
            unread = ", ".join(repr(u) for u in attribution.unread)
            self.problems.append(
                f"{sid}: {quote(text)}: {unread} in the attribution is no name, group or "
                "channel word; kept with the speaker"
            )
        if not addressees:
            self.did_you_mean(sid, first, text)
        body_lines = [line for line in (rest, *body_details) if line and not line.isspace()]
        return Contribution(
            question_id=sid,
            text=text,
            addressees=addressees,
            body=_resolve_chips("\n".join(body_lines), chips, speakers),
            speaker=", ".join(n for n in names if n),
            proposer_group=attribution.group,
            channel=attribution.channel or default_channel,
            withdrawn=withdrawn,
            start_index=paras[0].start,
            end_index=max(paras[0].start, paras[0].end - 1),
            links=tuple(links),
        )

    def did_you_mean(self, sid: str, first: str, text: str) -> None:
        """Warn about an unassigned line whose prefix probably meant a group, naming it."""
        prefix = _typed_prefix(first)
        if prefix is None:
            return
        names = self.matcher.suggest(prefix)
        if not names:
            return
        options = " or ".join(f'"{n}"' for n in names[:3])
        self.problems.append(
            f"{sid}: unassigned {quote(text)}: {prefix.strip()!r} is no stakeholder group of this "
            f'session; did you mean {options}? (start the line with "{names[0]}: ...")'
        )

    def attribution(self, line: str, *, body_elsewhere: bool) -> tuple[str, _Attribution] | None:
        """The line without a trailing "(speaker, group, channel)", and what it says; or None."""
        if not line.rstrip(" \t.!\u3002").endswith(")"):
            return None  # most lines: skip the regex
        match = _TRAILING_PAREN.search(line)
        if match is None:
            return None
        before = line[: match.start()].rstrip()
        if not before and not body_elsewhere:
            return None  # a parenthesis alone is what was said, not who said it
        inner = match.group(1)
        if inner not in self._attributions:
            self._attributions[inner] = _read_attribution(
                inner, self.matcher, self.channels, self.honorifics
            )
        attribution = self._attributions[inner]
        if attribution is None:
            return None
        punct = match.group(2)
        if punct and before.endswith((".", "!", "?", "\u3002")):
            punct = ""
        return before + punct, attribution


def _take_chip(match: re.Match[str], chips: list[str], speakers: set[int]) -> str:
    index = ord(match[0]) - _CHIP_BASE
    if index >= len(chips):
        return match[0]  # typed by someone, not one of ours
    speakers.add(index)
    return chips[index]


def _resolve_chips(text: str, chips: list[str], speakers: set[int]) -> str:
    if not chips:
        return text.strip()
    out: list[str] = []
    pos = 0
    for match in _CHIP.finditer(text):
        index = ord(match[0]) - _CHIP_BASE
        before = text[pos : match.start()]
        pos = match.end()
        if index >= len(chips):
            out.append(before + match[0])  # typed by someone, not one of ours
            continue
        if index not in speakers:
            out.append(before + chips[index])
            continue
        # "... — @Jane", "by @Jane today", "X, @Jane, Y": the chip goes with what introduced it;
        # "@Jane: text" at the start of a line: with what follows it.
        before = before.rstrip(" \t")
        if before[-1:] in _CHIP_SEPARATORS and before[-1:]:
            before = before[:-1].rstrip(" \t")
        elif not before or before.endswith("\n"):
            following = _AFTER_LEADING_CHIP.match(text, pos)
            pos = following.end() if following else pos
        out.append(before)
    out.append(text[pos:])
    resolved = "".join(out)
    if speakers and "(" in resolved:
        resolved = _EMPTY_PARENS.sub("", resolved)
    return resolved.strip()


def _typed_prefix(line: str) -> str | None:
    """What stands where a group would: before the colon, in the brackets or the first hashtag."""
    mark = _LEADING_MARK.match(line)
    if mark:
        line = line[mark.end() :]
    opening = _OPENING_QUOTE.match(line)
    if opening:
        line = line[opening.end() :]
    if line.startswith("["):
        close = line.find("]", 1, MAX_PREFIX_CHARS + 2)
        return line[1:close] if close > 1 else None
    if line.startswith("#"):
        match = _HASHTAG.match(line)
        return match.group(1) if match else None
    colon = _COLONS.search(line, 0, MAX_PREFIX_CHARS + 1)
    if colon is None:
        return None
    prefix = line[: colon.start()]
    if not prefix.strip() or _NOT_A_PREFIX.search(prefix) or len(prefix.split()) > 5:
        return None
    return prefix


def _split_addressees(line: str, matcher: GroupMatcher) -> tuple[tuple[str, ...], str]:
    """Addressee keys and the rest of the line: "Groups: ...", "[Groups] ...", "#group ...";
    a list mark typed before them ("- ", "• ", "1) ") is skipped."""
    keys: tuple[str, ...] | None
    mark = _LEADING_MARK.match(line)
    if mark:
        keys, rest = _split_addressees(line[mark.end() :], matcher)
        return (keys, rest) if keys else ((), line)
    opening = _OPENING_QUOTE.match(line)
    if opening:
        # "« Chercheurs : publier ... »": the groups are read inside the quotes, which stay
        # around the words as typed ("« publier ... »").
        keys, rest = _split_addressees(line[opening.end() :], matcher)
        return (keys, opening.group(0) + rest) if keys else ((), line)
    if line.startswith("["):
        close = line.find("]", 1, MAX_PREFIX_CHARS + 2)
        keys = matcher.match_list(line[1:close]) if close > 1 else None
        if keys:
            return keys, line[close + 1 :].lstrip(" \t:")
        return (), line
    if line.startswith("#"):
        found: list[str] = []
        everyone = False
        pos = 0
        while match := _HASHTAG.match(line, pos):
            tag = match.group(1)
            if matcher.is_all(tag):
                everyone = True
            elif (key := matcher.match(tag)) is not None:
                found.append(key)
            else:
                break  # "#investors #1 priority": the first tag that is no group starts the text
            pos = match.end()
        if pos == 0:
            return (), line
        keys = matcher.keys if everyone else tuple(k for k in matcher.keys if k in found)
        return keys, line[pos:].lstrip(" \t:")
    colon = _COLONS.search(line, 0, MAX_PREFIX_CHARS + 1)
    if colon is None:
        # "Investors - ask for ...": a dash where the colon goes, when what is before it is groups.
        dash = _PREFIX_DASH.search(line, 0, MAX_PREFIX_CHARS + 3)
        if dash is None or _NOT_A_PREFIX.search(line[: dash.start()]):
            return (), line
        keys = matcher.match_list(line[: dash.start()])
        return (keys, line[dash.end() :]) if keys else ((), line)
    prefix = line[: colon.start()]
    # Only the first colon counts: "Note: investors: ..." is a note, not an address.
    if not prefix.strip() or _NOT_A_PREFIX.search(prefix):
        return (), line
    keys = matcher.match_list(prefix)
    if keys is None:
        return (), line
    return keys, line[colon.end() :].lstrip()


def _channel_words(vocab: Vocabulary) -> dict[str, Channel]:
    words = {normalize(w): Channel.onsite for w in vocab.onsite}
    words.update({normalize(w): Channel.online for w in vocab.online})
    words.pop("", None)
    return words


def _attribution_parts(inner: str) -> list[str]:
    parts: list[str] = []
    for piece in _ATTRIBUTION_SEPARATORS.split(inner):
        parts.extend(p.strip() for p in _ATTRIBUTION_DASHES.split(piece))
    return [p for p in parts if p]


def _channel_of(part: str, channels: dict[str, Channel]) -> tuple[str, Channel | None]:
    """A part's channel word, whole or at its end ("Amara Okafor en línea"), and what is left."""
    form = normalize(strip_decoration(part))
    if form in channels:
        return "", channels[form]
    words = part.split()
    for n in (3, 2, 1):
        if len(words) > n:
            tail = normalize(" ".join(words[-n:]))
            if tail in channels:
                return " ".join(words[:-n]), channels[tail]
    return part, None


def _read_attribution(
    inner: str,
    matcher: GroupMatcher,
    channels: dict[str, Channel],
    honorifics: frozenset[str],
) -> _Attribution | None:
    """Speaker names, proposer group and channel in a parenthesis; None if it is prose.

    Once a part is recognised (a channel word, a group, a person chip), the parenthesis is an
    attribution: other parts are names and affiliations, and a part that is none of these is kept
    with the speaker and reported (unread) rather than throwing the attribution away."""
    if _NEVER_IN_ATTRIBUTIONS.search(inner):
        return None  # a rendered link "(https://...)", an e-mail address, a formula
    channel: Channel | None = None
    group = ""
    names: list[str] = []
    name_like: list[str] = []
    unread: list[str] = []
    titled = False
    title: list[str] = []
    has_chip = False
    for part in _attribution_parts(inner):
        if _CHIP.search(part):
            names.append(part)
            has_chip = True
            continue
        rest, word_channel = _channel_of(part, channels)
        if word_channel is not None:
            if channel is not None and channel != word_channel:
                return None  # "(online, onsite)": which one is not ours to say
            channel = word_channel
            if not rest:
                continue
            part = rest
        words = normalize(part).split()
        if words and all(w in honorifics for w in words):
            title.append(part)  # "H.E., Dr. Amina Yusuf": the title goes with the next name
            titled = True
            continue
        key = matcher.match(part, typos=False)
        if key is None and not _looks_like_name(part, strict=True):
            # "civil socity", "la sociedad civil", "civil soc": a group, since no name is written so
            key = matcher.match_loose(part)
        if key is not None:
            if group and group != key:
                return None  # "(CSO, UN)": a list of groups, not who said it
            group = key
            continue
        if title:
            part = " ".join([*title, part])
            title = []
        if _looks_like_name(part, strict=False):
            name_like.append(part)
            if normalize(part.split()[0]) in honorifics:
                titled = True
        else:
            unread.append(part)
    if title:
        name_like.append(" ".join(title))

    # A capitalized word close to a group ("Goverment", but also "Medina" vs "media") is a group
    # only when someone else is already named as the speaker.
    for part in list(name_like):
        key = matcher.match(part)
        if key is not None and not group and (has_chip or len(name_like) > 1):
            group = key
            name_like.remove(part)
    names.extend(name_like)

    loose = [n for n in name_like if not _looks_like_name(n, strict=True)]
    long_clauses = [u for u in (*unread, *loose) if len(u.split()) > 3]
    if long_clauses:
        # "(Fatou Diop, Ministère de la Transition numérique, en ligne)": an affiliation with
        # function words is no name, but beside a named person it is kept with them, and said.
        # Without a person, or with neither a channel, a group, a chip or a title nor a capital
        # starting the long clause ("(Jane Doe, which we discussed at length)"), it is prose.
        person = has_chip or any(
            len(n.split()) > 1 and _looks_like_name(n, strict=True) for n in name_like
        )
        anchored = bool(group) or channel is not None or has_chip or titled
        if not person or not (anchored or all(u[:1].isupper() for u in long_clauses)):
            return None
        for part in long_clauses:
            if part in name_like:
                name_like.remove(part)
                names.remove(part)
                unread.append(part)
        loose = [n for n in loose if n in name_like]
    if len(name_like) > 1:
        # Names and affiliations start with a capital: "desde Medellín" beside a name is neither.
        for part in loose:
            if part[:1].islower():
                name_like.remove(part)
                names.remove(part)
                unread.append(part)
    recognised = bool(group) or channel is not None or has_chip or titled
    full_names = [n for n in name_like if len(n.split()) > 1 and _looks_like_name(n, strict=True)]
    if not recognised and len(full_names) == 1 and len(name_like) + len(unread) > 1:
        # "(civil society – Amara Okafor)" where civil society is no group of this session: the
        # person is named; what else was written is kept with the name, and said.
        for part in name_like:
            if part not in full_names:
                names.remove(part)
                unread.append(part)
        name_like = full_names
        recognised = True
    if not recognised:
        # Nothing else says this is an attribution: accept one name that clearly looks like one,
        # so "(see UNGPs, principle 17)" and "(Meta, Alphabet)" stay in the text.
        if unread or len(name_like) != 1 or not _looks_like_name(name_like[0], strict=True):
            return None
    elif not names and unread and len(unread) == len(_attribution_parts(inner)):
        return None
    elif not names and not group and channel is not None and unread:
        # "(facial recognition online)": a channel word in prose, nobody named: stays text.
        return None
    return _Attribution(
        names=tuple(names + unread), group=group, channel=channel, unread=tuple(unread)
    )


def _looks_like_name(part: str, *, strict: bool) -> bool:
    """1-5 words of letters; strict: first and most words capitalized (or of an uncased script)."""
    words = part.split()
    if not 1 <= len(words) <= 5:
        return False
    capitalized = 0
    for position, word in enumerate(words):
        first = ""
        for ch in word:
            if ch.isalpha():
                first = first or ch
            elif ch not in "'\u2019-." and not unicodedata.category(ch).startswith("M"):
                return False
        if not first or normalize(word) in _PROSE_WORDS or word.casefold() in _PROSE_WORDS:
            return False
        if not first.islower():
            capitalized += 1
        elif position == 0 and strict:
            return False
    if len(words) == 1 and len(words[0]) > 1 and words[0].isupper():
        return False  # an acronym: "(GDPR)", "(OECD)"
    return not strict or capitalized * 2 >= len(words)


def _natural_key(cid: str) -> list[tuple[int, int | str]]:
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", cid) if t]


def _assign_anchors(
    contributions: list[Contribution],
    firsts: list[_Paragraph],
    anchors: list[tuple[str, int, int]],
    result: ParsedDoc,
) -> None:
    starts = [para.start for para in firsts]
    covering: dict[int, list[str]] = {}
    for cid, start, end in anchors:
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        while i < len(firsts) and starts[i] < end:
            para = firsts[i]
            # Spans end before the newline: a range over the previous "\n" is not on this one.
            if start < para.end - 1 and end > para.start:
                covering.setdefault(i, []).append(cid)
            i += 1

    used: set[str] = set()
    lost_to: dict[str, str] = {}
    for i, cids in sorted(covering.items()):
        contribution = contributions[i]
        ordered = sorted(set(cids), key=_natural_key)
        free = [cid for cid in ordered if cid not in used]
        if not free:
            result.problems.append(
                f"anchor {ordered[0]} also covers a later contribution "
                f"({contribution.text[:40]!r}; a split paragraph?), left without an id"
            )
            continue
        contribution.id = free[0]
        used.add(free[0])
        for other in free[1:]:
            lost_to.setdefault(other, free[0])

    all_ids = {cid for cid, _s, _e in anchors}
    result.stale_anchors = sorted(all_ids - used, key=_natural_key)
    for cid in result.stale_anchors:
        if cid in lost_to:
            result.problems.append(
                f"stale anchor {cid}: its paragraph is anchored as {lost_to[cid]}"
            )
        else:
            result.problems.append(f"stale anchor {cid}: covers no contribution")
