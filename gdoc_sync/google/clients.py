"""The real client libraries (google-api-python-client for Docs and Drive, gspread for Sheets),
built for one transport: the in-process emulator, an emulator over HTTP, or Google."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc


class _Built:
    """A client built the first time it is read (once, even from several threads): a command
    that never calls an API never builds its client, and `note` never imports gspread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lock = threading.Lock()

    def __get__(self, clients: Clients | None, owner: type) -> Any:
        if clients is None:
            return self
        made = clients.made
        if self.name not in made:
            with self.lock:
                if self.name not in made:
                    made[self.name] = clients.build[self.name]()
        return made[self.name]


@dataclass
class Clients:
    """The three API clients gdoc-sync uses, for one backend, each built on first use.

    `build` holds, per API, the function that makes its client: `docs` and `drive` are
    googleapiclient resources for Docs v1 and Drive v3, `sheets` gspread's client (its
    http_client speaks Sheets v4)."""

    build: dict[str, Callable[[], Any]]
    backend: str  # "local", "emulator" (over HTTP) or "google"
    emulator: Any = None  # the in-process Emulator, when there is one
    account: str | None = None
    # What was tried and what to check, for the one line a command prints when nothing answers.
    endpoint: str = "the server"
    hint: str = ""
    timeout: float = 15.0  # the read timeout of every request, seconds
    made: dict[str, Any] = field(default_factory=dict, repr=False)  # the clients built so far

    # Not dataclass fields: read as attributes, built from `build` on first use.
    docs = _Built("docs")
    drive = _Built("drive")
    sheets = _Built("sheets")


# Every request gets a connect and a read timeout: a captive portal or a dead link that accepts
# the connection and never answers must fail, not hang. The read timeout is the longest silence
# gdoc-sync waits for (Google answers a large batchUpdate in a few seconds).
DEFAULT_TIMEOUT = 15.0


def timeouts(read: float = DEFAULT_TIMEOUT) -> tuple[float, float]:
    """requests' (connect, read) timeouts for one request."""
    return (min(5.0, read), read)


def _reference_prototype(name: str) -> str:
    return f"# a {name} object, as described in the API's reference"


def _plain_schema_docs(schemas: Any) -> None:
    """Stop the discovery client rendering schemas into method docstrings.

    googleapiclient renders, for every method of a collection it builds, the whole request and
    response schema as text for the method's `__doc__` (the Docs `Document` schema alone renders
    as 20,000 lines, 3 MB): most of a command's own time, for help text nobody reads at run
    time. Requests, parameters and responses never use that text, and `get` (which finds paging
    tokens) is untouched. The client's collections hold this very object, so setting the two
    methods on it is enough."""
    schemas.prettyPrintByName = _reference_prototype
    schemas.prettyPrintSchema = lambda schema: _reference_prototype(schema.get("$ref", "JSON"))


@functools.cache
def _discovery_document(name: str, version: str) -> str:
    """The discovery document google-api-python-client ships for the API (read once a process)."""
    document = get_static_doc(name, version)
    if document is None:  # the library always ships docs v1 and drive v3
        raise RuntimeError(f"googleapiclient ships no discovery document for {name} {version}")
    return document


def _build(name: str, version: str, http: Any, root: str | None) -> Any:
    """A discovery client from the bundled document (as `build(static_discovery=True)` makes it)
    whose collections are built without rendering schema docstrings."""
    options = {"api_endpoint": root} if root else None
    service = build_from_document(
        _discovery_document(name, version), http=http, client_options=options
    )
    # The top level of Docs v1 and Drive v3 holds collections only, so no method has been made
    # yet: every method (made when a collection such as `documents()` is built) gets these.
    _plain_schema_docs(service._schema)
    return service


def for_emulator(emulator: Any) -> Clients:
    """Clients wired to an in-process emulator: the real libraries, no socket."""
    from gdoc_sync.google.inprocess import IN_PROCESS_ROOT, InProcessHttp

    http = InProcessHttp(emulator)

    def sheets() -> Any:
        import gspread

        from gdoc_sync.google.transport import in_process_session

        # gspread types auth as Credentials; it reads it only to build a session, and one is given.
        return gspread.Client(auth=None, session=in_process_session(emulator))  # type: ignore[arg-type]

    return Clients(
        {
            "docs": lambda: _build("docs", "v1", http, IN_PROCESS_ROOT),
            "drive": lambda: _build("drive", "v3", http, IN_PROCESS_ROOT + "drive/v3/"),
            "sheets": sheets,
        },
        backend="local",
        emulator=emulator,
        account="you@localhost",
    )


def for_emulator_host(host: str, timeout: float = DEFAULT_TIMEOUT) -> Clients:
    """Clients talking HTTP to a running `gdoc-sync emulator serve` at host:port."""
    import requests

    from gdoc_sync.google.transport import SessionHttp, http_session

    base = host if host.startswith("http") else f"http://{host}"
    base = base.rstrip("/")
    plain = requests.Session()
    plain.trust_env = False  # a proxy set for the outside world must not see loopback traffic
    http = SessionHttp(plain, timeout=timeouts(timeout))

    def sheets() -> Any:
        import gspread

        # gspread types auth as Credentials; it reads it only to build a session, and one is given.
        client = gspread.Client(auth=None, session=http_session(base))  # type: ignore[arg-type]
        client.set_timeout(timeouts(timeout))
        return client

    return Clients(
        {
            "docs": lambda: _build("docs", "v1", http, base + "/"),
            "drive": lambda: _build("drive", "v3", http, base + "/drive/v3/"),
            "sheets": sheets,
        },
        backend="emulator",
        account="you@localhost",
        endpoint=f"the emulator at GDOC_SYNC_EMULATOR_HOST={host}",
        timeout=timeout,
        hint="is `gdoc-sync emulator serve` running there? (unset GDOC_SYNC_EMULATOR_HOST "
        "to use the local backend in-process)",
    )


def for_google(
    credentials: Any, account: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Clients:
    """Clients for the real Google APIs, authorised with google-auth credentials."""
    from google.auth.transport.requests import AuthorizedSession

    from gdoc_sync.google.transport import SessionHttp

    http = SessionHttp(AuthorizedSession(credentials), timeout=timeouts(timeout))

    def sheets() -> Any:
        import gspread

        client = gspread.Client(auth=credentials, session=AuthorizedSession(credentials))
        client.set_timeout(timeouts(timeout))
        return client

    return Clients(
        {
            "docs": lambda: _build("docs", "v1", http, None),
            "drive": lambda: _build("drive", "v3", http, None),
            "sheets": sheets,
        },
        backend="google",
        account=account,
        endpoint="Google (docs, sheets and www.googleapis.com)",
        timeout=timeout,
        hint="check this machine's network (a captive portal or a proxy?); "
        "GDOC_SYNC_TIMEOUT sets how long to wait",
    )
