"""gspread, imported without the OAuth sign-in flow it loads for `gspread.oauth()`.

`gspread.auth` imports `google_auth_oauthlib.flow` (and with it oauthlib and requests-oauthlib)
only to name `InstalledAppFlow`, which gdoc-sync never calls (its own sign-in is in `auth.py`).
That import is a large share of every command's start-up. `install()` (run when gdoc_sync is
imported) lets `gspread.auth` be imported with a stand-in for that name which imports the real
class the first time anything of it is used. The stand-in is in `sys.modules` only while
`gspread.auth` runs; a process that imported gspread or the flow before gdoc_sync is untouched.

The client stack also imports, at module level, a few modules that only a path gdoc-sync rarely
or never takes uses (listed in DEFERRED, with what each costs). Those are loaded the way
`importlib.util.LazyLoader` loads a module: the import binds a module object at once and runs
its code on the first attribute anything reads from it, so nothing is skipped, only moved to
when it is used. Unlike LazyLoader on Python < 3.12, two threads reading the module at once
both see it whole (one runs it, the other waits).
"""

from __future__ import annotations

import sys
import threading
import types
from importlib.machinery import PathFinder
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Loader
else:
    # importlib.abc imports importlib.resources (~13 ms, on every command's start): the import
    # system needs no base class, only create_module and exec_module.
    Loader = object

FLOW = "google_auth_oauthlib.flow"
TARGET = "gspread.auth"

# Imported by the client stack at module level, used only inside functions gdoc-sync's commands
# rarely or never reach; what each would import, and why it can wait.
DEFERRED: dict[str, str] = {
    # pyparsing (and unittest, which pyparsing.testing imports): httplib2 parses
    # WWW-Authenticate challenges with it, for HTTP digest sign-in, never used by Google's APIs.
    "httplib2.auth": "pyparsing",
    # cryptography: signing with a service account's or an ID token's key (google.auth.jwt
    # reads google.auth.crypt at module level).
    "google.auth.crypt": "cryptography",
    "google.auth.jwt": "google.auth.crypt",
    # asyncio: signing through the IAM API, for service accounts without a key, and the
    # back-off of a token refresh (google.oauth2._client).
    "google.auth.iam": "asyncio",
    "google.auth._exponential_backoff": "asyncio",
    # A user credential's re-authentication (security keys, SAML): google.oauth2._client and
    # the WebAuthn handlers, imported by google.oauth2.credentials, used by a token refresh.
    "google.oauth2.reauth": "google.oauth2._client, google.oauth2.challenges",
    # The service-account credentials googleapiclient and gspread name; `login
    # --service-account` uses them.
    "google.oauth2.service_account": "google.auth.crypt, google.auth.iam (asyncio)",
    # asyncio: a regional access boundary lookup that google-auth makes for a credential.
    "google.auth._regional_access_boundary_utils": "asyncio",
}


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


class DeferredModule(types.ModuleType):
    """A module whose code has not run yet: the first attribute read runs it (once, under a
    lock), then the module is an ordinary module with everything its code defined."""

    def __getattribute__(self, attr: str) -> Any:
        name = object.__getattribute__(self, "__name__")
        state = _deferred_state.get(name)
        if state is None:  # loaded meanwhile by another thread
            return object.__getattribute__(self, attr)
        lock, loader, running = state
        with lock:
            if running or name not in _deferred_state:
                # The import system reading `__path__` or `__dict__` while the module's own
                # code runs (in this thread), or another thread finished it while we waited.
                return object.__getattribute__(self, attr)
            _deferred_state[name] = (lock, loader, True)
            try:
                loader.exec_module(self)
            except BaseException:
                _deferred_state[name] = (lock, loader, False)
                raise
            # A plain module again; mypy allows __class__ only the object's own class.
            self.__class__ = types.ModuleType  # type: ignore[assignment]
            del _deferred_state[name]
        return getattr(self, attr)


# Module name -> (lock, the real loader, its code running now): only while the code has not run.
_deferred_state: dict[str, tuple[threading.RLock, Any, bool]] = {}


class _DeferringLoader(Loader):
    """Binds the module now and leaves its code to the first attribute read."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def create_module(self, spec: Any) -> Any:
        return self.real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        spec = module.__spec__
        assert spec is not None  # the import system sets it before it runs exec_module
        spec.loader = self.real
        module.__loader__ = self.real
        _deferred_state[module.__name__] = (threading.RLock(), self.real, False)
        module.__class__ = DeferredModule

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class _DeferringFinder:
    """Finds each module of DEFERRED as the path finder does, with a deferring loader."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in DEFERRED:
            return None
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _DeferringLoader(spec.loader)
        return spec


_deferring_finder = _DeferringFinder()


def is_deferred(name: str) -> bool:
    """Whether the module `name` was imported and its code has not run yet."""
    return name in _deferred_state


def install() -> None:
    if _deferring_finder not in sys.meta_path:
        sys.meta_path.insert(0, _deferring_finder)
    if TARGET in sys.modules or FLOW in sys.modules or _finder in sys.meta_path:
        return
    sys.meta_path.insert(0, _finder)


def uninstall() -> None:
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)


def classes_if_loaded(module: str, *names: str) -> tuple[type, ...]:
    """The classes `names` of `module` if it has been imported, else `()`.

    An object can only be an instance of a class whose module is loaded, so code that checks
    for, say, gspread's APIError (`isinstance(exc, classes)`, `except classes`) gives the same
    answer without importing gspread in a command that never used it."""
    loaded = sys.modules.get(module)
    if loaded is None:
        return ()
    return tuple(getattr(loaded, name) for name in names)
