"""documents.get of tabbed documents, chips and suggestions, through the real Docs client:
includeTabsContent (and a `fields` mask naming tabs), childTabs, suggestionsViewMode."""

from __future__ import annotations

import json
from typing import Any

from test_export_documents import (
    DATE,
    PERSON,
    RECORDED_TABS,
    import_document,
    paragraph,
    walk_tabs,
    with_paragraphs,
)


def get(backend: Any, document_id: str, **params: Any) -> dict[str, Any]:
    return backend.clients.docs.documents().get(documentId=document_id, **params).execute()


def test_include_tabs_content_on_a_recorded_two_tab_document(backend) -> None:
    recorded = json.loads(RECORDED_TABS.read_text(encoding="utf-8"))
    document_id = import_document(backend, recorded)

    legacy = get(backend, document_id)
    assert "tabs" not in legacy
    assert legacy["body"] == recorded["tabs"][0]["documentTab"]["body"]

    tabbed = get(backend, document_id, includeTabsContent=True)
    assert "body" not in tabbed
    assert [t["tabProperties"] for t in tabbed["tabs"]] == [
        t["tabProperties"] for t in recorded["tabs"]
    ]
    assert [t["documentTab"]["body"] for t in tabbed["tabs"]] == [
        t["documentTab"]["body"] for t in recorded["tabs"]
    ]
    # "If you use a field mask that references the Document.tabs field (or any subfield), the
    # API implicitly treats the request as if you set include_tabs_content to true."
    masked = get(backend, document_id, fields="tabs(tabProperties)")
    assert masked == {"tabs": [{"tabProperties": t["tabProperties"]} for t in recorded["tabs"]]}


def test_child_tabs_are_nested_with_their_parent_and_level(backend) -> None:
    docs = backend.clients.docs.documents()
    document_id = docs.create(body={"title": "Nested"}).execute()["documentId"]

    def add(title: str, parent: str | None = None) -> dict[str, Any]:
        props = {"title": title, **({"parentTabId": parent} if parent else {})}
        reply = docs.batchUpdate(
            documentId=document_id,
            body={"requests": [{"addDocumentTab": {"tabProperties": props}}]},
        ).execute()
        return reply["replies"][0]["addDocumentTab"]["tabProperties"]

    notes = add("Notes")
    child = add("Child", notes["tabId"])
    assert child["parentTabId"] == notes["tabId"] and child["nestingLevel"] == 1
    tabbed = get(backend, document_id, includeTabsContent=True)
    assert [t["tabProperties"]["title"] for t in tabbed["tabs"]] == ["Tab 1", "Notes"]
    (nested,) = tabbed["tabs"][1]["childTabs"]
    assert nested["tabProperties"] == {
        "tabId": child["tabId"],
        "title": "Child",
        "index": 0,
        "nestingLevel": 1,
        "parentTabId": notes["tabId"],
    }
    assert [(title, level) for title, level, _tab in walk_tabs(tabbed)] == [
        ("Tab 1", 0),
        ("Notes", 0),
        ("Child", 1),
    ]


def test_suggestions_view_modes_apply_to_chips(backend) -> None:
    inserted_date = {"dateElement": {**DATE["dateElement"], "suggestedInsertionIds": ["s.1"]}}
    deleted_person = {"person": {**PERSON["person"], "suggestedDeletionIds": ["s.2"]}}
    document_id = import_document(
        backend, with_paragraphs(paragraph("Due ", inserted_date, " by ", deleted_person))
    )

    def last_paragraph(mode: str) -> list[dict[str, Any]]:
        doc = get(backend, document_id, includeTabsContent=True, suggestionsViewMode=mode)
        assert doc["suggestionsViewMode"] == mode
        content = doc["tabs"][0]["documentTab"]["body"]["content"]
        return [
            {k: v for k, v in pe.items() if k not in ("startIndex", "endIndex")}
            for pe in content[-1]["paragraph"]["elements"]
        ]

    inline = last_paragraph("SUGGESTIONS_INLINE")
    kinds = [next(iter(pe)) for pe in inline]
    assert kinds == ["textRun", "dateElement", "textRun", "person", "textRun"]
    assert inline[1]["dateElement"]["suggestedInsertionIds"] == ["s.1"]
    assert inline[3]["person"]["suggestedDeletionIds"] == ["s.2"]

    accepted = last_paragraph("PREVIEW_SUGGESTIONS_ACCEPTED")
    assert [next(iter(pe)) for pe in accepted] == ["textRun", "dateElement", "textRun"]
    assert "suggestedInsertionIds" not in accepted[1]["dateElement"]
    assert accepted[1]["dateElement"]["dateElementProperties"]["displayText"] == "Dec 12, 2025"

    rejected = last_paragraph("PREVIEW_WITHOUT_SUGGESTIONS")
    assert [next(iter(pe)) for pe in rejected] == ["textRun", "person", "textRun"]
    assert "suggestedDeletionIds" not in rejected[1]["person"]
    assert rejected[0]["textRun"]["content"] == "Due  by "
