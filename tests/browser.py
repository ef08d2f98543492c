"""A real headless Chromium for page tests: the system's package, driven by Playwright.

Every page gdoc-sync serves or writes is checked in the browser people will open it in: what it
renders, what its console says, and that it fetches nothing beyond the loopback address it came
from. Chromium comes from the system's packages (`.ci/run` installs it when missing); Playwright
only drives it, it downloads nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Screenshots a person can look at after the run (git-ignored).
SHOTS = Path(os.environ.get("GDOC_SYNC_TEST_OUTPUT", Path(__file__).parent.parent / "test-output"))


def chromium_path() -> str | None:
    """The system's Chromium: GDOC_SYNC_CHROMIUM, or the first known name on PATH."""
    configured = os.environ.get("GDOC_SYNC_CHROMIUM")
    if configured:
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageWatch:
    """What a page did while a test looked at it."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.external_requests == [], f"fetched from outside: {self.external_requests}"
        assert self.page_errors == [], f"page errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    if parts.scheme == "file":
        return True
    return parts.hostname in LOCAL_HOSTS or (parts.hostname or "").startswith("127.")


class Browser:
    """One Chromium for the test session; each `open` gets a fresh page that blocks the outside."""

    def __init__(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        self._manager = sync_playwright()
        self._playwright = self._manager.start()
        self._browser = self._playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )

    def page(
        self, width: int = 1280, height: int = 800, color_scheme: str = "light", **options: Any
    ) -> tuple[Any, PageWatch]:
        """A new page and a record of its console, errors and every request it made."""
        context = self._browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=color_scheme, **options
        )
        page = context.new_page()
        watch = PageWatch()

        def on_request(route: Any) -> None:
            url = route.request.url
            watch.requests.append(url)
            if _is_local(url):
                route.continue_()
            else:
                watch.external_requests.append(url)
                route.abort()

        page.route("**/*", on_request)
        page.on(
            "console",
            lambda message: (
                watch.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
        return page, watch

    def screenshot(self, page: Any, name: str) -> Path:
        """Save a screenshot under test-output/ for a person to look at; returns its path."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    def close(self) -> None:
        self._browser.close()
        self._manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium; skipped where none is installed, except in CI where it must be."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: .ci/run installs it (apt-get install chromium)")
        pytest.skip("no Chromium on this machine: apt-get install -y chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.fail("playwright is a test dependency: pip install -e '.[test]'")
    instance = Browser(executable)
    yield instance
    instance.close()
