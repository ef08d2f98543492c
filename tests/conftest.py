"""Shared fixtures: every workflow test runs through the real client libraries against the
emulator, in-process and over loopback HTTP (GDOC_SYNC_TEST_TRANSPORT picks one; default both)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import browser  # noqa: F401  (the shared headless Chromium fixture)

from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.server import EmulatorServer
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import Clients, for_emulator, for_emulator_host
from gdoc_sync.google.connect import use_emulator
from gdoc_sync.google.retry import RetryPolicy

FIXTURES = Path(__file__).parent / "fixtures"
TRANSPORTS = [
    t for t in os.environ.get("GDOC_SYNC_TEST_TRANSPORT", "inprocess,http").split(",") if t
]


@dataclass
class Backend:
    """One emulator and the clients talking to it over the chosen transport."""

    transport: str
    emulator: Emulator
    clients: Clients
    data_dir: Path
    host: str | None = None  # host:port when served over HTTP

    def api(self, **kwargs: Any) -> GoogleApi:
        kwargs.setdefault("retry", RetryPolicy(sleep=lambda _: None))
        return GoogleApi(self.clients, **kwargs)

    def requests(self) -> list[Any]:
        return self.emulator.log.entries()

    def env(self) -> dict[str, str]:
        """Environment for CLI runs against this same emulator."""
        env = {"GDOC_SYNC_DATA_DIR": str(self.data_dir), "GDOC_SYNC_BACKEND": "local"}
        if self.host:
            env["GDOC_SYNC_EMULATOR_HOST"] = self.host
        return env


@pytest.fixture(params=TRANSPORTS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    data_dir = tmp_path / "data"
    emulator_dir = data_dir / "emulator"
    if request.param == "http":
        with EmulatorServer(emulator_dir) as server:
            yield Backend(
                "http", server.emulator, for_emulator_host(server.address), data_dir, server.address
            )
    else:
        # The CLI's local backend finds this same in-process emulator by its data dir.
        with use_emulator(emulator_dir, Emulator(emulator_dir)) as emulator:
            yield Backend("inprocess", emulator, for_emulator(emulator), data_dir)


@pytest.fixture
def api(backend: Backend) -> GoogleApi:
    return backend.api()


@dataclass
class CliResult:
    """What a CLI run printed and how it exited."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(
    args: list[str], env: dict[str, str] | None = None, stdin: str | None = None
) -> CliResult:
    """Run `gdoc-sync ARGS` through its real entry point (error mapping included), in-process."""
    from click.testing import CliRunner

    from gdoc_sync.cli.main import main

    runner = CliRunner()
    code = 0
    with runner.isolation(input=stdin, env=env or {}) as (out, err, _):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        stdout = out.getvalue().decode("utf-8")
        stderr = err.getvalue().decode("utf-8")
    return CliResult(code, stdout, stderr)


@pytest.fixture
def cli(backend: Backend):
    """Run the CLI against the test's emulator (same transport, same data dir)."""

    def run(*args: str, env: dict[str, str] | None = None) -> CliResult:
        return run_cli(list(args), {**backend.env(), **(env or {})})

    return run
