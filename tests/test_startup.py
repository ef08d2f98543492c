"""Start-up: commands that never talk to Google import none of the Google stack; the ones that
do import it without gspread's OAuth sign-in flow, and build discovery collections lazily.

Each check runs the real CLI in a fresh interpreter (a subprocess), so what is in `sys.modules`
is what that command imported, nothing a test imported before. No timing here: speed is
measured by `benchmarks/startup.py`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gdoc_sync.emulator.app import Emulator
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator

# The Google client stack, and the parts of gdoc-sync that are its seam.
GOOGLE_STACK = (
    "googleapiclient",
    "gspread",
    "google.auth",
    "google.oauth2",
    "google_auth_oauthlib",
    "httplib2",
    "requests",
    "gdoc_sync.google.api",
    "gdoc_sync.google.clients",
    "gdoc_sync.google.auth",
    "gdoc_sync.google.errors",
    "gdoc_sync.emulator.app",
)
OAUTH_FLOW = ("google_auth_oauthlib", "google_auth_oauthlib.flow", "oauthlib", "requests_oauthlib")

# Runs the CLI in this fresh interpreter, then reports its output and which modules it loaded.
RUN_CLI = """
import contextlib, io, json, sys
from gdoc_sync.cli.main import cli
out = io.StringIO()
code = 0
with contextlib.redirect_stdout(out):
    try:
        cli.main(args=sys.argv[1:], prog_name="gdoc-sync")
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDOC_SYNC_")}
    env["GDOC_SYNC_DATA_DIR"] = str(data_dir)
    env["GDOC_SYNC_BACKEND"] = "local"
    return env


def run_cli(data_dir: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.splitlines()[-1]))


def loaded(result: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    return [
        m for m in result["modules"] if m in names or m.startswith(tuple(n + "." for n in names))
    ]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A session on the local backend with one note synced: the journal has one entry."""
    data_dir = tmp_path_factory.mktemp("startup") / "data"

    def gdoc_sync(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "gdoc_sync", *args],
            env=_env(data_dir),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    doc = json.loads(gdoc_sync("create", "igf2025-ws354", "--no-notify", "--json"))["document_id"]
    gdoc_sync("note", doc, "-q", "Q1", "Investors: publish HRDD policies", "--speaker", "Zoë")
    gdoc_sync("sync", doc)
    return data_dir, doc


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("template", "list"),
        ("template", "show", "igf2025-ws354"),
        ("template", "validate", "igf2025-ws354"),
        ("sync", "--help"),
        ("note", "--help"),
    ],
    ids=lambda a: " ".join(a),
)
def test_local_commands_import_no_google_stack(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli(tmp_path / "data", *args)
    assert result["code"] == 0
    assert result["out"].strip()
    assert loaded(result, GOOGLE_STACK) == []


def test_history_reads_the_journal_without_the_google_stack(session: tuple[Path, str]) -> None:
    data_dir, doc = session
    result = run_cli(data_dir, "history", doc, "--json")
    assert result["code"] == 0
    entries = json.loads(result["out"])
    assert len(entries) == 1
    assert entries[0]["summary"]["added"] == 1  # the one note made above
    assert loaded(result, GOOGLE_STACK) == []


def test_note_uses_the_client_libraries_without_the_oauth_flow(session: tuple[Path, str]) -> None:
    data_dir, doc = session
    result = run_cli(data_dir, "note", doc, "-q", "Q2", "Governments: 🌍 مرحبا", "--speaker", "Ana")
    assert result["code"] == 0
    assert "Governments: 🌍 مرحبا" in result["out"]
    modules = loaded(result, GOOGLE_STACK)
    # It talked to the emulator through the real libraries ...
    assert {"googleapiclient.discovery", "gspread", "gdoc_sync.google.api"} <= set(modules)
    # ... and gspread's sign-in flow, which gdoc-sync never uses, was not imported.
    assert loaded(result, OAUTH_FLOW) == []


GSPREAD_OAUTH = """
import json, sys
{first}
import gdoc_sync, gspread
before = sorted(m for m in sys.modules if m.startswith(("google_auth_oauthlib", "oauthlib")))
flow = gspread.auth.InstalledAppFlow
from google_auth_oauthlib.flow import InstalledAppFlow
made = flow.from_client_config(
    {{"installed": {{"client_id": "id.apps.googleusercontent.com", "client_secret": "s",
      "auth_uri": "https://accounts.google.com/o/oauth2/auth",
      "token_uri": "https://oauth2.googleapis.com/token"}}}},
    ["https://www.googleapis.com/auth/spreadsheets"],
)
print(json.dumps({{
    "before": before,
    "is_real_class": flow is InstalledAppFlow,
    "same_constructor": flow.from_client_config == InstalledAppFlow.from_client_config,
    "made": type(made) is InstalledAppFlow,
    "client_id": made.client_config["client_id"],
    "stand_in_left": type(sys.modules["google_auth_oauthlib.flow"]).__name__,
    "flow_module": sys.modules["google_auth_oauthlib.flow"].__file__ is not None,
}}))
"""


@pytest.mark.parametrize("first", ["", "import google_auth_oauthlib.flow"], ids=["after", "before"])
def test_gspread_oauth_flow_still_works_when_deferred(first: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", GSPREAD_OAUTH.format(first=first)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    if first:  # loaded before gdoc_sync: gspread gets the real class, as without gdoc-sync
        assert result["is_real_class"] is True
        assert result["before"]
    else:  # deferred: nothing of it imported until gspread.auth.InstalledAppFlow is used
        assert result["before"] == []
        assert result["is_real_class"] is False
    # Either way gspread's OAuth helpers get the real flow, and the real module is in place.
    assert result["same_constructor"] is True
    assert result["made"] is True
    assert result["client_id"] == "id.apps.googleusercontent.com"
    assert result["flow_module"] is True


def test_collections_are_built_on_first_use_without_schema_docstrings(tmp_path: Path) -> None:
    emulator = Emulator(tmp_path / "emulator")
    api = GoogleApi(for_emulator(emulator))
    assert not {"_documents", "_files", "_permissions"} & set(vars(api))
    documents = api.clients.docs.documents()
    made = documents.create(body={"title": "Start-up ✓"}).execute()
    doc = api.get_document(made["documentId"])
    assert doc["title"] == "Start-up ✓"
    assert "_documents" in vars(api)
    assert not {"_files", "_permissions"} & set(vars(api))  # Drive's: not needed yet
    # The method's docstring still lists its parameters, without the whole Document schema.
    get_doc = api._documents.get.__doc__
    assert "documentId: string" in get_doc
    assert "a Document object" in get_doc
    assert '"namedStyles"' not in get_doc
    # Paging still finds its token from the response schema: list every file, 1 a page.
    for n in range(3):
        documents.create(body={"title": f"paged {n}"}).execute()
    files = api.clients.drive.files()
    seen: list[str] = []
    request = files.list(pageSize=1, fields="nextPageToken,files(id,name)")
    while request is not None:
        page = request.execute()
        seen += [f["name"] for f in page["files"]]
        request = files.list_next(request, page)
    assert sorted(seen) == sorted(["Start-up ✓", "paged 0", "paged 1", "paged 2"])
