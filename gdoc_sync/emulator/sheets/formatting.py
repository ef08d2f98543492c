"""Values as the Sheets UI reads and shows them: USER_ENTERED parsing (numbers, dates,
percentages) and FORMATTED_VALUE display of numbers and dates by their number format."""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gdoc_sync.emulator.sheets.cells import _DATE_TYPES, _Err

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
