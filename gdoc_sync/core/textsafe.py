"""Text fields made safe to place side by side in an output: bidi controls closed, zero-width
characters trimmed at the edges, spreadsheet formulas defused; and the one CSV writer.

A field is one value (a contribution, a name, a question) printed next to others. Inside a field
people's text stays as typed; only its boundaries are neutralised, so nothing in one field can
change how the next one is shown:

- bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2068) left open are
  **terminated** at the end of the field, with U+202C (PDF) or U+2069 (PDI) in the right order;
  closers with no opener in the field (which would close the surrounding text's) are **stripped**;
- zero-width characters and directional marks (U+200B-U+200F, U+2060, U+FEFF, U+061C) are
  **stripped** at the start and end of the field; inside it they stay (ZWJ builds emoji, ZWNJ
  spells Persian and Indic words).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, closed by PDF
PDF = "\u202c"
ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, closed by PDI
PDI = "\u2069"
BIDI_CONTROLS = EMBEDDINGS + PDF + ISOLATES + PDI
EDGE_INVISIBLES = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c"
# A cell starting with one of these runs as a formula when a CSV is opened in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """One field, safe to print next to others (see the module docstring)."""
    text = text.strip(EDGE_INVISIBLES)
    if not any(ch in BIDI_CONTROLS for ch in text):
        return text
    out: list[str] = []
    stack: list[str] = []  # "e" for an open embedding or override, "i" for an open isolate
    for ch in text:
        if ch in EMBEDDINGS:
            stack.append("e")
        elif ch in ISOLATES:
            stack.append("i")
        elif ch == PDF:
            if not stack or stack[-1] != "e":
                continue  # it would close something outside this field
            stack.pop()
        elif ch == PDI:
            if "i" not in stack:
                continue
            # A PDI also closes the embeddings opened inside its isolate.
            while stack.pop() != "i":
                out.append(PDF)
        out.append(ch)
    out.extend(PDF if kind == "e" else PDI for kind in reversed(stack))
    return "".join(out)


def neutralise_lines(text: str) -> str:
    """Each line of a terminal message a field of its own: nothing typed in a contribution quoted
    on one line can reorder the next line's words."""
    return "\n".join(neutralise(line) for line in text.split("\n"))


def neutralise_all(value: Any) -> Any:
    """Every string in a JSON-like value (dicts, lists, scalars) neutralised, keys included."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        return {neutralise(str(k)): neutralise_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [neutralise_all(v) for v in value]
    return value


def csv_cell(value: Any) -> str:
    """A cell that a spreadsheet shows as text: neutralised, and a formula-like start quoted."""
    text = neutralise("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The one CSV writer of gdoc-sync: a header and rows, every cell through csv_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()
