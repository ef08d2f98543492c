"""The report as Markdown that reads as plain text: only what would change meaning is escaped
(people's words escaped as whole fields, see core/markdown.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gdoc_sync.core.markdown import escape, escape_line_start
from gdoc_sync.core.sheet import CHANNEL, QUESTION, STATUS, shown_value
from gdoc_sync.core.textsafe import neutralise
from gdoc_sync.locales.texts import base_language, format_date, squash_spaces, texts
from gdoc_sync.report.sheet import OTHER_GROUP


def md(text: Any) -> str:
    """One field, on one line, shown by Markdown exactly as written."""
    return escape(squash_spaces(neutralise(str(text))))


def md_line_start(text: Any) -> str:
    """A field that may start a line (a paragraph, a heading's text): block syntax escaped too."""
    return escape_line_start(md(text))


def md_cell(text: Any) -> str:
    """A table cell: a pipe would end it."""
    return escape(squash_spaces(neutralise(str(text))), cell=True)


def md_paragraphs(text: str) -> list[str]:
    """A multi-line field as paragraphs, each line's start escaped (never new structure)."""
    out: list[str] = []
    for line in str(text).splitlines():
        if line.strip():
            out += [md_line_start(line.strip()), ""]
    return out


def names(people: list[dict[str, str]]) -> str:
    """People as plain text: "Name (affiliation, group); ..."."""
    shown = []
    for p in people:
        details = ", ".join(x for x in (p["affiliation"], p["group"]) if x)
        shown.append(f"{p['name']} ({details})" if details else p["name"])
    return "; ".join(shown)


def session_details(
    session: dict[str, Any], language: str = "en"
) -> list[tuple[str, str | list[dict[str, str]]]]:
    """The session details every format shows, as (label, text or people), the empty left out;
    each renderer writes people its own way."""
    r = texts(language)["report"]
    rows: list[tuple[str, str | list[dict[str, str]]]] = [
        (r["event"], ", ".join(x for x in (session["event"], session["location"]) if x)),
        (r["when"], when(session, language)),
        (r["format"], session["format"]),
        (r["organizers"], session["organizers"]),
        (r["co_organizers"], ", ".join(session["co_organizers"])),
        (r["speakers"], session["speakers"]),
        (r["moderator"], session["moderators"]),
        (r["online_moderator"], session["online_moderators"]),
        (r["rapporteur"], session["rapporteurs"]),
        (r["session_doc"], session["document_url"]),
    ]
    return [(label, value) for label, value in rows if value]


def missing_hint(language: str, report_tab: str | None = None) -> str:
    """Where to write what is missing: the Report tab, by its title."""
    t = texts(language)
    return str(t["report"]["missing_hint"]).format(tab=report_tab or t["tab.report"])


def gender_card(data: dict[str, Any], language: str = "en") -> list[tuple[str, str | None]]:
    """The gender report card every format shows, as (label, text), None where not given yet;
    the share only once it can be counted. Each renderer escapes and marks the missing its way."""
    r = texts(language)["report"]
    g = data["gender_report"]
    rows = [
        (r["participants_onsite"], g["participants_onsite"]),
        (r["participants_online"], g["participants_online"]),
        (r["women_onsite"], g["women_and_gender_diverse_onsite"]),
        (r["women_online"], g["women_and_gender_diverse_online"]),
    ]
    card = [(label, None if n is None else str(n)) for label, n in rows]
    if g["share_women_and_gender_diverse_percent"] is not None:
        share = r["percent"].format(n=g["share_women_and_gender_diverse_percent"])
        card.append((r["share_women"], share))
    card.append((r["gender_issues"], g["gender_issues_discussed"] or None))
    return card


def _who(item: dict[str, Any], language: str = "en") -> str:
    channel = shown_value(CHANNEL, item["channel"], language)
    return ", ".join(x for x in (item["speaker"], item["proposer_group"], channel) if x)


def when(session: dict[str, Any], language: str = "en") -> str:
    """The session's date and times: ISO in English, as the session's language writes the date
    otherwise (CLDR data, through Babel)."""
    day = session["date"]
    if day and base_language(language) != "en":
        try:
            day = format_date(dt.date.fromisoformat(day), language)
        except ValueError:
            pass  # a date the template did not check: shown as typed
    times = "–".join(x for x in (session["start"], session["end"]) if x)
    return " ".join(x for x in (day, times, session["timezone"]) if x)


def render_markdown(
    data: dict[str, Any], language: str = "en", report_tab: str | None = None
) -> str:
    """The report in Markdown, its headings and labels in `language` (the session's);
    `report_tab`: the Report tab's title, as the Sheet has it (else the language's)."""
    r = texts(language)["report"]
    s = data["session"]
    out: list[str] = [f"# {md_line_start(s['title'])}", ""]
    if data["missing"]:
        out += [f"**{r['missing_md']}**", ""]
        out += [f"- {md(m)}" for m in data["missing"]]
        out += ["", missing_hint(language, report_tab), ""]

    out += [f"## {r['short_report']}", "", f"### {r['key_takeaways']}", ""]
    takeaways = data["short_report"]["key_takeaways"]
    out += [f"{n}. {md(t)}" for n, t in enumerate(takeaways, 1)] or [r["not_written"]]
    out += ["", f"### {r['calls_to_action']}", ""]
    calls = data["short_report"]["calls_to_action"]
    out += [f"{n}. {md(t)}" for n, t in enumerate(calls, 1)] or [r["not_written"]]
    out += ["", f"## {r['full_report']}", "", f"### {r['session_details']}", ""]
    for label, value in session_details(s, language):
        shown = value if isinstance(value, str) else names(value)
        out.append(f"- **{label}{r['colon']}** {md(shown)}")
    out += ["", f"### {r['policy_questions']}", ""]
    for q in data["policy_questions"]:
        if q["id"] != "online":
            out.append(f"- **{md(q['id'])}.** {md(q['text'])}")
    out += ["", f"### {r['discussion']}", ""]
    for q in data["policy_questions"]:
        title = q["text"] if q["id"] == "online" else f"{q['id']}. {q['text']}"
        out += [f"#### {md_line_start(title)}", ""]
        out += md_paragraphs(q["summary"]) if q["summary"] else [r["summary_not_written"], ""]
        if q["points"]:
            out += [r["points_raised"], ""]
        for item in q["points"]:
            lines = [line.strip() for line in item["text"].splitlines() if line.strip()] or [""]
            to = ", ".join(item["addressees"]) or r["no_group_named"]
            head = f"- **{md(to)}{r['colon']}** {md(lines[0])}"
            who = _who(item, language)
            out.append(head + (f" ({md(who)})" if who else ""))
            out += [f"  - {md(line)}" for line in lines[1:]]
        out.append("" if q["points"] else r["no_points"] + "\n")
    out += [f"### {r['actions_per_group']}", ""]
    if not data["action_points"]:
        out += [r["no_actions"], ""]
    for group in data["action_points"]:
        out += [f"#### {md_line_start(group['group'])}", ""]
        for a in group["actions"]:
            question = shown_value(QUESTION, a["question"], language)
            trace = ", ".join(x for x in (question, a["speaker"], a["proposer_group"]) if x)
            out.append(f"{a['number']}. {md(a['text'])} ({md(trace)})")
        out.append("")
    p = data["participation"]
    noted = r["contributions_noted"].format(n=p["contributions"])
    out += [f"### {r['participation']}", "", noted, ""]
    out += [
        f"| {r['speakers_group']} | {r['onsite']} | {r['online']} | {r['total']} |",
        "| --- | --: | --: | --: |",
    ]
    for row in p["by_group"]:
        out.append(
            f"| {md_cell(_group_name(row['group'], r))} | {row['onsite']} | {row['online']} "
            f"| {row['total']} |"
        )
    out += ["", f"### {r['gender_card']}", ""]
    c = r["colon"]
    for item, given in gender_card(data, language):
        out.append(f"- **{item}{c}** {(md(given) if given else '') or r['not_given']}")
    out.append("")
    if data["withdrawn_or_removed"] is not None:
        out += [f"### {r['withdrawn_title']}", ""]
        for item in data["withdrawn_or_removed"]:
            status = shown_value(STATUS, item["status"], language)
            where = shown_value(QUESTION, item["question"], language)
            out.append(f"- {md(item['id'])} ({md(where)}, {md(status)}){c} {md(item['text'])}")
        if not data["withdrawn_or_removed"]:
            out.append(r["none"])
        out.append("")
    return "\n".join(out)


def _group_name(name: str, r: dict[str, str]) -> str:
    """A participation row's group: the one for speakers of no known group in the language."""
    return r["other_group"] if name == OTHER_GROUP else name
