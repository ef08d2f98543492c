"""How big the local journal gets in a long `watch` session: real syncs, real notes, the
in-process emulator; the journal as stored (changes with periodic full copies) against a full
copy on every changed sync (how it was stored before).

    python benchmarks/journal_growth.py                  # 90 minutes at 10 s: 540 rounds
    python benchmarks/journal_growth.py --rounds 120     # a shorter session

Each round is one `watch` round 10 s apart: a note is added on most rounds (500 contributions
over the session), one earlier contribution is reworded every other round, then sync runs."""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gdoc_sync.core.template import load_template
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator
from gdoc_sync.google.retry import RetryPolicy
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import add_note
from gdoc_sync.workflows.sync import SyncOptions, sync_session

GROUPS = ["Investors", "Governments", "CSO", "Tech companies", "UN"]
WORDS = (
    "publish human rights due diligence policies engage portfolio companies report on "
    "salient risks before every AGM season with affected communities and workers"
).split()


class CountingJournal(Journal):
    """The journal, also tallying what a full copy on every changed sync would have written."""

    full_copy_bytes = 0
    _last: str | None = None

    def append(self, document_id: str, **kw: Any) -> str:
        digest = super().append(document_id, **kw)
        entry = {k: kw[k] for k in ("at", "revision", "summary")} | {"digest": digest}
        line = json.dumps(entry, ensure_ascii=False)
        if digest != self._last:
            line += json.dumps(kw["contributions"], ensure_ascii=False, sort_keys=True)
        self.full_copy_bytes += len(line.encode("utf-8")) + 1
        self._last = digest
        return digest


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=540, help="watch rounds (10 s each)")
    parser.add_argument("--contributions", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(2025)
    with tempfile.TemporaryDirectory(prefix="journal-growth-") as tmp:
        emulator = Emulator(None)
        api = GoogleApi(for_emulator(emulator), retry=RetryPolicy(sleep=lambda _: None))
        created = create_session(api, load_template("igf2025-ws354"), CreateOptions(notify=False))
        doc = created.document_id
        questions = ["Q1", "Q2", "Q3", "Q4"]
        state = LocalState(Path(tmp) / "state")
        journal = CountingJournal(Path(tmp) / "journal")
        noted = 0
        started = time.monotonic()
        for round_ in range(args.rounds):
            due = round(args.contributions * (round_ + 1) / args.rounds)
            while noted < due:
                group = rng.choice(GROUPS)
                add_note(api, doc, rng.choice(questions), f"{group}: {sentence(rng)} ({noted})")
                noted += 1
            if round_ % 2 and noted:
                _reword(api, doc, rng)
            sync_session(api, doc, state=state, journal=journal, options=SyncOptions())
        elapsed = time.monotonic() - started
        size = journal.path(doc).stat().st_size
        history = journal.history(doc)
        full = sum(h["full_copy"] for h in history)
    result = {
        "rounds": args.rounds,
        "contributions": noted,
        "journal_bytes": size,
        "full_copy_every_change_bytes": journal.full_copy_bytes,
        "entries": len(history),
        "full_copies": full,
        "seconds": round(elapsed, 1),
    }
    print(json.dumps(result, indent=1))
    print(
        f"{args.rounds} rounds, {noted} contributions: journal {size / 1e6:.2f} MB "
        f"({full} full copies) vs {journal.full_copy_bytes / 1e6:.1f} MB with a full copy on "
        f"every changed sync (x{journal.full_copy_bytes / size:.0f} smaller)",
        file=sys.stderr,
    )


def _reword(api: GoogleApi, doc_id: str, rng: random.Random) -> None:
    """A moderator fixes a word in an earlier contribution."""
    doc = api.get_document(doc_id)
    runs = [
        pe
        for el in doc["body"]["content"]
        if "paragraph" in el and el["paragraph"].get("bullet")
        for pe in el["paragraph"]["elements"]
        if len(pe.get("textRun", {}).get("content", "")) > 20
    ]
    if not runs:
        return
    at = rng.choice(runs)["startIndex"] + 12
    api.update_document(doc_id, [{"insertText": {"location": {"index": at}, "text": "really "}}])


if __name__ == "__main__":
    main()
