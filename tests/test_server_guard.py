"""The emulator server refuses what a web page, a rebound DNS name or a stranger could send."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from gdoc_sync.emulator.faults import Fault
from gdoc_sync.emulator.pathmatch import PathPattern
from gdoc_sync.emulator.server import EmulatorServer
from gdoc_sync.errors import NotFoundError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.local.loopback import LocalGuard, exposure_warning, is_loopback

PLANTED = "1PlantedByAWebPage000000000000000000000000000"
IMPORT_BODY = json.dumps(
    {"documentId": PLANTED, "document": {"title": "planted", "body": {"content": []}}}
)
FAULT_BODY = json.dumps({"faults": [{"status": 503, "times": -1}]})


def send(
    server: EmulatorServer,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """One raw request, headers exactly as given (Host included): what a browser could send."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        data = body.encode("utf-8") if body is not None else b""
        if body is not None:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data or None)
        response = conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else {}
    finally:
        conn.close()


def own_host(server: EmulatorServer) -> str:
    return f"127.0.0.1:{server.port}"


def api_for(server: EmulatorServer) -> GoogleApi:
    return GoogleApi(
        for_emulator_host(server.address), retry=RetryPolicy(attempts=1, sleep=lambda _: None)
    )


def faults_installed(server: EmulatorServer) -> list[Any]:
    status, body = send(server, "GET", "/_emulator/faults", headers={"Host": own_host(server)})
    assert status == 200
    return list(body["faults"])


@pytest.fixture
def server(tmp_path: Path):
    with EmulatorServer(tmp_path / "emu") as running:
        yield running


# -- what a web page in the user's browser can send ------------------------------------------------


def test_a_text_plain_post_from_a_web_page_installs_no_fault(server: EmulatorServer) -> None:
    """The denial of service of the issue: a page POSTs text/plain to /_emulator/faults."""
    status, body = send(
        server,
        "POST",
        "/_emulator/faults",
        FAULT_BODY,
        {
            "Host": own_host(server),
            "Origin": "https://evil.example",
            "Content-Type": "text/plain;charset=UTF-8",
        },
    )
    assert status == 403
    assert "Origin 'https://evil.example' is not this server" in body["error"]["message"]
    assert faults_installed(server) == []
    # The real client still works: no 503 was planted.
    with pytest.raises(NotFoundError):
        api_for(server).get_document(PLANTED)


def test_text_plain_without_origin_is_refused_too(server: EmulatorServer) -> None:
    """Old browsers and privacy extensions drop Origin; the body type still gives it away."""
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        status, body = send(
            server,
            "POST",
            "/_emulator/faults",
            FAULT_BODY,
            {"Host": own_host(server), "Content-Type": content_type},
        )
        assert status == 415, content_type
        assert (
            f"must be JSON (Content-Type: application/json), got {content_type}"
            in (body["error"]["message"])
        )
    # A body with no Content-Type at all (fetch with a Blob) is refused as well.
    status, _ = send(server, "POST", "/_emulator/faults", FAULT_BODY, {"Host": own_host(server)})
    assert status == 415
    assert faults_installed(server) == []


def test_a_web_page_cannot_plant_a_document(server: EmulatorServer) -> None:
    for headers in (
        {"Origin": "http://attacker.test", "Content-Type": "application/json"},
        {"Origin": "null", "Content-Type": "application/json"},
        {"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"},
        {"Content-Type": "text/plain"},
    ):
        status, _ = send(
            server,
            "POST",
            "/_emulator/documents:import",
            IMPORT_BODY,
            {"Host": own_host(server), **headers},
        )
        assert status in (403, 415), headers
    with pytest.raises(NotFoundError):
        api_for(server).get_document(PLANTED)


def test_dns_rebinding_cannot_read_documents(server: EmulatorServer) -> None:
    """A page on rebind.attacker.test whose name now resolves to 127.0.0.1: same origin for the
    browser, but the Host header still says rebind.attacker.test."""
    api = api_for(server)
    created = api.clients.docs.documents().create(body={"title": "Secret minutes"}).execute()
    path = f"/v1/documents/{created['documentId']}"
    rebound = {"Host": f"rebind.attacker.test:{server.port}"}
    status, body = send(server, "GET", path, headers=rebound)
    assert status == 421
    assert "Host 'rebind.attacker.test:" in body["error"]["message"]
    assert "Secret minutes" not in json.dumps(body)
    status, _ = send(server, "GET", path, headers={"Host": "localhost.attacker.test"})
    assert status == 421
    status, _ = send(server, "GET", path, headers={})
    assert status == 421
    # Its own address, and localhost, are answered.
    for host in (own_host(server), f"localhost:{server.port}", "localhost"):
        status, body = send(server, "GET", path, headers={"Host": host})
        assert (status, body.get("title")) == (200, "Secret minutes"), host


def test_the_servers_own_origin_is_welcome(server: EmulatorServer) -> None:
    """A page served from the same origin (the board's page, later) may POST JSON."""
    status, body = send(
        server,
        "POST",
        "/_emulator/faults",
        json.dumps({"faults": [{"status": 500, "path": "/nowhere", "times": 1}]}),
        {
            "Host": own_host(server),
            "Origin": f"http://{own_host(server)}",
            "Sec-Fetch-Site": "same-origin",
            "Content-Type": "application/json",
        },
    )
    assert status == 200, body
    assert [f["path"] for f in faults_installed(server)] == ["/nowhere"]


# -- a token for the control endpoints -----------------------------------------------------------


def test_a_token_guards_the_control_endpoints_but_not_the_apis(tmp_path: Path) -> None:
    with EmulatorServer(tmp_path / "emu", token="s3cret-token") as server:
        host = {"Host": own_host(server)}
        status, body = send(server, "GET", "/_emulator/requests", headers=host)
        assert status == 401
        assert "needs Authorization: Bearer TOKEN" in body["error"]["message"]
        status, _ = send(
            server,
            "POST",
            "/_emulator/faults",
            FAULT_BODY,
            {**host, "Content-Type": "application/json", "Authorization": "Bearer wrong"},
        )
        assert status == 401
        status, body = send(
            server,
            "GET",
            "/_emulator/faults",
            headers={**host, "Authorization": "Bearer s3cret-token"},
        )
        assert (status, body["faults"]) == (200, [])
        # The Google APIs are what the real clients call; they carry no token.
        title = api_for(server).clients.docs.documents().create(body={"title": "T"}).execute()
        assert title["title"] == "T"


def test_a_server_bound_beyond_loopback_makes_up_a_token() -> None:
    """Checked on the guard itself: binding a real interface in a test would expose it."""
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    warning = exposure_warning("0.0.0.0", 8089, "read every document", "its control endpoints")
    assert warning == (
        "warning: --host 0.0.0.0 is not a loopback address: anyone who can reach port 8089 of "
        "this machine can read every document; its control endpoints need the bearer token"
    )
    assert exposure_warning("127.0.0.1", 8089, "x", "y") is None


def _ok(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_a_wildcard_bind_answers_address_literals_but_not_foreign_names() -> None:
    guard = LocalGuard(_ok, host="0.0.0.0", token="t", protected_prefixes=("/_emulator/",))
    client = Client(guard)
    assert client.get("/v1/documents/x", headers={"Host": "192.0.2.7:8089"}).status_code == 200
    assert client.get("/v1/documents/x", headers={"Host": "[2001:db8::1]:8089"}).status_code == 200
    assert client.get("/v1/documents/x", headers={"Host": "evil.test:8089"}).status_code == 421
    assert client.get("/_emulator/faults", headers={"Host": "192.0.2.7"}).status_code == 401
    ok = client.get("/_emulator/faults", headers={"Host": "192.0.2.7", "Authorization": "Bearer t"})
    assert ok.status_code == 200


def test_a_loopback_bind_answers_no_other_address() -> None:
    client = Client(LocalGuard(_ok, host="127.0.0.1", allowed_hosts=("emulator.internal",)))
    assert client.get("/", headers={"Host": "127.0.0.1:1"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:1"}).status_code == 200
    assert client.get("/", headers={"Host": "emulator.internal:1"}).status_code == 200
    assert client.get("/", headers={"Host": "192.0.2.7:1"}).status_code == 421
    assert client.get("/", headers={"Host": "127.0.0.1:1,evil.test"}).status_code == 421


def test_the_cli_prints_the_token_and_refuses_a_bad_data_dir(tmp_path: Path) -> None:
    from conftest import run_cli

    result = run_cli(["emulator", "serve", "--port", "0", "--data-dir", "/dev/null"])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "/dev/null" in result.stderr and "Traceback" not in result.stderr


# -- fault path patterns ---------------------------------------------------------------------


def test_fault_paths_cannot_stall_the_emulator(server: EmulatorServer) -> None:
    """`(a+)+$` would take hours against a long path with a regex engine; it is refused, and a
    pattern of many wildcards matches a long path in linear time."""
    status, body = send(
        server,
        "POST",
        "/_emulator/faults",
        json.dumps({"faults": [{"path": "(a+)+$"}]}),
        {"Host": own_host(server), "Content-Type": "application/json"},
    )
    assert status == 400
    assert "not allowed" in json.dumps(body)
    pattern = PathPattern.compile("**a**a**a**a**a**a**a**a**b")
    # A backtracking regex engine would not finish this; the position-set matcher answers.
    assert not pattern.search("/" + "a" * 20_000)
    assert pattern.search("/" + "a" * 20_000 + "b")


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        (":batchUpdate$", "/v1/documents/abc:batchUpdate", True),
        (":batchUpdate$", "/v1/documents/abc:batchUpdate/x", False),
        ("^/v4/spreadsheets/[^/]+:batchUpdate$", "/v4/spreadsheets/S1:batchUpdate", True),
        ("^/v4/spreadsheets/[^/]+:batchUpdate$", "/v4/spreadsheets/S1/values:batchUpdate", False),
        ("^/v4/spreadsheets/*:batchUpdate$", "/v4/spreadsheets/S1:batchUpdate", True),
        ("/values/", "/v4/spreadsheets/S1/values/A1", True),
        ("^/v1/documents/[^/:]+$", "/v1/documents/D1", True),
        ("^/v1/documents/[^/:]+$", "/v1/documents/D1:batchUpdate", False),
        ("^/drive/v3/files$", "/drive/v3/files/abc", False),
        ("^/drive/**/permissions", "/drive/v3/files/abc/permissions", True),
        (".*", "", True),
        ("documents", "/drive/v3/files", False),
        ("v1.documents", "/v1/documents", False),  # "." is a literal dot
    ],
)
def test_fault_path_patterns(pattern: str, path: str, expected: bool) -> None:
    assert Fault(path=pattern).matches("GET", path) is expected


# -- the command, in its own process -------------------------------------------------------------


def test_served_from_the_cli_with_a_token(tmp_path: Path) -> None:
    """`python -m gdoc_sync emulator serve` with GDOC_SYNC_EMULATOR_TOKEN: the control endpoints
    need it, the APIs (what the real clients call) do not, and a foreign Host is refused."""
    log = tmp_path / "serve.log"
    env = {**os.environ, "GDOC_SYNC_EMULATOR_TOKEN": "tok-123", "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gdoc_sync",
                "emulator",
                "serve",
                "--port",
                "0",
                "--data-dir",
                str(tmp_path / "emu"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 30
        address = None
        while address is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"GDOC_SYNC_EMULATOR_HOST=(\S+)", log.read_text("utf-8"))
            address = found.group(1) if found else None
            time.sleep(0.05)
        assert address, log.read_text("utf-8")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        def status(path: str, **headers: str) -> int:
            request = urllib.request.Request(f"http://{address}{path}", headers=headers)
            try:
                with opener.open(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert status("/_emulator/health") == 401
        assert status("/_emulator/health", Authorization="Bearer tok-123") == 200
        assert (
            status("/_emulator/health", Authorization="Bearer tok-123", Host="rebind.attacker.test")
            == 421
        )
        api = GoogleApi(for_emulator_host(address), retry=RetryPolicy(sleep=lambda _: None))
        made = api.clients.docs.documents().create(body={"title": "Via CLI"}).execute()
        assert api.get_document(made["documentId"])["title"] == "Via CLI"
        # The token was chosen by the user: it is not printed.
        assert "tok-123" not in log.read_text("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
