"""Tests for rendering a `documents.get` response as Markdown, HTML and plain text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdoc_sync.workflows.export import FORMATS, render_document

DOCS = Path(__file__).parent / "fixtures" / "google" / "docs"
ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def load(name: str) -> dict[str, Any]:
    return json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))


def run(text: str, **style: Any) -> dict[str, Any]:
    if "url" in style:
        style["link"] = {"url": style.pop("url")}
    return {"textRun": {"content": text, "textStyle": style}}


def para(
    *elements: dict[str, Any] | str,
    style: str = "NORMAL_TEXT",
    bullet: tuple[str, int] | None = None,
) -> dict[str, Any]:
    items = [run(e) if isinstance(e, str) else e for e in elements]
    paragraph: dict[str, Any] = {
        "elements": [*items, run("\n")],
        "paragraphStyle": {"namedStyleType": style},
    }
    if bullet is not None:
        paragraph["bullet"] = {"listId": bullet[0], "nestingLevel": bullet[1]}
    return {"paragraph": paragraph}


def table(*rows: list[str | list[dict[str, Any]]]) -> dict[str, Any]:
    def cell(content: str | list[dict[str, Any]]) -> dict[str, Any]:
        return {"content": [para(content)] if isinstance(content, str) else content}

    return {
        "table": {
            "rows": len(rows),
            "columns": len(rows[0]),
            "tableRows": [{"tableCells": [cell(c) for c in row]} for row in rows],
        }
    }


def doc(*content: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"title": "Test", "body": {"content": [{"sectionBreak": {}}, *content]}, **extra}


def levels(*specs: str | dict[str, Any]) -> dict[str, Any]:
    """A list's properties: "DECIMAL"-like glyph types, or a glyph symbol such as "●"."""
    out = []
    for spec in specs:
        if isinstance(spec, dict):
            out.append(spec)
        elif spec.isupper():
            out.append({"glyphType": spec, "glyphFormat": "%0."})
        else:
            out.append({"glyphSymbol": spec, "glyphFormat": "%0"})
    return {"listProperties": {"nestingLevels": out}}


def md(d: dict[str, Any]) -> str:
    return render_document(d, "md")


def body_of(page: str) -> str:
    return page[page.index("<body>") + len("<body>") : page.index("</body>")].strip()


def unescaped(markdown: str, chars: str = "*_[]<>|`~&") -> list[str]:
    """The characters of `chars` in the Markdown that no backslash escapes."""
    found = []
    i = 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\" and i + 1 < len(markdown) and markdown[i + 1] in ASCII_PUNCTUATION:
            i += 2
            continue
        if ch in chars:
            found.append(ch)
        i += 1
    return found


# A line that would open a block: heading, quote, list, rule, fence, table row, indented code.
BLOCK_START = re.compile(r" {0,3}([#>+=*_|-]|\d{1,9}[.)]|```|~~~|<)| {4}|\t")


class HtmlChecker(HTMLParser):
    """Collects what an HTML page holds: its tags, links and body text, and any misnesting."""

    ALLOWED = frozenset(
        "html head meta title style body p h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tr td th "
        "a strong em s ins del span sup br hr section".split()
    )
    VOID = frozenset({"meta", "br", "hr"})

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.in_body = False
        self.feed(page)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.ALLOWED:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "style", "srcdoc", "action"):
                self.problems.append(f"attribute {name}")
            if name == "href":
                self.hrefs.append(value or "")
        self.in_body = self.in_body or tag == "body"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.text.append(data)

    def check(self) -> HtmlChecker:
        assert self.problems == []
        for href in self.hrefs:
            assert href.startswith(("http://", "https://", "mailto:", "#fn")), href
        return self


# --- the API --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "MD", "markdown", ""])
def test_unknown_format_is_refused(fmt: str) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_document(doc(para("x")), fmt)


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.json")), ids=lambda p: p.stem)
def test_every_recorded_document_renders_in_every_format(path: Path) -> None:
    recorded = json.loads(path.read_text(encoding="utf-8"))
    for fmt in FORMATS:
        out = render_document(recorded, fmt)
        assert out.endswith("\n")
    page = render_document(recorded, "html")
    assert page.startswith("<!doctype html>")
    HtmlChecker(page).check()


# --- recorded documents ---------------------------------------------------------------------


def test_headings_and_title() -> None:
    recorded = load("encoda-test-fixture-2")
    out = md(recorded)
    assert out.startswith("# A Google Doc test fixture for Stencila\n")
    assert "\n# Tables\n" in out and "\n# Figures\n" in out
    page = render_document(recorded, "html")
    assert "<title>test-fixture-2.gdoc</title>" in page
    assert '<h1 dir="auto">A Google Doc test fixture for Stencila</h1>' in page
    assert '<h1 dir="auto">Code Chunks</h1>' in page
    text = render_document(recorded, "txt")
    assert "Tables\n======\n" in text


def test_tabs_form_reads_the_first_tab() -> None:
    recorded = load("extrasuite-1vL8dY0Ok__9VaUIqhBCMeElS5QdaKZfbgr_YCja5kx0")
    out = md(recorded)
    assert "# Introduction\n" in out
    assert "\n## Formatting Section\n" in out
    assert "\n### A Sub-Sub Section\n" in out
    assert "This has **bold text** and *italic text* in it." in out
    assert "This has underlined text and ~~strikethrough text~~ here." in out
    assert "This has ***bold italic text*** combined." in out
    assert "Visit [Example Website](https://example.com) for more info." in out
    assert "- First bullet item\n- Second bullet item\n- Third bullet item\n" in out
    assert "1. First numbered item\n2. Second numbered item\n3. Third numbered item\n" in out

    page = render_document(recorded, "html")
    assert "<strong>bold text</strong>" in page
    assert "<em>italic text</em>" in page
    assert "<s>strikethrough text</s>" in page
    assert "<strong><em>bold italic text</em></strong>" in page or (
        "<em><strong>bold italic text</strong></em>" in page
    )
    assert '<a href="https://example.com" rel="noopener noreferrer">Example Website</a>' in page

    text = render_document(recorded, "txt")
    assert "Visit Example Website (https://example.com) for more info." in text
    assert "- First bullet item\n" in text and "2. Second numbered item\n" in text


def test_nested_lists() -> None:
    recorded = load("gatsby-lists")
    # Level 0 is bulleted, level 1 lettered (ALPHA: numbered), level 2 bulleted again.
    assert md(recorded) == (
        "- List **item** 1\n"
        "  1. Sublist item 1\n"
        "  2. Sublist item 2\n"
        "  3. Sublist item 3\n"
        "- List item 2\n"
        "- List item 3\n"
        "  1. Sub list item 1\n"
        "     - Sub sub list item 1\n"
        "     - Sub sub list item 2 with \\[image\\]image\n"
        "  2. Sub list item 2\n"
        "  3. Sub list item 3\n"
        "- List item 4\n"
        "- List item 5\n"
    )
    text = render_document(recorded, "txt")
    assert "- List item 3\n  a. Sub list item 1\n    - Sub sub list item 1\n" in text
    assert "  c. Sub list item 3\n" in text

    html_body = body_of(render_document(recorded, "html"))
    assert html_body.startswith('<ul>\n<li dir="auto">List <strong>item</strong> 1\n<ol type="a">')
    checker = HtmlChecker(render_document(recorded, "html")).check()
    depth = [tag for tag, _ in checker.tags if tag in ("ul", "ol")]
    assert depth == ["ul", "ol", "ol", "ul"]
    items = [tag for tag, _ in checker.tags if tag == "li"]
    assert len(items) == 13


def test_numbering_continues_across_another_list() -> None:
    recorded = load("extrasuite-1YKyqqH8wZa3kSnoBEdlwAumI94gRivSsZB1qvc9y4CA")
    out = md(recorded)
    # "6." cannot start a list right under a line of text (it would continue that text).
    assert "4. Images\n5. Tables\n- Simple Tables\n- Complex Tables\n\n6. Columns\n" in out
    page = render_document(recorded, "html")
    assert '<li dir="auto" value="6">Columns </li>' in page


def test_tables() -> None:
    recorded = load("gatsby-tables")
    out = md(recorded)
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert rows == [
        "| Col 1 | Col 2 | Col 3 |",
        "| --- | --- | --- |",
        "| Col 1 line 1 | Col 2 line 1 | Col 3 line 1 |",
        "| Col 1 line 2 | Col 2 line 2 | Col 3 line 2 |",
    ]
    checker = HtmlChecker(render_document(recorded, "html")).check()
    tags = [tag for tag, _ in checker.tags]
    assert tags.count("table") == 1 and tags.count("tr") == 3
    assert tags.count("td") + tags.count("th") == 9
    text = render_document(recorded, "txt")
    assert "Col 1        | Col 2        | Col 3\n" in text
    assert "Col 1 line 2 | Col 2 line 2 | Col 3 line 2\n" in text


def test_plain_text_tables_line_up_in_a_terminal() -> None:
    # Columns as a terminal draws them: a family emoji joined by ZWJ, a heart with its emoji
    # variation selector and a CJK character are two columns each, a combining accent none.
    d = doc(
        table(["👩\u200d👩\u200d👧", "❤\ufe0f", "字", "e\u0301", "end"], ["ab", "c", "d", "f", "x"])
    )
    assert render_document(d, "txt") == (
        "👩\u200d👩\u200d👧 | ❤\ufe0f | 字 | e\u0301 | end\n"
        "---+----+----+---+----\n"
        "ab | c  | d  | f | x\n"
    )


def test_merged_cells_and_pinned_header() -> None:
    recorded = load("extrasuite-1YKyqqH8wZa3kSnoBEdlwAumI94gRivSsZB1qvc9y4CA")
    page = render_document(recorded, "html")
    assert '<td dir="auto" colspan="2"><strong>May 2012</strong></td>' in page
    # Docs marks every row of the simple table as pinned: only the first is read as the header.
    assert '<th dir="auto"><strong>Screen Reader</strong></th>' in page
    assert '<td dir="auto"><strong>JAWS</strong></td>' in page
    out = md(recorded)
    assert "| **Screen Reader** | **Responses** | **Share** |\n| --- | --- | --- |\n" in out
    # Markdown has no merged cells: the covered cells stay, empty.
    assert "|  | **May 2012** |  | **September 2010** |  |\n| --- | --- | --- | --- | --- |" in out


def test_links_to_headings_keep_their_text_only() -> None:
    recorded = load("extrasuite-1YKyqqH8wZa3kSnoBEdlwAumI94gRivSsZB1qvc9y4CA")
    out = md(recorded)
    link = "[Sample Document](http://www.dhs.state.il.us/page.aspx?item=67072)"
    assert f"Top of this Page {link}" in out
    assert "h.9uw0s0qtxlg2" not in render_document(recorded, "html")


def test_accents_and_flag_emoji_survive() -> None:
    recorded = load("gatsby-french")
    assert md(recorded) == "Je m'appelle **Cédric**, j'habite à Toulouse *(France)* 🇫🇷\n"
    assert render_document(recorded, "txt") == (
        "Je m'appelle Cédric, j'habite à Toulouse (France) 🇫🇷\n"
    )
    page = render_document(recorded, "html")
    assert "Je m&#x27;appelle <strong>Cédric</strong>, j&#x27;habite à Toulouse" in page
    assert "<em>(France)</em> 🇫🇷</p>" in page


def test_special_spaces_survive() -> None:
    recorded = load("gatsby-special-chars")
    for fmt in ("md", "txt"):
        assert render_document(recorded, fmt) == "19980006564\u202f-\u202f0081\n"


def test_footnotes_follow_the_body() -> None:
    recorded = load("gatsby-footnotes")
    assert md(recorded) == (
        "Text with a footnote[^1] and an other one[^2]\n\n"
        "[^1]: Footnote 1 description\n\n"
        "[^2]: Footnote 2 description\n"
    )
    assert render_document(recorded, "txt") == (
        "Text with a footnote[1] and an other one[2]\n\n"
        "[1] Footnote 1 description\n\n"
        "[2] Footnote 2 description\n"
    )
    page = render_document(recorded, "html")
    assert '<sup class="fn"><a href="#fn1" id="fnref1">1</a></sup>' in page
    assert '<li id="fn2" dir="auto">Footnote 2 description <a href="#fnref2"' in page


def test_rules_and_breaks() -> None:
    assert md(load("gatsby-horizontal-rule")) == (
        "Text followed by horizontal rule\n\n---\n\nand some other text\n"
    )
    assert "<hr>" in render_document(load("gatsby-horizontal-rule"), "html")
    # Page and section breaks are layout, and empty paragraphs spacing: nothing to render.
    assert md(load("gatsby-breaks")) == "\n"
    assert body_of(render_document(load("gatsby-breaks"), "html")) == ""


def test_images_render_as_text_and_load_nothing() -> None:
    recorded = load("gatsby-images")
    assert md(recorded) == "\\[image\\]\n"
    assert render_document(recorded, "txt") == "[image]\n"
    page = render_document(load("encoda-test-fixture-2"), "html")
    assert "<img" not in page and "data:image" not in page and "googleusercontent" not in page


def test_poem_keeps_its_indentation() -> None:
    recorded = load("gatsby-poem")
    text = render_document(recorded, "txt")
    assert "\n\n    may            have\n\n" in text
    # Leading spaces would be an indented code block in Markdown: no-break spaces instead.
    assert "\n\n\u00a0\u00a0\u00a0\u00a0may            have\n\n" in md(recorded)


# --- hostile text ---------------------------------------------------------------------------

HOSTILE = [
    ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
    ("**bold**", "\\*\\*bold\\*\\*"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("| pipe |", "\\| pipe \\|"),
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("2) not a list", "2\\) not a list"),
    ("- not a list", "\\- not a list"),
    ("+ not a list", "\\+ not a list"),
    ("> not a quote", "\\> not a quote"),
    ("```", "\\`\\`\\`"),
    ("~~~", "\\~\\~\\~"),
    ("---", "\\---"),
    ("===", "\\==="),
    ("    not code", "\u00a0\u00a0\u00a0\u00a0not code"),
    ("&lt;b&gt; &amp;", "\\&lt;b\\&gt; \\&amp;"),
    ("_under_ ~~gone~~ `code`", "\\_under\\_ \\~\\~gone\\~\\~ \\`code\\`"),
    ("back\\slash", "back\\\\slash"),
    ("<https://evil.example>", "\\<https://evil.example\\>"),
    ("[^1]: not a footnote", "\\[^1\\]: not a footnote"),
]


@pytest.mark.parametrize(("text", "expected"), HOSTILE, ids=[t for t, _ in HOSTILE])
def test_markdown_text_cannot_make_markup(text: str, expected: str) -> None:
    out = md(doc(para(text)))
    assert out == expected + "\n"
    assert unescaped(out) == []
    assert not BLOCK_START.match(out)


@pytest.mark.parametrize(("text", "_expected"), HOSTILE, ids=[t for t, _ in HOSTILE])
def test_html_text_stays_text(text: str, _expected: str) -> None:
    page = render_document(doc(para(text)), "html")
    checker = HtmlChecker(page).check()
    assert "".join(checker.text).strip() == text.strip()
    assert "<script" not in page


def test_hostile_text_inside_every_structure() -> None:
    evil = "<script>x</script> **b** [l](javascript:y) | # h"
    d = doc(
        para(evil, style="HEADING_2"),
        para(evil, bullet=("l", 0)),
        para(evil, bullet=("l", 1)),
        table([evil, "second"], ["1. a", "- b"]),
        para(run(evil, bold=True), " ", run(evil, url="https://ok.example/")),
        lists={"l": levels("DECIMAL", "●")},
    )
    out = md(d)
    assert "<script>" not in out
    assert re.search(r"(?<!\\)\]\(javascript", out) is None
    lines = out.splitlines()
    assert lines[0] == "## \\<script\\>x\\</script\\> \\*\\*b\\*\\* \\[l\\](javascript:y) \\| \\# h"
    assert lines[2] == "1. \\<script\\>x\\</script\\> \\*\\*b\\*\\* \\[l\\](javascript:y) \\| # h"
    assert lines[3].startswith("   - \\<script\\>")
    table_lines = [line for line in lines if line.startswith("| ")]
    assert len(table_lines) == 3
    for line in table_lines:
        # Two cells each: three unescaped pipes, the table's own.
        assert len(re.findall(r"(?<!\\)\|", line)) == 3, line
    assert "| 1. a | - b |" in out
    assert lines[-1].startswith("**\\<script\\>x\\</script\\> \\*\\*b\\*\\*")
    assert "[\\<script\\>x" in lines[-1] and "](https://ok.example/)" in lines[-1]

    page = render_document(d, "html")
    checker = HtmlChecker(page).check()
    assert checker.hrefs == ["https://ok.example/"]
    assert "&lt;script&gt;x&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/",
        "#heading",
        "",
    ],
)
def test_unsafe_links_become_plain_text(url: str) -> None:
    d = doc(para("see ", run("this", url=url), " now"))
    assert md(d) == "see this now\n"
    assert render_document(d, "txt") == "see this now\n"
    page = render_document(d, "html")
    assert "<a " not in page
    assert '<p dir="auto">see this now</p>' in page


def test_safe_links_are_escaped_for_their_format() -> None:
    url = 'https://e.example/a b)(c"><script>|'
    d = doc(para(run("t", url=url)), para(run("mail", url="mailto:a@b.example")))
    assert md(d) == (
        "[t](https://e.example/a%20b%29%28c%22%3E%3Cscript%3E%7C)\n\n[mail](mailto:a@b.example)\n"
    )
    page = render_document(d, "html")
    assert 'href="https://e.example/a b)(c&quot;&gt;&lt;script&gt;|"' in page
    HtmlChecker(page).check()


def test_markdown_guards_what_sits_next_to_its_own_syntax() -> None:
    # "!" before a link would make it an image, "^" a footnote, ":" after a reference a definition.
    d = doc(
        para("wow!", run("link", url="https://a.example")),
        para(run("^up", url="https://a.example")),
        para("x", {"footnoteReference": {"footnoteId": "f"}}, ": (y)"),
        footnotes={"f": {"content": [para("# note")]}},
    )
    assert md(d) == (
        "wow\\![link](https://a.example)\n\n"
        "[\\^up](https://a.example)\n\n"
        "x[^1]\\: (y)\n\n"
        "[^1]: \\# note\n"
    )


def test_emphasis_markdown_cannot_express_is_left_out() -> None:
    # `x**(y)**z` would show its asterisks: punctuation inside a word cannot open emphasis.
    assert md(doc(para("x", run("(y)", bold=True), "z"))) == "x(y)z\n"
    # Whitespace goes outside the delimiters, which CommonMark needs.
    assert md(doc(para("a", run(" b ", bold=True), "c"))) == "a **b** c\n"
    # A style over several runs opens once.
    assert md(doc(para(run("a ", bold=True), run("b", bold=True, italic=True)))) == "**a *b***\n"
    assert md(doc(para(run("**", bold=True)))) == "**\\*\\***\n"


def test_heading_text_cannot_change_the_heading() -> None:
    d = doc(para("Title ##", style="TITLE"), para("a\u000bb", style="HEADING_3"))
    assert md(d) == "# Title \\#\\#\n\n### a b\n"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(alphabet="ab *_[]()<>!#-+=.1:^|~&\\`'\u00a0\u000b\t", max_size=8),
        min_size=1,
        max_size=5,
    )
)
def test_markdown_of_any_unstyled_text_is_inert(texts: list[str]) -> None:
    out = md(doc(para(*texts)))
    assert unescaped(out) == []
    for line in out.split("\n"):
        assert not BLOCK_START.match(line), line


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=8), st.booleans(), st.booleans()), min_size=1, max_size=5)
)
def test_html_of_any_text_is_that_text(runs: list[tuple[str, bool, bool]]) -> None:
    d = doc(para(*(run(text, bold=bold, italic=italic) for text, bold, italic in runs)))
    checker = HtmlChecker(render_document(d, "html")).check()
    rendered = "".join(checker.text).replace("\n", "")
    # Invisible control characters are dropped and line breaks become <br>; the rest is kept.
    kept = re.sub(
        r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", "", "".join(text for text, _, _ in runs)
    )
    assert rendered.strip() == kept.strip()


# --- Docs elements --------------------------------------------------------------------------


def test_title_and_subtitle_levels() -> None:
    d = doc(para("T", style="TITLE"), para("S", style="SUBTITLE"), para("H6", style="HEADING_6"))
    assert md(d) == "# T\n\n## S\n\n###### H6\n"
    page = render_document(d, "html")
    assert '<h1 dir="auto">T</h1>\n<h2 dir="auto">S</h2>\n<h6 dir="auto">H6</h6>' in page
    assert "<title>Test</title>" in page


def test_html_title_falls_back_to_the_first_heading() -> None:
    d = doc(para("body"), para("<Heading>", style="HEADING_1"))
    del d["title"]
    assert "<title>&lt;Heading&gt;</title>" in render_document(d, "html")
    assert "<title>Untitled document</title>" in render_document(doc(para("x"), title=""), "html")
    hostile = render_document(doc(para("x"), title="</title><script>alert(1)</script>"), "html")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in hostile


def test_html_page_is_self_contained() -> None:
    page = render_document(load("extrasuite-1YicNYwId9u4okuK4uNfWdTEuKyS1QWb1RcnZl9eVyTc"), "html")
    head = page[: page.index("<body>")]
    assert page.startswith('<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">')
    assert "<style>" in head and "<script" not in page and "<link" not in page
    assert "url(" not in head and "@import" not in head
    assert "default-src 'none'" in head


def test_glyph_types_decide_numbered_or_bulleted() -> None:
    d = doc(
        para("one", bullet=("r", 0)),
        para("two", bullet=("r", 0)),
        para("sub", bullet=("r", 1)),
        para("three", bullet=("r", 0)),
        lists={"r": levels("UPPER_ROMAN", "●")},
    )
    assert md(d) == "1. one\n2. two\n   - sub\n3. three\n"
    assert render_document(d, "txt") == "I. one\nII. two\n  - sub\nIII. three\n"
    page = render_document(d, "html")
    assert '<ol type="I">' in page and '<li dir="auto" value="3">three' in page


def test_start_number_and_wide_markers() -> None:
    d = doc(
        para("ten", bullet=("n", 0)),
        para("child", bullet=("n", 1)),
        lists={
            "n": levels(
                {"glyphType": "DECIMAL", "startNumber": 10, "glyphFormat": "%0."},
                {"glyphType": "ALPHA", "glyphFormat": "%0.%1"},
            )
        },
    )
    # The child is indented under the parent's text, past "10. ".
    assert md(d) == "10. ten\n    1. child\n"
    assert render_document(d, "txt") == "10. ten\n  10.a child\n"


def test_list_without_known_properties_is_bulleted() -> None:
    assert md(doc(para("x", bullet=("missing", 0)), para("y", bullet=("missing", 2)))) == (
        "- x\n  - y\n"
    )


def test_nested_list_resuming_at_two_is_not_read_as_text() -> None:
    # CommonMark lets only a list starting at 1 interrupt a paragraph; a blank line separates it.
    d = doc(
        para("a", bullet=("n", 0)),
        para("x", bullet=("n", 1)),
        para("m", bullet=("b", 1)),
        para("y", bullet=("n", 1)),
        lists={"n": levels("DECIMAL", "DECIMAL"), "b": levels("●", "○")},
    )
    assert md(d) == "1. a\n   1. x\n   - m\n\n   2. y\n"


def test_person_chips_rich_links_and_images() -> None:
    d = doc(
        para(
            "by ",
            {"person": {"personProperties": {"name": "Ada L", "email": "ada@example.org"}}},
            " and ",
            {"person": {"personProperties": {"email": "bob@example.org"}}},
            ", see ",
            {"richLink": {"richLinkProperties": {"title": "Plan", "uri": "https://x.example"}}},
            " ",
            {"inlineObjectElement": {"inlineObjectId": "img"}},
        ),
        inlineObjects={
            "img": {
                "inlineObjectProperties": {
                    "embeddedObject": {
                        "description": "A [chart]",
                        "imageProperties": {"contentUri": "https://x/y.png"},
                    }
                }
            }
        },
    )
    assert md(d) == (
        "by [Ada L](mailto:ada@example.org) and [bob@example.org](mailto:bob@example.org), see "
        "[Plan](https://x.example) \\[image: A \\[chart\\]\\]\n"
    )
    assert render_document(d, "txt") == (
        "by Ada L (mailto:ada@example.org) and bob@example.org, see Plan (https://x.example) "
        "[image: A [chart]]\n"
    )
    page = render_document(d, "html")
    assert '<a href="mailto:ada@example.org" rel="noopener noreferrer">Ada L</a>' in page
    assert '<span class="image">[image: A [chart]]</span>' in page
    assert "y.png" not in page


SUGGESTED = doc(
    para(
        "kept ",
        {"textRun": {"content": "proposed ", "suggestedInsertionIds": ["s1"]}},
        {"textRun": {"content": "old ", "suggestedDeletionIds": ["s2"]}},
        "end",
    ),
    para({"textRun": {"content": "whole new paragraph", "suggestedInsertionIds": ["s3"]}}),
)


def test_suggestions_are_marked_by_default() -> None:
    expected = "kept {++proposed++} {--old--} end\n\n{++whole new paragraph++}\n"
    for fmt in ("md", "txt"):
        assert render_document(SUGGESTED, fmt) == expected
        assert render_document(SUGGESTED, fmt, suggestions="mark") == expected
    page = render_document(SUGGESTED, "html")
    assert '<p dir="auto">kept <ins class="suggestion">proposed </ins>' in page
    assert '<del class="suggestion">old </del>end</p>' in page
    assert '<p dir="auto"><ins class="suggestion">whole new paragraph</ins></p>' in page
    HtmlChecker(page).check()


def test_suggestions_accepted_or_rejected() -> None:
    for fmt in ("md", "txt"):
        assert render_document(SUGGESTED, fmt, suggestions="accept") == (
            "kept proposed end\n\nwhole new paragraph\n"
        )
        assert render_document(SUGGESTED, fmt, suggestions="reject") == "kept old end\n"
    assert "<ins" not in render_document(SUGGESTED, "html", suggestions="accept")
    assert "proposed" not in render_document(SUGGESTED, "html", suggestions="reject")
    with pytest.raises(ValueError, match="unknown suggestions mode"):
        render_document(SUGGESTED, "md", suggestions="show")


def test_suggested_spaces_stay_unmarked_in_markdown_and_text() -> None:
    d = doc(
        para(
            "a",
            {"textRun": {"content": " ", "suggestedInsertionIds": ["s1"]}},
            "b",
            {"textRun": {"content": " ", "suggestedDeletionIds": ["s2"]}},
            "c",
        )
    )
    for fmt in ("md", "txt"):
        assert render_document(d, fmt) == "a b c\n"
        assert render_document(d, fmt, suggestions="accept") == "a bc\n"
        assert render_document(d, fmt, suggestions="reject") == "ab c\n"
    assert '<ins class="suggestion"> </ins>b<del class="suggestion"> </del>' in render_document(
        d, "html"
    )


def test_suggested_chips_tables_and_rows_are_marked_too() -> None:
    person = {
        "person": {
            "personProperties": {"name": "Ada", "email": "ada@example.org"},
            "suggestedInsertionIds": ["s1"],
        }
    }
    date = {
        "dateElement": {
            "dateElementProperties": {"displayText": "Dec 12, 2025"},
            "suggestedDeletionIds": ["s2"],
        }
    }
    new_row = {"tableCells": [{"content": [para("added row")]}], "suggestedInsertionIds": ["s3"]}
    grid = table(["head"], ["old row"])
    grid["table"]["tableRows"].append(new_row)
    gone = table(["dropped table"])
    gone["table"]["suggestedDeletionIds"] = ["s4"]
    d = doc(para("by ", person, " on ", date), grid, gone)
    text = render_document(d, "txt")
    assert text.startswith("by {++Ada (mailto:ada@example.org)++} on {--Dec 12, 2025--}\n")
    assert "{++added row++}" in text and "{--dropped table--}" in text
    assert "head" in text and "old row" in text
    accepted = render_document(d, "txt", suggestions="accept")
    assert "added row" in accepted and "dropped table" not in accepted
    assert "Dec 12, 2025" not in accepted and "Ada" in accepted
    rejected = render_document(d, "txt", suggestions="reject")
    assert "added row" not in rejected and "dropped table" in rejected
    assert "Dec 12, 2025" in rejected and "Ada" not in rejected


def test_vertical_tab_is_a_line_break() -> None:
    d = doc(para("one\u000btwo\u000b\u000b  three"))
    assert md(d) == "one\\\ntwo\\\n\\\n\u00a0\u00a0three\n"
    assert render_document(d, "txt") == "one\ntwo\n\n  three\n"
    assert '<p dir="auto">one<br>\ntwo<br>\n<br>\n  three</p>' in render_document(d, "html")
    in_list = doc(para("a\u000b# b", bullet=("x", 0)), lists={"x": levels("●")})
    assert md(in_list) == "- a\\\n  \\# b\n"


def test_right_to_left_text_gets_auto_direction() -> None:
    d = doc(
        para("مرحبا بالعالم"),
        para("שלום", style="HEADING_1"),
        para("עולם", bullet=("x", 0)),
        table(["خلية"]),
        lists={"x": levels("●")},
    )
    page = render_document(d, "html")
    assert '<p dir="auto">مرحبا بالعالم</p>' in page
    assert '<h1 dir="auto">שלום</h1>' in page
    assert '<li dir="auto">עולם</li>' in page
    assert '<td dir="auto">خلية</td>' in page
    assert md(d).startswith("مرحبا بالعالم\n\n# שלום\n\n- עולם\n")


def test_control_characters_are_dropped() -> None:
    d = doc(para("a\x00b\x1bc\x7f\u0085d\ud800e"))
    for fmt in ("md", "txt"):
        assert render_document(d, fmt) == "abcd\ufffde\n"
    page = render_document(d, "html")
    assert "\x00" not in page and "\x1b" not in page


def test_table_cells_with_several_paragraphs_and_lists() -> None:
    cell = [para("first"), para("item", bullet=("x", 0)), para("second\u000bline")]
    d = doc(table([cell, "b"], ["c", ""]), lists={"x": levels("DECIMAL")})
    out = md(d)
    assert out == "| first<br>1. item<br>second<br>line | b |\n| --- | --- |\n| c |  |\n"
    page = render_document(d, "html")
    assert '<td dir="auto"><p dir="auto">first</p>\n<ol>\n<li dir="auto" value="1">item' in page
    assert render_document(d, "txt") == (
        "first / 1. item / second / line | b\n--------------------------------+--\nc\n"
    )


def test_empty_document() -> None:
    assert md({}) == "\n"
    assert render_document({"tabs": []}, "txt") == "\n"
    HtmlChecker(render_document({}, "html")).check()


def test_every_tab_is_rendered_under_its_title() -> None:
    def tab(title: str, text: str, *children: dict[str, Any]) -> dict[str, Any]:
        return {
            "tabProperties": {"title": title},
            "documentTab": {"body": {"content": [para(text)]}},
            "childTabs": list(children),
        }

    d = {
        "tabs": [
            tab("First", "one", tab("Child *", "nested", tab("", "deep"))),
            tab("Second", "two"),
        ]
    }
    assert md(d) == (
        "# First\n\none\n\n## Child \\*\n\nnested\n\n### Tab 3\n\ndeep\n\n# Second\n\ntwo\n"
    )
    assert render_document(d, "txt") == (
        "First\n=====\n\none\n\nChild *\n-------\n\nnested\n\nTab 3\n\ndeep\n\n"
        "Second\n======\n\ntwo\n"
    )
    page = render_document(d, "html")
    assert '<h1 dir="auto">First</h1>\n<p dir="auto">one</p>\n<h2 dir="auto">Child *</h2>' in page
    # One tab alone needs no heading.
    assert render_document({"tabs": [tab("Only", "text")]}, "txt") == "text\n"


def test_footnotes_are_numbered_across_tabs() -> None:
    def tab(title: str, note_text: str) -> dict[str, Any]:
        return {
            "tabProperties": {"title": title},
            "documentTab": {
                "body": {"content": [para(title, {"footnoteReference": {"footnoteId": "kix.f"}})]},
                "footnotes": {"kix.f": {"content": [para(note_text)]}},
            },
        }

    assert render_document({"tabs": [tab("A", "note a"), tab("B", "note b")]}, "txt") == (
        "A\n===\n\nA[1]\n\nB\n===\n\nB[2]\n\n[1] note a\n\n[2] note b\n"
    )


def test_date_chips_show_their_text() -> None:
    date = {
        "dateElement": {
            "dateId": "kix.d",
            "textStyle": {"bold": True},
            "dateElementProperties": {
                "timestamp": "2025-12-12T12:00:00Z",
                "locale": "en",
                "dateFormat": "DATE_FORMAT_MONTH_DAY_YEAR_ABBREVIATED",
                "timeFormat": "TIME_FORMAT_DISABLED",
                "displayText": "Dec 12, 2025",
            },
        }
    }
    bare = {"dateElement": {"dateElementProperties": {"timestamp": "2026-01-20T12:00:00Z"}}}
    d = doc(para("Date: ", date, " to ", bare))
    assert md(d) == "Date: **Dec 12, 2025** to 2026-01-20T12:00:00Z\n"
    assert render_document(d, "txt") == "Date: Dec 12, 2025 to 2026-01-20T12:00:00Z\n"
