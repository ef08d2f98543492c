"""The command line's frame: help on every command, version, backend choice, errors, exit codes."""

from __future__ import annotations

import click
import pytest
from conftest import run_cli

from gdoc_sync import __version__
from gdoc_sync.cli.main import cli


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


# -- file path arguments: one line, never a traceback (issue 12) ---------------------------------

DOC_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123"


@pytest.mark.parametrize(
    "args,expected",
    [
        (
            ["template", "validate", "{dir}"],
            "error: {dir} is a folder; give a template file (.toml)",
        ),
        (
            ["template", "validate", "{missing}/x.toml"],
            "error: {missing}/x.toml: no such template file",
        ),
        (["template", "show", "{file}/x.toml"], "error: {file}/x.toml: no such template file"),
        (
            ["create", "{missing}/x.toml", "--dry-run"],
            "error: {missing}/x.toml: no such template file",
        ),
        (
            ["create", "--batch", "{missing}/s.csv", "--template", "roundtable"],
            "error: Invalid value for '--batch': File '{missing}/s.csv' does not exist. "
            "(see `gdoc-sync create --help`)",
        ),
        (
            ["create", "--batch", "{dir}", "--template", "roundtable"],
            "error: Invalid value for '--batch': File '{dir}' is a directory. "
            "(see `gdoc-sync create --help`)",
        ),
        (
            ["report", "--event", "{dir}"],
            "error: Invalid value for '--event': File '{dir}' is a directory. "
            "(see `gdoc-sync report --help`)",
        ),
        (
            ["report", "--event", "{missing}/r.csv"],
            "error: {missing}/r.csv: cannot read the result file: No such file or directory",
        ),
        (
            ["init", "roundtable", "{file}/x.toml"],
            "error: {file}/x.toml: cannot write there (Not a directory)",
        ),
        (
            ["init", "roundtable", "{file}/x.toml", "--force"],
            "error: {file}/x.toml: cannot write there (Not a directory)",
        ),
        (
            ["report", DOC_ID, "-o", "{file}/x.md"],
            "error: {file}/x.md: cannot write there (Not a directory)",
        ),
        (
            ["export", DOC_ID, "-o", "{file}/x.md"],
            "error: {file}/x.md: cannot write there (Not a directory)",
        ),
        (
            ["report", DOC_ID, "-o", "{dir}"],
            "error: Invalid value for '-o' / '--output': File '{dir}' is a directory. "
            "(see `gdoc-sync report --help`)",
        ),
        (["init", "roundtable", "{dir}"], "error: {dir} exists; use --force to overwrite it"),
    ],
)
def test_every_file_path_argument_fails_in_one_line(
    tmp_path, args: list[str], expected: str
) -> None:
    places = {"dir": str(tmp_path / "folder"), "missing": str(tmp_path / "no-such-folder")}
    places["file"] = str(tmp_path / "a-file")
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("not a folder\n")
    result = run_cli(
        [a.format(**places) for a in args], {"GDOC_SYNC_DATA_DIR": str(tmp_path / "data")}
    )
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("local backend")]
    assert lines == [expected.format(**places)]
    assert "Traceback" not in result.stderr and not (tmp_path / "no-such-folder").exists()


def test_init_and_report_make_missing_folders_alike(cli, backend, tmp_path) -> None:
    """init and report -o both create the folders a new file's path names (as `-o` always did)."""
    created = cli("create", "roundtable", "--no-notify", "--json")
    assert created.exit_code == 0, created.stderr
    import json as json_module

    doc = json_module.loads(created.stdout)["document_id"]
    template = tmp_path / "new" / "deeper" / "mine.toml"
    report = tmp_path / "other" / "deeper" / "report.md"
    assert cli("init", "roundtable", str(template)).exit_code == 0
    made = cli("report", doc, "-o", str(report))
    assert made.exit_code == 0, made.stderr
    assert "[[groups]]" in template.read_text("utf-8")
    assert report.read_text("utf-8").startswith("#")


# -- what the README's command table says each command has ---------------------------------------

README = __import__("pathlib").Path(__file__).parent.parent / "README.md"


def readme_commands() -> dict[str, tuple[bool, bool]]:
    """The README's command table: command -> (has --json, has --dry-run) as it claims."""
    text = README.read_text("utf-8").split("### Commands", 1)[1]
    rows: dict[str, tuple[bool, bool]] = {}
    for line in text.splitlines():
        if not line.startswith("| `"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = (cells[2] == "yes", cells[3] == "yes")
    return rows


def test_the_readme_command_table_matches_the_cli() -> None:
    claimed = readme_commands()
    actual = {}
    for name, command in all_commands(cli):
        if isinstance(command, click.Group):
            continue
        options = {opt for param in command.params for opt in param.opts}
        actual[name] = ("--json" in options, "--dry-run" in options)
    assert len(claimed) >= 18
    assert claimed == actual


def test_template_list_json() -> None:
    listed = run_cli(["template", "list", "--json"])
    assert listed.exit_code == 0
    import json as json_module

    names = [t["name"] for t in json_module.loads(listed.stdout)]
    assert names == [
        "igf-regional-bogota-es",
        "igf-regional-dakar-fr",
        "igf-workshop",
        "igf2025-ws354",
        "roundtable",
    ]
    plain = run_cli(["template", "list"]).stdout.splitlines()
    assert [line.split()[0] for line in plain] == names
