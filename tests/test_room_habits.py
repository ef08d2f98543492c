"""Moderators in a real room (issue 12): sections whose headings move, notes that land after what
people typed, online items traced once, half-typed contributions. Typed through the Docs API."""

from __future__ import annotations

from typing import Any

import pytest

from gdoc_sync.core.template import load_template
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import sync_session


@pytest.fixture
def session(backend):
    return create_session(
        backend.api(), load_template("igf2025-ws354"), CreateOptions(notify=False)
    )


def machine(backend) -> dict[str, Any]:
    base = backend.data_dir / "m1"
    return {"state": LocalState(base / "state"), "journal": Journal(base / "journal")}


def paragraphs(api: GoogleApi, document_id: str) -> list[dict[str, Any]]:
    out = []
    for el in api.get_document(document_id)["body"]["content"]:
        if "paragraph" not in el:
            continue
        p = el["paragraph"]
        text = "".join(e.get("textRun", {}).get("content", "") for e in p.get("elements", []))
        bullet = p.get("bullet")
        out.append(
            {
                "start": el["startIndex"],
                "end": el["endIndex"],
                "text": text.rstrip("\n"),
                "level": None if bullet is None else bullet.get("nestingLevel", 0),
                "style": p.get("paragraphStyle", {}).get("namedStyleType"),
            }
        )
    return out


def find(api: GoogleApi, document_id: str, starts: str) -> dict[str, Any]:
    for p in paragraphs(api, document_id):
        if p["text"].startswith(starts):
            return p
    raise AssertionError(f"no paragraph starts with {starts!r}")


def type_after(api: GoogleApi, document_id: str, after: str, text: str) -> None:
    """Click at the end of the paragraph starting `after`, press Enter, type `text`."""
    at = find(api, document_id, after)["end"] - 1
    api.update_document(
        document_id, [{"insertText": {"location": {"index": at}, "text": "\n" + text}}]
    )


def bullets_off(api: GoogleApi, document_id: str, starts: str) -> None:
    p = find(api, document_id, starts)
    api.update_document(
        document_id,
        [{"deleteParagraphBullets": {"range": {"startIndex": p["start"], "endIndex": p["end"]}}}],
    )


def indent(api: GoogleApi, document_id: str, starts: str) -> None:
    """Tab at the start of a bullet: a detail line under the one above."""
    p = find(api, document_id, starts)
    api.update_document(
        document_id, [{"insertText": {"location": {"index": p["start"]}, "text": "\t"}}]
    )
    api.update_document(
        document_id,
        [
            {
                "createParagraphBullets": {
                    "range": {"startIndex": p["start"], "endIndex": p["end"]},
                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                }
            }
        ],
    )
    assert find(api, document_id, starts.lstrip("\t"))["level"] == 1


def section_texts(api: GoogleApi, document_id: str, heading: str, until: str) -> list[str]:
    texts = [p["text"] for p in paragraphs(api, document_id)]
    first = next(n for n, t in enumerate(texts) if t.startswith(heading))
    last = next(n for n, t in enumerate(texts) if n > first and t.startswith(until))
    return [t for t in texts[first + 1 : last] if t.strip()]


# -- a note lands after the contributions already in the section -----------------------------


def test_a_note_lands_after_plain_paragraphs_typed_below_the_bullets(backend, session) -> None:
    api = backend.api()
    doc = session.document_id
    add_note(api, doc, "Q1", "Investors: First, as a bullet (Ana Silva, civil society)")
    # The moderator pressed Enter, turned the bullet off and typed on.
    type_after(api, doc, "Investors: First", "Governments: Second, typed plain (Mei Lin, UN)")
    bullets_off(api, doc, "Governments: Second")
    add_note(api, doc, "Q1", "Civil society: Third, by note (Chidi Okeke, civil society)")
    texts = section_texts(api, doc, "Q1.", "Q2.")
    assert [t.split(":")[0] for t in texts[-3:]] == ["Investors", "Governments", "Civil society"]
    assert find(api, doc, "Civil society: Third")["level"] == 0


def test_a_note_lands_after_a_detail_line_as_its_own_item(backend, session) -> None:
    api = backend.api()
    doc = session.document_id
    add_note(api, doc, "Q2", "Investors: Main point (Ana Silva, civil society)")
    type_after(api, doc, "Investors: Main point", "with yearly reports")
    indent(api, doc, "with yearly reports")
    add_note(api, doc, "Q2", "Governments: Next point (Mei Lin, UN)")
    texts = section_texts(api, doc, "Q2.", "Q3.")
    assert texts[-3:] == [
        "Investors: Main point (Ana Silva, civil society)",
        "with yearly reports",
        "Governments: Next point (Mei Lin, UN)",
    ]
    assert find(api, doc, "Governments: Next point")["level"] == 0


# -- online-discussion items are traced once ---------------------------------------------------


def test_an_online_discussion_item_is_not_traced_online_twice(backend, session) -> None:
    api = backend.api()
    doc = session.document_id
    add_note(api, doc, "online", "Investors: Share the slides before the session (Ana Silva, UN)")
    add_note(api, doc, "Q1", "Governments: Meet again (Mei Lin, UN, online)")
    m = machine(backend)
    sync_session(api, doc, **m)
    finalize_session(api, doc, state=m["state"])
    slides = find(api, doc, "Share the slides")["text"]
    assert slides.startswith("Share the slides before the session [")
    trace = slides.split("[", 1)[1]
    assert trace.casefold().count("online") == 1, slides
    # An online remark in a question's section still says both: the question and the channel.
    meet = find(api, doc, "Meet again")["text"]
    assert meet.startswith("Meet again [Q1") and "online" in meet.split("[", 1)[1], meet


# -- a section whose heading was deleted and typed back, or moved ----------------------------


def named_ranges(api: GoogleApi, document_id: str) -> dict[str, list[tuple[int, int]]]:
    doc = api.get_document(document_id)
    return {
        name: [
            (r.get("startIndex", 0), r["endIndex"])
            for nr in entry["namedRanges"]
            for r in nr["ranges"]
        ]
        for name, entry in (doc.get("namedRanges") or {}).items()
    }


def retype_section(api: GoogleApi, document_id: str, heading: str, lines: list[str]) -> str:
    """Select the section from its heading to the next one, cut it (Docs drops its named range
    with it), then type the heading and the lines back at the end of the questions, as a person
    repairing the Doc does. Returns the heading typed."""
    texts = paragraphs(api, document_id)
    first = next(n for n, p in enumerate(texts) if p["text"].startswith(heading))
    last = next(n for n, p in enumerate(texts) if n > first and p["style"] == "HEADING_2")
    start, end = texts[first]["start"], texts[last]["start"]
    api.update_document(
        document_id, [{"deleteContentRange": {"range": {"startIndex": start, "endIndex": end}}}]
    )
    # Typed back after the last question's section (a move), the heading in Heading 2.
    anchor = find(api, document_id, "Online discussion")
    at = anchor["start"]
    typed = heading + " (typed back)\n" + "".join(line + "\n" for line in lines)
    api.update_document(
        document_id,
        [
            {"insertText": {"location": {"index": at}, "text": typed}},
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": at, "endIndex": at + 1},
                    "paragraphStyle": {"namedStyleType": "HEADING_2"},
                    "fields": "namedStyleType",
                }
            },
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": at + len(heading) + 14, "endIndex": at + len(typed)},
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                    "fields": "namedStyleType",
                }
            },
            {
                "createParagraphBullets": {
                    "range": {"startIndex": at + len(heading) + 14, "endIndex": at + len(typed)},
                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE",
                }
            },
        ],
    )
    return heading + " (typed back)"


def test_a_section_cut_and_typed_back_is_re_anchored_for_every_command(backend, session, cli):
    api = backend.api()
    doc = session.document_id
    first = "Investors: Before the move (Ana Silva, civil society)"
    add_note(api, doc, "Q3", first)
    m = machine(backend)
    sync_session(api, doc, **m)
    assert "gdoc_sync:question:Q3" in named_ranges(api, doc)
    q3 = find(api, doc, "Q3.")["text"].split(" ", 1)[0]  # "Q3."
    retype_section(api, doc, q3, [first])
    assert "gdoc_sync:question:Q3" not in named_ranges(api, doc)
    # Without a sync first, note finds the section by its heading.
    added = cli("note", doc, "-q", "q3", "Governments: After the move (Mei Lin, UN)")
    assert added.exit_code == 0, added.stderr
    texts = section_texts(api, doc, q3, "Online discussion")
    assert texts[-2:] == [first, "Governments: After the move (Mei Lin, UN)"]
    # sync reads the section by its heading, says so once, and puts its named range back.
    once = sync_session(api, doc, **m)
    assert [c.text for c in once.plan.added] == ["Governments: After the move (Mei Lin, UN)"]
    assert not once.plan.removed
    assert any("found by its heading" in p for p in once.problems)
    ranges = named_ranges(api, doc)
    assert "gdoc_sync:question:Q3" in ranges
    heading = find(api, doc, q3)
    (span,) = ranges["gdoc_sync:question:Q3"]
    assert span[0] == heading["start"]
    assert span[1] == find(api, doc, "Online discussion")["start"]
    add_note(api, doc, "Q3", "Civil society: Later still (Chidi Okeke, civil society)")
    again = sync_session(api, doc, **m)
    assert [c.text for c in again.plan.added] == [
        "Civil society: Later still (Chidi Okeke, civil society)"
    ]
    assert not any("Q3" in p for p in again.problems), again.problems


# -- a contribution synced while half-typed, then finished -----------------------------------


def contribution_rows(backend, sheet: str) -> dict[str, dict[str, str]]:
    values = backend.clients.sheets.open_by_key(sheet).worksheet("Contributions").get_all_values()
    header = values[0]
    return {r[0]: dict(zip(header, r, strict=True)) for r in values[1:] if any(r)}


def type_at_end(api: GoogleApi, document_id: str, starts: str, more: str) -> None:
    """Click at the end of the paragraph starting `starts` and keep typing."""
    at = find(api, document_id, starts)["end"] - 1
    api.update_document(document_id, [{"insertText": {"location": {"index": at}, "text": more}}])


def test_a_contribution_synced_half_typed_then_finished_is_in_doc(backend, session) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    m = machine(backend)
    # watch synced while the moderator was typing the word "policies", then the speaker's name.
    add_note(api, doc, "Q1", "Investors: Publish HRDD pol")
    add_note(api, doc, "Q2", "Governments: Fund the ombudsman (Mei Li")
    sync_session(api, doc, **m)
    assert {r["Status"] for r in contribution_rows(backend, sheet).values()} == {"in doc"}
    type_at_end(api, doc, "Investors: Publish HRDD pol", "icies by 2026 (Ana Silva, civil society)")
    type_at_end(api, doc, "Governments: Fund the ombudsman", "n, UN)")
    sync_session(api, doc, **m)
    rows = contribution_rows(backend, sheet)
    assert rows["C0001"]["Contribution"] == "Publish HRDD policies by 2026"
    assert rows["C0001"]["Speaker"] == "Ana Silva"
    assert rows["C0002"]["Contribution"] == "Fund the ombudsman"
    assert rows["C0002"]["Speaker"] == "Mei Lin"
    assert rows["C0001"]["Status"] == "in doc"
    assert rows["C0002"]["Status"] == "in doc"
    # A later change of words a person could have read is an edit, and stays one.
    api.update_document(
        doc,
        [
            {
                "replaceAllText": {
                    "containsText": {"text": "by 2026", "matchCase": True},
                    "replaceText": "by 2027",
                }
            }
        ],
    )
    sync_session(api, doc, **m)
    assert contribution_rows(backend, sheet)["C0001"]["Status"] == "edited"
    add_note(api, doc, "Q3", "Civil society: Something else (Chidi Okeke, civil society)")
    sync_session(api, doc, **m)
    assert contribution_rows(backend, sheet)["C0001"]["Status"] == "edited"


def test_a_half_typed_contribution_a_rapporteur_curated_is_edited_when_finished(
    backend, session
) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    m = machine(backend)
    add_note(api, doc, "Q1", "Investors: Publish HRDD pol")
    sync_session(api, doc, **m)
    ws = backend.clients.sheets.open_by_key(sheet).worksheet("Contributions")
    header = ws.row_values(1)
    ws.update_cell(2, header.index("Final wording") + 1, "Publish HRDD policies")
    type_at_end(api, doc, "Investors: Publish HRDD pol", "icies by 2026")
    sync_session(api, doc, **m)
    # The rapporteur curated the words as they stood: the Doc moved on from what they saw.
    assert contribution_rows(backend, sheet)["C0001"]["Status"] == "edited"


def test_a_stale_anchor_is_repaired_once_not_reported_on_every_sync(backend, session) -> None:
    api = backend.api()
    doc = session.document_id
    m = machine(backend)
    add_note(api, doc, "Q1", "Investors: First half of a thought (Ana Silva, civil society)")
    add_note(api, doc, "Q1", "and the second half")
    sync_session(api, doc, **m)
    assert {"gdoc_sync:c:C0001", "gdoc_sync:c:C0002"} <= set(named_ranges(api, doc))
    # The moderator joins the two lines: Delete at the end of the first.
    at = find(api, doc, "Investors: First half")["end"] - 1
    api.update_document(
        doc, [{"deleteContentRange": {"range": {"startIndex": at, "endIndex": at + 1}}}]
    )
    first = sync_session(api, doc, **m)
    stale = [p for p in first.problems if p.startswith("stale anchor C0002")]
    assert len(stale) == 1, first.problems
    assert "gdoc_sync:c:C0002" not in named_ranges(api, doc)
    add_note(api, doc, "Q2", "Governments: Something new (Mei Lin, UN)")
    second = sync_session(api, doc, **m)
    assert not any("stale anchor" in p for p in second.problems), second.problems
    assert [c.id for c in second.plan.added] == ["C0003"]


# -- links in published action points ----------------------------------------------------------


GUIDE = "https://www.ohchr.org/en/publications/reference-publications/guiding-principles"


def test_a_link_in_a_contribution_stays_a_link_in_the_published_list(backend, session) -> None:
    api = backend.api()
    doc, sheet = session.document_id, session.spreadsheet_id
    add_note(api, doc, "Q1", "Investors: Follow the UNGP guide for investors (Ana Silva, UN)")
    # The moderator selects "UNGP guide" and inserts a link (Ctrl-K).
    p = find(api, doc, "Investors: Follow the UNGP guide")
    at = p["start"] + len("Investors: Follow the ")
    api.update_document(
        doc,
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": at, "endIndex": at + len("UNGP guide")},
                    "textStyle": {"link": {"url": GUIDE}},
                    "fields": "link",
                }
            }
        ],
    )
    m = machine(backend)
    sync_session(api, doc, **m)
    finalize_session(api, doc, state=m["state"])
    published = None
    for el in api.get_document(doc)["body"]["content"]:
        elements = el.get("paragraph", {}).get("elements", [])
        text = "".join(e.get("textRun", {}).get("content", "") for e in elements)
        if text.startswith("Follow the UNGP guide") and el["startIndex"] > p["start"]:
            published = elements
    assert published is not None
    text = "".join(e["textRun"]["content"] for e in published)
    assert text.startswith("Follow the UNGP guide for investors [Q1")
    assert "https://" not in text
    linked = [
        (e["textRun"]["content"], e["textRun"]["textStyle"]["link"]["url"])
        for e in published
        if (e["textRun"].get("textStyle") or {}).get("link")
    ]
    assert linked == [("UNGP guide", GUIDE)]
    # The Sheet's Action points row keeps the address, as a cell can show it.
    rows = backend.clients.sheets.open_by_key(sheet).worksheet("Action points").get_all_values()
    assert any(GUIDE in cell for row in rows for cell in row)
    # A second finalize changes nothing.
    before = api.get_document(doc)["revisionId"]
    again = finalize_session(api, doc, state=m["state"])
    assert again.unchanged and api.get_document(doc)["revisionId"] == before


def test_a_renamed_heading_keeps_its_section_for_every_command(backend, session, cli) -> None:
    api = backend.api()
    doc = session.document_id
    m = machine(backend)
    add_note(api, doc, "Q2", "Investors: Before the rename (Ana Silva, civil society)")
    sync_session(api, doc, **m)
    heading = find(api, doc, "Q2.")
    # The moderator retypes the question's words after "Q2. ".
    api.update_document(
        doc,
        [
            {
                "deleteContentRange": {
                    "range": {"startIndex": heading["start"] + 4, "endIndex": heading["end"] - 1}
                }
            },
            {
                "insertText": {
                    "location": {"index": heading["start"] + 4},
                    "text": "Who should act first, and how?",
                }
            },
        ],
    )
    added = cli("note", doc, "-q", "Q2", "Governments: After the rename (Mei Lin, UN)")
    assert added.exit_code == 0, added.stderr
    assert section_texts(api, doc, "Q2. Who should act first", "Q3.")[-2:] == [
        "Investors: Before the rename (Ana Silva, civil society)",
        "Governments: After the rename (Mei Lin, UN)",
    ]
    result = sync_session(api, doc, **m)
    assert [c.text for c in result.plan.added] == ["Governments: After the rename (Mei Lin, UN)"]
    assert not result.plan.removed and not any("Q2" in p for p in result.problems)
