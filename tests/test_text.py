"""Text Docs or Sheets cannot store as given is made storable once (gdoc_sync/core/text.py), and a
refused Sheet write names the cell."""

from __future__ import annotations

import pytest

from gdoc_sync.core.template import load_template
from gdoc_sync.core.text import CELL_LIMIT, fit_cell, for_paragraph, one_line, storable
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import InvalidRequest, describe
from gdoc_sync.google.sheet_io import write_values
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("\uf0b7 Word bullet", "\u2022 Word bullet"),
        ("\uf0a7 square \uf0d8 arrow \uf0fc check", "\u25aa square \u27a2 arrow \u2713 check"),
        ("icon \ue123 font", "icon \ufffd font"),
        ("lone \ud83d half", "lone \ufffd half"),
        ("pair \ud83d\ude00 joined", "pair \U0001f600 joined"),
        ("bell\x07 and nul\x00 and del\x7f", "bell and nul and del"),
        ("a\r\nb\rc\x0cd\u2028e\x0bf", "a\nb\nc\nd\ne\nf"),
        ("tab\tstays", "tab\tstays"),
        ("Zoë محمد 👩🏽‍💻 \u200d\u202e", "Zoë محمد 👩🏽‍💻 \u200d\u202e"),
        (
            "\U000f0001 supplementary private use stays",
            "\U000f0001 supplementary private use stays",
        ),
    ],
)
def test_what_each_class_of_character_becomes(given: str, stored: str) -> None:
    assert storable(given) == stored
    assert storable(stored) == stored  # once is enough


def test_paragraph_and_one_line_forms() -> None:
    assert for_paragraph("  first\r\nsecond\x07 ") == "first\x0bsecond"
    assert one_line(" Investors:\n\uf0b7 fund\taudits ") == "Investors: \u2022 fund audits"


def test_an_over_long_cell_says_it_was_cut() -> None:
    text = "word " * 12_000  # 60,000 characters
    cut = fit_cell(text)
    assert len(cut) <= CELL_LIMIT
    assert cut.startswith(text[:1000])
    assert cut.endswith(
        f" […cut: {len(text) - (CELL_LIMIT - 200)} more characters are in the Doc and the journal]"
    )
    assert fit_cell("x" * CELL_LIMIT) == "x" * CELL_LIMIT


def test_a_note_with_a_lone_surrogate_is_stored_with_a_visible_mark(backend) -> None:
    api = backend.api()
    created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
    add_note(api, created.document_id, "Q1", "Investors: lone \ud83d half and \uf0b7 bullet")
    doc = api.get_document(created.document_id)
    texts = [
        "".join(e.get("textRun", {}).get("content", "") for e in el["paragraph"]["elements"])
        for el in doc["body"]["content"]
        if "paragraph" in el
    ]
    assert "Investors: lone \ufffd half and \u2022 bullet\n" in texts


def test_a_refused_sheet_write_names_the_cell(backend) -> None:
    api = backend.api()
    created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
    # Google refuses a cell over 50,000 characters with a message that names no cell.
    backend.emulator.faults.add(
        Fault(
            action="error",
            status=400,
            method="POST",
            path=r"values:batchUpdate$",
            message="Your input contains more than the maximum of 50000 characters in a "
            "single cell.",
        )
    )
    data = [
        {
            "range": "'Contributions'!C4:E5",
            "majorDimension": "ROWS",
            "values": [["fine", "fine", "fine"], ["fine", "y" * 60_000, "fine"]],
        }
    ]
    with pytest.raises(InvalidRequest) as refused:
        write_values(api, created.spreadsheet_id, data, grow_tab="Contributions")
    assert describe(refused.value).endswith(
        "; the cause is likely 'Contributions'!D5 (row 5, column D): 60,000 characters, over "
        "Google's 50,000 per cell"
    )
