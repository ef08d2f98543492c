"""The board's local web server: the page and its Server-Sent Events; GET only, loopback only."""

# Werkzeug serves it, as it serves the emulator: already a dependency, a threaded WSGI server
# (each open event stream holds one thread, and a room has a handful of screens) and request
# parsing we do not have to write; the standard library's http.server would need both by hand.

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from gdoc_sync.board.data import Board
from gdoc_sync.board.render import content_security_policy, render_matrix, render_page
from gdoc_sync.errors import UsageError
from gdoc_sync.google.retry import RetryEvent, RetryReason
from gdoc_sync.local.loopback import LocalGuard

KEEP_ALIVE = 15.0  # seconds between comments on an idle stream: proxies and sleeping laptops
RECONNECT_MS = 1000  # EventSource's wait before reconnecting (its default is 3 s)


@dataclass
class FeedState:
    """What every screen shows: the board's HTML and the sync's status, with a change counter."""

    board: Board | None = None
    html: str = ""
    version: str = ""
    status: dict[str, Any] = field(default_factory=lambda: {"state": "starting"})
    last_ok: float | None = None  # time.monotonic() of the last successful refresh
    seq: int = 0


class BoardFeed:
    """The current board and status, shared by the sync loop (writer) and the streams (readers)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._state = FeedState()
        self._cond = threading.Condition()
        self._clock = clock
        self.closed = False

    def publish(self, board: Board | None, as_of: str) -> bool:
        """A refresh succeeded: show `board` (None: the same as before) and say it is current.
        True when the screens' board changed."""
        with self._cond:
            changed = board is not None and board.version != self._state.version
            if board is not None and changed:
                self._state.board = board
                self._state.html = render_matrix(board)
                self._state.version = board.version
            self._state.last_ok = self._clock()
            self._state.status = {"state": "ok", "message": "", "as_of": as_of}
            self._state.seq += 1
            self._cond.notify_all()
            return changed

    @property
    def board(self) -> Board | None:
        with self._cond:
            return self._state.board

    def publish_status(self, state: str, message: str) -> None:
        """Say the board is stale and why (a failing sync, a quota wait); the board stays."""
        with self._cond:
            as_of = self._state.status.get("as_of", "")
            self._state.status = {"state": state, "message": message, "as_of": as_of}
            self._state.seq += 1
            self._cond.notify_all()

    def retrying(self, event: RetryEvent) -> None:
        """RetryPolicy's on_retry hook: the page says the sync is waiting, why, and how long."""
        if event.reason is RetryReason.QUOTA:
            why = "Google's quota: waiting"
        elif event.status is not None:
            why = f"Google answered {event.status}: retrying in"
        else:
            why = "no answer from Google: retrying in"
        self.publish_status("waiting", f"{why} {event.wait:.0f} s")

    def snapshot(self) -> tuple[FeedState, dict[str, Any]]:
        with self._cond:
            state = self._state
            status = dict(state.status)
            status["age"] = None if state.last_ok is None else self._clock() - state.last_ok
            return replace(state, status=dict(state.status)), status

    def wait(self, seen: int, timeout: float) -> int:
        """Block until something newer than `seen` is published (or `timeout`); the counter."""
        with self._cond:
            self._cond.wait_for(lambda: self._state.seq != seen or self.closed, timeout)
            return self._state.seq

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class BoardApp:
    """The WSGI application: `/` (the page, `?q=Q2` for one question), `/events`, `/board.json`."""

    def __init__(self, feed: BoardFeed, *, interval: float) -> None:
        self.feed = feed
        self.interval = interval

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        response = self.respond(request)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        routes = {"/": self.page, "/events": self.events, "/board.json": self.data}
        handler = routes.get(request.path)
        if handler is None:
            return Response("not found\n", status=404, mimetype="text/plain")
        if request.method not in ("GET", "HEAD"):
            # Nothing here changes the session: the board only shows it.
            return Response(
                "the board is read-only: GET only\n",
                status=405,
                mimetype="text/plain",
                headers={"Allow": "GET, HEAD"},
            )
        response = handler(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    def page(self, request: Request) -> Response:
        state, status = self.feed.snapshot()
        focus = request.args.get("q") or None
        text = render_page(
            state.board, live=True, status=status, interval=self.interval, focus=focus
        )
        response = Response(text, mimetype="text/html")
        response.headers["Content-Security-Policy"] = content_security_policy()
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def data(self, request: Request) -> Response:
        state, status = self.feed.snapshot()
        payload = {"status": status, "board": state.board.to_json() if state.board else None}
        return Response(json.dumps(payload, ensure_ascii=False), mimetype="application/json")

    def events(self, request: Request) -> Response:
        return Response(
            self._stream(),
            mimetype="text/event-stream",
            headers={"X-Accel-Buffering": "no"},
        )

    def _stream(self) -> Iterator[bytes]:
        """The board when it changes and the status after every refresh; on (re)connection both
        at once, so a screen that was away catches up without reloading."""
        yield f"retry: {RECONNECT_MS}\n\n".encode()
        sent_version = None
        seen = -1
        while not self.feed.closed:
            seq = self.feed.wait(seen, KEEP_ALIVE)  # at once the first time: seq starts at 0
            if self.feed.closed:
                return
            if seq == seen:
                yield b": keep-alive\n\n"
                continue
            state, status = self.feed.snapshot()
            seen = state.seq
            if state.version and state.version != sent_version:
                yield _event("board", {"version": state.version, "html": state.html})
                sent_version = state.version
            yield _event("status", status)


def _event(name: str, data: dict[str, Any]) -> bytes:
    # json.dumps never writes a raw newline, so the data is one `data:` line.
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class _QuietHandler(WSGIRequestHandler):
    """No request lines on stderr: the terminal shows the sync's status lines."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart takes its port back
        sock.bind((host, port))
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    return sock


class BoardServer:
    """The board served on host:port (port 0: any free one) until stop()."""

    def __init__(
        self, feed: BoardFeed, *, host: str = "127.0.0.1", port: int = 8765, interval: float = 10.0
    ) -> None:
        self.feed = feed
        # Bound here, not by Werkzeug, which would print and exit on a taken port.
        try:
            listening = _listen(host, port)
        except OSError as exc:
            raise UsageError(
                f"cannot serve the board on {host}:{port} ({exc.strerror or exc}); "
                "choose another --port (0: any free one)"
            ) from exc
        with listening:
            self.port: int = listening.getsockname()[1]
            # The emulator server's guard: a foreign Host (DNS rebinding) or another site's
            # Origin is refused before the board sees the request.
            self.app = LocalGuard(BoardApp(feed, interval=interval), host=host)
            self._server: BaseWSGIServer = make_server(
                host,
                port,
                self.app,
                threaded=True,
                request_handler=_QuietHandler,
                fd=listening.fileno(),
            )
        self.host = host
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> BoardServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.feed.close()  # ends the open event streams: their screens start reconnecting
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> BoardServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
