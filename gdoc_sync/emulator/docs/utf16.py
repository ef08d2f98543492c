"""UTF-16 code-unit arithmetic on Python strings, the unit every Docs index counts in."""

from __future__ import annotations

import re

# Docs strips these from inserted text (documented on InsertTextRequest.text): C0 controls
# except tab, newline and vertical tab (a soft line break), and the BMP private use area.
# Unpaired surrogates (JSON allows "\ud83d" alone) go too: they are not text.
_STRIPPED = re.compile("[\x00-\x08\x0c-\x1f\ue000-\uf8ff\ud800-\udfff]")


class SurrogateSplit(ValueError):
    """An index falls between the two code units of an astral character."""


def u16len(text: str) -> int:
    """Length of text in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def py_index(text: str, offset: int) -> int:
    """The str index of the UTF-16 offset in text; raises SurrogateSplit inside a pair."""
    if offset <= 0 or text.isascii():
        return offset
    # Most non-ASCII text (accents, Arabic, Hebrew, CJK) stays in the BMP: one unit per char.
    n = len(text)
    if offset <= n and u16len(text[:offset]) == offset:
        return offset
    units = 0
    for i, char in enumerate(text):
        if units == offset:
            return i
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            raise SurrogateSplit(offset)
    return n


def u16_slice(text: str, start: int, end: int | None = None) -> str:
    """text[start:end] with both bounds in UTF-16 code units."""
    a = py_index(text, start)
    return text[a:] if end is None else text[a : py_index(text, end)]


def clean_inserted(text: str) -> str:
    """The text Docs actually keeps from an insertion."""
    return _STRIPPED.sub("", text)
