"""The report's side of the companion Sheet: the Report tab the rapporteur fills in, and the
chart of contributions per stakeholder group and channel on the Matrix tab, with its data."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.core.model import Channel, Contribution, SessionConfig
from gdoc_sync.core.reconcile import duplicate_key
from gdoc_sync.core.sheet import CONFIG, MATRIX, MATRIX_ID, config_rows, quote_sheet
from gdoc_sync.errors import AlreadyExists
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.locales.texts import session_language, texts

REPORT = "Report"
REPORT_ID = 105
CHART_ID = 106
# In the session's facts (the hidden config tab): the Sheet has the Report tab and the chart.
LAYOUT_FACT = "report_layout"
LAYOUT_VERSION = 1
OTHER_GROUP = "Other or not recorded"
CHANNELS = (str(Channel.onsite), str(Channel.online))
TAKEAWAYS = 3  # rows set up for each; the rapporteur may add more ("Key takeaway 4")

REPORT_HEADER = ("Field", "Your text", "What the IGF session report asks")


@dataclass(frozen=True)
class ReportField:
    """One row of the Report tab: its label (what gdoc-sync reads by) and the form's ask."""

    label: str
    hint: str


def report_fields(config: SessionConfig) -> list[ReportField]:
    """The rows the Report tab starts with, in the order of the IGF report form."""
    fields = [
        ReportField(
            f"Key takeaway {n}",
            "Short report, due hours after the session: one of up to three key takeaways "
            "(one or two sentences)",
        )
        for n in range(1, TAKEAWAYS + 1)
    ]
    fields += [
        ReportField(
            f"Call to action {n}",
            "Short report: one of up to three calls to action, naming who should act",
        )
        for n in range(1, TAKEAWAYS + 1)
    ]
    if not config.facts.get("end"):
        fields.append(ReportField("End time", "Session details: when the session ended (HH:MM)"))
    for q in config.questions:
        fields.append(
            ReportField(
                f"Summary {q.id}",
                f"Full report: a summary of the discussion of policy question {q.id}",
            )
        )
    if config.hybrid:
        fields.append(
            ReportField("Summary online", "Full report: a summary of the online discussion")
        )
    fields += [
        ReportField("Participants onsite", "Gender report card: how many people were in the room"),
        ReportField("Participants online", "Gender report card: how many people joined online"),
        ReportField(
            "Women and gender-diverse onsite",
            "Gender report card: how many of the people onsite were women or gender-diverse",
        ),
        ReportField(
            "Women and gender-diverse online",
            "Gender report card: how many of the people online were women or gender-diverse",
        ),
        ReportField(
            "Gender issues discussed",
            "Gender report card: to what extent the session discussed gender issues, and what "
            "was said",
        ),
    ]
    return fields


def report_tab_rows(config: SessionConfig) -> list[list[str]]:
    return [list(REPORT_HEADER)] + [[f.label, "", f.hint] for f in report_fields(config)]


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
    return {
        "title": "Contributions by stakeholder group and channel",
        "basicChart": {
            "chartType": "COLUMN",
            "legendPosition": "BOTTOM_LEGEND",
            "stackedType": "STACKED",
            "headerCount": 1,
            "axis": [
                {"position": "BOTTOM_AXIS", "title": "Speaker's stakeholder group"},
                {"position": "LEFT_AXIS", "title": "Contributions"},
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
    config: SessionConfig, counts: Counter[tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    """The Report tab, the chart's data under the matrix and the chart: requests that follow
    the Sheet's own layout in the same batchUpdate (create), or make up one (an older Sheet)."""
    rows = report_tab_rows(config)
    start = chart_start_row(config)
    data = chart_rows(config, counts or Counter())
    return [
        {
            "addSheet": {
                "properties": {
                    "sheetId": REPORT_ID,
                    "title": REPORT,
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
    """The Report tab as read: label -> (text, row number); and what could not be read."""

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
            label = " ".join(str(row[0]).split()).casefold()
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
) -> list[dict[str, Any]]:
    """What sync adds to its own Sheet write: the chart's data, only when sync writes anyway
    (so a sync with nothing new costs no extra request). A Sheet made before the Report tab
    existed gets the tab, the chart and its data in one request, once."""
    counts = count_contributions(config, contributions)
    if not config.facts.get(LAYOUT_FACT):
        upgrade(api, spreadsheet_id, config, counts)
    if not changes_sheet:
        return []
    start = chart_start_row(config)
    rows = chart_rows(config, counts)
    return [
        {
            "range": f"{quote_sheet(MATRIX)}!A{start + 1}:C{start + len(rows)}",
            "majorDimension": "ROWS",
            "values": rows,
        }
    ]


def upgrade(
    api: GoogleApi, spreadsheet_id: str, config: SessionConfig, counts: Counter[tuple[str, str]]
) -> None:
    """Add the Report tab and the chart to a Sheet made by an older gdoc-sync, and note it in
    the configuration's facts so that it happens once."""
    facts = {**config.facts, LAYOUT_FACT: LAYOUT_VERSION}
    rows = config_rows(config)
    facts_row = next(i for i, row in enumerate(rows) if row[0] == "facts")
    requests = setup_requests(config, counts)
    try:
        api.update_spreadsheet(spreadsheet_id, requests, idempotent=False)
    except AlreadyExists:
        pass  # another sync added them first: only the note in the facts may be missing
    api.update_values(
        spreadsheet_id,
        [
            {
                "range": f"{quote_sheet(CONFIG)}!B{facts_row + 1}",
                "values": [[json.dumps(facts, ensure_ascii=False)]],
            }
        ],
    )
    config.facts[LAYOUT_FACT] = LAYOUT_VERSION
