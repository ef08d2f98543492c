"""The companion Sheet's layout: its tabs, its columns, and the hidden configuration tab."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gdoc_sync.core.a1 import column_letter as column_letter
from gdoc_sync.core.a1 import quote_sheet as quote_sheet
from gdoc_sync.core.model import FORMAT_VERSION, PolicyQuestion, SessionConfig, StakeholderGroup
from gdoc_sync.core.text import (
    CELL_LIMIT as CELL_LIMIT,  # Sheets' limit; gdoc_sync/core/text.py makes text fit
)
from gdoc_sync.core.text import fit_cell as fit_cell
from gdoc_sync.errors import SessionError
from gdoc_sync.locales import LANGUAGES
from gdoc_sync.locales.texts import (
    channel_identity,
    column_identity,
    session_language,
    status_identity,
    texts,
)

# The tabs' identities (their English titles): what the code names them by. Each tab's title
# is in the session's language (SheetTabs), and a Sheet is read by the titles it has.
CONTRIBUTIONS = "Contributions"
MATRIX = "Matrix"
ACTIONS = "Action points"
CONFIG = "gdoc-sync config"
REPORT = "Report"
# The locale pack's key of each tab's title.
TAB_TEXTS = {
    CONTRIBUTIONS: "tab.contributions",
    MATRIX: "tab.matrix",
    ACTIONS: "tab.actions",
    REPORT: "tab.report",
    CONFIG: "tab.config",
}

# Tool-owned columns: sync rewrites these, nothing else.
ID = "ID"
QUESTION = "Question"
ADDRESSEES = "Addressees"
TEXT = "Contribution"
SPEAKER = "Speaker"
PROPOSER = "Proposer group"
CHANNEL = "Channel"
STATUS = "Status"
FIRST_SEEN = "First seen"
LAST_CHANGED = "Last changed"
TOOL_COLUMNS = (
    ID,
    QUESTION,
    ADDRESSEES,
    TEXT,
    SPEAKER,
    PROPOSER,
    CHANNEL,
    STATUS,
    FIRST_SEEN,
    LAST_CHANGED,
)
# Human-owned columns: people curate here; gdoc-sync only ever reads them.
INCLUDE = "Include"
FINAL_WORDING = "Final wording"
PRIORITY = "Priority"
NOTE = "Rapporteur note"
HUMAN_COLUMNS = (INCLUDE, FINAL_WORDING, PRIORITY, NOTE)
# Sync's own bookkeeping, after the people's columns: what it has to say about a row (a kept
# override, a duplicate, a row it may be), and, hidden, the record of what it last wrote there.
SYNC_NOTE = "Sync note"
RECORD = "Sync record"
BOOKKEEPING_COLUMNS = (SYNC_NOTE, RECORD)
HEADER = TOOL_COLUMNS + HUMAN_COLUMNS + BOOKKEEPING_COLUMNS
# The cells a person may correct in the Sheet: sync keeps such a correction (an override) for as
# long as it differs from what sync last wrote there, and says so in the row's Sync note.
OVERRIDABLE = (QUESTION, ADDRESSEES, TEXT, SPEAKER, PROPOSER, CHANNEL, STATUS)
_RECORD_KEYS = dict(zip(OVERRIDABLE, ("q", "a", "t", "s", "p", "c", "st"), strict=True))

ACTION_HEADER = (
    "Stakeholder group",
    "#",
    "Action point",
    "Contribution ID",
    "Question",
    "Proposer group",
    "Channel",
    "Priority",
)

ID_PATTERN = re.compile(r"^C(\d+)$")


def id_number(value: str) -> int | None:
    """7 for "C0007"; None for anything that is not a contribution id."""
    m = ID_PATTERN.match(value.strip())
    return int(m.group(1)) if m else None


def value_hash(value: str) -> str:
    """A short fingerprint of a cell's text; blanks, line ends and Unicode forms do not count."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    # CRC-32: a check against accidents (a person's edit matching by chance: 1 in 4 billion),
    # not against tampering; the fastest such sum in the standard library.
    return f"{zlib.crc32(' '.join(value.split()).encode('utf-8')):08x}"


@dataclass(frozen=True)
class RowRecord:
    """What sync last wrote into a row: the id it wrote for, and a fingerprint per column."""

    id: str
    hashes: dict[str, str]

    def render(self) -> str:
        parts = [f"{_RECORD_KEYS[name]}:{self.hashes[name]}" for name in OVERRIDABLE]
        return " ".join([self.id, *parts])

    @classmethod
    def of(cls, cid: str, values: dict[str, str]) -> RowRecord:
        return cls(cid, {name: value_hash(values[name]) for name in OVERRIDABLE})

    @classmethod
    def parse(cls, text: str) -> RowRecord | None:
        """None for a blank or damaged cell: the row is then read as sync's, as before records."""
        words = text.split()
        if not words or id_number(words[0]) is None:
            return None
        by_key = dict(w.split(":", 1) for w in words[1:] if ":" in w)
        hashes = {}
        for name, key in _RECORD_KEYS.items():
            if key not in by_key:
                return None
            hashes[name] = by_key[key]
        return cls(words[0], hashes)


def addressee_groups(cell: str, config: SessionConfig) -> tuple[list[str], list[str]]:
    """The group keys an Addressees cell names, in the template's order, and the parts that name
    no group. The one reading of the cell, for the Matrix, finalize and the report alike: a name,
    a key, an alias or "All", separated by ";" (as sync writes them) or "," "&" "/"."""
    by_name, matcher = _group_reader(config.groups)
    found: set[str] = set()
    unknown: list[str] = []
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        key = by_name.get(part.casefold())
        keys = (key,) if key else matcher.match_list(part)
        if keys:
            found.update(keys)
        else:
            unknown.append(part)
    return [g.key for g in config.groups if g.key in found], unknown


@functools.lru_cache(maxsize=16)
def _group_reader(groups: tuple[StakeholderGroup, ...]) -> tuple[dict[str, str], Any]:
    from gdoc_sync.core.groups import GroupMatcher  # pure; imported here to keep this module light

    by_name = {g.name.casefold(): g.key for g in groups}
    by_name.update({g.key.casefold(): g.key for g in groups})
    return by_name, GroupMatcher(groups)


@dataclass(frozen=True)
class SheetTabs:
    """The titles one Sheet's tabs have, by identity (CONTRIBUTIONS, MATRIX...): in the session's
    language for a Sheet made since tabs have one, English before, or whatever people renamed
    them to. A tab not listed has its English title."""

    titles: tuple[tuple[str, str], ...] = ()

    def __getitem__(self, identity: str) -> str:
        return dict(self.titles).get(identity, identity)

    def range(self, identity: str, cells: str = "") -> str:
        """A1 notation of `cells` in a tab, its title quoted ('Points d''action'!A1)."""
        quoted = quote_sheet(self[identity])
        return f"{quoted}!{cells}" if cells else quoted

    def as_dict(self) -> dict[str, str]:
        return dict(self.titles)

    @classmethod
    def of(cls, titles: Mapping[str, Any] | None) -> SheetTabs:
        """From a mapping identity -> title (as kept in the local state); unknown keys dropped."""
        return cls(
            tuple(
                (identity, str(title))
                for identity, title in (titles or {}).items()
                if identity in TAB_TEXTS and isinstance(title, str) and title
            )
        )

    @classmethod
    def in_language(cls, language: str) -> SheetTabs:
        """The titles create gives a Sheet in `language`."""
        t = texts(language)
        return cls(tuple((identity, str(t[key])) for identity, key in TAB_TEXTS.items()))

    @classmethod
    def from_metadata(cls, meta: Mapping[str, Any]) -> SheetTabs:
        """The titles a spreadsheets.get (sheets.properties(sheetId,title)) shows: each tab found
        by the sheetId create gave it, whatever it is called now; a tab re-created by hand (another
        sheetId) by its title in any shipped language."""
        sheets = [s.get("properties", {}) for s in meta.get("sheets", [])]
        by_id = {p.get("sheetId"): str(p.get("title", "")) for p in sheets}
        by_title = {str(p.get("title", "")).casefold(): str(p.get("title", "")) for p in sheets}
        found = []
        for identity, sheet_id in SHEET_IDS.items():
            title = by_id.get(sheet_id)
            if title is None:
                title = next((by_title[n] for n in _tab_titles(identity) if n in by_title), None)
            if title is not None:
                found.append((identity, title))
        return cls(tuple(found))

    def missing(self, identities: Sequence[str]) -> list[str]:
        have = dict(self.titles)
        return [identity for identity in identities if identity not in have]


def _tab_titles(identity: str) -> list[str]:
    """A tab's title in every shipped language, casefolded, English first."""
    return list(
        dict.fromkeys(
            str(texts(language)[TAB_TEXTS[identity]]).casefold() for language in LANGUAGES
        )
    )


ENGLISH_TABS = SheetTabs.in_language("en")


@dataclass
class ContributionsTab:
    """The Contributions tab as read: where each column is, and each row's cells by column."""

    header: list[str]  # each column's identity (the English names above), whatever it shows
    rows: list[list[str]]  # data rows, from the second row on; statuses and channels as identities
    language: str = "en"  # the language the tab's header is written in: what sync writes in it
    shown_header: list[str] | None = None  # the header cells as people see them
    tabs: SheetTabs = ENGLISH_TABS  # the titles of this Sheet's tabs, as read

    def column(self, name: str) -> int:
        try:
            return self.header.index(name)
        except ValueError:
            shown = str(texts(self.language)["columns"].get(name, name))
            found = ", ".join(h for h in (self.shown_header or self.header) if h) or "nothing"
            raise SessionError(
                f"the {self.tabs[CONTRIBUTIONS]} tab has no column {shown!r} in its header row "
                f"(found: {found}); name a header "
                f"cell {shown!r} again (Edit > Undo, or type it back), then sync again"
            ) from None

    def contribution_rows(self) -> Iterator[tuple[str, list[str]]]:
        """(id, row) of each contribution, the first row of an id only, in the tab's order."""
        id_col = self.column(ID)
        seen: set[str] = set()
        for row in self.rows:
            cid = row[id_col].strip() if id_col < len(row) else ""
            if id_number(cid) is None or cid in seen:
                continue
            seen.add(cid)
            yield cid, row

    def cell(self, row: list[str], name: str) -> str:
        index = self.column(name)
        return row[index] if index < len(row) else ""

    def has(self, name: str) -> bool:
        return name in self.header

    def record(self, row: list[str]) -> RowRecord | None:
        return RowRecord.parse(self.cell(row, RECORD)) if self.has(RECORD) else None

    def shown_column(self, name: str) -> str:
        """A column's header as people see it in this tab."""
        if self.shown_header is not None and name in self.header:
            return self.shown_header[self.header.index(name)]
        return str(texts(self.language)["columns"].get(name, name))

    def shown(self, name: str, value: str) -> str:
        """A value of column `name` as the tab's language writes it (statuses, channels)."""
        return shown_value(name, value, self.language)

    @classmethod
    def parse(
        cls,
        values: list[list[Any]],
        recorded: dict[str, str] | None = None,
        tabs: SheetTabs = ENGLISH_TABS,
    ) -> ContributionsTab:
        """Columns are found by identity: the header texts the config tab recorded (`recorded`,
        shown text to identity), else any shipped language's, else English (Sheets made before
        languages). Status and Channel cells in any shipped language read as their identity."""
        if not values:
            raise SessionError(f"the {tabs[CONTRIBUTIONS]} tab is empty: its header row is gone")
        shown_header = [str(h).strip() for h in values[0]]
        header = [(recorded or {}).get(h) or column_identity(h) for h in shown_header]
        rows = [[str(c) for c in row] for row in values[1:]]
        _identify_by_records(header, rows)
        language = _header_language(shown_header, header)
        for name, read in (
            (STATUS, status_identity),
            (CHANNEL, channel_identity),
            (QUESTION, section_identity),
        ):
            if name in header:
                index = header.index(name)
                for row in rows:
                    if index < len(row) and row[index]:
                        row[index] = read(row[index])
        tab = cls(header, rows, language, shown_header, tabs)
        for name in TOOL_COLUMNS:
            tab.column(name)
        seen: dict[str, int] = {}
        for index, name in enumerate(header):
            if name in TOOL_COLUMNS and name in seen:
                raise SessionError(
                    f"the {tabs[CONTRIBUTIONS]} tab has column {shown_header[index]!r} twice "
                    f"({column_letter(seen[name])}1 and {column_letter(index)}1)"
                )
            seen[name] = index
        return tab


def _identify_by_records(header: list[str], rows: list[list[str]]) -> None:
    """Sync's columns whose header a person renamed (to words no pack knows, and the config did
    not record), found by their cells: each row's hidden Sync record holds a fingerprint of what
    sync last wrote in each of them. A column is taken for one only when its non-blank cells
    match that fingerprint in at least four rows out of five (a few people's corrections) and no
    other unknown column fits; anything less leaves the header unknown (and sync says so)."""
    missing = [name for name in OVERRIDABLE if name not in header]
    if not missing or RECORD not in header:
        return
    at = header.index(RECORD)
    parsed = [(row, RowRecord.parse(row[at]) if at < len(row) else None) for row in rows]
    records = [(row, record) for row, record in parsed if record is not None]
    unknown = [i for i, name in enumerate(header) if name not in HEADER]
    found: dict[str, list[int]] = {}
    for name in missing:
        for i in unknown:
            match = miss = 0
            for row, record in records:
                cell = row[i] if i < len(row) else ""
                if not cell.strip():
                    continue
                readings = {cell, status_identity(cell), channel_identity(cell)}
                readings.add(section_identity(cell))
                if record.hashes[name] in {value_hash(v) for v in readings}:
                    match += 1
                else:
                    miss += 1
            if match and match >= 4 * miss:
                found.setdefault(name, []).append(i)
    taken = [i for columns in found.values() if len(columns) == 1 for i in columns]
    for name, columns in found.items():
        if len(columns) == 1 and taken.count(columns[0]) == 1:
            header[columns[0]] = name


def _header_language(shown: list[str], header: list[str]) -> str:
    """The language most of the header is in (a renamed cell or two do not change it)."""
    best, most = "en", 0
    for language in LANGUAGES:
        columns = texts(language)["columns"]
        count = sum(
            1
            for text, name in zip(shown, header, strict=True)
            if name in columns and str(columns[name]).casefold() == text.casefold()
        )
        if count > most:
            best, most = language, count
    return best


def shown_value(name: str, value: str, language: str) -> str:
    """A Status or Channel identity as `language` writes it in the Sheet; others as they are."""
    if name == STATUS:
        return str(texts(language)["statuses"].get(value, value))
    if name == CHANNEL:
        return str(texts(language)["channels"].get(value, value))
    if name == QUESTION and value == "online":  # the online discussion's section
        return str(texts(language)["channels"]["online"])
    return value


def section_identity(value: str) -> str:
    """A Question cell: "online" for the online discussion in any shipped language."""
    return "online" if channel_identity(value) == "online" else value


def header_row(language: str, names: Sequence[str] = HEADER) -> list[str]:
    """The Contributions tab's header cells in a language."""
    columns = texts(language)["columns"]
    return [str(columns.get(name, name)) for name in names]


def action_header(language: str) -> list[str]:
    """The Action points tab's header cells in a language."""
    columns = texts(language)["action_columns"]
    return [str(columns.get(name, name)) for name in ACTION_HEADER]


def recorded_columns(values: Sequence[Sequence[Any]]) -> dict[str, str]:
    """The Contributions tab's header texts the config tab recorded, each to its column's
    identity (rows "column", identity, shown text); none in a Sheet made before languages."""
    out: dict[str, str] = {}
    for raw in values[1:]:
        row = [str(c).strip() for c in raw] + ["", "", ""]
        if row[0] == "column" and row[1] in HEADER and row[2]:
            out[row[2]] = row[1]
    return out


# -- the hidden configuration tab ---------------------------------------------------------------


def config_rows(config: SessionConfig) -> list[list[str]]:
    """The configuration as rows a person can read, and gdoc-sync can read back."""
    rows: list[list[str]] = [
        ["gdoc-sync session configuration: read by every command; edit with care", "", "", ""],
        ["format_version", str(config.format_version), "", ""],
        ["session_id", config.session_id, "", ""],
        ["title", config.title, "", ""],
        ["document_id", config.document_id, "", ""],
        ["spreadsheet_id", config.spreadsheet_id, "", ""],
        ["hybrid", "TRUE" if config.hybrid else "FALSE", "", ""],
        ["facts", json.dumps(config.facts, ensure_ascii=False), "", ""],
    ]
    for group in config.groups:
        rows.append(["group", group.key, group.name, ", ".join(group.aliases)])
    # The columns' identities: sync finds them by these, whatever language their header is in.
    language = session_language(config.facts)
    for name, shown in zip(HEADER, header_row(language), strict=True):
        rows.append(["column", name, shown, ""])
    for question in config.questions:
        rows.append(
            [
                "question",
                question.id,
                question.text,
                json.dumps(list(question.prompts), ensure_ascii=False),
            ]
        )
    return rows


def parse_config(values: Sequence[Sequence[Any]], tabs: SheetTabs = ENGLISH_TABS) -> SessionConfig:
    """Read the configuration tab back; every problem names its row."""
    scalars: dict[str, str] = {}
    groups: list[StakeholderGroup] = []
    questions: list[PolicyQuestion] = []
    where = f"the hidden {tabs[CONFIG]!r} tab"
    for number, raw in enumerate(values, start=1):
        row = [str(c).strip() for c in raw] + ["", "", "", ""]
        kind = row[0]
        if number == 1 or not kind or kind == "column":
            continue
        if kind == "group":
            if not row[1] or not row[2]:
                raise SessionError(
                    f"{where}, row {number}: a group row needs a key (B) and a name (C)"
                )
            aliases = tuple(a.strip() for a in row[3].split(",") if a.strip())
            groups.append(StakeholderGroup(row[1], row[2], aliases))
        elif kind == "question":
            if not row[1] or not row[2]:
                raise SessionError(
                    f"{where}, row {number}: a question row needs an id (B) and its text (C)"
                )
            try:
                prompts = tuple(json.loads(row[3])) if row[3] else ()
            except ValueError:
                raise SessionError(
                    f"{where}, row {number}: column D must be a JSON list of prompts"
                ) from None
            questions.append(PolicyQuestion(row[1], row[2], prompts))
        else:
            scalars[kind] = row[1]
    for key in ("format_version", "session_id", "document_id"):
        if not scalars.get(key):
            raise SessionError(f"{where} has no {key!r} row: was it edited by hand?")
    try:
        version = int(scalars["format_version"])
    except ValueError:
        raise SessionError(
            f"{where}: format_version {scalars['format_version']!r} is not a number"
        ) from None
    if version > FORMAT_VERSION:
        raise SessionError(
            f"{where}: format version {version} is newer than this gdoc-sync "
            f"understands ({FORMAT_VERSION}); upgrade gdoc-sync"
        )
    if not groups:
        raise SessionError(f"{where} lists no stakeholder groups")
    if not questions:
        raise SessionError(f"{where} lists no policy questions")
    try:
        facts = json.loads(scalars.get("facts") or "{}")
    except ValueError:
        raise SessionError(f"{where}: the facts row is not valid JSON") from None
    return SessionConfig(
        session_id=scalars["session_id"],
        title=scalars.get("title", ""),
        groups=tuple(groups),
        questions=tuple(questions),
        hybrid=scalars.get("hybrid", "TRUE").upper() == "TRUE",
        document_id=scalars["document_id"],
        spreadsheet_id=scalars.get("spreadsheet_id", ""),
        format_version=version,
        facts=facts if isinstance(facts, dict) else {},
    )


def matrix_rows(
    config: SessionConfig,
    cells: dict[tuple[str, str], list[str]],
    unassigned: dict[str, list[str]],
) -> list[list[Any]]:
    """Stakeholder groups by policy questions: each cell lists action points, with counts."""
    t = texts(session_language(config.facts))
    qids = [q.id for q in config.questions] + (["online"] if config.hybrid else [])
    header = (
        [t["matrix.group"]]
        + [f"{q.id}. {q.text}" for q in config.questions]
        + ([t["matrix.online"]] if config.hybrid else [])
        + [t["matrix.total"]]
    )
    rows: list[list[Any]] = [header]
    column_totals = [0] * len(qids)

    def counted(label: str, by_question: list[list[str]]) -> list[Any]:
        for i, items in enumerate(by_question):
            column_totals[i] += len(items)
        shown = [fit_cell("\n".join(items)) for items in by_question]
        return [label, *shown, sum(len(items) for items in by_question)]

    for group in config.groups:
        rows.append(counted(group.name, [cells.get((group.key, q), []) for q in qids]))
    rows.append(counted(t["matrix.unassigned"], [unassigned.get(q, []) for q in qids]))
    rows.append([t["matrix.total"], *column_totals, sum(column_totals)])
    return rows


# -- creating the Sheet ------------------------------------------------------------------------

CONTRIBUTIONS_ID = 101
MATRIX_ID = 102
ACTIONS_ID = 103
CONFIG_ID = 104
REPORT_ID = 105
# create gives each tab this sheetId (Sheets keeps it for good): a tab is found by it, whatever
# its title is, in any language or renamed by hand.
SHEET_IDS = {
    CONTRIBUTIONS: CONTRIBUTIONS_ID,
    MATRIX: MATRIX_ID,
    ACTIONS: ACTIONS_ID,
    CONFIG: CONFIG_ID,
    REPORT: REPORT_ID,
}
DEFAULT_SHEET_ID = 0  # Drive creates a spreadsheet with one "Sheet1", sheetId 0
# Room for this many rows in the Contributions and Action points tabs, so that a sync or a
# finalize fits in one write; beyond it they grow the tab first (one more request).
LIST_ROWS = 5000
GROW_ROWS = 5000


def grow_requests(
    sheet_id: int, row_count: int, needed: int, *, checkbox_column: int | None
) -> list[dict[str, Any]]:
    """Requests that give a tab at least `needed` rows, with checkboxes in the new rows."""
    if needed <= row_count:
        return []
    length = needed - row_count + GROW_ROWS
    requests: list[dict[str, Any]] = [
        {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": length}}
    ]
    if checkbox_column is not None:
        requests.append(
            {
                "setDataValidation": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": row_count,
                        "endRowIndex": row_count + length,
                        "startColumnIndex": checkbox_column,
                        "endColumnIndex": checkbox_column + 1,
                    },
                    "rule": {"condition": {"type": "BOOLEAN"}, "strict": True},
                }
            }
        )
    return requests


def _text_cells(values: Sequence[Any]) -> dict[str, Any]:
    cells: list[dict[str, Any]] = []
    for value in values:
        if isinstance(value, bool):
            cells.append({"userEnteredValue": {"boolValue": value}})
        elif isinstance(value, int | float):
            cells.append({"userEnteredValue": {"numberValue": value}})
        else:
            cells.append({"userEnteredValue": {"stringValue": str(value)}})
    return {"values": cells}


def _write(sheet_id: int, rows: Sequence[Sequence[Any]], row: int = 0) -> dict[str, Any]:
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": 0},
            "rows": [_text_cells(r) for r in rows],
            "fields": "userEnteredValue",
        }
    }


_HEADER_BLUE = {
    "userEnteredFormat": {
        "textFormat": {"bold": True},
        "backgroundColor": {"red": 0.9, "green": 0.93, "blue": 0.98},
    }
}
_HEADER_YELLOW = {  # the columns people fill in
    "userEnteredFormat": {
        "textFormat": {"bold": True},
        "backgroundColor": {"red": 0.99, "green": 0.95, "blue": 0.8},
    }
}


def setup_requests(config: SessionConfig) -> list[dict[str, Any]]:
    """One batchUpdate that turns Drive's new, empty spreadsheet into the session's Sheet: the
    tabs, what they say first, how their headers look, what is protected, column widths."""
    matrix = matrix_rows(config, {}, {})
    return (
        _tab_requests(SheetTabs.in_language(session_language(config.facts)), len(matrix[0]))
        + _content_requests(config, matrix)
        + _format_requests(len(matrix[0]))
        + _protect_requests()
        + _layout_requests(len(matrix[0]))
    )


def _tab_requests(tabs: SheetTabs, matrix_columns: int) -> list[dict[str, Any]]:
    """The four tabs (the configuration's hidden), titled in the session's language, in place
    of Drive's default one."""
    return [
        _add_sheet(
            CONTRIBUTIONS_ID, tabs[CONTRIBUTIONS], 0, len(HEADER), frozen_columns=1, rows=LIST_ROWS
        ),
        _add_sheet(MATRIX_ID, tabs[MATRIX], 1, matrix_columns, frozen_columns=1),
        _add_sheet(ACTIONS_ID, tabs[ACTIONS], 2, len(ACTION_HEADER), rows=LIST_ROWS),
        _add_sheet(CONFIG_ID, tabs[CONFIG], 3, 4, hidden=True),
        {"deleteSheet": {"sheetId": DEFAULT_SHEET_ID}},
    ]


def _content_requests(config: SessionConfig, matrix: list[list[Any]]) -> list[dict[str, Any]]:
    """The headers in the session's language, the empty Matrix and the configuration."""
    language = session_language(config.facts)
    return [
        _write(CONTRIBUTIONS_ID, [header_row(language)]),
        _write(MATRIX_ID, matrix),
        _write(ACTIONS_ID, [action_header(language)]),
        _write(CONFIG_ID, config_rows(config)),
    ]


def _format_requests(matrix_columns: int) -> list[dict[str, Any]]:
    """Bold headers, the people's columns tinted; Include a checkbox on every row."""
    n_tool = len(TOOL_COLUMNS)
    include_col = HEADER.index(INCLUDE)
    return [
        _header_format(CONTRIBUTIONS_ID, 0, n_tool, _HEADER_BLUE),
        _header_format(CONTRIBUTIONS_ID, n_tool, n_tool + len(HUMAN_COLUMNS), _HEADER_YELLOW),
        _header_format(CONTRIBUTIONS_ID, n_tool + len(HUMAN_COLUMNS), len(HEADER), _HEADER_BLUE),
        _header_format(MATRIX_ID, 0, matrix_columns, _HEADER_BLUE),
        _header_format(ACTIONS_ID, 0, len(ACTION_HEADER), _HEADER_BLUE),
        {
            "setDataValidation": {
                "range": {
                    "sheetId": CONTRIBUTIONS_ID,
                    "startRowIndex": 1,
                    "endRowIndex": LIST_ROWS,
                    "startColumnIndex": include_col,
                    "endColumnIndex": include_col + 1,
                },
                "rule": {"condition": {"type": "BOOLEAN"}, "strict": True},
            }
        },
    ]


def _protect_requests() -> list[dict[str, Any]]:
    """Warnings (not locks) on the headers sync finds columns by, and on the configuration."""
    return [
        _protect_header(CONTRIBUTIONS_ID, "gdoc-sync finds columns by these names"),
        _protect_header(MATRIX_ID, "written by gdoc-sync sync"),
        _protect_header(ACTIONS_ID, "written by gdoc-sync finalize"),
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": CONFIG_ID},
                    "description": "gdoc-sync session configuration",
                    "warningOnly": True,
                }
            }
        },
    ]


def _layout_requests(matrix_columns: int) -> list[dict[str, Any]]:
    """Wide columns for people's words; the row record hidden."""
    n_tool = len(TOOL_COLUMNS)
    text_col = TOOL_COLUMNS.index(TEXT)
    return [
        _column_width(CONTRIBUTIONS_ID, text_col, text_col + 1, 420),
        _column_width(CONTRIBUTIONS_ID, n_tool + 1, n_tool + 2, 320),
        _column_width(MATRIX_ID, 1, matrix_columns - 1, 300),
        hide_column(CONTRIBUTIONS_ID, HEADER.index(RECORD)),
    ]


def _add_sheet(
    sheet_id: int,
    title: str,
    index: int,
    columns: int,
    *,
    hidden: bool = False,
    frozen_rows: int = 1,
    frozen_columns: int = 0,
    rows: int = 1000,
) -> dict[str, Any]:
    return {
        "addSheet": {
            "properties": {
                "sheetId": sheet_id,
                "title": title,
                "index": index,
                "hidden": hidden,
                "gridProperties": {
                    "rowCount": rows,
                    "columnCount": columns,
                    "frozenRowCount": frozen_rows,
                    "frozenColumnCount": frozen_columns,
                },
            }
        }
    }


def _header_format(sheet_id: int, start: int, end: int, fmt: dict[str, Any]) -> dict[str, Any]:
    return {
        "repeatCell": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 0,
                "endRowIndex": 1,
                "startColumnIndex": start,
                "endColumnIndex": end,
            },
            "cell": fmt,
            "fields": "userEnteredFormat(textFormat,backgroundColor)",
        }
    }


def _protect_header(sheet_id: int, description: str) -> dict[str, Any]:
    return {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                "description": description,
                "warningOnly": True,
            }
        }
    }


def _column_width(sheet_id: int, start: int, end: int, pixels: int) -> dict[str, Any]:
    return {
        "updateDimensionProperties": {
            "range": {
                "sheetId": sheet_id,
                "dimension": "COLUMNS",
                "startIndex": start,
                "endIndex": end,
            },
            "properties": {"pixelSize": pixels},
            "fields": "pixelSize",
        }
    }


def hide_column(sheet_id: int, index: int) -> dict[str, Any]:
    return {
        "updateDimensionProperties": {
            "range": {
                "sheetId": sheet_id,
                "dimension": "COLUMNS",
                "startIndex": index,
                "endIndex": index + 1,
            },
            "properties": {"hiddenByUser": True},
            "fields": "hiddenByUser",
        }
    }


def bookkeeping_columns_requests(
    sheet_id: int, header: list[str], language: str = "en"
) -> list[dict[str, Any]]:
    """For a Contributions tab made before sync kept notes and records: two more columns, named
    after the last header cell, the record's hidden (one batchUpdate, once)."""
    missing = [name for name in BOOKKEEPING_COLUMNS if name not in header]
    if not missing:
        return []
    first = len(header)
    requests: list[dict[str, Any]] = [
        {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": len(missing)}},
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": first},
                "rows": [_text_cells(header_row(language, missing))],
                "fields": "userEnteredValue",
            }
        },
    ]
    if RECORD in missing:
        requests.append(hide_column(sheet_id, first + missing.index(RECORD)))
    return requests
