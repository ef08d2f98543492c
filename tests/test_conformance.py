"""Every emulated operation, called through the real clients, answers with Google's schemas."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from conftest import Backend
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError, SpreadsheetNotFound
from schema import response_schema, validate, validate_response

from gdoc_sync.emulator.faults import Fault

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DOC_MIME = "application/vnd.google-apps.document"
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

# Every operation gdoc-sync uses, with the schema Google declares for its answer.
OPERATIONS = [
    ("docs", "documents.create", "Document"),
    ("docs", "documents.get", "Document"),
    ("docs", "documents.batchUpdate", "BatchUpdateDocumentResponse"),
    ("sheets", "spreadsheets.create", "Spreadsheet"),
    ("sheets", "spreadsheets.get", "Spreadsheet"),
    ("sheets", "spreadsheets.batchUpdate", "BatchUpdateSpreadsheetResponse"),
    ("sheets", "spreadsheets.values.get", "ValueRange"),
    ("sheets", "spreadsheets.values.batchGet", "BatchGetValuesResponse"),
    ("sheets", "spreadsheets.values.update", "UpdateValuesResponse"),
    ("sheets", "spreadsheets.values.batchUpdate", "BatchUpdateValuesResponse"),
    ("sheets", "spreadsheets.values.append", "AppendValuesResponse"),
    ("sheets", "spreadsheets.values.clear", "ClearValuesResponse"),
    ("sheets", "spreadsheets.values.batchClear", "BatchClearValuesResponse"),
    ("drive", "files.create", "File"),
    ("drive", "files.get", "File"),
    ("drive", "files.list", "FileList"),
    ("drive", "files.copy", "File"),
    ("drive", "files.update", "File"),
    ("drive", "files.delete", None),
    ("drive", "files.generateIds", "GeneratedIds"),
    ("drive", "permissions.create", "Permission"),
    ("drive", "permissions.list", "PermissionList"),
    ("drive", "permissions.delete", None),
]


class Checked:
    """Collects schema problems of many answers, to report them all at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def __call__(self, api: str, method: str, value: Any) -> Any:
        self.seen.add(f"{api}:{method}")
        self.problems += [f"{api} {method} {p}" for p in validate_response(api, method, value)]
        return value

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


# -- the validator itself ---------------------------------------------------------------------


def test_discovery_declares_the_operations_we_check() -> None:
    for api, method, schema in OPERATIONS:
        assert response_schema(api, method) == schema, (api, method)


def test_validator_finds_invented_fields_wrong_types_and_bad_enums() -> None:
    value = {
        "spreadsheetId": "x",
        "invented": 1,
        "properties": {"title": 3, "autoRecalc": "SOMETIMES"},
        "sheets": [
            {"properties": {"sheetId": "7", "gridProperties": {"rowCount": True}}},
            "not a sheet",
        ],
        "developerMetadata": [{"metadataId": 1.5}],
    }
    assert sorted(validate("sheets", value, "Spreadsheet")) == sorted(
        [
            "$.invented: not a field of Spreadsheet",
            "$.properties.title: expected string, got int 3",
            "$.properties.autoRecalc: 'SOMETIMES' is not one of "
            "RECALCULATION_INTERVAL_UNSPECIFIED, ON_CHANGE, MINUTE, HOUR",
            '$.sheets[0].properties.sheetId: expected integer (int32), got str "7"',
            "$.sheets[0].properties.gridProperties.rowCount: expected integer (int32), "
            "got bool true",
            '$.sheets[1]: expected object, got str "not a sheet"',
            "$.developerMetadata[0].metadataId: expected integer (int32), got float 1.5",
        ]
    )


def test_validator_knows_int64_maps_numbers_and_timestamps() -> None:
    good = {
        "id": "f",
        "size": "1024",
        "version": "3",
        "appProperties": {"k": "v"},
        "createdTime": "2023-08-17T10:52:47.380Z",
        "capabilities": {"canEdit": True},
    }
    assert validate("drive", good, "File") == []
    bad = {
        "size": 1024,
        "version": "three",
        "appProperties": {"k": 1},
        "createdTime": "yesterday",
        "capabilities": {"canFly": True},
    }
    assert sorted(validate("drive", bad, "File")) == sorted(
        [
            "$.size: expected an int64 encoded as a string, got int 1024",
            "$.version: expected a decimal int64 string, got 'three'",
            "$.appProperties.k: expected string, got int 1",
            "$.createdTime: expected an RFC 3339 timestamp, got 'yesterday'",
            "$.capabilities.canFly: not a field of File.capabilities",
        ]
    )
    assert validate("sheets", {"effectiveValue": {"numberValue": "NaN"}}, "CellData") == []
    int64 = {"type": "integer", "format": "int64"}
    assert validate("drive", 12, int64) == validate("drive", "-12", int64) == []
    assert validate("drive", "12a", int64) == ['$: expected integer (int64), got str "12a"']
    assert validate_response("drive", "files.delete", "") == []


# -- Sheets -----------------------------------------------------------------------------------


def test_sheets_operations_answer_with_their_schemas(backend: Backend) -> None:
    check = Checked()
    http = backend.clients.sheets.http_client
    created = check(
        "sheets",
        "spreadsheets.create",
        http.request(
            "post",
            SHEETS,
            json={
                "properties": {"title": "Conformance ✓"},
                "sheets": [
                    {"properties": {"title": "Data"}},
                    {"properties": {"title": "Other sheet"}},
                ],
            },
        ).json(),
    )
    sid = created["spreadsheetId"]
    assert [s["properties"]["title"] for s in created["sheets"]] == ["Data", "Other sheet"]

    updated = check(
        "sheets",
        "spreadsheets.values.update",
        http.values_update(
            sid,
            "Data!A1",
            params={"valueInputOption": "USER_ENTERED", "includeValuesInResponse": "true"},
            body={"values": [["name", "n", "sum", "ok"], ["Zoë", 1, "=B2+1", True]]},
        ),
    )
    assert (updated["updatedRange"], updated["updatedRows"], updated["updatedColumns"]) == (
        "Data!A1:D2",
        2,
        4,
    )
    check(
        "sheets",
        "spreadsheets.values.update",
        http.values_update(
            sid, "'Other sheet'!A1", params={"valueInputOption": "RAW"}, body={"values": [["x"]]}
        ),
    )
    appended = check(
        "sheets",
        "spreadsheets.values.append",
        http.values_append(
            sid,
            "Data!A1",
            params={
                "valueInputOption": "RAW",
                "insertDataOption": "INSERT_ROWS",
                "includeValuesInResponse": "true",
            },
            body={"values": [["Ada", 2, "", False]]},
        ),
    )
    assert appended["updates"]["updatedRange"] == "Data!A3:D3"
    check(
        "sheets",
        "spreadsheets.values.batchUpdate",
        http.values_batch_update(
            sid,
            body={
                "valueInputOption": "RAW",
                "includeValuesInResponse": True,
                "data": [
                    {"range": "Data!F1", "values": [["f"]]},
                    {"range": "Data!G1:G2", "majorDimension": "COLUMNS", "values": [["g1", "g2"]]},
                ],
            },
        ),
    )

    got = check("sheets", "spreadsheets.values.get", http.values_get(sid, "Data!A1:D3"))
    assert got["values"][1] == ["Zoë", "1", "2", "TRUE"]
    check(
        "sheets",
        "spreadsheets.values.get",
        http.values_get(
            sid,
            "Data",
            params={"valueRenderOption": "UNFORMATTED_VALUE", "majorDimension": "COLUMNS"},
        ),
    )
    check("sheets", "spreadsheets.values.get", http.values_get(sid, "Data!Z100"))  # empty
    batch = check(
        "sheets",
        "spreadsheets.values.batchGet",
        http.values_batch_get(
            sid,
            ["Data!A1:B2", "'Other sheet'!A1", "Data!X9"],
            params={"valueRenderOption": "FORMULA"},
        ),
    )
    assert len(batch["valueRanges"]) == 3

    # spreadsheets.get: plain, with ranges, with grid data, and with a field mask.
    check("sheets", "spreadsheets.get", http.spreadsheets_get(sid))
    ranged = check(
        "sheets", "spreadsheets.get", http.spreadsheets_get(sid, params={"ranges": "Data!A1:B2"})
    )
    assert [s["properties"]["title"] for s in ranged["sheets"]] == ["Data"]  # only those asked
    assert "data" not in ranged["sheets"][0]
    grid = check(
        "sheets",
        "spreadsheets.get",
        http.spreadsheets_get(
            sid, params={"includeGridData": "true", "ranges": ["Data!A1:D2", "'Other sheet'!A1"]}
        ),
    )
    cells = grid["sheets"][0]["data"][0]["rowData"][1]["values"]
    assert cells[2]["userEnteredValue"] == {"formulaValue": "=B2+1"}
    assert cells[2]["effectiveValue"] == {"numberValue": 2}
    masked = check(
        "sheets",
        "spreadsheets.get",
        http.spreadsheets_get(
            sid,
            params={
                "fields": "spreadsheetId,sheets(properties(sheetId,title),"
                "data.rowData.values(formattedValue))",
            },
        ),
    )
    assert set(masked) == {"spreadsheetId", "sheets"}
    assert set(masked["sheets"][0]["properties"]) == {"sheetId", "title"}
    # A field mask naming grid data returns it without includeGridData.
    assert masked["sheets"][0]["data"][0]["rowData"][1]["values"][0] == {"formattedValue": "Zoë"}

    other = created["sheets"][1]["properties"]["sheetId"]
    answer = check(
        "sheets",
        "spreadsheets.batchUpdate",
        http.batch_update(
            sid,
            {
                "requests": [
                    {
                        "addSheet": {
                            "properties": {"title": "Added", "gridProperties": {"rowCount": 5}}
                        }
                    },
                    {
                        "updateSpreadsheetProperties": {
                            "properties": {"title": "Renamed"},
                            "fields": "title",
                        }
                    },
                    {
                        "addNamedRange": {
                            "namedRange": {
                                "name": "people",
                                "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3},
                            }
                        }
                    },
                    {"duplicateSheet": {"sourceSheetId": 0, "newSheetName": "Copy"}},
                    {
                        "updateSheetProperties": {
                            "properties": {"sheetId": other, "hidden": True},
                            "fields": "hidden",
                        }
                    },
                    {
                        "repeatCell": {
                            "range": {"sheetId": 0, "endRowIndex": 1},
                            "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                            "fields": "userEnteredFormat.textFormat.bold",
                        }
                    },
                    {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 3}},
                    {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0}}}},
                    {"deleteSheet": {"sheetId": other}},
                ],
                "includeSpreadsheetInResponse": True,
            },
        ),
    )
    assert len(answer["replies"]) == 9 and answer["replies"][1] == {}
    assert answer["updatedSpreadsheet"]["properties"]["title"] == "Renamed"

    check("sheets", "spreadsheets.values.clear", http.values_clear(sid, "Data!F1"))
    cleared = check(
        "sheets",
        "spreadsheets.values.batchClear",
        http.values_batch_clear(sid, body={"ranges": ["Data!G1:G2", "Copy"]}),
    )
    # Data grew by the row INSERT_ROWS added before it was copied.
    assert cleared["clearedRanges"] == ["Data!G1:G2", "Copy!A1:Z1001"]
    check.assert_clean()
    assert {m for m in check.seen if m.startswith("sheets:")} == {
        f"{a}:{m}" for a, m, _ in OPERATIONS if a == "sheets"
    }


def test_gspread_high_level_calls_read_back_what_they_wrote(backend: Backend) -> None:
    gc = backend.clients.sheets
    sh = gc.create("Made through Drive")
    ws = sh.sheet1
    ws.update([["Ελληνικά", "עברית"], ["1", "=1+1"]], "A1", raw=False)
    assert ws.get_all_values() == [["Ελληνικά", "עברית"], ["1", "2"]]
    assert gc.open_by_key(sh.id).title == "Made through Drive"
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]


# -- Docs ---------------------------------------------------------------------------------------


def test_docs_operations_answer_with_their_schemas(backend: Backend) -> None:
    check = Checked()
    documents = backend.clients.docs.documents()
    created = check(
        "docs", "documents.create", documents.create(body={"title": "Conformance"}).execute()
    )
    did = created["documentId"]
    assert created["title"] == "Conformance" and "body" in created

    first = check(
        "docs",
        "documents.batchUpdate",
        documents.batchUpdate(
            documentId=did,
            body={
                "requests": [
                    {
                        "insertText": {
                            "location": {"index": 1},
                            "text": "Title\nHello world\nItem one\nItem two\n",
                        }
                    },
                    {
                        "createNamedRange": {
                            "name": "greeting",
                            "range": {"startIndex": 7, "endIndex": 12},
                        }
                    },
                    {
                        "updateTextStyle": {
                            "range": {"startIndex": 1, "endIndex": 6},
                            "textStyle": {"bold": True},
                            "fields": "bold",
                        }
                    },
                    {
                        "updateParagraphStyle": {
                            "range": {"startIndex": 1, "endIndex": 2},
                            "paragraphStyle": {"namedStyleType": "HEADING_1"},
                            "fields": "namedStyleType",
                        }
                    },
                    {
                        "createParagraphBullets": {
                            "range": {"startIndex": 19, "endIndex": 36},
                            "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                        }
                    },
                    {
                        "replaceAllText": {
                            "containsText": {"text": "world", "matchCase": True},
                            "replaceText": "there",
                        }
                    },
                    {
                        "replaceAllText": {
                            "containsText": {"text": "absent", "matchCase": True},
                            "replaceText": "x",
                        }
                    },
                    {"replaceNamedRangeContent": {"namedRangeName": "greeting", "text": "Hi"}},
                    {"createFootnote": {"location": {"index": 5}}},
                    {"insertPageBreak": {"endOfSegmentLocation": {}}},
                    {
                        "insertPerson": {
                            "personProperties": {"email": "ada@example.org"},
                            "location": {"index": 1},
                        }
                    },
                    {"insertTable": {"rows": 2, "columns": 2, "endOfSegmentLocation": {}}},
                    {"addDocumentTab": {"tabProperties": {"title": "Second"}}},
                ],
            },
        ).execute(),
    )
    replies = first["replies"]
    assert len(replies) == 13
    # Google answers only the requests that create something; the others get an empty reply,
    # and a zero count is left out, as proto3 JSON leaves out default values.
    assert set(replies[1]["createNamedRange"]) == {"namedRangeId"}
    assert replies[5] == {"replaceAllText": {"occurrencesChanged": 1}}
    assert replies[6] == {"replaceAllText": {}}
    assert set(replies[8]["createFootnote"]) == {"footnoteId"}
    assert replies[12]["addDocumentTab"]["tabProperties"]["title"] == "Second"
    assert [r for i, r in enumerate(replies) if i not in (1, 5, 6, 8, 12)] == [{}] * 8
    assert first["writeControl"]["requiredRevisionId"] != created["revisionId"]

    tab = replies[12]["addDocumentTab"]["tabProperties"]["tabId"]
    second = check(
        "docs",
        "documents.batchUpdate",
        documents.batchUpdate(
            documentId=did,
            body={
                "requests": [
                    {
                        "updateDocumentTabProperties": {
                            "tabProperties": {"tabId": tab, "title": "Renamed"},
                            "fields": "title",
                        }
                    },
                    {"deleteParagraphBullets": {"range": {"startIndex": 1, "endIndex": 30}}},
                    {"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 3}}},
                    {"deleteNamedRange": {"name": "greeting"}},
                    {"deleteTab": {"tabId": tab}},
                ],
                "writeControl": {"requiredRevisionId": first["writeControl"]["requiredRevisionId"]},
            },
        ).execute(),
    )
    assert second["replies"] == [{}] * 5

    legacy = check("docs", "documents.get", documents.get(documentId=did).execute())
    assert "tabs" not in legacy and {"body", "documentStyle", "namedStyles"} <= set(legacy)
    assert legacy["suggestionsViewMode"] == "SUGGESTIONS_INLINE"
    assert legacy["revisionId"] == second["writeControl"]["requiredRevisionId"]
    tabs = check(
        "docs", "documents.get", documents.get(documentId=did, includeTabsContent=True).execute()
    )
    assert "body" not in tabs and len(tabs["tabs"]) == 1
    assert tabs["tabs"][0]["documentTab"]["body"] == legacy["body"]
    check(
        "docs",
        "documents.get",
        documents.get(documentId=did, suggestionsViewMode="PREVIEW_WITHOUT_SUGGESTIONS").execute(),
    )
    check.assert_clean()


# -- Drive ----------------------------------------------------------------------------------------


def test_drive_operations_answer_with_their_schemas(backend: Backend) -> None:
    check = Checked()
    files = backend.clients.drive.files()
    permissions = backend.clients.drive.permissions()
    ids = check(
        "drive",
        "files.generateIds",
        files.generateIds(count=2, space="drive", type="files").execute(),
    )
    assert len(ids["ids"]) == 2
    plain = check(
        "drive",
        "files.create",
        files.create(
            body={
                "id": ids["ids"][0],
                "name": "Notes",
                "mimeType": DOC_MIME,
                "appProperties": {"session": "s1"},
            }
        ).execute(),
    )
    assert set(plain) == {"kind", "id", "name", "mimeType"} and plain["id"] == ids["ids"][0]
    folder = check(
        "drive",
        "files.create",
        files.create(
            body={"name": "Folder", "mimeType": "application/vnd.google-apps.folder"}, fields="*"
        ).execute(),
    )
    fid = plain["id"]
    check("drive", "files.get", files.get(fileId=fid).execute())
    full = check("drive", "files.get", files.get(fileId=fid, fields="*").execute())
    assert full["appProperties"] == {"session": "s1"}
    check(
        "drive",
        "files.get",
        files.get(
            fileId=fid,
            fields="id,name,mimeType,appProperties,webViewLink,parents,trashed",
            supportsAllDrives=True,
        ).execute(),
    )
    check("drive", "files.list", files.list().execute())
    page = check(
        "drive",
        "files.list",
        files.list(
            q="appProperties has { key='session' and value='s1' } and trashed = false",
            fields="nextPageToken,files(id,name,createdTime,modifiedTime,size,version)",
            pageSize=1000,
            supportsAllDrives=True,
            includeItemsFromAllDrives=True,
        ).execute(),
    )
    assert [f["id"] for f in page["files"]] == [fid]
    check("drive", "files.list", files.list(pageSize=1, fields="*").execute())
    copy = check("drive", "files.copy", files.copy(fileId=fid, body={"name": "Copy"}).execute())
    check("drive", "files.copy", files.copy(fileId=fid, body={}, fields="*").execute())
    check("drive", "files.update", files.update(fileId=fid, body={"name": "Renamed"}).execute())
    moved = check(
        "drive",
        "files.update",
        files.update(
            fileId=copy["id"],
            addParents=folder["id"],
            removeParents="root",
            body={"starred": True},
            fields="id,parents,starred,modifiedTime,version",
        ).execute(),
    )
    assert moved["parents"] == [folder["id"]]

    created = check(
        "drive",
        "permissions.create",
        permissions.create(
            fileId=fid,
            sendNotificationEmail=False,
            body={"type": "user", "role": "writer", "emailAddress": "ada@example.org"},
        ).execute(),
    )
    check(
        "drive",
        "permissions.create",
        permissions.create(
            fileId=fid, body={"type": "anyone", "role": "reader"}, fields="*"
        ).execute(),
    )
    check(
        "drive",
        "permissions.create",
        permissions.create(
            fileId=fid,
            body={"type": "domain", "role": "commenter", "domain": "example.org"},
            fields="id,type,role,emailAddress,domain",
        ).execute(),
    )
    check("drive", "permissions.list", permissions.list(fileId=fid).execute())
    listed = check("drive", "permissions.list", permissions.list(fileId=fid, fields="*").execute())
    assert {p["role"] for p in listed["permissions"]} == {"owner", "writer", "reader", "commenter"}
    check(
        "drive",
        "permissions.delete",
        permissions.delete(fileId=fid, permissionId=created["id"]).execute(),
    )
    check("drive", "files.delete", files.delete(fileId=copy["id"]).execute())
    statuses = [
        (e.method, e.status) for e in backend.emulator.log.entries() if e.method == "DELETE"
    ]
    assert statuses == [("DELETE", 204), ("DELETE", 204)]
    check.assert_clean()
    assert {m for m in check.seen if m.startswith("drive:")} == {
        f"{a}:{m}" for a, m, _ in OPERATIONS if a == "drive"
    }


# -- errors -----------------------------------------------------------------------------------


def _envelope(body: bytes | str, status: int) -> dict[str, Any]:
    """The error object of a Google error answer, checked for what every API puts in it."""
    data = json.loads(body)
    assert set(data) == {"error"}, data
    error = data["error"]
    assert error["code"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert error["status"] == STATUS_NAMES[status]
    return error


def _http_error(call: Any) -> HttpError:
    with pytest.raises(HttpError) as caught:
        call.execute()
    return caught.value


def _api_error(fn: Any, *args: Any, **kwargs: Any) -> APIError:
    with pytest.raises(APIError) as caught:
        fn(*args, **kwargs)
    return caught.value


def test_not_found_answers_are_googles(backend: Backend) -> None:
    docs_error = _http_error(backend.clients.docs.documents().get(documentId="missing"))
    assert docs_error.resp.status == 404 and docs_error.status_code == 404
    assert _envelope(docs_error.content, 404)["message"] == "Requested entity was not found."

    drive_error = _http_error(backend.clients.drive.files().get(fileId="missing"))
    assert drive_error.resp.status == 404
    error = _envelope(drive_error.content, 404)
    assert error["message"] == "File not found: missing."
    assert error["errors"][0]["reason"] == "notFound"
    assert drive_error.reason == "File not found: missing."

    gc = backend.clients.sheets
    sheets_error = _api_error(gc.http_client.values_get, "missing", "A1")
    assert sheets_error.code == 404 and sheets_error.response.status_code == 404
    assert sheets_error.error["status"] == "NOT_FOUND"
    _envelope(sheets_error.response.content, 404)
    with pytest.raises(SpreadsheetNotFound):
        gc.open_by_key("missing")


def test_bad_requests_answer_400_invalid_argument(backend: Backend) -> None:
    documents = backend.clients.docs.documents()
    did = documents.create(body={"title": "x"}).execute()["documentId"]
    error = _http_error(
        documents.batchUpdate(
            documentId=did,
            body={"requests": [{"insertText": {"location": {"index": 99}, "text": "x"}}]},
        )
    )
    assert error.resp.status == 400
    assert _envelope(error.content, 400)["message"].startswith("Invalid requests[0].insertText: ")

    http = backend.clients.sheets.http_client
    sid = http.request("post", SHEETS, json={}).json()["spreadsheetId"]
    missing_option = _api_error(http.values_update, sid, "A1", body={"values": [["x"]]})
    assert missing_option.code == 400
    _envelope(missing_option.response.content, 400)
    no_grid = _api_error(http.batch_update, sid, {"requests": [{"deleteSheet": {"sheetId": 9}}]})
    assert _envelope(no_grid.response.content, 400)["message"].startswith(
        "Invalid requests[0].deleteSheet: "
    )
    not_a_list = _api_error(
        http.values_update, sid, "A1", params={"valueInputOption": "RAW"}, body={"values": "X"}
    )
    assert "details" in _envelope(not_a_list.response.content, 400)

    fid = backend.clients.drive.files().create(body={"name": "f"}).execute()["id"]
    drive_error = _http_error(
        backend.clients.drive.permissions().create(
            fileId=fid, body={"type": "user", "role": "writer"}
        )
    )
    assert drive_error.resp.status == 400
    _envelope(drive_error.content, 400)


def test_sheets_and_docs_errors_have_no_drive_style_errors_list(backend: Backend) -> None:
    http = backend.clients.sheets.http_client
    sheets_error = _api_error(http.values_get, "missing", "A1")
    docs_error = _http_error(backend.clients.docs.documents().get(documentId="missing"))
    for body in (sheets_error.response.content, docs_error.content):
        assert set(json.loads(body)["error"]) <= {"code", "message", "status", "details"}


# -- injected faults ------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "retry_after"), [(429, 3), (500, None), (503, None)])
def test_injected_errors_reach_the_clients_as_googles_would(
    backend: Backend, status: int, retry_after: float | None
) -> None:
    documents = backend.clients.docs.documents()
    files = backend.clients.drive.files()
    http = backend.clients.sheets.http_client
    did = documents.create(body={"title": "x"}).execute()["documentId"]
    sid = http.request("post", SHEETS, json={}).json()["spreadsheetId"]
    faults = backend.emulator.faults
    for path in ("/v1/documents/", "/drive/v3/files/", "/v4/spreadsheets/"):
        faults.add(Fault(action="error", path=path, status=status, retry_after=retry_after))

    docs_error = _http_error(documents.get(documentId=did))
    drive_error = _http_error(files.get(fileId=did))
    sheets_error = _api_error(http.values_get, sid, "A1")
    for error in (docs_error, drive_error):
        assert error.resp.status == status
        assert error.resp.get("retry-after") == (None if retry_after is None else "3")
        _envelope(error.content, status)
    assert sheets_error.code == status
    assert sheets_error.response.headers.get("Retry-After") == (
        None if retry_after is None else "3"
    )
    _envelope(sheets_error.response.content, status)
    # Each fault fired once: the next calls succeed.
    assert documents.get(documentId=did).execute()["documentId"] == did
    assert http.values_get(sid, "A1")["range"] == "Sheet1!A1"
    faulted = [e for e in backend.emulator.log.entries() if e.fault]
    assert [(e.api, e.status, e.fault) for e in faulted] == [
        ("docs", status, "error"),
        ("drive", status, "error"),
        ("sheets", status, "error"),
    ]


def test_a_403_rate_limit_fault_looks_like_drives_usage_limit(backend: Backend) -> None:
    backend.emulator.faults.add(
        Fault(path="/drive/v3/files", status=403, reason="userRateLimitExceeded")
    )
    error = _api_error(
        backend.clients.sheets.http_client.request,
        "get",
        "https://www.googleapis.com/drive/v3/files",
    )
    assert error.code == 403
    assert error.error["errors"][0]["reason"] == "userRateLimitExceeded"
    assert error.error["errors"][0]["domain"] == "usageLimits"


def test_dropped_connections_raise_connection_errors(backend: Backend) -> None:
    documents = backend.clients.docs.documents()
    http = backend.clients.sheets.http_client
    did = documents.create(body={"title": "x"}).execute()["documentId"]
    sid = http.request("post", SHEETS, json={}).json()["spreadsheetId"]
    backend.emulator.faults.add(Fault(action="drop", times=-1))
    with pytest.raises(ConnectionError):
        documents.get(documentId=did).execute()
    with pytest.raises(ConnectionError):
        backend.clients.drive.files().list().execute()
    with pytest.raises(requests.ConnectionError):
        http.values_get(sid, "A1")
    backend.emulator.faults.clear()
    dropped = [e for e in backend.emulator.log.entries() if e.fault == "drop"]
    assert {e.api for e in dropped} == {"docs", "drive", "sheets"}
    assert {e.status for e in dropped} == {0}
    assert documents.get(documentId=did).execute()["documentId"] == did


def test_apply_then_fail_writes_but_answers_an_error(backend: Backend) -> None:
    documents = backend.clients.docs.documents()
    files = backend.clients.drive.files()
    http = backend.clients.sheets.http_client
    did = documents.create(body={"title": "x"}).execute()["documentId"]
    sid = http.request("post", SHEETS, json={}).json()["spreadsheetId"]
    faults = backend.emulator.faults
    faults.add(Fault(action="apply_then_fail", path=":batchUpdate$", status=503))
    faults.add(Fault(action="apply_then_fail", path="/drive/v3/files$", method="POST", status=500))
    faults.add(
        Fault(action="apply_then_fail", path="/values/", method="PUT", status=429, retry_after=1)
    )

    error = _http_error(
        documents.batchUpdate(
            documentId=did,
            body={"requests": [{"insertText": {"location": {"index": 1}, "text": "written"}}]},
        )
    )
    assert error.resp.status == 503
    assert _http_error(files.create(body={"name": "ghost"})).resp.status == 500
    sheets_error = _api_error(
        http.values_update,
        sid,
        "A1",
        params={"valueInputOption": "RAW"},
        body={"values": [["kept"]]},
    )
    assert sheets_error.code == 429 and sheets_error.response.headers["Retry-After"] == "1"

    body = documents.get(documentId=did).execute()["body"]["content"]
    assert body[1]["paragraph"]["elements"][0]["textRun"]["content"] == "written\n"
    assert [f["name"] for f in files.list(q="name = 'ghost'").execute()["files"]] == ["ghost"]
    assert http.values_get(sid, "A1")["values"] == [["kept"]]


def test_apply_then_drop_writes_but_the_client_sees_no_answer(backend: Backend) -> None:
    documents = backend.clients.docs.documents()
    did = documents.create(body={"title": "x"}).execute()["documentId"]
    backend.emulator.faults.add(Fault(action="apply_then_drop", path=":batchUpdate$", times=-1))
    with pytest.raises(ConnectionError):
        documents.batchUpdate(
            documentId=did,
            body={"requests": [{"insertText": {"location": {"index": 1}, "text": "once"}}]},
        ).execute()
    backend.emulator.faults.clear()
    text = documents.get(documentId=did).execute()["body"]["content"][1]["paragraph"]
    assert text["elements"][0]["textRun"]["content"] == "once\n"


def test_a_dropped_answer_is_never_resent_behind_our_back(backend: Backend) -> None:
    """httplib2 would resend a request once when the connection dies without an answer, so a
    write could land twice unseen; gdoc-sync's clients send Docs and Drive calls through
    requests instead, and leave retrying to the one policy that knows which writes are
    idempotent."""
    documents = backend.clients.docs.documents()
    did = documents.create(body={"title": "x"}).execute()["documentId"]
    backend.emulator.faults.add(Fault(action="apply_then_drop", path=":batchUpdate$"))
    with pytest.raises(ConnectionError):
        documents.batchUpdate(
            documentId=did,
            body={"requests": [{"insertText": {"location": {"index": 1}, "text": "once"}}]},
        ).execute()
    text = documents.get(documentId=did).execute()["body"]["content"][1]["paragraph"]
    assert text["elements"][0]["textRun"]["content"] == "once\n"


def test_latency_delays_the_answer_but_not_its_content(backend: Backend) -> None:
    http = backend.clients.sheets.http_client
    sid = http.request("post", SHEETS, json={}).json()["spreadsheetId"]
    backend.emulator.faults.add(Fault(action="latency", latency_ms=150, path="/values/"))
    started = time.monotonic()
    answer = http.values_get(sid, "A1:B2")
    assert time.monotonic() - started >= 0.15
    assert validate_response("sheets", "spreadsheets.values.get", answer) == []
    entry = backend.emulator.log.entries()[-1]
    assert (entry.fault, entry.status) == ("latency", 200) and entry.duration_ms >= 150
