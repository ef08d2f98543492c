"""What gspread 6.2.1's own suite found missing or different in the emulator, each checked here
through gspread against the emulator (in-process and over HTTP), with Google's answer as
gspread's tests and cassettes recorded it."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from conftest import Backend
from googleapiclient.errors import HttpError

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


def _sheet(backend: Backend, title: str = "Fixes") -> gspread.Spreadsheet:
    return backend.clients.sheets.create(title)


def _metadata(sh: gspread.Spreadsheet) -> dict[str, Any]:
    return sh.fetch_sheet_metadata()["sheets"][0]


def test_basic_filter_range_has_its_four_bounds_zeros_included(backend: Backend) -> None:
    """gspread's test_basic_filters: Google answers startRowIndex 0 and the grid's ends."""
    sh = _sheet(backend)
    ws = sh.sheet1
    ws.resize(20, 20)
    ws.set_basic_filter()
    assert _metadata(sh)["basicFilter"]["range"] == {
        "sheetId": ws.id,
        "startRowIndex": 0,
        "endRowIndex": 20,
        "startColumnIndex": 0,
        "endColumnIndex": 20,
    }
    ws.set_basic_filter("B1:C2")
    assert _metadata(sh)["basicFilter"]["range"] == {
        "sheetId": ws.id,
        "startRowIndex": 0,
        "endRowIndex": 2,
        "startColumnIndex": 1,
        "endColumnIndex": 3,
    }
    ws.clear_basic_filter()
    assert "basicFilter" not in _metadata(sh)


def test_colors_come_back_with_their_color_styles(backend: Backend) -> None:
    """gspread's test_format: Google adds backgroundColorStyle and foregroundColorStyle."""
    sh = _sheet(backend)
    ws = sh.sheet1
    ws.format(
        "A2:B2", {"backgroundColor": {"green": 1}, "textFormat": {"foregroundColor": {"red": 1}}}
    )
    data = sh._spreadsheets_get(
        {"ranges": ["Sheet1!A2"], "fields": "sheets.data.rowData.values.userEnteredFormat"}
    )
    fmt = data["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert fmt["backgroundColor"] == {"green": 1}
    assert fmt["backgroundColorStyle"] == {"rgbColor": {"green": 1}}
    assert fmt["textFormat"]["foregroundColorStyle"] == {"rgbColor": {"red": 1}}


def test_a_named_range_behind_a_sheet_prefix_is_resolved(backend: Backend) -> None:
    """gspread's test_get_values_merge_cells_with_named_range asks for `'Sheet1'!NamedRange`."""
    ws = _sheet(backend).sheet1
    ws.update([["1", "2", "4"], ["down", "up", ""], ["", "", "2"]], "A1:C3")
    ws.define_named_range("B1:C3", "Zone")
    assert ws.get_values("Zone") == [["2", "4"], ["up", ""], ["", "2"]]
    assert ws.spreadsheet.values_get("'Sheet1'!Zone")["range"] == "Sheet1!B1:C3"


def test_append_extends_the_table_around_the_last_filled_cell(backend: Backend) -> None:
    """gspread's cassette WorksheetTest.test_append_row_with_empty_value recorded tableRange
    Sheet1!C1 and the second row written at C2:E2 after appending [a, "", c] twice."""
    ws = _sheet(backend).sheet1
    row = ["a", "", "c"]
    ws.append_row(row)
    answer = ws.append_row(row)
    assert answer["tableRange"] == "Sheet1!C1"
    assert answer["updates"]["updatedRange"] == "Sheet1!C2:E2"
    assert ws.row_values(2) == ["", "", "a", "", "c"]


def test_copy_and_cut_paste(backend: Backend) -> None:
    """gspread's test_copy_cut_range: copyPaste and cutPaste. A copied formula's relative
    references move with it, `$` parts stay (Sheets' copy and paste); a cut formula keeps its
    references (references to the moved cells elsewhere are not rewritten: see the README)."""
    ws = _sheet(backend).sheet1
    ws.update([["A1", '=A1&"!"'], ["=1+1", "=$A$1&B1&A$2"]], "A1:B2", raw=False)
    ws.format("A1", {"textFormat": {"bold": True}})
    ws.copy_range("A1:B2", "C1:D2")
    assert ws.get_values("C1:D2", value_render_option="FORMULA") == [
        ["A1", '=C1&"!"'],
        ["=1+1", "=$A$1&D1&C$2"],
    ]
    assert ws.get_values("D1:D2") == [["A1!"], ["A1A1!2"]]
    ws.copy_range("B1", "A3")  # =A1 one column left of A: #REF!
    assert ws.get_values("A3", value_render_option="FORMULA") == [['=#REF!&"!"']]
    ws.copy_range("A1:A2", "E1:E4", paste_type="PASTE_VALUES")  # tiled twice, values only
    assert ws.get_values("E1:E4", value_render_option="FORMULA") == [["A1"], [2], ["A1"], [2]]
    ws.copy_range("A1", "F1", paste_type="PASTE_FORMAT")
    formats = ws.spreadsheet._spreadsheets_get(
        {"ranges": ["Sheet1!E1:F1"], "fields": "sheets.data.rowData.values.userEnteredFormat"}
    )["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert formats[0] == {} and formats[1]["userEnteredFormat"]["textFormat"]["bold"] is True
    assert ws.get_values("F1") == [[]]
    ws.cut_range("B1:B2", "G1")
    assert [cell.value for cell in ws.range("B1:B2")] == ["", ""]
    assert ws.get_values("G1:G2", value_render_option="FORMULA") == [
        ['=A1&"!"'],
        ["=$A$1&B1&A$2"],
    ]


def test_row_and_column_groups(backend: Backend) -> None:
    """gspread's test_group_rows and test_group_columns: addDimensionGroup and
    deleteDimensionGroup, listed as rowGroups and columnGroups with their depth."""
    ws = _sheet(backend).sheet1
    ws.add_dimension_group_rows(0, 2)
    ws.add_dimension_group_rows(1, 2)  # nested: depth 2
    assert ws.list_dimension_group_rows() == [
        {
            "range": {"sheetId": ws.id, "dimension": "ROWS", "startIndex": 0, "endIndex": 2},
            "depth": 1,
        },
        {
            "range": {"sheetId": ws.id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2},
            "depth": 2,
        },
    ]
    ws.insert_rows([["new"]], row=2)  # inside the outer group (it grows), at the inner's edge
    ws.delete_rows(1)  # above it: it moves up
    assert [
        (g["range"]["startIndex"], g["range"]["endIndex"], g["depth"])
        for g in ws.list_dimension_group_rows()
    ] == [(0, 2, 1), (1, 2, 2)]
    ws.delete_dimension_group_rows(0, 2)
    ws.delete_dimension_group_rows(0, 2)
    assert ws.list_dimension_group_rows() == []
    ws.add_dimension_group_columns(0, 2)
    assert ws.list_dimension_group_columns()[0]["range"]["dimension"] == "COLUMNS"


def test_export_copy_with_comments_and_csv_import(backend: Backend) -> None:
    """gspread's test_client_export_spreadsheet, test_copy (which copies comments through
    Drive's /comments) and test_import_csv (Drive v2's media upload with convert=true)."""
    gc = backend.clients.sheets
    sh = _sheet(backend, "Export me")
    sh.sheet1.update([["a1", "B2"], ["x,y", "Ünïcødé"]], "A1:B2")
    exported = gc.export(sh.id, gspread.utils.ExportFormat.CSV)
    assert bytes(exported).decode("utf-8") == 'a1,B2\r\n"x,y",Ünïcødé'
    drive = "https://www.googleapis.com/drive/v3/files"
    gc.http_client.request(
        "post", f"{drive}/{sh.id}/comments", json={"content": "Check B2"}, params={"fields": "id"}
    )
    copied = gc.copy(sh.id, title="The copy")
    comments = gc.http_client.request(
        "get", f"{drive}/{copied.id}/comments", params={"fields": "comments/content"}
    ).json()
    assert comments == {"comments": [{"content": "Check B2"}]}
    assert copied.sheet1.get_all_values() == sh.sheet1.get_all_values()

    sh.add_worksheet("Other", 5, 5)
    gc.import_csv(sh.id, "name,score\nAda,1\nGrace,2\n")
    reopened = gc.open_by_key(sh.id)
    assert [ws.title for ws in reopened.worksheets()] == ["Sheet1"]
    assert reopened.sheet1.get_all_values() == [["name", "score"], ["Ada", "1"], ["Grace", "2"]]
    assert reopened.sheet1.get("B2", value_render_option="UNFORMATTED_VALUE") == [[1]]


def test_comments_need_a_field_mask(backend: Backend) -> None:
    """Drive's comments methods answer 400 without `fields` (gspread's copy notes: "requesting
    some fields in the response is mandatory from the API")."""
    gc = backend.clients.sheets
    sh = _sheet(backend)
    drive = "https://www.googleapis.com/drive/v3/files"
    response = gc.http_client.session.get(f"{drive}/{sh.id}/comments")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "The 'fields' parameter is required for this method."
    )


def test_a_document_exports_as_plain_text(backend: Backend) -> None:
    documents = backend.clients.docs.documents()
    doc_id = documents.create(body={"title": "Notes"}).execute()["documentId"]
    request = {"insertText": {"location": {"index": 1}, "text": "Ngô Bảo Châu\nمرحبا 🌍\n"}}
    documents.batchUpdate(documentId=doc_id, body={"requests": [request]}).execute()
    files = backend.clients.drive.files()
    exported = files.export(fileId=doc_id, mimeType="text/plain").execute()
    assert exported.decode("utf-8") == "Ngô Bảo Châu\nمرحبا 🌍\n\n"
    with pytest.raises(HttpError) as caught:
        files.export(fileId=doc_id, mimeType="application/pdf").execute()
    assert caught.value.resp.status == 400
