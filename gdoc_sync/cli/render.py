"""How the CLI shows results: sync reports, watch's live status line, history's lines."""

from __future__ import annotations

import sys
from typing import Any

import click

from gdoc_sync.cli.env import Env
from gdoc_sync.core.textsafe import neutralise_lines


def print_sync(env: Env, result: Any) -> None:
    """`sync`'s report on stdout, its warnings on stderr."""
    from gdoc_sync.workflows.summary import sync_report

    report, warnings = sync_report(result)
    for line in report:
        env.out(line)
    for warning in warnings:
        env.err(warning)


def history_line(entry: dict[str, Any]) -> str:
    """One sync of `history`: when, then its counts as `watch` shows a round."""
    from gdoc_sync.workflows.summary import SyncCounts, counts_short

    counts = counts_short(SyncCounts.from_json(entry.get("summary") or {}))
    return f"{entry['at']}  {counts}{'  (full copy)' if entry.get('full_copy') else ''}"


class LiveStatus:
    """On a terminal the round's status line is rewritten in place; warnings and rounds that did
    not sync stay. Piped to a file, every line stays."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self.pending = False

    def __call__(self, line: str) -> None:
        self._show(line, in_place=False)

    def round(self, event: Any) -> None:
        """One of `watch`'s round events (gdoc_sync.workflows.watch.Round)."""
        self._show(event.status, in_place=event.state in ("ok", "stalled"))
        for warning in event.warnings:
            self._show("  " + warning, in_place=False)

    def _show(self, line: str, *, in_place: bool) -> None:
        line = neutralise_lines(line)  # warnings quote people's words
        if not self.live:
            click.echo(line, err=True)
            return
        if in_place:
            click.echo("\r\x1b[K" + line, err=True, nl=False)
            self.pending = True
            return
        click.echo(("\n" if self.pending else "") + line, err=True)
        self.pending = False
