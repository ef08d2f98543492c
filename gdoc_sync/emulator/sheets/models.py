"""The emulator's Sheets v4 spreadsheet model: the public operations on a stored spreadsheet
(create, render, values, batchUpdate) and Drive's view of it (CSV export and import)."""

from __future__ import annotations

import copy
import json
from typing import Any

from gdoc_sync.emulator.errors import InvalidArgument
from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets import requests as _requests  # noqa: F401 (registers every handler)
from gdoc_sync.emulator.sheets.celldata import _ALL_CELL_PATHS, _apply_cell
from gdoc_sync.emulator.sheets.cells import (
    DEFAULT_COLUMN_PIXELS,
    DEFAULT_ROW_PIXELS,
    SPREADSHEET_URL,
    _Err,
    _extended,
    _fail,
    _num_out,
    _RequestError,
)
from gdoc_sync.emulator.sheets.formatting import _format_value
from gdoc_sync.emulator.sheets.formula.evaluator import _Book
from gdoc_sync.emulator.sheets.formula.operands import _UNSUPPORTED
from gdoc_sync.emulator.sheets.grid import (
    _add_sheet,
    _blank_spreadsheet,
    _clone,
    _dims,
    _read_bounds,
    _reindex,
    _resolve,
    _title,
    _trim_rows,
    check_grid_limits,
)
from gdoc_sync.emulator.sheets.requests.ranges import _add_named_range, _add_protected_range
from gdoc_sync.emulator.sheets.requests.registry import _HANDLERS, _KNOWN_REQUESTS
from gdoc_sync.emulator.sheets.values import (
    _put_matrix,
    values_append,
    values_batch_clear,
    values_batch_get,
    values_batch_update,
    values_clear,
    values_get,
    values_update,
)

__all__ = [
    "batch_update",
    "check_grid_limits",
    "export_delimited",
    "import_delimited",
    "new_spreadsheet",
    "render",
    "set_title",
    "sheet_titles",
    "values_append",
    "values_batch_clear",
    "values_batch_get",
    "values_batch_update",
    "values_clear",
    "values_get",
    "values_update",
]

# ---------------------------------------------------------------------------------------------
# Whole spreadsheets
# ---------------------------------------------------------------------------------------------


def _effective_json(v: Any) -> dict[str, Any]:
    t = type(v)
    if t is str:
        return {"stringValue": v}
    if t is bool:
        return {"boolValue": v}
    if t is _Err:
        return {"errorValue": v.extended()}
    return {"numberValue": _num_out(v)}


def _with_color_styles(fmt: Any) -> Any:
    """A copy of a format where every color and its ColorStyle twin are both given, as Google
    answers (`backgroundColor` beside `backgroundColorStyle.rgbColor`, and so on)."""
    if isinstance(fmt, list):
        return [_with_color_styles(v) for v in fmt]
    if not isinstance(fmt, dict):
        return fmt
    out = {k: _with_color_styles(v) for k, v in fmt.items()}
    for key, value in fmt.items():
        if (key == "color" or key.endswith("Color")) and isinstance(value, dict):
            out.setdefault(key + "Style", {"rgbColor": copy.deepcopy(value)})
        elif key.endswith("ColorStyle") or key == "colorStyle":
            rgb = value.get("rgbColor") if isinstance(value, dict) else None
            if isinstance(rgb, dict):
                out.setdefault(key[: -len("Style")], copy.deepcopy(rgb))
    return out


def _cell_data(book: _Book, sheet: dict[str, Any], r: int, c: int, cell: Any) -> dict[str, Any]:
    if cell is None:
        return {}
    out: dict[str, Any] = {}
    entered = _extended(cell)
    if entered is not None:
        out["userEnteredValue"] = entered
        value = book.effective(sheet, r, c, cell)
        if value is not None and value is not _UNSUPPORTED:
            fmt = cell.get("fmt") if type(cell) is dict else None
            out["effectiveValue"] = _effective_json(value)
            out["formattedValue"] = _format_value(value, fmt.get("numberFormat") if fmt else None)
    if type(cell) is dict:
        if "fmt" in cell:
            out["userEnteredFormat"] = _with_color_styles(cell["fmt"])
        if "note" in cell:
            out["note"] = cell["note"]
        if "dv" in cell:
            out["dataValidation"] = copy.deepcopy(cell["dv"])
        for key, value in (cell.get("x") or {}).items():
            out[key] = copy.deepcopy(value)
    return out


def _dimension_meta(sheet: dict[str, Any], key: str, index: int) -> dict[str, Any]:
    default = DEFAULT_ROW_PIXELS if key == "rowMeta" else DEFAULT_COLUMN_PIXELS
    stored = (sheet.get(key) or {}).get(str(index))
    out: dict[str, Any] = {"pixelSize": default}
    if stored:
        out.update(copy.deepcopy(stored))
    return out


def _grid_data(
    book: _Book, sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if sr:
        out["startRow"] = sr
    if sc:
        out["startColumn"] = sc
    rows = sheet["rows"]
    row_data: list[dict[str, Any]] = []
    for r in range(sr, min(er, len(rows))):
        row = rows[r]
        values = [_cell_data(book, sheet, r, c, row[c]) for c in range(sc, min(ec, len(row)))]
        while values and not values[-1]:
            values.pop()
        row_data.append({"values": values} if values else {})
    while row_data and not row_data[-1]:
        row_data.pop()
    if row_data:
        out["rowData"] = row_data
    out["rowMetadata"] = [_dimension_meta(sheet, "rowMeta", r) for r in range(sr, er)]
    out["columnMetadata"] = [_dimension_meta(sheet, "colMeta", c) for c in range(sc, ec)]
    return out


def render(
    stored: dict[str, Any], *, ranges: list[str] | None = None, include_grid_data: bool = False
) -> dict[str, Any]:
    """spreadsheets.get: the Spreadsheet resource (before any `fields` mask)."""
    book = _Book(stored)
    selected: dict[int, list[tuple[int, int, int, int]]] | None = None
    if ranges:
        selected = {}
        for text in ranges:
            t = _resolve(stored, text)
            selected.setdefault(id(t.sheet), []).append(_read_bounds(t))
    sheets: list[dict[str, Any]] = []
    for sheet in stored["sheets"]:
        if selected is not None and id(sheet) not in selected:
            continue
        out: dict[str, Any] = {"properties": copy.deepcopy(sheet["properties"])}
        if include_grid_data:
            rows, cols = _dims(sheet)
            boxes = selected[id(sheet)] if selected is not None else [(0, rows, 0, cols)]
            out["data"] = [_grid_data(book, sheet, *box) for box in boxes]
        for key in (
            "merges",
            "conditionalFormats",
            "protectedRanges",
            "basicFilter",
            "charts",
            "rowGroups",
            "columnGroups",
        ):
            if sheet.get(key):
                out[key] = copy.deepcopy(sheet[key])
        sheets.append(out)
    result: dict[str, Any] = {
        "spreadsheetId": stored["spreadsheetId"],
        "properties": copy.deepcopy(stored["properties"]),
        "sheets": sheets,
    }
    if stored.get("namedRanges"):
        result["namedRanges"] = copy.deepcopy(stored["namedRanges"])
    result["spreadsheetUrl"] = SPREADSHEET_URL.format(stored["spreadsheetId"])
    return result


def sheet_titles(stored: dict[str, Any]) -> list[str]:
    """Tab titles in tab order."""
    return [_title(sheet) for sheet in stored["sheets"]]


def set_title(stored: dict[str, Any], title: str) -> dict[str, Any]:
    """A copy with a new spreadsheet title (Drive renames land here)."""
    work = _clone(stored)
    work["properties"]["title"] = title
    return work


def new_spreadsheet(spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """spreadsheets.create (and Drive's create of a spreadsheet): the stored form."""
    body = body or {}
    stored = _blank_spreadsheet(spreadsheet_id, body.get("properties") or {})
    sheets_in = body.get("sheets") or [{}]
    for i, sheet_in in enumerate(sheets_in):
        sheet_in = sheet_in or {}
        try:
            sheet = _add_sheet(
                stored, sheet_in.get("properties") or {}, default_id=0 if i == 0 else None
            )
            sheet_id = sheet["properties"]["sheetId"]
            for grid_data in sheet_in.get("data") or []:
                _load_grid_data(sheet, grid_data)
            for merge in sheet_in.get("merges") or []:
                sheet.setdefault("merges", []).append({**copy.deepcopy(merge), "sheetId": sheet_id})
            for protected in sheet_in.get("protectedRanges") or []:
                protected = copy.deepcopy(protected)
                protected.setdefault("range", {})["sheetId"] = sheet_id
                _add_protected_range(stored, protected)
            for key in ("conditionalFormats", "basicFilter"):
                if sheet_in.get(key):
                    sheet[key] = copy.deepcopy(sheet_in[key])
        except _RequestError as exc:
            _fail(f"Invalid spreadsheet.sheets[{i}]: {exc}")
    if all(s["properties"].get("hidden") for s in stored["sheets"]):
        _fail("Invalid spreadsheet.sheets: You can't hide all the sheets in a document.")
    for i, named in enumerate(body.get("namedRanges") or []):
        try:
            _add_named_range(stored, copy.deepcopy(named))
        except _RequestError as exc:
            _fail(f"Invalid spreadsheet.namedRanges[{i}]: {exc}")
    try:
        check_grid_limits(stored)
    except _RequestError as exc:
        _fail(str(exc))
    return stored


def _load_grid_data(sheet: dict[str, Any], grid_data: dict[str, Any]) -> None:
    sr, sc = grid_data.get("startRow", 0), grid_data.get("startColumn", 0)
    row_data = copy.deepcopy(grid_data.get("rowData") or [])
    grid = sheet["properties"]["gridProperties"]
    rows = sheet["rows"]
    for i, row_in in enumerate(row_data):
        values = (row_in or {}).get("values") or []
        if not values:
            continue
        r = sr + i
        grid["rowCount"] = max(grid["rowCount"], r + 1)
        grid["columnCount"] = max(grid["columnCount"], sc + len(values))
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) < sc + len(values):
            row.extend([None] * (sc + len(values) - len(row)))
        for j, cell_in in enumerate(values):
            row[sc + j] = _apply_cell(row[sc + j], cell_in or {}, _ALL_CELL_PATHS)
        while row and row[-1] is None:
            row.pop()
    _trim_rows(rows)


def batch_update(
    stored: dict[str, Any], body: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """spreadsheets.batchUpdate: all requests apply, or none (the caller keeps the old stored)."""
    body = body or {}
    requests = body.get("requests") or []
    if not isinstance(requests, list):
        _fail(
            "Invalid value at 'requests' (type.googleapis.com/google.apps.sheets.v4.Request), "
            + json.dumps(requests)
        )
    work = _clone(stored)
    replies: list[dict[str, Any]] = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or not request:
            _fail(f"Invalid requests[{i}]: No request set.")
        if len(request) > 1:
            second = list(request)[1]
            _fail(
                f"Invalid value at 'requests[{i}]' (oneof), oneof field 'kind' is already set. "
                f"Cannot set '{second}'"
            )
        kind, params = next(iter(request.items()))
        handler = _HANDLERS.get(kind)
        if handler is None:
            if kind in _KNOWN_REQUESTS:
                _fail(
                    f"Invalid requests[{i}].{kind}: {kind} is not supported "
                    "by the gdoc-sync emulator."
                )
            _fail(
                f'Invalid JSON payload received. Unknown name "{kind}" at '
                f"'requests[{i}]': Cannot find field."
            )
        try:
            reply = handler(work, params if isinstance(params, dict) else {})
            check_grid_limits(work)
        except _RequestError as exc:
            raise InvalidArgument(f"Invalid requests[{i}].{kind}: {exc}") from None
        replies.append(reply or {})
    response: dict[str, Any] = {"spreadsheetId": work["spreadsheetId"]}
    if replies:
        response["replies"] = replies
    if body.get("includeSpreadsheetInResponse"):
        response["updatedSpreadsheet"] = render(
            work,
            ranges=body.get("responseRanges") or None,
            include_grid_data=bool(body.get("responseIncludeGridData")),
        )
    return work, response


# -- Drive's view of a spreadsheet: export and CSV import -------------------------------------


def export_delimited(stored: dict[str, Any], delimiter: str = ",") -> bytes:
    """files.export as text/csv (or TSV): the first sheet's formatted values, as Google exports
    only the first sheet to these formats."""
    import csv
    import io

    sheet = stored["sheets"][0]
    values = values_get(stored, a1.quote_sheet(_title(sheet))).get("values", [])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    width = max((len(row) for row in values), default=0)
    for row in values:
        writer.writerow([*row, *[""] * (width - len(row))])
    return out.getvalue().rstrip("\r\n").encode("utf-8")


def import_delimited(stored: dict[str, Any], text: str) -> dict[str, Any]:
    """The Drive v2 media upload with convert=true that gspread's import_csv uses: every sheet
    but the first is removed and the first holds the CSV, values parsed as if typed."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    work = _clone(stored)
    first = work["sheets"][0]
    work["sheets"] = [first]
    _reindex(work)
    first["rows"] = []
    for key in ("merges", "conditionalFormats", "protectedRanges", "basicFilter"):
        first.pop(key, None)
    grid = first["properties"]["gridProperties"]
    grid["rowCount"] = max(len(rows), 1)
    grid["columnCount"] = max((len(r) for r in rows), default=1) or 1
    if rows:
        _put_matrix(first, 0, 0, rows, True)
    return work
