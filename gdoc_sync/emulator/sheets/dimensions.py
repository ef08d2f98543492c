"""GridRanges and dimensions: bounds, inserting and deleting rows and columns with everything
that moves with them (merges, ranges, metadata, row and column groups)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets.cells import _DIMENSIONS, _pack, _RequestError
from gdoc_sync.emulator.sheets.grid import (
    _check_int,
    _dims,
    _grid_limit_message,
    _sheet_by_id,
    _title,
    _trim_rows,
)

# ---------------------------------------------------------------------------------------------
# GridRanges, dimensions and the things that move with them
# ---------------------------------------------------------------------------------------------


def _sheet_for(stored: dict[str, Any], sheet_id: Any) -> dict[str, Any]:
    sheet = _sheet_by_id(stored, sheet_id if sheet_id is not None else 0)
    if sheet is None:
        raise _RequestError(f"No grid with id: {sheet_id if sheet_id is not None else 0}")
    return sheet


def _grid_bounds(
    stored: dict[str, Any], grid_range: Any
) -> tuple[dict[str, Any], int, int, int, int]:
    """A GridRange -> (sheet, sr, er, sc, ec) clipped to the grid; one that starts past it fails."""
    gr = grid_range if isinstance(grid_range, dict) else {}
    sheet = _sheet_for(stored, gr.get("sheetId", 0))
    rows, cols = _dims(sheet)
    sr, er = gr.get("startRowIndex"), gr.get("endRowIndex")
    sc, ec = gr.get("startColumnIndex"), gr.get("endColumnIndex")
    for key in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"):
        if gr.get(key) is not None:
            _check_int(gr[key], f"range.{key}")
    if (sr is not None and sr >= rows and (er is None or er > sr)) or (
        sc is not None and sc >= cols and (ec is None or ec > sc)
    ):
        named = dict(gr)
        if sc is None and ec is None:  # an open row range still names its columns
            named.update(startColumnIndex=0, endColumnIndex=cols)
        raise _RequestError(_grid_limit_message(a1.grid_range_to_a1(_title(sheet), named), sheet))
    sr0, sc0 = sr or 0, sc or 0
    er0 = rows if er is None else min(er, rows)
    ec0 = cols if ec is None else min(ec, cols)
    return sheet, sr0, max(er0, sr0), sc0, max(ec0, sc0)


def _full_grid_range(sheet: dict[str, Any], sr: int, er: int, sc: int, ec: int) -> dict[str, Any]:
    return {
        "sheetId": sheet["properties"]["sheetId"],
        "startRowIndex": sr,
        "endRowIndex": er,
        "startColumnIndex": sc,
        "endColumnIndex": ec,
    }


def _dimension_bounds(
    stored: dict[str, Any], dim_range: Any
) -> tuple[dict[str, Any], str, int, int, int]:
    """A DimensionRange -> (sheet, dimension, start, end, count); end defaults to the count."""
    if not isinstance(dim_range, dict):
        raise _RequestError("range must be set.")
    sheet = _sheet_for(stored, dim_range.get("sheetId", 0))
    dimension = dim_range.get("dimension")
    if dimension not in _DIMENSIONS:
        raise _RequestError("range.dimension must be ROWS or COLUMNS.")
    rows, cols = _dims(sheet)
    count = rows if dimension == "ROWS" else cols
    start = _check_int(dim_range.get("startIndex", 0), "range.startIndex")
    end = dim_range.get("endIndex")
    end = count if end is None else _check_int(end, "range.endIndex")
    return sheet, dimension, start, end, count


def _dimension_a1(sheet: dict[str, Any], dimension: str, start: int, end: int) -> str:
    if dimension == "ROWS":
        return a1.format_range(_title(sheet), start, end, None, None)
    return a1.format_range(_title(sheet), None, None, start, end)


def _check_dimension_start(
    sheet: dict[str, Any], dimension: str, start: int, end: int, count: int
) -> None:
    if start >= count and end > start:
        raise _RequestError(_grid_limit_message(_dimension_a1(sheet, dimension, start, end), sheet))


def _transform_ranges(
    stored: dict[str, Any],
    sheet: dict[str, Any],
    move: Callable[[dict[str, Any]], dict[str, Any] | None],
) -> None:
    """Re-address every GridRange kept for the sheet after rows or columns moved."""
    sheet_id = sheet["properties"]["sheetId"]

    def multi_cell(gr: dict[str, Any] | None) -> bool:
        if gr is None:
            return False
        height = gr.get("endRowIndex", 1) - gr.get("startRowIndex", 0)
        width = gr.get("endColumnIndex", 1) - gr.get("startColumnIndex", 0)
        return height * width > 1

    if sheet.get("merges"):
        sheet["merges"] = [m for m in (move(g) for g in sheet["merges"]) if multi_cell(m)]
    if sheet.get("protectedRanges"):
        kept = []
        for protected in sheet["protectedRanges"]:
            if "range" in protected:
                moved = move(protected["range"])
                if moved is None:
                    continue
                protected["range"] = moved
            if protected.get("unprotectedRanges"):
                protected["unprotectedRanges"] = [
                    g for g in map(move, protected["unprotectedRanges"]) if g
                ]
            kept.append(protected)
        sheet["protectedRanges"] = kept
    if sheet.get("conditionalFormats"):
        rules = []
        for rule in sheet["conditionalFormats"]:
            rule["ranges"] = [g for g in map(move, rule.get("ranges") or []) if g]
            if rule["ranges"]:
                rules.append(rule)
        sheet["conditionalFormats"] = rules
    if sheet.get("basicFilter"):
        moved = move(sheet["basicFilter"].get("range") or {})
        if moved is None:
            sheet.pop("basicFilter")
        else:
            sheet["basicFilter"]["range"] = moved
    named_ranges = []
    for named in stored.get("namedRanges", []):
        gr = named.get("range") or {}
        if gr.get("sheetId", 0) == sheet_id:
            moved = move(gr)
            if moved is None:
                continue
            named["range"] = moved
        named_ranges.append(named)
    stored["namedRanges"] = named_ranges


def _index_keys(dimension: str) -> tuple[str, str]:
    return (
        ("startRowIndex", "endRowIndex")
        if dimension == "ROWS"
        else ("startColumnIndex", "endColumnIndex")
    )


def _move_meta(sheet: dict[str, Any], dimension: str, move: Callable[[int], int | None]) -> None:
    key = "rowMeta" if dimension == "ROWS" else "colMeta"
    meta = sheet.get(key)
    if not meta:
        return
    moved: dict[str, Any] = {}
    for index, props in meta.items():
        new_index = move(int(index))
        if new_index is not None:
            moved[str(new_index)] = props
    sheet[key] = moved


def _format_only(cell: Any) -> Any:
    """What an inserted row or column inherits from its neighbour: format and validation."""
    if type(cell) is not dict:
        return None
    return _pack({k: cell[k] for k in ("fmt", "dv") if k in cell})


def _insert_dimension(
    stored: dict[str, Any],
    sheet: dict[str, Any],
    dimension: str,
    at: int,
    n: int,
    inherit_from: int | None,
) -> None:
    rows = sheet["rows"]
    grid = sheet["properties"]["gridProperties"]
    if dimension == "ROWS":
        template: list[Any] = []
        if inherit_from is not None and inherit_from < len(rows):
            template = [_format_only(cell) for cell in rows[inherit_from]]
            while template and template[-1] is None:
                template.pop()
        if at < len(rows) or template:
            while len(rows) < at:
                rows.append([])
            rows[at:at] = [list(template) for _ in range(n)]
        _trim_rows(rows)
        grid["rowCount"] += n
    else:
        for row in rows:
            fill = (
                _format_only(row[inherit_from])
                if inherit_from is not None and inherit_from < len(row)
                else None
            )
            if at < len(row) or fill is not None:
                if len(row) < at:
                    row.extend([None] * (at - len(row)))
                row[at:at] = [fill] * n
            while row and row[-1] is None:
                row.pop()
        grid["columnCount"] += n
    start_key, end_key = _index_keys(dimension)

    def shift(gr: dict[str, Any]) -> dict[str, Any]:
        out = dict(gr)
        if out.get(start_key) is not None and out[start_key] >= at:
            out[start_key] += n
        if out.get(end_key) is not None and out[end_key] > at:
            out[end_key] += n
        return out

    _transform_ranges(stored, sheet, shift)
    _move_meta(sheet, dimension, lambda i: i + n if i >= at else i)
    if sheet.get(_groups_key(dimension)):
        # Rows or columns inserted inside a group join it; at its edge they stay outside.
        depths = _depths(sheet, dimension, _dims(sheet)[dimension != "ROWS"] - n)
        inside = min(depths[at - 1], depths[at]) if 0 < at < len(depths) else 0
        depths[at:at] = [inside] * n
        _store_groups(sheet, dimension, depths)


def _delete_dimension(
    stored: dict[str, Any], sheet: dict[str, Any], dimension: str, start: int, end: int
) -> None:
    rows = sheet["rows"]
    grid = sheet["properties"]["gridProperties"]
    n = end - start
    if dimension == "ROWS":
        del rows[start:end]
        _trim_rows(rows)
        grid["rowCount"] -= n
        if grid.get("frozenRowCount", 0) >= grid["rowCount"]:
            grid["frozenRowCount"] = max(grid["rowCount"] - 1, 0)
    else:
        for row in rows:
            del row[start:end]
            while row and row[-1] is None:
                row.pop()
        _trim_rows(rows)
        grid["columnCount"] -= n
        if grid.get("frozenColumnCount", 0) >= grid["columnCount"]:
            grid["frozenColumnCount"] = max(grid["columnCount"] - 1, 0)
    for key in ("frozenRowCount", "frozenColumnCount"):
        if key in grid and not grid[key]:
            del grid[key]
    start_key, end_key = _index_keys(dimension)

    def squeeze(index: int) -> int:
        return index if index <= start else start if index <= end else index - n

    def cut(gr: dict[str, Any]) -> dict[str, Any] | None:
        out = dict(gr)
        s, e = out.get(start_key), out.get(end_key)
        if s is not None:
            out[start_key] = squeeze(s)
        if e is not None:
            out[end_key] = squeeze(e)
            if out[end_key] <= out.get(start_key, 0):
                return None
        return out

    _transform_ranges(stored, sheet, cut)
    _move_meta(sheet, dimension, lambda i: None if start <= i < end else (i - n if i >= end else i))
    if sheet.get(_groups_key(dimension)):
        depths = _depths(sheet, dimension, _dims(sheet)[dimension != "ROWS"] + n)
        del depths[start:end]
        _store_groups(sheet, dimension, depths)


# -- row and column groups ------------------------------------------------------------------


def _groups_key(dimension: str) -> str:
    return "rowGroups" if dimension == "ROWS" else "columnGroups"


def _dimension_group_range(
    s: dict[str, Any], p: dict[str, Any]
) -> tuple[dict[str, Any], str, int, int]:
    sheet, dimension, start, end, _ = _dimension_bounds(s, p.get("range"))
    if end <= start:
        raise _RequestError("range must span at least one row or column.")
    return sheet, dimension, start, end


def _group_json(
    sheet: dict[str, Any], dimension: str, start: int, end: int, depth: int
) -> dict[str, Any]:
    return {
        "range": {
            "sheetId": sheet["properties"]["sheetId"],
            "dimension": dimension,
            "startIndex": start,
            "endIndex": end,
        },
        "depth": depth,
    }


def _regroup(sheet: dict[str, Any], dimension: str, depths: list[int]) -> list[dict[str, Any]]:
    """Groups from per-index depths: each maximal run at depth >= d is one group of depth d."""
    groups = []
    top = max(depths, default=0)
    for d in range(1, top + 1):
        start = None
        for i, depth in enumerate([*depths, 0]):
            if depth >= d and start is None:
                start = i
            elif depth < d and start is not None:
                groups.append(_group_json(sheet, dimension, start, i, d))
                start = None
    groups.sort(key=lambda g: (g["range"]["startIndex"], g["depth"]))
    return groups


def _depths(sheet: dict[str, Any], dimension: str, size: int) -> list[int]:
    depths = [0] * size
    for group in sheet.get(_groups_key(dimension)) or []:
        rng = group["range"]
        for i in range(rng["startIndex"], min(rng["endIndex"], size)):
            depths[i] = max(depths[i], group["depth"])
    return depths


def _store_groups(sheet: dict[str, Any], dimension: str, depths: list[int]) -> list[dict[str, Any]]:
    groups = _regroup(sheet, dimension, depths)
    if groups:
        sheet[_groups_key(dimension)] = groups
    else:
        sheet.pop(_groups_key(dimension), None)
    return groups
