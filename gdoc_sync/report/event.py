"""A whole event's report, from the result file of `create --batch`: every session's action
points by stakeholder group, linked back to their session; sessions that could not be read are
listed, never skipped."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdoc_sync.core.actions import build_action_list
from gdoc_sync.core.links import document_url
from gdoc_sync.core.sheet import (
    CONFIG,
    CONTRIBUTIONS,
    ContributionsTab,
    SheetTabs,
    parse_config,
    recorded_columns,
)
from gdoc_sync.core.textsafe import FORMULA_STARTS, csv_text, neutralise, neutralise_all
from gdoc_sync.errors import GdocSyncError, UsageError, describe
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.sheet_io import read_tabs
from gdoc_sync.locales.texts import base_language, session_language, squash_spaces, texts
from gdoc_sync.report.html import _page, h
from gdoc_sync.report.markdown import md, md_cell, md_line_start

EVENT_SCHEMA_ID = "gdoc-sync/event-report"
EVENT_SCHEMA_VERSION = 1
NEEDED = ("line", "title", "status", "document_id", "spreadsheet_id")


@dataclass
class EventProgress:
    """Reported once before the first session (done=0), then after each session."""

    done: int
    total: int
    title: str = ""
    readable: bool | None = None


def _cell(value: str | None) -> str:
    """A result-file cell as written (the CSV writer quotes formula-like starts)."""
    text = (value or "").strip()
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS else text


def read_result_file(path: str | Path) -> list[dict[str, str]]:
    shown = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read the result file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{shown}: not UTF-8 text") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [n for n in NEEDED if n not in header]
    if missing:
        raise UsageError(
            f"{shown}:1: not a `create --batch --result` file: no column "
            + ", ".join(f'"{m}"' for m in missing)
        )
    try:
        rows = [{k.strip(): _cell(v) for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        raise UsageError(f"{shown}:{reader.line_num}: {exc}") from exc
    if not rows:
        raise UsageError(f"{shown}: no sessions: the result file has a header but no rows")
    return rows


def event_report(
    api: GoogleApi,
    result_file: str | Path,
    *,
    progress: Callable[[EventProgress], None] = lambda _: None,
    language: str | None = None,
) -> dict[str, Any]:
    """Read every session of the result file (one request each, paced by the api's limiter).

    An event mixes sessions, and its report has one language: `language`, else the first
    readable session's. Each Sheet is read by the tab titles the session before it had (those
    of `language` for the first): three requests instead of one for a session whose tabs are
    titled otherwise."""
    rows = read_result_file(result_file)
    guess = SheetTabs.in_language(language) if language else None
    chosen = base_language(language) if language else None
    progress(EventProgress(0, len(rows)))
    sessions: list[dict[str, Any]] = []
    groups: dict[str, str] = {}  # casefolded name -> name as first seen
    by_group: dict[str, list[dict[str, Any]]] = {}
    for done, row in enumerate(rows, start=1):
        title = row.get("title", "")
        entry: dict[str, Any] = {
            "line": row.get("line", ""),
            "title": title,
            "document_url": document_url(row["document_id"]) if row.get("document_id") else "",
            "readable": False,
            "action_points": 0,
            "by_group": {},
            "error": "",
        }
        sessions.append(entry)
        if not row.get("document_id") or not row.get("spreadsheet_id"):
            error = row.get("error") or "no Doc or Sheet id"
            entry["error"] = f"not created (status {row.get('status') or 'unknown'}): {error}"
            progress(EventProgress(done, len(rows), title, False))
            continue
        try:
            values = read_tabs(api, row["spreadsheet_id"], [CONTRIBUTIONS, CONFIG], guess)
            guess = values.tabs
            config = parse_config(values[CONFIG], values.tabs)
            tab = ContributionsTab.parse(
                values[CONTRIBUTIONS], recorded_columns(values[CONFIG]), values.tabs
            )
            if config.document_id != row["document_id"]:
                raise GdocSyncError(
                    f"the Sheet belongs to document {config.document_id}, not {row['document_id']}"
                )
            actions = build_action_list(tab, config)
        except GdocSyncError as exc:
            entry["error"] = describe(exc)
            progress(EventProgress(done, len(rows), title, False))
            continue
        entry["readable"] = True
        entry["title"] = config.title or title
        chosen = chosen or session_language(config.facts)
        for _, name, points in actions.by_group:
            key = name.casefold()
            groups.setdefault(key, name)
            entry["by_group"][groups[key]] = len(points)
            entry["action_points"] += len(points)
            for number, p in enumerate(points, start=1):
                by_group.setdefault(key, []).append(
                    {
                        "session": entry["title"],
                        "document_url": entry["document_url"],
                        "number": number,
                        "id": p.contribution_id,
                        "text": p.text,
                        "question": p.question_id,
                        "proposer_group": p.proposer_group,
                    }
                )
        progress(EventProgress(done, len(rows), entry["title"], True))
    data = {
        "schema": EVENT_SCHEMA_ID,
        "schema_version": EVENT_SCHEMA_VERSION,
        "language": chosen or "en",
        "sessions": sessions,
        "groups": list(groups.values()),
        "action_points": [
            {"group": groups[key], "actions": by_group.get(key, [])} for key in groups
        ],
        "without_action_points": [
            s["title"] for s in sessions if s["readable"] and not s["action_points"]
        ],
        "unreadable": [
            {"line": s["line"], "title": s["title"], "error": s["error"]}
            for s in sessions
            if not s["readable"]
        ],
    }
    return neutralise_all(data)


def render_event(data: dict[str, Any], fmt: str) -> str:
    import json

    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return csv_text(
            (
                "stakeholder_group",
                "session",
                "document_url",
                "number",
                "action",
                "contribution_id",
                "question",
                "proposer_group",
            ),
            [
                [
                    g["group"],
                    a["session"],
                    a["document_url"],
                    a["number"],
                    a["text"],
                    a["id"],
                    a["question"],
                    a["proposer_group"],
                ]
                for g in data["action_points"]
                for a in g["actions"]
            ],
        )
    e = _Words(data.get("language") or "en")
    if fmt == "html":
        return _event_html(data, e)
    if fmt == "txt":
        return _event_text(data, e)
    return _event_markdown(data, e)


class _Words(dict[str, str]):
    """The event report's fixed texts in one language."""

    def __init__(self, language: str) -> None:
        super().__init__(texts(language)["event"])
        self.online = str(texts(language)["channels"]["online"])

    def question(self, action: dict[str, Any]) -> str:
        """An action point's question id; the online discussion's in the report's language."""
        return self.online if action["question"] == "online" else str(action["question"])


def _event_markdown(data: dict[str, Any], e: _Words) -> str:
    sessions = data["sessions"]
    readable = sum(1 for s in sessions if s["readable"])
    out = [f"# {e['title']}", ""]
    out += [e["read"].format(readable=readable, total=len(sessions)), ""]
    if data["unreadable"]:
        out += [f"## {e['unreadable']}", ""]
        for u in data["unreadable"]:
            line = e["unreadable_line"].format(
                line=md(u["line"]), title=md(u["title"]), error=md(u["error"])
            )
            out.append(f"- {line}")
        out.append("")
    out += [f"## {e['actions']}", ""]
    for g in data["action_points"]:
        out += [f"### {md_line_start(g['group'])}", ""]
        for a in g["actions"]:
            out.append(
                f"- {md(a['text'])} ({e.question(a)}, [{md(a['session'])}](<{a['document_url']}>))"
            )
        out.append("")
    out += [f"## {e['by_group']}", ""]
    out.append(
        f"| {e['session']} | "
        + " | ".join(md_cell(g) for g in data["groups"])
        + f" | {e['total']} |"
    )
    out.append("| --- |" + " --: |" * (len(data["groups"]) + 1))
    for s in sessions:
        if s["readable"]:
            cells = [str(s["by_group"].get(g, 0)) for g in data["groups"]]
            out.append(
                f"| {md_cell(s['title'])} | " + " | ".join(cells) + f" | {s['action_points']} |"
            )
    out += ["", f"## {e['without']}", ""]
    out += [f"- {md(t)}" for t in data["without_action_points"]] or [e["none"]]
    return "\n".join(out) + "\n"


def _event_text(data: dict[str, Any], e: _Words) -> str:
    def t(value: Any) -> str:
        return squash_spaces(neutralise(str(value)))

    out = [e["title"], ""]
    for u in data["unreadable"]:
        out.append(
            e["could_not_read"].format(line=u["line"], title=t(u["title"]), error=t(u["error"]))
        )
    for g in data["action_points"]:
        out += ["", t(g["group"])]
        out += [
            f"  - {t(a['text'])} ({e.question(a)}, {t(a['session'])}, {a['document_url']})"
            for a in g["actions"]
        ]
    out += ["", e["without"] + texts(data.get("language") or "en")["report"]["colon"]]
    out += [f"  - {t(x)}" for x in data["without_action_points"]] or [f"  {e['none_txt']}"]
    return "\n".join(out) + "\n"


def _event_html(data: dict[str, Any], e: _Words) -> str:
    sessions = data["sessions"]
    readable = sum(1 for s in sessions if s["readable"])
    body = [
        f"<h1>{h(e['title'])}</h1>",
        f"<p>{h(e['read'].format(readable=readable, total=len(sessions)))}</p>",
    ]
    if data["unreadable"]:
        body.append(f'<section class="missing"><h2>{h(e["unreadable"])}</h2><ul>')
        body += [
            "<li>"
            + e["unreadable_line"].format(
                line=h(u["line"]), title=h(u["title"]), error=h(u["error"])
            )
            + "</li>"
            for u in data["unreadable"]
        ]
        body.append("</ul></section>")
    body.append(f"<h2>{h(e['actions'])}</h2>")
    for g in data["action_points"]:
        body.append(f"<h3>{h(g['group'])}</h3><ul class=actions>")
        body += [
            f"<li><bdi>{h(a['text'])}</bdi> <span class=who>({h(e.question(a))}, "
            f'<a href="{h(a["document_url"])}">{h(a["session"])}</a>)</span></li>'
            for a in g["actions"]
        ]
        body.append("</ul>")
    body.append(f"<h2>{h(e['by_group'])}</h2><table><thead><tr><th>{h(e['session'])}</th>")
    body += [f"<th>{h(g)}</th>" for g in data["groups"]]
    body.append(f"<th>{h(e['total'])}</th></tr></thead><tbody>")
    for s in sessions:
        if s["readable"]:
            cells = "".join(f"<td class=n>{s['by_group'].get(g, 0)}</td>" for g in data["groups"])
            body.append(
                f'<tr><td><a href="{h(s["document_url"])}">{h(s["title"])}</a></td>'
                f"{cells}<td class=n>{s['action_points']}</td></tr>"
            )
    body.append(f"</tbody></table><h2>{h(e['without'])}</h2><ul>")
    body += [f"<li>{h(x)}</li>" for x in data["without_action_points"]] or [
        f"<li>{h(e['none'])}</li>"
    ]
    body.append("</ul>")
    return _page(e["page_title"], body, data.get("language") or "en")
