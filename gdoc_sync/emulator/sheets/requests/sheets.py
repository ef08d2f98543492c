"""batchUpdate handlers for sheets and spreadsheet properties."""

from __future__ import annotations

import copy
from typing import Any

from gdoc_sync.emulator.sheets.celldata import _apply_mask, _parse_mask
from gdoc_sync.emulator.sheets.cells import _RequestError
from gdoc_sync.emulator.sheets.dimensions import _delete_dimension, _sheet_for
from gdoc_sync.emulator.sheets.grid import (
    _add_sheet,
    _check_grid_properties,
    _check_int,
    _dims,
    _duplicate_title,
    _new_id,
    _normalize_sheet_properties,
    _reindex,
    _sheet_by_title,
    _title,
)
from gdoc_sync.emulator.sheets.requests.charts import _object_ids
from gdoc_sync.emulator.sheets.requests.ranges import _add_protected_range
from gdoc_sync.emulator.sheets.requests.registry import _request


@_request("addSheet")
def _add_sheet_request(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    sheet = _add_sheet(s, p.get("properties") or {})
    return {"addSheet": {"properties": copy.deepcopy(sheet["properties"])}}


@_request("deleteSheet")
def _delete_sheet(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet = _sheet_for(s, p.get("sheetId"))
    if len(s["sheets"]) == 1:
        raise _RequestError("You can't remove all the sheets in a document.")
    if all(other["properties"].get("hidden") for other in s["sheets"] if other is not sheet):
        raise _RequestError("You can't remove all the visible sheets in a document.")
    s["sheets"].remove(sheet)
    sheet_id = sheet["properties"]["sheetId"]
    s["namedRanges"] = [
        n for n in s.get("namedRanges", []) if (n.get("range") or {}).get("sheetId", 0) != sheet_id
    ]
    _reindex(s)


@_request("duplicateSheet")
def _duplicate_sheet(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    source = _sheet_for(s, p.get("sourceSheetId"))
    title = p.get("newSheetName")
    if not title:
        title = f"Copy of {_title(source)}"
        n = 2
        while _sheet_by_title(s, title) is not None:
            title = f"Copy {n} of {_title(source)}"
            n += 1
    elif _sheet_by_title(s, title) is not None:
        raise _RequestError(_duplicate_title(title))
    taken = {other["properties"]["sheetId"] for other in s["sheets"]}
    new_id = p.get("newSheetId")
    if new_id is None:
        new_id = _new_id(s, taken)
    elif _check_int(new_id, "newSheetId") in taken:
        raise _RequestError(f"A sheet with id {new_id} already exists.")
    index = p.get("insertSheetIndex")
    index = (
        source["properties"]["index"] + 1
        if index is None
        else min(_check_int(index, "insertSheetIndex"), len(s["sheets"]))
    )
    copy_: dict[str, Any] = {
        k: ([list(row) for row in v] if k == "rows" else copy.deepcopy(v))
        for k, v in source.items()
    }
    props = copy_["properties"]
    props.update(sheetId=new_id, title=title, index=index)
    props.pop("hidden", None)
    copy_["properties"] = _normalize_sheet_properties(props)
    for merge in copy_.get("merges", []):
        merge["sheetId"] = new_id
    for rule in copy_.get("conditionalFormats", []):
        for gr in rule.get("ranges", []):
            gr["sheetId"] = new_id
    if copy_.get("basicFilter"):
        copy_["basicFilter"].setdefault("range", {})["sheetId"] = new_id
    protected = copy_.pop("protectedRanges", [])
    for chart in copy_.get("charts", []):
        chart["chartId"] = _new_id(s, _object_ids(s))
        anchor = ((chart.get("position") or {}).get("overlayPosition") or {}).get("anchorCell")
        if anchor is not None:
            anchor["sheetId"] = new_id
    s["sheets"].insert(index, copy_)
    _reindex(s)
    for item in protected:
        item.pop("protectedRangeId", None)
        if "range" in item:
            item["range"]["sheetId"] = new_id
        _add_protected_range(s, item)
    return {"duplicateSheet": {"properties": copy.deepcopy(copy_["properties"])}}


@_request("updateSheetProperties")
def _update_sheet_properties(s: dict[str, Any], p: dict[str, Any]) -> None:
    source = p.get("properties") or {}
    paths = _parse_mask(p.get("fields"))
    sheet = _sheet_for(s, source.get("sheetId", 0))
    old = sheet["properties"]
    new = _apply_mask(copy.deepcopy(old), source, paths)
    new["sheetId"] = old["sheetId"]
    title = new.get("title")
    if title != old["title"]:
        if not isinstance(title, str) or not title.strip():
            raise _RequestError("The sheet name cannot be empty.")
        if _sheet_by_title(s, title, exclude=sheet) is not None:
            raise _RequestError(_duplicate_title(title))
    if new.get("hidden") and all(
        o["properties"].get("hidden") for o in s["sheets"] if o is not sheet
    ):
        raise _RequestError("You can't hide all the sheets in a document.")
    grid = new.setdefault("gridProperties", {})
    grid.setdefault("rowCount", old["gridProperties"]["rowCount"])
    grid.setdefault("columnCount", old["gridProperties"]["columnCount"])
    if new.get("index") is None:
        new["index"] = old["index"]
    normalized = _normalize_sheet_properties(new)
    _check_grid_properties(normalized)
    rows, cols = _dims(sheet)
    new_rows, new_cols = (
        normalized["gridProperties"]["rowCount"],
        normalized["gridProperties"]["columnCount"],
    )
    if new_rows < 1 or new_cols < 1:
        raise _RequestError(
            "You can't delete all the rows on the sheet."
            if new_rows < 1
            else "You can't delete all the columns on the sheet."
        )
    if new_rows < rows:
        _delete_dimension(s, sheet, "ROWS", new_rows, rows)
    if new_cols < cols:
        _delete_dimension(s, sheet, "COLUMNS", new_cols, cols)
    sheet["properties"] = normalized
    target = _check_int(normalized["index"], "index")
    sheets = s["sheets"]
    current = sheets.index(sheet)
    # Google counts the target index before the move: to put S1 after S2 you ask for 2.
    target = min(target, len(sheets))
    if target not in (current, current + 1):
        sheets.pop(current)
        sheets.insert(target if target < current else target - 1, sheet)
    _reindex(s)


@_request("updateSpreadsheetProperties")
def _update_spreadsheet_properties(s: dict[str, Any], p: dict[str, Any]) -> None:
    paths = _parse_mask(p.get("fields"))
    props = _apply_mask(s["properties"], p.get("properties") or {}, paths)
    if not props.get("title"):
        raise _RequestError("The spreadsheet title cannot be empty.")
    s["properties"] = props
