"""`gdoc-sync export` of real documents: imported into the emulator, read back through the
client library by the CLI, checked against the text the test reads from the document JSON."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import FIXTURES
from test_export import HtmlChecker

DOCS = FIXTURES / "google" / "docs"
RECORDED_TABS = FIXTURES / "google" / "docs-batchupdate" / "desired.json"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def import_document(backend: Any, document: dict[str, Any]) -> str:
    """Store a documents.get response in the emulator through its import endpoint."""
    body = json.dumps({"document": document}).encode()
    headers = {"content-type": "application/json"}
    if backend.host:
        url = f"http://{backend.host}/_emulator/documents:import"
        answer = requests.post(url, data=body, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()["documentId"]
    response = backend.emulator.dispatch("POST", "/_emulator/documents:import", "", body, headers)
    assert response.status == 200, response.body
    return json.loads(response.body)["documentId"]


def export(cli: Any, document_id: str, fmt: str, *extra: str) -> str:
    result = cli("export", document_id, "--format", fmt, *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- what the JSON says, read independently of the exporter --------------------------------


def walk_tabs(doc: dict[str, Any], level: int = 0) -> list[tuple[str, int, dict[str, Any]]]:
    """(title, nesting level, documentTab) of every tab, children after their parent."""
    out = []
    for tab in doc.get("tabs") or []:
        out.append((tab["tabProperties"]["title"], level, tab["documentTab"]))
        out.extend(walk_tabs({"tabs": tab.get("childTabs") or []}, level + 1))
    return out


def run_texts(content: list[dict[str, Any]]) -> list[str]:
    """The text of every text run, in order, whitespace collapsed, tables included."""
    out = []
    for element in content:
        for pe in (element.get("paragraph") or {}).get("elements") or []:
            text = " ".join((pe.get("textRun") or {}).get("content", "").split())
            if text:
                out.append(text)
        for row in (element.get("table") or {}).get("tableRows") or []:
            for cell in row.get("tableCells") or []:
                out.extend(run_texts(cell.get("content") or []))
        out.extend(run_texts((element.get("tableOfContents") or {}).get("content") or []))
    return out


def assert_in_order(needles: list[str], haystack: str) -> None:
    flat = " ".join(haystack.split())
    pos = 0
    for needle in needles:
        found = flat.find(needle, pos)
        assert found >= 0, f"{needle!r} missing after {flat[max(0, pos - 60) : pos]!r}"
        pos = found + len(needle)


# --- tabs -------------------------------------------------------------------------------------


def test_recorded_two_tab_document_exports_every_tab(backend, cli) -> None:
    recorded = load(RECORDED_TABS)
    tabs = walk_tabs(recorded)
    assert len(tabs) == 2  # the recording: "Tab 1" and the tab its batch added
    document_id = import_document(backend, recorded)

    text = export(cli, document_id, "txt")
    expected: list[str] = []
    for title, _level, tab in tabs:
        expected += [title, *run_texts(tab["body"]["content"])]
    assert_in_order(expected, text)
    for title, _level, _tab in tabs:
        assert f"\n{title}\n{'=' * len(title)}\n" in f"\n{text}"
    # The second tab's footnote, numbered and printed after the body.
    (footnote,) = tabs[1][2]["footnotes"].values()
    assert f"\n[1] {' '.join(run_texts(footnote['content']))}\n" in text

    markdown = export(cli, document_id, "md")
    assert [line for line in markdown.splitlines() if line.startswith("#")] == [
        f"# {title}" for title, _level, _tab in tabs
    ]
    page = export(cli, document_id, "html")
    HtmlChecker(page).check()
    for title, _level, _tab in tabs:
        assert f'<h1 dir="auto">{title}</h1>' in page
    assert page.index(tabs[0][0]) < page.index(tabs[1][0])


def test_child_tabs_added_through_the_api_export_nested(backend, cli) -> None:
    docs = backend.clients.docs
    document_id = docs.documents().create(body={"title": "Tabbed"}).execute()["documentId"]

    def add_tab(title: str, parent: str | None = None) -> str:
        props: dict[str, Any] = {"title": title}
        if parent:
            props["parentTabId"] = parent
        reply = (
            docs.documents()
            .batchUpdate(
                documentId=document_id,
                body={"requests": [{"addDocumentTab": {"tabProperties": props}}]},
            )
            .execute()
        )
        return reply["replies"][0]["addDocumentTab"]["tabProperties"]["tabId"]

    notes = add_tab("Notes")
    child = add_tab("Breakout: Ελληνικά", notes)
    grandchild = add_tab("Detail", child)
    texts = {"": "Main text", notes: "Notes text", child: "Breakout text 🌍", grandchild: "Deep"}
    docs.documents().batchUpdate(
        documentId=document_id,
        body={
            "requests": [
                {
                    "insertText": {
                        "location": {"index": 1, **({"tabId": t} if t else {})},
                        "text": text,
                    }
                }
                for t, text in texts.items()
            ]
        },
    ).execute()

    read = docs.documents().get(documentId=document_id, includeTabsContent=True).execute()
    tabs = walk_tabs(read)
    assert [(title, level) for title, level, _ in tabs] == [
        ("Tab 1", 0),
        ("Notes", 0),
        ("Breakout: Ελληνικά", 1),
        ("Detail", 2),
    ]
    markdown = export(cli, document_id, "md")
    expected = []
    for title, level, tab in tabs:
        expected.append(f"{'#' * (level + 1)} {title}")
        expected.extend(run_texts(tab["body"]["content"]))
    assert markdown == "\n\n".join(expected) + "\n"
    page = export(cli, document_id, "html")
    assert '<h2 dir="auto">Breakout: Ελληνικά</h2>\n<p dir="auto">Breakout text 🌍</p>' in page
    assert '<h3 dir="auto">Detail</h3>' in page


@pytest.mark.parametrize(
    "path",
    [*sorted(DOCS.glob("extrasuite-*.json")), DOCS / "gatsby-lists.json"],
    ids=lambda p: p.stem[:24],
)
def test_recorded_documents_export_all_their_text(backend, cli, path: Path) -> None:
    recorded = load(path)
    document_id = import_document(backend, recorded)
    text = export(cli, document_id, "txt")
    content = [tab["body"]["content"] for _t, _l, tab in walk_tabs(recorded)] or [
        recorded["body"]["content"]
    ]
    for body in content:
        assert_in_order(run_texts(body), text)


# --- chips ----------------------------------------------------------------------------------

# Paragraph elements in the shapes documents.get returns them (person and dateElement as
# recorded from a live document; richLink as the Docs v1 reference describes it).
PERSON = {
    "person": {
        "personId": "kix.w3y151lkmuc",
        "textStyle": {},
        "personProperties": {"name": "Trisha Schutter", "email": "patricia.schutter@example.com"},
    }
}
DATE = {
    "dateElement": {
        "dateId": "kix.ufzz5692u4o",
        "textStyle": {},
        "dateElementProperties": {
            "timestamp": "2025-12-12T12:00:00Z",
            "locale": "en",
            "dateFormat": "DATE_FORMAT_MONTH_DAY_YEAR_ABBREVIATED",
            "timeFormat": "TIME_FORMAT_DISABLED",
            "displayText": "Dec 12, 2025",
        },
    }
}
RICH_LINK = {
    "richLink": {
        "richLinkId": "kix.rl1",
        "textStyle": {},
        "richLinkProperties": {
            "title": "Session plan",
            "uri": "https://docs.google.com/document/d/abc/edit",
            "mimeType": "application/vnd.google-apps.document",
        },
    }
}


def paragraph(*elements: dict[str, Any] | str) -> dict[str, Any]:
    items = [
        {"textRun": {"content": e, "textStyle": {}}} if isinstance(e, str) else e for e in elements
    ]
    return {
        "paragraph": {
            "elements": [*items, {"textRun": {"content": "\n", "textStyle": {}}}],
            "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
        }
    }


def with_paragraphs(*paragraphs: dict[str, Any]) -> dict[str, Any]:
    """A recorded tabs-form document with the paragraphs added at the end of its first tab."""
    doc = copy.deepcopy(load(DOCS / "extrasuite-1vL8dY0Ok__9VaUIqhBCMeElS5QdaKZfbgr_YCja5kx0.json"))
    content = doc["tabs"][0]["documentTab"]["body"]["content"]
    content.extend(copy.deepcopy(list(paragraphs)))
    for element in content:  # the import recomputes indices
        element.pop("startIndex", None)
        element.pop("endIndex", None)
        for pe in (element.get("paragraph") or {}).get("elements") or []:
            pe.pop("startIndex", None)
            pe.pop("endIndex", None)
    return doc


def test_chips_keep_their_text_in_every_format(backend, cli) -> None:
    document = with_paragraphs(
        paragraph("Rapporteur: ", PERSON),
        paragraph("Date: ", DATE),
        paragraph("See ", RICH_LINK, " before the session."),
    )
    document_id = import_document(backend, document)
    person = PERSON["person"]["personProperties"]
    date = DATE["dateElement"]["dateElementProperties"]["displayText"]
    link = RICH_LINK["richLink"]["richLinkProperties"]

    text = export(cli, document_id, "txt")
    assert f"\nRapporteur: {person['name']} (mailto:{person['email']})\n" in text
    assert f"\nDate: {date}\n" in text
    assert f"\nSee {link['title']} ({link['uri']}) before the session.\n" in text

    markdown = export(cli, document_id, "md")
    assert f"\nRapporteur: [{person['name']}](mailto:{person['email']})\n" in markdown
    assert f"\nDate: {date}\n" in markdown
    assert f"\nSee [{link['title']}]({link['uri']}) before the session.\n" in markdown

    page = export(cli, document_id, "html")
    HtmlChecker(page).check()
    assert f'<p dir="auto">Date: {date}</p>' in page
    assert f'<a href="{link["uri"]}" rel="noopener noreferrer">{link["title"]}</a>' in page
    assert f'<a href="mailto:{person["email"]}" rel="noopener noreferrer">' in page


# --- suggestions ----------------------------------------------------------------------------

INSERTED = {
    "textRun": {"content": "publicly ", "textStyle": {}, "suggestedInsertionIds": ["suggest.ins1"]}
}
DELETED = {
    "textRun": {"content": "privately ", "textStyle": {}, "suggestedDeletionIds": ["suggest.del1"]}
}
SUGGESTED_DATE = {"dateElement": {**DATE["dateElement"], "suggestedInsertionIds": ["suggest.d"]}}


@pytest.fixture
def suggested(backend) -> str:
    return import_document(
        backend,
        with_paragraphs(
            paragraph("Investors should report ", INSERTED, DELETED, "on due diligence."),
            paragraph("Due by ", SUGGESTED_DATE),
        ),
    )


def test_suggestions_are_marked_by_default(cli, suggested: str) -> None:
    inserted = INSERTED["textRun"]["content"].strip()
    deleted = DELETED["textRun"]["content"].strip()
    date = DATE["dateElement"]["dateElementProperties"]["displayText"]
    for fmt in ("md", "txt"):
        out = export(cli, suggested, fmt)
        assert f"Investors should report {{++{inserted}++}} {{--{deleted}--}} on due" in out
        assert f"Due by {{++{date}++}}" in out
        assert export(cli, suggested, fmt, "--suggestions", "mark") == out
    page = export(cli, suggested, "html")
    HtmlChecker(page).check()
    marked = f'<ins class="suggestion">{inserted} </ins><del class="suggestion">{deleted} </del>'
    assert marked in page
    assert f'Due by <ins class="suggestion">{date}</ins>' in page


def test_suggestions_accepted_or_rejected_by_the_api(backend, cli, suggested: str) -> None:
    inserted, deleted = INSERTED["textRun"]["content"], DELETED["textRun"]["content"]
    date = DATE["dateElement"]["dateElementProperties"]["displayText"]
    accepted = export(cli, suggested, "txt", "--suggestions", "accept")
    assert f"\nInvestors should report {inserted}on due diligence.\n" in accepted
    assert f"\nDue by {date}\n" in accepted
    rejected = export(cli, suggested, "md", "--suggestions", "reject")
    assert f"\nInvestors should report {deleted}on due diligence.\n" in rejected
    assert "\nDue by\n" in rejected and date not in rejected
    assert "{++" not in accepted + rejected and "{--" not in accepted + rejected
    # The CLI asked the API for the preview (the emulator applied it, as Google does).
    modes = re.findall(
        r"suggestionsViewMode=(\w+)", " ".join(str(entry) for entry in backend.requests())
    )
    assert "PREVIEW_SUGGESTIONS_ACCEPTED" in modes and "PREVIEW_WITHOUT_SUGGESTIONS" in modes


def test_help_says_the_default_suggestions_mode(cli) -> None:
    result = cli("export", "--help")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "--suggestions [mark|accept|reject]" in flat
    assert "[default: mark]" in flat


RLO, PDF, LRI, PDI, ZWSP = "\u202e", "\u202c", "\u2066", "\u2069", "\u200b"


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_an_unclosed_bidi_control_cannot_reach_the_next_paragraph(backend, cli, fmt) -> None:
    """Typed through the Docs API: an override left open in one paragraph, an isolate in the
    next, a zero-width space at an edge. Each paragraph of the export closes what it opened."""
    docs = backend.clients.docs
    document_id = docs.documents().create(body={"title": "Bidi"}).execute()["documentId"]
    first = f"{RLO}evil override left open"
    second = f"Amara Okafor {LRI}isolate left open"
    third = f"{ZWSP}Plain words after{ZWSP}"
    docs.documents().batchUpdate(
        documentId=document_id,
        body={
            "requests": [
                {"insertText": {"location": {"index": 1}, "text": f"{first}\n{second}\n{third}"}}
            ]
        },
    ).execute()
    out = export(cli, document_id, fmt)
    lines = {
        name: next(line for line in out.splitlines() if marker in line)
        for name, marker in (("first", "evil override"), ("second", "Amara"), ("third", "Plain"))
    }
    # Opened and closed within the paragraph's own line: the override ends before the next line.
    assert lines["first"].count(RLO) == 1 and lines["first"].count(PDF) == 1
    assert lines["first"].index(RLO) < lines["first"].index(PDF)
    assert lines["second"].count(LRI) == 1 and lines["second"].count(PDI) == 1
    assert lines["second"].index(LRI) < lines["second"].index(PDI)
    # People's words are all there; only the invisible edges of the field are trimmed.
    assert "evil override left open" in lines["first"]
    assert "Plain words after" in lines["third"] and ZWSP not in lines["third"]
