"""batchUpdate handlers for charts (embedded objects)."""

from __future__ import annotations

import copy
from typing import Any

from gdoc_sync.emulator.sheets.cells import _RequestError
from gdoc_sync.emulator.sheets.dimensions import _grid_bounds, _sheet_for
from gdoc_sync.emulator.sheets.grid import _check_int, _dims, _new_id
from gdoc_sync.emulator.sheets.requests.registry import _request

# -- charts -------------------------------------------------------------------------------------


def _object_ids(s: dict[str, Any]) -> set[int]:
    """Ids of embedded objects (charts), which share one space per spreadsheet."""
    return {chart["chartId"] for sheet in s["sheets"] for chart in sheet.get("charts", [])}


def _find_chart(s: dict[str, Any], chart_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    for sheet in s["sheets"]:
        for chart in sheet.get("charts", []):
            if chart["chartId"] == chart_id:
                return sheet, chart
    raise _RequestError(f"No chart with id: {chart_id}")


def _check_chart_spec(s: dict[str, Any], spec: Any) -> None:
    """Every source range of a chart must lie on an existing grid (as the API checks)."""
    if not isinstance(spec, dict) or not spec:
        raise _RequestError("chart.spec must be set.")
    basic = spec.get("basicChart")
    if basic is None:
        return
    parts = [d.get("domain") for d in basic.get("domains") or []]
    parts += [x.get("series") for x in basic.get("series") or []]
    for data in parts:
        for source in ((data or {}).get("sourceRange") or {}).get("sources") or []:
            _grid_bounds(s, source)


@_request("addChart")
def _add_chart(s: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    chart = copy.deepcopy(p.get("chart") or {})
    _check_chart_spec(s, chart.get("spec"))
    taken = _object_ids(s)
    chart_id = chart.get("chartId")
    if chart_id is None:
        chart_id = _new_id(s, taken | {sh["properties"]["sheetId"] for sh in s["sheets"]})
    elif _check_int(chart_id, "chart.chartId") in taken:
        raise _RequestError(f"An object with id {chart_id} already exists.")
    position = chart.get("position") or {}
    overlay = position.get("overlayPosition")
    if not overlay or "anchorCell" not in overlay:
        raise _RequestError(
            "chart.position: only overlayPosition with an anchorCell is supported by the "
            "gdoc-sync emulator."
        )
    anchor = overlay["anchorCell"]
    sheet = _sheet_for(s, anchor.get("sheetId", 0))
    rows, cols = _dims(sheet)
    if anchor.get("rowIndex", 0) >= rows or anchor.get("columnIndex", 0) >= cols:
        raise _RequestError("chart.position.overlayPosition.anchorCell is outside the grid.")
    anchor["sheetId"] = sheet["properties"]["sheetId"]
    stored = {"chartId": chart_id, "spec": chart["spec"], "position": {"overlayPosition": overlay}}
    if chart.get("border"):
        stored["border"] = chart["border"]
    sheet.setdefault("charts", []).append(stored)
    return {"addChart": {"chart": copy.deepcopy(stored)}}


@_request("updateChartSpec")
def _update_chart_spec(s: dict[str, Any], p: dict[str, Any]) -> None:
    _, chart = _find_chart(s, p.get("chartId"))
    _check_chart_spec(s, p.get("spec"))
    chart["spec"] = copy.deepcopy(p["spec"])


@_request("deleteEmbeddedObject")
def _delete_embedded_object(s: dict[str, Any], p: dict[str, Any]) -> None:
    sheet, chart = _find_chart(s, p.get("objectId"))
    sheet["charts"].remove(chart)
    if not sheet["charts"]:
        del sheet["charts"]
