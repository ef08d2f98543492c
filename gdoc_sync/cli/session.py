"""The session's commands: create, sync, watch, note, history, finalize."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from gdoc_sync.cli.env import (
    Env,
    document_ref,
    dump_json,
    json_option,
    overrides,
    pass_env,
    set_option,
    sync_deps,
)
from gdoc_sync.cli.render import LiveStatus, history_line, print_sync
from gdoc_sync.google.scopes import SCOPES_NOTE, SCOPES_READ, SCOPES_SYNC


@click.command("create")
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
    tmpl = load_template(template_ref, overrides(sets))
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


@click.command("sync")
@click.argument("document", callback=document_ref)
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

    state, journal = sync_deps(env)
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
        print_sync(env, result)


@click.command("watch")
@click.argument("document", callback=document_ref)
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

    state, journal = sync_deps(env)
    show = LiveStatus()
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


@click.command("note")
@click.argument("document", callback=document_ref)
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


@click.command("history")
@click.argument("document", callback=document_ref)
@json_option
@pass_env
def history(env: Env, document: str, as_json: bool) -> None:
    """List the syncs of a session Doc made from this machine, from the local journal.

    Example:

        gdoc-sync history DOC_URL
    """
    from gdoc_sync.core.links import parse_document_ref

    _, journal = sync_deps(env)
    document_id = parse_document_ref(document)
    entries = journal.history(document_id)
    if as_json:
        env.out(dump_json(entries))
        return
    if not entries:
        env.out(f"no syncs of {document_id} recorded in {env.settings.journal_dir}")
        return
    for entry in entries:
        env.out(history_line(entry))


@click.command("finalize")
@click.argument("document", callback=document_ref)
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
