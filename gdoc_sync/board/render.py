"""The board as HTML: the matrix fragment the page swaps in live, and the self-contained page."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import cache
from importlib import resources
from typing import Any

from gdoc_sync.board.data import Board, Card, Column
from gdoc_sync.locales.texts import base_language, text_direction, texts

SHOWN_IN_CELL = 1  # the latest cards a matrix cell shows; the focus view shows more
SENT_PER_CELL = 60  # cards a cell carries at most: a page stays light with thousands noted


def _h(text: Any) -> str:
    return html.escape(str(text), quote=True)


@cache
def asset(name: str) -> str:
    """A static file shipped inside the package (installed with it as package data)."""
    return (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")


def _card(card: Card, *, show_question: bool = False, language: str = "en") -> str:
    where = "online" if card.channel == "online" else "onsite"
    shown = texts(language)["board"][where]
    who = f'<bdi class="speaker">{_h(card.speaker)}</bdi>' if card.speaker else ""
    question = f'<span class="cq">{_h(card.question_id)}</span> ' if show_question else ""
    return (
        f'<li class="card {where}" data-id="{_h(card.id)}" data-v="{card.version}">'
        f'<p class="text" dir="auto">{_h(card.text)}</p>'
        f'<p class="who">{question}{who}'
        f'<span class="ch ch-{where}">{_h(shown)}</span></p></li>'
    )


def _cell(
    cards: list[Card],
    column: Column,
    *,
    label: str,
    unassigned: bool = False,
    language: str = "en",
) -> str:
    b = texts(language)["board"]
    count = len(cards)
    classes = ["cell"]
    if count == 0 and not unassigned:
        classes.append("gap")
    if count > SHOWN_IN_CELL:
        classes.append("more")
    if cards:
        shown = "".join(_card(c, language=language) for c in cards[:SENT_PER_CELL])
        older = count - SENT_PER_CELL
        note = f'<p class="older-mark">{_h(b["older"].format(n=older))}</p>' if older > 0 else ""
        body = f'<div class="list"><ol class="cards">{shown}</ol>{note}</div>'
    else:
        body = "" if unassigned else f'<span class="gap-mark">{_h(b["gap"])}</span>'
    gap_note = f" ({_h(b['gap'])})" if "gap" in classes else ""
    hidden = count - SHOWN_IN_CELL
    more = f'<span class="more-mark">{_h(b["more"].format(n=hidden))}</span>' if hidden > 0 else ""
    return (
        f'<td class="{" ".join(classes)}" data-q="{_h(column.id)}" data-label="{_h(column.label)}" '
        f'data-count="{count}" '
        f'aria-label="{_h(label)}: {count}{gap_note}">'
        f'<div class="cellbox">{body}<div class="tally"><span class="count">{count}</span>'
        f"{more}</div></div></td>"
    )


def render_matrix(board: Board) -> str:
    """The part of the page that changes: summary, matrix, totals and unassigned contributions."""
    b = {k: _h(v) for k, v in texts(board.language)["board"].items()}
    language = board.language
    channels = board.channels()
    gaps = len(board.gaps())
    out: list[str] = [
        f'<div class="summary" data-version="{board.version}">'
        f'<span class="stat"><b id="total">{len(board.contributions)}</b> '
        f"{b['contributions']}</span>"
        f'<span class="stat"><b id="onsite">{channels.get("onsite", 0)}</b> {b["onsite"]}</span>'
        f'<span class="stat"><b id="online">{channels.get("online", 0)}</b> {b["online"]}</span>'
        f'<span class="stat stat-gap"><b id="gaps">{gaps}</b> '
        f"{b['gap'] if gaps == 1 else b['gaps']}</span>"
        f'<span class="stat stat-fix"><b id="unassigned">{len(board.unassigned)}</b> '
        f"{b['unassigned_to_fix']}</span></div>",
        f'<table class="matrix" data-columns="{len(board.columns)}">',
        f'<thead><tr><th scope="col" class="corner">{b["who_should_act"]}</th>',
    ]
    for c in board.columns:
        out.append(
            f'<th scope="col" class="q" data-q="{_h(c.id)}">'
            f'<a href="?q={_h(c.id)}" class="qlink"><span class="qid">{_h(c.label)}</span>'
            f'<span class="qtext" dir="auto">{_h(c.text)}</span></a></th>'
        )
    out.append(f'<th scope="col" class="total">{b["total"]}</th></tr></thead><tbody>')
    for g in board.groups:
        out.append(
            f'<tr data-group="{_h(g.key)}"><th scope="row" class="group" dir="auto">'
            f"{_h(g.name)}</th>"
        )
        for c in board.columns:
            label = f"{g.name}, {c.label}"
            out.append(_cell(board.cell(g.key, c.id), c, label=label, language=language))
        out.append(
            f'<td class="total" data-label="{b["total"]}">{board.group_total(g.key)}</td></tr>'
        )
    out.append(
        '<tr class="unassigned" data-group=""><th scope="row" class="group">'
        f"{b['unassigned']} <small>{b['to_fix']}</small></th>"
    )
    for c in board.columns:
        out.append(
            _cell(
                board.column_unassigned(c.id),
                c,
                label=f"{texts(language)['board']['unassigned']}, {c.label}",
                unassigned=True,
                language=language,
            )
        )
    out.append(
        f'<td class="total" data-label="{b["total"]}">{len(board.unassigned)}</td></tr></tbody>'
    )
    out.append(
        f'<tfoot><tr><th scope="row" class="group">{b["total"]} '
        f"<small>{b['onsite']} · {b['online']}</small></th>"
    )
    for c in board.columns:
        split = board.column_channels(c.id)
        out.append(
            f'<td class="total" data-q="{_h(c.id)}" data-label="{_h(c.label)}">'
            f"<b>{board.column_total(c.id)}</b> "
            f"<small>{split.get('onsite', 0)} · {split.get('online', 0)}</small></td>"
        )
    out.append(
        f'<td class="total" data-label="{b["all"]}"><b>{len(board.contributions)}</b> '
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
    language = board.language if board is not None else "en"
    b = texts(language)["board"]
    title = board.title if board is not None else b["room_board"]
    content = (
        render_matrix(board) if board is not None else f'<p class="waiting">{_h(b["waiting"])}</p>'
    )
    direction = ' dir="rtl"' if text_direction(language) == "rtl" else ""
    state = json.dumps(status, ensure_ascii=False).replace("<", "\\u003c")
    words = {k: v for k, v in b.items() if k.startswith("status.")}
    said = json.dumps(words, ensure_ascii=False).replace("<", "\\u003c")
    focus_attr = f' data-focus="{_h(focus)}"' if focus else ""
    return (
        "<!doctype html>\n"
        f'<html lang="{_h(base_language(language))}"{direction}><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f'<meta http-equiv="Content-Security-Policy" content="{_h(content_security_policy())}">'
        f"<title>{_h(b['page_title'].format(title=title))}</title>"
        f"<style>{asset('board.css')}</style></head>"
        f'<body data-live="{1 if live else 0}" data-interval="{interval:g}"{focus_attr}>'
        '<header class="bar"><h1 dir="auto">'
        f"{_h(title)}</h1>"
        f'<p class="hint">{_h(b["hint"])}</p>'
        '<p id="status" class="status" role="status" aria-live="polite"></p></header>'
        f'<main id="board">{content}</main>'
        f'<script type="application/json" id="board-status">{state}</script>'
        f'<script type="application/json" id="board-texts">{said}</script>'
        f"<script>{asset('board.js')}</script></body></html>\n"
    )
