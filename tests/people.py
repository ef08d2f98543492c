"""What people do to the Doc and the Sheet by hand, through the client libraries: type a line,
strike it, delete it, cut and paste it, paste it twice; sort, filter, add a column."""

from __future__ import annotations

from typing import Any

from gspread.utils import rowcol_to_a1
from oracle import paragraphs, read_doc, resource


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _docs_update(clients: Any, document_id: str, requests: list[dict[str, Any]]) -> None:
    resource(clients, "docs.documents").batchUpdate(
        documentId=document_id, body={"requests": requests}
    ).execute()


def _elements(doc: dict[str, Any]) -> list[tuple[dict[str, Any], Any]]:
    els = [el for el in doc["body"]["content"] if "paragraph" in el]
    return list(zip(els, paragraphs(doc), strict=True))


def _section_end(doc: dict[str, Any], section: str) -> int:
    """The index just before the newline of the section's last paragraph."""
    inside = [el for el, p in _elements(doc) if p.section == section]
    assert inside, f"no section {section}"
    return inside[-1]["endIndex"] - 1


def _find(doc: dict[str, Any], text: str, section: str | None = None) -> dict[str, Any]:
    for el, p in _elements(doc):
        if text in p.text and (section is None or p.section == section):
            return el
    raise AssertionError(f"no paragraph holds {text!r}")


def type_line(clients: Any, document_id: str, section: str, line: str) -> None:
    """A moderator types a new top-level bullet at the end of the section, in plain style."""
    doc = read_doc(clients, document_id)
    at = _section_end(doc, section)
    start, end = at + 1, at + 1 + _u16(line)
    span = {"startIndex": start, "endIndex": end}
    _docs_update(
        clients,
        document_id,
        [
            {"insertText": {"location": {"index": at}, "text": "\n" + line}},
            {
                "updateParagraphStyle": {
                    "range": span,
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                    "fields": "namedStyleType",
                }
            },
            {"deleteParagraphBullets": {"range": span}},
            {
                "createParagraphBullets": {
                    "range": span,
                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                }
            },
            {
                "updateTextStyle": {
                    "range": span,
                    "textStyle": {},
                    "fields": "strikethrough,bold,italic,underline",
                }
            },
        ],
    )


def replace_text(clients: Any, document_id: str, old: str, new: str) -> None:
    _docs_update(
        clients,
        document_id,
        [
            {
                "replaceAllText": {
                    "containsText": {"text": old, "matchCase": True},
                    "replaceText": new,
                }
            }
        ],
    )


def strike(clients: Any, document_id: str, text: str) -> None:
    el = _find(read_doc(clients, document_id), text)
    span = {"startIndex": el["startIndex"], "endIndex": el["endIndex"] - 1}
    _docs_update(
        clients,
        document_id,
        [
            {
                "updateTextStyle": {
                    "range": span,
                    "textStyle": {"strikethrough": True},
                    "fields": "strikethrough",
                }
            }
        ],
    )


def delete_line(clients: Any, document_id: str, text: str) -> None:
    el = _find(read_doc(clients, document_id), text)
    span = {"startIndex": el["startIndex"], "endIndex": el["endIndex"]}
    _docs_update(clients, document_id, [{"deleteContentRange": {"range": span}}])


def cut_and_paste(clients: Any, document_id: str, text: str, section: str, line: str) -> None:
    """Cut the paragraph holding `text` and paste its words at the end of `section`: the
    paragraph (and any invisible anchor on it) is gone, the words come back as new text."""
    delete_line(clients, document_id, text)
    type_line(clients, document_id, section, line)


def paste_again(clients: Any, document_id: str, section: str, line: str) -> None:
    """Paste a contribution a second time (a moderator's slip)."""
    type_line(clients, document_id, section, line)


# -- the Sheet ------------------------------------------------------------------------------------


def _sheet_id(clients: Any, spreadsheet_id: str, title: str) -> tuple[int, int, int]:
    meta = clients.sheets.http_client.fetch_sheet_metadata(spreadsheet_id)
    for s in meta["sheets"]:
        props = s["properties"]
        if props["title"] == title:
            grid = props.get("gridProperties", {})
            return props["sheetId"], grid.get("rowCount", 1000), grid.get("columnCount", 26)
    raise AssertionError(f"no tab {title}")


def _sheets_update(clients: Any, spreadsheet_id: str, requests: list[dict[str, Any]]) -> None:
    clients.sheets.http_client.batch_update(spreadsheet_id, {"requests": requests})


def _header(clients: Any, spreadsheet_id: str) -> list[str]:
    got = clients.sheets.http_client.values_get(spreadsheet_id, "'Contributions'!1:1")
    return [str(c) for c in (got.get("values") or [[]])[0]]


def sort_rows(clients: Any, spreadsheet_id: str, column: str, descending: bool = True) -> None:
    """A rapporteur sorts Contributions by one column (the header row stays put)."""
    sheet_id, rows, columns = _sheet_id(clients, spreadsheet_id, "Contributions")
    index = _header(clients, spreadsheet_id).index(column)
    span = {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": rows}
    _sheets_update(
        clients,
        spreadsheet_id,
        [
            {
                "sortRange": {
                    "range": {**span, "startColumnIndex": 0, "endColumnIndex": columns},
                    "sortSpecs": [
                        {
                            "dimensionIndex": index,
                            "sortOrder": "DESCENDING" if descending else "ASCENDING",
                        }
                    ],
                }
            }
        ],
    )


def filter_rows(clients: Any, spreadsheet_id: str, column: str, hidden: list[str]) -> None:
    """A rapporteur turns on a filter that hides rows with these values in one column."""
    sheet_id, rows, columns = _sheet_id(clients, spreadsheet_id, "Contributions")
    index = _header(clients, spreadsheet_id).index(column)
    span = {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": rows}
    _sheets_update(
        clients,
        spreadsheet_id,
        [
            {
                "setBasicFilter": {
                    "filter": {
                        "range": {**span, "startColumnIndex": 0, "endColumnIndex": columns},
                        "filterSpecs": [
                            {
                                "columnIndex": index,
                                "filterCriteria": {"hiddenValues": hidden},
                            }
                        ],
                    }
                }
            }
        ],
    )


def delete_row(clients: Any, spreadsheet_id: str, cid: str) -> None:
    """A rapporteur deletes the row of one contribution id."""
    sheet_id, _, _ = _sheet_id(clients, spreadsheet_id, "Contributions")
    got = clients.sheets.http_client.values_get(spreadsheet_id, "'Contributions'!A:A")
    ids = [str(r[0]) if r else "" for r in got.get("values", [])]
    index = ids.index(cid)
    span = {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": index, "endIndex": index + 1}
    _sheets_update(clients, spreadsheet_id, [{"deleteDimension": {"range": span}}])


def add_column(
    clients: Any, spreadsheet_id: str, before: str, title: str, cells: dict[str, str]
) -> None:
    """A rapporteur inserts a column of their own before `before`, with a title and a cell for
    some contribution ids (found by reading the ID column now)."""
    sheet_id, _, _ = _sheet_id(clients, spreadsheet_id, "Contributions")
    header = _header(clients, spreadsheet_id)
    index = header.index(before)
    _sheets_update(
        clients,
        spreadsheet_id,
        [
            {
                "insertDimension": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": index,
                        "endIndex": index + 1,
                    },
                    "inheritFromBefore": True,
                }
            }
        ],
    )
    got = clients.sheets.http_client.values_get(spreadsheet_id, "'Contributions'!A:A")
    ids = [str(r[0]) if r else "" for r in got.get("values", [])]
    letter = _letter(index)
    data = [{"range": f"'Contributions'!{letter}1", "values": [[title]]}]
    for number, cid in enumerate(ids, start=1):
        if cid in cells:
            data.append({"range": f"'Contributions'!{letter}{number}", "values": [[cells[cid]]]})
    clients.sheets.http_client.values_batch_update(
        spreadsheet_id, {"valueInputOption": "RAW", "data": data}
    )


def _letter(index: int) -> str:
    return rowcol_to_a1(1, index + 1)[:-1]  # gspread's A1 helper: not the product's
