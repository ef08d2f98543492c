"""batchUpdate handlers for row and column groups."""

from __future__ import annotations

from typing import Any

from gdoc_sync.emulator.sheets.cells import _RequestError
from gdoc_sync.emulator.sheets.dimensions import _depths, _dimension_group_range, _store_groups
from gdoc_sync.emulator.sheets.grid import _dims
from gdoc_sync.emulator.sheets.requests.registry import _request


@_request("addDimensionGroup")
def _add_dimension_group(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """Group rows or columns: the range's depth grows by one (nested groups, as the reference
    of AddDimensionGroupRequest describes); the reply lists every group after the change."""
    sheet, dimension, start, end = _dimension_group_range(s, p)
    rows, cols = _dims(sheet)
    depths = _depths(sheet, dimension, rows if dimension == "ROWS" else cols)
    for i in range(start, end):
        depths[i] += 1
    return {"addDimensionGroup": {"dimensionGroups": _store_groups(sheet, dimension, depths)}}


@_request("deleteDimensionGroup")
def _delete_dimension_group(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """Ungroup: the depth of every index in the range drops by one."""
    sheet, dimension, start, end = _dimension_group_range(s, p)
    rows, cols = _dims(sheet)
    depths = _depths(sheet, dimension, rows if dimension == "ROWS" else cols)
    if not any(depths[start:end]):
        raise _RequestError("No dimension group exists in the given range.")
    for i in range(start, end):
        depths[i] = max(0, depths[i] - 1)
    return {"deleteDimensionGroup": {"dimensionGroups": _store_groups(sheet, dimension, depths)}}
