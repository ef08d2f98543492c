"""gspread, imported without the OAuth sign-in flow it loads for `gspread.oauth()`.

`gspread.auth` imports `google_auth_oauthlib.flow` (and with it oauthlib and requests-oauthlib)
only to name `InstalledAppFlow`, which gdoc-sync never calls (its own sign-in is in `auth.py`).
That import is a large share of every command's start-up. `install()` (run when gdoc_sync is
imported) lets `gspread.auth` be imported with a stand-in for that name which imports the real
class the first time anything of it is used. The stand-in is in `sys.modules` only while
`gspread.auth` runs; a process that imported gspread or the flow before gdoc_sync is untouched.
"""

from __future__ import annotations

import sys
import types
from importlib.abc import Loader
from importlib.machinery import PathFinder
from typing import Any

FLOW = "google_auth_oauthlib.flow"
TARGET = "gspread.auth"


class DeferredInstalledAppFlow:
    """`google_auth_oauthlib.flow.InstalledAppFlow`, imported on first use."""

    @staticmethod
    def real() -> Any:
        from google_auth_oauthlib.flow import InstalledAppFlow

        return InstalledAppFlow

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.real()(*args, **kwargs)


class _Loader(Loader):
    """gspread.auth's own loader, run with the stand-in flow module in place."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def create_module(self, spec: Any) -> Any:
        return self.real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        stand_in = None
        if FLOW not in sys.modules:
            stand_in = types.ModuleType(FLOW)
            # A bare module takes any attribute; ModuleType declares none.
            stand_in.InstalledAppFlow = DeferredInstalledAppFlow()  # type: ignore[attr-defined]
            sys.modules[FLOW] = stand_in
        try:
            self.real.exec_module(module)
        finally:
            if stand_in is not None and sys.modules.get(FLOW) is stand_in:
                del sys.modules[FLOW]

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ... as the real one
        return getattr(self.real, name)


class _Finder:
    """Finds gspread.auth once, as the path finder does, and wraps its loader."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != TARGET:
            return None
        uninstall()
        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


_finder = _Finder()


def install() -> None:
    if TARGET in sys.modules or FLOW in sys.modules or _finder in sys.meta_path:
        return
    sys.meta_path.insert(0, _finder)


def uninstall() -> None:
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
