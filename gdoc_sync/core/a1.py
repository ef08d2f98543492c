"""A1 notation for the product's own Sheet ranges: quoted tab titles, column letters, a range's
first cell.

gspread.utils has the same helpers (rowcol_to_a1, a1_to_rowcol), but importing it runs gspread's
package __init__, which loads its whole client and the OAuth sign-in libraries (about 130 ms);
the pure core and the commands that never talk to Google must not pay that, so these few lines
are kept here, once, and tests/test_a1.py checks them against gspread.utils.
"""

from __future__ import annotations

import re

_FIRST_CELL = re.compile(r"^(?P<tab>.+)!\$?(?P<col>[A-Z]+)\$?(?P<row>\d+)", re.DOTALL)


def quote_sheet(title: str) -> str:
    """A sheet title as A1 notation wants it: quoted, with quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def first_cell(a1_range: str) -> tuple[str, int, int] | None:
    """("'Tab'", row, column index) of the first cell of "'Tab'!B3:D9" (row 1-based, column
    0-based), or None for a range that names no cell (a whole tab)."""
    m = _FIRST_CELL.match(a1_range)
    if m is None:
        return None
    return m["tab"], int(m["row"]), column_index(m["col"])
