"""Moderators' lines as people type them, typed into a real session Doc through the Docs API,
synced, and read back from the Sheet: how many come out right, and that the rest are warned.

The lines and what each one says are in corpus_lines.py, written by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from corpus_lines import (
    APAC_GROUPS,
    APAC_LINES,
    AR_GROUPS,
    AR_LINES,
    DATA_GROUPS,
    DATA_LINES,
    ES_GROUPS,
    ES_LATER_LINES,
    ES_LINES,
    ES_USER_LINES,
    FR_GROUPS,
    FR_LATER_LINES,
    FR_LINES,
    FR_USER_LINES,
    HRDD_GROUPS,
    HRDD_LINES,
    PT_GROUPS,
    PT_LINES,
    PT_USER_LINES,
    SAFETY_GROUPS,
    SAFETY_LINES,
)
from sheet_words import in_english, tab_title

from gdoc_sync.core.sheet import quote_sheet
from gdoc_sync.core.template import load_template
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.sync import sync_session

Line = tuple[str, str, str, str, str]


def _template(path: Path, language: str, groups: dict[str, tuple[str, list[str]]]) -> Path:
    title = f"Workshop {path.parent.name} ({language})"
    lines = [f"title = {json.dumps(title)}", f'language = "{language}"']
    for key, (name, aliases) in groups.items():
        lines += ["[[groups]]", f'key = "{key}"', f"name = {json.dumps(name, ensure_ascii=False)}"]
        lines.append(f"aliases = {json.dumps(aliases, ensure_ascii=False)}")
    lines += ["[[questions]]", 'id = "Q1"', 'text = "What should happen next?"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _type_lines(api: Any, document_id: str, lines: list[str]) -> None:
    """Type the lines as a moderator does: into Q1's empty bullet, Enter after each one."""
    doc = api.get_document(document_id)
    span = doc["namedRanges"]["gdoc_sync:question:Q1"]["namedRanges"][0]["ranges"][0]
    api.clients.docs.documents().batchUpdate(
        documentId=document_id,
        body={
            "requests": [
                {
                    "insertText": {
                        "location": {"index": span["endIndex"] - 1},
                        "text": "\n".join(lines),
                    }
                }
            ]
        },
    ).execute()


def _rows(backend: Any, spreadsheet_id: str) -> list[dict[str, str]]:
    values = backend.clients.sheets.http_client.values_get(
        spreadsheet_id, quote_sheet(tab_title(backend, spreadsheet_id, 0))
    ).get("values", [])
    return in_english(values)  # a session's Sheet is in its language: read in English here


def _run(
    backend: Any, tmp_path: Path, language: str, groups: dict, lines: list[Line]
) -> list[dict]:
    """Each line with what the Sheet says of it and whether sync warned about it."""
    api = backend.api()
    template = load_template(_template(tmp_path / f"{language}.toml", language, groups))
    created = create_session(api, template, CreateOptions(notify=False))
    _type_lines(api, created.document_id, [typed for typed, *_ in lines])
    result = sync_session(
        api,
        created.document_id,
        state=LocalState(tmp_path / "state"),
        journal=Journal(tmp_path / "journal"),
    )
    rows = sorted(_rows(backend, created.spreadsheet_id), key=lambda r: r["ID"])
    assert len(rows) == len(lines)  # none dropped, none duplicated
    unassigned = {c.id for c in result.plan.unassigned}
    names = {code: name for code, (name, _) in groups.items()}
    out = []
    for (typed, codes, speaker, proposer, channel), row in zip(lines, rows, strict=True):
        wanted = set(names.values()) if codes == "*" else {names[c] for c in codes.split()}
        got = {g.strip() for g in row["Addressees"].split(";") if g.strip()}
        groups_right = got == wanted
        full = groups_right and (row["Speaker"], row["Proposer group"], row["Channel"]) == (
            speaker,
            names.get(proposer, ""),
            channel,
        )
        start = " ".join(typed.split())[:25]
        warned = row["ID"] in unassigned or any(start in p for p in result.problems)
        out.append(
            {"typed": typed, "row": row, "groups": groups_right, "full": full, "warned": warned}
        )
    return out


def _report(name: str, results: list[dict], key: str) -> str:
    right = sum(r[key] for r in results)
    wrong = [r for r in results if not r[key]]
    detail = "\n".join(
        f"  {'warned' if r['warned'] else 'SILENT'}: {r['typed']!r} -> "
        f"{r['row']['Addressees']!r} / {r['row']['Speaker']!r} / {r['row']['Proposer group']!r} "
        f"/ {r['row']['Channel']!r}"
        for r in wrong
    )
    line = f"{name}: {right}/{len(results)} ({100 * right / len(results):.1f}%) {key} right"
    print(line)
    return line + ("\n" + detail if detail else "")


def test_english_and_mixed_lines_of_three_workshops_are_assigned(backend, tmp_path) -> None:
    results = []
    for name, groups, lines in (
        ("hrdd", HRDD_GROUPS, HRDD_LINES),
        ("apac", APAC_GROUPS, APAC_LINES),
        ("privacy", DATA_GROUPS, DATA_LINES),
        ("safety", SAFETY_GROUPS, SAFETY_LINES),
    ):
        (tmp_path / name).mkdir()
        results += _run(backend, tmp_path / name, "en", groups, lines)
    assert len(results) >= 180
    _report("English and mixed", results, "full")  # printed with -s: speaker, group, channel too
    summary = _report("English and mixed", results, "groups")
    assert sum(r["groups"] for r in results) >= 0.97 * len(results), summary
    # Every line that did not reach its groups is said: unassigned (listed) or warned.
    assert all(r["warned"] for r in results if not r["groups"]), summary


@pytest.mark.parametrize(
    ("language", "groups", "lines", "minimum"),
    [
        ("es", ES_GROUPS, ES_LINES + ES_LATER_LINES + ES_USER_LINES, 58),
        ("fr", FR_GROUPS, FR_LINES + FR_LATER_LINES + FR_USER_LINES, 60),
        ("pt", PT_GROUPS, PT_LINES + PT_USER_LINES, 10),
        ("ar", AR_GROUPS, AR_LINES, 5),
    ],
)
def test_lines_typed_in_the_session_language_are_fully_right(
    backend, tmp_path, language, groups, lines, minimum
) -> None:
    (tmp_path / language).mkdir()
    results = _run(backend, tmp_path / language, language, groups, lines)
    assert len(results) >= minimum
    summary = _report(language, results, "full")
    assert sum(r["full"] for r in results) >= 0.95 * len(results), summary
    assert all(r["warned"] for r in results if not r["full"]), summary
