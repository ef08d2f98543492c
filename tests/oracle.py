"""The fault suites' oracle: what the Doc, the Sheet and the journal must hold, computed from what
the test typed and wrote, and read back through the client libraries alone.

Nothing here imports gdoc-sync's parse, plan or render code: the expected Sheet rows, Matrix
cells and action list are written out from the test's own inputs (the contributions it typed,
with the groups, speaker and channel a person reading them would see, and the curation it wrote),
so a bug in the product's parser or renderer cannot hide itself by agreeing with the check.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The session's published contract (README), spelled out here rather than imported.
GROUPS = (
    "Investors",
    "Technology companies",
    "Governments and regulators",
    "Civil society",
    "Intergovernmental organisations and the UN",
)
QUESTIONS = ("Q1", "Q2", "Q3", "Q4", "online")
LIVE = ("in doc", "edited")
WITHDRAWN, REMOVED, UNASSIGNED = "withdrawn", "removed from doc", "unassigned"
TABS = ("Contributions", "Matrix", "Action points", "gdoc-sync config")
TOOL = ("ID", "Question", "Addressees", "Contribution", "Speaker", "Proposer group", "Channel")
HUMAN = ("Include", "Final wording", "Priority", "Rapporteur note")
ACTION_HEADER = [
    "Stakeholder group",
    "#",
    "Action point",
    "Contribution ID",
    "Question",
    "Proposer group",
    "Channel",
    "Priority",
]
PRIORITY_WORDS = {"high": 1, "medium": 2, "low": 3}
PROP_SESSION, PROP_ROLE = "gdocSyncSession", "gdocSyncRole"
ANCHOR = "gdoc_sync:c:"
ID_RE = re.compile(r"^C\d{4,}$")
JOURNAL_ID_RE = re.compile(r'"(C\d{4,})"')  # any JSON string that is an id


def words(text: str) -> str:
    """Text as a reader compares it: NFC, without characters Docs and Sheets cannot keep
    (private use, controls, lone surrogates; Word's bullet U+F0B7 may also become the bullet
    glyph it shows, so that glyph does not count), whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\u2022", "")  # Word's bullet, shown
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Co", "Cc", "Cs"))
    return " ".join(kept.split())


@dataclass
class Typed:
    """One contribution a person typed, and what a reader knows it says."""

    question: str
    line: str
    groups: tuple[str, ...]
    body: str
    speaker: str = ""
    proposer: str = ""
    channel: str = "onsite"
    withdrawn: bool = False
    in_doc: bool = True
    copies: int = 1  # a person pasted it this many times
    synced: bool = False  # a sync that completed has seen it (it must have a row)
    cid: str = ""  # read back from the Sheet once synced
    former: list[str] = field(default_factory=list)  # its earlier wordings


@dataclass
class Model:
    """The session as the test made it: what was typed, edited, removed and curated."""

    typed: dict[str, Typed] = field(default_factory=dict)
    curation: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> human cells
    added_column: str = ""  # a column a person added to Contributions
    added_cells: dict[str, str] = field(default_factory=dict)  # id -> its cell
    finalized: bool = False  # a finalize completed since the last curation change
    rows_deleted: set[str] = field(default_factory=set)  # ids whose row a person deleted

    def copy(self) -> Model:
        return Model(
            {k: Typed(**{**vars(t), "former": list(t.former)}) for k, t in self.typed.items()},
            {k: dict(v) for k, v in self.curation.items()},
            self.added_column,
            dict(self.added_cells),
            self.finalized,
            set(self.rows_deleted),
        )

    def add(self, key: str, typed: Typed) -> None:
        assert key not in self.typed, key
        self.typed[key] = typed

    def edit(self, key: str, old: str, new: str) -> None:
        t = self.typed[key]
        assert old in t.line and old in t.body, (old, t.line)
        t.former.append(t.body)
        t.line, t.body = t.line.replace(old, new, 1), t.body.replace(old, new, 1)

    def by_id(self, cid: str) -> Typed | None:
        return next((t for t in self.typed.values() if t.cid == cid), None)

    def mark_synced(self) -> None:
        for t in self.typed.values():
            t.synced = True


# -- reading, through the client libraries --------------------------------------------------------


@dataclass
class Para:
    section: str  # Q1..Q4, online, actions, or "" for the rest
    text: str  # without the trailing newline
    style: str
    bullet: bool
    struck: bool  # some visible text of it is struck through
    live_struck: bool  # all of its visible text is struck through


def resource(clients: Any, name: str) -> Any:
    """clients.docs.documents(), clients.drive.files() ...: built once per client (building a
    googleapiclient resource costs tens of milliseconds)."""
    cache = clients.__dict__.setdefault("_oracle_resources", {})
    if name not in cache:
        api, method = name.split(".")
        cache[name] = getattr(getattr(clients, api), method)()
    return cache[name]


def read_doc(clients: Any, document_id: str) -> dict[str, Any]:
    return resource(clients, "docs.documents").get(documentId=document_id).execute()


def paragraphs(doc: dict[str, Any]) -> list[Para]:
    out: list[Para] = []
    section = ""
    for el in doc.get("body", {}).get("content", []):
        p = el.get("paragraph")
        if p is None:
            continue
        runs = [e["textRun"] for e in p.get("elements", []) if "textRun" in e]
        text = "".join(r.get("content", "") for r in runs).rstrip("\n")
        style = p.get("paragraphStyle", {}).get("namedStyleType", "")
        if style in ("HEADING_1", "HEADING_2"):
            m = re.match(r"^(Q\d+)\. ", text)
            section = (
                m.group(1)
                if m
                else {"Online discussion": "online", "Action points": "actions"}.get(text, "")
            )
        visible = [r for r in runs if r.get("content", "").strip()]
        struck = [bool(r.get("textStyle", {}).get("strikethrough")) for r in visible]
        out.append(
            Para(section, text, style, "bullet" in p, any(struck), bool(struck) and all(struck))
        )
    return out


def read_tabs(clients: Any, spreadsheet_id: str, tabs: tuple[str, ...] = TABS) -> dict[str, list]:
    ranges = ["'" + t.replace("'", "''") + "'" for t in tabs]
    got = clients.sheets.http_client.values_batch_get(spreadsheet_id, ranges)
    out: dict[str, list[list[str]]] = {}
    for tab, vr in zip(tabs, got.get("valueRanges", []), strict=True):
        out[tab] = [[str(c) for c in row] for row in vr.get("values", [])]
    return out


def session_files(clients: Any, session_id: str) -> dict[str, str]:
    """Drive file id -> role, for every untrashed file of the session."""
    query = (
        f"appProperties has {{ key='{PROP_SESSION}' and value='{session_id}' }} and trashed = false"
    )
    files = resource(clients, "drive.files")
    got = files.list(q=query, fields="files(id,appProperties)").execute()
    return {f["id"]: (f.get("appProperties") or {}).get(PROP_ROLE, "?") for f in got["files"]}


# -- the checks -----------------------------------------------------------------------------------


def check_doc(model: Model, paras: list[Para]) -> list[str]:
    """Every contribution typed is in its section as often as it was pasted, nowhere else; no
    contribution line the test did not type; nothing live is struck through."""
    problems = []
    expected: Counter[tuple[str, str]] = Counter()
    for t in model.typed.values():
        if t.in_doc:
            expected[(t.question, words(t.line))] += t.copies
    seen: Counter[tuple[str, str]] = Counter(
        (p.section, words(p.text)) for p in paras if p.section in QUESTIONS and p.text.strip()
    )
    for (section, line), n in expected.items():
        if seen[(section, line)] != n:
            others = sorted({s for (s, w) in seen if w == line and s != section})
            problems.append(
                f"the Doc holds {line[:60]!r} {seen[(section, line)]} time(s) in {section}, "
                f"expected {n}" + (f" (also in {others})" if others else "")
            )
    known = {line for (_, line) in expected}
    for p in paras:
        if p.section in QUESTIONS and p.bullet and words(p.text) not in known and p.text.strip():
            problems.append(f"the Doc holds a line nobody typed in {p.section}: {p.text[:60]!r}")
    for t in model.typed.values():
        if not t.in_doc:
            continue
        for p in paras:
            if p.section == t.question and words(p.text) == words(t.line):
                if t.withdrawn and not p.live_struck:
                    problems.append(f"{t.line[:40]!r} was struck through and no longer is")
                if not t.withdrawn and p.struck:
                    problems.append(f"{t.line[:40]!r} is struck through: it reads as withdrawn")
    return problems


def expected_status(t: Typed) -> tuple[str, ...]:
    if not t.in_doc:
        return (REMOVED,)
    if t.withdrawn:
        return (WITHDRAWN,)
    if not t.groups:
        return (UNASSIGNED,)
    return LIVE


def _records(values: list[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    if not values:
        return [], []
    header = values[0]
    rows = []
    for row in values[1:]:
        if any(c.strip() for c in row):
            rows.append({h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h})
    return header, rows


def check_contributions(model: Model, values: list[list[str]]) -> list[str]:
    """One row per contribution a completed sync has seen, each with its own words, fields,
    status and curation; rows are never lost; no row nobody typed."""
    header, rows = _records(values)
    missing = [h for h in (*TOOL, "Status", *HUMAN) if h not in header]
    if missing:
        return [f"the Contributions header lacks {missing}: {header}"]
    problems = []
    ids = [r["ID"] for r in rows]
    bad = [i for i in ids if not ID_RE.match(i)]
    if bad:
        problems.append(f"rows without a contribution id: {bad[:5]}")
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dupes:
        problems.append(f"duplicated Sheet rows: {dupes}")
    by_id = {r["ID"]: r for r in rows}
    claimed: set[str] = set()
    for key, t in model.typed.items():
        if t.cid:
            row = by_id.get(t.cid)
            if row is None:
                if t.synced:
                    problems.append(f"row {t.cid} ({key}) is lost")
                continue
            if words(row["Contribution"]) != words(t.body):
                problems.append(
                    f"row {t.cid} holds {row['Contribution'][:50]!r}, its contribution says "
                    f"{t.body[:50]!r}"
                )
            claimed.add(t.cid)
            if t.copies > 1:  # its second copy may have a row, marked as not counting
                problems += _copies_marked(t, rows, claimed)
            continue
        same = [
            r
            for r in rows
            if words(r["Contribution"]) == words(t.body)
            and r["Question"] == t.question
            and r["ID"] not in claimed
        ]
        live = [r for r in same if r["Status"] in expected_status(t)]
        if t.synced and not same:
            problems.append(f"{key} ({t.body[:40]!r}) has no row after a completed sync")
            continue
        if not same:
            continue
        if len(live) > 1 or (len(same) > 1 and t.copies == 1):
            problems.append(
                f"{t.body[:40]!r} has {len(same)} rows {[r['ID'] for r in same]}"
                + (", none marked as a duplicate" if len(live) > 1 else "")
            )
        t.cid = (live or same)[0]["ID"]
        claimed.update(r["ID"] for r in same)
    for t in model.typed.values():
        row = by_id.get(t.cid) if t.cid else None
        if row is None:
            continue
        for name, want in (
            ("Question", t.question),
            ("Addressees", ", ".join(t.groups)),
            ("Speaker", t.speaker),
            ("Proposer group", t.proposer),
            ("Channel", t.channel),
        ):
            if words(row[name]) != words(want):
                problems.append(f"{t.cid} {name} is {row[name]!r}, expected {want!r}")
        if row["Status"] not in expected_status(t):
            problems.append(
                f"{t.cid} status is {row['Status']!r}, expected one of {expected_status(t)}"
            )
    strangers = [r["ID"] for r in rows if r["ID"] not in claimed]
    if strangers:
        problems.append(f"rows for contributions nobody typed: {strangers}")
    for r in rows:
        want = model.curation.get(r["ID"], {})
        for name in HUMAN:
            if r.get(name, "") != want.get(name, ""):
                problems.append(
                    f"{r['ID']} {name} is {r.get(name, '')!r}, the rapporteur wrote "
                    f"{want.get(name, '')!r}"
                )
        if model.added_column:
            want_cell = model.added_cells.get(r["ID"], "")
            if r.get(model.added_column, "") != want_cell:
                problems.append(
                    f"{r['ID']} {model.added_column!r} is {r.get(model.added_column, '')!r}, "
                    f"a person wrote {want_cell!r}"
                )
    return problems


def check_rows_kept(model: Model, values: list[list[str]]) -> list[str]:
    """What holds even while a command failed half-way: no row lost or duplicated, no row whose
    words nobody typed, every person's cell where they wrote it."""
    header, rows = _records(values)
    if "ID" not in header or "Contribution" not in header:
        return [f"the Contributions header is {header}"]
    problems = []
    ids = [r["ID"] for r in rows]
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dupes:
        problems.append(f"duplicated Sheet rows: {dupes}")
    lost = sorted(
        t.cid
        for t in model.typed.values()
        if t.cid and t.cid not in ids and t.cid not in model.rows_deleted
    )
    if lost:
        problems.append(f"rows lost: {lost}")
    said = {words(b) for t in model.typed.values() for b in (t.body, *t.former)}
    for r in rows:
        if words(r["Contribution"]) not in said:
            problems.append(f"row {r['ID']} holds words nobody typed: {r['Contribution'][:50]!r}")
        t = model.by_id(r["ID"])
        if t is not None and words(r["Contribution"]) not in {
            words(b) for b in (t.body, *t.former)
        }:
            problems.append(f"row {r['ID']} holds another contribution's words")
        want = model.curation.get(r["ID"], {})
        for name in HUMAN:
            if r.get(name, "") != want.get(name, ""):
                problems.append(
                    f"{r['ID']} {name} is {r.get(name, '')!r}, the rapporteur wrote "
                    f"{want.get(name, '')!r}"
                )
        if model.added_column and r.get(model.added_column, "") != model.added_cells.get(
            r["ID"], ""
        ):
            problems.append(f"{r['ID']} {model.added_column!r} lost what a person wrote")
    return problems


def _copies_marked(t: Typed, rows: list[dict[str, str]], claimed: set[str]) -> list[str]:
    copies = [
        r
        for r in rows
        if words(r["Contribution"]) == words(t.body)
        and r["Question"] == t.question
        and r["ID"] not in claimed
    ]
    claimed.update(r["ID"] for r in copies)
    live = [r["ID"] for r in copies if r["Status"] in LIVE]
    if live:
        return [f"{t.body[:40]!r} pasted again has rows {live} counted as well as {t.cid}"]
    return []


def check_matrix(model: Model, values: list[list[str]]) -> list[str]:
    """Stakeholder group by question: every live assigned contribution once, in each of its
    groups' cells; the unassigned ones in the Unassigned row; counts that add up."""
    want: dict[tuple[str, str], Counter[str]] = {}
    for t in model.typed.values():
        if not (t.synced and t.cid and t.in_doc and not t.withdrawn):
            continue
        for group in t.groups or ("Unassigned",):
            want.setdefault((group, t.question), Counter())[words(f"{t.cid} {t.body}")] += 1
    if not values:
        return ["the Matrix is empty"]
    header = values[0]
    problems = []
    wanted_header = ["Stakeholder group", *(f"{q}. " for q in QUESTIONS[:-1])]
    if (
        len(header) != 7
        or header[0] != wanted_header[0]
        or header[5:]
        != [
            "Online discussion",
            "Total",
        ]
    ):
        return [f"the Matrix header is {header}"]
    if any(not header[i + 1].startswith(wanted_header[i + 1]) for i in range(4)):
        return [f"the Matrix header is {header}"]
    # The matrix is the block from the top to the first empty row (the chart's data follows).
    block = []
    for row in values[1:]:
        if not any(row):
            break
        block.append(row)
    rows = {row[0]: row + [""] * (7 - len(row)) for row in block if row and row[0]}
    columns = [0] * 5
    for group in (*GROUPS, "Unassigned"):
        row = rows.get(group)
        if row is None:
            problems.append(f"the Matrix has no row for {group}")
            continue
        total = 0
        for i, q in enumerate(QUESTIONS):
            got = Counter(words(x) for x in row[i + 1].split("\n") if x.strip())
            total += sum(got.values())
            columns[i] += sum(got.values())
            expected = want.get((group, q), Counter())
            if got != expected:
                problems.append(
                    f"Matrix {group} x {q} shows {sorted(got)}, expected {sorted(expected)}"
                )
        if row[6] != str(total):
            problems.append(f"Matrix {group} total is {row[6]!r}, its cells hold {total}")
    totals = rows.get("Total")
    if totals is None or totals[1:7] != [*map(str, columns), str(sum(columns))]:
        problems.append(f"the Matrix's Total row is {totals}, its cells hold {columns}")
    if len(rows) != len(GROUPS) + 2:
        problems.append(f"the Matrix has rows {sorted(rows)}")
    return problems


def expected_actions(model: Model) -> list[list[str]]:
    """The published list, as the README defines it, from the curation the test wrote."""
    candidates = [
        t for t in model.typed.values() if t.cid and t.in_doc and not t.withdrawn and t.groups
    ]
    ticked = [t for t in candidates if model.curation.get(t.cid, {}).get("Include") == "TRUE"]
    if ticked:
        chosen = ticked
    else:
        chosen = [t for t in candidates if model.curation.get(t.cid, {}).get("Include") != "FALSE"]
    order = list(model.typed.values())

    def priority(t: Typed) -> float:
        value = model.curation.get(t.cid, {}).get("Priority", "").strip().lower()
        if value in PRIORITY_WORDS:
            return PRIORITY_WORDS[value]
        try:
            return float(value)
        except ValueError:
            return float("inf")

    rows = []
    for group in GROUPS:
        mine = [t for t in chosen if group in t.groups]
        mine.sort(key=lambda t: (priority(t), QUESTIONS.index(t.question), order.index(t)))
        for n, t in enumerate(mine, start=1):
            cur = model.curation.get(t.cid, {})
            rows.append(
                [
                    group,
                    str(n),
                    cur.get("Final wording") or t.body,
                    t.cid,
                    t.question,
                    t.proposer,
                    t.channel,
                    cur.get("Priority", ""),
                ]
            )
    return rows


def check_actions(model: Model, values: list[list[str]], paras: list[Para]) -> list[str]:
    """After a finalize: the Action points tab and the Doc's section show the curated list,
    each item once; before any: both are empty."""
    got = [[*r, *[""] * (8 - len(r))] for r in values if any(c.strip() for c in r)]
    section = [p for p in paras if p.section == "actions" and p.style != "HEADING_1"]
    section = [p for p in section if p.text.strip() and (p.bullet or p.style == "HEADING_3")]
    if not model.finalized:
        items = [p for p in section if p.bullet or p.style == "HEADING_3"]
        if got[1:] or items:
            return [f"nobody finalized, yet the action list holds {len(items)} item(s)"]
        return []
    want = expected_actions(model)
    problems = []
    if not got or got[0] != ACTION_HEADER:
        problems.append(f"the Action points header is {got[:1]}")
    body = [[words(c) for c in r] for r in got[1:]]
    if body != [[words(c) for c in r] for r in want]:
        problems.append(f"the Action points tab holds {got[1:]}, expected {want}")
    doc_want: list[tuple[str, str]] = []
    for group in GROUPS:
        items = [r for r in want if r[0] == group]
        if items:
            doc_want.append(("HEADING_3", group))
            for r in items:
                trace = f"{r[4]}, proposed by {r[5]}, {r[6]}" if r[5] else f"{r[4]}, {r[6]}"
                doc_want.append(("ITEM", words(f"{r[2]} [{trace}]")))
    doc_got = [("HEADING_3" if p.style == "HEADING_3" else "ITEM", words(p.text)) for p in section]
    if doc_got != doc_want:
        problems.append(f"the Doc's Action points section holds {doc_got}, expected {doc_want}")
    return problems


def check_journal(directory: Path, given: set[str]) -> list[str]:
    """Whole lines only (a torn last line may wait for the next run to skip it), and no entry
    names an id that was never given (neither a Sheet row nor an anchor in the Doc)."""
    problems = []
    for path in sorted(directory.glob("*.jsonl")) if directory.is_dir() else []:
        data = path.read_bytes().decode("utf-8", errors="replace")
        lines = data.split("\n")
        for number, line in enumerate(lines[:-1], start=1):
            try:
                entry = json.loads(line)
            except ValueError:
                problems.append(f"journal {path.name} line {number} is not a whole entry")
                continue
            if not isinstance(entry, dict):
                problems.append(f"journal {path.name} line {number} is not an entry")
        named = set(JOURNAL_ID_RE.findall(data))
        unknown = sorted(named - given)
        if unknown:
            problems.append(f"journal {path.name} names ids the Sheet never had: {unknown}")
    return problems


def sheet_ids(values: list[list[str]]) -> set[str]:
    _, rows = _records(values)
    return {r.get("ID", "") for r in rows}


def given_ids(doc: dict[str, Any], values: list[list[str]]) -> set[str]:
    """Ids given out: a Sheet row's, or a contribution anchor's in the Doc (README: a named
    range `gdoc_sync:c:C0007`)."""
    anchors = {n.rsplit(":", 1)[-1] for n in doc.get("namedRanges") or {} if n.startswith(ANCHOR)}
    return sheet_ids(values) | anchors


def check_session(
    model: Model,
    clients: Any,
    document_id: str,
    spreadsheet_id: str,
    *,
    journals: tuple[Path, ...] = (),
) -> list[str]:
    """All of the above, on one fresh read of the Doc and of the Sheet."""
    doc = read_doc(clients, document_id)
    paras = paragraphs(doc)
    tabs = read_tabs(clients, spreadsheet_id, TABS[:3])
    problems = check_doc(model, paras)
    problems += check_contributions(model, tabs["Contributions"])
    problems += check_matrix(model, tabs["Matrix"])
    problems += check_actions(model, tabs["Action points"], paras)
    ids = given_ids(doc, tabs["Contributions"])
    for directory in journals:
        problems += check_journal(directory, ids)
    return problems


def check_created(clients: Any, session_id: str, shares: tuple[str, ...]) -> list[str]:
    """A session create finished: one Doc and one Sheet, each laid out once and shared."""
    files = session_files(clients, session_id)
    roles = Counter(files.values())
    if roles != Counter({"document": 1, "spreadsheet": 1}):
        return [f"the session's Drive files are {dict(roles)}"]
    document_id = next(i for i, r in files.items() if r == "document")
    spreadsheet_id = next(i for i, r in files.items() if r == "spreadsheet")
    problems = []
    doc = read_doc(clients, document_id)
    headings = Counter(
        p.text for p in paragraphs(doc) if p.style in ("HEADING_1", "HEADING_2") and p.text
    )
    twice = sorted(h for h, n in headings.items() if n > 1)
    if twice:
        problems.append(f"the Doc's layout is written more than once: {twice}")
    sections = {p.section for p in paragraphs(doc)}
    if not set(QUESTIONS) | {"actions"} <= sections:
        problems.append(f"the Doc lacks sections {sorted(set(QUESTIONS) - sections)}")
    ranges = doc.get("namedRanges") or {}
    for name in [*(f"gdoc_sync:question:{q}" for q in QUESTIONS[:-1]), "gdoc_sync:actions"]:
        held = (ranges.get(name) or {}).get("namedRanges") or []
        if len(held) != 1:
            problems.append(f"the Doc has {len(held)} named range(s) {name}")
    meta = clients.sheets.http_client.fetch_sheet_metadata(spreadsheet_id)
    titles = Counter(s["properties"]["title"] for s in meta["sheets"])
    for tab in TABS:
        if titles[tab] != 1:
            problems.append(f"the Sheet has {titles[tab]} tab(s) {tab!r}")
    if not problems:
        tabs = read_tabs(clients, spreadsheet_id)
        header = tabs["Contributions"][0] if tabs["Contributions"] else []
        if [h for h in (*TOOL, "Status", *HUMAN) if h not in header]:
            problems.append(f"the Contributions header is {header}")
        if not any(document_id in row for row in tabs["gdoc-sync config"]):
            problems.append("the Sheet's config does not name the Doc")
        if tabs["Action points"][:1] != [ACTION_HEADER]:
            problems.append(f"the Action points tab starts {tabs['Action points'][:1]}")
    for file_id in (document_id, spreadsheet_id):
        permissions = resource(clients, "drive.permissions")
        got = permissions.list(fileId=file_id, fields="permissions").execute()
        held = Counter(p.get("emailAddress") for p in got.get("permissions", []))
        for email in shares:
            if held[email] != 1:
                problems.append(f"file {file_id} is shared {held[email]} time(s) with {email}")
    return problems
