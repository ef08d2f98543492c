"""Writing what a command produces (`-o FILE`, `--result FILE`) without harming what is there.

One function for every output file, because each of these went wrong once:

- a regular file (or a new one) is written atomically: a temporary file in the same folder,
  then a rename, so a crash leaves the old content or the new, never half. A new file gets the
  mode the umask gives (reports are meant to be shared); a replaced one keeps its mode;
- `-` is standard output; `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` (what
  a shell's `>(cmd)` passes) are written to that open descriptor, as the shell set it up;
- a character device (`/dev/null`, a terminal), a FIFO or a socket is written straight
  through: never replaced by a regular file;
- a symbolic link is refused with one line (unless it leads to a device or a FIFO): following
  it would let whoever made the link choose which file gets overwritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from pathlib import Path

from gdoc_sync.errors import UsageError
from gdoc_sync.local.state import write_atomic

STDOUT = "-"
_FD_PATH = re.compile(r"^/(?:dev|proc/self)/fd/(\d+)$")
_STD_PATHS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _descriptor(name: str) -> int | None:
    """The descriptor a /dev/fd-style path names, if it is one."""
    if os.name == "nt":
        return None
    if name in _STD_PATHS:
        return _STD_PATHS[name]
    m = _FD_PATH.match(name)
    return int(m.group(1)) if m else None


def _through(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def check_output(path: str | os.PathLike[str]) -> str:
    """How path will be written ("stdout", "fd", "through", "replace"), or a one-line UsageError.

    Call it before long work, so a bad target is found before anything is done."""
    name = os.fspath(path)
    if name == STDOUT:
        return "stdout"
    if not name:
        raise UsageError("the output file name is empty (use - for standard output)")
    fd = _descriptor(name)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError:
            raise UsageError(f"{name}: descriptor {fd} is not open in this process") from None
        return "fd"
    try:
        info = os.lstat(name)
    except FileNotFoundError:
        folder = Path(name).parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent  # missing folders are made, as for any new file
        if not folder.is_dir():
            raise UsageError(f"{name}: cannot be created, {folder} is not a folder") from None
        return "replace"
    except OSError as exc:
        raise UsageError(f"{name}: cannot write there ({exc.strerror or exc})") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.stat(name)
        except OSError:
            target = None
        if target is not None and _through(target.st_mode):
            return "through"
        raise UsageError(
            f"{name} is a symbolic link (to {os.readlink(name)}): refusing to write through "
            "it; give the real file's path"
        )
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{name} is a directory; give a file name")
    if _through(info.st_mode):
        return "through"
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{name} is neither a regular file nor a device or FIFO; refusing")
    if not os.access(name, os.W_OK):
        raise UsageError(f"{name} is not writable by you")
    return "replace"


def replaceable(path: str | os.PathLike[str]) -> bool:
    """Whether writing path again replaces it (a file) rather than adding to a stream."""
    return check_output(path) == "replace"


def write_output(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write data (text is UTF-8) to path as the module docstring says."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    how = check_output(path)
    name = os.fspath(path)
    if how == "stdout":
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(raw.decode("utf-8"))
        else:
            sys.stdout.flush()
            stream.write(raw)
        sys.stdout.flush()
    elif how == "fd":
        fd = _descriptor(name)
        assert fd is not None
        if fd in (1, 2):
            # What was printed before must come out first.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
        _write_all(fd, raw)
    elif how == "through":
        # No O_CREAT, no O_TRUNC: a device or a FIFO is written to, never made anew.
        fd = os.open(name, os.O_WRONLY)
        try:
            _write_all(fd, raw)
        finally:
            os.close(fd)
    else:
        _replace(Path(name), raw)


def create_new(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Create a file that must not exist yet (nor be a symlink, even a dangling one)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    name = os.fspath(path)
    if not os.path.lexists(name):
        # Missing folders are made as write_output makes them, with the same one-line refusals.
        check_output(name)
        folder = Path(name).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{name}: cannot write in {folder} ({exc.strerror or exc})") from None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)
    except FileExistsError:
        raise UsageError(f"{os.fspath(path)} exists; use --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"{os.fspath(path)}: cannot create it ({exc.strerror or exc})") from None
    try:
        _write_all(fd, raw)
    finally:
        os.close(fd)


def _write_all(fd: int, raw: bytes) -> None:
    view = memoryview(raw)
    while view:
        view = view[os.write(fd, view) :]


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no getter elsewhere: read it by setting it, then put it back
    os.umask(mask)
    return mask


def _replace(path: Path, raw: bytes) -> None:
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    try:
        write_atomic(path, raw, mode=mode)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write in {path.parent} ({exc.strerror or exc})") from None
