"""Hostile templates: bounded size and shape, one clear line each (file, line, which limit), and
group matching that stays near-linear in the number of aliases without changing a match."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from conftest import run_cli

from gdoc_sync.core.groups import GroupMatcher, _max_typos, _singular, normalize, typo_distance
from gdoc_sync.core.model import StakeholderGroup
from gdoc_sync.core.template import load_template, validate_template

HEAD = 'title = "Hostile"\n\n[[questions]]\nid = "Q1"\ntext = "What now?"\n\n'
GROUP = '[[groups]]\nkey = "{key}"\nname = "{name}"\naliases = [{aliases}]\n\n'


def group(key: str, name: str, aliases: list[str]) -> str:
    return GROUP.format(key=key, name=name, aliases=", ".join(f'"{a}"' for a in aliases))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def validate_cli(path: Path) -> tuple[int, str]:
    result = run_cli(["template", "validate", str(path)])
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("value", "column"),
    # The 17th opening: after "deep = " (7 characters) and 16 openings before it.
    [("[" * 5000 + "]" * 5000, 7 + 16 + 1), ("{a = " * 5000 + "1" + "}" * 5000, 7 + 16 * 5 + 1)],
    ids=["array", "inline-table"],
)
def test_deep_nesting_is_one_line_not_a_recursion_error(
    tmp_path: Path, value: str, column: int
) -> None:
    path = write(tmp_path, HEAD + group("a", "A", []) + f"deep = {value}\n")
    code, stderr = validate_cli(path)
    assert code == 2
    assert stderr == (
        f"error: {path}:12:{column}: arrays or inline tables nested more than 16 deep\n"
    )


def test_brackets_inside_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    many = "[" * 40
    top = (
        f'intro = "{many}"  # {many}\n'
        f"instructions = '''\n{many}\n'''\n"
        f'event = "escaped \\" {many}"\n'
        f"location = '{many}'\n"
    )
    path = write(tmp_path, top + HEAD + group("a", "A", ["ok"]))
    assert validate_template(path) == []
    assert load_template(path).intro == many


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + group("a", "A", []) + "# " + "x" * 1_000_001 + "\n")
    code, stderr = validate_cli(path)
    assert code == 2
    assert stderr.startswith(f"error: {path}: the file is 1,000,") and "at most 1,000,000" in stderr


def test_too_many_groups_names_the_first_one_too_many(tmp_path: Path) -> None:
    text = HEAD + "".join(group(f"g{i}", f"Group {i}", []) for i in range(101))
    path = write(tmp_path, text)
    line = text.splitlines().index('key = "g100"')  # the [[groups]] header just above it
    assert validate_template(path) == [
        f"{path}:{line}: groups[101]: more than 100 entries in groups (the limit)"
    ]


def test_too_many_questions(tmp_path: Path) -> None:
    questions = "".join(f'[[questions]]\nid = "Q{i}"\ntext = "Why {i}?"\n\n' for i in range(2, 102))
    text = HEAD + questions + group("a", "A", [])
    path = write(tmp_path, text)
    line = text.splitlines().index('id = "Q101"')  # the header of the 101st question
    assert validate_template(path) == [
        f"{path}:{line}: questions[101]: more than 100 entries in questions (the limit)"
    ]


def test_too_many_aliases_and_too_long_labels(tmp_path: Path) -> None:
    text = HEAD + group("a", "A", [f"alias {i}" for i in range(101)])
    text += group("b", "B" * 201, ["ok"]) + group("c", "C", ["x" * 201])
    path = write(tmp_path, text)
    lines = text.splitlines()
    at = {key: lines.index(f'key = "{key}"') + 1 for key in "abc"}
    assert validate_template(path) == [
        f"{path}:{at['a'] + 2}: groups[1].aliases[101]: more than 100 entries in aliases "
        "(the limit)",
        f"{path}:{at['b'] + 1}: groups[2].name: is 201 characters long; at most 200",
        f"{path}:{at['c'] + 2}: groups[3].aliases[1]: is 201 characters long; at most 200",
    ]


def test_long_texts_and_placeholders_that_explode(tmp_path: Path) -> None:
    top = 'intro = "' + "{v}" * 1000 + '"\n'
    text = top + HEAD.replace('"What now?"', '"' + "w" * 20_001 + '"') + group("a", "A", [])
    text += '[vars]\nv = "' + "x" * 100 + '"\n'
    path = write(tmp_path, text)
    assert validate_template(path) == [
        f"{path}:1: intro: is more than 20,000 characters long once placeholders are filled",
        f"{path}:6: questions[1].text: is 20,001 characters long; at most 20,000",
    ]


def test_a_large_legitimate_template_is_fine(tmp_path: Path) -> None:
    """100 groups x 50 aliases (the issue's slow case) is within the limits and loads."""
    rng = random.Random(5)
    words = set()
    while len(words) < 100 * 51:
        words.add("".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4)))
    pool = sorted(words)
    text = HEAD + "".join(
        group(f"g{i}", pool[i * 51].title(), pool[i * 51 + 1 : i * 51 + 51]) for i in range(100)
    )
    template = load_template(write(tmp_path, text))
    assert len(template.groups) == 100
    assert sum(len(g.aliases) for g in template.groups) == 5000


# -- the fast matcher matches what the plain rule says ------------------------------------------


def reference_match(groups: list[StakeholderGroup], word: str) -> str | None:
    """The matching rule as the README states it, the slow way: exact forms first, then the one
    group within the typo limit of the word (same first letter), none on a tie."""
    form = normalize(word)
    if not form:
        return None
    single = _singular(form)
    owners: dict[str, set[str]] = {}
    for g in groups:
        for label in (g.key, g.name, *g.aliases):
            f = normalize(label)
            if not f:
                continue
            for v in {f, _singular(f), f.replace(" ", ""), _singular(f.replace(" ", ""))}:
                owners.setdefault(v, set()).add(g.key)
    for v in (form, single, form.replace(" ", ""), single.replace(" ", "")):
        if v in owners:
            return next(iter(owners[v])) if len(owners[v]) == 1 else None
    best: dict[int, set[str]] = {}
    for g in groups:
        for label in (g.key, g.name, *g.aliases):
            f = normalize(label)
            if not f:
                continue
            candidate = _singular(f)
            if candidate[0] != single[0]:
                continue
            limit = _max_typos(min(len(candidate), len(single)))
            if limit and (d := typo_distance(single, candidate, limit)) <= limit:
                best.setdefault(d, set()).add(g.key)
    if not best:
        return None
    closest = best[min(best)]
    return next(iter(closest)) if len(closest) == 1 else None


def mangle(rng: random.Random, text: str) -> str:
    """A moderator's version: a typo or two, accents, case, plural, or another word."""
    roll = rng.random()
    if roll < 0.2:
        return text.upper()
    if roll < 0.35:
        return text + "s"
    if roll < 0.5:
        return "".join(
            unicodedata.normalize("NFC", c + "\u0301") if c in "aeiou" else c for c in text
        )
    if roll < 0.9 and len(text) > 3:
        chars = list(text)
        for _ in range(rng.choice((1, 1, 2, 3))):
            i = rng.randrange(1, len(chars))
            op = rng.choice("dsit")
            if op == "d" and len(chars) > 2:
                del chars[i]
            elif op == "s":
                chars[i] = rng.choice("aeiourstn")
            elif op == "i":
                chars.insert(i, rng.choice("aeiourstn"))
            elif i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
        return "".join(chars)
    return "".join(rng.choice("abcdefghij ") for _ in range(rng.randrange(1, 12)))


def test_matches_equal_the_plain_rule_on_a_large_template() -> None:
    rng = random.Random(3)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po"]

    def label() -> str:
        return " ".join(
            "".join(rng.choice(syllables) for _ in range(rng.randrange(1, 5)))
            for _ in range(rng.randrange(1, 3))
        )

    groups = [
        StakeholderGroup(f"g{i}", label().title(), tuple(label() for _ in range(30)))
        for i in range(50)
    ]
    matcher = GroupMatcher(groups)
    words = [mangle(rng, rng.choice((g.name, *g.aliases))) for g in groups for _ in range(12)]
    assert len(words) == 600
    found = [matcher.match(w) for w in words]
    assert found == [reference_match(groups, w) for w in words]
    assert sum(f is not None for f in found) > 300  # the cases exercise real matches too
