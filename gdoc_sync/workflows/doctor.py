"""`gdoc-sync doctor`: credentials, scopes, each API and the local folders, one line per check."""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdoc_sync.errors import ExitCode, GdocSyncError, NotFoundError, describe
from gdoc_sync.google.auth import (
    FULL_DRIVE_WARNING,
    Resolved,
    missing_scopes,
    requested_scopes,
    resolve,
    service_account_email,
    short_scope,
    token_path,
)
from gdoc_sync.local.settings import Settings

if TYPE_CHECKING:
    from gdoc_sync.google.retry import RetryEvent

# An id shaped like Google's that no file has: a 404 for it proves the API answers.
PROBE_ID = "1gdocSyncDoctorProbe0000000000000000000000000"


class ChecksFailed(GdocSyncError):
    """`gdoc-sync doctor` found a problem; its table says which."""

    exit_code = ExitCode.check_failed


@dataclass
class Check:
    """One line of the doctor's report."""

    name: str
    ok: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def doctor_api(settings: Settings, on_retry: Callable[[RetryEvent], None] | None = None) -> Any:
    from gdoc_sync.google.connect import connect
    from gdoc_sync.google.retry import RetryPolicy

    # Two quick tries: the doctor should answer fast, not ride out a long outage.
    retry = RetryPolicy(attempts=2, maximum=2.0, total=5.0)
    return connect(settings, retry=retry, on_retry=on_retry)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _dir_check(name: str, path: Path, *, private: bool = False) -> Check:
    """The directory exists or can be created, and others cannot write to (or read) it."""
    if not path.exists():
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
            return Check(name, True, f"{path} (will be created on first use)")
        return Check(name, False, f"{path} does not exist and cannot be created under {parent}")
    if not path.is_dir():
        return Check(name, False, f"{path} is not a directory")
    if not os.access(path, os.W_OK | os.X_OK):
        return Check(name, False, f"{path} is not writable by you")
    if os.name != "nt":
        mode = _mode(path)
        if mode & 0o002:
            return Check(
                name, False, f"{path} is world-writable (mode {mode:04o}): run `chmod o-w {path}`"
            )
        if private and mode & 0o077:
            return Check(
                name,
                False,
                f"{path} is open to other users (mode {mode:04o}): run `chmod 700 {path}`",
            )
        return Check(name, True, f"{path} (mode {mode:04o})")
    return Check(name, True, str(path))


def _token_check(settings: Settings) -> Check:
    path = token_path(settings)
    if not path.exists():
        return Check("token file", True, f"none at {path} (no saved login)")
    if os.name == "nt":
        return Check("token file", True, str(path))
    mode = _mode(path)
    if mode & 0o077:
        return Check(
            "token file",
            False,
            f"{path} has mode {mode:04o}: other users can read the login; run `chmod 600 {path}`",
        )
    return Check("token file", True, f"{path} (mode {mode:04o})")


def _emulator_check(settings: Settings) -> Check:
    from gdoc_sync.emulator.app import DB_NAME

    db = settings.emulator_dir / DB_NAME
    if settings.emulator_host:
        return Check("emulator data", True, f"kept by the emulator at {settings.emulator_host}")
    if not db.exists():
        return _dir_check("emulator data", settings.emulator_dir, private=True)
    size = db.stat().st_size
    base = _dir_check("emulator data", settings.emulator_dir, private=True)
    if base.ok and os.name != "nt" and _mode(db) & 0o077:
        return Check(
            "emulator data",
            False,
            f"{db} holds every local document and is open to "
            f"other users (mode {_mode(db):04o}): run "
            f"`chmod 600 {db}`",
        )
    return Check("emulator data", base.ok, f"{base.detail}; {db.name} {size // 1024} KiB")


def _credential_checks(settings: Settings) -> tuple[list[Check], Resolved | None]:
    if settings.backend == "local" or settings.emulator_host:
        where = (
            f"emulator at {settings.emulator_host}" if settings.emulator_host else "local emulator"
        )
        return [
            Check("credentials", True, f"{where}, no credentials needed"),
            Check("account", True, "you@localhost (emulator)"),
            Check("scopes", True, "not needed by the emulator"),
        ], None
    try:
        found = resolve(settings)
    except GdocSyncError as exc:
        return [
            Check("credentials", False, describe(exc)),
            Check("account", False, "unknown: no usable credentials"),
            Check("scopes", False, "unknown: no usable credentials"),
        ], None
    where = f" {found.path}" if found.path else ""
    checks = [Check("credentials", True, f"{found.source}{where}")]
    sa = service_account_email(found.credentials)
    if sa:
        checks.append(
            Check(
                "account",
                True,
                f"service account {sa}: it owns no Drive storage, "
                "so create sessions with --parent on a shared drive "
                "and share existing Docs with it",
            )
        )
    elif found.account:
        acting = " (domain-wide delegation)" if settings.impersonate else ""
        checks.append(Check("account", True, f"{found.account}{acting}"))
    else:
        checks.append(Check("account", True, "unknown (the credentials do not say)"))
    granted = list(getattr(found.credentials, "scopes", None) or [])
    wanted = requested_scopes(settings)
    missing = missing_scopes(granted, wanted) if granted else []
    shown = ", ".join(short_scope(s) for s in (granted or wanted))
    if missing:
        checks.append(
            Check("scopes", False, f"missing {', '.join(missing)}: run `gdoc-sync auth login`")
        )
    else:
        extra = f"; {FULL_DRIVE_WARNING}" if settings.full_drive_scope else ""
        checks.append(Check("scopes", True, shown + extra))
    return checks, found


def _answers(name: str, call: Callable[[], Any], *, absent_ok: bool) -> Check:
    try:
        call()
    except NotFoundError as exc:
        if absent_ok:
            return Check(name, True, "answers (404 for a file that does not exist, as expected)")
        return Check(name, False, describe(exc))
    except GdocSyncError as exc:
        return Check(name, False, describe(exc))
    except Exception as exc:  # the doctor reports every failure instead of stopping at one
        return Check(name, False, f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
    return Check(name, True, "answers")


def _api_checks(
    settings: Settings, api_factory: Callable[[Settings], Any], can_try: bool
) -> list[Check]:
    names = ("Docs API", "Sheets API", "Drive API")
    if not can_try:
        return [Check(n, False, "not tried: no usable credentials") for n in names]
    try:
        api = api_factory(settings)
    except GdocSyncError as exc:
        return [Check(n, False, f"not tried: {describe(exc)}") for n in names]
    return [
        _answers("Docs API", lambda: api.get_document(PROBE_ID), absent_ok=True),
        _answers(
            "Sheets API",
            lambda: api.get_spreadsheet(PROBE_ID, fields="spreadsheetId"),
            absent_ok=True,
        ),
        _answers("Drive API", lambda: api.list_some_files(1), absent_ok=False),
    ]


def _backend_check(settings: Settings) -> Check:
    if settings.emulator_host:
        return Check("backend", True, f"emulator over HTTP at {settings.emulator_host}")
    if settings.backend == "local":
        return Check("backend", True, "local emulator, in-process")
    return Check("backend", True, "Google (docs.googleapis.com, sheets.googleapis.com, Drive)")


def run_checks(
    settings: Settings,
    *,
    api_factory: Callable[[Settings], Any] | None = None,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> list[Check]:
    """Every check, in the order they are shown; none of them changes anything at Google.
    `on_retry` is told of each retry of the default API (the CLI prints them)."""
    if api_factory is None:
        api_factory = functools.partial(doctor_api, on_retry=on_retry)
    local = settings.backend == "local" or bool(settings.emulator_host)
    # The directories are looked at before the API calls, which may create the emulator's.
    dirs = [
        _dir_check("config dir", settings.config_dir, private=True),
        _token_check(settings),
        _dir_check("data dir", settings.data_dir, private=True),
    ]
    if local:
        dirs.append(_emulator_check(settings))
    checks = [_backend_check(settings)]
    credential_checks, found = _credential_checks(settings)
    checks += credential_checks
    checks += _api_checks(settings, api_factory, can_try=local or found is not None)
    return checks + dirs


def all_ok(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)


def render_table(checks: list[Check]) -> str:
    width = max((len(c.name) for c in checks), default=0)
    return "\n".join(
        f"{'OK' if c.ok else 'FAIL':<4}  {c.name:<{width}}  {c.detail}" for c in checks
    )


def verdict(checks: list[Check]) -> ChecksFailed | None:
    """The error to exit with, or None when every check passed."""
    failed = [c.name for c in checks if not c.ok]
    if not failed:
        return None
    return ChecksFailed(f"{len(failed)} of {len(checks)} checks failed: {', '.join(failed)}")
