"""Reading and writing the companion Sheet's tabs: one request each in the common case."""

from __future__ import annotations

import re
from typing import Any

from gdoc_sync.core.sheet import (
    ACTIONS,
    ACTIONS_ID,
    CONTRIBUTIONS,
    CONTRIBUTIONS_ID,
    ENGLISH_TABS,
    LIST_ROWS,
    MATRIX,
    MATRIX_ID,
    SheetTabs,
    grow_requests,
    quote_sheet,
)
from gdoc_sync.core.text import cell_problems
from gdoc_sync.errors import (
    ApiCallError,
    GridLimitExceeded,
    InvalidRequest,
    MissingTab,
    RangeNotFound,
)
from gdoc_sync.google.api import GoogleApi

# The tabs as create made them; a tab someone re-created has another id, and the fallback
# (look it up) takes over.
TAB_IDS = {CONTRIBUTIONS: CONTRIBUTIONS_ID, MATRIX: MATRIX_ID, ACTIONS: ACTIONS_ID}
SHEET_TITLES_FIELDS = "sheets.properties(sheetId,title)"

_ROW = re.compile(r"!\$?[A-Z]+\$?(\d+)(?::\$?[A-Z]+\$?(\d+))?$")

# The tab titles each Sheet was last read by in this process (watch and the board read the
# same Sheet every few seconds: a renamed tab is looked up once, not every round).
_KNOWN_TABS: dict[str, SheetTabs] = {}


def known_tabs(spreadsheet_id: str) -> SheetTabs | None:
    """The tab titles this process last found the Sheet's tabs by (reads and writes), if any:
    what a command keeps in the local state, so the next process need not look them up again."""
    return _KNOWN_TABS.get(spreadsheet_id)


class TabValues(dict[str, list[list[str]]]):
    """Each tab's displayed values by identity, and the titles the tabs were read by."""

    tabs: SheetTabs = ENGLISH_TABS


def read_tabs(
    api: GoogleApi,
    spreadsheet_id: str,
    identities: list[str],
    tabs: SheetTabs | None = None,
) -> TabValues:
    """The displayed values of whole tabs, in one values.batchGet (trailing blanks trimmed).

    The tabs are read by the titles this process last read them by, else `tabs` (the local
    state's, or the session language's), else English. When a title is wrong (a tab renamed, a
    Sheet made in another language or before tabs had one), the titles are looked up by the
    sheetIds create gave the tabs (one spreadsheets.get) and the read is made again."""
    guess = _KNOWN_TABS.get(spreadsheet_id) or tabs or ENGLISH_TABS
    try:
        found = api.get_values(spreadsheet_id, [guess.range(i) for i in identities])
    except RangeNotFound as exc:
        meta = api.get_spreadsheet(spreadsheet_id, fields=SHEET_TITLES_FIELDS)
        resolved = SheetTabs.from_metadata(meta)
        missing = resolved.missing(identities)
        if missing:
            # The next read goes straight to the error, naming the tab as it was last known.
            _KNOWN_TABS[spreadsheet_id] = SheetTabs.of({**guess.as_dict(), **resolved.as_dict()})
            raise MissingTab(
                f"the companion Sheet {spreadsheet_id} has no {guess[missing[0]]!r} tab: was it "
                "deleted? Restore it (File > Version history) and try again",
                missing[0],
            ) from exc
        guess = resolved
        found = api.get_values(spreadsheet_id, [guess.range(i) for i in identities])
    _KNOWN_TABS[spreadsheet_id] = guess
    out = TabValues(
        (i, [[str(c) for c in row] for row in rows])
        for i, rows in zip(identities, found, strict=True)
    )
    out.tabs = guess
    return out


def _last_row(data: list[dict[str, Any]], title: str) -> int:
    last = 0
    prefix = quote_sheet(title) + "!"
    for item in data:
        if not item["range"].startswith(prefix):
            continue
        m = _ROW.search(item["range"])
        if m:
            first = int(m.group(1))
            last = max(last, int(m.group(2) or first), first + len(item["values"]) - 1)
    return last


def _name_cells(exc: InvalidRequest, data: list[dict[str, Any]]) -> None:
    """Add to a refused write the cells whose content Sheets would not store, if any."""
    problems = cell_problems(data)
    if problems:
        exc.add_note(f"the cause is likely {'; '.join(problems[:5])}")


def _readdress(
    api: GoogleApi,
    spreadsheet_id: str,
    data: list[dict[str, Any]],
    tabs: SheetTabs,
    exc: RangeNotFound,
) -> tuple[list[dict[str, Any]], SheetTabs]:
    """The same writes addressed to the tabs' current titles (found by sheetId), and those titles;
    MissingTab naming the tab if one the writes go to is gone."""
    meta = api.get_spreadsheet(spreadsheet_id, fields=SHEET_TITLES_FIELDS)
    resolved = SheetTabs.from_metadata(meta)
    prefixes = {quote_sheet(title) + "!": identity for identity, title in tabs.titles}
    prefixes.update(
        {quote_sheet(i) + "!": i for i in TAB_IDS if quote_sheet(i) + "!" not in prefixes}
    )
    out = []
    for item in data:
        rng = item["range"]
        identity = next((i for p, i in prefixes.items() if rng.startswith(p)), None)
        if identity is not None:
            if identity in resolved.missing([identity]):
                raise MissingTab(
                    f"the companion Sheet {spreadsheet_id} has no {tabs[identity]!r} tab: was it "
                    "deleted? Restore it (File > Version history) and try again",
                    identity,
                ) from exc
            cells = rng.split("!", 1)[1]
            item = {**item, "range": resolved.range(identity, cells)}
        out.append(item)
    merged = SheetTabs.of({**tabs.as_dict(), **resolved.as_dict()})
    _KNOWN_TABS[spreadsheet_id] = merged
    return out, merged


def write_values(
    api: GoogleApi,
    spreadsheet_id: str,
    data: list[dict[str, Any]],
    *,
    grow_tab: str,
    tabs: SheetTabs = ENGLISH_TABS,
    checkbox_column: int | None = None,
    known_rows: int = LIST_ROWS,
) -> int:
    """Write the ranges in one request, RAW; returns the rows `grow_tab` (a tab's identity:
    CONTRIBUTIONS, ACTIONS) is now known to have.

    Writes that reach past the rows the tab is known to have first grow it (one more request,
    once every few thousand rows; sending the rows as updateCells in the same batch would save
    it, but costs more CPU and a payload three times the size). Should the tab not be the one
    create made, it is looked up first."""
    needed = _last_row(data, tabs[grow_tab])
    if needed > known_rows and grow_tab in TAB_IDS:
        grow = grow_requests(TAB_IDS[grow_tab], known_rows, needed, checkbox_column=checkbox_column)
        try:
            api.update_spreadsheet(spreadsheet_id, grow)
            known_rows += grow[0]["appendDimension"]["length"]
        except ApiCallError:
            pass  # not the tab create made: the write below finds out, and the tab is looked up
    try:
        api.update_values(spreadsheet_id, data)
        return max(known_rows, needed)
    except InvalidRequest as exc:
        _name_cells(exc, data)
        raise
    except RangeNotFound as exc:
        # A tab renamed that this run did not read (the Matrix: sync only writes it): its title
        # is looked up by the sheetId create gave it, and the same cells written again.
        data, tabs = _readdress(api, spreadsheet_id, data, tabs, exc)
        needed = _last_row(data, tabs[grow_tab])
        try:
            api.update_values(spreadsheet_id, data)
            return max(known_rows, needed)
        except GridLimitExceeded:
            pass
    except GridLimitExceeded:
        pass
    # A tab people trimmed (blank rows deleted, say the Matrix's) is grown like the list is.
    meta = api.get_spreadsheet(
        spreadsheet_id, fields="sheets.properties(sheetId,title,gridProperties.rowCount)"
    )
    by_title = {s["properties"]["title"]: s["properties"] for s in meta.get("sheets", [])}
    props = by_title.get(tabs[grow_tab])
    if props is None:
        raise MissingTab(
            f"the companion Sheet {spreadsheet_id} has no {tabs[grow_tab]!r} tab", grow_tab
        )
    row_count = int(props.get("gridProperties", {}).get("rowCount", 0))
    grow = grow_requests(props["sheetId"], row_count, needed, checkbox_column=checkbox_column)
    for title, other in by_title.items():
        if title != tabs[grow_tab]:
            rows = int(other.get("gridProperties", {}).get("rowCount", 0))
            grow += grow_requests(
                other["sheetId"], rows, _last_row(data, title), checkbox_column=None
            )
    if grow:
        api.update_spreadsheet(spreadsheet_id, grow)
    api.update_values(spreadsheet_id, data)
    return max(row_count, needed)
