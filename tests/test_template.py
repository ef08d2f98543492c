"""Session templates: loading, every kind of problem report, placeholders, and the Doc layout."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gdoc_sync.core.model import RANGE_ACTIONS, RANGE_ONLINE, RANGE_QUESTION, RANGE_SHEET
from gdoc_sync.core.session_doc import (
    ACTIONS_HEADING,
    ACTIONS_PLACEHOLDER,
    CONTRIBUTION_FORMAT,
    ONLINE_HEADING,
    SHEET_LINK_TEXT,
    build_session_doc,
    utf16_len,
)
from gdoc_sync.core.template import (
    Template,
    list_templates,
    load_template,
    validate_template,
)
from gdoc_sync.errors import ExitCode, TemplateError

FIXTURE = Path(__file__).parent / "fixtures" / "igf2025-ws354-session.txt"
# The repo's templates/ (the package's TEMPLATES_DIR points into site-packages when installed).
TEMPLATES_DIR = Path(__file__).parent.parent / "templates"
SHIPPED = ("igf-workshop", "igf2025-ws354", "roundtable")
UNICODE_NAMES = ("Nguyễn Thị Minh Khai", "محمد الأحمد", "Zoë Ångström")

MINIMAL = """\
title = "Test session"

[[groups]]
key = "investors"
name = "Investors"

[[questions]]
id = "Q1"
text = "What now?"
"""


def write(tmp_path: Path, text: str, name: str = "x.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing needle, so tests say which line they mean."""
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def problems(path: Path, overrides: dict[str, str] | None = None) -> list[str]:
    found = validate_template(str(path), overrides)
    with pytest.raises(TemplateError) as caught:
        load_template(str(path), overrides)
    assert str(caught.value) == "\n".join(found)  # load refuses with the very same report
    return found


# --- broken templates: one exact message per problem -------------------------------------------


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'title = "x"\n\n[[groups]]\nkey = \n')
    assert problems(path) == [f"{path}:4:7: invalid TOML: Invalid value"]


def test_toml_error_at_end_of_document_points_at_the_end(tmp_path: Path) -> None:
    path = write(tmp_path, 'title = "x"\nintro = """never closed\n')
    assert problems(path) == [f"{path}:3:1: invalid TOML: Unterminated string"]


def test_not_utf8_is_a_syntax_error_with_position(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b'title = "x"\nevent = "caf\xe9"\n')
    assert problems(path) == [f"{path}:2:13: invalid TOML: not UTF-8 text"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_template(path).title == "Test session"


def test_missing_required_field_in_an_array_item(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL
        + """
        [[questions]]
        id = "Q2"
        text = "And then?"

        [[questions]]
        id = "Q3"
        prompts = ["Who?"]
        """,
    )
    line = line_of(path, "[[questions]]", 3)
    assert problems(path) == [f"{path}:{line}: questions[3].text: missing required field"]


def test_missing_top_level_field_has_no_line(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('title = "Test session"\n', ""))
    assert problems(path) == [f"{path}: title: missing required field"]


def test_mistyped_field(tmp_path: Path) -> None:
    path = write(tmp_path, 'duration_minutes = "sixty"\nhybrid = "yes"\n' + MINIMAL)
    assert problems(path) == [
        f'{path}:1: duration_minutes: expected an integer, got "sixty"; write it like: '
        "duration_minutes = 90",
        f'{path}:2: hybrid: expected true or false, got "yes"; write it like: hybrid = true',
    ]


def test_wrong_shapes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        title = 42
        duration_minutes = 0
        questions = "Q1"
        co_organizers = ["B-Tech", 7]

        [[groups]]
        key = "investors"
        name = "Investors"
        aliases = "investor"
        """,
    )
    assert problems(path) == [
        f'{path}:1: title: expected a string, got 42; write it like: title = "some text"',
        f"{path}:2: duration_minutes: must be between 1 and 1440, got 0",
        f'{path}:3: questions: expected an array of tables, got "Q1"; write it like: '
        '[[questions]] / id = "Q1" / text = "What should investors do?"',
        f"{path}:4: co_organizers[2]: expected a string, got 7",
        f'{path}:9: groups[1].aliases: expected an array of strings, got "investor"; '
        'write it like: aliases = ["CSOs", "NGOs"]',
    ]


def test_unknown_field_suggests_the_intended_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL
        + """
        [[groups]]
        key = "civil_society"
        name = "Civil society"
        alises = ["CSO"]
        colour = "red"
        """,
    )
    alises, colour = line_of(path, "alises"), line_of(path, "colour")
    assert problems(path) == [
        f'{path}:{alises}: groups[2].alises: unknown field (did you mean "aliases"?)',
        f"{path}:{colour}: groups[2].colour: unknown field",
    ]


def test_unknown_top_level_and_role_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speakrs = []\n"
        + MINIMAL
        + """
        [roles]
        moderater = { name = "A" }
        rapporteur = { name = "B", mail = "b@example.org" }
        """,
    )
    assert problems(path) == [
        f'{path}:1: speakrs: unknown field (did you mean "speakers"?)',
        f'{path}:13: roles.moderater: unknown field (did you mean "moderator"?)',
        f'{path}:14: roles.rapporteur.mail: unknown field (did you mean "email"?)',
    ]


def test_duplicate_question_ids(tmp_path: Path) -> None:
    questions = "".join(
        f'\n[[questions]]\nid = "{qid}"\ntext = "Question {n}"\n'
        for n, qid in enumerate(["Q2", "Q3", "Q2", "q3"], 2)
    )
    path = write(tmp_path, MINIMAL + questions)
    first = line_of(path, 'id = "Q2"', 2)
    second = line_of(path, 'id = "q3"')
    assert problems(path) == [
        f'{path}:{first}: questions[4].id: duplicate question id "Q2" (also questions[2])',
        f'{path}:{second}: questions[5].id: duplicate question id "q3" (also questions[3])',
    ]


def test_bad_and_reserved_question_ids(tmp_path: Path) -> None:
    extra = '\n[[questions]]\nid = "Q 2"\ntext = "x"\n\n[[questions]]\nid = "online"\ntext = "y"\n'
    path = write(tmp_path, MINIMAL + extra)
    assert problems(path) == [
        f'{path}:{line_of(path, "Q 2")}: questions[2].id: "Q 2" is not a valid question id '
        '(use letters, digits, "-" and "_", like "Q2")',
        f'{path}:{line_of(path, "online")}: questions[3].id: "online" is reserved for the '
        "online discussion section",
    ]


def test_duplicate_group_keys(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + '\n[[groups]]\nkey = "investors"\nname = "Shareholders"\n')
    line = line_of(path, 'key = "investors"', 2)
    assert problems(path) == [
        f'{path}:{line}: groups[2].key: duplicate group key "investors" (also groups[1])'
    ]


def test_alias_shared_by_two_groups_case_and_accent_insensitively(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        title = "x"

        [[questions]]
        id = "Q1"
        text = "?"

        [[groups]]
        key = "civil_society"
        name = "Société civile"
        aliases = ["CSO", "NGO"]

        [[groups]]
        key = "ngos"
        name = "Non-governmental organisations"
        aliases = ["societe CIVILE", "csos", "Ngo"]
        """,
    )
    aliases = line_of(path, "societe CIVILE")
    key = line_of(path, 'key = "ngos"')
    assert problems(path) == [
        f'{path}:{key}: groups[2].key: key "ngos" is also used by group "civil_society" '
        "(groups[1].aliases[2])",
        f'{path}:{aliases}: groups[2].aliases[1]: alias "societe CIVILE" is also used by group '
        '"civil_society" (groups[1].name)',
        f'{path}:{aliases}: groups[2].aliases[2]: alias "csos" is also used by group '
        '"civil_society" (groups[1].aliases[1])',
        f'{path}:{aliases}: groups[2].aliases[3]: alias "Ngo" is also used by group '
        '"civil_society" (groups[1].aliases[2])',
    ]


def test_a_group_may_repeat_its_own_names(tmp_path: Path) -> None:
    extra = 'aliases = ["investors", "INVESTOR", "Investisseurs"]\n'
    template = load_template(
        write(tmp_path, MINIMAL.replace('name = "Investors"\n', 'name = "Investors"\n' + extra))
    )
    assert template.groups[0].aliases == ("investors", "INVESTOR", "Investisseurs")


def test_aliases_moderators_could_not_type(tmp_path: Path) -> None:
    extra = 'aliases = ["All", "NGOs/CSOs", "Note: x", "  "]\n'
    path = write(tmp_path, MINIMAL.replace('name = "Investors"\n', 'name = "Investors"\n' + extra))
    line = line_of(path, "aliases")
    assert problems(path) == [
        f"{path}:{line}: groups[1].aliases[4]: must not be empty",
        f'{path}:{line}: groups[1].aliases[1]: alias "All" is reserved: it addresses every group',
        f'{path}:{line}: groups[1].aliases[2]: alias "NGOs/CSOs" must not contain '
        '":", ",", "/", "&" or "+"',
        f'{path}:{line}: groups[1].aliases[3]: alias "Note: x" must not contain '
        '":", ",", "/", "&" or "+"',
    ]


def test_bad_group_key(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('key = "investors"', 'key = "Investors Inc"'))
    assert problems(path) == [
        f'{path}:4: groups[1].key: "Investors Inc" is not a valid group key '
        '(use lowercase letters, digits, "-" and "_")'
    ]


def test_unknown_placeholder(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'intro = "Welcome to {venue}, at {titel}."\n'
        + MINIMAL
        + """
        [[agenda]]
        item = "Close at {end}"
        """,
    )
    assert problems(path) == [
        f"{path}:1: intro: unknown placeholder {{venue}}",
        f"{path}:1: intro: unknown placeholder {{titel}} (did you mean {{title}}?)",
        f"{path}:13: agenda[1].item: placeholder {{end}} has no value "
        "(set end or pass --set end=...)",
    ]


def test_title_cannot_use_itself(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('"Test session"', '"{title} 2"'))
    assert problems(path) == [
        f"{path}:1: title: placeholder {{title}} cannot be used in the title itself"
    ]


def test_dates_times_and_time_zones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'date = "25/06/2025"\nstart = "11h45"\ntimezone = "Europe/Olso"\n' + MINIMAL,
    )
    assert problems(path) == [
        f'{path}:1: date: expected a date like "2025-06-25", got "25/06/2025"',
        f'{path}:2: start: expected a time like "11:45", got "11h45"',
        f'{path}:3: timezone: unknown time zone "Europe/Olso" (did you mean "Europe/Oslo"?)',
    ]


def test_start_needs_date_and_time_zone(tmp_path: Path) -> None:
    path = write(tmp_path, 'start = "11:45"\n' + MINIMAL)
    assert problems(path) == [
        f"{path}: date: missing required field (start needs a date)",
        f'{path}: timezone: missing required field (start needs a time zone, like "Europe/Oslo")',
    ]


def test_native_toml_date_and_time_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "date = 2025-06-25\nstart = 11:45:00\ntimezone = 'UTC'\n" + MINIMAL)
    template = load_template(path)
    assert template.starts_at == dt.datetime(2025, 6, 25, 11, 45, tzinfo=dt.UTC)


def test_people_share_and_gender_report(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL
        + """
        [[organizers]]
        affiliation = "B-Tech"
        email = "not-an-email"

        [[share]]
        email = "mod@example.org"
        role = "editor"

        [gender_report]
        participants = 30
        women_and_gender_diverse = 40
        """,
    )
    lines = [line_of(path, x) for x in ("[[organizers]]", "not-an-email", "editor", "women_")]
    assert problems(path) == [
        f"{path}:{lines[0]}: organizers[1].name: missing required field",
        f'{path}:{lines[1]}: organizers[1].email: "not-an-email" is not an email address',
        f'{path}:{lines[2]}: share[1].role: expected one of "reader", "commenter", "writer", '
        'got "editor"',
        f"{path}:{lines[3]}: gender_report.women_and_gender_diverse: "
        "is more than participants (40 > 30)",
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        duration_minutes = "sixty"

        [[groups]]
        key = "un"
        name = "UN"
        alises = ["IGO"]

        [[questions]]
        id = "Q1"
        text = "Why {venue}?"

        [[questions]]
        id = "Q1"
        """,
    )
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert caught.value.exit_code == ExitCode.usage
    assert str(caught.value).splitlines() == [
        f"{path}: title: missing required field",
        f'{path}:1: duration_minutes: expected an integer, got "sixty"; write it like: '
        "duration_minutes = 90",
        f'{path}:6: groups[1].alises: unknown field (did you mean "aliases"?)',
        f"{path}:10: questions[1].text: unknown placeholder {{venue}}",
        f"{path}:12: questions[2].text: missing required field",
        f'{path}:13: questions[2].id: duplicate question id "Q1" (also questions[1])',
    ]


def test_unknown_template_name_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        load_template("roundtabel")
    assert str(caught.value) == (
        'no shipped template named "roundtabel" (did you mean "roundtable"?); '
        "shipped: igf-regional-bogota-es, igf-regional-dakar-fr, igf-workshop, igf2025-ws354, "
        "roundtable"
    )
    missing = tmp_path / "nope.toml"
    assert validate_template(missing) == [f"{missing}: no such template file"]


# --- placeholders and overrides ----------------------------------------------------------------

PLACEHOLDERS = """\
title = "{event} roundtable on {topic}"
event = "IGF 2025"
date = "2025-06-25"
start = "11:45"
timezone = "Europe/Oslo"
format = "Roundtable"
duration_minutes = 60
intro = "{title}: {format}, {date} {start}-{end} {timezone}, {duration_minutes} min, {moderator}."
instructions = "Literal braces: {{like this}}; room {room}."

[roles]
moderator = { name = "Ana" }

[vars]
topic = "investor HRDD"
room = "IV"

[[groups]]
key = "investors"
name = "Investors"

[[questions]]
id = "Q1"
text = "What can {event} do about {topic}?"
prompts = ["Think about {room}."]

[[agenda]]
time = "{start}"
item = "Open ({start}) and close ({end})"
"""


def test_placeholders_are_filled_from_fields_roles_and_vars(tmp_path: Path) -> None:
    t = load_template(write(tmp_path, PLACEHOLDERS))
    assert t.title == "IGF 2025 roundtable on investor HRDD"
    assert t.intro == (
        "IGF 2025 roundtable on investor HRDD: Roundtable, 2025-06-25 11:45-12:45 Europe/Oslo, "
        "60 min, Ana."
    )
    assert t.instructions == "Literal braces: {like this}; room IV."
    assert t.questions[0].text == "What can IGF 2025 do about investor HRDD?"
    assert t.questions[0].prompts == ("Think about IV.",)
    assert t.agenda[0].item == "Open (11:45) and close (12:45)"
    assert t.agenda[0].time == "{start}"  # times are free text, not filled


def test_overrides_set_fields_roles_vars_and_free_placeholders(tmp_path: Path) -> None:
    path = write(tmp_path, PLACEHOLDERS.replace("room {room}", "room {room} on {floor}"))
    t = load_template(
        path,
        {
            "topic": "AI",
            "start": "14:00",
            "duration_minutes": "90",
            "moderator": "Zoë Ångström",
            "floor": "2",
            "hybrid": "yes",
        },
    )
    assert t.title == "IGF 2025 roundtable on AI"
    assert t.start == dt.time(14, 0) and t.duration_minutes == 90 and t.hybrid is True
    assert t.roles["moderator"].name == "Zoë Ångström"
    assert t.intro.endswith("2025-06-25 14:00-15:30 Europe/Oslo, 90 min, Zoë Ångström.")
    assert t.instructions == "Literal braces: {like this}; room IV on 2."
    assert t.ends_at == dt.datetime(2025, 6, 25, 15, 30, tzinfo=t.starts_at.tzinfo)


def test_bad_overrides_name_the_set_option(tmp_path: Path) -> None:
    path = write(tmp_path, PLACEHOLDERS)
    assert problems(
        path,
        {"duration_minutes": "sixty", "timezone": "Mars/Base", "end": "13:00", "tpoic": "x"},
    ) == [
        f"{path}: --set end: is computed from start and duration_minutes; set those instead",
        f'{path}: --set timezone: unknown time zone "Mars/Base"',
        f'{path}: --set duration_minutes: expected an integer, got "sixty"',
        f'{path}: --set tpoic: not used by this template (did you mean "topic"?)',
    ]


def test_override_fills_a_placeholder_the_file_does_not_define(tmp_path: Path) -> None:
    path = write(tmp_path, 'intro = "In {venue}."\n' + MINIMAL)
    assert load_template(path, {"venue": "Lillestrøm"}).intro == "In Lillestrøm."


# --- unicode -----------------------------------------------------------------------------------


def test_unicode_names_survive_loading_config_and_doc(tmp_path: Path) -> None:
    people = "".join(
        f'\n[[speakers]]\nname = "{n}"\naffiliation = "Université de Genève"\n'
        for n in UNICODE_NAMES
    )
    path = write(
        tmp_path,
        MINIMAL.replace("Test session", "Séance 🌍 Lillestrøm")
        + people
        + f'\n[roles]\nrapporteur = {{ name = "{UNICODE_NAMES[1]}", email = "r@example.org" }}\n',
    )
    t = load_template(path)
    assert tuple(p.name for p in t.speakers) == UNICODE_NAMES
    assert t.roles["rapporteur"].name == "محمد الأحمد"
    config = t.to_session_config("s1")
    assert config.title == "Séance 🌍 Lillestrøm"
    assert [s["name"] for s in config.facts["speakers"]] == list(UNICODE_NAMES)
    text = doc_text(build_session_doc(t, spreadsheet_url="https://x/s", spreadsheet_id="S"))
    for name in UNICODE_NAMES:
        assert f"{name} (Université de Genève)" in text


# --- the shipped templates ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_template_loads_and_validates(name: str) -> None:
    assert validate_template(name) == []
    assert validate_template(TEMPLATES_DIR / f"{name}.toml") == []
    template = load_template(name)
    assert template.name == name
    assert template.groups and template.questions
    assert CONTRIBUTION_FORMAT in template.instructions
    assert re.search(
        r"^Example: \S.*: .+ \(Amara Okafor, .+, online\)$", template.instructions, re.M
    )
    build_session_doc(template, spreadsheet_url="https://x/s", spreadsheet_id="S")


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_template_documents_its_schema(name: str) -> None:
    head = (TEMPLATES_DIR / f"{name}.toml").read_text().split("\n\n", 1)[0]
    for word in ("[[groups]]", "[[questions]]", "[roles]", "[vars]", "--set", "{title}"):
        assert word in head


def test_list_templates() -> None:
    assert list_templates() == [
        ("igf-regional-bogota-es", "Taller: conectividad significativa en zonas rurales"),
        (
            "igf-regional-dakar-fr",
            "Atelier\u00a0: la protection des données personnelles en Afrique de l'Ouest",
        ),
        ("igf-workshop", "IGF workshop on Internet governance"),
        ("igf2025-ws354", "Promoting Human Rights Due Diligence by Technology Investors"),
        ("roundtable", "Roundtable on digital cooperation"),
    ]


def test_installed_package_reads_its_own_template_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gdoc_sync.core.template as template_module

    folder = tmp_path / "_templates"
    folder.mkdir()
    (folder / "mine.toml").write_text(MINIMAL.replace("Test session", "Mine"), encoding="utf-8")
    (folder / "broken.toml").write_text('title = "Half done"\n', encoding="utf-8")
    (folder / "notes.txt").write_text("not a template", encoding="utf-8")
    monkeypatch.setattr(template_module, "TEMPLATES_DIR", tmp_path / "not-a-checkout")
    import importlib.resources

    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    assert list_templates() == [("broken", "Half done"), ("mine", "Mine")]
    mine = load_template("mine", {"rapporteur": "Zoë Ångström"})
    assert mine.roles["rapporteur"].name == "Zoë Ångström"
    assert validate_template("broken") == [
        f"{folder / 'broken.toml'}: groups: missing required field: define at least one; "
        'write it like: [[groups]] / key = "cso" / name = "Civil society" / '
        'aliases = ["CSOs", "NGOs"]',
        f"{folder / 'broken.toml'}: questions: missing required field: define at least one; "
        'write it like: [[questions]] / id = "Q1" / text = "What should investors do?"',
    ]


def fixture_questions() -> list[str]:
    text = FIXTURE.read_text()
    block = text.split("Policy Question(s)", 1)[1].split("What will participants gain", 1)[0]
    return [q.strip() for q in block.strip().lstrip("- ").split(" - ")]


def test_ws354_matches_the_session_text() -> None:
    t = load_template("igf2025-ws354")
    assert t.title == FIXTURE.read_text().splitlines()[0].removeprefix("IGF 2025 WS #354 ")
    assert (t.event, t.location, t.format, t.duration_minutes, t.hybrid) == (
        "IGF 2025",
        "Lillestrøm, Norway",
        "Roundtable",
        60,
        True,
    )
    assert t.timezone == "Europe/Oslo"
    assert [q.id for q in t.questions] == ["Q1", "Q2", "Q3", "Q4"]
    assert [q.text for q in t.questions] == fixture_questions()
    assert all(len(q.prompts) >= 2 for q in t.questions)
    assert [g.key for g in t.groups] == [
        "investors",
        "tech_companies",
        "governments",
        "civil_society",
        "un",
    ]
    aliases = {g.key: g.aliases for g in t.groups}
    assert {"CSO", "CSOs", "NGO", "NGOs"} <= set(aliases["civil_society"])
    assert {"gov", "govts", "regulators", "states"} <= set(aliases["governments"])
    assert {"UN", "IGO", "B-Tech", "OHCHR"} <= set(aliases["un"])
    assert len(t.organizers) == 7
    assert t.organizers[1].group == "Government, Western European and Others Group (WEOG)"
    assert [(s.name, s.group) for s in t.speakers] == [
        ("Pitler Ben", "Intergovernmental Organization"),
        ("Eriksen Caroline", "Government, Western European and Others Group (WEOG)"),
        ("Anna Warberg", "Private Sector, Western European and Others Group (WEOG)"),
    ]
    assert len(t.co_organizers) == 3 and "NBIM" in t.co_organizers[1]
    assert t.agenda and "{" not in t.intro + t.instructions
    example = (
        "Investors: Ask portfolio companies for their HRDD policy "
        "(Amara Okafor, civil society, online)"
    )
    assert f"Example: {example}" in t.instructions


def test_ws354_group_aliases_resolve_with_the_group_matcher() -> None:
    from gdoc_sync.core.groups import GroupMatcher

    t = load_template("igf2025-ws354")
    matcher = GroupMatcher(t.groups)
    for group in t.groups:
        for label in (group.key, group.name, *group.aliases):
            assert matcher.match(label, typos=False) == group.key, label
    assert matcher.match_list("CSOs, govts") == ("governments", "civil_society")


def test_to_session_config() -> None:
    t = load_template("igf2025-ws354", {"moderator": "Ana", "rapporteur": "Bo"})
    config = t.to_session_config("ws354")
    assert (config.session_id, config.title, config.hybrid) == ("ws354", t.title, True)
    assert config.groups == t.groups and config.questions == t.questions
    assert config.question("Q3").text.startswith("How can we ensure that stakeholders")
    facts = config.facts
    assert facts["template"] == "igf2025-ws354"
    assert (facts["date"], facts["start"], facts["end"]) == ("2025-06-25", "11:45", "12:45")
    assert facts["roles"] == {"moderator": {"name": "Ana"}, "rapporteur": {"name": "Bo"}}
    assert facts["organizers"][0] == {
        "name": "Organizer 1",
        "group": "Intergovernmental Organization",
    }
    assert "intro" not in facts


# --- the session Doc ---------------------------------------------------------------------------


def doc_text(requests: list[dict[str, Any]]) -> str:
    """The new document's body text from index 1: the inserted text, then the original newline."""
    insert = requests[0]["insertText"]
    assert insert["location"] == {"index": 1}
    return insert["text"] + "\n"


def span(text: str, start: int, end: int) -> str:
    """text[start:end] in Docs indices (UTF-16 units, the body's text starting at index 1)."""
    units = text.encode("utf-16-le")
    return units[2 * (start - 1) : 2 * (end - 1)].decode("utf-16-le")


def of_kind(requests: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r[kind] for r in requests if kind in r]


def named(requests: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {
        r["name"]: (r["range"]["startIndex"], r["range"]["endIndex"])
        for r in of_kind(requests, "createNamedRange")
    }


@pytest.fixture
def ws354() -> Template:
    return load_template("igf2025-ws354")


def build(template: Template) -> list[dict[str, Any]]:
    return build_session_doc(
        template, spreadsheet_url="https://sheets.example/S1", spreadsheet_id="S1"
    )


def test_doc_is_one_insert_then_requests_that_move_no_text(ws354: Template) -> None:
    requests = build(ws354)
    assert list(requests[0]) == ["insertText"]
    assert {k for r in requests[1:] for k in r} == {
        "updateParagraphStyle",
        "updateTextStyle",
        "createParagraphBullets",
        "createNamedRange",
    }
    assert "\t" not in doc_text(requests)
    end = 1 + utf16_len(doc_text(requests))  # the body's end index
    for kind in (
        "updateParagraphStyle",
        "updateTextStyle",
        "createParagraphBullets",
        "createNamedRange",
    ):
        for r in of_kind(requests, kind):
            assert 1 <= r["range"]["startIndex"] < r["range"]["endIndex"] <= end


def test_question_ranges_span_heading_to_next_heading(ws354: Template) -> None:
    requests = build(ws354)
    text, ranges = doc_text(requests), named(requests)
    following = [f"{q.id}. " for q in ws354.questions[1:]] + [ONLINE_HEADING]
    for question, after in zip(ws354.questions, following, strict=True):
        start, end = ranges[RANGE_QUESTION + question.id]
        section = span(text, start, end)
        assert section.startswith(f"{question.id}. {question.text}\n")
        assert span(text, end, end + utf16_len(after)) == after  # the next heading starts there
        assert section == "\n".join([f"{question.id}. {question.text}", *question.prompts, "", ""])


def test_online_actions_and_sheet_ranges(ws354: Template) -> None:
    requests = build(ws354)
    text, ranges = doc_text(requests), named(requests)
    start, end = ranges[RANGE_ONLINE]
    assert span(text, start, end) == f"{ONLINE_HEADING}\n\n"
    assert span(text, end, end + utf16_len(ACTIONS_HEADING)) == ACTIONS_HEADING
    start, end = ranges[RANGE_ACTIONS]
    assert span(text, start, end) == ACTIONS_PLACEHOLDER
    assert end == utf16_len(text)  # stops before the body's last newline, which cannot go
    assert span(text, start - utf16_len(ACTIONS_HEADING) - 1, start) == ACTIONS_HEADING + "\n"
    start, end = ranges[RANGE_SHEET + "S1"]
    assert span(text, start, end) == SHEET_LINK_TEXT
    assert span(text, start - 17, start) == "Companion Sheet: "
    links = [r for r in of_kind(requests, "updateTextStyle") if "link" in r["textStyle"]]
    assert links == [
        {
            "range": {"startIndex": start, "endIndex": end},
            "textStyle": {"link": {"url": "https://sheets.example/S1"}},
            "fields": "link",
        }
    ]
    assert set(ranges) == {RANGE_QUESTION + q.id for q in ws354.questions} | {
        RANGE_ONLINE,
        RANGE_ACTIONS,
        RANGE_SHEET + "S1",
    }


def test_paragraph_styles_italics_and_bullets(ws354: Template) -> None:
    requests = build(ws354)
    text = doc_text(requests)
    styled = {
        span(text, r["range"]["startIndex"], r["range"]["endIndex"]): r["paragraphStyle"][
            "namedStyleType"
        ]
        for r in of_kind(requests, "updateParagraphStyle")
    }
    assert styled[ws354.title + "\n"] == "TITLE"
    for q in ws354.questions:
        assert styled[f"{q.id}. {q.text}\n"] == "HEADING_2"
    assert styled[ONLINE_HEADING + "\n"] == styled[ACTIONS_HEADING + "\n"] == "HEADING_1"
    italic = [
        span(text, r["range"]["startIndex"], r["range"]["endIndex"])
        for r in of_kind(requests, "updateTextStyle")
        if r["textStyle"] == {"italic": True}
    ]
    assert italic == [p for q in ws354.questions for p in q.prompts] + [ACTIONS_PLACEHOLDER]
    bullets = [
        span(text, r["range"]["startIndex"], r["range"]["endIndex"])
        for r in of_kind(requests, "createParagraphBullets")
    ]
    # the empty contribution slots: one per question, one online
    assert bullets.count("\n") == len(ws354.questions) + 1
    assert any(b.startswith("Group is the stakeholder group") for b in bullets)
    assert all(
        r["bulletPreset"] == "BULLET_DISC_CIRCLE_SQUARE"
        for r in of_kind(requests, "createParagraphBullets")
    )


def test_doc_shows_facts_instructions_and_groups(ws354: Template) -> None:
    t = load_template("igf2025-ws354", {"moderator": "Ana", "online_moderator": "Bo"})
    text = doc_text(build(t))
    lines = text.split("\n")
    assert lines[0] == t.title
    assert "Event: IGF 2025, Lillestrøm, Norway" in lines
    assert "When: Wednesday 25 June 2025, 11:45–12:45 Oslo time (UTC+2)" in lines
    assert "Format: Roundtable, hybrid (onsite and online), 60 minutes" in lines
    assert "Moderator: Ana" in lines and "Online moderator: Bo" in lines
    assert CONTRIBUTION_FORMAT in lines
    assert any(line.startswith("Civil society (also CSO, CSOs, NGO, NGOs") for line in lines)
    assert text.index("Companion Sheet") < text.index(CONTRIBUTION_FORMAT) < text.index("Q1. ")


def test_doc_indices_count_utf16_units(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        title = "Séance 🌍𝔘 of 𝒜 roundtable"
        intro = "Emoji 🎉 before everything\\u0007 and private use \\ue000 chars"

        [[groups]]
        key = "investors"
        name = "Investors 💶"

        [[questions]]
        id = "Q1"
        text = "Why 🌍?"
        prompts = ["Think 🤔\\tabout it"]

        [[questions]]
        id = "Q2"
        text = "Then 𝔘?"
        """,
    )
    t = load_template(path)
    requests = build_session_doc(t, spreadsheet_url="u", spreadsheet_id="S")
    text = doc_text(requests)
    assert utf16_len(text) > len(text)  # astral characters really are in play
    assert "Emoji 🎉 before everything and private use  chars" in text  # Docs would strip them
    ranges = named(requests)
    assert span(text, *ranges[RANGE_QUESTION + "Q1"]) == "Q1. Why 🌍?\nThink 🤔 about it\n\n"
    assert span(text, *ranges[RANGE_QUESTION + "Q2"]) == "Q2. Then 𝔘?\n\n"
    assert span(text, *ranges[RANGE_ACTIONS]) == ACTIONS_PLACEHOLDER
    assert RANGE_ONLINE not in ranges  # not hybrid


def test_doc_without_instructions_gets_the_default(tmp_path: Path) -> None:
    t = load_template(write(tmp_path, "hybrid = true\n" + MINIMAL))
    text = doc_text(build_session_doc(t, spreadsheet_url="u", spreadsheet_id="S"))
    assert CONTRIBUTION_FORMAT in text
    assert "Example: Investors: Publish a plan for the next steps within a year " in text
    assert ONLINE_HEADING in text


def test_doc_needs_the_sheet(ws354: Template) -> None:
    with pytest.raises(ValueError):
        build_session_doc(ws354, spreadsheet_url="", spreadsheet_id="S")


# -- issue 12: positions from 1, no questions, the right shape shown -----------------------------


def test_positions_count_from_one(tmp_path: Path) -> None:
    """groups[5] is the fifth [[groups]] table, as a person counts them."""
    groups = "".join(
        f'\n[[groups]]\nkey = "{key}"\nname = "{name}"\n'
        for key, name in (("a", "A"), ("b", "B"), ("c", "C"), ("e", ""))
    )
    path = write(tmp_path, MINIMAL + groups)
    fifth = line_of(path, "[[groups]]", 5)  # MINIMAL's group is the first
    assert problems(path) == [f"{path}:{fifth + 2}: groups[5].name: must not be empty"]
    path = write(tmp_path, MINIMAL.replace('key = "investors"', 'key = "Investors"'))
    assert problems(path)[0].split(": ", 2)[1] == "groups[1].key"


def test_a_template_without_questions_is_refused(tmp_path: Path) -> None:
    shape = 'write it like: [[questions]] / id = "Q1" / text = "What should investors do?"'
    no_table = write(tmp_path, MINIMAL.split("[[questions]]")[0], "none.toml")
    assert problems(no_table) == [
        f"{no_table}: questions: missing required field: define at least one; {shape}"
    ]
    empty = write(tmp_path, "questions = []\n" + MINIMAL.split("[[questions]]")[0], "empty.toml")
    assert problems(empty) == [f"{empty}:1: questions: must list at least one entry; {shape}"]
    singular = write(tmp_path, MINIMAL.replace("[[questions]]", "[[question]]"), "one.toml")
    assert problems(singular) == [
        f"{singular}: questions: missing required field: define at least one; {shape}",
        f'{singular}:7: question: unknown field (did you mean "questions"?)',
    ]


def test_a_wrong_shaped_field_shows_the_right_shape(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        title = "T"
        groups = ["Investors", "Governments"]
        roles = "Ana Lima"
        speakers = "Amara Okafor"
        share = {email = "ana@example.org"}

        [[questions]]
        id = "Q1"
        text = "What now?"
        prompts = "Who acts?"
        """,
    )
    assert problems(path) == [
        f"{path}:2: groups: expected an array of tables, got an array; write it like: "
        '[[groups]] / key = "cso" / name = "Civil society" / aliases = ["CSOs", "NGOs"]',
        f'{path}:3: roles: expected a table, got "Ana Lima"; write it like: '
        '[roles.moderator] / name = "Ana Lima" / email = "ana@example.org"',
        f'{path}:4: speakers: expected an array of tables, got "Amara Okafor"; write it like: '
        '[[speakers]] / name = "Amara Okafor" / affiliation = "Example Foundation"',
        f"{path}:5: share: expected an array of tables, got a table; write it like: "
        '[[share]] / email = "ana@example.org" / role = "commenter"',
        f'{path}:10: questions[1].prompts: expected an array of strings, got "Who acts?"; '
        'write it like: prompts = ["Who should act first?"]',
    ]


def test_template_error_holds_each_problem_as_data(tmp_path: Path) -> None:
    """TemplateError.problems: file, line, field (or the --set KEY) and message of each problem,
    and the error's text is those problems' lines."""
    path = tmp_path / "t.toml"
    path.write_text(
        'title = "A session"\nlanguage = "en"\n\n[[questions]]\nid = "Q1"\ntext = ""\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError) as caught:
        load_template(path, {"no such field": "x"})
    problems = caught.value.problems
    by_field = {p.field: p for p in problems if p.field}
    assert by_field["questions[1].text"].line == 6
    assert by_field["questions[1].text"].file == str(path)
    set_problems = [p for p in problems if p.setting == "no such field"]
    assert len(set_problems) == 1 and set_problems[0].line is None
    assert str(caught.value).splitlines() == [str(p) for p in problems]
    assert f"{path}:6: questions[1].text: " in str(caught.value)
    assert f"{path}: --set no such field: " in str(caught.value)
