"""Real moderators' habits, typed into a session Doc through the Docs API and synced: each one is
understood, or said in a warning that names the section and quotes the text; nothing is skipped
silently. Expectations are written from what each test typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sheet_words import in_english, tab_title

from gdoc_sync.core.sheet import quote_sheet
from gdoc_sync.core.template import load_template, validate_template
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.sync import SyncResult, sync_session

ES_TEMPLATE = """\
title = "Taller sobre datos abiertos"
language = "es"

[vocabulary]
online = ["por streaming"]
all_groups = ["todo el ecosistema"]

[[groups]]
key = "gob"
name = "Gobiernos"
aliases = ["gobierno"]

[[groups]]
key = "sc"
name = "Sociedad civil"
aliases = ["OSC"]

[[groups]]
key = "emp"
name = "Empresas"

[[questions]]
id = "Q1"
text = "¿Qué deben hacer los gobiernos?"

[[questions]]
id = "Q2"
text = "¿Qué deben hacer las empresas?"
"""

EN_TEMPLATE = """\
title = "Roundtable on city data"

[[groups]]
key = "city"
name = "City government"
aliases = ["city"]

[[groups]]
key = "residents"
name = "Residents"

[[groups]]
key = "vendors"
name = "Vendors"

[[questions]]
id = "Q1"
text = "What should the city publish?"

[[questions]]
id = "Q2"
text = "Who checks the data?"
"""


def _session(backend: Any, tmp_path: Path, text: str) -> Any:
    path = tmp_path / "session.toml"
    path.write_text(text, encoding="utf-8")
    return create_session(backend.api(), load_template(path), CreateOptions(notify=False))


def _range(doc: dict[str, Any], name: str) -> dict[str, int]:
    return doc["namedRanges"][name]["namedRanges"][0]["ranges"][0]


def _batch(backend: Any, document_id: str, requests: list[dict[str, Any]]) -> None:
    backend.clients.docs.documents().batchUpdate(
        documentId=document_id, body={"requests": requests}
    ).execute()


def _type(backend: Any, document_id: str, question: str, lines: list[str]) -> None:
    """Type lines into the question's last (empty) bullet, Enter after each one."""
    doc = backend.api().get_document(document_id)
    at = _range(doc, f"gdoc_sync:question:{question}")["endIndex"] - 1
    _batch(
        backend,
        document_id,
        [{"insertText": {"location": {"index": at}, "text": "\n".join(lines)}}],
    )


def _sync(backend: Any, tmp_path: Path, document_id: str) -> SyncResult:
    return sync_session(
        backend.api(),
        document_id,
        state=LocalState(tmp_path / "state"),
        journal=Journal(tmp_path / "journal"),
    )


def _rows(backend: Any, spreadsheet_id: str) -> dict[str, dict[str, str]]:
    values = backend.clients.sheets.http_client.values_get(
        spreadsheet_id, quote_sheet(tab_title(backend, spreadsheet_id, 0))
    ).get("values", [])
    rows = in_english(values)  # a session's Sheet is in its language: read in English here
    return {r["Contribution"]: r for r in rows}


def _paragraph(doc: dict[str, Any], text: str) -> dict[str, Any]:
    for element in doc["body"]["content"]:
        runs = element.get("paragraph", {}).get("elements", [])
        if text in "".join(r.get("textRun", {}).get("content", "") for r in runs):
            return element
    raise AssertionError(f"{text!r} is not in the Doc")


def test_an_unsure_prefix_is_unassigned_with_a_did_you_mean_from_this_session(
    backend, tmp_path, cli
) -> None:
    created = _session(backend, tmp_path, ES_TEMPLATE)
    _type(
        backend,
        created.document_id,
        "Q1",
        ["Gobernantes: Publicar los contratos en datos abiertos"],
    )
    run = cli("sync", created.document_id)
    assert run.exit_code == 0, run.stderr
    # The hint's example is one of this session's groups, not "Investors".
    assert "p. ej. 'Gobiernos: ...'" in run.stdout
    assert "Investors" not in run.stdout + run.stderr
    assert (
        "warning: Q1: unassigned 'Gobernantes: Publicar los contratos en datos abiertos': "
        "'Gobernantes' is no stakeholder group of this session; did you mean \"Gobiernos\"? "
        '(start the line with "Gobiernos: ...")'
    ) in run.stderr
    row = _rows(backend, created.spreadsheet_id)[
        "Gobernantes: Publicar los contratos en datos abiertos"
    ]
    assert (row["Status"], row["Addressees"]) == ("unassigned", "")


def test_spanish_words_and_the_templates_vocabulary_are_understood(backend, tmp_path) -> None:
    created = _session(backend, tmp_path, ES_TEMPLATE)
    _type(
        backend,
        created.document_id,
        "Q1",
        [
            "Los gobiernos y las empresas : Publicar los contratos "
            "(Sra. Ana Ruiz – OSC – en línea)",
            "Todo el ecosistema: Compartir datos de calidad (Luis Gil, gobierno, por streaming)",
            "gob. e emp.: Abrir los datos de compras (Dra. Rosa Díaz; sociedad civil; presencial)",
        ],
    )
    result = _sync(backend, tmp_path, created.document_id)
    rows = _rows(backend, created.spreadsheet_id)
    first = rows["Publicar los contratos"]
    assert (first["Addressees"], first["Speaker"], first["Proposer group"], first["Channel"]) == (
        "Gobiernos; Empresas",
        "Sra. Ana Ruiz",
        "Sociedad civil",
        "online",
    )
    second = rows["Compartir datos de calidad"]
    assert second["Addressees"] == "Gobiernos; Sociedad civil; Empresas"
    assert (second["Speaker"], second["Proposer group"], second["Channel"]) == (
        "Luis Gil",
        "Gobiernos",
        "online",
    )
    third = rows["Abrir los datos de compras"]
    assert (third["Addressees"], third["Speaker"], third["Channel"]) == (
        "Gobiernos; Empresas",
        "Dra. Rosa Díaz",
        "onsite",
    )
    assert not [p for p in result.problems if "Q1" in p]


def test_an_unknown_word_in_the_attribution_keeps_the_speaker_and_is_warned(
    backend, tmp_path
) -> None:
    created = _session(backend, tmp_path, ES_TEMPLATE)
    typed = "Empresas: Publicar los algoritmos (Juan Pérez, sociedad civil, desde Medellín)"
    _type(backend, created.document_id, "Q1", [typed])
    result = _sync(backend, tmp_path, created.document_id)
    row = _rows(backend, created.spreadsheet_id)["Publicar los algoritmos"]
    # The speaker and the group are read, the parenthesis is not left in the text, and the word
    # nothing knows is kept with the speaker, and said.
    assert (row["Addressees"], row["Speaker"], row["Proposer group"]) == (
        "Empresas",
        "Juan Pérez, desde Medellín",
        "Sociedad civil",
    )
    assert (
        "Q1: 'Empresas: Publicar los algoritmos (Juan Pérez, sociedad civi...': "
        "'desde Medellín' in the attribution is no name, group or channel word; kept with the "
        "speaker"
    ) in result.problems


def test_a_parenthesis_that_is_part_of_the_text_stays_text(backend, tmp_path) -> None:
    created = _session(backend, tmp_path, EN_TEMPLATE)
    _type(
        backend,
        created.document_id,
        "Q1",
        [
            "City: Ban high-risk tools (facial recognition, spyware) in public spaces",
            "Vendors: Disclose high-risk tools (facial recognition, spyware)",
            "Residents: Ask for audits (civil society – Amara Okafor)",
            "City government: Publish budgets (H.E., Dr. Amina Yusuf, residents)",
        ],
    )
    _sync(backend, tmp_path, created.document_id)
    rows = _rows(backend, created.spreadsheet_id)
    inside = rows["Ban high-risk tools (facial recognition, spyware) in public spaces"]
    trailing = rows["Disclose high-risk tools (facial recognition, spyware)"]
    assert (inside["Speaker"], trailing["Speaker"], trailing["Proposer group"]) == ("", "", "")
    dash = rows["Ask for audits"]
    # "civil society" is no group of this session: kept with the speaker (and warned).
    assert (dash["Speaker"], dash["Proposer group"]) == ("Amara Okafor, civil society", "")
    titled = rows["Publish budgets"]
    assert (titled["Speaker"], titled["Proposer group"]) == ("H.E. Dr. Amina Yusuf", "Residents")


def test_a_bullet_styled_as_a_heading_is_read_and_said(backend, tmp_path) -> None:
    created = _session(backend, tmp_path, EN_TEMPLATE)
    _type(backend, created.document_id, "Q2", ["Residents: Check the bus data monthly"])
    doc = backend.api().get_document(created.document_id)
    para = _paragraph(doc, "Residents: Check the bus data monthly")
    assert "bullet" in para["paragraph"]
    _batch(
        backend,
        created.document_id,
        [
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": para["startIndex"], "endIndex": para["endIndex"]},
                    "paragraphStyle": {"namedStyleType": "HEADING_3"},
                    "fields": "namedStyleType",
                }
            }
        ],
    )
    result = _sync(backend, tmp_path, created.document_id)
    row = _rows(backend, created.spreadsheet_id)["Check the bus data monthly"]
    assert (row["Question"], row["Addressees"]) == ("Q2", "Residents")
    assert (
        "Q2: 'Residents: Check the bus data monthly' is a bullet styled as a heading; read as a "
        "contribution (set its style to Normal text)"
    ) in result.problems


def test_text_in_a_table_cell_is_reported_with_its_section_and_words(backend, tmp_path) -> None:
    created = _session(backend, tmp_path, EN_TEMPLATE)
    doc = backend.api().get_document(created.document_id)
    at = _range(doc, "gdoc_sync:question:Q2")["endIndex"] - 1
    _batch(
        backend,
        created.document_id,
        [{"insertTable": {"rows": 1, "columns": 2, "location": {"index": at}}}],
    )
    doc = backend.api().get_document(created.document_id)
    table = next(e for e in doc["body"]["content"] if "table" in e)
    cell = table["table"]["tableRows"][0]["tableCells"][1]["content"][0]["startIndex"]
    _batch(
        backend,
        created.document_id,
        [{"insertText": {"location": {"index": cell}, "text": "Vendors: Fix the broken sensors"}}],
    )
    result = _sync(backend, tmp_path, created.document_id)
    assert (
        "Q2: text typed in a table was not read: 'Vendors: Fix the broken sensors'; contributions "
        "belong in bullets under the question (move it out of the table)"
    ) in result.problems


def test_text_above_the_first_question_and_below_action_points_is_reported(
    backend, tmp_path
) -> None:
    created = _session(backend, tmp_path, EN_TEMPLATE)
    doc = backend.api().get_document(created.document_id)
    q1 = _range(doc, "gdoc_sync:question:Q1")["startIndex"]
    end = doc["body"]["content"][-1]["endIndex"]
    _batch(
        backend,
        created.document_id,
        [
            # Below Action points first, so the index above stays valid.
            {
                "insertText": {
                    "location": {"index": end - 1},
                    "text": "\nVendors: typed at the very end",
                }
            },
            {"insertText": {"location": {"index": q1}, "text": "City: typed too early\n"}},
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": q1, "endIndex": q1 + 1},
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                    "fields": "namedStyleType",
                }
            },
        ],
    )
    doc = backend.api().get_document(created.document_id)
    late = _paragraph(doc, "Vendors: typed at the very end")
    _batch(
        backend,
        created.document_id,
        [
            {
                "updateParagraphStyle": {
                    "range": {"startIndex": late["startIndex"], "endIndex": late["endIndex"]},
                    "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                    "fields": "namedStyleType",
                }
            },
            {
                "updateTextStyle": {
                    "range": {"startIndex": late["startIndex"], "endIndex": late["endIndex"] - 1},
                    "textStyle": {},
                    "fields": "italic",
                }
            },
        ],
    )
    result = _sync(backend, tmp_path, created.document_id)
    assert (
        "above the first question (Q1): 'City: typed too early' was not read as a contribution; "
        "move it under the question it answers"
    ) in result.problems
    assert (
        "below Action points: 'Vendors: typed at the very end' was not read as a contribution; "
        "move it under the question it answers"
    ) in result.problems
    assert result.plan.total == 0


def test_question_ids_are_case_insensitive_for_note(backend, tmp_path, cli) -> None:
    created = _session(backend, tmp_path, EN_TEMPLATE)
    run = cli("note", created.document_id, "-q", "q2", "Vendors: Publish sensor uptime")
    assert run.exit_code == 0, run.stderr
    _sync(backend, tmp_path, created.document_id)
    row = _rows(backend, created.spreadsheet_id)["Publish sensor uptime"]
    assert (row["Question"], row["Addressees"]) == ("Q2", "Vendors")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (
            'language = "klingon"',
            'language: unknown language "klingon"; known: "en", "es", "fr", "pt", "ar"',
        ),
        ("language = 5", 'language: expected a language code like "es", got 5'),
        (
            '[vocabulary]\nonline = "por streaming"',
            "vocabulary.online: expected an array of strings",
        ),
        ('[vocabulary]\nplaces = ["x"]', "vocabulary.places: unknown field"),
        (
            '[vocabulary]\npriority = { "ya" = 12 }',
            "vocabulary.priority.ya: expected a rank from 0",
        ),
        (
            '[vocabulary]\nonline = ["streaming"]\nonsite = ["Streaming"]',
            '"streaming" is also an online word',
        ),
    ],
)
def test_language_and_vocabulary_are_validated(tmp_path, field, message) -> None:
    path = tmp_path / "t.toml"
    groups = '[[groups]]\nkey = "a"\nname = "A"\n[[questions]]\nid = "Q1"\ntext = "q"\n'
    path.write_text(f'title = "t"\n{field}\n{groups}', encoding="utf-8")
    problems = validate_template(path)
    assert len(problems) == 1 and message in problems[0], problems
    assert problems[0].startswith(f"{path}:")


def test_language_and_vocabulary_travel_to_the_session_config(tmp_path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(ES_TEMPLATE.replace('language = "es"', 'language = "es-CO"'), encoding="utf-8")
    config = load_template(path).to_session_config("s")
    assert config.facts["language"] == "es"
    assert json.loads(json.dumps(config.facts["vocabulary"])) == {
        "online": ["por streaming"],
        "all_groups": ["todo el ecosistema"],
    }


def test_priority_words_of_every_language_sort_with_numbers(backend, tmp_path) -> None:
    from gdoc_sync.core.sheet import HEADER, column_letter
    from gdoc_sync.workflows.finalize import finalize_session

    # The template's own word, ranked with the shipped ones.
    template = ES_TEMPLATE.replace(
        "[vocabulary]\n", '[vocabulary]\npriority = { "cuanto antes" = 0 }\n'
    )
    created = _session(backend, tmp_path, template)
    _type(backend, created.document_id, "Q1", [f"Empresas: Acción {n}" for n in range(1, 9)])
    _sync(backend, tmp_path, created.document_id)
    sheets = backend.clients.sheets.http_client
    contributions = tab_title(backend, created.spreadsheet_id, 0)
    values = sheets.values_get(created.spreadsheet_id, quote_sheet(contributions))["values"]
    row_of = {r[0]: n for n, r in enumerate(values[1:], start=2)}
    priorities = {
        "C0001": "baja",
        "C0002": "alta",
        "C0003": "media",
        "C0004": "urgente",
        "C0005": "1",
        "C0006": "3",
        "C0007": "Élevée",
        "C0008": "Cuanto antes",
    }
    column = column_letter(HEADER.index("Priority"))
    data = [
        {"range": f"{quote_sheet(contributions)}!{column}{row_of[cid]}", "values": [[value]]}
        for cid, value in priorities.items()
    ]
    sheets.values_batch_update(
        created.spreadsheet_id, {"valueInputOption": "USER_ENTERED", "data": data}
    )
    finalize_session(backend.api(), created.document_id, state=LocalState(tmp_path / "state"))
    actions = quote_sheet(tab_title(backend, created.spreadsheet_id, 2))
    published = sheets.values_get(created.spreadsheet_id, actions)["values"][1:]
    # urgente = cuanto antes, then 1 = alta = élevée (ties in the order noted), media, 3 = baja.
    assert [row[3] for row in published] == [
        "C0004",
        "C0008",
        "C0002",
        "C0005",
        "C0007",
        "C0003",
        "C0001",
        "C0006",
    ]
