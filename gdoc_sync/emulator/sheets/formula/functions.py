"""The spreadsheet functions the evaluator knows (SUM, COUNTIF, ROUND...), by name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gdoc_sync.emulator.sheets.cells import _Err
from gdoc_sync.emulator.sheets.formatting import _display_text, _parse_number
from gdoc_sync.emulator.sheets.formula.operands import (
    _UNSUPPORTED,
    _compare,
    _holds,
    _Raise,
    _Range,
    _scalar,
    _to_bool,
    _to_number,
    _type_rank,
    _Unsupported,
    _value,
)


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
    assert m is not None  # every text matches (.*)
    op, operand = (m.group(1) or "="), m.group(2)
    number = _parse_number(operand) if operand else None
    if number is not None:
        target = number[0]

        def numeric(v: Any) -> bool:
            if type(v) not in (int, float):
                return op == "<>"
            return _holds(op, (v > target) - (v < target))

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
        return _holds(op, _compare(v, operand))

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
