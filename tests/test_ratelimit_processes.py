"""The shared rate limiter's cross-process lock, with real processes contending for one account.

Each worker process runs a SharedRateLimiter with a clock that runs SCALE times faster than the
wall clock (and sleeps SCALE times shorter), so the limiter's one-minute window passes in a
fraction of a second. Every worker records the timestamp the limiter stored for each request it
let through; the test then counts those timestamps per window. The assertions are about counts,
never about how fast anything went.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from gdoc_sync.google.ratelimit import WINDOW, SharedRateLimiter

LIMIT = 4  # requests per window for the one quota the workers use
PER_WORKER = 4
WORKERS = 3

# argv: limiter file, output file, ready file, go file, requests to make, clock scale, quota
WORKER = """
import json, sys, time
from pathlib import Path
from gdoc_sync.google.ratelimit import SharedRateLimiter

path, out, ready, go, count, scale, quota = sys.argv[1:8]
scale = float(scale)
last = [0.0]

def clock():
    last[0] = time.time() * scale
    return last[0]

def sleep(seconds):
    time.sleep(seconds / scale)

limiter = SharedRateLimiter(
    Path(path), {("sheets", True): int(quota)}, clock=clock, sleep=sleep, headroom=1.0
)
Path(ready).touch()
deadline = time.time() + 60
while not Path(go).exists():
    if time.time() > deadline:
        sys.exit("never told to go")
    time.sleep(0.002)
stamps = []
for _ in range(int(count)):
    limiter.acquire("sheets", True)
    stamps.append(last[0])  # the clock reading the limiter stored for this request
Path(out).write_text(json.dumps(stamps))
"""


def _run_workers(tmp_path: Path, limiter_paths: list[Path], scale: float) -> list[list[float]]:
    go = tmp_path / "go"
    procs = []
    outs = []
    for i, limiter_path in enumerate(limiter_paths):
        out, ready = tmp_path / f"out-{i}.json", tmp_path / f"ready-{i}"
        outs.append(out)
        args = [str(limiter_path), str(out), str(ready), str(go), str(PER_WORKER), str(scale)]
        args.append(str(LIMIT))
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", WORKER, *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    try:
        deadline = time.monotonic() + 120
        while not all((tmp_path / f"ready-{i}").exists() for i in range(len(procs))):
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            assert time.monotonic() < deadline, "the workers never got ready"
            time.sleep(0.01)
        go.touch()  # every worker starts at once
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return [json.loads(out.read_text()) for out in outs]


def _most_in_one_window(stamps: list[float]) -> int:
    """The most requests in any window (t - WINDOW, t], the window the limiter keeps."""
    ordered = sorted(stamps)
    return max(sum(1 for s in ordered if t - WINDOW < s <= t) for t in ordered)


def test_processes_sharing_an_accounts_limiter_never_exceed_its_quota(tmp_path: Path) -> None:
    directory = tmp_path / "state"
    account = "Łucja Nowak-Ōkubo <lucja@example.org>"
    shared = SharedRateLimiter.for_account(directory, account).path
    assert shared == SharedRateLimiter.for_account(directory, account).path  # one account, one file

    per_worker = _run_workers(tmp_path, [shared] * WORKERS, scale=120.0)

    stamps = [s for worker in per_worker for s in worker]
    assert [len(w) for w in per_worker] == [PER_WORKER] * WORKERS  # every request went through
    assert len(set(stamps)) == len(stamps)
    assert _most_in_one_window(stamps) <= LIMIT
    # 12 requests under a quota of 4 a window: they spread over at least three windows.
    assert max(stamps) - min(stamps) >= 2 * WINDOW - 1e-6
    # The workers really shared the account's file: its record holds the last window's requests.
    recorded = json.loads(shared.read_text(encoding="utf-8"))["sheets:write"]
    assert set(recorded) <= set(stamps)
    assert recorded == sorted(recorded) and 0 < len(recorded) <= LIMIT


def test_the_window_count_catches_processes_that_do_not_share_a_limiter(tmp_path: Path) -> None:
    """The check above can fail: processes of different accounts each stay under the quota alone
    and together exceed it in one window (a slow clock here: a window of ten seconds)."""
    directory = tmp_path / "state"
    paths = [
        SharedRateLimiter.for_account(directory, f"person{i}@example.org").path
        for i in range(WORKERS)
    ]
    assert len(set(paths)) == WORKERS

    per_worker = _run_workers(tmp_path, paths, scale=6.0)

    for path, worker in zip(paths, per_worker, strict=True):
        # Each process kept to its own account's file, which holds its requests alone...
        assert json.loads(path.read_text(encoding="utf-8"))["sheets:write"] == worker
    # ...so together they sent more than one account's quota within one window.
    assert _most_in_one_window([s for w in per_worker for s in w]) > LIMIT
