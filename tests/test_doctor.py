"""`gdoc-sync doctor`: checks, table and exit codes, through the real clients on the emulator."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import google.auth
import google.auth.exceptions
import pytest
from conftest import run_cli

from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import ExitCode
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.auth import save_token
from gdoc_sync.google.clients import for_emulator
from gdoc_sync.google.connect import use_emulator
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.google.scopes import SCOPES_DEFAULT
from gdoc_sync.local.settings import Settings
from gdoc_sync.workflows.doctor import Check, render_table, run_checks, verdict

NAMES = [
    "backend",
    "credentials",
    "account",
    "scopes",
    "Docs API",
    "Sheets API",
    "Drive API",
    "config dir",
    "token file",
    "data dir",
]
SA_EMAIL = "gdoc-sync@workshop-test.iam.gserviceaccount.com"
posix_only = pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX")
needs_google = pytest.mark.skipif(
    os.environ.get("GDOC_SYNC_LIVE") != "1",
    reason="needs real Google: GDOC_SYNC_LIVE=1 and credentials",
)


@pytest.fixture(autouse=True)
def no_adc(monkeypatch: pytest.MonkeyPatch) -> None:
    def nothing(*_: Any, **__: Any) -> Any:
        raise google.auth.exceptions.DefaultCredentialsError("none in this test")

    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setattr(google.auth, "default", nothing)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    data_dir = tmp_path / "data"
    # The CLI's local backend finds this same in-process emulator by its data dir.
    with use_emulator(data_dir / "emulator", Emulator(data_dir / "emulator")) as emu:
        yield emu


@pytest.fixture
def settings(tmp_path: Path, emulator: Emulator) -> Settings:
    return Settings(backend="local", data_dir=tmp_path / "data", config_dir=tmp_path / "config")


def emulator_api(emulator: Emulator) -> Any:
    return lambda _settings: GoogleApi(
        for_emulator(emulator), retry=RetryPolicy(attempts=2, sleep=lambda _: None)
    )


@pytest.fixture
def commands() -> Iterator[None]:
    """The doctor command, registered on the real CLI group."""
    from gdoc_sync.cli.main import cli

    assert "doctor" in cli.commands
    yield


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        "GDOC_SYNC_DATA_DIR": str(settings.data_dir),
        "GDOC_SYNC_CONFIG_DIR": str(settings.config_dir),
        "GDOC_SYNC_BACKEND": settings.backend,
    } | extra


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def test_local_backend_passes_every_check(settings: Settings, emulator: Emulator) -> None:
    checks = run_checks(settings, api_factory=emulator_api(emulator))
    assert [c.name for c in checks] == [*NAMES, "emulator data"]
    assert all(c.ok for c in checks), render_table(checks)
    named = by_name(checks)
    assert named["credentials"].detail == "local emulator, no credentials needed"
    assert "404" in named["Docs API"].detail and "404" in named["Sheets API"].detail
    # One cheap read-only request per API, nothing written.
    calls = [(r.method, r.api, r.status) for r in emulator.log.entries()]
    assert calls == [("GET", "docs", 404), ("GET", "sheets", 404), ("GET", "drive", 200)]
    assert verdict(checks) is None


def test_table_has_one_line_per_check_with_a_verdict() -> None:
    checks = [Check("backend", True, "local"), Check("Docs API", False, "the API is off")]
    lines = render_table(checks).splitlines()
    assert lines == ["OK    backend   local", "FAIL  Docs API  the API is off"]
    failed = verdict(checks)
    assert failed is not None and failed.exit_code == ExitCode.check_failed
    assert str(failed) == "1 of 2 checks failed: Docs API"


def test_cli_exit_0_when_all_pass(settings: Settings, commands: None) -> None:
    result = run_cli(["doctor"], env_for(settings))
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(NAMES) + 1
    assert all(line.startswith("OK ") for line in lines)
    assert "all 11 checks passed" in result.stderr


def test_cli_json(settings: Settings, commands: None) -> None:
    result = run_cli(["doctor", "--json"], env_for(settings))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert [c["name"] for c in data["checks"]][:3] == ["backend", "credentials", "account"]


@posix_only
def test_world_writable_data_dir_fails_with_exit_10(settings: Settings, commands: None) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o777)
    try:
        result = run_cli(["doctor"], env_for(settings))
        as_json = run_cli(["doctor", "--json"], env_for(settings))
    finally:
        settings.data_dir.chmod(0o755)
    assert result.exit_code == ExitCode.check_failed == 10
    assert result.stderr == "error: 1 of 11 checks failed: data dir\n"
    [line] = [x for x in result.stdout.splitlines() if x.startswith("FAIL")]
    assert "world-writable" in line and "chmod o-w" in line
    data = json.loads(as_json.stdout)  # the JSON stays parseable when a check fails
    assert as_json.exit_code == 10 and data["ok"] is False


@posix_only
def test_a_token_others_can_read_fails(settings: Settings, emulator: Emulator) -> None:
    save_token(settings, {"refresh_token": "1//r", "client_id": "c", "client_secret": "s"})
    assert by_name(run_checks(settings, api_factory=emulator_api(emulator)))["token file"].ok
    (settings.config_dir / "token.json").chmod(0o644)
    check = by_name(run_checks(settings, api_factory=emulator_api(emulator)))["token file"]
    assert not check.ok and "chmod 600" in check.detail


def test_an_api_that_does_not_answer_fails(settings: Settings, emulator: Emulator) -> None:
    emulator.faults.add(
        Fault(
            path="documents",
            status=403,
            reason="accessNotConfigured",
            message="Google Docs API has not been used in project 1 before or it is disabled.",
            times=-1,
        )
    )
    checks = by_name(run_checks(settings, api_factory=emulator_api(emulator)))
    assert not checks["Docs API"].ok and "not enabled" in checks["Docs API"].detail
    assert checks["Sheets API"].ok and checks["Drive API"].ok


def test_an_unreachable_emulator_fails_every_api(settings: Settings) -> None:
    settings.emulator_host = "127.0.0.1:9"  # discard port: nothing answers there
    checks = by_name(run_checks(settings))
    for name in ("Docs API", "Sheets API", "Drive API"):
        assert not checks[name].ok
    assert checks["credentials"].ok and "127.0.0.1:9" in checks["credentials"].detail


def test_google_backend_without_credentials(settings: Settings, commands: None) -> None:
    settings.backend = "google"
    checks = by_name(run_checks(settings))
    assert not checks["credentials"].ok and "gdoc-sync auth login" in checks["credentials"].detail
    assert checks["Docs API"].detail == "not tried: no usable credentials"
    assert "emulator data" not in checks
    result = run_cli(["doctor"], env_for(settings))
    assert result.exit_code == 10
    assert result.stderr.startswith("error: 6 of 10 checks failed: credentials, account, scopes")


def test_google_backend_with_a_service_account(
    settings: Settings, emulator: Emulator, tmp_path: Path
) -> None:
    pytest.importorskip(
        "cryptography",
        reason="generating an RSA key for a test service-account "
        "key needs the cryptography package",
    )
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    key = tmp_path / "key.json"
    key.write_text(
        json.dumps(
            {
                "type": "service_account",
                "private_key": pem,
                "private_key_id": secrets.token_hex(8),
                "client_email": SA_EMAIL,
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    settings.backend, settings.credentials_file = "google", key
    # The API checks run against the emulator: the key is only read, never sent anywhere.
    checks = by_name(run_checks(settings, api_factory=emulator_api(emulator)))
    assert checks["credentials"].ok and checks["credentials"].detail.startswith(
        "service-account key"
    )
    assert SA_EMAIL in checks["account"].detail and "shared drive" in checks["account"].detail
    assert checks["scopes"].detail == "documents, spreadsheets, drive.file"
    assert all(c.ok for c in checks.values())


def test_google_backend_missing_scope(settings: Settings) -> None:
    settings.backend = "google"
    save_token(
        settings,
        {
            "refresh_token": "1//r",
            "client_id": "c",
            "client_secret": "s",
            "token": "t",
            "scopes": list(SCOPES_DEFAULT[:2]),
            "expiry": "2999-01-01T00:00:00Z",
        },
    )
    checks = by_name(run_checks(settings))
    assert not checks["credentials"].ok and "drive.file" in checks["credentials"].detail


@pytest.mark.live
@needs_google
def test_live_doctor_on_google(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # real Application Default Credentials, if that is the way in
    checks = run_checks(Settings.from_env(backend="google"))
    assert verdict(checks) is None, render_table(checks)
