"""Sheets v4 handlers: parse the request, call the model, shape the answer."""

from __future__ import annotations

from typing import Any

from gdoc_sync.emulator.drive import models as drive
from gdoc_sync.emulator.errors import InvalidArgument, NotFound
from gdoc_sync.emulator.http import Call, new_id
from gdoc_sync.emulator.sheets import models

KIND = "spreadsheet"


def _load(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    sheet = call.tx.peek(KIND, spreadsheet_id)
    if sheet is None:
        raise NotFound("Requested entity was not found.")
    return sheet


def _save(call: Call, spreadsheet_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    if new is old:
        return
    call.tx.put(KIND, spreadsheet_id, new)
    old_title = old["properties"].get("title")
    new_title = new["properties"].get("title")
    drive.touch(call.tx, spreadsheet_id, name=new_title if new_title != old_title else None)


def _value_options(call: Call) -> dict[str, str]:
    options = {}
    if call.arg("majorDimension"):
        options["major_dimension"] = call.arg("majorDimension") or "ROWS"
    if call.arg("valueRenderOption"):
        options["value_render_option"] = call.arg("valueRenderOption") or "FORMATTED_VALUE"
    if call.arg("dateTimeRenderOption"):
        options["date_time_render_option"] = call.arg("dateTimeRenderOption") or "SERIAL_NUMBER"
    return options


def _input_option(call: Call) -> str:
    option = call.arg("valueInputOption")
    if not option:
        raise InvalidArgument("'valueInputOption' is required but not specified")
    return option


def create(call: Call) -> dict[str, Any]:
    body = call.body or {}
    spreadsheet_id = new_id()
    sheet = models.new_spreadsheet(spreadsheet_id, body)
    call.tx.put(KIND, spreadsheet_id, sheet)
    title = models.render(sheet)["properties"]["title"]
    drive.add_file(call.tx, spreadsheet_id, name=title, mime_type=drive.SHEET_MIME)
    return models.render(sheet, include_grid_data=False)


def get(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    sheet = _load(call, spreadsheet_id)
    # Google ignores includeGridData when a field mask is given: the mask decides.
    fields = call.arg("fields")
    grid = "data" in fields if fields else call.flag("includeGridData")
    return models.render(sheet, ranges=call.args("ranges") or None, include_grid_data=grid)


def batch_update(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    sheet = _load(call, spreadsheet_id)
    new, response = models.batch_update(sheet, call.body or {})
    _save(call, spreadsheet_id, sheet, new)
    return response


def values_get(call: Call, spreadsheet_id: str, range_: str) -> dict[str, Any]:
    return models.values_get(_load(call, spreadsheet_id), range_, **_value_options(call))


def values_batch_get(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    return models.values_batch_get(
        _load(call, spreadsheet_id), call.args("ranges"), **_value_options(call)
    )


def values_update(call: Call, spreadsheet_id: str, range_: str) -> dict[str, Any]:
    sheet = _load(call, spreadsheet_id)
    new, response = models.values_update(
        sheet,
        range_,
        call.body or {},
        value_input_option=_input_option(call),
        include_values_in_response=call.flag("includeValuesInResponse"),
    )
    _save(call, spreadsheet_id, sheet, new)
    return response


def values_batch_update(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    sheet = _load(call, spreadsheet_id)
    new, response = models.values_batch_update(sheet, call.body or {})
    _save(call, spreadsheet_id, sheet, new)
    return response


def values_append(call: Call, spreadsheet_id: str, range_: str) -> dict[str, Any]:
    sheet = _load(call, spreadsheet_id)
    new, response = models.values_append(
        sheet,
        range_,
        call.body or {},
        value_input_option=_input_option(call),
        insert_data_option=call.arg("insertDataOption") or "OVERWRITE",
        include_values_in_response=call.flag("includeValuesInResponse"),
    )
    _save(call, spreadsheet_id, sheet, new)
    return response


def values_clear(call: Call, spreadsheet_id: str, range_: str) -> dict[str, Any]:
    sheet = _load(call, spreadsheet_id)
    new, response = models.values_clear(sheet, range_)
    _save(call, spreadsheet_id, sheet, new)
    return response


def values_batch_clear(call: Call, spreadsheet_id: str) -> dict[str, Any]:
    sheet = _load(call, spreadsheet_id)
    new, response = models.values_batch_clear(sheet, call.body or {})
    _save(call, spreadsheet_id, sheet, new)
    return response
