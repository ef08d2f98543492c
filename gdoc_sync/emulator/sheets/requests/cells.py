"""batchUpdate handlers for cells and formats: repeat, update and append cells, data
validation, merges and conditional formats."""

from __future__ import annotations

import copy
from typing import Any

from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets.celldata import _apply_cell, _cell_paths, _fill, _get_cell, _set_cell
from gdoc_sync.emulator.sheets.cells import (
    _as_dict,
    _coerce_checkbox,
    _has_value,
    _pack,
    _RequestError,
)
from gdoc_sync.emulator.sheets.dimensions import _full_grid_range, _grid_bounds, _sheet_for
from gdoc_sync.emulator.sheets.grid import (
    _check_int,
    _dims,
    _grid_limit_message,
    _title,
    _trim_rows,
)
from gdoc_sync.emulator.sheets.requests.registry import _request


@_request("repeatCell")
def _repeat_cell(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, sr, er, sc, ec = _grid_bounds(s, p.get("range"))
    paths = _cell_paths(p.get("fields"))
    cell = copy.deepcopy(p.get("cell") or {})
    _fill(sheet, sr, er, sc, ec, lambda old: _apply_cell(old, cell, paths))


@_request("updateCells")
def _update_cells(s: dict[str, Any], p: dict[str, Any]) -> None:
    paths = _cell_paths(p.get("fields"))
    rows_in = copy.deepcopy(p.get("rows") or [])
    values = [(row or {}).get("values") or [] for row in rows_in]
    if p.get("start") is not None:
        start = p["start"]
        sheet = _sheet_for(s, start.get("sheetId", 0))
        r0 = _check_int(start.get("rowIndex", 0), "start.rowIndex")
        c0 = _check_int(start.get("columnIndex", 0), "start.columnIndex")
        height, width = len(values), max((len(v) for v in values), default=0)
        rows, cols = _dims(sheet)
        if height and width and (r0 + height > rows or c0 + width > cols):
            label = a1.format_range(_title(sheet), r0, r0 + height, c0, c0 + width)
            raise _RequestError(_grid_limit_message(label, sheet))
        for i, row_values in enumerate(values):
            for j, cell_in in enumerate(row_values):
                _set_cell(
                    sheet,
                    r0 + i,
                    c0 + j,
                    _apply_cell(_get_cell(sheet, r0 + i, c0 + j), cell_in or {}, paths),
                )
        return
    if p.get("range") is None:
        raise _RequestError("Either start or range must be set.")
    sheet, sr, er, sc, ec = _grid_bounds(s, p["range"])
    # Cells of the range that the rows do not reach are cleared of the masked fields.
    covered_end = min(er, sr + len(values))
    for r in range(sr, covered_end):
        row_values = values[r - sr]
        for c in range(sc, ec):
            cell_in = row_values[c - sc] if c - sc < len(row_values) else {}
            old = _get_cell(sheet, r, c)
            if old is None and not cell_in:
                continue
            _set_cell(sheet, r, c, _apply_cell(old, cell_in or {}, paths))
    if covered_end < er:
        _fill(sheet, covered_end, er, sc, ec, lambda old: _apply_cell(old, {}, paths))
    _trim_rows(sheet["rows"])


@_request("appendCells")
def _append_cells(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet = _sheet_for(s, p.get("sheetId", 0))
    paths = _cell_paths(p.get("fields"))
    values = [(row or {}).get("values") or [] for row in copy.deepcopy(p.get("rows") or [])]
    rows = sheet["rows"]
    r0 = len(rows)
    while r0 > 0 and not any(_has_value(cell) for cell in rows[r0 - 1]):
        r0 -= 1
    grid = sheet["properties"]["gridProperties"]
    grid["rowCount"] = max(grid["rowCount"], r0 + len(values))
    grid["columnCount"] = max(grid["columnCount"], max((len(v) for v in values), default=0))
    for i, row_values in enumerate(values):
        for j, cell_in in enumerate(row_values):
            _set_cell(
                sheet, r0 + i, j, _apply_cell(_get_cell(sheet, r0 + i, j), cell_in or {}, paths)
            )


@_request("setDataValidation")
def _set_data_validation(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, sr, er, sc, ec = _grid_bounds(s, p.get("range"))
    rule = copy.deepcopy(p.get("rule")) or None
    if rule is not None and not (rule.get("condition") or {}).get("type"):
        raise _RequestError("rule.condition.type must be set.")

    def change(old: Any) -> Any:
        d = _as_dict(old)
        if rule is None:
            d.pop("dv", None)
        else:
            d["dv"] = rule
            _coerce_checkbox(d)
        return _pack(d)

    _fill(sheet, sr, er, sc, ec, change)


def _merge_bounds(gr: dict[str, Any]) -> tuple[int, int, int, int]:
    return (
        gr.get("startRowIndex", 0),
        gr.get("endRowIndex", 0),
        gr.get("startColumnIndex", 0),
        gr.get("endColumnIndex", 0),
    )


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _inside(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1] and b[2] <= a[2] and a[3] <= b[3]


_PARTIAL_MERGE = "You must select all cells in a merged cell to merge or unmerge them."


def _merges_outside(sheet: dict[str, Any], area: tuple[int, int, int, int]) -> list[Any]:
    """The sheet's merges that do not touch area; a merge that straddles its edge is an error."""
    kept = []
    for merge in sheet.get("merges", []):
        bounds = _merge_bounds(merge)
        if not _overlaps(bounds, area):
            kept.append(merge)
        elif not _inside(bounds, area):
            raise _RequestError(_PARTIAL_MERGE)
    return kept


@_request("mergeCells")
def _merge_cells(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, sr, er, sc, ec = _grid_bounds(s, p.get("range"))
    kind = p.get("mergeType") or "MERGE_ALL"
    if kind == "MERGE_ALL":
        boxes = [(sr, er, sc, ec)]
    elif kind == "MERGE_COLUMNS":
        boxes = [(sr, er, c, c + 1) for c in range(sc, ec)]
    elif kind == "MERGE_ROWS":
        boxes = [(r, r + 1, sc, ec) for r in range(sr, er)]
    else:
        raise _RequestError(f"Invalid mergeType: {kind}")
    kept = _merges_outside(sheet, (sr, er, sc, ec))
    kept.extend(
        _full_grid_range(sheet, *box) for box in boxes if (box[1] - box[0]) * (box[3] - box[2]) > 1
    )
    sheet["merges"] = kept


@_request("unmergeCells")
def _unmerge_cells(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, sr, er, sc, ec = _grid_bounds(s, p.get("range"))
    kept = _merges_outside(sheet, (sr, er, sc, ec))
    if kept:
        sheet["merges"] = kept
    else:
        sheet.pop("merges", None)


@_request("addConditionalFormatRule")
def _add_conditional_format(s: dict[str, Any], p: dict[str, Any]) -> None:
    rule = copy.deepcopy(p.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise _RequestError("rule.ranges must not be empty.")
    sheet = _grid_bounds(s, ranges[0])[0]
    for gr in ranges:
        if _grid_bounds(s, gr)[0] is not sheet:
            raise _RequestError(
                "All ranges of a conditional format rule must be on the same sheet."
            )
        gr.setdefault("sheetId", sheet["properties"]["sheetId"])
    rules = sheet.setdefault("conditionalFormats", [])
    index = p.get("index", 0)
    rules.insert(min(_check_int(index, "index"), len(rules)), rule)


@_request("deleteConditionalFormatRule")
def _delete_conditional_format(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    sheet = _sheet_for(s, p.get("sheetId", 0))
    rules = sheet.get("conditionalFormats") or []
    index = _check_int(p.get("index", 0), "index")
    if index >= len(rules):
        raise _RequestError(
            f"No conditional format on sheet {sheet['properties']['sheetId']} at index {index}."
        )
    removed = rules.pop(index)
    return {"deleteConditionalFormatRule": {"rule": removed}}
