"""The command line: parse, call the library, print. No workshop logic lives here.

The group and its global options are here, and the one place errors become exit codes; the
commands live by what they are about: cli.session (create, sync, watch, note, history,
finalize), cli.outputs (report, export, board), cli.tools (template, init, demo, emulator),
cli.auth (auth, doctor). Their words are in cli.render."""

from __future__ import annotations

import sys

import click

from gdoc_sync import __version__
from gdoc_sync.cli.auth import auth, doctor
from gdoc_sync.cli.env import Env, Group
from gdoc_sync.cli.outputs import board, export, report
from gdoc_sync.cli.session import create, finalize, history, note, sync, watch
from gdoc_sync.cli.tools import demo, emulator, init, template
from gdoc_sync.core.textsafe import neutralise_lines
from gdoc_sync.errors import ExitCode, GdocSyncError, describe
from gdoc_sync.local.settings import Settings


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


# In --help, in this order.
for _command in (
    template,
    init,
    create,
    sync,
    watch,
    board,
    note,
    history,
    finalize,
    report,
    export,
    demo,
    emulator,
    auth,
    doctor,
):
    cli.add_command(_command)


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
