"""The report as plain text (for an e-mail or the IGF's web form), and the action list as CSV."""

from __future__ import annotations

from typing import Any

from gdoc_sync.core.sheet import CHANNEL, QUESTION, STATUS, shown_value
from gdoc_sync.core.textsafe import csv_text, neutralise
from gdoc_sync.locales.texts import squash_spaces, texts
from gdoc_sync.report.markdown import gender_card, missing_hint, names, session_details
from gdoc_sync.report.sheet import OTHER_GROUP

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
    return squash_spaces(neutralise(str(value)))


def _heading(text: str, underline: str) -> list[str]:
    return ["", text, underline * max(3, len(text))]


def render_text(data: dict[str, Any], language: str = "en", report_tab: str | None = None) -> str:
    """The report as plain text, its headings and labels in `language` (the session's);
    `report_tab`: the Report tab's title, as the Sheet has it (else the language's)."""
    r = texts(language)["report"]
    c = r["colon"]
    s = data["session"]
    out = [_t(s["title"]), "=" * max(3, len(_t(s["title"])))]
    if data["missing"]:
        out += ["", r["missing_txt"]]
        out += [f"  - {_t(m)}" for m in data["missing"]]
        out.append(f"  ({missing_hint(language, report_tab)})")
    out += _heading(r["short_report"], "=")
    for key, title in (
        ("key_takeaways", r["key_takeaways"]),
        ("calls_to_action", r["calls_to_action"]),
    ):
        out += _heading(title, "-")
        items = data["short_report"][key]
        out += [f"{n}. {_t(x)}" for n, x in enumerate(items, 1)] or [f"({r['not_written']})"]
    out += _heading(r["full_report"], "=")
    out += _heading(r["session_details"], "-")
    for label, value in session_details(s, language):
        shown = value if isinstance(value, str) else names(value)
        out.append(f"{label}{c} {_t(shown)}")
    out += _heading(r["policy_questions"], "-")
    out += [
        f"{_t(q['id'])}. {_t(q['text'])}" for q in data["policy_questions"] if q["id"] != "online"
    ]
    out += _heading(r["discussion"], "-")
    for q in data["policy_questions"]:
        title = q["text"] if q["id"] == "online" else f"{q['id']}. {q['text']}"
        out += ["", _t(title)]
        summary = [line.strip() for line in q["summary"].splitlines() if line.strip()]
        out += [_t(line) for line in summary] or [f"({r['summary_not_written']})"]
        for item in q["points"]:
            to = ", ".join(item["addressees"]) or r["no_group_named"]
            lines = [x.strip() for x in item["text"].splitlines() if x.strip()] or [""]
            channel = shown_value(CHANNEL, item["channel"], language)
            who = ", ".join(x for x in (item["speaker"], item["proposer_group"], channel) if x)
            out.append(f"  - {_t(to)}{c} {_t(lines[0])}" + (f" ({_t(who)})" if who else ""))
            out += [f"      {_t(line)}" for line in lines[1:]]
    out += _heading(r["actions_per_group"], "-")
    if not data["action_points"]:
        out.append(r["no_actions"])
    for group in data["action_points"]:
        out += ["", _t(group["group"])]
        for a in group["actions"]:
            question = shown_value(QUESTION, a["question"], language)
            trace = ", ".join(x for x in (question, a["speaker"], a["proposer_group"]) if x)
            out.append(f"  {a['number']}. {_t(a['text'])} ({_t(trace)})")
    p = data["participation"]
    out += _heading(r["participation"], "-")
    out.append(r["contributions_noted"].format(n=p["contributions"]))
    for row in p["by_group"]:
        out.append(
            "  "
            + r["per_group_line"].format(
                group=_t(_group_name(row["group"], r)),
                total=row["total"],
                onsite=row["onsite"],
                online=row["online"],
            )
        )
    out += _heading(r["gender_card"], "-")
    for item, given in gender_card(data, language):
        out.append(f"{item}{c} {(_t(given) if given else '') or '(' + r['not_given'] + ')'}")
    if data["withdrawn_or_removed"] is not None:
        out += _heading(r["withdrawn_title"], "-")
        for item in data["withdrawn_or_removed"]:
            status = shown_value(STATUS, item["status"], language)
            where = shown_value(QUESTION, item["question"], language)
            out.append(f"  - {item['id']} ({where}, {status}){c} {_t(item['text'])}")
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


def _group_name(name: str, r: dict[str, str]) -> str:
    """A participation row's group: the one for speakers of no known group in the language."""
    return r["other_group"] if name == OTHER_GROUP else name
