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
from decimal import Decimal
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
        {"colorType": "ACCENT1", "color": {"rgbColor": {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}}},
        {"colorType": "ACCENT2", "color": {"rgbColor": {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}}},
        {"colorType": "ACCENT3", "color": {"rgbColor": {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}}},
        {"colorType": "ACCENT4", "color": {"rgbColor": {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}}},
        {"colorType": "ACCENT5", "color": {"rgbColor": {"red": 1, "green": 0.42745098, "blue": 0.003921569}}},
        {"colorType": "ACCENT6", "color": {"rgbColor": {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}}},
        {"colorType": "LINK", "color": {"rgbColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}}},
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
    message = f"Invalid value at '{field}' (type.googleapis.com/google.apps.sheets.v4.{proto}), {json.dumps(value)}"
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
        return ("f", text) if isinstance(text, str) and text else ("", None)
    if "stringValue" in ev:
        text = ev["stringValue"]
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
    r"\s*([+-]?)\s*(\$?)\s*([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(\.\d*)?(?:[eE]([+-]?\d+))?\s*(%?)\s*"
)
_ISO_DATE_RE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*")
_US_DATE_RE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*")
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
        value = float((digits or "0") + "." + (frac_digits or "0") + (f"e{exp}" if exp is not None else ""))
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
        fmt = {"type": "NUMBER", "pattern": "#,##0" + ("." + "0" * len(frac_digits) if frac_digits else "")}
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
    if first.isdigit() or first in "+-.$ \t":
        number = _parse_number(text)
        if number is not None:
            return "v", number[0], number[1]
        if first.isdigit():
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
    r'(?P<pre>(?:"[^"]*"|\\.|[^#0?.,"\\])*?)(?P<int>[#0?,]*[#0?])?(?:\.(?P<frac>[#0?]*))?'
    r"(?P<exp>E[+-]0+)?(?P<post>.*)",
    re.S,
)


def _format_number(x: float, pattern: str) -> str:
    sections = pattern.split(";")
    section = sections[0]
    explicit_negative = False
    if x < 0 and len(sections) > 1 and sections[1]:
        section, explicit_negative = sections[1], True
    elif x == 0 and len(sections) > 2 and sections[2]:
        section = sections[2]
    m = _NUMBER_PATTERN_RE.fullmatch(section)
    if not m or (m.group("int") is None and m.group("frac") is None):
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
        body = f"{ax:,.{max_dec}f}" if "," in int_spec else f"{ax:.{max_dec}f}"
        if max_dec > min_dec and "." in body:
            whole, dec = body.split(".")
            dec = dec.rstrip("0")
            dec = dec + "0" * (min_dec - len(dec)) if len(dec) < min_dec else dec
            body = whole + ("." + dec if dec else "")
        if "0" not in int_spec and body.startswith("0") and len(body) > 1 and body[1] == ".":
            body = body[1:]
    sign = "-" if x < 0 and not explicit_negative and float(body.replace(",", "").split("E")[0] or 0) != 0 else ""
    return f"{sign}{_literal(pre)}{body}{_literal(post)}"


_DATE_TOKEN_RE = re.compile(
    r'"[^"]*"|\\.|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+|.', re.I | re.S
)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
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
    for i, (tok, k) in enumerate(zip(tokens, kinds)):
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
    """Recursive descent over the tokens; precedence as Sheets: comparison < & < +- < */ < ^ < unary."""

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

    __slots__ = ("book", "sheet", "sr", "er", "sc", "ec")

    def __init__(self, book: _Book, sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int) -> None:
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
            return _Err("#REF!", "Circular dependency detected. To resolve with iterative calculation, see File > Settings.")
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
                f"Function {fn} parameter {arg} expects number values. But '{v}' is a text and cannot be coerced to a number.",
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
        raise _Raise(_Err("#VALUE!", f"Function IF parameter 1 expects boolean values. But '{v}' is a text and cannot be coerced to a boolean."))
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
        return {"=": cmp == 0, "<>": cmp != 0, "<": cmp < 0, ">": cmp > 0, "<=": cmp <= 0, ">=": cmp >= 0}[op]
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
        raise _Raise(_Err("#DIV/0!", "Evaluation of function AVERAGE caused a divide by zero error."))
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
        return lambda v: v is not None and type(v) is type(criterion) and v == criterion or (
            type(criterion) in (int, float) and type(v) in (int, float) and v == criterion
        )
    m = re.match(r"(<=|>=|<>|<|>|=)?(.*)", criterion, re.S)
    op, operand = (m.group(1) or "="), m.group(2)
    number = _parse_number(operand) if operand else None
    if number is not None:
        target = number[0]

        def numeric(v: Any) -> bool:
            if type(v) not in (int, float):
                return op == "<>"
            cmp = (v > target) - (v < target)
            return {"=": cmp == 0, "<>": cmp != 0, "<": cmp < 0, ">": cmp > 0, "<=": cmp <= 0, ">=": cmp >= 0}[op]

        return numeric
    if op in ("=", "<>"):
        if operand == "":
            return (lambda v: v is None or v == "") if op == "=" else (lambda v: v is not None and v != "")
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
    chosen = args[1] if _to_bool(_evaluate(args[0], book, sheet)) else (args[2] if len(args) == 3 else ("lit", False))
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
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding="ROUND_HALF_UP")
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
    "TRIM": lambda v: " ".join(_display_text(_value(v)).split(" ")).strip() and re.sub(
        " +", " ", _display_text(_value(v)).strip(" ")
    ),
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
        {k: ([list(row) for row in v] if k == "rows" else copy.deepcopy(v)) for k, v in sheet.items()}
        for sheet in stored["sheets"]
    ]
    return out


def _sheet_by_id(stored: dict[str, Any], sheet_id: Any) -> dict[str, Any] | None:
    for sheet in stored["sheets"]:
        if sheet["properties"]["sheetId"] == sheet_id:
            return sheet
    return None


def _sheet_by_title(stored: dict[str, Any], title: str, *, exclude: Any = None) -> dict[str, Any] | None:
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
    grid: dict[str, Any] = {"rowCount": grid_in.get("rowCount", DEFAULT_ROWS),
                            "columnCount": grid_in.get("columnCount", DEFAULT_COLUMNS)}
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
        if key not in out and key not in ("hidden", "rightToLeft", "gridProperties") and value is not None:
            out[key] = value
    return out


def _check_int(value: Any, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _RequestError(f"{what} must be an integer of at least {minimum}, got {json.dumps(value)}.")
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


def _add_sheet(stored: dict[str, Any], props_in: dict[str, Any], *, default_id: int | None = None) -> dict[str, Any]:
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
        sheet_id = default_id if default_id is not None and default_id not in taken else _new_id(stored, taken)
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
            sheet = next((s for s in stored["sheets"] if not s["properties"].get("hidden")), stored["sheets"][0])
            return _Target(sheet, ref.start_row, ref.end_row, ref.start_col, ref.end_col, a1.quote_sheet(_title(sheet)), False)
        sheet = _sheet_by_title(stored, ref.sheet)
        if sheet is not None:
            return _Target(
                sheet, ref.start_row, ref.end_row, ref.start_col, ref.end_col, ref.sheet_text or "", ref.whole_sheet
            )
    # A title may itself contain '!' or look like anything; a bare match of the whole text wins.
    sheet = _sheet_by_title(stored, text)
    if sheet is not None:
        return _Target(sheet, None, None, None, None, text, True)
    for named in stored.get("namedRanges", []):
        if named.get("name", "").casefold() == text.casefold():
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


def _read_bounds(t: _Target, *, prefix: str = "Unable to parse range: ") -> tuple[int, int, int, int]:
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


def _display(book: _Book, sheet: dict[str, Any], r: int, c: int, cell: dict[str, Any], render: str, dates: str) -> Any:
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


def _read_rows(book: _Book, sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int, render: str, dates: str) -> list[list[Any]]:
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


def _value_range(book: _Book, stored: dict[str, Any], range_: Any, major: str, render: str, dates: str) -> dict[str, Any]:
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
    major, render, dates = _check_read_options(major_dimension, value_render_option, date_time_render_option)
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
    major, render, dates = _check_read_options(major_dimension, value_render_option, date_time_render_option)
    out: dict[str, Any] = {"spreadsheetId": stored["spreadsheetId"]}
    if ranges:
        book = _Book(stored)
        out["valueRanges"] = [_value_range(book, stored, r, major, render, dates) for r in ranges]
    return out
