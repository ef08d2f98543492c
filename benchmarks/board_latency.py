"""How long a contribution typed into the Doc takes to reach the room board's open pages.

Runs the emulator over HTTP (optionally with a per-request latency like Google's), a real
`gdoc-sync board` process, and a Server-Sent Events client reading `/events` as a page does; types
one contribution at a time into the Doc and times it until a pushed board carries its words.

    python benchmarks/board_latency.py --interval 1 --rounds 10 --latency-ms 150
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.server import EmulatorServer
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator_host
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=1.0, help="the board's --interval")
    parser.add_argument("--rounds", type=int, default=10, help="contributions to time")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, EmulatorServer(Path(tmp) / "emulator") as server:
        api = GoogleApi(for_emulator_host(server.address))
        template = load_template("igf2025-ws354", {"title": "Board latency"})
        created = create_session(api, template, CreateOptions(notify=False, new=True))
        server.emulator.faults.latency_ms = args.latency_ms
        env = {
            **os.environ,
            "GDOC_SYNC_EMULATOR_HOST": server.address,
            "GDOC_SYNC_DATA_DIR": str(Path(tmp) / "moderator"),
            "GDOC_SYNC_CONFIG_DIR": str(Path(tmp) / "config"),
        }
        command = [sys.executable, "-m", "gdoc_sync", "board", created.document_id]
        command += ["--port", "0", "--interval", str(args.interval)]
        board = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        try:
            url = ""
            assert board.stderr is not None
            for line in board.stderr:
                found = re.search(r"board on (http://\S+)", line)
                if found:
                    url = found.group(1)
                    break
            threading.Thread(target=lambda: board.stderr.read(), daemon=True).start()
            times = measure(api, created.document_id, url, args.rounds, args.interval)
        finally:
            board.terminate()
            board.wait(timeout=30)
    print(
        f"interval {args.interval:g} s, {args.latency_ms:g} ms per request, {len(times)} "
        f"contributions: in the Doc -> on the page min {min(times):.2f} s, median "
        f"{statistics.median(times):.2f} s, max {max(times):.2f} s"
    )


def measure(
    api: GoogleApi, document_id: str, url: str, rounds: int, interval: float
) -> list[float]:
    """Type (at a random moment of the board's cycle), then read the event stream until a board
    event carries the words; timed from when the Doc had them."""
    session = requests.Session()
    session.trust_env = False  # loopback only, whatever proxy the environment names
    stream = session.get(url + "events", stream=True, timeout=60)
    lines = stream.iter_lines(decode_unicode=True)
    times = []
    for n in range(rounds):
        words = f"Publish benchmark point {n} of the HRDD roadmap"
        time.sleep(random.uniform(0, interval))
        add_note(api, document_id, "Q1", f"Investors: {words} (Speaker {n}, investors)")
        started = time.perf_counter()
        event = ""
        for line in lines:
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: ") and event == "board":
                if words in json.loads(line[len("data: ") :])["html"]:
                    times.append(time.perf_counter() - started)
                    break
    stream.close()
    return times


if __name__ == "__main__":
    main()
