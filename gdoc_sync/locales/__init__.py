"""Locale packs: the words moderators type in each session language, merged with English."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "es", "fr", "pt", "ar")
DEFAULT_LANGUAGE = "en"

# What a template's [vocabulary] table may extend: each a list of words (priority: a table).
VOCABULARY_KEYS = ("online", "onsite", "all_groups", "conjunctions", "articles", "priority")


@dataclass(frozen=True)
class Vocabulary:
    """The moderators' words for one session: its language's, English's and the template's."""

    language: str = DEFAULT_LANGUAGE
    online: frozenset[str] = frozenset()  # channel words meaning "said online"
    onsite: frozenset[str] = frozenset()  # channel words meaning "said in the room"
    all_groups: frozenset[str] = frozenset()  # "All", "Todos", "Tous": every group at once
    conjunctions: tuple[str, ...] = ()  # words joining two groups: "and", "y", "et"
    articles: tuple[str, ...] = ()  # leading words a group name may carry: "the", "les", "l'"
    honorifics: frozenset[str] = frozenset()  # titles that stay with a name: "Dr.", "H.E."
    priority: Mapping[str, int] = field(default_factory=dict)  # word -> rank, 0 = most urgent


def _pack(language: str) -> Mapping[str, Any]:
    module = importlib.import_module(f"{__name__}.{language}")
    words: Mapping[str, Any] = module.WORDS
    return words


def vocabulary(
    language: str = DEFAULT_LANGUAGE, extra: Mapping[str, Any] | None = None
) -> Vocabulary:
    """The session language's words, English's (moderators mix them) and a template's extras.

    Words are compared after gdoc_sync.core.groups.normalize (case, accents, dots and apostrophes
    folded), so they are stored as typed here and normalized by their users."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    packs = [_pack(DEFAULT_LANGUAGE)]
    if language != DEFAULT_LANGUAGE:
        packs.append(_pack(language))
    if extra:
        packs.append(extra)

    def words(key: str) -> list[str]:
        out: list[str] = []
        for pack in packs:
            out.extend(pack.get(key, ()))
        return out

    priority: dict[str, int] = {}
    for pack in packs:
        for word, rank in (pack.get("priority") or {}).items():
            priority.setdefault(word.casefold(), int(rank))
    return Vocabulary(
        language=language,
        online=frozenset(words("online")),
        onsite=frozenset(words("onsite")),
        all_groups=frozenset(words("all_groups")),
        conjunctions=_longest_first(words("conjunctions")),
        articles=_longest_first(words("articles")),
        honorifics=frozenset(words("honorifics")),
        priority=priority,
    )


def every_language_priority() -> dict[str, int]:
    """Priority words of every shipped language: the Sheet's Priority cell may be in any."""
    out: dict[str, int] = {}
    for language in LANGUAGES:
        for word, rank in _pack(language).get("priority", {}).items():
            out.setdefault(word.casefold(), int(rank))  # stored unaccented and folded
    return out


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    # "de la" before "de", "l'" before "l": the longest article is the one typed.
    return tuple(sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)))
