"""A large legitimate template (50 groups x 30 aliases by default): CPU to validate it and to
sync a 1,000-contribution Doc against it, plus a hostile one (100 x 50) to show the growth.

    python benchmarks/large_template.py [--groups 50] [--aliases 30] [--contributions 1000]

The emulator runs in-process, so the sync's CPU figure includes the emulator's own work: an
upper bound for gdoc-sync's.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from gdoc_sync.core.template import load_template, validate_template
from gdoc_sync.emulator.app import Emulator
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.google.clients import for_emulator
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.note import plan_note
from gdoc_sync.workflows.sync import sync_session

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "gu", "fe", "zo", "ba"]


def word(r: random.Random, syllables: int) -> str:
    return "".join(r.choice(SYLLABLES) for _ in range(syllables))


def template_text(groups: int, aliases: int, seed: int = 7) -> tuple[str, list[list[str]]]:
    """A template whose groups have distinct names and aliases, like a big event's."""
    r = random.Random(seed)
    used: set[str] = set()
    labels: list[list[str]] = []

    def fresh(syllables: int) -> str:
        while True:
            candidate = word(r, syllables)
            if candidate not in used:
                used.add(candidate)
                return candidate

    lines = ['title = "Large template benchmark"', ""]
    for g in range(groups):
        name = f"{fresh(5).capitalize()} {fresh(4)}"
        alias_list = [f"{fresh(4)} {fresh(5)}" for _ in range(aliases)]
        labels.append([name, *alias_list])
        lines += [
            "[[groups]]",
            f'key = "g{g:03d}"',
            f'name = "{name}"',
            "aliases = [" + ", ".join(f'"{a}"' for a in alias_list) + "]",
            "",
        ]
    for q in range(1, 4):
        lines += ["[[questions]]", f'id = "Q{q}"', f'text = "Question {q}?"', ""]
    return "\n".join(lines), labels


def typo(r: random.Random, text: str) -> str:
    i = r.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swap two letters


def contributions(labels: list[list[str]], n: int, seed: int = 11) -> list[str]:
    r = random.Random(seed)
    out = []
    for i in range(n):
        group = r.choice(labels)
        label = r.choice(group)
        if r.random() < 0.1:
            label = typo(r, label)
        out.append(f"{label.title()}: act on item {i} (Ana Souza, {r.choice(group)})")
    return out


def cpu(fn):  # type: ignore[no-untyped-def]
    started = time.process_time()
    value = fn()
    return value, time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--aliases", type=int, default=30)
    parser.add_argument("--contributions", type=int, default=1000)
    parser.add_argument("--hostile", action="store_true", help="Also time 100 x 50 and 500 x 50.")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text, labels = template_text(args.groups, args.aliases)
        path = work / "large.toml"
        path.write_text(text, encoding="utf-8")
        problems, validate_s = cpu(lambda: validate_template(path))
        assert problems == [], problems[:3]
        template, load_s = cpu(lambda: load_template(path))

        api = GoogleApi(for_emulator(Emulator(work / "emulator")))
        created = create_session(api, template, CreateOptions(notify=False))
        doc_id = created.document_id
        lines = contributions(labels, args.contributions)
        doc = api.get_document(doc_id)
        api.update_document(doc_id, plan_note(doc, "Q1", "\n".join(lines)))
        result, sync_s = cpu(
            lambda: sync_session(
                api, doc_id, state=LocalState(work / "state"), journal=Journal(work / "journal")
            )
        )
        plan = result.plan
        print(
            f"{args.groups} groups x {args.aliases} aliases: validate {validate_s * 1000:.0f} ms "
            f"CPU, load {load_s * 1000:.0f} ms CPU; sync of {args.contributions} contributions "
            f"{sync_s * 1000:.0f} ms CPU (emulator included): {len(plan.added)} added, "
            f"{len(plan.unassigned)} unassigned"
        )
        if args.hostile:
            for groups, aliases in ((100, 50), (500, 50)):
                text, _ = template_text(groups, aliases)
                big = work / f"hostile-{groups}.toml"
                big.write_text(text, encoding="utf-8")
                problems, seconds = cpu(lambda big=big: validate_template(big))
                print(
                    f"{groups} groups x {aliases} aliases: validate {seconds * 1000:.0f} ms CPU "
                    f"({problems[0] if problems else 'ok'})"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
