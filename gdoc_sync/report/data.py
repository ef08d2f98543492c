"""The session report as plain data, in the IGF report's structure, from the curated Sheet.

The JSON format is exactly this data (see schema.py). Every string in it has been through
`textsafe.neutralise`, so no field can reorder or hide the ones printed after it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from gdoc_sync.core.actions import build_action_list, is_ticked
from gdoc_sync.core.links import document_url, spreadsheet_url
from gdoc_sync.core.model import SessionConfig, Status
from gdoc_sync.core.sheet import (
    ADDRESSEES,
    CHANNEL,
    FINAL_WORDING,
    INCLUDE,
    PROPOSER,
    QUESTION,
    SPEAKER,
    STATUS,
    TEXT,
    ContributionsTab,
    addressee_groups,
    id_number,
)
from gdoc_sync.core.textsafe import neutralise_all
from gdoc_sync.locales.texts import session_language, squash_spaces, texts
from gdoc_sync.report.sheet import (
    CHANNELS,
    LAYOUT_FACT,
    OTHER_GROUP,
    REPORT,
    ReportTab,
    report_label,
)

SCHEMA_ID = "gdoc-sync/session-report"
SCHEMA_VERSION = 1
IN_DOC = (str(Status.in_doc), str(Status.edited), str(Status.unassigned))
GONE = (str(Status.withdrawn), str(Status.removed))
ONLINE_SECTION = "online"
UNASSIGNED = "Unassigned"  # the matrix's row of contributions addressed to no group
_WHOLE = re.compile(r"^\s*(\d{1,7})\s*$")


def _person(p: Any) -> dict[str, str]:
    """A person as the Doc shows them: name, affiliation, group; never an e-mail address."""
    if not isinstance(p, dict):
        return {"name": str(p), "affiliation": "", "group": ""}
    return {k: str(p.get(k) or "") for k in ("name", "affiliation", "group")}


def _one_line(text: str) -> str:
    return squash_spaces(text)


def build_report(
    tab: ContributionsTab,
    config: SessionConfig,
    report_tab: ReportTab | None = None,
    *,
    with_withdrawn: bool = False,
) -> dict[str, Any]:
    """Everything the report says: the short report, the full report, and what is missing."""
    report_tab = report_tab or ReportTab(present=False)
    facts = config.facts
    language = session_language(facts)
    said = texts(language)["report"]  # what is still missing, in the session's language
    report_title = tab.tabs[REPORT]
    missing: list[str] = []
    actions = build_action_list(tab, config)
    rows = dict(tab.contribution_rows())

    # Each contribution once, with every group it is addressed to, as finalize selected them.
    selected: dict[str, dict[str, Any]] = {}
    for _, name, group_points in actions.by_group:
        for p in group_points:
            item = selected.setdefault(
                p.contribution_id,
                {
                    "id": p.contribution_id,
                    "question": p.question_id,
                    "text": p.text,
                    "addressees": [],
                    "speaker": tab.cell(rows[p.contribution_id], SPEAKER).strip(),
                    "proposer_group": p.proposer_group,
                    "channel": p.channel,
                    "duplicates": [],
                },
            )
            item["addressees"].append(name)
    # Unassigned remarks are no action point, but they were raised: Include reads the same way.
    for cid, row in rows.items():
        if tab.cell(row, STATUS) != Status.unassigned:
            continue
        ticked = is_ticked(tab.cell(row, INCLUDE))
        if ticked is False or (actions.rule == "ticked only" and not ticked):
            continue
        selected[cid] = {
            "id": cid,
            "question": tab.cell(row, QUESTION).strip(),
            "text": tab.cell(row, FINAL_WORDING).strip() or tab.cell(row, TEXT).strip(),
            "addressees": [],
            "speaker": tab.cell(row, SPEAKER).strip(),
            "proposer_group": tab.cell(row, PROPOSER).strip(),
            "channel": tab.cell(row, CHANNEL).strip(),
            "duplicates": [],
        }

    # The same words noted twice under one question (two moderators, say) are shown once.
    by_question: dict[str, list[dict[str, Any]]] = {}
    first_of: dict[tuple[str, str], dict[str, Any]] = {}
    for item in sorted(selected.values(), key=lambda i: id_number(i["id"]) or 0):
        key = (item["question"], _one_line(item["text"]).casefold())
        if key in first_of:
            first_of[key]["duplicates"].append(item["id"])
            continue
        first_of[key] = item
        by_question.setdefault(item["question"], []).append(item)
    # Copies sync already flagged as duplicates are no point of their own: name them on theirs.
    for cid, row in rows.items():
        if tab.cell(row, STATUS) == Status.duplicate:
            key = (tab.cell(row, QUESTION).strip(), _one_line(tab.cell(row, TEXT)).casefold())
            if key in first_of:
                first_of[key]["duplicates"].append(cid)

    questions = [(q.id, q.text) for q in config.questions]
    if config.hybrid:
        questions.append((ONLINE_SECTION, texts(language)["heading.online"]))
    discussion = []
    for qid, text in questions:
        summary = report_tab.get(f"Summary {qid}")
        if not summary:
            missing.append(
                said["missing.summary_online"]
                if qid == ONLINE_SECTION
                else said["missing.summary"].format(q=qid)
            )
        points = by_question.pop(qid, [])
        discussion.append({"id": qid, "text": text, "summary": summary, "points": points})
    for qid, points in by_question.items():  # a question no longer in the configuration
        discussion.append({"id": qid, "text": qid, "summary": "", "points": points})

    action_points = []
    for group_key, name, group_points in actions.by_group:
        action_points.append(
            {
                "group_key": group_key,
                "group": name,
                "actions": [
                    {
                        "number": number,
                        "id": p.contribution_id,
                        "text": p.text,
                        "question": p.question_id,
                        "speaker": tab.cell(rows[p.contribution_id], SPEAKER).strip(),
                        "proposer_group": p.proposer_group,
                        "channel": p.channel,
                        "priority": p.priority,
                    }
                    for number, p in enumerate(group_points, start=1)
                ],
            }
        )

    # Participation: every contribution still in the Doc, whatever the curation.
    group_names = [g.name for g in config.groups]
    by_lower = {n.casefold(): n for n in group_names}
    group_name = {g.key: g.name for g in config.groups}
    per_group: Counter[tuple[str, str]] = Counter()
    matrix: Counter[tuple[str, str]] = Counter()
    gone = []
    for cid, row in rows.items():
        status = tab.cell(row, STATUS)
        if status in GONE:
            if with_withdrawn:
                gone.append(
                    {
                        "id": cid,
                        "question": tab.cell(row, QUESTION).strip(),
                        "status": status,
                        "text": tab.cell(row, TEXT).strip(),
                    }
                )
            continue
        if status not in IN_DOC:
            continue
        proposer = by_lower.get(tab.cell(row, PROPOSER).strip().casefold(), OTHER_GROUP)
        channel = tab.cell(row, CHANNEL).strip()
        per_group[(proposer, channel if channel in CHANNELS else CHANNELS[0])] += 1
        qid = tab.cell(row, QUESTION).strip()
        # Read as finalize and the Matrix read it: the groups a rapporteur typed count too.
        keys, _ = addressee_groups(tab.cell(row, ADDRESSEES), config)
        names = [group_name[k] for k in keys]
        for name in names or [UNASSIGNED]:
            matrix[(name, qid)] += 1
    # The rows that are no group of the template, named in the session's language.
    shown_name = {
        OTHER_GROUP: said["other_group"],
        UNASSIGNED: texts(language)["matrix.unassigned"],
    }
    by_group = [
        {
            "group": shown_name.get(name, name),
            **{ch: per_group[(name, ch)] for ch in CHANNELS},
            "total": sum(per_group[(name, ch)] for ch in CHANNELS),
        }
        for name in [*group_names, OTHER_GROUP]
    ]
    by_channel = {
        ch: sum(per_group[(n, ch)] for n in [*group_names, OTHER_GROUP]) for ch in CHANNELS
    }
    heat_rows = [*group_names, UNASSIGNED]
    heat_cols = [qid for qid, _ in questions]

    takeaways = report_tab.numbered("Key takeaway")
    calls = report_tab.numbered("Call to action")
    if not takeaways:
        missing.append(said["missing.takeaways"])
    if not calls:
        missing.append(said["missing.calls"])

    template_gender = facts.get("gender_report") or {}
    counts: dict[str, int | None] = {}
    # The template may give the onsite figures (the gender report card's "participants").
    from_template = {
        "participants_onsite": template_gender.get("participants"),
        "women_and_gender_diverse_onsite": template_gender.get("women_and_gender_diverse"),
    }
    for count_key, label in (
        ("participants_onsite", "Participants onsite"),
        ("participants_online", "Participants online"),
        ("women_and_gender_diverse_onsite", "Women and gender-diverse onsite"),
        ("women_and_gender_diverse_online", "Women and gender-diverse online"),
    ):
        raw = report_tab.get(label)
        m = _WHOLE.match(raw)
        counts[count_key] = int(m.group(1)) if m else None
        shown = report_label(label, language).lower()
        given = from_template.get(count_key)
        if counts[count_key] is None and given is not None:
            counts[count_key] = int(given)
        elif raw and not m:
            missing.append(
                said["missing.not_number"].format(
                    label=shown, tab=report_title, row=report_tab.row(label), value=repr(raw)
                )
            )
        elif not raw:
            missing.append(said["missing.count"].format(label=shown))
    total = sum(v for k, v in counts.items() if k.startswith("participants") and v is not None)
    women = sum(v for k, v in counts.items() if k.startswith("women") and v is not None)
    complete = all(v is not None for v in counts.values())
    share = round(100 * women / total) if complete and total else None
    discussed = report_tab.get("Gender issues discussed") or str(
        template_gender.get("engagement") or template_gender.get("summary") or ""
    )
    if not discussed:
        missing.append(said["missing.gender_issues"])

    end = str(facts.get("end") or report_tab.get("End time"))
    if not end:
        missing.append(said["missing.end"])
    roles = facts.get("roles") or {}
    moderators = [_person(roles[r]) for r in ("moderator",) if r in roles]
    online_moderators = [_person(roles[r]) for r in ("online_moderator",) if r in roles]
    rapporteurs = [_person(roles[r]) for r in ("rapporteur",) if r in roles]
    for people, what in ((moderators, "missing.moderator"), (rapporteurs, "missing.rapporteur")):
        if not people:
            missing.append(said[what])
    if not report_tab.present:
        # A Sheet whose Report tab create (or a sync) made lost it: sync does not add it again.
        tab_gone_key = "missing.tab_deleted" if facts.get(LAYOUT_FACT) else "missing.no_tab"
        missing.insert(0, said[tab_gone_key].format(tab=report_title))

    data = {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "session": {
            "title": config.title,
            "event": str(facts.get("event", "")),
            "date": str(facts.get("date", "")),
            "start": str(facts.get("start", "")),
            "end": end,
            "timezone": str(facts.get("timezone", "")),
            "location": str(facts.get("location", "")),
            "format": str(facts.get("format", "")),
            "hybrid": config.hybrid,
            "document_url": document_url(config.document_id) if config.document_id else "",
            "spreadsheet_url": spreadsheet_url(config.spreadsheet_id)
            if config.spreadsheet_id
            else "",
            "co_organizers": [str(x) for x in facts.get("co_organizers", [])],
            "organizers": [_person(p) for p in facts.get("organizers", [])],
            "speakers": [_person(p) for p in facts.get("speakers", [])],
            "moderators": moderators,
            "online_moderators": online_moderators,
            "rapporteurs": rapporteurs,
        },
        "short_report": {"key_takeaways": takeaways, "calls_to_action": calls},
        "policy_questions": discussion,
        "action_points": action_points,
        "selection": {"rule": actions.rule, "left_out": list(actions.skipped)},
        "participation": {
            "contributions": sum(by_channel.values()),
            "by_group": by_group,
            "by_channel": by_channel,
        },
        "matrix": {
            "groups": [shown_name.get(g, g) for g in heat_rows],
            "questions": heat_cols,
            "counts": [[matrix[(g, q)] for q in heat_cols] for g in heat_rows],
        },
        "gender_report": {
            **counts,
            "share_women_and_gender_diverse_percent": share,
            "gender_issues_discussed": discussed,
        },
        "withdrawn_or_removed": gone if with_withdrawn else None,
        "missing": missing,
    }
    return neutralise_all(data)
