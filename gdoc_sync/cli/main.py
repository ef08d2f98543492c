"""The command line: parse, call the library, print. No workshop logic lives here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from gdoc_sync import __version__
from gdoc_sync.core.textsafe import neutralise_all, neutralise_lines
from gdoc_sync.errors import ExitCode, GdocSyncError, describe
from gdoc_sync.google.scopes import SCOPES_NOTE, SCOPES_READ, SCOPES_SYNC
from gdoc_sync.local.settings import Settings


class Env:
    """What a command gets from the group: settings, and where to print."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def out(self, text: str = "") -> None:
        click.echo(neutralise_lines(text))

    def err(self, text: str) -> None:
        click.echo(neutralise_lines(text), err=True)

    def retried(self, event: Any) -> None:
        """RetryPolicy's on_retry: every retry is one line on stderr, before its wait."""
        self.err(f"retry: {event.describe()}")

    def api(self, **kwargs: Any) -> Any:
        from gdoc_sync.google.connect import connect

        self.settings.prepare_data_dir()  # private (0700/0600) before anything is written there
        return connect(self.settings, notice=self.err, on_retry=self.retried, **kwargs)


pass_env = click.make_pass_decorator(Env)


def _document_ref(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A Doc URL or id, checked before any connection is made."""
    from gdoc_sync.core.links import parse_document_ref

    return None if value is None else parse_document_ref(value)


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(fn)


def output_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write to this file instead of standard output.",
    )(fn)


def dump_json(data: Any) -> str:
    import json

    return json.dumps(neutralise_all(data), ensure_ascii=False, indent=2, sort_keys=False)


class Group(click.Group):
    """Keeps commands in the order they are declared in --help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gdoc-sync")
@click.option(
    "--backend",
    type=click.Choice(["local", "google"]),
    default=None,
    help="Where the Docs and Sheets live: the embedded local emulator (default) or Google. "
    "Also GDOC_SYNC_BACKEND.",
)
@click.option(
    "--data-dir",
    default=None,  # checked by Settings, one line for every kind of unusable path
    help="Where local data lives (emulator state, sync journal). Also GDOC_SYNC_DATA_DIR.",
)
@click.option(
    "--credentials",
    type=click.Path(dir_okay=False),
    default=None,
    help="A service-account key or OAuth client secret file (Google backend).",
)
@click.option(
    "--impersonate",
    default=None,
    metavar="USER",
    help="Act as USER through domain-wide delegation (service accounts).",
)
@click.option(
    "--full-drive-scope",
    is_flag=True,
    default=False,
    help="Ask for the full `drive` scope: read and change ALL your Drive files. Only "
    "needed to work on Docs that gdoc-sync did not create and nobody opened with it.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(
    ctx: click.Context,
    backend: str | None,
    data_dir: str | None,
    credentials: str | None,
    impersonate: str | None,
    full_drive_scope: bool,
    debug: bool,
) -> None:
    """Run a multistakeholder workshop session through a shared Google Doc and Sheet.

    Organizers `create` the session Doc and Sheet from a template; moderators `sync` (or
    `watch`) what they note into the Sheet; rapporteurs `finalize` the action list and export
    the `report`. Without a Google account everything runs on the embedded local backend.

    Example:

        gdoc-sync demo
    """
    ctx.obj = Env(
        Settings.from_env(
            backend=backend,
            data_dir=data_dir,
            credentials_file=credentials,
            impersonate=impersonate,
            full_drive_scope=full_drive_scope,
            debug=debug,
        )
    )


# -- templates ----------------------------------------------------------------------------------


def _overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r}: expected KEY=VALUE", param_hint="--set")
        result[key.strip()] = value
    return result


set_option = click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Fill or override a template field or {placeholder}.",
)


@cli.group(cls=Group)
def template() -> None:
    """List, show and check session templates.

    Example:

        gdoc-sync template list
    """


@template.command("list")
@json_option
def template_list(as_json: bool) -> None:
    """List the shipped templates.

    Example:

        gdoc-sync template list --json
    """
    from gdoc_sync.core.template import list_templates

    templates = list_templates()
    if as_json:
        click.echo(dump_json([{"name": name, "title": title} for name, title in templates]))
        return
    for name, title in templates:
        click.echo(f"{name:<20} {title}")


@template.command("show")
@click.argument("name")
@set_option
def template_show(name: str, sets: tuple[str, ...]) -> None:
    """Show a template's session: facts, groups, questions.

    Example:

        gdoc-sync template show igf2025-ws354
    """
    from gdoc_sync.core.template import load_template

    t = load_template(name, _overrides(sets))
    click.echo(neutralise_lines(t.title))
    for label, value in (
        ("event", t.event),
        ("location", t.location),
        ("date", t.date),
        ("start", t.start),
        ("time zone", t.timezone),
        ("format", t.format),
        ("duration", t.duration_minutes),
        ("hybrid", t.hybrid),
    ):
        if value not in (None, ""):
            click.echo(neutralise_lines(f"  {label}: {value}"))
    click.echo("Stakeholder groups:")
    for g in t.groups:
        aliases = f" (also: {', '.join(g.aliases)})" if g.aliases else ""
        click.echo(neutralise_lines(f"  {g.key}: {g.name}{aliases}"))
    click.echo("Policy questions:")
    for q in t.questions:
        click.echo(neutralise_lines(f"  {q.id}. {q.text}"))


@template.command("validate")
@click.argument("path")
@set_option
def template_validate(path: str, sets: tuple[str, ...]) -> None:
    """Check a template; print every problem with its file, line and field.

    Example:

        gdoc-sync template validate my-session.toml
    """
    from gdoc_sync.core.template import validate_template
    from gdoc_sync.errors import TemplateError

    problems = validate_template(path, _overrides(sets))
    if problems:
        raise TemplateError("\n".join(problems))
    click.echo(f"{path}: ok")


@cli.command("init")
@click.argument("name")
@click.argument("path", required=False)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(name: str, path: str | None, force: bool) -> None:
    """Copy a shipped template out for editing.

    Example:

        gdoc-sync init roundtable my-session.toml
    """
    from gdoc_sync.core.template import template_source
    from gdoc_sync.local.outputs import create_new, write_output

    source = template_source(name)
    target = path or f"{name}.toml"
    # Never through a symlink planted where the file goes: exclusive, or a checked replace.
    if force:
        write_output(target, source)
    else:
        create_new(target, source)
    click.echo(f"wrote {target}; edit it, then: gdoc-sync template validate {target}")


# -- create ---------------------------------------------------------------------------------------


@cli.command("create")
@click.argument("template_ref", metavar="[TEMPLATE]", required=False)
@click.option(
    "--template",
    "template_opt",
    default=None,
    metavar="NAME",
    help="The template, as an option (the same as TEMPLATE; handy with --batch).",
)
@set_option
@click.option(
    "--share",
    "shares",
    multiple=True,
    metavar="EMAIL[=ROLE]",
    help="Share both files (ROLE: reader, commenter, writer; default writer). "
    "Also group:EMAIL and domain:NAME.",
)
@click.option(
    "--link",
    type=click.Choice(["reader", "commenter", "writer"]),
    default=None,
    help="Also share with anyone who has the link (off by default).",
)
@click.option(
    "--yes-anyone-can-edit",
    is_flag=True,
    help="Confirm --link writer: anyone with the link can change the Doc.",
)
@click.option(
    "--notify/--no-notify",
    default=True,
    show_default=True,
    help="E-mail the people it is shared with.",
)
@click.option("--message", default=None, help="Text for the sharing e-mail.")
@click.option(
    "--parent",
    default=None,
    metavar="FOLDER_ID",
    help="Create both files in this Drive folder or shared drive.",
)
@click.option(
    "--new",
    is_flag=True,
    help="Make a fresh pair even if this session (same event and title) exists.",
)
@click.option(
    "--update",
    is_flag=True,
    help="For a session that exists: apply the template's safe changes (new shares, new "
    "questions, renamed question text); contributions are not touched.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print an outline of the Doc and the Sheet, and who gets which share (with --json: "
    "the requests); call nothing.",
)
@click.option(
    "--batch",
    "batch_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Create one session per row of this CSV: title, date, start, timezone, "
    "moderator_email, online_moderator_email, rapporteur_email, optionally questions "
    '("Q1: text | Q2: text"); any other column fills that template field. The whole CSV is '
    "checked first; run the same command again to resume after an interruption.",
)
@click.option(
    "--result",
    "result_file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="With --batch: write every session's status, Doc and Sheet URLs to this CSV.",
)
@json_option
@pass_env
def create(
    env: Env,
    template_ref: str | None,
    template_opt: str | None,
    sets: tuple[str, ...],
    shares: tuple[str, ...],
    link: str | None,
    yes_anyone_can_edit: bool,
    notify: bool,
    message: str | None,
    parent: str | None,
    new: bool,
    update: bool,
    dry_run: bool,
    batch_file: str | None,
    result_file: str | None,
    as_json: bool,
) -> None:
    """Create the session's shared Doc and its companion Sheet from a template.

    TEMPLATE is a shipped template's name (see `gdoc-sync template list`) or a path. A
    session is its event and title: running create again for them finds the existing pair,
    prints it and says how the template differs from it (--update applies the safe changes,
    --new makes a second pair). For a whole event, one session per CSV row:
    `gdoc-sync create --batch sessions.csv --template igf-workshop`.

    Example:

        gdoc-sync create igf2025-ws354 --share moderator@example.org
        gdoc-sync create my-session.toml --update
    """
    from gdoc_sync.core.template import load_template
    from gdoc_sync.errors import UsageError
    from gdoc_sync.workflows.create import (
        CreateOptions,
        SessionMemory,
        Share,
        create_session,
        describe_existing,
        parse_share,
    )

    if template_ref and template_opt and template_ref != template_opt:
        raise UsageError(f"two templates given: {template_ref!r} and --template {template_opt!r}")
    template_ref = template_ref or template_opt
    if not template_ref:
        raise UsageError(
            "which template? give TEMPLATE or --template NAME (see `gdoc-sync template list`)"
        )
    if result_file and not batch_file:
        raise UsageError("--result goes with --batch FILE")
    if batch_file and sets:
        raise UsageError("--set cannot be used with --batch: put the values in CSV columns")
    share_list = [parse_share(s) for s in shares]
    if link:
        if link == "writer" and not yes_anyone_can_edit:
            raise UsageError(
                "--link writer lets anyone with the link edit the Doc; add "
                "--yes-anyone-can-edit to confirm"
            )
        share_list.append(Share(None, link, "anyone"))
    options = CreateOptions(
        shares=share_list,
        notify=notify,
        message=message,
        parent=parent,
        new=new,
        update=update,
        dry_run=dry_run,
    )
    if batch_file:
        _create_batch(env, template_ref, batch_file, result_file, options, as_json)
        return
    tmpl = load_template(template_ref, _overrides(sets))
    api = None if dry_run else env.api()
    options.template_file = template_ref
    memory = SessionMemory(env.settings.state_dir)
    created = create_session(api, tmpl, options, progress=env.err, memory=memory)
    if dry_run:
        if as_json:
            env.out(
                dump_json(
                    {
                        "session": created.to_json(),
                        "shared_with": created.shared_with,
                        "requests": created.requests,
                    }
                )
            )
        else:
            env.out("\n".join(created.outline))
        return
    for line in describe_existing(created, update):
        env.err(line)
    if as_json:
        env.out(dump_json(created.to_json()))
    else:
        env.out(f"Doc:   {created.document_url}")
        env.out(f"Sheet: {created.spreadsheet_url}")
        env.out(f"document id: {created.document_id}")
        env.out(f"spreadsheet id: {created.spreadsheet_id}")


def _create_batch(
    env: Env,
    template_ref: str,
    batch_file: str,
    result_file: str | None,
    options: Any,
    as_json: bool,
) -> None:
    """`create --batch`: one session per CSV row, with a progress bar on stderr."""
    import contextlib

    from gdoc_sync.workflows.batch import create_batch, summary
    from gdoc_sync.workflows.create import describe_existing

    api = None if options.dry_run else env.api()
    with contextlib.ExitStack() as stack:
        bar: Any = None

        def on_progress(p: Any) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(
                    click.progressbar(
                        length=p.total,
                        label="creating sessions",
                        file=sys.stderr,
                        item_show_func=lambda o: o.row.template.title[:40] if o else None,
                    )
                )
            if p.outcome is not None:
                bar.update(1, p.outcome)

        result = create_batch(
            api,
            batch_file,
            template_ref,
            options=options,
            progress=on_progress,
            result_csv=result_file,
        )
    if as_json:
        env.out(dump_json([o.csv_row() for o in result.outcomes]))
    else:
        for o in result.outcomes:
            url = o.created.document_url if o.created and o.status != "planned" else ""
            env.out(f"{o.status:8} {o.row.template.title}  {url}")
    for o in result.outcomes:
        if o.created is not None and o.created.changes:
            env.err(f"line {o.row.line} ({o.row.template.title!r}):")
            for line in describe_existing(o.created, options.update):
                env.err(f"  {line}")
    env.err(summary(result) + (f"; details in {result_file}" if result_file else ""))


# -- sync, watch, note, history -------------------------------------------------------------------


def _sync_deps(env: Env) -> tuple[Any, Any]:
    from gdoc_sync.local.journal import Journal
    from gdoc_sync.local.state import LocalState

    return LocalState(env.settings.state_dir), Journal(
        env.settings.journal_dir, warn=lambda m: env.err(f"warning: {m}")
    )


def _print_sync(env: Env, result: Any) -> None:
    if result.unchanged:
        env.out("no change since the last sync")
        return
    p = result.plan
    prefix = "would sync" if result.dry_run else "synced"
    env.out(
        f"{prefix}: {len(p.added)} added, {len(p.edited)} edited, {len(p.withdrawn)} "
        f"withdrawn, {len(p.removed)} removed, {len(p.unassigned)} unassigned, "
        f"{p.total} in the Doc"
    )
    for c in p.restored:
        env.out(f"  back in the Doc: {c.id} [{c.question_id}] {c.text}")
    if p.unassigned:
        # The example names one of this session's own groups.
        from gdoc_sync.locales.texts import session_language, texts

        config = result.config
        groups = config.groups if config is not None else ()
        hint = texts(session_language(config.facts if config is not None else None))
        example = ", " + hint["hint.example"].format(group=groups[0].name) if groups else ""
        env.out(f"unassigned (start the line with a stakeholder group{example}):")
        for c in p.unassigned:
            env.out(f"  {c.id} [{c.question_id}] {c.text}")
    from gdoc_sync.core.sheet import CONTRIBUTIONS

    for d in p.duplicates:
        env.err(f"warning: duplicate row for {d} in the {result.tabs[CONTRIBUTIONS]} tab")
    for problem in result.problems:
        env.err(f"warning: {problem}")


@cli.command("sync")
@click.argument("document", callback=_document_ref)
@click.option("--dry-run", is_flag=True, help="Show the changes without writing anything.")
@click.option(
    "--accept-removals",
    is_flag=True,
    help="Mark contributions as removed even when very many left the Doc at once.",
)
@click.option(
    "--removal-threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="Share of known contributions whose removal needs --accept-removals.",
)
@click.option("--force", is_flag=True, help="Sync even if the Doc has not changed.")
@json_option
@pass_env
def sync(
    env: Env,
    document: str,
    dry_run: bool,
    accept_removals: bool,
    removal_threshold: float,
    force: bool,
    as_json: bool,
) -> None:
    """Bring the Sheet up to date with what moderators noted in the Doc.

    DOCUMENT is the session Doc's URL or id; the Sheet and the session's configuration are
    found from it.

    Example:

        gdoc-sync sync https://docs.google.com/document/d/DOC_ID/edit
    """
    from gdoc_sync.workflows.sync import SyncOptions, sync_session

    state, journal = _sync_deps(env)
    result = sync_session(
        env.api(scopes=SCOPES_SYNC),
        document,
        state=state,
        journal=journal,
        options=SyncOptions(
            dry_run=dry_run,
            accept_removals=accept_removals,
            removal_threshold=removal_threshold,
            force=force,
        ),
        progress=env.err,
    )
    if as_json:
        env.out(dump_json(result.to_json()))
    else:
        _print_sync(env, result)


class _LiveStatus:
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


def _live_status() -> _LiveStatus:
    return _LiveStatus()


@cli.command("watch")
@click.argument("document", callback=_document_ref)
@click.option(
    "--interval",
    type=click.FloatRange(min=1.0),
    default=10.0,
    show_default=True,
    help="Seconds between syncs.",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many syncs (default: until Ctrl-C).",
)
@click.option("--accept-removals", is_flag=True, help="As for sync.")
@pass_env
def watch(
    env: Env, document: str, interval: float, rounds: int | None, accept_removals: bool
) -> None:
    """Sync again and again during the session, riding out hiccups, until Ctrl-C.

    Example:

        gdoc-sync watch DOC_URL --interval 15
    """
    from gdoc_sync.workflows.sync import SyncOptions
    from gdoc_sync.workflows.watch import watch_session

    state, journal = _sync_deps(env)
    show = _live_status()
    watch_session(
        env.api(scopes=SCOPES_SYNC),
        document,
        state=state,
        journal=journal,
        options=SyncOptions(accept_removals=accept_removals),
        interval=interval,
        rounds=rounds,
        status=show,
        on_round=show.round,
    )


@cli.command("board")
@click.argument("document", callback=_document_ref)
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

    state, journal = _sync_deps(env)
    api = env.api(scopes=SCOPES_READ if read_only else SCOPES_SYNC)
    options = SyncOptions(accept_removals=accept_removals)
    if snapshot:
        snapshot_status = _live_status()
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
        _write_output(env, html, snapshot)
        return
    show = _live_status()
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


@cli.command("note")
@click.argument("document", callback=_document_ref)
@click.argument("text")
@click.option(
    "--question",
    "-q",
    required=True,
    metavar="QID",
    help="The policy question's id (Q1...), or 'online' for the online discussion.",
)
@click.option("--speaker", default=None, help="Who said it.")
@click.option("--group", "proposer", default=None, help="The speaker's stakeholder group.")
@click.option("--online", is_flag=True, help="Said online.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Say where and what it would insert (and the request with --json); write nothing.",
)
@json_option
@pass_env
def note(
    env: Env,
    document: str,
    text: str,
    question: str,
    speaker: str | None,
    proposer: str | None,
    online: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Append one contribution at the end of a question's list in the Doc.

    Example:

        gdoc-sync note DOC_URL -q Q2 "Investors: publish HRDD policies" --speaker "Ana" --online
    """
    from gdoc_sync.locales import DEFAULT_LANGUAGE
    from gdoc_sync.workflows.note import NoteLedger, add_note, format_note

    def line(language: str) -> str:  # the channel word in the session Doc's language
        return format_note(text, speaker=speaker, group=proposer, online=online, language=language)

    line(DEFAULT_LANGUAGE)  # an empty text is refused before the Doc is read
    if dry_run:
        _preview_note(env, document, question, line, as_json)
        return
    ledger = NoteLedger(env.settings.state_dir, warn=lambda m: env.err(f"warning: {m}"))
    result = add_note(
        env.api(scopes=SCOPES_NOTE), document, question, line, ledger=ledger, progress=env.err
    )
    if as_json:
        env.out(
            dump_json({"section": result.section, "text": result.text, "already": result.already})
        )
    elif result.already:
        env.out(f"already in {result.section} (an earlier run added it): {result.text}")
    else:
        env.out(f"added to {result.section}: {result.text}")


def _preview_note(
    env: Env, document: str, question: str, line: Callable[[str], str], as_json: bool
) -> None:
    from gdoc_sync.workflows.note import preview_note

    plan = preview_note(env.api(scopes=SCOPES_READ), document, question, line)
    if as_json:
        env.out(
            dump_json(
                {
                    "section": plan.section,
                    "index": plan.index,
                    "text": plan.text,
                    "after": plan.after,
                    "requests": plan.requests,
                }
            )
        )
        return
    where = f"after {plan.after!r}" if plan.after else "into its empty bullet"
    env.out(f"would add to {plan.section}, at index {plan.index} ({where}): {plan.text}")
    env.err("dry run: nothing was written")


@cli.command("history")
@click.argument("document", callback=_document_ref)
@json_option
@pass_env
def history(env: Env, document: str, as_json: bool) -> None:
    """List the syncs of a session Doc made from this machine, from the local journal.

    Example:

        gdoc-sync history DOC_URL
    """
    from gdoc_sync.core.links import parse_document_ref

    _, journal = _sync_deps(env)
    document_id = parse_document_ref(document)
    entries = journal.history(document_id)
    if as_json:
        env.out(dump_json(entries))
        return
    if not entries:
        env.out(f"no syncs of {document_id} recorded in {env.settings.journal_dir}")
        return
    for e in entries:
        s = e["summary"]
        env.out(
            f"{e['at']}  {s['total']:>4} in Doc  +{s['added']} ~{s['edited']} "
            f"-{s['removed']} withdrawn {s['withdrawn']} unassigned {s['unassigned']}"
            f"{'  (full copy)' if e['full_copy'] else ''}"
        )


# -- finalize, report, export ---------------------------------------------------------------------


@cli.command("finalize")
@click.argument("document", callback=_document_ref)
@click.option("--dry-run", is_flag=True, help="Print the list and the planned requests only.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace the published list even where people edited it in the Doc by hand.",
)
@json_option
@pass_env
def finalize(env: Env, document: str, dry_run: bool, overwrite: bool, as_json: bool) -> None:
    """Write the curated action list into the Doc's Action points section and the Sheet.

    Reads the Contributions tab: while no Include box is ticked every assigned contribution still
    in the Doc goes in (except rows set to FALSE); once any box is ticked, only ticked ones do.
    Final wording replaces the moderator's text; Priority orders within a group.

    Example:

        gdoc-sync finalize DOC_URL --dry-run
    """
    from gdoc_sync.local.state import LocalState
    from gdoc_sync.workflows.finalize import finalize_session

    result = finalize_session(
        env.api(scopes=SCOPES_SYNC),
        document,
        state=LocalState(env.settings.state_dir),
        dry_run=dry_run,
        overwrite=overwrite,
        progress=env.err,
    )
    if as_json:
        data = result.actions.to_json()
        if dry_run:
            data["requests"] = result.requests
        env.out(dump_json(data))
        return
    for _, name, points in result.actions.by_group:
        env.out(name)
        for number, p in enumerate(points, start=1):
            env.out(f"  {number}. {p.text} [{p.question_id}, {p.contribution_id}]")
    for skipped in result.actions.skipped:
        env.err(f"left out {skipped}")
    if dry_run:
        env.out(dump_json({"requests": result.requests}))
        env.err(f"dry run: {result.actions.count} action point(s); nothing was written")
    elif result.unchanged:
        from gdoc_sync.core.sheet import ACTIONS

        env.err(
            f"the Doc already shows these {result.actions.count} action point(s); "
            f"the Sheet's {result.tabs[ACTIONS]} tab was refreshed"
        )
    else:
        env.err(
            f"published {result.actions.count} action point(s) ({result.actions.rule}) to "
            "the Doc and the Sheet"
        )


def _check_output(output: str | None) -> None:
    """A bad -o target is refused before any request is made."""
    if output:
        from gdoc_sync.local.outputs import check_output

        check_output(output)


def _write_output(env: Env, text: str, output: str | None) -> None:
    if output:
        from gdoc_sync.local.outputs import STDOUT, write_output

        write_output(output, text if text.endswith("\n") else text + "\n")
        if output != STDOUT:
            env.err(f"wrote {output}")
    else:
        env.out(text.rstrip("\n"))


@cli.command("report")
@click.argument("document", callback=_document_ref, required=False)
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
    _check_output(output)
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
    _write_output(env, text, output)


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


@cli.command("export")
@click.argument("document", callback=_document_ref)
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

    _check_output(output)
    api = env.api(scopes=SCOPES_READ)
    doc = api.get_document(document, tabs=True, suggestions=VIEW_MODES[suggestions])
    _write_output(env, render_document(doc, fmt, suggestions=suggestions), output)


@cli.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default="gdoc-sync-demo",
    show_default=True,
    help="Where the demo keeps its data and writes its outputs.",
)
@pass_env
def demo(env: Env, directory: str) -> None:
    """Run a whole workshop session offline: create, note, sync, curate, finalize, report.

    Uses the model IGF 2025 roundtable on human-rights due diligence by technology investors,
    on the embedded local backend: no account, no network.

    Example:

        gdoc-sync demo --dir /tmp/igf-demo
    """
    from pathlib import Path

    from gdoc_sync.workflows.demo import run_demo

    run_demo(Path(directory), say=click.echo, on_retry=env.retried)


# -- emulator -------------------------------------------------------------------------------------


@cli.group(cls=Group)
def emulator() -> None:
    """The local emulator of the Docs, Sheets and Drive APIs.

    Example:

        gdoc-sync emulator serve --port 8089
    """


@emulator.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8089,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: any free).",
)
@click.option(
    "--data-dir",
    "serve_dir",
    default=None,
    help="Where the emulator keeps its state (default: the local backend's).",
)
@click.option(
    "--log-size",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many of the latest requests the request log (/_emulator/requests) keeps.",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests whose Host header is NAME (besides the bound address and "
    "localhost).",
)
@pass_env
def emulator_serve(
    env: Env,
    host: str,
    port: int,
    serve_dir: str | None,
    allowed_hosts: tuple[str, ...],
    log_size: int,
) -> None:
    """Serve the emulator over HTTP until Ctrl-C.

    Point any command (or the real client libraries) at it with
    GDOC_SYNC_EMULATOR_HOST=HOST:PORT. Requests from web pages (another Origin, a foreign
    Host, a non-JSON body) are refused. On a non-loopback --host, the control endpoints
    (/_emulator/) need `Authorization: Bearer TOKEN`: the token printed at start, or
    GDOC_SYNC_EMULATOR_TOKEN.

    Example:

        gdoc-sync emulator serve --port 8089 --data-dir ./emulator-data
    """
    import os

    from gdoc_sync.emulator.app import Emulator
    from gdoc_sync.emulator.server import EmulatorServer
    from gdoc_sync.local.loopback import TOKEN_ENV, exposure_warning

    directory = serve_dir or str(env.settings.emulator_dir)
    if serve_dir is not None:
        from gdoc_sync.local.settings import check_data_dir

        check_data_dir(serve_dir, "--data-dir")
    from gdoc_sync.errors import UsageError

    given = os.environ.get(TOKEN_ENV) or None
    try:
        server = EmulatorServer(
            directory,
            host=host,
            port=port,
            emulator=Emulator(directory, log_size=log_size),
            token=given,
            allowed_hosts=allowed_hosts,
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from exc
    warning = exposure_warning(
        host,
        server.port,
        "read and change every document of this emulator",
        "its control endpoints (/_emulator/)",
    )
    if warning:
        env.err(warning)
    if server.token and not given:
        env.err(
            f"control token: {server.token} (send Authorization: Bearer TOKEN; "
            f"set {TOKEN_ENV} to choose one)"
        )
    env.err(f"emulator serving Docs, Sheets and Drive on {server.url} (data in {directory})")
    env.err(f"use it with: GDOC_SYNC_EMULATOR_HOST={server.address}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        env.err("emulator stopped")


def _add_auth_commands() -> None:
    # Imported here: cli/auth.py builds on Env and the helpers above (an import cycle that a
    # module-level import would leave mypy unable to type).
    from gdoc_sync.cli.auth import auth, doctor

    cli.add_command(auth)
    cli.add_command(doctor)


_add_auth_commands()


# -- entry point ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; errors become one line on stderr and an exit code (tracebacks with --debug)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="gdoc-sync", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(ExitCode.error)
    except click.BadParameter as exc:
        # A missing or wrong argument (a file that is not there, a folder given for a file):
        # one line, like every other error, with where to read more.
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        click.echo(f"error: {exc.format_message()}{where}", err=True)
        sys.exit(ExitCode.usage)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.usage if exc.exit_code == 2 else exc.exit_code)
    except GdocSyncError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(neutralise_lines(f"error: {describe(exc)}"), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(ExitCode.ok)
