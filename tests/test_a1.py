"""The product's one A1 helper (gdoc_sync/core/a1.py) agrees with gspread.utils, which the core
cannot import cheaply (see the module's docstring): gspread is the oracle here."""

from __future__ import annotations

from gspread.utils import a1_range_to_grid_range, a1_to_rowcol, rowcol_to_a1
from hypothesis import given
from hypothesis import strategies as st

from gdoc_sync.core.a1 import column_index, column_letter, first_cell, quote_sheet

COLUMNS = st.integers(min_value=0, max_value=18_277)  # A .. ZZZ, Sheets' 18,278 columns


@given(index=COLUMNS)
def test_column_letters_are_gspreads(index: int) -> None:
    letters = rowcol_to_a1(1, index + 1)[:-1]
    assert column_letter(index) == letters
    assert column_index(letters) == a1_to_rowcol(letters + "1")[1] - 1 == index


@given(
    title=st.text(min_size=1, max_size=12).filter(lambda t: "!" not in t),
    row=st.integers(min_value=1, max_value=10_000_000),
    col=COLUMNS,
    absolute=st.booleans(),
)
def test_first_cell_of_a_range(title: str, row: int, col: int, absolute: bool) -> None:
    plain = rowcol_to_a1(row, col + 1)
    grid = a1_range_to_grid_range(f"{plain}:ZZZ{row + 5}")
    letters = plain.rstrip("0123456789")
    cell = f"${letters}${plain[len(letters) :]}" if absolute else plain
    tab = quote_sheet(title)
    assert first_cell(f"{tab}!{cell}:ZZZ{row + 5}") == (
        tab,
        grid["startRowIndex"] + 1,
        grid["startColumnIndex"],
    )
    assert first_cell(tab) is None  # a whole tab names no cell


def test_quoted_titles_double_their_quotes() -> None:
    assert quote_sheet("Rapporteur's notes") == "'Rapporteur''s notes'"
