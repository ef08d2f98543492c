"""The emulator's Sheets v4 spreadsheet model: stored form, values API, formulas and batchUpdate."""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple, NoReturn

from gdoc_sync.emulator.errors import InvalidArgument
from gdoc_sync.emulator.sheets import a1

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
    return bool(dv) and (dv.get("condition") or {}).get("type") == "BOOLEAN"


def _coerce_checkbox(d: dict[str, Any]) -> None:
    # A checkbox holds a boolean: the text TRUE/FALSE written into one becomes the boolean.
    v = d.get("v")
    if type(v) is str and v.upper() in ("TRUE", "FALSE") and _is_checkbox(d):
        d["v"] = v.upper() == "TRUE"


# ---------------------------------------------------------------------------------------------
# Parsing input as the UI does (USER_ENTERED)
# ---------------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(
    r"\s*([+-]?)\s*(\$?)\s*([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(\.\d*)?(?:[eE]([+-]?\d+))?\s*(%?)\s*",
    re.ASCII,
)
_ISO_DATE_RE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*", re.ASCII
)
_US_DATE_RE = re.compile(
    r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*", re.ASCII
)
_EPOCH = _dt.datetime(1899, 12, 30)


def _parse_number(text: str) -> tuple[int | float, dict[str, str] | None] | None:
    """`1,234.5`, `12%`, `-3`, `$5`, `1e3` -> (value, detected numberFormat), else None."""
    m = _NUMBER_RE.fullmatch(text)
    if not m:
        return None
    sign1, currency, sign2, int_part, frac, exp, pct = m.groups()
    if sign1 and sign2:
        return None
    digits = int_part.replace(",", "")
    frac_digits = (frac or "")[1:]
    if not digits and not frac_digits:
        return None
    if (currency and (exp is not None or pct)) or (exp is not None and pct):
        return None
    negative = "-" in (sign1 + sign2)
    value: int | float
    if frac is None and exp is None and not pct:
        value = int(digits)
        if abs(value) >= 2**53:
            value = float(value)
    else:
        value = float(
            (digits or "0") + "." + (frac_digits or "0") + (f"e{exp}" if exp is not None else "")
        )
    if negative:
        value = -value
    fmt: dict[str, str] | None = None
    if pct:
        value = value / 100
        fmt = {"type": "PERCENT", "pattern": "0.00%" if frac_digits else "0%"}
    elif currency:
        fmt = {"type": "CURRENCY", "pattern": '"$"#,##0.00'}
    elif exp is not None:
        fmt = {"type": "SCIENTIFIC", "pattern": "0.00E+00"}
    elif "," in int_part:
        fmt = {
            "type": "NUMBER",
            "pattern": "#,##0" + ("." + "0" * len(frac_digits) if frac_digits else ""),
        }
    return value, fmt


def _parse_date(text: str) -> tuple[int | float, dict[str, str]] | None:
    m = _ISO_DATE_RE.fullmatch(text)
    iso = m is not None
    if m is None:
        m = _US_DATE_RE.fullmatch(text)
        if m is None:
            return None
    g = m.groups()
    try:
        if iso:
            year, month, day = int(g[0]), int(g[1]), int(g[2])
        else:
            month, day, year = int(g[0]), int(g[1]), int(g[2])
        hour, minute, second = int(g[3] or 0), int(g[4] or 0), int(g[5] or 0)
        moment = _dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    delta = moment - _EPOCH
    has_time = g[3] is not None
    serial: int | float = delta.days + delta.seconds / 86400 if has_time else delta.days
    date_pattern = "yyyy-mm-dd" if iso else "m/d/yyyy"
    if has_time:
        return serial, {"type": "DATE_TIME", "pattern": date_pattern + " h:mm:ss"}
    return serial, {"type": "DATE", "pattern": date_pattern}


def _parse_user_entered(text: str) -> tuple[str, Any, dict[str, str] | None]:
    """Text typed into a cell -> ("v"|"f"|"", value, detected numberFormat)."""
    if not text:
        return "", None, None
    first = text[0]
    if first == "'":
        rest = text[1:]
        return ("v", rest, None) if rest else ("", None, None)
    if first == "=" and len(text) > 1:
        return "f", text, None
    digit = "0" <= first <= "9"
    if digit or first in "+-.$ \t":
        number = _parse_number(text)
        if number is not None:
            return "v", number[0], number[1]
        if digit:
            date = _parse_date(text)
            if date is not None:
                return "v", date[0], date[1]
    elif first in "tTfF" and len(text) in (4, 5):
        upper = text.upper()
        if upper == "TRUE" or upper == "FALSE":
            return "v", upper == "TRUE", None
    return "v", text, None


# ---------------------------------------------------------------------------------------------
# Formatting values for display (FORMATTED_VALUE, formattedValue)
# ---------------------------------------------------------------------------------------------

_DEFAULT_PATTERNS = {
    "NUMBER": "#,##0.00",
    "PERCENT": "0.00%",
    "CURRENCY": '"$"#,##0.00',
    "SCIENTIFIC": "0.00E+00",
    "DATE": "m/d/yyyy",
    "TIME": "h:mm:ss am/pm",
    "DATE_TIME": "m/d/yyyy h:mm:ss",
}


def _scientific(x: float, decimals: int, exp_digits: int = 2, trim: bool = False) -> str:
    text = f"{x:.{decimals}E}"
    mantissa, exponent = text.split("E")
    if trim and "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    e = int(exponent)
    return f"{mantissa}E{'+' if e >= 0 else '-'}{abs(e):0{exp_digits}d}"


def _general(x: Any) -> str:
    """A number as the Automatic format shows it."""
    if type(x) is int:
        if abs(x) < 10**15:
            return str(x)
        x = float(x)
    if not math.isfinite(x):
        return "#NUM!"
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    ax = abs(x)
    if ax >= 1e15 or ax < 1e-10:
        return _scientific(x, 5, trim=True)
    text = f"{round(x, 10):.15g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def _display_text(v: Any) -> str:
    """A value as text, as `&` and the Automatic format give it."""
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is _Err:
        return v.code
    return _general(v)


def _literal(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            end = len(text) if end < 0 else end
            out.append(text[i + 1 : end])
            i = end + 1
        elif ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif ch in "_*" and i + 1 < len(text):
            i += 2  # padding directives take the next character; nothing to draw here
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_NUMBER_PATTERN_RE = re.compile(
    r'(?P<pre>(?:"[^"]*"|\\.|[^#0?.,"\\])*?)'
    r"(?P<int>[#0?,]*[#0?])?(?:\.(?P<frac>[#0?]*))?(?<=[#0?.])"
    r"(?P<exp>E[+-]0+)?(?P<post>.*)",
    re.S,
)
_COLOR_OR_CONDITION_RE = re.compile(r"\[[^\]]*\]")


def _format_number(x: float, pattern: str) -> str:
    sections = pattern.split(";")
    section = sections[0]
    explicit_negative = False
    if x < 0 and len(sections) > 1 and sections[1]:
        section, explicit_negative = sections[1], True
    elif x == 0 and len(sections) > 2 and sections[2]:
        section = sections[2]
    section = _COLOR_OR_CONDITION_RE.sub("", section)
    m = _NUMBER_PATTERN_RE.fullmatch(section)
    if not m:
        return _literal(section) if section and "@" not in section else _general(x)
    pre, post = m.group("pre"), m.group("post")
    if "%" in pre + post:
        x = x * 100
    frac = m.group("frac") or ""
    min_dec, max_dec = frac.count("0"), len(frac)
    int_spec = m.group("int") or ""
    ax = -x if explicit_negative or x < 0 else x
    if m.group("exp"):
        body = _scientific(ax, max_dec, len(m.group("exp")) - 2)
    else:
        fixed = Decimal(repr(ax)).quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP)
        body = format(fixed, ",f" if "," in int_spec else "f")
        if max_dec > min_dec and "." in body:
            whole, dec = body.split(".")
            dec = dec.rstrip("0")
            dec = dec + "0" * (min_dec - len(dec)) if len(dec) < min_dec else dec
            body = whole + ("." + dec if dec else "")
        if "0" not in int_spec and body.startswith("0") and len(body) > 1 and body[1] == ".":
            body = body[1:]
    nonzero = any(ch in "123456789" for ch in body.split("E")[0])
    sign = "-" if x < 0 and not explicit_negative and nonzero else ""
    return f"{sign}{_literal(pre)}{body}{_literal(post)}"


_DATE_TOKEN_RE = re.compile(
    r'"[^"]*"|\\.|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+|.', re.I | re.S
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _format_date(serial: float, pattern: str) -> str:
    try:
        moment = _EPOCH + _dt.timedelta(days=serial)
    except OverflowError:
        return _general(serial)
    moment = (moment + _dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    tokens = _DATE_TOKEN_RE.findall(pattern)
    kinds = [t.lower() for t in tokens]
    twelve = any(k in ("am/pm", "a/p") for k in kinds)
    out: list[str] = []
    for i, (tok, k) in enumerate(zip(tokens, kinds, strict=True)):
        if k in ("m", "mm"):
            before = next((kinds[j] for j in range(i - 1, -1, -1) if kinds[j][0] in "hdsym"), "")
            after = next((kinds[j] for j in range(i + 1, len(kinds)) if kinds[j][0] in "hdsym"), "")
            if before.startswith("h") or after.startswith("s"):
                out.append(f"{moment.minute:02d}" if k == "mm" else str(moment.minute))
            else:
                out.append(f"{moment.month:02d}" if k == "mm" else str(moment.month))
        elif k == "yyyy":
            out.append(f"{moment.year:04d}")
        elif k == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif k == "mmmmm":
            out.append(_MONTHS[moment.month - 1][0])
        elif k == "mmmm":
            out.append(_MONTHS[moment.month - 1])
        elif k == "mmm":
            out.append(_MONTHS[moment.month - 1][:3])
        elif k == "dddd":
            out.append(_DAYS[moment.weekday()])
        elif k == "ddd":
            out.append(_DAYS[moment.weekday()][:3])
        elif k in ("dd", "d"):
            out.append(f"{moment.day:02d}" if k == "dd" else str(moment.day))
        elif k in ("hh", "h"):
            hour = moment.hour % 12 or 12 if twelve else moment.hour
            out.append(f"{hour:02d}" if k == "hh" else str(hour))
        elif k in ("ss", "s"):
            out.append(f"{moment.second:02d}" if k == "ss" else str(moment.second))
        elif k == "am/pm":
            out.append("AM" if moment.hour < 12 else "PM")
        elif k == "a/p":
            out.append("A" if moment.hour < 12 else "P")
        elif k.startswith(".0"):
            out.append("." + "0" * (len(k) - 1))
        else:
            out.append(_literal(tok))
    return "".join(out)


def _format_value(v: Any, number_format: dict[str, Any] | None) -> str:
    """formattedValue of an effective value under a cell's numberFormat."""
    t = type(v)
    if t is str:
        return v
    if v is None:
        return ""
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is _Err:
        return v.code
    if not number_format:
        return _general(v)
    kind = number_format.get("type") or "NUMBER"
    pattern = number_format.get("pattern") or _DEFAULT_PATTERNS.get(kind)
    if kind == "TEXT" or not pattern:
        return _general(v)
    if kind in _DATE_TYPES:
        return _format_date(float(v), pattern)
    try:
        return _format_number(float(v), pattern)
    except (ValueError, OverflowError):
        return _general(v)


# ---------------------------------------------------------------------------------------------
# Formulas: a modest evaluator (arithmetic, comparisons, & and a handful of functions). A formula
# it cannot evaluate (IMPORTXML, array literals...) gets no effective value, shown as empty.
# ---------------------------------------------------------------------------------------------


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


class _Unsupported(Exception):
    """The formula uses something this evaluator does not do."""


class _Raise(Exception):
    """Carries an error value up through an evaluation."""

    def __init__(self, err: _Err) -> None:
        super().__init__(err.code)
        self.err = err


_UNSUPPORTED = object()

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<func>[A-Za-z_][A-Za-z0-9_.]*)(?=\s*\()
  | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?
        (?:\$?[A-Za-z]{1,3}\$?[0-9]+(?::\$?[A-Za-z]{1,3}\$?[0-9]*)?
          |\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?:\$?[0-9]+)?
          |\$?[0-9]+:\$?[0-9]+)(?![A-Za-z0-9_(]))
  | (?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<err>\#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|ERROR!))
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%(),;{}])
    """,
    re.X,
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise _Unsupported(text[pos:])
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append((kind, m.group(kind)))
    return tokens


def _ref_node(text: str) -> tuple[Any, ...]:
    sheet: str | None = None
    if "!" in text:
        cut = text.rfind("!")
        sheet, text = text[:cut], text[cut + 1 :]
        if sheet.startswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
    bounds = a1.parse_cells(text.replace("$", ""))
    if bounds is None:
        raise _Unsupported(text)
    return ("ref", sheet, *bounds)


class _Parser:
    """Recursive descent; precedence as in Sheets: comparison < & < +- < */ < ^ < unary."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        if self.take() != ("op", value):
            raise _Unsupported(value)

    def parse(self) -> tuple[Any, ...]:
        node = self.comparison()
        if self.peek()[0] != "end":
            raise _Unsupported(self.peek()[1])
        return node

    def comparison(self) -> tuple[Any, ...]:
        node = self.concat()
        while self.peek()[0] == "op" and self.peek()[1] in ("=", "<>", "<", ">", "<=", ">="):
            op = self.take()[1]
            node = ("bin", op, node, self.concat())
        return node

    def concat(self) -> tuple[Any, ...]:
        node = self.additive()
        while self.peek() == ("op", "&"):
            self.take()
            node = ("bin", "&", node, self.additive())
        return node

    def additive(self) -> tuple[Any, ...]:
        node = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = ("bin", op, node, self.term())
        return node

    def term(self) -> tuple[Any, ...]:
        node = self.power()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = ("bin", op, node, self.power())
        return node

    def power(self) -> tuple[Any, ...]:
        node = self.unary()
        while self.peek() == ("op", "^"):
            self.take()
            node = ("bin", "^", node, self.unary())
        return node

    def unary(self) -> tuple[Any, ...]:
        tok = self.peek()
        if tok == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        if tok == ("op", "+"):
            self.take()
            return self.unary()
        node = self.primary()
        while self.peek() == ("op", "%"):
            self.take()
            node = ("pct", node)
        return node

    def primary(self) -> tuple[Any, ...]:
        kind, text = self.take()
        if kind == "num":
            return ("lit", float(text) if any(c in text for c in ".eE") else int(text))
        if kind == "str":
            return ("lit", text[1:-1].replace('""', '"'))
        if kind == "err":
            return ("lit", _Err(text))
        if kind == "ref":
            return _ref_node(text)
        if kind == "name":
            upper = text.upper()
            if upper in ("TRUE", "FALSE"):
                return ("lit", upper == "TRUE")
            return ("name", text)
        if kind == "func":
            self.expect("(")
            args: list[tuple[Any, ...]] = []
            if self.peek() != ("op", ")"):
                while True:
                    if self.peek()[0] == "op" and self.peek()[1] in (",", ")"):
                        args.append(("lit", None))
                    else:
                        args.append(self.comparison())
                    if self.peek()[0] == "op" and self.peek()[1] in (",", ";"):
                        self.take()
                        continue
                    break
            self.expect(")")
            return ("fn", text.upper(), args)
        if (kind, text) == ("op", "("):
            node = self.comparison()
            self.expect(")")
            return node
        raise _Unsupported(text)


@functools.lru_cache(maxsize=4096)
def _parse_formula(text: str) -> tuple[Any, ...]:
    return _Parser(_tokenize(text[1:])).parse()


class _Range:
    """A rectangle of cells referenced by a formula, clipped to its sheet's grid."""

    __slots__ = ("book", "ec", "er", "sc", "sheet", "sr")

    def __init__(
        self, book: _Book, sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int
    ) -> None:
        self.book, self.sheet, self.sr, self.er, self.sc, self.ec = book, sheet, sr, er, sc, ec

    @property
    def size(self) -> int:
        return max(0, self.er - self.sr) * max(0, self.ec - self.sc)

    def first(self) -> Any:
        return self.book.value_at(self.sheet, self.sr, self.sc)

    def values(self) -> Iterator[Any]:
        """The values of the stored cells in the range, row by row; empty cells come as None."""
        rows = self.sheet["rows"]
        for r in range(self.sr, min(self.er, len(rows))):
            row = rows[r]
            for c in range(self.sc, min(self.ec, len(row))):
                yield self.book.value_at(self.sheet, r, c)

    def matrix(self) -> list[list[Any]]:
        return [
            [self.book.value_at(self.sheet, r, c) for c in range(self.sc, self.ec)]
            for r in range(self.sr, self.er)
        ]


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


def _error_from_extended(ev: Any) -> _Err:
    ev = ev if isinstance(ev, dict) else {}
    return _Err(_ERROR_CODES.get(ev.get("type", "ERROR"), "#ERROR!"), ev.get("message", ""))


def _scalar(v: Any) -> Any:
    if type(v) is _Range:
        if v.size == 1:
            v = v.first()
        else:
            raise _Unsupported("array result")
    if v is _UNSUPPORTED:
        raise _Unsupported("depends on an unsupported formula")
    return v


def _value(v: Any) -> Any:
    v = _scalar(v)
    if type(v) is _Err:
        raise _Raise(v)
    return v


def _to_number(v: Any, fn: str = "ADD", arg: int = 1) -> float | int:
    v = _value(v)
    if v is None:
        return 0
    t = type(v)
    if t is bool:
        return 1 if v else 0
    if t is int or t is float:
        return v
    parsed = _parse_number(v) or _parse_date(v)
    if parsed is None:
        raise _Raise(
            _Err(
                "#VALUE!",
                f"Function {fn} parameter {arg} expects number values. "
                f"But '{v}' is a text and cannot be coerced to a number.",
            )
        )
    return parsed[0]


def _to_bool(v: Any) -> bool:
    v = _value(v)
    if v is None:
        return False
    if type(v) is str:
        if v.upper() in ("TRUE", "FALSE"):
            return v.upper() == "TRUE"
        raise _Raise(
            _Err(
                "#VALUE!",
                f"Function IF parameter 1 expects boolean values. "
                f"But '{v}' is a text and cannot be coerced to a boolean.",
            )
        )
    return bool(v)


def _type_rank(v: Any) -> int:
    t = type(v)
    if t is bool:
        return 2
    if t is str:
        return 1
    return 0


def _compare(a: Any, b: Any) -> int:
    """Sheets' ordering: numbers < text < booleans; text compares case-insensitively."""
    if a is None:
        a = "" if type(b) is str else False if type(b) is bool else 0
    if b is None:
        b = "" if type(a) is str else False if type(a) is bool else 0
    ra, rb = _type_rank(a), _type_rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


def _binary(op: str, left: Any, right: Any) -> Any:
    if op == "&":
        return _display_text(_value(left)) + _display_text(_value(right))
    if op in ("=", "<>", "<", ">", "<=", ">="):
        cmp = _compare(_value(left), _value(right))
        return {
            "=": cmp == 0,
            "<>": cmp != 0,
            "<": cmp < 0,
            ">": cmp > 0,
            "<=": cmp <= 0,
            ">=": cmp >= 0,
        }[op]
    names = {"+": "ADD", "-": "MINUS", "*": "MULTIPLY", "/": "DIVIDE", "^": "POW"}
    a, b = _to_number(left, names[op], 1), _to_number(right, names[op], 2)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise _Raise(_Err("#DIV/0!", "Function DIVIDE parameter 2 cannot be zero."))
        result = a / b
        return int(result) if type(a) is int and type(b) is int and a % b == 0 else result
    try:
        result = a**b
    except (OverflowError, ZeroDivisionError):
        raise _Raise(_Err("#NUM!", "Function POW parameter 1 value is invalid.")) from None
    if isinstance(result, complex):
        raise _Raise(_Err("#NUM!", "Function POW parameter 1 value is invalid."))
    return result


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
                target = _sheet_by_id(book.stored, gr.get("sheetId", 0))
                if target is None:
                    raise _Raise(_Err("#REF!", "Reference does not exist."))
                return _range_of(
                    book,
                    target,
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


def _numbers(args: tuple[Any, ...], fn: str) -> Iterator[float | int]:
    """Numbers of the arguments as SUM takes them: text and booleans inside ranges are skipped."""
    for i, arg in enumerate(args, 1):
        if type(arg) is _Range:
            for v in arg.values():
                t = type(v)
                if t is _Err:
                    raise _Raise(v)
                if v is _UNSUPPORTED:
                    raise _Unsupported(fn)
                if (t is int or t is float) and t is not bool:
                    yield v
        else:
            yield _to_number(arg, fn, i)


def _fn_sum(*args: Any) -> Any:
    return sum(_numbers(args, "SUM"))


def _fn_average(*args: Any) -> Any:
    nums = list(_numbers(args, "AVERAGE"))
    if not nums:
        raise _Raise(
            _Err("#DIV/0!", "Evaluation of function AVERAGE caused a divide by zero error.")
        )
    return sum(nums) / len(nums)


def _fn_min(*args: Any) -> Any:
    return min(_numbers(args, "MIN"), default=0)


def _fn_max(*args: Any) -> Any:
    return max(_numbers(args, "MAX"), default=0)


def _fn_count(*args: Any) -> int:
    count = 0
    for arg in args:
        if type(arg) is _Range:
            count += sum(1 for v in arg.values() if type(v) in (int, float))
        else:
            v = _scalar(arg)
            if type(v) in (int, float) or (type(v) is str and _parse_number(v)):
                count += 1
    return count


def _fn_counta(*args: Any) -> int:
    count = 0
    for arg in args:
        if type(arg) is _Range:
            count += sum(1 for v in arg.values() if v is not None)
        elif _scalar(arg) is not None:
            count += 1
    return count


def _fn_countblank(rng: Any) -> int:
    if type(rng) is not _Range:
        return 1 if _value(rng) in (None, "") else 0
    filled = sum(1 for v in rng.values() if v is not None and v != "")
    return rng.size - filled


def _criterion(criterion: Any) -> Callable[[Any], bool]:
    """COUNTIF's criterion: a value, or text such as ">5", "<>x", "a*"."""
    criterion = _value(criterion)
    if type(criterion) is not str:
        wanted = _type_rank(criterion)
        return lambda v: v is not None and _type_rank(v) == wanted and _compare(v, criterion) == 0
    m = re.match(r"(<=|>=|<>|<|>|=)?(.*)", criterion, re.S)
    op, operand = (m.group(1) or "="), m.group(2)
    number = _parse_number(operand) if operand else None
    if number is not None:
        target = number[0]

        def numeric(v: Any) -> bool:
            if type(v) not in (int, float):
                return op == "<>"
            cmp = (v > target) - (v < target)
            return {
                "=": cmp == 0,
                "<>": cmp != 0,
                "<": cmp < 0,
                ">": cmp > 0,
                "<=": cmp <= 0,
                ">=": cmp >= 0,
            }[op]

        return numeric
    if op in ("=", "<>"):
        if operand == "":
            return (
                (lambda v: v is None or v == "")
                if op == "="
                else (lambda v: v is not None and v != "")
            )
        pattern = re.compile(
            "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in operand),
            re.I | re.S,
        )

        def textual(v: Any) -> bool:
            hit = v is not None and bool(pattern.fullmatch(_display_text(v)))
            return hit if op == "=" else not hit

        return textual

    def ordered(v: Any) -> bool:
        if type(v) is not str:
            return False
        cmp = _compare(v, operand)
        return {"<": cmp < 0, ">": cmp > 0, "<=": cmp <= 0, ">=": cmp >= 0}[op]

    return ordered


def _fn_countif(rng: Any, criterion: Any) -> int:
    test = _criterion(criterion)
    if type(rng) is not _Range:
        return int(test(_value(rng)))
    matched = sum(1 for v in rng.values() if test(v))
    if test(None):  # cells past the stored data are empty too
        stored = sum(1 for _ in rng.values())
        matched += rng.size - stored
    return matched


def _fn_sumif(rng: Any, criterion: Any, sum_range: Any = None) -> Any:
    test = _criterion(criterion)
    if type(rng) is not _Range:
        raise _Unsupported("SUMIF")
    target = sum_range if type(sum_range) is _Range else rng
    total: float | int = 0
    for i, row in enumerate(rng.matrix()):
        for j, v in enumerate(row):
            if test(v):
                w = target.book.value_at(target.sheet, target.sr + i, target.sc + j)
                if type(w) in (int, float):
                    total += w
    return total


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


def _fn_and(*args: Any) -> bool:
    return all(_bools(args))


def _fn_or(*args: Any) -> bool:
    return any(list(_bools(args)))


def _bools(args: tuple[Any, ...]) -> Iterator[bool]:
    for arg in args:
        if type(arg) is _Range:
            for v in arg.values():
                if type(v) is _Err:
                    raise _Raise(v)
                if type(v) in (bool, int, float):
                    yield bool(v)
        else:
            yield _to_bool(arg)


def _fn_round(x: Any, digits: Any = 0) -> Any:
    value, places = _to_number(x, "ROUND"), int(_to_number(digits, "ROUND", 2))
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(rounded) if places > 0 else int(rounded)


def _fn_rows(rng: Any) -> int:
    if type(rng) is not _Range:
        return 1
    return rng.er - rng.sr


def _fn_columns(rng: Any) -> int:
    if type(rng) is not _Range:
        return 1
    return rng.ec - rng.sc


def _fn_hyperlink(url: Any, label: Any = None) -> Any:
    return _display_text(_value(url if label is None else label))


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "SUM": _fn_sum,
    "AVERAGE": _fn_average,
    "MIN": _fn_min,
    "MAX": _fn_max,
    "COUNT": _fn_count,
    "COUNTA": _fn_counta,
    "COUNTBLANK": _fn_countblank,
    "COUNTIF": _fn_countif,
    "SUMIF": _fn_sumif,
    "AND": _fn_and,
    "OR": _fn_or,
    "NOT": lambda v: not _to_bool(v),
    "CONCATENATE": lambda *a: "".join(_display_text(_value(v)) for v in a),
    "CONCAT": lambda a, b: _display_text(_value(a)) + _display_text(_value(b)),
    "LEN": lambda v: len(_display_text(_value(v))),
    "UPPER": lambda v: _display_text(_value(v)).upper(),
    "LOWER": lambda v: _display_text(_value(v)).lower(),
    "TRIM": lambda v: re.sub(" +", " ", _display_text(_value(v)).strip(" ")),
    "ROUND": _fn_round,
    "ABS": lambda v: abs(_to_number(v, "ABS")),
    "ISBLANK": lambda v: _scalar(v) is None,
    "ISNUMBER": lambda v: type(_scalar(v)) in (int, float),
    "ISTEXT": lambda v: type(_scalar(v)) is str,
    "ROWS": _fn_rows,
    "COLUMNS": _fn_columns,
    "HYPERLINK": _fn_hyperlink,
}
_LAZY_FUNCTIONS: dict[str, Callable[[list[Any], _Book, dict[str, Any]], Any]] = {
    "IF": _lazy_if,
    "IFERROR": _lazy_iferror,
}


# ---------------------------------------------------------------------------------------------
# Spreadsheet structure
# ---------------------------------------------------------------------------------------------


class _RequestError(Exception):
    """A batchUpdate request is invalid; batch_update prefixes the request's place and kind."""


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


def _trim_rows(rows: list[list[Any]]) -> None:
    while rows and not rows[-1]:
        rows.pop()


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


# ---------------------------------------------------------------------------------------------
# Field masks and CellData
# ---------------------------------------------------------------------------------------------

_NO_FIELDS = "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"


def _parse_mask(fields: Any) -> list[list[str]]:
    """`a.b,c/d,e(f,g)` -> [["a","b"], ["c","d"], ["e","f"], ["e","g"]]."""
    if not isinstance(fields, str) or not fields.strip():
        raise _RequestError(_NO_FIELDS)
    paths: list[list[str]] = []
    pos = 0

    def parse_list(prefix: list[str]) -> None:
        nonlocal pos
        while True:
            start = pos
            while pos < len(fields) and fields[pos] not in ",()":
                pos += 1
            name = fields[start:pos].strip()
            parts = prefix + [p for p in re.split(r"[./]", name) if p]
            if pos < len(fields) and fields[pos] == "(":
                pos += 1
                parse_list(parts)
                if pos < len(fields) and fields[pos] == ")":
                    pos += 1
            elif name:
                paths.append(parts)
            if pos < len(fields) and fields[pos] == ",":
                pos += 1
                continue
            return

    parse_list([])
    if not paths:
        raise _RequestError(_NO_FIELDS)
    return paths


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


# ---------------------------------------------------------------------------------------------
# GridRanges, dimensions and the things that move with them
# ---------------------------------------------------------------------------------------------


def _sheet_for(stored: dict[str, Any], sheet_id: Any) -> dict[str, Any]:
    sheet = _sheet_by_id(stored, sheet_id if sheet_id is not None else 0)
    if sheet is None:
        raise _RequestError(f"No grid with id: {sheet_id if sheet_id is not None else 0}")
    return sheet


def _grid_bounds(
    stored: dict[str, Any], grid_range: Any
) -> tuple[dict[str, Any], int, int, int, int]:
    """A GridRange -> (sheet, sr, er, sc, ec) clipped to the grid; one that starts past it fails."""
    gr = grid_range if isinstance(grid_range, dict) else {}
    sheet = _sheet_for(stored, gr.get("sheetId", 0))
    rows, cols = _dims(sheet)
    sr, er = gr.get("startRowIndex"), gr.get("endRowIndex")
    sc, ec = gr.get("startColumnIndex"), gr.get("endColumnIndex")
    for key in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"):
        if gr.get(key) is not None:
            _check_int(gr[key], f"range.{key}")
    if (sr is not None and sr >= rows and (er is None or er > sr)) or (
        sc is not None and sc >= cols and (ec is None or ec > sc)
    ):
        named = dict(gr)
        if sc is None and ec is None:  # an open row range still names its columns
            named.update(startColumnIndex=0, endColumnIndex=cols)
        raise _RequestError(_grid_limit_message(a1.grid_range_to_a1(_title(sheet), named), sheet))
    sr0, sc0 = sr or 0, sc or 0
    er0 = rows if er is None else min(er, rows)
    ec0 = cols if ec is None else min(ec, cols)
    return sheet, sr0, max(er0, sr0), sc0, max(ec0, sc0)


def _full_grid_range(sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int) -> dict[str, Any]:
    return {
        "sheetId": sheet["properties"]["sheetId"],
        "startRowIndex": sr,
        "endRowIndex": er,
        "startColumnIndex": sc,
        "endColumnIndex": ec,
    }


def _dimension_bounds(
    stored: dict[str, Any], dim_range: Any
) -> tuple[dict[str, Any], str, int, int, int]:
    """A DimensionRange -> (sheet, dimension, start, end, count); end defaults to the count."""
    if not isinstance(dim_range, dict):
        raise _RequestError("range must be set.")
    sheet = _sheet_for(stored, dim_range.get("sheetId", 0))
    dimension = dim_range.get("dimension")
    if dimension not in _DIMENSIONS:
        raise _RequestError("range.dimension must be ROWS or COLUMNS.")
    rows, cols = _dims(sheet)
    count = rows if dimension == "ROWS" else cols
    start = _check_int(dim_range.get("startIndex", 0), "range.startIndex")
    end = dim_range.get("endIndex")
    end = count if end is None else _check_int(end, "range.endIndex")
    return sheet, dimension, start, end, count


def _dimension_a1(sheet: dict[str, Any], dimension: str, start: int, end: int) -> str:
    if dimension == "ROWS":
        return a1.format_range(_title(sheet), start, end, None, None)
    return a1.format_range(_title(sheet), None, None, start, end)


def _check_dimension_start(
    sheet: dict[str, Any], dimension: str, start: int, end: int, count: int
) -> None:
    if start >= count and end > start:
        raise _RequestError(_grid_limit_message(_dimension_a1(sheet, dimension, start, end), sheet))


def _transform_ranges(
    stored: dict[str, Any],
    sheet: dict[str, Any],
    move: Callable[[dict[str, Any]], dict[str, Any] | None],
) -> None:
    """Re-address every GridRange kept for the sheet after rows or columns moved."""
    sheet_id = sheet["properties"]["sheetId"]

    def multi_cell(gr: dict[str, Any] | None) -> bool:
        if gr is None:
            return False
        height = gr.get("endRowIndex", 1) - gr.get("startRowIndex", 0)
        width = gr.get("endColumnIndex", 1) - gr.get("startColumnIndex", 0)
        return height * width > 1

    if sheet.get("merges"):
        sheet["merges"] = [m for m in (move(g) for g in sheet["merges"]) if multi_cell(m)]
    if sheet.get("protectedRanges"):
        kept = []
        for protected in sheet["protectedRanges"]:
            if "range" in protected:
                moved = move(protected["range"])
                if moved is None:
                    continue
                protected["range"] = moved
            if protected.get("unprotectedRanges"):
                protected["unprotectedRanges"] = [
                    g for g in map(move, protected["unprotectedRanges"]) if g
                ]
            kept.append(protected)
        sheet["protectedRanges"] = kept
    if sheet.get("conditionalFormats"):
        rules = []
        for rule in sheet["conditionalFormats"]:
            rule["ranges"] = [g for g in map(move, rule.get("ranges") or []) if g]
            if rule["ranges"]:
                rules.append(rule)
        sheet["conditionalFormats"] = rules
    if sheet.get("basicFilter"):
        moved = move(sheet["basicFilter"].get("range") or {})
        if moved is None:
            sheet.pop("basicFilter")
        else:
            sheet["basicFilter"]["range"] = moved
    named_ranges = []
    for named in stored.get("namedRanges", []):
        gr = named.get("range") or {}
        if gr.get("sheetId", 0) == sheet_id:
            moved = move(gr)
            if moved is None:
                continue
            named["range"] = moved
        named_ranges.append(named)
    stored["namedRanges"] = named_ranges


def _index_keys(dimension: str) -> tuple[str, str]:
    return (
        ("startRowIndex", "endRowIndex")
        if dimension == "ROWS"
        else ("startColumnIndex", "endColumnIndex")
    )


def _move_meta(sheet: dict[str, Any], dimension: str, move: Callable[[int], int | None]) -> None:
    key = "rowMeta" if dimension == "ROWS" else "colMeta"
    meta = sheet.get(key)
    if not meta:
        return
    moved: dict[str, Any] = {}
    for index, props in meta.items():
        new_index = move(int(index))
        if new_index is not None:
            moved[str(new_index)] = props
    sheet[key] = moved


def _format_only(cell: Any) -> Any:
    """What an inserted row or column inherits from its neighbour: format and validation."""
    if type(cell) is not dict:
        return None
    return _pack({k: cell[k] for k in ("fmt", "dv") if k in cell})


def _insert_dimension(
    stored: dict[str, Any],
    sheet: dict[str, Any],
    dimension: str,
    at: int,
    n: int,
    inherit_from: int | None,
) -> None:
    rows = sheet["rows"]
    grid = sheet["properties"]["gridProperties"]
    if dimension == "ROWS":
        template: list[Any] = []
        if inherit_from is not None and inherit_from < len(rows):
            template = [_format_only(cell) for cell in rows[inherit_from]]
            while template and template[-1] is None:
                template.pop()
        if at < len(rows) or template:
            while len(rows) < at:
                rows.append([])
            rows[at:at] = [list(template) for _ in range(n)]
        _trim_rows(rows)
        grid["rowCount"] += n
    else:
        for row in rows:
            fill = (
                _format_only(row[inherit_from])
                if inherit_from is not None and inherit_from < len(row)
                else None
            )
            if at < len(row) or fill is not None:
                if len(row) < at:
                    row.extend([None] * (at - len(row)))
                row[at:at] = [fill] * n
            while row and row[-1] is None:
                row.pop()
        grid["columnCount"] += n
    start_key, end_key = _index_keys(dimension)

    def shift(gr: dict[str, Any]) -> dict[str, Any]:
        out = dict(gr)
        if out.get(start_key) is not None and out[start_key] >= at:
            out[start_key] += n
        if out.get(end_key) is not None and out[end_key] > at:
            out[end_key] += n
        return out

    _transform_ranges(stored, sheet, shift)
    _move_meta(sheet, dimension, lambda i: i + n if i >= at else i)
    if sheet.get(_groups_key(dimension)):
        # Rows or columns inserted inside a group join it; at its edge they stay outside.
        depths = _depths(sheet, dimension, _dims(sheet)[dimension != "ROWS"] - n)
        inside = min(depths[at - 1], depths[at]) if 0 < at < len(depths) else 0
        depths[at:at] = [inside] * n
        _store_groups(sheet, dimension, depths)


def _delete_dimension(
    stored: dict[str, Any], sheet: dict[str, Any], dimension: str, start: int, end: int
) -> None:
    rows = sheet["rows"]
    grid = sheet["properties"]["gridProperties"]
    n = end - start
    if dimension == "ROWS":
        del rows[start:end]
        _trim_rows(rows)
        grid["rowCount"] -= n
        if grid.get("frozenRowCount", 0) >= grid["rowCount"]:
            grid["frozenRowCount"] = max(grid["rowCount"] - 1, 0)
    else:
        for row in rows:
            del row[start:end]
            while row and row[-1] is None:
                row.pop()
        _trim_rows(rows)
        grid["columnCount"] -= n
        if grid.get("frozenColumnCount", 0) >= grid["columnCount"]:
            grid["frozenColumnCount"] = max(grid["columnCount"] - 1, 0)
    for key in ("frozenRowCount", "frozenColumnCount"):
        if key in grid and not grid[key]:
            del grid[key]
    start_key, end_key = _index_keys(dimension)

    def squeeze(index: int) -> int:
        return index if index <= start else start if index <= end else index - n

    def cut(gr: dict[str, Any]) -> dict[str, Any] | None:
        out = dict(gr)
        s, e = out.get(start_key), out.get(end_key)
        if s is not None:
            out[start_key] = squeeze(s)
        if e is not None:
            out[end_key] = squeeze(e)
            if out[end_key] <= out.get(start_key, 0):
                return None
        return out

    _transform_ranges(stored, sheet, cut)
    _move_meta(sheet, dimension, lambda i: None if start <= i < end else (i - n if i >= end else i))
    if sheet.get(_groups_key(dimension)):
        depths = _depths(sheet, dimension, _dims(sheet)[dimension != "ROWS"] + n)
        del depths[start:end]
        _store_groups(sheet, dimension, depths)


# ---------------------------------------------------------------------------------------------
# batchUpdate
# ---------------------------------------------------------------------------------------------

_Handler = Callable[[dict[str, Any], dict[str, Any]], "dict[str, Any] | None"]
_HANDLERS: dict[str, _Handler] = {}

# Every request kind the real API has, to tell "unsupported here" from "no such request".
_KNOWN_REQUESTS = frozenset(
    """addBanding addChart addCommentReply addConditionalFormatRule addDataSource addDimensionGroup
    addFilterView addNamedRange addProtectedRange addSheet addSlicer addTable appendCells
    appendDimension autoFill autoResizeDimensions cancelDataSourceRefresh clearBasicFilter copyPaste
    createDeveloperMetadata cutPaste deleteBanding deleteComment deleteCommentReply
    deleteConditionalFormatRule deleteDataSource deleteDeveloperMetadata deleteDimension
    deleteDimensionGroup deleteDuplicates deleteEmbeddedObject deleteFilterView deleteNamedRange
    deleteProtectedRange deleteRange deleteSheet deleteTable duplicateFilterView duplicateSheet
    findReplace insertComment insertDimension insertRange mergeCells moveDimension pasteData
    randomizeRange refreshDataSource repeatCell setBasicFilter setDataValidation sortRange
    textToColumns trimWhitespace unmergeCells updateBanding updateBorders updateCells
    updateChartSpec updateCommentPost updateConditionalFormatRule updateDataSource
    updateDeveloperMetadata updateDimensionGroup updateDimensionProperties
    updateEmbeddedObjectBorder updateEmbeddedObjectPosition updateFilterView updateNamedRange
    updateProtectedRange updateSheetProperties updateSlicerSpec updateSpreadsheetProperties
    updateTable""".split()
)


def _request(name: str) -> Callable[[_Handler], _Handler]:
    def register(fn: _Handler) -> _Handler:
        _HANDLERS[name] = fn
        return fn

    return register


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


@_request("addSheet")
def _add_sheet_request(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    sheet = _add_sheet(s, p.get("properties") or {})
    return {"addSheet": {"properties": copy.deepcopy(sheet["properties"])}}


@_request("deleteSheet")
def _delete_sheet(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet = _sheet_for(s, p.get("sheetId"))
    if len(s["sheets"]) == 1:
        raise _RequestError("You can't remove all the sheets in a document.")
    if all(other["properties"].get("hidden") for other in s["sheets"] if other is not sheet):
        raise _RequestError("You can't remove all the visible sheets in a document.")
    s["sheets"].remove(sheet)
    sheet_id = sheet["properties"]["sheetId"]
    s["namedRanges"] = [
        n for n in s.get("namedRanges", []) if (n.get("range") or {}).get("sheetId", 0) != sheet_id
    ]
    _reindex(s)


@_request("duplicateSheet")
def _duplicate_sheet(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    source = _sheet_for(s, p.get("sourceSheetId"))
    title = p.get("newSheetName")
    if not title:
        title = f"Copy of {_title(source)}"
        n = 2
        while _sheet_by_title(s, title) is not None:
            title = f"Copy {n} of {_title(source)}"
            n += 1
    elif _sheet_by_title(s, title) is not None:
        raise _RequestError(_duplicate_title(title))
    taken = {other["properties"]["sheetId"] for other in s["sheets"]}
    new_id = p.get("newSheetId")
    if new_id is None:
        new_id = _new_id(s, taken)
    elif _check_int(new_id, "newSheetId") in taken:
        raise _RequestError(f"A sheet with id {new_id} already exists.")
    index = p.get("insertSheetIndex")
    index = (
        source["properties"]["index"] + 1
        if index is None
        else min(_check_int(index, "insertSheetIndex"), len(s["sheets"]))
    )
    copy_ = {
        k: ([list(row) for row in v] if k == "rows" else copy.deepcopy(v))
        for k, v in source.items()
    }
    props = copy_["properties"]
    props.update(sheetId=new_id, title=title, index=index)
    props.pop("hidden", None)
    copy_["properties"] = _normalize_sheet_properties(props)
    for merge in copy_.get("merges", []):
        merge["sheetId"] = new_id
    for rule in copy_.get("conditionalFormats", []):
        for gr in rule.get("ranges", []):
            gr["sheetId"] = new_id
    if copy_.get("basicFilter"):
        copy_["basicFilter"].setdefault("range", {})["sheetId"] = new_id
    protected = copy_.pop("protectedRanges", [])
    for chart in copy_.get("charts", []):
        chart["chartId"] = _new_id(s, _object_ids(s))
        anchor = ((chart.get("position") or {}).get("overlayPosition") or {}).get("anchorCell")
        if anchor is not None:
            anchor["sheetId"] = new_id
    s["sheets"].insert(index, copy_)
    _reindex(s)
    for item in protected:
        item.pop("protectedRangeId", None)
        if "range" in item:
            item["range"]["sheetId"] = new_id
        _add_protected_range(s, item)
    return {"duplicateSheet": {"properties": copy.deepcopy(copy_["properties"])}}


@_request("updateSheetProperties")
def _update_sheet_properties(s: dict[str, Any], p: dict[str, Any]) -> None:
    source = p.get("properties") or {}
    paths = _parse_mask(p.get("fields"))
    sheet = _sheet_for(s, source.get("sheetId", 0))
    old = sheet["properties"]
    new = _apply_mask(copy.deepcopy(old), source, paths)
    new["sheetId"] = old["sheetId"]
    title = new.get("title")
    if title != old["title"]:
        if not isinstance(title, str) or not title.strip():
            raise _RequestError("The sheet name cannot be empty.")
        if _sheet_by_title(s, title, exclude=sheet) is not None:
            raise _RequestError(_duplicate_title(title))
    if new.get("hidden") and all(
        o["properties"].get("hidden") for o in s["sheets"] if o is not sheet
    ):
        raise _RequestError("You can't hide all the sheets in a document.")
    grid = new.setdefault("gridProperties", {})
    grid.setdefault("rowCount", old["gridProperties"]["rowCount"])
    grid.setdefault("columnCount", old["gridProperties"]["columnCount"])
    if new.get("index") is None:
        new["index"] = old["index"]
    normalized = _normalize_sheet_properties(new)
    _check_grid_properties(normalized)
    rows, cols = _dims(sheet)
    new_rows, new_cols = (
        normalized["gridProperties"]["rowCount"],
        normalized["gridProperties"]["columnCount"],
    )
    if new_rows < 1 or new_cols < 1:
        raise _RequestError(
            "You can't delete all the rows on the sheet."
            if new_rows < 1
            else "You can't delete all the columns on the sheet."
        )
    if new_rows < rows:
        _delete_dimension(s, sheet, "ROWS", new_rows, rows)
    if new_cols < cols:
        _delete_dimension(s, sheet, "COLUMNS", new_cols, cols)
    sheet["properties"] = normalized
    target = _check_int(normalized["index"], "index")
    sheets = s["sheets"]
    current = sheets.index(sheet)
    # Google counts the target index before the move: to put S1 after S2 you ask for 2.
    target = min(target, len(sheets))
    if target not in (current, current + 1):
        sheets.pop(current)
        sheets.insert(target if target < current else target - 1, sheet)
    _reindex(s)


@_request("updateSpreadsheetProperties")
def _update_spreadsheet_properties(s: dict[str, Any], p: dict[str, Any]) -> None:
    paths = _parse_mask(p.get("fields"))
    props = _apply_mask(s["properties"], p.get("properties") or {}, paths)
    if not props.get("title"):
        raise _RequestError("The spreadsheet title cannot be empty.")
    s["properties"] = props


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


def _all_protected(s: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for sheet in s["sheets"]:
        for protected in sheet.get("protectedRanges", []):
            yield sheet, protected


def _add_protected_range(s: dict[str, Any], protected: dict[str, Any]) -> dict[str, Any]:
    if protected.get("range") is not None:
        sheet = _grid_bounds(s, protected["range"])[0]
        protected["range"] = {"sheetId": sheet["properties"]["sheetId"], **protected["range"]}
    elif protected.get("namedRangeId"):
        named = next(
            (
                n
                for n in s.get("namedRanges", [])
                if n.get("namedRangeId") == protected["namedRangeId"]
            ),
            None,
        )
        if named is None:
            raise _RequestError(f"No named range with id: {protected['namedRangeId']}")
        sheet = _sheet_for(s, (named.get("range") or {}).get("sheetId", 0))
    else:
        raise _RequestError("A protected range must have a range or a namedRangeId.")
    taken = {item.get("protectedRangeId") for _, item in _all_protected(s)}
    given = protected.get("protectedRangeId")
    if given is not None and given in taken:
        raise _RequestError(f"A protected range with id {given} already exists.")
    stored_range: dict[str, Any] = {
        "protectedRangeId": given if given is not None else _new_id(s, taken)
    }
    for key in ("range", "namedRangeId", "description"):
        if protected.get(key):
            stored_range[key] = protected[key]
    if protected.get("warningOnly"):
        stored_range["warningOnly"] = True
    stored_range["requestingUserCanEdit"] = True
    for key in ("unprotectedRanges", "editors"):
        if protected.get(key):
            stored_range[key] = protected[key]
    sheet.setdefault("protectedRanges", []).append(stored_range)
    return stored_range


@_request("addProtectedRange")
def _add_protected_range_request(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    added = _add_protected_range(s, copy.deepcopy(p.get("protectedRange") or {}))
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(added)}}


def _find_protected(s: dict[str, Any], protected_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    for sheet, protected in _all_protected(s):
        if protected.get("protectedRangeId") == protected_id:
            return sheet, protected
    raise _RequestError(f"No protected range with id: {protected_id}")


@_request("updateProtectedRange")
def _update_protected_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    source = p.get("protectedRange") or {}
    paths = _parse_mask(p.get("fields"))
    sheet, protected = _find_protected(s, source.get("protectedRangeId"))
    updated = _apply_mask(copy.deepcopy(protected), source, paths)
    updated["protectedRangeId"] = protected["protectedRangeId"]
    sheet["protectedRanges"].remove(protected)
    try:
        _add_protected_range(s, updated)
    except _RequestError:
        sheet["protectedRanges"].append(protected)
        raise


@_request("deleteProtectedRange")
def _delete_protected_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, protected = _find_protected(s, p.get("protectedRangeId"))
    sheet["protectedRanges"].remove(protected)
    if not sheet["protectedRanges"]:
        del sheet["protectedRanges"]


# Docs Editors Help, "Name a range": only letters, numbers and underscores, not starting with a
# number; not TRUE or FALSE; not an A1 or R1C1 reference; 1 to 250 characters.
_NAMED_RANGE_NAME = re.compile(r"[^\W\d]\w*")


def _add_named_range(s: dict[str, Any], named: dict[str, Any]) -> dict[str, Any]:
    name = named.get("name")
    if (
        not isinstance(name, str)
        or not _NAMED_RANGE_NAME.fullmatch(name)
        or a1.parse_cells(name) is not None
        or re.fullmatch(r"[Rr][0-9]*[Cc][0-9]*", name)
        or name.upper() in ("TRUE", "FALSE")
        or len(name) > MAX_NAMED_RANGE_NAME
    ):
        raise _RequestError(f'The name "{name}" is not a valid range name.')
    if any(n.get("name", "").casefold() == name.casefold() for n in s.get("namedRanges", [])):
        raise _RequestError(f'A named range with the name "{name}" already exists.')
    gr = named.get("range") or {}
    sheet = _grid_bounds(s, gr)[0]
    taken = {n.get("namedRangeId") for n in s.get("namedRanges", [])}
    named_id = named.get("namedRangeId") or str(
        _new_id(s, {int(t) for t in taken if str(t).isdigit()})
    )
    if named_id in taken:
        raise _RequestError(f"A named range with id {named_id} already exists.")
    entry = {
        "namedRangeId": named_id,
        "name": name,
        "range": {"sheetId": sheet["properties"]["sheetId"], **gr},
    }
    s.setdefault("namedRanges", []).append(entry)
    return entry


@_request("addNamedRange")
def _add_named_range_request(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    entry = _add_named_range(s, copy.deepcopy(p.get("namedRange") or {}))
    return {"addNamedRange": {"namedRange": copy.deepcopy(entry)}}


@_request("updateNamedRange")
def _update_named_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    source = p.get("namedRange") or {}
    paths = _parse_mask(p.get("fields"))
    ranges = s.get("namedRanges", [])
    current = next((n for n in ranges if n.get("namedRangeId") == source.get("namedRangeId")), None)
    if current is None:
        raise _RequestError(f"No named range with id: {source.get('namedRangeId')}")
    updated = _apply_mask(copy.deepcopy(current), source, paths)
    ranges.remove(current)
    try:
        _add_named_range(s, updated)
    except _RequestError:
        ranges.append(current)
        raise


@_request("deleteNamedRange")
def _delete_named_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    ranges = s.get("namedRanges", [])
    for named in ranges:
        if named.get("namedRangeId") == p.get("namedRangeId"):
            ranges.remove(named)
            return
    raise _RequestError(f"No named range with id: {p.get('namedRangeId')}")


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
    area = (sr, er, sc, ec)
    kept = []
    for merge in sheet.get("merges", []):
        bounds = _merge_bounds(merge)
        if not _overlaps(bounds, area):
            kept.append(merge)
        elif not _inside(bounds, area):
            raise _RequestError(_PARTIAL_MERGE)
    kept.extend(
        _full_grid_range(sheet, *box) for box in boxes if (box[1] - box[0]) * (box[3] - box[2]) > 1
    )
    sheet["merges"] = kept


@_request("unmergeCells")
def _unmerge_cells(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, sr, er, sc, ec = _grid_bounds(s, p.get("range"))
    area = (sr, er, sc, ec)
    kept = []
    for merge in sheet.get("merges", []):
        bounds = _merge_bounds(merge)
        if not _overlaps(bounds, area):
            kept.append(merge)
        elif not _inside(bounds, area):
            raise _RequestError(_PARTIAL_MERGE)
    if kept:
        sheet["merges"] = kept
    else:
        sheet.pop("merges", None)


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


# -- charts -------------------------------------------------------------------------------------


def _object_ids(s: dict[str, Any]) -> set[int]:
    """Ids of embedded objects (charts), which share one space per spreadsheet."""
    return {chart["chartId"] for sheet in s["sheets"] for chart in sheet.get("charts", [])}


def _find_chart(s: dict[str, Any], chart_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    for sheet in s["sheets"]:
        for chart in sheet.get("charts", []):
            if chart["chartId"] == chart_id:
                return sheet, chart
    raise _RequestError(f"No chart with id: {chart_id}")


def _check_chart_spec(s: dict[str, Any], spec: Any) -> None:
    """Every source range of a chart must lie on an existing grid (as the API checks)."""
    if not isinstance(spec, dict) or not spec:
        raise _RequestError("chart.spec must be set.")
    basic = spec.get("basicChart")
    if basic is None:
        return
    parts = [d.get("domain") for d in basic.get("domains") or []]
    parts += [x.get("series") for x in basic.get("series") or []]
    for data in parts:
        for source in ((data or {}).get("sourceRange") or {}).get("sources") or []:
            _grid_bounds(s, source)


@_request("addChart")
def _add_chart(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    chart = copy.deepcopy(p.get("chart") or {})
    _check_chart_spec(s, chart.get("spec"))
    taken = _object_ids(s)
    chart_id = chart.get("chartId")
    if chart_id is None:
        chart_id = _new_id(s, taken | {sh["properties"]["sheetId"] for sh in s["sheets"]})
    elif _check_int(chart_id, "chart.chartId") in taken:
        raise _RequestError(f"An object with id {chart_id} already exists.")
    position = chart.get("position") or {}
    overlay = position.get("overlayPosition")
    if not overlay or "anchorCell" not in overlay:
        raise _RequestError(
            "chart.position: only overlayPosition with an anchorCell is supported by the "
            "gdoc-sync emulator."
        )
    anchor = overlay["anchorCell"]
    sheet = _sheet_for(s, anchor.get("sheetId", 0))
    rows, cols = _dims(sheet)
    if anchor.get("rowIndex", 0) >= rows or anchor.get("columnIndex", 0) >= cols:
        raise _RequestError("chart.position.overlayPosition.anchorCell is outside the grid.")
    anchor["sheetId"] = sheet["properties"]["sheetId"]
    stored = {"chartId": chart_id, "spec": chart["spec"], "position": {"overlayPosition": overlay}}
    if chart.get("border"):
        stored["border"] = chart["border"]
    sheet.setdefault("charts", []).append(stored)
    return {"addChart": {"chart": copy.deepcopy(stored)}}


@_request("updateChartSpec")
def _update_chart_spec(s: dict[str, Any], p: dict[str, Any]) -> None:
    _, chart = _find_chart(s, p.get("chartId"))
    _check_chart_spec(s, p.get("spec"))
    chart["spec"] = copy.deepcopy(p["spec"])


@_request("deleteEmbeddedObject")
def _delete_embedded_object(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, chart = _find_chart(s, p.get("objectId"))
    sheet["charts"].remove(chart)
    if not sheet["charts"]:
        del sheet["charts"]


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
    dest = p.get("destination") if isinstance(p.get("destination"), dict) else {}
    dest_sheet = _sheet_for(s, dest.get("sheetId", 0))
    dr = _check_int(dest.get("rowIndex", 0), "destination.rowIndex")
    dc = _check_int(dest.get("columnIndex", 0), "destination.columnIndex")
    kind = p.get("pasteType") or "PASTE_NORMAL"
    _paste(s, p.get("source"), dest_sheet, dr, dc, (1, 1), kind, False, cut=True)


# -- row and column groups ------------------------------------------------------------------


def _groups_key(dimension: str) -> str:
    return "rowGroups" if dimension == "ROWS" else "columnGroups"


def _dimension_group_range(
    s: dict[str, Any], p: dict[str, Any]
) -> tuple[dict[str, Any], str, int, int]:
    sheet, dimension, start, end, _ = _dimension_bounds(s, p.get("range"))
    if end <= start:
        raise _RequestError("range must span at least one row or column.")
    return sheet, dimension, start, end


def _group_json(
    sheet: dict[str, Any], dimension: str, start: int, end: int, depth: int
) -> dict[str, Any]:
    return {
        "range": {
            "sheetId": sheet["properties"]["sheetId"],
            "dimension": dimension,
            "startIndex": start,
            "endIndex": end,
        },
        "depth": depth,
    }


def _regroup(sheet: dict[str, Any], dimension: str, depths: list[int]) -> list[dict[str, Any]]:
    """Groups from per-index depths: each maximal run at depth >= d is one group of depth d."""
    groups = []
    top = max(depths, default=0)
    for d in range(1, top + 1):
        start = None
        for i, depth in enumerate([*depths, 0]):
            if depth >= d and start is None:
                start = i
            elif depth < d and start is not None:
                groups.append(_group_json(sheet, dimension, start, i, d))
                start = None
    groups.sort(key=lambda g: (g["range"]["startIndex"], g["depth"]))
    return groups


def _depths(sheet: dict[str, Any], dimension: str, size: int) -> list[int]:
    depths = [0] * size
    for group in sheet.get(_groups_key(dimension)) or []:
        rng = group["range"]
        for i in range(rng["startIndex"], min(rng["endIndex"], size)):
            depths[i] = max(depths[i], group["depth"])
    return depths


def _store_groups(sheet: dict[str, Any], dimension: str, depths: list[int]) -> list[dict[str, Any]]:
    groups = _regroup(sheet, dimension, depths)
    if groups:
        sheet[_groups_key(dimension)] = groups
    else:
        sheet.pop(_groups_key(dimension), None)
    return groups


@_request("addDimensionGroup")
def _add_dimension_group(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """Group rows or columns: the range's depth grows by one (nested groups, as the reference
    of AddDimensionGroupRequest describes); the reply lists every group after the change."""
    sheet, dimension, start, end = _dimension_group_range(s, p)
    rows, cols = _dims(sheet)
    depths = _depths(sheet, dimension, rows if dimension == "ROWS" else cols)
    for i in range(start, end):
        depths[i] += 1
    return {"addDimensionGroup": {"dimensionGroups": _store_groups(sheet, dimension, depths)}}


@_request("deleteDimensionGroup")
def _delete_dimension_group(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """Ungroup: the depth of every index in the range drops by one."""
    sheet, dimension, start, end = _dimension_group_range(s, p)
    rows, cols = _dims(sheet)
    depths = _depths(sheet, dimension, rows if dimension == "ROWS" else cols)
    if not any(depths[start:end]):
        raise _RequestError("No dimension group exists in the given range.")
    for i in range(start, end):
        depths[i] = max(0, depths[i] - 1)
    return {"deleteDimensionGroup": {"dimensionGroups": _store_groups(sheet, dimension, depths)}}


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
