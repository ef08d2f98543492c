"""Benchmarks: requests, wall time, CPU and memory of gdoc-sync's operations on the emulator."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator, for_emulator_host
from gdoc_sync.google.ratelimit import QUOTAS, RateLimiter
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.batch import create_batch
from gdoc_sync.workflows.create import CreatedSession, CreateOptions, Share, create_session
from gdoc_sync.workflows.finalize import finalize_session
from gdoc_sync.workflows.note import add_note, plan_note
from gdoc_sync.workflows.sync import sync_session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from naive_baseline import naive_sync

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"
TEMPLATE = "igf2025-ws354"
BATCH_TEMPLATE = "igf-workshop"
LATENCY_MS = 150.0
SHARES = (Share("moderator@example.org", "writer"), Share("rapporteur@example.org", "writer"))

# -- realistic contributions ---------------------------------------------------------------------

PREFIXES = [
    "Investors",
    "Invstors",
    "Tech companies",
    "Governments",
    "Regulators",
    "CSOs",
    "Civil society",
    "UN",
    "Asset managers",
    "Pension funds",
]
MULTI_PREFIXES = ["Investors, governments", "CSOs / UN", "Regulators & investors", "All"]
ACTIONS = [
    "Make HRDD part of every investment decision, not a compliance add-on",
    "Use voting rights and engagement to ask portfolio companies for their human rights policies",
    "Publish how surveillance and AI products are assessed for human rights risks",
    "Share case evidence of harms with investors before AGM season",
    "Align ESG disclosure rules with the UNGPs",
    "Treat human rights risk as financial risk in long-term return models",
    "Answer investor questionnaires with evidence, not boilerplate",
    "Update guidance on investor leverage in the tech sector",
    "Create a standing channel for civil society to raise risks with analysts",
    "Fund research on tech-related human rights risks",
    "Screen venture capital deals for surveillance risks before term sheets",
    "Require export-control checks for investors in spyware",
    "Involve affected communities in risk assessments",
    "Explain divestment decisions publicly when engagement fails",
    "Train deal teams on the UN Guiding Principles 🌍",
    "Report back on remediation, not just on policies",
]
QUALIFIERS = ["", " within a year", " before the next AGM", " in every market", " by 2027"]
SPEAKERS = [
    "Caroline Eriksen",
    "Anna Warberg",
    "Ben Pitler",
    "Amara Okafor",
    "Zoë Ångström",
    "Nguyễn Thị Minh Khai",
    "Søren Kierkegaard-Holm",
    "محمد الأحمد",
    "Priya Raman",
    "Шевченко Олена",
    "Mei Lin",
    "José Álvarez",
]
GROUPS = ["investors", "civil society", "governments", "UN", "tech companies"]
CHANNELS = ["", "", "", ", online", ", remote", ", zoom"]


# The largest session measured: 8,000 of these lines make a Doc of about 972,000 characters,
# under Google's 1.02 million a document may hold (10,000 would not fit, and the emulator, like
# Google, refuses such a Doc).
LARGE = 8_000
LARGE_ROW = f"sync {LARGE:,}"


def contribution(i: int, *, single_group: bool = False) -> str:
    """One line as a moderator types it: `Group: action (speaker, group, online)`, varied."""
    r = random.Random(i)
    action = f"{r.choice(ACTIONS)}{r.choice(QUALIFIERS)} [#{i}]"
    roll = r.random()
    if single_group or roll < 0.8:
        line = f"{r.choice(PREFIXES)}: {action}"
    elif roll < 0.95:
        line = f"{r.choice(MULTI_PREFIXES)}: {action}"
    else:
        line = action  # unassigned
    if r.random() < 0.9:
        line += f" ({r.choice(SPEAKERS)}, {r.choice(GROUPS)}{r.choice(CHANNELS)})"
    return line


# -- the emulator in a subprocess ----------------------------------------------------------------


class EmulatorProcess:
    """`python -m gdoc_sync emulator serve` in its own process, so this process's CPU time is
    gdoc-sync's alone; its control endpoints set latency and read the request log."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.stderr_path = data_dir.parent / "emulator-stderr.txt"
        self.proc: subprocess.Popen[bytes] | None = None
        self.address = ""
        self.env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}

    def __enter__(self) -> EmulatorProcess:
        self.stderr = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gdoc_sync",
                "emulator",
                "serve",
                "--port",
                "0",
                "--data-dir",
                str(self.data_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            m = re.search(r"GDOC_SYNC_EMULATOR_HOST=(\S+)", self.stderr_path.read_text("utf-8"))
            if m:
                self.address = m.group(1)
                self._control("GET", "/health")
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"the emulator did not start: {self.stderr_path.read_text('utf-8')}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://{self.address}/_emulator{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def set_latency(self, ms: float) -> None:
        if ms:
            self._control("POST", "/faults", {"latencyMs": ms})
        else:
            self._control("DELETE", "/faults")

    def clear_log(self) -> None:
        self._control("DELETE", "/requests")

    def requests(self) -> list[dict[str, Any]]:
        return list(self._control("GET", "/requests")["requests"])


_LABELS = [
    ("GET", r"^/v1/documents/[^/:]+$", "docs.documents.get"),
    ("POST", r"^/v1/documents/[^/]+:batchUpdate$", "docs.documents.batchUpdate"),
    ("GET", r"^/v4/spreadsheets/[^/:]+$", "sheets.spreadsheets.get"),
    ("POST", r"^/v4/spreadsheets/[^/]+:batchUpdate$", "sheets.spreadsheets.batchUpdate"),
    ("GET", r"/values:batchGet$", "sheets.values.batchGet"),
    ("POST", r"/values:batchUpdate$", "sheets.values.batchUpdate"),
    ("POST", r"/values/.+:append$", "sheets.values.append"),
    ("PUT", r"/values/", "sheets.values.update"),
    ("GET", r"/values/", "sheets.values.get"),
    ("GET", r"^/drive/v3/files$", "drive.files.list"),
    ("GET", r"^/drive/v3/files/generateIds$", "drive.files.generateIds"),
    ("POST", r"^/drive/v3/files$", "drive.files.create"),
    ("POST", r"^/drive/v3/files/[^/]+/permissions$", "drive.permissions.create"),
    ("GET", r"^/drive/v3/files/[^/]+/permissions$", "drive.permissions.list"),
    ("GET", r"^/drive/v3/files/[^/]+$", "drive.files.get"),
]


def label(method: str, path: str) -> str:
    """The API method a logged request was, e.g. docs.documents.batchUpdate."""
    for want, pattern, name in _LABELS:
        if method == want and re.search(pattern, path):
            return name
    return f"{method} {path}"


# -- measuring -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed run of an operation."""

    wall_s: float
    cpu_s: float
    peak_mb: float | None = None
    requests: list[str] = field(default_factory=list)
    emulator_s: float = 0.0  # time the emulator spent answering, latency included
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    """One line of the table: an operation measured at 0 ms and at 150 ms per request."""

    name: str
    contributions: int
    requests: int
    by_method: dict[str, int]
    wall_0ms_s: float
    wall_150ms_s: float
    cpu_s: float
    peak_mb: float
    emulator_0ms_s: float
    runs: int
    detail: dict[str, Any] = field(default_factory=dict)
    wall_150ms_computed: bool = False  # requests x latency + CPU instead of a measured run


class Bench:
    """One emulator subprocess, one set of clients, and the local state gdoc-sync keeps."""

    def __init__(self, server: EmulatorProcess, work: Path) -> None:
        self.server = server
        self.clients = for_emulator_host(server.address)
        self.api = GoogleApi(self.clients)
        self.work = work

    def fresh_state(self) -> tuple[LocalState, Journal]:
        folder = self.work / uuid.uuid4().hex[:8]
        return LocalState(folder / "state"), Journal(folder / "journal")

    def new_session(self) -> CreatedSession:
        template = load_template(TEMPLATE, {"title": f"Benchmark session {uuid.uuid4().hex[:8]}"})
        return create_session(self.api, template, CreateOptions(shares=SHARES, notify=False))

    def fill(self, document_id: str, lines: list[str], question: str = "Q1") -> None:
        """All the lines as bullets of one question section, in one Docs batchUpdate."""
        if not lines:
            return
        doc = self.api.get_document(document_id)
        self.api.update_document(document_id, plan_note(doc, question, "\n".join(lines)))

    def measure(
        self, op: Callable[[], Any], *, latency_ms: float = 0.0, memory: bool = False
    ) -> Run:
        self.server.clear_log()
        self.server.set_latency(latency_ms)
        gc.collect()
        try:
            if memory:
                tracemalloc.start()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            value = op()
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            peak = None
            if memory:
                peak = tracemalloc.get_traced_memory()[1] / 1e6
                tracemalloc.stop()
        finally:
            self.server.set_latency(0)
        log = self.server.requests()
        run = Run(
            wall,
            cpu,
            peak,
            [label(e["method"], e["path"]) for e in log],
            sum(e["duration_ms"] for e in log) / 1000.0,
        )
        if isinstance(value, dict):
            run.detail = value
        return run

    def row(
        self,
        name: str,
        contributions: int,
        prepare: Callable[[], Callable[[], Any]],
        *,
        reps: int,
        reps_150: int = 1,
    ) -> Row:
        """Median of `reps` runs at 0 ms for wall and CPU, `reps_150` at 150 ms, one run under
        tracemalloc for the peak; every run gets a freshly prepared session."""
        zero = [self.measure(prepare()) for _ in range(reps)]
        slow = [self.measure(prepare(), latency_ms=LATENCY_MS) for _ in range(reps_150)]
        mem = self.measure(prepare(), memory=True)
        counts = {len(r.requests) for r in [*zero, *slow, mem]}
        if len(counts) != 1:
            print(f"  note: {name}: request counts differ between runs: {sorted(counts)}")
        first = zero[0]
        return Row(
            name=name,
            contributions=contributions,
            requests=len(first.requests),
            by_method=dict(Counter(first.requests)),
            wall_0ms_s=statistics.median(r.wall_s for r in zero),
            wall_150ms_s=statistics.median(r.wall_s for r in slow),
            cpu_s=statistics.median(r.cpu_s for r in zero),
            peak_mb=mem.peak_mb or 0.0,
            emulator_0ms_s=statistics.median(r.emulator_s for r in zero),
            runs=reps,
            detail=first.detail,
        )

    # -- the operations -------------------------------------------------------------------------

    def prepare_create(self) -> Callable[[], Any]:
        template = load_template(TEMPLATE, {"title": f"Benchmark session {uuid.uuid4().hex[:8]}"})

        def op() -> dict[str, Any]:
            created = create_session(self.api, template, CreateOptions(shares=SHARES, notify=False))
            return {"shared_with": len(created.shared_with)}

        return op

    def synced_session(self, n: int, *, single_group: bool = False) -> tuple[str, Any, Any]:
        """A session whose Doc holds n contributions, not synced yet; the local state knows its
        Sheet and last revision (a moderator has synced before, as during a session)."""
        created = self.new_session()
        state, journal = self.fresh_state()
        sync_session(self.api, created.document_id, state=state, journal=journal)
        self.fill(
            created.document_id, [contribution(i, single_group=single_group) for i in range(n)]
        )
        return created.document_id, state, journal

    def prepare_sync(self, n: int) -> Callable[[], Callable[[], Any]]:
        """A sync finding n new contributions in the Doc."""

        def prepare() -> Callable[[], Any]:
            document_id, state, journal = self.synced_session(n)

            def op() -> dict[str, Any]:
                result = sync_session(self.api, document_id, state=state, journal=journal)
                assert len(result.plan.added) == n, (len(result.plan.added), n)
                return {"added": len(result.plan.added), "unassigned": len(result.plan.unassigned)}

            return op

        return prepare

    def prepare_after_sync(self, n: int, what: str) -> Callable[[], Callable[[], Any]]:
        def prepare() -> Callable[[], Any]:
            document_id, state, journal = self.synced_session(n, single_group=what == "finalize")
            sync_session(self.api, document_id, state=state, journal=journal)

            def op() -> dict[str, Any]:
                if what == "nochange":
                    result = sync_session(self.api, document_id, state=state, journal=journal)
                    assert result.unchanged
                    return {}
                if what == "note":
                    add_note(self.api, document_id, "Q2", contribution(n + 1))
                    return {}
                final = finalize_session(self.api, document_id, state=state)
                return {"actions": final.actions.count}

            return op

        return prepare

    def prepare_naive(self, n: int) -> Callable[[], Callable[[], Any]]:
        def prepare() -> Callable[[], Any]:
            created = self.new_session()
            self.fill(created.document_id, [contribution(i) for i in range(n)])

            def op() -> dict[str, Any]:
                rows = naive_sync(self.clients, created.document_id, created.spreadsheet_id)
                return {"appended": rows}

            return op

        return prepare


# -- the emulator itself, in-process -------------------------------------------------------------


@contextmanager
def timed() -> Iterator[list[float]]:
    out: list[float] = []
    start = time.perf_counter()
    yield out
    out.append(time.perf_counter() - start)


def bench_emulator(n: int, work: Path) -> dict[str, Any]:
    """Time the emulator alone (dispatch, no client library) on an n-contribution session."""
    emulator = Emulator(work / "inprocess-emulator")
    api = GoogleApi(for_emulator(emulator))
    template = load_template(TEMPLATE, {"title": "Emulator benchmark"})
    created = create_session(api, template, CreateOptions(notify=False))
    doc_id, sheet_id = created.document_id, created.spreadsheet_id
    doc = api.get_document(doc_id)
    lines = [contribution(i) for i in range(n)]
    with timed() as insert:
        api.update_document(doc_id, plan_note(doc, "Q1", "\n".join(lines)))

    def call(method: str, path: str, body: Any = None) -> dict[str, Any]:
        raw = json.dumps(body).encode() if body is not None else b""
        response = emulator.dispatch(method, path, "", raw, {})
        assert response.status == 200, response.body[:300]
        return json.loads(response.body) if response.body else {}

    gets = []
    for _ in range(3):
        with timed() as t:
            doc = call("GET", f"/v1/documents/{doc_id}")
        gets.append(t[0])
    bullets = [
        el
        for el in doc["body"]["content"]
        if el.get("paragraph", {}).get("bullet")
        and "[#"
        in "".join(r.get("textRun", {}).get("content", "") for r in el["paragraph"]["elements"])
    ]
    assert len(bullets) == n, (len(bullets), n)
    ranges = [
        {
            "createNamedRange": {
                "name": f"gdoc_sync:c:C{i + 1:05d}",
                "range": {"startIndex": el["startIndex"], "endIndex": el["endIndex"] - 1},
            }
        }
        for i, el in enumerate(bullets)
    ]
    with timed() as named:
        call("POST", f"/v1/documents/{doc_id}:batchUpdate", {"requests": ranges})
    sheets = call("GET", f"/v4/spreadsheets/{sheet_id}")
    contributions_tab = next(
        s["properties"]["sheetId"]
        for s in sheets["sheets"]
        if s["properties"]["title"] == "Contributions"
    )
    call(
        "POST",
        f"/v4/spreadsheets/{sheet_id}:batchUpdate",
        {
            "requests": [
                {
                    "appendDimension": {
                        "sheetId": contributions_tab,
                        "dimension": "ROWS",
                        "length": n + 10,
                    }
                }
            ]
        },
    )
    values = [
        [
            f"C{i + 1:04d}",
            "Q1",
            "Investors",
            line,
            "Amara Okafor",
            "Civil society",
            "onsite",
            "in doc",
            "t",
            "t",
        ]
        for i, line in enumerate(lines)
    ]
    writes = []
    for _ in range(3):
        with timed() as t:
            call(
                "POST",
                f"/v4/spreadsheets/{sheet_id}/values:batchUpdate",
                {
                    "valueInputOption": "RAW",
                    "data": [{"range": f"'Contributions'!A2:J{n + 1}", "values": values}],
                },
            )
        writes.append(t[0])
    return {
        "contributions": n,
        "insert_all_bullets_s": insert[0],
        "documents_get_s": statistics.median(gets),
        "batch_update_named_ranges_s": named[0],
        "values_batch_update_rows_s": statistics.median(writes),
        "document_json_mb": len(json.dumps(doc)) / 1e6,
    }


# -- a whole event -------------------------------------------------------------------------------


def event_csv(path: Path, sessions: int) -> None:
    """An event's sessions: five days, eight slots a day, two rooms."""
    topics = ["AI", "data governance", "connectivity", "cybersecurity", "digital rights", "DPI"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "title",
                "date",
                "start",
                "timezone",
                "moderator_email",
                "online_moderator_email",
                "rapporteur_email",
                "topic",
            ]
        )
        for i in range(sessions):
            day, slot = divmod(i, 16)
            writer.writerow(
                [
                    f"Workshop {i + 1:03d}: {topics[i % len(topics)]}",
                    (dt.date(2025, 6, 23) + dt.timedelta(days=day % 5)).isoformat(),
                    f"{9 + slot // 2:02d}:{'30' if slot % 2 else '00'}",
                    "Europe/Oslo",
                    f"moderator{i}@example.org",
                    f"online{i}@example.org",
                    f"rapporteur{i}@example.org",
                    topics[i % len(topics)],
                ]
            )


def project_under_quotas(
    log: list[tuple[str, bool]], latency_s: float, cpu_per_request_s: float
) -> float:
    """Seconds a run of these requests (in order, one at a time) takes when each request costs
    latency_s + cpu_per_request_s and gdoc-sync's RateLimiter keeps every API under its quota."""
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    for api, write in log:
        limiter.acquire(api, write)
        now[0] += latency_s + cpu_per_request_s
    return now[0]


def bench_batch(bench: Bench, sessions: int, work: Path) -> dict[str, Any]:
    path = work / "event.csv"
    event_csv(path, sessions)
    bench.server.clear_log()
    gc.collect()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = create_batch(
        bench.api,
        path,
        BATCH_TEMPLATE,
        options=CreateOptions(notify=False),
        result_csv=work / "event-result.csv",
    )
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    assert result.count("created") == sessions
    log = bench.server.requests()
    kinds = [(e["api"], e["method"] != "GET") for e in log]
    per_bucket = Counter(kinds)
    minutes_at_quota = {
        f"{api} {'writes' if write else 'reads'}": {
            "requests": count,
            "quota_per_minute": QUOTAS[(api, write)],
            "minutes_at_90pct_of_quota": count / (QUOTAS[(api, write)] * 0.9),
        }
        for (api, write), count in sorted(per_bucket.items())
    }
    projected = project_under_quotas(kinds, LATENCY_MS / 1000, cpu / max(1, len(log)))
    return {
        "sessions": sessions,
        "requests": len(log),
        "requests_per_session": len(log) / sessions,
        "by_method": dict(Counter(label(e["method"], e["path"]) for e in log)),
        "wall_0ms_s": wall,
        "cpu_s": cpu,
        "per_api": minutes_at_quota,
        "projected_wall_s_at_150ms_under_quotas": projected,
        "projected_wall_s_at_150ms_no_quotas": len(log) * LATENCY_MS / 1000 + cpu,
    }


# -- the report ----------------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    if seconds >= 60:
        return f"{seconds / 60:.1f} min"
    if seconds >= 10:
        return f"{seconds:.0f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms"


def table(rows: list[Row]) -> str:
    head = ["operation", "requests", "wall @0 ms", "wall @150 ms", "gdoc-sync CPU", "peak mem"]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|",
    ]
    for r in rows:
        slow = fmt_s(r.wall_150ms_s) + (" *" if r.wall_150ms_computed else "")
        lines.append(
            f"| {r.name} | {r.requests:,} | {fmt_s(r.wall_0ms_s)} | {slow} | {fmt_s(r.cpu_s)} "
            f"| {r.peak_mb:.1f} MB |"
        )
    return "\n".join(lines)


def targets(rows: dict[str, Row], naive: Row | None) -> list[dict[str, Any]]:
    def check(target: str, measured: str, met: bool) -> dict[str, Any]:
        return {"target": target, "measured": measured, "met": met}

    out = []
    create = rows["create"]
    people = len(SHARES)
    out.append(
        check(
            f"create <= 4 + 1 per shared person ({4 + people} with {people} people)",
            f"{create.requests} ({create.requests - 2 * people} + 2 per person)",
            create.requests <= 4 + people,
        )
    )
    for key in [k for k in rows if k.startswith("sync ") and k[5].isdigit()]:
        r = rows[key]
        out.append(check(f"{key}: <= 4 requests", str(r.requests), r.requests <= 4))
    nochange = rows["sync, no change"]
    out.append(
        check("sync with no change == 1 request", str(nochange.requests), nochange.requests == 1)
    )
    out.append(check("note <= 2 requests", str(rows["note"].requests), rows["note"].requests <= 2))
    fin = rows["finalize"]
    out.append(check("finalize <= 4 requests", str(fin.requests), fin.requests <= 4))
    if "sync 1,000" in rows:
        r = rows["sync 1,000"]
        out.append(
            check(
                "sync 1,000 at 150 ms/request < 0.7 s wall",
                fmt_s(r.wall_150ms_s),
                r.wall_150ms_s < 0.7,
            )
        )
    if LARGE_ROW in rows:
        r = rows[LARGE_ROW]
        out.append(check(f"{LARGE_ROW}: gdoc-sync CPU < 1 s", fmt_s(r.cpu_s), r.cpu_s < 1.0))
        out.append(
            check(f"{LARGE_ROW}: peak memory < 200 MB", f"{r.peak_mb:.0f} MB", r.peak_mb < 200)
        )
    if naive is not None and "sync 1,000" in rows:
        ratio = naive.requests / rows["sync 1,000"].requests
        out.append(
            check(
                ">= 250x fewer requests than the naive baseline at 1,000",
                f"{ratio:.0f}x",
                ratio >= 250,
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"Skip {LARGE:,}; fewer repetitions.")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="Where to write JSON.")
    args = parser.parse_args(argv)
    quick: bool = args.quick
    reps = 1 if quick else 5
    sizes = [100, 1_000] if quick else [100, 1_000, LARGE]
    batch_sessions = 25 if quick else 250

    results: dict[str, Any] = {
        "meta": {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "quick": quick,
            "load_average_at_start": os.getloadavg(),
            "latency_ms": LATENCY_MS,
            "memory": "tracemalloc peak of the benchmark process during the operation (Python "
            "allocations of gdoc-sync and its client libraries; the emulator runs in a subprocess)",
            "cpu": "time.process_time() of the benchmark process (all its threads); the emulator "
            "runs in a subprocess, so its CPU is not included",
        }
    }
    rows: dict[str, Row] = {}
    with tempfile.TemporaryDirectory(prefix="gdoc-sync-bench-") as tmp:
        work = Path(tmp)
        with EmulatorProcess(work / "emulator") as server:
            bench = Bench(server, work)
            print(f"emulator subprocess at {server.address}; measuring...", flush=True)
            rows["create"] = bench.row(
                f"create (shared with {len(SHARES)} people)",
                0,
                bench.prepare_create,
                reps=reps,
                reps_150=3,
            )
            for n in sizes:
                key = f"sync {n:,}"
                print(f"  {key}", flush=True)
                rows[key] = bench.row(
                    f"sync, {n:,} new contributions",
                    n,
                    bench.prepare_sync(n),
                    reps=reps if n < LARGE else min(reps, 3),
                    reps_150=1 if quick or n >= LARGE else 3,
                )
            print("  no-change sync, note, finalize", flush=True)
            rows["sync, no change"] = bench.row(
                "sync, no change (1,000 in the Doc)",
                1_000,
                bench.prepare_after_sync(1_000, "nochange"),
                reps=reps,
                reps_150=3,
            )
            rows["note"] = bench.row(
                "note (1,000 in the Doc)",
                1_000,
                bench.prepare_after_sync(1_000, "note"),
                reps=reps,
                reps_150=3,
            )
            rows["finalize"] = bench.row(
                "finalize (1,000 action points)",
                1_000,
                bench.prepare_after_sync(1_000, "finalize"),
                reps=1 if quick else 3,
            )
            assert rows["finalize"].detail.get("actions") == 1_000, rows["finalize"].detail
            print("  naive baseline (gspread append_row), 1,000", flush=True)
            naive_run = bench.measure(bench.prepare_naive(1_000)())
            naive_mem = bench.measure(bench.prepare_naive(1_000)(), memory=True)
            naive = Row(
                name="naive gspread sync, 1,000 (append_row each)",
                contributions=1_000,
                requests=len(naive_run.requests),
                by_method=dict(Counter(naive_run.requests)),
                wall_0ms_s=naive_run.wall_s,
                wall_150ms_s=len(naive_run.requests) * LATENCY_MS / 1000 + naive_run.cpu_s,
                cpu_s=naive_run.cpu_s,
                peak_mb=naive_mem.peak_mb or 0.0,
                emulator_0ms_s=naive_run.emulator_s,
                runs=1,
                detail={
                    **naive_run.detail,
                    "wall_150ms_upper_bound_s": len(naive_run.requests) * LATENCY_MS / 1000
                    + naive_run.wall_s,
                },
                wall_150ms_computed=True,
            )
            print(f"  {batch_sessions} sessions from a CSV", flush=True)
            results["batch"] = bench_batch(bench, batch_sessions, work)
        print("  the emulator alone, in-process", flush=True)
        results["emulator"] = bench_emulator(1_000 if quick else LARGE, work)

    ordered = list(rows.values())
    results["operations"] = [asdict(r) for r in ordered]
    results["naive"] = asdict(naive)
    sync_1k = rows.get("sync 1,000")
    if sync_1k is not None:
        results["naive"]["ratio_requests"] = naive.requests / sync_1k.requests
        results["naive"]["ratio_wall_150ms"] = naive.wall_150ms_s / sync_1k.wall_150ms_s
    if LARGE_ROW in rows and sync_1k is not None:
        big = rows[LARGE_ROW]
        results["linearity"] = {
            "cpu_ratio_large_over_1k": big.cpu_s / sync_1k.cpu_s,
            "wall_0ms_ratio_large_over_1k": big.wall_0ms_s / sync_1k.wall_0ms_s,
            "peak_ratio_large_over_1k": big.peak_mb / sync_1k.peak_mb,
            "cpu_us_per_contribution_1k": sync_1k.cpu_s / 1_000 * 1e6,
            "cpu_us_per_contribution_large": big.cpu_s / LARGE * 1e6,
        }
    results["targets"] = targets(rows, naive)
    results["meta"]["load_average_at_end"] = os.getloadavg()
    results["meta"]["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print()
    print(table([*ordered, naive]))
    print("\n* computed: requests x 150 ms + measured gdoc-sync CPU, not slept")
    if sync_1k is not None:
        print(
            f"\nnaive / gdoc-sync at 1,000: {results['naive']['ratio_requests']:.0f}x the "
            f"requests, {results['naive']['ratio_wall_150ms']:.0f}x the wall time at 150 ms/request"
        )
    if "linearity" in results:
        lin = results["linearity"]
        print(
            f"1k -> {LARGE // 1000}k contributions ({LARGE // 1000}x): "
            f"CPU x{lin['cpu_ratio_large_over_1k']:.1f}, "
            f"wall x{lin['wall_0ms_ratio_large_over_1k']:.1f}, peak memory "
            f"x{lin['peak_ratio_large_over_1k']:.1f} (quadratic would be x{(LARGE // 1000) ** 2})"
        )
    em = results["emulator"]
    print(
        f"\nemulator alone, {em['contributions']:,}-contribution Doc "
        f"({em['document_json_mb']:.1f} MB): documents.get {fmt_s(em['documents_get_s'])}, "
        f"batchUpdate of {em['contributions']:,} "
        f"createNamedRange {fmt_s(em['batch_update_named_ranges_s'])}, values.batchUpdate of "
        f"{em['contributions']:,} rows {fmt_s(em['values_batch_update_rows_s'])}"
    )
    b = results["batch"]
    print(
        f"\n{b['sessions']} sessions from a CSV: {b['requests']:,} requests "
        f"({b['requests_per_session']:.1f} per session), {fmt_s(b['wall_0ms_s'])} on the emulator; "
        f"projected at 150 ms/request under Google's quotas: "
        f"{fmt_s(b['projected_wall_s_at_150ms_under_quotas'])}"
    )
    for bucket, q in b["per_api"].items():
        print(
            f"  {bucket}: {q['requests']:,} requests, quota {q['quota_per_minute']}/min -> "
            f">= {q['minutes_at_90pct_of_quota']:.1f} min at 90% of quota"
        )
    print("\ntargets:")
    for t in results["targets"]:
        print(f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['measured']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
