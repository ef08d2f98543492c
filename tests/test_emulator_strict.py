"""The emulator fails where Google fails: requests checked against the discovery documents the
client library ships, and Google's documented limits, answered in Google's wording.

Every request here goes through the real client libraries (googleapiclient, gspread) against
the emulator, in-process and over HTTP; expectations are Google's recorded or documented
answers, cited in each test."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import FIXTURES, Backend
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError

from gdoc_sync.emulator import validation

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
CASSETTES = FIXTURES / "google" / "gspread-cassettes"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"


def _error(exc: HttpError | APIError) -> dict[str, Any]:
    if isinstance(exc, HttpError):
        return json.loads(exc.content)["error"]
    return exc.response.json()["error"]


def _bad_request(message: str, field: str | None) -> dict[str, Any]:
    violation = {"field": field, "description": message} if field else {"description": message}
    return {
        "code": 400,
        "message": message,
        "status": "INVALID_ARGUMENT",
        "details": [{"@type": BAD_REQUEST, "fieldViolations": [violation]}],
    }


def _new_sheet(backend: Backend) -> str:
    http = backend.clients.sheets.http_client
    return http.request("post", SHEETS, json={"properties": {"title": "Strict"}}).json()[
        "spreadsheetId"
    ]


def _new_doc(backend: Backend) -> str:
    return backend.clients.docs.documents().create(body={"title": "Strict"}).execute()["documentId"]


def _recorded_error(cassette: str, uri_part: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The request body and the error Google answered, from a gspread cassette."""
    recording = json.loads((CASSETTES / cassette).read_text(encoding="utf-8"))
    for interaction in recording["interactions"]:
        request, response = interaction["request"], interaction["response"]
        if uri_part in request["uri"] and response["status"]["code"] >= 400:
            return json.loads(request["body"]), json.loads(response["body"]["string"])["error"]
    raise AssertionError(f"no error for {uri_part} in {cassette}")


# -- unknown fields, types, enums ---------------------------------------------------------------


def test_an_unknown_field_inside_a_docs_request_is_refused_with_its_snake_case_path(
    backend: Backend,
) -> None:
    """Google: 400 `Invalid JSON payload received. Unknown name "foo" at
    'requests[0].insert_text': Cannot find field.` (issue 14; the same wording and BadRequest
    detail are recorded from other Google APIs, e.g. GoogleCloudPlatform/cloud-vision#112)."""
    doc_id = _new_doc(backend)
    documents = backend.clients.docs.documents()
    body = {"requests": [{"insertText": {"location": {"index": 1}, "text": "x", "foo": 1}}]}
    with pytest.raises(HttpError) as caught:
        documents.batchUpdate(documentId=doc_id, body=body).execute()
    message = (
        "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].insert_text': "
        "Cannot find field."
    )
    assert _error(caught.value) == _bad_request(message, "requests[0].insert_text")
    # Nothing was applied.
    text = documents.get(documentId=doc_id).execute()["body"]["content"][-1]
    assert text["paragraph"]["elements"][0]["textRun"]["content"] == "\n"


def test_several_unknown_names_are_all_reported_and_a_top_level_one_has_no_path(
    backend: Backend,
) -> None:
    doc_id = _new_doc(backend)
    body = {
        "requests": [{"insertText": {"location": {"index": 1, "tab": "t"}, "text": "x"}}],
        "foo": True,
    }
    with pytest.raises(HttpError) as caught:
        backend.clients.docs.documents().batchUpdate(documentId=doc_id, body=body).execute()
    error = _error(caught.value)
    first = (
        'Invalid JSON payload received. Unknown name "tab" at '
        "'requests[0].insert_text.location': Cannot find field."
    )
    second = 'Invalid JSON payload received. Unknown name "foo": Cannot find field.'
    assert error["message"] == f"{second}\n{first}" or error["message"] == f"{first}\n{second}"
    assert sorted(error["details"][0]["fieldViolations"], key=str) == sorted(
        [
            {"field": "requests[0].insert_text.location", "description": first},
            {"description": second},
        ],
        key=str,
    )


def test_a_values_body_of_the_wrong_type_answers_as_recorded(backend: Backend) -> None:
    """gspread's cassette WorksheetTest.test_add_validation recorded Google's answer to
    `{"values": "X"}`: 400 `Invalid value at 'data.values'
    (type.googleapis.com/google.protobuf.ListValue), "X"` with a BadRequest detail."""
    body, recorded = _recorded_error("WorksheetTest.test_add_validation.json", "/values/")
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    with pytest.raises(APIError) as caught:
        http.values_update(sid, "'Sheet1'!A1", params={"valueInputOption": "RAW"}, body=body)
    assert _error(caught.value) == recorded


def test_a_body_that_is_not_an_object_is_refused(backend: Backend) -> None:
    sid = _new_sheet(backend)
    with pytest.raises(APIError) as caught:
        backend.clients.sheets.http_client.batch_update(sid, [{"addSheet": {}}])
    message = 'Invalid JSON payload received. Unknown name "": Root element must be a message.'
    assert _error(caught.value) == _bad_request(message, None)


def test_an_unknown_top_level_field_of_a_values_body_is_refused(backend: Backend) -> None:
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    with pytest.raises(APIError) as caught:
        http.values_update(
            sid, "A1", params={"valueInputOption": "RAW"}, body={"values": [["a"]], "foo": 1}
        )
    message = "Invalid JSON payload received. Unknown name \"foo\" at 'data': Cannot find field."
    assert _error(caught.value) == _bad_request(message, "data")
    assert http.values_get(sid, "A1").get("values") is None


def test_wrong_types_and_enum_values_name_the_field_and_the_type(backend: Backend) -> None:
    doc_id = _new_doc(backend)
    documents = backend.clients.docs.documents()
    cases = [
        (
            {"insertText": {"location": {"index": "one"}, "text": "x"}},
            "requests[0].insert_text.location.index",
            '(TYPE_INT32), "one"',
        ),
        (
            {"insertText": {"location": {"index": 1}, "text": 5}},
            "requests[0].insert_text.text",
            "(TYPE_STRING), 5",
        ),
        (
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": 1, "endIndex": 2},
                    "paragraphStyle": {"namedStyleType": "HEADING_9"},
                    "fields": "namedStyleType",
                }
            },
            "requests[0].update_paragraph_style.paragraph_style.named_style_type",
            '(type.googleapis.com/google.apps.docs.v1.ParagraphStyle.NamedStyleType), "HEADING_9"',
        ),
        (
            {"insertText": {"location": [1], "text": "x"}},
            "requests[0].insert_text.location",
            "(type.googleapis.com/google.apps.docs.v1.Location), [1]",
        ),
    ]
    for request, field, rest in cases:
        with pytest.raises(HttpError) as caught:
            documents.batchUpdate(documentId=doc_id, body={"requests": [request]}).execute()
        assert _error(caught.value) == _bad_request(f"Invalid value at '{field}' {rest}", field)


def test_query_parameters_are_checked_too(backend: Backend) -> None:
    """An enum query value outside the enum, and an unknown query parameter (gRPC transcoding:
    `Cannot bind query parameter`), are refused by Sheets."""
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    with pytest.raises(APIError) as caught:
        http.values_update(sid, "A1", params={"valueInputOption": "RAWW"}, body={"values": [[1]]})
    message = (
        "Invalid value at 'value_input_option' "
        '(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "RAWW"'
    )
    assert _error(caught.value) == _bad_request(message, "value_input_option")
    with pytest.raises(APIError) as caught:
        http.values_get(sid, "A1", params={"foo": "1"})
    message = (
        'Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter. '
        "Field 'foo' could not be found in request message."
    )
    assert _error(caught.value) == _bad_request(message, None)
    with pytest.raises(APIError) as caught:
        http.request("get", f"{SHEETS}/{sid}", params={"includeGridData": "maybe"})
    message = "Invalid value at 'include_grid_data' (TYPE_BOOL), \"maybe\""
    assert _error(caught.value) == _bad_request(message, "include_grid_data")


def test_what_google_recorded_accepting_is_accepted(backend: Backend) -> None:
    """gspread's cassettes: `includeValuesInResponse=False` (capitalised) on values.append,
    `includeItemsFromAllDrives=True` on a Drive files.get that does not declare it, and
    `"name": null` in a files.copy body, all answered 200."""
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    appended = http.values_append(
        sid,
        "'Sheet1'",
        params={"valueInputOption": "RAW", "includeValuesInResponse": "False"},
        body={"values": [["a"]]},
    )
    assert appended["updates"]["updatedRange"] == "Sheet1!A1"
    drive = "https://www.googleapis.com/drive/v3/files"
    got = http.request(
        "get",
        f"{drive}/{sid}",
        params={"supportsAllDrives": "True", "includeItemsFromAllDrives": "True", "fields": "id"},
    ).json()
    assert got == {"id": sid}
    copied = http.request(
        "post",
        f"{drive}/{sid}/copy",
        json={"name": None, "mimeType": "application/vnd.google-apps.spreadsheet"},
        params={"supportsAllDrives": True},
    ).json()
    assert copied["name"] == "Copy of Strict"


def test_output_only_fields_are_ignored_by_docs_and_sheets_and_refused_by_drive(
    backend: Backend,
) -> None:
    """google/api/field_behavior.proto: an OUTPUT_ONLY field in a request "does nothing (the
    server must ignore it and must not throw an error)"; the Docs discovery document says of
    documents.create: "Other fields in the request, including any provided content, are
    ignored." Drive answers 403 fieldNotWritable `The resource body includes fields which are
    not directly writable.` (recorded in google/google-api-objectivec-client#145 and
    taers232c/GAMADV-XTD#21)."""
    documents = backend.clients.docs.documents()
    created = documents.create(
        body={"title": "Kept", "documentId": "chosen-by-me", "revisionId": "r"}
    ).execute()
    assert created["title"] == "Kept" and created["documentId"] != "chosen-by-me"
    assert created["revisionId"] != "r"

    files = backend.clients.drive.files()
    with pytest.raises(HttpError) as caught:
        files.update(fileId=created["documentId"], body={"name": "x", "size": "12"}).execute()
    message = "The resource body includes fields which are not directly writable."
    assert _error(caught.value) == {
        "code": 403,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": "fieldNotWritable"}],
        "status": "PERMISSION_DENIED",
    }
    assert files.get(fileId=created["documentId"]).execute()["name"] == "Kept"


def test_the_validator_knows_every_method_of_the_three_apis() -> None:
    """One validator, driven by the discovery documents: every method of Docs v1, Sheets v4
    and Drive v3 is found back from its own HTTP method and path."""
    total = 0
    for api in validation.DOCUMENTS:
        doc = validation.discovery(api)
        for method in validation.methods(api):
            template = doc.get("servicePath", "") + _flat_path(doc, method.id)
            path = "/" + re.sub(r"\{\+?([A-Za-z_]+)\}", lambda m: f"x{m.group(1)}1", template)
            found = validation.find_method(api, method.http_method, path)
            assert found is not None and found.id == method.id, (api, method.id, path)
            total += 1
    assert total == len(validation.methods("docs")) + len(validation.methods("sheets")) + len(
        validation.methods("drive")
    )
    assert total > 60


def _flat_path(doc: dict[str, Any], method_id: str) -> str:
    *resources, name = method_id.split(".")
    node = doc
    for resource in resources:
        node = node["resources"][resource]
    method = node["methods"][name]
    return method.get("flatPath") or method["path"]


# -- Google's limits -----------------------------------------------------------------------------


def test_a_cell_holds_at_most_50000_characters(backend: Backend) -> None:
    """support.google.com/drive/answer/37603 ("Files you can store in Google Drive"): a cell
    holds up to 50,000 characters; Google's answer past it (issue 14): 400 `Your input contains
    more than the maximum of 50000 characters in a single cell.`"""
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    message = "Your input contains more than the maximum of 50000 characters in a single cell."
    http.values_update(
        sid, "A1", params={"valueInputOption": "RAW"}, body={"values": [["é" * 50_000]]}
    )
    assert len(http.values_get(sid, "A1")["values"][0][0]) == 50_000
    with pytest.raises(APIError) as caught:
        http.values_update(
            sid, "A2", params={"valueInputOption": "RAW"}, body={"values": [["x" * 50_001]]}
        )
    assert _error(caught.value) == {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}
    update_cells = {
        "updateCells": {
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "x" * 50_001}}]}],
            "fields": "userEnteredValue",
            "start": {"sheetId": 0, "rowIndex": 2, "columnIndex": 0},
        }
    }
    with pytest.raises(APIError) as caught:
        http.batch_update(sid, {"requests": [update_cells]})
    assert _error(caught.value)["message"] == f"Invalid requests[0].updateCells: {message}"
    assert http.values_get(sid, "A2:A3").get("values") is None


def _resize(sid: str, rows: int, cols: int) -> dict[str, Any]:
    return {
        "updateSheetProperties": {
            "properties": {"sheetId": 0, "gridProperties": {"rowCount": rows, "columnCount": cols}},
            "fields": "gridProperties(rowCount,columnCount)",
        }
    }


def test_a_spreadsheet_holds_at_most_10_million_cells(backend: Backend) -> None:
    """support.google.com/drive/answer/37603: up to 10 million cells. Google's answer past it,
    recorded in nithinmurali/pygsheets#589: `Invalid requests[0].updateSheetProperties: This
    action would increase the number of cells in the workbook above the limit of 10000000
    cells.`"""
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    http.batch_update(sid, {"requests": [_resize(sid, 400_000, 25)]})  # exactly 10,000,000
    with pytest.raises(APIError) as caught:
        http.batch_update(sid, {"requests": [{"addSheet": {"properties": {"title": "One more"}}}]})
    assert _error(caught.value)["message"] == (
        "Invalid requests[0].addSheet: This action would increase the number of cells in the "
        "workbook above the limit of 10000000 cells."
    )
    with pytest.raises(APIError) as caught:
        http.values_append(
            sid,
            "Sheet1!A1",
            params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
            body={"values": [["x"]]},
        )
    assert "above the limit of 10000000 cells" in _error(caught.value)["message"]
    sheets = http.request("get", f"{SHEETS}/{sid}").json()["sheets"]
    assert [s["properties"]["gridProperties"] for s in sheets] == [
        {"rowCount": 400_000, "columnCount": 25}
    ]


def test_a_sheet_holds_at_most_18278_columns(backend: Backend) -> None:
    """support.google.com/drive/answer/37603: up to 18,278 columns (column ZZZ). The wording of
    Google's refusal is not recorded; the emulator says which limit."""
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    http.batch_update(sid, {"requests": [_resize(sid, 10, 18_278)]})
    with pytest.raises(APIError) as caught:
        http.batch_update(
            sid,
            {
                "requests": [
                    {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 1}}
                ]
            },
        )
    assert _error(caught.value)["message"] == (
        "Invalid requests[0].appendDimension: This action would increase the number of columns "
        "in the sheet above the limit of 18278 columns."
    )


def test_named_range_names_follow_googles_rules(backend: Backend) -> None:
    """Sheets (Docs Editors Help, "Name a range"): letters, numbers and underscores, not
    starting with a digit, not TRUE/FALSE, not an A1 or R1C1 reference, 1 to 250 characters.
    Docs (the discovery document, CreateNamedRangeRequest.name): 1 to 256 UTF-16 code units."""
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client

    def add(name: str) -> dict[str, Any]:
        request = {"addNamedRange": {"namedRange": {"name": name, "range": {"sheetId": 0}}}}
        return http.batch_update(sid, {"requests": [request]})

    add("Budget_2025")
    add("n" * 250)
    add("Ελληνικά_2")  # letters of any script
    for bad in ("1st", "TRUE", "A1", "R1C1", "with space", "a.b", "n" * 251):
        with pytest.raises(APIError) as caught:
            add(bad)
        assert _error(caught.value)["message"] == (
            f'Invalid requests[0].addNamedRange: The name "{bad}" is not a valid range name.'
        )

    doc_id = _new_doc(backend)
    documents = backend.clients.docs.documents()

    def create(name: str) -> None:
        request = {"createNamedRange": {"name": name, "range": {"startIndex": 1, "endIndex": 2}}}
        documents.batchUpdate(documentId=doc_id, body={"requests": [request]}).execute()

    create("😀" * 128)  # 256 UTF-16 code units
    with pytest.raises(HttpError) as caught:
        create("😀" * 128 + "x")
    assert "from 1 to 256 UTF-16 code units" in _error(caught.value)["message"]


def test_a_request_body_is_at_most_10_mib(backend: Backend) -> None:
    """Google's front end refuses a larger body: 400 `Request payload size exceeds the limit:
    10485760 bytes.` (recorded in googleworkspace/dotnet-samples#23)."""
    sid = _new_sheet(backend)
    http = backend.clients.sheets.http_client
    rows = [["x" * 1000] for _ in range(10_500)]  # about 10.6 MB of JSON
    with pytest.raises(APIError) as caught:
        http.values_update(sid, "A1", params={"valueInputOption": "RAW"}, body={"values": rows})
    assert _error(caught.value) == {
        "code": 400,
        "message": "Request payload size exceeds the limit: 10485760 bytes.",
        "status": "INVALID_ARGUMENT",
    }


def test_drive_update_refuses_parents_in_the_body(backend: Backend) -> None:
    """Recorded in RobinBobin/react-native-google-drive-api-wrapper#65: 403 fieldNotWritable
    `The parents field is not directly writable in update requests. Use the addParents and
    removeParents parameters instead.`"""
    files = backend.clients.drive.files()
    folder = files.create(
        body={"name": "F", "mimeType": "application/vnd.google-apps.folder"}
    ).execute()
    doc_id = _new_doc(backend)
    with pytest.raises(HttpError) as caught:
        files.update(fileId=doc_id, body={"parents": [folder["id"]]}).execute()
    error = _error(caught.value)
    assert (error["code"], error["errors"][0]["reason"]) == (403, "fieldNotWritable")
    assert error["message"] == (
        "The parents field is not directly writable in update requests. Use the addParents "
        "and removeParents parameters instead."
    )
    moved = files.update(
        fileId=doc_id, addParents=folder["id"], removeParents="root", fields="parents"
    ).execute()
    assert moved["parents"] == [folder["id"]]


def test_a_document_holds_at_most_1_02_million_characters(backend: Backend) -> None:
    """support.google.com/drive/answer/37603: a document holds up to 1.02 million characters
    (Google's wording past it is not recorded; the emulator names the limit)."""
    doc_id = _new_doc(backend)
    documents = backend.clients.docs.documents()

    def insert(n: int) -> None:
        request = {"insertText": {"location": {"index": 1}, "text": "x" * n}}
        documents.batchUpdate(documentId=doc_id, body={"requests": [request]}).execute()

    insert(1_019_998)  # with the section break and the final newline: 1,020,000
    with pytest.raises(HttpError) as caught:
        insert(1)
    assert _error(caught.value)["message"] == (
        "The document would hold more than 1020000 characters, the most Google allows in a "
        "document."
    )
    body = documents.get(documentId=doc_id).execute()["body"]["content"]
    assert body[-1]["endIndex"] == 1_020_000


def test_drive_refuses_a_field_selection_that_names_no_field(backend: Backend) -> None:
    """Recorded in googleworkspace/java-samples#1547 (a Drive v2 name asked of v3): 400
    `Invalid field selection items`, located at the `fields` parameter."""
    files = backend.clients.drive.files()
    with pytest.raises(HttpError) as caught:
        files.list(fields="nextPageToken, items(id, title)", spaces="drive").execute()
    message = "Invalid field selection items"
    assert _error(caught.value) == {
        "code": 400,
        "message": message,
        "errors": [
            {
                "domain": "global",
                "location": "fields",
                "locationType": "parameter",
                "message": message,
                "reason": "invalidParameter",
            }
        ],
        "status": "INVALID_ARGUMENT",
    }
    with pytest.raises(HttpError) as caught:
        files.list(fields="files(id,title)").execute()
    assert _error(caught.value)["message"] == "Invalid field selection title"
    listed = files.list(fields="files(id,name,appProperties/session),nextPageToken").execute()
    assert "files" in listed
