"""batchUpdate handlers for sorting and the basic filter."""

from __future__ import annotations

import copy
import functools
from typing import Any

from gdoc_sync.emulator.sheets.celldata import _get_cell
from gdoc_sync.emulator.sheets.cells import _Err, _RequestError
from gdoc_sync.emulator.sheets.dimensions import _full_grid_range, _grid_bounds, _sheet_for
from gdoc_sync.emulator.sheets.formula.evaluator import _Book
from gdoc_sync.emulator.sheets.formula.operands import _UNSUPPORTED, _compare
from gdoc_sync.emulator.sheets.grid import _trim_rows
from gdoc_sync.emulator.sheets.requests.registry import _request


def _sort_key_blank(v: Any) -> bool:
    return v is None or v == "" or v is _UNSUPPORTED


def _sort_compare(a: Any, b: Any) -> int:
    ea, eb = type(a) is _Err, type(b) is _Err
    if ea or eb:
        return (ea > eb) - (ea < eb)
    return _compare(a, b)


@_request("sortRange")
def _sort_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, sr, er, sc, ec = _grid_bounds(s, p.get("range"))
    specs = []
    for spec in p.get("sortSpecs") or [{"dimensionIndex": sc}]:
        column = spec.get("dimensionIndex", 0)
        if not sc <= column < ec:
            raise _RequestError(
                f"sortSpecs.dimensionIndex {column} is outside the range being sorted."
            )
        order = spec.get("sortOrder") or "ASCENDING"
        if order not in ("ASCENDING", "DESCENDING"):
            raise _RequestError(f"Invalid sortOrder: {order}")
        specs.append((column, order == "DESCENDING"))
    rows = sheet["rows"]
    er = min(er, len(rows))  # rows past the stored data are blank and already last
    if er - sr < 2:
        return
    book = _Book(s)
    records = []
    for r in range(sr, er):
        row = rows[r]
        block = [row[c] if c < len(row) else None for c in range(sc, ec)]
        keys = [
            book.effective(sheet, r, column, _get_cell(sheet, r, column)) for column, _ in specs
        ]
        records.append((block, keys))

    def compare(x: tuple[list[Any], list[Any]], y: tuple[list[Any], list[Any]]) -> int:
        for k, (_, descending) in enumerate(specs):
            a_, b_ = x[1][k], y[1][k]
            blank_a, blank_b = _sort_key_blank(a_), _sort_key_blank(b_)
            if blank_a or blank_b:
                if blank_a and blank_b:
                    continue
                return 1 if blank_a else -1  # blanks go last whatever the order
            result = _sort_compare(a_, b_)
            if result:
                return -result if descending else result
        return 0

    records.sort(key=functools.cmp_to_key(compare))
    for i, (block, _) in enumerate(records):
        row = rows[sr + i]
        if len(row) < ec:
            row.extend([None] * (ec - len(row)))
        row[sc:ec] = block
        while row and row[-1] is None:
            row.pop()
    _trim_rows(rows)


@_request("setBasicFilter")
def _set_basic_filter(s: dict[str, Any], p: dict[str, Any]) -> None:
    flt = copy.deepcopy(p.get("filter") or {})
    # Google answers with all four bounds, 0 included, clipped to the grid.
    bounds = _grid_bounds(s, flt.get("range"))
    flt["range"] = _full_grid_range(*bounds)
    sheet = bounds[0]
    sheet["basicFilter"] = flt


@_request("clearBasicFilter")
def _clear_basic_filter(s: dict[str, Any], p: dict[str, Any]) -> None:
    _sheet_for(s, p.get("sheetId", 0)).pop("basicFilter", None)
