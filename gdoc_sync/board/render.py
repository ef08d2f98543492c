"""The board as HTML: the matrix fragment the page swaps in live, and the self-contained page."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import cache
from importlib import resources
from typing import Any

from .data import Board, Card, Column

SHOWN_IN_CELL = 1  # the latest cards a matrix cell shows; the focus view shows more
SENT_PER_CELL = 60  # cards a cell carries at most: a page stays light with thousands noted


def _h(text: Any) -> str:
    return html.escape(str(text), quote=True)


@cache
def asset(name: str) -> str:
    """A static file shipped inside the package (installed with it as package data)."""
    return (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")


def _card(card: Card, *, show_question: bool = False) -> str:
    where = "online" if card.channel == "online" else "onsite"
    who = f'<bdi class="speaker">{_h(card.speaker)}</bdi>' if card.speaker else ""
    question = f'<span class="cq">{_h(card.question_id)}</span> ' if show_question else ""
    return (
        f'<li class="card {where}" data-id="{_h(card.id)}" data-v="{card.version}">'
        f'<p class="text" dir="auto">{_h(card.text)}</p>'
        f'<p class="who">{question}{who}'
        f'<span class="ch ch-{where}">{where}</span></p></li>'
    )


def _cell(cards: list[Card], column: Column, *, label: str, unassigned: bool = False) -> str:
    count = len(cards)
    classes = ["cell"]
    if count == 0 and not unassigned:
        classes.append("gap")
    if count > SHOWN_IN_CELL:
        classes.append("more")
    if cards:
        shown = "".join(_card(c) for c in cards[:SENT_PER_CELL])
        older = count - SENT_PER_CELL
        note = f'<p class="older-mark">+{older} older: see the Sheet</p>' if older > 0 else ""
        body = f'<div class="list"><ol class="cards">{shown}</ol>{note}</div>'
    else:
        body = "" if unassigned else '<span class="gap-mark">gap</span>'
    hidden = count - SHOWN_IN_CELL
    more = f'<span class="more-mark">+{hidden} more</span>' if hidden > 0 else ""
    return (
        f'<td class="{" ".join(classes)}" data-q="{_h(column.id)}" data-label="{_h(column.label)}" '
        f'data-count="{count}" '
        f'aria-label="{_h(label)}: {count}{" (gap)" if "gap" in classes else ""}">'
        f'<div class="cellbox">{body}<div class="tally"><span class="count">{count}</span>'
        f"{more}</div></div></td>"
    )


def render_matrix(board: Board) -> str:
    """The part of the page that changes: summary, matrix, totals and unassigned contributions."""
    channels = board.channels()
    gaps = len(board.gaps())
    out: list[str] = [
        f'<div class="summary" data-version="{board.version}">'
        f'<span class="stat"><b id="total">{len(board.contributions)}</b> contributions</span>'
        f'<span class="stat"><b id="onsite">{channels.get("onsite", 0)}</b> onsite</span>'
        f'<span class="stat"><b id="online">{channels.get("online", 0)}</b> online</span>'
        f'<span class="stat stat-gap"><b id="gaps">{gaps}</b> '
        f"{'gap' if gaps == 1 else 'gaps'}</span>"
        f'<span class="stat stat-fix"><b id="unassigned">{len(board.unassigned)}</b> '
        "unassigned to fix</span></div>",
        f'<table class="matrix" data-columns="{len(board.columns)}">',
        '<thead><tr><th scope="col" class="corner">Who should act?</th>',
    ]
    for c in board.columns:
        out.append(
            f'<th scope="col" class="q" data-q="{_h(c.id)}">'
            f'<a href="?q={_h(c.id)}" class="qlink"><span class="qid">{_h(c.label)}</span>'
            f'<span class="qtext" dir="auto">{_h(c.text)}</span></a></th>'
        )
    out.append('<th scope="col" class="total">Total</th></tr></thead><tbody>')
    for g in board.groups:
        out.append(
            f'<tr data-group="{_h(g.key)}"><th scope="row" class="group" dir="auto">'
            f"{_h(g.name)}</th>"
        )
        for c in board.columns:
            out.append(_cell(board.cell(g.key, c.id), c, label=f"{g.name}, {c.label}"))
        out.append(f'<td class="total" data-label="Total">{board.group_total(g.key)}</td></tr>')
    out.append(
        '<tr class="unassigned" data-group=""><th scope="row" class="group">Unassigned '
        "<small>to fix in the Doc</small></th>"
    )
    for c in board.columns:
        out.append(
            _cell(board.column_unassigned(c.id), c, label=f"Unassigned, {c.label}", unassigned=True)
        )
    out.append(f'<td class="total" data-label="Total">{len(board.unassigned)}</td></tr></tbody>')
    out.append('<tfoot><tr><th scope="row" class="group">Total <small>onsite · online</small></th>')
    for c in board.columns:
        split = board.column_channels(c.id)
        out.append(
            f'<td class="total" data-q="{_h(c.id)}" data-label="{_h(c.label)}">'
            f"<b>{board.column_total(c.id)}</b> "
            f"<small>{split.get('onsite', 0)} · {split.get('online', 0)}</small></td>"
        )
    out.append(
        f'<td class="total" data-label="All"><b>{len(board.contributions)}</b> '
        f"<small>{channels.get('onsite', 0)} · {channels.get('online', 0)}</small></td>"
        "</tr></tfoot></table>"
    )
    return "".join(out)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def content_security_policy() -> str:
    """Nothing but this page's own style, script and event stream: a page that cannot fetch
    from outside even if some text slipped through escaping."""
    return (
        f"default-src 'none'; style-src {_csp_hash(asset('board.css'))}; "
        f"script-src {_csp_hash(asset('board.js'))}; connect-src 'self'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def render_page(
    board: Board | None,
    *,
    live: bool,
    status: dict[str, Any],
    interval: float = 10.0,
    focus: str | None = None,
) -> str:
    """The whole page: the board, its style and script inline, nothing fetched from elsewhere.
    live=False is the snapshot: the same page without the event stream."""
    title = board.title if board is not None else "Room board"
    content = (
        render_matrix(board)
        if board is not None
        else '<p class="waiting">Waiting for the first sync…</p>'
    )
    state = json.dumps(status, ensure_ascii=False).replace("<", "\\u003c")
    focus_attr = f' data-focus="{_h(focus)}"' if focus else ""
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f'<meta http-equiv="Content-Security-Policy" content="{_h(content_security_policy())}">'
        f"<title>{_h(title)}: room board</title>"
        f"<style>{asset('board.css')}</style></head>"
        f'<body data-live="{1 if live else 0}" data-interval="{interval:g}"{focus_attr}>'
        '<header class="bar"><h1 dir="auto">'
        f"{_h(title)}</h1>"
        '<p class="hint">← → one question · Esc all</p>'
        '<p id="status" class="status" role="status" aria-live="polite"></p></header>'
        f'<main id="board">{content}</main>'
        f'<script type="application/json" id="board-status">{state}</script>'
        f"<script>{asset('board.js')}</script></body></html>\n"
    )
