"""Whole events: a CSV of sessions created through the real clients, interrupted and resumed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import Backend

from gdoc_sync.core.links import PROP_ROLE, PROP_SESSION
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import AccessDeniedError, UsageError, describe
from gdoc_sync.google.ratelimit import RateLimiter
from gdoc_sync.workflows.batch import (
    CREATED,
    FAILED,
    PENDING,
    PLANNED,
    RESUMED,
    SKIPPED,
    BatchProgress,
    create_batch,
    read_batch,
    result_rows,
)
from gdoc_sync.workflows.create import CreateOptions

TEMPLATE = "igf-workshop"
HEADER = (
    "title,date,start,timezone,moderator_email,online_moderator_email,rapporteur_email,"
    "questions,topic,moderator"
)
ROWS = [
    "AI and human rights,2025-06-24,09:00,Europe/Oslo,amara@example.org,ben@example.org,"
    'anna@example.org,"Q1: What works? | Q2: What should change?",AI,Amara Okafor',
    "Data flows,2025-06-24,11:00,Europe/Oslo,amara@example.org,,anna@example.org,,data flows,",
    "Meaningful connectivity,2025-06-25,09:00,Europe/Oslo,mei@example.org,,,,connectivity,Mei Lin",
    'Trust online,2025-06-25,11:00,Europe/Oslo,zoe@example.org,ben@example.org,,"Q1: Whom?",trust,',
    "Digital public goods,2025-06-26,14:30,Africa/Nairobi,kwame@example.org,,,,DPGs,",
]
OPTIONS = CreateOptions(notify=False)


def write_csv(tmp_path: Path, lines: list[str], name: str = "event.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def session_files(backend: Backend) -> Counter[tuple[str, str]]:
    """(session id, role) of every session file in Drive, with how many there are of each."""
    api = backend.api()
    found = api.find_files("trashed = false")
    return Counter(
        (f["appProperties"][PROP_SESSION], f["appProperties"][PROP_ROLE])
        for f in found
        if PROP_SESSION in (f.get("appProperties") or {})
    )


def test_five_sessions_with_progress_and_result_csv(backend: Backend, tmp_path: Path) -> None:
    events: list[BatchProgress] = []
    result_csv = tmp_path / "out" / "result.csv"
    result = create_batch(
        backend.api(),
        write_csv(tmp_path, [HEADER, *ROWS]),
        TEMPLATE,
        options=OPTIONS,
        progress=events.append,
        result_csv=result_csv,
    )
    assert [o.status for o in result.outcomes] == [CREATED] * 5
    assert [(e.done, e.total) for e in events] == [(i, 5) for i in range(6)]
    rows = result_rows(result_csv)
    assert [r["status"] for r in rows] == [CREATED] * 5
    assert [r["line"] for r in rows] == ["2", "3", "4", "5", "6"]
    for row in rows:
        assert row["document_url"].startswith("https://docs.google.com/document/d/")
        assert row["spreadsheet_url"].startswith("https://docs.google.com/spreadsheets/d/")
    files = session_files(backend)
    assert len(files) == 10 and set(files.values()) == {1}

    api = backend.api()
    first = result.outcomes[0].created
    assert first is not None
    doc = api.get_document(first.document_id)
    assert doc["title"] == "AI and human rights"
    # The row's questions replace the template's; the row's people get the files.
    assert set(n for n in doc["namedRanges"] if n.startswith("gdoc_sync:question:")) == {
        "gdoc_sync:question:Q1",
        "gdoc_sync:question:Q2",
    }
    shared = {p.get("emailAddress") for p in api.list_permissions(first.spreadsheet_id)}
    assert {"amara@example.org", "ben@example.org", "anna@example.org"} <= shared


def test_interrupted_batch_resumes_without_duplicates(backend: Backend, tmp_path: Path) -> None:
    path = write_csv(tmp_path, [HEADER, *ROWS])
    result_csv = tmp_path / "result.csv"
    # The third session's Sheet cannot be created: its Doc exists, the run stops there.
    backend.emulator.faults.add(
        Fault(
            action="error",
            status=403,
            reason="forbidden",
            message="The user does not have sufficient permissions for this file.",
            method="POST",
            path=r"^/drive/v3/files$",
            skip=5,
        )
    )
    with pytest.raises(AccessDeniedError) as caught:
        create_batch(backend.api(), path, TEMPLATE, options=OPTIONS, result_csv=result_csv)
    message = describe(caught.value)
    assert "line 4 ('Meaningful connectivity')" in message
    assert "2 of 5 sessions done" in message and "Run the same command again" in message
    assert [r["status"] for r in result_rows(result_csv)] == [
        CREATED,
        CREATED,
        FAILED,
        PENDING,
        PENDING,
    ]
    assert "permission denied" in result_rows(result_csv)[2]["error"]

    result = create_batch(backend.api(), path, TEMPLATE, options=OPTIONS, result_csv=result_csv)
    assert [o.status for o in result.outcomes] == [SKIPPED, SKIPPED, RESUMED, CREATED, CREATED]
    rows = result_rows(result_csv)
    assert [r["status"] for r in rows] == [SKIPPED, SKIPPED, RESUMED, CREATED, CREATED]
    assert all(r["document_id"] and r["spreadsheet_id"] for r in rows)
    files = session_files(backend)
    assert len({sid for sid, _ in files}) == 5
    assert len(files) == 10 and set(files.values()) == {1}  # no duplicates

    # A third run finds everything complete.
    again = create_batch(backend.api(), path, TEMPLATE, options=OPTIONS)
    assert [o.status for o in again.outcomes] == [SKIPPED] * 5
    assert [o.created.document_id for o in again.outcomes if o.created] == [
        r["document_id"] for r in rows
    ]


def test_batch_is_paced_by_the_rate_limiter(backend: Backend, tmp_path: Path) -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(
        {("docs", True): 2, ("sheets", True): 2}, clock=lambda: now[0], sleep=sleep, headroom=1.0
    )
    sent: list[float] = []
    acquire = limiter.acquire

    def recording(api: str, write: bool) -> float:
        waited = acquire(api, write)
        if api == "docs" and write:
            sent.append(now[0])
        return waited

    limiter.acquire = recording  # type: ignore[method-assign]
    path = write_csv(tmp_path, [HEADER, *ROWS])
    result = create_batch(backend.api(limiter=limiter), path, TEMPLATE, options=OPTIONS)
    assert result.count(CREATED) == 5
    assert len(sent) == 5 and sum(slept) >= 120  # 5 Doc writes at 2 a minute: two full waits
    assert all(later - earlier >= 60 for earlier, later in zip(sent, sent[2:], strict=False))


def test_dry_run_plans_without_calling(backend: Backend, tmp_path: Path) -> None:
    path = write_csv(tmp_path, [HEADER, *ROWS])
    result = create_batch(
        None, path, TEMPLATE, options=CreateOptions(dry_run=True), result_csv=tmp_path / "r.csv"
    )
    assert [o.status for o in result.outcomes] == [PLANNED] * 5
    assert not (tmp_path / "r.csv").exists()
    assert backend.requests() == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [HEADER.replace("timezone,", ""), ROWS[0]],
            'event.csv:1: missing column "timezone"',
            id="missing-column",
        ),
        pytest.param(
            [HEADER, ROWS[0], ROWS[1].replace("2025-06-24", "24/06/2025")],
            'event.csv:3: column 2 "date": expected a date like "2025-06-25", got "24/06/2025"',
            id="bad-date",
        ),
        pytest.param(
            [HEADER, ROWS[0], ROWS[1].replace("amara@example.org", "amara(at)example.org")],
            "event.csv:3: column 5 \"moderator_email\": 'amara(at)example.org' is not an "
            "e-mail address",
            id="bad-email",
        ),
        pytest.param(
            [HEADER, ROWS[0], ROWS[2].replace("Europe/Oslo", "Europe/Olso")],
            'event.csv:3: column 4 "timezone": unknown time zone "Europe/Olso"',
            id="bad-timezone",
        ),
        pytest.param(
            [HEADER, ROWS[0], ROWS[1].replace("Data flows", "")],
            'event.csv:3: column 1 "title": must not be empty',
            id="empty-title",
        ),
        pytest.param(
            [HEADER.replace("topic", "topik"), ROWS[0], ROWS[1]],
            'event.csv:2: column 9 "topik": not used by this template (did you mean "topic"?) '
            "(also on lines 3)",
            id="unknown-field-once",
        ),
        pytest.param(
            [HEADER, ROWS[0], ROWS[3].replace('"Q1: Whom?"', '"Q1 Whom?"')],
            'event.csv:3: column 8 "questions": \'Q1 Whom?\': expected "ID: question text"',
            id="bad-questions",
        ),
        pytest.param(
            [HEADER, ROWS[0], ROWS[1], ROWS[0]],
            "event.csv:4: the same session as line 2",
            id="duplicate-session",
        ),
        pytest.param(
            [HEADER, ROWS[1] + ",extra"],
            "event.csv:2: 11 cells but the header names 10 columns",
            id="too-many-cells",
        ),
        pytest.param([HEADER], "event.csv: no sessions", id="no-rows"),
    ],
)
def test_bad_csv_names_file_line_and_column_and_creates_nothing(
    backend: Backend, tmp_path: Path, lines: list[str], expected: str
) -> None:
    path = write_csv(tmp_path, lines)
    result_csv = tmp_path / "result.csv"
    with pytest.raises(UsageError) as caught:
        create_batch(backend.api(), path, TEMPLATE, options=OPTIONS, result_csv=result_csv)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)
    assert backend.requests() == []  # validated before anything was created
    assert not result_csv.exists()


def test_every_problem_is_listed_in_line_order(tmp_path: Path) -> None:
    bad = [
        HEADER,
        ROWS[0].replace("09:00", "9h"),
        ROWS[1],
        ROWS[2].replace("mei@example.org", "mei"),
    ]
    with pytest.raises(UsageError) as caught:
        read_batch(write_csv(tmp_path, bad), TEMPLATE)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert ':2: column 3 "start"' in lines[0] and ':4: column 5 "moderator_email"' in lines[1]


def test_unreadable_and_misnamed_inputs(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the CSV"):
        read_batch(tmp_path / "missing.csv", TEMPLATE)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes((HEADER + "\n" + ROWS[1].replace("Data", "Dätä") + "\n").encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8"):
        read_batch(latin1, TEMPLATE)
    with pytest.raises(UsageError, match="the CSV is empty"):
        read_batch(write_csv(tmp_path, [""], "empty.csv"), TEMPLATE)
    with pytest.raises(UsageError, match="--new cannot be used with --batch"):
        create_batch(
            None, write_csv(tmp_path, [HEADER, *ROWS]), TEMPLATE, options=CreateOptions(new=True)
        )


def test_create_batch_from_the_command_line(backend, cli, tmp_path) -> None:
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(
        "title,date,start,timezone,moderator_email\n"
        "Open data and AI,2025-06-24,10:00,Europe/Oslo,mod1@example.org\n"
        "Children online,2025-06-24,12:00,Europe/Oslo,\n",
        encoding="utf-8",
    )
    result_csv = tmp_path / "result.csv"
    first = cli(
        "create",
        "--batch",
        str(sessions),
        "--template",
        "igf-workshop",
        "--result",
        str(result_csv),
        "--no-notify",
    )
    assert first.exit_code == 0, first.stderr
    assert [line.split()[0] for line in first.stdout.splitlines()] == ["created", "created"]
    assert "2 sessions: 2 created; details in" in first.stderr
    rows = result_csv.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and rows[0].startswith("line,title,date")
    again = cli("create", "--batch", str(sessions), "--template", "igf-workshop", "--no-notify")
    assert [line.split()[0] for line in again.stdout.splitlines()] == ["skipped", "skipped"]
    docs = (
        backend.clients.drive.files()
        .list(q="mimeType = 'application/vnd.google-apps.document'")
        .execute()["files"]
    )
    assert len(docs) == 2
    neither = cli("create", "--batch", str(sessions))
    assert neither.exit_code == 2
    assert neither.stderr.strip().endswith(
        "error: which template? give TEMPLATE or --template NAME (see `gdoc-sync template list`)"
    )


def test_a_column_named_with_a_colon_is_named_as_the_column(tmp_path: Path) -> None:
    """A CSV column whose name holds ': ' (an unknown field) is still reported as that column,
    once, with its lines: read from the template's structured problems, not from their text."""
    header = HEADER + ",room: floor"
    path = write_csv(tmp_path, [header, ROWS[0] + ",2nd", ROWS[1] + ",3rd"])
    with pytest.raises(UsageError) as caught:
        read_batch(path, TEMPLATE)
    lines = str(caught.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f'{path}:2: column 11 "room: floor": ')
    assert lines[0].endswith(" (also on lines 3)")
