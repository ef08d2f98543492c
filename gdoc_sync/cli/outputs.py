"""What comes out of a session: the report, an export of any Doc, the room board."""

from __future__ import annotations

import sys
from typing import Any

import click

from gdoc_sync.cli.env import (
    Env,
    check_output,
    document_ref,
    output_option,
    pass_env,
    sync_deps,
    write_output,
)
from gdoc_sync.cli.render import LiveStatus
from gdoc_sync.google.scopes import SCOPES_READ, SCOPES_SYNC


@click.command("report")
@click.argument("document", callback=document_ref, required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json", "csv", "txt"]),
    default="md",
    show_default=True,
    help="Markdown, printable HTML with charts, JSON (versioned schema), the action points "
    "as CSV, or plain text.",
)
@click.option(
    "--event",
    "event_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The result file of `create --batch --result`: one report for the whole event.",
)
@click.option(
    "--language",
    type=click.Choice(["en", "es", "fr", "pt", "ar"]),
    default=None,
    help="With --event: the language of its headings and labels (an event mixes sessions); "
    "by default the first session read's.",
)
@click.option(
    "--with-withdrawn",
    is_flag=True,
    help="Also list withdrawn and removed contributions, in a section of their own.",
)
@output_option
@pass_env
def report(
    env: Env,
    document: str | None,
    fmt: str,
    event_file: str | None,
    language: str | None,
    with_withdrawn: bool,
    output: str | None,
) -> None:
    """Export the session report in the IGF's structure: the short report (key takeaways,
    calls to action), session details, a summary and the points raised per policy question,
    action points per stakeholder group, participation and the gender report card. What only
    the rapporteur knows goes in the Sheet's Report tab; the report lists what is still missing.

    With --event, one report for every session of a `create --batch` result file: action
    points by stakeholder group linked to their sessions, a sessions x groups table, and the
    sessions without action points or that could not be read.

    Example:

        gdoc-sync report DOC_URL --format html -o report.html
        gdoc-sync report --event created.csv --format md -o event.md
    """
    from gdoc_sync.errors import UsageError

    if (document is None) == (event_file is None):
        raise UsageError("give a session Doc (DOC_URL) or --event RESULT.csv, not both")
    if language and not event_file:
        raise UsageError("--language is for --event: a session's report is in its own language")
    check_output(output)
    api = env.api(scopes=SCOPES_READ)
    if event_file:
        text = _event_report(env, api, event_file, fmt, language)
    else:
        from gdoc_sync.local.state import LocalState
        from gdoc_sync.report import session_report

        assert document is not None
        text = session_report(
            api,
            document,
            LocalState(env.settings.state_dir),
            fmt,
            with_withdrawn=with_withdrawn,
        )
    write_output(env, text, output)


def _event_report(env: Env, api: Any, event_file: str, fmt: str, language: str | None) -> str:
    """`report --event`: one session after another, with a progress bar on stderr."""
    import contextlib

    from gdoc_sync.report.event import event_report, render_event

    with contextlib.ExitStack() as stack:
        bar: Any = None

        def on_progress(p: Any) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(
                    click.progressbar(length=p.total, label="reading sessions", file=sys.stderr)
                )
            if p.done:
                bar.update(1)

        data = event_report(api, event_file, progress=on_progress, language=language)
    for u in data["unreadable"]:
        env.err(f"could not read line {u['line']} ({u['title']}): {u['error']}")
    return render_event(data, fmt)


@click.command("export")
@click.argument("document", callback=document_ref)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "txt"]),
    default="md",
    show_default=True,
    help="Markdown, self-contained HTML, or plain text.",
)
@click.option(
    "--suggestions",
    type=click.Choice(["mark", "accept", "reject"]),
    default="mark",
    show_default=True,
    help="Suggested insertions and deletions: shown marked (HTML <ins>/<del>, Markdown and "
    "text {++added++} {--removed--}), or the text as if all were accepted, or rejected.",
)
@output_option
@pass_env
def export(env: Env, document: str, fmt: str, suggestions: str, output: str | None) -> None:
    """Render any Doc (every tab, headings, nested lists, tables, links, chips, emphasis,
    suggestions) as Markdown, HTML or text.

    Example:

        gdoc-sync export DOC_URL --format html --suggestions accept -o session.html
    """
    from gdoc_sync.workflows.export import VIEW_MODES, render_document

    check_output(output)
    api = env.api(scopes=SCOPES_READ)
    doc = api.get_document(document, tabs=True, suggestions=VIEW_MODES[suggestions])
    write_output(env, render_document(doc, fmt, suggestions=suggestions), output)


@click.command("board")
@click.argument("document", callback=document_ref)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port of the page (0: any free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Keep the loopback address: the page has no login.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=1.0),
    default=10.0,
    show_default=True,
    help="Seconds between refreshes.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Only read the Sheet (one request per refresh), e.g. a second screen while someone "
    "else runs `watch`.",
)
@click.option(
    "--snapshot",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE.html",
    help="Write the current board as one self-contained HTML file, and exit.",
)
@click.option("--accept-removals", is_flag=True, help="As for sync.")
@pass_env
def board(
    env: Env,
    document: str,
    port: int,
    host: str,
    interval: float,
    read_only: bool,
    snapshot: str | None,
    accept_removals: bool,
) -> None:
    """Show the stakeholder group x policy question matrix, live, on the room's screen.

    Syncs like `watch` and serves a page at http://127.0.0.1:8765/ that updates itself: counts,
    the latest action points, the gaps, what is new. Arrow keys (or ?q=Q2) show one question.

    Example:

        gdoc-sync board DOC_URL --interval 10
    """
    from gdoc_sync.board import board_snapshot, run_board
    from gdoc_sync.workflows.sync import SyncOptions

    state, journal = sync_deps(env)
    api = env.api(scopes=SCOPES_READ if read_only else SCOPES_SYNC)
    options = SyncOptions(accept_removals=accept_removals)
    if snapshot:
        snapshot_status = LiveStatus()
        html = board_snapshot(
            api,
            document,
            state=state,
            journal=journal,
            options=options,
            read_only=read_only,
            status=snapshot_status,
            on_round=snapshot_status.round,
        )
        write_output(env, html, snapshot)
        return
    show = LiveStatus()
    if host not in ("127.0.0.1", "localhost", "::1"):
        env.err(f"warning: the board listens on {host}: anyone who can reach it sees the session")
    try:
        run_board(
            api,
            document,
            state=state,
            journal=journal,
            options=options,
            interval=interval,
            read_only=read_only,
            host=host,
            port=port,
            status=show,
            on_round=show.round,
            on_ready=lambda url: show(f"board on {url} (Ctrl-C stops it)"),
        )
    except KeyboardInterrupt:
        env.err("\nboard stopped")
