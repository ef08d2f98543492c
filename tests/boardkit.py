"""What the board tests share: the demo session typed into a Doc through the Docs API, the
matrix a person expects from it (worked out by hand, not by gdoc-sync), and `board` run as a
real process."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from gdoc_sync.core.template import load_template
from gdoc_sync.workflows.create import CreatedSession, CreateOptions, create_session
from gdoc_sync.workflows.demo import ONLINE, ONSITE

TEMPLATE = "igf2025-ws354"
GROUPS = ("investors", "tech_companies", "governments", "civil_society", "un")
COLUMNS = ("Q1", "Q2", "Q3", "Q4", "online")
ALL = GROUPS

# The demo's contributions as typed, each with who a reader of the line sees it addressed to and
# where it was said: read off the words by a person ("Invstors" is investors, "Regulators" are
# governments, "#companies" are technology companies, "All" is everyone, a prefix that is no
# group leaves it unassigned; online when the line or its section says so).
DEMO_READING: list[tuple[str, tuple[str, ...], str]] = [
    ("Investors:", ("investors",), "onsite"),
    ("Invstors:", ("investors",), "onsite"),
    ("Tech companies:", ("tech_companies",), "onsite"),
    ("Note:", (), "onsite"),
    ("CSO:", ("civil_society",), "onsite"),
    ("Goverments:", ("governments",), "onsite"),
    ("Regulators & investors:", ("governments", "investors"), "onsite"),
    ("All:", ALL, "onsite"),
    ("Tech companies:", ("tech_companies",), "onsite"),
    ("UN:", ("un",), "onsite"),
    ("Investors:", ("investors",), "onsite"),
    ("CSOs / UN:", ("civil_society", "un"), "onsite"),
    ("Governments:", ("governments",), "onsite"),
    ("Investors should", (), "onsite"),
    ("Investors:", ("investors",), "onsite"),
    ("Investors + UN:", ("investors", "un"), "onsite"),
    ("#companies", ("tech_companies",), "onsite"),
    ("[CSO]", ("civil_society",), "onsite"),
    # typed by the online moderator
    ("Investors:", ("investors",), "online"),
    ("Civil society:", ("civil_society",), "online"),
    ("Governments:", ("governments",), "online"),
    ("Tech companies:", ("tech_companies",), "online"),
    ("Investors:", ("investors",), "online"),
    ("UN:", ("un",), "online"),
    ("Investors:", ("investors",), "online"),
    ("Question from the chat:", (), "online"),
]


@dataclass(frozen=True)
class Typed:
    """One contribution a test typed, and what a person expects the board to make of it."""

    section: str
    line: str
    groups: tuple[str, ...]
    channel: str


def demo_contributions() -> list[Typed]:
    lines = ONSITE + ONLINE
    assert len(lines) == len(DEMO_READING), "the demo's lines changed: read them again"
    typed = []
    for (section, line), (prefix, groups, channel) in zip(lines, DEMO_READING, strict=True):
        assert line.startswith(prefix), f"the demo's line changed: {line!r}"
        typed.append(Typed(section, line, groups, channel))
    return typed


class Expected:
    """The matrix a person expects from what was typed."""

    def __init__(self, typed: list[Typed]) -> None:
        self.typed = list(typed)

    def count(self, group: str, column: str) -> int:
        return sum(1 for t in self.typed if t.section == column and group in t.groups)

    def group_total(self, group: str) -> int:
        return sum(1 for t in self.typed if group in t.groups)

    def column_total(self, column: str) -> int:
        return sum(1 for t in self.typed if t.section == column)

    def unassigned(self, column: str | None = None) -> int:
        return sum(1 for t in self.typed if not t.groups and column in (None, t.section))

    def channels(self) -> Counter[str]:
        return Counter(t.channel for t in self.typed)

    def gaps(self) -> list[tuple[str, str]]:
        return [(g, c) for g in GROUPS for c in COLUMNS if self.count(g, c) == 0]


def new_session(api: Any, title: str) -> CreatedSession:
    template = load_template(TEMPLATE, {"title": title})
    return create_session(api, template, CreateOptions(notify=False, new=True))


def type_contribution(docs: Any, document_id: str, section: str, line: str) -> None:
    """What a moderator does in the Doc: Enter at the end of the section's last bullet, then
    the line (or the line into the section's empty bullet). Straight through the Docs API."""
    doc = docs.documents().get(documentId=document_id).execute()
    name = "gdoc_sync:online" if section == "online" else f"gdoc_sync:question:{section}"
    spans = [r for nr in doc["namedRanges"][name]["namedRanges"] for r in nr["ranges"]]
    start = min(r.get("startIndex", 0) for r in spans)
    end = max(r["endIndex"] for r in spans)
    paragraphs = [
        el
        for el in doc["body"]["content"]
        if "paragraph" in el and el.get("startIndex", 0) >= start and el["endIndex"] <= end
    ]
    last = paragraphs[-1]
    assert "bullet" in last["paragraph"], f"section {section} does not end in a bullet"
    words = "".join(e.get("textRun", {}).get("content", "") for e in last["paragraph"]["elements"])
    if words.strip():
        at, text = last["endIndex"] - 1, "\n" + line
    else:
        at, text = last["startIndex"], line
    request = {"insertText": {"location": {"index": at}, "text": text}}
    docs.documents().batchUpdate(documentId=document_id, body={"requests": [request]}).execute()


class BoardProcess:
    """`gdoc-sync board` as its own process, the way a moderator starts it."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gdoc_sync", "board", *args],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_url()
        self.port = int(re.search(r":(\d+)/", self.url).group(1))  # type: ignore[union-attr]

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.output.append(line.rstrip("\n"))
            self.lines.put(line)

    def _wait_for_url(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=60)
            except queue.Empty:
                raise AssertionError(f"board did not start: {self.output}") from None
            found = re.search(r"board on (http://\S+)", line)
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                raise AssertionError(f"board exited: {self.output}")

    def stop(self) -> int:
        """Ctrl-C, as a person stops it; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
