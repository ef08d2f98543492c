"""Tests for matching typed stakeholder group names to group keys."""

from __future__ import annotations

import pytest

from gdoc_sync.core.groups import GroupMatcher, normalize, typo_distance
from gdoc_sync.core.model import StakeholderGroup

GROUPS = (
    StakeholderGroup("investors", "Investors", ("institutional investors", "asset managers")),
    StakeholderGroup("companies", "Technology companies", ("tech companies", "private sector")),
    StakeholderGroup("governments", "Governments", ("government", "states", "regulators")),
    StakeholderGroup("cso", "Civil society", ("CSO", "civil society organizations", "NGO")),
    StakeholderGroup("un", "United Nations", ("UN", "intergovernmental organizations")),
    StakeholderGroup("academia", "Academia and research", ("academics", "researchers")),
)


@pytest.fixture
def matcher() -> GroupMatcher:
    return GroupMatcher(GROUPS)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Investors", "investors"),
        ("investor", "investors"),
        ("INVESTORS", "investors"),
        ("investors", "investors"),
        ("Civil Society", "cso"),
        ("civil-society", "cso"),
        ("civil_society", "cso"),
        ("civilsociety", "cso"),
        ("CSOs", "cso"),
        ("CSO's", "cso"),
        ("NGOs", "cso"),
        ("U.N.", "un"),
        ("un", "un"),
        ("cso", "cso"),  # the key itself
        ("Tech companies", "companies"),
        ("Academia and research", "academia"),
    ],
)
def test_match_names_keys_aliases_and_plurals(matcher: GroupMatcher, word: str, key: str) -> None:
    assert matcher.match(word) == key


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Goverments", "governments"),
        ("Govenrments", "governments"),  # transposition counts as one typo
        ("Invstors", "investors"),
        ("Investers", "investors"),
        ("Civil socity", "cso"),
        ("Regulaters", "governments"),
    ],
)
def test_match_tolerates_small_typos(matcher: GroupMatcher, word: str, key: str) -> None:
    assert matcher.match(word) == key


@pytest.mark.parametrize(
    "word",
    [
        "Note",
        "Notes",
        "NGA",
        "CS",
        "UNO",
        "Example",
        "Question",
        "Governance",
        "Investment",
        "South",
    ],
)
def test_match_rejects_words_that_are_no_group(matcher: GroupMatcher, word: str) -> None:
    assert matcher.match(word) is None


def test_match_without_typos_needs_an_exact_form(matcher: GroupMatcher) -> None:
    assert matcher.match("Goverments", typos=False) is None
    assert matcher.match("Governments", typos=False) == "governments"


def test_match_is_accent_and_case_insensitive() -> None:
    groups = (
        StakeholderGroup("cso", "Société civile", ("organisations non gouvernementales",)),
        StakeholderGroup("gov", "Gouvernements"),
    )
    matcher = GroupMatcher(groups)
    assert matcher.match("SOCIETE CIVILE") == "cso"
    assert matcher.match("société civile") == "cso"
    # Decomposed accents (e + combining acute) fold the same way as precomposed ones.
    assert matcher.match("Socie\u0301te\u0301 civile") == "cso"
    assert matcher.match("Gouvernments") == "gov"


def test_match_non_latin_aliases() -> None:
    matcher = GroupMatcher(
        (StakeholderGroup("cso", "Civil society", ("المجتمع المدني", "市民社会")),)
    )
    assert matcher.match("المجتمع المدني") == "cso"
    assert matcher.match("市民社会") == "cso"


def test_match_is_none_when_two_groups_are_equally_close() -> None:
    matcher = GroupMatcher((StakeholderGroup("a", "Planners"), StakeholderGroup("b", "Plankers")))
    assert matcher.match("Planners") == "a"
    assert matcher.match("Planers") is None  # one typo from both


def test_match_is_none_when_two_groups_share_an_alias() -> None:
    matcher = GroupMatcher(
        (StakeholderGroup("a", "Alpha", ("shared",)), StakeholderGroup("b", "Beta", ("shared",)))
    )
    assert matcher.match("shared") is None
    assert matcher.match("Alpha") == "a"


@pytest.mark.parametrize(
    ("prefix", "keys"),
    [
        ("CSO & UN", ("cso", "un")),
        ("UN & CSO", ("cso", "un")),  # config order, not typing order
        ("CSO/UN", ("cso", "un")),
        ("CSO, UN + Investors", ("investors", "cso", "un")),
        ("Governments and investors", ("investors", "governments")),
        ("Investors, companies and Goverments", ("investors", "companies", "governments")),
        ("CSO & CSOs", ("cso",)),
        ("Academia and research", ("academia",)),  # "and" inside a group's own name
        ("Academia and research / UN", ("un", "academia")),
        ("CSO et UN", ("cso", "un")),
        ("CSO / ", ("cso",)),
    ],
)
def test_match_list_joins_several_groups(
    matcher: GroupMatcher, prefix: str, keys: tuple[str, ...]
) -> None:
    assert matcher.match_list(prefix) == keys


@pytest.mark.parametrize("prefix", ["All", "all", "All stakeholders", "Everyone", "All / CSO"])
def test_match_list_all_means_every_group(matcher: GroupMatcher, prefix: str) -> None:
    assert matcher.match_list(prefix) == tuple(g.key for g in GROUPS)


@pytest.mark.parametrize(
    "prefix",
    ["Note", "CSO & Note", "Investors should do X", "", " / ", "Governments and others", "Q1"],
)
def test_match_list_is_none_when_any_part_is_no_group(matcher: GroupMatcher, prefix: str) -> None:
    assert matcher.match_list(prefix) is None


def test_is_all(matcher: GroupMatcher) -> None:
    assert matcher.is_all("ALL")
    assert not matcher.is_all("allies")


def test_normalize_folds_accents_case_and_joiners() -> None:
    assert normalize("  Société-Civile  ") == "societe civile"
    assert normalize("U.N.") == "un"
    assert normalize("Straße") == "strasse"


def test_typo_distance() -> None:
    assert typo_distance("governments", "goverments", 2) == 1
    assert typo_distance("ab", "ba", 1) == 1
    assert typo_distance("investors", "investments", 2) == 3  # capped at limit + 1
    assert typo_distance("same", "same", 0) == 0


# --- short forms, decoration, articles and other languages ------------------------------------

SEVEN = (
    StakeholderGroup("gov", "Governments", ("government",)),
    StakeholderGroup("cso", "Civil society", ("CSOs",)),
    StakeholderGroup("tech", "Technology companies", ("tech companies",)),
    StakeholderGroup("acad", "Academia", ("researchers",)),
    StakeholderGroup("youth", "Youth", ("young people",)),
    StakeholderGroup("tc", "Technical community", ()),
    StakeholderGroup("igo", "Intergovernmental organisations", ("IGOs",)),
)


@pytest.mark.parametrize(
    ("prefix", "keys"),
    [
        ("civil soc", ("cso",)),
        ("Civil soc.", ("cso",)),
        ("tech cos", ("tech",)),
        ("govts", ("gov",)),
        ("acad.", ("acad",)),
        ("youth reps", ("youth",)),
        ("👉 Governments", ("gov",)),
        ("Governments 🇬🇭", ("gov",)),
        ("The governments", ("gov",)),
        ("Technical comm.", ("tc",)),
        ("Intl orgs", ("igo",)),
        ("young ppl", ("youth",)),
        ("Govts & civil soc", ("gov", "cso")),
        ("Civil society orgs", ("cso",)),
        ("Everyone 🙌", ("gov", "cso", "tech", "acad", "youth", "tc", "igo")),
    ],
)
def test_short_forms_emoji_and_articles_name_groups(prefix: str, keys: tuple[str, ...]) -> None:
    assert GroupMatcher(SEVEN).match_list(prefix) == keys


@pytest.mark.parametrize("prefix", ["Note", "Question", "Governance", "Comment from the floor"])
def test_words_that_are_no_group_stay_unmatched(prefix: str) -> None:
    assert GroupMatcher(SEVEN).match_list(prefix) is None


def test_suggest_names_the_likely_group_of_this_session() -> None:
    matcher = GroupMatcher(SEVEN)
    assert matcher.suggest("Governance") == ["Governments"]
    assert matcher.suggest("Note") == []


def test_language_words_join_and_address_every_group() -> None:
    from gdoc_sync.locales import vocabulary

    fr = GroupMatcher(
        (
            StakeholderGroup("etats", "États"),
            StakeholderGroup("ua", "Union africaine", ("UA",)),
            StakeholderGroup("sc", "Société civile"),
        ),
        vocabulary("fr"),
    )
    assert fr.match_list("Les États ") == ("etats",)
    assert fr.match_list("L'Union africaine") == ("ua",)
    assert fr.match_list("L’État et la société civile") == ("etats", "sc")
    assert fr.match_list("États ou UA") == ("etats", "ua")
    assert fr.match_list("Toutes les parties prenantes") == ("etats", "ua", "sc")
    assert fr.match_list("All") == ("etats", "ua", "sc")  # English is accepted too
    es = GroupMatcher(
        (StakeholderGroup("gob", "Gobiernos"), StakeholderGroup("ind", "Industria")),
        vocabulary("es"),
    )
    assert es.match_list("Los gobiernos e industria") == ("gob", "ind")
    assert es.match_list("Todas las partes interesadas") == ("gob", "ind")
    ar = GroupMatcher(
        (StakeholderGroup("gov", "الحكومات"), StakeholderGroup("cs", "المجتمع المدني")),
        vocabulary("ar"),
    )
    assert ar.match_list("الحكومات والمجتمع المدني") == ("gov", "cs")
    assert ar.match_list("الجميع") == ("gov", "cs")


def test_one_word_of_a_longer_name_is_unsure_and_suggested() -> None:
    matcher = GroupMatcher(
        (
            StakeholderGroup("dpa", "Data protection authorities"),
            StakeholderGroup("cs", "Civil society"),
        )
    )
    assert matcher.match_list("Data") is None  # "Data: ..." is as often a topic as a group
    assert matcher.suggest("Data") == ["Data protection authorities"]
    assert matcher.match_list("Data prot. auth.") == ("dpa",)
