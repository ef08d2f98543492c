"""The report's side of the companion Sheet: the Report tab the rapporteur fills in, and the
chart of contributions per stakeholder group and channel on the Matrix tab, with its data."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.core.model import Channel, Contribution, SessionConfig
from gdoc_sync.core.reconcile import duplicate_key
from gdoc_sync.core.sheet import (
    CONFIG,
    CONTRIBUTIONS,
    ENGLISH_TABS,
    MATRIX,
    MATRIX_ID,
    REPORT,
    REPORT_ID,
    SheetTabs,
    config_rows,
)
from gdoc_sync.errors import AlreadyExists
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.locales import LANGUAGES
from gdoc_sync.locales.texts import session_language, texts

__all__ = ["REPORT", "REPORT_ID"]  # the tab's identity and sheetId, from ..sheet
CHART_ID = 106
# In the session's facts (the hidden config tab): the Sheet has the Report tab and the chart.
LAYOUT_FACT = "report_layout"
LAYOUT_VERSION = 1
OTHER_GROUP = "Other or not recorded"
CHANNELS = (str(Channel.onsite), str(Channel.online))
TAKEAWAYS = 3  # rows set up for each; the rapporteur may add more ("Key takeaway 4")

REPORT_HEADER = ("header.field", "header.text", "header.hint")  # keys of the locale pack
# The rows whose label is fixed: locale pack key -> identity (the English label, what the report
# reads by). Numbered rows ("Key takeaway 2") and per question ("Summary Q1") are patterns.
FIXED_LABELS = {
    "end_time": "End time",
    "summary_online": "Summary online",
    "participants_onsite": "Participants onsite",
    "participants_online": "Participants online",
    "women_onsite": "Women and gender-diverse onsite",
    "women_online": "Women and gender-diverse online",
    "gender_issues": "Gender issues discussed",
}
NUMBERED_LABELS = {"key_takeaway": "Key takeaway", "call_to_action": "Call to action"}
SUMMARY = "Summary"


@dataclass(frozen=True)
class ReportField:
    """One row of the Report tab: its identity (what gdoc-sync reads by, the English label),
    the label shown in the session's language and the form's ask."""

    key: str
    label: str
    hint: str


def report_fields(config: SessionConfig) -> list[ReportField]:
    """The rows the Report tab starts with, in the order of the IGF report form."""
    t = texts(session_language(config.facts))["report_tab"]
    fields = [
        ReportField(f"Key takeaway {n}", t["key_takeaway"].format(n=n), t["key_takeaway.hint"])
        for n in range(1, TAKEAWAYS + 1)
    ]
    fields += [
        ReportField(
            f"Call to action {n}", t["call_to_action"].format(n=n), t["call_to_action.hint"]
        )
        for n in range(1, TAKEAWAYS + 1)
    ]
    fixed = [] if config.facts.get("end") else ["end_time"]
    for q in config.questions:
        fields.append(
            ReportField(
                f"{SUMMARY} {q.id}", t["summary"].format(q=q.id), t["summary.hint"].format(q=q.id)
            )
        )
    if config.hybrid:
        fixed.append("summary_online")
    fixed += ["participants_onsite", "participants_online", "women_onsite", "women_online"]
    fixed.append("gender_issues")
    by_key = {key: ReportField(FIXED_LABELS[key], t[key], t[f"{key}.hint"]) for key in fixed}
    if "end_time" in by_key:  # before the summaries, where the form asks it
        fields.insert(2 * TAKEAWAYS, by_key.pop("end_time"))
    return fields + list(by_key.values())


def report_tab_rows(config: SessionConfig) -> list[list[str]]:
    t = texts(session_language(config.facts))["report_tab"]
    header = [str(t[key]) for key in REPORT_HEADER]
    return [header] + [[f.label, "", f.hint] for f in report_fields(config)]


def report_label(identity: str, language: str) -> str:
    """A Report tab row's label as `language` writes it ("Summary Q1" -> "Resumen Q1")."""
    t = texts(language)["report_tab"]
    for key, english in FIXED_LABELS.items():
        if identity == english:
            return str(t[key])
    for key, stem in NUMBERED_LABELS.items():
        if identity.startswith(stem + " ") and identity[len(stem) + 1 :].isdigit():
            return str(t[key]).format(n=identity[len(stem) + 1 :])
    if identity.startswith(SUMMARY + " "):
        return str(t["summary"]).format(q=identity[len(SUMMARY) + 1 :])
    return identity


@functools.cache
def _label_readers() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """Each shipped language's labels, casefolded, to their identity; and the patterns of the
    numbered and per-question labels."""
    fixed: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for language in LANGUAGES:
        t = texts(language)["report_tab"]
        for key, english in FIXED_LABELS.items():
            fixed.setdefault(" ".join(str(t[key]).split()).casefold(), english)
        for key, stem in NUMBERED_LABELS.items():
            before, _, after = " ".join(str(t[key]).split()).casefold().partition("{n}")
            patterns.append(
                (re.compile(re.escape(before) + r"(\d+)" + re.escape(after) + "$"), stem + " ")
            )
    for language in LANGUAGES:  # after every numbered one: "Summary {q}" matches much
        t = texts(language)["report_tab"]
        before, _, after = " ".join(str(t["summary"]).split()).casefold().partition("{q}")
        patterns.append((re.compile(re.escape(before) + r"(\S+)" + re.escape(after) + "$"), ""))
    return fixed, patterns


def label_identity(label: str) -> str:
    """The row a Report tab label names, in any shipped language, casefolded ("resumen p1" is
    "summary p1"); a label of no known row as it is (casefolded)."""
    folded = " ".join(label.split()).casefold()
    fixed, patterns = _label_readers()
    if folded in fixed:
        return fixed[folded].casefold()
    for pattern, stem in patterns:
        m = pattern.match(folded)
        if m:
            return (stem or SUMMARY + " ").casefold() + m.group(1)
    return folded


# -- the chart's data: contributions per speaker's stakeholder group and channel ----------------


def chart_start_row(config: SessionConfig) -> int:
    """0-based row of the chart data's header on the Matrix tab: one blank row under the matrix
    (a header, a row per group, Unassigned and Total)."""
    return len(config.groups) + 4


def chart_rows(config: SessionConfig, counts: Counter[tuple[str, str]]) -> list[list[Any]]:
    """The chart's data: a row per group (by name) and one for the rest, onsite and online."""
    language = session_language(config.facts)
    r = texts(language)["report"]
    shown = [texts(language)["channels"][ch] for ch in CHANNELS]
    rows: list[list[Any]] = [[r["chart_by_group"], *shown]]
    for name in [g.name for g in config.groups] + [OTHER_GROUP]:
        label = r["other_group"] if name == OTHER_GROUP else name
        rows.append([label, *(counts.get((name, ch), 0) for ch in CHANNELS)])
    return rows


def count_contributions(
    config: SessionConfig, contributions: Iterable[Contribution]
) -> Counter[tuple[str, str]]:
    """(group name, channel) -> contributions still in the Doc (withdrawn ones, and the copies
    of one pasted twice, left out)."""
    names = {g.key: g.name for g in config.groups}
    counts: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, ...]] = set()
    for c in contributions:
        if c.withdrawn:
            continue
        key = duplicate_key(c)
        if key in seen:
            continue
        seen.add(key)
        counts[(names.get(c.proposer_group, OTHER_GROUP), str(c.channel))] += 1
    return counts


def _chart_range(config: SessionConfig, column: int) -> dict[str, Any]:
    start = chart_start_row(config)
    return {
        "sourceRange": {
            "sources": [
                {
                    "sheetId": MATRIX_ID,
                    "startRowIndex": start,
                    "endRowIndex": start + len(config.groups) + 2,
                    "startColumnIndex": column,
                    "endColumnIndex": column + 1,
                }
            ]
        }
    }


def chart_spec(config: SessionConfig) -> dict[str, Any]:
    """A stacked column chart: one column per group, onsite and online stacked."""
    t = texts(session_language(config.facts))
    return {
        "title": t["report_tab"]["chart_title"],
        "basicChart": {
            "chartType": "COLUMN",
            "legendPosition": "BOTTOM_LEGEND",
            "stackedType": "STACKED",
            "headerCount": 1,
            "axis": [
                {"position": "BOTTOM_AXIS", "title": t["report"]["speakers_group"]},
                {"position": "LEFT_AXIS", "title": t["tab.contributions"]},
            ],
            "domains": [{"domain": _chart_range(config, 0)}],
            "series": [
                {"series": _chart_range(config, i), "targetAxis": "LEFT_AXIS"}
                for i in range(1, len(CHANNELS) + 1)
            ],
        },
    }


def _cells(rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        values = []
        for v in row:
            key = "numberValue" if isinstance(v, int) else "stringValue"
            values.append({"userEnteredValue": {key: v}})
        out.append({"values": values})
    return out


def setup_requests(
    config: SessionConfig,
    counts: Counter[tuple[str, str]] | None = None,
    title: str | None = None,
) -> list[dict[str, Any]]:
    """The Report tab (titled `title`, else in the session's language), the chart's data under
    the matrix and the chart: requests that follow the Sheet's own layout in the same
    batchUpdate (create), or make up one (an older Sheet)."""
    title = title or SheetTabs.in_language(session_language(config.facts))[REPORT]
    rows = report_tab_rows(config)
    start = chart_start_row(config)
    data = chart_rows(config, counts or Counter())
    return [
        {
            "addSheet": {
                "properties": {
                    "sheetId": REPORT_ID,
                    "title": title,
                    "index": 3,  # after Action points, before the hidden configuration
                    "gridProperties": {
                        "rowCount": max(100, len(rows) + 20),
                        "columnCount": len(REPORT_HEADER),
                        "frozenRowCount": 1,
                        "frozenColumnCount": 1,
                    },
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": REPORT_ID, "rowIndex": 0, "columnIndex": 0},
                "rows": _cells(rows),
                "fields": "userEnteredValue",
            }
        },
        {
            "repeatCell": {
                "range": {"sheetId": REPORT_ID, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat",
            }
        },
        {
            "repeatCell": {
                "range": {
                    "sheetId": REPORT_ID,
                    "startRowIndex": 1,
                    "startColumnIndex": 1,
                    "endColumnIndex": 2,
                },
                "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                "fields": "userEnteredFormat.wrapStrategy",
            }
        },
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": REPORT_ID,
                    "dimension": "COLUMNS",
                    "startIndex": 1,
                    "endIndex": 2,
                },
                "properties": {"pixelSize": 480},
                "fields": "pixelSize",
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": MATRIX_ID, "rowIndex": start, "columnIndex": 0},
                "rows": _cells(data),
                "fields": "userEnteredValue",
            }
        },
        {
            "addChart": {
                "chart": {
                    "chartId": CHART_ID,
                    "spec": chart_spec(config),
                    "position": {
                        "overlayPosition": {
                            "anchorCell": {
                                "sheetId": MATRIX_ID,
                                "rowIndex": start + len(data) + 1,
                                "columnIndex": 0,
                            },
                            "widthPixels": 640,
                            "heightPixels": 360,
                        }
                    },
                }
            }
        },
    ]


@dataclass
class ReportTab:
    """The Report tab as read: row identity (its English label, casefolded) -> (text, row
    number); and what could not be read. Labels read in any shipped language."""

    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    present: bool = True

    @classmethod
    def parse(cls, rows: Sequence[Sequence[Any]] | None) -> ReportTab:
        if rows is None:
            return cls(present=False)
        values: dict[str, tuple[str, int]] = {}
        for number, row in enumerate(rows, start=1):
            if number == 1 or not row:
                continue
            label = label_identity(str(row[0]))
            text = str(row[1]).strip() if len(row) > 1 else ""
            if label and text and label not in values:
                values[label] = (text, number)
        return cls(values)

    def get(self, label: str) -> str:
        return self.values.get(label.casefold(), ("", 0))[0]

    def row(self, label: str) -> int:
        return self.values.get(label.casefold(), ("", 0))[1]

    def numbered(self, prefix: str) -> list[str]:
        """Values of "<prefix> 1", "<prefix> 2", ... in number order (gaps allowed)."""
        found = []
        stem = prefix.casefold() + " "
        for label, (text, _) in self.values.items():
            rest = label[len(stem) :] if label.startswith(stem) else ""
            if rest.isdigit():
                found.append((int(rest), text))
        return [text for _, text in sorted(found)]


# -- sync: the chart's data follows the Doc; older Sheets get the tab and the chart once --------


def on_sync(
    api: GoogleApi,
    spreadsheet_id: str,
    config: SessionConfig,
    contributions: Sequence[Contribution],
    changes_sheet: bool,
    tabs: SheetTabs = ENGLISH_TABS,
) -> list[dict[str, Any]]:
    """What sync adds to its own Sheet write: the chart's data, only when sync writes anyway
    (so a sync with nothing new costs no extra request). A Sheet made before the Report tab
    existed gets the tab, the chart and its data in one request, once."""
    counts = count_contributions(config, contributions)
    if not config.facts.get(LAYOUT_FACT):
        upgrade(api, spreadsheet_id, config, counts, tabs)
    if not changes_sheet:
        return []
    start = chart_start_row(config)
    rows = chart_rows(config, counts)
    return [
        {
            "range": tabs.range(MATRIX, f"A{start + 1}:C{start + len(rows)}"),
            "majorDimension": "ROWS",
            "values": rows,
        }
    ]


def upgrade(
    api: GoogleApi,
    spreadsheet_id: str,
    config: SessionConfig,
    counts: Counter[tuple[str, str]],
    tabs: SheetTabs = ENGLISH_TABS,
) -> None:
    """Add the Report tab and the chart to a Sheet made by an older gdoc-sync, and note it in
    the configuration's facts so that it happens once. The tab is titled in the session's
    language when the Contributions tab is, else in English, as the older Sheet's tabs are."""
    facts = {**config.facts, LAYOUT_FACT: LAYOUT_VERSION}
    rows = config_rows(config)
    facts_row = next(i for i, row in enumerate(rows) if row[0] == "facts")
    own = SheetTabs.in_language(session_language(config.facts))
    title = own[REPORT] if tabs[CONTRIBUTIONS] == own[CONTRIBUTIONS] else ENGLISH_TABS[REPORT]
    requests = setup_requests(config, counts, title)
    try:
        api.update_spreadsheet(spreadsheet_id, requests, idempotent=False)
    except AlreadyExists:
        pass  # another sync added them first: only the note in the facts may be missing
    api.update_values(
        spreadsheet_id,
        [
            {
                "range": tabs.range(CONFIG, f"B{facts_row + 1}"),
                "values": [[json.dumps(facts, ensure_ascii=False)]],
            }
        ],
    )
    config.facts[LAYOUT_FACT] = LAYOUT_VERSION
