"""Organizers' workflow: turn a template into the session's shared Doc and companion Sheet."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .api import DOC_MIME, SHEET_MIME, GoogleApi
from .errors import ApiCallError, ConflictError, RevisionConflict, SessionError, UsageError
from .model import RANGE_ACTIONS, SessionConfig
from .report.sheet import LAYOUT_FACT, LAYOUT_VERSION
from .report.sheet import setup_requests as report_setup_requests
from .session import (
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
from .session_doc import build_session_doc
from .sheet import CONFIG, CONTRIBUTIONS, setup_requests
from .template import Template

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
    dry_run: bool = False
    session_id: str | None = None


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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("existed", "found", "wrote", "shared_with", "requests"):
            data.pop(key)
        return data


def session_id_for(template: Template) -> str:
    """The same template for the same event and slot gives the same session id, so `create`
    run twice finds the first run's files instead of making new ones."""
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
    if "@" not in spec or spec.startswith("@") or spec.endswith("@"):
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


def create_session(
    api: GoogleApi | None,
    template: Template,
    options: CreateOptions,
    *,
    progress: Progress = lambda _: None,
) -> CreatedSession:
    """Create (or find) the session's Doc and Sheet, share them, and return where they are."""
    shares = merge_shares([*template_shares(template), *options.shares])
    session_id = options.session_id or session_id_for(template)
    if options.new:
        session_id = f"{session_id}-{secrets.token_hex(3)}"
    if options.dry_run:
        return _plan(template, session_id, shares, options)
    assert api is not None
    # A fresh session id (--new) cannot have files yet: no need to look.
    found = {} if options.new else _find_existing(api, session_id)
    document = found.get(ROLE_DOCUMENT)
    spreadsheet = found.get(ROLE_SPREADSHEET)
    existed = document is not None and spreadsheet is not None
    found_any = document is not None or spreadsheet is not None
    wrote = document is None or spreadsheet is None  # a file is about to be created
    if found_any:
        document_id, spreadsheet_id = _ids_from(document, spreadsheet)
        progress(f"found session {session_id}: checking it is complete")
    else:
        document_id, spreadsheet_id = api.generate_ids(2)
    config = _session_config(template, session_id, document_id, spreadsheet_id)
    doc_body, sheet_body = _file_bodies(config, options.parent)
    if document is None:
        progress(f"creating the Doc {template.title!r}")
        api.create_file(doc_body)
    if spreadsheet is None:
        progress("creating the companion Sheet")
        api.create_file(sheet_body)
    if not existed and not options.new:
        # Another organizer may have created the same session in the meantime: the Doc created
        # first wins for everybody (whoever looks after creating theirs sees it), and the other
        # run's files go to the trash.
        winner = _find_existing(api, session_id)
        won = winner.get(ROLE_DOCUMENT)
        if won is not None and won["id"] != document_id:
            progress("another run created this session at the same time: using its files")
            for file_id in (document_id, spreadsheet_id):
                api.trash_file(file_id)
            document_id, spreadsheet_id = _ids_from(won, winner.get(ROLE_SPREADSHEET))
            existed = True
            config = _session_config(template, session_id, document_id, spreadsheet_id)
    if not existed or not _sheet_ready(api, spreadsheet_id):
        progress("laying out the Sheet: Contributions, Matrix, Action points")
        try:
            api.update_spreadsheet(spreadsheet_id, _sheet_requests(config), idempotent=False)
        except ApiCallError as exc:
            # A concurrent run laid it out first (its tabs exist now): that is the same Sheet.
            if "already exists" not in str(exc) or not _sheet_ready(api, spreadsheet_id):
                raise
        wrote = True
    wrote = _write_doc(api, template, document_id, spreadsheet_id, progress) or wrote
    shared = _share(api, [document_id, spreadsheet_id], shares, options, existed, progress)
    return CreatedSession(
        session_id=session_id,
        document_id=document_id,
        document_url=document_url(document_id),
        spreadsheet_id=spreadsheet_id,
        spreadsheet_url=spreadsheet_url(spreadsheet_id),
        existed=existed,
        found=found_any,
        wrote=wrote or bool(shared),
        shared_with=shared,
    )


def _session_config(
    template: Template, session_id: str, document_id: str, spreadsheet_id: str
) -> SessionConfig:
    config = template.to_session_config(session_id)
    return dataclasses.replace(
        config,
        document_id=document_id,
        spreadsheet_id=spreadsheet_id,
        facts={**config.facts, LAYOUT_FACT: LAYOUT_VERSION},
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


def _find_existing(api: GoogleApi, session_id: str) -> dict[str, dict[str, Any]]:
    """The session's files by role. Should two runs have raced, the pair whose Doc was created
    first is the session, for every run alike; the others are left for the trash."""
    query = (
        f"appProperties has {{ key='{PROP_SESSION}' and value='{session_id}' }} and trashed = false"
    )
    by_role: dict[str, list[dict[str, Any]]] = {}
    for item in api.find_files(query):
        role = (item.get("appProperties") or {}).get(PROP_ROLE)
        if role in (ROLE_DOCUMENT, ROLE_SPREADSHEET):
            by_role.setdefault(role, []).append(item)
    found: dict[str, dict[str, Any]] = {}
    documents = sorted(
        by_role.get(ROLE_DOCUMENT, []), key=lambda f: (f.get("createdTime", ""), f["id"])
    )
    sheets = {f["id"]: f for f in by_role.get(ROLE_SPREADSHEET, [])}
    if documents:
        found[ROLE_DOCUMENT] = documents[0]
        paired = (documents[0].get("appProperties") or {}).get(PROP_SPREADSHEET)
        if paired in sheets:
            found[ROLE_SPREADSHEET] = sheets[paired]
    elif sheets:
        found[ROLE_SPREADSHEET] = min(
            sheets.values(), key=lambda f: (f.get("createdTime", ""), f["id"])
        )
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
        except RevisionConflict:
            continue  # someone else wrote: look again
    raise ConflictError(
        f"document {document_id} kept changing while create tried to lay it out; run create again"
    )


def _sheet_ready(api: GoogleApi, spreadsheet_id: str) -> bool:
    data = api.get_spreadsheet(spreadsheet_id, fields="sheets.properties.title")
    titles = {s["properties"]["title"] for s in data.get("sheets", [])}
    return CONTRIBUTIONS in titles and CONFIG in titles


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
            if file_id == file_ids[0]:
                progress(f"shared with {share.label()}")
                done.append(share.label())
    return done


def _plan(
    template: Template, session_id: str, shares: Sequence[Share], options: CreateOptions
) -> CreatedSession:
    """What create would do, with placeholder ids, calling nothing."""
    doc_id, sheet_id = "DOCUMENT_ID", "SPREADSHEET_ID"
    config = _session_config(template, session_id, doc_id, sheet_id)
    doc_body, sheet_body = _file_bodies(config, options.parent)
    requests: list[dict[str, Any]] = [
        {"drive.files.create": doc_body},
        {"drive.files.create": sheet_body},
        {"sheets.spreadsheets.batchUpdate": {"requests": _sheet_requests(config)}},
        {
            "docs.documents.batchUpdate": {
                "requests": build_session_doc(
                    template, spreadsheet_url=spreadsheet_url(sheet_id), spreadsheet_id=sheet_id
                )
            }
        },
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
    )
