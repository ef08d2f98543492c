"""From Settings to a GoogleApi: the in-process local emulator, an `emulator serve` host, or Google.

The local backend keeps one in-process emulator per data directory in this process. A program
that holds its own emulator (a test, a benchmark, the demo) registers it for a directory with
`use_emulator`, and every command run in this process with that data directory talks to it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdoc_sync.google.scopes import SCOPE_DRIVE_FULL, SCOPES_DEFAULT
from gdoc_sync.local.settings import Settings

if TYPE_CHECKING:  # the Google stack is imported by connect(), when a command talks to Google
    from gdoc_sync.google.api import GoogleApi
    from gdoc_sync.google.retry import RetryEvent, RetryPolicy


@dataclass
class InProcess:
    """An in-process backend for one data directory: an Emulator, or anything answering its
    `dispatch(method, path, query, body, headers)`; `retry` makes the policy of each connection
    (None: the default one)."""

    target: Any
    retry: Callable[[], RetryPolicy] | None = None


_in_process: dict[Path, InProcess] = {}
_lock = threading.Lock()


def _key(directory: Path | str) -> Path:
    return Path(directory).expanduser().absolute()


def register_emulator(
    directory: Path | str, target: Any, *, retry: Callable[[], RetryPolicy] | None = None
) -> None:
    """Make the local backend of `directory` (a Settings.emulator_dir) this in-process target."""
    with _lock:
        _in_process[_key(directory)] = InProcess(target, retry)


def unregister_emulator(directory: Path | str) -> None:
    with _lock:
        _in_process.pop(_key(directory), None)


@contextlib.contextmanager
def use_emulator(
    directory: Path | str, target: Any, *, retry: Callable[[], RetryPolicy] | None = None
) -> Iterator[Any]:
    """`register_emulator` for the duration of a with block."""
    register_emulator(directory, target, retry=retry)
    try:
        yield target
    finally:
        unregister_emulator(directory)


def local_backend(directory: Path) -> InProcess:
    """The in-process backend of a data directory, made (an Emulator on it) when first asked."""
    with _lock:
        found = _in_process.get(_key(directory))
        if found is None:
            from gdoc_sync.emulator.app import Emulator

            found = _in_process[_key(directory)] = InProcess(Emulator(directory))
        return found


def connect(
    settings: Settings,
    *,
    notice: Callable[[str], None] | None = None,
    scopes: tuple[str, ...] | None = None,
    retry: RetryPolicy | None = None,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> GoogleApi:
    """The GoogleApi for the backend the settings name. Quotas are only enforced against Google;
    `on_retry` is told of every retry (the CLI prints each one)."""
    # Imported here, not at the top: commands that only read local files (history, template,
    # --help) must not pay for the Google client libraries' import.
    from gdoc_sync.google import clients
    from gdoc_sync.google.api import GoogleApi

    limiter = None
    if settings.emulator_host:
        made = clients.for_emulator_host(settings.emulator_host, settings.network_timeout)
    elif settings.backend == "local":
        backend = local_backend(settings.emulator_dir)
        if notice is not None:
            notice(f"local backend: data in {settings.emulator_dir}")
        made = clients.for_emulator(backend.target)
        if retry is None and backend.retry is not None:
            retry = backend.retry()
    else:
        from gdoc_sync.google.auth import load_credentials
        from gdoc_sync.google.ratelimit import SharedRateLimiter

        wanted = scopes or SCOPES_DEFAULT
        if settings.full_drive_scope and SCOPE_DRIVE_FULL not in wanted:
            wanted = (*wanted, SCOPE_DRIVE_FULL)
        credentials, account = load_credentials(settings, wanted)
        made = clients.for_google(credentials, account, settings.network_timeout)
        limiter = SharedRateLimiter.for_account(settings.config_dir, made.account)
    api = GoogleApi(made, retry=retry, limiter=limiter)
    if on_retry is not None:
        api.retry.on_retry = on_retry
    return api


def account_email(credentials: Any) -> str | None:
    """Whom Google credentials act as, asked of Drive through GoogleApi; None if it cannot tell
    (the e-mail is only informative: a failure must not lose a login)."""
    from gdoc_sync.google.api import GoogleApi
    from gdoc_sync.google.clients import for_google
    from gdoc_sync.google.retry import RetryPolicy

    try:
        return GoogleApi(for_google(credentials), retry=RetryPolicy(attempts=2)).user_email()
    except Exception:  # e.g. an expired token: the login itself was saved all the same
        return None
