"""The session Doc's first layout, as one Docs API batchUpdate for a new, empty document."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.core.document import utf16_len
from gdoc_sync.core.model import (
    RANGE_ACTIONS,
    RANGE_ONLINE,
    RANGE_QUESTION,
    RANGE_SHEET,
    Person,
    PolicyQuestion,
)
from gdoc_sync.core.template import ROLE_NAMES, Template
from gdoc_sync.core.text import PLAIN_FIELDS
from gdoc_sync.locales.texts import (
    RANGE_LANGUAGE,
    base_language,
    format_date,
    format_time,
    text_direction,
    texts,
)

# Headings later commands may look for; the named ranges stay authoritative if people rename them.
POLICY_QUESTIONS_HEADING = "Policy questions"
ONLINE_HEADING = "Online discussion"
ACTIONS_HEADING = "Action points"
INSTRUCTIONS_HEADING = "For moderators: noting contributions"
AGENDA_HEADING = "Agenda"
SHEET_LINK_TEXT = "Contributions and action points"
ACTIONS_PLACEHOLDER = (
    "The action points are compiled here when the session is finalized, "
    "one list per stakeholder group."
)
CONTRIBUTION_FORMAT = "Group: what should happen (speaker, proposer group, online)"
BULLET_PRESET = "BULLET_DISC_CIRCLE_SQUARE"

# Docs strips these from inserted text, which would shift every index computed after them.
_STRIPPED = re.compile("[\x00-\x08\x0c-\x1f\ue000-\uf8ff]")


def _clean(text: str) -> str:
    # One paragraph per call: newlines would split it; tabs would become list nesting levels.
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return _STRIPPED.sub("", text.replace("\t", " ").replace("\x0b", " "))


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    """Free template text as (paragraph, is_bullet): one per non-blank line, "- " makes a bullet."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(("- ", "* ")):
            out.append((line[2:].strip(), True))
        else:
            out.append((line, False))
    return out


def _person(p: Person) -> str:
    details = ", ".join(x for x in (p.affiliation, p.group) if x)
    return f"{p.name} ({details})" if details else p.name


def _when(template: Template) -> str:
    """The date and times as the session's language writes them (CLDR data, through Babel)."""
    d = template.date
    if d is None:
        return ""
    t = texts(template.language)
    if t["date_pattern"]:
        from babel.dates import format_date as babel_format_date

        text = babel_format_date(d, t["date_pattern"], locale=base_language(template.language))
    else:
        text = format_date(d, template.language)
    starts, ends = template.starts_at, template.ends_at
    if starts is None:
        return text
    text += f", {format_time(starts, template.language)}"
    if ends is not None:
        text += f"\u2013{format_time(ends, template.language)}"
    offset = starts.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return f"{text} " + t["when.zone"].format(
        zone=zone_city(template.timezone, template.language), utc=utc
    )


def zone_city(timezone: str, language: str) -> str:
    """The time zone's city as the session's language writes it (CLDR, through Babel):
    `Europe/Oslo` is "Oslo", `America/Bogota` "Bogotá", `Asia/Riyadh` "Riyad" in French and
    "الرياض" in Arabic; a zone with no city (UTC, Etc/GMT+3) or unknown to Babel as given."""
    from babel.core import UnknownLocaleError
    from babel.dates import get_timezone, get_timezone_location

    try:
        zone = get_timezone(timezone)
        city = get_timezone_location(zone, locale=base_language(language), return_city=True)
    except (LookupError, ValueError, UnknownLocaleError):
        return timezone
    return city or timezone


def default_instructions(template: Template) -> str:
    """Moderator instructions for a template that brings none, in the session's language, with
    an example addressed to one of its own groups."""
    t = texts(template.language)
    first, last = template.groups[0], template.groups[-1]
    example = (
        f"{first.name}{t['label.colon']}{t['instructions.example_text']} "
        f"({t['instructions.example_speaker']}, {last.name}, {t['word.online']})"
    )
    return "\n".join(
        [
            t["instructions.intro"],
            t["contribution_format"],
            t["instructions.example"].format(example=example),
            t["instructions.group"].format(all=t["word.all"]),
            t["instructions.brackets"].format(online=t["word.online"]),
            t["instructions.no_group"],
        ]
        + (
            [t["instructions.online"].format(heading=t["heading.online"])]
            if template.hybrid
            else []
        )
    )


@dataclass
class _Layout:
    """Paragraphs laid out one after another from index 1, with the requests that style them."""

    texts: list[str] = field(default_factory=list)
    index: int = 1
    paragraph_styles: list[dict[str, Any]] = field(default_factory=list)
    text_styles: list[dict[str, Any]] = field(default_factory=list)
    bullets: list[list[int]] = field(default_factory=list)  # [start, end) of each list
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    right_to_left: bool = False  # Arabic: every paragraph laid out right to left

    def add(
        self,
        text: str,
        *,
        style: str | None = None,
        italic: bool = False,
        bullet: bool = False,
        label: str = "",
    ) -> tuple[int, int]:
        """Append one paragraph (label in bold, then text); return its [start, newline) span."""
        label, text = _clean(label), _clean(text)
        start = self.index
        newline = start + utf16_len(label + text)
        self.texts.append(label + text)
        self.index = newline + 1
        if style:
            self.paragraph_styles.append(
                {
                    "updateParagraphStyle": {
                        "range": {"startIndex": start, "endIndex": newline + 1},
                        "paragraphStyle": {"namedStyleType": style},
                        "fields": "namedStyleType",
                    }
                }
            )
        if label:
            self.style_text(start, start + utf16_len(label), {"bold": True}, "bold")
        if italic:
            self.style_text(start + utf16_len(label), newline, {"italic": True}, "italic")
        if bullet:
            if self.bullets and self.bullets[-1][1] == start:
                self.bullets[-1][1] = newline + 1  # one list for consecutive bullets
            else:
                self.bullets.append([start, newline + 1])
        return start, newline

    def style_text(self, start: int, end: int, style: dict[str, Any], fields: str) -> None:
        if end > start:
            self.text_styles.append(
                {
                    "updateTextStyle": {
                        "range": {"startIndex": start, "endIndex": end},
                        "textStyle": style,
                        "fields": fields,
                    }
                }
            )

    def name_range(self, name: str, start: int, end: int) -> None:
        self.named_ranges.append(
            {"createNamedRange": {"name": name, "range": {"startIndex": start, "endIndex": end}}}
        )

    def requests(self) -> list[dict[str, Any]]:
        # The document's own empty paragraph supplies the last newline, so no trailing "\n" here.
        insert = {"insertText": {"location": {"index": 1}, "text": "\n".join(self.texts)}}
        bullets = [
            {
                "createParagraphBullets": {
                    "range": {"startIndex": start, "endIndex": end},
                    "bulletPreset": BULLET_PRESET,
                }
            }
            for start, end in self.bullets
        ]
        # Inserted text takes the style of the text before it: start from plain text, explicitly.
        length = utf16_len("\n".join(self.texts))
        plain = {
            "updateTextStyle": {
                "range": {"startIndex": 1, "endIndex": 1 + length},
                "textStyle": {},
                "fields": PLAIN_FIELDS,
            }
        }
        # None of these requests moves text, so every computed index stays valid in order.
        requests = [insert, plain] if length else [insert]
        if self.right_to_left:
            requests.append(
                {
                    "updateParagraphStyle": {
                        "range": {"startIndex": 1, "endIndex": 2 + length},
                        "paragraphStyle": {"direction": "RIGHT_TO_LEFT"},
                        "fields": "direction",
                    }
                }
            )
        return [*requests, *self.paragraph_styles, *self.text_styles, *bullets, *self.named_ranges]


def build_session_doc(
    template: Template, *, spreadsheet_url: str, spreadsheet_id: str
) -> list[dict[str, Any]]:
    """Docs API batchUpdate requests that turn a new empty document into the session Doc.

    The document must be new: its body a section break (0..1) and one empty paragraph (1..2).
    All text goes in with one insertText at index 1; styles, bullets and named ranges follow,
    none of which moves text. Indices count UTF-16 code units. The layout, top to bottom:

    - the title (TITLE), then the intro, one paragraph per line;
    - the facts: event, when (with time zone and UTC offset), format, co-organizers, organizers,
      speakers, role holders, and "Companion Sheet: <link>", whose link text carries the named
      range gdoc_sync:sheet:<spreadsheet id>;
    - "Agenda" (HEADING_1), when the template has one;
    - "For moderators: noting contributions" (HEADING_1): the instructions with the contribution
      format and an example, and the groups moderators can address with their short names;
    - "Policy questions" (HEADING_1), then per question a HEADING_2 "Q1. text", its prompts in
      italics and one empty bulleted paragraph for contributions. The named range
      gdoc_sync:question:Q1 runs from the heading to the next heading, so it covers every bullet
      moderators add at the end of the list;
    - "Online discussion" (HEADING_1) when hybrid, with one empty bulleted paragraph, named
      gdoc_sync:online from its heading to the next heading;
    - "Action points" (HEADING_1) and a placeholder line: the named range gdoc_sync:actions
      covers the placeholder's text but not the body's final newline, which cannot be deleted,
      so finalize can replace the range wholesale.
    """
    if not spreadsheet_id or not spreadsheet_url:
        raise ValueError("the session Doc needs its Sheet's id and URL")
    t = texts(template.language)
    doc = _Layout(right_to_left=text_direction(template.language) == "rtl")
    start, newline = doc.add(template.title, style="TITLE")
    language = base_language(template.language)
    if language != "en" and newline > start:
        doc.name_range(RANGE_LANGUAGE + language, start, newline)
    for text, bullet in _paragraphs(template.intro):
        doc.add(text, bullet=bullet)

    _facts(doc, template, spreadsheet_url, spreadsheet_id)

    if template.agenda:
        doc.add(t["heading.agenda"], style="HEADING_1")
        for item in template.agenda:
            doc.add(item.item, label=f"{item.time}  " if item.time else "")

    doc.add(t["heading.instructions"], style="HEADING_1")
    for text, bullet in _paragraphs(template.instructions or default_instructions(template)):
        doc.add(text, bullet=bullet)
    doc.add(t["groups_intro"])
    for group in template.groups:
        also = t["groups_also"].format(aliases=", ".join(group.aliases)) if group.aliases else ""
        doc.add(also, label=group.name, bullet=True)

    doc.add(t["heading.policy_questions"], style="HEADING_1")
    for question in template.questions:
        start, _ = doc.add(f"{question.id}. {question.text}", style="HEADING_2")
        for prompt in question.prompts:
            doc.add(prompt, italic=True)
        doc.add("", bullet=True)
        doc.name_range(RANGE_QUESTION + question.id, start, doc.index)

    if template.hybrid:
        # Only the heading and an empty bullet: any other text in the range would read as a
        # contribution, so the instructions explain this section instead.
        start, _ = doc.add(t["heading.online"], style="HEADING_1")
        doc.add("", bullet=True)
        doc.name_range(RANGE_ONLINE, start, doc.index)

    doc.add(t["heading.actions"], style="HEADING_1")
    start, newline = doc.add(t["actions_placeholder"], italic=True)
    doc.name_range(RANGE_ACTIONS, start, newline)
    return doc.requests()


def _facts(doc: _Layout, template: Template, spreadsheet_url: str, spreadsheet_id: str) -> None:
    t = texts(template.language)
    event = ", ".join(x for x in (template.event, template.location) if x)
    if event:
        doc.add(event, label=t["label.event"])
    when = _when(template)
    if when:
        doc.add(when, label=t["label.when"])
    form = [template.format] if template.format else []
    form.append(t["format.hybrid"] if template.hybrid else t["format.onsite"])
    if template.duration_minutes:
        form.append(t["format.minutes"].format(n=template.duration_minutes))
    doc.add(", ".join(form), label=t["label.format"])
    if template.co_organizers:
        doc.add(", ".join(template.co_organizers), label=t["label.co_organizers"])
    if template.organizers:
        doc.add("; ".join(_person(p) for p in template.organizers), label=t["label.organizers"])
    if template.speakers:
        doc.add("; ".join(_person(p) for p in template.speakers), label=t["label.speakers"])
    for role in ROLE_NAMES:
        if role in template.roles:
            doc.add(_person(template.roles[role]), label=t[f"role.{role}"] + t["label.colon"])
    label = t["label.companion_sheet"]
    start, newline = doc.add(t["sheet_link_text"], label=label)
    link_start = start + utf16_len(label)
    doc.style_text(link_start, newline, {"link": {"url": spreadsheet_url}}, "link")
    doc.name_range(RANGE_SHEET + spreadsheet_id, link_start, newline)


def question_section_requests(questions: Sequence[PolicyQuestion], at: int) -> list[dict[str, Any]]:
    """Docs requests that insert sections for new questions at index `at`, the start of the
    paragraph after the last question's section (`create --update`).

    Each section is laid out as build_session_doc lays one out (a HEADING_2 "Q5. text", its
    prompts in italics, one empty bullet, the named range gdoc_sync:question:Q5 from the
    heading to the next heading). Text inserted at `at` lands after the range ending there, so
    no earlier section grows, and nothing above `at` moves."""
    doc = _Layout(index=at)
    for question in questions:
        start, _ = doc.add(f"{question.id}. {question.text}", style="HEADING_2")
        for prompt in question.prompts:
            doc.add(prompt, italic=True, style="NORMAL_TEXT")
        doc.add("", bullet=True, style="NORMAL_TEXT")
        doc.name_range(RANGE_QUESTION + question.id, start, doc.index)
    text = "\n".join(doc.texts) + "\n"
    end = at + utf16_len(text)
    return [
        {"insertText": {"location": {"index": at}, "text": text}},
        # Inserted text takes the style of the text before it, and its paragraphs may take
        # the list of the bullet before them: start from plain, unbulleted text, explicitly.
        {
            "updateTextStyle": {
                "range": {"startIndex": at, "endIndex": end},
                "textStyle": {},
                "fields": PLAIN_FIELDS,
            }
        },
        {"deleteParagraphBullets": {"range": {"startIndex": at, "endIndex": end}}},
        *doc.paragraph_styles,
        *doc.text_styles,
        *[
            {
                "createParagraphBullets": {
                    "range": {"startIndex": s, "endIndex": e},
                    "bulletPreset": BULLET_PRESET,
                }
            }
            for s, e in doc.bullets
        ],
        *doc.named_ranges,
    ]
