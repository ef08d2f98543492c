"""Where gdoc-sync keeps things, and which backend it talks to, from flags and the environment."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from gdoc_sync.errors import UsageError

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
        if data_dir is not None:
            data = check_data_dir(data_dir, "--data-dir")
        elif env.get("GDOC_SYNC_DATA_DIR"):
            data = check_data_dir(env["GDOC_SYNC_DATA_DIR"], "GDOC_SYNC_DATA_DIR")
        else:
            data = default_data_dir()  # an empty variable counts as unset, as in any shell
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

    def prepare_data_dir(self) -> None:
        """Make the data dir and its folders private to the user (0700, files 0600), creating
        them if needed and tightening ones an older version (or a loose umask) left open."""
        folders = [self.data_dir, self.journal_dir, self.state_dir]
        if self.backend == "local" and not self.emulator_host:
            folders.append(self.emulator_dir)
        for folder in folders:
            try:
                private_dir(folder)
                if folder != self.data_dir:
                    for entry in folder.iterdir():
                        private_file(entry)
            except OSError as exc:
                raise UsageError(
                    f"data dir {self.data_dir}: cannot use {folder} ({exc.strerror or exc}); "
                    "choose another with --data-dir or GDOC_SYNC_DATA_DIR"
                ) from exc


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
    import platformdirs  # here, not at the top: `--help` never needs it

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def default_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


# Virtual file systems: nothing written there is data, and some of it is the kernel's.
_SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def check_data_dir(value: str | os.PathLike[str], where: str) -> Path:
    """A usable data directory from a flag or variable, or a one-line UsageError saying why not."""
    text = os.fspath(value)
    if not text.strip():
        raise UsageError(f"{where} is empty: give a directory, or leave it out for the default")
    path = Path(text).expanduser()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"{where} {text}: cannot be resolved ({exc})") from exc
    if os.name != "nt":
        for root in _SYSTEM_ROOTS:
            if resolved == root or root in resolved.parents:
                raise UsageError(
                    f"{where} {text}: {resolved} is in {root}, a system file system, "
                    "not a place for gdoc-sync's data"
                )
    probe = resolved
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        kind = _kind(probe)
        if probe == resolved:
            raise UsageError(f"{where} {text}: is {kind}, not a directory")
        raise UsageError(f"{where} {text}: cannot be created, {probe} is {kind}")
    return path


def _kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "unreadable"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a file"


def private_dir(path: Path) -> Path:
    """Create path (and any missing parent) as 0700; an existing one of ours is tightened to it.

    Path.mkdir(parents=True) would create the parents with the umask's mode."""
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass  # made by a process running at the same moment
    if os.name != "nt" and (missing or _only_ours(path)):
        _tighten(path, 0o700)
    return path


# What gdoc-sync keeps in its folders: the data dir's three, the database and SQLite's files,
# one journal or state file per Doc, and the temporary files of atomic writes.
_OUR_NAMES = re.compile(
    r"(emulator|journal|state|emulator\.sqlite3(-wal|-shm|-journal)?"
    r"|[A-Za-z0-9_.-]+\.jsonl?|\.?[^/]*\.tmp)\Z"
)


def _only_ours(path: Path) -> bool:
    """Whether an existing folder holds nothing but gdoc-sync's own files: only such a folder is
    tightened. `--data-dir ~` or `--data-dir /tmp` must never chmod the home or /tmp."""
    try:
        if path.stat().st_mode & stat.S_ISVTX or path.resolve() == Path.home().resolve():
            return False
        return all(_OUR_NAMES.match(entry.name) for entry in path.iterdir())
    except (OSError, RuntimeError):
        return False


def private_file(path: Path) -> None:
    """Tighten an existing regular file of ours to 0600 (never following a symlink)."""
    if os.name != "nt":
        _tighten(path, 0o600)


def _tighten(path: Path, mode: int) -> None:
    # Through a descriptor: a file swapped for a symlink between a check and a chmod by name
    # would hand the chmod to the link's target. A data dir that is itself a link is followed
    # (the user made it); files inside are not.
    is_dir = mode == 0o700
    flags = os.O_RDONLY | os.O_NONBLOCK | (os.O_DIRECTORY if is_dir else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # gone, a link, a FIFO being written, or not ours to open: leave it
    try:
        info = os.fstat(fd)
        kind_ok = stat.S_ISDIR(info.st_mode) if is_dir else stat.S_ISREG(info.st_mode)
        current = stat.S_IMODE(info.st_mode)
        if kind_ok and info.st_uid == os.getuid() and current & 0o077:
            os.fchmod(fd, current & ~0o077)
    finally:
        os.close(fd)
