"""How the real clients reach the emulator: in-process (no socket) or over loopback HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httplib2
import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict

from gdoc_sync.emulator.faults import DroppedConnection
from gdoc_sync.google.inprocess import IN_PROCESS_ROOT

if TYPE_CHECKING:  # over HTTP (`emulator serve`), the client process never loads the emulator
    from gdoc_sync.emulator.app import Emulator

# gspread's URLs are fixed constants; these are the hosts it (and Drive) uses.
GOOGLE_HOSTS = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",
    "https://docs.googleapis.com",
)


class InProcessAdapter(BaseAdapter):
    """A requests transport adapter that hands gspread's requests to the emulator directly."""

    def __init__(self, emulator: Emulator) -> None:
        super().__init__()
        self.emulator = emulator

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        parts = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(body, bytes):  # a file or a generator: gspread sends neither
            raise TypeError(f"an in-process request body must be bytes, not {type(body).__name__}")
        headers = {
            name: value if isinstance(value, str) else value.decode("latin-1")
            for name, value in request.headers.items()
        }
        try:
            answer = self.emulator.dispatch(
                request.method or "GET", parts.path, parts.query, body, headers
            )
        except DroppedConnection as exc:
            raise requests.ConnectionError(
                f"connection dropped by the emulator: {exc}", request=request
            ) from exc
        response = requests.Response()
        response.status_code = answer.status
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.body
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        response.reason = "OK" if answer.status < 400 else "Error"
        return response

    def close(self) -> None:
        """Nothing to close."""


class RedirectingAdapter(HTTPAdapter):
    """Sends requests for Google's hosts to an emulator at http://host:port instead."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        for host in GOOGLE_HOSTS:
            if url.startswith(host):
                request.url = self.base_url + url[len(host) :]
                break
        return super().send(request, stream, timeout, verify, cert, proxies)


def in_process_session(emulator: Emulator) -> requests.Session:
    """A requests.Session for gspread whose Google URLs land in this process's emulator."""
    session = requests.Session()
    session.trust_env = False
    adapter = InProcessAdapter(emulator)
    for host in GOOGLE_HOSTS:
        session.mount(host, adapter)
    session.mount(IN_PROCESS_ROOT, adapter)
    return session


def http_session(base_url: str) -> requests.Session:
    """A requests.Session for gspread whose Google URLs go to an emulator over HTTP."""
    session = requests.Session()
    session.trust_env = False  # a proxy set for the outside world must not see loopback traffic
    adapter = RedirectingAdapter(base_url)
    for host in GOOGLE_HOSTS:
        session.mount(host, adapter)
    return session


class SessionHttp:
    """The httplib2.Http interface google-api-python-client expects, over a requests.Session.

    httplib2 sends a request again, silently, when a connection dies before the answer (its
    "stale connection" rule, whatever its RETRIES says): a write could land twice without anyone
    knowing. requests (urllib3 with no retries) raises instead, and gdoc-sync's one retry policy
    decides, knowing which writes are idempotent. The same session type carries gspread's calls.
    """

    def __init__(
        self, session: requests.Session, timeout: float | tuple[float, float] | None = 60
    ) -> None:
        self.session = session
        self.timeout = timeout

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        redirections: int = 5,
        connection_type: Any = None,
    ) -> tuple[httplib2.Response, bytes]:
        try:
            answer = self.session.request(
                method,
                uri,
                data=body,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=redirections > 0,
            )
        except requests.Timeout as exc:
            raise TimeoutError(f"no answer from {uri} in time: {exc}") from exc
        except requests.ConnectionError as exc:
            # What httplib2 callers expect: the standard library's connection error.
            raise ConnectionResetError(f"connection to {uri} failed: {exc}") from exc
        info = {"status": str(answer.status_code)}
        info.update({k.lower(): v for k, v in answer.headers.items()})
        return httplib2.Response(info), answer.content

    def close(self) -> None:
        self.session.close()
