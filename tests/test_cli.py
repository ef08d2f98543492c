"""The command line's frame: help on every command, version, backend choice, errors, exit codes."""

from __future__ import annotations

import click
import pytest
from conftest import run_cli

from gdoc_sync import __version__
from gdoc_sync.cli import cli


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += all_commands(command, prefix + name + " ")
    return found


@pytest.mark.parametrize("name,command", all_commands(cli), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example:" in command.help, f"{name} has no example in its help"
    result = run_cli([*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_version() -> None:
    result = run_cli(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"gdoc-sync, version {__version__}"


def test_local_backend_says_where_its_data_lives(tmp_path) -> None:
    result = run_cli(
        ["sync", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123"], {"GDOC_SYNC_DATA_DIR": str(tmp_path)}
    )
    assert result.stderr.splitlines()[0] == f"local backend: data in {tmp_path / 'emulator'}"


def test_unknown_backend_is_a_usage_error(tmp_path) -> None:
    result = run_cli(["template", "list"], {"GDOC_SYNC_BACKEND": "dropbox"})
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: unknown backend 'dropbox' (GDOC_SYNC_BACKEND or "
        "--backend): use one of local, google"
    )


def test_errors_are_one_line_and_debug_shows_the_traceback(tmp_path) -> None:
    env = {"GDOC_SYNC_DATA_DIR": str(tmp_path)}
    plain = run_cli(["sync", "not a url"], env)
    assert plain.exit_code == 2
    assert (
        plain.stderr.strip() == "error: 'not a url' is neither a Google Docs URL nor a document id"
    )
    debug = run_cli(["--debug", "sync", "not a url"], env)
    assert debug.exit_code == 2
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.strip().endswith(
        "error: 'not a url' is neither a Google Docs URL nor a document id"
    )


def test_click_usage_errors_exit_2() -> None:
    result = run_cli(["sync"])
    assert result.exit_code == 2
    assert "Missing argument 'DOCUMENT'" in result.stderr


def test_template_commands(tmp_path) -> None:
    listed = run_cli(["template", "list"])
    assert listed.exit_code == 0
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == [
        "igf-regional-bogota-es",
        "igf-regional-dakar-fr",
        "igf-workshop",
        "igf2025-ws354",
        "roundtable",
    ]
    shown = run_cli(["template", "show", "igf2025-ws354"])
    assert "Q4. What is the role of investors currently engaged in HRDD" in shown.stdout
    copy = tmp_path / "mine.toml"
    assert run_cli(["init", "roundtable", str(copy)]).exit_code == 0
    assert run_cli(["template", "validate", str(copy)]).stdout.strip() == f"{copy}: ok"
    again = run_cli(["init", "roundtable", str(copy)])
    assert again.exit_code == 2 and "exists; use --force" in again.stderr
    copy.write_text(copy.read_text().replace("\naliases = ", "\nalises = ", 1))
    bad = run_cli(["template", "validate", str(copy)])
    assert bad.exit_code == 2
    assert 'alises: unknown field (did you mean "aliases"?)' in bad.stderr
