"""A spreadsheet's structure (sheets, ids, grid properties, limits) and A1 ranges resolved
against it."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any, NamedTuple

from gdoc_sync.emulator.errors import InvalidArgument
from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets.cells import (
    _DEFAULT_FORMAT,
    _THEME,
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    FORMAT_VERSION,
    MAX_CELLS,
    MAX_COLUMNS,
    TOO_MANY_CELLS,
    TOO_MANY_COLUMNS,
    _fail,
    _RequestError,
)


def _clone(stored: dict[str, Any]) -> dict[str, Any]:
    """A working copy: everything deep-copied except cells, which are never mutated in place."""
    out = {k: copy.deepcopy(v) for k, v in stored.items() if k != "sheets"}
    out["sheets"] = [
        {
            k: ([list(row) for row in v] if k == "rows" else copy.deepcopy(v))
            for k, v in sheet.items()
        }
        for sheet in stored["sheets"]
    ]
    return out


def _sheet_by_id(stored: dict[str, Any], sheet_id: Any) -> dict[str, Any] | None:
    for sheet in stored["sheets"]:
        if sheet["properties"]["sheetId"] == sheet_id:
            return sheet
    return None


def _sheet_by_title(
    stored: dict[str, Any], title: str, *, exclude: Any = None
) -> dict[str, Any] | None:
    """Sheet titles match case-insensitively, as Google matches them; an exact match wins."""
    folded = None
    for sheet in stored["sheets"]:
        if sheet is exclude:
            continue
        own = sheet["properties"]["title"]
        if own == title:
            return sheet
        if folded is None and own.casefold() == title.casefold():
            folded = sheet
    return folded


def _dims(sheet: dict[str, Any]) -> tuple[int, int]:
    grid = sheet["properties"]["gridProperties"]
    return grid["rowCount"], grid["columnCount"]


def _title(sheet: dict[str, Any]) -> str:
    return sheet["properties"]["title"]


def _reindex(stored: dict[str, Any]) -> None:
    for i, sheet in enumerate(stored["sheets"]):
        sheet["properties"]["index"] = i


def _new_id(stored: dict[str, Any], taken: set[Any]) -> int:
    """A sheet or protected range id: random-looking like Google's, but reproducible."""
    while True:
        stored["seq"] = stored.get("seq", 0) + 1
        digest = hashlib.sha256(f"{stored['spreadsheetId']}:{stored['seq']}".encode()).digest()
        candidate = int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
        if candidate and candidate not in taken:
            return candidate


def _normalize_sheet_properties(p: dict[str, Any]) -> dict[str, Any]:
    """Key order and omitted defaults as the API renders SheetProperties."""
    grid_in = p.get("gridProperties") or {}
    grid: dict[str, Any] = {
        "rowCount": grid_in.get("rowCount", DEFAULT_ROWS),
        "columnCount": grid_in.get("columnCount", DEFAULT_COLUMNS),
    }
    for key in ("frozenRowCount", "frozenColumnCount"):
        if grid_in.get(key):
            grid[key] = grid_in[key]
    for key in ("hideGridlines", "rowGroupControlAfter", "columnGroupControlAfter"):
        if grid_in.get(key):
            grid[key] = True
    out: dict[str, Any] = {
        "sheetId": p["sheetId"],
        "title": p["title"],
        "index": p.get("index", 0),
        "sheetType": p.get("sheetType") or "GRID",
        "gridProperties": grid,
    }
    if p.get("hidden"):
        out["hidden"] = True
    for key in ("tabColor", "tabColorStyle"):
        if p.get(key):
            out[key] = p[key]
    if p.get("rightToLeft"):
        out["rightToLeft"] = True
    for key, value in p.items():
        if (
            key not in out
            and key not in ("hidden", "rightToLeft", "gridProperties")
            and value is not None
        ):
            out[key] = value
    return out


def check_grid_limits(stored: dict[str, Any]) -> None:
    """Google's limits on a spreadsheet's size: 18,278 columns in a sheet, 10 million cells in
    the workbook. Raises _RequestError (batchUpdate prefixes the request)."""
    total = 0
    for sheet in stored["sheets"]:
        rows, cols = _dims(sheet)
        if cols > MAX_COLUMNS:
            raise _RequestError(TOO_MANY_COLUMNS)
        total += rows * cols
    if total > MAX_CELLS:
        raise _RequestError(TOO_MANY_CELLS)


def _check_int(value: Any, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _RequestError(
            f"{what} must be an integer of at least {minimum}, got {json.dumps(value)}."
        )
    return value


def _check_grid_properties(props: dict[str, Any]) -> None:
    grid = props["gridProperties"]
    _check_int(grid["rowCount"], "gridProperties.rowCount")
    _check_int(grid["columnCount"], "gridProperties.columnCount")
    frozen_rows = _check_int(grid.get("frozenRowCount", 0), "gridProperties.frozenRowCount")
    frozen_cols = _check_int(grid.get("frozenColumnCount", 0), "gridProperties.frozenColumnCount")
    if frozen_rows and frozen_rows >= grid["rowCount"]:
        raise _RequestError("You can't freeze all visible rows on the sheet.")
    if frozen_cols and frozen_cols >= grid["columnCount"]:
        raise _RequestError("You can't freeze all visible columns on the sheet.")


def _duplicate_title(title: str) -> str:
    return f'A sheet with the name "{title}" already exists. Please enter another name.'


def _add_sheet(
    stored: dict[str, Any], props_in: dict[str, Any], *, default_id: int | None = None
) -> dict[str, Any]:
    props = copy.deepcopy(props_in) if isinstance(props_in, dict) else {}
    title = props.get("title")
    if title is None or title == "":
        n = len(stored["sheets"]) + 1
        while _sheet_by_title(stored, f"Sheet{n}") is not None:
            n += 1
        title = f"Sheet{n}"
    if not isinstance(title, str):
        raise _RequestError(f"Invalid sheet title: {json.dumps(title)}")
    if _sheet_by_title(stored, title) is not None:
        raise _RequestError(_duplicate_title(title))
    taken = {s["properties"]["sheetId"] for s in stored["sheets"]}
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = (
            default_id
            if default_id is not None and default_id not in taken
            else _new_id(stored, taken)
        )
    else:
        _check_int(sheet_id, "sheetId")
        if sheet_id in taken:
            raise _RequestError(f"A sheet with id {sheet_id} already exists.")
    index = props.get("index")
    count = len(stored["sheets"])
    index = count if index is None else min(max(_check_int(index, "index"), 0), count)
    props.update(title=title, sheetId=sheet_id, index=index)
    normalized = _normalize_sheet_properties(props)
    _check_grid_properties(normalized)
    sheet: dict[str, Any] = {"properties": normalized, "rows": []}
    stored["sheets"].insert(index, sheet)
    _reindex(stored)
    return sheet


def _blank_spreadsheet(spreadsheet_id: str, props_in: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "title": props_in.get("title") or "Untitled spreadsheet",
        "locale": props_in.get("locale") or "en_US",
        "autoRecalc": props_in.get("autoRecalc") or "ON_CHANGE",
        "timeZone": props_in.get("timeZone") or "Etc/GMT",
        "defaultFormat": copy.deepcopy(props_in.get("defaultFormat") or _DEFAULT_FORMAT),
        "spreadsheetTheme": copy.deepcopy(props_in.get("spreadsheetTheme") or _THEME),
    }
    for key, value in props_in.items():
        if key not in props:
            props[key] = copy.deepcopy(value)
    return {
        "format": FORMAT_VERSION,
        "spreadsheetId": spreadsheet_id,
        "properties": props,
        "sheets": [],
        "namedRanges": [],
        "seq": 0,
    }


# ---------------------------------------------------------------------------------------------
# Ranges in A1 notation
# ---------------------------------------------------------------------------------------------


class _Target(NamedTuple):
    sheet: dict[str, Any]
    sr: int | None
    er: int | None
    sc: int | None
    ec: int | None
    label: str  # the sheet as the caller wrote it, for error messages
    whole: bool


def _resolve(stored: dict[str, Any], text: Any) -> _Target:
    """A1 text -> the sheet and bounds it names. Unknown sheets are Google's parse error."""
    if not isinstance(text, str) or not text:
        _fail(f"Unable to parse range: {text if isinstance(text, str) else ''}")
    try:
        ref = a1.parse(text)
    except InvalidArgument:
        ref = None
    if ref is not None:
        if ref.sheet is None:
            sheet = next(
                (s for s in stored["sheets"] if not s["properties"].get("hidden")),
                stored["sheets"][0],
            )
            return _Target(
                sheet,
                ref.start_row,
                ref.end_row,
                ref.start_col,
                ref.end_col,
                a1.quote_sheet(_title(sheet)),
                False,
            )
        sheet = _sheet_by_title(stored, ref.sheet)
        if sheet is not None:
            return _Target(
                sheet,
                ref.start_row,
                ref.end_row,
                ref.start_col,
                ref.end_col,
                ref.sheet_text or "",
                ref.whole_sheet,
            )
    # A title may itself contain '!' or look like anything; a bare match of the whole text wins.
    sheet = _sheet_by_title(stored, text)
    if sheet is not None:
        return _Target(sheet, None, None, None, None, text, True)
    # A named range, bare or behind a sheet prefix (`'Sheet1'!Name`, as gspread writes it):
    # Google resolves the name and ignores the prefix.
    name = text.rsplit("!", 1)[1] if "!" in text else text
    for named in stored.get("namedRanges", []):
        if named.get("name", "").casefold() == name.casefold():
            gr = named.get("range") or {}
            sheet = _sheet_by_id(stored, gr.get("sheetId", 0))
            if sheet is not None:
                return _Target(
                    sheet,
                    gr.get("startRowIndex"),
                    gr.get("endRowIndex"),
                    gr.get("startColumnIndex"),
                    gr.get("endColumnIndex"),
                    a1.quote_sheet(_title(sheet)),
                    False,
                )
    _fail(f"Unable to parse range: {text}")


def _cells_text(t: _Target) -> str:
    cells = a1.format_cells(t.sr, t.er, t.sc, t.ec)
    return f"{t.label}!{cells}" if cells else t.label


def _grid_limit_message(label: str, sheet: dict[str, Any]) -> str:
    rows, cols = _dims(sheet)
    return f"Range ({label}) exceeds grid limits. Max rows: {rows}, max columns: {cols}"


def _read_bounds(
    t: _Target, *, prefix: str = "Unable to parse range: "
) -> tuple[int, int, int, int]:
    """Reads clip to the grid; a range that starts past it is refused."""
    rows, cols = _dims(t.sheet)
    sr, sc = t.sr or 0, t.sc or 0
    if sr >= rows or sc >= cols:
        _fail(prefix + _grid_limit_message(_cells_text(t), t.sheet))
    er = rows if t.er is None else min(t.er, rows)
    ec = cols if t.ec is None else min(t.ec, cols)
    return sr, er, sc, ec


def _canonical(sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int) -> str:
    return a1.format_range(_title(sheet), sr, er, sc, ec)


def _trim_rows(rows: list[list[Any]]) -> None:
    while rows and not rows[-1]:
        rows.pop()
