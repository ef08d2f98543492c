"""What the room board shows: the group x question matrix, built from the companion Sheet."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.board.text import shorten
from gdoc_sync.core.model import Channel, SessionConfig, StakeholderGroup, Status
from gdoc_sync.core.sheet import (
    ADDRESSEES,
    CHANNEL,
    FIRST_SEEN,
    QUESTION,
    SPEAKER,
    STATUS,
    TEXT,
    ContributionsTab,
    id_number,
)
from gdoc_sync.locales.texts import session_language, texts

ONLINE = "online"
# Withdrawn and removed contributions are kept in the Sheet but are not on the board.
SHOWN = frozenset({Status.in_doc, Status.edited, Status.unassigned})
CARD_TEXT = 280  # characters kept on a card (the page clamps further, by lines)


@dataclass(frozen=True)
class Column:
    """One column of the board: a policy question, or the online discussion."""

    id: str
    label: str  # "Q1", "Online"
    text: str  # the question's words


@dataclass(frozen=True)
class Card:
    """One contribution as a card: what was said, by whom, from where."""

    id: str
    question_id: str
    text: str
    speaker: str
    channel: str  # "onsite" or "online"
    first_seen: str

    @property
    def version(self) -> str:
        """Changes when the card's words change: the page highlights new and reworded cards."""
        words = f"{self.text}\x00{self.speaker}\x00{self.channel}".encode()
        return hashlib.sha256(words).hexdigest()[:10]


@dataclass
class Board:
    """The matrix at one moment: each cell's cards newest first, and the unassigned ones."""

    title: str
    groups: tuple[StakeholderGroup, ...]
    columns: list[Column]
    cells: dict[tuple[str, str], list[Card]] = field(default_factory=dict)
    unassigned: list[Card] = field(default_factory=list)
    contributions: list[Card] = field(default_factory=list)  # each shown contribution once
    language: str = "en"  # the session's: the page's labels, lang and dir

    def cell(self, group_key: str, column_id: str) -> list[Card]:
        return self.cells.get((group_key, column_id), [])

    def group_total(self, group_key: str) -> int:
        """Contributions that ask this group to act."""
        return sum(len(self.cell(group_key, c.id)) for c in self.columns)

    def column_total(self, column_id: str) -> int:
        """Contributions made under this question (one addressed to two groups counts once)."""
        return sum(1 for c in self.contributions if c.question_id == column_id)

    def column_channels(self, column_id: str) -> Counter[str]:
        return Counter(c.channel for c in self.contributions if c.question_id == column_id)

    def column_unassigned(self, column_id: str) -> list[Card]:
        return [c for c in self.unassigned if c.question_id == column_id]

    def channels(self) -> Counter[str]:
        return Counter(c.channel for c in self.contributions)

    def gaps(self) -> list[tuple[str, str]]:
        """(group, column) pairs with no action point yet: what the moderator should ask about."""
        return [
            (g.key, c.id) for g in self.groups for c in self.columns if not self.cell(g.key, c.id)
        ]

    def to_json(self) -> dict[str, Any]:
        def card(c: Card) -> dict[str, str]:
            return {
                "id": c.id,
                "question": c.question_id,
                "text": c.text,
                "speaker": c.speaker,
                "channel": c.channel,
                "first_seen": c.first_seen,
            }

        return {
            "title": self.title,
            "groups": [{"key": g.key, "name": g.name} for g in self.groups],
            "columns": [{"id": c.id, "label": c.label, "text": c.text} for c in self.columns],
            "cells": [
                {"group": g.key, "column": c.id, "cards": [card(x) for x in self.cell(g.key, c.id)]}
                for g in self.groups
                for c in self.columns
            ],
            "unassigned": [card(x) for x in self.unassigned],
            "totals": {
                "contributions": len(self.contributions),
                "by_channel": dict(self.channels()),
                "by_group": {g.key: self.group_total(g.key) for g in self.groups},
                "by_column": {c.id: self.column_total(c.id) for c in self.columns},
                "gaps": len(self.gaps()),
            },
        }

    @property
    def version(self) -> str:
        """A digest of everything shown: equal versions render the same page."""
        text = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _group_lookup(config: SessionConfig) -> dict[str, str]:
    """Addressee cell names (sync writes group names; people may type a key) -> group key."""
    lookup: dict[str, str] = {}
    for g in config.groups:
        for name in (g.key, g.name):
            lookup[name.casefold().strip()] = g.key
    return lookup


def build_board(tab: ContributionsTab, config: SessionConfig) -> Board:
    """The board from the Contributions tab as read: rows in the tab's order, newest first."""
    columns = [Column(q.id, q.id, q.text) for q in config.questions]
    if config.hybrid:
        t = texts(session_language(config.facts))
        columns.append(Column(ONLINE, t["board"]["online_column"], t["heading.online"]))
    known_columns = {c.id for c in columns}
    lookup = _group_lookup(config)
    board = Board(config.title, config.groups, columns, language=session_language(config.facts))
    rows: list[tuple[Card, list[str]]] = []
    for cid, row in tab.contribution_rows():
        if tab.cell(row, STATUS) not in SHOWN:
            continue
        question = tab.cell(row, QUESTION).strip() or "?"
        if question not in known_columns:
            # A section the configuration no longer names: shown, never dropped.
            known_columns.add(question)
            columns.append(Column(question, question, ""))
        channel = tab.cell(row, CHANNEL).strip().lower()
        card = Card(
            id=cid,
            question_id=question,
            text=shorten(tab.cell(row, TEXT), CARD_TEXT),
            speaker=shorten(tab.cell(row, SPEAKER), 60),
            channel=ONLINE if channel == Channel.online else Channel.onsite,
            first_seen=tab.cell(row, FIRST_SEEN),
        )
        names = [a for a in tab.cell(row, ADDRESSEES).split(";") if a.strip()]
        rows.append((card, [lookup.get(n.casefold().strip(), "") for n in names]))
    # Newest first: by when sync first saw it, then by id (ids are given in order).
    rows.sort(key=lambda item: (item[0].first_seen, id_number(item[0].id) or 0), reverse=True)
    for card, keys in rows:
        board.contributions.append(card)
        assigned = [k for k in dict.fromkeys(keys) if k]
        if not assigned:
            # Unassigned, or addressed only to groups the configuration does not know: to fix.
            board.unassigned.append(card)
        for key in assigned:
            board.cells.setdefault((key, card.question_id), []).append(card)
    return board
