"""`gdoc-sync emulator serve`: the emulator over loopback HTTP, threaded."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.control import PREFIX
from gdoc_sync.emulator.faults import DroppedConnection
from gdoc_sync.local.loopback import LocalGuard, is_loopback, new_token


class _HangUp:
    """WSGI middleware: a dropped-connection fault closes the socket without an answer."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if not (environ.get("REQUEST_URI") or environ.get("RAW_URI")):
            environ["REQUEST_URI"] = quote(environ.get("PATH_INFO", ""))
        try:
            return self.emulator(environ, start_response)
        except DroppedConnection:
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            raise


class _QuietHandler(WSGIRequestHandler):
    """Request lines go to the emulator's own request log, not to stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


def _listen(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def _json_only(path: str) -> bool:
    """Whether a request to this path must carry a JSON body: all but the Drive v2 media
    upload, whose only route is a PUT (so a "simple" cross-site POST still meets the rule)."""
    return not path.startswith("/upload/drive/v2/")


class EmulatorServer:
    """A running emulator; use as a context manager in tests, or serve_forever() from the CLI.

    Every request passes the LocalGuard (Host, Origin, JSON bodies). Bound to anything but
    loopback, the control endpoints need a bearer token: `token`, or one made up here.
    """

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        emulator: Emulator | None = None,
        token: str | None = None,
        allowed_hosts: tuple[str, ...] = (),
    ) -> None:
        self.emulator = emulator or Emulator(data_dir)
        self.loopback_only = is_loopback(host)
        self.token = token or (None if self.loopback_only else new_token())
        guard = LocalGuard(
            _HangUp(self.emulator),
            host=host,
            token=self.token,
            protected_prefixes=(PREFIX + "/",),
            # Media uploads carry the file's own type (gspread's import_csv sends text/csv with
            # PUT, which no web page can send cross-origin without a preflight this server never
            # grants); every other body must be JSON.
            json_only=_json_only,
            allowed_hosts=allowed_hosts,
        )
        # Bound here, not by Werkzeug: on a port in use it prints and calls sys.exit(1), where a
        # library should raise (OSError) and let the CLI say it in one line.
        listening = _listen(host, port)
        try:
            bound_host, bound_port = listening.getsockname()[:2]
            self._server: BaseWSGIServer = make_server(
                bound_host,  # numeric, so Werkzeug picks the socket's own address family
                bound_port,
                guard,
                threaded=True,
                request_handler=_QuietHandler,
                fd=listening.fileno(),
            )
        finally:
            listening.close()  # Werkzeug works on its own duplicate of the descriptor
        self.host = host
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def start(self) -> EmulatorServer:
        # A short poll interval lets stop() return quickly (tests start and stop many servers).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
