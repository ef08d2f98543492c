"""Real processes, really killed: `gdoc-sync emulator serve` in a subprocess, commands run as
subprocesses against it, SIGKILLed at every request position (before the request applies, and
after it applied but before its answer arrives) and at random moments, each followed by a plain
rerun; and several moderators' processes at once. The oracle (`oracle.py`) reads the result back
through the client libraries and knows only what the test typed and curated."""

from __future__ import annotations

import itertools
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import people
import pytest
import requests
from faultsuite import (
    NOTE,
    NOTE_UNICODE,
    SHARES,
    TEMPLATE,
    Machine,
    contribution,
    make_baseline,
    show,
)
from oracle import Model, Typed, check_created, check_session, session_files

from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import GdocSyncError
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.workflows.sync import sync_session

pytestmark = pytest.mark.slow

COMMANDS = ("note", "note-unicode", "sync", "finalize", "create")
RANDOM_KILLS = 20  # on top of the kills at every request position
MIN_KILLS = 50
SEED = 11
_TITLES = itertools.count(1)
WORKERS = 3


class Server:
    """`python -m gdoc_sync emulator serve` on a free loopback port, and its control endpoints."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gdoc_sync",
                "emulator",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--data-dir",
                str(data_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        self.address = ""
        for line in self.process.stderr:
            m = re.search(r"GDOC_SYNC_EMULATOR_HOST=(\S+)", line)
            if m:
                self.address = m.group(1)
                break
        assert self.address, "the emulator did not say where it listens"
        self.process.stderr.close()
        self.control = requests.Session()
        self.control.trust_env = False
        self.base = f"http://{self.address}/_emulator"

    def add_fault(self, **spec: Any) -> None:
        self.control.post(f"{self.base}/faults", json={"faults": [spec]}).raise_for_status()

    def set_latency(self, ms: float) -> None:
        self.control.post(f"{self.base}/faults", json={"latencyMs": ms}).raise_for_status()

    def faults(self) -> list[dict[str, Any]]:
        return self.control.get(f"{self.base}/faults").json()["faults"]

    def clear_faults(self) -> None:
        self.control.delete(f"{self.base}/faults").raise_for_status()

    def log(self) -> list[dict[str, Any]]:
        return self.control.get(f"{self.base}/requests").json()["requests"]

    def clear_log(self) -> None:
        self.control.delete(f"{self.base}/requests").raise_for_status()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@dataclass
class Kill:
    """One command killed at one moment, then rerun."""

    command: str
    moment: str  # "before request 3", "after request 3 applied", "at 0.41 s"
    killed: bool = False
    violations: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.command} killed {self.moment}"


class CrashSuite:
    def __init__(self, server: Server, workdir: Path) -> None:
        self.server = server
        self.workdir = workdir
        self.clients = for_emulator_host(server.address)
        self.api = GoogleApi(self.clients, retry=RetryPolicy(sleep=lambda _: None))
        self.counter = 0
        self.rng = random.Random(SEED)

    # -- a world per kill -------------------------------------------------------------------------

    def world(self) -> dict[str, Any]:
        """A fresh session (its own title, so its own files) in the shared server."""
        self.counter += 1
        root = self.workdir / f"w{self.counter:03d}"
        title = f"Crash test session {next(_TITLES)}"  # its own title: its own session
        template = load_template(TEMPLATE, {"title": title})
        w: dict[str, Any] = {"root": root, "title": title, "template": template}
        w["a"], w["b"] = Machine(root / "a"), Machine(root / "b")
        return w

    def baseline(self, w: dict[str, Any]) -> None:
        created, model = make_baseline(self.api, self.clients, w["template"], w["a"], w["b"])
        w["doc"], w["sheet"], w["session"] = (
            created.document_id,
            created.spreadsheet_id,
            created.session_id,
        )
        w["model"] = model

    def args(self, w: dict[str, Any], command: str) -> list[str]:
        if command == "create":
            shares = [f"--share={s.email}={s.role}" for s in SHARES]
            return ["create", TEMPLATE, "--set", f"title={w['title']}", "--no-notify", *shares]
        if command == "note":
            return ["note", w["doc"], "-q", NOTE.question, NOTE.line]
        if command == "note-unicode":
            return ["note", w["doc"], "-q", NOTE_UNICODE.question, NOTE_UNICODE.line]
        return [command, w["doc"]]

    def env(self, machine: Machine) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GDOC_SYNC_")}
        env.update(
            GDOC_SYNC_EMULATOR_HOST=self.server.address,
            GDOC_SYNC_DATA_DIR=str(machine.root),
            PYTHONIOENCODING="utf-8",
        )
        return env

    def start(self, w: dict[str, Any], command: str, machine: Machine) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "gdoc_sync", *self.args(w, command)],
            env=self.env(machine),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def prepare(self, command: str) -> dict[str, Any]:
        w = self.world()
        if command != "create":
            self.baseline(w)
        return w

    # -- the clean sequence, and the kills --------------------------------------------------------

    def clean_sequence(self, command: str) -> list[str]:
        w = self.prepare(command)
        self.server.clear_log()
        p = self.start(w, command, w["a"])
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, f"a clean {command} failed: {err}"
        return [e["method"] for e in self.server.log()]

    def kill_at(self, command: str, action: str, position: int) -> Kill:
        moment = (
            f"before request {position} applied"
            if action == "hold"
            else f"after request {position} applied, before its answer"
        )
        kill = Kill(command, moment)
        w = self.prepare(command)
        self.server.clear_log()
        self.server.add_fault(action=action, path=".*", skip=position, times=1)
        p = self.start(w, command, w["a"])
        kill.killed = _kill_when(p, lambda: bool(self.server.faults()[0]["fired"]))
        self.server.clear_faults()  # lets the held request go (unanswered: its client is dead)
        self._settle(action)
        if not kill.killed:
            kill.violations.append(f"the command ended (exit {p.returncode}) before the kill")
            return kill
        kill.violations += self.rerun_and_check(w, command)
        return kill

    def _settle(self, action: str) -> None:
        """Wait until the held request has finished in the server (applied or not)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(e["fault"] == action for e in self.server.log()):
                return
            time.sleep(0.01)
        raise AssertionError(f"the held request never finished ({action})")

    def kill_randomly(self, command: str, delay: float) -> Kill:
        """Killed `delay` seconds after its first request was answered, with every request
        taking 15 ms more: most kills land between two requests, in the command's own work."""
        w = self.prepare(command)
        self.server.clear_log()
        self.server.set_latency(15)
        p = self.start(w, command, w["a"])
        started: list[float] = []

        def due() -> bool:
            if not started and self.server.log():
                started.append(time.monotonic())
            return bool(started) and time.monotonic() >= started[0] + delay

        kill = Kill(command, f"{delay * 1000:.0f} ms after its first answer")
        kill.killed = _kill_when(p, due)
        self.server.set_latency(0)
        if kill.killed:
            time.sleep(0.05)  # a request already sent finishes in the server
            kill.violations += self.rerun_and_check(w, command)
        return kill

    def rerun_and_check(self, w: dict[str, Any], command: str) -> list[str]:
        """The moderator runs the same command again, plainly; then a plain sync; then every
        invariant of the session."""
        p = self.start(w, command, w["a"])
        _, err = p.communicate(timeout=120)
        if p.returncode != 0:
            last = (err or "").strip().splitlines()[-1:] or ["(no message)"]
            return [f"the plain rerun exited {p.returncode}: {last[0]}"]
        if command == "create":
            shares = tuple(s.email for s in SHARES)
            problems = check_created(self.clients, _session_of(w), shares)
            if problems:
                return problems
            files = session_files(self.clients, _session_of(w))
            w["doc"] = next(i for i, r in files.items() if r == "document")
            w["sheet"] = next(i for i, r in files.items() if r == "spreadsheet")
            w["model"] = Model()
            people.type_line(self.clients, w["doc"], NOTE.question, NOTE.line)
            w["model"].add("note", Typed(**vars(NOTE)))
        model: Model = w["model"]
        if command in ("note", "note-unicode"):
            typed = NOTE if command == "note" else NOTE_UNICODE
            model.add(command, Typed(**vars(typed)))
        if command == "finalize":
            model.finalized = True
        a: Machine = w["a"]
        try:
            sync_session(self.api, w["doc"], state=a.state, journal=a.journal)
        except GdocSyncError as exc:
            return [f"the plain sync after the rerun failed: {exc}"]
        model.mark_synced()
        return check_session(
            model,
            self.clients,
            w["doc"],
            w["sheet"],
            journals=(a.root / "journal", w["b"].root / "journal"),
        )

    def jobs(self) -> list[tuple[str, str, float]]:
        """Every kill to make: (command, hold action or "random", position or delay)."""
        planned: list[tuple[str, str, float]] = []
        for command in COMMANDS:
            for position, method in enumerate(self.clean_sequence(command)):
                planned.append((command, "hold", position))
                if method != "GET":
                    planned.append((command, "apply_then_hold", position))
        for i in range(RANDOM_KILLS):
            planned.append((COMMANDS[i % len(COMMANDS)], "random", self.rng.uniform(0.0, 0.05)))
        return planned

    def run(self, job: tuple[str, str, float]) -> Kill:
        command, action, at = job
        if action == "random":
            return self.kill_randomly(command, at)
        return self.kill_at(command, action, int(at))


def _kill_when(p: subprocess.Popen, due: Any) -> bool:
    """SIGKILL the process once `due()` says so; False if it ended first."""
    killed = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and p.poll() is None:
        if due():
            p.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.01)
    p.wait(timeout=30)
    if p.stderr:
        p.stderr.close()
    return killed


def _session_of(w: dict[str, Any]) -> str:
    from gdoc_sync.workflows.create import session_id_for

    return session_id_for(w["template"])


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    """A few servers, so that kills run side by side (each server's faults are its own)."""
    started: list[Server] = []
    try:
        for _ in range(WORKERS):
            started.append(Server(tmp_path_factory.mktemp("crash-server")))
        yield started
    finally:
        for server in started:
            server.stop()


def test_sigkill_at_every_request_position_then_rerun(
    servers: list[Server], tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> None:
    suites = [CrashSuite(s, tmp_path_factory.mktemp("crash")) for s in servers]
    jobs = suites[0].jobs()
    queues = [jobs[i :: len(suites)] for i in range(len(suites))]
    with ThreadPoolExecutor(len(suites)) as pool:
        done = pool.map(
            lambda pair: [pair[0].run(j) for j in pair[1]], zip(suites, queues, strict=True)
        )
        kills = [k for batch in done for k in batch]
    killed = [k for k in kills if k.killed]
    by_command = Counter(k.command for k in killed)
    bad = [f"{k.name}: {'; '.join(k.violations)}" for k in kills if k.violations]
    counts = ", ".join(f"{c} {n}" for c, n in by_command.items())
    show(request, f"crash suite: {len(killed)} SIGKILLs ({counts}), {len(bad)} violations")
    assert len(killed) >= MIN_KILLS
    assert set(by_command) == set(COMMANDS)
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("kill", [False, True], ids=["all finish", "all killed, then rerun"])
def test_moderators_processes_at_once(
    servers: list[Server], tmp_path_factory: pytest.TempPathFactory, kill: bool
) -> None:
    """Two moderators on two laptops: one watches and notes, the other syncs and notes, all at
    the same time against one server (and, killed, all SIGKILLed at one random moment, then each
    run again plainly, a watch as a sync, all at once again); then nothing is lost or
    duplicated."""
    suite = CrashSuite(servers[-1], tmp_path_factory.mktemp("together"))
    rng = random.Random(SEED)
    problems = []
    for round_ in range(2):
        w = suite.prepare("sync")
        model: Model = w["model"]
        notes = [
            contribution(
                q,
                f"{prefix}: {verb} round {round_} ({name}, {who})",
                (group,),
                f"{verb} round {round_}",
                name,
                proposer,
            )
            for q, prefix, group, verb, name, who, proposer in (
                ("Q1", "Investors", "Investors", "Vote against laggards", "Ana Silva", "investors",
                 "Investors"),
                ("Q3", "UN", "Intergovernmental organisations and the UN", "Host expert briefings",
                 "Ben Pitler", "UN", "Intergovernmental organisations and the UN"),
                ("Q4", "CSO", "Civil society", "Name leading investors", "Mei Lin",
                 "civil society", "Civil society"),
            )
        ]  # fmt: skip
        a, b = w["a"], w["b"]
        env_a, env_b = suite.env(a), suite.env(b)
        commands = [
            (["watch", w["doc"], "--rounds", "2", "--interval", "1"], env_a),
            (["sync", w["doc"]], env_b),
            (["note", w["doc"], "-q", notes[0].question, notes[0].line], env_a),
            (["note", w["doc"], "-q", notes[1].question, notes[1].line], env_b),
            (["sync", w["doc"]], env_b),
            (["note", w["doc"], "-q", notes[2].question, notes[2].line], env_b),
        ]
        running = [_popen(args, env) for args, env in commands]
        if kill:
            time.sleep(rng.uniform(0.2, 0.6))  # when to pull the plug; not an assertion
            for p in running:
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
            for p in running:
                p.communicate(timeout=30)
            killed = [p.args[3] for p in running if p.returncode == -signal.SIGKILL]
            if not killed:
                problems.append(f"round {round_}: every process ended before the kill")
            reruns = [
                (["sync", *args[1:2]] if args[0] == "watch" else args) for args, _ in commands
            ]
            running = [_popen(args, env) for args, (_, env) in zip(reruns, commands, strict=True)]
        for p in running:
            _, err = p.communicate(timeout=120)
            if p.returncode != 0:
                problems.append(f"round {round_}: {p.args[3:5]} exited {p.returncode}: {err}")
        for i, typed in enumerate(notes):
            model.add(f"P{i}", typed)
        sync_session(suite.api, w["doc"], state=a.state, journal=a.journal)
        model.mark_synced()
        problems += [
            f"round {round_}: {p}"
            for p in check_session(
                model,
                suite.clients,
                w["doc"],
                w["sheet"],
                journals=(a.root / "journal", b.root / "journal"),
            )
        ]
    assert not problems, "\n".join(problems)


def _popen(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gdoc_sync", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


# -- the emulator's hold faults, which the kills above rely on ------------------------------------


@pytest.mark.parametrize("action, applied", [("hold", False), ("apply_then_hold", True)])
def test_a_held_request_waits_for_release_then_drops(action: str, applied: bool) -> None:
    import threading

    from gdoc_sync.google.clients import for_emulator
    from gdoc_sync.workflows.create import CreateOptions, create_session

    em = Emulator()
    api = GoogleApi(for_emulator(em), retry=RetryPolicy(sleep=lambda _: None, attempts=1))
    created = create_session(api, load_template(TEMPLATE), CreateOptions(notify=False))
    rule = em.faults.add(Fault(action, path=":batchUpdate$", method="POST"))
    before = api.get_document(created.document_id)["revisionId"]
    errors: list[BaseException] = []

    def write() -> None:
        try:
            people.type_line(for_emulator(em), created.document_id, "Q1", "Investors: Vote")
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    deadline = time.monotonic() + 10
    while not rule.fired and time.monotonic() < deadline:
        time.sleep(0.005)
    thread.join(timeout=0.2)
    assert thread.is_alive(), "the held request was answered before its release"
    em.faults.clear()
    thread.join(timeout=10)
    assert errors, "a held request must end unanswered"
    after = api.get_document(created.document_id)["revisionId"]
    assert (after != before) == applied
