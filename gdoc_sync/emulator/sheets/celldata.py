"""Field masks over CellData: writing the masked fields of a CellData into a stored cell."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from gdoc_sync.emulator import fieldmask
from gdoc_sync.emulator.sheets.cells import (
    _MISSING,
    _as_dict,
    _coerce_checkbox,
    _from_extended,
    _pack,
    _RequestError,
)
from gdoc_sync.emulator.sheets.grid import _trim_rows

# ---------------------------------------------------------------------------------------------
# Field masks and CellData
# ---------------------------------------------------------------------------------------------

_NO_FIELDS = "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"


def _parse_mask(fields: Any) -> list[list[str]]:
    """`a.b,c/d,e(f,g)` -> [["a","b"], ["c","d"], ["e","f"], ["e","g"]]."""
    if not isinstance(fields, str) or not fields.strip():
        raise _RequestError(_NO_FIELDS)
    try:
        return fieldmask.paths(fields)
    except ValueError:
        raise _RequestError(f"Invalid field mask: '{fields}'.") from None


def _get_path(d: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(d, dict) or part not in d:
            return _MISSING
        d = d[part]
    return d


def _set_path(d: dict[str, Any] | None, parts: list[str], value: Any) -> dict[str, Any]:
    """A copy of d with the path set (or removed, for _MISSING); parents are copied, not mutated."""
    out = dict(d) if d else {}
    head = parts[0]
    if len(parts) == 1:
        if value is _MISSING or value is None:
            out.pop(head, None)
        else:
            out[head] = value
        return out
    child = out.get(head)
    child = _set_path(child if isinstance(child, dict) else None, parts[1:], value)
    if child:
        out[head] = child
    else:
        out.pop(head, None)
    return out


def _apply_mask(
    target: dict[str, Any], source: dict[str, Any], paths: list[list[str]]
) -> dict[str, Any]:
    out = target
    for parts in paths:
        if parts == ["*"]:
            out = {**out, **copy.deepcopy(source)}
        else:
            out = _set_path(out, parts, copy.deepcopy(_get_path(source, parts)))
    return out


_CELL_WRITABLE = (
    "userEnteredValue",
    "userEnteredFormat",
    "dataValidation",
    "note",
    "textFormatRuns",
    "pivotTable",
    "chipRuns",
    "dataSourceFormula",
    "dataSourceTable",
)
_CELL_READ_ONLY = {"effectiveValue", "formattedValue", "effectiveFormat", "hyperlink"}
_CELL_KEYS = {"userEnteredFormat": "fmt", "dataValidation": "dv", "note": "note"}
_ALL_CELL_PATHS = [[key] for key in _CELL_WRITABLE]


def _cell_paths(fields: Any) -> list[list[str]]:
    out: list[list[str]] = []
    for parts in _parse_mask(fields):
        if parts == ["*"]:
            out.extend(_ALL_CELL_PATHS)
        elif parts[0] not in _CELL_READ_ONLY:
            out.append(parts)
    return out


def _apply_cell(cell: Any, source: dict[str, Any], paths: list[list[str]]) -> Any:
    """The cell after writing the masked fields of a CellData into it."""
    d = _as_dict(cell)
    for parts in paths:
        top = parts[0]
        if top == "userEnteredValue":
            d.pop("v", None)
            d.pop("f", None)
            d.pop("e", None)
            kind, value = _from_extended(source.get("userEnteredValue"))
            if kind:
                d[kind] = value
        elif top in _CELL_KEYS:
            key = _CELL_KEYS[top]
            if len(parts) == 1:
                value = source.get(top)
                if value in (None, {}, ""):
                    d.pop(key, None)
                else:
                    d[key] = value
            else:
                inner = _set_path(d.get(key), parts[1:], _get_path(source.get(top), parts[1:]))
                if inner:
                    d[key] = inner
                else:
                    d.pop(key, None)
        else:
            extra = _set_path(d.get("x"), parts, _get_path(source, parts))
            if extra:
                d["x"] = extra
            else:
                d.pop("x", None)
    if "dv" in d:
        _coerce_checkbox(d)
    return _pack(d)


def _fill(
    sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int, change: Callable[[Any], Any]
) -> None:
    """Apply change to every cell of a box; empty cells share one result."""
    rows = sheet["rows"]
    blank = change(None)
    last_row = er if blank is not None else min(er, len(rows))
    for r in range(sr, last_row):
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        stop = ec if blank is not None else min(ec, len(row))
        if len(row) < stop:
            row.extend([None] * (stop - len(row)))
        for c in range(sc, stop):
            old = row[c]
            row[c] = blank if old is None else change(old)
        while row and row[-1] is None:
            row.pop()
    _trim_rows(rows)


def _set_cell(sheet: dict[str, Any], r: int, c: int, cell: Any) -> None:
    rows = sheet["rows"]
    if cell is None and (r >= len(rows) or c >= len(rows[r])):
        return
    while len(rows) <= r:
        rows.append([])
    row = rows[r]
    if len(row) <= c:
        row.extend([None] * (c + 1 - len(row)))
    row[c] = cell
    while row and row[-1] is None:
        row.pop()


def _get_cell(sheet: dict[str, Any], r: int, c: int) -> Any:
    rows = sheet["rows"]
    if r < len(rows) and c < len(rows[r]):
        return rows[r][c]
    return None
