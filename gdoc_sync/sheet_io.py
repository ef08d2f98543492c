"""Reading and writing the companion Sheet's tabs: one request each in the common case."""

from __future__ import annotations

import re
from typing import Any

from .api import GoogleApi
from .errors import ApiCallError, SessionError
from .sheet import grow_requests, quote_sheet

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


def write_values(
    api: GoogleApi,
    spreadsheet_id: str,
    data: list[dict[str, Any]],
    *,
    grow_tab: str,
    checkbox_column: int | None = None,
) -> None:
    """Write the ranges (RAW, one request). A tab too short for them is grown first, and the
    write tried again: that costs two more requests, once every few thousand rows."""
    try:
        api.update_values(spreadsheet_id, data)
        return
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
    grow = grow_requests(
        props["sheetId"], row_count, _last_row(data, grow_tab), checkbox_column=checkbox_column
    )
    if grow:
        api.update_spreadsheet(spreadsheet_id, grow)
    api.update_values(spreadsheet_id, data)
