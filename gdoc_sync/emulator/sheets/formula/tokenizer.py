"""Splitting formula text into tokens."""

from __future__ import annotations

import re
from typing import Any

from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets.formula.operands import _Unsupported

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
