"""Evaluating a parsed formula against a spreadsheet, with memoised results per request."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gdoc_sync.emulator.sheets.cells import _Err
from gdoc_sync.emulator.sheets.formula.functions import _FUNCTIONS
from gdoc_sync.emulator.sheets.formula.operands import (
    _UNSUPPORTED,
    _binary,
    _error_from_extended,
    _Raise,
    _Range,
    _scalar,
    _to_bool,
    _to_number,
    _Unsupported,
    _value,
)
from gdoc_sync.emulator.sheets.formula.parser import _parse_formula
from gdoc_sync.emulator.sheets.grid import _sheet_by_id


class _Book:
    """Read access to a spreadsheet for one request, with memoised formula results."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self.stored = stored
        self.memo: dict[tuple[int, int, int], Any] = {}
        self.active: set[tuple[int, int, int]] = set()
        self.titles: dict[str, dict[str, Any]] = {}
        for sheet in stored["sheets"]:
            self.titles.setdefault(sheet["properties"]["title"].casefold(), sheet)

    def value_at(self, sheet: dict[str, Any], r: int, c: int) -> Any:
        rows = sheet["rows"]
        if r >= len(rows):
            return None
        row = rows[r]
        if c >= len(row):
            return None
        cell = row[c]
        if type(cell) is not dict:
            return cell
        if "f" in cell:
            return self.formula_value(sheet, r, c, cell["f"])
        if "e" in cell:
            return _error_from_extended(cell["e"])
        return cell.get("v")

    def formula_value(self, sheet: dict[str, Any], r: int, c: int, text: str) -> Any:
        key = (sheet["properties"]["sheetId"], r, c)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return _Err(
                "#REF!",
                "Circular dependency detected. To resolve with iterative calculation, "
                "see File > Settings.",
            )
        self.active.add(key)
        try:
            result = _scalar(_evaluate(_parse_formula(text), self, sheet))
        except _Unsupported:
            result = _UNSUPPORTED
        except _Raise as raised:
            result = raised.err
        except (RecursionError, OverflowError, ValueError, ZeroDivisionError):
            result = _UNSUPPORTED
        finally:
            self.active.discard(key)
        if type(result) is float and not math.isfinite(result):
            result = _Err("#NUM!", "The result is not a finite number.")
        self.memo[key] = result
        return result

    def effective(self, sheet: dict[str, Any], r: int, c: int, cell: Any) -> Any:
        if type(cell) is dict and "f" in cell:
            return self.formula_value(sheet, r, c, cell["f"])
        if type(cell) is dict:
            if "e" in cell:
                return _error_from_extended(cell["e"])
            return cell.get("v")
        return cell


def _sheet_for_ref(book: _Book, here: dict[str, Any], name: str | None) -> dict[str, Any]:
    if name is None:
        return here
    sheet = book.titles.get(name.casefold())
    if sheet is None:
        raise _Raise(_Err("#REF!", f"Unresolved sheet name '{name}'."))
    return sheet


def _range_of(book: _Book, sheet: dict[str, Any], sr: Any, er: Any, sc: Any, ec: Any) -> _Range:
    grid = sheet["properties"]["gridProperties"]
    rows, cols = grid["rowCount"], grid["columnCount"]
    sr, sc = sr or 0, sc or 0
    er = rows if er is None else er
    ec = cols if ec is None else ec
    if sr >= rows or sc >= cols:
        raise _Raise(_Err("#REF!", "Range is out of the grid."))
    return _Range(book, sheet, sr, min(er, rows), sc, min(ec, cols))


def _evaluate(node: tuple[Any, ...], book: _Book, sheet: dict[str, Any]) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        target = _sheet_for_ref(book, sheet, node[1])
        return _range_of(book, target, *node[2:])
    if kind == "bin":
        return _binary(node[1], _evaluate(node[2], book, sheet), _evaluate(node[3], book, sheet))
    if kind == "neg":
        return -_to_number(_evaluate(node[1], book, sheet), "UMINUS")
    if kind == "pct":
        return _to_number(_evaluate(node[1], book, sheet), "UNARY_PERCENT") / 100
    if kind == "name":
        for named in book.stored.get("namedRanges", []):
            if named.get("name", "").casefold() == node[1].casefold():
                gr = named.get("range", {})
                named_sheet = _sheet_by_id(book.stored, gr.get("sheetId", 0))
                if named_sheet is None:
                    raise _Raise(_Err("#REF!", "Reference does not exist."))
                return _range_of(
                    book,
                    named_sheet,
                    gr.get("startRowIndex"),
                    gr.get("endRowIndex"),
                    gr.get("startColumnIndex"),
                    gr.get("endColumnIndex"),
                )
        raise _Raise(_Err("#NAME?", f"Unknown range name: '{node[1]}'."))
    if kind == "fn":
        name, args = node[1], node[2]
        lazy = _LAZY_FUNCTIONS.get(name)
        if lazy is not None:
            return lazy(args, book, sheet)
        fn = _FUNCTIONS.get(name)
        if fn is None:
            raise _Unsupported(name)
        return fn(*[_evaluate(arg, book, sheet) for arg in args])
    raise _Unsupported(kind)


def _lazy_if(args: list[Any], book: _Book, sheet: dict[str, Any]) -> Any:
    if not 2 <= len(args) <= 3:
        raise _Unsupported("IF")
    chosen = (
        args[1]
        if _to_bool(_evaluate(args[0], book, sheet))
        else (args[2] if len(args) == 3 else ("lit", False))
    )
    return _evaluate(chosen, book, sheet)


def _lazy_iferror(args: list[Any], book: _Book, sheet: dict[str, Any]) -> Any:
    try:
        return _value(_evaluate(args[0], book, sheet))
    except _Raise:
        return _evaluate(args[1], book, sheet) if len(args) > 1 else None


_LAZY_FUNCTIONS: dict[str, Callable[[list[Any], _Book, dict[str, Any]], Any]] = {
    "IF": _lazy_if,
    "IFERROR": _lazy_iferror,
}
