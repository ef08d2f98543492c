"""Tests for reading contributions out of a session Doc's `documents.get` response."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdoc_sync.core.contributions import ParsedDoc, parse_session_doc
from gdoc_sync.core.model import (
    RANGE_ACTIONS,
    RANGE_CONTRIBUTION,
    RANGE_ONLINE,
    RANGE_QUESTION,
    RANGE_SHEET,
    Channel,
    Contribution,
    PolicyQuestion,
    SessionConfig,
    StakeholderGroup,
)

FIXTURES = Path(__file__).parent / "fixtures" / "google" / "docs"

GROUPS = (
    StakeholderGroup("investors", "Investors", ("institutional investors", "asset managers")),
    StakeholderGroup("companies", "Technology companies", ("tech companies", "private sector")),
    StakeholderGroup("governments", "Governments", ("government", "states", "regulators")),
    StakeholderGroup("cso", "Civil society", ("CSO", "civil society organizations", "NGO")),
    StakeholderGroup("un", "United Nations", ("UN", "intergovernmental organizations")),
)
ALL_KEYS = tuple(g.key for g in GROUPS)

CONFIG = SessionConfig(
    session_id="igf2025-ws354",
    title="Promoting Human Rights Due Diligence by Technology Investors",
    groups=GROUPS,
    questions=(
        PolicyQuestion(
            "Q1",
            "How can investors integrate human rights and HRDD into decision-making?",
            ("How can investors use their leverage with portfolio companies?",),
        ),
        PolicyQuestion("Q2", "What can all stakeholders do to help investor HRDD?"),
        PolicyQuestion("Q3", "How can experts reach investing decision-makers?"),
    ),
)


# --- a tiny builder of documents.get responses -------------------------------------------------


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Run:
    text: str
    italic: bool = False
    strike: bool = False
    url: str | None = None
    suggested_insertion: bool = False
    suggested_deletion: bool = False


@dataclass(frozen=True)
class Chip:
    name: str
    email: str = ""


Part = str | Run | Chip


class DocBuilder:
    """Appends paragraphs the way Docs stores them: UTF-16 indices, a newline ending each one."""

    def __init__(self) -> None:
        self.content: list[dict[str, Any]] = [
            {"endIndex": 1, "sectionBreak": {"sectionStyle": {"sectionType": "CONTINUOUS"}}}
        ]
        self.index = 1
        self.ranges: dict[str, list[tuple[int, int]]] = {}

    def paragraph(
        self, *parts: Part, style: str = "NORMAL_TEXT", level: int | None = None
    ) -> tuple[int, int]:
        start = self.index
        elements: list[dict[str, Any]] = []
        for part in parts:
            if isinstance(part, Chip):
                props = {"name": part.name, "email": part.email or "x@example.org"}
                elements.append(
                    {
                        "startIndex": self.index,
                        "endIndex": self.index + 1,
                        "person": {"personId": "kix.p", "personProperties": props, "textStyle": {}},
                    }
                )
                self.index += 1
                continue
            run = Run(part) if isinstance(part, str) else part
            elements.append(self._text_run(run))
        last = elements[-1]["textRun"] if elements and "textRun" in elements[-1] else None
        if last is not None and last["textStyle"] == {} and len(last) == 2:
            # Docs keeps the newline in the last run when it has the same (plain) style.
            last["content"] += "\n"
            elements[-1]["endIndex"] += 1
            self.index += 1
        else:
            elements.append(self._text_run(Run("\n")))
        paragraph: dict[str, Any] = {
            "elements": elements,
            "paragraphStyle": {"namedStyleType": style, "direction": "LEFT_TO_RIGHT"},
        }
        if level is not None:
            paragraph["bullet"] = {"listId": "kix.list1", "textStyle": {}}
            if level:
                paragraph["bullet"]["nestingLevel"] = level
        self.content.append({"startIndex": start, "endIndex": self.index, "paragraph": paragraph})
        return start, self.index

    def _text_run(self, run: Run) -> dict[str, Any]:
        style: dict[str, Any] = {}
        if run.italic:
            style["italic"] = True
        if run.strike:
            style["strikethrough"] = True
        if run.url:
            style["link"] = {"url": run.url}
            style["underline"] = True
        text_run: dict[str, Any] = {"content": run.text, "textStyle": style}
        if run.suggested_insertion:
            text_run["suggestedInsertionIds"] = ["suggest.ins1"]
        if run.suggested_deletion:
            text_run["suggestedDeletionIds"] = ["suggest.del1"]
        element = {
            "startIndex": self.index,
            "endIndex": self.index + utf16_len(run.text),
            "textRun": text_run,
        }
        self.index += utf16_len(run.text)
        return element

    def bullet(self, *parts: Part, level: int = 0) -> tuple[int, int]:
        return self.paragraph(*parts, level=level)

    def heading(self, text: str, level: int = 2) -> tuple[int, int]:
        return self.paragraph(text, style=f"HEADING_{level}")

    def prompt(self, text: str) -> tuple[int, int]:
        return self.paragraph(Run(text, italic=True))

    def anchored(self, cid: str, *parts: Part, level: int = 0) -> tuple[int, int]:
        start, end = self.bullet(*parts, level=level)
        self.add_range(RANGE_CONTRIBUTION + cid, start, end - 1)
        return start, end

    def add_range(self, name: str, start: int, end: int) -> None:
        self.ranges.setdefault(name, []).append((start, end))

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        start = self.index
        yield
        self.add_range(name, start, self.index)

    @contextmanager
    def question(self, qid: str, heading: str | None = None) -> Iterator[None]:
        with self.section(RANGE_QUESTION + qid):
            self.heading(heading or f"{qid}. {CONFIG.question(qid).text}")
            yield

    def build(self, *, tabs: bool = False) -> dict[str, Any]:
        named: dict[str, Any] = {}
        for number, (name, spans) in enumerate(self.ranges.items()):
            named[name] = {
                "name": name,
                # Each span its own named range: what several createNamedRange calls leave.
                "namedRanges": [
                    {
                        "namedRangeId": f"kix.nr{number}.{i}",
                        "name": name,
                        "ranges": [{"startIndex": s, "endIndex": e}],
                    }
                    for i, (s, e) in enumerate(spans)
                ],
            }
        tab = {"body": {"content": copy.deepcopy(self.content)}, "namedRanges": named}
        doc: dict[str, Any] = {
            "title": "WS #354 shared notes",
            "documentId": "doc-354",
            "revisionId": "rev-42",
            "suggestionsViewMode": "SUGGESTIONS_INLINE",
        }
        if tabs:
            doc["tabs"] = [
                {
                    "tabProperties": {"tabId": "t.0", "title": "Tab 1", "index": 0},
                    "documentTab": tab,
                }
            ]
        else:
            doc.update(tab)
        return doc


def parse(builder: DocBuilder, **build: Any) -> ParsedDoc:
    return parse_session_doc(builder.build(**build), CONFIG)


def one(builder: DocBuilder) -> Contribution:
    parsed = parse(builder)
    assert len(parsed.contributions) == 1, parsed.contributions
    return parsed.contributions[0]


def in_q1(*parts: Part) -> DocBuilder:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet(*parts)
    return b


# --- addressees --------------------------------------------------------------------------------


def test_addressee_prefix_with_typo_matches_its_group() -> None:
    c = one(in_q1("Goverments: require HRDD disclosure from asset managers"))
    assert c.addressees == ("governments",)
    assert c.body == "require HRDD disclosure from asset managers"
    assert c.text == "Goverments: require HRDD disclosure from asset managers"
    assert c.question_id == "Q1"


def test_addressee_prefix_with_two_groups() -> None:
    c = one(in_q1("CSO & UN: brief investors on surveillance risks"))
    assert c.addressees == ("cso", "un")
    assert c.body == "brief investors on surveillance risks"


def test_all_addresses_every_group() -> None:
    c = one(in_q1("All: share HRDD case studies"))
    assert c.addressees == ALL_KEYS
    assert c.body == "share HRDD case studies"


@pytest.mark.parametrize("prefix", ["Note", "Example", "Question", "Q1"])
def test_prefix_that_is_no_group_stays_in_the_text(prefix: str) -> None:
    c = one(in_q1(f"{prefix}: NGO networks are underused"))
    assert c.addressees == ()
    assert c.body == c.text == f"{prefix}: NGO networks are underused"


@pytest.mark.parametrize(
    ("typed", "keys", "body"),
    [
        ("[CSO] map the risks", ("cso",), "map the risks"),
        ("[CSO/UN] map the risks", ("cso", "un"), "map the risks"),
        ("[CSO]: map the risks", ("cso",), "map the risks"),
        ("#investors ask portfolio companies", ("investors",), "ask portfolio companies"),
        ("#investors #cso meet twice a year", ("investors", "cso"), "meet twice a year"),
        ("#civil_society #UN meet", ("cso", "un"), "meet"),
        ("#all meet", ALL_KEYS, "meet"),
        ("#investors #1 priority is leverage", ("investors",), "#1 priority is leverage"),
    ],
)
def test_bracket_and_hashtag_forms(typed: str, keys: tuple[str, ...], body: str) -> None:
    c = one(in_q1(typed))
    assert c.addressees == keys
    assert c.body == body
    assert c.text == typed


@pytest.mark.parametrize(
    "typed",
    [
        "[sic] the investors said so",
        "[1] footnote-like start",
        "#1 priority: leverage",
        "#hrdd is everyone's job",
    ],
)
def test_bracket_or_hashtag_that_is_no_group_stays_text(typed: str) -> None:
    c = one(in_q1(typed))
    assert c.addressees == ()
    assert c.body == typed


@pytest.mark.parametrize(
    "typed",
    [
        # A sentence before the colon is not a list of groups: unassigned, kept whole.
        "Investors should do three things: engage, escalate, divest",
        "Investors should engage. Governments: regulate",
        "Why not governments? Investors: engage",
        # The colon comes too late to close an addressee prefix.
        "Governments and regulators and investors and tech companies too: do more",
        "At 10:30 investors left the room",
        "See https://www.ohchr.org for the UNGPs",
    ],
)
def test_sentences_with_a_colon_are_unassigned(typed: str) -> None:
    c = one(in_q1(typed))
    assert c.addressees == ()
    assert c.body == typed


def test_only_the_first_colon_counts() -> None:
    assert one(in_q1("CSO: note: this matters")).addressees == ("cso",)
    assert one(in_q1("Note: CSO: this matters")).addressees == ()


def test_prefix_with_french_spacing_and_fullwidth_colon() -> None:
    assert one(in_q1("Governments : act")).addressees == ("governments",)
    assert one(in_q1("Governments：act")).body == "act"


# --- attribution -------------------------------------------------------------------------------


def test_attribution_with_name_group_and_channel() -> None:
    c = one(in_q1("Investors: publish engagement outcomes (Caroline Eriksen, government, online)"))
    assert c.addressees == ("investors",)
    assert c.body == "publish engagement outcomes"
    assert c.speaker == "Caroline Eriksen"
    assert c.proposer_group == "governments"
    assert c.channel is Channel.online
    assert c.text == (
        "Investors: publish engagement outcomes (Caroline Eriksen, government, online)"
    )


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("online", Channel.online),
        ("remote", Channel.online),
        ("Zoom", Channel.online),
        ("chat", Channel.online),
        ("onsite", Channel.onsite),
        ("on-site", Channel.onsite),
        ("in person", Channel.onsite),
        ("in-person", Channel.onsite),
        ("room", Channel.onsite),
    ],
)
def test_channel_words(word: str, channel: Channel) -> None:
    b = DocBuilder()
    with b.section(RANGE_ONLINE):
        b.heading("Online discussion")
        b.bullet(f"CSO: keep a shared risk list (Ana Silva; {word})")
    c = one(b)
    assert c.channel is channel
    assert c.speaker == "Ana Silva"
    assert c.body == "keep a shared risk list"


def test_channel_defaults_to_the_section() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("Investors: engage early")
    with b.section(RANGE_ONLINE):
        b.heading("Online discussion")
        b.bullet("Investors: engage earlier")
    onsite, online = parse(b).contributions
    assert (onsite.question_id, onsite.channel) == ("Q1", Channel.onsite)
    assert (online.question_id, online.channel) == ("online", Channel.online)


def test_attribution_with_group_only_and_trailing_period() -> None:
    c = one(in_q1("Governments: align with the OECD guidance (civil society)."))
    assert c.proposer_group == "cso"
    assert c.speaker == ""
    assert c.body == "align with the OECD guidance."


def test_attribution_with_speaker_and_affiliation() -> None:
    c = one(in_q1("UN: convene investors yearly (Ben Pitler, B-Tech, onsite)"))
    assert c.speaker == "Ben Pitler, B-Tech"
    assert c.channel is Channel.onsite
    assert c.body == "convene investors yearly"


def test_attribution_typo_group_is_group_when_a_speaker_is_named() -> None:
    c = one(in_q1("Investors: vote on HRDD (Anna Warberg, Goverment)"))
    assert (c.speaker, c.proposer_group) == ("Anna Warberg", "governments")


@pytest.mark.parametrize(
    "typed",
    [
        "Investors: follow the UNGPs (see UNGPs, principle 17)",
        "Companies: publish reports (Meta, Alphabet)",
        "Governments: enforce rules (GDPR)",
        "Investors: ask about risks (e.g. surveillance)",
        "Investors: ask about risks (surveillance and targeting)",
        "Investors: use leverage (Jane Doe, which we discussed here at length)",
        "Investors: use leverage (CSO, UN)",
        "Investors: use leverage (online, onsite)",
    ],
)
def test_prose_parenthesis_stays_in_the_text(typed: str) -> None:
    c = one(in_q1(typed))
    assert c.body == typed.split(": ", 1)[1]
    assert (c.speaker, c.proposer_group, c.channel) == ("", "", Channel.onsite)


def test_a_long_clause_beside_a_named_speaker_and_a_channel_is_kept_and_warned() -> None:
    parsed = parse(in_q1("Investors: use leverage (Jane Doe, online, whatever this says here)"))
    (c,) = parsed.contributions
    assert (c.body, c.speaker, c.channel) == (
        "use leverage",
        "Jane Doe, whatever this says here",
        Channel.online,
    )
    assert any("'whatever this says here' in the attribution" in p for p in parsed.problems)


def test_parenthesis_alone_is_what_was_said() -> None:
    c = one(in_q1("(Jane Doe)"))
    assert (c.body, c.speaker) == ("(Jane Doe)", "")


def test_arabic_speaker_name() -> None:
    c = one(in_q1("Investors: consult affected communities (محمد الأحمد, civil society, online)"))
    assert c.speaker == "محمد الأحمد"
    assert c.proposer_group == "cso"
    assert c.channel is Channel.online
    assert c.body == "consult affected communities"


def test_arabic_comma_separates_attribution_parts() -> None:
    c = one(in_q1("CSO: انشروا التقارير (محمد الأحمد، CSO، online)"))
    assert (c.speaker, c.proposer_group, c.channel) == ("محمد الأحمد", "cso", Channel.online)
    assert c.body == "انشروا التقارير"


def test_vietnamese_speaker_name_alone() -> None:
    c = one(in_q1("Tech companies: translate HRDD reports (Nguyễn Thị Minh Khai)"))
    assert c.speaker == "Nguyễn Thị Minh Khai"
    assert c.addressees == ("companies",)
    assert c.body == "translate HRDD reports"


def test_decomposed_vietnamese_name_is_kept_as_typed() -> None:
    name = "Nguye\u0302\u0303n Thi\u0323 Minh Khai"  # combining marks, not precomposed
    c = one(in_q1(f"Tech companies: translate reports ({name})"))
    assert c.speaker == name


def test_lowercase_name_is_accepted_next_to_a_group() -> None:
    c = one(in_q1("CSO: share data (ana silva, CSO)"))
    assert (c.speaker, c.proposer_group) == ("ana silva", "cso")


# --- person chips ------------------------------------------------------------------------------


def test_person_chip_is_the_speaker_and_leaves_the_text() -> None:
    c = one(in_q1("Investors: escalate when engagement fails ", Chip("Anna Warberg")))
    assert c.speaker == "Anna Warberg"
    assert c.text == "Investors: escalate when engagement fails"
    assert c.body == "escalate when engagement fails"


def test_person_chip_inside_the_attribution() -> None:
    c = one(in_q1("CSO: share risk maps (", Chip("Ben Pitler"), ", UN, online)"))
    assert (c.speaker, c.proposer_group, c.channel) == ("Ben Pitler", "un", Channel.online)
    assert c.body == "share risk maps"
    assert c.text == "CSO: share risk maps (UN, online)"


def test_person_chip_after_a_dash() -> None:
    c = one(in_q1("CSO: share risk maps — ", Chip("Ben Pitler")))
    assert c.text == "CSO: share risk maps"
    assert c.speaker == "Ben Pitler"


def test_person_chip_leading_the_line() -> None:
    c = one(in_q1(Chip("Ben Pitler"), ": investors should engage"))
    assert (c.text, c.speaker) == ("investors should engage", "Ben Pitler")


def test_other_person_chips_render_as_names() -> None:
    c = one(in_q1("Investors: read ", Chip("John Ruggie"), "'s report (Jane Doe, CSO)"))
    assert c.speaker == "Jane Doe"
    assert c.body == "read John Ruggie's report"


def test_person_chip_without_a_name_uses_the_email() -> None:
    b = in_q1("UN: convene ", Chip("", "b.pitler@un.org"))
    assert one(b).speaker == "b.pitler@un.org"


# --- strikethrough and suggestions -------------------------------------------------------------


def test_wholly_struck_contribution_is_withdrawn_and_kept() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet(Run("Investors: divest at once", strike=True))
        b.bullet(Run("Investors: engage first", strike=False))
    withdrawn, kept = parse(b).contributions
    assert withdrawn.withdrawn and not kept.withdrawn
    assert withdrawn.text == "Investors: divest at once"
    assert withdrawn.addressees == ("investors",)


def test_struck_detail_counts_toward_withdrawal() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet(Run("Investors: divest", strike=True), Run("  ", strike=False))
        b.bullet(Run("from surveillance vendors", strike=True), level=1)
    c = one(b)
    assert c.withdrawn
    assert c.text == "Investors: divest\nfrom surveillance vendors"


def test_partly_struck_text_drops_the_struck_parts() -> None:
    c = one(in_q1("Investors should ", Run("divest", strike=True), " engage before divesting"))
    assert not c.withdrawn
    assert c.text == "Investors should engage before divesting"


def test_struck_addressee_is_corrected() -> None:
    c = one(in_q1(Run("CSO", strike=True), "UN: convene a roundtable"))
    assert c.addressees == ("un",)
    assert c.text == "UN: convene a roundtable"


def test_suggested_insertions_are_ignored_and_deletions_kept() -> None:
    c = one(
        in_q1(
            "Investors: engage ",
            Run("aggressively ", suggested_insertion=True),
            Run("patiently ", suggested_deletion=True),
            "with companies",
        )
    )
    assert c.text == "Investors: engage patiently with companies"


def test_paragraph_that_is_only_a_suggestion_is_no_contribution() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("Investors: engage")
        b.bullet(Run("Governments: regulate", suggested_insertion=True))
    assert [c.text for c in parse(b).contributions] == ["Investors: engage"]


# --- structure ---------------------------------------------------------------------------------


def test_nested_bullets_are_detail_of_the_bullet_above() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("Investors: strengthen stewardship")
        b.bullet("ask for HRDD in proxy votes", level=1)
        b.bullet("report on escalation", level=2)
        b.bullet("Governments: mandate disclosure")
    first, second = parse(b).contributions
    assert first.text == (
        "Investors: strengthen stewardship\nask for HRDD in proxy votes\nreport on escalation"
    )
    assert first.body == "strengthen stewardship\nask for HRDD in proxy votes\nreport on escalation"
    assert second.text == "Governments: mandate disclosure"


def test_attribution_on_the_last_detail_line() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("Investors: strengthen stewardship")
        b.bullet("ask for HRDD in proxy votes (Anna Warberg, private sector)", level=1)
    c = one(b)
    assert (c.speaker, c.proposer_group) == ("Anna Warberg", "companies")
    assert c.body == "strengthen stewardship\nask for HRDD in proxy votes"


def test_plain_paragraphs_are_contributions_too() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.paragraph("Investors: engage")
        b.bullet("with board members", level=1)
        b.paragraph("Governments: regulate")
    assert [c.text for c in parse(b).contributions] == [
        "Investors: engage\nwith board members",
        "Governments: regulate",
    ]


def test_empty_bullets_and_blank_paragraphs_are_ignored() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("")
        b.bullet("   \t ")
        b.paragraph("")
        b.bullet("Investors: engage")
        b.paragraph(" ")
        b.bullet("with boards", level=1)
        b.bullet("", level=1)
        b.bullet("")
    c = one(b)
    assert c.text == "Investors: engage\nwith boards"


def test_prompts_and_headings_are_no_contributions() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.prompt("How can investors use their leverage with portfolio companies?")
        b.prompt("Think of concrete steps.")
        b.paragraph(CONFIG.question("Q1").text)  # the question, not italic, still a prompt
        b.bullet("Investors: engage")
        b.heading("Follow-up", level=3)
        b.paragraph(Run("Italic after the first bullet is what someone said", italic=True))
    assert [c.text for c in parse(b).contributions] == [
        "Investors: engage",
        "Italic after the first bullet is what someone said",
    ]


def test_prompts_named_range_marks_prompts_whatever_their_style() -> None:
    b = DocBuilder()
    with b.question("Q2"):
        with b.section("gdoc_sync:prompts:Q2"):
            b.paragraph("Which conditions help investor HRDD?")
        b.bullet("All: meet more often")
    assert [c.text for c in parse(b).contributions] == ["All: meet more often"]


def test_nested_bullet_with_no_bullet_above_is_never_a_contribution() -> None:
    """A detail line left behind when its contribution was deleted must not become a row."""
    b = DocBuilder()
    with b.question("Q1"):
        b.prompt("Discuss.")
        b.bullet("orphan detail", level=1)
        b.bullet("Investors: engage")
    parsed = parse(b)
    assert [c.text for c in parsed.contributions] == ["Investors: engage"]
    assert (
        "Q1: an indented line with no contribution above it was not read: 'orphan detail'; if "
        "it is a contribution of its own, outdent it (Shift+Tab)"
    ) in parsed.problems


def test_heading_ends_the_detail_of_the_bullet_above() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("Investors: engage")
        b.heading("Sub-topic", level=3)
        b.bullet("detail after a heading", level=1)
    parsed = parse(b)
    assert [c.text for c in parsed.contributions] == ["Investors: engage"]
    assert any("'detail after a heading'" in p for p in parsed.problems)


def test_sections_order_and_actions_are_not_contributions() -> None:
    b = DocBuilder()
    b.paragraph("Welcome to the session notes")  # outside every section
    b.bullet("Agenda item outside sections")
    with b.question("Q1"):
        b.bullet("Investors: one")
    with b.question("Q2"):
        b.bullet("Governments: two")
    with b.section(RANGE_ONLINE):
        b.heading("Online discussion")
        b.bullet("CSO: three")
    with b.section(RANGE_ACTIONS):
        b.heading("Action points")
        b.bullet("Investors: an action point, not a contribution")
    parsed = parse(b)
    assert [(c.question_id, c.text) for c in parsed.contributions] == [
        ("Q1", "Investors: one"),
        ("Q2", "Governments: two"),
        ("online", "CSO: three"),
    ]
    assert parsed.sections_found == ["Q1", "Q2", "online"]
    assert parsed.sections_missing == ["Q3"]


def test_paragraphs_typed_after_a_range_end_belong_to_it() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("Investors: inside")
    b.bullet("Governments: typed after the range end")
    b.heading("Other notes", level=2)
    b.bullet("Not in any section")
    parsed = parse(b)
    assert [c.text for c in parsed.contributions] == [
        "Investors: inside",
        "Governments: typed after the range end",
    ]
    assert any("after the end of named range gdoc_sync:question:Q1" in p for p in parsed.problems)


def test_missing_question_range_falls_back_to_its_heading() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("Investors: one")
    b.heading("Q2. What can all stakeholders do?", level=2)
    b.prompt("Think about enabling conditions.")
    b.bullet("Governments: two")
    b.heading("Sub-point", level=3)  # lower level: still Q2
    b.bullet("CSO: three")
    b.heading("Q3 Experts and investors", level=2)
    b.bullet("UN: four")
    b.heading("Other notes", level=1)
    b.bullet("not in a section")
    parsed = parse(b)
    assert [(c.question_id, c.text) for c in parsed.contributions] == [
        ("Q1", "Investors: one"),
        ("Q2", "Governments: two"),
        ("Q2", "CSO: three"),
        ("Q3", "UN: four"),
    ]
    assert parsed.sections_found == ["Q1"]
    assert parsed.sections_missing == ["Q2", "Q3"]
    assert parsed.sections_by_heading == ["Q2", "Q3"]
    assert any("Q2: named range gdoc_sync:question:Q2 missing" in p for p in parsed.problems)


def test_fallback_heading_must_name_the_question_exactly() -> None:
    b = DocBuilder()
    b.heading("Q10. Not the first question", level=2)
    b.bullet("Investors: ten")
    parsed = parse(b)
    assert parsed.contributions == []
    assert parsed.sections_missing == ["Q1", "Q2", "Q3"]
    assert any("Q1: named range" in p and "not read" in p for p in parsed.problems)


def test_question_range_not_in_the_config_is_read_and_reported() -> None:
    b = DocBuilder()
    with b.question("Q9", heading="Q9. Extra"):
        b.bullet("Investors: extra")
    parsed = parse(b)
    assert [c.question_id for c in parsed.contributions] == ["Q9"]
    assert any("Q9" in p and "names no question" in p for p in parsed.problems)


def test_missing_online_section_is_reported_for_hybrid_sessions() -> None:
    parsed = parse(in_q1("Investors: x"))
    assert any("online section not found" in p for p in parsed.problems)


# --- text fidelity -----------------------------------------------------------------------------


def test_emoji_text_and_utf16_indices() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("CSO: 🇳🇴 pension funds lead 👍")
        start, end = b.bullet("UN: next 😀 one")
    parsed = parse(b)
    flag, after = parsed.contributions
    assert flag.text == "CSO: 🇳🇴 pension funds lead 👍"
    # Each of the three emoji characters here is 2 UTF-16 units (flag = two regional indicators).
    assert flag.end_index - flag.start_index == len(flag.text) + 3
    assert (after.start_index, after.end_index) == (start, end - 1)
    assert after.start_index == flag.end_index + 1  # the flag line's newline sits between
    doc = b.build()
    para = doc["body"]["content"][-1]
    assert para["startIndex"] == after.start_index


def test_formula_like_contribution_is_kept_verbatim() -> None:
    typed = '=IMPORTXML("http://x", "//a")'
    c = one(in_q1(typed))
    assert c.text == c.body == typed
    assert c.addressees == () and c.speaker == ""


@pytest.mark.parametrize(
    "typed",
    [
        "CSO: حقوق الإنسان أولاً",  # Arabic, right to left
        "UN: זכויות אדם קודם",  # Hebrew
        "Investors: e\u0301thique d’abord",  # combining acute kept decomposed
        "Governments: 人権デュー・ディリジェンス",
        "Governments:  two  spaces  inside",
    ],
)
def test_unicode_text_is_not_rewritten(typed: str) -> None:
    c = one(in_q1(f"  {typed}  "))
    assert c.text == typed
    assert c.body == typed.split(":", 1)[1].strip()
    assert len(c.addressees) == 1


def test_soft_line_break_becomes_newline() -> None:
    c = one(in_q1("Investors: engage\u000bwith boards"))
    assert c.text == "Investors: engage\nwith boards"


def test_links_render_with_their_url() -> None:
    c = one(
        in_q1(
            "Investors: read the ",
            Run("B-Tech paper", url="https://www.ohchr.org/b-tech"),
            " and ",
            Run("https://www.ohchr.org/ungps", url="https://www.ohchr.org/ungps"),
            " and ",
            Run("www.oecd.org", url="http://www.oecd.org"),
        )
    )
    assert c.text == (
        "Investors: read the B-Tech paper (https://www.ohchr.org/b-tech) and "
        "https://www.ohchr.org/ungps and www.oecd.org"
    )
    assert c.links == (
        "https://www.ohchr.org/b-tech",
        "https://www.ohchr.org/ungps",
        "http://www.oecd.org",
    )


def test_link_split_over_styled_runs_renders_once() -> None:
    url = "https://example.org/report"
    c = one(in_q1("See ", Run("the ", url=url), Run("report", url=url, italic=True), " now"))
    assert c.text == f"See the report ({url}) now"
    assert c.links == (url,)


def test_rich_link_chip_renders_like_a_link() -> None:
    doc = in_q1("Investors: read ", "x").build()
    elements = doc["body"]["content"][-1]["paragraph"]["elements"]
    start = elements[-1]["startIndex"]
    uri = "https://docs.google.com/document/d/abc"
    elements[-1] = {
        "startIndex": start,
        "endIndex": start + 1,
        "richLink": {"richLinkProperties": {"title": "B-Tech note", "uri": uri}},
    }
    elements.append({"startIndex": start + 1, "endIndex": start + 2, "textRun": {"content": "\n"}})
    c = parse_session_doc(doc, CONFIG).contributions[0]
    assert c.text == f"Investors: read B-Tech note ({uri})"
    assert c.links == (uri,)


def test_struck_link_is_dropped_with_its_url() -> None:
    c = one(in_q1("Read ", Run("old", url="https://old.example", strike=True), " new"))
    assert c.text == "Read new"
    assert c.links == ()


# Any text a moderator may type in one paragraph (no newline: that would end the paragraph).
typed_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\v"), max_size=80
)


@settings(max_examples=300, deadline=None)
@given(typed=typed_text)
def test_any_typed_text_is_kept_verbatim(typed: str) -> None:
    contributions = parse(in_q1(typed)).contributions
    if not typed.strip():
        assert contributions == []
        return
    (c,) = contributions
    assert c.text == typed.strip()
    # The body is the text less a prefix and an attribution: always a piece of it.
    assert c.body in c.text
    assert set(c.addressees) <= set(ALL_KEYS)


@settings(max_examples=200, deadline=None)
@given(before=typed_text, after=typed_text)
def test_any_text_around_a_person_chip(before: str, after: str) -> None:
    contributions = parse(in_q1(before, Chip("Ana Silva"), after)).contributions
    for c in contributions:
        assert "\U00100000" not in c.text or "\U00100000" in before + after
        assert c.speaker


@settings(max_examples=200, deadline=None)
@given(body=typed_text, name=st.sampled_from(["Jane Doe", "محمد الأحمد", "Nguyễn Thị Minh Khai"]))
def test_any_body_keeps_its_attribution_apart(body: str, name: str) -> None:
    body = body.strip()
    if not body or body.endswith(")") or not body[-1].isalnum():
        return
    c = one(in_q1(f"{body} ({name}, CSO, online)"))
    assert (c.speaker, c.proposer_group, c.channel) == (name, "cso", Channel.online)
    assert body.endswith(c.body)
    if not c.addressees:
        assert c.body == body


# --- anchors and document facts ----------------------------------------------------------------


def test_anchor_gives_the_contribution_its_id_and_span() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        start, end = b.anchored("C0007", "Investors: engage")
        b.bullet("detail", level=1)
        b.bullet("Governments: unanchored")
    first, second = parse(b).contributions
    assert (first.id, first.start_index, first.end_index) == ("C0007", start, end - 1)
    assert second.id == ""


def test_several_ranges_with_one_id_are_one_anchor() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        start, _end = b.anchored("C0007", "Investors: engage")
    b.add_range(RANGE_CONTRIBUTION + "C0007", start, start + 4)
    parsed = parse(b)
    assert parsed.contributions[0].id == "C0007"
    assert parsed.stale_anchors == []


def test_two_ids_on_one_paragraph_keep_the_lowest() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        start, end = b.anchored("C0012", "Investors: merged from two")
    b.add_range(RANGE_CONTRIBUTION + "C0009", start + 3, end - 1)
    b.add_range(RANGE_CONTRIBUTION + "C10", start, end - 1)  # numbers compare as numbers
    parsed = parse(b)
    assert parsed.contributions[0].id == "C0009"
    assert parsed.stale_anchors == ["C10", "C0012"]
    assert any("stale anchor C0012" in p for p in parsed.problems)


def test_anchor_over_a_detail_line_or_heading_is_stale() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.anchored("C0001", "Investors: engage")
        b.anchored("C0002", "demoted to detail", level=1)
    parsed = parse(b)
    assert [c.id for c in parsed.contributions] == ["C0001"]
    assert parsed.stale_anchors == ["C0002"]


def test_anchor_split_over_two_paragraphs_stays_with_the_first() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        start, _ = b.bullet("Investors: first half")
        _, end = b.bullet("Governments: second half")
    b.add_range(RANGE_CONTRIBUTION + "C0003", start, end - 1)
    parsed = parse(b)
    assert [c.id for c in parsed.contributions] == ["C0003", ""]
    assert any("split paragraph" in p for p in parsed.problems)


def test_anchor_on_the_previous_newline_does_not_cover_the_next_paragraph() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        _, end = b.bullet("Investors: first")
        b.bullet("Governments: second")
    b.add_range(RANGE_CONTRIBUTION + "C0004", end - 1, end)
    parsed = parse(b)
    assert [c.id for c in parsed.contributions] == ["", ""]
    assert parsed.stale_anchors == ["C0004"]


def test_document_facts() -> None:
    b = in_q1("Investors: x")
    b.add_range(RANGE_SHEET + "1AbCsheetId", 1, 2)
    parsed = parse(b)
    assert parsed.revision_id == "rev-42"
    assert parsed.spreadsheet_id == "1AbCsheetId"
    assert parsed.document_id == "doc-354"
    assert parse(in_q1("x")).spreadsheet_id is None


def test_tabs_form_reads_the_first_tab() -> None:
    b = DocBuilder()
    with b.question("Q1"):
        b.anchored("C0001", "Investors: engage (Anna Warberg, private sector)")
    b.add_range(RANGE_SHEET + "sheet-1", 1, 2)
    legacy = parse(b)
    tabbed = parse(b, tabs=True)
    assert tabbed.contributions == legacy.contributions
    assert tabbed.spreadsheet_id == "sheet-1"
    assert tabbed.contributions[0].id == "C0001"


def test_a_table_in_a_section_is_reported() -> None:
    b = in_q1("Investors: x")
    doc = b.build()
    q1 = doc["namedRanges"][RANGE_QUESTION + "Q1"]["namedRanges"][0]["ranges"][0]
    doc["body"]["content"].insert(2, {"startIndex": q1["startIndex"] + 1, "table": {}})
    parsed = parse_session_doc(doc, CONFIG)
    assert any("Q1: a table" in p for p in parsed.problems)


# --- real documents ----------------------------------------------------------------------------


def _with_range(doc: dict[str, Any], name: str, start: int, end: int) -> dict[str, Any]:
    target = doc["tabs"][0]["documentTab"] if "tabs" in doc else doc
    target.setdefault("namedRanges", {})[name] = {
        "name": name,
        "namedRanges": [
            {
                "namedRangeId": "kix.t",
                "name": name,
                "ranges": [{"startIndex": start, "endIndex": end}],
            }
        ],
    }
    return doc


def test_real_nested_lists() -> None:
    doc = json.loads((FIXTURES / "gatsby-lists.json").read_text())
    end = doc["body"]["content"][-1]["endIndex"]
    parsed = parse_session_doc(_with_range(doc, RANGE_QUESTION + "Q1", 1, end), CONFIG)
    texts = [c.text for c in parsed.contributions]
    assert len(texts) == sum(1 for t in texts if t.startswith("List item"))
    first, second, third = texts[:3]
    assert first == "List item 1\nSublist item 1\nSublist item 2\nSublist item 3"
    assert second == "List item 2"
    assert third.startswith("List item 3\nSub list item 1\nSub sub list item 1\n")
    assert "Sub sub list item 2 with image" in third  # the inline image adds no text


def test_real_accents_and_flag_emoji_keep_their_utf16_span() -> None:
    doc = json.loads((FIXTURES / "gatsby-french.json").read_text())
    para = doc["body"]["content"][1]
    parsed = parse_session_doc(_with_range(doc, RANGE_QUESTION + "Q1", 1, para["endIndex"]), CONFIG)
    c = parsed.contributions[0]
    assert c.text == "Je m'appelle Cédric, j'habite à Toulouse (France) 🇫🇷"
    assert c.speaker == ""  # "(France)" is followed by the flag, so it is no attribution
    assert (c.start_index, c.end_index) == (para["startIndex"], para["endIndex"] - 1)
    assert c.end_index - c.start_index == utf16_len(c.text)


def test_real_tabs_document() -> None:
    name = "extrasuite-1YicNYwId9u4okuK4uNfWdTEuKyS1QWb1RcnZl9eVyTc.json"
    doc = json.loads((FIXTURES / name).read_text())
    content = doc["tabs"][0]["documentTab"]["body"]["content"]
    start = next(e["startIndex"] for e in content if _text(e) == "How to Build a New Deck\n")
    end = next(e["startIndex"] for e in content if _text(e) == "Rendering to PDF\n")
    parsed = parse_session_doc(_with_range(doc, RANGE_QUESTION + "Q1", start, end), CONFIG)
    texts = [c.text for c in parsed.contributions]
    assert len(texts) == 11  # one plain paragraph and ten bullets; the "Step" headings are not
    assert texts[1] == "Copy the scaffold: cp skill/scaffold.html new-deck.html"
    assert parsed.contributions[1].addressees == ()
    assert parsed.revision_id == doc["revisionId"]


def _text(element: dict[str, Any]) -> str:
    elements = element.get("paragraph", {}).get("elements", [])
    return "".join(e.get("textRun", {}).get("content", "") for e in elements)


# --- size --------------------------------------------------------------------------------------


def big_doc(count: int) -> dict[str, Any]:
    b = DocBuilder()
    with b.question("Q1"):
        b.prompt("How can investors use their leverage with portfolio companies?")
        for n in range(count):
            if n % 4 == 0:
                b.anchored(f"C{n:05d}", f"Investors: engage company {n} (Jane Doe, CSO, online)")
            elif n % 4 == 1:
                b.bullet(f"CSO & UN: share risk list {n} 🇳🇴 with ", Chip("Anna Warberg"))
                b.bullet(f"detail for {n}", level=1)
            elif n % 4 == 2:
                b.bullet(f"Note: observation {n} ", Run("old", strike=True), " new")
            else:
                b.bullet(f"#governments regulate {n} ", Run("link", url=f"https://x.org/{n}"))
    return b.build()


@pytest.mark.slow
def test_ten_thousand_contributions() -> None:
    doc = big_doc(10_000)
    parsed = parse_session_doc(doc, CONFIG)
    assert len(parsed.contributions) == 10_000
    assert sum(1 for c in parsed.contributions if c.id) == 2_500


# --- attributions in other orders and languages; warnings instead of silence -----------------

SPANISH = SessionConfig(
    session_id="es",
    title="Taller",
    groups=(
        StakeholderGroup("gob", "Gobiernos", ("gobierno",)),
        StakeholderGroup("sc", "Sociedad civil", ("OSC",)),
    ),
    questions=(PolicyQuestion("Q1", "¿Qué hacer?"),),
    hybrid=False,
    facts={"language": "es", "vocabulary": {"online": ["por streaming"]}},
)


def parse_es(*lines: str) -> ParsedDoc:
    b = DocBuilder()
    with b.question("Q1"):
        for line in lines:
            b.bullet(line)
    return parse_session_doc(b.build(), SPANISH)


@pytest.mark.parametrize(
    ("typed", "speaker", "group", "channel"),
    [
        ("Investors: act (civil society – Amara Okafor)", "Amara Okafor", "cso", Channel.onsite),
        ("Investors: act (H.E., Dr. Amina Yusuf, government)", "H.E. Dr. Amina Yusuf", "governments", Channel.onsite),  # noqa: E501
        ("Investors: act (Prof. Chen Wei; UN; online)", "Prof. Chen Wei", "un", Channel.online),
        ("Investors: act (Ms. Ana Lima — CSO — remote)", "Ms. Ana Lima", "cso", Channel.online),
        ("Investors: act (UN, Jean-Pierre Dubois, in the room)", "Jean-Pierre Dubois", "un", Channel.onsite),  # noqa: E501
        ("Investors: act (Amara Okafor online)", "Amara Okafor", "", Channel.online),
        ("Investors: act (Mr. David Kim)", "Mr. David Kim", "", Channel.onsite),
    ],
)  # fmt: skip
def test_attribution_in_other_orders_and_forms(
    typed: str, speaker: str, group: str, channel: Channel
) -> None:
    c = one(in_q1(typed))
    assert (c.body, c.speaker, c.proposer_group, c.channel) == ("act", speaker, group, channel)


def test_session_language_words_and_english_are_both_accepted() -> None:
    parsed = parse_es(
        "Los gobiernos: actuar (Ana Ruiz, la sociedad civil, en línea)",
        "Todos: actuar (Luis Gil, OSC, in person)",
        "Gobierno: actuar (Rosa Díaz, gobierno, por streaming)",
    )
    got = [(c.addressees, c.speaker, c.proposer_group, c.channel) for c in parsed.contributions]
    assert got == [
        (("gob",), "Ana Ruiz", "sc", Channel.online),
        (("gob", "sc"), "Luis Gil", "sc", Channel.onsite),
        (("gob",), "Rosa Díaz", "gob", Channel.online),
    ]
    assert parsed.problems == []


def test_an_unknown_part_keeps_the_rest_of_the_attribution_and_is_warned() -> None:
    parsed = parse_es("Gobiernos: actuar (Juan Pérez, OSC, vía satélite)")
    c = parsed.contributions[0]
    assert (c.body, c.speaker, c.proposer_group) == ("actuar", "Juan Pérez, vía satélite", "sc")
    assert parsed.problems == [
        "Q1: 'Gobiernos: actuar (Juan Pérez, OSC, vía satélite)': 'vía satélite' in the "
        "attribution is no name, group or channel word; kept with the speaker"
    ]


def test_an_unsure_prefix_gets_a_did_you_mean_and_a_sure_no_group_does_not() -> None:
    parsed = parse_es("Gobernantes: actuar", "Nota: empezamos tarde")
    assert [c.addressees for c in parsed.contributions] == [(), ()]
    assert parsed.problems == [
        "Q1: unassigned 'Gobernantes: actuar': 'Gobernantes' is no stakeholder group of this "
        'session; did you mean "Gobiernos"? (start the line with "Gobiernos: ...")'
    ]


def test_an_unreadable_language_record_falls_back_to_english_and_says_so() -> None:
    config = SessionConfig(
        session_id="x",
        title="x",
        groups=GROUPS,
        questions=CONFIG.questions,
        facts={"language": "tlh"},
    )
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("All: act (Ana, online)")
    parsed = parse_session_doc(b.build(), config)
    assert parsed.contributions[0].addressees == ALL_KEYS
    assert any("language or vocabulary is unreadable" in p for p in parsed.problems)


def test_french_no_break_spaces_and_arabic_marks_around_the_colon() -> None:
    config = SessionConfig(
        session_id="fr",
        title="Atelier",
        groups=(
            StakeholderGroup("etats", "États", ("gouvernements",)),
            StakeholderGroup("sc", "Société civile", ("OSC",)),
            StakeholderGroup("ar", "المجتمع المدني"),
        ),
        questions=(PolicyQuestion("Q1", "Que faire ?"),),
        hybrid=False,
        facts={"language": "fr"},
    )
    b = DocBuilder()
    with b.question("Q1"):
        b.bullet("États\u202f: Agir (Awa Ba\u202f; OSC\u202f; en\u00a0ligne)")
        b.bullet("Les États\u00a0: Agir (M. Ali Sow, gouvernements, à\u00a0distance)")
        b.bullet("\u200fالمجتمع المدني\u200f: العمل (سارة حسن، المجتمع المدني)")
    parsed = parse_session_doc(b.build(), config)
    got = [(c.addressees, c.speaker, c.proposer_group, c.channel) for c in parsed.contributions]
    assert got == [
        (("etats",), "Awa Ba", "sc", Channel.online),
        (("etats",), "M. Ali Sow", "etats", Channel.online),
        (("ar",), "سارة حسن", "ar", Channel.onsite),
    ]
