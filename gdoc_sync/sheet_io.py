"""Reading and writing the companion Sheet's tabs: one request each in the common case."""

from __future__ import annotations

import re
from typing import Any

from .api import GoogleApi
from .errors import ApiCallError, SessionError
from .sheet import (
    ACTIONS,
    ACTIONS_ID,
    CONTRIBUTIONS,
    CONTRIBUTIONS_ID,
    LIST_ROWS,
    MATRIX,
    MATRIX_ID,
    grow_requests,
    quote_sheet,
)

# The tabs as create made them; a tab someone re-created has another id, and the fallback
# (look it up) takes over.
TAB_IDS = {CONTRIBUTIONS: CONTRIBUTIONS_ID, MATRIX: MATRIX_ID, ACTIONS: ACTIONS_ID}

_ROW = re.compile(r"!\$?[A-Z]+\$?(\d+)(?::\$?[A-Z]+\$?(\d+))?$")


def read_tabs(api: GoogleApi, spreadsheet_id: str, titles: list[str]) -> dict[str, list[list[str]]]:
    """The displayed values of whole tabs, in one values.batchGet (trailing blanks trimmed)."""
    try:
        found = api.get_values(spreadsheet_id, [quote_sheet(t) for t in titles])
    except ApiCallError as exc:
        if "Unable to parse range" not in str(exc):
            raise
        # Only on this error path: ask which tab is gone, to say so.
        meta = api.get_spreadsheet(spreadsheet_id, fields="sheets.properties.title")
        present = {s["properties"]["title"] for s in meta.get("sheets", [])}
        missing = [t for t in titles if t not in present]
        raise SessionError(
            f"the companion Sheet {spreadsheet_id} has no {missing[0] if missing else titles[0]!r}"
            " tab: was it renamed or deleted? Restore it (File > Version history) and try again"
        ) from exc
    return {
        t: [[str(c) for c in row] for row in rows] for t, rows in zip(titles, found, strict=True)
    }


def _last_row(data: list[dict[str, Any]], title: str) -> int:
    last = 0
    prefix = quote_sheet(title) + "!"
    for item in data:
        if not item["range"].startswith(prefix):
            continue
        m = _ROW.search(item["range"])
        if m:
            first = int(m.group(1))
            last = max(last, int(m.group(2) or first), first + len(item["values"]) - 1)
    return last


_RANGE = re.compile(r"^'((?:[^']|'')*)'!([A-Z]+)(\d+)")


def _cell(value: Any) -> dict[str, Any]:
    """A value as updateCells writes it; a string is a stringValue, never parsed (like RAW)."""
    if value == "" or value is None:
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def cells_requests(data: list[dict[str, Any]], sheet_ids: dict[str, int]) -> list[dict[str, Any]]:
    """The same writes as values.batchUpdate data (ranges as quote_sheet() spells them), as
    updateCells requests, so they can travel in one batchUpdate with a grow."""
    requests = []
    for item in data:
        m = _RANGE.match(item["range"])
        if m is None or m.group(1).replace("''", "'") not in sheet_ids:
            raise ValueError(f"cannot place {item['range']!r}")
        requests.append(
            {
                "updateCells": {
                    "start": {
                        "sheetId": sheet_ids[m.group(1).replace("''", "'")],
                        "rowIndex": int(m.group(3)) - 1,
                        "columnIndex": _column_index(m.group(2)),
                    },
                    "rows": [{"values": [_cell(v) for v in row]} for row in item["values"]],
                    "fields": "userEnteredValue",
                }
            }
        )
    return requests


def write_values(
    api: GoogleApi,
    spreadsheet_id: str,
    data: list[dict[str, Any]],
    *,
    grow_tab: str,
    checkbox_column: int | None = None,
    known_rows: int = LIST_ROWS,
) -> int:
    """Write the ranges in one request, RAW; returns the rows `grow_tab` is now known to have.

    When the writes reach past the rows the tab is known to have, the grow and the writes go
    together in one batchUpdate (strings as stringValue: never parsed, as with RAW). Should the
    tab not be what gdoc-sync made (another size, another id), the batch fails whole, and the
    tab is looked up, grown and written: two more requests."""
    needed = _last_row(data, grow_tab)
    if needed > known_rows:
        try:
            grow = grow_requests(
                TAB_IDS[grow_tab], known_rows, needed, checkbox_column=checkbox_column
            )
            api.update_spreadsheet(spreadsheet_id, grow + cells_requests(data, TAB_IDS))
            return known_rows + grow[0]["appendDimension"]["length"]
        except (ApiCallError, KeyError, ValueError):
            pass  # nothing was applied: a batchUpdate is all or nothing
    try:
        api.update_values(spreadsheet_id, data)
        return known_rows
    except ApiCallError as exc:
        if "exceeds grid limits" not in str(exc):
            raise
    meta = api.get_spreadsheet(
        spreadsheet_id, fields="sheets.properties(sheetId,title,gridProperties.rowCount)"
    )
    props = next(
        (s["properties"] for s in meta.get("sheets", []) if s["properties"]["title"] == grow_tab),
        None,
    )
    if props is None:
        raise SessionError(f"the companion Sheet {spreadsheet_id} has no {grow_tab!r} tab")
    row_count = int(props.get("gridProperties", {}).get("rowCount", 0))
    grow = grow_requests(props["sheetId"], row_count, needed, checkbox_column=checkbox_column)
    if grow:
        api.update_spreadsheet(spreadsheet_id, grow)
    api.update_values(spreadsheet_id, data)
    return max(row_count, needed)
