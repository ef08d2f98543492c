"""Markdown escaping of people's words: which characters CommonMark (with GFM's tables and
strikethrough) could read as markup, and the backslash that keeps each one text.

The rule every escape here relies on (CommonMark 0.31, "Backslash escapes"): a backslash before
an ASCII punctuation character shows that character as itself; a backslash before anything else
is a backslash. So an escaped text reads back as what was typed, and only ASCII punctuation is
ever escaped.

Two strengths, one set of characters:
- strict: the text is a piece whose neighbours are not known here (a run of a Docs paragraph that
  emphasis delimiters or another run will join), so every character that could be markup next
  to something is escaped wherever it stands;
- otherwise the text is whole, and a character is escaped only where it is markup as it stands
  (an underscore inside a word, an "&" that starts no entity, a "<" that opens no tag, one "~",
  a "-" or "1." not followed by a space stay as typed), so the Markdown reads as plain text.
"""

from __future__ import annotations

import re
import string

ASCII_PUNCTUATION = frozenset(string.punctuation)

# What can open or close inline markup: a backslash escape, code spans, emphasis, links and
# images, raw HTML and autolinks, entities, GFM strikethrough and table cells.
INLINE = "\\`*_[]<>&~|"
_STRICT = re.compile("([" + re.escape(INLINE) + "])")
# Where each of them is markup in a whole text. A ">" is only a quote at a line's start (below)
# or the end of a tag whose "<" is escaped; a "|" only in a table cell; "~" only paired.
_WHOLE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~])"  # a backslash before punctuation would escape it
    r"|[`*\[\]]"
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # an underscore inside a word emphasises nothing
    r"|<(?=[A-Za-z/!?])"  # a tag, comment, declaration or autolink
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity or numeric character reference
)
_TILDE = re.compile(r"~")
_PIPE = re.compile(r"\|")

# A line's start: headings, quotes, list items, thematic breaks, setext underlines and fences.
# Strict lines may begin with no-break spaces (leading spaces kept visible, which Markdown does
# not count as indentation); their other block starts (">", "*", "_", "~", "`") are escaped
# wherever they stand.
_START_STRICT = re.compile(r"(\u00a0*)(?:([#+=-])|\d{1,9}([.)]))")
_START_WHOLE = re.compile(
    r"()(?:([#>]|[-+*](?=\s|$)|=+\s*$|-{2,}|_{3,}|~~~)"  # group 1 empty: no leading spaces
    r"|\d{1,9}([.)])(?=\s|$))"
)
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")  # an ATX heading's closing sequence would be dropped


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match[0]


def escape(text: str, *, strict: bool = False, cell: bool = False, also: str = "") -> str:
    """`text` with a backslash before each character Markdown would read as markup there.

    strict: escape every inline markup character wherever it stands (see the module docstring).
    cell: the text stands in a GFM table cell, where "|" ends the cell (strict escapes it anyway).
    also: more characters to escape wherever they stand ("#" in a heading's text).
    """
    if strict:
        text = _STRICT.sub(r"\\\1", text)
    else:
        text = _WHOLE.sub(_backslash, text)
        if text.count("~") > 1:
            text = _TILDE.sub(r"\\~", text)
        if cell:
            text = _PIPE.sub(r"\\|", text)
    if also:
        text = re.sub("([" + re.escape(also) + "])", r"\\\1", text)
    return text


def escape_line_start(line: str, *, strict: bool = False) -> str:
    """An escaped line made unable to open a block where it starts a Markdown line.

    strict: escape a "#", "+", "=", "-" or "1." / "1)" at the start whatever follows it (a line
    made of runs, where what follows may be another run's); otherwise only where it opens a block
    as it stands, and a heading's closing "#" run too.
    """
    match = (_START_STRICT if strict else _START_WHOLE).match(line)
    if match is not None:
        # "1." keeps its "1" and escapes the ".", which reads as typed.
        cut = match.start(3) if match[3] is not None else match.end(1)
        line = f"{line[:cut]}\\{line[cut:]}"
    if not strict:
        line = _CLOSING_HASHES.sub(lambda m: m[1] + "\\" + m[2], line)
    return line
