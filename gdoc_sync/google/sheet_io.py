"""Reading and writing the companion Sheet's tabs: one request each in the common case."""

from __future__ import annotations

import re
from typing import Any

from gdoc_sync.core.sheet import (
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
from gdoc_sync.core.text import cell_problems
from gdoc_sync.errors import (
    ApiCallError,
    GridLimitExceeded,
    InvalidRequest,
    MissingTab,
    RangeNotFound,
)
from gdoc_sync.google.api import GoogleApi

# The tabs as create made them; a tab someone re-created has another id, and the fallback
# (look it up) takes over.
TAB_IDS = {CONTRIBUTIONS: CONTRIBUTIONS_ID, MATRIX: MATRIX_ID, ACTIONS: ACTIONS_ID}

_ROW = re.compile(r"!\$?[A-Z]+\$?(\d+)(?::\$?[A-Z]+\$?(\d+))?$")


def read_tabs(api: GoogleApi, spreadsheet_id: str, titles: list[str]) -> dict[str, list[list[str]]]:
    """The displayed values of whole tabs, in one values.batchGet (trailing blanks trimmed)."""
    try:
        found = api.get_values(spreadsheet_id, [quote_sheet(t) for t in titles])
    except RangeNotFound as exc:
        # Only on this error path: ask which tab is gone, to say so.
        meta = api.get_spreadsheet(spreadsheet_id, fields="sheets.properties.title")
        present = {s["properties"]["title"] for s in meta.get("sheets", [])}
        missing = [t for t in titles if t not in present]
        tab = missing[0] if missing else titles[0]
        raise MissingTab(
            f"the companion Sheet {spreadsheet_id} has no {tab!r}"
            " tab: was it renamed or deleted? Restore it (File > Version history) and try again",
            tab,
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


def _name_cells(exc: InvalidRequest, data: list[dict[str, Any]]) -> None:
    """Add to a refused write the cells whose content Sheets would not store, if any."""
    problems = cell_problems(data)
    if problems:
        exc.add_note(f"the cause is likely {'; '.join(problems[:5])}")


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

    Writes that reach past the rows the tab is known to have first grow it (one more request,
    once every few thousand rows; sending the rows as updateCells in the same batch would save
    it, but costs more CPU and a payload three times the size). Should the tab not be the one
    create made, it is looked up first."""
    needed = _last_row(data, grow_tab)
    if needed > known_rows and grow_tab in TAB_IDS:
        grow = grow_requests(TAB_IDS[grow_tab], known_rows, needed, checkbox_column=checkbox_column)
        try:
            api.update_spreadsheet(spreadsheet_id, grow)
            known_rows += grow[0]["appendDimension"]["length"]
        except ApiCallError:
            pass  # not the tab create made: the write below finds out, and the tab is looked up
    try:
        api.update_values(spreadsheet_id, data)
        return max(known_rows, needed)
    except InvalidRequest as exc:
        _name_cells(exc, data)
        raise
    except GridLimitExceeded:
        pass
    # A tab people trimmed (blank rows deleted, say the Matrix's) is grown like the list is.
    meta = api.get_spreadsheet(
        spreadsheet_id, fields="sheets.properties(sheetId,title,gridProperties.rowCount)"
    )
    by_title = {s["properties"]["title"]: s["properties"] for s in meta.get("sheets", [])}
    props = by_title.get(grow_tab)
    if props is None:
        raise MissingTab(f"the companion Sheet {spreadsheet_id} has no {grow_tab!r} tab", grow_tab)
    row_count = int(props.get("gridProperties", {}).get("rowCount", 0))
    grow = grow_requests(props["sheetId"], row_count, needed, checkbox_column=checkbox_column)
    for title, other in by_title.items():
        if title != grow_tab:
            rows = int(other.get("gridProperties", {}).get("rowCount", 0))
            grow += grow_requests(
                other["sheetId"], rows, _last_row(data, title), checkbox_column=None
            )
    if grow:
        api.update_spreadsheet(spreadsheet_id, grow)
    api.update_values(spreadsheet_id, data)
    return max(row_count, needed)
