"""Where gdoc-sync keeps things, and which backend it talks to, from flags and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .errors import UsageError

APP = "gdoc-sync"
BACKENDS = ("local", "google")


@dataclass
class Settings:
    """Everything a command needs to know about its environment, resolved once."""

    backend: str = "local"
    data_dir: Path = field(default_factory=lambda: default_data_dir())
    config_dir: Path = field(default_factory=lambda: default_config_dir())
    emulator_host: str | None = None  # host:port of a running emulator, Google's convention
    credentials_file: Path | None = None
    impersonate: str | None = None
    full_drive_scope: bool = False
    debug: bool = False
    # The longest silence to wait for on one request (GDOC_SYNC_TIMEOUT); a command gives up on
    # a server that does not answer after about twice this.
    network_timeout: float = 15.0

    @classmethod
    def from_env(
        cls,
        *,
        backend: str | None = None,
        data_dir: str | Path | None = None,
        credentials_file: str | Path | None = None,
        impersonate: str | None = None,
        full_drive_scope: bool = False,
        debug: bool = False,
        environ: dict[str, str] | None = None,
    ) -> Settings:
        env = os.environ if environ is None else environ
        chosen = backend or env.get("GDOC_SYNC_BACKEND") or "local"
        if chosen not in BACKENDS:
            raise UsageError(
                f"unknown backend {chosen!r} (GDOC_SYNC_BACKEND or --backend): "
                f"use one of {', '.join(BACKENDS)}"
            )
        data = Path(data_dir or env.get("GDOC_SYNC_DATA_DIR") or default_data_dir())
        config = Path(env.get("GDOC_SYNC_CONFIG_DIR") or default_config_dir())
        host = env.get("GDOC_SYNC_EMULATOR_HOST") or None
        if host and chosen == "google" and backend == "google":
            host = None  # an explicit --backend google wins over a leftover emulator variable
        creds = credentials_file or env.get("GDOC_SYNC_CREDENTIALS") or None
        timeout = _seconds(env.get("GDOC_SYNC_TIMEOUT"), "GDOC_SYNC_TIMEOUT", 15.0)
        return cls(
            backend="local" if host and chosen != "google" else chosen,
            data_dir=data.expanduser(),
            config_dir=config.expanduser(),
            emulator_host=host if chosen != "google" else None,
            credentials_file=Path(creds).expanduser() if creds else None,
            impersonate=impersonate,
            full_drive_scope=full_drive_scope,
            debug=debug,
            network_timeout=timeout,
        )

    @property
    def emulator_dir(self) -> Path:
        return self.data_dir / "emulator"

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"

    @property
    def journal_dir(self) -> Path:
        return self.data_dir / "journal"


def _seconds(raw: str | None, name: str, default: float) -> float:
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise UsageError(f"{name} must be a number of seconds between 0 and 3600, got {raw!r}")
    return value


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def default_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))
