"""A1 notation for the Sheets emulator: parsing, quoting sheet names, GridRange conversion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gdoc_sync.emulator.errors import InvalidArgument

# Sheets addresses columns A..ZZZ; three letters is the most the A1 grammar takes.
MAX_COLUMNS = 18278

_PART = re.compile(r"\$?([A-Za-z]{1,3})?\$?([0-9]+)?")
_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names that would read as a cell (B12) or an R1C1 reference must be quoted even if plain.
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*", re.ASCII)


@dataclass(frozen=True)
class A1:
    """A parsed range: an optional sheet part and 0-based, end-exclusive bounds (None = open)."""

    sheet: str | None
    sheet_text: str | None
    start_row: int | None = None
    end_row: int | None = None
    start_col: int | None = None
    end_col: int | None = None
    whole_sheet: bool = False

    @property
    def cells(self) -> str:
        """The part after the `!`, canonical, keeping open ends open."""
        return format_cells(self.start_row, self.end_row, self.start_col, self.end_col)


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    if index < 0:
        raise ValueError(f"negative column index {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26; case-insensitive."""
    if not letters or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"not a column: {letters!r}")
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def needs_quotes(title: str) -> bool:
    """Whether Google writes this sheet title quoted in a range it returns."""
    return not _BARE_NAME.fullmatch(title) or bool(_CELL_LIKE.fullmatch(title))


def quote_sheet(title: str) -> str:
    """`Sheet1` stays bare; `My Sheet` -> `'My Sheet'`; `It's` -> `'It''s'`."""
    if needs_quotes(title):
        return "'" + title.replace("'", "''") + "'"
    return title


def format_cells(
    start_row: int | None, end_row: int | None, start_col: int | None, end_col: int | None
) -> str:
    """Bounds (0-based, end-exclusive, None = open) to the A1 cells part; '' for a whole sheet."""
    rows_open = start_row is None and end_row is None
    cols_open = start_col is None and end_col is None
    if rows_open and cols_open:
        return ""
    if rows_open:
        first = column_letters(start_col or 0)
        last = column_letters(end_col - 1) if end_col is not None else first
        return f"{first}:{last}"
    if cols_open and end_row is not None:
        return f"{(start_row or 0) + 1}:{end_row}"
    start = f"{column_letters(start_col or 0)}{(start_row or 0) + 1}"
    end = (column_letters(end_col - 1) if end_col is not None else "") + (
        str(end_row) if end_row is not None else ""
    )
    if not end:
        return start
    if end_col is not None and end_row is not None:
        if end_col - 1 <= (start_col or 0) and end_row - 1 <= (start_row or 0):
            return start
    return f"{start}:{end}"


def format_range(
    title: str,
    start_row: int | None = None,
    end_row: int | None = None,
    start_col: int | None = None,
    end_col: int | None = None,
) -> str:
    """A sheet-qualified range as Google returns it: `'My Sheet'!A1:C3`, `Sheet1!A1`."""
    cells = format_cells(start_row, end_row, start_col, end_col)
    return f"{quote_sheet(title)}!{cells}" if cells else quote_sheet(title)


def grid_range_to_a1(title: str, grid_range: dict[str, Any]) -> str:
    """A GridRange (missing index = open) to A1 with the sheet title."""
    return format_range(
        title,
        grid_range.get("startRowIndex"),
        grid_range.get("endRowIndex"),
        grid_range.get("startColumnIndex"),
        grid_range.get("endColumnIndex"),
    )


def a1_to_grid_range(sheet_id: int, ref: A1) -> dict[str, Any]:
    """A parsed range to a GridRange; open bounds are left out, as the API does."""
    out: dict[str, Any] = {"sheetId": sheet_id}
    for key, value in (
        ("startRowIndex", ref.start_row),
        ("endRowIndex", ref.end_row),
        ("startColumnIndex", ref.start_col),
        ("endColumnIndex", ref.end_col),
    ):
        if value is not None:
            out[key] = value
    return out


def _parse_part(text: str) -> tuple[int | None, int | None] | None:
    m = _PART.fullmatch(text)
    if not m or not text or text in ("$",):
        return None
    letters, digits = m.group(1), m.group(2)
    if letters is None and digits is None:
        return None
    col = column_index(letters) if letters else None
    row = int(digits) - 1 if digits else None
    if row is not None and row < 0:
        return None
    return col, row


def parse_cells(text: str) -> tuple[int | None, int | None, int | None, int | None] | None:
    """`A1:B2`, `A:C`, `1:3`, `A2:Z`, `B5` -> (start_row, end_row, start_col, end_col) or None."""
    pieces = text.split(":")
    if len(pieces) == 1:
        part = _parse_part(pieces[0])
        if part is None:
            return None
        col, row = part
        if col is None or row is None:
            return None
        return row, row + 1, col, col + 1
    if len(pieces) != 2:
        return None
    first, second = _parse_part(pieces[0]), _parse_part(pieces[1])
    if first is None or second is None:
        return None
    (c1, r1), (c2, r2) = first, second
    if c1 is not None and r1 is not None:
        if c2 is not None and r2 is not None:
            return min(r1, r2), max(r1, r2) + 1, min(c1, c2), max(c1, c2) + 1
        if c2 is not None:  # A2:Z, the rows run to the end of the grid
            return r1, None, min(c1, c2), max(c1, c2) + 1
        assert r2 is not None  # _parse_part never returns (None, None)
        return min(r1, r2), max(r1, r2) + 1, c1, None  # A2:5, the columns run to the end
    if c1 is not None and r1 is None:
        if c2 is not None and r2 is None:
            return None, None, min(c1, c2), max(c1, c2) + 1
        if c2 is not None and r2 is not None:  # A:B5 reads as A1:B5
            return 0, r2 + 1, min(c1, c2), max(c1, c2) + 1
        return None
    if r1 is not None and c1 is None and r2 is not None and c2 is None:
        return min(r1, r2), max(r1, r2) + 1, None, None
    return None


def _unparsable(text: str) -> InvalidArgument:
    return InvalidArgument(f"Unable to parse range: {text}")


def parse(text: str) -> A1:
    """Parse A1 notation; a bare word that is not a cell range is taken as a sheet name.

    The sheet name is returned unresolved: the caller matches it against the titles.
    """
    if not isinstance(text, str) or not text:
        raise _unparsable(text if isinstance(text, str) else str(text))
    if text.startswith("'"):
        name_chars: list[str] = []
        i, n = 1, len(text)
        while i < n:
            ch = text[i]
            if ch == "'":
                if i + 1 < n and text[i + 1] == "'":
                    name_chars.append("'")
                    i += 2
                    continue
                break
            name_chars.append(ch)
            i += 1
        else:
            raise _unparsable(text)
        name = "".join(name_chars)
        rest = text[i + 1 :]
        if not name:
            raise _unparsable(text)
        sheet_text = text[: i + 1]
        if rest == "":
            return A1(name, sheet_text, whole_sheet=True)
        if not rest.startswith("!"):
            raise _unparsable(text)
        bounds = parse_cells(rest[1:])
        if bounds is None:
            raise _unparsable(text)
        return A1(name, sheet_text, *bounds)
    if "!" in text:
        cut = text.rfind("!")
        name, cells = text[:cut], text[cut + 1 :]
        bounds = parse_cells(cells)
        if not name or bounds is None:
            raise _unparsable(text)
        return A1(name, name, *bounds)
    bounds = parse_cells(text)
    if bounds is not None:
        return A1(None, None, *bounds)
    return A1(text, text, whole_sheet=True)
