"""batchUpdate handlers for protected and named ranges."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets.celldata import _apply_mask, _parse_mask
from gdoc_sync.emulator.sheets.cells import MAX_NAMED_RANGE_NAME, _RequestError
from gdoc_sync.emulator.sheets.dimensions import _grid_bounds, _sheet_for
from gdoc_sync.emulator.sheets.grid import _new_id
from gdoc_sync.emulator.sheets.requests.registry import _request


def _all_protected(s: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for sheet in s["sheets"]:
        for protected in sheet.get("protectedRanges", []):
            yield sheet, protected


def _add_protected_range(s: dict[str, Any], protected: dict[str, Any]) -> dict[str, Any]:
    if protected.get("range") is not None:
        sheet = _grid_bounds(s, protected["range"])[0]
        protected["range"] = {"sheetId": sheet["properties"]["sheetId"], **protected["range"]}
    elif protected.get("namedRangeId"):
        named = next(
            (
                n
                for n in s.get("namedRanges", [])
                if n.get("namedRangeId") == protected["namedRangeId"]
            ),
            None,
        )
        if named is None:
            raise _RequestError(f"No named range with id: {protected['namedRangeId']}")
        sheet = _sheet_for(s, (named.get("range") or {}).get("sheetId", 0))
    else:
        raise _RequestError("A protected range must have a range or a namedRangeId.")
    taken = {item.get("protectedRangeId") for _, item in _all_protected(s)}
    given = protected.get("protectedRangeId")
    if given is not None and given in taken:
        raise _RequestError(f"A protected range with id {given} already exists.")
    stored_range: dict[str, Any] = {
        "protectedRangeId": given if given is not None else _new_id(s, taken)
    }
    for key in ("range", "namedRangeId", "description"):
        if protected.get(key):
            stored_range[key] = protected[key]
    if protected.get("warningOnly"):
        stored_range["warningOnly"] = True
    stored_range["requestingUserCanEdit"] = True
    for key in ("unprotectedRanges", "editors"):
        if protected.get(key):
            stored_range[key] = protected[key]
    sheet.setdefault("protectedRanges", []).append(stored_range)
    return stored_range


@_request("addProtectedRange")
def _add_protected_range_request(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    added = _add_protected_range(s, copy.deepcopy(p.get("protectedRange") or {}))
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(added)}}


def _find_protected(s: dict[str, Any], protected_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    for sheet, protected in _all_protected(s):
        if protected.get("protectedRangeId") == protected_id:
            return sheet, protected
    raise _RequestError(f"No protected range with id: {protected_id}")


@_request("updateProtectedRange")
def _update_protected_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    source = p.get("protectedRange") or {}
    paths = _parse_mask(p.get("fields"))
    sheet, protected = _find_protected(s, source.get("protectedRangeId"))
    updated = _apply_mask(copy.deepcopy(protected), source, paths)
    updated["protectedRangeId"] = protected["protectedRangeId"]
    sheet["protectedRanges"].remove(protected)
    try:
        _add_protected_range(s, updated)
    except _RequestError:
        sheet["protectedRanges"].append(protected)
        raise


@_request("deleteProtectedRange")
def _delete_protected_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, protected = _find_protected(s, p.get("protectedRangeId"))
    sheet["protectedRanges"].remove(protected)
    if not sheet["protectedRanges"]:
        del sheet["protectedRanges"]


# Docs Editors Help, "Name a range": only letters, numbers and underscores, not starting with a
# number; not TRUE or FALSE; not an A1 or R1C1 reference; 1 to 250 characters.
_NAMED_RANGE_NAME = re.compile(r"[^\W\d]\w*")


def _add_named_range(s: dict[str, Any], named: dict[str, Any]) -> dict[str, Any]:
    name = named.get("name")
    if (
        not isinstance(name, str)
        or not _NAMED_RANGE_NAME.fullmatch(name)
        or a1.parse_cells(name) is not None
        or re.fullmatch(r"[Rr][0-9]*[Cc][0-9]*", name)
        or name.upper() in ("TRUE", "FALSE")
        or len(name) > MAX_NAMED_RANGE_NAME
    ):
        raise _RequestError(f'The name "{name}" is not a valid range name.')
    if any(n.get("name", "").casefold() == name.casefold() for n in s.get("namedRanges", [])):
        raise _RequestError(f'A named range with the name "{name}" already exists.')
    gr = named.get("range") or {}
    sheet = _grid_bounds(s, gr)[0]
    taken = {n.get("namedRangeId") for n in s.get("namedRanges", [])}
    named_id = named.get("namedRangeId") or str(
        _new_id(s, {int(t) for t in taken if str(t).isdigit()})
    )
    if named_id in taken:
        raise _RequestError(f"A named range with id {named_id} already exists.")
    entry = {
        "namedRangeId": named_id,
        "name": name,
        "range": {"sheetId": sheet["properties"]["sheetId"], **gr},
    }
    s.setdefault("namedRanges", []).append(entry)
    return entry


@_request("addNamedRange")
def _add_named_range_request(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    entry = _add_named_range(s, copy.deepcopy(p.get("namedRange") or {}))
    return {"addNamedRange": {"namedRange": copy.deepcopy(entry)}}


@_request("updateNamedRange")
def _update_named_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    source = p.get("namedRange") or {}
    paths = _parse_mask(p.get("fields"))
    ranges = s.get("namedRanges", [])
    current = next((n for n in ranges if n.get("namedRangeId") == source.get("namedRangeId")), None)
    if current is None:
        raise _RequestError(f"No named range with id: {source.get('namedRangeId')}")
    updated = _apply_mask(copy.deepcopy(current), source, paths)
    ranges.remove(current)
    try:
        _add_named_range(s, updated)
    except _RequestError:
        ranges.append(current)
        raise


@_request("deleteNamedRange")
def _delete_named_range(s: dict[str, Any], p: dict[str, Any]) -> None:
    ranges = s.get("namedRanges", [])
    for named in ranges:
        if named.get("namedRangeId") == p.get("namedRangeId"):
            ranges.remove(named)
            return
    raise _RequestError(f"No named range with id: {p.get('namedRangeId')}")
