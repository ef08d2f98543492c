"""Fault-injection harness: every command, under every fault, at every request position, with
people editing the Doc and the Sheet in the middle of it; checked by an oracle (`oracle.py`) that
reads back through the client libraries and knows only what the test typed and wrote."""

from __future__ import annotations

import os
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

import people
from oracle import (
    Model,
    Typed,
    check_actions,
    check_contributions,
    check_created,
    check_doc,
    check_journal,
    check_rows_kept,
    check_session,
    given_ids,
    paragraphs,
    read_doc,
    read_tabs,
    session_files,
)

from gdoc_sync.core.template import Template, load_template
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.faults import Fault, FaultPlan
from gdoc_sync.errors import GdocSyncError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import Clients, for_emulator
from gdoc_sync.google.connect import use_emulator
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, Share, create_session
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import NoteLedger, add_note
from gdoc_sync.workflows.sync import SyncOptions, sync_session
from gdoc_sync.workflows.watch import watch_session

TEMPLATE = "igf2025-ws354"
SHARES = (Share("moderator@example.org", "writer"), Share("observer@example.org", "commenter"))
COMMANDS = ("create", "sync", "watch", "note", "note-unicode", "finalize")
WATCH_ROUNDS = 3
RETRY_AFTER = 7.0
LATENCY_MS = 15.0
ERROR_LINE = re.compile(r"^error: \S")
INV = "Investors"
TECH = "Technology companies"
GOV = "Governments and regulators"
CSO = "Civil society"
UN = "Intergovernmental organisations and the UN"


def contribution(question: str, line: str, groups: tuple[str, ...], body: str, *rest: str) -> Typed:
    speaker, proposer, channel = (*rest, "", "", "")[:3]
    return Typed(question, line, groups, body, speaker, proposer, channel or "onsite")


# What the commands' users type, and what a person reading it knows it says.
NOTE = contribution(
    "Q3",
    "Tech companies: Publish the human rights impact of each product launch (Lee Wong, UN)",
    (TECH,),
    "Publish the human rights impact of each product launch",
    "Lee Wong",
    UN,
)
# Word's bullet (private use U+F0B7) inside the line, Arabic and Devanagari, an emoji, a name in
# decomposed form (combining marks); typed in Q2, right after a struck-through (withdrawn) line.
NOTE_UNICODE = contribution(
    "Q2",
    "Tech companies: Publish audits \uf0b7 in Arabic \u062a\u062f\u0642\u064a\u0642 and Hindi "
    "\u0932\u0947\u0916\u093e \U0001f50d (Nguye\u0302\u0303n Va\u0306n An, civil society)",
    (TECH,),
    "Publish audits \uf0b7 in Arabic \u062a\u062f\u0642\u064a\u0642 and Hindi "
    "\u0932\u0947\u0916\u093e \U0001f50d",
    "Nguy\u1ec5n V\u0103n An",
    CSO,
)
NOTES = {"note": NOTE, "note-unicode": NOTE_UNICODE}

HEBREW = "\u05e2\u05d1\u05e8\u05d9\u05ea"
ARABIC = "\u0627\u0644\u0639\u0631\u0628\u064a\u0629"
# The Doc before the commands run: synced once by both moderators, then curated.
BASELINE = {
    "K1": contribution(
        "Q1",
        "Investors: Make HRDD part of every investment decision (Caroline Eriksen, governments)",
        (INV,),
        "Make HRDD part of every investment decision",
        "Caroline Eriksen",
        GOV,
    ),
    "K2": contribution(
        "Q1",
        "CSO: Share case evidence of harms with investors (Amara Okafor, civil society)",
        (CSO,),
        "Share case evidence of harms with investors",
        "Amara Okafor",
        CSO,
    ),
    "K3": contribution(
        "Q2",
        "Governments: Make HRDD laws cover investors (Zo\u00eb \u00c5ngstr\u00f6m, civil society)",
        (GOV,),
        "Make HRDD laws cover investors",
        "Zo\u00eb \u00c5ngstr\u00f6m",
        CSO,
    ),
    "K4": contribution(
        "Q2",
        "Note: several participants asked for a shared definition of salient risks",
        (),
        "Note: several participants asked for a shared definition of salient risks",
    ),
    "K5": contribution(
        "online",
        "UN: Update B-Tech guidance on investor leverage (Priya Raman, UN, online)",
        (UN,),
        "Update B-Tech guidance on investor leverage",
        "Priya Raman",
        UN,
        "online",
    ),
}
# ...and what moderators typed afterwards, which the next sync has to pick up.
PENDING = {
    "K6": contribution(
        "Q3",
        "Governments: Fund civil society research on tech risks (Mei Lin, civil society)",
        (GOV,),
        "Fund civil society research on tech risks",
        "Mei Lin",
        CSO,
    ),
    "K7": contribution(
        "Q4",
        "Investors: Publish engagement outcomes, including failures (Ana Silva, investors)",
        (INV,),
        "Publish engagement outcomes, including failures",
        "Ana Silva",
        INV,
    ),
    "K8": contribution(
        "Q4",
        f"CSO: Hear defenders in {HEBREW} and {ARABIC} \U0001f30d (Jose\u0301 Ram\u00edrez, UN)",
        (CSO,),
        f"Hear defenders in {HEBREW} and {ARABIC} \U0001f30d",
        "Jos\u00e9 Ram\u00edrez",
        UN,
    ),
}
EDITED = ("K1", "part of every investment", "part of every investment and stewardship")
STRUCK = "K4"
DELETED = "K3"
CURATION = {  # key -> human-owned cells a rapporteur wrote before any fault
    "K1": {"Include": "TRUE", "Final wording": "Make HRDD part of every investment decision",
           "Priority": "1"},
    "K2": {"Include": "TRUE", "Priority": "2", "Rapporteur note": "check wording with Amara"},
    "K5": {"Include": "FALSE", "Rapporteur note": "out of scope"},
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
NOT_COUNTED = ("latency",)  # a 15 ms delay cannot make a command fail: run, not counted
# The write at a position lands but its answer is an error (or never comes); from then on every
# read fails, until the command gives up; then a plain rerun.
TWO_FAULTS = {
    "write lands, then reads fail": "apply then fail",
    "write unanswered, then reads fail": "apply then drop",
}
CONCURRENT = ("concurrent note", "concurrent typing", "concurrent run")
SHEET_EDITS = ("sheet sorted", "sheet filtered", "sheet column added")
# Disturbances that still find a bug nobody has fixed yet: run only when GDOC_SYNC_FAULTSUITE_OPEN
# is set (a row deleted while watch writes leaves a row without an id, for ever).
OPEN = ("sheet row deleted",)
DOC_EDITS = ("doc cut and paste", "doc pasted twice")
CATEGORIES = {
    "API faults": tuple(f for f in FAULTS if f not in NOT_COUNTED),
    "two faults": tuple(TWO_FAULTS),
    "concurrent": (*CONCURRENT, "parallel sync thread"),
    "Sheet edits": (*SHEET_EDITS, *OPEN),
    "Doc edits": DOC_EDITS,
}
ADDED_COLUMN = "Moderator remark"
OPEN_ENV = "GDOC_SYNC_FAULTSUITE_OPEN"


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
    via: str = "api"  # api, cli or thread
    outcome: str = ""  # succeeded, failed cleanly, violation
    error: str = ""
    violations: list[str] = field(default_factory=list)
    fired: bool = False  # the fault or the concurrent action did happen

    @property
    def name(self) -> str:
        return f"{self.command} / {self.fault} @ {self.position} ({self.via})"

    @property
    def category(self) -> str:
        for name, faults in CATEGORIES.items():
            if self.fault in faults:
                return name
        return "not counted"


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
    """What a scenario works on, and the model of what people did to it."""

    em: SuiteEmulator
    root: Path
    a: Machine  # the moderator running the command
    b: Machine  # a second moderator, syncing from another laptop
    model: Model
    document_id: str = ""
    spreadsheet_id: str = ""
    session_id: str = ""
    status_lines: list[str] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)


@dataclass
class Summary:
    """The counts the suite reports: only scenarios that can fail count."""

    scenarios: list[Scenario] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counted(self) -> list[Scenario]:
        return [s for s in self.scenarios if s.category != "not counted"]

    def count(self, outcome: str) -> int:
        return sum(1 for s in self.counted if s.outcome == outcome)

    @property
    def violations(self) -> list[Scenario]:
        return [s for s in self.scenarios if s.outcome == "violation"]

    def by_category(self) -> Counter[str]:
        return Counter(s.category for s in self.counted)

    def line(self) -> str:
        cats = self.by_category()
        parts = ", ".join(f"{name} {cats[name]}" for name in CATEGORIES)
        unicode = sum(1 for s in self.counted if s.command == "note-unicode")
        uncounted = len(self.scenarios) - len(self.counted)
        return (
            f"fault suite: {len(self.counted)} scenarios ({parts}; non-ASCII text {unicode}), "
            f"{self.count('succeeded')} succeeded, {self.count('failed cleanly')} failed cleanly, "
            f"{len(self.violations)} violations; {uncounted} latency-only runs not counted"
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
        self.people = for_emulator(self.side_port)  # what people and the oracle use
        self.side = GoogleApi(self.people, retry=RetryPolicy(sleep=_no_sleep))
        self.clean_sequences: dict[str, list[tuple[str, str]]] = {}
        self._counter = 0
        self._baseline_db: sqlite3.Connection | None = None
        self._baseline: dict[str, str] = {}
        self._baseline_model = Model()
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
        created, model = make_baseline(self.side, self.people, self.template, a, b)
        doc, sheet = created.document_id, created.spreadsheet_id
        # Blank rows cost the emulator time on every read: keep a few, as a tidy rapporteur might.
        trim_rows(
            self.side,
            sheet,
            {
                "Contributions": BASELINE_ROWS,
                "gdoc-sync config": 40,
                "Matrix": 12,
                "Action points": 20,
            },
        )
        self._baseline = {
            "document_id": doc,
            "spreadsheet_id": sheet,
            "session_id": created.session_id,
        }
        self._baseline_model = model
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
            ctx = Ctx(em, root, Machine(root / "a"), Machine(root / "b"), Model())
        else:
            assert self._baseline_db is not None
            assert em.store._shared is not None
            self._baseline_db.backup(em.store._shared)
            shutil.copytree(self._baseline_root, root)
            ctx = Ctx(
                em,
                root,
                Machine(root / "a"),
                Machine(root / "b"),
                self._baseline_model.copy(),
                **self._baseline,
            )
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
        elif command in NOTES:
            typed = NOTES[command]
            ledger = NoteLedger(ctx.a.root / "state")  # as the CLI keeps it, in the data dir
            add_note(api, ctx.document_id, typed.question, typed.line, ledger=ledger)
        elif command == "finalize":
            finalize_session(api, ctx.document_id, state=ctx.a.state)
        else:
            raise AssertionError(command)

    def _watch(self, ctx: Ctx, api: GoogleApi, *, between_rounds: bool) -> None:
        lines: list[str] = []
        gaps = iter(
            [
                lambda: self._type(
                    ctx,
                    "W1",
                    contribution(
                        "Q1",
                        "UN: Convene investors yearly (Ben Pitler, UN)",
                        (UN,),
                        "Convene investors yearly",
                        "Ben Pitler",
                        UN,
                    ),
                ),
                lambda: self._retype(ctx, "W1", "investors yearly", "investors twice a year"),
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

    def _retype(self, ctx: Ctx, key: str, old: str, new: str) -> None:
        people.replace_text(self.people, ctx.document_id, old, new)
        ctx.model.edit(key, old, new)

    def _type(self, ctx: Ctx, key: str, typed: Typed) -> None:
        people.type_line(self.people, ctx.document_id, typed.question, typed.line)
        ctx.model.add(key, Typed(**vars(typed)))

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
        before = ctx.model.copy()
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
            scenario.violations += self._right_state(ctx, scenario, before)
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
        if scenario.fault in TWO_FAULTS:
            fault = ctx.em.faults.add(make_fault(TWO_FAULTS[scenario.fault], scenario.position))

            def reads_fail(position: int) -> None:
                if position == scenario.position and fault.fired:
                    ctx.em.faults.add(Fault("error", method="GET", status=503, times=-1))

            ctx.em.after_request = reads_fail
            try:
                yield
            finally:
                scenario.fired = fault.fired > 0
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
        fault = scenario.fault
        if fault == "concurrent run":
            if scenario.command == "create":
                create_session(self.side, self.template, CreateOptions(notify=False))
            else:
                sync_session(self.side, ctx.document_id, state=ctx.b.state, journal=ctx.b.journal)
                for t in ctx.model.typed.values():
                    t.synced = t.synced or t.in_doc
            return
        if not ctx.document_id:
            return  # create has not made the Doc yet: nothing for people to edit
        doc, sheet, model = ctx.document_id, ctx.spreadsheet_id, ctx.model
        if fault == "concurrent note":
            typed = contribution(
                "Q2",
                f"Investors: Ask index providers about HRDD {scenario.position} (Fatima Zahra, "
                "investors)",
                (INV,),
                f"Ask index providers about HRDD {scenario.position}",
                "Fatima Zahra",
                INV,
            )
            self._type(ctx, "X1", typed)
        elif fault == "concurrent typing":  # inside a contribution that is already in the Sheet
            people.replace_text(
                self.people, doc, "Investors: Make HRDD", "Investors: urgently Make HRDD"
            )
            model.edit("K1", "Make HRDD", "urgently Make HRDD")
        elif fault == "sheet sorted":
            people.sort_rows(self.people, sheet, "Contribution")
        elif fault == "sheet filtered":
            people.filter_rows(self.people, sheet, "Status", ["removed from doc", "withdrawn"])
        elif fault == "sheet column added":
            cells = {t.cid: f"remark on {t.cid}" for k, t in model.typed.items() if k in CURATION}
            people.add_column(self.people, sheet, "Include", ADDED_COLUMN, cells)
            model.added_column, model.added_cells = ADDED_COLUMN, cells
        elif fault == "sheet row deleted":  # C0002's row, and with it its curation
            cid = model.typed["K2"].cid
            people.delete_row(self.people, sheet, cid)
            model.curation.pop(cid, None)
            model.rows_deleted.add(cid)  # until a sync puts it back
        elif fault == "doc cut and paste":  # the curated, published C0002 is cut, pasted back
            t = model.typed["K2"]
            people.cut_and_paste(self.people, doc, t.line, t.question, t.line)
        elif fault == "doc pasted twice":  # a curated, published contribution, pasted again
            t = model.typed["K2"]
            people.paste_again(self.people, doc, t.question, t.line)
            t.copies += 1
        else:
            raise AssertionError(fault)

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
            "finalize": ["finalize", ctx.document_id],
            **{
                name: ["note", ctx.document_id, "-q", t.question, t.line]
                for name, t in NOTES.items()
            },
        }[command]
        # The command talks to the scenario's emulator through the numbered, faulted port,
        # retrying with the suite's recorded (never slept) waits.
        with use_emulator(ctx.a.root / "emulator", self.main_port, retry=self._policy):
            result = run_cli(args, env)
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
        if not (scenario.command in NOTES and scenario.outcome == "succeeded"):
            try:
                self.run_command(ctx, scenario.command, self.side, rerun=True)
            except (GdocSyncError, Outcome) as exc:
                return [f"the next plain {scenario.command} failed: {type(exc).__name__}: {exc}"]
            self._ran(ctx, scenario.command)
            problems += self._right_state(ctx, scenario, None, after_rerun=True)
        try:
            if scenario.command == "create":
                trim_rows(self.side, ctx.spreadsheet_id, {"Contributions": BASELINE_ROWS})
                self._type(ctx, "N1", NOTE)
            sync_session(self.side, ctx.document_id, state=ctx.a.state, journal=ctx.a.journal)
        except GdocSyncError as exc:
            return [*problems, f"the next plain sync failed: {type(exc).__name__}: {exc}"]
        ctx.model.mark_synced()
        problems += [f"after the next plain sync: {p}" for p in self._check_all(ctx)]
        return problems

    def _ran(self, ctx: Ctx, command: str) -> None:
        """What a completed command changes in the model of the session."""
        if command in ("sync", "watch"):
            ctx.model.mark_synced()
        elif command in NOTES and command not in ctx.model.typed:
            ctx.model.add(command, Typed(**vars(NOTES[command])))
        elif command == "finalize":
            ctx.model.finalized = True

    def _check_all(self, ctx: Ctx) -> list[str]:
        return check_session(
            ctx.model,
            self.people,
            ctx.document_id,
            ctx.spreadsheet_id,
            journals=(ctx.a.root / "journal", ctx.b.root / "journal"),
        )

    def _right_state(
        self, ctx: Ctx, scenario: Scenario, before: Model | None, *, after_rerun: bool = False
    ) -> list[str]:
        when = "after the rerun" if after_rerun else "after success"
        command = scenario.command
        if not after_rerun:
            self._ran(ctx, command)
        if command == "create":
            found = check_created(self.people, ctx.session_id, tuple(s.email for s in SHARES))
            return [f"{when}: {p}" for p in found]
        if command in NOTES:
            found = check_doc(ctx.model, paragraphs(read_doc(self.people, ctx.document_id)))
            return [f"{when}: {p}" for p in found]
        quiet = scenario.fault in (*CONCURRENT, *SHEET_EDITS, *OPEN, *DOC_EDITS)
        if quiet and not after_rerun:
            return []  # edits after the command's read are the next run's business
        if command == "finalize":  # the list is published; the rest waits for the next sync
            paras = paragraphs(read_doc(self.people, ctx.document_id))
            tabs = read_tabs(self.people, ctx.spreadsheet_id, ("Contributions", "Action points"))
            found = check_doc(ctx.model, paras)
            found += check_rows_kept(ctx.model, tabs["Contributions"])
            found += check_actions(ctx.model, tabs["Action points"], paras)
            return [f"{when}: {p}" for p in found]
        return [f"{when}: {p}" for p in self._check_all(ctx)]

    def _invariants(self, ctx: Ctx, scenario: Scenario, when: str) -> list[str]:
        """What must hold whatever happened: no duplicate file or row, nothing lost."""
        problems: list[str] = []
        if scenario.command == "create":
            session_id = ctx.session_id or _session_id(self.template)
            roles = Counter(session_files(self.people, session_id).values())
            if roles["document"] > 1 or roles["spreadsheet"] > 1:
                problems.append(f"duplicated Drive files: {dict(roles)}")
            return [f"{when}: {p}" for p in problems]
        roles = Counter(session_files(self.people, ctx.session_id).values())
        if roles != Counter({"document": 1, "spreadsheet": 1}):
            problems.append(f"the session's Drive files are {dict(roles)}")
        doc = read_doc(self.people, ctx.document_id)
        paras = paragraphs(doc)
        found = check_doc(ctx.model, paras)
        if found and scenario.command in NOTES and scenario.outcome != "succeeded":
            # The note's write may or may not have landed: either is fine, twice is not.
            with_note = ctx.model.copy()
            with_note.add(scenario.command, Typed(**vars(NOTES[scenario.command])))
            if not check_doc(with_note, paras):
                found = []
        problems += found
        values = read_tabs(self.people, ctx.spreadsheet_id, ("Contributions",))["Contributions"]
        problems += check_rows_kept(ctx.model, values)
        for machine in (ctx.a, ctx.b):
            problems += check_journal(machine.root / "journal", given_ids(doc, values))
        return [f"{when}: {p}" for p in problems]

    # -- the whole suite --------------------------------------------------------------------------

    def scenarios(self) -> list[Scenario]:
        """Every command x every disturbance x every request position, plus a CLI sample."""
        planned: list[Scenario] = []
        edits = (*SHEET_EDITS, *DOC_EDITS)
        for command in COMMANDS:
            sequence = self.record_clean(command)
            for position, (method, _) in enumerate(sequence):
                for fault in (*FAULTS, *CONCURRENT):
                    planned.append(Scenario(command, fault, position))
                if command != "create":
                    for fault in (*edits, *(OPEN if os.environ.get(OPEN_ENV) else ())):
                        planned.append(Scenario(command, fault, position))
                if method != "GET":
                    for fault in TWO_FAULTS:
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
            if scenario.outcome == "succeeded":
                scenario.violations += self._right_state(ctx, scenario, None)
            scenario.violations += self._invariants(ctx, scenario, "after the run")
            scenario.violations += self._next_run(ctx, scenario)
            if scenario.violations:
                scenario.outcome = "violation"
            done.append(scenario)
        return done


def make_baseline(
    api: GoogleApi, clients: Clients, template: Template, a: Machine, b: Machine
) -> tuple[Any, Model]:
    """The session every scenario starts from, made by people and by two moderators' syncs:
    five lines typed and synced, curated, then new lines, an edit, a withdrawal, a deletion."""
    model = Model()
    created = create_session(api, template, CreateOptions(notify=False))
    doc, sheet = created.document_id, created.spreadsheet_id
    for key, typed in BASELINE.items():
        model.add(key, Typed(**vars(typed)))
        people.type_line(clients, doc, typed.question, typed.line)
    sync_session(api, doc, state=a.state, journal=a.journal)
    model.mark_synced()
    problems = check_contributions(model, read_tabs(clients, sheet)["Contributions"])
    assert not problems, f"the baseline's first sync is wrong: {problems}"
    values = read_tabs(clients, sheet)["Contributions"]
    header = values[0]
    data = []
    for number, row in enumerate(values[1:], start=2):
        t = model.by_id(row[header.index("ID")])
        cells = CURATION.get(next(k for k, v in model.typed.items() if v is t), {})
        for name, value in cells.items():
            data.append(
                {
                    "range": f"'Contributions'!{people._letter(header.index(name))}{number}",
                    "values": [[{"TRUE": True, "FALSE": False}.get(value, value)]],
                }
            )
        if cells:
            model.curation[row[header.index("ID")]] = dict(cells)
    clients.sheets.http_client.values_batch_update(
        sheet, {"valueInputOption": "USER_ENTERED", "data": data}
    )
    sync_session(api, doc, state=b.state, journal=b.journal)
    # What moderators typed since: new lines, a corrected typo, a withdrawal, a deletion.
    for key, typed in PENDING.items():
        model.add(key, Typed(**vars(typed)))
        people.type_line(clients, doc, typed.question, typed.line)
    key, old, new = EDITED
    people.replace_text(clients, doc, old, new)
    model.edit(key, old, new)
    people.strike(clients, doc, model.typed[STRUCK].line)
    model.typed[STRUCK].withdrawn = True
    people.delete_line(clients, doc, model.typed[DELETED].line)
    model.typed[DELETED].in_doc = False
    problems = check_doc(model, paragraphs(read_doc(clients, doc)))
    assert not problems, f"the baseline Doc is not what was typed: {problems}"
    return created, model


BASELINE_ROWS = 30


def _session_id(template: Template) -> str:
    from gdoc_sync.workflows.create import session_id_for

    return session_id_for(template)


def show(request: Any, line: str) -> None:
    """Put a suite's summary line in the test run's own output (CI shows it), not only in -s."""
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(line)


def _no_sleep(_: float) -> None:
    """RetryPolicy's sleep in tests: waits are recorded, never slept."""
