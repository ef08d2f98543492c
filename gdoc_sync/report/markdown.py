"""The report as Markdown that reads as plain text: only what would change meaning is escaped."""

from __future__ import annotations

import re
from typing import Any

from ..textsafe import neutralise

# Inline: emphasis, code, links and images, HTML tags and entities. Parentheses, dots, hashes,
# dashes in the middle of a line mean nothing to Markdown and stay as typed.
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_ALWAYS = re.compile(r"([`*\[\]])")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_TILDE = re.compile(r"~")
# Line starts: headings, quotes, list markers, thematic breaks, setext underlines, fences.
_LINE_START = re.compile(r"^([#>]|[-+*](?=\s|$)|=+\s*$|-{2,}|_{3,}|~~~)")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")


def md(text: Any) -> str:
    """One field, on one line, shown by Markdown exactly as written."""
    value = " ".join(neutralise(str(text)).split())
    value = _BACKSLASH.sub(r"\\\\", value)
    value = _ALWAYS.sub(r"\\\1", value)
    value = _UNDERSCORE.sub(r"\\_", value)
    value = _TAG.sub(r"\\<", value)
    value = _ENTITY.sub(r"\\&", value)
    if value.count("~") > 1:
        value = _TILDE.sub(r"\\~", value)
    return value


def md_line_start(text: Any) -> str:
    """A field that may start a line (a paragraph, a heading's text): block syntax escaped too."""
    value = md(text)
    value = _LINE_START.sub(lambda m: "\\" + m.group(1), value)
    value = _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    return _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), value)


def md_cell(text: Any) -> str:
    """A table cell: a pipe would end it."""
    return md(text).replace("|", "\\|")


def md_paragraphs(text: str) -> list[str]:
    """A multi-line field as paragraphs, each line's start escaped (never new structure)."""
    out: list[str] = []
    for line in str(text).splitlines():
        if line.strip():
            out += [md_line_start(line.strip()), ""]
    return out


def _names(people: list[dict[str, str]]) -> str:
    shown = []
    for p in people:
        details = ", ".join(x for x in (p["affiliation"], p["group"]) if x)
        shown.append(f"{p['name']} ({details})" if details else p["name"])
    return "; ".join(shown)


def _who(item: dict[str, Any]) -> str:
    return ", ".join(x for x in (item["speaker"], item["proposer_group"], item["channel"]) if x)


def when(session: dict[str, Any]) -> str:
    times = "–".join(x for x in (session["start"], session["end"]) if x)
    return " ".join(x for x in (session["date"], times, session["timezone"]) if x)


def render_markdown(data: dict[str, Any]) -> str:
    s = data["session"]
    out: list[str] = [f"# {md_line_start(s['title'])}", ""]
    if data["missing"]:
        out += ["**Still missing before this report can be submitted:**", ""]
        out += [f"- {md(m)}" for m in data["missing"]]
        out += ["", "Write them in the Sheet's Report tab, then run the report again.", ""]

    out += ["## Short report", "", "### Key takeaways", ""]
    takeaways = data["short_report"]["key_takeaways"]
    out += [f"{n}. {md(t)}" for n, t in enumerate(takeaways, 1)] or ["Not written yet."]
    out += ["", "### Calls to action", ""]
    calls = data["short_report"]["calls_to_action"]
    out += [f"{n}. {md(t)}" for n, t in enumerate(calls, 1)] or ["Not written yet."]
    out += ["", "## Full report", "", "### Session details", ""]
    for label, value in (
        ("Event", ", ".join(x for x in (s["event"], s["location"]) if x)),
        ("When", when(s)),
        ("Format", s["format"]),
        ("Organizers", _names(s["organizers"])),
        ("Co-organizers", ", ".join(s["co_organizers"])),
        ("Speakers", _names(s["speakers"])),
        ("Moderator", _names(s["moderators"])),
        ("Online moderator", _names(s["online_moderators"])),
        ("Rapporteur", _names(s["rapporteurs"])),
        ("Session Doc", s["document_url"]),
    ):
        if value:
            out.append(f"- **{label}:** {md(value)}")
    out += ["", "### Policy questions", ""]
    for q in data["policy_questions"]:
        if q["id"] != "online":
            out.append(f"- **{md(q['id'])}.** {md(q['text'])}")
    out += ["", "### Discussion", ""]
    for q in data["policy_questions"]:
        title = q["text"] if q["id"] == "online" else f"{q['id']}. {q['text']}"
        out += [f"#### {md_line_start(title)}", ""]
        out += md_paragraphs(q["summary"]) if q["summary"] else ["Summary not written yet.", ""]
        if q["points"]:
            out += ["Points raised:", ""]
        for item in q["points"]:
            lines = [line.strip() for line in item["text"].splitlines() if line.strip()] or [""]
            to = ", ".join(item["addressees"]) or "no stakeholder group named"
            head = f"- **{md(to)}:** {md(lines[0])}"
            who = _who(item)
            out.append(head + (f" ({md(who)})" if who else ""))
            out += [f"  - {md(line)}" for line in lines[1:]]
        out.append("" if q["points"] else "No points were selected for the report.\n")
    out += ["### Action points per stakeholder group", ""]
    if not data["action_points"]:
        out += ["No action points were selected.", ""]
    for group in data["action_points"]:
        out += [f"#### {md_line_start(group['group'])}", ""]
        for a in group["actions"]:
            trace = ", ".join(x for x in (a["question"], a["speaker"], a["proposer_group"]) if x)
            out.append(f"{a['number']}. {md(a['text'])} ({md(trace)})")
        out.append("")
    p = data["participation"]
    out += ["### Participation", "", f"Contributions noted: {p['contributions']}", ""]
    out += [
        "| Speaker's stakeholder group | Onsite | Online | Total |",
        "| --- | --: | --: | --: |",
    ]
    for row in p["by_group"]:
        out.append(
            f"| {md_cell(row['group'])} | {row['onsite']} | {row['online']} | {row['total']} |"
        )
    out += ["", "### Gender report card", ""]
    g = data["gender_report"]

    def number(value: Any) -> str:
        return "not given yet" if value is None else str(value)

    out += [
        f"- **Participants onsite:** {number(g['participants_onsite'])}",
        f"- **Participants online:** {number(g['participants_online'])}",
        f"- **Women and gender-diverse people onsite:** "
        f"{number(g['women_and_gender_diverse_onsite'])}",
        f"- **Women and gender-diverse people online:** "
        f"{number(g['women_and_gender_diverse_online'])}",
    ]
    if g["share_women_and_gender_diverse_percent"] is not None:
        out.append(
            f"- **Share of women and gender-diverse people:** "
            f"{g['share_women_and_gender_diverse_percent']} %"
        )
    out.append(
        f"- **Gender issues discussed:** {md(g['gender_issues_discussed']) or 'not given yet'}"
    )
    out.append("")
    if data["withdrawn_or_removed"] is not None:
        out += ["### Withdrawn or removed contributions", ""]
        for item in data["withdrawn_or_removed"]:
            out.append(
                f"- {md(item['id'])} ({md(item['question'])}, {md(item['status'])}): "
                f"{md(item['text'])}"
            )
        if not data["withdrawn_or_removed"]:
            out.append("None.")
        out.append("")
    return "\n".join(out)
