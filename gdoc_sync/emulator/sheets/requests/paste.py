"""batchUpdate handlers for copy, cut and paste."""

from __future__ import annotations

import copy
import re
from typing import Any

from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets.celldata import _fill, _get_cell, _set_cell
from gdoc_sync.emulator.sheets.cells import _as_dict, _coerce_checkbox, _Err, _pack, _RequestError
from gdoc_sync.emulator.sheets.dimensions import _grid_bounds, _sheet_for
from gdoc_sync.emulator.sheets.formula.evaluator import _Book
from gdoc_sync.emulator.sheets.formula.operands import _UNSUPPORTED
from gdoc_sync.emulator.sheets.formula.tokenizer import _TOKEN_RE
from gdoc_sync.emulator.sheets.grid import _check_int, _dims, _trim_rows
from gdoc_sync.emulator.sheets.requests.registry import _request

# -- copy, cut and paste --------------------------------------------------------------------

_PASTE_PARTS = {
    # Which parts of a stored cell each PasteType carries: v/f/e value, fmt, dv, note, x (rest).
    "PASTE_NORMAL": ("v", "f", "e", "fmt", "dv", "note", "x"),
    "PASTE_VALUES": ("value",),
    "PASTE_FORMAT": ("fmt", "dv"),
    "PASTE_NO_BORDERS": ("v", "f", "e", "fmt", "dv", "note", "x"),
    "PASTE_FORMULA": ("v", "f", "e"),
    "PASTE_DATA_VALIDATION": ("dv",),
    "PASTE_CONDITIONAL_FORMATTING": (),
}


_REF_PART = re.compile(r"^(\$?)([A-Za-z]{0,3})(\$?)([0-9]*)$")


def _shift_ref(ref: str, dr: int, dc: int) -> str:
    """A reference moved by (dr, dc) as a copy moves it: `$` parts stay, a part pushed off
    the grid makes the reference #REF!."""
    cut = ref.rfind("!")
    sheet, cells = (ref[: cut + 1], ref[cut + 1 :]) if cut >= 0 else ("", ref)
    parts = []
    for part in cells.split(":"):
        m = _REF_PART.match(part)
        if m is None:
            return ref
        col_abs, letters, row_abs, digits = m.groups()
        if letters and not col_abs:
            index = a1.column_index(letters.upper()) + dc
            if index < 0:
                return "#REF!"
            letters = a1.column_letters(index)
        if digits and not row_abs:
            row = int(digits) + dr
            if row < 1:
                return "#REF!"
            digits = str(row)
        parts.append(f"{col_abs}{letters}{row_abs}{digits}")
    return sheet + ":".join(parts)


def _shift_formula(text: str, dr: int, dc: int) -> str:
    """A formula copied (dr, dc) away: its relative references move with it, as Sheets does."""
    if not (dr or dc):
        return text
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            return text  # not understood: pasted as written
        piece = m.group(0)
        out.append(_shift_ref(piece, dr, dc) if m.lastgroup == "ref" else piece)
        pos = m.end()
    return "".join(out)


def _pasted(
    source_cell: Any, value: Any, old: Any, kind: str, shift: tuple[int, int] = (0, 0)
) -> Any:
    """A source cell (with its computed value) as pasted over `old` by a PasteType; a formula
    moves its relative references by `shift`."""
    source = _as_dict(source_cell)
    target = _as_dict(old)
    parts = _PASTE_PARTS[kind]
    if "value" in parts:
        for key in ("v", "f", "e"):
            target.pop(key, None)
        if type(value) is _Err:
            target["e"] = value.extended()
        elif value is not None and value is not _UNSUPPORTED:
            target["v"] = value
        return _pack(target)
    if {"v", "f", "e"} <= set(parts):
        for key in ("v", "f", "e"):
            target.pop(key, None)
    for key in parts:
        if key in source:
            target[key] = copy.deepcopy(source[key])
        elif key in ("fmt", "dv", "note", "x"):
            target.pop(key, None)
    if "f" in parts and "f" in source:
        target["f"] = _shift_formula(source["f"], *shift)
    if kind == "PASTE_NO_BORDERS" and isinstance(target.get("fmt"), dict):
        target["fmt"] = {k: v for k, v in target["fmt"].items() if k != "borders"}
    if "dv" in target:
        _coerce_checkbox(target)
    return _pack(target)


def _paste(
    s: dict[str, Any],
    source: Any,
    dest_sheet: dict[str, Any],
    dr: int,
    dc: int,
    times: tuple[int, int],
    kind: str,
    transpose: bool,
    *,
    cut: bool = False,
) -> None:
    sheet, sr, er, sc, ec = _grid_bounds(s, source)
    if kind not in _PASTE_PARTS:
        raise _RequestError(f"Invalid pasteType: {kind}")
    book = _Book(s)
    cells = [[(r, c) for c in range(sc, ec)] for r in range(sr, er)]
    if transpose:
        cells = [list(col) for col in zip(*cells, strict=True)] if cells else []
    height = len(cells)
    width = len(cells[0]) if cells else 0
    targets = [
        (dr + i, dc + j, *cells[i % height][j % width])
        for i in range(height * times[0])
        for j in range(width * times[1])
    ]
    # Read every source cell before writing: source and destination may overlap.
    sources = {(r, c): _get_cell(sheet, r, c) for _, _, r, c in targets}
    values = {(r, c): book.value_at(sheet, r, c) for _, _, r, c in targets}
    if cut:
        _fill(sheet, sr, er, sc, ec, lambda _old: None)
    rows, cols = _dims(dest_sheet)
    grid = dest_sheet["properties"]["gridProperties"]
    grid["rowCount"] = max(rows, dr + height * times[0])
    grid["columnCount"] = max(cols, dc + width * times[1])
    for tr, tc, r, c in targets:
        old = _get_cell(dest_sheet, tr, tc)
        shift = (0, 0) if cut else (tr - r, tc - c)  # a cut formula keeps its references
        pasted = _pasted(sources[(r, c)], values[(r, c)], old, kind, shift)
        _set_cell(dest_sheet, tr, tc, pasted)
    _trim_rows(dest_sheet["rows"])


@_request("copyPaste")
def _copy_paste(s: dict[str, Any], p: dict[str, Any]) -> None:
    """Paste a box; a destination that is a multiple of the source's size is tiled, a smaller
    one still gets the whole source (the API reference of CopyPasteRequest.destination)."""
    _, sr, er, sc, ec = _grid_bounds(s, p.get("source"))
    dest_sheet, dr, der, dc, dec = _grid_bounds(s, p.get("destination"))
    transpose = (p.get("pasteOrientation") or "NORMAL") == "TRANSPOSE"
    height, width = (ec - sc, er - sr) if transpose else (er - sr, ec - sc)
    times = (
        max(1, (der - dr) // height) if height and (der - dr) % height == 0 else 1,
        max(1, (dec - dc) // width) if width and (dec - dc) % width == 0 else 1,
    )
    kind = p.get("pasteType") or "PASTE_NORMAL"
    _paste(s, p.get("source"), dest_sheet, dr, dc, times, kind, transpose)


@_request("cutPaste")
def _cut_paste(s: dict[str, Any], p: dict[str, Any]) -> None:
    """Move a box to a GridCoordinate: the source is emptied, then pasted at the destination."""
    dest = p.get("destination")
    if not isinstance(dest, dict):
        dest = {}
    dest_sheet = _sheet_for(s, dest.get("sheetId", 0))
    dr = _check_int(dest.get("rowIndex", 0), "destination.rowIndex")
    dc = _check_int(dest.get("columnIndex", 0), "destination.columnIndex")
    kind = p.get("pasteType") or "PASTE_NORMAL"
    _paste(s, p.get("source"), dest_sheet, dr, dc, (1, 1), kind, False, cut=True)
