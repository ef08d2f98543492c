"""googleapiclient's transport to the in-process emulator: no socket, and no requests (gspread's
in-process transport, a requests adapter, is in transport.py), so a command that only calls Docs
or Drive on the local backend does not import requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httplib2

from gdoc_sync.emulator.faults import DroppedConnection

if TYPE_CHECKING:
    from gdoc_sync.emulator.app import Emulator

IN_PROCESS_ROOT = "http://emulator.invalid/"


class InProcessHttp:
    """An httplib2.Http look-alike for google-api-python-client that calls the emulator directly."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.timeout: float | None = None
        # googleapiclient checks for these when it refreshes credentials; none are needed here.
        self.credentials = None

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        redirections: int = 5,
        connection_type: Any = None,
    ) -> tuple[httplib2.Response, bytes]:
        parts = urlsplit(uri)
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            response = self.emulator.dispatch(
                method, parts.path, parts.query, body or b"", dict(headers or {})
            )
        except DroppedConnection as exc:
            raise ConnectionResetError(f"connection dropped by the emulator: {exc}") from exc
        info = {"status": str(response.status)}
        info.update({k.lower(): v for k, v in response.headers.items()})
        info["content-length"] = str(len(response.body))
        return httplib2.Response(info), response.body

    def close(self) -> None:
        """Nothing to close; present because httplib2.Http has it."""
