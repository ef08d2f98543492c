"""Tests of the emulator's Sheets v4 model (A1 notation, values API, batchUpdate, formulas)."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import pytest

from gdoc_sync.emulator.errors import InvalidArgument
from gdoc_sync.emulator.sheets import a1
from gdoc_sync.emulator.sheets import models as m

SID = "1qFopcWEGi_JqeOGvSs93SyFdsSI8J30NzrX92_HZBR0"


def blank(**body: Any) -> dict[str, Any]:
    return m.new_spreadsheet(SID, body or {"properties": {"title": "Test"}})


def put(
    stored: dict[str, Any], range_: str, values: list[list[Any]], option: str = "RAW"
) -> dict[str, Any]:
    new, _ = m.values_update(stored, range_, {"values": values}, value_input_option=option)
    return new


def get(stored: dict[str, Any], range_: str, **options: Any) -> list[list[Any]]:
    return m.values_get(stored, range_, **options).get("values", [])


def batch(
    stored: dict[str, Any], *requests: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    return m.batch_update(stored, {"requests": list(requests)})


def sheet_id(stored: dict[str, Any], title: str) -> int:
    return next(
        s["properties"]["sheetId"]
        for s in m.render(stored)["sheets"]
        if s["properties"]["title"] == title
    )


def error(fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(InvalidArgument) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == 400
    return caught.value.message


# ----------------------------------------------------------------------------------- A1 notation


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA"), (18277, "ZZZ")],
)
def test_column_letters_both_ways(index: int, letters: str) -> None:
    assert a1.column_letters(index) == letters
    assert a1.column_index(letters) == index
    assert a1.column_index(letters.lower()) == index


@pytest.mark.parametrize(
    ("text", "sheet", "bounds", "whole"),
    [
        ("Sheet1!A1:B2", "Sheet1", (0, 2, 0, 2), False),
        ("A1:B2", None, (0, 2, 0, 2), False),
        ("B2:A1", None, (0, 2, 0, 2), False),
        ("'My Sheet'!A:A", "My Sheet", (None, None, 0, 1), False),
        ("'It''s'!1:3", "It's", (0, 3, None, None), False),
        ("Contributions", "Contributions", (None, None, None, None), True),
        ("'My Sheet'", "My Sheet", (None, None, None, None), True),
        ("A2:Z", None, (1, None, 0, 26), False),
        ("A:C", None, (None, None, 0, 3), False),
        ("Sheet1!A1:1", "Sheet1", (0, 1, 0, None), False),
        ("C7", None, (6, 7, 2, 3), False),
        ("$A$1:$B$2", None, (0, 2, 0, 2), False),
        ("a1:b2", None, (0, 2, 0, 2), False),
        ("ZZZ1", None, (0, 1, 18277, 18278), False),
        ("🌵 test_values_get 1!A1", "🌵 test_values_get 1", (0, 1, 0, 1), False),
        ("'Hi!'!B3", "Hi!", (2, 3, 1, 2), False),
        ("'שלום עולם'!A1", "שלום עולם", (0, 1, 0, 1), False),
    ],
)
def test_parse_a1(text: str, sheet: str | None, bounds: tuple[Any, ...], whole: bool) -> None:
    ref = a1.parse(text)
    assert ref.sheet == sheet
    assert (ref.start_row, ref.end_row, ref.start_col, ref.end_col) == bounds
    assert ref.whole_sheet is whole


@pytest.mark.parametrize(
    "text", ["", "'unterminated!A1", "Sheet1!", "Sheet1!A1:B2:C3", "Sheet1!AAAA1", "!A1", "''!A1"]
)
def test_parse_a1_refuses_with_googles_message(text: str) -> None:
    assert error(a1.parse, text) == f"Unable to parse range: {text}"


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("Sheet1", "Sheet1"),
        ("FORENSIC_LIVE", "FORENSIC_LIVE"),
        ("My Sheet", "'My Sheet'"),
        ("It's", "'It''s'"),
        ("🌵 test 1", "'🌵 test 1'"),
        ("A1", "'A1'"),
        ("R1C1", "'R1C1'"),
        ("2024", "'2024'"),
        ("Données", "'Données'"),
    ],
)
def test_sheet_names_are_quoted_only_when_needed(title: str, quoted: str) -> None:
    assert a1.quote_sheet(title) == quoted
    assert a1.parse(f"{quoted}!A1").sheet == title


@pytest.mark.parametrize(
    ("bounds", "cells"),
    [
        ((0, 1, 0, 1), "A1"),
        ((0, 3, 0, 3), "A1:C3"),
        ((None, None, 0, 1), "A:A"),
        ((0, 3, None, None), "1:3"),
        ((1, None, 0, 26), "A2:Z"),
        ((1000, None, 0, 2), "A1001:B"),
        ((0, 2, 26, None), "AA1:2"),
        ((None, None, None, None), ""),
    ],
)
def test_format_cells(bounds: tuple[Any, ...], cells: str) -> None:
    assert a1.format_cells(*bounds) == cells


def test_format_range_and_grid_range_round_trip() -> None:
    assert a1.format_range("My Sheet", 0, 3, 0, 3) == "'My Sheet'!A1:C3"
    assert a1.format_range("Sheet1") == "Sheet1"
    ref = a1.parse("'My Sheet'!B2:D")
    grid = a1.a1_to_grid_range(7, ref)
    assert grid == {"sheetId": 7, "startRowIndex": 1, "startColumnIndex": 1, "endColumnIndex": 4}
    assert a1.grid_range_to_a1("My Sheet", grid) == "'My Sheet'!B2:D"
    assert (
        a1.grid_range_to_a1("T", {"sheetId": 1, "startRowIndex": 1000, "endColumnIndex": 2})
        == "T!A1001:B"
    )
    assert a1.grid_range_to_a1("T", {"sheetId": 1}) == "T"


# ----------------------------------------------------------------------------------- spreadsheets


def test_new_spreadsheet_renders_like_the_live_api() -> None:
    stored = m.new_spreadsheet(SID, {"properties": {"title": "Test WorksheetTest test_append_row"}})
    out = m.render(stored)
    assert list(out) == ["spreadsheetId", "properties", "sheets", "spreadsheetUrl"]
    assert out["spreadsheetUrl"] == f"https://docs.google.com/spreadsheets/d/{SID}/edit"
    props = out["properties"]
    assert (props["title"], props["locale"], props["autoRecalc"], props["timeZone"]) == (
        "Test WorksheetTest test_append_row",
        "en_US",
        "ON_CHANGE",
        "Etc/GMT",
    )
    assert props["defaultFormat"]["textFormat"]["fontFamily"] == "arial,sans,sans-serif"
    assert out["sheets"] == [
        {
            "properties": {
                "sheetId": 0,
                "title": "Sheet1",
                "index": 0,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": 1000, "columnCount": 26},
            }
        }
    ]
    assert json.loads(json.dumps(stored)) == stored


def test_new_spreadsheet_from_a_full_create_body() -> None:
    stored = m.new_spreadsheet(
        SID,
        {
            "properties": {"title": "Workshop", "locale": "fr_FR", "timeZone": "Europe/Paris"},
            "sheets": [
                {
                    "properties": {
                        "title": "Contributions",
                        "gridProperties": {"rowCount": 50, "columnCount": 8, "frozenRowCount": 1},
                    },
                    "data": [
                        {
                            "startRow": 0,
                            "startColumn": 0,
                            "rowData": [
                                {
                                    "values": [
                                        {
                                            "userEnteredValue": {"stringValue": "id"},
                                            "userEnteredFormat": {"textFormat": {"bold": True}},
                                        },
                                        {"userEnteredValue": {"stringValue": "ok"}},
                                    ]
                                },
                                {
                                    "values": [
                                        {"userEnteredValue": {"numberValue": 1}},
                                        {
                                            "userEnteredValue": {"boolValue": False},
                                            "dataValidation": {"condition": {"type": "BOOLEAN"}},
                                        },
                                    ]
                                },
                            ],
                        }
                    ],
                    "protectedRanges": [
                        {"range": {"startRowIndex": 0, "endRowIndex": 1}, "warningOnly": True}
                    ],
                },
                {"properties": {"title": "Journal", "sheetId": 42, "hidden": True}},
            ],
        },
    )
    out = m.render(stored)
    assert [s["properties"]["title"] for s in out["sheets"]] == ["Contributions", "Journal"]
    first, second = out["sheets"]
    assert first["properties"]["sheetId"] == 0
    assert first["properties"]["gridProperties"] == {
        "rowCount": 50,
        "columnCount": 8,
        "frozenRowCount": 1,
    }
    assert second["properties"]["sheetId"] == 42 and second["properties"]["hidden"] is True
    assert first["protectedRanges"][0]["range"]["sheetId"] == 0
    assert m.values_get(stored, "Contributions!A1:B2", value_render_option="UNFORMATTED_VALUE")[
        "values"
    ] == [
        ["id", "ok"],
        [1, False],
    ]
    assert m.sheet_titles(stored) == ["Contributions", "Journal"]


def test_set_title_returns_a_new_object() -> None:
    stored = blank()
    renamed = m.set_title(stored, "Renamed")
    assert m.render(renamed)["properties"]["title"] == "Renamed"
    assert m.render(stored)["properties"]["title"] == "Test"


def test_render_with_grid_data_and_ranges() -> None:
    stored = put(
        blank(),
        "Sheet1!A1",
        [["name", "score"], ["Ada", "=2*21"], ["", '=IMPORTXML("u","x")']],
        "USER_ENTERED",
    )
    stored, _ = batch(stored, {"addSheet": {"properties": {"title": "Other"}}})
    whole = m.render(stored, include_grid_data=True)
    data = whole["sheets"][0]["data"]
    assert (
        len(data) == 1
        and len(data[0]["rowMetadata"]) == 1000
        and len(data[0]["columnMetadata"]) == 26
    )
    assert data[0]["rowMetadata"][0] == {"pixelSize": 21}
    rows = data[0]["rowData"]
    assert rows[0]["values"][0] == {
        "userEnteredValue": {"stringValue": "name"},
        "effectiveValue": {"stringValue": "name"},
        "formattedValue": "name",
    }
    assert rows[1]["values"][1] == {
        "userEnteredValue": {"formulaValue": "=2*21"},
        "effectiveValue": {"numberValue": 42},
        "formattedValue": "42",
    }
    # A formula the emulator cannot evaluate has no effective or formatted value.
    assert rows[2]["values"] == [{}, {"userEnteredValue": {"formulaValue": '=IMPORTXML("u","x")'}}]
    assert "data" in whole["sheets"][1] and "rowData" not in whole["sheets"][1]["data"][0]

    part = m.render(stored, ranges=["Sheet1!B2:C3"], include_grid_data=True)
    assert len(part["sheets"]) == 1
    grid = part["sheets"][0]["data"][0]
    assert (grid["startRow"], grid["startColumn"]) == (1, 1)
    assert grid["rowData"][0]["values"][0]["formattedValue"] == "42"
    assert len(grid["rowMetadata"]) == 2
    assert [s["properties"]["title"] for s in m.render(stored, ranges=["Other!A1"])["sheets"]] == [
        "Other"
    ]


# ----------------------------------------------------------------------------------- values.get


def test_get_trims_like_google() -> None:
    # WorksheetTest.test_update_and_get
    stored = put(
        blank(),
        "'Sheet1'!A1",
        [["A1", "B1", "", "D1"], ["", "b2", "", ""], ["", "", "", ""], ["A4", "B4", "", "D4"]],
    )
    out = m.values_get(stored, "'Sheet1'!A1:D4")
    assert out == {
        "range": "Sheet1!A1:D4",
        "majorDimension": "ROWS",
        "values": [["A1", "B1", "", "D1"], ["", "b2"], [], ["A4", "B4", "", "D4"]],
    }
    assert m.values_get(stored, "Sheet1!F10:G12") == {
        "range": "Sheet1!F10:G12",
        "majorDimension": "ROWS",
    }


def test_get_canonical_ranges() -> None:
    stored, _ = batch(
        blank(),
        {
            "addSheet": {
                "properties": {
                    "title": "🌵 test_values_get 1",
                    "gridProperties": {"rowCount": 10, "columnCount": 10},
                }
            }
        },
    )
    assert m.values_get(stored, "🌵 test_values_get 1")["range"] == "'🌵 test_values_get 1'!A1:J10"
    assert m.values_get(stored, "'Sheet1'!A1:1")["range"] == "Sheet1!A1:Z1"
    assert m.values_get(stored, "'Sheet1'")["range"] == "Sheet1!A1:Z1000"
    assert m.values_get(stored, "A:A")["range"] == "Sheet1!A1:A1000"
    assert m.values_get(stored, "B2")["range"] == "Sheet1!B2"
    assert m.values_get(stored, "B2:B2")["range"] == "Sheet1!B2"
    assert m.values_get(stored, "Sheet1!A1:ZZZ2000")["range"] == "Sheet1!A1:Z1000"  # reads clip
    # Sheet names match case-insensitively; the answer uses the real title.
    assert m.values_get(stored, "sheet1!a1:b2")["range"] == "Sheet1!A1:B2"


def test_get_render_options_and_major_dimension() -> None:
    stored = put(
        blank(),
        "A1",
        [["1,234.5", "12%", "=A1*2", "TRUE"], ["x", "", "2024-01-15"]],
        "USER_ENTERED",
    )
    assert get(stored, "A1:D2") == [["1,234.5", "12%", "2469", "TRUE"], ["x", "", "2024-01-15"]]
    assert get(stored, "A1:D2", value_render_option="UNFORMATTED_VALUE") == [
        [1234.5, 0.12, 2469, True],
        ["x", "", 45306],
    ]
    assert get(stored, "A1:D2", value_render_option="FORMULA") == [
        [1234.5, 0.12, "=A1*2", True],
        ["x", "", 45306],
    ]
    assert get(
        stored,
        "C2",
        value_render_option="UNFORMATTED_VALUE",
        date_time_render_option="FORMATTED_STRING",
    ) == [["2024-01-15"]]
    assert m.values_get(stored, "A1:D2", major_dimension="COLUMNS")["values"] == [
        ["1,234.5", "x"],
        ["12%"],
        ["2469", "2024-01-15"],
        ["TRUE"],
    ]
    assert "Invalid value at 'value_render_option'" in error(
        m.values_get, stored, "A1", value_render_option="PRETTY"
    )


def test_get_past_the_grid_and_unknown_sheets() -> None:
    stored = blank()
    assert error(m.values_get, stored, "Foo!A1") == "Unable to parse range: Foo!A1"
    assert error(m.values_get, stored, "Sheet1!AA1:AB2") == (
        "Unable to parse range: Range (Sheet1!AA1:AB2) exceeds grid limits. "
        "Max rows: 1000, max columns: 26"
    )


def test_batch_get() -> None:
    # SpreadsheetTest.test_values_batch_get
    stored, _ = batch(
        blank(),
        {
            "addSheet": {
                "properties": {
                    "title": "🌵 test_values_batch_get 1",
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 10, "columnCount": 10},
                }
            }
        },
    )
    stored, response = m.values_update(
        stored,
        "🌵 test_values_batch_get 1!A1",
        {"values": [["🍇", "🍉", "🍋"], ["🍐", "🍎", "🍓"]]},
        value_input_option="RAW",
    )
    assert response == {
        "spreadsheetId": SID,
        "updatedRange": "'🌵 test_values_batch_get 1'!A1:C2",
        "updatedRows": 2,
        "updatedColumns": 3,
        "updatedCells": 6,
    }
    out = m.values_batch_get(stored, [f"🌵 test_values_batch_get 1!{c}:{c}" for c in "ABC"])
    assert out == {
        "spreadsheetId": SID,
        "valueRanges": [
            {
                "range": "'🌵 test_values_batch_get 1'!A1:A10",
                "majorDimension": "ROWS",
                "values": [["🍇"], ["🍐"]],
            },
            {
                "range": "'🌵 test_values_batch_get 1'!B1:B10",
                "majorDimension": "ROWS",
                "values": [["🍉"], ["🍎"]],
            },
            {
                "range": "'🌵 test_values_batch_get 1'!C1:C10",
                "majorDimension": "ROWS",
                "values": [["🍋"], ["🍓"]],
            },
        ],
    }
    assert m.values_batch_get(stored, []) == {"spreadsheetId": SID}


# ----------------------------------------------------------------------------------- writing values


def test_raw_stores_values_as_given() -> None:
    texts = [
        '=IMPORTXML("http://x","//a")',
        "+1",
        "1,234.5",
        "12%",
        "TRUE",
        "'quoted",
        "2024-01-15",
        "007",
    ]
    stored = put(blank(), "A1", [texts, [1, 1.45, True, 0.4]])
    assert get(stored, "A1:H1", value_render_option="UNFORMATTED_VALUE") == [texts]
    assert get(stored, "A1:H1", value_render_option="FORMULA") == [texts]
    assert get(stored, "A2:D2") == [["1", "1.45", "TRUE", "0.4"]]
    cell = m.render(stored, ranges=["A1"], include_grid_data=True)["sheets"][0]["data"][0][
        "rowData"
    ][0]["values"][0]
    assert cell["userEnteredValue"] == {"stringValue": texts[0]}
    assert cell["effectiveValue"] == {"stringValue": texts[0]}


@pytest.mark.parametrize(
    ("typed", "unformatted", "formatted"),
    [
        ("1,234.5", 1234.5, "1,234.5"),
        ("12%", 0.12, "12%"),
        ("12.5%", 0.125, "12.50%"),
        ("-3", -3, "-3"),
        ("+1", 1, "1"),
        ("0012", 12, "12"),
        ("$5", 5, "$5.00"),
        ("1e3", 1000, "1.00E+03"),
        ("true", True, "TRUE"),
        ("FALSE", False, "FALSE"),
        ("'007", "007", "007"),
        ("'=1+1", "=1+1", "=1+1"),
        ("=1+2*3", 7, "7"),
        ("2024-01-15", 45306, "2024-01-15"),
        ("1/15/2024", 45306, "1/15/2024"),
        ("2024-01-15 18:00", 45306.75, "2024-01-15 18:00:00"),
        ("1,23", "1,23", "1,23"),
        ("+49 30 1234", "+49 30 1234", "+49 30 1234"),
        ("-", "-", "-"),
        ("=", "=", "="),
        ("hello", "hello", "hello"),
    ],
)
def test_user_entered_parses_as_the_ui(typed: str, unformatted: Any, formatted: str) -> None:
    stored = put(blank(), "A1", [[typed]], "USER_ENTERED")
    assert get(stored, "A1", value_render_option="UNFORMATTED_VALUE") == [[unformatted]]
    assert get(stored, "A1") == [[formatted]]


def test_user_entered_number_format_is_kept_in_user_entered_format() -> None:
    stored = put(blank(), "A1", [["12%"]], "USER_ENTERED")
    cell = m.render(stored, ranges=["A1"], include_grid_data=True)["sheets"][0]["data"][0][
        "rowData"
    ][0]["values"][0]
    assert cell["userEnteredFormat"] == {"numberFormat": {"type": "PERCENT", "pattern": "0%"}}
    # A number written later into that cell keeps the cell's format.
    stored = put(stored, "A1", [[0.5]], "USER_ENTERED")
    assert get(stored, "A1") == [["50%"]]


def test_unicode_rtl_emoji_and_multiline_text_round_trip() -> None:
    texts = [
        "Iñtërnâtiônàlizætiøn",
        "مرحبا بالعالم",
        "שלום",
        "👩🏽‍💻 🇫🇷",
        "line 1\nline 2",
        "\u202fnarrow",
    ]
    for option in ("RAW", "USER_ENTERED"):
        stored = put(blank(), "'Sheet1'!A1", [texts], option)
        assert get(stored, "'Sheet1'!A1:F1") == [texts]
    stored, _ = batch(
        blank(),
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "title": "سجل", "rightToLeft": True},
                "fields": "title,rightToLeft",
            }
        },
    )
    props = m.render(stored)["sheets"][0]["properties"]
    assert props["title"] == "سجل" and props["rightToLeft"] is True
    stored = put(stored, "'سجل'!A1", [["نعم"]])
    assert m.values_get(stored, "سجل!A1") == {
        "range": "'سجل'!A1",
        "majorDimension": "ROWS",
        "values": [["نعم"]],
    }


def test_update_errors_use_googles_messages() -> None:
    stored = blank()
    assert error(
        m.values_update, stored, "'Sheet1'!A1001", {"values": [["x"]]}, value_input_option="RAW"
    ) == ("Range ('Sheet1'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26")
    assert error(
        m.values_update, stored, "Sheet1!Z1", {"values": [["x", "y"]]}, value_input_option="RAW"
    ) == ("Range (Sheet1!Z1:AA1) exceeds grid limits. Max rows: 1000, max columns: 26")
    assert error(
        m.values_update,
        stored,
        "Sheet1!A1:B1",
        {"values": [["a", "b", "c"]]},
        value_input_option="RAW",
    ) == ("Requested writing within range [Sheet1!A1:B1], but tried writing to column [C]")
    assert error(
        m.values_update,
        stored,
        "Sheet1!A1:B1",
        {"values": [["a"], ["b"]]},
        value_input_option="RAW",
    ) == ("Requested writing within range [Sheet1!A1:B1], but tried writing to row [2]")
    assert error(
        m.values_update, stored, "Nope!A1", {"values": [["x"]]}, value_input_option="RAW"
    ) == ("Unable to parse range: Nope!A1")
    assert error(m.values_update, stored, "A1", {"values": [["x"]]}, value_input_option="") == (
        "'valueInputOption' is required but not specified"
    )
    assert "Invalid value at 'value_input_option'" in error(
        m.values_update, stored, "A1", {"values": [["x"]]}, value_input_option="SOMETIMES"
    )
    # WorksheetTest.test_add_validation: values that are not a list of lists.
    with pytest.raises(InvalidArgument) as caught:
        m.values_update(
            stored, "'Sheet1'!A1", {"values": "X", "majorDimension": None}, value_input_option="RAW"
        )
    message = (
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )
    assert caught.value.message == message
    assert caught.value.details[0]["fieldViolations"] == [
        {"field": "data.values", "description": message}
    ]
    assert error(
        m.values_update, stored, "A1", {"values": [["ok"], "x"]}, value_input_option="RAW"
    ).startswith("Invalid value at 'data.values[1]'")
    assert error(
        m.values_update, stored, "A1", {"values": [[["nested"]]]}, value_input_option="RAW"
    ).startswith("Invalid values[0][0]: list_value {")


def test_update_details() -> None:
    stored = put(blank(), "A1", [["keep", "old"]])
    stored, response = m.values_update(
        stored,
        "A1",
        {"values": [[None, "new", ""]]},
        value_input_option="RAW",
        include_values_in_response=True,
    )
    assert get(stored, "A1:C1") == [["keep", "new"]]  # None skips a cell, "" clears one
    assert response["updatedRange"] == "Sheet1!A1:C1"
    assert response["updatedData"] == {
        "range": "Sheet1!A1:C1",
        "majorDimension": "ROWS",
        "values": [["keep", "new"]],
    }
    stored = put(stored, "Sheet1", [["whole sheet anchors at A1"]])
    assert get(stored, "A1") == [["whole sheet anchors at A1"]]
    stored, _ = m.values_update(
        stored,
        "D1",
        {"values": [[1, 2], [3]], "majorDimension": "COLUMNS"},
        value_input_option="RAW",
    )
    assert get(stored, "D1:E2", value_render_option="UNFORMATTED_VALUE") == [[1, 3], [2]]


def test_values_batch_update_totals() -> None:
    # WorksheetTest.test_batch_update
    stored, response = m.values_batch_update(
        blank(),
        {
            "valueInputOption": "RAW",
            "data": [
                {"range": "'Sheet1'!A1:D1", "values": [["A1", "B1", "", "D1"]]},
                {"range": "'Sheet1'!A4:D4", "values": [["A4", "B4", "", "D4"]]},
            ],
        },
    )
    assert response == {
        "spreadsheetId": SID,
        "totalUpdatedRows": 2,
        "totalUpdatedColumns": 4,
        "totalUpdatedCells": 8,
        "totalUpdatedSheets": 1,
        "responses": [
            {
                "spreadsheetId": SID,
                "updatedRange": "Sheet1!A1:D1",
                "updatedRows": 1,
                "updatedColumns": 4,
                "updatedCells": 4,
            },
            {
                "spreadsheetId": SID,
                "updatedRange": "Sheet1!A4:D4",
                "updatedRows": 1,
                "updatedColumns": 4,
                "updatedCells": 4,
            },
        ],
    }
    assert get(stored, "'Sheet1'!A1:D4") == [["A1", "B1", "", "D1"], [], [], ["A4", "B4", "", "D4"]]
    assert (
        error(m.values_batch_update, stored, {"data": []})
        == "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED"
    )


def test_a_failed_batch_leaves_nothing_written() -> None:
    stored = blank()
    before = json.dumps(stored)
    body = {
        "valueInputOption": "RAW",
        "data": [{"range": "A1", "values": [["x"]]}, {"range": "Nope!A1", "values": [["y"]]}],
    }
    assert error(m.values_batch_update, stored, body) == "Unable to parse range: Nope!A1"
    assert json.dumps(stored) == before


# ----------------------------------------------------------------------------------- append


def test_append_as_recorded() -> None:
    # WorksheetTest.test_append_row_with_empty_value_and_table_range
    stored, cleared = m.values_clear(blank(), "'Sheet1'")
    assert cleared == {"spreadsheetId": SID, "clearedRange": "Sheet1!A1:Z1000"}
    row = ["value 1", "", "value 3"]
    stored, first = m.values_append(stored, "'Sheet1'", {"values": [row]}, value_input_option="RAW")
    assert first == {
        "spreadsheetId": SID,
        "updates": {
            "spreadsheetId": SID,
            "updatedRange": "Sheet1!A1:C1",
            "updatedRows": 1,
            "updatedColumns": 3,
            "updatedCells": 3,
        },
    }
    stored, second = m.values_append(
        stored, "'Sheet1'!A1", {"values": [row]}, value_input_option="RAW"
    )
    assert second == {
        "spreadsheetId": SID,
        "tableRange": "Sheet1!A1",
        "updates": {
            "spreadsheetId": SID,
            "updatedRange": "Sheet1!A2:C2",
            "updatedRows": 1,
            "updatedColumns": 3,
            "updatedCells": 3,
        },
    }
    assert m.values_get(stored, "'Sheet1'!A2:2")["values"] == [row]


def test_append_finds_the_first_table_in_the_range() -> None:
    stored = put(blank(), "A1", [["id", "name", "status"], ["1", "Ada", "ok"], ["2", "", "ok"]])
    stored = put(stored, "A6", [["notes below a gap"]])
    stored, response = m.values_append(
        stored, "Sheet1!A1:C1", {"values": [["3", "Grace", "new"]]}, value_input_option="RAW"
    )
    assert response["tableRange"] == "Sheet1!A1:C3"
    assert response["updates"]["updatedRange"] == "Sheet1!A4:C4"
    # A filled cell of the range finds the whole table around it, beyond the range.
    stored, response = m.values_append(
        stored, "Sheet1!B1", {"values": [["x"]]}, value_input_option="RAW"
    )
    assert (
        response["tableRange"] == "Sheet1!A1:C4"
        and response["updates"]["updatedRange"] == "Sheet1!A5"
    )
    # A range with nothing in it has no table: the values land at its first cell.
    stored, response = m.values_append(
        stored, "Sheet1!E1:E3", {"values": [["side"]]}, value_input_option="RAW"
    )
    assert "tableRange" not in response and response["updates"]["updatedRange"] == "Sheet1!E1"


def test_append_into_an_inserted_row_as_gspread_insert_rows_does() -> None:
    stored = put(blank(), "A1", [["h1", "h2"], ["a", "b"], ["c", "d"]])
    stored, _ = batch(
        stored,
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2},
                "inheritFromBefore": False,
            }
        },
    )
    stored, response = m.values_append(
        stored,
        "'Sheet1'!A2",
        {"majorDimension": "ROWS", "values": [["x", "y"]]},
        value_input_option="RAW",
    )
    assert "tableRange" not in response and response["updates"]["updatedRange"] == "Sheet1!A2:B2"
    assert get(stored, "A1:B4") == [["h1", "h2"], ["x", "y"], ["a", "b"], ["c", "d"]]


def test_append_insert_rows_and_growth() -> None:
    stored, _ = batch(
        blank(),
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 3, "columnCount": 2}},
                "fields": "gridProperties(rowCount,columnCount)",
            }
        },
    )
    stored = put(stored, "A1", [["h1", "h2"], ["a", "b"]])
    stored = put(stored, "A3", [["tail"]])  # contiguous, part of the table
    stored, response = m.values_append(
        stored,
        "A1",
        {"values": [["c", "d", "e"], ["f"]]},
        value_input_option="USER_ENTERED",
        include_values_in_response=True,
    )
    assert response["updates"]["updatedRange"] == "Sheet1!A4:C5"
    assert response["updates"]["updatedData"]["values"] == [["c", "d", "e"], ["f"]]
    props = m.render(stored)["sheets"][0]["properties"]["gridProperties"]
    assert props == {"rowCount": 5, "columnCount": 3}

    stored = put(blank(), "A1", [["h"], ["a"], [""], ["after the gap"]])
    stored, response = m.values_append(
        stored,
        "A:A",
        {"values": [["inserted"]]},
        value_input_option="RAW",
        insert_data_option="INSERT_ROWS",
    )
    # The table is the one around the range's last filled cell (recorded by gspread's
    # test_append_row_with_empty_value: tableRange Sheet1!C1 after a row [a, "", c]).
    assert response["tableRange"] == "Sheet1!A4"
    assert response["updates"]["updatedRange"] == "Sheet1!A5"
    assert get(stored, "A1:A5") == [["h"], ["a"], [], ["after the gap"], ["inserted"]]
    assert m.render(stored)["sheets"][0]["properties"]["gridProperties"]["rowCount"] == 1001


# ----------------------------------------------------------------------------------- clear


def test_clear_keeps_formats_and_batch_clear() -> None:
    stored = put(blank(), "A1", [["12345", "ThisIsText"]])
    stored = put(stored, "C2", [["5678", "Second", "Text"]])
    stored, _ = batch(
        stored,
        {
            "repeatCell": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
    )
    stored, response = m.values_batch_clear(
        stored, {"ranges": ["'Sheet1'!A1:B1", "'Sheet1'!C2:E2"]}
    )
    assert response == {"spreadsheetId": SID, "clearedRanges": ["Sheet1!A1:B1", "Sheet1!C2:E2"]}
    assert m.values_get(stored, "'Sheet1'!A1:B1") == {
        "range": "Sheet1!A1:B1",
        "majorDimension": "ROWS",
    }
    cell = m.render(stored, ranges=["A1"], include_grid_data=True)["sheets"][0]["data"][0][
        "rowData"
    ][0]["values"][0]
    assert cell == {"userEnteredFormat": {"textFormat": {"bold": True}}}
    assert error(m.values_batch_clear, stored, {"ranges": ["A1", "Sheet1!A1001:B"]}) == (
        "Invalid range[1]: Range (Sheet1!A1001:B) exceeds grid limits. "
        "Max rows: 1000, max columns: 26"
    )


# ----------------------------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("formula", "shown"),
    [
        ("=1+2*3", "7"),
        ("=(1+2)*3", "9"),
        ("=-2^2", "4"),
        ("=2^3^2", "64"),
        ("=10/4", "2.5"),
        ("=50%", "0.5"),
        ('="a"&"b"&1', "ab1"),
        ("=1<2", "TRUE"),
        ('="A"="a"', "TRUE"),
        ("=SUM(A1:A3)", "6"),
        ("=SUM(A:A)", "6"),
        ("=SUM(A1:A3, 10)", "16"),
        ("=AVERAGE(A1:A3)", "2"),
        ("=COUNTA(A1:B4)", "5"),
        ("=COUNT(A1:B4)", "3"),
        ('=COUNTIF(B1:B4,"yes")', "1"),
        ('=COUNTIF(A1:A3,">1")', "2"),
        ('=COUNTIF(B1:B4,"n*")', "1"),
        ('=COUNTIF(A1:B4,"")', "3"),
        ('=COUNTIF(A1:A3,"<>2")', "2"),
        ('=COUNTIF(A1:A3,"<=2")', "2"),
        ('=COUNTIF(B1:B4,"<o")', "1"),
        ('=COUNTIF(B1:B4,">=n")', "2"),
        ('=SUMIF(B1:B4,"yes",A1:A4)', "1"),
        ("=MAX(A1:A3)-MIN(A1:A3)", "2"),
        ('=IF(A1>0,"pos","neg")', "pos"),
        ('=IFERROR(1/0,"none")', "none"),
        ("=1/0", "#DIV/0!"),
        ('=LEN("héllo")', "5"),
        ('=UPPER("abc")&LOWER("DEF")', "ABCdef"),
        ('=TRIM("  a   b  ")', "a b"),
        ("=ROUND(2.5)", "3"),
        ("=ROUND(1.2345,2)", "1.23"),
        ("=AND(TRUE,A1=1)", "TRUE"),
        ("=NOT(OR(FALSE,FALSE))", "TRUE"),
        ("=Data!A1*2", "84"),
        ("='My Data'!A1+1", "8"),
        ("=Nope!A1", "#REF!"),
        ("=unknown_name", "#NAME?"),
        ('=CONCATENATE("x",A2,"y")', "x2y"),
        ('=A1+"3"', "4"),
        ('=A1+"three"', "#VALUE!"),
        ("=ROWS(A1:A3)*COLUMNS(A1:B1)", "6"),
        ('=IMPORTXML("http://x","//a")', ""),
        ("={1,2}", ""),
    ],
)
def test_formulas(formula: str, shown: str) -> None:
    stored, _ = batch(
        blank(),
        {"addSheet": {"properties": {"title": "Data"}}},
        {"addSheet": {"properties": {"title": "My Data"}}},
    )
    stored = put(stored, "Sheet1!A1", [[1, "yes"], [2, "no"], [3]])
    stored = put(stored, "Data!A1", [[42]])
    stored = put(stored, "'My Data'!A1", [[7]])
    stored = put(stored, "Sheet1!D1", [[formula]], "USER_ENTERED")
    assert get(stored, "Sheet1!D1") == ([[shown]] if shown else [])


def test_formula_results_follow_their_inputs() -> None:
    stored = put(blank(), "A1", [[1], [2], ["=SUM(A1:A2)"], ["=A3*10"]], "USER_ENTERED")
    assert get(stored, "A3:A4") == [["3"], ["30"]]
    stored = put(stored, "A1", [[5]])
    assert get(stored, "A3:A4") == [["7"], ["70"]]
    stored = put(stored, "B1", [["=B2"], ["=B1"]], "USER_ENTERED")
    assert get(stored, "B1:B2") == [["#REF!"], ["#REF!"]]
    cell = m.render(stored, ranges=["Sheet1!B1"], include_grid_data=True)["sheets"][0]["data"][0][
        "rowData"
    ][0]["values"][0]
    assert cell["effectiveValue"]["errorValue"]["type"] == "REF"


# ----------------------------------------------------------------------------------- batchUpdate


def test_add_and_delete_sheets() -> None:
    # SpreadsheetTest.test_add_del_worksheet
    stored = blank()
    stored, response = batch(
        stored,
        {
            "addSheet": {
                "properties": {
                    "title": "test_add_del_worksheet 1",
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": 1, "columnCount": 1},
                }
            }
        },
    )
    props = response["replies"][0]["addSheet"]["properties"]
    assert list(response) == ["spreadsheetId", "replies"]
    assert {k: v for k, v in props.items() if k != "sheetId"} == {
        "title": "test_add_del_worksheet 1",
        "index": 1,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 1, "columnCount": 1},
    }
    assert isinstance(props["sheetId"], int) and 0 < props["sheetId"] < 2**31
    stored, response = batch(
        stored, {"addSheet": {}}, {"addSheet": {"properties": {"title": "First", "index": 0}}}
    )
    assert response["replies"][0]["addSheet"]["properties"]["title"] == "Sheet3"
    assert m.sheet_titles(stored) == ["First", "Sheet1", "test_add_del_worksheet 1", "Sheet3"]
    stored, response = batch(stored, {"deleteSheet": {"sheetId": props["sheetId"]}})
    assert response == {"spreadsheetId": SID, "replies": [{}]}
    assert [s["properties"]["index"] for s in m.render(stored)["sheets"]] == [0, 1, 2]
    assert error(batch, stored, {"addSheet": {"properties": {"title": "FIRST"}}}) == (
        'Invalid requests[0].addSheet: A sheet with the name "FIRST" already exists. '
        "Please enter another name."
    )
    assert (
        error(batch, stored, {"deleteSheet": {"sheetId": 999}})
        == "Invalid requests[0].deleteSheet: No grid with id: 999"
    )
    only = blank()
    assert error(batch, only, {"deleteSheet": {"sheetId": 0}}) == (
        "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document."
    )


def test_duplicate_sheet() -> None:
    stored = put(blank(), "A1", [["x"]])
    stored, response = batch(stored, {"duplicateSheet": {"sourceSheetId": 0}})
    props = response["replies"][0]["duplicateSheet"]["properties"]
    assert (props["title"], props["index"]) == ("Copy of Sheet1", 1)
    assert get(stored, "'Copy of Sheet1'!A1") == [["x"]]


def test_update_sheet_properties() -> None:
    stored, _ = batch(
        blank(),
        {
            "addSheet": {
                "properties": {
                    "title": "you cannot see me",
                    "gridProperties": {"rowCount": 2, "columnCount": 2},
                }
            }
        },
    )
    other = sheet_id(stored, "you cannot see me")
    # WorksheetTest.test_hide_show_worksheet
    assert error(
        batch,
        blank(),
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "hidden": True},
                "fields": "hidden",
            }
        },
    ) == ("Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document.")
    stored, _ = batch(
        stored,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": other, "hidden": True},
                "fields": "hidden",
            }
        },
    )
    assert m.render(stored)["sheets"][1]["properties"]["hidden"] is True
    stored, _ = batch(
        stored,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": other, "hidden": False},
                "fields": "hidden",
            }
        },
    )
    assert "hidden" not in m.render(stored)["sheets"][1]["properties"]
    # WorksheetTest.test_update_title
    stored, _ = batch(
        stored,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "title": "I'm a new title"},
                "fields": "title",
            }
        },
    )
    assert m.sheet_titles(stored)[0] == "I'm a new title"
    assert m.values_get(stored, "'I''m a new title'!A1")["range"] == "'I''m a new title'!A1"
    stored, _ = batch(
        stored,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
    )
    assert m.render(stored)["sheets"][0]["properties"]["gridProperties"] == {
        "rowCount": 1000,
        "columnCount": 26,
        "frozenRowCount": 1,
    }
    stored, _ = batch(
        stored,
        {"updateSheetProperties": {"properties": {"sheetId": 0, "index": 2}, "fields": "index"}},
    )
    assert m.sheet_titles(stored) == ["you cannot see me", "I'm a new title"]
    assert error(
        batch,
        stored,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "title": "YOU CANNOT SEE ME"},
                "fields": "title",
            }
        },
    ).endswith(
        'A sheet with the name "YOU CANNOT SEE ME" already exists. Please enter another name.'
    )
    assert error(batch, stored, {"updateSheetProperties": {"properties": {"sheetId": 0}}}) == (
        "Invalid requests[0].updateSheetProperties: At least one field must be listed in 'fields'. "
        "(Use '*' to indicate all fields.)"
    )


def test_shrinking_the_grid_drops_data() -> None:
    stored = put(blank(), "A1", [["a", "b", "c"], ["d", "e", "f"], ["g"]])
    stored, _ = batch(
        stored,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"rowCount": 2, "columnCount": 2}},
                "fields": "gridProperties/rowCount,gridProperties/columnCount",
            }
        },
    )
    assert m.values_get(stored, "Sheet1") == {
        "range": "Sheet1!A1:B2",
        "majorDimension": "ROWS",
        "values": [["a", "b"], ["d", "e"]],
    }


def test_repeat_cell_and_update_cells() -> None:
    stored = put(blank(), "A1", [["a", "b"], ["c", "d"]])
    stored, _ = batch(
        stored,
        {
            "repeatCell": {
                "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {
                    "userEnteredFormat": {
                        "textFormat": {"bold": True},
                        "backgroundColor": {"red": 1},
                    }
                },
                "fields": "userEnteredFormat(textFormat,backgroundColor)",
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 1},
                "rows": [{"values": [{"userEnteredValue": {"numberValue": 9}, "note": "changed"}]}],
                "fields": "userEnteredValue,note",
            }
        },
        {
            "updateCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 2,
                    "endRowIndex": 4,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "rows": [{"values": [{"userEnteredValue": {"formulaValue": "=B2+1"}}]}],
                "fields": "*",
            }
        },
    )
    assert get(stored, "A1:B3") == [["a", "b"], ["c", "9"], ["10"]]
    data = m.render(stored, include_grid_data=True)["sheets"][0]["data"][0]["rowData"]
    assert data[0]["values"][1]["userEnteredFormat"] == {
        "textFormat": {"bold": True},
        "backgroundColor": {"red": 1},
        "backgroundColorStyle": {"rgbColor": {"red": 1}},  # Google answers both
    }
    assert len(data[0]["values"]) == 26  # the format of the whole row lives on its 26 cells
    assert data[1]["values"][1]["note"] == "changed"
    assert error(
        batch,
        stored,
        {
            "repeatCell": {
                "range": {"sheetId": 0, "startRowIndex": 1000},
                "cell": {},
                "fields": "userEnteredFormat",
            }
        },
    ) == (
        "Invalid requests[0].repeatCell: Range (Sheet1!A1001:Z) exceeds grid limits. "
        "Max rows: 1000, max columns: 26"
    )
    # A range that starts inside the grid and ends past it is clipped, not refused.
    stored, _ = batch(
        stored,
        {
            "repeatCell": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 999,
                    "endRowIndex": 1003,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "cell": {"note": "end"},
                "fields": "note",
            }
        },
    )
    assert m.render(stored)["sheets"][0]["properties"]["gridProperties"]["rowCount"] == 1000


def test_checkbox_cells_hold_booleans() -> None:
    stored = put(blank(), "A1", [["done"], ["TRUE"], ["false"], ["maybe"]])
    stored, _ = batch(
        stored,
        {
            "setDataValidation": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 10,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "rule": {"condition": {"type": "BOOLEAN"}, "strict": True},
            }
        },
    )
    assert get(stored, "A2:A4", value_render_option="UNFORMATTED_VALUE") == [
        [True],
        [False],
        ["maybe"],
    ]
    stored = put(stored, "A5", [["TRUE"]], "RAW")
    assert get(stored, "A5", value_render_option="UNFORMATTED_VALUE") == [[True]]
    stored = put(stored, "A5", [[False]], "USER_ENTERED")
    cell = m.render(stored, ranges=["A5"], include_grid_data=True)["sheets"][0]["data"][0][
        "rowData"
    ][0]["values"][0]
    assert cell["userEnteredValue"] == {"boolValue": False} and cell["formattedValue"] == "FALSE"
    assert cell["dataValidation"] == {"condition": {"type": "BOOLEAN"}, "strict": True}
    stored, _ = batch(
        stored,
        {
            "setDataValidation": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 10,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                }
            }
        },
    )
    assert (
        "dataValidation"
        not in m.render(stored, ranges=["A5"], include_grid_data=True)["sheets"][0]["data"][0][
            "rowData"
        ][0]["values"][0]
    )


def test_protected_ranges() -> None:
    stored, response = batch(
        blank(),
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                    "description": "header",
                    "warningOnly": True,
                }
            }
        },
    )
    added = response["replies"][0]["addProtectedRange"]["protectedRange"]
    assert added == {
        "protectedRangeId": added["protectedRangeId"],
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
        "description": "header",
        "warningOnly": True,
        "requestingUserCanEdit": True,
    }
    assert m.render(stored)["sheets"][0]["protectedRanges"] == [added]
    stored, _ = batch(
        stored,
        {
            "updateProtectedRange": {
                "protectedRange": {
                    "protectedRangeId": added["protectedRangeId"],
                    "description": "top",
                },
                "fields": "description",
            }
        },
    )
    assert m.render(stored)["sheets"][0]["protectedRanges"][0]["description"] == "top"
    stored, _ = batch(
        stored, {"deleteProtectedRange": {"protectedRangeId": added["protectedRangeId"]}}
    )
    assert "protectedRanges" not in m.render(stored)["sheets"][0]
    assert error(batch, stored, {"deleteProtectedRange": {"protectedRangeId": 5}}) == (
        "Invalid requests[0].deleteProtectedRange: No protected range with id: 5"
    )


def test_dimensions() -> None:
    stored = put(blank(), "A1", [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]])
    stored, _ = batch(
        stored,
        {
            "repeatCell": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 2,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "cell": {"userEnteredFormat": {"textFormat": {"italic": True}}},
                "fields": "userEnteredFormat",
            }
        },
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 2,
                    "endRowIndex": 3,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "mergeType": "MERGE_ALL",
            }
        },
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 2, "endIndex": 3},
                "inheritFromBefore": True,
            }
        },
        {
            "deleteDimension": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}
            }
        },
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 5}},
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                "properties": {"pixelSize": 150, "hiddenByUser": True},
                "fields": "pixelSize,hiddenByUser",
            }
        },
        {
            "autoResizeDimensions": {
                "dimensions": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}
            }
        },
    )
    assert get(stored, "A1:C4") == [["a", "c"], ["d", "f"], [], ["g", "i"]]
    sheet = m.render(stored, include_grid_data=True)["sheets"][0]
    assert sheet["properties"]["gridProperties"] == {"rowCount": 1006, "columnCount": 25}
    assert "merges" not in sheet  # A3:B3 moved down a row, then lost column B: one cell is no merge
    inserted = sheet["data"][0]["rowData"][2]["values"][0]
    assert inserted == {
        "userEnteredFormat": {"textFormat": {"italic": True}}
    }  # inherited from the row before
    columns = sheet["data"][0]["columnMetadata"]
    assert columns[0] == {"pixelSize": 150, "hiddenByUser": True}
    assert columns[1]["pixelSize"] == 7 * 1 + 10
    assert error(
        batch,
        stored,
        {
            "deleteDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1006}
            }
        },
    ) == ("Invalid requests[0].deleteDimension: You can't delete all the rows on the sheet.")


def test_merges_move_and_vanish_with_their_rows() -> None:
    stored, _ = batch(
        blank(),
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 2,
                    "endRowIndex": 4,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                }
            }
        },
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 2}
            }
        },
    )
    assert m.render(stored)["sheets"][0]["merges"] == [
        {
            "sheetId": 0,
            "startRowIndex": 4,
            "endRowIndex": 6,
            "startColumnIndex": 0,
            "endColumnIndex": 2,
        }
    ]
    assert error(
        batch,
        stored,
        {
            "unmergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 4,
                    "endRowIndex": 5,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                }
            }
        },
    ) == (
        "Invalid requests[0].unmergeCells: "
        "You must select all cells in a merged cell to merge or unmerge them."
    )
    gone, _ = batch(
        stored,
        {
            "deleteDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 4, "endIndex": 6}
            }
        },
    )
    assert "merges" not in m.render(gone)["sheets"][0]
    stored, _ = batch(
        stored,
        {"unmergeCells": {"range": {"sheetId": 0}}},
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 2,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "mergeType": "MERGE_ROWS",
            }
        },
    )
    assert len(m.render(stored)["sheets"][0]["merges"]) == 2


def test_sort_range_as_a_human_would() -> None:
    stored = put(
        blank(), "A1", [["name", "score"], ["b", 2], ["a", 10], ["", ""], ["c", "x"], ["d", 2]]
    )
    stored, _ = batch(
        stored,
        {
            "sortRange": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 6,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
                "sortSpecs": [
                    {"dimensionIndex": 1, "sortOrder": "DESCENDING"},
                    {"dimensionIndex": 0, "sortOrder": "ASCENDING"},
                ],
            }
        },
    )
    assert get(stored, "A1:B6") == [
        ["name", "score"],
        ["c", "x"],
        ["a", "10"],
        ["b", "2"],
        ["d", "2"],
    ]
    stored, _ = batch(
        stored,
        {
            "sortRange": {
                "range": {"sheetId": 0, "startRowIndex": 1},
                "sortSpecs": [{"dimensionIndex": 0}],
            }
        },
    )
    assert get(stored, "A2:A5") == [["a"], ["b"], ["c"], ["d"]]


def test_named_ranges_and_spreadsheet_properties() -> None:
    stored = put(blank(), "A1", [[1], [2]])
    stored, response = batch(
        stored,
        {
            "addNamedRange": {
                "namedRange": {
                    "name": "scores",
                    "range": {
                        "sheetId": 0,
                        "startRowIndex": 0,
                        "endRowIndex": 2,
                        "startColumnIndex": 0,
                        "endColumnIndex": 1,
                    },
                }
            }
        },
        {
            "updateSpreadsheetProperties": {
                "properties": {"title": "Renamed", "locale": "de_DE"},
                "fields": "title,locale",
            }
        },
    )
    named = response["replies"][0]["addNamedRange"]["namedRange"]
    assert named["name"] == "scores" and isinstance(named["namedRangeId"], str)
    out = m.render(stored)
    assert (out["properties"]["title"], out["properties"]["locale"]) == ("Renamed", "de_DE")
    assert out["namedRanges"] == [named]
    assert m.values_get(stored, "scores")["values"] == [["1"], ["2"]]
    stored = put(stored, "B1", [["=SUM(scores)"]], "USER_ENTERED")
    assert get(stored, "B1") == [["3"]]
    assert "is not a valid range name" in error(
        batch,
        stored,
        {"addNamedRange": {"namedRange": {"name": "gdoc_sync:q1", "range": {"sheetId": 0}}}},
    )
    stored, _ = batch(stored, {"deleteNamedRange": {"namedRangeId": named["namedRangeId"]}})
    assert "namedRanges" not in m.render(stored)


def test_filters_and_conditional_formats_are_kept() -> None:
    rule = {
        "ranges": [{"sheetId": 0, "startColumnIndex": 2, "endColumnIndex": 3}],
        "booleanRule": {
            "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "withdrawn"}]},
            "format": {"textFormat": {"strikethrough": True}},
        },
    }
    stored, _ = batch(
        blank(),
        {"setBasicFilter": {"filter": {"range": {"sheetId": 0, "startRowIndex": 0}}}},
        {"addConditionalFormatRule": {"rule": rule, "index": 0}},
    )
    sheet = m.render(stored)["sheets"][0]
    # Google answers with the four bounds, zeros included (gspread's test_basic_filters).
    assert sheet["basicFilter"] == {
        "range": {
            "sheetId": 0,
            "startRowIndex": 0,
            "endRowIndex": 1000,
            "startColumnIndex": 0,
            "endColumnIndex": 26,
        }
    }
    assert sheet["conditionalFormats"] == [rule]
    stored, response = batch(
        stored,
        {"clearBasicFilter": {"sheetId": 0}},
        {"deleteConditionalFormatRule": {"sheetId": 0, "index": 0}},
    )
    assert response["replies"][1] == {"deleteConditionalFormatRule": {"rule": rule}}
    assert set(m.render(stored)["sheets"][0]) == {"properties"}


def test_unknown_and_unsupported_requests() -> None:
    assert error(batch, blank(), {"addSlicer": {}}) == (
        "Invalid requests[0].addSlicer: addSlicer is not supported by the gdoc-sync emulator."
    )
    assert error(batch, blank(), {"makeCoffee": {}}) == (
        'Invalid JSON payload received. Unknown name "makeCoffee" at '
        "'requests[0]': Cannot find field."
    )


def test_batch_update_is_all_or_nothing_and_can_return_the_spreadsheet() -> None:
    stored = blank()
    before = copy.deepcopy(stored)
    message = error(
        batch,
        stored,
        {"addSheet": {"properties": {"title": "New"}}},
        {"addSheet": {"properties": {"title": "new"}}},
    )
    assert message.startswith("Invalid requests[1].addSheet: ")
    assert stored == before
    new, response = m.batch_update(
        stored,
        {
            "requests": [{"addSheet": {"properties": {"title": "New"}}}],
            "includeSpreadsheetInResponse": True,
        },
    )
    assert [s["properties"]["title"] for s in response["updatedSpreadsheet"]["sheets"]] == [
        "Sheet1",
        "New",
    ]
    assert stored == before and m.sheet_titles(new) == ["Sheet1", "New"]


def test_mutations_never_touch_their_input() -> None:
    stored = put(blank(), "A1", [["a", 1], ["b", 2]])
    before = json.dumps(stored)
    m.values_update(stored, "A1", {"values": [["z"]]}, value_input_option="RAW")
    m.values_append(
        stored,
        "A1",
        {"values": [["c", 3]]},
        value_input_option="RAW",
        insert_data_option="INSERT_ROWS",
    )
    m.values_clear(stored, "Sheet1")
    m.values_batch_clear(stored, {"ranges": ["A1"]})
    m.values_batch_update(
        stored, {"valueInputOption": "USER_ENTERED", "data": [{"range": "B1", "values": [["=1"]]}]}
    )
    m.batch_update(
        stored,
        {
            "requests": [
                {
                    "sortRange": {
                        "range": {"sheetId": 0},
                        "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}],
                    }
                },
                {
                    "deleteDimension": {
                        "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1}
                    }
                },
            ]
        },
    )
    renamed = m.set_title(stored, "x")
    assert json.dumps(stored) == before
    assert json.loads(json.dumps(renamed)) == renamed


# ----------------------------------------------------------------------------------- performance


def test_ten_thousand_rows_are_fast() -> None:
    stored = m.new_spreadsheet(
        SID,
        {
            "sheets": [
                {
                    "properties": {
                        "title": "Contributions",
                        "gridProperties": {"rowCount": 10000, "columnCount": 20},
                    }
                }
            ]
        },
    )
    rows = [[f"row {r} col {c}" if c % 4 else r for c in range(20)] for r in range(10000)]
    started = time.perf_counter()
    stored, response = m.values_batch_update(
        stored,
        {
            "valueInputOption": "USER_ENTERED",
            "data": [{"range": "Contributions!A1", "values": rows}],
        },
    )
    write = time.perf_counter() - started
    started = time.perf_counter()
    values = m.values_get(stored, "Contributions")["values"]
    read = time.perf_counter() - started
    assert response["totalUpdatedCells"] == 200_000 and len(values) == 10000
    assert values[9999][:2] == ["9999", "row 9999 col 1"]
    assert write < 1.0 and read < 1.0, (write, read)
