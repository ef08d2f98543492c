"""The one seam between gdoc-sync and Google: the real client libraries, on any transport."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gspread
import requests
from googleapiclient.discovery import build

from .scopes import SCOPE_DRIVE_FULL, SCOPES_DEFAULT  # noqa: F401  (the seam re-exports them)
from .settings import Settings


@dataclass
class Clients:
    """The three API clients gdoc-sync uses, built for one backend."""

    docs: Any  # googleapiclient Resource for Docs v1
    drive: Any  # googleapiclient Resource for Drive v3
    sheets: gspread.Client  # gspread's client; its http_client speaks Sheets v4
    backend: str  # "local", "emulator" (over HTTP) or "google"
    emulator: Any = None  # the in-process Emulator, when there is one
    account: str | None = None


def _build(name: str, version: str, http: Any, root: str | None) -> Any:
    options = {"api_endpoint": root} if root else None
    return build(
        name,
        version,
        http=http,
        static_discovery=True,
        cache_discovery=False,
        client_options=options,
    )


def for_emulator(emulator: Any) -> Clients:
    """Clients wired to an in-process emulator: the real libraries, no socket."""
    from .emulator.transport import IN_PROCESS_ROOT, InProcessHttp, in_process_session

    http = InProcessHttp(emulator)
    return Clients(
        docs=_build("docs", "v1", http, IN_PROCESS_ROOT),
        drive=_build("drive", "v3", http, IN_PROCESS_ROOT + "drive/v3/"),
        sheets=gspread.Client(auth=None, session=in_process_session(emulator)),  # type: ignore[arg-type]
        backend="local",
        emulator=emulator,
        account="you@localhost",
    )


def for_emulator_host(host: str) -> Clients:
    """Clients talking HTTP to a running `gdoc-sync emulator serve` at host:port."""
    from .emulator.transport import SessionHttp, http_session

    base = host if host.startswith("http") else f"http://{host}"
    base = base.rstrip("/")
    plain = requests.Session()
    plain.trust_env = False  # a proxy set for the outside world must not see loopback traffic
    http = SessionHttp(plain)
    return Clients(
        docs=_build("docs", "v1", http, base + "/"),
        drive=_build("drive", "v3", http, base + "/drive/v3/"),
        sheets=gspread.Client(auth=None, session=http_session(base)),  # type: ignore[arg-type]
        backend="emulator",
        account="you@localhost",
    )


def for_google(credentials: Any, account: str | None = None) -> Clients:
    """Clients for the real Google APIs, authorised with google-auth credentials."""
    from google.auth.transport.requests import AuthorizedSession

    from .emulator.transport import SessionHttp

    http = SessionHttp(AuthorizedSession(credentials))
    return Clients(
        docs=_build("docs", "v1", http, None),
        drive=_build("drive", "v3", http, None),
        sheets=gspread.Client(auth=credentials, session=AuthorizedSession(credentials)),
        backend="google",
        account=account,
    )


_local_emulators: dict[str, Any] = {}


def connect(
    settings: Settings,
    *,
    scopes: tuple[str, ...] = SCOPES_DEFAULT,
    notice: Callable[[str], None] | None = None,
) -> Clients:
    """Clients for the backend the settings name: local (in-process), emulator host, or Google."""
    if settings.emulator_host:
        return for_emulator_host(settings.emulator_host)
    if settings.backend == "local":
        from .emulator.app import Emulator

        key = str(settings.emulator_dir)
        emulator = _local_emulators.get(key)
        if emulator is None:
            emulator = _local_emulators[key] = Emulator(settings.emulator_dir)
        if notice is not None:
            notice(f"local backend: data in {settings.emulator_dir}")
        return for_emulator(emulator)
    from .auth import load_credentials

    credentials, account = load_credentials(settings, scopes)
    return for_google(credentials, account)


def stderr_notice(message: str) -> None:
    print(message, file=sys.stderr)
