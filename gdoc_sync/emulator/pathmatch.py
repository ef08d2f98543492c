"""Fault path patterns: plain text with wildcards, matched in linear time (no regex engine).

A fault's `path` arrives over HTTP, so it must not be able to stall the emulator the way a
catastrophic regular expression (`(a+)+$`) would. The language is small:

    ^        at the very start: the path must begin here (otherwise it may match anywhere)
    $        at the very end: the path must end here
    *        any run of characters within one path segment (no "/"), possibly empty; the
             regex spelling `[^/]+` is read as `*`
    **       any run of characters at all, possibly empty; `.*` is read as `**`
    anything else is literal ("." and ":" included)

Matching keeps the set of positions the pattern can have reached, token by token, so it costs
O(tokens x path length) whatever the pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PATTERN = 512
MAX_TOKENS = 32
_SEGMENT = "*"
_ANY = "**"
# Regex spellings that fault rules written before this matcher used.
_ALIASES = (("[^/]+", "\x00seg"), (".*", "\x00any"))
_FORBIDDEN = set("()|+?{}[]\\")


@dataclass(frozen=True)
class PathPattern:
    """A compiled fault path pattern."""

    source: str
    tokens: tuple[str, ...]  # literal text, or the wildcards _SEGMENT and _ANY
    anchored_start: bool
    anchored_end: bool

    @classmethod
    def compile(cls, source: str) -> PathPattern:
        if not isinstance(source, str):
            raise ValueError("a fault path pattern must be a string")
        if len(source) > MAX_PATTERN:
            raise ValueError(f"fault path pattern longer than {MAX_PATTERN} characters")
        text = source
        start = text.startswith("^")
        if start:
            text = text[1:]
        end = text.endswith("$")
        if end:
            text = text[:-1]
        for regex, marker in _ALIASES:
            text = text.replace(regex, marker)
        text = text.replace("**", "\x00any").replace("*", "\x00seg")
        bad = sorted(_FORBIDDEN.intersection(text) | ({"^", "$"} & set(text)))
        if bad:
            raise ValueError(
                f"fault path pattern {source!r}: {' '.join(bad)} not allowed; use plain text, "
                "* (within a segment), ** (anything), ^ and $"
            )
        tokens: list[str] = []
        for i, piece in enumerate(text.split("\x00")):
            if i:
                kind = _ANY if piece.startswith("any") else _SEGMENT
                piece = piece[3:]
                if not (tokens and tokens[-1] == _ANY and kind == _ANY):
                    tokens.append(kind)
            if piece:
                tokens.append(piece)
        if len(tokens) > MAX_TOKENS:
            raise ValueError(f"fault path pattern {source!r} has more than {MAX_TOKENS} parts")
        return cls(source, tuple(tokens), start, end)

    def search(self, path: str) -> bool:
        """Whether the pattern matches path (anywhere, unless anchored)."""
        n = len(path)
        positions = {0} if self.anchored_start else set(range(n + 1))
        for token in self.tokens:
            if not positions:
                return False
            if token == _ANY:
                positions = set(range(min(positions), n + 1))
            elif token == _SEGMENT:
                reached: set[int] = set()
                limit = -1
                for p in sorted(positions):
                    # Every position up to the next "/" from p; skip what is already covered.
                    q = max(p, limit + 1)
                    slash = path.find("/", p)
                    stop = n if slash < 0 else slash
                    reached.update(range(q, stop + 1))
                    limit = max(limit, stop)
                positions = reached
            else:
                positions = {p + len(token) for p in positions if path.startswith(token, p)}
        if self.anchored_end:
            return n in positions
        return bool(positions)
