"""Credentials: precedence, the 0600 token cache, refresh, login, status, logout and the traps.

Google's OAuth endpoints are served by a tiny local server on 127.0.0.1; nothing here touches
the network. Tests that need real Google are marked live and skipped without GDOC_SYNC_LIVE=1.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import click
import google.auth
import google.auth.exceptions
import google.oauth2.credentials
import httplib2
import pytest
import requests
from conftest import FIXTURES, run_cli
from google.auth.transport.requests import Request
from google.oauth2 import service_account
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError

from gdoc_sync.errors import (
    AccessDeniedError,
    ApiCallError,
    AuthError,
    ExitCode,
    NotFoundError,
    QuotaError,
    UnavailableError,
    UsageError,
)
from gdoc_sync.google import auth
from gdoc_sync.google.auth import (
    Revoke,
    Source,
    ensure_can_own_files,
    load_credentials,
    login,
    logout,
    resolve,
    save_token,
    service_account_email,
    status,
    token_path,
)
from gdoc_sync.google.errors import classify
from gdoc_sync.google.scopes import SCOPE_DRIVE_FULL, SCOPES_DEFAULT
from gdoc_sync.local.settings import Settings

ACCESS = "ya29.test-access-token-SECRET-a1"
REFRESH = "1//test-refresh-token-SECRET-r1"
CLIENT_ID = "123456789012-test.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-test-client-secret-SECRET-c1"
SA_EMAIL = "gdoc-sync@workshop-test.iam.gserviceaccount.com"
USER = "ana@example.org"
posix_only = pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX")
REAL_ADC = google.auth.default
needs_google = pytest.mark.skipif(
    os.environ.get("GDOC_SYNC_LIVE") != "1",
    reason="needs real Google: GDOC_SYNC_LIVE=1 and credentials",
)


# -- a local stand-in for oauth2.googleapis.com and accounts.google.com ---------------------------


class OAuthServer:
    """Authorization, token and revoke endpoints that behave like Google's for these tests."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.valid_refresh = {REFRESH}
        self.grant: str | None = None  # scopes granted at /auth; None: everything asked
        self.codes: dict[str, tuple[str, str]] = {}  # code: (granted scopes, PKCE challenge)
        self.issued: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                server.calls.append(("GET " + url.path, query))
                if url.path != "/auth":
                    self._reply(404, {"error": "not_found"})
                    return
                granted = server.grant if server.grant is not None else query["scope"]
                code = "code-" + secrets.token_hex(8)
                server.codes[code] = (granted, query.get("code_challenge", ""))
                target = (
                    f"{query['redirect_uri']}?state={quote(query['state'])}&code={code}"
                    f"&scope={quote(granted)}"
                )
                self._reply(302, {}, {"Location": target})

            def _client_secret(self, form: dict[str, str]) -> str | None:
                header = self.headers.get("Authorization", "")
                if header.startswith("Basic "):  # requests-oauthlib sends the client this way
                    return base64.b64decode(header[6:]).decode().partition(":")[2]
                return form.get("client_secret")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                server.calls.append(("POST " + self.path, form))
                if self.path == "/revoke":
                    if form.get("token") in server.valid_refresh:
                        server.valid_refresh.discard(form["token"])
                        self._reply(200, {})
                    else:
                        self._reply(400, {"error": "invalid_token"})
                    return
                if self.path != "/token":
                    self._reply(404, {"error": "not_found"})
                    return
                grant = form.get("grant_type")
                new_access = "ya29.issued-" + secrets.token_hex(8)
                server.issued.append(new_access)
                answer = {"access_token": new_access, "expires_in": 3599, "token_type": "Bearer"}
                if grant == "authorization_code" and form.get("code") in server.codes:
                    granted, challenge = server.codes.pop(form["code"])
                    if self._client_secret(form) != CLIENT_SECRET:
                        self._reply(401, {"error": "invalid_client"})
                        return
                    if _pkce(form.get("code_verifier", "")) != challenge:
                        self._reply(
                            400,
                            {
                                "error": "invalid_grant",
                                "error_description": "Missing code verifier.",
                            },
                        )
                        return
                    self._reply(200, answer | {"refresh_token": REFRESH, "scope": granted})
                elif grant == "refresh_token" and form.get("refresh_token") in server.valid_refresh:
                    self._reply(200, answer | {"scope": " ".join(SCOPES_DEFAULT)})
                elif grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
                    self._reply(200, answer)
                else:
                    self._reply(
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "Token has been expired or revoked.",
                        },
                    )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def paths(self) -> list[str]:
        return [p for p, _ in self.calls]


def _pkce(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@pytest.fixture
def oauth(monkeypatch: pytest.MonkeyPatch) -> Iterator[OAuthServer]:
    server = OAuthServer()
    server.thread.start()
    # google-auth ignores token_uri in saved logins (so a planted file cannot send the refresh
    # token elsewhere) and always uses this constant; point it at the local server.
    monkeypatch.setattr(
        google.oauth2.credentials, "_GOOGLE_OAUTH2_TOKEN_ENDPOINT", server.url + "/token"
    )
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the local endpoints are plain http
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.fixture(autouse=True)
def no_adc(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Application Default Credentials unless a test provides them (and no metadata probe)."""

    def nothing(*_: Any, **__: Any) -> Any:
        raise google.auth.exceptions.DefaultCredentialsError("none in this test")

    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setattr(google.auth, "default", nothing)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(backend="google", data_dir=tmp_path / "data", config_dir=tmp_path / "config")


def user_info(**changes: Any) -> dict[str, Any]:
    info = {
        "token": ACCESS,
        "refresh_token": REFRESH,
        "token_uri": "https://oauth2.googleapis.com/token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": list(SCOPES_DEFAULT),
        "account": USER,
        "expiry": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    info.update(changes)
    return info


def client_secret_file(tmp_path: Path, server_url: str = "https://accounts.google.com") -> Path:
    path = tmp_path / "client_secret.json"
    token_uri = (
        f"{server_url}/token"
        if "127.0.0.1" in server_url
        else ("https://oauth2.googleapis.com/token")
    )
    path.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": CLIENT_ID,
                    "project_id": "workshop-test",
                    "auth_uri": f"{server_url}/auth",
                    "token_uri": token_uri,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": ["http://localhost"],
                }
            }
        )
    )
    return path


def service_account_key(tmp_path: Path, token_uri: str) -> Path:
    pytest.importorskip(
        "cryptography",
        reason="generating an RSA key for a test service-account "
        "key needs the cryptography package",
    )
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path = tmp_path / "sa-key.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "workshop-test",
                "private_key_id": secrets.token_hex(20),
                "private_key": pem,
                "client_email": SA_EMAIL,
                "client_id": "109876543210987654321",
                "token_uri": token_uri,
            }
        )
    )
    path.chmod(0o600)
    return path


def jwt_claims(assertion: str) -> dict[str, Any]:
    payload = assertion.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


# -- the credential paths and their order -------------------------------------------------------


def test_service_account_key_is_used_with_default_scopes(
    settings: Settings, tmp_path: Path, oauth: OAuthServer
) -> None:
    settings.credentials_file = service_account_key(tmp_path, oauth.url + "/token")
    creds, account = load_credentials(settings, SCOPES_DEFAULT)
    assert isinstance(creds, service_account.Credentials)
    assert account == SA_EMAIL
    assert service_account_email(creds) == SA_EMAIL
    creds.refresh(Request())  # a real signed JWT, exchanged at the local token endpoint
    assert creds.token in oauth.issued
    claims = jwt_claims(oauth.calls[-1][1]["assertion"])
    assert claims["iss"] == SA_EMAIL
    assert claims["scope"].split() == list(SCOPES_DEFAULT)
    assert "sub" not in claims


def test_service_account_impersonates_a_user(
    settings: Settings, tmp_path: Path, oauth: OAuthServer
) -> None:
    settings.credentials_file = service_account_key(tmp_path, oauth.url + "/token")
    settings.impersonate = USER
    creds, account = load_credentials(settings, SCOPES_DEFAULT)
    assert account == USER
    assert service_account_email(creds) is None  # acting as the user, who owns the files
    creds.refresh(Request())
    assert jwt_claims(oauth.calls[-1][1]["assertion"])["sub"] == USER


def test_full_drive_scope_is_added_only_when_asked(settings: Settings, tmp_path: Path) -> None:
    settings.credentials_file = service_account_key(tmp_path, "https://oauth2.googleapis.com/token")
    creds, _ = load_credentials(settings, SCOPES_DEFAULT)
    assert SCOPE_DRIVE_FULL not in creds.scopes
    settings.full_drive_scope = True
    creds, _ = load_credentials(settings, SCOPES_DEFAULT)
    assert SCOPE_DRIVE_FULL in creds.scopes


def test_key_file_beats_saved_login(settings: Settings, tmp_path: Path) -> None:
    save_token(settings, user_info())
    settings.credentials_file = service_account_key(tmp_path, "https://oauth2.googleapis.com/token")
    assert resolve(settings).source is Source.SERVICE_ACCOUNT_KEY


def test_saved_login_beats_application_default(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adc = tmp_path / "adc.json"
    adc.write_text(json.dumps(user_info(account="adc@example.org") | {"type": "authorized_user"}))
    # The real google.auth.default, reading GOOGLE_APPLICATION_CREDENTIALS (no metadata probe).
    monkeypatch.setattr(google.auth, "default", REAL_ADC)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    assert resolve(settings, refresh=False).source is Source.APPLICATION_DEFAULT
    save_token(settings, user_info())
    found = resolve(settings, refresh=False)
    assert (found.source, found.account) == (Source.SAVED_LOGIN, USER)


def test_application_default_credentials_come_last(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adc = tmp_path / "adc.json"
    adc.write_text(json.dumps(user_info(account="") | {"type": "authorized_user"}))
    monkeypatch.setattr(google.auth, "default", REAL_ADC)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    creds, account = load_credentials(settings, SCOPES_DEFAULT)
    assert isinstance(creds, google.oauth2.credentials.Credentials)
    assert creds.refresh_token == REFRESH and account is None


def test_nothing_found_names_the_three_ways_in_one_line(settings: Settings) -> None:
    with pytest.raises(AuthError) as err:
        load_credentials(settings, SCOPES_DEFAULT)
    text = str(err.value)
    assert "\n" not in text
    assert "gdoc-sync auth login" in text and "--credentials" in text
    assert "application-default" in text
    assert err.value.exit_code == ExitCode.auth


def test_client_secret_file_uses_the_login_made_with_it(settings: Settings, tmp_path: Path) -> None:
    settings.credentials_file = client_secret_file(tmp_path)
    with pytest.raises(AuthError, match=r"auth login --client-secret .*client_secret\.json"):
        load_credentials(settings, SCOPES_DEFAULT)
    save_token(settings, user_info(client_id="someone-else.apps.googleusercontent.com"))
    with pytest.raises(AuthError, match="no saved login made with it"):
        load_credentials(settings, SCOPES_DEFAULT)
    save_token(settings, user_info())
    creds, account = load_credentials(settings, SCOPES_DEFAULT)
    assert creds.client_id == CLIENT_ID and account == USER


def test_unknown_credentials_file_is_refused(settings: Settings, tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": "world"}')
    settings.credentials_file = odd
    with pytest.raises(AuthError, match="neither a service-account key nor an OAuth client"):
        load_credentials(settings, SCOPES_DEFAULT)
    settings.credentials_file = tmp_path / "missing.json"
    with pytest.raises(AuthError, match="does not exist"):
        load_credentials(settings, SCOPES_DEFAULT)


def test_impersonation_needs_a_service_account(settings: Settings) -> None:
    save_token(settings, user_info())
    settings.impersonate = "bob@example.org"
    with pytest.raises(AuthError, match="--impersonate needs a service-account key"):
        load_credentials(settings, SCOPES_DEFAULT)


# -- the token cache --------------------------------------------------------------------------


@posix_only
def test_token_is_saved_0600_in_a_0700_dir(settings: Settings) -> None:
    path = save_token(settings, user_info())
    assert path == settings.config_dir / "token.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert settings.config_dir.stat().st_mode & 0o777 == 0o700
    assert json.loads(path.read_text())["refresh_token"] == REFRESH  # JSON, not a pickle
    path.chmod(0o644)
    save_token(settings, user_info())  # rewriting replaces the file, so the mode is 0600 again
    assert path.stat().st_mode & 0o777 == 0o600


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_token_others_can_read_is_refused(settings: Settings, mode: int) -> None:
    path = save_token(settings, user_info())
    path.chmod(mode)
    with pytest.raises(AuthError) as err:
        load_credentials(settings, SCOPES_DEFAULT)
    assert str(path) in str(err.value) and f"chmod 600 {path}" in str(err.value)
    assert f"{mode:04o}" in str(err.value)


@posix_only
def test_an_expired_token_is_refreshed_and_saved_again(
    settings: Settings, oauth: OAuthServer
) -> None:
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    save_token(settings, user_info(expiry=past))
    creds, account = load_credentials(settings, SCOPES_DEFAULT)
    assert account == USER
    assert oauth.paths() == ["POST /token"]
    assert oauth.calls[0][1]["refresh_token"] == REFRESH
    assert creds.token == oauth.issued[-1] != ACCESS and creds.valid
    saved = json.loads(token_path(settings).read_text())
    assert saved["token"] == oauth.issued[-1]
    assert saved["account"] == USER and saved["refresh_token"] == REFRESH
    assert token_path(settings).stat().st_mode & 0o777 == 0o600
    load_credentials(settings, SCOPES_DEFAULT)
    assert oauth.paths() == ["POST /token"]  # still valid: no second refresh


def test_a_revoked_refresh_token_says_log_in_again(settings: Settings, oauth: OAuthServer) -> None:
    save_token(settings, user_info(refresh_token="1//revoked", expiry="2000-01-01T00:00:00Z"))
    with pytest.raises(AuthError, match=r"invalid_grant.*gdoc-sync auth login"):
        load_credentials(settings, SCOPES_DEFAULT)


def test_a_missing_scope_is_named(settings: Settings) -> None:
    save_token(settings, user_info(scopes=[SCOPES_DEFAULT[0], SCOPES_DEFAULT[2]]))
    with pytest.raises(AuthError) as err:
        load_credentials(settings, SCOPES_DEFAULT)
    assert "https://www.googleapis.com/auth/spreadsheets" in str(err.value)
    assert "gdoc-sync auth login" in str(err.value)
    save_token(settings, user_info())
    settings.full_drive_scope = True
    with pytest.raises(AuthError, match=r"auth/drive\b.*auth login --full-drive-scope"):
        load_credentials(settings, SCOPES_DEFAULT)


def test_full_drive_covers_drive_file(settings: Settings) -> None:
    save_token(settings, user_info(scopes=[*SCOPES_DEFAULT[:2], SCOPE_DRIVE_FULL]))
    creds, _ = load_credentials(settings, SCOPES_DEFAULT)
    assert SCOPE_DRIVE_FULL in creds.scopes


# -- login: the real InstalledAppFlow, against the local endpoints --------------------------------


class FakeBrowser:
    """Follows the authorization URL like a browser whose user clicks Allow."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.threads: list[threading.Thread] = []

    def open(self, url: str, *_: Any, **__: Any) -> bool:
        self.opened.append(url)

        # run_local_server waits for the redirect only after opening the browser.
        def follow() -> None:
            requests.get(url, timeout=10)

        thread = threading.Thread(target=follow, daemon=True)
        thread.start()
        self.threads.append(thread)
        return True


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> FakeBrowser:
    import webbrowser

    fake = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda *_: fake)
    return fake


@posix_only
def test_login_runs_the_loopback_flow_and_saves_0600(
    settings: Settings, tmp_path: Path, oauth: OAuthServer, browser: FakeBrowser
) -> None:
    secret_file = client_secret_file(tmp_path, oauth.url)
    seen: list[Any] = []
    account = login(
        settings, secret_file, no_browser=False, whoami=lambda creds: seen.append(creds) or USER
    )
    assert account == USER
    [url] = browser.opened
    query = parse_qs(urlparse(url).query)
    assert query["redirect_uri"][0].startswith("http://localhost:")
    assert query["scope"][0].split() == list(SCOPES_DEFAULT)
    assert query["access_type"] == ["offline"]
    assert seen[0].token == oauth.issued[-1]
    path = token_path(settings)
    assert path.stat().st_mode & 0o777 == 0o600
    saved = json.loads(path.read_text())
    assert saved["refresh_token"] == REFRESH and saved["account"] == USER
    assert saved["scopes"] == list(SCOPES_DEFAULT)
    creds, who = load_credentials(settings, SCOPES_DEFAULT)  # usable right away
    assert who == USER and creds.token == oauth.issued[-1]


@posix_only
def test_login_without_browser_prints_the_url(
    settings: Settings,
    tmp_path: Path,
    oauth: OAuthServer,
    browser: FakeBrowser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        """Standard output where the user reads the URL and opens it elsewhere."""

        def write(self, text: str) -> int:
            found = re.search(r"http://127\.0\.0\.1:\d+/auth\?\S+", text)
            if found:
                browser.open(found.group(0))
            return super().write(text)

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    account = login(
        settings, client_secret_file(tmp_path, oauth.url), no_browser=True, whoami=lambda _: None
    )
    assert account is None
    assert "Open this URL in a browser" in terminal.getvalue()
    assert len(browser.opened) == 1  # opened by "the user", not by gdoc-sync
    assert token_path(settings).exists()


def test_login_refuses_a_partial_grant(
    settings: Settings, tmp_path: Path, oauth: OAuthServer, browser: FakeBrowser
) -> None:
    oauth.grant = " ".join([SCOPES_DEFAULT[0], SCOPES_DEFAULT[2]])  # Sheets box left unticked
    with pytest.raises(AuthError, match=r"did not grant https://www.googleapis.com/auth/spreadsh"):
        login(
            settings,
            client_secret_file(tmp_path, oauth.url),
            no_browser=False,
            whoami=lambda _: USER,
        )
    assert not token_path(settings).exists()


def test_login_with_full_drive_scope_asks_for_drive(settings: Settings, tmp_path: Path) -> None:
    asked: list[tuple[str, ...]] = []

    class Flow:
        def run_local_server(self, **kwargs: Any) -> Any:
            assert kwargs["port"] == 0 and kwargs["open_browser"] is True
            return google.oauth2.credentials.Credentials(
                ACCESS,
                refresh_token=REFRESH,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                token_uri="https://oauth2.googleapis.com/token",
                scopes=list(asked[0]),
            )

    def factory(path: Path, scopes: tuple[str, ...]) -> Flow:
        asked.append(scopes)
        return Flow()

    settings.full_drive_scope = True
    login(
        settings,
        client_secret_file(tmp_path),
        no_browser=False,
        flow_factory=factory,
        whoami=lambda _: USER,
    )
    assert asked == [(*SCOPES_DEFAULT, SCOPE_DRIVE_FULL)]


def test_login_refuses_a_service_account_key(settings: Settings, tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"type": "service_account"}))
    with pytest.raises(AuthError, match="service-account key: it needs no login"):
        login(settings, key, no_browser=True)
    with pytest.raises(AuthError, match="no OAuth client to log in with"):
        login(settings, None, no_browser=True)


# -- status and logout ------------------------------------------------------------------------


@pytest.fixture
def commands() -> Iterator[None]:
    """The auth and doctor commands, registered on the real CLI group."""
    from gdoc_sync.cli.main import cli

    assert {"auth", "doctor"} <= set(cli.commands)
    yield


def cli_env(settings: Settings) -> dict[str, str]:
    return {
        "GDOC_SYNC_CONFIG_DIR": str(settings.config_dir),
        "GDOC_SYNC_DATA_DIR": str(settings.data_dir),
        "GDOC_SYNC_BACKEND": "google",
    }


def test_status_shows_who_and_scopes_but_no_secret(settings: Settings, commands: None) -> None:
    save_token(settings, user_info())
    info = status(settings)
    assert info["account"] == USER and info["source"] == "saved login"
    assert info["scopes"] == list(SCOPES_DEFAULT)
    assert info["token_file"] == str(token_path(settings))
    plain = run_cli(["auth", "status"], cli_env(settings))
    as_json = run_cli(["auth", "status", "--json"], cli_env(settings))
    assert plain.exit_code == 0 and as_json.exit_code == 0
    assert USER in plain.stdout and "drive.file" in plain.stdout
    assert json.loads(as_json.stdout)["account"] == USER
    for output in (json.dumps(info), plain.stdout + plain.stderr, as_json.stdout + as_json.stderr):
        for secret in (ACCESS, REFRESH, CLIENT_SECRET):
            assert secret not in output


def test_status_without_credentials_exits_with_the_auth_code(
    settings: Settings, commands: None
) -> None:
    result = run_cli(["auth", "status"], cli_env(settings))
    assert result.exit_code == ExitCode.auth
    assert result.stderr.startswith("error: no Google credentials found")
    assert result.stderr.count("\n") == 1


def test_logout_revokes_then_deletes(settings: Settings, oauth: OAuthServer) -> None:
    save_token(settings, user_info())
    result = logout(settings, revoke_url=oauth.url + "/revoke")
    assert result.revoke is Revoke.REVOKED and result.deleted and result.account == USER
    assert oauth.calls == [("POST /revoke", {"token": REFRESH})]
    assert not token_path(settings).exists()
    assert logout(settings).revoke is Revoke.NO_LOGIN


def test_logout_through_the_cli(
    settings: Settings, oauth: OAuthServer, commands: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "REVOKE_URL", oauth.url + "/revoke")
    save_token(settings, user_info())
    result = run_cli(["auth", "logout"], cli_env(settings))
    assert result.exit_code == 0, result.stderr
    assert f"revoked the login of {USER}" in result.stdout
    assert REFRESH not in result.stdout + result.stderr
    assert oauth.paths() == ["POST /revoke"] and not token_path(settings).exists()


def test_logout_deletes_even_when_revoking_fails(settings: Settings, oauth: OAuthServer) -> None:
    save_token(settings, user_info(refresh_token="1//already-revoked"))
    result = logout(settings, revoke_url=oauth.url + "/revoke")
    assert result.revoke is Revoke.ALREADY_INVALID and result.deleted
    assert result.detail is not None and "400" in result.detail

    def unreachable(url: str, data: dict[str, str]) -> int:
        raise requests.ConnectionError("no network")

    save_token(settings, user_info())
    result = logout(settings, post=unreachable)
    assert result.revoke is Revoke.UNREACHABLE and result.deleted
    assert result.detail is not None and "myaccount.google.com/permissions" in result.detail
    assert not token_path(settings).exists()


def test_logout_revokes_a_token_with_a_loose_mode(settings: Settings, oauth: OAuthServer) -> None:
    save_token(settings, user_info()).chmod(0o644)
    assert logout(settings, revoke_url=oauth.url + "/revoke").revoke is Revoke.REVOKED


def test_login_command_reports_a_service_account_key_as_usage(
    settings: Settings, tmp_path: Path, commands: None
) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"type": "service_account"}))
    result = run_cli(["auth", "login", "--client-secret", str(key)], cli_env(settings))
    assert result.exit_code == ExitCode.auth
    assert "it needs no login" in result.stderr


def test_every_command_has_an_example() -> None:
    from gdoc_sync.cli.auth import auth as auth_group
    from gdoc_sync.cli.auth import doctor

    commands: list[click.Command] = [auth_group, doctor, *auth_group.commands.values()]
    for command in commands:
        assert "Example:" in (command.help or ""), command.name


# -- the traps ----------------------------------------------------------------------------------


def http_error(status: int, error: dict[str, Any]) -> HttpError:
    return HttpError(httplib2.Response({"status": status}), json.dumps({"error": error}).encode())


def api_error(status: int, body: bytes) -> APIError:
    response = requests.Response()
    response.status_code = status
    response._content = body
    return APIError(response)


STORAGE_SA = {
    "code": 403,
    "message": "Service Accounts do not have storage quota. Leverage shared drives "
    "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth "
    "delegation (http://support.google.com/a/answer/7281227) instead.",
    "errors": [
        {
            "domain": "usageLimits",
            "reason": "storageQuotaExceeded",
            "message": "Service Accounts do not have storage quota.",
        }
    ],
}

DISABLED = {
    "code": 403,
    "message": "Google Docs API has not been used in project 123456789 before or it is disabled. "
    "Enable it by visiting https://console.developers.google.com/apis/api/docs.googleapis.com/"
    "overview?project=123456789 then retry.",
    "errors": [
        {
            "message": "...",
            "domain": "usageLimits",
            "reason": "accessNotConfigured",
            "extendedHelp": "https://console.developers.google.com",
        }
    ],
    "status": "PERMISSION_DENIED",
    "details": [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {
                "consumer": "projects/123456789",
                "service": "docs.googleapis.com",
                "serviceTitle": "Google Docs API",
                "activationUrl": "https://console.developers.google.com/apis/api/docs.googleapis.com/"
                "overview?project=123456789",
            },
        }
    ],
}

RATE = {
    "code": 429,
    "message": "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
    "minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789'.",
    "status": "RESOURCE_EXHAUSTED",
    "details": [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "service": "sheets.googleapis.com",
                "quota_metric": "sheets.googleapis.com/write_requests",
                "quota_limit": "WriteRequestsPerMinutePerUser",
                "quota_limit_value": "60",
                "consumer": "projects/123456789",
            },
        }
    ],
}


def recorded_403() -> bytes:
    """Sheets' real answer for a spreadsheet the caller may not open (gspread's cassette)."""
    cassette = json.loads(
        (
            FIXTURES
            / "google"
            / "gspread-cassettes"
            / "ClientTest.test_access_private_spreadsheet.json"
        ).read_text()
    )
    for interaction in cassette["interactions"]:
        if interaction["response"]["status"]["code"] == 403:
            return interaction["response"]["body"]["string"].encode()
    raise AssertionError("the cassette has no 403")


def test_trap_service_account_has_no_storage() -> None:
    err = classify(http_error(403, STORAGE_SA), "creating 'Workshop'", account=SA_EMAIL)
    assert isinstance(err, AccessDeniedError)
    text = str(err)
    assert SA_EMAIL in text and "shared drive" in text and "--parent" in text
    assert "gdoc-sync auth login" in text and "\n" not in text


def test_trap_a_full_drive_is_not_a_service_account_problem() -> None:
    body = {
        "code": 403,
        "message": "The user's Drive storage quota has been exceeded.",
        "errors": [{"reason": "storageQuotaExceeded", "domain": "usageLimits"}],
    }
    err = classify(http_error(403, body), "creating 'Workshop'", account=USER)
    assert isinstance(err, QuotaError) and USER in str(err) and "full" in str(err)


def test_trap_doc_not_shared_with_the_service_account() -> None:
    body = {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    err = classify(http_error(404, body), "reading document 1abc", account=SA_EMAIL)
    assert isinstance(err, NotFoundError)
    assert f"the Doc is not shared with the service account's e-mail {SA_EMAIL}" in str(err)
    # The same 404 for a user keeps the usual wording.
    err = classify(http_error(404, body), "reading document 1abc", account=USER)
    assert isinstance(err, NotFoundError) and SA_EMAIL not in str(err)
    assert "not found, or this account cannot see it" in str(err)


def test_trap_sheet_forbidden_to_the_service_account_recorded() -> None:
    err = classify(api_error(403, recorded_403()), "reading spreadsheet 1jIK", account=SA_EMAIL)
    assert isinstance(err, AccessDeniedError)
    assert "the Sheet is not shared with enough rights (editor)" in str(err)
    assert SA_EMAIL in str(err)


def test_trap_api_not_enabled_names_api_and_project() -> None:
    err = classify(http_error(403, DISABLED), "reading document 1abc", account=USER)
    assert isinstance(err, AccessDeniedError)
    text = str(err)
    assert "Google Docs API (docs.googleapis.com)" in text and "project 123456789" in text
    assert "https://console.developers.google.com/apis/api/docs.googleapis.com/" in text
    legacy = {k: v for k, v in DISABLED.items() if k != "details"}  # older envelope, no details
    text = str(classify(http_error(403, legacy), "reading document 1abc"))
    assert "docs.googleapis.com" in text and "project 123456789" in text


def test_trap_quota_names_the_quota_and_the_retries() -> None:
    err = classify(
        api_error(429, json.dumps({"error": RATE}).encode()),
        "writing spreadsheet 1abc",
        account=USER,
    )
    assert isinstance(err, QuotaError)
    text = str(err)
    assert "WriteRequestsPerMinutePerUser" in text and "sheets.googleapis.com" in text
    assert "limit 60" in text and "already retried" in text
    daily = {
        "code": 403,
        "message": "Daily Limit Exceeded",
        "errors": [{"reason": "dailyLimitExceeded", "domain": "usageLimits"}],
    }
    text = str(classify(http_error(403, daily), "searching Drive", account=USER))
    assert "dailyLimitExceeded" in text and "will not help until the quota resets" in text


def test_trap_domain_wide_delegation_not_set_up() -> None:
    exc = google.auth.exceptions.RefreshError(
        "unauthorized_client: Client is unauthorized to retrieve access tokens using this "
        "method, or client not authorized for any of the scopes requested.",
        {"error": "unauthorized_client"},
    )
    err = classify(exc, "reading document 1abc", account=USER)
    assert isinstance(err, AuthError)
    assert "Domain-wide delegation" in str(err) and USER in str(err)
    revoked = google.auth.exceptions.RefreshError(
        "invalid_grant: Token has been expired or revoked."
    )
    assert "gdoc-sync auth login" in str(classify(revoked, "reading document 1abc", account=USER))


def test_trap_adc_without_the_needed_scopes() -> None:
    exc = google.auth.exceptions.RefreshError(
        "invalid_scope: Bad Request", {"error": "invalid_scope"}
    )
    text = str(classify(exc, "reading document 1abc", account=None))
    assert "not granted the scopes" in text and "--scopes=" in text


def test_a_service_account_cannot_create_without_parent() -> None:
    with pytest.raises(UsageError, match=r"service account.*--parent"):
        ensure_can_own_files(SA_EMAIL, None)
    ensure_can_own_files(SA_EMAIL, "0AFolderInASharedDrive")
    ensure_can_own_files(USER, None)
    ensure_can_own_files("you@localhost", None)


def test_no_trap_for_ordinary_errors() -> None:
    scope = {
        "code": 403,
        "message": "Request had insufficient authentication scopes.",
        "errors": [{"reason": "insufficientPermissions"}],
    }
    err = classify(http_error(403, scope), "reading document 1abc", account=SA_EMAIL)
    assert isinstance(err, AccessDeniedError) and "lacks a needed scope" in str(err)
    assert SA_EMAIL not in str(err)
    err = classify(http_error(500, {"code": 500, "message": "x"}), "x", account=USER)
    assert isinstance(err, UnavailableError) and "failed even after retries" in str(err)
    err = classify(ValueError("not an API error"), "x")
    assert type(err) is ApiCallError and str(err) == "x: not an API error"


# -- real Google -------------------------------------------------------------------------------


@pytest.mark.live
@needs_google
def test_live_credentials_load_and_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(google.auth, "default", REAL_ADC)
    live = Settings.from_env(backend="google")
    creds, _ = load_credentials(live, SCOPES_DEFAULT)
    creds.refresh(Request())
    assert creds.valid


def test_each_command_asks_only_for_what_it_needs() -> None:
    from gdoc_sync.google.auth import missing_scopes
    from gdoc_sync.google.scopes import SCOPES_DEFAULT, SCOPES_NOTE, SCOPES_READ, SCOPES_SYNC

    # A login with the default scopes serves every command...
    for needed in (SCOPES_READ, SCOPES_NOTE, SCOPES_SYNC, SCOPES_DEFAULT):
        assert missing_scopes(SCOPES_DEFAULT, needed) == []
    # ...and the read-only commands ask for no write access at all.
    assert all(s.endswith(".readonly") for s in SCOPES_READ)
    assert missing_scopes(SCOPES_READ, SCOPES_SYNC) == list(SCOPES_SYNC)
    assert missing_scopes(["https://www.googleapis.com/auth/drive"], SCOPES_READ) == []
