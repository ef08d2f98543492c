"""What every command shares: the Env it is given, the common options, JSON and file output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from gdoc_sync.core.textsafe import neutralise_all, neutralise_lines
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


def document_ref(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
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


def overrides(pairs: tuple[str, ...]) -> dict[str, str]:
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


def sync_deps(env: Env) -> tuple[Any, Any]:
    """This machine's records of sync: the local state and the journal."""
    from gdoc_sync.local.journal import Journal
    from gdoc_sync.local.state import LocalState

    return LocalState(env.settings.state_dir), Journal(
        env.settings.journal_dir, warn=lambda m: env.err(f"warning: {m}")
    )


def check_output(output: str | None) -> None:
    """A bad -o target is refused before any request is made."""
    if output:
        from gdoc_sync.local import outputs

        outputs.check_output(output)


def write_output(env: Env, text: str, output: str | None) -> None:
    """`text` to the -o file (saying so), or to stdout."""
    if output:
        from gdoc_sync.local import outputs

        outputs.write_output(output, text if text.endswith("\n") else text + "\n")
        if output != outputs.STDOUT:
            env.err(f"wrote {output}")
    else:
        env.out(text.rstrip("\n"))
