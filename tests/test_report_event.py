"""`report --event`: a whole event's action points from the result file of `create --batch`,
on the emulator through the real clients; and the one CSV writer behind every CSV file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import Backend, run_cli
from test_report import check_schema

from gdoc_sync.core.links import document_url
from gdoc_sync.google.ratelimit import RateLimiter
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.report.event import EventProgress, event_report
from gdoc_sync.report.schema import EVENT_SCHEMA
from gdoc_sync.workflows.batch import create_batch, result_rows
from gdoc_sync.workflows.create import CreateOptions
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import sync_session

SESSIONS = 25
UNREADABLE = 7  # 0-based row of the session whose Contributions tab the test deletes
# (session row, question, line, addressed group's name in the igf-workshop template)
NOTES = [
    (2, "Q1", "Governments: Publish open data on connectivity (Aiko Tanaka)", "Government"),
    (2, "Q2", "Civil society: Train community networks (Oluwaseun Bello)", "Civil society"),
    (11, "Q1", "Private sector: Share outage data (Мария Иванова)", "Private sector"),
    (11, "Q2", "Governments & private sector: Fund local IXPs (李娜)", "Government"),
    (
        19,
        "Q3",
        "Technical community: Document routing security (Sipho Dlamini)",
        "Technical community",
    ),
]


@pytest.fixture
def event(backend: Backend, tmp_path: Path) -> dict:
    lines = ["title,date,start,timezone,topic"]
    for i in range(SESSIONS):
        lines.append(
            f"Session {i + 1:02d} on topic {i},2025-06-{23 + i % 4},"
            f"{9 + i // 4:02d}:00,Europe/Oslo,topic {i}"
        )
    source = tmp_path / "event.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result_file = tmp_path / "created.csv"
    api = backend.api()
    create_batch(
        api, source, "igf-workshop", options=CreateOptions(notify=False), result_csv=result_file
    )
    rows = result_rows(result_file)
    assert len(rows) == SESSIONS
    state, journal = LocalState(backend.data_dir / "state"), Journal(backend.data_dir / "journal")
    for index, question, line, _ in NOTES:
        add_note(api, rows[index]["document_id"], question, line)
    for index in sorted({n[0] for n in NOTES}):
        sync_session(api, rows[index]["document_id"], state=state, journal=journal)
    # One session cannot be read: someone deleted its Contributions tab.
    api.update_spreadsheet(rows[UNREADABLE]["spreadsheet_id"], [{"deleteSheet": {"sheetId": 101}}])
    return {"result": result_file, "rows": rows}


@pytest.mark.slow
def test_event_report_of_a_25_session_batch(backend: Backend, event: dict) -> None:
    rows = event["rows"]
    ran = run_cli(["report", "--event", str(event["result"]), "--format", "json"], backend.env())
    assert ran.exit_code == 0, ran.stderr
    data = json.loads(ran.stdout)
    assert check_schema(data, EVENT_SCHEMA) == []
    assert len(data["sessions"]) == SESSIONS
    bad = rows[UNREADABLE]
    assert [(u["line"], u["title"]) for u in data["unreadable"]] == [(bad["line"], bad["title"])]
    assert "Contributions" in data["unreadable"][0]["error"]
    assert f"could not read line {bad['line']} ({bad['title']})" in ran.stderr

    with_actions = sorted({n[0] for n in NOTES})
    assert data["without_action_points"] == [
        r["title"] for i, r in enumerate(rows) if i not in with_actions and i != UNREADABLE
    ]
    # Every action point under its group, linked to its own session's Doc.
    expected: dict[str, list[tuple[str, str]]] = {}
    for index, _, line, group in NOTES:
        text = line.split(":", 1)[1].split(" (")[0].strip()
        expected.setdefault(group, []).append((text, document_url(rows[index]["document_id"])))
        if "&" in line:  # addressed to two groups
            expected.setdefault("Private sector", []).append(expected[group][-1])
    shown = {
        g["group"]: sorted((a["text"], a["document_url"]) for a in g["actions"])
        for g in data["action_points"]
    }
    assert shown == {g: sorted(v) for g, v in expected.items()}
    # The sessions x groups table.
    table = {s["title"]: s["by_group"] for s in data["sessions"] if s["readable"]}
    assert table[rows[11]["title"]] == {"Private sector": 2, "Government": 1}
    assert sum(s["action_points"] for s in data["sessions"]) == sum(
        len(v) for v in expected.values()
    )

    md = run_cli(["report", "--event", str(event["result"])], backend.env()).stdout
    assert "## Sessions that could not be read" in md and bad["title"] in md
    assert f"(<{document_url(rows[2]['document_id'])}>)" in md
    assert "## Sessions without action points yet" in md
    html = run_cli(
        ["report", "--event", str(event["result"]), "--format", "html"], backend.env()
    ).stdout
    assert f'href="{document_url(rows[19]["document_id"])}"' in html and "<script" not in html
    csv_rows = list(
        csv.reader(
            io.StringIO(
                run_cli(
                    ["report", "--event", str(event["result"]), "--format", "csv"], backend.env()
                ).stdout
            )
        )
    )
    assert csv_rows[0][:3] == ["stakeholder_group", "session", "document_url"]
    assert len(csv_rows) - 1 == sum(len(v) for v in expected.values())


@pytest.mark.slow
def test_event_report_is_paced_and_reports_progress(backend: Backend, event: dict) -> None:
    now = [0.0]
    sent: list[float] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter({("sheets", False): 10}, clock=lambda: now[0], sleep=sleep)
    api = backend.api(limiter=limiter)
    original = limiter.acquire

    def acquire(kind: str, write: bool) -> float:
        waited = original(kind, write)
        if kind == "sheets" and not write:
            sent.append(now[0])
        return waited

    limiter.acquire = acquire  # type: ignore[method-assign]
    seen: list[EventProgress] = []
    data = event_report(api, event["result"], progress=seen.append)
    assert [p.done for p in seen] == list(range(SESSIONS + 1))
    assert [p.readable for p in seen[1:]].count(False) == 1
    # One read per session; the unreadable one costs a second (which tab is gone?).
    assert len(sent) == SESSIONS + 1
    # Never more than the limit (10 a minute, 90 % of it used) in any minute.
    for t in sent:
        assert sum(1 for u in sent if t <= u < t + 60) <= 9
    assert now[0] >= 60 * (len(sent) // 9 - 1)
    assert len(data["sessions"]) == SESSIONS


def test_result_file_that_is_not_one_is_a_clear_error(backend: Backend, tmp_path: Path) -> None:
    bad = tmp_path / "sessions.csv"
    bad.write_text("title,date\nA,2025-06-24\n", encoding="utf-8")
    ran = run_cli(["report", "--event", str(bad)], backend.env())
    assert ran.exit_code != 0
    assert ran.stderr.strip().splitlines()[-1] == (
        f'error: {bad}:1: not a `create --batch --result` file: no column "line", "status", '
        '"document_id", "spreadsheet_id"'
    )
    both = run_cli(["report", "1" * 44, "--event", str(bad)], backend.env())
    assert both.exit_code != 0 and "not both" in both.stderr


def test_batch_result_csv_defuses_formula_like_cells(backend: Backend, tmp_path: Path) -> None:
    source = tmp_path / "event.csv"
    source.write_text(
        "title,date,start,timezone,topic\n"
        '"=HYPERLINK(""http://evil.example"",""x"")",2025-06-24,09:00,Europe/Oslo,AI\n'
        "+1 session,2025-06-24,11:00,Europe/Oslo,AI\n"
        "Plain,2025-06-24,13:00,Europe/Oslo,AI\n",
        encoding="utf-8",
    )
    result_file = tmp_path / "created.csv"
    create_batch(
        backend.api(),
        source,
        "igf-workshop",
        options=CreateOptions(notify=False),
        result_csv=result_file,
    )
    titles = [r["title"] for r in result_rows(result_file)]
    assert titles == ['\'=HYPERLINK("http://evil.example","x")', "'+1 session", "Plain"]
    # The event report reads the titles back as they were typed.
    data = event_report(backend.api(), result_file)
    assert [s["title"] for s in data["sessions"]] == [
        '=HYPERLINK("http://evil.example","x")',
        "+1 session",
        "Plain",
    ]
