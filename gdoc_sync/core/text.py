"""The one place text is made storable: what Docs and Sheets keep, decided before any write and
before any comparison, so what gdoc-sync writes is exactly what it later reads back.

What each class of character becomes (README, "Text that cannot be stored as given"):

- Word's list bullets from its Symbol and Wingdings fonts, stored as private-use characters
  (U+F0B7 and three more), become the character they show: "•", "▪", "➢", "✓".
- Any other character of the Basic Multilingual Plane's private use area (U+E000-U+F8FF) becomes
  U+FFFD "�": Docs would strip it, and a visible mark says something stood there.
- An unpaired surrogate (possible in JSON, not text) becomes U+FFFD "�" too.
- Line breaks (CR LF, CR, form feed, line and paragraph separators) become "\\n"; inside one Docs
  paragraph, where a "\\n" would start a new paragraph, "\\n" becomes a soft line break.
- Tabs stay. The other C0 control characters and DEL are removed: they are invisible and carry
  no words (Docs strips them too).
- A Sheet cell over 50,000 characters (Google's limit) is cut and ends with a marker saying how
  many characters were cut and that the whole text is in the Doc and the journal.
"""

from __future__ import annotations

import re
from typing import Any

from gdoc_sync.core.a1 import column_letter, first_cell
from gdoc_sync.locales.texts import squash_spaces

REPLACEMENT = "\ufffd"
# Word's bullets from the Symbol and Wingdings fonts, as they arrive when pasted from Word.
WORD_BULLETS = {
    "\uf0b7": "\u2022",  # Symbol 0xB7: •
    "\uf0a7": "\u25aa",  # Wingdings 0xA7: ▪
    "\uf0d8": "\u27a2",  # Wingdings 0xD8: ➢
    "\uf0fc": "\u2713",  # Wingdings 0xFC: ✓
}
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAKS = re.compile("\r\n|[\r\x0c\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
SOFT_BREAK = "\x0b"  # Docs' line break inside a paragraph

# The text style fields gdoc-sync resets on every text it inserts into the Doc, in the same
# batchUpdate: inserted text takes the style of the text before it, and a note typed after a
# struck-through bullet would be withdrawn.
PLAIN_FIELDS = "bold,italic,underline,strikethrough,smallCaps,baselineOffset,link"

CELL_LIMIT = 50_000  # characters Google keeps in one Sheet cell
_CUT_ROOM = 200  # room kept for the marker


def storable(text: str) -> str:
    """Text with only characters Docs and Sheets store as given (see the module docstring)."""
    if text.isascii() and text.isprintable():
        return text
    text = _LONE_SURROGATE.sub(REPLACEMENT, _surrogates_joined(text))
    text = _PRIVATE.sub(lambda m: WORD_BULLETS.get(m.group(), REPLACEMENT), text)
    text = _BREAKS.sub("\n", text)
    return _CONTROLS.sub("", text.replace("\x0b", "\n"))


def _surrogates_joined(text: str) -> str:
    """A properly paired surrogate pair in a str (as json.loads can leave it) as one character."""
    if not _LONE_SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def for_paragraph(text: str) -> str:
    """Text for one Docs paragraph: storable, trimmed, line breaks as soft breaks."""
    return storable(text).strip().replace("\n", SOFT_BREAK)


def one_line(text: str) -> str:
    """Storable text on one line with single spaces (a note typed on the command line)."""
    return squash_spaces(storable(text))


def fit_cell(text: str) -> str:
    """Text that fits a Sheet cell; over the limit it ends with a marker saying how much was cut."""
    text = storable(text)
    if len(text) <= CELL_LIMIT:
        return text
    kept = CELL_LIMIT - _CUT_ROOM
    marker = f" […cut: {len(text) - kept} more characters are in the Doc and the journal]"
    return text[:kept] + marker


def cell_problems(data: list[dict[str, Any]]) -> list[str]:
    """The cells of a values write that Sheets would not store as given, each as
    "'Tab'!D12 (row 12, column D): why"; for naming the cell when Sheets refuses a write."""
    problems = []
    for item in data:
        start = first_cell(item.get("range", ""))
        if start is None:
            continue
        tab, row0, col0 = start
        rows = item.get("values") or []
        if item.get("majorDimension") == "COLUMNS":
            rows = [list(r) for r in zip(*rows, strict=False)]
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if not isinstance(value, str):
                    continue
                letters = column_letter(col0 + j)
                where = f"{tab}!{letters}{row0 + i} (row {row0 + i}, column {letters})"
                if len(value) > CELL_LIMIT:
                    problems.append(
                        f"{where}: {len(value):,} characters, over Google's {CELL_LIMIT:,} per cell"
                    )
                elif storable(value) != value:
                    problems.append(f"{where}: holds characters Sheets may not store as given")
    return problems
