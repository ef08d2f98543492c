"""The one Markdown escaper (gdoc_sync/core/markdown.py), which the report and export both use,
checked against CommonMark's own rule for backslash escapes rather than against itself.

The renderer rule this file states and applies (CommonMark 0.31, section 2.4): any ASCII
punctuation character may be backslash-escaped, and is then shown as that character; a backslash
before any other character is a literal backslash. Nothing else about Markdown is assumed: what
the escaper produces must read back, under that rule alone, as exactly the text given, and the
characters that would be markup must each stand behind a backslash."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdoc_sync.core.markdown import escape, escape_line_start
from gdoc_sync.report.markdown import md, md_cell, md_line_start
from gdoc_sync.workflows.export import render_document

# CommonMark 0.31, 2.1: "An ASCII punctuation character is !, ", #, $, %, &, ', (, ), *, +, ,,
# -, ., / (U+0021-2F), :, ;, <, =, >, ?, @ (U+003A-0040), [, \, ], ^, _, ` (U+005B-0060),
# {, |, }, or ~ (U+007B-007E)."
COMMONMARK_PUNCTUATION = frozenset(
    [chr(c) for c in range(0x21, 0x30)]
    + [chr(c) for c in range(0x3A, 0x41)]
    + [chr(c) for c in range(0x5B, 0x61)]
    + [chr(c) for c in range(0x7B, 0x7F)]
)
INLINE_MARKUP = "\\`*_[]<>&~|"  # what can open or close inline markup in CommonMark + GFM

PUNCTUATION_HEAVY = st.text(
    alphabet="ab1 9*_[]()<>!#-+=.:^|~&\\`'\u00a0\t;/?é字😀&#x41;", max_size=16
)
ANY_TEXT = st.one_of(PUNCTUATION_HEAVY, st.text(max_size=16))


def read(markdown: str) -> list[tuple[int, str, bool]]:
    """(position, character shown, whether a backslash escaped it) of each character a
    CommonMark renderer shows for `markdown`, under the backslash rule alone."""
    out, i = [], 0
    while i < len(markdown):
        escaped = markdown[i] == "\\" and markdown[i + 1 : i + 2] in COMMONMARK_PUNCTUATION
        out.append((i + escaped, markdown[i + escaped], escaped))
        i += 1 + escaped
    return out


def shown(markdown: str) -> str:
    """The text a CommonMark renderer shows for the backslash escapes in `markdown`."""
    return "".join(ch for _, ch, _ in read(markdown))


def bare(markdown: str) -> list[tuple[int, str]]:
    """(position, character) of each character that no backslash escapes."""
    return [(i, ch) for i, ch, escaped in read(markdown) if not escaped]


def only_backslashes_added(text: str, escaped: str) -> bool:
    return escaped.replace("\\", "") == text.replace("\\", "")


MODES = [
    pytest.param({}, id="whole"),
    pytest.param({"cell": True}, id="cell"),
    pytest.param({"strict": True}, id="strict"),
    pytest.param({"strict": True, "also": "#"}, id="strict-heading"),
]


@pytest.mark.parametrize("mode", MODES)
@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_what_is_escaped_reads_back_as_typed(mode: dict[str, object], text: str) -> None:
    escaped = escape(text, **mode)  # type: ignore[arg-type]
    assert shown(escaped) == text
    assert only_backslashes_added(text, escaped)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_strict_leaves_no_markup_character_bare(text: str) -> None:
    escaped = escape(text, strict=True, also="#")
    assert [ch for _, ch in bare(escaped) if ch in INLINE_MARKUP + "#"] == []


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_whole_text_leaves_bare_only_what_cannot_be_markup_there(text: str) -> None:
    escaped = escape(text, cell=True)
    for i, ch in bare(escaped):
        before, after = escaped[i - 1 : i], escaped[i + 1 : i + 2]
        assert ch not in "`*[]|", escaped  # code, emphasis, links, a cell's end: always markup
        if ch == "_":  # an underscore between two letters or digits emphasises nothing
            assert before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
        if ch == "<":  # opens no tag, comment, declaration or autolink
            assert not re.match(r"[A-Za-z/!?]", after), escaped
        if ch == "&":  # starts no entity or character reference
            assert not re.match(r"#?[A-Za-z0-9]+;", escaped[i + 1 :]), escaped
        if ch == "~":  # a strikethrough needs two
            assert [c for _, c in bare(escaped)].count("~") == 1, escaped


# What would open a block at a line's start (CommonMark 4.1-4.4, 5.1-5.2): a thematic break, an
# ATX heading, a setext underline, a fence, a block quote, a list item.
BLOCK_START = re.compile(r"([#>]|[-+*](\s|$)|\d{1,9}[.)](\s|$)|=+\s*$|-{2,}|_{3,}|```|~~~)")


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_a_line_start_opens_no_block_and_reads_as_typed(text: str) -> None:
    for strict in (False, True):
        line = escape_line_start(escape(text, strict=strict), strict=strict)
        assert shown(line) == text
        assert only_backslashes_added(text, line)
        assert not BLOCK_START.match(line), line


@pytest.mark.parametrize(
    ("typed", "report_md"),
    [
        (
            "R&D for snake_case ids, 3 < 4 > 2 ~ approx",
            "R&D for snake_case ids, 3 < 4 > 2 ~ approx",
        ),
        (
            "**loud** <b>bold</b> &amp; ~~gone~~",
            "\\*\\*loud\\*\\* \\<b>bold\\</b> \\&amp; \\~\\~gone\\~\\~",
        ),
        ("# not a heading #", "\\# not a heading \\#"),
        ("1. not a list", "1\\. not a list"),
    ],
)
def test_report_escapes_whole_fields_and_export_escapes_runs_strictly(
    typed: str, report_md: str
) -> None:
    # The report escapes whole fields: only what is markup as it stands.
    assert md_line_start(typed) == report_md
    assert shown(md(typed)) == typed and shown(md_cell(typed + " | x")) == typed + " | x"
    # The export escapes runs strictly: every markup character, wherever it stands.
    paragraph = {"paragraph": {"elements": [{"textRun": {"content": typed + "\n"}}]}}
    exported = render_document({"body": {"content": [paragraph]}}, "md").rstrip("\n")
    assert shown(exported) == typed
    assert [ch for _, ch in bare(exported) if ch in INLINE_MARKUP] == []
