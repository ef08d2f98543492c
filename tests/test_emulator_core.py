"""The emulator's own machinery: field masks, Drive queries and permissions, faults, the log."""

from __future__ import annotations

import pytest

from gdoc_sync.emulator import fieldmask
from gdoc_sync.emulator.app import Emulator


def test_fieldmask_selects_nested_fields() -> None:
    value = {"files": [{"id": "a", "name": "n", "mimeType": "m"}], "kind": "k", "other": 1}
    mask = fieldmask.parse("kind,files(id,name)")
    assert fieldmask.apply(value, mask) == {"kind": "k", "files": [{"id": "a", "name": "n"}]}
    assert fieldmask.apply({"a": {"b": 1, "c": 2}}, fieldmask.parse("a/b")) == {"a": {"b": 1}}
    assert fieldmask.apply({"a": 1}, fieldmask.parse("*")) == {"a": 1}


def test_fieldmask_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        fieldmask.parse("a(b")


def test_drive_queries_appproperties_names_and_trash(tmp_path) -> None:
    from gdoc_sync.google.clients import for_emulator

    clients = for_emulator(Emulator(tmp_path))
    files = clients.drive.files()
    a = files.create(
        body={
            "name": "Ünïcødé doc",
            "mimeType": "application/vnd.google-apps.document",
            "appProperties": {"session": "s1"},
        }
    ).execute()
    files.create(
        body={
            "name": "Other",
            "mimeType": "application/vnd.google-apps.spreadsheet",
            "appProperties": {"session": "s2"},
        }
    ).execute()
    found = files.list(
        q="appProperties has { key='session' and value='s1' } and trashed = false",
        fields="files(id,name,appProperties)",
    ).execute()["files"]
    assert [f["id"] for f in found] == [a["id"]]
    assert found[0]["appProperties"] == {"session": "s1"}
    both = files.list(
        q='mimeType="application/vnd.google-apps.spreadsheet" or name contains "ünï"'
    ).execute()["files"]
    assert len(both) == 2
    files.update(fileId=a["id"], body={"trashed": True}).execute()
    assert files.list(q="name = 'Ünïcødé doc' and trashed = false").execute()["files"] == []
    # A Doc made through Drive is readable through the Docs API: one shared state.
    doc = clients.docs.documents().get(documentId=a["id"]).execute()
    assert doc["title"] == "Ünïcødé doc"


def test_drive_permissions_validate_like_google(tmp_path) -> None:
    from googleapiclient.errors import HttpError

    from gdoc_sync.google.clients import for_emulator

    clients = for_emulator(Emulator(tmp_path))
    f = clients.drive.files().create(body={"name": "x"}).execute()
    perms = clients.drive.permissions()
    p = perms.create(
        fileId=f["id"],
        body={"type": "user", "role": "writer", "emailAddress": "a@example.org"},
        sendNotificationEmail=False,
    ).execute()
    assert p["role"] == "writer" and p["type"] == "user"
    with pytest.raises(HttpError) as err:
        perms.create(fileId=f["id"], body={"type": "user", "role": "writer"}).execute()
    assert err.value.resp.status == 400
    listed = perms.list(fileId=f["id"], fields="permissions(id,role,emailAddress)").execute()
    assert {x.get("emailAddress") for x in listed["permissions"]} >= {"a@example.org"}
    perms.delete(fileId=f["id"], permissionId=p["id"]).execute()
    listed = perms.list(fileId=f["id"], fields="permissions(emailAddress)").execute()
    assert "a@example.org" not in {x.get("emailAddress") for x in listed["permissions"]}
    with pytest.raises(HttpError) as missing:
        clients.drive.files().get(fileId="nope").execute()
    assert missing.value.resp.status == 404


@pytest.mark.parametrize(
    ("status", "status_line"),
    [
        (404, "404 Not Found"),
        (410, "410 Gone"),  # a code no hand-written table of the emulator named
        (429, "429 Too Many Requests"),
        (599, "599 Error"),  # a code HTTP does not name
    ],
)
def test_served_status_lines_carry_https_reason_phrases(
    tmp_path, status: int, status_line: str
) -> None:
    from werkzeug.test import Client

    from gdoc_sync.emulator.faults import Fault

    emulator = Emulator(tmp_path)
    emulator.faults.add(Fault(status=status, path="^/v1/documents/"))
    response = Client(emulator).get("/v1/documents/D1")
    assert response.status == status_line
    assert response.json["error"]["code"] == status
