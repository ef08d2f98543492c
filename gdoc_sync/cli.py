"""The command line: parse, call the library, print. No workshop logic lives here."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import ExitCode, GdocSyncError
from .settings import Settings


class Env:
    """What a command gets from the group: settings, and where to print."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def out(self, text: str = "") -> None:
        click.echo(text)

    def err(self, text: str) -> None:
        click.echo(text, err=True)

    def api(self, **kwargs: Any) -> Any:
        from .session import open_api

        return open_api(self.settings, notice=self.err, **kwargs)


pass_env = click.make_pass_decorator(Env)


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(fn)


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


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
    type=click.Path(file_okay=False),
    default=None,
    help="Where local data lives (emulator state, sync journal). Also GDOC_SYNC_DATA_DIR.",
)
@click.option(
    "--credentials",
    type=click.Path(dir_okay=False),
    default=None,
    help="A service-account key or OAuth client secret file (Google backend).",
)
@click.option("--impersonate", default=None, metavar="USER",
              help="Act as USER through domain-wide delegation (service accounts).")
@click.option("--full-drive-scope", is_flag=True, default=False,
              help="Ask for the full `drive` scope: read and change ALL your Drive files. Only "
              "needed to work on Docs that gdoc-sync did not create and nobody opened with it.")
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


# -- emulator -------------------------------------------------------------------------------------


@cli.group(cls=Group)
def emulator() -> None:
    """The local emulator of the Docs, Sheets and Drive APIs.

    Example:

        gdoc-sync emulator serve --port 8089
    """


@emulator.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8089, show_default=True, type=int, help="Port (0: any free).")
@click.option("--data-dir", "serve_dir", type=click.Path(file_okay=False), default=None,
              help="Where the emulator keeps its state (default: the local backend's).")
@pass_env
def emulator_serve(env: Env, host: str, port: int, serve_dir: str | None) -> None:
    """Serve the emulator over HTTP until Ctrl-C.

    Point any command (or the real client libraries) at it with
    GDOC_SYNC_EMULATOR_HOST=HOST:PORT.

    Example:

        gdoc-sync emulator serve --port 8089 --data-dir ./emulator-data
    """
    from .emulator.server import EmulatorServer

    directory = serve_dir or str(env.settings.emulator_dir)
    server = EmulatorServer(directory, host=host, port=port)
    env.err(f"emulator serving Docs, Sheets and Drive on {server.url} (data in {directory})")
    env.err(f"use it with: GDOC_SYNC_EMULATOR_HOST={server.address}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        env.err("emulator stopped")


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
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.usage if exc.exit_code == 2 else exc.exit_code)
    except GdocSyncError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(ExitCode.ok)


