"""`create` run again for a session whose template changed: what it says, what --update does,
and that the contributions typed in the Doc stay byte for byte (read back through the clients)."""

from __future__ import annotations

import json
from pathlib import Path

from gdoc_sync.core.model import RANGE_QUESTION
from gdoc_sync.core.sheet import CONFIG, CONTRIBUTIONS, quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session, legacy_session_id
from gdoc_sync.workflows.sync import sync_session

TEMPLATE = """\
title = "Data flows and trust"
event = "Example Forum 2026"
date = "2026-06-24"
start = "11:00"
timezone = "Africa/Nairobi"
hybrid = true

[roles.moderator]
name = "Amara Okafor"
email = "amara@example.org"

[[groups]]
key = "governments"
name = "Governments"

[[groups]]
key = "civil_society"
name = "Civil society"
aliases = ["CSO", "CSOs"]

[[questions]]
id = "Q1"
text = "What should change first?"

[[questions]]
id = "Q2"
text = "Who should act?"
"""

CHANGED = (
    TEMPLATE.replace('date = "2026-06-24"', 'date = "2026-06-25"')
    .replace('text = "Who should act?"', 'text = "Who should act, and by when?"')
    .replace('name = "Amara Okafor"', 'name = "Ben Mensah"')
    + """
[[groups]]
key = "youth"
name = "Youth"

[[questions]]
id = "Q3"
text = "Which first step can we take together?"
prompts = ["Think of the next six months."]

[[share]]
email = "zoe@example.org"
role = "commenter"
"""
)

# People's words as they typed them: accents, right-to-left, emoji with joiners, a tab.
TYPED = {
    "Q1": [
        "Governments: Publish the data-sharing rules (Zoë Ångström, civil society)",
        "CSO: تمويل المجتمع المدني 👩🏽‍💻 (محمد الأحمد, online)",
    ],
    "Q2": ["Civil society & governments: Meet twice a year\tin public (Nguyễn Thị Minh Khai)"],
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "session.toml"
    path.write_text(text, encoding="utf-8")
    return path


def paragraphs(doc: dict) -> list[dict]:
    """Every body paragraph as a person sees it: its text, style, list and runs' styles."""
    out = []
    for el in doc["body"]["content"]:
        p = el.get("paragraph")
        if p is None:
            continue
        out.append(
            {
                "text": "".join(e.get("textRun", {}).get("content", "") for e in p["elements"]),
                "style": p.get("paragraphStyle", {}).get("namedStyleType"),
                "bullet": "bullet" in p,
                "runs": [
                    (e.get("textRun", {}).get("content"), e.get("textRun", {}).get("textStyle"))
                    for e in p["elements"]
                ],
            }
        )
    return out


def type_contributions(backend, document_id: str) -> None:
    """Type into each question's empty bullet through the Docs API, as a moderator would."""
    docs = backend.clients.docs.documents()
    for qid, lines in TYPED.items():
        doc = docs.get(documentId=document_id).execute()
        (entry,) = doc["namedRanges"][RANGE_QUESTION + qid]["namedRanges"]
        end = entry["ranges"][0]["endIndex"]
        # The section's last paragraph is its empty bullet: type before its newline.
        docs.batchUpdate(
            documentId=document_id,
            body={
                "requests": [
                    {"insertText": {"location": {"index": end - 1}, "text": "\n".join(lines)}}
                ]
            },
        ).execute()


def config_tab(backend, spreadsheet_id: str) -> list[list[str]]:
    return backend.clients.sheets.http_client.values_get(spreadsheet_id, quote_sheet(CONFIG)).get(
        "values", []
    )


def test_a_changed_template_is_reported_and_nothing_is_written(backend, cli, tmp_path) -> None:
    path = write(tmp_path, TEMPLATE)
    first = cli("create", str(path), "--no-notify", "--json")
    assert first.exit_code == 0, first.stderr
    created = json.loads(first.stdout)
    write(tmp_path, CHANGED)
    backend.emulator.log.clear()
    again = cli("create", str(path), "--json")
    assert again.exit_code == 0, again.stderr
    report = [line for line in again.stderr.splitlines() if not line.startswith("local backend")]
    by_hand = "change it in the Doc and the Sheet by hand, or make a separate session with --new"
    assert report == [
        f"found session {created['session_id']}: checking it is complete",
        "this session already exists and the template differs from it; the Doc and the Sheet "
        "were not updated:",
        "  question Q2 renamed: 'Who should act?' -> 'Who should act, and by when?' "
        "(create --update applies this)",
        "  question Q3 added: 'Which first step can we take together?' "
        "(create --update applies this)",
        f"  group 'Youth' (youth) added (not by --update: {by_hand})",
        f"  date: 2026-06-24 -> 2026-06-25 (not by --update: {by_hand})",
        f"  moderator: Amara Okafor -> Ben Mensah (not by --update: {by_hand})",
        "  share with zoe@example.org (commenter) (create --update applies this)",
        "run create --update to apply what it can; contributions are not touched",
    ]
    again_json = json.loads(again.stdout)
    assert again_json["document_id"] == created["document_id"]
    assert [c["applied"] for c in again_json["changes"]] == [False] * 6
    # Only reads: no write, no new file, no e-mail to anyone.
    assert [r for r in backend.requests() if r.method != "GET"] == []


def test_update_applies_the_safe_changes_and_keeps_every_contribution(
    backend, cli, tmp_path
) -> None:
    path = write(tmp_path, TEMPLATE)
    first = cli("create", str(path), "--no-notify", "--json")
    created = json.loads(first.stdout)
    doc_id, sheet_id = created["document_id"], created["spreadsheet_id"]
    type_contributions(backend, doc_id)
    docs = backend.clients.docs.documents()
    before = paragraphs(docs.get(documentId=doc_id).execute())

    write(tmp_path, CHANGED)
    updated = cli("create", str(path), "--update", "--no-notify")
    assert updated.exit_code == 0, updated.stderr
    by_hand = "change it in the Doc and the Sheet by hand, or make a separate session with --new"
    tail = updated.stderr.splitlines()
    first_line = "this session already exists; --update applied (no contribution touched):"
    assert tail[tail.index(first_line) :] == [
        "this session already exists; --update applied (no contribution touched):",
        "  question Q2 renamed: 'Who should act?' -> 'Who should act, and by when?'",
        "  question Q3 added: 'Which first step can we take together?'",
        "  share with zoe@example.org (commenter)",
        f"not applied by --update ({by_hand}):",
        "  group 'Youth' (youth) added",
        "  date: 2026-06-24 -> 2026-06-25",
        "  moderator: Amara Okafor -> Ben Mensah",
    ]

    after_doc = docs.get(documentId=doc_id).execute()
    after = paragraphs(after_doc)
    # Expected: the same paragraphs, byte for byte, but the Q2 heading's words and the new Q3
    # section (heading, prompt, empty bullet) just before "Online discussion".
    expected = [dict(p) for p in before]
    q2 = next(i for i, p in enumerate(expected) if p["text"] == "Q2. Who should act?\n")
    expected[q2] = after[q2]
    assert after[q2]["text"] == "Q2. Who should act, and by when?\n"
    assert after[q2]["style"] == "HEADING_2"
    online = next(i for i, p in enumerate(expected) if p["text"] == "Online discussion\n")
    added = after[online : online + 3]
    assert [(p["text"], p["style"], p["bullet"]) for p in added] == [
        ("Q3. Which first step can we take together?\n", "HEADING_2", False),
        ("Think of the next six months.\n", "NORMAL_TEXT", False),
        ("\n", "NORMAL_TEXT", True),
    ]
    expected[online:online] = added
    assert after == expected
    typed = [
        p for p in after if any(line + "\n" == p["text"] for v in TYPED.values() for line in v)
    ]
    assert len(typed) == 3  # every contribution is still there, once, with its runs' styles
    # The date in the Doc was not changed.
    assert any(p["text"].startswith("When: Wednesday 24 June 2026") for p in after)

    config = config_tab(backend, sheet_id)
    questions = [row[1:3] for row in config if row and row[0] == "question"]
    assert questions == [
        ["Q1", "What should change first?"],
        ["Q2", "Who should act, and by when?"],
        ["Q3", "Which first step can we take together?"],
    ]
    assert [row[1] for row in config if row and row[0] == "group"] == [
        "governments",
        "civil_society",
    ]
    perms = (
        backend.clients.drive.permissions()
        .list(fileId=doc_id, fields="permissions(emailAddress,role)")
        .execute()["permissions"]
    )
    assert {"emailAddress": "zoe@example.org", "role": "commenter"} in perms

    # The new section works for sync: a contribution typed there is read under Q3.
    (entry,) = after_doc["namedRanges"][RANGE_QUESTION + "Q3"]["namedRanges"]
    docs.batchUpdate(
        documentId=doc_id,
        body={
            "requests": [
                {
                    "insertText": {
                        "location": {"index": entry["ranges"][0]["endIndex"] - 1},
                        "text": "Youth groups, CSO: Run a joint pilot (Kwame Mensah)",
                    }
                }
            ]
        },
    ).execute()
    base = backend.data_dir / "m1"
    sync_session(
        backend.api(), doc_id, state=LocalState(base / "state"), journal=Journal(base / "journal")
    )
    values = backend.clients.sheets.http_client.values_get(sheet_id, quote_sheet(CONTRIBUTIONS))[
        "values"
    ]
    header = values[0]
    by_question = [dict(zip(header, row, strict=False)) for row in values[1:]]
    assert sorted(r["Question"] for r in by_question) == ["Q1", "Q1", "Q2", "Q3"]

    # A second --update finds nothing left that it can apply and writes nothing.
    backend.emulator.log.clear()
    twice = cli("create", str(path), "--update", "--no-notify")
    assert twice.exit_code == 0
    assert [r for r in backend.requests() if r.method != "GET"] == []
    assert "not applied by --update" in twice.stderr and "question Q3" not in twice.stderr


def test_changing_only_the_date_finds_the_same_pair_and_notifies_nobody(
    backend, cli, tmp_path
) -> None:
    path = write(tmp_path, TEMPLATE)
    first = cli("create", str(path), "--json")
    assert first.exit_code == 0, first.stderr
    write(tmp_path, TEMPLATE.replace('date = "2026-06-24"', 'date = "2026-07-01"'))
    backend.emulator.log.clear()
    again = cli("create", str(path), "--json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["document_id"] == json.loads(first.stdout)["document_id"]
    assert (
        "  date: 2026-06-24 -> 2026-07-01 (not by --update: change it in the Doc and the "
        "Sheet by hand, or make a separate session with --new)" in again.stderr.splitlines()
    )
    assert [r for r in backend.requests() if r.method != "GET"] == []  # no file, no e-mail
    files = backend.clients.drive.files().list(fields="files(id)").execute()["files"]
    assert len(files) == 2
    separate = cli("create", str(path), "--new", "--no-notify", "--json")
    assert separate.exit_code == 0
    assert json.loads(separate.stdout)["document_id"] != json.loads(first.stdout)["document_id"]
    assert len(backend.clients.drive.files().list(fields="files(id)").execute()["files"]) == 4


def test_a_session_made_under_the_old_identity_is_still_found(backend, tmp_path) -> None:
    """Sessions created before the identity was event and title carry the old id."""
    template = load_template(write(tmp_path, TEMPLATE))
    api = backend.api()
    old = create_session(
        api,
        template,
        CreateOptions(notify=False, session_id=legacy_session_id(template)),
    )
    again = create_session(api, template, CreateOptions(notify=False))
    assert (again.document_id, again.existed, again.changes) == (old.document_id, True, [])


def test_new_and_update_together_are_refused(cli, tmp_path) -> None:
    path = write(tmp_path, TEMPLATE)
    result = cli("create", str(path), "--new", "--update")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: --new makes a second pair and --update changes the existing one: not both"
    )


def test_a_new_title_for_the_same_template_file_asks_for_new(backend, cli, tmp_path) -> None:
    path = write(tmp_path, TEMPLATE)
    first = json.loads(cli("create", str(path), "--no-notify", "--json").stdout)
    write(tmp_path, TEMPLATE.replace("Data flows and trust", "Data flows, trust and AI"))
    backend.emulator.log.clear()
    renamed = cli("create", str(path), "--no-notify")
    assert renamed.exit_code == 2
    assert renamed.stderr.splitlines()[-1] == (
        f"error: {path} made the session 'Data flows and trust' (Example Forum 2026) before "
        f"({first['document_url']}); its title or event changed, and a session is its event "
        "and title: this would make a second Doc and Sheet and share them again. Run create "
        "--new to make that pair, or put the title and event back (create --update applies "
        "the other changes)"
    )
    assert [r for r in backend.requests() if r.method != "GET"] == []
    fresh = cli("create", str(path), "--no-notify", "--new", "--json")
    assert fresh.exit_code == 0, fresh.stderr
    second = json.loads(fresh.stdout)
    assert second["document_id"] != first["document_id"]
    again = cli("create", str(path), "--no-notify", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["document_id"] == second["document_id"]
    doc = backend.clients.docs.documents().get(documentId=second["document_id"]).execute()
    assert doc["title"] == "Data flows, trust and AI"


def test_every_kind_of_difference_is_named(backend, cli, tmp_path) -> None:
    path = write(
        tmp_path,
        TEMPLATE.replace(
            'text = "What should change first?"',
            'text = "What should change first?"\nprompts = ["Think local."]',
        ),
    )
    first = cli("create", str(path), "--no-notify", "--share", "kim@example.org=commenter")
    assert first.exit_code == 0, first.stderr
    changed = (
        TEMPLATE.replace('start = "11:00"', 'start = "14:30"')
        .replace('timezone = "Africa/Nairobi"', 'timezone = "Africa/Lagos"\nduration_minutes = 90')
        .replace("hybrid = true", 'hybrid = false\nlocation = "Room 4"\nformat = "Roundtable"')
        .replace('name = "Civil society"', 'name = "Civil society organisations"')
        .replace('[[groups]]\nkey = "governments"\nname = "Governments"\n\n', "")
        .replace('[[questions]]\nid = "Q2"\ntext = "Who should act?"\n', "")
        .replace("What should change first?", "What must change first?")
    )
    write(tmp_path, changed)
    backend.emulator.log.clear()
    again = cli("create", str(path), "--no-notify", "--share", "kim@example.org=writer")
    assert again.exit_code == 0, again.stderr
    by_hand = "(not by --update: change it in the Doc and the Sheet by hand, or make a separate "
    by_hand += "session with --new)"
    lines = again.stderr.splitlines()
    listed = lines[lines.index(next(x for x in lines if x.startswith("this session"))) + 1 :]
    assert listed == [
        "  question Q1 renamed: 'What should change first?' -> 'What must change first?' "
        "(create --update applies this)",
        f"  question Q1: its prompts changed {by_hand}",
        f"  question Q2 is no longer in the template {by_hand}",
        f"  group civil_society: its name or short names changed {by_hand}",
        f"  group 'Governments' (governments) is no longer in the template {by_hand}",
        f"  start: 11:00 -> 14:30 {by_hand}",
        f"  timezone: Africa/Nairobi -> Africa/Lagos {by_hand}",
        f"  duration minutes: (none) -> 90 {by_hand}",
        f"  location: (none) -> Room 4 {by_hand}",
        f"  format: (none) -> Roundtable {by_hand}",
        f"  hybrid: true -> false {by_hand}",
        f"  kim@example.org holds commenter; the template says writer {by_hand}",
        "run create --update to apply what it can; contributions are not touched",
    ]
    assert [r for r in backend.requests() if r.method != "GET"] == []


def test_an_interrupted_share_is_completed_without_update(backend, tmp_path) -> None:
    """The first run stopped while sharing: the rerun grants what it was asked for."""
    from gdoc_sync.emulator.faults import Fault
    from gdoc_sync.errors import GdocSyncError

    template = load_template(write(tmp_path, TEMPLATE))
    api = backend.api()
    backend.emulator.faults.add(
        Fault(
            action="error",
            status=400,
            reason="badRequest",
            method="POST",
            path="/permissions",
            skip=1,
        )
    )
    try:
        create_session(api, template, CreateOptions(notify=False))
    except GdocSyncError:
        pass
    else:
        raise AssertionError("the injected fault did not stop create")
    again = create_session(api, template, CreateOptions(notify=False))
    assert again.changes == [] and again.shared_with == ["amara@example.org (writer)"]
    for file_id in (again.document_id, again.spreadsheet_id):
        held = {p.get("emailAddress") for p in api.list_permissions(file_id)}
        assert "amara@example.org" in held


def test_dry_run_outline_shows_what_create_then_makes(backend, cli, tmp_path) -> None:
    path = write(tmp_path, TEMPLATE)
    backend.emulator.log.clear()
    dry = cli("create", str(path), "--dry-run", "--share", "zoe@example.org=commenter")
    assert dry.exit_code == 0, dry.stderr
    assert backend.requests() == []  # nothing called at all
    lines = dry.stdout.splitlines()
    assert lines[2:4] == ["Doc 'Data flows and trust':", "  Data flows and trust"]
    assert "      Moderator: Amara Okafor" in lines
    assert lines[lines.index("  # Policy questions") :][:5] == [
        "  # Policy questions",
        "    ## Q1. What should change first?",
        "      • (empty bullet: contributions are typed here)",
        "    ## Q2. Who should act?",
        "      • (empty bullet: contributions are typed here)",
    ]
    assert lines[-4:] == [
        "shared (with an e-mail), on both files:",
        "  amara@example.org (writer)",
        "  zoe@example.org (commenter)",
        "nothing was called: --json prints the requests",
    ]
    # The outline is what create then makes: the same headings, the same tabs and headers.
    made = json.loads(cli("create", str(path), "--no-notify", "--json").stdout)
    doc = backend.clients.docs.documents().get(documentId=made["document_id"]).execute()
    headings = []
    for el in doc["body"]["content"]:
        p = el.get("paragraph")
        style = (p or {}).get("paragraphStyle", {}).get("namedStyleType", "")
        if style in ("HEADING_1", "HEADING_2"):
            text = "".join(e.get("textRun", {}).get("content", "") for e in p["elements"])
            headings.append(("  # " if style == "HEADING_1" else "    ## ") + text.rstrip("\n"))
    assert [x for x in lines if x.startswith(("  # ", "    ## "))] == headings
    meta = backend.clients.sheets.http_client.fetch_sheet_metadata(made["spreadsheet_id"])
    tabs = [s["properties"]["title"] for s in meta["sheets"]]
    assert [x.split("'")[1] for x in lines if x.startswith("  tab '")] == tabs
    header = backend.clients.sheets.http_client.values_get(
        made["spreadsheet_id"], quote_sheet(CONTRIBUTIONS) + "!1:1"
    )["values"][0]
    assert f"  tab 'Contributions': {' | '.join(header)}" in lines


def test_a_batch_rerun_names_the_sessions_whose_row_changed(backend, cli, tmp_path) -> None:
    csv_path = tmp_path / "event.csv"
    header = "title,date,start,timezone,moderator_email,questions"
    rows = [
        'Open data,2026-06-24,09:00,Europe/Oslo,amara@example.org,"Q1: What works?"',
        'Safe AI,2026-06-24,11:00,Europe/Oslo,amara@example.org,"Q1: Who acts?"',
    ]
    csv_path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    first = cli("create", "--batch", str(csv_path), "--template", "igf-workshop", "--no-notify")
    assert first.exit_code == 0, first.stderr
    rows[1] = (
        rows[1]
        .replace("2026-06-24", "2026-06-26")
        .replace('"Q1: Who acts?"', '"Q1: Who acts? | Q2: By when?"')
    )
    csv_path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    backend.emulator.log.clear()
    again = cli("create", "--batch", str(csv_path), "--template", "igf-workshop", "--no-notify")
    assert again.exit_code == 0, again.stderr
    lines = again.stderr.splitlines()
    start = lines.index("line 3 ('Safe AI'):")
    assert lines[start + 1 : start + 4] == [
        "  this session already exists and the template differs from it; the Doc and the "
        "Sheet were not updated:",
        "    question Q2 added: 'By when?' (create --update applies this)",
        "    date: 2026-06-24 -> 2026-06-26 (not by --update: change it in the Doc and the "
        "Sheet by hand, or make a separate session with --new)",
    ]
    assert not any(x.startswith("line 2 (") for x in lines)
    assert [r for r in backend.requests() if r.method != "GET"] == []
    assert len(backend.clients.drive.files().list(fields="files(id)").execute()["files"]) == 4


def test_update_refuses_a_rename_when_the_heading_cannot_be_found(backend, cli, tmp_path) -> None:
    path = write(tmp_path, TEMPLATE)
    made = json.loads(cli("create", str(path), "--no-notify", "--json").stdout)
    docs = backend.clients.docs.documents()
    docs.batchUpdate(
        documentId=made["document_id"],
        body={"requests": [{"deleteNamedRange": {"name": RANGE_QUESTION + "Q2"}}]},
    ).execute()
    before = docs.get(documentId=made["document_id"]).execute()
    write(tmp_path, TEMPLATE.replace("Who should act?", "Who should act now?"))
    refused = cli("create", str(path), "--update", "--no-notify")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        f"error: document {made['document_id']}: the section of Q2 no longer starts with its "
        "heading (its named range was lost or moved); nothing was updated. Run sync first, or "
        "rename Q2's heading by hand"
    )
    after = docs.get(documentId=made["document_id"]).execute()
    assert after["revisionId"] == before["revisionId"]
    config = config_tab(backend, made["spreadsheet_id"])
    assert ["Q2", "Who should act?"] in [row[1:3] for row in config if row[0] == "question"]


def test_an_update_stopped_before_the_config_is_completed_once(backend, cli, tmp_path) -> None:
    """The Doc got the new section, then the config write failed: the rerun adds no second."""
    from gdoc_sync.emulator.faults import Fault

    path = write(tmp_path, TEMPLATE)
    made = json.loads(cli("create", str(path), "--no-notify", "--json").stdout)
    write(tmp_path, CHANGED)
    backend.emulator.faults.add(
        Fault(
            action="error",
            status=400,
            reason="badRequest",
            method="POST",
            path="values:batchUpdate$",
        )
    )
    failed = cli("create", str(path), "--update", "--no-notify")
    assert failed.exit_code != 0
    again = cli("create", str(path), "--update", "--no-notify")
    assert again.exit_code == 0, again.stderr
    doc = backend.clients.docs.documents().get(documentId=made["document_id"]).execute()
    texts = [
        "".join(e.get("textRun", {}).get("content", "") for e in el["paragraph"]["elements"])
        for el in doc["body"]["content"]
        if "paragraph" in el
    ]
    assert texts.count("Q3. Which first step can we take together?\n") == 1
    assert texts.count("Q2. Who should act, and by when?\n") == 1
    config = config_tab(backend, made["spreadsheet_id"])
    assert [row[1] for row in config if row[0] == "question"] == ["Q1", "Q2", "Q3"]
