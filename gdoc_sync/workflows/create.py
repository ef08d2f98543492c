"""Organizers' workflow: turn a template into the session's shared Doc and companion Sheet."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gdoc_sync.core.links import (
    PROP_DOCUMENT,
    PROP_ROLE,
    PROP_SESSION,
    PROP_SPREADSHEET,
    PROP_VERSION,
    ROLE_DOCUMENT,
    ROLE_SPREADSHEET,
    document_url,
    spreadsheet_url,
)
from gdoc_sync.core.model import (
    EMAIL_ADDRESS,
    RANGE_ACTIONS,
    RANGE_QUESTION,
    PolicyQuestion,
    SessionConfig,
)
from gdoc_sync.core.session_doc import build_session_doc, question_section_requests, utf16_len
from gdoc_sync.core.sheet import (
    ACTIONS,
    CONFIG,
    CONFIG_ID,
    CONTRIBUTIONS,
    MATRIX,
    MATRIX_ID,
    SheetTabs,
    config_rows,
    matrix_rows,
    parse_config,
    setup_requests,
)
from gdoc_sync.core.template import Template
from gdoc_sync.errors import (
    AlreadyExists,
    ConflictError,
    RevisionMismatch,
    SessionError,
    UsageError,
)
from gdoc_sync.google.api import DOC_MIME, SHEET_MIME, GoogleApi
from gdoc_sync.google.sheet_io import read_tabs
from gdoc_sync.local.state import write_atomic
from gdoc_sync.locales.texts import session_language
from gdoc_sync.report.sheet import LAYOUT_FACT, LAYOUT_VERSION
from gdoc_sync.report.sheet import setup_requests as report_setup_requests

ROLES = ("reader", "commenter", "writer")
MAX_LAYOUT_ATTEMPTS = 3
# Template roles that edit the Doc and curate the Sheet; everyone else named gets to comment.
EDITOR_ROLES = ("moderator", "online_moderator", "rapporteur", "organizer")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Share:
    """One Drive permission to grant on both files."""

    email: str | None  # None for link sharing
    role: str
    kind: str = "user"  # user, group, domain, anyone
    domain: str | None = None

    def permission(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.kind, "role": self.role}
        if self.kind in ("user", "group"):
            body["emailAddress"] = self.email
        elif self.kind == "domain":
            body["domain"] = self.domain
        else:
            body["allowFileDiscovery"] = False
        return body

    def label(self) -> str:
        who = self.email or self.domain or "anyone with the link"
        return f"{who} ({self.role})"


@dataclass
class CreateOptions:
    """What the organizer asked for beyond the template."""

    shares: Sequence[Share] = ()
    notify: bool = True
    message: str | None = None
    parent: str | None = None
    new: bool = False
    update: bool = False  # apply the safe changes to a session that exists
    dry_run: bool = False
    session_id: str | None = None
    # The template as create was given it: when it is a file (a .toml path), this machine
    # remembers which session it made, so a file whose title or event changed is not silently
    # a new pair. A shipped template's name is not remembered (many sessions share one).
    template_file: str | None = None


@dataclass(frozen=True)
class Change:
    """One way the template differs from the session create made before."""

    what: str  # question, group, date, start, timezone, hybrid, role, share...
    text: str  # one line a person can read
    safe: bool  # `create --update` applies it without touching contributions
    applied: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CreatedSession:
    """The pair of files a session lives in."""

    session_id: str
    document_id: str
    document_url: str
    spreadsheet_id: str
    spreadsheet_url: str
    existed: bool = False  # both files were there when create started
    found: bool = False  # at least one file was there (an earlier run was interrupted)
    wrote: bool = False  # this run created, laid out or shared something
    shared_with: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)  # dry run only
    changes: list[Change] = field(default_factory=list)  # template vs the existing session
    outline: list[str] = field(default_factory=list)  # dry run only: what a person would see

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("existed", "found", "wrote", "shared_with", "requests", "outline"):
            data.pop(key)
        if self.changes:
            data["changes"] = [c.to_json() for c in self.changes]
        else:
            data.pop("changes")
        return data

    @property
    def pending(self) -> list[Change]:
        """Changes the template asks for that this run did not apply."""
        return [c for c in self.changes if not c.applied]


class SessionMemory:
    """Which session each template file made on this machine (`state/templates.json`), so a
    rerun whose title or event changed asks before it makes a second pair. Losing it only
    loses that question."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "templates.json"

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def recall(self, template_file: str) -> dict[str, str] | None:
        entry = self._load().get(str(Path(template_file).resolve()))
        return entry if isinstance(entry, dict) and entry.get("session_id") else None

    def remember(self, template_file: str, template: Template, created: CreatedSession) -> None:
        data = self._load()
        data[str(Path(template_file).resolve())] = {
            "session_id": created.session_id,
            "title": template.title,
            "event": template.event,
            "document_url": created.document_url,
        }
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))


def session_id_for(template: Template) -> str:
    """A session's identity is its event and its title: `create` run again with the same two
    finds the first run's files, whatever else changed (date, time, questions, people). A new
    title or event is a new session."""
    basis = json.dumps(["session", template.event, template.title], ensure_ascii=False)
    return "s-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def legacy_session_id(template: Template) -> str:
    """The id earlier versions gave a session (title, event, date, start, time zone), so a
    session they created is still found while its date and time are unchanged."""
    basis = json.dumps(
        [
            template.title,
            template.event,
            str(template.date),
            str(template.start),
            template.timezone,
        ],
        ensure_ascii=False,
    )
    return "s-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def parse_share(text: str) -> Share:
    """`EMAIL`, `EMAIL=ROLE`, `domain:example.org=ROLE` or `group:list@example.org=ROLE`."""
    spec, _, role = text.partition("=")
    role = role.strip() or "writer"
    if role not in ROLES:
        raise UsageError(f"--share {text}: role must be one of {', '.join(ROLES)}, not {role!r}")
    spec = spec.strip()
    if spec.startswith("domain:"):
        domain = spec[len("domain:") :]
        if "." not in domain:
            raise UsageError(f"--share {text}: {domain!r} is not a domain")
        return Share(None, role, "domain", domain)
    kind = "user"
    if spec.startswith("group:"):
        kind, spec = "group", spec[len("group:") :]
    if not EMAIL_ADDRESS.match(spec):  # the same rule as a template's e-mail fields
        raise UsageError(f"--share {text}: {spec!r} is not an e-mail address")
    return Share(spec, role, kind)


def template_shares(template: Template) -> list[Share]:
    """Who the template says should have access, and as what."""
    shares: list[Share] = []
    for role, person in template.roles.items():
        if person.email:
            shares.append(Share(person.email, "writer" if role in EDITOR_ROLES else "commenter"))
    for person in template.organizers:
        if person.email:
            shares.append(Share(person.email, "writer"))
    for person in template.speakers:
        if person.email:
            shares.append(Share(person.email, "commenter"))
    for entry in template.share:
        shares.append(Share(entry.email, entry.role))
    return shares


def merge_shares(shares: Sequence[Share]) -> list[Share]:
    """One permission per person, the strongest role asked for, in first-asked order."""
    rank = {r: i for i, r in enumerate(ROLES)}
    best: dict[tuple[str, str], Share] = {}
    for share in shares:
        key = (share.kind, (share.email or share.domain or "").lower())
        held = best.get(key)
        if held is None or rank[share.role] > rank[held.role]:
            best[key] = (
                share if held is None else Share(held.email, share.role, held.kind, held.domain)
            )
    return list(best.values())


@dataclass
class _Creating:
    """One run of create_session: the session's files as found or made, and what it wrote."""

    api: GoogleApi
    template: Template
    options: CreateOptions
    shares: list[Share]
    progress: Progress
    session_id: str
    document_id: str = ""
    spreadsheet_id: str = ""
    existed: bool = False  # both files were there when this run started
    found_any: bool = False  # at least one was
    wrote: bool = False  # this run created or laid out something

    def config(self) -> SessionConfig:
        return _session_config(
            self.template, self.session_id, self.document_id, self.spreadsheet_id, self.shares
        )


def create_session(
    api: GoogleApi | None,
    template: Template,
    options: CreateOptions,
    *,
    progress: Progress = lambda _: None,
    memory: SessionMemory | None = None,
) -> CreatedSession:
    """Create (or find) the session's Doc and Sheet, share them, and return where they are.

    A session that exists (same event and title) is compared with the template: what differs
    is returned in `changes`, and nothing is written unless `options.update`, which applies the
    safe changes (new shares, new questions, renamed question text) and leaves the rest.

    The phases: find the session's files; create the missing ones; let the first of two
    organizers racing on it win; lay out the Sheet and the Doc; then compare and update a
    session that was whole, or share a new one; remember which template file made it."""
    if options.new and options.update:
        raise UsageError(
            "--new makes a second pair and --update changes the existing one: not both"
        )
    shares = merge_shares([*template_shares(template), *options.shares])
    session_id = options.session_id or session_id_for(template)
    if options.new:
        session_id = f"{session_id}-{secrets.token_hex(3)}"
    if options.dry_run:
        return _plan(template, session_id, shares, options)
    assert api is not None
    template_file = options.template_file or ""
    if not template_file.endswith(".toml") or not Path(template_file).is_file():
        memory = None
    run = _Creating(api, template, options, shares, progress, session_id)
    document, spreadsheet = _find_session(run, template_file, memory)
    _make_files(run, document, spreadsheet)
    if not run.existed and not options.new:
        _settle_race(run)
    _lay_out(run)
    changes: list[Change] = []
    if run.existed and run.found_any and not run.wrote:
        # A whole session an earlier run made: compare, and change only what --update allows.
        changes, shared = _compare_and_update(
            api, run.config(), shares, options, run.document_id, run.spreadsheet_id, progress
        )
        run.wrote = any(c.applied for c in changes)
    else:
        shared = _share(
            api, [run.document_id, run.spreadsheet_id], shares, options, run.existed, progress
        )
    created = CreatedSession(
        session_id=run.session_id,
        document_id=run.document_id,
        document_url=document_url(run.document_id),
        spreadsheet_id=run.spreadsheet_id,
        spreadsheet_url=spreadsheet_url(run.spreadsheet_id),
        existed=run.existed,
        found=run.found_any,
        wrote=run.wrote or bool(shared),
        shared_with=shared,
        changes=changes,
    )
    if memory is not None:
        memory.remember(template_file, template, created)
    return created


def _find_session(
    run: _Creating, template_file: str, memory: SessionMemory | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Phase 1: the session's Doc and Sheet if Drive has them (by session id, the legacy id,
    or the id this template file made before): (Doc, Sheet), each None when missing. A
    template file whose title or event changed since it made a session is refused."""
    options, template = run.options, run.template
    # A fresh session id (--new) cannot have files yet: no need to look.
    known_ids = [run.session_id]
    if not options.new and not options.session_id:
        known_ids.append(legacy_session_id(template))
    before = memory.recall(template_file) if memory is not None and not options.new else None
    if before is not None and before["session_id"] not in known_ids:
        known_ids.append(before["session_id"])  # the same query: no extra request
    found = {} if options.new else _find_existing(run.api, known_ids)
    held_by = ((found.get(ROLE_DOCUMENT) or {}).get("appProperties") or {}).get(PROP_SESSION)
    renamed = before is not None and (before.get("title"), before.get("event")) != (
        template.title,
        template.event,
    )
    if renamed and before is not None and held_by == before["session_id"]:
        raise UsageError(
            f"{template_file} made the session {before['title']!r}"
            f"{' (' + before['event'] + ')' if before.get('event') else ''} before "
            f"({before['document_url']}); its title or event changed, and a session is its "
            "event and title: this would make a second Doc and Sheet and share them again. "
            "Run create --new to make that pair, or put the title and event back "
            "(create --update applies the other changes)"
        )
    return found.get(ROLE_DOCUMENT), found.get(ROLE_SPREADSHEET)


def _make_files(
    run: _Creating, document: dict[str, Any] | None, spreadsheet: dict[str, Any] | None
) -> None:
    """Phase 2: create whichever of the two files is missing (both, for a new session)."""
    run.existed = document is not None and spreadsheet is not None
    run.found_any = document is not None or spreadsheet is not None
    run.wrote = document is None or spreadsheet is None  # a file is about to be created
    if run.found_any:
        run.session_id = ((document or spreadsheet or {}).get("appProperties") or {}).get(
            PROP_SESSION, run.session_id
        )
        run.document_id, run.spreadsheet_id = _ids_from(document, spreadsheet)
        run.progress(f"found session {run.session_id}: checking it is complete")
    else:
        run.document_id, run.spreadsheet_id = run.api.generate_ids(2)
    doc_body, sheet_body = _file_bodies(run.config(), run.options.parent)
    if document is None:
        run.progress(f"creating the Doc {run.template.title!r}")
        run.api.create_file(doc_body)
    if spreadsheet is None:
        run.progress("creating the companion Sheet")
        run.api.create_file(sheet_body)


def _settle_race(run: _Creating) -> None:
    """Phase 3: another organizer may have created the same session in the meantime: the Doc
    created first wins for everybody (whoever looks after creating theirs sees it), and the
    other run's files go to the trash."""
    winner = _find_existing(run.api, [run.session_id])
    won = winner.get(ROLE_DOCUMENT)
    if won is not None and won["id"] != run.document_id:
        run.progress("another run created this session at the same time: using its files")
        for file_id in (run.document_id, run.spreadsheet_id):
            run.api.trash_file(file_id)
        run.document_id, run.spreadsheet_id = _ids_from(won, winner.get(ROLE_SPREADSHEET))
        run.existed = True


def _lay_out(run: _Creating) -> None:
    """Phase 4: the Sheet's tabs (unless they are there) and the Doc's layout (unless it is)."""
    api, spreadsheet_id = run.api, run.spreadsheet_id
    if not run.existed or not _sheet_ready(api, spreadsheet_id):
        config = run.config()
        tabs = SheetTabs.in_language(session_language(config.facts))
        run.progress(
            f"laying out the Sheet: {tabs[CONTRIBUTIONS]}, {tabs[MATRIX]}, {tabs[ACTIONS]}"
        )
        try:
            api.update_spreadsheet(spreadsheet_id, _sheet_requests(config), idempotent=False)
        except AlreadyExists:
            # A concurrent run laid it out first (its tabs exist now): that is the same Sheet.
            if not _sheet_ready(api, spreadsheet_id):
                raise
        run.wrote = True
    run.wrote = (
        _write_doc(api, run.template, run.document_id, spreadsheet_id, run.progress) or run.wrote
    )


# -- a session that exists: what changed, and --update ---------------------------------------


def _principal(share: Share) -> str:
    return (share.email or share.domain or share.kind).lower()


def _held(api: GoogleApi, file_id: str) -> dict[str, str]:
    """Who holds a permission on the file, and which role."""
    held: dict[str, str] = {}
    for perm in api.list_permissions(file_id):
        who = (perm.get("emailAddress") or perm.get("domain") or perm["type"]).lower()
        held[who] = perm["role"]
    return held


def _when_facts(facts: dict[str, Any]) -> dict[str, str]:
    return {
        key: str(facts[key])
        for key in ("event", "location", "date", "start", "timezone", "duration_minutes", "format")
        if facts.get(key) not in (None, "")
    }


def compare_session(
    stored: SessionConfig,
    wanted: SessionConfig,
    shares: Sequence[Share],
    held: dict[str, str],
) -> list[Change]:
    """How the session create would make now (wanted) differs from the one that exists."""
    changes: list[Change] = []
    had = {q.id.casefold(): q for q in stored.questions}
    want = {q.id.casefold(): q for q in wanted.questions}
    for key, q in want.items():
        old = had.get(key)
        if old is None:
            changes.append(Change("question", f"question {q.id} added: {q.text!r}", True))
        elif old.text != q.text:
            changes.append(
                Change("question", f"question {old.id} renamed: {old.text!r} -> {q.text!r}", True)
            )
        if old is not None and old.prompts != q.prompts:
            changes.append(Change("question", f"question {old.id}: its prompts changed", False))
    for key, q in had.items():
        if key not in want:
            changes.append(
                Change("question", f"question {q.id} is no longer in the template", False)
            )
    had_groups = {g.key: g for g in stored.groups}
    want_groups = {g.key: g for g in wanted.groups}
    for key, g in want_groups.items():
        old_group = had_groups.get(key)
        if old_group is None:
            changes.append(Change("group", f"group {g.name!r} ({key}) added", False))
        elif (old_group.name, old_group.aliases) != (g.name, g.aliases):
            changes.append(Change("group", f"group {key}: its name or short names changed", False))
    for key, g in had_groups.items():
        if key not in want_groups:
            changes.append(
                Change("group", f"group {g.name!r} ({key}) is no longer in the template", False)
            )
    old_when, new_when = _when_facts(stored.facts), _when_facts(wanted.facts)
    for key in ("date", "start", "timezone", "duration_minutes", "location", "format"):
        if old_when.get(key) != new_when.get(key):
            before, after = old_when.get(key, "(none)"), new_when.get(key, "(none)")
            label = key.replace("_", " ")
            changes.append(Change(key, f"{label}: {before} -> {after}", False))
    if stored.hybrid != wanted.hybrid:
        changes.append(
            Change(
                "hybrid",
                f"hybrid: {str(stored.hybrid).lower()} -> {str(wanted.hybrid).lower()}",
                False,
            )
        )
    old_roles = stored.facts.get("roles") or {}
    new_roles = wanted.facts.get("roles") or {}
    for role in sorted(set(old_roles) | set(new_roles)):
        before = (old_roles.get(role) or {}).get("name", "(nobody)")
        after = (new_roles.get(role) or {}).get("name", "(nobody)")
        if before != after:
            changes.append(Change("role", f"{role.replace('_', ' ')}: {before} -> {after}", False))
    for share in shares:
        role = held.get(_principal(share))
        if role is None:
            changes.append(Change("share", f"share with {share.label()}", True))
        elif role != share.role and role != "owner":
            changes.append(
                Change(
                    "share",
                    f"{_principal(share)} holds {role}; the template says {share.role}",
                    False,
                )
            )
    return changes


def _compare_and_update(
    api: GoogleApi,
    wanted: SessionConfig,
    shares: Sequence[Share],
    options: CreateOptions,
    document_id: str,
    spreadsheet_id: str,
    progress: Progress,
) -> tuple[list[Change], list[str]]:
    read = read_tabs(
        api, spreadsheet_id, [CONFIG], SheetTabs.in_language(session_language(wanted.facts))
    )
    values = read[CONFIG]
    stored = parse_config(values, read.tabs)
    on_doc, on_sheet = _held(api, document_id), _held(api, spreadsheet_id)
    missing = [s for s in shares if _principal(s) not in on_doc or _principal(s) not in on_sheet]
    # Shares create was asked for when it made the session (kept in the config) and that are
    # still missing: an earlier run was interrupted while sharing, so this run completes it.
    # Sessions made before the config kept them: every missing share is completed.
    intended = _intended_shares(stored)
    resume = [s for s in missing if intended is None or _principal(s) in intended]
    later = [s for s in shares if s not in resume]
    changes = compare_session(stored, wanted, later, on_doc)
    shared: list[str] = []
    if resume:
        progress("completing an earlier run's sharing")
        shared += _share(api, [document_id, spreadsheet_id], resume, options, True, progress)
    if not options.update or not any(c.safe for c in changes):
        return changes, shared
    merged = _merged_questions(stored, wanted)
    if merged != stored.questions:
        _update_doc_questions(api, stored, merged, document_id, progress)
    new_shares = [s for s in later if s in missing]
    if new_shares:
        shared += _share(api, [document_id, spreadsheet_id], new_shares, options, True, progress)
    facts = {**stored.facts, SHARES_FACT: _shares_fact([*_stored_shares(stored), *new_shares])}
    _update_sheet(api, dataclasses.replace(stored, questions=merged, facts=facts), spreadsheet_id)
    applied = [dataclasses.replace(c, applied=True) if c.safe else c for c in changes]
    return applied, shared


SHARES_FACT = "shares"  # in the config's facts: [[who, role], ...] create was asked to share with


def _shares_fact(shares: Sequence[Share]) -> list[list[str]]:
    out: dict[str, str] = {}
    for share in shares:
        out.setdefault(_principal(share), share.role)
    return [[who, role] for who, role in out.items()]


def _stored_shares(stored: SessionConfig) -> list[Share]:
    entries = stored.facts.get(SHARES_FACT)
    if not isinstance(entries, list):
        return []
    return [
        Share(str(e[0]), str(e[1]))
        for e in entries
        if isinstance(e, list) and len(e) == 2 and str(e[1]) in ROLES
    ]


def _intended_shares(stored: SessionConfig) -> set[str] | None:
    if not isinstance(stored.facts.get(SHARES_FACT), list):
        return None
    return {s.email or "" for s in _stored_shares(stored)}


def _merged_questions(stored: SessionConfig, wanted: SessionConfig) -> tuple[PolicyQuestion, ...]:
    """The stored questions with the template's text, then the template's new ones."""
    want = {q.id.casefold(): q for q in wanted.questions}
    had = {q.id.casefold() for q in stored.questions}
    kept = tuple(
        dataclasses.replace(q, text=want[q.id.casefold()].text) if q.id.casefold() in want else q
        for q in stored.questions
    )
    return kept + tuple(q for q in wanted.questions if q.id.casefold() not in had)


def _range_span(doc: dict[str, Any], name: str) -> tuple[int, int] | None:
    entry = (doc.get("namedRanges") or {}).get(name)
    if not entry:
        return None
    spans = [
        (r["startIndex"], r["endIndex"])
        for nr in entry.get("namedRanges", [])
        for r in nr.get("ranges", [])
    ]
    return (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None


def _paragraph_at(doc: dict[str, Any], index: int) -> tuple[int, int, str] | None:
    """(start, end, text without its newline) of the body paragraph that starts at index."""
    for el in doc.get("body", {}).get("content", []):
        if el.get("startIndex") == index and "paragraph" in el:
            text = "".join(
                e.get("textRun", {}).get("content", "") for e in el["paragraph"]["elements"]
            )
            return el["startIndex"], el["endIndex"], text.rstrip("\n")
    return None


def _update_doc_questions(
    api: GoogleApi,
    stored: SessionConfig,
    merged: tuple[PolicyQuestion, ...],
    document_id: str,
    progress: Progress,
) -> None:
    """Rename question headings and append new question sections after the last one, in one
    batchUpdate that requires the revision it read: contributions are never touched."""
    new_by_id = {q.id.casefold(): q for q in merged}
    for _attempt in range(MAX_LAYOUT_ATTEMPTS):
        doc = api.get_document(document_id)
        requests: list[dict[str, Any]] = []
        # New sections go where the last question's section ends (its range's end: text
        # inserted there lands after that range, so no contribution moves into another).
        ends = [
            span[1]
            for q in stored.questions
            if (span := _range_span(doc, RANGE_QUESTION + q.id)) is not None
        ]
        if not ends:
            raise SessionError(
                f"document {document_id}: no question section found (its named ranges are gone); "
                "--update cannot place new questions"
            )
        # A section already in the Doc was added by an earlier --update that stopped before
        # it wrote the config: not again.
        added = [
            q
            for q in merged[len(stored.questions) :]
            if _range_span(doc, RANGE_QUESTION + q.id) is None
        ]
        if added:
            progress(f"adding {', '.join(q.id for q in added)} to the Doc")
            requests += question_section_requests(added, max(ends))
        # The new sections go in first: they lie below every heading renamed, so the renames'
        # indices stay valid; the renames then go from the bottom up for the same reason.
        renames = []
        for q in stored.questions:
            new = new_by_id[q.id.casefold()]
            if new.text == q.text:
                continue
            span = _range_span(doc, RANGE_QUESTION + q.id)
            para = _paragraph_at(doc, span[0]) if span is not None else None
            if para is None:
                # Nothing written yet: better no change than a config that disagrees with the Doc.
                raise SessionError(
                    f"document {document_id}: the section of {q.id} no longer starts with its "
                    "heading (its named range was lost or moved); nothing was updated. Run "
                    f"sync first, or rename {q.id}'s heading by hand"
                )
            start, _end, text = para
            if text != f"{q.id}. {new.text}":  # an earlier --update may have renamed it
                renames.append((start, start + utf16_len(text), f"{q.id}. {new.text}"))
        for start, stop, heading in sorted(renames, reverse=True):
            progress(f"renaming {heading.split('.', 1)[0]} in the Doc")
            # Insert before the old heading's newline, then delete the old text: the section's
            # range keeps its start, so the new heading stays inside it.
            requests.append({"insertText": {"location": {"index": stop}, "text": heading}})
            requests.append(
                {"deleteContentRange": {"range": {"startIndex": start, "endIndex": stop}}}
            )
        if not requests:
            return
        try:
            api.update_document(document_id, requests, required_revision_id=doc.get("revisionId"))
            return
        except RevisionMismatch:
            continue
    raise ConflictError(
        f"document {document_id} kept changing while create --update tried to change it; "
        "run it again"
    )


def _update_sheet(api: GoogleApi, config: SessionConfig, spreadsheet_id: str) -> None:
    """The hidden config rewritten (questions, shares); the Matrix gets room for a column per
    new question."""
    meta = api.get_spreadsheet(
        spreadsheet_id, fields="sheets.properties(sheetId,title,gridProperties.columnCount)"
    )
    tabs = SheetTabs.from_metadata(meta)  # whatever language or name the tabs have
    columns = next(
        (
            int(s["properties"].get("gridProperties", {}).get("columnCount", 0))
            for s in meta.get("sheets", [])
            if s["properties"]["title"] == tabs[MATRIX]
        ),
        0,
    )
    needed = len(matrix_rows(config, {}, {})[0])
    if columns and needed > columns:
        api.update_spreadsheet(
            spreadsheet_id,
            [
                {
                    "appendDimension": {
                        "sheetId": MATRIX_ID,
                        "dimension": "COLUMNS",
                        "length": needed - columns,
                    }
                }
            ],
        )
    api.update_values(
        spreadsheet_id, [{"range": tabs.range(CONFIG, "A1"), "values": config_rows(config)}]
    )


def _session_config(
    template: Template,
    session_id: str,
    document_id: str,
    spreadsheet_id: str,
    shares: Sequence[Share] = (),
) -> SessionConfig:
    config = template.to_session_config(session_id)
    return dataclasses.replace(
        config,
        document_id=document_id,
        spreadsheet_id=spreadsheet_id,
        facts={**config.facts, LAYOUT_FACT: LAYOUT_VERSION, SHARES_FACT: _shares_fact(shares)},
    )


def _sheet_requests(config: SessionConfig) -> list[dict[str, Any]]:
    """The Sheet's tabs, then the report's: the Report tab and the chart (one batchUpdate)."""
    return setup_requests(config) + report_setup_requests(config)


def _file_bodies(
    config: SessionConfig, parent: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Drive metadata of the Doc and of the Sheet, each naming the other in its appProperties."""
    common = {PROP_SESSION: config.session_id, PROP_VERSION: str(config.format_version)}

    def body(file_id: str, name: str, mime: str, props: dict[str, str]) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": file_id,
            "name": name,
            "mimeType": mime,
            "appProperties": {**common, **props},
        }
        if parent:
            meta["parents"] = [parent]
        return meta

    return (
        body(
            config.document_id,
            config.title,
            DOC_MIME,
            {PROP_ROLE: ROLE_DOCUMENT, PROP_SPREADSHEET: config.spreadsheet_id},
        ),
        body(
            config.spreadsheet_id,
            f"{config.title} — contributions",
            SHEET_MIME,
            {PROP_ROLE: ROLE_SPREADSHEET, PROP_DOCUMENT: config.document_id},
        ),
    )


def _find_existing(api: GoogleApi, session_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The session's files by role (under any of its ids, first id first). Should two runs have
    raced, the pair whose Doc was created first is the session, for every run alike; the others
    are left for the trash."""
    either = " or ".join(
        f"appProperties has {{ key='{PROP_SESSION}' and value='{sid}' }}" for sid in session_ids
    )
    query = (
        f"({either}) and trashed = false"
        if len(session_ids) > 1
        else f"{either} and trashed = false"
    )
    by_role: dict[str, list[dict[str, Any]]] = {}
    for item in api.find_files(query):
        role = (item.get("appProperties") or {}).get(PROP_ROLE)
        if role in (ROLE_DOCUMENT, ROLE_SPREADSHEET):
            by_role.setdefault(role, []).append(item)
    found: dict[str, dict[str, Any]] = {}
    rank = {sid: i for i, sid in enumerate(session_ids)}

    def order(f: dict[str, Any]) -> tuple[int, str, str]:
        sid = (f.get("appProperties") or {}).get(PROP_SESSION, "")
        return (rank.get(sid, len(rank)), f.get("createdTime", ""), f["id"])

    documents = sorted(by_role.get(ROLE_DOCUMENT, []), key=order)
    sheets = {f["id"]: f for f in by_role.get(ROLE_SPREADSHEET, [])}
    if documents:
        found[ROLE_DOCUMENT] = documents[0]
        paired = (documents[0].get("appProperties") or {}).get(PROP_SPREADSHEET)
        if paired in sheets:
            found[ROLE_SPREADSHEET] = sheets[paired]
    elif sheets:
        found[ROLE_SPREADSHEET] = min(sheets.values(), key=order)
    return found


def _ids_from(
    document: dict[str, Any] | None, spreadsheet: dict[str, Any] | None
) -> tuple[str, str]:
    """After an interrupted create, one file names the other's reserved id: reuse it."""
    if document is not None:
        props = document.get("appProperties") or {}
        sheet_id = spreadsheet["id"] if spreadsheet else props.get(PROP_SPREADSHEET)
        if not sheet_id:
            raise SessionError(f"the session Doc {document['id']} does not name its Sheet")
        return document["id"], sheet_id
    assert spreadsheet is not None
    doc_id = (spreadsheet.get("appProperties") or {}).get(PROP_DOCUMENT)
    if not doc_id:
        raise SessionError(f"the session Sheet {spreadsheet['id']} does not name its Doc")
    return doc_id, spreadsheet["id"]


def _write_doc(
    api: GoogleApi,
    template: Template,
    document_id: str,
    spreadsheet_id: str,
    progress: Progress,
) -> bool:
    """Lay out the Doc unless it is already laid out, requiring the revision just read, so that
    two runs racing on one session cannot write the sections twice. True if this run wrote."""
    requests = build_session_doc(
        template, spreadsheet_url=spreadsheet_url(spreadsheet_id), spreadsheet_id=spreadsheet_id
    )
    for _attempt in range(MAX_LAYOUT_ATTEMPTS):
        doc = api.get_document(document_id)
        if RANGE_ACTIONS in (doc.get("namedRanges") or {}):
            return False
        progress("writing the Doc: facts, instructions, one section per policy question")
        try:
            api.update_document(document_id, requests, required_revision_id=doc.get("revisionId"))
            return True
        except RevisionMismatch:
            continue  # someone else wrote: look again
    raise ConflictError(
        f"document {document_id} kept changing while create tried to lay it out; run create again"
    )


def _sheet_ready(api: GoogleApi, spreadsheet_id: str) -> bool:
    data = api.get_spreadsheet(spreadsheet_id, fields="sheets.properties(sheetId,title)")
    return not SheetTabs.from_metadata(data).missing([CONTRIBUTIONS, CONFIG])


def _share(
    api: GoogleApi,
    file_ids: list[str],
    shares: Sequence[Share],
    options: CreateOptions,
    existed: bool,
    progress: Progress,
) -> list[str]:
    done: list[str] = []
    for file_id in file_ids:
        held: set[tuple[str, str]] = set()
        if existed:
            for perm in api.list_permissions(file_id):
                held.add(
                    (
                        (perm.get("emailAddress") or perm.get("domain") or perm["type"]).lower(),
                        perm["role"],
                    )
                )
        # Drive does not support concurrent permission changes on one file: one at a time.
        for share in shares:
            key = ((share.email or share.domain or share.kind).lower(), share.role)
            if key in held:
                continue
            api.share(file_id, share.permission(), notify=options.notify, message=options.message)
            if share.label() not in done:  # on either file: a rerun may only need the second
                progress(f"shared with {share.label()}")
                done.append(share.label())
    return done


def _plan(
    template: Template, session_id: str, shares: Sequence[Share], options: CreateOptions
) -> CreatedSession:
    """What create would do, with placeholder ids, calling nothing."""
    doc_id, sheet_id = "DOCUMENT_ID", "SPREADSHEET_ID"
    config = _session_config(template, session_id, doc_id, sheet_id, shares)
    doc_body, sheet_body = _file_bodies(config, options.parent)
    sheet_requests = _sheet_requests(config)
    doc_requests = build_session_doc(
        template, spreadsheet_url=spreadsheet_url(sheet_id), spreadsheet_id=sheet_id
    )
    requests: list[dict[str, Any]] = [
        {"drive.files.create": doc_body},
        {"drive.files.create": sheet_body},
        {"sheets.spreadsheets.batchUpdate": {"requests": sheet_requests}},
        {"docs.documents.batchUpdate": {"requests": doc_requests}},
    ]
    for share in shares:
        for file_id in (doc_id, sheet_id):
            requests.append({"drive.permissions.create": {"fileId": file_id, **share.permission()}})
    return CreatedSession(
        session_id=session_id,
        document_id=doc_id,
        document_url=document_url(doc_id),
        spreadsheet_id=sheet_id,
        spreadsheet_url=spreadsheet_url(sheet_id),
        shared_with=[s.label() for s in shares],
        requests=requests,
        outline=plan_outline(
            template, session_id, config, sheet_requests, doc_requests, shares, options
        ),
    )


NOT_APPLIED = "change it in the Doc and the Sheet by hand, or make a separate session with --new"


def describe_existing(created: CreatedSession, update: bool) -> list[str]:
    """What a run of create on a session that exists tells the organizer, one line each."""
    if not created.existed:
        return []
    if not created.changes:
        return ["this session already exists: nothing new was created"]
    if not update:
        lines = [
            "this session already exists and the template differs from it; "
            "the Doc and the Sheet were not updated:"
        ]
        for c in created.changes:
            how = "create --update applies this" if c.safe else f"not by --update: {NOT_APPLIED}"
            lines.append(f"  {c.text} ({how})")
        if any(c.safe for c in created.changes):
            lines.append("run create --update to apply what it can; contributions are not touched")
        return lines
    lines = []
    done = [c for c in created.changes if c.applied]
    if done:
        lines.append("this session already exists; --update applied (no contribution touched):")
        lines += [f"  {c.text}" for c in done]
    left = created.pending
    if left:
        lines.append(f"not applied by --update ({NOT_APPLIED}):")
        lines += [f"  {c.text}" for c in left]
    return lines


# -- the dry run's outline -------------------------------------------------------------------

_OUTLINE_WIDTH = 100


def _short(text: str) -> str:
    return text if len(text) <= _OUTLINE_WIDTH else text[: _OUTLINE_WIDTH - 1] + "…"


def doc_outline(requests: Sequence[dict[str, Any]]) -> list[str]:
    """The Doc a layout's requests make, one line per paragraph, as a person would see it:
    `#` headings, `•` bullets, italics marked with _underscores_. Read from the requests
    themselves, so it shows what would be sent."""
    text = next(r["insertText"]["text"] for r in requests if "insertText" in r)
    start = next(r["insertText"]["location"]["index"] for r in requests if "insertText" in r)
    spans: list[tuple[int, int, str]] = []
    at = start
    for paragraph in text.split("\n"):
        end = at + utf16_len(paragraph)
        spans.append((at, end, paragraph))
        at = end + 1

    def covered(kind: str, index: int) -> dict[str, Any] | None:
        for r in requests:
            body = r.get(kind)
            if body and body["range"]["startIndex"] <= index < body["range"]["endIndex"]:
                return body
        return None

    lines = []
    for begin, _end, paragraph in spans:
        style = (covered("updateParagraphStyle", begin) or {}).get("paragraphStyle", {})
        named = style.get("namedStyleType", "")
        italic = any(
            r.get("updateTextStyle", {}).get("textStyle", {}).get("italic")
            and r["updateTextStyle"]["range"]["startIndex"] <= begin + 1
            and begin < r["updateTextStyle"]["range"]["endIndex"]
            for r in requests
        )
        shown = f"_{paragraph}_" if italic and paragraph else paragraph
        if named == "TITLE":
            lines.append(f"  {shown}")
        elif named == "HEADING_1":
            lines.append(f"  # {shown}")
        elif named == "HEADING_2":
            lines.append(f"    ## {shown}")
        elif covered("createParagraphBullets", begin):
            lines.append(f"      • {shown or '(empty bullet: contributions are typed here)'}")
        else:
            lines.append(f"      {shown}")
    return [_short(line) for line in lines]


def sheet_outline(requests: Sequence[dict[str, Any]]) -> list[str]:
    """The Sheet's tabs in order, each with its header row (or, for the config, what it holds)."""
    # In the order the Sheet shows them: each addSheet inserts at its index.
    order: list[dict[str, Any]] = []
    for r in requests:
        if "addSheet" in r:
            props = r["addSheet"]["properties"]
            order.insert(min(props.get("index", len(order)), len(order)), props)
    tabs = {props["sheetId"]: (props["title"], bool(props.get("hidden"))) for props in order}
    first_rows: dict[int, list[str]] = {}
    for r in requests:
        cells = r.get("updateCells")
        if cells and cells["start"].get("rowIndex", 0) == 0 and cells["start"]["sheetId"] in tabs:
            row = cells["rows"][0].get("values", []) if cells.get("rows") else []
            first_rows.setdefault(
                cells["start"]["sheetId"],
                [str(next(iter(c.get("userEnteredValue", {"": ""}).values()))) for c in row],
            )
    lines = []
    for sheet_id, (title, hidden) in tabs.items():
        label = f"  tab {title!r}" + (" (hidden)" if hidden else "")
        if sheet_id == CONFIG_ID:
            lines.append(f"{label}: the session's groups, questions and ids, for every command")
        elif sheet_id in first_rows:
            cells = [c if len(c) <= 30 else c[:29] + "…" for c in first_rows[sheet_id] if c]
            lines.append(f"{label}: {' | '.join(cells)}")
        else:
            lines.append(label)
    return lines


def plan_outline(
    template: Template,
    session_id: str,
    config: SessionConfig,
    sheet_requests: Sequence[dict[str, Any]],
    doc_requests: Sequence[dict[str, Any]],
    shares: Sequence[Share],
    options: CreateOptions,
) -> list[str]:
    """What `create --dry-run` prints: the Doc, the Sheet and the shares, nothing called."""
    event = f" ({template.event})" if template.event else ""
    lines = [f"create would make session {session_id}{event}, two files:", ""]
    lines.append(f"Doc {config.title!r}:")
    lines += doc_outline(doc_requests)
    lines += ["", f"Sheet {config.title + ' — contributions'!r}:"]
    lines += sheet_outline(sheet_requests)
    lines.append("")
    if shares:
        notify = "with an e-mail" if options.notify else "without e-mail"
        lines.append(f"shared ({notify}), on both files:")
        lines += [f"  {s.label()}" for s in shares]
    else:
        lines.append("shared with nobody (only you can open the files)")
    lines.append("nothing was called: --json prints the requests")
    return lines
