"""Tools around sessions: templates, the demo, the local emulator."""

from __future__ import annotations

import click

from gdoc_sync.cli.env import Env, Group, dump_json, json_option, overrides, pass_env, set_option
from gdoc_sync.core.textsafe import neutralise_lines


@click.group(cls=Group)
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

    t = load_template(name, overrides(sets))
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

    problems = validate_template(path, overrides(sets))
    if problems:
        raise TemplateError("\n".join(problems))
    click.echo(f"{path}: ok")


@click.command("init")
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


@click.command("demo")
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


@click.group(cls=Group)
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
