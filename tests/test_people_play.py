"""What organizers, moderators and rapporteurs did in a played session that broke something:
each test replays their steps through the CLI and the real clients, and checks what they typed."""

from __future__ import annotations

import json
import re

from gdoc_sync.google import sheet_io


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
    # The renamed tab is looked up once: the next sync on this machine (a new process) writes
    # it straight away, with no titles look-up and no refused write.
    later = "Les États : Traduire les décrets en wolof"
    assert cli("note", doc_id, later, "-q", "Q3").exit_code == 0
    sheet_io._KNOWN_TABS.clear()  # as a new process starts: only the local state remembers
    backend.emulator.log.clear()
    assert cli("sync", doc_id).exit_code == 0
    sheet_calls = [e for e in backend.requests() if e.api == "sheets"]
    assert [e.status for e in sheet_calls if e.status >= 400] == []
    assert not [e for e in sheet_calls if e.method == "GET" and "fields" in e.query], sheet_calls
    cells = "\n".join("\n".join(row) for row in matrix.get_all_values())
    assert "Traduire les décrets en wolof" in cells


def test_a_contribution_cut_and_pasted_under_another_question_names_its_old_row(
    backend, cli
) -> None:
    """A moderator cuts a contribution from Q3 and pastes it under Q2 (its anchor goes with
    the cut): the new row and sync's output say which row it may be, so the rapporteur can
    carry the curation over."""
    created = cli("create", "igf-regional-dakar-fr", "--no-notify", "--json")
    ids = json.loads(created.stdout)
    doc_id = ids["document_id"]
    moved = (
        "L'Administration : rendre compte devant le Parlement chaque année "
        "(Dr Nadia Aït-Haddou, État, sur place)"
    )
    assert cli("note", doc_id, "Les États : Publier les décrets", "-q", "Q2").exit_code == 0
    assert cli("note", doc_id, moved, "-q", "Q3").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    docs = backend.clients.docs.documents()
    content = docs.get(documentId=doc_id).execute()["body"]["content"]

    def paragraph(words: str) -> dict:
        for element in content:
            runs = element.get("paragraph", {}).get("elements", [])
            if words in "".join(r.get("textRun", {}).get("content", "") for r in runs):
                return element
        raise AssertionError(words)

    cut = paragraph("rendre compte devant le Parlement")
    target = paragraph("Publier les décrets")
    # Cut (the paragraph and its anchor go), then paste at the end of Q2's last bullet.
    docs.batchUpdate(
        documentId=doc_id,
        body={
            "requests": [
                {
                    "deleteContentRange": {
                        "range": {"startIndex": cut["startIndex"], "endIndex": cut["endIndex"]}
                    }
                },
                {
                    "insertText": {
                        "location": {"index": target["endIndex"] - 1},
                        "text": "\n" + moved,
                    }
                },
            ]
        },
    ).execute()
    result = cli("sync", doc_id)
    assert result.exit_code == 0, result.stderr
    rows = backend.clients.sheets.open_by_key(ids["spreadsheet_id"]).get_worksheet_by_id(101)
    values = rows.get_all_values()
    header = values[0]
    by_id = {row[0]: row for row in values[1:] if row[0]}
    assert set(by_id) == {"C0001", "C0002", "C0003"}
    new = by_id["C0003"]
    assert new[header.index("Question n°")] == "Q2"
    assert "C0002" in new[header.index("Note de synchronisation")]
    said = result.stdout + result.stderr
    assert "C0003" in said and "may be C0002" in said


PORTUGUESE = """\
language = "pt"
title = "Inclusão digital nos países lusófonos: o que falta fazer?"
event = "Fórum Lusófono de Governança da Internet 2026"
date = "2026-07-02"
start = "14:00"
timezone = "Africa/Maputo"
duration_minutes = 60

[[groups]]
key = "governos"
name = "Governos"
aliases = ["Estado"]

[[groups]]
key = "sociedade_civil"
name = "Sociedade civil"
aliases = ["ONGs"]

[[questions]]
id = "Q1"
text = "Quem ainda está desconectado e porquê?"

[[questions]]
id = "Q2"
text = "Que políticas funcionaram na sua região?"
"""


def test_the_html_reports_empty_matrix_cells_are_titled_in_the_sessions_language(
    backend, cli, tmp_path
) -> None:
    """The heat map's hatched cells carry a tooltip (their SVG <title>, which a screen reader
    reads out): in a Portuguese session it is Portuguese, not English."""
    template = tmp_path / "lusofono.toml"
    template.write_text(PORTUGUESE, encoding="utf-8")
    ids = json.loads(cli("create", str(template), "--no-notify", "--json").stdout)
    doc_id = ids["document_id"]
    typed = "Os governos: mapear as aldeias sem rede até 2027 (Nélia Mondlane, ONGs, presencial)"
    assert cli("note", doc_id, typed, "-q", "Q1").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    out = tmp_path / "relatorio.html"
    result = cli("report", doc_id, "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    cells = re.findall(r'<rect class="cell empty"[^>]*><title>([^<]*)</title>', page)
    # Two groups (and the Unassigned row) by two questions: only Governos x Q1 holds a point.
    assert len(cells) == 3 * 2 - 1
    assert all(c.endswith(": nada anotado") for c in cells), cells
    assert "nothing noted" not in page


def test_a_deleted_contributions_tab_is_named_as_the_session_titled_it(backend, cli) -> None:
    """Someone deletes the French Sheet's Interventions tab: sync stops with one line naming
    'Interventions' (not the English title), and nothing is written."""
    ids = json.loads(cli("create", "igf-regional-dakar-fr", "--no-notify", "--json").stdout)
    doc_id = ids["document_id"]
    assert cli("note", doc_id, "Les États : Publier les décrets", "-q", "Q1").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
    book.del_worksheet(book.get_worksheet_by_id(101))
    for _ in range(2):
        result = cli("sync", doc_id)
        assert result.exit_code != 0
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, result.stderr
        assert "no 'Interventions' tab: was it deleted?" in errors[0]
        assert "'Contributions'" not in result.stderr


def test_a_deleted_report_tab_is_named_in_the_sessions_language_by_the_report(backend, cli) -> None:
    """The Rapport tab of a French Sheet is deleted: the report still comes out, and its list of
    what is missing names the tab 'Rapport', as the session titles it, never 'Report'."""
    ids = json.loads(cli("create", "igf-regional-dakar-fr", "--no-notify", "--json").stdout)
    doc_id = ids["document_id"]
    assert cli("note", doc_id, "Les États : Publier les décrets", "-q", "Q1").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
    book.del_worksheet(book.get_worksheet_by_id(105))
    result = cli("report", doc_id, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert "Publier les décrets" in result.stdout
    assert "Rapport" in result.stdout
    assert not re.search(r"\bReport\b", result.stdout), result.stdout[:600]
    # What the report tells the rapporteur to do must work: sync does not make the tab again
    # (it adds it only to Sheets made before it existed), so the report says to restore it.
    assert cli("sync", doc_id).exit_code == 0
    assert 105 not in [ws.id for ws in book.worksheets()]
    assert "gdoc-sync sync" not in result.stdout
    assert "Historique des versions" in result.stdout


def test_the_sheets_file_name_is_in_the_sessions_language(backend, cli, tmp_path) -> None:
    """What people see in Drive: a Portuguese session's Sheet is named in Portuguese, and
    create --dry-run announces the name Drive then shows."""
    template = tmp_path / "lusofono.toml"
    template.write_text(PORTUGUESE, encoding="utf-8")
    title = "Inclusão digital nos países lusófonos: o que falta fazer?"
    outline = cli("create", str(template), "--dry-run")
    assert outline.exit_code == 0, outline.stderr
    ids = json.loads(cli("create", str(template), "--no-notify", "--json").stdout)
    files = backend.clients.drive.files()
    sheet = files.get(fileId=ids["spreadsheet_id"], fields="name").execute()["name"]
    doc = files.get(fileId=ids["document_id"], fields="name").execute()["name"]
    assert doc == title
    assert sheet.startswith(title)
    assert "contributions" not in sheet.casefold()
    assert "contribuições" in sheet
    assert f"Sheet {sheet!r}:" in outline.stdout


FRENCH = """\
language = "fr"
title = "L'IA dans les services publics\\u00A0: qui rend compte\\u202F?"
event = "Forum francophone sur la gouvernance de l'Internet 2026"
date = "2026-06-18"
start = "10:30"
timezone = "America/Toronto"
duration_minutes = 75

[[groups]]
key = "administrations"
name = "Administrations publiques"

[[groups]]
key = "societe_civile"
name = "Société civile"

[[questions]]
id = "Q1"
text = "Quelles garanties pour les usagers et usagères\\u202F?"
"""


def test_create_quotes_french_titles_with_their_no_break_spaces_as_typed(
    backend, cli, tmp_path
) -> None:
    """The organizer's title and question keep their no-break spaces in create's messages (its
    progress, --dry-run's outline, the differences a rerun lists), never as '\\xa0' escapes."""
    title = "L'IA dans les services publics\u00a0: qui rend compte\u202f?"
    template = tmp_path / "francophone.toml"
    template.write_text(FRENCH, encoding="utf-8")
    outline = cli("create", str(template), "--dry-run")
    assert outline.exit_code == 0, outline.stderr
    made = cli("create", str(template), "--no-notify")
    assert made.exit_code == 0, made.stderr
    renamed = FRENCH.replace("usagers et usagères", "usagères et usagers")
    template.write_text(renamed, encoding="utf-8")
    rerun = cli("create", str(template), "--no-notify")
    assert rerun.exit_code == 0, rerun.stderr
    said = outline.stdout + made.stderr + rerun.stderr
    assert f'Doc "{title}":' in outline.stdout
    assert f'creating the Doc "{title}"' in made.stderr
    assert "usagères et usagers\u202f?" in rerun.stderr
    assert "\\xa0" not in said and "\\u202f" not in said


def test_the_docs_time_zone_is_a_city_in_the_sessions_language(backend, cli, tmp_path) -> None:
    """A Montréal session's Doc says when in its reader's words: "heure de Toronto", not the
    time zone database's "America/Toronto"; an Arabic session names Riyadh in Arabic."""
    french = tmp_path / "montreal.toml"
    french.write_text(FRENCH, encoding="utf-8")
    arabic = tmp_path / "riyadh.toml"
    arabic.write_text(
        'language = "ar"\ntitle = "ورشة عمل"\ndate = "2025-11-12"\nstart = "10:00"\n'
        'timezone = "Asia/Riyadh"\n[[groups]]\nkey = "gov"\nname = "الحكومات"\n'
        '[[questions]]\nid = "Q1"\ntext = "ما الذي ينبغي تغييره أولًا؟"\n',
        encoding="utf-8",
    )
    for template, city, raw in (
        (french, "heure de Toronto (UTC-4)", "America/Toronto"),
        (arabic, "بتوقيت الرياض (UTC+3)", "Asia/Riyadh"),
    ):
        created = cli("create", str(template), "--no-notify", "--json")
        assert created.exit_code == 0, created.stderr
        doc_id = json.loads(created.stdout)["document_id"]
        doc = backend.clients.docs.documents().get(documentId=doc_id).execute()
        text = "".join(
            run["textRun"]["content"]
            for element in doc["body"]["content"]
            for run in element.get("paragraph", {}).get("elements", [])
            if "textRun" in run
        )
        assert city in text, text[:400]
        assert raw not in text
