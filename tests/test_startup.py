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

# What no command that talks to Google needs at start-up: imported on first use, if ever.
DEFERRED_DEPENDENCIES = ("pyparsing", "cryptography", "asyncio")

# Counts the discovery-based clients built (googleapiclient's build_from_document), by API name.
COUNT_BUILDS = """
import json as _json
import googleapiclient.discovery as _discovery
BUILT = []
_build = _discovery.build_from_document
def _counting(service, *args, **kwargs):
    BUILT.append(_json.loads(service)["name"] if isinstance(service, str) else service["name"])
    return _build(service, *args, **kwargs)
_discovery.build_from_document = _counting
"""

# Runs the CLI in this fresh interpreter, then reports its output and which modules it loaded.
RUN_CLI = """
import contextlib, io, json, sys
BUILT = None
{count_builds}
from gdoc_sync.cli.main import cli
out = io.StringIO()
code = 0
with contextlib.redirect_stdout(out):
    try:
        cli.main(args=sys.argv[1:], prog_name="gdoc-sync")
    except SystemExit as exc:
        code = exc.code
result = {{"code": code, "out": out.getvalue(), "modules": sorted(sys.modules), "built": BUILT}}
print(json.dumps(result))
"""


def _env(data_dir: Path, emulator_host: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDOC_SYNC_")}
    env["GDOC_SYNC_DATA_DIR"] = str(data_dir)
    env["GDOC_SYNC_BACKEND"] = "local"
    if emulator_host:
        env["GDOC_SYNC_EMULATOR_HOST"] = emulator_host
    return env


def run_cli(
    data_dir: Path, *args: str, count_builds: bool = False, emulator_host: str | None = None
) -> dict[str, Any]:
    """The CLI run in a fresh interpreter; with count_builds, the discovery clients it built
    (googleapiclient is then imported first, so its modules say nothing)."""
    code = RUN_CLI.format(count_builds=COUNT_BUILDS if count_builds else "")
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=_env(data_dir, emulator_host),
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


def _doc_text(data_dir: Path, doc: str) -> str:
    """The Doc's text, read back through googleapiclient from the local backend's data."""
    clients = for_emulator(Emulator(data_dir / "emulator"))
    got = clients.docs.documents().get(documentId=doc).execute()
    return "".join(
        run["textRun"]["content"]
        for element in got["body"]["content"]
        for run in element.get("paragraph", {}).get("elements", [])
        if "textRun" in run
    )


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


@pytest.mark.parametrize("args", [("--help",), ("sync", "--help")], ids=" ".join)
def test_help_does_not_load_importlib_resources(tmp_path: Path, args: tuple[str, ...]) -> None:
    """importlib.abc pulls in importlib.resources (~13 ms of every start): the import hooks
    need no base class at run time and the templates' package data is read only when used."""
    result = run_cli(tmp_path / "data", *args)
    assert result["code"] == 0
    assert loaded(result, ("importlib.abc", "importlib.resources")) == []


def test_history_reads_the_journal_without_the_google_stack(session: tuple[Path, str]) -> None:
    data_dir, doc = session
    result = run_cli(data_dir, "history", doc, "--json")
    assert result["code"] == 0
    entries = json.loads(result["out"])
    assert len(entries) == 1
    assert entries[0]["summary"]["added"] == 1  # the one note made above
    assert loaded(result, GOOGLE_STACK) == []


def test_note_uses_docs_through_googleapiclient_without_gspread(session: tuple[Path, str]) -> None:
    data_dir, doc = session
    result = run_cli(data_dir, "note", doc, "-q", "Q2", "Governments: 🌍 مرحبا", "--speaker", "Ana")
    assert result["code"] == 0
    assert "Governments: 🌍 مرحبا" in result["out"]
    modules = loaded(result, GOOGLE_STACK)
    # It talked to the emulator through the real Docs client ...
    assert {"googleapiclient.discovery", "gdoc_sync.google.api"} <= set(modules)
    # ... and loaded neither gspread (a note never touches the Sheet), nor requests (the local
    # backend's Docs transport is in-process), nor gspread's sign-in flow ...
    assert loaded(result, ("gspread", "requests", "urllib3")) == []
    assert loaded(result, OAUTH_FLOW) == []
    # ... nor what the client stack imports for paths a note never takes ...
    assert loaded(result, DEFERRED_DEPENDENCIES) == []
    # ... nor the emulator's Sheets engine (the local backend answered Docs requests only).
    assert loaded(result, ("gdoc_sync.emulator.sheets",)) == []
    # Read back through the client: the note is in the Doc.
    assert "Governments: 🌍 مرحبا" in _doc_text(data_dir, doc)


def test_note_builds_the_docs_client_only(session: tuple[Path, str]) -> None:
    data_dir, doc = session
    result = run_cli(data_dir, "note", doc, "-q", "Q2", "All: counted", count_builds=True)
    assert result["code"] == 0
    assert "All: counted" in result["out"]
    assert result["built"] == ["docs"]
    assert "All: counted" in _doc_text(data_dir, doc)


def test_sync_uses_gspread_without_the_oauth_flow(session: tuple[Path, str]) -> None:
    data_dir, doc = session
    result = run_cli(data_dir, "sync", doc)
    assert result["code"] == 0
    assert {"googleapiclient.discovery", "gspread"} <= set(loaded(result, GOOGLE_STACK))
    assert loaded(result, OAUTH_FLOW) == []
    assert loaded(result, DEFERRED_DEPENDENCIES) == []


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


def test_note_over_emulator_serve_loads_no_emulator_and_no_gspread(tmp_path: Path) -> None:
    from gdoc_sync.emulator.server import EmulatorServer

    data_dir = tmp_path / "data"
    with EmulatorServer(tmp_path / "served") as server:
        made = run_cli(
            data_dir, "create", "roundtable", "--no-notify", "--json", emulator_host=server.address
        )
        doc = json.loads(made["out"])["document_id"]
        result = run_cli(
            data_dir, "note", doc, "-q", "Q1", "All: über HTTP ✓", emulator_host=server.address
        )
        assert result["code"] == 0
        assert "All: über HTTP ✓" in result["out"]
        # Over HTTP: the Docs client through requests, and nothing of the emulator but the
        # exception a dropped connection raises (and the path matcher it names).
        assert "requests" in result["modules"]
        assert loaded(result, ("gdoc_sync.emulator",)) == [
            "gdoc_sync.emulator",
            "gdoc_sync.emulator.faults",
            "gdoc_sync.emulator.pathmatch",
        ]
        assert loaded(result, ("gspread", *DEFERRED_DEPENDENCIES)) == []
        # The served emulator holds the note, read back through googleapiclient.
        clients = for_emulator(server.emulator)
        got = clients.docs.documents().get(documentId=doc).execute()
        assert "All: über HTTP ✓" in json.dumps(got, ensure_ascii=False)


# The deferred modules still do their work when used, through the libraries that import them.
DEFERRED_AT_WORK = """
import json, sys
import gdoc_sync
from gdoc_sync.google import deferred_imports
import googleapiclient.discovery, gspread, httplib2
before = sorted(m for m in ("pyparsing", "cryptography", "asyncio") if m in sys.modules)
deferred = sorted(n for n in deferred_imports.DEFERRED if deferred_imports.is_deferred(n))
import google.auth.jwt
from google.oauth2 import credentials as user_credentials, service_account

# httplib2 parses a digest challenge with pyparsing.
challenge = httplib2.auth._parse_www_authenticate(
    {"www-authenticate": 'Digest realm="r", nonce="n", qop="auth"'}
)
# A service account signs a JWT with cryptography; google-auth verifies it.
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pem = key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
account = service_account.Credentials.from_service_account_info(
    {"type": "service_account", "client_email": "a@p.iam.gserviceaccount.com",
     "private_key": pem, "private_key_id": "k1", "token_uri": "https://oauth2.googleapis.com/token"},
    scopes=["https://www.googleapis.com/auth/documents"],
)
import time
now = int(time.time())
token = google.auth.jwt.encode(account.signer, {"sub": "Zoë", "iat": now, "exp": now + 60})
public = key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
claims = google.auth.jwt.decode(token, certs={"k1": public}, verify=True, audience=None)
# A user credential (its refresh back-off and re-authentication are asyncio and reauth's).
user = user_credentials.Credentials(token="t", refresh_token="r", client_id="c", client_secret="s")
from google.auth import _exponential_backoff, iam
from google.oauth2 import reauth
iam_signer = iam.Signer(None, account, "a@p.iam.gserviceaccount.com")
print(json.dumps({
    "before": before,
    "deferred": deferred,
    "challenge": challenge["digest"]["realm"],
    "sub": claims["sub"],
    "user_valid": user.valid,
    "backoff": len(list(_exponential_backoff.ExponentialBackoff(total_attempts=3))),
    "reauth": callable(reauth.refresh_grant),
    "iam_key_id": iam_signer.key_id,
    "still_deferred": [n for n in deferred_imports.DEFERRED if deferred_imports.is_deferred(n)],
    "module_types": sorted({type(sys.modules[n]).__name__ for n in deferred_imports.DEFERRED}),
}))
"""


def test_deferred_modules_are_loaded_when_used() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DEFERRED_AT_WORK],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # Importing both client libraries ran none of them ...
    assert result["before"] == []
    assert result["deferred"] != []
    # ... and each did its work when used: the same answers as without gdoc-sync.
    assert result["challenge"] == "r"
    assert result["sub"] == "Zoë"
    assert result["user_valid"] is True
    assert result["backoff"] == 3
    assert result["reauth"] is True
    assert result["iam_key_id"] is None  # an IAM signer has no local key
    assert result["still_deferred"] == []
    assert result["module_types"] == ["module"]


# Several threads read a deferred module at once: its code runs once, and every thread sees it
# whole. The module sleeps while it runs, so the other threads arrive meanwhile.
DEFERRED_RACE = """
import json, sys, threading
sys.path.insert(0, sys.argv[1])
import gdoc_sync
from gdoc_sync.google import deferred_imports
deferred_imports.DEFERRED["slow_module_for_test"] = "a test module"
import slow_module_for_test
assert deferred_imports.is_deferred("slow_module_for_test")
start = threading.Barrier(8)
seen = []
def read():
    start.wait()
    seen.append((slow_module_for_test.LAST, slow_module_for_test.runs()))
threads = [threading.Thread(target=read) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"seen": sorted(set(map(tuple, seen))), "count": len(seen)}))
"""

SLOW_MODULE = """
import time
RUNS = []
RUNS.append(1)
time.sleep(0.2)
def runs():
    return len(RUNS)
LAST = "defined at the end"
"""


def test_a_deferred_module_read_by_several_threads_at_once_runs_once(tmp_path: Path) -> None:
    (tmp_path / "slow_module_for_test.py").write_text(SLOW_MODULE, "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", DEFERRED_RACE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["count"] == 8
    assert result["seen"] == [["defined at the end", 1]]


def test_each_emulator_route_lies_under_its_apis_prefixes() -> None:
    """The emulator skips an API whose prefixes a path does not start with, without loading it:
    right only if every pattern of the API starts with one of them."""
    from gdoc_sync.emulator.app import SERVICES

    emulator = Emulator()
    prefixes = dict(SERVICES)
    routes = emulator.routes
    assert {route.api for route in routes} == set(prefixes)
    for route in routes:
        assert route.pattern.startswith(prefixes[route.api]), route.pattern
