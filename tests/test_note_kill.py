"""Real processes: `note` SIGKILLed at many moments against `gdoc-sync emulator serve`, then run
again as it was: the contribution is in the Doc exactly once."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from gdoc_sync.core.template import load_template
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.workflows.create import CreateOptions, create_session

PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}
DOC_WRITE = r"^/v1/documents/[^/]+:batchUpdate$"


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(
        {
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "PYTHONIOENCODING": "utf-8",
            "GDOC_SYNC_CONFIG_DIR": str(tmp / "config"),
        }
    )
    env.update(extra)
    return env


@contextmanager
def served(tmp: Path) -> Iterator[str]:
    """`python -m gdoc_sync emulator serve --port 0` until the block ends; yields host:port."""
    log_path = tmp / "serve.log"
    log = log_path.open("w", encoding="utf-8")
    command = [sys.executable, "-m", "gdoc_sync", "emulator", "serve", "--port", "0"]
    command += ["--data-dir", str(tmp / "emulator")]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=_env(tmp))
    try:
        deadline = time.monotonic() + 30
        host = None
        while host is None:
            assert process.poll() is None, log_path.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log_path.read_text(encoding="utf-8")
            m = re.search(r"GDOC_SYNC_EMULATOR_HOST=(\S+)", log_path.read_text(encoding="utf-8"))
            host = m.group(1) if m else None
            time.sleep(0.02)
        yield host
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


class Control:
    """The emulator's own endpoints: faults and the request log."""

    def __init__(self, host: str) -> None:
        self.url = f"http://{host}/_emulator"
        self.http = requests.Session()
        self.http.trust_env = False

    def fault(self, **spec: object) -> None:
        self.http.post(f"{self.url}/faults", json={"faults": [spec]}, timeout=5).raise_for_status()

    def clear(self) -> None:
        self.http.delete(f"{self.url}/faults", timeout=5).raise_for_status()

    def doc_writes(self) -> list[dict]:
        entries = self.http.get(f"{self.url}/requests", timeout=5).json()["requests"]
        return [e for e in entries if e["method"] == "POST" and re.search(DOC_WRITE, e["path"])]


def copies(api: GoogleApi, document_id: str, needle: str) -> int:
    doc = api.get_document(document_id)
    return sum(
        needle
        in "".join(e.get("textRun", {}).get("content", "") for e in el["paragraph"]["elements"])
        for el in doc["body"]["content"]
        if "paragraph" in el
    )


@pytest.mark.slow
def test_note_killed_at_any_moment_then_rerun_gives_one_copy(tmp_path: Path) -> None:
    with served(tmp_path) as host:
        api = GoogleApi(for_emulator_host(host), retry=RetryPolicy(sleep=lambda _: None))
        control = Control(host)
        created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
        doc_id = created.document_id
        env = _env(
            tmp_path,
            GDOC_SYNC_EMULATOR_HOST=host,
            GDOC_SYNC_DATA_DIR=str(tmp_path / "moderator"),
        )
        ledger = tmp_path / "moderator" / "state" / f"{doc_id}.notes.jsonl"

        def command(n: int) -> list[str]:
            # Word's bullet and a control character: Docs does not store them as given.
            text = f"Investors: point {n} \uf0b7 fund\x07 audits"
            return [sys.executable, "-m", "gdoc_sync", "note", doc_id, "-q", "Q1", text]

        def needle(n: int) -> str:
            return f"point {n} \u2022 fund audits"

        def start(n: int) -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                command(n), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )

        def rerun(n: int) -> str:
            done = subprocess.run(command(n), env=env, capture_output=True, timeout=60)
            assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
            return done.stdout.decode("utf-8")

        # One undisturbed run tells how long a run takes.
        began = time.monotonic()
        assert rerun(0).startswith("added to Q1")
        duration = time.monotonic() - began
        outcomes: dict[str, int] = {}

        # Killed at random moments, from start-up to the end of the run.
        rng = random.Random(11)
        for n in range(1, 9):
            process = start(n)
            time.sleep(duration * (n - 1 + rng.random()) / 8)
            process.send_signal(signal.SIGKILL)
            process.communicate()
            out = rerun(n)
            outcomes[out.split(" ", 1)[0]] = outcomes.get(out.split(" ", 1)[0], 0) + 1
            assert copies(api, doc_id, needle(n)) == 1, (n, out)

        # Killed after its write landed, before the answer came back: the emulator pauses
        # between applying the batchUpdate and answering.
        for n in range(9, 11):
            control.fault(action="latency", method="POST", path=DOC_WRITE, after_ms=2000)
            writes_before = len(control.doc_writes())
            process = start(n)
            deadline = time.monotonic() + 30
            while copies(api, doc_id, needle(n)) == 0:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.02)
            process.send_signal(signal.SIGKILL)
            process.communicate()
            control.clear()
            assert rerun(n).startswith("already in Q1 (an earlier run added it)")
            assert copies(api, doc_id, needle(n)) == 1
            # The killed run's request is logged once the emulator has answered it (to no one).
            while len(control.doc_writes()) < writes_before + 1:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert [e["status"] for e in control.doc_writes()[writes_before:]] == [200]

        # Killed after it recorded the pending note, while its write waits at the server: the
        # rerun writes while the first request is still to be applied. One of the two loses on
        # the revision it required.
        for n in range(11, 13):
            control.fault(action="latency", method="POST", path=DOC_WRITE, latency_ms=1500)
            writes_before = len(control.doc_writes())
            process = start(n)
            deadline = time.monotonic() + 30
            while not (ledger.exists() and '"state": "pending"' in _last_line(ledger)):
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.005)
            process.send_signal(signal.SIGKILL)
            process.communicate()
            rerun(n)
            # Wait for the killed run's request, applied (or refused) late, to be logged.
            while not any(e["fault"] == "latency" for e in control.doc_writes()[writes_before:]):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            control.clear()
            assert copies(api, doc_id, needle(n)) == 1
            # Either the rerun found the first write's mark, or it wrote first and the late
            # write was refused on its revision: every write that succeeded added one copy.
            statuses = [e["status"] for e in control.doc_writes()[writes_before:]]
            assert statuses.count(200) >= 1 and set(statuses) <= {200, 400}, statuses

        # Every request still held by a latency fault has been answered by now: no note ended
        # with a second copy, whatever order the late writes landed in.
        time.sleep(2.0)
        for n in range(13):
            assert copies(api, doc_id, needle(n)) == 1, n

        # The random kills hit both before and after the write.
        assert outcomes.get("added", 0) >= 1, outcomes
        assert copies(api, doc_id, needle(0)) == 1


def _last_line(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    return lines[-1] if lines else ""


def test_the_same_note_run_several_times_at_once_is_added_once(tmp_path: Path) -> None:
    with served(tmp_path) as host:
        api = GoogleApi(for_emulator_host(host), retry=RetryPolicy(sleep=lambda _: None))
        created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
        env = _env(
            tmp_path,
            GDOC_SYNC_EMULATOR_HOST=host,
            GDOC_SYNC_DATA_DIR=str(tmp_path / "moderator"),
        )
        text = "CSO: one voice \uf0b7 four clicks"
        command = [sys.executable, "-m", "gdoc_sync", "note", created.document_id, "-q", "Q2"]
        processes = [
            subprocess.Popen(
                [*command, text], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(4)
        ]
        outputs = [p.communicate(timeout=120) for p in processes]
        assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs
        assert copies(api, created.document_id, "one voice \u2022 four clicks") == 1
        # Each says the note is in the Doc (a run that took over another's pending id cannot
        # tell whose write landed, and says "added").
        said = [out.decode("utf-8").split(" ", 1)[0] for out, _ in outputs]
        assert "added" in said and set(said) <= {"added", "already"}, outputs
