"""Cutting people's words short for a card without splitting a character someone would see."""

from __future__ import annotations

from gdoc_sync.locales.texts import squash_spaces

ELLIPSIS = "…"


def grapheme_boundary(text: str, index: int) -> int:
    """The nearest index at or before `index` where a grapheme cluster starts (Unicode UAX #29
    extended grapheme clusters, as wcwidth segments them: flags, emoji sequences, combining
    marks, Indic conjuncts, Hangul jamo)."""
    from wcwidth import grapheme_boundary_before  # only when a card is cut; ~30 ms to import

    index = max(0, min(index, len(text)))
    if index == len(text):
        return index
    return int(grapheme_boundary_before(text, index + 1))


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
