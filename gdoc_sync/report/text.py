"""The report as plain text (for an e-mail or the IGF's web form), and the action list as CSV."""

from __future__ import annotations

from typing import Any

from ..textsafe import csv_text, neutralise
from .markdown import when

CSV_HEADER = (
    "stakeholder_group",
    "number",
    "action",
    "contribution_id",
    "question",
    "speaker",
    "proposer_group",
    "channel",
    "priority",
)


def _t(value: Any) -> str:
    """One field on one line."""
    return " ".join(neutralise(str(value)).split())


def _heading(text: str, underline: str) -> list[str]:
    return ["", text, underline * max(3, len(text))]


def _names(people: list[dict[str, str]]) -> str:
    shown = []
    for p in people:
        details = ", ".join(x for x in (p["affiliation"], p["group"]) if x)
        shown.append(f"{p['name']} ({details})" if details else p["name"])
    return "; ".join(shown)


def render_text(data: dict[str, Any]) -> str:
    s = data["session"]
    out = [_t(s["title"]), "=" * max(3, len(_t(s["title"])))]
    if data["missing"]:
        out += ["", "STILL MISSING before this report can be submitted:"]
        out += [f"  - {_t(m)}" for m in data["missing"]]
        out.append("  (write them in the Sheet's Report tab, then run the report again)")
    out += _heading("Short report", "=")
    for key, title in (("key_takeaways", "Key takeaways"), ("calls_to_action", "Calls to action")):
        out += _heading(title, "-")
        items = data["short_report"][key]
        out += [f"{n}. {_t(x)}" for n, x in enumerate(items, 1)] or ["(not written yet)"]
    out += _heading("Full report", "=")
    out += _heading("Session details", "-")
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
            out.append(f"{label}: {_t(value)}")
    out += _heading("Policy questions", "-")
    out += [
        f"{_t(q['id'])}. {_t(q['text'])}" for q in data["policy_questions"] if q["id"] != "online"
    ]
    out += _heading("Discussion", "-")
    for q in data["policy_questions"]:
        title = q["text"] if q["id"] == "online" else f"{q['id']}. {q['text']}"
        out += ["", _t(title)]
        summary = [line.strip() for line in q["summary"].splitlines() if line.strip()]
        out += [_t(line) for line in summary] or ["(summary not written yet)"]
        for item in q["points"]:
            to = ", ".join(item["addressees"]) or "no stakeholder group named"
            lines = [x.strip() for x in item["text"].splitlines() if x.strip()] or [""]
            who = ", ".join(
                x for x in (item["speaker"], item["proposer_group"], item["channel"]) if x
            )
            out.append(f"  - {_t(to)}: {_t(lines[0])}" + (f" ({_t(who)})" if who else ""))
            out += [f"      {_t(line)}" for line in lines[1:]]
    out += _heading("Action points per stakeholder group", "-")
    if not data["action_points"]:
        out.append("No action points were selected.")
    for group in data["action_points"]:
        out += ["", _t(group["group"])]
        for a in group["actions"]:
            trace = ", ".join(x for x in (a["question"], a["speaker"], a["proposer_group"]) if x)
            out.append(f"  {a['number']}. {_t(a['text'])} ({_t(trace)})")
    p = data["participation"]
    out += _heading("Participation", "-")
    out.append(f"Contributions noted: {p['contributions']}")
    for row in p["by_group"]:
        out.append(
            f"  {_t(row['group'])}: {row['total']} ({row['onsite']} onsite, {row['online']} online)"
        )
    g = data["gender_report"]
    out += _heading("Gender report card", "-")

    def number(value: Any) -> str:
        return "(not given yet)" if value is None else str(value)

    out += [
        f"Participants onsite: {number(g['participants_onsite'])}",
        f"Participants online: {number(g['participants_online'])}",
        f"Women and gender-diverse people onsite: {number(g['women_and_gender_diverse_onsite'])}",
        f"Women and gender-diverse people online: {number(g['women_and_gender_diverse_online'])}",
    ]
    if g["share_women_and_gender_diverse_percent"] is not None:
        out.append(
            f"Share of women and gender-diverse people: "
            f"{g['share_women_and_gender_diverse_percent']} %"
        )
    out.append(f"Gender issues discussed: {_t(g['gender_issues_discussed']) or '(not given yet)'}")
    if data["withdrawn_or_removed"] is not None:
        out += _heading("Withdrawn or removed contributions", "-")
        for item in data["withdrawn_or_removed"]:
            out.append(
                f"  - {item['id']} ({item['question']}, {item['status']}): {_t(item['text'])}"
            )
    return "\n".join(out) + "\n"


def render_csv(data: dict[str, Any]) -> str:
    """The action points, one row each, with who said them."""
    rows = [
        [
            group["group"],
            a["number"],
            a["text"],
            a["id"],
            a["question"],
            a["speaker"],
            a["proposer_group"],
            a["channel"],
            a["priority"],
        ]
        for group in data["action_points"]
        for a in group["actions"]
    ]
    return csv_text(CSV_HEADER, rows)
