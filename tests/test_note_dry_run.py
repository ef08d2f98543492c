"""`note --dry-run`: where and what it would insert, read through the real clients; no write."""

from __future__ import annotations

import json

from test_create_update import TEMPLATE, TYPED, type_contributions, write

from gdoc_sync.core.model import RANGE_QUESTION


def test_note_dry_run_says_where_and_writes_nothing(backend, cli, tmp_path) -> None:
    path = write(tmp_path, TEMPLATE)
    created = json.loads(cli("create", str(path), "--no-notify", "--json").stdout)
    doc_id = created["document_id"]
    type_contributions(backend, doc_id)
    docs = backend.clients.docs.documents()
    before = docs.get(documentId=doc_id).execute()
    backend.emulator.log.clear()
    text = "Governments: Fund community networks 🌍"
    dry = cli("note", doc_id, "-q", "Q2", text, "--speaker", "Aroha Ngata", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    (entry,) = before["namedRanges"][RANGE_QUESTION + "Q2"]["namedRanges"]
    last = TYPED["Q2"][-1]
    # After the last contribution typed under Q2, before its newline.
    index = entry["ranges"][0]["endIndex"] - 1
    assert dry.stdout == (
        f"would add to Q2, at index {index} (after {last!r}): {text} (Aroha Ngata)\n"
    )
    assert dry.stderr.splitlines()[-1] == "dry run: nothing was written"
    assert [r.method for r in backend.requests()] == ["GET"]  # one read of the Doc, no write
    assert docs.get(documentId=doc_id).execute()["revisionId"] == before["revisionId"]
    assert not list((backend.data_dir / "state").glob("*.notes.jsonl"))  # no ledger line either
    as_json = json.loads(cli("note", doc_id, "-q", "Q2", text, "--dry-run", "--json").stdout)
    assert as_json["section"] == "Q2" and as_json["after"] == last
    assert as_json["requests"][0]["insertText"] == {
        "location": {"index": index},
        "text": "\n" + text,
    }
