"""The room board without a browser: its matrix from the Sheet, read-only refreshes, the server's
guards, the snapshot, and text cut short without splitting what a reader sees as one character."""

from __future__ import annotations

import http.client
import json
import re
import socket
import unicodedata
from pathlib import Path

import pytest
from boardkit import (
    COLUMNS,
    GROUPS,
    Expected,
    demo_contributions,
    new_session,
    type_contribution,
)
from conftest import Backend

from gdoc_sync.board import BoardFeed, BoardLoop, BoardServer, read_board
from gdoc_sync.board.text import shorten
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.sync import sync_session


def _typed_session(backend: Backend, tmp_path: Path, title: str):
    api = backend.api()
    created = new_session(api, title)
    typed = demo_contributions()
    for t in typed:
        type_contribution(backend.clients.docs, created.document_id, t.section, t.line)
    state, journal = LocalState(tmp_path / "state"), Journal(tmp_path / "journal")
    sync_session(api, created.document_id, state=state, journal=journal)
    return api, created, typed


def test_the_board_is_the_matrix_a_person_reads_off_the_doc(backend: Backend, tmp_path) -> None:
    api, created, typed = _typed_session(backend, tmp_path, "Board matrix")
    expected = Expected(typed)
    board = read_board(api, created.spreadsheet_id)
    assert [g.key for g in board.groups] == list(GROUPS)
    assert [c.id for c in board.columns] == list(COLUMNS)
    for g in GROUPS:
        for c in COLUMNS:
            assert len(board.cell(g, c)) == expected.count(g, c), (g, c)
        assert board.group_total(g) == expected.group_total(g)
    for c in COLUMNS:
        assert board.column_total(c) == expected.column_total(c)
        assert len(board.column_unassigned(c)) == expected.unassigned(c)
    assert sorted(board.gaps()) == sorted(expected.gaps())
    assert board.channels() == expected.channels()
    assert len(board.contributions) == len(typed)
    # Every contribution's words are on the board (under its id), none twice in one cell.
    for g in GROUPS:
        for c in COLUMNS:
            ids = [card.id for card in board.cell(g, c)]
            assert len(ids) == len(set(ids))


def test_read_only_makes_one_sheets_request_per_refresh(backend: Backend, tmp_path) -> None:
    api, created, typed = _typed_session(backend, tmp_path, "Board read only")
    # A second screen: another machine, which has never synced this Doc.
    feed = BoardFeed()
    shown: list[str] = []
    loop = BoardLoop(
        api,
        created.document_url,
        feed=feed,
        state=LocalState(tmp_path / "second-screen" / "state"),
        journal=Journal(tmp_path / "second-screen" / "journal"),
        read_only=True,
        status=shown.append,
    )
    log = backend.emulator.log
    log.clear()
    loop.refresh()
    first = [(e.api, e.method) for e in log.entries()]
    # The first refresh learns the Sheet from the Doc; then one Sheets read.
    assert first == [("docs", "GET"), ("sheets", "GET")]
    assert feed.board is not None and len(feed.board.contributions) == len(typed)
    for _ in range(3):
        log.clear()
        loop.refresh()
        assert [(e.api, e.method) for e in log.entries()] == [("sheets", "GET")]

    # Someone else's watch syncs a new contribution: the next read-only refresh shows it.
    type_contribution(
        backend.clients.docs,
        created.document_id,
        "Q3",
        "Governments: Publish the list of spyware export licences (Layla Haddad, civil society)",
    )
    sync_session(
        api,
        created.document_id,
        state=LocalState(tmp_path / "state"),
        journal=Journal(tmp_path / "journal"),
    )
    log.clear()
    assert loop.refresh() is True
    assert [(e.api, e.method) for e in log.entries()] == [("sheets", "GET")]
    before = Expected(typed).count("governments", "Q3")
    assert len(feed.board.cell("governments", "Q3")) == before + 1
    assert len(feed.board.contributions) == len(typed) + 1


@pytest.fixture
def board_server():
    with BoardServer(BoardFeed(), port=0, interval=10) as server:
        yield server


def _get(server: BoardServer, path: str, method: str = "GET", **headers: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True)
        for name, value in headers.items():
            connection.putheader(name.replace("_", "-"), value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, body
    finally:
        connection.close()


def test_foreign_host_and_origin_are_refused(board_server: BoardServer) -> None:
    port = board_server.port
    assert _get(board_server, "/board.json", Host=f"127.0.0.1:{port}")[0] == 200
    assert _get(board_server, "/board.json", Host=f"localhost:{port}")[0] == 200
    # DNS rebinding: a page whose own name now resolves to 127.0.0.1.
    for host in (f"evil.example:{port}", "evil.example", f"10.0.0.8:{port}", ""):
        status, body = _get(board_server, "/", Host=host)
        assert status == 421 and "Host" in body, host
    # Another site's script reading the board or its stream.
    for origin in ("http://evil.example", f"https://127.0.0.1:{port}", "null"):
        for path in ("/", "/events", "/board.json"):
            status, body = _get(board_server, path, Host=f"127.0.0.1:{port}", Origin=origin)
            assert status == 403 and "cross-origin" in body, (origin, path)
    status, _ = _get(
        board_server, "/board.json", Host=f"127.0.0.1:{port}", Origin=f"http://127.0.0.1:{port}"
    )
    assert status == 200


def test_nothing_but_get(board_server: BoardServer) -> None:
    host = f"127.0.0.1:{board_server.port}"
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/", "/events", "/board.json"):
            status, body = _get(board_server, path, method, Host=host, Content_Length="0")
            assert status == 405 and "read-only" in body, (method, path)
    assert _get(board_server, "/nothing", Host=host)[0] == 404


def test_the_page_says_so_before_the_first_sync(board_server: BoardServer) -> None:
    status, body = _get(board_server, "/", Host=f"127.0.0.1:{board_server.port}")
    assert status == 200
    assert "Waiting for the first sync" in body
    status, body = _get(board_server, "/board.json", Host=f"127.0.0.1:{board_server.port}")
    assert json.loads(body)["board"] is None


def test_snapshot_from_the_cli_is_one_file(backend: Backend, tmp_path, cli) -> None:
    api = backend.api()
    created = new_session(api, "Board snapshot")
    line = "Investors: Publish voting records on human rights resolutions (Aroha Ngata, UN)"
    type_contribution(backend.clients.docs, created.document_id, "Q2", line)
    hostile = "UN: <img src=x onerror=alert(1)> & </script><script>alert(2)</script> (Eve, UN)"
    type_contribution(backend.clients.docs, created.document_id, "Q3", hostile)
    target = tmp_path / "board.html"
    result = cli("board", created.document_url, "--snapshot", str(target))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {target}" in result.stderr
    page = target.read_text(encoding="utf-8")
    assert "Publish voting records on human rights resolutions" in page
    assert "Aroha Ngata" in page
    # Self-contained: no stylesheet, script or image from anywhere.
    assert not re.search(r"<(script|img|link|iframe|video|audio|source)\b[^>]*\s(src|href)=", page)
    assert not re.search(r"(href|src)=\"(https?:)?//", page)
    for marker in ("<link", "url(", "@import", 'EventSource("http'):
        assert marker not in page
    assert 'data-live="0"' in page  # a file has no server to listen to
    # Words are words: shown, never run as markup.
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/script&gt;" in page
    assert "<img" not in page and "alert(2)</script>" not in page


def test_a_taken_port_is_a_clear_error(backend: Backend, cli) -> None:
    created = new_session(backend.api(), "Board port taken")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("board", created.document_url, "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot serve the board on 127.0.0.1:{port}" in result.stderr
    assert "choose another --port" in result.stderr


def test_board_refuses_a_doc_that_is_no_session(backend: Backend, cli, tmp_path) -> None:
    document = backend.clients.docs.documents().create(body={"title": "Just a doc"}).execute()
    target = tmp_path / "unused.html"
    result = cli("board", document["documentId"], "--snapshot", str(target))
    assert result.exit_code == 1
    assert "is not a gdoc-sync session Doc" in result.stderr
    assert not target.exists()


# -- text on cards -------------------------------------------------------------------------------

GRAPHEMES = [
    "👩\u200d👩\u200d👧\u200d👦",  # a family: four people joined by ZWJ
    "🇳🇴",  # a flag: two regional indicators
    "e\u0301",  # e + combining acute
    "م",
    "ح",
    "👍🏽",  # with a skin tone modifier
    "क्ष",  # Devanagari conjunct: ka, virama, ssa
    "🏳️\u200d🌈",  # flag, variation selector, ZWJ, rainbow
    "한",
    "ᄒ\u1161\u11ab",  # the same syllable as conjoining jamo
    "1️⃣",  # keycap: digit, VS16, combining enclosing keycap
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland: tag sequence
]


def test_cards_never_cut_a_grapheme() -> None:
    text = "".join(GRAPHEMES * 3)
    prefixes = {"".join((GRAPHEMES * 3)[:k]) for k in range(len(GRAPHEMES) * 3 + 1)}
    for limit in range(1, len(text) + 2):
        short = shorten(text, limit)
        if short == text:
            continue
        assert short.endswith("…")
        assert short[:-1] in prefixes, (limit, short)


def test_cards_cut_arabic_at_a_word() -> None:
    words = "المستثمرون يجب أن ينشروا سياسات العناية الواجبة بحقوق الإنسان".split()
    text = " ".join(words)
    for limit in range(12, len(text)):
        short = shorten(text, limit)
        kept = short.removesuffix("…").split(" ")
        assert kept == words[: len(kept)], (limit, short)
        assert unicodedata.category(short[-2]) != "Mn"


def test_the_demo_writes_the_board(tmp_path) -> None:
    from gdoc_sync.workflows.demo import run_demo

    result = run_demo(tmp_path / "demo", say=lambda _: None)
    page = result.files["the room board (HTML)"].read_text(encoding="utf-8")
    # The demo's late contribution and its Arabic and Cyrillic speakers are on it.
    assert "Train deal teams on the UNGPs 🌍" in page
    assert "محمد الأحمد" in page and "Шевченко Олена" in page
    # The withdrawn remark is not.
    assert "Investors should read NGO reports more closely" not in page


def test_a_crowded_cell_keeps_its_count_and_sends_the_latest_cards() -> None:
    from gdoc_sync.board import Board, Card, Column, render_matrix
    from gdoc_sync.core.model import StakeholderGroup

    cards = [
        Card(f"C{n:04d}", "Q1", f"Point number {n}", "Ana", "onsite", f"2025-06-25T12:{n:02d}:00Z")
        for n in range(70, 0, -1)
    ]
    board = Board(
        "Crowded",
        (StakeholderGroup("investors", "Investors"),),
        [Column("Q1", "Q1", "A question")],
        cells={("investors", "Q1"): cards},
        contributions=cards,
    )
    html = render_matrix(board)
    assert '<span class="count">70</span>' in html
    assert html.count('class="card ') == 60
    assert "Point number 70" in html and "Point number 11<" in html
    assert "Point number 10<" not in html
    assert "+10 older" in html


def test_a_failing_sync_leaves_the_board_and_says_it_is_stale(backend: Backend, tmp_path) -> None:
    api = backend.api(retry=RetryPolicy(attempts=1, sleep=lambda _: None))
    created = new_session(api, "Board stale")
    lines = [
        ("Q1", "Investors: Ask for HRDD policies (Ana, UN)"),
        ("Q2", "UN: Publish guidance on leverage (Ben, UN)"),
        ("Q4", "CSO: Share evidence early (Mei, civil society)"),
    ]
    for section, line in lines:
        type_contribution(backend.clients.docs, created.document_id, section, line)
    feed, shown = BoardFeed(), []
    loop = BoardLoop(
        api,
        created.document_id,
        feed=feed,
        state=LocalState(tmp_path / "state"),
        journal=Journal(tmp_path / "journal"),
        status=shown.append,
    )
    assert loop.refresh() is True
    assert feed.snapshot()[1]["state"] == "ok"
    board = feed.board

    # Google fails every request: the round is retried next time, the board stays, stale.
    backend.emulator.faults.add(Fault(status=503, times=-1))
    assert loop.refresh() is False
    status = feed.snapshot()[1]
    assert status["state"] == "error" and status["message"].startswith("sync failed:")
    assert feed.board is board
    backend.emulator.faults.clear()
    loop.refresh()
    assert feed.snapshot()[1]["state"] == "ok"

    # The Doc lost every contribution (damaged): sync refuses, and the board says so.
    doc = backend.clients.docs.documents().get(documentId=created.document_id).execute()
    spans = []
    for el in doc["body"]["content"]:
        runs = el.get("paragraph", {}).get("elements", [])
        words = "".join(r.get("textRun", {}).get("content", "") for r in runs)
        if any(line in words for _, line in lines):
            spans.append((el["startIndex"], el["endIndex"]))
    assert len(spans) == len(lines)
    requests = [
        {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}}
        for start, end in sorted(spans, reverse=True)
    ]
    backend.clients.docs.documents().batchUpdate(
        documentId=created.document_id, body={"requests": requests}
    ).execute()
    assert loop.refresh() is False
    status = feed.snapshot()[1]
    assert status["state"] == "error" and "NOT SYNCED" in status["message"]
    assert "removed" in status["message"]
    assert len(feed.board.contributions) == len(lines)  # the last good board, not an empty one


def test_the_board_says_why_and_how_long_a_retry_waits() -> None:
    from gdoc_sync.google.retry import RetryEvent, RetryReason

    feed = BoardFeed()
    cases = [
        (RetryEvent("reading document D", 1, 6, 5.0, RetryReason.QUOTA, 429, "HTTP 429"),
         "Google's quota: waiting 5 s"),
        (RetryEvent("reading document D", 2, 6, 2.0, RetryReason.SERVER, 503, "HTTP 503"),
         "Google answered 503: retrying in 2 s"),
        (RetryEvent("reading document D", 3, 6, 1.0, RetryReason.NO_ANSWER, None, "refused"),
         "no answer from Google: retrying in 1 s"),
    ]  # fmt: skip
    for event, shown in cases:
        feed.retrying(event)
        _, status = feed.snapshot()
        assert (status["state"], status["message"]) == ("waiting", shown)
