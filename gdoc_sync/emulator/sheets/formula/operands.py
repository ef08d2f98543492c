"""What a formula computes with: ranges, coercions between values, comparison and the
binary operators, and the signals an evaluation raises."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gdoc_sync.emulator.sheets.cells import _ERROR_CODES, _Err
from gdoc_sync.emulator.sheets.formatting import _display_text, _parse_date, _parse_number

if TYPE_CHECKING:
    from gdoc_sync.emulator.sheets.formula.evaluator import _Book


class _Unsupported(Exception):
    """The formula uses something this evaluator does not do."""


class _Raise(Exception):
    """Carries an error value up through an evaluation."""

    def __init__(self, err: _Err) -> None:
        super().__init__(err.code)
        self.err = err


_UNSUPPORTED = object()


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


def _holds(op: str, cmp: int) -> bool:
    """Whether a comparison operator (=, <>, <, >, <=, >=) holds for a three-way result."""
    return {
        "=": cmp == 0,
        "<>": cmp != 0,
        "<": cmp < 0,
        ">": cmp > 0,
        "<=": cmp <= 0,
        ">=": cmp >= 0,
    }[op]


def _binary(op: str, left: Any, right: Any) -> Any:
    if op == "&":
        return _display_text(_value(left)) + _display_text(_value(right))
    if op in ("=", "<>", "<", ">", "<=", ">="):
        return _holds(op, _compare(_value(left), _value(right)))
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
