"""The HTML gdoc-sync writes, opened in a real headless Chromium: it renders, loads nothing."""

from __future__ import annotations

import json
from pathlib import Path

from browser import Browser

from gdoc_sync.workflows.export import render_document

DOCS = Path(__file__).parent / "fixtures" / "google" / "docs"


def test_exported_document_renders_offline_with_a_clean_console(
    browser: Browser, tmp_path: Path
) -> None:
    # A real recorded document with images, a table, accents and a flag emoji.
    source = json.loads((DOCS / "gatsby-french.json").read_text(encoding="utf-8"))
    images = json.loads((DOCS / "gatsby-images.json").read_text(encoding="utf-8"))
    page_file = tmp_path / "french.html"
    page_file.write_text(render_document(source, "html"), encoding="utf-8")
    images_file = tmp_path / "images.html"
    images_file.write_text(render_document(images, "html"), encoding="utf-8")

    page, watch = browser.page()
    page.goto(page_file.as_uri())
    shown = page.inner_text("body")
    # Every run of text in the recorded document is on the page (read from the JSON itself).
    for element in source["body"]["content"]:
        for run in element.get("paragraph", {}).get("elements", []):
            words = run.get("textRun", {}).get("content", "").split()
            for word in words:
                assert word in shown, word
    watch.assert_clean()

    # A document with images still fetches nothing: the exporter writes no remote <img>.
    page, watch = browser.page()
    page.goto(images_file.as_uri())
    assert page.locator("img[src^='http']").count() == 0
    watch.assert_clean()
    assert watch.requests == [images_file.as_uri()]
