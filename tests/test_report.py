"""`report`: the IGF session report built from the curated Sheet, in every format, for the demo
session and for a second, different session; its charts in a real browser; the Sheet's chart."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from browser import Browser
from conftest import Backend, run_cli

from gdoc_sync.core.model import RANGE_ACTIONS, PolicyQuestion, SessionConfig, StakeholderGroup
from gdoc_sync.core.sheet import CONTRIBUTIONS, HEADER, ContributionsTab, column_letter, quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.core.textsafe import csv_cell, csv_text, neutralise
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.errors import MissingTab
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator
from gdoc_sync.google.sheet_io import read_tabs
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.report.data import build_report
from gdoc_sync.report.markdown import render_markdown
from gdoc_sync.report.schema import SCHEMA
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import sync_session

EMAILS = ("wanjiru@example.org", "wang@example.org", "alex@example.org", "selam@example.org")
TEMPLATE = """
title = "Données et confiance — 数据与信任"
event = "Regional IGF 2026"
location = "Nairobi, Kenya"
date = "2026-03-10"
start = "14:00"
timezone = "Africa/Nairobi"
format = "Workshop"
hybrid = false

[[organizers]]
name = "Wanjiru Kamau"
affiliation = "KICTANet"
email = "wanjiru@example.org"

[[speakers]]
name = "王秀英"
affiliation = "Tsinghua University"
group = "academia"
email = "wang@example.org"

[[speakers]]
name = "Αλέξανδρος Παπαδόπουλος"
email = "alex@example.org"

[roles]
moderator = { name = "ሰላም ተስፋዬ", email = "selam@example.org" }

[[groups]]
key = "regulators"
name = "Regulators"
aliases = ["regulator", "DPA"]

[[groups]]
key = "platforms"
name = "Platforms"
aliases = ["platform"]

[[groups]]
key = "communities"
name = "Local communities"
aliases = ["communities", "community"]

[[questions]]
id = "D1"
text = "Who should hold data about local communities?"

[[questions]]
id = "D2"
text = "What makes a data-sharing agreement trustworthy?"
"""
LONG = "Regulators: " + " ".join(["Require every data-sharing agreement to be published"] * 36)
FINAL = "Require plain-language summaries of every data-sharing agreement"
BIDI = "Platforms: Label \u202eautomated decisions (Ana Silva, regulators)"
# (question, line as typed, speaker, proposer group, channel, addressees)
NOTES = [
    (
        "D1",
        "Regulators: Publish a register of data-sharing agreements (王秀英, platforms)",
        "王秀英",
        "Platforms",
        "onsite",
        ["Regulators"],
    ),
    (
        "D1",
        "Platforms: Share aggregate data with local researchers "
        "(Αλέξανδρος Παπαδόπουλος, regulators, online)",
        "Αλέξανδρος Παπαδόπουλος",
        "Regulators",
        "online",
        ["Platforms"],
    ),
    (
        "D1",
        "Communities: Set up data trusts run by residents (ሰላም ተስፋዬ, local communities)",
        "ሰላም ተስፋዬ",
        "Local communities",
        "onsite",
        ["Local communities"],
    ),
    (
        "D2",
        LONG + " (Wanjiru Kamau, communities)",
        "Wanjiru Kamau",
        "Local communities",
        "onsite",
        ["Regulators"],
    ),
    (
        "D2",
        "Platforms: Let communities audit how their data is used (Mohammed Al-Farsi, communities)",
        "Mohammed Al-Farsi",
        "Local communities",
        "onsite",
        ["Platforms"],
    ),
    (
        "D2",
        "Platforms: Publish transparency reports in local languages (张伟, communities)",
        "张伟",
        "Local communities",
        "onsite",
        ["Platforms"],
    ),
    (
        "D2",
        "Platforms: Publish transparency reports in local languages (张伟, communities)",
        "张伟",
        "Local communities",
        "onsite",
        ["Platforms"],
    ),
    (
        "D2",
        'Regulators: =HYPERLINK("http://evil.example","click") (Kofi Boateng, DPA)',
        "Kofi Boateng",
        "Regulators",
        "onsite",
        ["Regulators"],
    ),
    ("D1", BIDI, "Ana Silva", "Regulators", "onsite", ["Platforms"]),
    ("D1", "Note: ask the DPA about timelines", "", "", "onsite", []),
    ("D2", "Regulators: Withdraw this remark please", "", "", "onsite", ["Regulators"]),
]
WITHDRAWN = "Withdraw this remark please"
EXCLUDED = "Let communities audit how their data is used"
REPORT_TAB = {
    "Key takeaway 1": "Communities want a say over data about them.",
    "Participants onsite": "about 40",
    "Participants online": "12",
    "End time": "16:30",
    "Summary D1": "First line of the summary\n# not a heading\n- not a list\n---",
}


# -- helpers -----------------------------------------------------------------------------------


def check_schema(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """A small JSON Schema check (type, const, enum, properties, required, closed objects,
    items, anyOf): enough for the report's schema."""
    problems: list[str] = []
    if "anyOf" in schema:
        if all(check_schema(value, s, path) for s in schema["anyOf"]):
            problems.append(f"{path}: matches none of anyOf")
        return problems
    if "const" in schema and value != schema["const"]:
        problems.append(f"{path}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} not in {schema['enum']}")
    kinds = schema.get("type")
    if kinds:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        python = {
            "object": dict,
            "array": list,
            "string": str,
            "integer": int,
            "boolean": bool,
            "null": type(None),
        }
        ok = any(
            isinstance(value, python[k]) and not (k == "integer" and isinstance(value, bool))
            for k in kinds
        )
        if not ok:
            return [f"{path}: {value!r} is not {kinds}"]
    if isinstance(value, dict) and "properties" in schema:
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{path}: missing {key}")
        for key, item in value.items():
            if key not in schema["properties"]:
                problems.append(f"{path}: unexpected {key}")
            else:
                problems += check_schema(item, schema["properties"][key], f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += check_schema(item, schema["items"], f"{path}[{i}]")
    return problems


def sheet_rows(api: GoogleApi, spreadsheet_id: str, tab: str) -> list[list[str]]:
    return api.get_values(spreadsheet_id, [quote_sheet(tab)])[0]


def set_cells(api: GoogleApi, spreadsheet_id: str, cells: dict[tuple[str, str], Any]) -> None:
    """Curate like a rapporteur: (contribution id, column) -> value."""
    values = sheet_rows(api, spreadsheet_id, CONTRIBUTIONS)
    row_of = {r[0]: n for n, r in enumerate(values[1:], start=2) if r}
    api.update_values(
        spreadsheet_id,
        [
            {
                "range": f"{quote_sheet(CONTRIBUTIONS)}!{column_letter(HEADER.index(col))}"
                f"{row_of[cid]}",
                "values": [[value]],
            }
            for (cid, col), value in cells.items()
        ],
    )


def fill_report_tab(api: GoogleApi, spreadsheet_id: str, answers: dict[str, str]) -> dict[str, int]:
    """Write answers next to their labels in the Report tab; returns label -> row number."""
    rows = sheet_rows(api, spreadsheet_id, "Report")
    where = {row[0]: n for n, row in enumerate(rows, start=1) if row}
    api.update_values(
        spreadsheet_id,
        [{"range": f"'Report'!B{where[k]}", "values": [[v]]} for k, v in answers.items()],
    )
    return where


def strike(api: GoogleApi, document_id: str, text: str) -> None:
    doc = api.get_document(document_id)
    for el in doc["body"]["content"]:
        runs = el.get("paragraph", {}).get("elements", [])
        if text in "".join(r.get("textRun", {}).get("content", "") for r in runs):
            api.update_document(
                document_id,
                [
                    {
                        "updateTextStyle": {
                            "range": {
                                "startIndex": el["startIndex"],
                                "endIndex": el["endIndex"] - 1,
                            },
                            "textStyle": {"strikethrough": True},
                            "fields": "strikethrough",
                        }
                    }
                ],
            )
            return
    raise AssertionError(text)


def doc_action_list(doc: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The Action points section read back from the Doc: (group heading, [item text])."""
    entry = doc["namedRanges"][RANGE_ACTIONS]["namedRanges"][0]["ranges"][0]
    start, end = entry.get("startIndex", 0), entry["endIndex"]
    groups: list[tuple[str, list[str]]] = []
    for el in doc["body"]["content"]:
        para = el.get("paragraph")
        if not para or el["endIndex"] <= start or el["startIndex"] >= end:
            continue
        text = "".join(r.get("textRun", {}).get("content", "") for r in para["elements"])
        text = text.rstrip("\n")
        if para.get("paragraphStyle", {}).get("namedStyleType") == "HEADING_3":
            groups.append((text, []))
        elif para.get("bullet") is not None:
            groups[-1][1].append(text)
    return groups


class Second:
    """The second session: made, noted, synced and curated by the test."""

    def __init__(self, backend: Backend, tmp_path: Path, *, curate: bool = True) -> None:
        path = tmp_path / "second.toml"
        path.write_text(TEMPLATE, encoding="utf-8")
        self.api = backend.api()
        self.created = create_session(self.api, load_template(path), CreateOptions(notify=False))
        self.doc = self.created.document_id
        self.sheet = self.created.spreadsheet_id
        for question, line, *_ in NOTES:
            add_note(self.api, self.doc, question, line)
        self.state = LocalState(backend.data_dir / "state")
        self.journal = Journal(backend.data_dir / "journal")
        sync_session(self.api, self.doc, state=self.state, journal=self.journal)
        strike(self.api, self.doc, WITHDRAWN)
        sync_session(self.api, self.doc, state=self.state, journal=self.journal)
        rows = sheet_rows(self.api, self.sheet, CONTRIBUTIONS)
        text_col = rows[0].index("Contribution")
        self.ids = {}
        for row in rows[1:]:
            self.ids.setdefault(row[text_col][:40], []).append(row[0])
        if curate:
            set_cells(
                self.api,
                self.sheet,
                {
                    (self.id_of(LONG[len("Regulators: ") :]), "Final wording"): FINAL,
                    (self.id_of(EXCLUDED), "Include"): False,
                },
            )
            self.report_rows = fill_report_tab(self.api, self.sheet, REPORT_TAB)

    def id_of(self, text: str) -> str:
        return self.ids[text[:40]][0]


def cli_report(backend: Backend, doc: str, fmt: str, *extra: str) -> str:
    result = run_cli(["report", doc, "--format", fmt, *extra], backend.env())
    assert result.exit_code == 0, result.stderr
    return result.stdout


def texts_of(points: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [p for q in points.values() for p in q]


def in_doc_notes() -> list[tuple[str, str, str, str, str, list[str]]]:
    """The notes still in the Doc, a line pasted twice counted once (sync flags the copy)."""
    kept: list[tuple[str, str, str, str, str, list[str]]] = []
    for note in NOTES:
        if WITHDRAWN not in note[1] and note[:2] not in [k[:2] for k in kept]:
            kept.append(note)
    return kept


# -- the second session ------------------------------------------------------------------------


def test_second_session_report_in_every_format(backend: Backend, tmp_path: Path) -> None:
    s = Second(backend, tmp_path)
    outputs = {fmt: cli_report(backend, s.doc, fmt) for fmt in ("md", "html", "json", "csv", "txt")}
    data = json.loads(outputs["json"])
    assert check_schema(data, SCHEMA) == []
    assert data["schema"] == "gdoc-sync/session-report" and data["schema_version"] == 1

    # No e-mail address anywhere, though the template gave five.
    for fmt, text in outputs.items():
        for email in EMAILS:
            assert email not in text, (fmt, email)
        assert not re.search(r"[\w.]+@[\w-]+\.\w", text), fmt

    # Session details: start AND end (from the Report tab), people by name, non-Latin kept.
    assert data["session"]["start"] == "14:00" and data["session"]["end"] == "16:30"
    assert "2026-03-10 14:00–16:30 Africa/Nairobi" in outputs["md"]
    assert [p["name"] for p in data["session"]["moderators"]] == ["ሰላም ተስፋዬ"]
    assert [p["name"] for p in data["session"]["speakers"]] == ["王秀英", "Αλέξανδρος Παπαδόπουλος"]
    assert data["session"]["rapporteurs"] == []

    # Points: Final wording over the long text, Include=FALSE and withdrawn left out,
    # the duplicate once, the unassigned remark kept, addressees shown, no raw prefixes.
    points = {q["id"]: q["points"] for q in data["policy_questions"]}
    texts = [p["text"] for q in points.values() for p in q]
    assert FINAL in texts and not any(t.startswith("Require every data-sharing") for t in texts)
    for fmt in ("md", "html", "txt"):
        assert "Require every data-sharing agreement to be published Require" not in outputs[fmt]
        assert FINAL in outputs[fmt]
        assert EXCLUDED not in outputs[fmt] and WITHDRAWN not in outputs[fmt]
    dup = [p for p in points["D2"] if p["text"].startswith("Publish transparency")]
    assert len(dup) == 1 and len(dup[0]["duplicates"]) == 1
    assert "Ask the DPA about timelines".lower() in " ".join(texts).lower()
    unassigned = [p for p in points["D1"] if "DPA about timelines" in p["text"]]
    assert unassigned[0]["addressees"] == []
    expected_to = {line: to for _, line, _, _, _, to in in_doc_notes()}
    register = next(p for p in points["D1"] if p["text"].startswith("Publish a register"))
    assert register["addressees"] == expected_to[NOTES[0][1]]
    assert register["speaker"] == "王秀英" and register["proposer_group"] == "Platforms"
    shown = "- **Regulators:** Publish a register of data-sharing agreements (王秀英, Platforms, "
    shown += "onsite)"
    assert shown in outputs["md"]
    # The typed prefix (an alias) is gone; the addressee is shown by its group name.
    assert "Communities: Set up" not in outputs["md"] + outputs["txt"] + outputs["html"]
    assert "**Local communities:** Set up data trusts run by residents" in outputs["md"]
    assert all(not re.match(r"^\w+:", p["text"]) for p in texts_of(points) if p["addressees"])

    # Markdown: readable as plain text, nothing typed becomes structure.
    md = outputs["md"]
    assert "\\(" not in md and "\\)" not in md and "\\." not in md
    assert "\\# not a heading" in md and "\\- not a list" in md and "\\---" in md
    assert not any(line.startswith(("# not", "- not a list", "---")) for line in md.splitlines())

    # What only the rapporteur knows: given where written, listed where missing.
    assert data["short_report"]["key_takeaways"] == [REPORT_TAB["Key takeaway 1"]]
    assert data["short_report"]["calls_to_action"] == []
    missing = data["missing"]
    assert "calls to action (short report)" in missing
    assert "a summary of D2" in missing and "a summary of D1" not in missing
    row = s.report_rows["Participants onsite"]
    assert f"participants onsite: Report tab, row {row} says 'about 40', not a whole number" in (
        missing
    )
    assert "the rapporteur's name (set it in the template's [roles])" in missing
    assert "**Still missing before this report can be submitted:**" in md
    assert data["gender_report"]["participants_online"] == 12
    assert data["gender_report"]["participants_onsite"] is None
    assert data["gender_report"]["share_women_and_gender_diverse_percent"] is None

    # Participation and the matrix, counted from the notes this test typed.
    by_group: Counter[tuple[str, str]] = Counter()
    cells: Counter[tuple[str, str]] = Counter()
    for question, _, _, group, channel, to in in_doc_notes():
        by_group[(group or "Other or not recorded", channel)] += 1
        for name in to or ["Unassigned"]:
            cells[(name, question)] += 1
    shown = {
        (r["group"], ch): r[ch]
        for r in data["participation"]["by_group"]
        for ch in ("onsite", "online")
    }
    assert shown == {k: by_group.get(k, 0) for k in shown}
    assert data["participation"]["contributions"] == len(in_doc_notes())
    m = data["matrix"]
    assert m["questions"] == ["D1", "D2"]
    assert m["groups"] == ["Regulators", "Platforms", "Local communities", "Unassigned"]
    assert m["counts"] == [[cells[(g, q)] for q in m["questions"]] for g in m["groups"]]

    # CSV: the action points with a speaker column; formula-like text defused.
    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    assert rows[0] == [
        "stakeholder_group",
        "number",
        "action",
        "contribution_id",
        "question",
        "speaker",
        "proposer_group",
        "channel",
        "priority",
    ]
    speakers = {r[2]: r[5] for r in rows[1:]}
    assert speakers["Publish a register of data-sharing agreements"] == "王秀英"
    assert speakers[FINAL] == "Wanjiru Kamau"
    formula = [r for r in rows[1:] if "HYPERLINK" in r[2]]
    assert formula and all(r[2].startswith("'=") for r in formula)
    assert EXCLUDED not in outputs["csv"]

    # Withdrawn contributions on request, in a section of their own.
    with_gone = cli_report(backend, s.doc, "md", "--with-withdrawn")
    assert "### Withdrawn or removed contributions" in with_gone and WITHDRAWN in with_gone
    gone = json.loads(cli_report(backend, s.doc, "json", "--with-withdrawn"))
    assert [g["status"] for g in gone["withdrawn_or_removed"]] == ["withdrawn"]
    assert check_schema(gone, SCHEMA) == []


def test_bidi_and_zero_width_are_neutralised_at_every_field(
    backend: Backend, tmp_path: Path
) -> None:
    s = Second(backend, tmp_path)
    # A speaker typed in the Sheet with a zero-width space and an isolate left open.
    cid = s.id_of("Label \u202eautomated decisions")
    set_cells(backend.api(), s.sheet, {(cid, "Speaker"): "\u200b\u2067Ana Silva"})
    outputs = {fmt: cli_report(backend, s.doc, fmt) for fmt in ("md", "html", "json", "csv", "txt")}
    for fmt, text in outputs.items():
        # The open right-to-left override is closed right after the contribution's words,
        # before the attribution that follows it.
        assert "Label \u202eautomated decisions\u202c" in text, fmt
        assert "\u2067Ana Silva\u2069" in text and "\u200b" not in text, fmt
        for line in text.splitlines():
            depth = 0
            for ch in line:
                depth += 1 if ch in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068" else 0
                depth -= 1 if ch in "\u202c\u2069" else 0
            assert depth <= 0, (fmt, line)


def test_textsafe_terminates_or_strips_and_says_which() -> None:
    assert neutralise("evil \u202etext") == "evil \u202etext\u202c"
    assert neutralise("\u2067isolated \u202bnested") == "\u2067isolated \u202bnested\u202c\u2069"
    assert neutralise("a \u2067b \u202ec\u2069 d") == "a \u2067b \u202ec\u202c\u2069 d"
    assert neutralise("\u202cstray closers\u2069") == "stray closers"
    assert neutralise("\u200b\ufeffAna\u200d\u200f") == "Ana"
    assert neutralise("👩\u200d👩\u200d👧 family") == "👩\u200d👩\u200d👧 family"  # inside: kept
    assert neutralise("می\u200cخواهم") == "می\u200cخواهم"
    assert [csv_cell(x) for x in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "ok")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "'\rx",
        "ok",
    ]
    rows = list(csv.reader(io.StringIO(csv_text(["a", "=b"], [["\u202ex", "-2"]]))))
    assert rows == [["a", "'=b"], ["\u202ex\u202c", "'-2"]]


def test_template_text_with_newlines_injects_no_markdown() -> None:
    config = SessionConfig(
        session_id="s",
        title="Title\n# injected heading",
        groups=(StakeholderGroup("gov", "Governments\n---\n- item"),),
        questions=(PolicyQuestion("Q1", "What?\n## Action points\n> quote\n1. list"),),
        hybrid=False,
        facts={"event": "IGF\n---", "organizers": [{"name": "A\n- b"}]},
    )
    tab = ContributionsTab.parse(
        [
            list(HEADER),
            ["C0001", "Q1", "Governments\n---\n- item", "do\n# x", "", "", "onsite", "in doc"],
        ]
    )
    md = render_markdown(build_report(tab, config))
    allowed = re.compile(r"^(#{1,4} |- |  - |\d+\. |\| |\*\*[A-Z]|[A-Z][a-z]|$)")
    for line in md.splitlines():
        assert allowed.match(line), line
        assert not line.startswith(("# injected", "---", "- item", "## Action", "> quote"))
    assert "injected heading" in md and "## Action points" in md  # kept, inert, on one line


# -- the demo session --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from gdoc_sync.workflows.demo import LATE, ONLINE, ONSITE, REPORT_TAB, run_demo

    directory = tmp_path_factory.mktemp("demo")
    result = run_demo(directory, say=lambda _: None)
    api = GoogleApi(for_emulator(Emulator(directory / "data" / "emulator")))
    env = {"GDOC_SYNC_DATA_DIR": str(directory / "data"), "GDOC_SYNC_BACKEND": "local"}
    outputs = {}
    for fmt in ("md", "html", "json", "csv", "txt"):
        ran = run_cli(["report", result.document_id, "--format", fmt], env)
        assert ran.exit_code == 0, ran.stderr
        outputs[fmt] = ran.stdout
    return {
        "result": result,
        "api": api,
        "outputs": outputs,
        "typed": ONSITE + ONLINE + LATE,
        "report_tab": REPORT_TAB,
        "dir": directory,
    }


def test_demo_curation_rewords_the_contribution_it_means(demo: dict[str, Any]) -> None:
    rows = sheet_rows(demo["api"], demo["result"].spreadsheet_id, CONTRIBUTIONS)
    header = rows[0]
    text, final = header.index("Contribution"), header.index("Final wording")
    reworded = {r[text]: r[final] for r in rows[1:] if len(r) > final and r[final]}
    assert reworded == {
        "Use voting rights and engagement to ask portfolio companies for their human rights "
        "policies": "Use voting rights and engagement to require human rights policies from "
        "portfolio companies",
        "Align ESG disclosure rules with the UNGPs": "Align ESG disclosure rules with the UN "
        "Guiding Principles",
    }
    data = json.loads(demo["outputs"]["json"])
    texts = [p["text"] for q in data["policy_questions"] for p in q["points"]]
    assert "Make mandatory HRDD laws cover investors, not only companies" in texts
    assert texts.count("Align ESG disclosure rules with the UN Guiding Principles") == 1


def test_demo_report_has_every_part_of_the_igf_form(demo: dict[str, Any]) -> None:
    data = json.loads(demo["outputs"]["json"])
    assert check_schema(data, SCHEMA) == []
    tab = demo["report_tab"]
    assert data["missing"] == []
    assert data["short_report"]["key_takeaways"] == [tab["Key takeaway 1"], tab["Key takeaway 2"]]
    assert data["short_report"]["calls_to_action"] == [
        tab["Call to action 1"],
        tab["Call to action 2"],
    ]
    s = data["session"]
    assert (s["start"], s["end"]) == ("11:45", "12:45")  # 60 minutes, from the template
    assert [p["name"] for p in s["rapporteurs"]] == ["Anna Warberg"]
    assert {q["id"]: q["summary"] for q in data["policy_questions"]} == {
        q: tab[f"Summary {q}"] for q in ("Q1", "Q2", "Q3", "Q4", "online")
    }
    g = data["gender_report"]
    onsite, online = int(tab["Participants onsite"]), int(tab["Participants online"])
    women = int(tab["Women and gender-diverse onsite"]) + int(
        tab["Women and gender-diverse online"]
    )
    assert g["share_women_and_gender_diverse_percent"] == round(100 * women / (onsite + online))
    md = demo["outputs"]["md"]
    for heading in (
        "## Short report",
        "### Key takeaways",
        "### Calls to action",
        "## Full report",
        "### Session details",
        "### Policy questions",
        "### Discussion",
        "### Action points per stakeholder group",
        "### Participation",
        "### Gender report card",
    ):
        assert heading in md.splitlines(), heading
    assert "Still missing" not in md and "\\(" not in md
    # No typed prefix or attribution parenthesis is part of a point's text.
    for _, line in demo["typed"]:
        if "(" in line and line.endswith(")"):
            attribution = line[line.rindex("(") :]
            assert not any(
                attribution in p["text"] for q in data["policy_questions"] for p in q["points"]
            )
    for raw in ("Invstors:", "Goverments:", "#companies", "[CSO]", "CSOs / UN:"):
        assert raw not in md
    assert "Investors should read NGO reports more closely" not in md  # withdrawn
    # Boxes are ticked, so an unticked unassigned remark stays out, as finalize reads Include.
    assert data["selection"]["rule"] == "ticked only"
    assert "shared definition of 'salient risks'" not in md


def test_untouched_curation_reports_what_finalize_wrote(backend: Backend, tmp_path: Path) -> None:
    s = Second(backend, tmp_path, curate=False)  # the rapporteur ticks nothing
    finalize_session(s.api, s.doc, state=s.state)
    written = doc_action_list(s.api.get_document(s.doc))
    data = json.loads(cli_report(backend, s.doc, "json"))
    reported = [(g["group"], [a["text"] for a in g["actions"]]) for g in data["action_points"]]

    # The Doc's items end in a trace " [D1, proposed by ..., onsite]": compare what precedes it,
    # bidi controls aside (the report closes the override finalize leaves open in the Doc).
    def plain(text: str) -> str:
        return re.sub("[\u202a-\u202e\u2066-\u2069]", "", " ".join(text.split()))

    assert [(group, [plain(t[: t.rindex(" [")]) for t in items]) for group, items in written] == [
        (group, [plain(t) for t in items]) for group, items in reported
    ]
    assert sum(len(items) for _, items in written) > 5


# -- the Sheet's chart -------------------------------------------------------------------------


def charts_of(api: GoogleApi, spreadsheet_id: str) -> dict[str, list[dict[str, Any]]]:
    meta = api.get_spreadsheet(spreadsheet_id, fields="sheets(properties.title,charts)")
    return {s["properties"]["title"]: s.get("charts", []) for s in meta["sheets"]}


def chart_values(api: GoogleApi, spreadsheet_id: str, chart: dict[str, Any]) -> list[list[str]]:
    """The cells the chart draws, read through the chart's own source ranges."""
    basic = chart["spec"]["basicChart"]
    domain = basic["domains"][0]["domain"]["sourceRange"]["sources"][0]
    series = [x["series"]["sourceRange"]["sources"][0] for x in basic["series"]]
    first, last = domain["startRowIndex"] + 1, domain["endRowIndex"]
    columns = [column_letter(r["startColumnIndex"]) for r in (domain, *series)]
    ranges = [f"'Matrix'!{c}{first}:{c}{last}" for c in columns]
    found = api.get_values(spreadsheet_id, ranges)
    return [
        [str(col[i][0]) if i < len(col) and col[i] else "" for col in found]
        for i in range(last - first + 1)
    ]


def test_sheet_chart_follows_the_doc_without_extra_requests(
    backend: Backend, tmp_path: Path
) -> None:
    s = Second(backend, tmp_path, curate=False)
    charts = charts_of(s.api, s.sheet)
    assert [len(charts[t]) for t in charts] == [0, 1, 0, 0, 0]
    chart = charts["Matrix"][0]
    assert chart["spec"]["basicChart"]["chartType"] == "COLUMN"
    assert chart["spec"]["basicChart"]["stackedType"] == "STACKED"
    values = chart_values(s.api, s.sheet, chart)
    expected: Counter[tuple[str, str]] = Counter(
        (group or "Other or not recorded", channel) for _, _, _, group, channel, _ in in_doc_notes()
    )
    assert values[0] == ["Contributions by the speaker's stakeholder group", "onsite", "online"]
    assert {
        (r[0], ch): int(r[i]) for r in values[1:] for i, ch in ((1, "onsite"), (2, "online"))
    } == {
        (r[0], ch): expected.get((r[0], ch), 0) for r in values[1:] for ch in ("onsite", "online")
    }

    # Nothing new: the sync reads the Doc and the Sheet and writes nothing, chart included.
    before = len(backend.requests())
    assert sync_session(s.api, s.doc, state=s.state, journal=s.journal).unchanged
    assert [r.method for r in backend.requests()[before:]] == ["GET", "GET"]
    # Something new: the chart's data rides in sync's one Sheet write.
    add_note(
        s.api,
        s.doc,
        "D1",  # under D2 it would follow the struck paragraph and come out struck too
        "Regulators: Fund community data stewards (Léa Dupont, regulators, online)",
    )
    before = len(backend.requests())
    sync_session(s.api, s.doc, state=s.state, journal=s.journal)
    sheet_writes = [
        r for r in backend.requests()[before:] if r.api == "sheets" and r.method != "GET"
    ]
    assert len(sheet_writes) == 1, sheet_writes
    values = chart_values(s.api, s.sheet, chart)
    assert [r for r in values if r[0] == "Regulators"] == [
        [
            "Regulators",
            str(expected[("Regulators", "onsite")]),
            str(expected[("Regulators", "online")] + 1),
        ]
    ]


def test_an_older_sheet_gets_the_report_tab_and_chart_on_its_first_sync(
    backend: Backend, tmp_path: Path
) -> None:
    path = tmp_path / "second.toml"
    path.write_text(TEMPLATE, encoding="utf-8")
    api = backend.api()
    created = create_session(api, load_template(path), CreateOptions(notify=False))
    # Make it look like a Sheet from before the Report tab: no tab, no chart, no note of them.
    config_rows = sheet_rows(api, created.spreadsheet_id, "gdoc-sync config")
    facts_row = next(n for n, r in enumerate(config_rows, start=1) if r and r[0] == "facts")
    facts = json.loads(config_rows[facts_row - 1][1])
    facts.pop("report_layout")
    api.update_spreadsheet(
        created.spreadsheet_id,
        [
            {
                "deleteEmbeddedObject": {
                    "objectId": charts_of(api, created.spreadsheet_id)["Matrix"][0]["chartId"]
                }
            },
            {"deleteSheet": {"sheetId": 105}},
        ],
    )
    api.update_values(
        created.spreadsheet_id,
        [{"range": f"'gdoc-sync config'!B{facts_row}", "values": [[json.dumps(facts)]]}],
    )
    assert "Report" not in charts_of(api, created.spreadsheet_id)
    with pytest.raises(MissingTab) as missing:  # which tab, as data: no message parsed
        read_tabs(api, created.spreadsheet_id, ["Contributions", "Report"])
    assert missing.value.tab == "Report"
    report = run_cli(["report", created.document_id, "--format", "md"], backend.env())
    assert report.exit_code == 0, report.stderr
    assert "the Sheet has no Report tab to write these in yet: run gdoc-sync sync once" in (
        report.stdout
    )

    add_note(api, created.document_id, "D1", NOTES[0][1])
    state, journal = LocalState(backend.data_dir / "state"), Journal(backend.data_dir / "journal")
    sync_session(api, created.document_id, state=state, journal=journal)
    charts = charts_of(api, created.spreadsheet_id)
    assert len(charts["Matrix"]) == 1 and "Report" in charts
    labels = [r[0] for r in sheet_rows(api, created.spreadsheet_id, "Report") if r]
    assert labels[:4] == ["Field", "Key takeaway 1", "Key takeaway 2", "Key takeaway 3"]
    assert "End time" in labels and "Summary D2" in labels and "Summary online" not in labels
    assert chart_values(api, created.spreadsheet_id, charts["Matrix"][0])[2] == [
        "Platforms",
        "1",
        "0",
    ]
    # Once only: the next sync adds nothing and makes no batchUpdate.
    add_note(api, created.document_id, "D2", NOTES[1][1])
    before = len(backend.requests())
    sync_session(api, created.document_id, state=state, journal=journal)
    assert not [
        r
        for r in backend.requests()[before:]
        if r.api == "sheets" and r.path.endswith(":batchUpdate") and "/values" not in r.path
    ]
    assert len(charts_of(api, created.spreadsheet_id)["Matrix"]) == 1


# -- the HTML in a real browser ----------------------------------------------------------------


def test_html_report_renders_its_charts_offline(
    browser: Browser, backend: Backend, tmp_path: Path
) -> None:
    if backend.transport != "inprocess":
        pytest.skip("one transport is enough for the page")
    s = Second(backend, tmp_path)
    page_file = tmp_path / "report.html"
    page_file.write_text(cli_report(backend, s.doc, "html"), encoding="utf-8")
    groups = ["Regulators", "Platforms", "Local communities", "Other or not recorded"]
    by_group: Counter[tuple[str, str]] = Counter()
    cells: Counter[tuple[str, str]] = Counter()
    for question, _, _, group, channel, to in in_doc_notes():
        by_group[(group or "Other or not recorded", channel)] += 1
        for name in to or ["Unassigned"]:
            cells[(name, question)] += 1

    page, watch = browser.page()
    page.goto(page_file.as_uri())
    bars = page.locator("svg.by-group rect.bar")
    assert bars.count() == len(groups) * 2
    drawn = {
        (bars.nth(i).get_attribute("data-label"), bars.nth(i).get_attribute("data-series")): int(
            bars.nth(i).get_attribute("data-count") or -1
        )
        for i in range(bars.count())
    }
    assert drawn == {
        (g, ch): by_group.get((g, ch), 0) for g in groups for ch in ("onsite", "online")
    }
    for i in range(bars.count()):
        box = bars.nth(i).bounding_box()
        assert box is not None and (box["width"] > 1) == (
            int(bars.nth(i).get_attribute("data-count")) > 0
        )
    channel_bars = page.locator("svg.by-channel rect.bar")
    assert channel_bars.count() == 2
    assert sorted(int(channel_bars.nth(i).get_attribute("data-count")) for i in range(2)) == sorted(
        [sum(v for (g, ch), v in by_group.items() if ch == c) for c in ("onsite", "online")]
    )
    heat = page.locator("svg.heat-map rect.cell")
    rows = ["Regulators", "Platforms", "Local communities", "Unassigned"]
    assert heat.count() == len(rows) * 2
    empty = [(r, q) for r in rows for q in ("D1", "D2") if not cells[(r, q)]]
    assert page.locator("svg.heat-map rect.cell.empty").count() == len(empty) > 0
    for i in range(heat.count()):
        cell = heat.nth(i)
        key = (cell.get_attribute("data-row"), cell.get_attribute("data-column"))
        assert int(cell.get_attribute("data-count")) == cells[key]
    assert page.locator("script").count() == 0
    assert "Require plain-language summaries" in page.inner_text("body")
    browser.screenshot(page, "report-second-session")
    pdf = page.pdf()  # the printable page: one click to PDF in the browser
    assert pdf.startswith(b"%PDF")
    watch.assert_clean()
    assert watch.requests == [page_file.as_uri()]


def test_demo_html_report_renders_offline(browser: Browser, demo: dict[str, Any]) -> None:
    page_file = demo["dir"] / "report-cli.html"
    page_file.write_text(demo["outputs"]["html"], encoding="utf-8")
    data = json.loads(demo["outputs"]["json"])
    page, watch = browser.page()
    page.goto(page_file.as_uri())
    # 5 groups + "Other or not recorded", onsite and online each; 6 groups x 5 columns of cells.
    rows = sheet_rows(demo["api"], demo["result"].spreadsheet_id, CONTRIBUTIONS)
    header = rows[0]
    status = header.index("Status")
    noted = [r for r in rows[1:] if r[status] in ("in doc", "edited", "unassigned")]
    assert page.locator("svg.by-group rect.bar").count() == 12
    counts = [
        int(page.locator("svg.by-group rect.bar").nth(i).get_attribute("data-count"))
        for i in range(12)
    ]
    assert sum(counts) == len(noted)
    assert page.locator("svg.heat-map rect.cell").count() == 6 * 5
    assert page.locator("svg.heat-map rect.cell.empty").count() == sum(
        1 for row in data["matrix"]["counts"] for c in row if c == 0
    )
    browser.screenshot(page, "report-demo")
    watch.assert_clean()


# -- the emulator's charts ---------------------------------------------------------------------


def test_emulator_adds_updates_and_deletes_charts_like_sheets(backend: Backend) -> None:
    from schema import validate_response

    gc = backend.clients.sheets
    book = gc.create("charts")
    sheet_id = book.sheet1.id
    book.sheet1.update([["group", "n"], ["a", 1], ["b", 2]], "A1")

    def source(column: int, sheet: int = sheet_id) -> dict[str, Any]:
        return {
            "sourceRange": {
                "sources": [
                    {
                        "sheetId": sheet,
                        "startRowIndex": 0,
                        "endRowIndex": 3,
                        "startColumnIndex": column,
                        "endColumnIndex": column + 1,
                    }
                ]
            }
        }

    spec = {
        "title": "n by group",
        "basicChart": {
            "chartType": "COLUMN",
            "headerCount": 1,
            "domains": [{"domain": source(0)}],
            "series": [{"series": source(1)}],
        },
    }
    position = {"overlayPosition": {"anchorCell": {"sheetId": sheet_id, "rowIndex": 4}}}
    reply = book.batch_update(
        {"requests": [{"addChart": {"chart": {"spec": spec, "position": position}}}]}
    )
    assert validate_response("sheets", "spreadsheets.batchUpdate", reply) == []
    chart = reply["replies"][0]["addChart"]["chart"]
    assert isinstance(chart["chartId"], int) and chart["spec"] == spec
    assert chart["position"]["overlayPosition"]["anchorCell"]["rowIndex"] == 4
    got = gc.http_client.fetch_sheet_metadata(book.id, params={"fields": "sheets.charts"})
    assert got["sheets"][0]["charts"] == [chart]
    full = gc.http_client.fetch_sheet_metadata(book.id)
    assert validate_response("sheets", "spreadsheets.get", full) == []

    def fails(request: dict[str, Any]) -> str:
        with pytest.raises(Exception) as caught:
            book.batch_update({"requests": [request]})
        return str(caught.value)

    taken = {"chart": {"chartId": chart["chartId"], "spec": spec, "position": position}}
    assert f"An object with id {chart['chartId']} already exists." in fails({"addChart": taken})
    bad = {**spec, "basicChart": {**spec["basicChart"], "domains": [{"domain": source(0, 999)}]}}
    assert "No grid with id: 999" in fails(
        {"addChart": {"chart": {"spec": bad, "position": position}}}
    )
    assert "No chart with id: 4242" in fails({"deleteEmbeddedObject": {"objectId": 4242}})
    # All or nothing: a failed request in a batch leaves the chart as it was.
    assert "No grid with id: 999" in fails(
        {"updateChartSpec": {"chartId": chart["chartId"], "spec": bad}}
    )
    book.batch_update(
        {
            "requests": [
                {
                    "updateChartSpec": {
                        "chartId": chart["chartId"],
                        "spec": {**spec, "title": "renamed"},
                    }
                }
            ]
        }
    )
    got = gc.http_client.fetch_sheet_metadata(book.id, params={"fields": "sheets.charts"})
    assert got["sheets"][0]["charts"][0]["spec"]["title"] == "renamed"
    book.batch_update({"requests": [{"deleteEmbeddedObject": {"objectId": chart["chartId"]}}]})
    got = gc.http_client.fetch_sheet_metadata(book.id, params={"fields": "sheets.charts"})
    assert "charts" not in got["sheets"][0]


def test_an_upgrade_another_sync_did_first_is_taken_as_done(
    backend: Backend, tmp_path: Path
) -> None:
    """Two syncs upgrade one older Sheet at once: the second's Report tab 'already exists'
    (Sheets' AlreadyExists); it only writes the note of the upgrade, and adds nothing twice."""
    path = tmp_path / "second.toml"
    path.write_text(TEMPLATE, encoding="utf-8")
    api = backend.api()
    created = create_session(api, load_template(path), CreateOptions(notify=False))
    # The other sync added the Report tab and the chart, and has not yet noted it in the facts.
    config_rows = sheet_rows(api, created.spreadsheet_id, "gdoc-sync config")
    facts_row = next(n for n, r in enumerate(config_rows, start=1) if r and r[0] == "facts")
    facts = json.loads(config_rows[facts_row - 1][1])
    facts.pop("report_layout")
    api.update_values(
        created.spreadsheet_id,
        [{"range": f"'gdoc-sync config'!B{facts_row}", "values": [[json.dumps(facts)]]}],
    )
    add_note(api, created.document_id, "D1", NOTES[0][1])
    state, journal = LocalState(backend.data_dir / "state"), Journal(backend.data_dir / "journal")
    sync_session(api, created.document_id, state=state, journal=journal)
    charts = charts_of(api, created.spreadsheet_id)
    assert len(charts["Matrix"]) == 1 and "Report" in charts
    titles = [
        s["properties"]["title"]
        for s in api.get_spreadsheet(created.spreadsheet_id, fields="sheets.properties.title")[
            "sheets"
        ]
    ]
    assert titles.count("Report") == 1
    config_rows = sheet_rows(api, created.spreadsheet_id, "gdoc-sync config")
    noted = json.loads(config_rows[facts_row - 1][1])
    assert "report_layout" in noted
