"""Match what moderators type for stakeholder groups ("CSOs", "Goverments", "All") to keys."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from gdoc_sync.core.model import StakeholderGroup
from gdoc_sync.locales import Vocabulary, vocabulary

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
# Arabic joins "and" (و) to the next word: "الحكومات والمجتمع المدني".
_ARABIC_AND = re.compile("\\s+\u0648(?=[\u0600-\u06ff])")
# Pictographs, flags, arrows and their joiners decorate a prefix ("👉 Governments", "Gov 🇬🇭").
_DECORATION_CATEGORIES = frozenset({"So", "Sk", "Cf", "Co", "Cs"})
# Typed after a group's short name without adding to it: "youth reps", "tech folks".
_FILLER_WORDS = frozenset(
    "rep reps representative representatives group groups folk folks people sector "
    "stakeholder stakeholders side colleague colleagues friend friends community org orgs "
    "organisation organisations organization organizations".split()
)
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


def strip_decoration(text: str) -> str:
    """Text without emoji, flags, arrows and their joiners and variation selectors."""
    if text.isascii():
        return text
    return "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in _DECORATION_CATEGORIES
        and not 0xFE00 <= ord(ch) <= 0xFE0F
        and not 0x1F3FB <= ord(ch) <= 0x1F3FF
    )


def _abbreviates(typed: str, word: str) -> bool:
    """Whether a typed word is a short form of a group's word: "soc" (society), "govt"
    (government), "cos" (companies), "intl" (international), "acad" (academia)."""
    if typed == word or _singular(typed) == _singular(word):
        return True
    if len(typed) < 3 or typed[0] != word[0] or len(typed) >= len(word):
        return False
    stems = [typed]
    if typed.endswith("s"):
        stems.append(typed[:-1])  # a plural short form: "govts", "cos", "orgs"
    for stem in stems:
        if len(stem) >= 2 and word.startswith(stem):
            return True
        if len(stem) >= 3 and _subsequence(stem, word):
            return True
    return False


def _subsequence(short: str, word: str) -> bool:
    letters = iter(word)
    return all(ch in letters for ch in short)


class GroupMatcher:
    """Resolve typed group names against a session's stakeholder groups (keys, names, aliases),
    with the session language's words ("all", conjunctions, articles) from its Vocabulary."""

    def __init__(self, groups: Sequence[StakeholderGroup], vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab if vocab is not None else _english()
        self.names: dict[str, str] = {g.key: g.name for g in groups}
        self._all_words, self._articles, self._elision, self._word_separators = _prepared(
            self.vocab
        )
        # Labels by the first letter of their first word, for short forms ("civil soc").
        self._labels: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._words: dict[str, set[str]] = {}  # a label's word -> the groups using it
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
                label_words = tuple(forms[0].split())
                self._labels.setdefault(label_words[0][0], []).append((label_words, group.key))
                for label_word in label_words:
                    if len(label_word) >= 4:
                        self._words.setdefault(_singular(label_word), set()).add(group.key)
        # Moderators repeat the same few prefixes and attributions hundreds of times.
        self._cache: dict[tuple[str, bool], str | None] = {}
        self._list_cache: dict[str, tuple[str, ...] | None] = {}
        self._suggestions: dict[str, tuple[str, ...]] = {}

    def is_all(self, word: str) -> bool:
        """Whether word addresses every group ("All", "Todos", "Toutes les parties prenantes")."""
        form = normalize(strip_decoration(word))
        return form in self._all_words or self._without_article(form) in self._all_words

    def _without_article(self, form: str) -> str:
        for article in self._articles:
            if form.startswith(article + " ") and len(form) > len(article) + 1:
                return form[len(article) + 1 :]
        return form

    def _bare(self, part: str) -> str:
        """A typed group name without decoration, leading article or elision, normalized."""
        text = strip_decoration(part).strip()
        if self._elision is not None:
            text = self._elision.sub("", text, count=1) if self._elision.match(text) else text
        return self._without_article(normalize(text))

    def match_loose(self, part: str) -> str | None:
        """match(), then the same without emoji and articles, then as a short form of a name
        or alias ("civil soc", "tech cos", "govts", "youth reps"); None when unsure."""
        key = self.match(part)
        if key is not None:
            return key
        bare = self._bare(part)
        if not bare:
            return None
        if bare != normalize(part):
            key = self.match(bare)
            if key is not None:
                return key
        keys = self._short_form(bare)
        if len(keys) == 1:
            return keys.pop()
        if len(bare) > 4 and bare[-1] == bare[-2]:
            key = self.match(bare[:-1])  # a key held down: "Investorss"
            if key is not None:
                return key
        words = bare.split()
        while len(words) > 1 and words[-1] in _FILLER_WORDS:
            words.pop()
            shorter = " ".join(words)
            key = self.match(shorter)
            if key is not None:
                return key
            keys = self._short_form(shorter)
            if len(keys) == 1:
                return keys.pop()
        return None

    def _short_form(self, form: str) -> set[str]:
        """Groups a typed short form names; when several do, those with the most words typed
        whole ("tech cos": "tech companies" rather than "technical community")."""
        typed = form.split()
        if not typed:
            return set()
        best = -1
        found: set[str] = set()
        for label, key in self._labels.get(typed[0][0], ()):
            if len(typed) > len(label):
                continue
            if len(typed) == 1 < len(label):
                continue  # "Data:" for "Data protection authorities": a topic as often as not
            if not all(_abbreviates(t, w) for t, w in zip(typed, label, strict=False)):
                continue
            whole = sum(_singular(t) == _singular(w) for t, w in zip(typed, label, strict=False))
            if whole > best:
                best, found = whole, {key}
            elif whole == best:
                found.add(key)
        return found

    def suggest(self, prefix: str) -> list[str]:
        """Names of the groups a prefix that matched none probably meant (a did-you-mean)."""
        if prefix not in self._suggestions:
            if len(self._suggestions) > 4096:
                self._suggestions.clear()
            self._suggestions[prefix] = self._suggest(prefix)
        return list(self._suggestions[prefix])

    def _suggest(self, prefix: str) -> tuple[str, ...]:
        found: list[str] = []
        for chunk in _LIST_SEPARATORS.split(prefix):
            for part in self._word_separators.split(chunk):
                bare = self._bare(part)
                if not bare or self.is_all(part):
                    continue
                key = self.match_loose(part)
                keys = {key} if key is not None else self._short_form(bare)
                if not keys:
                    keys = self._close(bare)
                found.extend(k for k in self.keys if k in keys and k not in found)
        return tuple(self.names[k] for k in found)

    def _close(self, bare: str) -> set[str]:
        # Looser than match(): a few more typos, or a whole word in common. Only the labels that
        # start with the same letter are compared (as for typos), so a hint costs one pass over
        # a fraction of the labels, once per distinct prefix.
        scores: dict[str, float] = {}
        for word in bare.split():
            if len(word) >= 4:
                for key in self._words.get(_singular(word), ()):
                    scores[key] = 0.8
        compare = difflib.SequenceMatcher(None)
        compare.set_seq2(bare)  # what difflib caches: the typed text, compared to each label
        for label, key in self._labels.get(bare[0], ()):
            compare.set_seq1(" ".join(label))
            if compare.real_quick_ratio() < 0.7 or compare.quick_ratio() < 0.7:
                continue
            ratio = compare.ratio()
            if ratio >= 0.7:
                scores[key] = max(scores.get(key, 0.0), ratio)
        if not scores:
            return set()
        best = max(scores.values())
        return {k for k, v in scores.items() if v == best}

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
            parts = [chunk]
            if self._match_part(chunk) is None:
                parts = self._word_separators.split(chunk)
                if len(parts) == 1:
                    parts = _ARABIC_AND.split(chunk)
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
        return self.match_loose(part)


@functools.cache
def _english() -> Vocabulary:
    return vocabulary()


_Prepared = tuple[frozenset[str], tuple[str, ...], re.Pattern[str] | None, re.Pattern[str]]
_PREPARED: dict[int, tuple[Vocabulary, _Prepared]] = {}


def _prepared(vocab: Vocabulary) -> _Prepared:
    """A vocabulary's words as the matcher compares them; computed once per vocabulary (template
    validation builds a matcher per group label)."""
    cached = _PREPARED.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    all_words = ALL_WORDS | {normalize(w) for w in vocab.all_groups}
    articles = tuple(dict.fromkeys(a for a in (normalize(w) for w in vocab.articles) if a))
    # Elisions ("l'", "d'") are glued to the next word: found on the raw text.
    elisions = sorted((w for w in vocab.articles if w[-1:] in "'\u2019"), key=len, reverse=True)
    elision = (
        re.compile(
            "(?:" + "|".join(re.escape(w[:-1]) + "['\u2019]" for w in elisions) + r")\s*",
            re.IGNORECASE,
        )
        if elisions
        else None
    )
    words = sorted((w for w in vocab.conjunctions if w.strip()), key=lambda w: -len(w))
    separators = re.compile(
        r"\s+(?:" + "|".join(re.escape(w) for w in words) + r")\s+", re.IGNORECASE
    )
    prepared = (all_words, articles, elision, separators)
    if len(_PREPARED) > 64:
        _PREPARED.clear()
    _PREPARED[id(vocab)] = (vocab, prepared)
    return prepared
