"""The values API: spreadsheets.values get, update, append and clear (single and batch)."""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn

from gdoc_sync.emulator.errors import InvalidArgument
from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets.cells import (
    _DATE_RENDER,
    _DATE_TYPES,
    _DIMENSIONS,
    _VALUE_INPUT,
    _VALUE_RENDER,
    CELL_TOO_LONG,
    MAX_CELL_CHARS,
    _coerce_checkbox,
    _enum_error,
    _Err,
    _fail,
    _has_value,
    _num_out,
    _pack,
    _RequestError,
)
from gdoc_sync.emulator.sheets.dimensions import _insert_dimension
from gdoc_sync.emulator.sheets.formatting import _format_value, _general, _parse_user_entered
from gdoc_sync.emulator.sheets.formula.evaluator import _Book
from gdoc_sync.emulator.sheets.formula.operands import _UNSUPPORTED, _error_from_extended
from gdoc_sync.emulator.sheets.grid import (
    _canonical,
    _cells_text,
    _clone,
    _dims,
    _grid_limit_message,
    _read_bounds,
    _resolve,
    _trim_rows,
    check_grid_limits,
)

# ---------------------------------------------------------------------------------------------
# Reading values
# ---------------------------------------------------------------------------------------------


def _display(
    book: _Book,
    sheet: dict[str, Any],
    r: int,
    c: int,
    cell: dict[str, Any],
    render: str,
    dates: str,
) -> Any:
    fmt = cell.get("fmt")
    number_format = fmt.get("numberFormat") if fmt else None
    if "f" in cell:
        if render == "FORMULA":
            return cell["f"]
        v = book.formula_value(sheet, r, c, cell["f"])
        if v is _UNSUPPORTED:
            return ""
    elif "e" in cell:
        v = _error_from_extended(cell["e"])
    else:
        v = cell.get("v")
    t = type(v)
    if v is None:
        return ""
    if t is _Err:
        return v.code
    if render == "FORMATTED_VALUE":
        return _format_value(v, number_format)
    if t is str or t is bool:
        return v
    if dates == "FORMATTED_STRING" and number_format and number_format.get("type") in _DATE_TYPES:
        return _format_value(v, number_format)
    return _num_out(v)


def _read_rows(
    book: _Book, sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int, render: str, dates: str
) -> list[list[Any]]:
    """Values row by row, trailing empty cells and rows trimmed as Google trims them."""
    rows = sheet["rows"]
    formatted = render == "FORMATTED_VALUE"
    out: list[list[Any]] = []
    for r in range(sr, min(er, len(rows))):
        row = rows[r]
        values: list[Any] = []
        append = values.append
        for c in range(sc, min(ec, len(row))):
            cell = row[c]
            t = type(cell)
            if t is str:
                append(cell)
            elif cell is None:
                append("")
            elif t is dict:
                append(_display(book, sheet, r, c, cell, render, dates))
            elif t is bool:
                append(("TRUE" if cell else "FALSE") if formatted else cell)
            else:
                append(_general(cell) if formatted else _num_out(cell))
        while values and values[-1] == "":
            values.pop()
        out.append(values)
    while out and not out[-1]:
        out.pop()
    return out


def _transpose(rows: list[list[Any]], width: int) -> list[list[Any]]:
    columns: list[list[Any]] = []
    for j in range(width):
        column = [row[j] if j < len(row) else "" for row in rows]
        while column and column[-1] == "":
            column.pop()
        columns.append(column)
    while columns and not columns[-1]:
        columns.pop()
    return columns


def _check_read_options(major: Any, render: Any, dates: Any) -> tuple[str, str, str]:
    major = major or "ROWS"
    if major == "DIMENSION_UNSPECIFIED":
        major = "ROWS"
    if major not in _DIMENSIONS:
        _enum_error("major_dimension", "Dimension", major)
    render = render or "FORMATTED_VALUE"
    if render not in _VALUE_RENDER:
        _enum_error("value_render_option", "ValueRenderOption", render)
    dates = dates or "SERIAL_NUMBER"
    if dates not in _DATE_RENDER:
        _enum_error("date_time_render_option", "DateTimeRenderOption", dates)
    return major, render, dates


def _value_range(
    book: _Book, stored: dict[str, Any], range_: Any, major: str, render: str, dates: str
) -> dict[str, Any]:
    t = _resolve(stored, range_)
    sr, er, sc, ec = _read_bounds(t)
    out: dict[str, Any] = {"range": _canonical(t.sheet, sr, er, sc, ec), "majorDimension": major}
    rows = _read_rows(book, t.sheet, sr, er, sc, ec, render, dates)
    if major == "COLUMNS":
        rows = _transpose(rows, ec - sc)
    if rows:
        out["values"] = rows
    return out


def values_get(
    stored: dict[str, Any],
    range_: str,
    *,
    major_dimension: str = "ROWS",
    value_render_option: str = "FORMATTED_VALUE",
    date_time_render_option: str = "SERIAL_NUMBER",
) -> dict[str, Any]:
    """spreadsheets.values.get: a ValueRange with the canonical range; no `values` when empty."""
    major, render, dates = _check_read_options(
        major_dimension, value_render_option, date_time_render_option
    )
    return _value_range(_Book(stored), stored, range_, major, render, dates)


def values_batch_get(
    stored: dict[str, Any],
    ranges: list[str],
    *,
    major_dimension: str = "ROWS",
    value_render_option: str = "FORMATTED_VALUE",
    date_time_render_option: str = "SERIAL_NUMBER",
) -> dict[str, Any]:
    """spreadsheets.values.batchGet."""
    major, render, dates = _check_read_options(
        major_dimension, value_render_option, date_time_render_option
    )
    out: dict[str, Any] = {"spreadsheetId": stored["spreadsheetId"]}
    if ranges:
        book = _Book(stored)
        out["valueRanges"] = [_value_range(book, stored, r, major, render, dates) for r in ranges]
    return out


# ---------------------------------------------------------------------------------------------
# Writing values
# ---------------------------------------------------------------------------------------------


def _proto_text(value: Any, indent: str = "") -> str:
    """A JSON value as protobuf text, the way Google quotes a bad cell back."""
    if isinstance(value, bool):
        return f"{indent}bool_value: {str(value).lower()}\n"
    if isinstance(value, (int, float)):
        return f"{indent}number_value: {value}\n"
    if isinstance(value, str):
        return f"{indent}string_value: {json.dumps(value)}\n"
    if value is None:
        return f"{indent}null_value: NULL_VALUE\n"
    if isinstance(value, list):
        inner = "".join(
            f"{indent}  values {{\n{_proto_text(v, indent + '    ')}{indent}  }}\n" for v in value
        )
        return f"{indent}list_value {{\n{inner}{indent}}}\n"
    inner = "".join(
        f"{indent}  fields {{\n{indent}    key: {json.dumps(k)}\n{indent}    value {{\n"
        f"{_proto_text(v, indent + '      ')}{indent}    }}\n{indent}  }}\n"
        for k, v in value.items()
    )
    return f"{indent}struct_value {{\n{inner}{indent}}}\n"


def _bad_list(field: str, value: Any) -> NoReturn:
    message = (
        f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), "
        f"{json.dumps(value, ensure_ascii=False)}"
    )
    raise InvalidArgument(
        message,
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": field, "description": message}],
            }
        ],
    )


def _matrix(values: Any, major: Any, field: str) -> list[list[Any]]:
    """A ValueRange's values as rows, checked as Google checks them."""
    if values is None:
        return []
    if not isinstance(values, list):
        _bad_list(field, values)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            _bad_list(f"{field}[{i}]", row)
    major = major or "ROWS"
    if major == "DIMENSION_UNSPECIFIED":
        major = "ROWS"
    if major not in _DIMENSIONS:
        _enum_error("data.major_dimension", "Dimension", major)
    if major == "COLUMNS":
        height = max((len(col) for col in values), default=0)
        return [[col[r] if r < len(col) else None for col in values] for r in range(height)]
    return values


def _input_option(option: Any, *, batch: bool = False) -> bool:
    """valueInputOption -> whether to parse as the UI does."""
    if option in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
        if batch:
            _fail("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
        _fail("'valueInputOption' is required but not specified")
    if option not in _VALUE_INPUT:
        _enum_error("value_input_option", "ValueInputOption", option)
    return option == "USER_ENTERED"


def _store_value(old: Any, value: Any, user_entered: bool, i: int, j: int) -> Any:
    """The cell after writing one value into it; formats and validation stay."""
    t = type(value)
    number_format = None
    if t is str:
        if len(value) > MAX_CELL_CHARS:
            _fail(CELL_TOO_LONG)
        if user_entered:
            kind, v, number_format = _parse_user_entered(value)
        else:
            kind, v = ("v", value) if value else ("", None)
    elif t is bool:
        kind, v = "v", value
    elif t is int or t is float:
        if not math.isfinite(value):
            _fail(f"Invalid values[{i}][{j}]: {_proto_text(value)}")
        kind, v = "v", value
    else:
        _fail(f"Invalid values[{i}][{j}]: {_proto_text(value)}")
    if type(old) is dict:
        d = dict(old)
        d.pop("v", None)
        d.pop("f", None)
        d.pop("e", None)
    elif number_format is None:
        if kind == "v":
            return v
        return {"f": v} if kind == "f" else None
    else:
        d = {}
    if kind:
        d[kind] = v
    if number_format is not None:
        fmt = d.get("fmt") or {}
        if "numberFormat" not in fmt:
            d["fmt"] = {**fmt, "numberFormat": number_format}
    if "dv" in d:
        _coerce_checkbox(d)
    return _pack(d)


def _put_matrix(
    sheet: dict[str, Any], sr: int, sc: int, matrix: list[list[Any]], user_entered: bool
) -> int:
    """Write values from (sr, sc); None skips a cell. Returns the number of cells written."""
    rows = sheet["rows"]
    written = 0
    for i, values in enumerate(matrix):
        if not values:
            continue
        r = sr + i
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        end = sc + len(values)
        if len(row) < end:
            row.extend([None] * (end - len(row)))
        for j, value in enumerate(values):
            if value is None:
                continue
            c = sc + j
            old = row[c]
            if type(value) is str and not user_entered and type(old) is not dict:
                if len(value) > MAX_CELL_CHARS:
                    _fail(CELL_TOO_LONG)
                row[c] = value or None
            else:
                row[c] = _store_value(old, value, user_entered, i, j)
            written += 1
        while row and row[-1] is None:
            row.pop()
    _trim_rows(rows)
    return written


def _write_range(
    stored: dict[str, Any], range_: Any, matrix: list[list[Any]], user_entered: bool
) -> tuple[dict[str, Any], dict[str, Any], tuple[int, int, int, int]]:
    """values.update on a working copy: (sheet, UpdateValuesResponse, (sr, rows, sc, columns))."""
    t = _resolve(stored, range_)
    sr, sc = t.sr or 0, t.sc or 0
    nrows = len(matrix)
    ncols = max((len(row) for row in matrix), default=0)
    single = t.er is not None and t.ec is not None and t.er - sr == 1 and t.ec - sc == 1
    if not single and not t.whole:
        for i, row in enumerate(matrix):
            if t.er is not None and sr + i >= t.er and row:
                _fail(
                    f"Requested writing within range [{_cells_text(t)}], "
                    f"but tried writing to row [{sr + i + 1}]"
                )
            if t.ec is not None and sc + len(row) > t.ec:
                _fail(
                    f"Requested writing within range [{_cells_text(t)}], "
                    "but tried writing to column "
                    f"[{a1.column_letters(t.ec)}]"
                )
    rows, cols = _dims(t.sheet)
    if nrows and ncols and (sr + nrows > rows or sc + ncols > cols):
        _fail(
            _grid_limit_message(
                f"{t.label}!{a1.format_cells(sr, sr + nrows, sc, sc + ncols)}", t.sheet
            )
        )
    response: dict[str, Any] = {"spreadsheetId": stored["spreadsheetId"]}
    if not nrows or not ncols:
        response["updatedRange"] = _canonical(t.sheet, sr, sr + 1, sc, sc + 1)
        return t.sheet, response, (sr, 0, sc, 0)
    written = _put_matrix(t.sheet, sr, sc, matrix, user_entered)
    response.update(
        updatedRange=_canonical(t.sheet, sr, sr + nrows, sc, sc + ncols),
        updatedRows=nrows,
        updatedColumns=ncols,
        updatedCells=written,
    )
    return t.sheet, response, (sr, nrows, sc, ncols)


def _updated_data(
    stored: dict[str, Any],
    sheet: dict[str, Any],
    box: tuple[int, int, int, int],
    render: str = "FORMATTED_VALUE",
    dates: str = "SERIAL_NUMBER",
) -> dict[str, Any]:
    sr, nrows, sc, ncols = box
    nrows, ncols = max(nrows, 1), max(ncols, 1)
    out: dict[str, Any] = {
        "range": _canonical(sheet, sr, sr + nrows, sc, sc + ncols),
        "majorDimension": "ROWS",
    }
    rows = _read_rows(_Book(stored), sheet, sr, sr + nrows, sc, sc + ncols, render, dates)
    if rows:
        out["values"] = rows
    return out


def values_update(
    stored: dict[str, Any],
    range_: str,
    body: dict[str, Any],
    *,
    value_input_option: str,
    include_values_in_response: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """spreadsheets.values.update -> (new stored, UpdateValuesResponse)."""
    user_entered = _input_option(value_input_option)
    body = body or {}
    matrix = _matrix(body.get("values"), body.get("majorDimension"), "data.values")
    work = _clone(stored)
    sheet, response, box = _write_range(work, range_, matrix, user_entered)
    if include_values_in_response:
        response["updatedData"] = _updated_data(work, sheet, box)
    return work, response


def values_batch_update(
    stored: dict[str, Any], body: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """spreadsheets.values.batchUpdate -> (new stored, BatchUpdateValuesResponse)."""
    body = body or {}
    user_entered = _input_option(body.get("valueInputOption"), batch=True)
    render, dates = _check_read_options(
        "ROWS", body.get("responseValueRenderOption"), body.get("responseDateTimeRenderOption")
    )[1:]
    data = body.get("data") or []
    if not isinstance(data, list):
        _bad_list("data", data)
    work = _clone(stored)
    responses: list[dict[str, Any]] = []
    rows_seen: set[tuple[int, int]] = set()
    cols_seen: set[tuple[int, int]] = set()
    sheets_seen: set[int] = set()
    cells = 0
    for k, value_range in enumerate(data):
        if not isinstance(value_range, dict):
            _fail(
                f"Invalid value at 'data[{k}]' "
                f"(type.googleapis.com/google.apps.sheets.v4.ValueRange), {json.dumps(value_range)}"
            )
        matrix = _matrix(
            value_range.get("values"), value_range.get("majorDimension"), f"data[{k}].values"
        )
        sheet, response, box = _write_range(work, value_range.get("range"), matrix, user_entered)
        if body.get("includeValuesInResponse"):
            response["updatedData"] = _updated_data(work, sheet, box, render, dates)
        responses.append(response)
        sr, nrows, sc, ncols = box
        if nrows:
            sheet_id = sheet["properties"]["sheetId"]
            sheets_seen.add(sheet_id)
            rows_seen.update((sheet_id, r) for r in range(sr, sr + nrows))
            cols_seen.update((sheet_id, c) for c in range(sc, sc + ncols))
            cells += response.get("updatedCells", 0)
    out: dict[str, Any] = {"spreadsheetId": work["spreadsheetId"]}
    if responses:
        out.update(
            totalUpdatedRows=len(rows_seen),
            totalUpdatedColumns=len(cols_seen),
            totalUpdatedCells=cells,
            totalUpdatedSheets=len(sheets_seen),
            responses=responses,
        )
    return work, out


def _find_table(
    sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int
) -> tuple[int, int, int, int] | None:
    """The table values.append extends: the region of filled cells around the last filled cell
    of the search area (in reading order), grown while any neighbouring cell (diagonals too)
    holds a value. The last, not the first: appending `[a, "", c]` twice to a whole sheet lands
    the second row at C2 at Google (gspread's test_append_row_with_empty_value, issue #537)."""
    rows = sheet["rows"]
    start = None
    for r in range(min(er, len(rows)) - 1, sr - 1, -1):
        row = rows[r]
        for c in range(min(ec, len(row)) - 1, sc - 1, -1):
            if _has_value(row[c]):
                start = (r, c)
                break
        if start:
            break
    if start is None:
        return None
    _, cols = _dims(sheet)

    def row_filled(r: int, a: int, b: int) -> bool:
        return 0 <= r < len(rows) and any(_has_value(cell) for cell in rows[r][max(a, 0) : b])

    def col_filled(c: int, a: int, b: int) -> bool:
        if c < 0:
            return False
        for r in range(max(a, 0), min(b, len(rows))):
            row = rows[r]
            if c < len(row) and _has_value(row[c]):
                return True
        return False

    r0, c0 = start
    r1, c1 = r0 + 1, c0 + 1
    changed = True
    while changed:
        changed = False
        while r1 < len(rows) and row_filled(r1, c0 - 1, c1 + 1):
            r1 += 1
            changed = True
        while r0 > 0 and row_filled(r0 - 1, c0 - 1, c1 + 1):
            r0 -= 1
            changed = True
        while c1 < cols and col_filled(c1, r0 - 1, r1 + 1):
            c1 += 1
            changed = True
        while c0 > 0 and col_filled(c0 - 1, r0 - 1, r1 + 1):
            c0 -= 1
            changed = True
    return r0, r1, c0, c1


def values_append(
    stored: dict[str, Any],
    range_: str,
    body: dict[str, Any],
    *,
    value_input_option: str,
    insert_data_option: str = "OVERWRITE",
    include_values_in_response: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """spreadsheets.values.append: writes after the table found from the range; grows the grid."""
    user_entered = _input_option(value_input_option)
    insert = insert_data_option or "OVERWRITE"
    if insert not in ("OVERWRITE", "INSERT_ROWS"):
        _enum_error("insert_data_option", "InsertDataOption", insert)
    body = body or {}
    matrix = _matrix(body.get("values"), body.get("majorDimension"), "data.values")
    work = _clone(stored)
    t = _resolve(work, range_)
    sheet = t.sheet
    rows, cols = _dims(sheet)
    sr, sc = t.sr or 0, t.sc or 0
    # The search for a table stays inside the range: gspread's insert_rows appends at the empty
    # cell A{row} of a freshly inserted row and relies on the write landing right there.
    er = rows if t.er is None else min(t.er, rows)
    ec = cols if t.ec is None else min(t.ec, cols)
    table = _find_table(sheet, sr, er, sc, ec)
    at_row, at_col = (table[1], table[2]) if table else (sr, sc)
    nrows = len(matrix)
    ncols = max((len(row) for row in matrix), default=0)
    response: dict[str, Any] = {"spreadsheetId": work["spreadsheetId"]}
    if table:
        response["tableRange"] = _canonical(sheet, *table)
    updates: dict[str, Any] = {"spreadsheetId": work["spreadsheetId"]}
    if nrows and ncols:
        if insert == "INSERT_ROWS" and at_row < rows:
            _insert_dimension(work, sheet, "ROWS", at_row, nrows, None)
        grid = sheet["properties"]["gridProperties"]
        grid["rowCount"] = max(grid["rowCount"], at_row + nrows)
        grid["columnCount"] = max(grid["columnCount"], at_col + ncols)
        written = _put_matrix(sheet, at_row, at_col, matrix, user_entered)
        updates.update(
            updatedRange=_canonical(sheet, at_row, at_row + nrows, at_col, at_col + ncols),
            updatedRows=nrows,
            updatedColumns=ncols,
            updatedCells=written,
        )
        if include_values_in_response:
            updates["updatedData"] = _updated_data(work, sheet, (at_row, nrows, at_col, ncols))
    response["updates"] = updates
    try:
        check_grid_limits(work)  # append grows the grid
    except _RequestError as exc:
        _fail(str(exc))
    return work, response


def _clear_cells(sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int) -> None:
    rows = sheet["rows"]
    for r in range(sr, min(er, len(rows))):
        row = rows[r]
        for c in range(sc, min(ec, len(row))):
            cell = row[c]
            if type(cell) is dict:
                d = dict(cell)
                d.pop("v", None)
                d.pop("f", None)
                d.pop("e", None)
                row[c] = _pack(d)
            else:
                row[c] = None
        while row and row[-1] is None:
            row.pop()
    _trim_rows(rows)


def values_clear(stored: dict[str, Any], range_: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """spreadsheets.values.clear: values go, formats and validation stay."""
    work = _clone(stored)
    t = _resolve(work, range_)
    bounds = _read_bounds(t, prefix="")
    _clear_cells(t.sheet, *bounds)
    return work, {
        "spreadsheetId": work["spreadsheetId"],
        "clearedRange": _canonical(t.sheet, *bounds),
    }


def values_batch_clear(
    stored: dict[str, Any], body: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """spreadsheets.values.batchClear."""
    ranges = (body or {}).get("ranges") or []
    work = _clone(stored)
    cleared: list[str] = []
    for i, range_ in enumerate(ranges):
        t = _resolve(work, range_)
        bounds = _read_bounds(t, prefix=f"Invalid range[{i}]: ")
        _clear_cells(t.sheet, *bounds)
        cleared.append(_canonical(t.sheet, *bounds))
    out: dict[str, Any] = {"spreadsheetId": work["spreadsheetId"]}
    if cleared:
        out["clearedRanges"] = cleared
    return work, out
