"""Google credentials, and only them: find them, cache a user login safely, refresh, revoke.

A failed call is explained by google/errors.py; whom a login acts as is asked of Drive through
GoogleApi (google/connect.py)."""

from __future__ import annotations

import contextlib
import enum
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth
import google.auth.exceptions
from google.auth.credentials import Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from gdoc_sync.errors import AuthError, GdocSyncError, UnavailableError, UsageError
from gdoc_sync.google.scopes import SCOPE_DRIVE_FULL, SCOPES_DEFAULT
from gdoc_sync.local.settings import Settings
from gdoc_sync.local.state import PRIVATE, write_atomic

TOKEN_FILE = "token.json"
REVOKE_URL = "https://oauth2.googleapis.com/revoke"
_AUTH = "https://www.googleapis.com/auth/"
# A scope is also granted by any broader one that contains it.
SCOPE_IMPLIED_BY: dict[str, tuple[str, ...]] = {
    _AUTH + "drive.file": (SCOPE_DRIVE_FULL,),
    _AUTH + "documents.readonly": (_AUTH + "documents", SCOPE_DRIVE_FULL),
    _AUTH + "spreadsheets.readonly": (_AUTH + "spreadsheets", SCOPE_DRIVE_FULL),
}
FULL_DRIVE_WARNING = (
    "--full-drive-scope: gdoc-sync may see, change and delete ALL files in your Google Drive, "
    "not only the ones it created or you opened with it"
)
THREE_WAYS = (
    "no Google credentials found: run `gdoc-sync auth login --client-secret CLIENT.json` "
    "(OAuth desktop client), pass `--credentials KEY.json` (service-account key), or set up "
    "Application Default Credentials (`gcloud auth application-default login`); "
    "see docs/google-setup.md"
)

Post = Callable[[str, dict[str, str]], int]


class Source(enum.Enum):
    """Where credentials came from (the value is how `auth status` and `doctor` say it)."""

    SERVICE_ACCOUNT_KEY = "service-account key"
    SAVED_LOGIN = "saved login"
    USER_FILE = "user credentials file"
    APPLICATION_DEFAULT = "application default"

    def __str__(self) -> str:
        return self.value


@dataclass
class Resolved:
    """Credentials and where they came from; never printed as a whole (they hold secrets)."""

    credentials: Credentials
    account: str | None
    source: Source
    path: Path | None = None


# -- scopes and paths -----------------------------------------------------------------------------


def token_path(settings: Settings) -> Path:
    return settings.config_dir / TOKEN_FILE


def requested_scopes(settings: Settings, scopes: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The default (least-privilege) scopes, plus full Drive only when asked for."""
    wanted = tuple(scopes or SCOPES_DEFAULT)
    if settings.full_drive_scope and SCOPE_DRIVE_FULL not in wanted:
        wanted = (*wanted, SCOPE_DRIVE_FULL)
    return wanted


def short_scope(scope: str) -> str:
    return scope.removeprefix("https://www.googleapis.com/auth/")


def missing_scopes(
    granted: list[str] | tuple[str, ...] | None, wanted: tuple[str, ...]
) -> list[str]:
    have = set(granted or ())
    return [s for s in wanted if s not in have and not have & set(SCOPE_IMPLIED_BY.get(s, ()))]


def is_service_account_email(account: str | None) -> bool:
    return bool(account) and str(account).endswith(".gserviceaccount.com")


def service_account_email(credentials: Any) -> str | None:
    """The e-mail of a service account acting as itself, or None (user, or impersonating)."""
    email = getattr(credentials, "service_account_email", None)
    if not isinstance(email, str) or "@" not in email:
        return None  # users have none; Compute Engine says "default" until refreshed
    if getattr(credentials, "_subject", None):
        return None  # acting as a Workspace user: files are that user's
    return email


# -- the token file -------------------------------------------------------------------------------


def _unsafe_mode(path: Path) -> int | None:
    """The file's mode when group or others may access it (POSIX only), else None."""
    if os.name == "nt":
        return None  # NTFS ACLs, not mode bits, guard the user profile there
    mode = stat.S_IMODE(path.stat().st_mode)
    return mode if mode & 0o077 else None


def _read_user_info(path: Path, *, check_mode: bool = True) -> dict[str, Any]:
    try:
        if check_mode:
            mode = _unsafe_mode(path)
            if mode is not None:
                raise AuthError(
                    f"refusing to read {path}: its mode {mode:04o} lets other users read the "
                    f"login; run `chmod 600 {path}` (or `gdoc-sync auth login` again)"
                )
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise AuthError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise AuthError(f"{path} is not valid JSON; run `gdoc-sync auth login` again") from exc
    if not isinstance(data, dict):
        raise AuthError(f"{path} is not a saved login; run `gdoc-sync auth login` again")
    return data


def save_token(settings: Settings, info: dict[str, Any]) -> Path:
    """Write the authorized-user JSON readable by the owner only (0600), atomically."""
    directory = settings.config_dir
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = token_path(settings)
    write_atomic(path, json.dumps(info), mode=PRIVATE)
    return path


def _token_info(credentials: user_credentials.Credentials, account: str | None) -> dict[str, Any]:
    info = json.loads(credentials.to_json())
    if account:
        info["account"] = account
    return info


def _refresh_failure(exc: google.auth.exceptions.GoogleAuthError, where: str) -> GdocSyncError:
    if isinstance(exc, google.auth.exceptions.TransportError):
        return UnavailableError(
            f"could not reach Google's token endpoint to renew {where} ({_first_line(exc)})"
        )
    return AuthError(
        f"{where} no longer works ({_first_line(exc)}): run `gdoc-sync auth login` "
        "(logins of an app still in 'Testing' expire after 7 days)"
    )


def _first_line(exc: BaseException) -> str:
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return " ".join(text.split())[:300]


def _user_from_info(
    info: dict[str, Any],
    path: Path,
    wanted: tuple[str, ...],
    *,
    save: Callable[[dict[str, Any]], Any] | None,
    refresh: bool,
) -> tuple[user_credentials.Credentials, str | None]:
    try:
        creds = user_credentials.Credentials.from_authorized_user_info(info)
    except ValueError as exc:
        raise AuthError(
            f"{path} is not a usable saved login ({exc}); run `gdoc-sync auth login` again"
        ) from exc
    missing = missing_scopes(creds.scopes, wanted)
    if missing:
        again = "gdoc-sync auth login" + (
            " --full-drive-scope" if SCOPE_DRIVE_FULL in missing else ""
        )
        raise AuthError(f"the login in {path} does not allow {', '.join(missing)}: run `{again}`")
    account = info.get("account") or None
    if refresh and not creds.valid:
        if not creds.refresh_token:
            raise AuthError(
                f"the login in {path} has expired and cannot be renewed: run `gdoc-sync auth login`"
            )
        from google.auth.transport.requests import Request

        try:
            creds.refresh(Request())
        except google.auth.exceptions.GoogleAuthError as exc:
            raise _refresh_failure(exc, f"the login in {path}") from exc
        if save is not None:
            save(_token_info(creds, account))
    return creds, account


def _cached_login(settings: Settings, wanted: tuple[str, ...], *, refresh: bool) -> Resolved | None:
    path = token_path(settings)
    if not path.exists():
        return None
    info = _read_user_info(path)
    creds, account = _user_from_info(
        info, path, wanted, refresh=refresh, save=lambda data: save_token(settings, data)
    )
    return Resolved(creds, account, Source.SAVED_LOGIN, path)


# -- finding credentials ------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise AuthError(f"credentials file {path} does not exist") from exc
    except OSError as exc:
        raise AuthError(f"cannot read credentials file {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise AuthError(f"credentials file {path} is not JSON") from exc
    if not isinstance(data, dict):
        raise AuthError(f"credentials file {path} is not a Google credentials file")
    return data


def client_id_of(client_config: dict[str, Any]) -> str | None:
    section = client_config.get("installed") or client_config.get("web")
    return section.get("client_id") if isinstance(section, dict) else None


def _impersonating(creds: Any, settings: Settings, source: str) -> Any:
    if not settings.impersonate:
        return creds
    if not hasattr(creds, "with_subject"):
        raise AuthError(
            f"--impersonate needs a service-account key with domain-wide delegation; "
            f"the {source} credentials cannot act as another user"
        )
    return creds.with_subject(settings.impersonate)


def resolve(
    settings: Settings, scopes: tuple[str, ...] | None = None, *, refresh: bool = True
) -> Resolved:
    """The credentials load_credentials would use, and where they came from."""
    wanted = requested_scopes(settings, scopes)
    if settings.credentials_file:
        path = settings.credentials_file
        info = _read_json(path)
        kind = info.get("type")
        if kind == "service_account":
            try:
                sa = service_account.Credentials.from_service_account_file(
                    str(path), scopes=list(wanted)
                )
            except (ValueError, KeyError) as exc:
                raise AuthError(f"service-account key {path} is not usable ({exc})") from exc
            creds = _impersonating(sa, settings, "service-account")
            return Resolved(
                creds,
                settings.impersonate or sa.service_account_email,
                Source.SERVICE_ACCOUNT_KEY,
                path,
            )
        if "installed" in info or "web" in info:
            # Match the client before renewing: a login made with another client stays unused.
            cached = _cached_login(settings, wanted, refresh=False)
            if (
                cached is not None
                and isinstance(cached.credentials, user_credentials.Credentials)
                and cached.credentials.client_id == client_id_of(info)
            ):
                _impersonating(cached.credentials, settings, "user login")
                if refresh:
                    cached = _cached_login(settings, wanted, refresh=True) or cached
                return cached
            raise AuthError(
                f"{path} is an OAuth client, and there is no saved login made with "
                f"it: run `gdoc-sync auth login --client-secret {path}`"
            )
        if kind == "authorized_user":
            # A user's own credentials file (e.g. gcloud's): renewed in memory, never rewritten.
            creds, account = _user_from_info(
                _read_user_info(path), path, wanted, save=None, refresh=refresh
            )
            _impersonating(creds, settings, "user")
            return Resolved(creds, account, Source.USER_FILE, path)
        raise AuthError(
            f"{path} is neither a service-account key nor an OAuth client file "
            "(see credentials.example.json)"
        )
    cached = _cached_login(settings, wanted, refresh=refresh)
    if cached is not None:
        _impersonating(cached.credentials, settings, "user login")
        return cached
    try:
        creds, _project = google.auth.default(scopes=list(wanted))
    except google.auth.exceptions.DefaultCredentialsError as exc:
        raise AuthError(THREE_WAYS) from exc
    creds = _impersonating(creds, settings, "application default")
    account = (
        settings.impersonate
        or service_account_email(creds)
        or (getattr(creds, "account", None) or None)
    )
    return Resolved(creds, account, Source.APPLICATION_DEFAULT)


def load_credentials(
    settings: Settings,
    scopes: tuple[str, ...] | None = None,
) -> tuple[Credentials, str | None]:
    """Credentials for the Google backend: --credentials file, then the saved login, then ADC."""
    found = resolve(settings, scopes)
    return found.credentials, found.account


# -- login, status, logout ------------------------------------------------------------------------


@contextlib.contextmanager
def _relaxed_scope_check() -> Iterator[None]:
    # oauthlib raises a bare Warning when Google grants other scopes than asked (granular
    # consent, or scopes granted earlier); we compare the granted scopes ourselves instead.
    old = os.environ.get("OAUTHLIB_RELAX_TOKEN_SCOPE")
    os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OAUTHLIB_RELAX_TOKEN_SCOPE", None)
        else:
            os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = old


def _default_flow(client_secret_file: Path, scopes: tuple[str, ...]) -> Any:
    from google_auth_oauthlib.flow import InstalledAppFlow

    return InstalledAppFlow.from_client_secrets_file(str(client_secret_file), scopes=list(scopes))


def _whoami(credentials: Credentials) -> str | None:
    from gdoc_sync.google.connect import account_email

    return account_email(credentials)


def _client_secret_for_login(settings: Settings, given: Path | None) -> Path:
    candidates = [given, settings.credentials_file, settings.config_dir / "client_secret.json"]
    for path in candidates:
        if path is None:
            continue
        if path is given or path.exists():
            info = _read_json(path)
            if info.get("type") == "service_account":
                raise AuthError(
                    f"{path} is a service-account key: it needs no login; use "
                    f"`--credentials {path}` with --parent on a shared drive"
                )
            if client_id_of(info) is None:
                raise AuthError(
                    f'{path} is not an OAuth client file (it needs an "installed" '
                    "section; see credentials.example.json)"
                )
            return path
    raise AuthError(
        "no OAuth client to log in with: download a Desktop app client from the "
        "Cloud console and run `gdoc-sync auth login --client-secret FILE` "
        "(see docs/google-setup.md)"
    )


def login(
    settings: Settings,
    client_secret_file: Path | None,
    *,
    no_browser: bool,
    scopes: tuple[str, ...] | None = None,
    flow_factory: Callable[[Path, tuple[str, ...]], Any] | None = None,
    whoami: Callable[[Credentials], str | None] = _whoami,
) -> str | None:
    """Log in through the browser (loopback redirect) and save the login; returns the account."""
    path = _client_secret_for_login(settings, client_secret_file)
    wanted = requested_scopes(settings, scopes)
    flow = (flow_factory or _default_flow)(path, wanted)
    if no_browser:
        prompt = (
            "Open this URL in a browser on this computer (from another machine, forward "
            "the port in its redirect_uri first, e.g. `ssh -L PORT:localhost:PORT`):\n{url}"
        )
    else:
        prompt = "Your browser should open; if it does not, open this URL:\n{url}"
    with _relaxed_scope_check():
        try:
            creds = flow.run_local_server(
                port=0, open_browser=not no_browser, authorization_prompt_message=prompt
            )
        except Exception as exc:
            if isinstance(exc, GdocSyncError):
                raise
            raise AuthError(f"login failed: {_first_line(exc)}") from exc
    granted = creds.granted_scopes or creds.scopes
    if isinstance(granted, str):
        granted = granted.split()
    missing = missing_scopes(list(granted or ()), wanted)
    if missing:
        raise AuthError(
            f"Google did not grant {', '.join(missing)}: run `gdoc-sync auth login` "
            "again and tick every box on the consent screen"
        )
    account = whoami(creds)
    info = _token_info(creds, account)
    info["scopes"] = list(granted or wanted)  # what was granted, not only what was asked
    save_token(settings, info)
    return account


def _expiry_text(creds: Any) -> str | None:
    expiry = getattr(creds, "expiry", None)
    return expiry.isoformat(timespec="seconds") + "Z" if expiry else None


def status(settings: Settings) -> dict[str, Any]:
    """Who gdoc-sync would act as on Google, with which scopes: never a token or a secret."""
    path = token_path(settings)
    found = resolve(settings, refresh=False)
    creds = found.credentials
    token_mode = None
    if path.exists() and os.name != "nt":
        token_mode = f"{stat.S_IMODE(path.stat().st_mode):04o}"
    scopes = list(getattr(creds, "scopes", None) or getattr(creds, "_scopes", None) or [])
    return {
        "backend": settings.backend,
        "source": found.source.value,
        "account": found.account,
        "service_account": service_account_email(creds),
        "impersonating": settings.impersonate,
        "scopes": scopes,
        "expiry": _expiry_text(creds) if found.source is not Source.SERVICE_ACCOUNT_KEY else None,
        "expired": bool(getattr(creds, "expired", False)) if creds.token else None,
        "can_renew": bool(getattr(creds, "refresh_token", None))
        or found.source in (Source.SERVICE_ACCOUNT_KEY, Source.APPLICATION_DEFAULT),
        "credentials_file": str(found.path) if found.path else None,
        "token_file": str(path),
        "token_file_mode": token_mode,
    }


def _http_post(url: str, data: dict[str, str]) -> int:
    import requests

    return requests.post(url, data=data, timeout=30).status_code


class Revoke(enum.Enum):
    """What became of the saved login at Google when logging out."""

    NO_LOGIN = "no saved login"  # nothing to revoke or delete
    REVOKED = "revoked"
    ALREADY_INVALID = "already invalid"  # Google refused the revoke: it had expired or was revoked
    UNREACHABLE = "unreachable"  # Google did not answer: deleted here, still valid there
    NO_TOKEN = "no token"  # the saved file held no token to revoke


@dataclass
class LogoutResult:
    token_file: Path
    revoke: Revoke
    account: str | None = None
    deleted: bool = False
    detail: str | None = None  # what to tell the user beyond the outcome, one line

    @property
    def revoked(self) -> bool:
        return self.revoke is Revoke.REVOKED


def logout(
    settings: Settings, *, post: Post | None = None, revoke_url: str | None = None
) -> LogoutResult:
    """Revoke the saved login at Google and delete it. A revoke failure still deletes."""
    path = token_path(settings)
    if not path.exists():
        return LogoutResult(path, Revoke.NO_LOGIN)
    try:
        # The mode is not checked: revoking a login other users could read is the right move.
        info = _read_user_info(path, check_mode=False)
    except AuthError:
        info = {}
    result = LogoutResult(path, Revoke.NO_TOKEN, account=info.get("account") or None)
    secret = info.get("refresh_token") or info.get("token")
    if secret:
        try:
            code = (post or _http_post)(revoke_url or REVOKE_URL, {"token": str(secret)})
        except Exception as exc:
            result.revoke = Revoke.UNREACHABLE
            result.detail = (
                f"could not reach Google to revoke ({type(exc).__name__}); remove "
                "access at https://myaccount.google.com/permissions"
            )
        else:
            if code == 200:
                result.revoke = Revoke.REVOKED
            else:
                # 400 invalid_token: it had expired or was revoked already, so nothing to undo.
                result.revoke = Revoke.ALREADY_INVALID
                result.detail = (
                    f"Google answered {code} to the revoke: the login was already invalid"
                )
    path.unlink()
    result.deleted = True
    return result


# -- what a service account cannot do -----------------------------------------------------------


def ensure_can_own_files(account: str | None, parent: str | None) -> None:
    """Refuse, before any request, to create files that a service account would have to own."""
    if is_service_account_email(account) and not parent:
        raise UsageError(
            f"{account} is a service account: it has no Drive storage and cannot own the new "
            "Doc and Sheet; add --parent with a folder in a shared drive it is a member of, "
            "--impersonate a Workspace user, or use a user login (`gdoc-sync auth login`)"
        )
