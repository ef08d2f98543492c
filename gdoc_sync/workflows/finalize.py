"""Rapporteurs' workflow: publish the curated action list into the Doc and the Sheet."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gdoc_sync.core.actions import (
    ActionList,
    build_action_list,
    section_requests,
    section_text,
    sheet_rows,
)
from gdoc_sync.core.document import in_tab, session_document, utf16_len
from gdoc_sync.core.links import companion_sheet, parse_document_ref
from gdoc_sync.core.model import (
    RANGE_ACTIONS,
    RANGE_CONTRIBUTION,
    RANGE_PREFIX,
    ActionPoint,
    SessionConfig,
)
from gdoc_sync.core.sheet import (
    ACTION_HEADER,
    ACTIONS,
    CONFIG,
    CONTRIBUTIONS,
    ENGLISH_TABS,
    FINAL_WORDING,
    ContributionsTab,
    SheetTabs,
    action_header,
    column_letter,
    parse_config,
    recorded_columns,
)
from gdoc_sync.core.text import PLAIN_FIELDS, storable
from gdoc_sync.errors import (
    ConflictError,
    EditedInDocError,
    GdocSyncError,
    RevisionMismatch,
    SessionError,
)
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.sheet_io import read_tabs, write_values
from gdoc_sync.local.state import LocalState
from gdoc_sync.locales.texts import document_language, session_language, squash_spaces, texts

MAX_ATTEMPTS = 4
# What finalize wrote, remembered in the Doc itself: an invisible named range over each paragraph
# of the published list, named after what the paragraph is and a hash of its text, and one over
# the whole list with the number of paragraphs. The next finalize reads them back to tell which
# paragraphs people edited, deleted or added by hand.
RANGE_PUBLISHED = RANGE_PREFIX + "published:"  # + "<C0007 or #group>:<group key>:<hash>"
RANGE_LIST = RANGE_PUBLISHED + "list:"  # + "<paragraphs>:<hash>"
HEADING = "#"

Progress = Callable[[str], None]


@dataclass
class FinalizeResult:
    """What finalize published, and where."""

    document_id: str
    spreadsheet_id: str
    actions: ActionList
    wrote_doc: bool = False
    wrote_sheet: bool = False
    unchanged: bool = False  # the Doc already showed exactly this list
    requests: list[dict[str, Any]] = field(default_factory=list)
    tabs: SheetTabs = ENGLISH_TABS  # the Sheet's tab titles, to name them as people see them


@dataclass
class Curated:
    """The Sheet as the rapporteur left it."""

    config: SessionConfig
    tab: ContributionsTab
    action_rows: int  # rows currently in the Action points tab, header included
    published: list[list[str]] = field(default_factory=list)  # its rows, header excluded


def read_curated(api: GoogleApi, spreadsheet_id: str, tabs: SheetTabs | None = None) -> Curated:
    """The Contributions, configuration and Action points tabs in one read; `tabs`: the titles
    to try first."""
    values = read_tabs(api, spreadsheet_id, [CONTRIBUTIONS, CONFIG, ACTIONS], tabs)
    return Curated(
        parse_config(values[CONFIG], values.tabs),
        ContributionsTab.parse(
            values[CONTRIBUTIONS], recorded_columns(values[CONFIG]), values.tabs
        ),
        len(values[ACTIONS]),
        [[str(c) for c in row] for row in values[ACTIONS][1:]],
    )


def _actions_range(doc: dict[str, Any], document_id: str) -> tuple[int, int]:
    entry = (doc.get("namedRanges") or {}).get(RANGE_ACTIONS)
    heading = texts(document_language(doc))["heading.actions"]  # as the Doc shows it
    if not entry:
        raise SessionError(
            f"document {document_id} has no {heading} section (named range {RANGE_ACTIONS} "
            "is gone): restore it from File > Version history, or create the session again"
        )
    spans = [
        (r.get("startIndex", 0), r["endIndex"]) for nr in entry["namedRanges"] for r in nr["ranges"]
    ]
    if len(spans) != 1:
        raise SessionError(
            f"document {document_id}: the {heading} section is split in "
            f"{len(spans)} pieces; restore it from File > Version history"
        )
    return spans[0]


def _current_text(doc: dict[str, Any], start: int, end: int) -> str:
    """The body's text in [start, end), UTF-16 offsets, for comparing with what we would write."""
    out = []
    for el in doc.get("body", {}).get("content", []):
        for pe in el.get("paragraph", {}).get("elements", []):
            run = pe.get("textRun")
            if not run:
                continue
            s = pe.get("startIndex", 0)
            content = run.get("content", "")
            units = content.encode("utf-16-le")
            lo = max(start, s) - s
            hi = min(end, pe["endIndex"]) - s
            if hi > lo:
                out.append(units[2 * lo : 2 * hi].decode("utf-16-le", "replace"))
    return "".join(out)


def storable_actions(actions: ActionList) -> ActionList:
    """The list with every text as Docs and Sheets store it (gdoc_sync/core/text.py), so a Final
    wording holding a character Docs would strip publishes, and reads back as written."""

    def fix(p: ActionPoint) -> ActionPoint:
        return dataclasses.replace(
            p,
            text=storable(p.text),
            question_id=storable(p.question_id),
            proposer_group=storable(p.proposer_group),
            channel=storable(p.channel),
            priority=storable(p.priority),
        )

    return ActionList(
        [(key, storable(name), [fix(p) for p in points]) for key, name, points in actions.by_group],
        actions.rule,
        actions.skipped,
        actions.language,
    )


def contribution_links(doc: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The links in each anchored contribution of the Doc: id -> [(linked text, url)]. Docs
    splits one link into several runs where its style changes: they are one link here."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for name, entry in (doc.get("namedRanges") or {}).items():
        if name.startswith(RANGE_CONTRIBUTION):
            spans[name[len(RANGE_CONTRIBUTION) :]] = _spans(entry)
    runs: list[tuple[int, str, str]] = []  # (start, text, url)
    for el in (doc.get("body") or {}).get("content", []):
        for pe in (el.get("paragraph") or {}).get("elements", []):
            run = pe.get("textRun") or {}
            url = ((run.get("textStyle") or {}).get("link") or {}).get("url")
            if url:
                runs.append((pe.get("startIndex", 0), run.get("content", ""), url))
    links: dict[str, list[tuple[str, str]]] = {}
    for cid, ranges in spans.items():
        found: list[tuple[str, str]] = []
        last_url, last_end = None, -1
        for start, text, url in runs:
            if not any(s <= start < e for s, e in ranges):
                continue
            if url == last_url and start == last_end and found:
                found[-1] = (found[-1][0] + text, url)
            else:
                found.append((text, url))
            last_url, last_end = url, start + utf16_len(text)
        found = [(label.strip(), url) for label, url in found if label.strip()]
        if found:
            links[cid] = found
    return links


def linked_actions(actions: ActionList, links: dict[str, list[tuple[str, str]]]) -> ActionList:
    """The list as the Doc shows it: "text (https://...)", which is how a link reads in the
    Sheet, is the linked text again (its link goes on by `link_requests`)."""

    def unlink(p: ActionPoint) -> ActionPoint:
        text = p.text
        for label, url in links.get(p.contribution_id, ()):
            text = text.replace(f"{label} ({url})", label, 1)
        return dataclasses.replace(p, text=text)

    return ActionList(
        [(key, name, [unlink(p) for p in points]) for key, name, points in actions.by_group],
        actions.rule,
        actions.skipped,
        actions.language,
    )


def link_requests(
    actions: ActionList, links: dict[str, list[tuple[str, str]]], start: int
) -> list[dict[str, Any]]:
    """Each contribution's links, on the same words in its published action point."""
    _, paragraphs = section_text(actions)
    points = [p for _, _, group in actions.by_group for p in group]
    action_spans = [(s, e) for kind, s, e in paragraphs if kind == "action"]
    requests: list[dict[str, Any]] = []
    for point, (s, _e) in zip(points, action_spans, strict=True):
        searched = 0
        for label, url in links.get(point.contribution_id, ()):
            at = point.text.find(label, searched)
            if at < 0:
                continue
            searched = at + len(label)
            begin = start + s + utf16_len(point.text[:at])
            requests.append(
                {
                    "updateTextStyle": {
                        "range": {"startIndex": begin, "endIndex": begin + utf16_len(label)},
                        "textStyle": {"link": {"url": url}},
                        "fields": "link",
                    }
                }
            )
    return requests


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def published_marks(actions: ActionList, start: int) -> list[tuple[str, int, int]]:
    """The named ranges that remember what finalize writes: (name, start, end) per paragraph
    (text without its newline), then one over the whole list."""
    text, paragraphs = section_text(actions)
    labels: list[tuple[str, str]] = []
    if actions.count:
        for key, _, points in actions.by_group:
            labels.append((HEADING, key))
            labels += [(p.contribution_id, key) for p in points]
    else:
        labels.append(("none", "-"))
    units = text.encode("utf-16-le", "surrogatepass")
    marks = []
    for (who, key), (_, s, e) in zip(labels, paragraphs, strict=True):
        paragraph = units[2 * s : 2 * e].decode("utf-16-le", "surrogatepass")
        marks.append((f"{RANGE_PUBLISHED}{who}:{key}:{_hash(paragraph)}", start + s, start + e))
    marks.append((f"{RANGE_LIST}{len(labels)}:{_hash(text)}", start, start + utf16_len(text)))
    return marks


def _spans(entry: dict[str, Any]) -> list[tuple[int, int]]:
    return sorted(
        (r.get("startIndex", 0), r.get("endIndex", 0))
        for nr in entry.get("namedRanges", [])
        for r in nr.get("ranges", [])
        if not r.get("segmentId")
    )


def _short(text: str, limit: int = 90) -> str:
    text = squash_spaces(text)  # no-break spaces are typography: kept as typed
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "…") + '"'


def hand_edits(
    doc: dict[str, Any], start: int, end: int, config: SessionConfig, published: list[list[str]]
) -> list[str]:
    """One line per paragraph of the published list that people edited, deleted or added by
    hand since finalize wrote it, read back from its named ranges; none if it never wrote one."""
    named = doc.get("namedRanges") or {}
    lists = [n for n in named if n.startswith(RANGE_LIST)]
    if not lists:
        return []
    try:
        expected = int(lists[0][len(RANGE_LIST) :].split(":")[0])
    except ValueError:
        expected = 0
    group_name = {g.key: g.name for g in config.groups}
    lines: list[str] = []
    present: set[tuple[str, str]] = set()
    covered: list[tuple[int, int]] = []
    for name in sorted(named, key=lambda n: _spans(named[n])[:1] or [(0, 0)]):
        if not name.startswith(RANGE_PUBLISHED) or name.startswith(RANGE_LIST):
            continue
        head, _, digest = name[len(RANGE_PUBLISHED) :].rpartition(":")
        who, _, key = head.partition(":")
        present.add((who, key))
        spans = _spans(named[name])
        covered += spans
        now = "".join(_current_text(doc, s, e) for s, e in spans)
        if _hash(now) == digest:
            continue
        if who == HEADING:
            label = f"heading {group_name.get(key, key)!r}"
        elif who == "none":
            label = "the line saying no action point was selected"
        else:
            label = f"{who} ({group_name.get(key, key)})"
        lines.append(f"{label}: edited, now reads {_short(now)}")
    missing = expected - len(present)
    if missing > 0:
        key_of = {g.name: g.key for g in config.groups}
        gone: list[str] = []
        for row in published:
            row = row + [""] * (4 - len(row))
            group, text, cid = row[0], row[2], row[3]
            key = key_of.get(group, group)
            if cid and (cid, key) not in present:
                gone.append(f"{cid} ({group}): deleted from the Doc (it read {_short(text)})")
            if group and (HEADING, key) not in present:
                present.add((HEADING, key))
                gone.append(f"heading {group!r}: deleted from the Doc")
        lines += gone[:missing]
        if missing > len(gone):
            lines.append(
                f"{missing - len(gone)} more paragraph(s) of the list deleted from the Doc"
            )
    for el in doc.get("body", {}).get("content", []):
        if "paragraph" not in el or el.get("startIndex", 0) < start or el["endIndex"] > end + 1:
            continue
        p_start, p_end = el.get("startIndex", 0), el["endIndex"] - 1
        text = _current_text(doc, p_start, p_end)
        if not text.strip() or any(s < p_end and e > p_start for s, e in covered):
            continue
        lines.append(f"added by hand: {_short(text)}")
    return lines


def finalize_session(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    dry_run: bool = False,
    overwrite: bool = False,
    progress: Progress = lambda _: None,
) -> FinalizeResult:
    """Read the curated Sheet, write the action list into the Doc's Action points section only,
    then into the Sheet's Action points tab. Never writes over a Doc change it has not seen, nor
    (unless `overwrite`) over a hand edit of the published list. A failure says whether the Doc
    was changed, from reading it back."""
    seen: dict[str, Any] = {}
    try:
        return _finalize(
            api,
            document_ref,
            state=state,
            dry_run=dry_run,
            overwrite=overwrite,
            progress=progress,
            seen=seen,
        )
    except EditedInDocError:
        raise
    except GdocSyncError as exc:
        if dry_run or seen.get("done") or "document_id" not in seen:
            raise
        exc.add_note(_read_back(api, seen))
        raise


def _read_back(api: GoogleApi, seen: dict[str, Any]) -> str:
    """What a failed finalize did to the Doc, from the Doc itself."""
    if not seen.get("sent"):
        return "finalize sent no write to the Doc: the Doc is unchanged"
    try:
        doc = session_document(api, seen["document_id"])
        start, end = _actions_range(doc, seen["document_id"])
    except GdocSyncError:
        return (
            "finalize could not read the Doc back to tell whether its write landed: look at its "
            "Action points section, then run finalize again"
        )
    now = _current_text(doc, start, end)
    if now == seen.get("planned"):
        return "read back: the Doc now shows the new action list; run finalize again for the Sheet"
    if now == seen.get("before"):
        return "read back: the Doc's Action points section is unchanged"
    return (
        "read back: the Doc's Action points section changed since finalize read it, but not to "
        "the new list; look at it, then run finalize again"
    )


def _finalize(
    api: GoogleApi,
    document_ref: str,
    *,
    state: LocalState,
    dry_run: bool,
    overwrite: bool,
    progress: Progress,
    seen: dict[str, Any],
) -> FinalizeResult:
    document_id = parse_document_ref(document_ref)
    doc = session_document(api, document_id)
    seen["document_id"] = document_id
    spreadsheet_id = companion_sheet(doc, document_id)
    known = state.load(document_id).get("sheet_tabs")
    curated = read_curated(
        api,
        spreadsheet_id,
        SheetTabs.of(known) if known else SheetTabs.in_language(document_language(doc)),
    )
    tabs = curated.tab.tabs
    actions = storable_actions(build_action_list(curated.tab, curated.config))
    result = FinalizeResult(document_id, spreadsheet_id, actions, tabs=curated.tab.tabs)
    # In the Doc a contribution's links stay links (the Sheet's rows keep "text (url)").
    links = contribution_links(doc)
    shown = linked_actions(actions, links)
    planned = section_text(shown)[0]
    seen["planned"] = planned
    for attempt in range(1, MAX_ATTEMPTS + 1):
        revision = doc.get("revisionId")
        if not revision:
            raise SessionError(
                f"document {document_id} came back without a revision id: "
                "refusing to write the action list blind"
            )
        start, end = _actions_range(doc, document_id)
        current = _current_text(doc, start, end)
        seen.setdefault("before", current)
        marks = published_marks(shown, start)
        old_marks = sorted(n for n in doc.get("namedRanges") or {} if n.startswith(RANGE_PUBLISHED))
        requests: list[dict[str, Any]] = [{"deleteNamedRange": {"name": n}} for n in old_marks]
        requests += section_requests(RANGE_ACTIONS, start, shown)
        # The list is plain text whatever style the text it replaces had.
        requests.append(
            {
                "updateTextStyle": {
                    "range": {"startIndex": start, "endIndex": start + utf16_len(planned)},
                    "textStyle": {},
                    "fields": PLAIN_FIELDS,
                }
            }
        )
        requests += link_requests(shown, links, start)
        requests += [
            {"createNamedRange": {"name": name, "range": {"startIndex": s, "endIndex": e}}}
            for name, s, e in marks
        ]
        requests = in_tab(requests, doc)
        result.requests = requests
        if current == planned and old_marks == sorted(name for name, _, _ in marks):
            result.unchanged = True
            break
        if current != planned and not overwrite:
            edits = hand_edits(doc, start, end, curated.config, curated.published)
            if edits:
                # Named as people see them: the Doc's heading, the Sheet's tab and column.
                heading = texts(session_language(curated.config.facts))["heading.actions"]
                raise EditedInDocError(
                    f"the {heading} section was edited in the Doc since finalize wrote it; "
                    "nothing was written:\n"
                    + "".join(f"  {line}\n" for line in edits)
                    + f"carry each edit into the {curated.tab.tabs[CONTRIBUTIONS]} tab's "
                    f"{curated.tab.shown_column(FINAL_WORDING)} column (or "
                    "put it back in the Doc) and run finalize again, or run finalize --overwrite "
                    "to discard these edits"
                )
        if dry_run:
            return result
        try:
            seen["sent"] = True
            api.update_document(document_id, requests, required_revision_id=revision)
            result.wrote_doc = True
            break
        except RevisionMismatch:
            if attempt == MAX_ATTEMPTS:
                raise ConflictError(
                    f"the Doc kept changing while finalize tried to write ({MAX_ATTEMPTS} "
                    "attempts); every write was refused on its revision, run finalize again"
                ) from None
            progress("the Doc changed since it was read: reading it again")
            doc = session_document(api, document_id)
    if dry_run:
        return result
    seen["done"] = True
    rows = sheet_rows(actions)
    blank = [[""] * len(ACTION_HEADER)] * max(0, curated.action_rows - 1 - len(rows))
    try:
        table = [action_header(actions.language), *rows, *blank]
        write_values(
            api,
            spreadsheet_id,
            [
                {
                    "range": tabs.range(
                        ACTIONS, f"A1:{column_letter(len(ACTION_HEADER) - 1)}{len(table)}"
                    ),
                    "majorDimension": "ROWS",
                    "values": table,
                }
            ],
            grow_tab=ACTIONS,
            tabs=tabs,
        )
    except GdocSyncError as exc:
        # The Doc's answer (or a read showing the list already there) says the Doc is done.
        exc.add_note(
            f"the Doc now shows the action list; the Sheet's {tabs[ACTIONS]!r} tab was not "
            "updated: run finalize again"
        )
        raise
    result.wrote_sheet = True
    state.update(document_id, spreadsheet_id=spreadsheet_id, sheet_tabs=tabs.as_dict())
    return result
