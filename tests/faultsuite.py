"""Fault-injection harness: every command, under every fault, at every request position."""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from gdoc_sync import api as api_module
from gdoc_sync import clients as clients_module
from gdoc_sync.actions import build_action_list, section_text, sheet_rows
from gdoc_sync.api import GoogleApi
from gdoc_sync.clients import Clients, for_emulator
from gdoc_sync.contributions import parse_session_doc
from gdoc_sync.create import CreateOptions, Share, create_session
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.faults import Fault, FaultPlan
from gdoc_sync.errors import GdocSyncError
from gdoc_sync.finalize import _actions_range, _current_text, finalize_session
from gdoc_sync.journal import Journal
from gdoc_sync.model import RANGE_ACTIONS, RANGE_QUESTION, Contribution, SessionConfig, Status
from gdoc_sync.note import add_note
from gdoc_sync.reconcile import sheet_text
from gdoc_sync.retry import RetryPolicy
from gdoc_sync.session import PROP_ROLE, PROP_SESSION, LocalState
from gdoc_sync.sheet import (
    ACTION_HEADER,
    ACTIONS,
    CONFIG,
    CONTRIBUTIONS,
    FINAL_WORDING,
    HUMAN_COLUMNS,
    ID,
    INCLUDE,
    NOTE,
    PRIORITY,
    QUESTION,
    STATUS,
    TEXT,
    ContributionsTab,
    column_letter,
    parse_config,
    quote_sheet,
)
from gdoc_sync.sync import SyncOptions, sync_session
from gdoc_sync.template import Template, load_template
from gdoc_sync.watch import watch_session

TEMPLATE = "igf2025-ws354"
SHARES = (Share("moderator@example.org", "writer"), Share("observer@example.org", "commenter"))
COMMANDS = ("create", "sync", "watch", "note", "finalize")
WATCH_ROUNDS = 3
NOTE_QUESTION = "Q3"
NOTE_TEXT = "Tech companies: Publish the human rights impact of each product launch (Lee Wong, UN)"
RETRY_AFTER = 7.0
LATENCY_MS = 15.0
ERROR_LINE = re.compile(r"^error: \S")

# The Doc before the commands run: synced once by both moderators, then curated.
BASELINE_NOTES = (
    (
        "Q1",
        "Investors: Make HRDD part of every investment decision (Caroline Eriksen, governments)",
    ),
    ("Q1", "CSO: Share case evidence of harms with investors (Amara Okafor, civil society)"),
    ("Q2", "Governments: Make HRDD laws cover investors (Zoë Ångström, civil society)"),
    ("Q2", "Note: several participants asked for a shared definition of salient risks"),
    ("online", "UN: Update B-Tech guidance on investor leverage (Priya Raman, UN, online)"),
)
# ...and what moderators typed afterwards, which the next sync has to pick up.
PENDING_NOTES = (
    ("Q3", "Governments: Fund civil society research on tech risks (Mei Lin, civil society)"),
    ("Q4", "Investors: Publish engagement outcomes, including failures (Ana Silva, investors)"),
)
EDITED_FROM, EDITED_TO = "part of every investment", "part of every investment and stewardship"
STRUCK = "Note: several participants"
DELETED = "Make HRDD laws cover investors"
CURATION = {  # contribution id -> human-owned cells a rapporteur wrote before any fault
    "C0001": {INCLUDE: "TRUE", FINAL_WORDING: "Make HRDD part of every investment decision",
              PRIORITY: "1"},
    "C0002": {INCLUDE: "TRUE", PRIORITY: "2", NOTE: "check wording with Amara"},
    "C0005": {INCLUDE: "FALSE", NOTE: "out of scope"},
}  # fmt: skip

# Every fault the suite injects, by label: (action, status, retry_after, times).
FAULTS: dict[str, tuple[str, int, float | None, int]] = {
    "429 retry-after": ("error", 429, RETRY_AFTER, 1),
    "429": ("error", 429, None, 1),
    "500": ("error", 500, None, 1),
    "503": ("error", 503, None, 1),
    "dropped connection": ("drop", 503, None, 1),
    "latency": ("latency", 200, None, 1),
    "apply then fail": ("apply_then_fail", 500, None, 1),
    "apply then drop": ("apply_then_drop", 503, None, 1),
    "500 persistent": ("error", 500, None, -1),
}
CONCURRENT = ("concurrent note", "concurrent typing", "concurrent run")


def make_fault(label: str, position: int) -> Fault:
    action, status, retry_after, times = FAULTS[label]
    return Fault(
        action=action,
        path=".*",
        status=status,
        retry_after=retry_after,
        latency_ms=LATENCY_MS if action == "latency" else 0.0,
        times=times,
        skip=position,
    )


# -- the emulator and its two ports ---------------------------------------------------------------


class SuiteEmulator(Emulator):
    """An in-memory emulator that numbers the command's requests and can act between them.

    Requests through the side port (the harness's own reads, other moderators, checks) see no
    faults and are not numbered; `after_request(position)` runs once each numbered request has
    been answered, before the command sees the answer: the gap where concurrent edits land."""

    def __init__(self) -> None:
        self._side = threading.local()
        self._quiet = FaultPlan()
        self._plan = FaultPlan()
        self._count_lock = threading.Lock()
        self.numbered: list[tuple[str, str]] = []
        self.after_request: Callable[[int], None] | None = None
        super().__init__(None)

    @property  # type: ignore[override]
    def faults(self) -> FaultPlan:
        return self._quiet if getattr(self._side, "on", False) else self._plan

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self._plan = plan

    def dispatch(
        self, method: str, path: str, query: str, body: bytes, headers: dict[str, str]
    ) -> Any:
        if getattr(self._side, "on", False):
            return super().dispatch(method, path, query, body, headers)
        with self._count_lock:
            position = len(self.numbered)
            self.numbered.append((method, path))
        try:
            return super().dispatch(method, path, query, body, headers)
        finally:
            hook = self.after_request
            if hook is not None:
                hook(position)

    def side_dispatch(self, *args: Any) -> Any:
        before = getattr(self._side, "on", False)
        self._side.on = True
        try:
            return self.dispatch(*args)
        finally:
            self._side.on = before


class Port:
    """What the in-process transport calls: the scenario's current emulator, main or side door."""

    def __init__(self, side: bool) -> None:
        self.side = side
        self.target: SuiteEmulator | None = None

    def dispatch(self, *args: Any) -> Any:
        assert self.target is not None
        return self.target.side_dispatch(*args) if self.side else self.target.dispatch(*args)


def suite_apis() -> tuple[SuiteEmulator, GoogleApi, GoogleApi]:
    """A fresh SuiteEmulator with a main api (numbered, faulted) and a side api (neither)."""
    em = SuiteEmulator()
    main, side = Port(side=False), Port(side=True)
    main.target = side.target = em
    policy = RetryPolicy(sleep=_no_sleep)
    return (
        em,
        GoogleApi(for_emulator(main), retry=policy),
        GoogleApi(for_emulator(side), retry=policy),
    )


def trim_rows(api: GoogleApi, spreadsheet_id: str, keep: dict[str, int]) -> None:
    """Delete the blank rows of some tabs past `keep` rows: every read renders the whole grid."""
    data = api.get_spreadsheet(
        spreadsheet_id, fields="sheets.properties(sheetId,title,gridProperties.rowCount)"
    )
    requests = []
    for sheet in data["sheets"]:
        props = sheet["properties"]
        rows = int(props["gridProperties"]["rowCount"])
        if props["title"] in keep and rows > keep[props["title"]]:
            span = {"startIndex": keep[props["title"]], "endIndex": rows}
            requests.append(
                {
                    "deleteDimension": {
                        "range": {"sheetId": props["sheetId"], "dimension": "ROWS", **span}
                    }
                }
            )
    if requests:
        api.update_spreadsheet(spreadsheet_id, requests)


# -- scenarios ----------------------------------------------------------------------------------


@dataclass
class Scenario:
    """One command run under one disturbance at one request position."""

    command: str
    fault: str
    position: int
    via: str = "api"  # api or cli
    outcome: str = ""  # succeeded, failed cleanly, violation
    error: str = ""
    violations: list[str] = field(default_factory=list)
    fired: bool = False  # the fault or the concurrent action did happen

    @property
    def name(self) -> str:
        return f"{self.command} / {self.fault} @ {self.position} ({self.via})"


@dataclass
class Machine:
    """One moderator's laptop: its local state and journal."""

    root: Path

    @property
    def state(self) -> LocalState:
        return LocalState(self.root / "state")

    @property
    def journal(self) -> Journal:
        return Journal(self.root / "journal")


@dataclass
class Ctx:
    """What a scenario works on."""

    em: SuiteEmulator
    root: Path
    a: Machine  # the moderator running the command
    b: Machine  # a second moderator, syncing from another laptop
    document_id: str = ""
    spreadsheet_id: str = ""
    session_id: str = ""
    status_lines: list[str] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)
    extra_notes: list[tuple[str, str]] = field(default_factory=list)  # typed by the harness
    config: SessionConfig | None = None


@dataclass
class Summary:
    """The counts the suite reports."""

    scenarios: list[Scenario] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for s in self.scenarios if s.outcome == outcome)

    @property
    def violations(self) -> list[Scenario]:
        return [s for s in self.scenarios if s.outcome == "violation"]

    def line(self) -> str:
        return (
            f"fault suite: {len(self.scenarios)} scenarios, {self.count('succeeded')} succeeded, "
            f"{self.count('failed cleanly')} failed cleanly, {len(self.violations)} violations"
        )


class Outcome(Exception):
    """The command did not end in success: why, and whether that was a clean failure."""

    def __init__(self, message: str, clean: bool) -> None:
        super().__init__(message)
        self.clean = clean


class FaultSuite:
    """Builds the baseline session once, then runs each scenario on a fresh copy of it."""

    def __init__(self, workdir: Path, *, seed: int = 354) -> None:
        self.workdir = workdir
        self.rng = random.Random(seed)
        self.template: Template = load_template(TEMPLATE)
        self.main_port, self.side_port = Port(side=False), Port(side=True)
        self.sleeps: list[float] = []
        self.main_clients: Clients = for_emulator(self.main_port)
        self.api = GoogleApi(self.main_clients, retry=self._policy())
        self.side = GoogleApi(for_emulator(self.side_port), retry=RetryPolicy(sleep=_no_sleep))
        self.clean_sequences: dict[str, list[tuple[str, str]]] = {}
        self._counter = 0
        self._baseline_db: sqlite3.Connection | None = None
        self._baseline: dict[str, str] = {}
        self._build_baseline()

    def _policy(self) -> RetryPolicy:
        rand = random.Random(self.rng.random())
        return RetryPolicy(sleep=self.sleeps.append, rand=rand.random)

    # -- baseline ---------------------------------------------------------------------------------

    def _use(self, em: SuiteEmulator) -> None:
        self.main_port.target = em
        self.side_port.target = em

    def _build_baseline(self) -> None:
        em = SuiteEmulator()
        self._use(em)
        root = self.workdir / "baseline"
        a, b = Machine(root / "a"), Machine(root / "b")
        created = create_session(self.side, self.template, CreateOptions(notify=False))
        doc = created.document_id
        for question, text in BASELINE_NOTES:
            add_note(self.side, doc, question, text)
        sync_session(self.side, doc, state=a.state, journal=a.journal)
        rows = self.side.get_values(created.spreadsheet_id, [quote_sheet(CONTRIBUTIONS)])[0]
        header = rows[0]
        data = []
        for number, row in enumerate(rows[1:], start=2):
            for name, value in CURATION.get(row[header.index(ID)], {}).items():
                data.append(
                    {
                        "range": f"{quote_sheet(CONTRIBUTIONS)}!"
                        f"{column_letter(header.index(name))}{number}",
                        "values": [[{"TRUE": True, "FALSE": False}.get(value, value)]],
                    }
                )
        self.side.update_values(created.spreadsheet_id, data)
        sync_session(self.side, doc, state=b.state, journal=b.journal)
        # What moderators typed since: new lines, a corrected typo, a withdrawal, a deletion.
        for question, text in PENDING_NOTES:
            add_note(self.side, doc, question, text)
        self.side.update_document(
            doc,
            [
                {
                    "replaceAllText": {
                        "containsText": {"text": EDITED_FROM, "matchCase": True},
                        "replaceText": EDITED_TO,
                    }
                }
            ],
        )
        _style_paragraph(self.side, doc, STRUCK, {"strikethrough": True})
        _delete_paragraph(self.side, doc, DELETED)
        # Blank rows cost the emulator time on every read: keep a few, as a tidy rapporteur might.
        trim_rows(self.side, created.spreadsheet_id, {CONTRIBUTIONS: BASELINE_ROWS, CONFIG: 40})
        self._baseline = {
            "document_id": doc,
            "spreadsheet_id": created.spreadsheet_id,
            "session_id": created.session_id,
        }
        self._baseline_root = root
        self._baseline_db = sqlite3.connect(":memory:", check_same_thread=False)
        assert em.store._shared is not None
        with em.store._shared_lock:
            em.store._shared.backup(self._baseline_db)

    def fresh(self, command: str) -> Ctx:
        """A scenario's world: an empty emulator for create, else a copy of the baseline."""
        self._counter += 1
        em = SuiteEmulator()
        root = self.workdir / f"s{self._counter:04d}"
        if command == "create":
            a, b = Machine(root / "a"), Machine(root / "b")
            ctx = Ctx(em, root, a, b)
        else:
            assert self._baseline_db is not None
            assert em.store._shared is not None
            self._baseline_db.backup(em.store._shared)
            shutil.copytree(self._baseline_root, root)
            ctx = Ctx(em, root, Machine(root / "a"), Machine(root / "b"), **self._baseline)
        em.sleep = time.sleep
        self._use(em)
        self.sleeps.clear()
        return ctx

    # -- commands ---------------------------------------------------------------------------------

    def run_command(self, ctx: Ctx, command: str, api: GoogleApi, *, rerun: bool = False) -> None:
        """Run the command the way its user would; raise what it raises."""
        if command == "create":
            created = create_session(api, self.template, CreateOptions(shares=SHARES, notify=False))
            ctx.document_id, ctx.spreadsheet_id = created.document_id, created.spreadsheet_id
            ctx.session_id = created.session_id
        elif command == "sync":
            sync_session(api, ctx.document_id, state=ctx.a.state, journal=ctx.a.journal)
        elif command == "watch":
            self._watch(ctx, api, between_rounds=not rerun)
        elif command == "note":
            add_note(api, ctx.document_id, NOTE_QUESTION, NOTE_TEXT)
        elif command == "finalize":
            finalize_session(api, ctx.document_id, state=ctx.a.state)
        else:
            raise AssertionError(command)

    def _watch(self, ctx: Ctx, api: GoogleApi, *, between_rounds: bool) -> None:
        lines: list[str] = []
        gaps = iter(
            [
                lambda: self._type_note(ctx, "Q1", "UN: Convene investors yearly (Ben Pitler, UN)"),
                lambda: self._retype(
                    ctx, "Convene investors yearly", "Convene investors twice a year"
                ),
            ]
        )

        def sleep(_: float) -> None:
            if between_rounds:
                next(gaps)()

        watch_session(
            api,
            ctx.document_id,
            state=ctx.a.state,
            journal=ctx.a.journal,
            options=SyncOptions(),
            interval=10,
            rounds=WATCH_ROUNDS,
            status=lines.append,
            sleep=sleep,
            clock=lambda: "00:00:00",
        )
        ctx.status_lines = lines
        last = lines[-1] if lines else ""
        for line in lines:
            if "\n" in line:
                raise Outcome(f"watch printed a status of several lines: {line!r}", clean=False)
        if "will retry:" in last or "NOT SYNCED" in last:
            raise Outcome(f"watch's last round failed: {last}", clean=True)

    def _retype(self, ctx: Ctx, old: str, new: str) -> None:
        self.side.update_document(
            ctx.document_id,
            [
                {
                    "replaceAllText": {
                        "containsText": {"text": old, "matchCase": True},
                        "replaceText": new,
                    }
                }
            ],
        )
        ctx.extra_notes = [(q, t.replace(old, new)) for q, t in ctx.extra_notes]

    def _type_note(self, ctx: Ctx, question: str, text: str) -> None:
        add_note(self.side, ctx.document_id, question, text)
        ctx.extra_notes.append((question, text))

    # -- running one scenario ---------------------------------------------------------------------

    def record_clean(self, command: str) -> list[tuple[str, str]]:
        """The command's requests on an undisturbed run, in order."""
        ctx = self.fresh(command)
        ctx.em.log.clear()
        self.run_command(ctx, command, self.api)
        logged = iter([(e.method, e.path) for e in ctx.em.log.entries()])
        numbered = list(ctx.em.numbered)
        # The log also holds the harness's own requests (edits between watch rounds).
        assert all(request in logged for request in numbered), "numbering skipped a request"
        self.clean_sequences[command] = numbered
        return numbered

    def run(self, scenario: Scenario) -> Scenario:
        ctx = self.fresh(scenario.command)
        disturb = self._disturbance(ctx, scenario)
        try:
            with disturb:
                if scenario.via == "cli":
                    self._run_cli(ctx, scenario.command)
                else:
                    self.run_command(ctx, scenario.command, self.api)
        except Outcome as exc:
            scenario.outcome = "failed cleanly" if exc.clean else "violation"
            scenario.error = str(exc)
            if not exc.clean:
                scenario.violations.append(str(exc))
        except GdocSyncError as exc:
            scenario.outcome = "failed cleanly"
            scenario.error = f"{type(exc).__name__}: {exc}"
            if "\n" in str(exc) or not str(exc).strip():
                scenario.violations.append(f"error message is not one line: {exc!r}")
        except Exception as exc:  # anything else leaks a traceback to the user
            scenario.outcome = "violation"
            scenario.error = f"{type(exc).__name__}: {exc}"
            scenario.violations.append(f"unclean error {type(exc).__name__}: {exc}")
        else:
            scenario.outcome = "succeeded"
        finally:
            ctx.em.after_request = None
            ctx.em.faults.clear()
        if scenario.outcome == "succeeded":
            scenario.violations += self._right_state(ctx, scenario)
            if scenario.fault == "500 persistent" and scenario.command != "watch":
                scenario.violations.append("succeeded although every request from here failed")
            if scenario.fault == "429 retry-after" and RETRY_AFTER not in ctx.sleeps:
                scenario.violations.append(f"Retry-After was not honoured (waits {ctx.sleeps})")
        scenario.violations += self._invariants(ctx, scenario, "after the run")
        scenario.violations += self._next_run(ctx, scenario)
        if scenario.violations:
            scenario.outcome = "violation"
        return scenario

    @contextmanager
    def _disturbance(self, ctx: Ctx, scenario: Scenario) -> Iterator[None]:
        if scenario.fault in FAULTS:
            fault = ctx.em.faults.add(make_fault(scenario.fault, scenario.position))
            try:
                yield
            finally:
                scenario.fired = fault.fired > 0
                ctx.sleeps = list(self.sleeps)
            return
        fired = threading.Event()
        errors: list[str] = []

        def hook(position: int) -> None:
            if position != scenario.position or fired.is_set():
                return
            fired.set()
            scenario.fired = True
            try:
                self._concurrent(ctx, scenario)
            except GdocSyncError:
                pass  # the other person's command may fail cleanly on a half-made session
            except Exception as exc:
                errors.append(f"concurrent {scenario.fault}: {type(exc).__name__}: {exc}")

        ctx.em.after_request = hook
        yield
        if errors:
            raise Outcome("; ".join(errors), clean=False)

    def _concurrent(self, ctx: Ctx, scenario: Scenario) -> None:
        if scenario.fault == "concurrent run":
            if scenario.command == "create":
                create_session(self.side, self.template, CreateOptions(notify=False))
            else:
                sync_session(self.side, ctx.document_id, state=ctx.b.state, journal=ctx.b.journal)
            return
        document_id = ctx.document_id or self._find_document(ctx)
        if not document_id:
            return
        if scenario.fault == "concurrent note":
            self._type_note(
                ctx, "Q2", f"Investors: Ask index providers about HRDD {scenario.position} (Fatima)"
            )
        else:  # someone types inside a contribution that is already in the Sheet
            doc = self.side.get_document(document_id)
            for el in doc["body"]["content"]:
                text = _paragraph_text(el)
                if "research" in text or "Make HRDD part" in text:
                    at = el["startIndex"] + text.index(" ") + 1
                    self.side.update_document(
                        document_id,
                        [{"insertText": {"location": {"index": at}, "text": "urgently "}}],
                    )
                    return

    def _find_document(self, ctx: Ctx) -> str:
        query = f"appProperties has {{ key='{PROP_ROLE}' and value='document' }}"
        found = self.side.find_files(query)
        return found[0]["id"] if found else ""

    # -- the CLI ----------------------------------------------------------------------------------

    def _run_cli(self, ctx: Ctx, command: str) -> None:
        from conftest import run_cli

        env = {"GDOC_SYNC_DATA_DIR": str(ctx.a.root), "GDOC_SYNC_BACKEND": "local"}
        args = {
            "create": [
                "create",
                TEMPLATE,
                "--no-notify",
                *(f"--share={s.email}={s.role}" for s in SHARES),
                "--json",
            ],
            "sync": ["sync", ctx.document_id],
            "watch": ["watch", ctx.document_id, "--rounds", "1"],
            "note": ["note", ctx.document_id, "-q", NOTE_QUESTION, NOTE_TEXT],
            "finalize": ["finalize", ctx.document_id],
        }[command]
        key = str(ctx.a.root / "emulator")
        clients_module._local_emulators[key] = ctx.em
        policy = self._policy
        try:
            with (
                mock.patch.object(clients_module, "for_emulator", lambda _: self.main_clients),
                mock.patch.object(api_module, "RetryPolicy", policy),
            ):
                result = run_cli(args, env)
        finally:
            clients_module._local_emulators.pop(key, None)
        if command == "create" and result.exit_code == 0:
            import json

            data = json.loads(result.stdout)
            ctx.document_id, ctx.spreadsheet_id = data["document_id"], data["spreadsheet_id"]
            ctx.session_id = data["session_id"]
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        if "Traceback" in result.stderr:
            raise Outcome(f"traceback on stderr: {result.stderr[-300:]!r}", clean=False)
        if command == "watch":
            last = lines[-1] if lines else ""
            if result.exit_code == 0 and "will retry:" in last:
                raise Outcome(f"watch's round failed: {last}", clean=True)
        if result.exit_code == 0:
            return
        errors = [line for line in lines if line.startswith("error:")]
        if len(errors) != 1 or not ERROR_LINE.match(lines[-1]):
            raise Outcome(
                f"exit {result.exit_code} without one `error: ...` line: {result.stderr!r}",
                clean=False,
            )
        raise Outcome(f"exit {result.exit_code}: {errors[0]}", clean=True)

    # -- checks -----------------------------------------------------------------------------------

    def _next_run(self, ctx: Ctx, scenario: Scenario) -> list[str]:
        """Run the command again without faults, then a plain sync: both must complete right."""
        problems: list[str] = []
        if not (scenario.command == "note" and scenario.outcome == "succeeded"):
            try:
                self.run_command(ctx, scenario.command, self.side, rerun=True)
            except (GdocSyncError, Outcome) as exc:
                return [f"the next plain {scenario.command} failed: {type(exc).__name__}: {exc}"]
            problems += self._right_state(ctx, scenario, after_rerun=True)
        try:
            if scenario.command == "create":
                trim_rows(self.side, ctx.spreadsheet_id, {CONTRIBUTIONS: BASELINE_ROWS})
                self._type_note(ctx, "Q1", "Investors: First contribution (Ana Silva, investors)")
            sync_session(self.side, ctx.document_id, state=ctx.a.state, journal=ctx.a.journal)
        except GdocSyncError as exc:
            return [*problems, f"the next plain sync failed: {type(exc).__name__}: {exc}"]
        problems += self._sheet_matches_doc(ctx)
        problems += self._invariants(ctx, scenario, "after the next plain run")
        return problems

    def _right_state(self, ctx: Ctx, scenario: Scenario, *, after_rerun: bool = False) -> list[str]:
        when = "after the rerun" if after_rerun else "after success"
        command = scenario.command
        if command == "create":
            return [f"{when}: {p}" for p in self._session_complete(ctx)]
        if command in ("sync", "watch"):
            if scenario.fault in CONCURRENT and not after_rerun:
                return []  # edits after the command's read are the next sync's business
            return [f"{when}: {p}" for p in self._sheet_matches_doc(ctx)]
        if command == "note":
            doc = self.side.get_document(ctx.document_id)
            found = [
                c
                for c in parse_session_doc(doc, self._config(ctx)).contributions
                if c.text == NOTE_TEXT
            ]
            if len(found) != 1 or found[0].question_id != NOTE_QUESTION:
                where = [c.question_id for c in found]
                return [f"{when}: the note is in the Doc {len(found)} time(s) (sections {where})"]
            return []
        if command == "finalize":
            if scenario.fault in CONCURRENT and not after_rerun:
                return []
            return [f"{when}: {p}" for p in self._finalized(ctx)]
        raise AssertionError(command)

    def _config(self, ctx: Ctx) -> SessionConfig:
        if ctx.config is None or ctx.config.spreadsheet_id != ctx.spreadsheet_id:
            values = self.side.get_values(ctx.spreadsheet_id, [quote_sheet(CONFIG) + "!A1:D200"])[0]
            ctx.config = parse_config(values)
        return ctx.config

    def _rows(self, ctx: Ctx) -> tuple[list[str], list[list[str]]]:
        values = self.side.get_values(ctx.spreadsheet_id, [quote_sheet(CONTRIBUTIONS) + CHECKED])[0]
        header = [str(h) for h in values[0]]
        rows = [[str(c) for c in r] + [""] * (len(header) - len(r)) for r in values[1:]]
        return header, [r for r in rows if any(r)]

    def _session_complete(self, ctx: Ctx) -> list[str]:
        problems = []
        files = self._session_files(ctx)
        if Counter(files.values()) != Counter({"document": 1, "spreadsheet": 1}):
            return [f"the session's Drive files are {sorted(files.values())}"]
        doc = self.side.get_document(ctx.document_id)
        names = set(doc.get("namedRanges") or {})
        wanted = {RANGE_ACTIONS, *(RANGE_QUESTION + q.id for q in self.template.questions)}
        if not wanted <= names:
            problems.append(f"the Doc lacks named ranges {sorted(wanted - names)}")
        config = self._config(ctx)
        if config.document_id != ctx.document_id:
            problems.append("the Sheet's config names another Doc")
        header, _ = self._rows(ctx)
        if ID not in header or TEXT not in header:
            problems.append(f"the Contributions header is {header}")
        for file_id in (ctx.document_id, ctx.spreadsheet_id):
            held = {p.get("emailAddress") for p in self.side.list_permissions(file_id)}
            missing = [s.email for s in SHARES if s.email not in held]
            if missing:
                problems.append(f"file {file_id} is not shared with {missing}")
        return problems

    def _session_files(self, ctx: Ctx) -> dict[str, str]:
        session_id = ctx.session_id or self._baseline.get("session_id", "")
        if not session_id:
            from gdoc_sync.create import session_id_for

            session_id = session_id_for(self.template)
        query = (
            f"appProperties has {{ key='{PROP_SESSION}' and value='{session_id}' }} "
            "and trashed = false"
        )
        return {
            f["id"]: (f.get("appProperties") or {}).get(PROP_ROLE, "?")
            for f in self.side.find_files(query)
        }

    def _sheet_matches_doc(self, ctx: Ctx) -> list[str]:
        """Every contribution in the Doc has exactly one row, with its text; the rest are
        marked removed."""
        problems = []
        config = self._config(ctx)
        parsed = parse_session_doc(self.side.get_document(ctx.document_id), config)
        header, rows = self._rows(ctx)
        col = {name: header.index(name) for name in (ID, TEXT, STATUS, QUESTION)}
        by_id: dict[str, list[list[str]]] = {}
        for row in rows:
            by_id.setdefault(row[col[ID]], []).append(row)
        in_doc = set()
        for c in parsed.contributions:
            if not c.id:
                problems.append(f"contribution not anchored after a sync: {c.text[:50]!r}")
                continue
            in_doc.add(c.id)
            found = by_id.get(c.id, [])
            if len(found) != 1:
                problems.append(f"{c.id} has {len(found)} rows")
                continue
            row = found[0]
            if row[col[TEXT]] != sheet_text(c):
                problems.append(f"{c.id}: Sheet text {row[col[TEXT]]!r} != Doc {sheet_text(c)!r}")
            if row[col[QUESTION]] != c.question_id:
                problems.append(f"{c.id}: question {row[col[QUESTION]]} != {c.question_id}")
            want = _expected_status(c)
            if row[col[STATUS]] not in want:
                problems.append(f"{c.id}: status {row[col[STATUS]]!r}, expected one of {want}")
        for cid, found in by_id.items():
            if cid not in in_doc and any(r[col[STATUS]] != Status.removed for r in found):
                problems.append(f"{cid} left the Doc but is not marked {Status.removed!r}")
        texts = [c.text for c in parsed.contributions]
        for question, text in ctx.extra_notes:
            if text not in texts:
                problems.append(f"a note typed in {question} is gone from the Doc: {text!r}")
        return problems

    def _finalized(self, ctx: Ctx) -> list[str]:
        values = self.side.get_values(ctx.spreadsheet_id, [quote_sheet(CONTRIBUTIONS) + CHECKED])[0]
        actions = build_action_list(ContributionsTab.parse(values), self._config(ctx))
        doc = self.side.get_document(ctx.document_id)
        start, end = _actions_range(doc, ctx.document_id)
        problems = []
        if _current_text(doc, start, end) != section_text(actions)[0]:
            problems.append("the Doc's Action points section does not show the curated list")
        values = self.side.get_values(ctx.spreadsheet_id, [quote_sheet(ACTIONS) + CHECKED])[0]
        values = [[str(c) for c in r] for r in values if any(str(c) for c in r)]
        if values != [list(ACTION_HEADER), *sheet_rows(actions)]:
            problems.append("the Action points tab does not match the curated list")
        return problems

    def _invariants(self, ctx: Ctx, scenario: Scenario, when: str) -> list[str]:
        """What must hold whatever happened: no duplicate file or row, nothing lost."""
        problems: list[str] = []
        files = self._session_files(ctx)
        roles = Counter(files.values())
        final = when != "after the run"
        if scenario.command == "create" and not final:
            if roles["document"] > 1 or roles["spreadsheet"] > 1:
                problems.append(f"duplicated Drive files: {dict(roles)}")
            if not ctx.spreadsheet_id or roles["spreadsheet"] == 0:
                return [f"{when}: {p}" for p in problems]
        elif roles != Counter({"document": 1, "spreadsheet": 1}):
            problems.append(f"the session's Drive files are {dict(roles)}")
        if not ctx.spreadsheet_id:
            return [f"{when}: {p}" for p in problems]
        try:
            header, rows = self._rows(ctx)
        except GdocSyncError as exc:
            if scenario.command == "create" and not final:
                return [f"{when}: {p}" for p in problems]  # the Sheet is not laid out yet
            return [f"{when}: {p}" for p in [*problems, f"cannot read the Sheet: {exc}"]]
        if ID not in header:
            if scenario.command == "create" and not final:
                return [f"{when}: {p}" for p in problems]
            return [f"{when}: {p}" for p in [*problems, f"the header lost its ID column: {header}"]]
        ids = [r[header.index(ID)] for r in rows]
        dupes = sorted(cid for cid, n in Counter(ids).items() if n > 1)
        if dupes:
            problems.append(f"duplicated Sheet rows: {dupes}")
        if scenario.command != "create":
            lost = sorted(set(BASELINE_IDS) - set(ids))
            if lost:
                problems.append(f"rows deleted: {lost}")
            for cid, cells in CURATION.items():
                matching = [r for r in rows if r[header.index(ID)] == cid]
                for row in matching:
                    for name, value in cells.items():
                        if row[header.index(name)] != value:
                            problems.append(
                                f"curation lost: {cid} {name} is {row[header.index(name)]!r}, "
                                f"was {value!r}"
                            )
            for row in rows:
                cid = row[header.index(ID)]
                for name in HUMAN_COLUMNS:
                    value = row[header.index(name)]
                    if value and CURATION.get(cid, {}).get(name) != value:
                        problems.append(f"{cid} {name} holds {value!r}, nobody wrote that")
        return [f"{when}: {p}" for p in problems]

    # -- the whole suite --------------------------------------------------------------------------

    def scenarios(self) -> list[Scenario]:
        """Every command x every disturbance x every request position, plus a CLI sample."""
        planned: list[Scenario] = []
        for command in COMMANDS:
            count = len(self.record_clean(command))
            for position in range(count):
                for fault in (*FAULTS, *CONCURRENT):
                    planned.append(Scenario(command, fault, position))
        for command in COMMANDS:
            # The CLI's watch runs one round: as many requests as a sync.
            count = len(self.clean_sequences["sync" if command == "watch" else command])
            for fault in FAULTS:
                position = self.rng.randrange(count)
                planned.append(Scenario(command, fault, position, via="cli"))
        return planned

    def run_all(self, progress: Callable[[str], None] | None = None) -> Summary:
        started = time.perf_counter()
        summary = Summary()
        for scenario in self.scenarios():
            summary.scenarios.append(self.run(scenario))
        summary.scenarios += self.threaded_runs()
        if progress is not None:
            for scenario in summary.violations:
                progress(f"violation: {scenario.name}: {'; '.join(scenario.violations)}")
        summary.seconds = time.perf_counter() - started
        return summary

    def threaded_runs(self, rounds: int = 4) -> list[Scenario]:
        """Syncs from two laptops at once, really in parallel, with some latency to overlap."""
        done = []
        for round_ in range(rounds):
            scenario = Scenario("sync", "parallel sync thread", round_, via="thread")
            ctx = self.fresh("sync")
            ctx.em.faults.latency_ms = ctx.em._quiet.latency_ms = 1.0 + round_
            errors: list[BaseException] = []

            def other(ctx: Ctx = ctx, errors: list[BaseException] = errors) -> None:
                try:
                    sync_session(
                        self.side, ctx.document_id, state=ctx.b.state, journal=ctx.b.journal
                    )
                except BaseException as failure:
                    errors.append(failure)

            thread = threading.Thread(target=other)
            thread.start()
            try:
                self.run_command(ctx, "sync", self.api)
                scenario.outcome = "succeeded"
            except GdocSyncError as exc:
                scenario.outcome = "failed cleanly"
                scenario.error = str(exc)
            except Exception as exc:
                scenario.violations.append(f"unclean error {type(exc).__name__}: {exc}")
            thread.join()
            scenario.fired = True
            ctx.em.faults.clear()
            ctx.em._quiet.clear()
            for exc in errors:
                if not isinstance(exc, GdocSyncError):
                    scenario.violations.append(f"the other sync: {type(exc).__name__}: {exc}")
            scenario.violations += self._invariants(ctx, scenario, "after the run")
            scenario.violations += self._next_run(ctx, scenario)
            if scenario.violations:
                scenario.outcome = "violation"
            done.append(scenario)
        return done


BASELINE_ROWS = 30
CHECKED = "!A1:Z200"  # the checks read this much of a tab: more than any scenario writes
BASELINE_IDS = ("C0001", "C0002", "C0003", "C0004", "C0005")


def _expected_status(c: Contribution) -> tuple[str, ...]:
    if c.withdrawn:
        return (Status.withdrawn,)
    if not c.addressees:
        return (Status.unassigned,)
    return (Status.in_doc, Status.edited)


def _no_sleep(_: float) -> None:
    """RetryPolicy's sleep in tests: waits are recorded, never slept."""


def _paragraph_text(element: dict[str, Any]) -> str:
    runs = element.get("paragraph", {}).get("elements", [])
    return "".join(r.get("textRun", {}).get("content", "") for r in runs)


def _find_paragraph(api: GoogleApi, document_id: str, text: str) -> dict[str, Any]:
    for el in api.get_document(document_id)["body"]["content"]:
        if text in _paragraph_text(el):
            return el
    raise AssertionError(f"no paragraph holds {text!r}")


def _style_paragraph(api: GoogleApi, document_id: str, text: str, style: dict[str, Any]) -> None:
    el = _find_paragraph(api, document_id, text)
    api.update_document(
        document_id,
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"] - 1},
                    "textStyle": style,
                    "fields": ",".join(style),
                }
            }
        ],
    )


def _delete_paragraph(api: GoogleApi, document_id: str, text: str) -> None:
    el = _find_paragraph(api, document_id, text)
    api.update_document(
        document_id,
        [
            {
                "deleteContentRange": {
                    "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"]}
                }
            }
        ],
    )
