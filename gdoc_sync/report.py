"""The session report, in the shape of an IGF workshop report: Markdown, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from typing import Any

from .actions import ActionList, build_action_list, sheet_rows
from .api import GoogleApi
from .model import SessionConfig, Status
from .session import LocalState, companion_sheet
from .sheet import (
    ADDRESSEES,
    CHANNEL,
    PROPOSER,
    QUESTION,
    SPEAKER,
    STATUS,
    TEXT,
    ContributionsTab,
    addressee_groups,
)

SHOWN = (Status.in_doc, Status.edited, Status.unassigned)
ROLE_TITLES = (
    ("moderator", "Moderator"),
    ("online_moderator", "Online moderator"),
    ("rapporteur", "Rapporteur"),
)


FORMATS = ("md", "json", "csv")


def session_report(api: GoogleApi, document_id: str, state: LocalState, fmt: str) -> str:
    """The report of a session Doc in one format, from its curated Sheet."""
    from .finalize import read_curated

    spreadsheet_id = state.load(document_id).get("spreadsheet_id") or companion_sheet(
        api.get_document(document_id), document_id
    )
    curated = read_curated(api, spreadsheet_id)
    if fmt == "csv":
        return render_csv(build_action_list(curated.tab, curated.config))
    data = report_data(curated.tab, curated.config)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    return render_markdown(data)


def report_data(tab: ContributionsTab, config: SessionConfig) -> dict[str, Any]:
    """Everything the report says, as plain data (the JSON format is exactly this)."""
    facts = config.facts
    actions = build_action_list(tab, config)
    issues: dict[str, list[dict[str, Any]]] = {q.id: [] for q in config.questions}
    if config.hybrid:
        issues.setdefault("online", [])
    names = {g.key: g.name for g in config.groups}
    by_group: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for cid, row in tab.contribution_rows():
        if tab.cell(row, STATUS) not in SHOWN:
            continue
        question = tab.cell(row, QUESTION)
        item = {
            "id": cid,
            "text": tab.cell(row, TEXT),
            # Read as finalize and the Matrix read it: the groups a rapporteur typed count.
            "addressees": [
                names[k] for k in addressee_groups(tab.cell(row, ADDRESSEES), config)[0]
            ],
            "speaker": tab.cell(row, SPEAKER),
            "proposer_group": tab.cell(row, PROPOSER),
            "channel": tab.cell(row, CHANNEL),
        }
        issues.setdefault(question, []).append(item)
        by_group[item["proposer_group"] or "not recorded"] += 1
        by_channel[item["channel"] or "not recorded"] += 1
    roles = facts.get("roles", {})
    return {
        "title": config.title,
        "event": facts.get("event", ""),
        "date": facts.get("date", ""),
        "start": facts.get("start", ""),
        "timezone": facts.get("timezone", ""),
        "location": facts.get("location", ""),
        "format": facts.get("format", ""),
        "co_organizers": facts.get("co_organizers", []),
        "organizers": facts.get("organizers", []),
        "roles": {key: roles[key] for key, _ in ROLE_TITLES if key in roles},
        "speakers": facts.get("speakers", []),
        "policy_questions": [{"id": q.id, "text": q.text} for q in config.questions],
        "key_issues": issues,
        "action_points": actions.to_json()["groups"],
        "participation": {
            "contributions": sum(by_channel.values()),
            "by_proposer_group": dict(by_group.most_common()),
            "by_channel": dict(by_channel.most_common()),
        },
        "gender_report": facts.get("gender_report", {}),
    }


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")
_LINE_START = re.compile(r"^(\s*)([-=>])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])")


def md(text: Any) -> str:
    """Text that Markdown shows as it is: no emphasis, links, HTML or structure can sneak in."""
    value = _MD_SPECIAL.sub(r"\\\1", str(text))
    value = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    # "1." would start a list; Markdown escapes only punctuation, so the dot takes the backslash.
    return _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), value)


def _md_item(text: str, indent: str = "") -> list[str]:
    """A list item; extra lines (a contribution's detail) become nested items."""
    lines = [line for line in str(text).splitlines() if line.strip()] or [""]
    out = [f"{indent}- {md(lines[0].strip())}"]
    out += [f"{indent}  - {md(line.strip())}" for line in lines[1:]]
    return out


def _person(p: dict[str, Any]) -> str:
    details = ", ".join(str(p[k]) for k in ("affiliation", "group") if p.get(k))
    return f"{p.get('name', '')} ({details})" if details else str(p.get("name", ""))


def render_markdown(data: dict[str, Any]) -> str:
    out: list[str] = [f"# {md(data['title'])}", ""]
    when = " ".join(x for x in (data["date"], data["start"], data["timezone"]) if x)
    for label, value in (
        ("Event", data["event"]),
        ("Date", when),
        ("Location", data["location"]),
        ("Format", data["format"]),
    ):
        if value:
            out.append(f"- **{label}:** {md(value)}")
    if data["co_organizers"]:
        out.append(f"- **Co-organizers:** {md(', '.join(data['co_organizers']))}")
    out.append("")
    out += ["## Organizers, moderators and speakers", ""]
    for p in data["organizers"]:
        out.append(f"- **Organizer:** {md(_person(p))}")
    for key, title in ROLE_TITLES:
        if key in data["roles"]:
            out.append(f"- **{title}:** {md(_person(data['roles'][key]))}")
    for p in data["speakers"]:
        out.append(f"- **Speaker:** {md(_person(p))}")
    out += ["", "## Policy questions", ""]
    for q in data["policy_questions"]:
        out.append(f"- **{md(q['id'])}.** {md(q['text'])}")
    out += ["", "## Key issues raised", ""]
    titles = {q["id"]: q["text"] for q in data["policy_questions"]}
    titles["online"] = "Online discussion"
    for qid, items in data["key_issues"].items():
        heading = (
            f"{qid}. {titles[qid]}" if qid in titles and qid != "online" else titles.get(qid, qid)
        )
        out += [f"### {md(heading)}", ""]
        if not items:
            out += ["No contributions were noted.", ""]
            continue
        for item in items:
            lines = _md_item(item["text"])
            who = ", ".join(
                x for x in (item["speaker"], item["proposer_group"], item["channel"]) if x
            )
            if who:
                lines[0] += f" *({md(who)})*"
            out += lines
        out.append("")
    out += ["## Action points (calls to action)", ""]
    if not data["action_points"]:
        out += ["No action points were selected.", ""]
    for group in data["action_points"]:
        out += [f"### {md(group['name'])}", ""]
        for number, action in enumerate(group["actions"], start=1):
            trace = ", ".join(
                x for x in (action["question"], action["proposer_group"], action["channel"]) if x
            )
            text = " ".join(str(action["text"]).split())
            out.append(f"{number}. {md(text)} *({md(trace)})*")
        out.append("")
    p = data["participation"]
    out += ["## Participation", "", f"Contributions noted: {p['contributions']}", ""]
    out += ["| Proposer group | Contributions |", "| --- | --- |"]
    out += [f"| {md(k)} | {v} |" for k, v in p["by_proposer_group"].items()]
    out += ["", "| Channel | Contributions |", "| --- | --- |"]
    out += [f"| {md(k)} | {v} |" for k, v in p["by_channel"].items()]
    out.append("")
    if data["gender_report"]:
        out += ["## Gender report card", ""]
        for key, value in data["gender_report"].items():
            out.append(f"- **{md(key.replace('_', ' ').capitalize())}:** {md(value)}")
        out.append("")
    return "\n".join(out)


def _csv_cell(value: Any) -> str:
    # A cell starting with = + - @ would run as a formula when the CSV is opened in a spreadsheet.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(actions: ActionList) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "stakeholder_group",
            "number",
            "action",
            "contribution_id",
            "question",
            "proposer_group",
            "channel",
            "priority",
        ]
    )
    for row in sheet_rows(actions):
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()
