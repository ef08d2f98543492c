"""How a spreadsheet is stored: the stored form, Google's limits and defaults, cells and their
error values."""

from __future__ import annotations

import copy
import json
import math
from typing import Any, NoReturn

from gdoc_sync.emulator.errors import InvalidArgument

# ---------------------------------------------------------------------------------------------
# Stored form
#
# stored = {"format", "spreadsheetId", "properties", "sheets": [sheet, ...] (in index order),
#           "namedRanges": [...], "seq": counter behind the generated ids}
# sheet  = {"properties": SheetProperties as rendered, "rows": [[cell, ...], ...],
#           optional "merges", "protectedRanges", "conditionalFormats", "basicFilter",
#           "rowMeta"/"colMeta": {"<index>": DimensionProperties}}
# A cell is None (empty), a bare str/int/float/bool (a value with nothing else set), or a dict
# with any of "v" (value), "f" (formula text), "e" (errorValue), "fmt" (userEnteredFormat),
# "dv" (dataValidation), "note", "x" (other CellData fields kept verbatim).
# Rows and cells are trimmed of trailing empties. Cells are never mutated in place, so a working
# copy only needs fresh row lists: that keeps a 10,000-row write cheap.
# ---------------------------------------------------------------------------------------------

FORMAT_VERSION = 1
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100
SPREADSHEET_URL = "https://docs.google.com/spreadsheets/d/{}/edit"
# Google's limits (support.google.com/drive/answer/37603, "Files you can store in Google Drive":
# up to 10 million cells or 18,278 columns (column ZZZ), 50,000 characters in a cell).
MAX_CELL_CHARS = 50_000
MAX_CELLS = 10_000_000
MAX_COLUMNS = 18_278
MAX_NAMED_RANGE_NAME = 250  # Docs Editors Help, "Name a range": 1-250 characters
CELL_TOO_LONG = (
    f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell."
)
TOO_MANY_CELLS = (
    "This action would increase the number of cells in the workbook above the limit of "
    f"{MAX_CELLS} cells."
)
TOO_MANY_COLUMNS = (
    "This action would increase the number of columns in the sheet above the limit of "
    f"{MAX_COLUMNS} columns."
)

# As a new spreadsheet reports them (recorded from the live API).
_DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": "TEXT", "color": {"rgbColor": {}}},
        {"colorType": "BACKGROUND", "color": {"rgbColor": {"red": 1, "green": 1, "blue": 1}}},
        {
            "colorType": "ACCENT1",
            "color": {"rgbColor": {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}},
        },
        {
            "colorType": "ACCENT2",
            "color": {"rgbColor": {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}},
        },
        {
            "colorType": "ACCENT3",
            "color": {"rgbColor": {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}},
        },
        {
            "colorType": "ACCENT4",
            "color": {"rgbColor": {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}},
        },
        {
            "colorType": "ACCENT5",
            "color": {"rgbColor": {"red": 1, "green": 0.42745098, "blue": 0.003921569}},
        },
        {
            "colorType": "ACCENT6",
            "color": {"rgbColor": {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}},
        },
        {
            "colorType": "LINK",
            "color": {"rgbColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}},
        },
    ],
}

_VALUE_INPUT = ("RAW", "USER_ENTERED")
_VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
_DATE_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")
_DIMENSIONS = ("ROWS", "COLUMNS")
_DATE_TYPES = ("DATE", "TIME", "DATE_TIME")
_MISSING = object()


def _fail(message: str) -> NoReturn:
    raise InvalidArgument(message)


def _enum_error(field: str, proto: str, value: Any) -> NoReturn:
    message = (
        f"Invalid value at '{field}' (type.googleapis.com/google.apps.sheets.v4.{proto}), "
        f"{json.dumps(value)}"
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


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------


def _as_dict(cell: Any) -> dict[str, Any]:
    if cell is None:
        return {}
    if type(cell) is dict:
        return dict(cell)
    return {"v": cell}


def _pack(d: dict[str, Any]) -> Any:
    if not d:
        return None
    if len(d) == 1 and "v" in d:
        return d["v"]
    return d


def _has_value(cell: Any) -> bool:
    if cell is None:
        return False
    if type(cell) is dict:
        return "v" in cell or "f" in cell or "e" in cell
    return True


def _num_out(x: Any) -> Any:
    # Google's JSON writes 3.0 as 3.
    if type(x) is float and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def _extended(cell: Any) -> dict[str, Any] | None:
    """A stored cell's userEnteredValue (ExtendedValue)."""
    t = type(cell)
    if t is str:
        return {"stringValue": cell}
    if t is bool:
        return {"boolValue": cell}
    if t is int or t is float:
        return {"numberValue": _num_out(cell)}
    if t is dict:
        if "f" in cell:
            return {"formulaValue": cell["f"]}
        if "e" in cell:
            return {"errorValue": copy.deepcopy(cell["e"])}
        if "v" in cell:
            return _extended(cell["v"])
    return None


def _from_extended(ev: Any) -> tuple[str, Any]:
    """An ExtendedValue to ("v"|"f"|"e", value), or ("", None) for no value."""
    if not isinstance(ev, dict) or not ev:
        return "", None
    if "formulaValue" in ev:
        text = ev["formulaValue"]
        if isinstance(text, str) and len(text) > MAX_CELL_CHARS:
            raise _RequestError(CELL_TOO_LONG)
        return ("f", text) if isinstance(text, str) and text else ("", None)
    if "stringValue" in ev:
        text = ev["stringValue"]
        if isinstance(text, str) and len(text) > MAX_CELL_CHARS:
            raise _RequestError(CELL_TOO_LONG)
        return ("v", text) if isinstance(text, str) and text else ("", None)
    if "numberValue" in ev:
        num = ev["numberValue"]
        if isinstance(num, str):
            try:
                num = float(num)
            except ValueError:
                _fail(f"Invalid value at 'numberValue' (TYPE_DOUBLE), {json.dumps(num)}")
        if isinstance(num, bool) or not isinstance(num, (int, float)) or not math.isfinite(num):
            _fail(f"Invalid value at 'numberValue' (TYPE_DOUBLE), {json.dumps(num)}")
        return "v", num
    if "boolValue" in ev:
        return "v", bool(ev["boolValue"])
    if "errorValue" in ev:
        return "e", copy.deepcopy(ev["errorValue"])
    return "", None


def _is_checkbox(d: dict[str, Any]) -> bool:
    dv = d.get("dv")
    return bool(dv) and ((dv or {}).get("condition") or {}).get("type") == "BOOLEAN"


def _coerce_checkbox(d: dict[str, Any]) -> None:
    # A checkbox holds a boolean: the text TRUE/FALSE written into one becomes the boolean.
    v = d.get("v")
    if type(v) is str and v.upper() in ("TRUE", "FALSE") and _is_checkbox(d):
        d["v"] = v.upper() == "TRUE"


class _Err:
    """A spreadsheet error value such as #DIV/0!."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str = "") -> None:
        self.code = code
        self.message = message

    def extended(self) -> dict[str, str]:
        out = {"type": _ERROR_TYPES.get(self.code, "ERROR")}
        if self.message:
            out["message"] = self.message
        return out


_ERROR_TYPES = {
    "#NULL!": "NULL_VALUE",
    "#DIV/0!": "DIV_BY_ZERO",
    "#VALUE!": "VALUE",
    "#REF!": "REF",
    "#NAME?": "NAME",
    "#NUM!": "NUM",
    "#N/A": "N_A",
    "#ERROR!": "ERROR",
}
_ERROR_CODES = {v: k for k, v in _ERROR_TYPES.items()}


class _RequestError(Exception):
    """A batchUpdate request is invalid; batch_update prefixes the request's place and kind."""
