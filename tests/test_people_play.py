"""What organizers, moderators and rapporteurs did in a played session that broke something:
each test replays their steps through the CLI and the real clients, and checks what they typed."""

from __future__ import annotations

import json


def rename_tab(backend, spreadsheet_id: str, sheet_id: int, title: str) -> None:
    backend.clients.sheets.open_by_key(spreadsheet_id).batch_update(
        {
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "title": title},
                        "fields": "title",
                    }
                }
            ]
        }
    )


def test_a_renamed_matrix_tab_keeps_sync_writing_it(backend, cli) -> None:
    """A rapporteur renames the Matrix tab (which sync writes but never reads): sync
    finds it by the sheetId create gave it and fills it."""
    created = cli("create", "igf-regional-dakar-fr", "--no-notify", "--json")
    ids = json.loads(created.stdout)
    doc_id = ids["document_id"]
    assert cli("note", doc_id, "Les États : Publier les décrets", "-q", "Q1").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    rename_tab(backend, ids["spreadsheet_id"], 102, "Matrice d'Aïssatou")
    typed = "Société civile : Former les juges 🇸🇳"
    assert cli("note", doc_id, typed, "-q", "Q2").exit_code == 0
    result = cli("sync", doc_id)
    assert result.exit_code == 0, result.stderr
    matrix = backend.clients.sheets.open_by_key(ids["spreadsheet_id"]).worksheet(
        "Matrice d'Aïssatou"
    )
    cells = "\n".join("\n".join(row) for row in matrix.get_all_values())
    assert "Former les juges 🇸🇳" in cells
    assert "Publier les décrets" in cells
