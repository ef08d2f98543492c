"""The workshop's vocabulary: sessions, stakeholder groups, policy questions, contributions."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1

# Named ranges that mark the parts of a session Doc. People may rename headings; these names stay.
RANGE_PREFIX = "gdoc_sync:"
RANGE_QUESTION = RANGE_PREFIX + "question:"  # + question id, e.g. gdoc_sync:question:Q1
RANGE_ONLINE = RANGE_PREFIX + "online"
RANGE_ACTIONS = RANGE_PREFIX + "actions"
RANGE_SHEET = RANGE_PREFIX + "sheet:"  # + spreadsheet id: lets a Doc name its companion Sheet
RANGE_CONTRIBUTION = RANGE_PREFIX + "c:"  # + contribution id, anchors one contribution paragraph


# A policy question's id and a person's e-mail address, wherever they are typed (a template, a
# batch CSV); and a heading that starts with a question's id ("Q3.", "q3:"), wherever the Doc is
# read for a section that lost its named range.
QUESTION_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")


def question_heading(question_id: str) -> re.Pattern[str]:
    """Matches the start of a heading that names the question by its id, in any case."""
    return re.compile(rf"\s*{re.escape(question_id)}(?=[.:)\s]|$)", re.IGNORECASE)


class Channel(enum.StrEnum):
    """Where a contribution was made."""

    onsite = "onsite"
    online = "online"


class Status(enum.StrEnum):
    """A contribution's state as the Contributions tab shows it."""

    in_doc = "in doc"
    edited = "edited"
    withdrawn = "withdrawn"
    removed = "removed from doc"
    unassigned = "unassigned"
    duplicate = "duplicate"  # the same contribution twice in the Doc; the first noted counts


@dataclass(frozen=True)
class StakeholderGroup:
    """A group that can be asked to act: investors, civil society, governments..."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyQuestion:
    """One question the session discusses, with its short id (Q1) and prompts."""

    id: str
    text: str
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """An organizer, speaker or role holder."""

    name: str
    email: str | None = None
    group: str | None = None  # a stakeholder group key or a free description
    affiliation: str | None = None


@dataclass(frozen=True)
class SessionConfig:
    """What later commands need to know about a session; stored in the Sheet's hidden tab."""

    session_id: str
    title: str
    groups: tuple[StakeholderGroup, ...]
    questions: tuple[PolicyQuestion, ...]
    hybrid: bool = True
    document_id: str = ""
    spreadsheet_id: str = ""
    format_version: int = FORMAT_VERSION
    facts: dict[str, Any] = field(default_factory=dict)

    def group(self, key: str) -> StakeholderGroup:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(key)

    def question(self, qid: str) -> PolicyQuestion:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


@dataclass
class Contribution:
    """One thing someone said, as noted in the Doc: a top-level bullet or paragraph in a section."""

    question_id: str  # a PolicyQuestion id, or "online" for the online discussion section
    text: str  # the whole text as typed, with nested detail lines joined by "\n"
    addressees: tuple[str, ...] = ()  # StakeholderGroup keys; empty means unassigned
    body: str = ""  # text without the addressee prefix and attribution
    speaker: str = ""
    proposer_group: str = ""
    channel: Channel = Channel.onsite
    withdrawn: bool = False
    id: str = ""  # stable id such as C0007, empty until the contribution is anchored
    start_index: int = 0  # UTF-16 span of the contribution's first paragraph, newline excluded
    end_index: int = 0
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionPoint:
    """A curated contribution addressed to one stakeholder group, as finalize publishes it."""

    contribution_id: str
    group: str
    text: str
    question_id: str
    proposer_group: str = ""
    channel: str = ""
    priority: str = ""
