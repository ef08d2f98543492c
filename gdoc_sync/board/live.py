"""Keeping the board current: sync as `watch` does (or only read the Sheet), tell the screens."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from gdoc_sync.board.data import Board, build_board
from gdoc_sync.board.render import render_page
from gdoc_sync.board.server import BoardFeed, BoardServer
from gdoc_sync.core.document import session_document
from gdoc_sync.core.links import companion_sheet, parse_document_ref
from gdoc_sync.core.sheet import SheetTabs
from gdoc_sync.errors import GdocSyncError, UnavailableError, describe
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.retry import RetryEvent
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.sync import SyncOptions, read_sheet, remembered_tabs
from gdoc_sync.workflows.watch import TRANSIENT, Round, watch_session


def read_board(api: GoogleApi, spreadsheet_id: str, tabs: SheetTabs | None = None) -> Board:
    """The board from the companion Sheet: one request (the Contributions and config tabs);
    `tabs`: the titles to try first."""
    snapshot = read_sheet(api, spreadsheet_id, tabs)
    return build_board(snapshot.tab, snapshot.config)


def render_snapshot(board: Board, as_of: str | None = None) -> str:
    """The board as one self-contained HTML file: no server, no stream, nothing fetched."""
    when = as_of or time.strftime("%Y-%m-%d %H:%M")
    return render_page(board, live=False, status={"state": "snapshot", "as_of": when})


def board_snapshot(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    journal: Journal,
    options: SyncOptions | None = None,
    read_only: bool = False,
    status: Callable[[str], None] = print,
    on_round: Callable[[Round], None] | None = None,
) -> str:
    """One refresh (a sync, unless read_only), then the board as a self-contained page."""
    feed = BoardFeed()
    loop = BoardLoop(
        api,
        document_ref,
        feed=feed,
        state=state,
        journal=journal,
        options=options,
        read_only=read_only,
        status=status,
        on_round=on_round,
    )
    loop.refresh()
    if feed.board is None:
        _, now = feed.snapshot()
        raise UnavailableError(f"the board could not be read: {now.get('message', 'sync failed')}")
    return render_snapshot(feed.board)


class BoardLoop:
    """One refresh per round: `watch`'s own round (same sync, warnings and limiter), then one
    read of the Sheet when the Doc changed; with read_only, only that read."""

    def __init__(
        self,
        api: GoogleApi,
        document_ref: str,
        *,
        feed: BoardFeed,
        state: LocalState,
        journal: Journal,
        options: SyncOptions | None = None,
        read_only: bool = False,
        status: Callable[[str], None] = print,
        on_round: Callable[[Round], None] | None = None,
        clock: Callable[[], str] = lambda: time.strftime("%H:%M:%S"),
    ) -> None:
        self.api = api
        self.document_id = parse_document_ref(document_ref)
        self.feed = feed
        self.state = state
        self.journal = journal
        self.options = options or SyncOptions()
        self.read_only = read_only
        self.status = status
        self.on_round = on_round
        self.clock = clock
        self._spreadsheet_id: str | None = None
        self._said: set[str] = set()  # watch's warnings shown already, across rounds

    def refresh(self) -> bool:
        """One round. True when the screens' board changed. A failed sync leaves the board as it
        was and says so on it; errors that are not transient propagate."""
        if self.read_only:
            try:
                return self._read()
            except TRANSIENT as exc:
                self._stale(describe(exc))
                return False
        rounds: list[Round] = []

        def show(event: Round) -> None:
            rounds.append(event)
            self._show(event)

        before = self.state.load(self.document_id).get("last_sync")
        watch_session(
            self.api,
            self.document_id,
            state=self.state,
            journal=self.journal,
            options=self.options,
            interval=0,
            rounds=1,
            status=self.status,
            on_round=show,
            said=self._said,
        )
        if not rounds or rounds[-1].state == "stalled":
            return False  # (stopped during the round)
        if not rounds[-1].synced:
            self.feed.publish_status("error", "sync failed: " + rounds[-1].summary)
            return False
        synced = self.state.load(self.document_id).get("last_sync") != before
        if synced or self.feed.board is None:
            return self._read()
        self.feed.publish(None, self.clock())  # no change in the Doc: the board is current
        return False

    def _read(self) -> bool:
        spreadsheet_id = self._spreadsheet()
        board = read_board(self.api, spreadsheet_id, remembered_tabs(self.state, self.document_id))
        changed = self.feed.publish(board, self.clock())
        if self.read_only:
            self._show(
                Round(
                    "ok",
                    self.clock(),
                    source="board",
                    read=len(board.contributions),
                    changed=changed,
                )
            )
        return changed

    def _show(self, event: Round) -> None:
        # (A stalled round is said on the terminal; the page notices a board not updated itself.)
        if self.on_round is not None:
            self.on_round(event)
        else:
            for line in event.lines():
                self.status(line)

    def _spreadsheet(self) -> str:
        if self._spreadsheet_id is None:
            known = self.state.load(self.document_id).get("spreadsheet_id")
            self._spreadsheet_id = known or companion_sheet(
                session_document(self.api, self.document_id), self.document_id
            )
        return self._spreadsheet_id

    def _stale(self, message: str) -> None:
        self._show(Round("failed", self.clock(), error=message, source="board"))
        self.feed.publish_status("error", message)

    def run(self, interval: float, stop: threading.Event) -> None:
        """Refresh every `interval` seconds until `stop` is set; the board outlives failures."""
        while not stop.wait(interval):
            try:
                self.refresh()
            except GdocSyncError as exc:
                self._stale(describe(exc))


def run_board(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    journal: Journal,
    options: SyncOptions | None = None,
    interval: float = 10.0,
    read_only: bool = False,
    host: str = "127.0.0.1",
    port: int = 8765,
    status: Callable[[str], None] = print,
    on_round: Callable[[Round], None] | None = None,
    on_ready: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve the live board until `stop` is set or Ctrl-C. The first refresh happens before the
    server starts, so a wrong Doc is an error at once rather than a page saying so forever."""
    feed = BoardFeed()
    previous_hook = api.retry.on_retry

    def on_retry(event: RetryEvent) -> None:
        feed.retrying(event)
        if previous_hook is not None:
            previous_hook(event)

    api.retry.on_retry = on_retry
    loop = BoardLoop(
        api,
        document_ref,
        feed=feed,
        state=state,
        journal=journal,
        options=options,
        read_only=read_only,
        status=status,
        on_round=on_round,
    )
    try:
        loop.refresh()
    except TRANSIENT as exc:
        loop._stale(describe(exc))
    stop = stop or threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            loop.run(interval, stop)
        except BaseException as exc:  # a bug must stop the board loudly, not freeze it
            failure.append(exc)

    server = BoardServer(feed, host=host, port=port, interval=interval).start()
    worker = threading.Thread(target=work, name="board-sync", daemon=True)
    worker.start()
    on_ready(server.url)
    try:
        while worker.is_alive():
            worker.join(0.5)
    finally:
        stop.set()
        server.stop()
        worker.join(timeout=30)  # let a sync in progress finish its writes
    if failure:
        raise failure[0]
