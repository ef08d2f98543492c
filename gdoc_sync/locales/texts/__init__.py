"""Fixed texts per session language: what gdoc-sync itself writes into the Doc and the Sheet.

One pack per language (en.py, es.py, ...), each a TEXTS dict with the same keys as English's;
a key a pack lacks reads in English. Column, status and channel texts are what people see: the
identities behind them (gdoc_sync.core.sheet's English names, model.Status, model.Channel) stay the
same in every language, and every language's text reads back as its identity."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Mapping
from typing import Any

from gdoc_sync.locales import DEFAULT_LANGUAGE, LANGUAGES

RTL_LANGUAGES = frozenset({"ar"})
# The Doc's mark of its language (a named range over the title, only in a Doc not in English):
# note reads it to type the channel word in the session's language without opening the Sheet.
RANGE_LANGUAGE = "gdoc_sync:language:"


def base_language(language: object) -> str:
    """The shipped pack for a language tag: "es-CO" is "es"; unknown or blank is English."""
    tag = str(language or "").replace("_", "-").split("-")[0].casefold()
    return tag if tag in LANGUAGES else DEFAULT_LANGUAGE


def session_language(facts: Mapping[str, Any] | None) -> str:
    """A session's language from its recorded facts; a Sheet made before languages is English."""
    return base_language((facts or {}).get("language"))


@functools.cache
def texts(language: str = DEFAULT_LANGUAGE) -> Mapping[str, Any]:
    """The fixed texts of a language, English for any key its pack lacks."""
    english: dict[str, Any] = importlib.import_module(f"{__name__}.en").TEXTS
    language = base_language(language)
    if language == DEFAULT_LANGUAGE:
        return english
    pack: dict[str, Any] = importlib.import_module(f"{__name__}.{language}").TEXTS
    merged = {**english, **pack}
    for key, value in english.items():  # tables (columns, report...) key by key
        if isinstance(value, dict):
            merged[key] = {**value, **pack.get(key, {})}
    return merged


def document_language(doc: Mapping[str, Any]) -> str:
    """A session Doc's language, from its mark; English for a Doc without one."""
    for name in doc.get("namedRanges") or {}:
        if name.startswith(RANGE_LANGUAGE):
            return base_language(name[len(RANGE_LANGUAGE) :])
    for tab in doc.get("tabs") or ():  # the tabs form: each tab has its own named ranges
        found = document_language({**(tab.get("documentTab") or {}), "tabs": tab.get("childTabs")})
        if found != DEFAULT_LANGUAGE:
            return found
    return DEFAULT_LANGUAGE


# Breaking white space (spaces, tabs, line ends): runs of it collapse to one space. No-break
# spaces are typography (French "«\u202fmot\u202f»", "10\u00a0%"): they stay as typed.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f\u2007]+")


def squash_spaces(text: str) -> str:
    """`text` on one line: each run of breaking white space one space, no-break spaces kept."""
    return _BREAKING_SPACE.sub(" ", text).strip()


def text_direction(language: str) -> str:
    return "rtl" if base_language(language) in RTL_LANGUAGES else "ltr"


@functools.cache
def _reverse(kind: str) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for language in LANGUAGES:
        for identity, shown in texts(language)[kind].items():
            out.setdefault(shown.casefold(), identity)
    return out


def column_identity(header: str) -> str:
    """The column a header text names in any shipped language ("Estado" is "Status")."""
    return _reverse("columns").get(header.strip().casefold(), header.strip())


def status_identity(value: str) -> str:
    """The status a Status cell shows in any shipped language ("retirada" is "withdrawn")."""
    return _reverse("statuses").get(value.strip().casefold(), value)


def channel_identity(value: str) -> str:
    """The channel a Channel cell shows in any shipped language ("en línea" is "online")."""
    return _reverse("channels").get(value.strip().casefold(), value)


def format_date(value: Any, language: str) -> str:
    """A date as the language writes it in full (CLDR data, through Babel)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="full", locale=base_language(language))


def format_time(value: Any, language: str) -> str:
    """A time of day, hours and minutes, as the language writes it (CLDR, through Babel)."""
    from babel.dates import format_time as babel_format_time

    return babel_format_time(value, format="HH:mm", locale=base_language(language))
