"""The Docs v1 document model of the emulator: stored form, rendering and batchUpdate."""

from __future__ import annotations

import copy
import json
import random
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdoc_sync.emulator.docs.models import (
    batch_update,
    document_text,
    import_document,
    new_document,
    render,
)
from gdoc_sync.emulator.docs.utf16 import u16len
from gdoc_sync.emulator.errors import InvalidArgument

FIXTURES = Path(__file__).parent / "fixtures" / "google"
DOC_FIXTURES = sorted((FIXTURES / "docs").glob("*.json"))
BATCH = FIXTURES / "docs-batchupdate"

WOMAN_CODING = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # 👩🏽‍💻: 7 UTF-16 code units
NORWAY = "\U0001f1f3\U0001f1f4"  # 🇳🇴: 4 code units
ARABIC = "\u0645\u0631\u062d\u0628\u0627"  # مرحبا
HEBREW = "\u05e9\u05dc\u05d5\u05dd"  # שלום
E_ACUTE = "e\u0301"  # é as e + combining acute: 2 code units


# --- helpers -------------------------------------------------------------------------------------


def apply(stored: dict[str, Any], *requests: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    new, response = batch_update(stored, {"requests": list(requests)})
    check_indices(new)
    return new, response["replies"]


def doc_with(text: str) -> dict[str, Any]:
    """A new document whose body holds text (paragraphs split on newlines)."""
    stored = new_document("doc1", "Test")
    if text:
        stored, _ = apply(stored, insert(1, text))
    return stored


def insert(index: int, text: str, **location: Any) -> dict[str, Any]:
    return {"insertText": {"location": {"index": index, **location}, "text": text}}


def delete(start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {"deleteContentRange": {"range": {"startIndex": start, "endIndex": end, **extra}}}


def name_range(name: str, start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {
        "createNamedRange": {"name": name, "range": {"startIndex": start, "endIndex": end, **extra}}
    }


def body(stored: dict[str, Any]) -> list[dict[str, Any]]:
    return render(stored)["body"]["content"]


def paragraphs(stored: dict[str, Any]) -> list[dict[str, Any]]:
    return [se["paragraph"] for se in body(stored) if "paragraph" in se]


def para_texts(stored: dict[str, Any]) -> list[str]:
    return [
        "".join(e.get("textRun", {}).get("content", "") for e in p["elements"])
        for p in paragraphs(stored)
    ]


def ranges(stored: dict[str, Any], name: str) -> list[tuple[int, int]]:
    entry = render(stored).get("namedRanges", {}).get(name)
    if entry is None:
        return []
    return [(r["startIndex"], r["endIndex"]) for nr in entry["namedRanges"] for r in nr["ranges"]]


def flat(stored: dict[str, Any]) -> bytes:
    """The body as UTF-16-LE code units, one placeholder per structural index."""
    units: list[str] = []

    def walk(content: list[dict[str, Any]]) -> None:
        for se in content:
            if "paragraph" in se:
                for e in se["paragraph"]["elements"]:
                    if "textRun" in e:
                        units.append(e["textRun"]["content"])
                    else:
                        units.append("\ufffc" * (e["endIndex"] - e.get("startIndex", 0)))
            elif "table" in se:
                units.append("\ufffc")
                for row in se["table"]["tableRows"]:
                    units.append("\ufffc")
                    for cell in row["tableCells"]:
                        units.append("\ufffc")
                        walk(cell["content"])
                units.append("\ufffc")
            else:
                units.append("\ufffc" * (se["endIndex"] - se.get("startIndex", 0)))

    walk(body(stored))
    return "".join(units).encode("utf-16-le")


def text_at(stored: dict[str, Any], start: int, end: int) -> str:
    return flat(stored)[2 * start : 2 * end].decode("utf-16-le", errors="surrogatepass")


def check_content(content: list[dict[str, Any]], start: int) -> int:
    """Asserts indices are contiguous and match content lengths; returns the end index."""
    pos = start
    for se in content:
        assert se.get("startIndex", 0) == pos, se
        if "paragraph" in se:
            epos = pos
            elements = se["paragraph"]["elements"]
            assert elements
            for e in elements:
                assert e.get("startIndex", 0) == epos
                if "textRun" in e:
                    content_ = e["textRun"]["content"]
                    assert content_
                    assert e["endIndex"] - epos == u16len(content_)
                    assert "\n" not in content_[:-1]
                epos = e["endIndex"]
            assert elements[-1]["textRun"]["content"].endswith("\n")
            assert epos == se["endIndex"]
        elif "table" in se:
            table = se["table"]
            rpos = pos + 1
            assert table["rows"] == len(table["tableRows"])
            for row in table["tableRows"]:
                assert row["startIndex"] == rpos
                cpos = rpos + 1
                for cell in row["tableCells"]:
                    assert cell["startIndex"] == cpos
                    cpos = check_content(cell["content"], cpos + 1)
                    assert cell["endIndex"] == cpos
                assert row["endIndex"] == cpos
                rpos = cpos
            assert se["endIndex"] == rpos + 1
        pos = se["endIndex"]
    return pos


def check_indices(stored: dict[str, Any]) -> None:
    json.dumps(stored)  # the stored form must be plain JSON
    for tab in _walk_tabs(stored["tabs"]):
        document_tab = tab["documentTab"]
        content = document_tab["body"]["content"]
        assert "sectionBreak" in content[0] and content[0]["endIndex"] == 1
        end = check_content(content, 0)
        ends = {"": end}
        for kind in ("headers", "footers", "footnotes"):
            for seg_id, seg in (document_tab.get(kind) or {}).items():
                ends[seg_id] = check_content(seg["content"], 0)
        for entry in (document_tab.get("namedRanges") or {}).values():
            for nr in entry["namedRanges"]:
                assert nr["ranges"]
                for r in nr["ranges"]:
                    assert 0 <= r["startIndex"] < r["endIndex"] <= ends[r.get("segmentId", "")]


def _walk_tabs(tabs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for tab in tabs:
        out.append(tab)
        out.extend(_walk_tabs(tab.get("childTabs") or []))
    return out


def error_of(stored: dict[str, Any], *requests: dict[str, Any], **body: Any) -> InvalidArgument:
    with pytest.raises(InvalidArgument) as info:
        batch_update(stored, {"requests": list(requests), **body})
    return info.value


def end_index(stored: dict[str, Any]) -> int:
    return body(stored)[-1]["endIndex"]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# --- new documents and rendering -----------------------------------------------------------------


def test_new_document_has_a_section_break_and_one_empty_paragraph() -> None:
    stored = new_document("abc", "Minutes")
    content = body(stored)
    assert content[0] == {
        "endIndex": 1,
        "sectionBreak": {
            "sectionStyle": {
                "columnSeparatorStyle": "NONE",
                "contentDirection": "LEFT_TO_RIGHT",
                "sectionType": "CONTINUOUS",
            }
        },
    }
    assert content[1]["startIndex"] == 1 and content[1]["endIndex"] == 2
    assert content[1]["paragraph"]["elements"] == [
        {"startIndex": 1, "endIndex": 2, "textRun": {"content": "\n", "textStyle": {}}}
    ]
    assert content[1]["paragraph"]["paragraphStyle"]["namedStyleType"] == "NORMAL_TEXT"
    json.dumps(stored)


def test_render_legacy_form_has_the_first_tabs_content_at_top_level() -> None:
    stored = new_document("abc", "Minutes")
    doc = render(stored)
    assert doc["documentId"] == "abc" and doc["title"] == "Minutes"
    assert doc["revisionId"] == stored["revisionId"]
    assert doc["suggestionsViewMode"] == "SUGGESTIONS_INLINE"
    assert {"body", "documentStyle", "namedStyles"} <= set(doc)
    assert "tabs" not in doc and "_emulator" not in doc
    # Like Google, empty maps are left out rather than sent as {}.
    assert "lists" not in doc and "namedRanges" not in doc


def test_render_tabs_form() -> None:
    stored, _ = apply(doc_with("x"), name_range("n", 1, 2))
    doc = render(stored, include_tabs_content=True)
    assert "body" not in doc and "namedRanges" not in doc
    (tab,) = doc["tabs"]
    assert tab["tabProperties"] == {"tabId": "t.0", "title": "Tab 1", "index": 0}
    assert tab["documentTab"]["body"] == render(stored)["body"]
    assert tab["documentTab"]["namedRanges"]["n"]["namedRanges"][0]["ranges"] == [
        {"startIndex": 1, "endIndex": 2}
    ]


def test_render_rejects_an_unknown_view_mode() -> None:
    with pytest.raises(InvalidArgument, match="suggestions_view_mode"):
        render(new_document("a", "b"), suggestions_view_mode="SIDEWAYS")


def test_document_text_includes_table_cells() -> None:
    stored, _ = apply(
        doc_with("ab"), {"insertTable": {"rows": 1, "columns": 2, "location": {"index": 3}}}
    )
    stored, _ = apply(stored, insert(7, "c1"), insert(11, "c2"))
    assert document_text(stored) == "ab\nc1\nc2\n\n"


# --- import and round trips of recorded documents ------------------------------------------------


def _indices(content: list[dict[str, Any]], out: list[Any]) -> list[Any]:
    for se in content:
        out.append((se.get("startIndex", 0), se["endIndex"]))
        for e in se.get("paragraph", {}).get("elements", []):
            out.append((e.get("startIndex", 0), e["endIndex"], e.get("textRun", {}).get("content")))
        for row in se.get("table", {}).get("tableRows", []):
            out.append((row["startIndex"], row["endIndex"]))
            for cell in row["tableCells"]:
                out.append((cell["startIndex"], cell["endIndex"]))
                _indices(cell["content"], out)
    return out


@pytest.mark.parametrize("path", DOC_FIXTURES, ids=lambda p: p.stem)
def test_recorded_documents_round_trip(path: Path) -> None:
    recorded = load(path)
    stored = import_document(recorded)
    check_indices(stored)
    tabs_form = "tabs" in recorded
    doc = render(stored, include_tabs_content=tabs_form)
    want = recorded["tabs"][0]["documentTab"] if tabs_form else recorded
    got = doc["tabs"][0]["documentTab"] if tabs_form else doc
    assert _indices(got["body"]["content"], []) == _indices(want["body"]["content"], [])
    # Every field comes back, not only the indices.
    assert got["body"] == want["body"]
    for key in ("headers", "footers", "footnotes", "lists", "inlineObjects", "namedStyles"):
        if key in want:
            assert got[key] == want[key], key
    assert document_text(stored) == "".join(
        entry[2] or "" for entry in _indices(want["body"]["content"], []) if len(entry) == 3
    )


@pytest.mark.parametrize("path", DOC_FIXTURES[:3] + DOC_FIXTURES[-3:], ids=lambda p: p.stem)
def test_recorded_documents_accept_edits(path: Path) -> None:
    stored = import_document(load(path))
    end = end_index(stored)
    stored, _ = apply(
        stored,
        insert(1, "Start\n"),
        {"insertText": {"endOfSegmentLocation": {}, "text": "\nThe end"}},
        name_range("tail", end + 6, end + 14),
    )
    assert text_at(stored, *ranges(stored, "tail")[0]) == "The end\n"


def test_import_of_a_legacy_document_makes_one_tab() -> None:
    stored = import_document(load(DOC_FIXTURES[0]), "other-id")
    assert stored["documentId"] == "other-id"
    doc = render(stored, include_tabs_content=True)
    assert [t["tabProperties"]["tabId"] for t in doc["tabs"]] == ["t.0"]


def test_import_fills_in_indices_a_section_break_and_final_newlines() -> None:
    hand_made = {
        "documentId": "h",
        "title": "Hand made",
        "body": {"content": [{"paragraph": {"elements": [{"textRun": {"content": "Hi"}}]}}]},
    }
    stored = import_document(hand_made)
    check_indices(stored)
    assert para_texts(stored) == ["Hi\n"]
    assert body(stored)[1]["startIndex"] == 1


def test_import_rejects_a_named_range_outside_its_segment() -> None:
    doc = render(doc_with("abc"))
    doc["namedRanges"] = {
        "x": {
            "name": "x",
            "namedRanges": [
                {
                    "namedRangeId": "kix.1",
                    "name": "x",
                    "ranges": [{"startIndex": 2, "endIndex": 99}],
                }
            ],
        }
    }
    with pytest.raises(InvalidArgument, match="outside"):
        import_document(doc)


def test_import_keeps_named_ranges() -> None:
    stored, _ = apply(doc_with("one two"), name_range("n", 5, 8))
    again = import_document(render(stored))
    assert ranges(again, "n") == [(5, 8)]
    again, _ = apply(again, insert(1, ">"))
    assert ranges(again, "n") == [(6, 9)]


# --- the recorded batchUpdate (base.json -> desired.json) ----------------------------------------


def _resolve(value: Any, replies: list[list[dict[str, Any]]]) -> Any:
    if isinstance(value, dict):
        if "placeholder" in value and "response_path" in value:
            found: Any = replies[value["batch_index"]][value["request_index"]]
            for part in value["response_path"].split("."):
                found = found[part]
            return found
        return {k: _resolve(v, replies) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, replies) for v in value]
    return value


def test_recorded_batches_reproduce_the_desired_document() -> None:
    stored = import_document(load(BATCH / "base.json"))
    desired = load(BATCH / "desired.json")
    replies: list[list[dict[str, Any]]] = []
    for batch in load(BATCH / "desired.requests.batches.json"):
        stored, reply = apply(stored, *_resolve(batch, replies))
        replies.append(reply)
    got_tabs = render(stored, include_tabs_content=True)["tabs"]
    assert [t["tabProperties"]["title"] for t in got_tabs] == ["Tab 1", "Footnote Range Tab"]
    assert got_tabs[0]["documentTab"] == desired["tabs"][0]["documentTab"]
    got, want = got_tabs[1]["documentTab"], desired["tabs"][1]["documentTab"]
    # IDs are minted, so compare with the recorded ones swapped in.
    footnote_id = replies[1][1]["createFootnote"]["footnoteId"]
    (want_footnote_id,) = want["footnotes"]
    range_id = replies[2][1]["createNamedRange"]["namedRangeId"]
    text = json.dumps(got).replace(footnote_id, want_footnote_id)
    text = text.replace(
        range_id, want["namedRanges"]["spike:omega"]["namedRanges"][0]["namedRangeId"]
    )
    assert json.loads(text) == want
    assert got_tabs[1]["tabProperties"]["tabId"].startswith("t.")


def test_recorded_named_range_without_tabs_or_footnotes() -> None:
    # The same named range made in the first tab, with the footnote reference as a person chip
    # (also one index long): same indices as the recorded one.
    stored = import_document(load(BATCH / "base.json"))
    stored, _ = apply(
        stored,
        delete(1, 16),
        insert(1, "alpha omega"),
        {"insertPerson": {"location": {"index": 6}, "personProperties": {"email": "a@b.c"}}},
        name_range("spike:omega", 8, 13),
    )
    want = load(BATCH / "desired.json")["tabs"][1]["documentTab"]["namedRanges"]["spike:omega"]
    got = render(stored)["namedRanges"]["spike:omega"]
    assert got["name"] == want["name"]
    assert got["namedRanges"][0]["ranges"] == want["namedRanges"][0]["ranges"]
    assert text_at(stored, 8, 13) == "omega"


# --- insertText ----------------------------------------------------------------------------------


def test_insert_text_splits_paragraphs_on_newlines() -> None:
    stored = doc_with("First\nSecond")
    assert para_texts(stored) == ["First\n", "Second\n"]
    assert [(se.get("startIndex", 0), se["endIndex"]) for se in body(stored)] == [
        (0, 1),
        (1, 7),
        (7, 14),
    ]


def test_insert_text_at_the_end_of_the_segment() -> None:
    stored, _ = apply(doc_with("a"), {"insertText": {"endOfSegmentLocation": {}, "text": "\nb"}})
    assert para_texts(stored) == ["a\n", "b\n"]


def test_inserted_text_takes_the_style_of_the_text_before_it() -> None:
    stored, _ = apply(
        doc_with("plain bold plain"),
        {
            "updateTextStyle": {
                "range": {"startIndex": 7, "endIndex": 11},
                "textStyle": {"bold": True},
                "fields": "bold",
            }
        },
        insert(11, "er"),  # right after "bold": bold
        insert(7, "<"),  # right after "plain ": plain
    )
    runs = [
        (e["textRun"]["content"], e["textRun"]["textStyle"])
        for e in paragraphs(stored)[0]["elements"]
    ]
    assert runs == [("plain <", {}), ("bolder", {"bold": True}), (" plain\n", {})]


def test_inserted_text_at_a_paragraph_start_takes_the_following_style() -> None:
    stored, _ = apply(
        doc_with("bold"),
        {
            "updateTextStyle": {
                "range": {"startIndex": 1, "endIndex": 5},
                "textStyle": {"bold": True},
                "fields": "bold",
            }
        },
        insert(1, "very "),
    )
    assert paragraphs(stored)[0]["elements"][0]["textRun"] == {
        "content": "very bold",
        "textStyle": {"bold": True},
    }


def test_a_split_paragraph_keeps_style_and_bullet_and_gets_its_own_heading_id() -> None:
    stored, _ = apply(
        doc_with("Heading text"),
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 2},
                "paragraphStyle": {"namedStyleType": "HEADING_2"},
                "fields": "namedStyleType",
            }
        },
        {
            "createParagraphBullets": {
                "range": {"startIndex": 1, "endIndex": 2},
                "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
            }
        },
        insert(8, "\n"),
    )
    first, second = paragraphs(stored)[:2]
    assert para_texts(stored)[:2] == ["Heading\n", " text\n"]
    assert first["paragraphStyle"]["namedStyleType"] == "HEADING_2"
    assert second["paragraphStyle"]["namedStyleType"] == "HEADING_2"
    assert first["bullet"] == second["bullet"]
    assert first["paragraphStyle"]["headingId"] != second["paragraphStyle"]["headingId"]


def test_insert_counts_utf16_code_units() -> None:
    stored = doc_with(f"{WOMAN_CODING}{NORWAY}x")
    (para,) = paragraphs(stored)
    assert para["elements"][0]["endIndex"] == 1 + 7 + 4 + 1 + 1
    stored, _ = apply(stored, insert(8, "|"), insert(13, "|"))
    assert para_texts(stored) == [f"{WOMAN_CODING}|{NORWAY}|x\n"]


def test_rtl_and_combining_characters_count_one_unit_per_code_point() -> None:
    stored = doc_with(f"{ARABIC} {HEBREW} caf{E_ACUTE}")
    assert end_index(stored) == 2 + len(ARABIC) + 1 + len(HEBREW) + 1 + 5
    # Combining marks count on their own: an index may fall between e and its accent.
    stored, _ = apply(stored, insert(1 + 5 + 1 + 4 + 1 + 4, "!"))
    assert para_texts(stored) == [f"{ARABIC} {HEBREW} cafe!\u0301\n"]
    stored, _ = apply(stored, name_range("he", 7, 11))
    assert text_at(stored, *ranges(stored, "he")[0]) == HEBREW


def test_insert_in_the_middle_of_a_surrogate_pair_is_refused() -> None:
    stored = doc_with(f"a{NORWAY}")
    error = error_of(stored, insert(3, "x"))
    assert error.message.startswith("Invalid requests[0].insertText: ")
    assert "surrogate" in error.message


def test_insert_text_strips_control_and_private_use_characters() -> None:
    stored = doc_with("a\r\nb\x01c\ue000d\tv\x0bw\ud83d!")
    assert para_texts(stored) == ["a\n", "bcd\tv\x0bw!\n"]


def test_insert_past_the_end_names_the_request_like_google() -> None:
    stored = doc_with("x" * 38)  # ends at 40
    requests = [insert(1, ""), insert(1, "a"), delete(1, 2)]
    error = error_of(stored, *requests, insert(57, "late"))
    assert error.message == (
        "Invalid requests[3].insertText: Index 57 must be less than the end index of the "
        "referenced segment, 40."
    )
    assert error.code == 400 and error.status == "INVALID_ARGUMENT"


@pytest.mark.parametrize("index", [0, 2, 3])
def test_insert_outside_a_paragraph_is_refused(index: int) -> None:
    stored, _ = apply(
        doc_with("a"), {"insertTable": {"rows": 1, "columns": 1, "location": {"index": 1}}}
    )
    # 0: the section break; 2: the table's start; 3: its row's start.
    assert error_of(stored, insert(index, "x")).message == (
        "Invalid requests[0].insertText: The insertion index must be inside the bounds of an "
        "existing paragraph. You can still create new paragraphs by inserting newlines."
    )


def test_insert_into_a_table_cell() -> None:
    stored, _ = apply(
        doc_with(""), {"insertTable": {"rows": 2, "columns": 2, "location": {"index": 1}}}
    )
    table = body(stored)[2]["table"]
    first_cell = table["tableRows"][0]["tableCells"][0]
    stored, _ = apply(stored, insert(first_cell["content"][0]["startIndex"], "in a cell\nline 2"))
    cell = body(stored)[2]["table"]["tableRows"][0]["tableCells"][0]
    assert [se["paragraph"]["elements"][0]["textRun"]["content"] for se in cell["content"]] == [
        "in a cell\n",
        "line 2\n",
    ]


# --- deleteContentRange --------------------------------------------------------------------------


def test_delete_inside_a_paragraph() -> None:
    stored, _ = apply(doc_with("Hello brave world"), delete(7, 13))
    assert para_texts(stored) == ["Hello world\n"]


def test_delete_across_paragraphs_merges_them_with_the_first_ones_style() -> None:
    stored, _ = apply(
        doc_with("Heading\nbody text"),
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 2},
                "paragraphStyle": {"namedStyleType": "HEADING_1"},
                "fields": "namedStyleType",
            }
        },
        delete(5, 14),
    )
    assert para_texts(stored) == ["Headtext\n"]
    assert paragraphs(stored)[0]["paragraphStyle"]["namedStyleType"] == "HEADING_1"


def test_deleting_a_whole_paragraph_keeps_the_next_ones_style() -> None:
    stored, _ = apply(
        doc_with("gone\nkept"),
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 6, "endIndex": 7},
                "paragraphStyle": {"alignment": "CENTER"},
                "fields": "alignment",
            }
        },
        delete(1, 6),
    )
    assert para_texts(stored) == ["kept\n"]
    assert paragraphs(stored)[0]["paragraphStyle"]["alignment"] == "CENTER"


def test_deleting_the_last_newline_is_refused() -> None:
    stored = doc_with("abc")
    assert error_of(stored, delete(2, 5)).message == (
        "Invalid requests[0].deleteContentRange: The range cannot include the newline character "
        "at the end of the segment."
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (3, 2, "Invalid range: end index cannot be less than start index"),
        (2, 2, "The range should not be empty."),
        (0, 2, "Invalid deletion range. Cannot delete the requested range."),
        (2, 9, "Index 8 must be less than the end index of the referenced segment, 5."),
    ],
)
def test_invalid_delete_ranges(start: int, end: int, message: str) -> None:
    error = error_of(doc_with("abc"), delete(start, end))
    assert error.message == f"Invalid requests[0].deleteContentRange: {message}"


def test_deleting_half_a_surrogate_pair_is_refused() -> None:
    stored = doc_with(f"a{WOMAN_CODING}")
    assert "surrogate" in error_of(stored, delete(1, 3)).message
    stored, _ = apply(stored, delete(2, 9))
    assert para_texts(stored) == ["a\n"]


def _with_table(before: str = "before", after: str = "after") -> dict[str, Any]:
    """before, an empty paragraph (the newline insertTable adds), a 2x2 table, after."""
    stored = doc_with(f"{before}\n{after}")
    start_of_after = 2 + len(before)
    stored, _ = apply(
        stored, {"insertTable": {"rows": 2, "columns": 2, "location": {"index": start_of_after}}}
    )
    return stored


def _table(stored: dict[str, Any]) -> dict[str, Any]:
    return next(se for se in body(stored) if "table" in se)


def test_insert_table_puts_a_newline_before_the_table() -> None:
    stored = doc_with("abcdef")
    stored, _ = apply(stored, {"insertTable": {"rows": 2, "columns": 3, "location": {"index": 4}}})
    assert para_texts(stored) == ["abc\n", "def\n"]
    se = _table(stored)
    assert se["startIndex"] == 5  # the location index + 1
    table = se["table"]
    assert table["rows"] == 2 and table["columns"] == 3
    first = table["tableRows"][0]["tableCells"][0]
    assert (first["startIndex"], first["content"][0]["startIndex"]) == (7, 8)
    assert se["endIndex"] == 5 + 2 + 2 * (1 + 3 * 2)
    assert body(stored)[-1]["startIndex"] == se["endIndex"]


def test_insert_table_at_the_end_of_the_body() -> None:
    stored, _ = apply(
        doc_with("abc"), {"insertTable": {"rows": 1, "columns": 1, "endOfSegmentLocation": {}}}
    )
    assert para_texts(stored) == ["abc\n", "\n"]
    assert "table" in body(stored)[2]


def test_delete_a_whole_table() -> None:
    stored = _with_table()
    se = _table(stored)
    stored, _ = apply(stored, delete(se["startIndex"], se["endIndex"]))
    assert para_texts(stored) == ["before\n", "\n", "after\n"]


def test_delete_a_table_with_text_around_it_merges_the_paragraphs() -> None:
    stored = _with_table()
    se = _table(stored)
    stored, _ = apply(stored, delete(4, se["endIndex"] + 2))
    assert para_texts(stored) == ["befter\n"]


def test_delete_inside_a_cell() -> None:
    stored = _with_table()
    cell = _table(stored)["table"]["tableRows"][1]["tableCells"][1]
    start = cell["content"][0]["startIndex"]
    stored, _ = apply(stored, insert(start, "cell text"), delete(start, start + 5))
    cell = _table(stored)["table"]["tableRows"][1]["tableCells"][1]
    assert cell["content"][0]["paragraph"]["elements"][0]["textRun"]["content"] == "text\n"


@pytest.mark.parametrize("which", ["table start", "cell newline", "two cells", "before table"])
def test_structure_breaking_deletes_are_refused(which: str) -> None:
    stored = _with_table()
    se = _table(stored)
    cells = se["table"]["tableRows"][0]["tableCells"]
    spans = {
        "table start": (se["startIndex"], se["startIndex"] + 4),
        "cell newline": (cells[0]["content"][0]["startIndex"], cells[0]["endIndex"]),
        "two cells": (cells[0]["content"][0]["startIndex"], cells[1]["endIndex"] - 1),
        "before table": (se["startIndex"] - 1, se["startIndex"]),
    }
    error = error_of(stored, delete(*spans[which]))
    assert error.message == (
        "Invalid requests[0].deleteContentRange: Invalid deletion range. Cannot delete the "
        "requested range."
    )


# --- replaceAllText ------------------------------------------------------------------------------


def test_replace_all_text_counts_and_respects_case() -> None:
    stored = doc_with("Tea, tea and TEA\nmore tea")
    new, replies = apply(
        stored,
        {
            "replaceAllText": {
                "containsText": {"text": "tea", "matchCase": True},
                "replaceText": "café",
            }
        },
    )
    assert replies == [{"replaceAllText": {"occurrencesChanged": 2}}]
    assert para_texts(new) == ["Tea, café and TEA\n", "more café\n"]
    new, replies = apply(
        stored, {"replaceAllText": {"containsText": {"text": "TEA"}, "replaceText": "x"}}
    )
    assert replies == [{"replaceAllText": {"occurrencesChanged": 4}}]
    assert para_texts(new) == ["x, x and x\n", "more x\n"]


def test_replace_all_text_without_a_match_changes_nothing() -> None:
    stored = doc_with("abc")
    new, response = batch_update(
        stored,
        {"requests": [{"replaceAllText": {"containsText": {"text": "zzz"}, "replaceText": "y"}}]},
    )
    assert response["replies"] == [{"replaceAllText": {}}]
    assert new is stored
    assert response["writeControl"]["requiredRevisionId"] == stored["revisionId"]


def test_replace_all_text_keeps_the_replaced_texts_style_and_reaches_table_cells() -> None:
    stored = _with_table("{{X}} here", "and {{X}}")
    cell = _table(stored)["table"]["tableRows"][0]["tableCells"][0]
    stored, _ = apply(
        stored,
        insert(cell["content"][0]["startIndex"], "cell {{X}}"),
        {
            "updateTextStyle": {
                "range": {"startIndex": 1, "endIndex": 6},
                "textStyle": {"bold": True},
                "fields": "bold",
            }
        },
    )
    stored, replies = apply(
        stored, {"replaceAllText": {"containsText": {"text": "{{X}}"}, "replaceText": "Ada"}}
    )
    assert replies[0]["replaceAllText"]["occurrencesChanged"] == 3
    assert paragraphs(stored)[0]["elements"][0]["textRun"] == {
        "content": "Ada",
        "textStyle": {"bold": True},
    }
    assert "cell Ada\n" in document_text(stored)
    assert para_texts(stored)[-1] == "and Ada\n"


def test_replace_all_text_keeps_a_named_range_over_the_replacement() -> None:
    stored, _ = apply(doc_with("say {{name}} now"), name_range("who", 5, 13))
    stored, _ = apply(
        stored,
        {"replaceAllText": {"containsText": {"text": "{{name}}"}, "replaceText": "Grace Hopper"}},
    )
    assert text_at(stored, *ranges(stored, "who")[0]) == "Grace Hopper"


def test_replace_all_text_by_regex() -> None:
    stored, _ = apply(
        doc_with("a1 b22 c333"),
        {
            "replaceAllText": {
                "containsText": {"text": "[0-9]+", "searchByRegex": True},
                "replaceText": "#",
            }
        },
    )
    assert para_texts(stored) == ["a# b# c#\n"]


# --- named ranges --------------------------------------------------------------------------------


def test_create_named_range_replies_with_an_id() -> None:
    stored, replies = apply(doc_with("hello world"), name_range("greeting", 1, 6))
    range_id = replies[0]["createNamedRange"]["namedRangeId"]
    assert range_id.startswith("kix.") and len(range_id) == 16
    assert render(stored)["namedRanges"] == {
        "greeting": {
            "name": "greeting",
            "namedRanges": [
                {
                    "namedRangeId": range_id,
                    "name": "greeting",
                    "ranges": [{"startIndex": 1, "endIndex": 6}],
                }
            ],
        }
    }


@pytest.mark.parametrize(
    ("name", "ok"),
    [("", False), ("x" * 256, True), ("x" * 257, False), (NORWAY * 64, True), (NORWAY * 65, False)],
)
def test_named_range_names_are_1_to_256_utf16_units(name: str, ok: bool) -> None:
    stored = doc_with("abc")
    if ok:
        apply(stored, name_range(name, 1, 2))
    else:
        assert "256" in error_of(stored, name_range(name, 1, 2)).message


def test_several_named_ranges_may_share_a_name() -> None:
    stored, replies = apply(doc_with("one two"), name_range("n", 1, 4), name_range("n", 5, 8))
    ids = [r["createNamedRange"]["namedRangeId"] for r in replies]
    assert len(set(ids)) == 2
    assert sorted(ranges(stored, "n")) == [(1, 4), (5, 8)]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (insert(1, "ab"), (7, 12)),  # before: shifts
        (insert(5, "ab"), (7, 12)),  # at its start: shifts, the new text stays outside
        (insert(7, "ab"), (5, 12)),  # strictly inside: grows
        (insert(10, "ab"), (5, 10)),  # at its end: stays
        (insert(12, "ab"), (5, 10)),  # after: stays
        (delete(1, 3), (3, 8)),  # before: shifts
        (delete(3, 7), (3, 6)),  # over its start: shrinks
        (delete(8, 12), (5, 8)),  # over its end: shrinks
        (delete(6, 8), (5, 8)),  # inside: shrinks
        (delete(3, 12), None),  # its whole content: gone
        (delete(5, 10), None),
    ],
)
def test_named_ranges_move_with_edits(
    edit: dict[str, Any], expected: tuple[int, int] | None
) -> None:
    stored, _ = apply(doc_with("abcdefghijklmn"), name_range("r", 5, 10))
    stored, _ = apply(stored, edit)
    if expected is None:
        assert "namedRanges" not in render(stored)
    else:
        assert ranges(stored, "r") == [expected]


def test_named_range_survives_paragraph_splits_and_merges() -> None:
    stored, _ = apply(doc_with("alpha beta\ngamma"), name_range("r", 7, 17))
    assert text_at(stored, 7, 17) == "beta\ngamma"
    stored, _ = apply(stored, insert(9, "\n"), delete(11, 12), insert(15, "\n\n"))
    (start, end) = ranges(stored, "r")[0]
    assert text_at(stored, start, end) == "be\nt\ngam\n\nma"
    stored, _ = apply(stored, delete(2, start + 3))
    (start, end) = ranges(stored, "r")[0]
    assert text_at(stored, start, end) == "t\ngam\n\nma"


def test_named_range_over_a_whole_paragraph_grows_with_inserted_paragraphs() -> None:
    stored, _ = apply(doc_with("Q1\nfirst\nnext"), name_range("q", 1, 10))
    # A moderator types a new bullet at the end of the last line of the range.
    stored, _ = apply(stored, insert(9, "\nsecond"))
    (start, end) = ranges(stored, "q")[0]
    assert text_at(stored, start, end) == "Q1\nfirst\nsecond\n"


def test_named_range_moves_with_a_table_inserted_before_it() -> None:
    stored, _ = apply(doc_with("intro\ntarget"), name_range("t", 7, 13))
    stored, _ = apply(stored, {"insertTable": {"rows": 3, "columns": 3, "location": {"index": 3}}})
    (start, end) = ranges(stored, "t")[0]
    assert text_at(stored, start, end) == "target"


def test_delete_named_range_by_id_and_by_name() -> None:
    stored, replies = apply(
        doc_with("one two three"),
        name_range("a", 1, 4),
        name_range("b", 5, 8),
        name_range("b", 9, 14),
    )
    first_id = replies[0]["createNamedRange"]["namedRangeId"]
    stored, _ = apply(stored, {"deleteNamedRange": {"namedRangeId": first_id}})
    assert set(render(stored)["namedRanges"]) == {"b"}
    stored, _ = apply(stored, {"deleteNamedRange": {"name": "b"}})
    assert "namedRanges" not in render(stored)
    assert para_texts(stored) == ["one two three\n"]  # the text stays


def test_delete_named_range_errors() -> None:
    stored = doc_with("abc")
    assert error_of(stored, {"deleteNamedRange": {}}).message == (
        "Invalid requests[0].deleteNamedRange: ID or name for named range must be set"
    )
    assert (
        "kix.nope" in error_of(stored, {"deleteNamedRange": {"namedRangeId": "kix.nope"}}).message
    )
    # An unknown name deletes nothing, like Google.
    assert batch_update(stored, {"requests": [{"deleteNamedRange": {"name": "nope"}}]})[0] is stored


def test_replace_named_range_content_keeps_the_range_over_the_new_text() -> None:
    stored, replies = apply(
        doc_with("Actions: TBD.\nEnd"),
        name_range("actions", 10, 13),
        {
            "updateTextStyle": {
                "range": {"startIndex": 10, "endIndex": 13},
                "textStyle": {"italic": True},
                "fields": "italic",
            }
        },
    )
    range_id = replies[0]["createNamedRange"]["namedRangeId"]
    stored, _ = apply(
        stored,
        {"replaceNamedRangeContent": {"namedRangeId": range_id, "text": "1. Do it\n2. Check"}},
    )
    (start, end) = ranges(stored, "actions")[0]
    assert text_at(stored, start, end) == "1. Do it\n2. Check"
    assert para_texts(stored) == ["Actions: 1. Do it\n", "2. Check.\n", "End\n"]
    italic = [e["textRun"]["textStyle"] for e in paragraphs(stored)[1]["elements"]]
    assert italic[0] == {"italic": True}
    stored, _ = apply(
        stored, {"replaceNamedRangeContent": {"namedRangeName": "actions", "text": "x"}}
    )
    assert text_at(stored, *ranges(stored, "actions")[0]) == "x"


def test_replace_named_range_content_by_name_replaces_each_range_of_that_name() -> None:
    stored, _ = apply(doc_with("aa bb cc"), name_range("n", 1, 3), name_range("n", 7, 9))
    stored, _ = apply(stored, {"replaceNamedRangeContent": {"namedRangeName": "n", "text": "XYZ"}})
    assert para_texts(stored) == ["XYZ bb XYZ\n"]
    assert sorted(text_at(stored, s, e) for s, e in ranges(stored, "n")) == ["XYZ", "XYZ"]


def test_replace_named_range_content_of_a_split_range_uses_the_first_range() -> None:
    doc = render(doc_with("one two three"))
    doc["namedRanges"] = {
        "n": {
            "name": "n",
            "namedRanges": [
                {
                    "namedRangeId": "kix.split",
                    "name": "n",
                    "ranges": [{"startIndex": 9, "endIndex": 14}, {"startIndex": 1, "endIndex": 4}],
                }
            ],
        }
    }
    stored = import_document(doc)
    stored, _ = apply(
        stored, {"replaceNamedRangeContent": {"namedRangeId": "kix.split", "text": "1"}}
    )
    assert para_texts(stored) == ["1 two \n"]
    assert ranges(stored, "n") == [(1, 2)]


def test_replace_named_range_content_errors_and_no_ops() -> None:
    stored = doc_with("abc")
    assert "ID or name" in error_of(stored, {"replaceNamedRangeContent": {"text": "x"}}).message
    assert (
        "kix.none"
        in error_of(
            stored, {"replaceNamedRangeContent": {"namedRangeId": "kix.none", "text": "x"}}
        ).message
    )
    request = {"replaceNamedRangeContent": {"namedRangeName": "none", "text": "x"}}
    assert batch_update(stored, {"requests": [request]})[0] is stored
    with_range, _ = apply(stored, name_range("whole", 1, 5))
    assert (
        "newline"
        in error_of(
            with_range, {"replaceNamedRangeContent": {"namedRangeName": "whole", "text": "x"}}
        ).message
    )


# --- styles --------------------------------------------------------------------------------------


def test_headings_get_heading_ids_and_lose_them_again() -> None:
    stored = doc_with("Title\nSub\nText")
    stored, _ = apply(
        stored,
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 8},
                "paragraphStyle": {"namedStyleType": "TITLE"},
                "fields": "namedStyleType",
            }
        },
    )
    styles = [p["paragraphStyle"] for p in paragraphs(stored)]
    assert [s["namedStyleType"] for s in styles] == ["TITLE", "TITLE", "NORMAL_TEXT"]
    for style in styles[:2]:
        assert style["headingId"].startswith("h.") and len(style["headingId"]) == 14
    assert "headingId" not in styles[2]
    heading_id = styles[0]["headingId"]
    stored, _ = apply(
        stored,
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 2},
                "paragraphStyle": {"namedStyleType": "HEADING_3"},
                "fields": "namedStyleType",
            }
        },
    )
    assert paragraphs(stored)[0]["paragraphStyle"]["headingId"] == heading_id
    stored, _ = apply(
        stored,
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 2},
                "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                "fields": "namedStyleType",
            }
        },
    )
    assert "headingId" not in paragraphs(stored)[0]["paragraphStyle"]


def test_update_paragraph_style_field_masks() -> None:
    stored, _ = apply(
        doc_with("abc"),
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 2},
                "paragraphStyle": {"alignment": "END", "lineSpacing": 150},
                "fields": "alignment",
            }
        },
    )
    style = paragraphs(stored)[0]["paragraphStyle"]
    assert style["alignment"] == "END" and "lineSpacing" not in style
    stored, _ = apply(
        stored,
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 2},
                "paragraphStyle": {},
                "fields": "alignment",
            }
        },
    )
    assert "alignment" not in paragraphs(stored)[0]["paragraphStyle"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("", "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"),
        (
            "colour",
            "Error expanding 'fields' parameter. Cannot find matching fields for path 'colour'.",
        ),
        ("headingId", "Unallowed field: headingId"),
    ],
)
def test_update_paragraph_style_bad_fields(fields: str, message: str) -> None:
    request = {
        "updateParagraphStyle": {
            "range": {"startIndex": 1, "endIndex": 2},
            "paragraphStyle": {},
            "fields": fields,
        }
    }
    assert (
        error_of(doc_with("a"), request).message
        == f"Invalid requests[0].updateParagraphStyle: {message}"
    )


def test_update_text_style_splits_and_merges_runs() -> None:
    stored = doc_with("one two three")
    bold = {
        "updateTextStyle": {
            "range": {"startIndex": 5, "endIndex": 8},
            "textStyle": {"bold": True, "italic": True},
            "fields": "bold",
        }
    }
    stored, _ = apply(stored, bold)
    assert [e["textRun"] for e in paragraphs(stored)[0]["elements"]] == [
        {"content": "one ", "textStyle": {}},
        {"content": "two", "textStyle": {"bold": True}},
        {"content": " three\n", "textStyle": {}},
    ]
    stored, _ = apply(
        stored,
        {
            "updateTextStyle": {
                "range": {"startIndex": 1, "endIndex": 15},
                "textStyle": {},
                "fields": "*",
            }
        },
    )
    assert [e["textRun"] for e in paragraphs(stored)[0]["elements"]] == [
        {"content": "one two three\n", "textStyle": {}}
    ]


def test_update_text_style_underline_strikethrough_italic() -> None:
    stored, _ = apply(
        doc_with("abc"),
        {
            "updateTextStyle": {
                "range": {"startIndex": 1, "endIndex": 4},
                "textStyle": {"underline": True, "strikethrough": True, "italic": True},
                "fields": "underline,strikethrough,italic",
            }
        },
    )
    assert paragraphs(stored)[0]["elements"][0]["textRun"]["textStyle"] == {
        "underline": True,
        "strikethrough": True,
        "italic": True,
    }


def test_links_are_coloured_underlined_and_skip_newlines() -> None:
    stored, _ = apply(
        doc_with("see this\nand that"),
        {
            "updateTextStyle": {
                "range": {"startIndex": 5, "endIndex": 14},
                "textStyle": {"link": {"url": "https://example.com"}},
                "fields": "link",
            }
        },
    )
    first, second = paragraphs(stored)
    linked = first["elements"][1]["textRun"]
    assert linked["content"] == "this"
    assert linked["textStyle"] == {
        "link": {"url": "https://example.com"},
        "underline": True,
        "foregroundColor": {
            "color": {"rgbColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}}
        },
    }
    assert first["elements"][2]["textRun"] == {"content": "\n", "textStyle": {}}
    assert second["elements"][0]["textRun"]["content"] == "and "
    stored, _ = apply(
        stored,
        {
            "updateTextStyle": {
                "range": {"startIndex": 5, "endIndex": 14},
                "textStyle": {},
                "fields": "link",
            }
        },
    )
    assert para_texts(stored) == ["see this\n", "and that\n"]
    assert all(e["textRun"]["textStyle"] == {} for p in paragraphs(stored) for e in p["elements"])


# --- lists ---------------------------------------------------------------------------------------


def test_create_paragraph_bullets_makes_a_list() -> None:
    stored, _ = apply(
        doc_with("one\ntwo\nafter"),
        {
            "createParagraphBullets": {
                "range": {"startIndex": 1, "endIndex": 6},
                "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
            }
        },
    )
    doc = render(stored)
    (list_id,) = doc["lists"]
    levels = doc["lists"][list_id]["listProperties"]["nestingLevels"]
    assert [lv["glyphSymbol"] for lv in levels[:4]] == ["\u25cf", "\u25cb", "\u25a0", "\u25cf"]
    first, second, third = paragraphs(stored)
    assert first["bullet"] == {"listId": list_id, "textStyle": {}}
    assert second["bullet"] == first["bullet"]
    assert "bullet" not in third
    assert first["paragraphStyle"]["indentStart"] == {"magnitude": 36, "unit": "PT"}


def test_numbered_preset_glyphs() -> None:
    stored, _ = apply(
        doc_with("a"),
        {
            "createParagraphBullets": {
                "range": {"startIndex": 1, "endIndex": 2},
                "bulletPreset": "NUMBERED_DECIMAL_ALPHA_ROMAN",
            }
        },
    )
    (entry,) = render(stored)["lists"].values()
    levels = entry["listProperties"]["nestingLevels"]
    assert [(lv["glyphType"], lv["glyphFormat"]) for lv in levels[:3]] == [
        ("DECIMAL", "%0."),
        ("ALPHA", "%1."),
        ("ROMAN", "%2."),
    ]


def test_leading_tabs_set_the_nesting_level_and_are_removed() -> None:
    stored, _ = apply(doc_with("top\n\tmid\n\t\tdeep\ntail"), name_range("tail", 17, 21))
    stored, _ = apply(
        stored,
        {
            "createParagraphBullets": {
                "range": {"startIndex": 1, "endIndex": 17},
                "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
            }
        },
    )
    assert para_texts(stored) == ["top\n", "mid\n", "deep\n", "tail\n"]
    levels = [p.get("bullet", {}).get("nestingLevel", 0) for p in paragraphs(stored)[:3]]
    assert levels == [0, 1, 2]
    assert text_at(stored, *ranges(stored, "tail")[0]) == "tail"


def test_adjacent_paragraphs_join_the_list_before_them() -> None:
    bullets = {
        "createParagraphBullets": {
            "range": {"startIndex": 1, "endIndex": 2},
            "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
        }
    }
    stored, _ = apply(doc_with("a\nb"), bullets)
    stored, _ = apply(
        stored,
        {
            "createParagraphBullets": {
                "range": {"startIndex": 3, "endIndex": 4},
                "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
            }
        },
    )
    first, second = paragraphs(stored)
    assert first["bullet"]["listId"] == second["bullet"]["listId"]
    assert len(render(stored)["lists"]) == 1


def test_delete_paragraph_bullets() -> None:
    stored, _ = apply(
        doc_with("a\nb"),
        {
            "createParagraphBullets": {
                "range": {"startIndex": 1, "endIndex": 4},
                "bulletPreset": "NUMBERED_DECIMAL_NESTED",
            }
        },
        {"deleteParagraphBullets": {"range": {"startIndex": 3, "endIndex": 4}}},
    )
    first, second = paragraphs(stored)
    assert "bullet" in first and "bullet" not in second


def test_bullet_preset_must_be_known() -> None:
    request = {
        "createParagraphBullets": {
            "range": {"startIndex": 1, "endIndex": 2},
            "bulletPreset": "BULLET_GLYPH_PRESET_UNSPECIFIED",
        }
    }
    assert "bulletPreset" in error_of(doc_with("a"), request).message


# --- other insertions ----------------------------------------------------------------------------


def test_insert_page_break_ends_its_paragraph() -> None:
    stored, _ = apply(doc_with("abcd"), {"insertPageBreak": {"location": {"index": 3}}})
    first = paragraphs(stored)[0]
    assert [list(e)[-1] for e in first["elements"]] == ["textRun", "pageBreak", "textRun"]
    assert first["elements"][1]["startIndex"] == 3 and first["elements"][1]["endIndex"] == 4
    assert para_texts(stored) == ["ab\n", "cd\n"]


def test_page_breaks_only_go_in_the_body_outside_tables() -> None:
    stored = _with_table()
    cell = _table(stored)["table"]["tableRows"][0]["tableCells"][0]
    error = error_of(
        stored, {"insertPageBreak": {"location": {"index": cell["content"][0]["startIndex"]}}}
    )
    assert "table" in error.message
    error = error_of(stored, {"insertPageBreak": {"location": {"index": 1, "segmentId": "kix.x"}}})
    assert error.message.startswith("Invalid requests[0].insertPageBreak: ")


def test_insert_person_is_one_index_long() -> None:
    stored, _ = apply(
        doc_with("Ask  today"),
        {
            "insertPerson": {
                "location": {"index": 5},
                "personProperties": {"email": "ada@example.org", "name": "Ada"},
            }
        },
    )
    (para,) = paragraphs(stored)
    person = para["elements"][1]
    assert person["endIndex"] - person["startIndex"] == 1
    assert person["person"]["personProperties"] == {"email": "ada@example.org", "name": "Ada"}
    assert para["elements"][-1]["endIndex"] == 13


def test_insert_table_errors() -> None:
    stored = doc_with("a")
    assert (
        "at least one row"
        in error_of(
            stored, {"insertTable": {"rows": 0, "columns": 2, "location": {"index": 1}}}
        ).message
    )


def test_footnotes_are_their_own_segment() -> None:
    stored, replies = apply(doc_with("text"), {"createFootnote": {"location": {"index": 5}}})
    footnote_id = replies[0]["createFootnote"]["footnoteId"]
    stored, _ = apply(stored, insert(0, "Note", segmentId=footnote_id))
    doc = render(stored)
    assert (
        doc["footnotes"][footnote_id]["content"][0]["paragraph"]["elements"][0]["textRun"][
            "content"
        ]
        == "Note \n"
    )
    assert paragraphs(stored)[0]["elements"][1]["footnoteReference"] == {
        "footnoteId": footnote_id,
        "footnoteNumber": "1",
        "textStyle": {},
    }
    stored, _ = apply(stored, name_range("fn", 0, 4, segmentId=footnote_id))
    assert ranges(stored, "fn") == [(0, 4)]
    (entry,) = render(stored)["namedRanges"]["fn"]["namedRanges"]
    assert entry["ranges"][0]["segmentId"] == footnote_id
    assert "Index 9 must be less" in error_of(stored, insert(9, "x", segmentId=footnote_id)).message


def test_tabs_are_addressed_by_id() -> None:
    stored, replies = apply(
        doc_with("first"), {"addDocumentTab": {"tabProperties": {"title": "Two"}}}
    )
    tab_id = replies[0]["addDocumentTab"]["tabProperties"]["tabId"]
    assert replies[0]["addDocumentTab"]["tabProperties"] == {
        "tabId": tab_id,
        "title": "Two",
        "index": 1,
    }
    stored, _ = apply(
        stored, insert(1, "second", tabId=tab_id), name_range("s", 1, 7, tabId=tab_id)
    )
    tabs = render(stored, include_tabs_content=True)["tabs"]
    assert [
        t["documentTab"]["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["content"]
        for t in tabs
    ] == ["first\n", "second\n"]
    assert "namedRanges" in tabs[1]["documentTab"] and "namedRanges" not in tabs[0]["documentTab"]
    assert render(stored)["body"] == tabs[0]["documentTab"]["body"]
    assert "t.missing" in error_of(stored, insert(1, "x", tabId="t.missing")).message
    stored, replies = apply(
        stored,
        {
            "replaceAllText": {
                "containsText": {"text": "s"},
                "replaceText": "S",
                "tabsCriteria": {"tabIds": [tab_id]},
            }
        },
    )
    assert replies[0]["replaceAllText"]["occurrencesChanged"] == 1
    stored, _ = apply(stored, {"deleteTab": {"tabId": tab_id}})
    assert len(render(stored, include_tabs_content=True)["tabs"]) == 1


def test_child_tabs_and_tab_properties() -> None:
    stored, replies = apply(doc_with("x"), {"addDocumentTab": {"tabProperties": {"title": "A"}}})
    parent_id = replies[0]["addDocumentTab"]["tabProperties"]["tabId"]
    stored, replies = apply(
        stored,
        {"addDocumentTab": {"tabProperties": {"title": "A.1", "parentTabId": parent_id}}},
        {
            "updateDocumentTabProperties": {
                "tabProperties": {"tabId": parent_id, "title": "Alpha", "index": 0},
                "fields": "title,index",
            }
        },
    )
    child = replies[0]["addDocumentTab"]["tabProperties"]
    assert child["parentTabId"] == parent_id and child["nestingLevel"] == 1
    tabs = render(stored, include_tabs_content=True)["tabs"]
    assert [t["tabProperties"]["title"] for t in tabs] == ["Alpha", "Tab 1"]
    assert tabs[0]["childTabs"][0]["tabProperties"] == {
        "tabId": child["tabId"],
        "title": "A.1",
        "index": 0,
        "nestingLevel": 1,
        "parentTabId": parent_id,
    }
    stored, _ = apply(stored, insert(1, "in child", tabId=child["tabId"]))
    # The legacy form shows the first tab, which is now Alpha.
    assert para_texts(stored) == ["\n"]


def test_unsupported_and_unknown_requests() -> None:
    stored = doc_with("a")
    error = error_of(stored, insert(1, "x"), {"insertInlineImage": {"uri": "https://x"}})
    assert error.message.startswith("Invalid requests[1].insertInlineImage: ")
    assert "not supported by the gdoc-sync Docs emulator" in error.message
    error = error_of(stored, {"frobnicate": {}})
    assert error.message == (
        "Invalid JSON payload received. Unknown name \"frobnicate\" at 'requests[0]': "
        "Cannot find field."
    )
    assert error_of(stored, {}).message == "Invalid requests[0]: No request set."


def test_headers_and_footers_are_segments_too() -> None:
    stored = import_document(load(FIXTURES / "docs" / "gatsby-codes.json"))
    doc = render(stored)
    header_id = next(iter(doc["headers"]))
    stored, _ = apply(
        stored,
        insert(0, "Draft: ", segmentId=header_id),
        name_range("draft", 0, 6, segmentId=header_id),
        {"insertText": {"endOfSegmentLocation": {"segmentId": header_id}, "text": " (v2)"}},
    )
    header = render(stored)["headers"][header_id]
    text = "".join(
        e["textRun"]["content"]
        for se in header["content"]
        for e in se.get("paragraph", {}).get("elements", [])
        if "textRun" in e
    )
    assert text.startswith("Draft: ") and text.endswith(" (v2)\n")
    assert ranges(stored, "draft") == [(0, 6)]
    stored, replies = apply(
        stored, {"replaceAllText": {"containsText": {"text": "Draft:"}, "replaceText": "Final:"}}
    )
    assert replies[0]["replaceAllText"]["occurrencesChanged"] == 1
    assert ranges(stored, "draft") == [(0, 6)]


def test_create_and_delete_a_header() -> None:
    stored, replies = apply(doc_with("body"), {"createHeader": {"type": "DEFAULT"}})
    header_id = replies[0]["createHeader"]["headerId"]
    doc = render(stored)
    assert doc["documentStyle"]["defaultHeaderId"] == header_id
    assert doc["headers"][header_id]["content"][0]["endIndex"] == 1
    assert "already exists" in error_of(stored, {"createHeader": {"type": "DEFAULT"}}).message
    stored, _ = apply(stored, insert(0, "Session 3", segmentId=header_id))
    stored, replies = apply(stored, {"createFooter": {"type": "DEFAULT"}})
    footer_id = replies[0]["createFooter"]["footerId"]
    stored, _ = apply(stored, {"deleteHeader": {"headerId": header_id}})
    doc = render(stored)
    assert "headers" not in doc and "defaultHeaderId" not in doc["documentStyle"]
    assert doc["documentStyle"]["defaultFooterId"] == footer_id


def test_deleting_a_footnote_reference_deletes_the_footnote() -> None:
    stored, replies = apply(doc_with("text"), {"createFootnote": {"endOfSegmentLocation": {}}})
    footnote_id = replies[0]["createFootnote"]["footnoteId"]
    stored, _ = apply(stored, name_range("in note", 0, 1, segmentId=footnote_id))
    assert footnote_id in render(stored)["footnotes"]
    stored, _ = apply(stored, delete(5, 6))
    doc = render(stored)
    assert "footnotes" not in doc and "namedRanges" not in doc


def test_footnote_numbers_follow_document_order() -> None:
    stored, replies = apply(
        doc_with("one two"),
        {"createFootnote": {"location": {"index": 8}}},
        {"createFootnote": {"location": {"index": 4}}},
    )
    refs = [
        e["footnoteReference"]
        for e in paragraphs(stored)[0]["elements"]
        if "footnoteReference" in e
    ]
    assert [r["footnoteNumber"] for r in refs] == ["1", "2"]
    assert refs[0]["footnoteId"] == replies[1]["createFootnote"]["footnoteId"]


def test_bullet_text_style_follows_a_fully_covered_paragraph() -> None:
    stored, _ = apply(
        doc_with("item\nnext"),
        {
            "createParagraphBullets": {
                "range": {"startIndex": 1, "endIndex": 2},
                "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
            }
        },
        {
            "updateTextStyle": {
                "range": {"startIndex": 1, "endIndex": 6},
                "textStyle": {"bold": True},
                "fields": "bold",
            }
        },
    )
    assert paragraphs(stored)[0]["bullet"]["textStyle"] == {"bold": True}


def test_named_range_bounds_are_checked() -> None:
    stored = doc_with("abc")
    assert error_of(stored, name_range("n", 2, 9)).message == (
        "Invalid requests[0].createNamedRange: Index 8 must be less than the end index of the "
        "referenced segment, 5."
    )
    assert "empty" in error_of(stored, name_range("n", 2, 2)).message
    apply(stored, name_range("whole body", 1, 5))


def test_write_mode_suggest_is_not_emulated() -> None:
    error = error_of(doc_with("a"), insert(1, "x"), writeControl={"writeMode": "SUGGEST"})
    assert "SUGGEST" in error.message


# --- batches: order, atomicity, revisions --------------------------------------------------------


def test_requests_apply_in_order_and_replies_follow_them() -> None:
    stored, replies = apply(
        doc_with(""),
        insert(1, "world"),
        insert(1, "hello "),
        name_range("w", 7, 12),
        {"replaceAllText": {"containsText": {"text": "o"}, "replaceText": "0"}},
        delete(1, 7),
    )
    assert [list(r) for r in replies] == [[], [], ["createNamedRange"], ["replaceAllText"], []]
    assert para_texts(stored) == ["w0rld\n"]
    assert ranges(stored, "w") == [(1, 6)]


def test_a_failing_request_leaves_the_input_untouched() -> None:
    stored, _ = apply(doc_with("keep me"), name_range("k", 1, 5))
    before = copy.deepcopy(stored)
    error = error_of(stored, insert(1, "lost "), name_range("x", 1, 3), delete(1, 99))
    assert error.message.startswith("Invalid requests[2].deleteContentRange: ")
    assert stored == before


def test_batch_update_never_mutates_its_input() -> None:
    stored = _with_table("a {{x}}", "b")
    stored, _ = apply(stored, name_range("n", 1, 4))
    before = json.dumps(stored, sort_keys=True)
    apply(
        stored,
        insert(1, "new\n"),
        delete(2, 4),
        {"replaceAllText": {"containsText": {"text": "{{x}}"}, "replaceText": "y"}},
        {
            "updateTextStyle": {
                "range": {"startIndex": 1, "endIndex": 3},
                "textStyle": {"bold": True},
                "fields": "bold",
            }
        },
        {
            "updateParagraphStyle": {
                "range": {"startIndex": 1, "endIndex": 3},
                "paragraphStyle": {"namedStyleType": "HEADING_1"},
                "fields": "namedStyleType",
            }
        },
        {
            "createParagraphBullets": {
                "range": {"startIndex": 1, "endIndex": 3},
                "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
            }
        },
        {"replaceNamedRangeContent": {"namedRangeName": "n", "text": "zz"}},
    )
    assert json.dumps(stored, sort_keys=True) == before


def test_revision_changes_with_every_change() -> None:
    stored = new_document("d", "t")
    seen = {stored["revisionId"]}
    for n in range(3):
        stored, response = batch_update(stored, {"requests": [insert(1, str(n))]})
        assert response["writeControl"] == {"requiredRevisionId": stored["revisionId"]}
        assert response["documentId"] == "d"
        seen.add(stored["revisionId"])
    assert len(seen) == 4
    same, response = batch_update(stored, {"requests": []})
    assert same is stored and response["replies"] == []


def test_required_revision_must_be_the_latest() -> None:
    stored = doc_with("abc")
    newer, _ = apply(stored, insert(1, "x"))
    ok, _ = batch_update(
        newer,
        {"requests": [insert(1, "y")], "writeControl": {"requiredRevisionId": newer["revisionId"]}},
    )
    assert para_texts(ok) == ["yxabc\n"]
    error = error_of(
        newer, insert(1, "y"), writeControl={"requiredRevisionId": stored["revisionId"]}
    )
    assert error.message == (
        f"The required revision ID '{stored['revisionId']}' does not match the latest revision."
    )
    assert error.code == 400 and error.status == "FAILED_PRECONDITION"


def test_a_stale_target_revision_is_refused_like_a_required_one() -> None:
    stored = doc_with("abc")
    newer, _ = apply(stored, insert(1, "x"))
    error = error_of(newer, insert(1, "y"), writeControl={"targetRevisionId": stored["revisionId"]})
    assert "target revision" in error.message
    ok, _ = batch_update(
        newer,
        {"requests": [insert(1, "y")], "writeControl": {"targetRevisionId": newer["revisionId"]}},
    )
    assert para_texts(ok) == ["yxabc\n"]


def test_stored_form_survives_json() -> None:
    stored, _ = apply(_with_table(), name_range("n", 1, 4))
    again = json.loads(json.dumps(stored))
    a, _ = apply(stored, insert(2, "z"))
    b, _ = apply(again, insert(2, "z"))
    assert render(a)["body"] == render(b)["body"]
    assert ranges(a, "n") == ranges(b, "n") == [(1, 5)]


# --- suggestions ---------------------------------------------------------------------------------


def _suggested_doc() -> dict[str, Any]:
    doc = render(doc_with("keep new old end"))
    elements = doc["body"]["content"][1]["paragraph"]["elements"]
    elements[:] = [
        {"startIndex": 1, "endIndex": 6, "textRun": {"content": "keep ", "textStyle": {}}},
        {
            "startIndex": 6,
            "endIndex": 10,
            "textRun": {"content": "new ", "textStyle": {}, "suggestedInsertionIds": ["suggest.1"]},
        },
        {
            "startIndex": 10,
            "endIndex": 14,
            "textRun": {"content": "old ", "textStyle": {}, "suggestedDeletionIds": ["suggest.2"]},
        },
        {"startIndex": 14, "endIndex": 18, "textRun": {"content": "end\n", "textStyle": {}}},
    ]
    doc["namedRanges"] = {
        "e": {
            "name": "e",
            "namedRanges": [
                {
                    "namedRangeId": "kix.e",
                    "name": "e",
                    "ranges": [{"startIndex": 14, "endIndex": 17}],
                }
            ],
        }
    }
    return import_document(doc)


def test_suggestions_are_kept_and_shown_inline_by_default() -> None:
    stored = _suggested_doc()
    for mode in (None, "SUGGESTIONS_INLINE", "DEFAULT_FOR_CURRENT_ACCESS"):
        doc = render(stored, suggestions_view_mode=mode)
        assert doc["suggestionsViewMode"] == "SUGGESTIONS_INLINE"
        runs = doc["body"]["content"][1]["paragraph"]["elements"]
        assert runs[1]["textRun"]["suggestedInsertionIds"] == ["suggest.1"]
    edited, _ = apply(stored, insert(1, ">"))
    assert render(edited)["body"]["content"][1]["paragraph"]["elements"][2]["textRun"][
        "suggestedDeletionIds"
    ] == ["suggest.2"]


@pytest.mark.parametrize(
    ("mode", "text", "e_range"),
    [
        ("PREVIEW_WITHOUT_SUGGESTIONS", "keep old end\n", (10, 13)),
        ("PREVIEW_SUGGESTIONS_ACCEPTED", "keep new end\n", (10, 13)),
    ],
)
def test_preview_modes_drop_rejected_text_and_recompute_indices(
    mode: str, text: str, e_range: tuple[int, int]
) -> None:
    stored = _suggested_doc()
    doc = render(stored, suggestions_view_mode=mode)
    assert doc["suggestionsViewMode"] == mode
    (para,) = [se for se in doc["body"]["content"] if "paragraph" in se]
    assert para["paragraph"]["elements"] == [
        {"startIndex": 1, "endIndex": 14, "textRun": {"content": text, "textStyle": {}}}
    ]
    assert doc["namedRanges"]["e"]["namedRanges"][0]["ranges"] == [
        {"startIndex": e_range[0], "endIndex": e_range[1]}
    ]
    assert render(stored)["body"]["content"][1]["endIndex"] == 18  # the stored doc is unchanged


# --- a random walk of edits against a plain model ------------------------------------------------

ALPHABET = ["a", "b", " ", "\n", WOMAN_CODING, NORWAY, E_ACUTE, "\u05e9", "\u0628", "\u0301"]
texts = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=6).map("".join)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.floats(0, 1), texts),
        st.tuples(st.just("delete"), st.floats(0, 1), st.floats(0, 0.3)),
        st.tuples(st.just("name"), st.floats(0, 1), st.floats(0, 0.5)),
    ),
    min_size=1,
    max_size=12,
)


def _units(text: str) -> list[int]:
    data = text.encode("utf-16-le")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def _low_surrogate(unit: int) -> bool:
    return 0xDC00 <= unit <= 0xDFFF


def _moved(x: int, is_end: bool, start: int, end: int, n: int) -> int:
    """Where a range end goes when [start, end) becomes n new units: text inserted at a
    range's start or end stays out of it, text replacing part of it stays in."""
    if x < start or (is_end and x == start):
        return x
    if x > end or (not is_end and x == end):
        return x - (end - start) + n
    return start + n if is_end else start


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=texts, steps=ops)
def test_random_edits_keep_indices_and_named_ranges_consistent(
    initial: str, steps: list[tuple[Any, ...]]
) -> None:
    stored = doc_with(initial)
    model = _units(initial + "\n")  # model[i] is the code unit at index i + 1
    names: dict[str, tuple[int, int]] = {}
    for step, (kind, where, arg) in enumerate(steps):
        size = len(model)  # the body ends at size + 1; its final newline is at size
        start = 1 + int(where * (size - 1))
        if kind == "insert":
            request = insert(start, arg)
            edit = (start, start, len(_units(arg)))
            valid = not _low_surrogate(model[start - 1])
        elif kind == "delete":
            end = min(size + 1, start + 1 + int(arg * size))
            request, edit = delete(start, end), (start, end, 0)
            valid = (
                end <= size
                and not _low_surrogate(model[start - 1])
                and not _low_surrogate(model[end - 1])
            )
        else:
            end = min(size + 1, start + 1 + int(arg * size))
            request, edit, valid = name_range(f"r{step}", start, end), None, True
        if not valid:
            before = copy.deepcopy(stored)
            with pytest.raises(InvalidArgument):
                batch_update(stored, {"requests": [request]})
            assert stored == before
            continue
        stored, _ = apply(stored, request)
        if edit is None:
            names[f"r{step}"] = (start, end)
            continue
        a, b, n = edit
        if n:
            model[a - 1 : a - 1] = _units(arg)
        else:
            del model[a - 1 : b - 1]
        for name, (s, e) in list(names.items()):
            moved = (_moved(s, False, a, b, n), _moved(e, True, a, b, n))
            if moved[0] >= moved[1]:
                del names[name]
            else:
                names[name] = moved
        data = b"".join(u.to_bytes(2, "little") for u in model)
        assert document_text(stored) == data.decode("utf-16-le", errors="surrogatepass")
    rendered = render(stored).get("namedRanges", {})
    assert {name: ranges(stored, name)[0] for name in rendered} == names


structural_ops = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.floats(0, 1), texts),
        st.tuples(st.just("delete"), st.floats(0, 1), st.floats(0, 0.4)),
        st.tuples(
            st.just("table"), st.floats(0, 1), st.tuples(st.integers(1, 3), st.integers(1, 3))
        ),
        st.tuples(st.just("break"), st.floats(0, 1), st.none()),
        st.tuples(st.just("name"), st.floats(0, 1), st.floats(0, 0.4)),
        st.tuples(st.just("replace"), st.floats(0, 1), texts | st.just("")),
    ),
    min_size=1,
    max_size=12,
)


def _table_units(rows: int, columns: int) -> list[int]:
    mark = "\ufffc"
    return _units(mark + (mark + (mark + "\n") * columns) * rows + mark)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=texts, steps=structural_ops)
def test_random_structural_edits_keep_the_body_consistent(
    initial: str, steps: list[tuple[Any, ...]]
) -> None:
    # The document decides which edits are valid here (tables make that intricate); what it
    # accepts must land exactly where the flat model says, and named ranges must follow.
    stored = doc_with(initial)
    data = flat(stored)
    model = [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]
    names: dict[str, tuple[int, int]] = {}
    ids: dict[str, str] = {}
    for step, (kind, where, arg) in enumerate(steps):
        size = len(model)  # the body's end index
        pos = int(where * (size - 1))
        end = min(size, pos + 1 + int((arg if isinstance(arg, float) else 0) * size))
        added: list[int] = []
        target = None
        if kind == "replace":
            if not names:
                continue
            target = sorted(names)[int(where * (len(names) - 1))]
            pos, end = names[target]
            request = {"replaceNamedRangeContent": {"namedRangeId": ids[target], "text": arg}}
            added = _units(arg)
        elif kind == "insert":
            request, added = insert(pos, arg), _units(arg)
        elif kind == "delete":
            request = delete(pos, end)
        elif kind == "table":
            request = {
                "insertTable": {"rows": arg[0], "columns": arg[1], "location": {"index": pos}}
            }
            added = _units("\n") + _table_units(*arg)
        elif kind == "break":
            request, added = {"insertPageBreak": {"location": {"index": pos}}}, _units("\ufffc\n")
        else:
            request = name_range(f"r{step}", pos, end)
        try:
            stored, replies = apply(stored, request)
        except InvalidArgument:
            continue
        if kind == "name":
            names[f"r{step}"] = (pos, end)
            ids[f"r{step}"] = replies[0]["createNamedRange"]["namedRangeId"]
            continue
        a, b = (pos, pos) if kind in ("insert", "table", "break") else (pos, end)
        n = len(added)
        model[a:b] = added
        for name, (s, e) in list(names.items()):
            moved = (_moved(s, False, a, b, n), _moved(e, True, a, b, n))
            if moved[0] >= moved[1]:
                del names[name]
            else:
                names[name] = moved
        assert flat(stored) == b"".join(u.to_bytes(2, "little") for u in model)
    rendered = render(stored).get("namedRanges", {})
    assert {name: ranges(stored, name)[0] for name in rendered} == names


# --- size: a session document of 10,000 contributions --------------------------------------------


@pytest.fixture(scope="module")
def big_doc() -> tuple[dict[str, Any], int]:
    rng = random.Random(7)
    words = "we propose that investors disclose climate risk and governments follow up".split()
    # 12 words a line: about 876,000 characters, under Google's 1.02 million per document.
    lines = [f"[{i}] " + " ".join(rng.choice(words) for _ in range(12)) for i in range(10_000)]
    stored = new_document("big", "Big")
    stored, _ = batch_update(stored, {"requests": [insert(1, "\n".join(lines))]})
    requests, pos = [], 1
    for i, line in enumerate(lines):
        requests.append(name_range(f"gdoc_sync:c:{i}", pos, pos + len(line)))
        pos += len(line) + 1
    stored, _ = batch_update(stored, {"requests": requests})
    assert len(json.dumps(stored)) > 1_500_000
    return stored, pos


def _timed(stored: dict[str, Any], requests: list[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    new, _ = batch_update(stored, {"requests": requests})
    return new, time.perf_counter() - start


def test_large_batches_stay_fast(big_doc: tuple[dict[str, Any], int]) -> None:
    stored, end = big_doc
    rng = random.Random(3)
    spots = [rng.randrange(1, end - 10) for _ in range(1000)]
    new, seconds = _timed(stored, [name_range(f"x{i}", s, s + 5) for i, s in enumerate(spots)])
    assert seconds < 1.0
    assert len(render(new)["namedRanges"]) == 11_000
    new, seconds = _timed(
        stored,
        [insert(s, "new words ") for s in spots[:250]]
        + [insert(s, "\nnew paragraph") for s in spots[250:500]],
    )
    assert seconds < 1.0
    assert len(render(new)["namedRanges"]) == 10_000
    new, seconds = _timed(
        stored,
        [
            {
                "replaceNamedRangeContent": {
                    "namedRangeName": f"gdoc_sync:c:{i}",
                    "text": f"edited {i}",
                }
            }
            for i in range(0, 10_000, 20)
        ],
    )
    assert seconds < 1.0
    assert text_at(new, *ranges(new, "gdoc_sync:c:9980")[0]) == "edited 9980"
    start = time.perf_counter()
    doc = render(stored)
    assert time.perf_counter() - start < 0.1
    assert len(doc["body"]["content"]) == 10_001
