"""`gdoc-sync board` in a real headless Chromium, against the emulator served over HTTP: the demo
session's matrix, a contribution typed into the Doc arriving without a reload, the focus view by
keyboard, a restart survived, a stale board said plainly, the snapshot, nothing fetched."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from boardkit import (
    COLUMNS,
    GROUPS,
    BoardProcess,
    Expected,
    Typed,
    demo_contributions,
    new_session,
    type_contribution,
)
from browser import SHOTS, Browser
from conftest import run_cli
from playwright.sync_api import expect

from gdoc_sync.emulator.faults import Fault
from gdoc_sync.emulator.server import EmulatorServer
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.google.retry import RetryPolicy

INTERVAL = 1  # seconds between the board's syncs in these tests
# Generous bound for "appears", so a loaded machine does not fail the test; the time it took is
# measured and written to test-output/ (timing is for benchmarks, not assertions).
PATIENCE_MS = 30_000


@dataclass
class Room:
    """A session Doc with the demo's contributions typed in, on an emulator served over HTTP."""

    server: EmulatorServer
    docs: Any
    document_id: str
    document_url: str
    typed: list[Typed]
    env: dict[str, str]

    def type(self, section: str, line: str, groups: tuple[str, ...], channel: str) -> None:
        type_contribution(self.docs, self.document_id, section, line)
        self.typed.append(Typed(section, line, groups, channel))

    def board(self, *args: str) -> BoardProcess:
        return BoardProcess([self.document_url, "--interval", str(INTERVAL), *args], self.env)


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    with EmulatorServer(tmp_path / "emulator") as server:
        clients = for_emulator_host(server.address)
        api = GoogleApi(clients, retry=RetryPolicy(sleep=lambda _: None))
        created = new_session(api, "Board in the browser")
        typed = demo_contributions()
        for t in typed:
            type_contribution(clients.docs, created.document_id, t.section, t.line)
        env = {
            "GDOC_SYNC_EMULATOR_HOST": server.address,
            "GDOC_SYNC_DATA_DIR": str(tmp_path / "moderator"),
            "GDOC_SYNC_CONFIG_DIR": str(tmp_path / "config"),
        }
        yield Room(server, clients.docs, created.document_id, created.document_url, typed, env)


def cell(page: Any, group: str, column: str) -> Any:
    return page.locator(f'tr[data-group="{group}"] td.cell[data-q="{column}"]')


def assert_matrix(page: Any, expected: Expected) -> None:
    """What the page shows, cell by cell, against what a person expects from what was typed."""
    for g in GROUPS:
        for c in COLUMNS:
            here = cell(page, g, c)
            assert here.locator(".count").inner_text() == str(expected.count(g, c)), (g, c)
            gap = here.get_by_text("gap", exact=True)
            if expected.count(g, c) == 0:
                assert gap.is_visible(), f"{g} x {c} is a gap and should say so"
            else:
                assert gap.count() == 0
        total = page.locator(f'tr[data-group="{g}"] td.total')
        assert total.inner_text() == str(expected.group_total(g))
    for c in COLUMNS:
        foot = page.locator(f'tfoot td[data-q="{c}"] b')
        assert foot.inner_text() == str(expected.column_total(c))
        fix = page.locator(f'tr.unassigned td.cell[data-q="{c}"] .count')
        assert fix.inner_text() == str(expected.unassigned(c))
    channels = expected.channels()
    assert page.locator("#total").inner_text() == str(len(expected.typed))
    assert page.locator("#onsite").inner_text() == str(channels["onsite"])
    assert page.locator("#online").inner_text() == str(channels["online"])
    assert page.locator("#unassigned").inner_text() == str(expected.unassigned())
    assert page.locator("#gaps").inner_text() == str(len(expected.gaps()))


def visible_columns(page: Any) -> list[str]:
    heads = page.locator("thead th.q")
    return [
        heads.nth(i).get_attribute("data-q")
        for i in range(heads.count())
        if heads.nth(i).is_visible()
    ]


# Playwright's expect() polls from outside the page: the page's Content-Security-Policy
# (rightly) forbids the eval that wait_for_function would need.
def wait_live(page: Any) -> None:
    expect(page.locator("#status")).to_have_text(re.compile(r"^Live"), timeout=PATIENCE_MS)


def wait_count(page: Any, group: str, column: str, count: int) -> None:
    expect(cell(page, group, column).locator(".count")).to_have_text(
        str(count), timeout=PATIENCE_MS
    )


@pytest.mark.slow
def test_board_in_the_browser(browser: Browser, room: Room) -> None:
    board = room.board("--port", "0")
    try:
        page, watch = browser.page(1920, 1080)
        loads: list[str] = []
        page.on("load", lambda: loads.append(page.url))
        page.goto(board.url)
        wait_live(page)
        assert_matrix(page, Expected(room.typed))
        # Names in any script: the Arabic speaker is isolated, laid out right to left.
        arabic = page.locator(".speaker", has_text="محمد الأحمد")
        assert arabic.count() == 1
        assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
        browser.screenshot(page, "board-1920x1080")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920

        # A moderator types into a gap; the page shows it without reloading.
        page.evaluate("window.stillTheSamePage = true")
        gap = cell(page, "governments", "Q1")
        assert gap.get_by_text("gap", exact=True).is_visible()
        typed_at = time.monotonic()
        room.type(
            "Q1",
            "Governments: Require investors to report on HRDD in tech holdings 👩🏽‍💻 "
            "(Layla Al-Farsi, civil society, online)",
            ("governments",),
            "online",
        )
        wait_count(page, "governments", "Q1", 1)
        latency = time.monotonic() - typed_at
        assert page.evaluate("window.stillTheSamePage") is True
        assert loads == [board.url]
        card = gap.locator(".card").first
        assert "Require investors to report on HRDD in tech holdings 👩🏽‍💻" in card.inner_text()
        assert "Layla Al-Farsi" in card.inner_text()
        assert "online" in card.inner_text()
        assert "new" in (card.get_attribute("class") or "")  # highlighted for a few seconds
        assert gap.get_by_text("gap", exact=True).count() == 0
        assert_matrix(page, Expected(room.typed))
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "board-latency.txt").write_text(
            f"typed into the Doc -> on the page: {latency:.2f} s (interval {INTERVAL} s)\n"
        )
        browser.screenshot(page, "board-new-card")

        # Reworded in the Doc: the same card, new words, highlighted again.
        page.evaluate("document.querySelectorAll('.new').forEach(e => e.classList.remove('new'))")
        room.docs.documents().batchUpdate(
            documentId=room.document_id,
            body={
                "requests": [
                    {
                        "replaceAllText": {
                            "containsText": {"text": "in tech holdings", "matchCase": True},
                            "replaceText": "in all tech holdings",
                        }
                    }
                ]
            },
        ).execute()
        expect(card).to_contain_text("in all tech holdings", timeout=PATIENCE_MS)
        assert "new" in (card.get_attribute("class") or "")
        assert_matrix(page, Expected(room.typed))  # reworded, not added

        # The focus view, by keyboard: right arrow walks the questions, Escape comes back.
        page.keyboard.press("ArrowRight")
        assert visible_columns(page) == ["Q1"]
        assert page.url.endswith("?q=Q1")
        page.keyboard.press("ArrowRight")
        assert visible_columns(page) == ["Q2"]
        assert page.url.endswith("?q=Q2")
        heading = page.locator('thead th[data-q="Q2"] .qtext')
        assert heading.inner_text().startswith("What can all stakeholders do")
        # Every card of the question is shown in focus, not only the latest.
        investors = cell(page, "investors", "Q2").locator(".card")
        assert investors.count() == Expected(room.typed).count("investors", "Q2")
        assert all(investors.nth(i).is_visible() for i in range(investors.count()))
        browser.screenshot(page, "board-focus-Q2")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert visible_columns(page) == list(COLUMNS)
        page.keyboard.press("ArrowLeft")
        assert visible_columns(page) == ["online"]
        page.keyboard.press("Escape")
        assert visible_columns(page) == list(COLUMNS)
        assert "?q=" not in page.url
        page.keyboard.press("3")
        assert visible_columns(page) == ["Q3"]
        page.keyboard.press("Escape")
        assert loads == [board.url]  # all of it without a reload
        watch.assert_clean()

        # ?q=Q3 opens on one question.
        page, watch = browser.page(1920, 1080, color_scheme="dark")
        page.goto(board.url + "?q=Q3")
        wait_live(page)
        assert visible_columns(page) == ["Q3"]
        browser.screenshot(page, "board-focus-Q3-dark")
        watch.assert_clean()

        # A phone: everything readable without scrolling sideways.
        page, watch = browser.page(390, 844, is_mobile=True, has_touch=True)
        page.goto(board.url)
        wait_live(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert cell(page, "investors", "Q1").locator(".count").is_visible()
        browser.screenshot(page, "board-phone")
        watch.assert_clean()
    finally:
        code = board.stop()
    assert code == 0, board.output
    # On its terminal, the board says what `watch` says: the round, and what to fix.
    demo = demo_contributions()
    first = (
        f"] {len(demo)} contributions (+{len(demo)} ~0 -0, 0 withdrawn, "
        f"{Expected(demo).unassigned()} unassigned)"
    )
    assert any(first in line for line in board.output), board.output
    unassigned = [line for line in board.output if line.strip().startswith("unassigned (")]
    assert len(unassigned) == Expected(demo).unassigned()
    assert any("Note: several participants asked" in line for line in unassigned)


@pytest.mark.slow
def test_board_survives_a_restart_and_says_when_it_is_stale(browser: Browser, room: Room) -> None:
    board = room.board("--port", "0")
    port = board.port
    page, watch = browser.page(1280, 800)
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    try:
        page.goto(board.url)
        wait_live(page)
        page.evaluate("window.stillTheSamePage = true")
    finally:
        board.stop()
    status = page.locator("#status")
    expect(status).to_contain_text("lost the connection", timeout=PATIENCE_MS)
    assert status.inner_text().startswith("STALE")

    # Typed while the board was down; the board comes back on the same port.
    room.type(
        "Q3",
        "Tech companies: Open a human rights desk for investor questions (Dana Levi, investors)",
        ("tech_companies",),
        "onsite",
    )
    board = room.board("--port", str(port))
    try:
        wait_count(page, "tech_companies", "Q3", 1)
        wait_live(page)
        assert page.evaluate("window.stillTheSamePage") is True
        assert loads == [board.url]
        assert_matrix(page, Expected(room.typed))

        # Google says "too many requests": the page says the board is stale, and why.
        room.server.emulator.faults.add(Fault(status=429, retry_after=5, times=-1))
        expect(status).to_contain_text("Google's quota: waiting", timeout=PATIENCE_MS)
        assert status.inner_text().startswith("STALE")
        browser.screenshot(page, "board-stale")
        room.server.emulator.faults.clear()
        wait_live(page)

        # A sync that fails outright (no retry helps): said, with the reason.
        room.server.emulator.faults.add(Fault(status=403, reason="forbidden", times=-1))
        expect(status).to_contain_text("permission denied", timeout=PATIENCE_MS)
        assert status.inner_text().startswith("STALE")
        room.server.emulator.faults.clear()
        wait_live(page)

        # A sync that hangs (a slow network, a long quota wait): the page notices by itself.
        room.server.emulator.faults.add(Fault(action="latency", latency_ms=15_000, times=1))
        expect(status).to_contain_text("not updated for", timeout=PATIENCE_MS)
        assert status.inner_text().startswith("STALE")
        wait_live(page)
    finally:
        code = board.stop()
    assert code == 0, board.output
    # Even while the board was down and the stream's reconnections were refused, the console
    # stayed clean.
    watch.assert_clean()


def test_snapshot_opens_offline_and_focuses_by_keyboard(
    browser: Browser, room: Room, tmp_path: Path
) -> None:
    target = tmp_path / "board.html"
    # A second screen's snapshot: read the Sheet only, after someone synced.
    synced = run_cli(["sync", room.document_url], room.env)
    assert synced.exit_code == 0, synced.stderr
    args = ["board", room.document_url, "--read-only", "--snapshot", str(target)]
    result = run_cli(args, room.env)
    assert result.exit_code == 0, result.stderr
    page, watch = browser.page(1920, 1080)
    page.goto(target.as_uri())
    assert_matrix(page, Expected(room.typed))
    assert page.locator("#status").inner_text().startswith("Snapshot taken")
    page.keyboard.press("ArrowRight")
    assert visible_columns(page) == ["Q1"]
    page.keyboard.press("Escape")
    assert visible_columns(page) == list(COLUMNS)
    watch.assert_clean()
    assert watch.requests == [target.as_uri()]


def test_the_demo_board_opens_offline(browser: Browser, tmp_path: Path) -> None:
    from gdoc_sync.workflows.demo import run_demo

    result = run_demo(tmp_path / "demo", say=lambda _: None)
    snapshot = result.files["the room board (HTML)"]
    page, watch = browser.page(1920, 1080)
    page.goto(snapshot.as_uri())
    # The whole matrix fits a 1920x1080 projector: no scrolling in either direction.
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert page.get_by_text("Train deal teams on the UNGPs 🌍").is_visible()
    # The README's screenshot (docs/board.png) is this one.
    browser.screenshot(page, "board-demo")
    watch.assert_clean()
    assert watch.requests == [snapshot.as_uri()]
