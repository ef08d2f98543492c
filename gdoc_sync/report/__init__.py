"""The session report (IGF structure) and the event report, from the curated Sheets:
Markdown, HTML with charts, JSON, CSV or plain text."""

from __future__ import annotations

import json
from typing import Any

from gdoc_sync.core.document import session_document
from gdoc_sync.core.links import companion_sheet
from gdoc_sync.core.sheet import (
    CONFIG,
    CONTRIBUTIONS,
    ContributionsTab,
    SheetTabs,
    parse_config,
    recorded_columns,
)
from gdoc_sync.errors import MissingTab
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.sheet_io import read_tabs
from gdoc_sync.local.state import LocalState
from gdoc_sync.locales.texts import document_language, session_language
from gdoc_sync.report.data import SCHEMA_ID, SCHEMA_VERSION, build_report
from gdoc_sync.report.html import render_html
from gdoc_sync.report.markdown import md, render_markdown
from gdoc_sync.report.sheet import REPORT, ReportTab
from gdoc_sync.report.text import render_csv, render_text

FORMATS = ("md", "html", "json", "csv", "txt")

__all__ = [
    "FORMATS",
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "build_report",
    "md",
    "read_session",
    "render",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_text",
    "report_data",
    "session_report",
]


def read_session(
    api: GoogleApi, spreadsheet_id: str, tabs: SheetTabs | None = None
) -> tuple[ContributionsTab, Any, ReportTab]:
    """The curated Contributions tab, the configuration and the Report tab, in one read (two
    for a Sheet made before the Report tab existed); `tabs`: the titles to try first."""
    try:
        values = read_tabs(api, spreadsheet_id, [CONTRIBUTIONS, CONFIG, REPORT], tabs)
        report_tab = ReportTab.parse(values[REPORT])
    except MissingTab as exc:
        if exc.tab != REPORT:
            raise
        values = read_tabs(api, spreadsheet_id, [CONTRIBUTIONS, CONFIG], tabs)
        report_tab = ReportTab.parse(None)
    tab = ContributionsTab.parse(
        values[CONTRIBUTIONS], recorded_columns(values[CONFIG]), values.tabs
    )
    return tab, parse_config(values[CONFIG], values.tabs), report_tab


def report_data(
    tab: ContributionsTab, config: Any, report_tab: ReportTab | None = None
) -> dict[str, Any]:
    """The report's data from a curated tab and configuration (see data.build_report)."""
    return build_report(tab, config, report_tab)


def render(
    data: dict[str, Any], fmt: str, language: str = "en", report_tab: str | None = None
) -> str:
    """One of FORMATS; the human formats' headings and labels in `language` (JSON and CSV are
    for programs: their keys, header and values stay the same in every language)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "html":
        return render_html(data, language, report_tab)
    if fmt == "csv":
        return render_csv(data)
    if fmt == "txt":
        return render_text(data, language, report_tab)
    return render_markdown(data, language, report_tab)


def session_report(
    api: GoogleApi,
    document_id: str,
    state: LocalState,
    fmt: str,
    *,
    with_withdrawn: bool = False,
) -> str:
    """The report of a session Doc in one format, from its curated Sheet."""
    known = state.load(document_id)
    spreadsheet_id = known.get("spreadsheet_id")
    tabs = SheetTabs.of(known["sheet_tabs"]) if known.get("sheet_tabs") else None
    if not spreadsheet_id:
        doc = session_document(api, document_id)
        spreadsheet_id = companion_sheet(doc, document_id)
        tabs = tabs or SheetTabs.in_language(document_language(doc))
    tab, config, report_tab = read_session(api, spreadsheet_id, tabs)
    data = build_report(tab, config, report_tab, with_withdrawn=with_withdrawn)
    return render(data, fmt, session_language(config.facts), tab.tabs[REPORT])
