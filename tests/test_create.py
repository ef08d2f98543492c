"""`create`: the session Doc and Sheet from a template, read back through the real clients."""

from __future__ import annotations

import json

import pytest

from gdoc_sync.core.links import PROP_ROLE, PROP_SESSION
from gdoc_sync.core.model import RANGE_ACTIONS, RANGE_ONLINE, RANGE_QUESTION, RANGE_SHEET
from gdoc_sync.core.sheet import CONFIG, CONTRIBUTIONS, HEADER, MATRIX, parse_config, quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.errors import ApiCallError
from gdoc_sync.workflows.create import CreateOptions, create_session, parse_share

TEMPLATE = "igf2025-ws354"


def outline(doc: dict) -> list[tuple[str, str]]:
    """(named style, text) of every heading and the title, in order: what the outline shows."""
    found = []
    for el in doc["body"]["content"]:
        p = el.get("paragraph")
        if not p:
            continue
        style = p.get("paragraphStyle", {}).get("namedStyleType", "")
        if style.startswith("HEADING") or style == "TITLE":
            text = "".join(e.get("textRun", {}).get("content", "") for e in p["elements"])
            found.append((style, text.strip()))
    return found


def range_text(doc: dict, name: str) -> str:
    (entry,) = doc["namedRanges"][name]["namedRanges"]
    (r,) = entry["ranges"]
    units = []
    for el in doc["body"]["content"]:
        for pe in el.get("paragraph", {}).get("elements", []):
            content = pe.get("textRun", {}).get("content", "")
            units.append((pe["startIndex"], content))
    text = ""
    for start, content in units:
        encoded = content.encode("utf-16-le")
        for i in range(len(encoded) // 2):
            if r["startIndex"] <= start + i < r["endIndex"]:
                text += encoded[2 * i : 2 * i + 2].decode("utf-16-le", "surrogatepass")
    return text.encode("utf-16", "surrogatepass").decode("utf-16")


def test_create_builds_the_doc_and_sheet(backend, cli) -> None:
    result = cli("create", TEMPLATE, "--share", "mod@example.org", "--no-notify", "--json")
    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert set(created) == {
        "session_id",
        "document_id",
        "document_url",
        "spreadsheet_id",
        "spreadsheet_url",
    }
    assert created["document_url"].endswith(f"/document/d/{created['document_id']}/edit")

    doc = backend.clients.docs.documents().get(documentId=created["document_id"]).execute()
    heads = outline(doc)
    template = load_template(TEMPLATE)
    assert heads[0] == ("TITLE", template.title)
    for q in template.questions:
        assert ("HEADING_2", f"{q.id}. {q.text}") in heads
    assert ("HEADING_1", "Action points") in heads
    assert ("HEADING_1", "Online discussion") in heads
    names = set(doc["namedRanges"])
    assert {RANGE_QUESTION + q.id for q in template.questions} <= names
    assert {RANGE_ONLINE, RANGE_ACTIONS, RANGE_SHEET + created["spreadsheet_id"]} <= names
    for q in template.questions:
        assert range_text(doc, RANGE_QUESTION + q.id).startswith(f"{q.id}. ")
    assert range_text(doc, RANGE_ACTIONS).startswith("The action points are compiled here")

    meta = backend.clients.sheets.http_client.fetch_sheet_metadata(created["spreadsheet_id"])
    tabs = {s["properties"]["title"]: s["properties"] for s in meta["sheets"]}
    assert list(tabs) == [CONTRIBUTIONS, MATRIX, "Action points", "Report", CONFIG]
    assert tabs[CONFIG].get("hidden") is True
    assert tabs[CONTRIBUTIONS]["gridProperties"]["frozenRowCount"] == 1
    values = backend.clients.sheets.http_client.values_batch_get(
        created["spreadsheet_id"], [quote_sheet(CONTRIBUTIONS) + "!1:1", quote_sheet(CONFIG)]
    )["valueRanges"]
    assert values[0]["values"][0] == list(HEADER)
    config = parse_config(values[1]["values"])
    assert config.document_id == created["document_id"]
    assert [g.key for g in config.groups] == [g.key for g in template.groups]
    assert [q.id for q in config.questions] == ["Q1", "Q2", "Q3", "Q4"]

    files = (
        backend.clients.drive.files()
        .list(
            q=f"appProperties has {{ key='{PROP_SESSION}' and value='{created['session_id']}' }}",
            fields="files(id,appProperties)",
        )
        .execute()["files"]
    )
    roles = {f["appProperties"][PROP_ROLE]: f for f in files}
    assert set(roles) == {"document", "spreadsheet"}
    assert roles["document"]["appProperties"]["gdocSyncSpreadsheet"] == created["spreadsheet_id"]
    assert roles["spreadsheet"]["appProperties"]["gdocSyncDocument"] == created["document_id"]
    for file_id in (created["document_id"], created["spreadsheet_id"]):
        perms = (
            backend.clients.drive.permissions()
            .list(fileId=file_id, fields="permissions(emailAddress,role,type)")
            .execute()["permissions"]
        )
        assert {"emailAddress": "mod@example.org", "role": "writer", "type": "user"} in perms
        assert not any(p["type"] == "anyone" for p in perms)  # no link sharing unless asked


def test_second_create_finds_the_pair_and_prints_it_the_same(backend, cli) -> None:
    first = cli("create", TEMPLATE, "--no-notify")
    assert first.exit_code == 0, first.stderr
    before = len(backend.requests())
    second = cli("create", TEMPLATE, "--no-notify")
    assert second.exit_code == 0
    assert second.stdout == first.stdout
    assert "already exists: nothing new was created" in second.stderr
    creates = [
        r for r in backend.requests()[before:] if r.method == "POST" and r.path.endswith("/files")
    ]
    assert creates == []
    drive_files = backend.clients.drive.files().list(fields="files(id)").execute()["files"]
    assert len(drive_files) == 2
    fresh = cli("create", TEMPLATE, "--no-notify", "--new")
    assert fresh.exit_code == 0 and fresh.stdout != first.stdout
    assert len(backend.clients.drive.files().list().execute()["files"]) == 4


def test_dry_run_calls_nothing_that_writes(backend, cli) -> None:
    result = cli("create", TEMPLATE, "--dry-run", "--json", "--share", "a@example.org=commenter")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    kinds = [next(iter(r)) for r in plan["requests"]]
    assert kinds[:4] == [
        "drive.files.create",
        "drive.files.create",
        "sheets.spreadsheets.batchUpdate",
        "docs.documents.batchUpdate",
    ]
    assert kinds.count("drive.permissions.create") == 2
    assert [r for r in backend.requests() if r.method != "GET"] == []


def test_interrupted_create_is_completed_by_the_next_run(backend) -> None:
    """A crash after the Doc was created: the next run reuses the reserved Sheet id."""
    from gdoc_sync.emulator.faults import Fault

    api = backend.api()
    template = load_template(TEMPLATE)
    backend.emulator.faults.add(
        Fault(action="error", status=400, method="POST", path=r"/drive/v3/files$", skip=1, times=-1)
    )
    with pytest.raises(ApiCallError, match=r"creating 'Promoting Human Rights .* contributions'"):
        create_session(api, template, CreateOptions(notify=False))
    assert len(backend.clients.drive.files().list().execute()["files"]) == 1
    backend.emulator.faults.clear()
    created = create_session(api, template, CreateOptions(notify=False))
    files = backend.clients.drive.files().list(fields="files(id)").execute()["files"]
    assert sorted(f["id"] for f in files) == sorted([created.document_id, created.spreadsheet_id])
    doc = api.get_document(created.document_id)
    assert RANGE_ACTIONS in doc["namedRanges"]


def test_a_layout_another_run_made_first_is_the_same_sheet(backend) -> None:
    """Another organizer's run lays the Sheet out between this run's look and its own layout:
    Sheets refuses this run's tabs as already there (AlreadyExists), and create goes on."""
    from gdoc_sync.emulator.faults import Fault

    api = backend.api()
    refused = (
        'Invalid requests[0].addSheet: A sheet with the name "Matrix" already exists. '
        "Please enter another name."
    )
    layout = Fault(
        action="apply_then_fail",
        status=400,
        message=refused,
        method="POST",
        path="/v4/spreadsheets/[^/:]+:batchUpdate$",
    )
    backend.emulator.faults.add(layout)
    created = create_session(api, load_template(TEMPLATE), CreateOptions(notify=False))
    assert layout.fired == 1
    meta = api.get_spreadsheet(created.spreadsheet_id, fields="sheets.properties.title")
    titles = [s["properties"]["title"] for s in meta["sheets"]]
    for tab in (CONTRIBUTIONS, MATRIX, CONFIG):
        assert titles.count(tab) == 1, titles
    assert (
        RANGE_SHEET + created.spreadsheet_id in api.get_document(created.document_id)["namedRanges"]
    )


def test_link_sharing_as_writer_needs_confirmation(backend, cli) -> None:
    refused = cli("create", TEMPLATE, "--link", "writer")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        "error: --link writer lets anyone with the link edit the "
        "Doc; add --yes-anyone-can-edit to confirm"
    )
    assert backend.requests() == []
    ok = cli("create", TEMPLATE, "--link", "writer", "--yes-anyone-can-edit", "--json")
    created = json.loads(ok.stdout)
    perms = (
        backend.clients.drive.permissions()
        .list(fileId=created["document_id"], fields="permissions(type,role)")
        .execute()["permissions"]
    )
    assert {"type": "anyone", "role": "writer"} in perms


def test_share_parsing_messages() -> None:
    from gdoc_sync.errors import UsageError

    assert parse_share("a@b.org").role == "writer"
    assert parse_share("a@b.org=commenter").role == "commenter"
    assert parse_share("domain:example.org=reader").domain == "example.org"
    with pytest.raises(
        UsageError,
        match=r"--share a@b.org=owner: role must be one of reader, "
        r"commenter, writer, not 'owner'",
    ):
        parse_share("a@b.org=owner")
    for not_an_address in ("bob", "bob@", "@example.org", "kim@localhost", "kim lee@example.org"):
        # The rule a template's e-mail fields and a batch CSV's e-mail columns follow too.
        with pytest.raises(UsageError, match="is not an e-mail address"):
            parse_share(f"group:{not_an_address}=reader")
        with pytest.raises(UsageError, match="is not an e-mail address"):
            parse_share(not_an_address)


def test_broken_template_is_refused_before_any_call(backend, cli, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[[groups]]\nkey = "a"\nname = "A"\n[[questions]\nid = "Q1"\n')
    result = cli("create", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "bad.toml:5:" in result.stderr
    assert backend.requests() == []
