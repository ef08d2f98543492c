"""Match what moderators type for stakeholder groups ("CSOs", "Goverments", "All") to keys."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from gdoc_sync.model import StakeholderGroup

# Words that address every group at once; compared after normalize().
ALL_WORDS = frozenset(
    {"all", "all stakeholders", "all groups", "all stakeholder groups", "everyone"}
)

# Hyphens and underscores join words in hashtags and compounds ("#civil_society", "civil-society").
_JOINERS = re.compile(r"[-_\u2010\u2011\u2012\u2013]+")
# Dots and apostrophes only decorate abbreviations and possessives ("U.N.", "CSO's").
_DECORATIONS = re.compile(r"[.'\u2019]")
# Separators between groups in one prefix; ASCII, full-width and ideographic forms.
_LIST_SEPARATORS = re.compile(r"[/&,+\uff0f\uff06\uff0c\u3001\uff0b]")
_WORD_SEPARATORS = re.compile(r"\s+(?:and|et)\s+", re.IGNORECASE)
# What _match_part returns for "All"; a NUL keeps it from ever equalling a real group key.
_EVERYONE = "\x00all"


@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Fold case, accents and decoration: "Société civile" and "societe-civile" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = _DECORATIONS.sub("", _JOINERS.sub(" ", bare.casefold()))
    return " ".join(folded.split())


def _singular(word: str) -> str:
    # "CSOs", "NGOs", "Investors": plural s only; short words ("us", "UNs"?) are left alone.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _max_typos(length: int) -> int:
    # Short words are acronyms or ordinary words ("Note" vs "NGO"): only an exact match counts.
    if length <= 4:
        return 0
    if length <= 8:
        return 1
    return 2


def typo_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance; limit + 1 once beyond limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def exact_forms(label: str) -> tuple[str, ...]:
    """The forms under which a group label is known exactly: "Civil Society Organisations" as
    typed, singular, and without spaces ("CSOs" finds "cso")."""
    form = normalize(label)
    if not form:
        return ()
    return tuple(
        dict.fromkeys(
            (form, _singular(form), form.replace(" ", ""), _singular(form.replace(" ", "")))
        )
    )


def lookup_forms(word: str) -> tuple[str, ...]:
    """The forms of a typed word looked up among exact_forms, in order."""
    form = normalize(word)
    if not form:
        return ()
    single = _singular(form)
    return tuple(dict.fromkeys((form, single, form.replace(" ", ""), single.replace(" ", ""))))


class GroupMatcher:
    """Resolve typed group names against a session's stakeholder groups (keys, names, aliases)."""

    def __init__(self, groups: Sequence[StakeholderGroup]) -> None:
        self.keys: tuple[str, ...] = tuple(g.key for g in groups)
        # form -> key, or None when two groups claim the same form (then it matches neither).
        self._exact: dict[str, str | None] = {}
        # Typo candidates by first letter (a wrong first letter is never taken for a typo), each
        # with its letters counted: a cheap bound that skips most of the edit-distance work.
        self._candidates: dict[str, list[tuple[str, str, Counter[str]]]] = {}
        for group in groups:
            for raw in (group.key, group.name, *group.aliases):
                forms = exact_forms(raw)
                if not forms:
                    continue
                for variant in forms:
                    known = self._exact.get(variant, group.key)
                    self._exact[variant] = group.key if known == group.key else None
                candidate = _singular(forms[0])
                self._candidates.setdefault(candidate[0], []).append(
                    (candidate, group.key, Counter(candidate))
                )
        # Moderators repeat the same few prefixes and attributions hundreds of times.
        self._cache: dict[tuple[str, bool], str | None] = {}
        self._list_cache: dict[str, tuple[str, ...] | None] = {}

    def is_all(self, word: str) -> bool:
        """Whether word addresses every group ("All", "all stakeholders")."""
        return normalize(word) in ALL_WORDS

    def match(self, word: str, *, typos: bool = True) -> str | None:
        """The key of the one group word names, tolerating small typos unless typos=False."""
        cache_key = (word, typos)
        if cache_key in self._cache:
            return self._cache[cache_key]
        result = self._match(normalize(word), typos)
        self._cache[cache_key] = result
        return result

    def _match(self, form: str, typos: bool) -> str | None:
        if not form:
            return None
        single = _singular(form)
        for variant in lookup_forms(form):
            if variant in self._exact:
                return self._exact[variant]
        if not typos:
            return None
        best = None
        best_keys: set[str] = set()
        letters: Counter[str] | None = None
        # A wrong first letter is rarely a typo and often another word ("South" vs "youth").
        for candidate, key, counted in self._candidates.get(single[0], ()):
            limit = _max_typos(min(len(candidate), len(single)))
            if limit == 0 or abs(len(candidate) - len(single)) > limit:
                continue
            # Each edit adds at most one letter to either side of the difference of the two
            # words' letters, so more than `limit` letters apart is more than `limit` edits.
            letters = letters if letters is not None else Counter(single)
            if (letters - counted).total() > limit or (counted - letters).total() > limit:
                continue
            distance = typo_distance(single, candidate, limit)
            if distance > limit:
                continue
            if best is None or distance < best:
                best, best_keys = distance, {key}
            elif distance == best:
                best_keys.add(key)
        # Equally close to two groups: guessing would misfile the contribution.
        return best_keys.pop() if len(best_keys) == 1 else None

    def match_list(self, prefix: str) -> tuple[str, ...] | None:
        """Keys a prefix like "CSO & UN" names, in config order; None if a part is no group."""
        if prefix not in self._list_cache:
            self._list_cache[prefix] = self._match_list(prefix)
        return self._list_cache[prefix]

    def _match_list(self, prefix: str) -> tuple[str, ...] | None:
        found: set[str] = set()
        everyone = False
        matched_any = False
        for chunk in _LIST_SEPARATORS.split(prefix):
            chunk = chunk.strip()
            if not chunk:
                continue
            # Try the whole chunk first: a group's own name may contain "and".
            parts = (
                [chunk] if self._match_part(chunk) is not None else _WORD_SEPARATORS.split(chunk)
            )
            for part in parts:
                key = self._match_part(part.strip())
                if key is None:
                    return None
                matched_any = True
                if key == _EVERYONE:
                    everyone = True
                else:
                    found.add(key)
        if not matched_any:
            return None
        if everyone:
            return self.keys
        return tuple(k for k in self.keys if k in found)

    def _match_part(self, part: str) -> str | None:
        if not part:
            return None
        if self.is_all(part):
            return _EVERYONE
        return self.match(part)
