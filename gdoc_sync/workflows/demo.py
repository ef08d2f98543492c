"""`gdoc-sync demo`: a whole workshop session, run offline on the embedded local backend."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gdoc_sync.board import read_board, render_snapshot
from gdoc_sync.core.sheet import (
    CONTRIBUTIONS,
    FINAL_WORDING,
    ID,
    INCLUDE,
    MATRIX,
    PRIORITY,
    column_letter,
    quote_sheet,
)
from gdoc_sync.core.template import load_template
from gdoc_sync.core.textsafe import csv_text
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator
from gdoc_sync.google.retry import RetryEvent
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.outputs import write_output
from gdoc_sync.local.settings import private_dir
from gdoc_sync.local.state import LocalState
from gdoc_sync.report import read_session, render
from gdoc_sync.report.data import build_report
from gdoc_sync.report.sheet import REPORT
from gdoc_sync.workflows.create import CreatedSession, CreateOptions, create_session
from gdoc_sync.workflows.export import render_document
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.summary import sync_report
from gdoc_sync.workflows.sync import SyncResult, sync_session

TEMPLATE = "igf2025-ws354"

# What two moderators type during the roundtable: (question, line as typed). Some are messy on
# purpose: a misspelt group, an unassigned remark, names from many scripts, an online channel.
ONSITE = [
    (
        "Q1",
        "Investors: Make HRDD part of every investment decision, not a compliance add-on "
        "(Caroline Eriksen, governments)",
    ),
    (
        "Q1",
        "Invstors: Use voting rights and engagement to ask portfolio companies for their "
        "human rights policies (Anna Warberg, investors)",
    ),
    (
        "Q1",
        "Tech companies: Publish how surveillance and AI products are assessed for human "
        "rights risks (Ben Pitler, UN)",
    ),
    ("Q1", "Note: several participants asked for a shared definition of 'salient risks'"),
    (
        "Q1",
        "CSO: Share case evidence of harms with investors before AGM season "
        "(Amara Okafor, civil society)",
    ),
    (
        "Q2",
        "Goverments: Make mandatory HRDD laws cover investors, not only companies "
        "(Zoë Ångström, civil society)",
    ),
    (
        "Q2",
        "Regulators & investors: Align ESG disclosure rules with the UNGPs "
        "(Nguyễn Thị Minh Khai, governments)",
    ),
    (
        "Q2",
        "All: Treat human rights risk as financial risk in long-term return models "
        "(Søren Kierkegaard-Holm, investors)",
    ),
    (
        "Q2",
        "Tech companies: Answer investor questionnaires with evidence, not boilerplate "
        "(Anna Warberg, investors)",
    ),
    ("Q2", "UN: Update B-Tech guidance on investor leverage in the tech sector (Ben Pitler, UN)"),
    (
        "Q3",
        "Investors: Create a standing channel for CSOs to raise risks with analysts "
        "(Amara Okafor, civil society)",
    ),
    (
        "Q3",
        "CSOs / UN: Publish briefings in formats investment teams can use "
        "(José Álvarez, investors)",
    ),
    (
        "Q3",
        "Governments: Fund civil society research on tech-related human rights risks "
        "(Mei Lin, civil society)",
    ),
    ("Q3", "Investors should read NGO reports more closely"),
    (
        "Q4",
        "Investors: Publish engagement outcomes, including failures "
        "(Caroline Eriksen, governments)",
    ),
    (
        "Q4",
        "Investors + UN: Launch a peer-learning network on investor HRDD in tech (Ben Pitler, UN)",
    ),
    (
        "Q4",
        "#companies Report back to investors on remediation, not just policies "
        "(Kwame Mensah, tech companies)",
    ),
    (
        "Q4",
        "[CSO] Recognise investors who lead, name those who do not (Leila Haddad, civil society)",
    ),
]
ONLINE = [
    (
        "online",
        "Investors: Screen venture capital deals for surveillance risks before "
        "term sheets (محمد الأحمد, civil society, online)",
    ),
    (
        "online",
        "Civil society: Build a shared database of tech human rights incidents "
        "(Priya Raman, civil society, zoom)",
    ),
    (
        "online",
        "Governments: Require export-control checks for investors in spyware "
        "(Yael Cohen, governments, online)",
    ),
    (
        "online",
        "Tech companies: Involve affected communities in risk assessments "
        "(Aroha Ngata, civil society, chat)",
    ),
    (
        "Q2",
        "Investors: Ask index providers to include HRDD criteria (Fatima Zahra, investors, online)",
    ),
    (
        "Q3",
        "UN: Host an annual investor–civil society dialogue at the IGF "
        "(Tanvir Ahmed, civil society, online)",
    ),
    (
        "Q4",
        "Investors: Explain divestment decisions publicly when engagement fails "
        "(Ingrid Solberg, investors, remote)",
    ),
    ("online", "Question from the chat: how do small funds without staff do HRDD?"),
]
LATE = [
    ("Q1", "Investors: Train deal teams on the UNGPs 🌍 (Olusegun Adeyemi, investors)"),
    (
        "online",
        "Governments: Give regulators the mandate to supervise investor HRDD "
        "(Шевченко Олена, governments, online)",
    ),
]


@dataclass
class DemoResult:
    """What the demo made, and where to look."""

    directory: Path
    document_id: str
    spreadsheet_id: str
    files: dict[str, Path] = field(default_factory=dict)
    requests: int = 0
    seconds: float = 0.0
    actions: int = 0


@dataclass
class DemoSession:
    """What every step of the demo works with: the local emulator, this machine's records,
    where to write, and what to say."""

    directory: Path
    data: Path
    emulator: Emulator
    api: GoogleApi
    state: LocalState
    journal: Journal
    say: Callable[[str], None]

    @classmethod
    def open(
        cls,
        directory: Path,
        say: Callable[[str], None],
        on_retry: Callable[[RetryEvent], None] | None = None,
    ) -> DemoSession:
        directory.mkdir(parents=True, exist_ok=True)
        data = directory / "data"
        emulator = Emulator(data / "emulator")
        api = GoogleApi(for_emulator(emulator))
        api.retry.on_retry = on_retry
        return cls(
            directory=directory,
            data=data,
            emulator=emulator,
            api=api,
            state=LocalState(private_dir(data / "state")),
            journal=Journal(private_dir(data / "journal")),
            say=say,
        )

    def sync(self, document_id: str) -> SyncResult:
        """A sync, and its report as `sync` prints it."""
        result = sync_session(self.api, document_id, state=self.state, journal=self.journal)
        for line in sync_report(result)[0]:
            self.say("   " + line)
        return result


def run_demo(
    directory: Path,
    *,
    say: Callable[[str], None] = print,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> DemoResult:
    """Create, note, sync, curate, finalize and report a session, all on a local emulator whose
    state lives in `directory`; `on_retry` is told of every retry."""
    started = time.perf_counter()
    demo = DemoSession.open(directory, say, on_retry)
    created = _create(demo)
    doc = created.document_id
    _note(demo, doc)
    _first_sync(demo, doc)
    _keep_going(demo, doc)
    say("5. Rapporteur: curate in the Sheet (tick Include, reword, set priorities)")
    ticked = _curate(demo.api, created.spreadsheet_id)
    say(f"   ticked {ticked} contributions for the action list")
    say("6. Rapporteur: finalize the action list into the Doc")
    final = finalize_session(demo.api, doc, state=demo.state)
    say(
        f"   published {final.actions.count} action points for "
        f"{len(final.actions.by_group)} stakeholder groups"
    )
    say("7. Rapporteur: key takeaways, summaries and counts in the Sheet's Report tab")
    _fill_report_tab(demo.api, created.spreadsheet_id)
    say("8. Report and exports")
    files = _write_outputs(demo, doc, created.spreadsheet_id)
    for label, path in files.items():
        say(f"   {label}: {path}")
    result = DemoResult(
        directory,
        doc,
        created.spreadsheet_id,
        files,
        requests=len(demo.emulator.log),
        seconds=time.perf_counter() - started,
        actions=final.actions.count,
    )
    say(
        f"Done in {result.seconds:.1f} s, {result.requests} API requests to the local emulator "
        f"(state in {demo.data})."
    )
    return result


def _create(demo: DemoSession) -> CreatedSession:
    demo.say(f"1. Organizer: create the session from the {TEMPLATE!r} template")
    template = load_template(
        TEMPLATE,
        {
            "moderator": "Caroline Eriksen",
            "online_moderator": "Ben Pitler",
            "rapporteur": "Anna Warberg",
        },
    )
    created = create_session(demo.api, template, CreateOptions(new=True, notify=False))
    demo.say(f"   Doc   {created.document_url}")
    demo.say(f"   Sheet {created.spreadsheet_url}")
    return created


def _note(demo: DemoSession, doc: str) -> None:
    """Two moderators take turns: one in the room, one online."""
    demo.say(f"2. Moderators: {len(ONSITE)} contributions noted in the room, {len(ONLINE)} online")
    for (q1, line1), (q2, line2) in zip(ONSITE, ONLINE + [("", "")] * len(ONSITE), strict=False):
        add_note(demo.api, doc, q1, line1)
        if q2:
            add_note(demo.api, doc, q2, line2)


def _first_sync(demo: DemoSession, doc: str) -> None:
    demo.say("3. Moderator: sync")
    demo.sync(doc)


def _keep_going(demo: DemoSession, doc: str) -> None:
    """A typo fixed in the Doc, a remark struck through, two late contributions; sync again."""
    demo.say("4. Moderators keep going: fix a typo, withdraw a remark, add two more")
    demo.api.update_document(
        doc,
        [
            {
                "replaceAllText": {
                    "containsText": {
                        "text": "part of every investment decision",
                        "matchCase": True,
                    },
                    "replaceText": "part of every investment and stewardship decision",
                }
            }
        ],
    )
    _strike(demo.api, doc, "Investors should read NGO reports more closely")
    for q, line in LATE:
        add_note(demo.api, doc, q, line)
    demo.sync(doc)


def _write_outputs(demo: DemoSession, doc: str, spreadsheet_id: str) -> dict[str, Path]:
    """The report in every format, the Doc, the Sheet's tabs and the board, as files."""
    api, directory = demo.api, demo.directory
    tab, config, report_tab = read_session(api, spreadsheet_id)
    rdata = build_report(tab, config, report_tab)
    document = api.get_document(doc)
    files = {
        "report (Markdown)": directory / "report.md",
        "report (HTML, with charts)": directory / "report.html",
        "report (JSON)": directory / "report.json",
        "report (text)": directory / "report.txt",
        "action points (CSV)": directory / "action-points.csv",
        "the Doc (HTML)": directory / "session-doc.html",
        "the Doc (Markdown)": directory / "session-doc.md",
        "the Sheet's Contributions tab (CSV)": directory / "sheet-contributions.csv",
        "the Sheet's Matrix tab (CSV)": directory / "sheet-matrix.csv",
        "the room board (HTML)": directory / "board.html",
    }
    board = render_snapshot(read_board(api, spreadsheet_id))
    write_output(files["the room board (HTML)"], board)
    for label, fmt in (
        ("report (Markdown)", "md"),
        ("report (HTML, with charts)", "html"),
        ("report (JSON)", "json"),
        ("report (text)", "txt"),
        ("action points (CSV)", "csv"),
    ):
        write_output(files[label], render(rdata, fmt))
    write_output(files["the Doc (HTML)"], render_document(document, "html"))
    write_output(files["the Doc (Markdown)"], render_document(document, "md"))
    for label, title in (
        ("the Sheet's Contributions tab (CSV)", CONTRIBUTIONS),
        ("the Sheet's Matrix tab (CSV)", MATRIX),
    ):
        rows = api.get_values(spreadsheet_id, [quote_sheet(title)])[0]
        write_output(files[label], csv_text(rows[0], rows[1:]))
    return files


def _strike(api: GoogleApi, document_id: str, text: str) -> None:
    """Strike through the paragraph that holds `text`, as a moderator withdrawing it would."""
    doc = api.get_document(document_id)
    for el in doc["body"]["content"]:
        runs = el.get("paragraph", {}).get("elements", [])
        content = "".join(r.get("textRun", {}).get("content", "") for r in runs)
        if text in content:
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
    raise AssertionError(f"demo text not found in the Doc: {text}")


def _curate(api: GoogleApi, spreadsheet_id: str) -> int:
    """Tick Include on the assigned contributions, reword two, prioritise a few."""
    rows = api.get_values(spreadsheet_id, [quote_sheet(CONTRIBUTIONS)])[0]
    header = rows[0]
    col = {
        name: column_letter(header.index(name)) for name in (ID, INCLUDE, FINAL_WORDING, PRIORITY)
    }
    status_col = header.index("Status")
    text_col = header.index("Contribution")
    # By the words the moderators typed, not by id: ids follow the order of the Doc.
    rewording = {
        "Use voting rights and engagement to ask portfolio companies for their human rights "
        "policies": "Use voting rights and engagement to require human rights policies from "
        "portfolio companies",
        "Align ESG disclosure rules with the UNGPs": "Align ESG disclosure rules with the UN "
        "Guiding Principles",
    }
    priorities = {"C0001": "1", "C0011": "1", "C0006": "1", "C0015": "2"}
    data = []
    ticked = 0
    for number, row in enumerate(rows[1:], start=2):
        cid = row[0] if row else ""
        status = row[status_col] if len(row) > status_col else ""
        typed = row[text_col] if len(row) > text_col else ""
        if status not in ("in doc", "edited"):
            continue
        ticked += 1
        data.append(
            {"range": f"{quote_sheet(CONTRIBUTIONS)}!{col[INCLUDE]}{number}", "values": [[True]]}
        )
        if typed in rewording:
            data.append(
                {
                    "range": f"{quote_sheet(CONTRIBUTIONS)}!{col[FINAL_WORDING]}{number}",
                    "values": [[rewording.pop(typed)]],
                }
            )
        if cid in priorities:
            data.append(
                {
                    "range": f"{quote_sheet(CONTRIBUTIONS)}!{col[PRIORITY]}{number}",
                    "values": [[priorities[cid]]],
                }
            )
    if rewording:
        raise AssertionError(f"demo contributions not found in the Sheet: {list(rewording)}")
    api.update_values(spreadsheet_id, data)
    return ticked


# What the rapporteur writes in the Report tab: only they know it.
REPORT_TAB = {
    "Key takeaway 1": "Investor human rights due diligence in tech is expected, not optional: "
    "participants from every stakeholder group asked investors to use their leverage.",
    "Key takeaway 2": "Experts and affected communities lack a standing channel to the people "
    "who make investment decisions.",
    "Call to action 1": "Investors: publish engagement outcomes on human rights, failures "
    "included, and explain divestments.",
    "Call to action 2": "Governments and regulators: make mandatory HRDD laws cover investors.",
    "Summary Q1": "Speakers agreed that HRDD belongs in every investment decision and that "
    "voting and engagement are the main levers.",
    "Summary Q2": "Regulation (mandatory HRDD, aligned disclosure) and better company answers "
    "were seen as the conditions for investor HRDD.",
    "Summary Q3": "Participants asked for standing channels and usable formats between civil "
    "society, the UN and investment teams.",
    "Summary Q4": "Leading investors can signal by publishing outcomes and building peer networks.",
    "Summary online": "Online participants stressed venture capital, spyware and affected "
    "communities.",
    "Participants onsite": "38",
    "Participants online": "21",
    "Women and gender-diverse onsite": "20",
    "Women and gender-diverse online": "12",
    "Gender issues discussed": "Partly: the gendered impact of surveillance products was raised "
    "under Q1.",
}


def _fill_report_tab(api: GoogleApi, spreadsheet_id: str) -> None:
    rows = api.get_values(spreadsheet_id, [quote_sheet(REPORT)])[0]
    data = [
        {"range": f"{quote_sheet(REPORT)}!B{number}", "values": [[REPORT_TAB[row[0]]]]}
        for number, row in enumerate(rows, start=1)
        if row and row[0] in REPORT_TAB
    ]
    api.update_values(spreadsheet_id, data)
