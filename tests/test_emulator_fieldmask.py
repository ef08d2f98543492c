"""One `fields` parser for the three emulated APIs: the masks each one uses, parsed directly and
sent through the real client libraries."""

from __future__ import annotations

import gspread
import pytest
from googleapiclient.errors import HttpError

from gdoc_sync.emulator import fieldmask


def test_response_masks_of_each_api() -> None:
    files = {"files": [{"id": "a", "name": "n", "mimeType": "m"}], "nextPageToken": "t"}
    assert fieldmask.apply(files, fieldmask.parse("files(id,name)")) == {
        "files": [{"id": "a", "name": "n"}]
    }
    book = {
        "spreadsheetId": "s",
        "properties": {"title": "T"},
        "sheets": [{"properties": {"sheetId": 0}, "data": [{"rowData": []}]}],
        "namedRanges": [{"name": "N"}],
    }
    assert fieldmask.apply(book, fieldmask.parse("sheets.properties,namedRanges")) == {
        "sheets": [{"properties": {"sheetId": 0}}],
        "namedRanges": [{"name": "N"}],
    }
    assert "tabs" in fieldmask.parse("tabs")
    assert "tabs" in fieldmask.parse("title,tabs(tabProperties,documentTab)")


def test_request_masks_as_paths() -> None:
    assert fieldmask.paths("userEnteredFormat(textFormat.bold,backgroundColor),note") == [
        ["userEnteredFormat", "textFormat", "bold"],
        ["userEnteredFormat", "backgroundColor"],
        ["note"],
    ]
    assert fieldmask.paths("gridProperties.frozenRowCount, title") == [
        ["gridProperties", "frozenRowCount"],
        ["title"],
    ]
    assert fieldmask.paths("bold,link.url") == [["bold"], ["link", "url"]]  # Docs
    assert fieldmask.paths("*") == [["*"]]
    assert fieldmask.paths("a,a.b") == [["a"]]  # a path inside one named whole adds nothing
    assert fieldmask.paths("a.b,a") == [["a"]]
    for garbage in ("a(b", "a,,b", "a)"):
        with pytest.raises(ValueError):
            fieldmask.paths(garbage)


def test_drive_files_mask_through_the_client(backend) -> None:
    files = backend.clients.drive.files()
    made = files.create(body={"name": "Masked", "mimeType": "text/plain"}).execute()
    listed = files.list(q="name = 'Masked'", fields="files(id,name)").execute()
    assert listed == {"files": [{"id": made["id"], "name": "Masked"}]}


def test_sheets_masks_through_gspread(backend) -> None:
    gc = backend.clients.sheets
    book = gc.create("Masks")
    book.sheet1.update_title("First")
    meta = book.fetch_sheet_metadata(params={"fields": "sheets.properties,namedRanges"})
    assert set(meta) == {"sheets"}  # no named ranges yet: the key is left out, as Google does
    assert set(meta["sheets"][0]) == {"properties"}
    assert meta["sheets"][0]["properties"]["title"] == "First"

    sheet_id = book.sheet1.id
    cell = {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1}
    book.batch_update(
        {
            "requests": [
                {
                    "repeatCell": {
                        "range": {**cell, "startColumnIndex": 0, "endColumnIndex": 1},
                        "cell": {
                            "userEnteredFormat": {"textFormat": {"bold": True, "italic": True}},
                            "note": "kept",
                        },
                        "fields": "userEnteredFormat(textFormat.bold),note",
                    }
                }
            ]
        }
    )
    read = book.fetch_sheet_metadata(
        params={"fields": "sheets.data.rowData.values(userEnteredFormat.textFormat,note)"}
    )
    value = read["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert value["note"] == "kept"
    assert value["userEnteredFormat"]["textFormat"].get("bold") is True
    assert "italic" not in value["userEnteredFormat"]["textFormat"]  # not in the mask

    with pytest.raises(gspread.exceptions.APIError) as caught:
        book.batch_update(
            {
                "requests": [
                    {
                        "repeatCell": {
                            "range": cell,
                            "cell": {"note": "x"},
                            "fields": "userEnteredFormat(textFormat",
                        }
                    }
                ]
            }
        )
    assert caught.value.response.status_code == 400
    assert "userEnteredFormat(textFormat" in str(caught.value)


def test_docs_masks_through_the_client(backend) -> None:
    documents = backend.clients.docs.documents()
    doc = documents.create(body={"title": "Masks"}).execute()
    documents.batchUpdate(
        documentId=doc["documentId"],
        body={"requests": [{"insertText": {"location": {"index": 1}, "text": "Hello"}}]},
    ).execute()
    got = documents.get(documentId=doc["documentId"], fields="tabs").execute()
    assert set(got) == {"tabs"}
    assert "Hello" in str(got["tabs"][0]["documentTab"]["body"])

    style = {"bold": True, "italic": True}
    where = {"startIndex": 1, "endIndex": 6}
    documents.batchUpdate(
        documentId=doc["documentId"],
        body={
            "requests": [
                {"updateTextStyle": {"range": where, "textStyle": style, "fields": "bold"}}
            ]
        },
    ).execute()
    body = documents.get(documentId=doc["documentId"]).execute()["body"]
    run = body["content"][1]["paragraph"]["elements"][0]
    assert run["textRun"]["content"].startswith("Hello")
    assert run["textRun"]["textStyle"] == {"bold": True}

    with pytest.raises(HttpError) as caught:
        documents.batchUpdate(
            documentId=doc["documentId"],
            body={
                "requests": [
                    {"updateTextStyle": {"range": where, "textStyle": style, "fields": "bold,,"}}
                ]
            },
        ).execute()
    assert caught.value.resp.status == 400
