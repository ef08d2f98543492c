"""Cutting people's words short for a card without splitting a character someone would see."""

from __future__ import annotations

import unicodedata

from gdoc_sync.locales.texts import squash_spaces

ELLIPSIS = "…"
ZWJ = "\u200d"


def _joins_previous(ch: str) -> bool:
    """True when `ch` belongs to the grapheme of the character before it (Unicode UAX #29:
    Extend, ZWJ, SpacingMark, emoji modifiers and tags, Hangul vowel and final jamo)."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch == ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors (text or emoji presentation)
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # skin tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
        or 0x1160 <= cp <= 0x11FF  # Hangul medial vowels and final consonants
        or 0xD7B0 <= cp <= 0xD7FF
    )


def _regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def grapheme_boundary(text: str, index: int) -> int:
    """The nearest index at or before `index` where a grapheme cluster starts (conservative:
    it may step back further than a full UAX #29 segmenter would, never less far)."""
    index = max(0, min(index, len(text)))
    while 0 < index < len(text):
        ch, before = text[index], text[index - 1]
        # After a virama (combining class 9) a consonant joins the conjunct (Indic scripts).
        conjunct = unicodedata.combining(before) == 9 and unicodedata.category(ch) == "Lo"
        if _joins_previous(ch) or before == ZWJ or conjunct or (before == "\r" and ch == "\n"):
            index -= 1
            continue
        if _regional_indicator(ch) and _regional_indicator(before):
            # Flags are pairs: cut only after an even run of regional indicators.
            run = 0
            while index - run > 0 and _regional_indicator(text[index - run - 1]):
                run += 1
            if run % 2:
                index -= 1
                continue
        break
    return index


def shorten(text: str, limit: int) -> str:
    """`text` in at most about `limit` characters: whole words where the text has spaces, whole
    graphemes always, and an ellipsis when anything was left out."""
    text = squash_spaces(text)
    if len(text) <= limit:
        return text
    cut = grapheme_boundary(text, limit)
    space = text.rfind(" ", 0, cut + 1)
    # A space is always a grapheme boundary; prefer it unless it throws away too much.
    if space > limit * 0.6:
        cut = space
    return text[:cut].rstrip() + ELLIPSIS
