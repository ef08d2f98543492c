"""The action list: which curated contributions become action points, in what order, and how
they are written into the Doc's Action points section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gdoc_sync.core.document import utf16_len
from gdoc_sync.core.groups import normalize
from gdoc_sync.core.model import ActionPoint, SessionConfig, Status
from gdoc_sync.core.sheet import (
    ADDRESSEES,
    CHANNEL,
    FINAL_WORDING,
    INCLUDE,
    PRIORITY,
    PROPOSER,
    QUESTION,
    STATUS,
    TEXT,
    ContributionsTab,
    addressee_groups,
    id_number,
    shown_value,
)
from gdoc_sync.core.text import for_paragraph
from gdoc_sync.locales import every_language_priority
from gdoc_sync.locales.texts import session_language, texts

PUBLISHABLE = (Status.in_doc, Status.edited)
# Every language's priority words (gdoc_sync/locales): 0 urgent, 1 high, 2 medium, 3 low.
_PRIORITY_WORDS = every_language_priority()


def doc_safe(text: str) -> str:
    """Text that can go into one Docs paragraph as it is: line breaks become soft breaks."""
    return for_paragraph(text).replace("\t", " ")


def is_ticked(value: str) -> bool | None:
    """A checkbox cell: True, False, or None when nobody touched it."""
    v = value.strip().upper()
    if v in ("TRUE", "YES", "Y", "X", "✓", "1"):
        return True
    if v in ("FALSE", "NO", "N", "0"):
        return False
    return None


def priority_key(value: str, words: Mapping[str, int] | None = None) -> tuple[int, float, str]:
    """Numbers and words on one scale: "urgent" (0) before 1 = "high", 2 = "medium", 3 = "low"
    (alta/media/baja, élevée/moyenne/basse, in every shipped language); anything else after
    them, alphabetically; blank last."""
    v = value.strip()
    if not v:
        return (3, 0.0, "")
    try:
        return (0, float(v.replace(",", ".")), "")
    except ValueError:
        pass
    word = normalize(v)
    rank = (words or {}).get(word, _PRIORITY_WORDS.get(word))
    if rank is not None:
        return (0, float(rank), "")
    return (2, 0.0, word)


@dataclass
class ActionList:
    """The published action points, by stakeholder group, in the template's group order."""

    by_group: list[tuple[str, str, list[ActionPoint]]]  # (group key, group name, actions)
    rule: str  # how Include was read: "all assigned" or "ticked only"
    skipped: list[str]  # ids left out, with why
    language: str = "en"  # the session's: the trace and the Sheet's channel words

    @property
    def count(self) -> int:
        return sum(len(actions) for _, _, actions in self.by_group)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "groups": [
                {
                    "key": key,
                    "name": name,
                    "actions": [
                        {
                            "id": a.contribution_id,
                            "text": a.text,
                            "question": a.question_id,
                            "proposer_group": a.proposer_group,
                            "channel": a.channel,
                            "priority": a.priority,
                        }
                        for a in actions
                    ],
                }
                for key, name, actions in self.by_group
            ],
            "skipped": self.skipped,
        }


def build_action_list(tab: ContributionsTab, config: SessionConfig) -> ActionList:
    """Select and order the action points from the curated Contributions tab.

    Include: while no box is ticked, every assigned contribution still in the Doc is published
    except rows explicitly set to FALSE; once any box is ticked, only ticked rows are. Final
    wording replaces the moderator's text; Priority orders within a group; ties keep question
    order, then the order contributions were first noted.
    """
    q_order = {q.id.casefold(): i for i, q in enumerate(config.questions)}  # "q2" is Q2
    # The template's own priority words ([vocabulary] priority), over the shipped ones.
    extra = config.facts.get("vocabulary")
    priority = extra.get("priority") if isinstance(extra, dict) else None
    extra_words = (
        {normalize(str(w)): int(r) for w, r in priority.items() if isinstance(r, int)}
        if isinstance(priority, dict)
        else {}
    )
    q_order.setdefault("online", len(q_order))
    any_ticked = any(is_ticked(tab.cell(r, INCLUDE)) for r in tab.rows)
    rule = "ticked only" if any_ticked else "all assigned"
    per_group: dict[str, list[tuple[Any, ActionPoint]]] = {g.key: [] for g in config.groups}
    skipped: list[str] = []
    for cid, row in tab.contribution_rows():
        status = tab.cell(row, STATUS)
        ticked = is_ticked(tab.cell(row, INCLUDE))
        if status not in PUBLISHABLE:
            if ticked:
                skipped.append(f"{cid}: ticked but {status}")
            continue
        if (any_ticked and not ticked) or ticked is False:
            continue
        # The same reading of the cell as the Matrix's: a group a rapporteur typed counts.
        groups, unknown = addressee_groups(tab.cell(row, ADDRESSEES), config)
        for name in unknown:
            skipped.append(f"{cid}: unknown stakeholder group {name!r} in {ADDRESSEES}")
        if not groups:
            skipped.append(f"{cid}: no stakeholder group")
            continue
        text = tab.cell(row, FINAL_WORDING).strip() or tab.cell(row, TEXT).strip()
        priority = tab.cell(row, PRIORITY).strip()
        question = tab.cell(row, QUESTION).strip()
        for key in dict.fromkeys(groups):
            point = ActionPoint(
                contribution_id=cid,
                group=key,
                text=text,
                question_id=question,
                proposer_group=tab.cell(row, PROPOSER).strip(),
                channel=tab.cell(row, CHANNEL).strip(),
                priority=priority,
            )
            order = (
                priority_key(priority, extra_words),
                q_order.get(question.casefold(), len(q_order) + 1),
                id_number(cid) or 0,
            )
            per_group[key].append((order, point))
    result = []
    for group in config.groups:
        items = sorted(per_group[group.key], key=lambda item: item[0])
        if items:
            result.append((group.key, group.name, [p for _, p in items]))

    return ActionList(result, rule, skipped, session_language(config.facts))


def trace(point: ActionPoint, language: str = "en") -> str:
    """What follows an action point in the Doc: " [Q2, proposed by Investors, online]"."""
    t = texts(language)
    parts = [shown_value(QUESTION, point.question_id, language)]
    if point.proposer_group:
        parts.append(t["trace.proposed_by"].format(group=point.proposer_group))
    # An item of the online discussion is online already: its section says so once.
    if point.channel and point.channel.casefold() != point.question_id.casefold():
        parts.append(shown_value(CHANNEL, point.channel, language))
    return f" [{', '.join(parts)}]"


def section_text(actions: ActionList) -> tuple[str, list[tuple[str, int, int]]]:
    """The Action points section's new text and its paragraphs as (kind, start, end) offsets
    (UTF-16, relative to the section start, end excluding the newline)."""
    if not actions.count:
        line = texts(actions.language)["no_actions"]
        return line, [("empty", 0, utf16_len(line))]
    lines: list[tuple[str, str]] = []
    for _, name, points in actions.by_group:
        lines.append(("group", doc_safe(name)))
        for point in points:
            lines.append(("action", doc_safe(point.text) + trace(point, actions.language)))
    offsets = []
    pos = 0
    for kind, text in lines:
        length = utf16_len(text)
        offsets.append((kind, pos, pos + length))
        pos += length + 1
    return "\n".join(text for _, text in lines), offsets


def section_requests(range_name: str, start: int, actions: ActionList) -> list[dict[str, Any]]:
    """Replace the named range's content with the list, then style it: a heading per group and
    a numbered list (restarting per group) of its actions. The range keeps covering the list."""
    text, paragraphs = section_text(actions)
    end = start + utf16_len(text)
    # section_text() is never empty: with no action it says so in one line.
    requests: list[dict[str, Any]] = [
        {"replaceNamedRangeContent": {"namedRangeName": range_name, "text": text}},
        {"deleteParagraphBullets": {"range": {"startIndex": start, "endIndex": end + 1}}},
        {
            "updateTextStyle": {
                "range": {"startIndex": start, "endIndex": end},
                "textStyle": {},
                "fields": "bold,italic,strikethrough,link",
            }
        },
    ]
    group_items: list[tuple[int, int]] = []
    for kind, s, e in paragraphs:
        style = "HEADING_3" if kind == "group" else "NORMAL_TEXT"
        requests.append(
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": start + s, "endIndex": start + e + 1},
                    "paragraphStyle": {"namedStyleType": style},
                    "fields": "namedStyleType",
                }
            }
        )
        if kind == "action":
            if group_items and group_items[-1][1] == start + s - 1:
                group_items[-1] = (group_items[-1][0], start + e)
            else:
                group_items.append((start + s, start + e))
    for s, e in group_items:
        requests.append(
            {
                "createParagraphBullets": {
                    "range": {"startIndex": s, "endIndex": e},
                    "bulletPreset": "NUMBERED_DECIMAL_ALPHA_ROMAN",
                }
            }
        )
    return requests


def sheet_rows(actions: ActionList) -> list[list[str]]:
    rows = []
    for _, name, points in actions.by_group:
        for number, p in enumerate(points, start=1):
            rows.append(
                [
                    name,
                    str(number),
                    p.text,
                    p.contribution_id,
                    shown_value(QUESTION, p.question_id, actions.language),
                    p.proposer_group,
                    shown_value(CHANNEL, p.channel, actions.language),
                    p.priority,
                ]
            )
    return rows
