"""How long gdoc-sync takes to answer, as a whole process, against a bare `python -c pass`.

People run the CLI many times during a session, so what counts is the process: interpreter
start, imports, connecting, the work, exit. Each command runs as its own process N times
(interleaved with `python -c pass`, so both see the same machine load), against the local
backend (the emulator in-process) and against `gdoc-sync emulator serve` in a subprocess
(GDOC_SYNC_EMULATOR_HOST). Prints a table (command, median ms, min-max, x `python -c pass`,
target, met?, and the same ratio in CPU time) and writes every timing to JSON.

The CPU time (user + system, of the child process) is given beside the wall time because the
machines this runs on are often shared: other jobs stretch the wall time of an import-heavy
process more than that of a bare interpreter, so the CPU ratio is the steadier of the two. The
targets are judged on wall time, as people wait for it.

    python benchmarks/startup.py               # 9 runs of each command
    python benchmarks/startup.py --runs 3      # quicker
    python benchmarks/startup.py --json out.json

Run it from an ordinary install: an editable one (`pip install -e`) adds its import hook to
every process, `python -c pass` included, which flatters every ratio. Bytecode caches are
allowed (PYTHONDONTWRITEBYTECODE is dropped for the children) and every command runs once
untimed first, as after an install: a first run compiling every module is a one-off, not the
start-up people wait for.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from run import EmulatorProcess  # benchmarks/ is this script's folder

HERE = Path(__file__).resolve().parent
TEMPLATE = "igf2025-ws354"

# (label, argv after `python -m gdoc_sync`, target as a multiple of `python -c pass`)
# {doc} is the session Doc's id; {n} a run number (each note adds a new contribution).
COMMANDS: list[tuple[str, list[str], float]] = [
    ("--help", ["--help"], 5.0),
    ("history", ["history", "{doc}"], 5.0),
    ("template list", ["template", "list"], 5.0),
    ("template show", ["template", "show", TEMPLATE], 5.0),
    ("template validate", ["template", "validate", TEMPLATE], 5.0),
    ("note", ["note", "{doc}", "-q", "Q1", "Investors: run {n}", "--speaker", "Ana"], 10.0),
    ("sync, no change", ["sync", "{doc}"], 10.0),
]

# Not gdoc-sync's commands: what the interpreter alone costs, what importing the two client
# libraries costs on their own, and the floors under gdoc-sync's commands: click (every
# command), and the client libraries as gdoc-sync imports them (`import gdoc_sync` first: the
# modules they import only for paths gdoc-sync does not take are then loaded on first use).
REFERENCES: list[tuple[str, str]] = [
    ("python -c pass", "pass"),
    ("import gspread, googleapiclient", "import gspread, googleapiclient.discovery"),
    ("import click", "import click"),
    ("floor of note: click, googleapiclient", "import gdoc_sync, click, googleapiclient.discovery"),
    (
        "floor of sync: click, googleapiclient, gspread",
        "import gdoc_sync, click, googleapiclient.discovery, gspread",
    ),
]


def child_env(data_dir: Path, emulator_host: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GDOC_SYNC_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["GDOC_SYNC_DATA_DIR"] = str(data_dir)
    if emulator_host:
        env["GDOC_SYNC_EMULATOR_HOST"] = emulator_host
    return env


CPU: list[float] = []  # the CPU time of the last process run, seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """One process, timed from spawn to exit; fails loudly if the command failed."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    CPU[:] = [_children_cpu() - cpu]
    if done.returncode != 0:
        raise RuntimeError(f"{argv[3:]} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed, done.stdout


def gdoc_sync(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    return run([sys.executable, "-m", "gdoc_sync", *args], env)


def measure(backend: str, env: dict[str, str], runs: int) -> dict[str, Any]:
    """Every command `runs` times, each round interleaved with `python -c pass`."""
    _, out = gdoc_sync(["create", TEMPLATE, "--no-notify", "--json"], env)
    doc = json.loads(out)["document_id"]
    times: dict[str, list[float]] = {label: [] for label, _ in REFERENCES}
    times.update({label: [] for label, _, _ in COMMANDS})
    cpu: dict[str, list[float]] = {label: [] for label in times}

    def argv(args: list[str], n: int) -> list[str]:
        return [a.format(doc=doc, n=f"{backend}-{n}") for a in args]

    gdoc_sync(["sync", doc], env)  # the journal has an entry: history lists something
    for _label, args, _ in COMMANDS:  # warm-up: bytecode caches, the emulator's first open
        gdoc_sync(argv(args, 0), env)
    for n in range(1, runs + 1):
        for label, code in REFERENCES:
            times[label].append(run([sys.executable, "-c", code], env)[0])
            cpu[label].append(CPU[0])
        for label, args, _ in COMMANDS:
            if label.startswith("sync"):
                gdoc_sync(["sync", doc], env)  # untimed: takes in this round's note
            elapsed, out = gdoc_sync(argv(args, n), env)
            if label.startswith("sync") and "no change" not in out:
                raise RuntimeError(f"the timed sync was not a no-change sync: {out!r}")
            if label == "note" and "added to Q1" not in out:
                raise RuntimeError(f"note did not add its contribution: {out!r}")
            times[label].append(elapsed)
            cpu[label].append(CPU[0])
    base = statistics.median(times["python -c pass"])
    cpu_base = statistics.median(cpu["python -c pass"])
    rows = []
    for label, values in times.items():
        target = next((t for lbl, _, t in COMMANDS if lbl == label), None)
        median = statistics.median(values)
        rows.append(
            {
                "backend": backend,
                "command": label,
                "median_ms": round(median * 1000, 1),
                "min_ms": round(min(values) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1),
                "x_python": round(median / base, 2),
                "target_x": target,
                "met": None if target is None else median / base <= target,
                "runs_ms": [round(v * 1000, 1) for v in values],
                "cpu_median_ms": round(statistics.median(cpu[label]) * 1000, 1),
                "cpu_x_python": round(statistics.median(cpu[label]) / cpu_base, 2),
                "cpu_runs_ms": [round(v * 1000, 1) for v in cpu[label]],
            }
        )
    return {"backend": backend, "rows": rows}


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| backend | command | median | min-max | x `python -c pass` | target | met? "
        "| CPU | CPU x |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for result in results:
        for r in result["rows"]:
            target = f"{r['target_x']:g}x" if r["target_x"] else ""
            met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
            lines.append(
                f"| {r['backend']} | {r['command']} | {r['median_ms']:.0f} ms "
                f"| {r['min_ms']:.0f}-{r['max_ms']:.0f} ms | {r['x_python']:.1f}x "
                f"| {target} | {met} | {r['cpu_median_ms']:.0f} ms | {r['cpu_x_python']:.1f}x |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each command")
    parser.add_argument("--json", default=str(HERE / "results" / "startup.json"))
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="gdoc-sync-startup-") as tmp:
        local = Path(tmp, "local")
        results.append(measure("local", child_env(local, None), options.runs))
        served = Path(tmp, "served")
        served.mkdir()
        # The same `emulator serve` subprocess the operation benchmarks use.
        with EmulatorProcess(served / "emulator", child_env(served, None)) as server:
            results.append(
                measure("emulator serve", child_env(served, server.address), options.runs)
            )
    print(table(results))
    out = Path(options.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "python": sys.version.split()[0],
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
                "runs": options.runs,
                "results": results,
            },
            indent=1,
        ),
        "utf-8",
    )
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
