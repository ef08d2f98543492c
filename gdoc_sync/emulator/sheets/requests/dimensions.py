"""batchUpdate handlers for rows and columns: append, insert, delete, properties,
auto-resize."""

from __future__ import annotations

from typing import Any

from gdoc_sync.emulator.sheets.celldata import _apply_mask, _get_cell, _parse_mask
from gdoc_sync.emulator.sheets.cells import (
    _DIMENSIONS,
    DEFAULT_COLUMN_PIXELS,
    DEFAULT_ROW_PIXELS,
    _RequestError,
)
from gdoc_sync.emulator.sheets.dimensions import (
    _check_dimension_start,
    _delete_dimension,
    _dimension_a1,
    _dimension_bounds,
    _insert_dimension,
    _sheet_for,
)
from gdoc_sync.emulator.sheets.formatting import _format_value
from gdoc_sync.emulator.sheets.formula.evaluator import _Book
from gdoc_sync.emulator.sheets.grid import _check_int, _grid_limit_message
from gdoc_sync.emulator.sheets.requests.registry import _request
from gdoc_sync.emulator.sheets.values import _display


@_request("appendDimension")
def _append_dimension(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet = _sheet_for(s, p.get("sheetId", 0))
    dimension = p.get("dimension")
    if dimension not in _DIMENSIONS:
        raise _RequestError("dimension must be ROWS or COLUMNS.")
    length = _check_int(p.get("length"), "length", 1)
    grid = sheet["properties"]["gridProperties"]
    grid["rowCount" if dimension == "ROWS" else "columnCount"] += length


@_request("insertDimension")
def _insert_dimension_request(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, dimension, start, end, count = _dimension_bounds(s, p.get("range"))
    if end <= start:
        raise _RequestError("range.endIndex must be greater than range.startIndex.")
    if start > count:
        raise _RequestError(_grid_limit_message(_dimension_a1(sheet, dimension, start, end), sheet))
    before = bool(p.get("inheritFromBefore"))
    if before and start == 0:
        raise _RequestError("Cannot inherit from before when inserting at index 0.")
    source = start - 1 if before else (start if start < count else None)
    _insert_dimension(s, sheet, dimension, start, end - start, source)


@_request("deleteDimension")
def _delete_dimension_request(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, dimension, start, end, count = _dimension_bounds(s, p.get("range"))
    _check_dimension_start(sheet, dimension, start, end, count)
    end = min(end, count)
    if end <= start:
        return
    if start == 0 and end >= count:
        raise _RequestError(
            f"You can't delete all the {'rows' if dimension == 'ROWS' else 'columns'} on the sheet."
        )
    _delete_dimension(s, sheet, dimension, start, end)


@_request("updateDimensionProperties")
def _update_dimension_properties(s: dict[str, Any], p: dict[str, Any]) -> None:
    if p.get("range") is None and p.get("dataSourceSheetRange") is not None:
        raise _RequestError("dataSourceSheetRange is not supported by the gdoc-sync emulator.")
    sheet, dimension, start, end, count = _dimension_bounds(s, p.get("range"))
    _check_dimension_start(sheet, dimension, start, end, count)
    paths = _parse_mask(p.get("fields"))
    source = p.get("properties") or {}
    meta = sheet.setdefault("rowMeta" if dimension == "ROWS" else "colMeta", {})
    for i in range(start, min(end, count)):
        updated = _apply_mask(meta.get(str(i)) or {}, source, paths)
        updated = {k: v for k, v in updated.items() if v not in (None, False)}
        if updated:
            meta[str(i)] = updated
        else:
            meta.pop(str(i), None)


def _cell_text(book: _Book, sheet: dict[str, Any], r: int, c: int) -> str:
    cell = _get_cell(sheet, r, c)
    if cell is None:
        return ""
    if type(cell) is dict:
        return str(_display(book, sheet, r, c, cell, "FORMATTED_VALUE", "SERIAL_NUMBER"))
    return _format_value(cell, None)


@_request("autoResizeDimensions")
def _auto_resize(s: dict[str, Any], p: dict[str, Any]) -> None:
    if p.get("dimensions") is None and p.get("dataSourceSheetDimensions") is not None:
        raise _RequestError("dataSourceSheetDimensions is not supported by the gdoc-sync emulator.")
    sheet, dimension, start, end, count = _dimension_bounds(s, p.get("dimensions"))
    _check_dimension_start(sheet, dimension, start, end, count)
    book = _Book(s)
    rows = sheet["rows"]
    meta = sheet.setdefault("rowMeta" if dimension == "ROWS" else "colMeta", {})
    # Width is estimated from text length: about 7 px a character at Arial 10, plus padding.
    for i in range(start, min(end, count)):
        if dimension == "COLUMNS":
            texts = [_cell_text(book, sheet, r, i) for r in range(len(rows))]
            longest = max((len(line) for text in texts for line in text.split("\n")), default=0)
            size = 7 * longest + 10 if longest else DEFAULT_COLUMN_PIXELS
        else:
            row = rows[i] if i < len(rows) else []
            lines = max(
                (_cell_text(book, sheet, i, c).count("\n") + 1 for c in range(len(row))), default=1
            )
            size = DEFAULT_ROW_PIXELS * lines
        meta[str(i)] = {**(meta.get(str(i)) or {}), "pixelSize": size}
