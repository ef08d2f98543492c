"""People's text printed by the CLI (sync's lists, --json) cannot reorder the words around it."""

from __future__ import annotations

import json

from boardkit import new_session, type_contribution

RLO, PDF = "\u202e", "\u202c"


def test_an_open_override_in_a_contribution_is_closed_on_its_own_line(backend, cli) -> None:
    created = new_session(backend.api(), "Bidi in the terminal")
    # No stakeholder group: sync lists it as unassigned, quoting the moderator's words.
    type_contribution(
        backend.clients.docs, created.document_id, "Q1", f"Remark {RLO}kept open by mistake"
    )
    result = cli("sync", created.document_id)
    assert result.exit_code == 0, result.stderr
    quoted = [line for line in result.stdout.splitlines() if "kept open by mistake" in line]
    assert len(quoted) == 1
    line = quoted[0]
    assert line.count(RLO) == 1 and line.index(RLO) < line.index(PDF)
    # The words after it on other lines are untouched.
    assert all(
        RLO not in other and PDF not in other
        for other in result.stdout.splitlines()
        if other != line
    )

    result = cli("sync", created.document_id, "--json", "--force")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)  # still valid JSON
    texts = [s for s in _strings(data) if "kept open by mistake" in s]
    assert texts and all(t.index(RLO) < t.index(PDF) for t in texts)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
