"""Sessions in the participants' language: the fixed texts gdoc-sync writes (the Doc's layout, the
Sheet's headers, statuses and channels, the trace, the report, the export and the board) come
from the template's `language`, and sync, finalize, the report and the board read them back.

Everything goes through the real clients (googleapiclient for the Doc, gspread for the Sheet) and
the CLI; the English texts looked for are listed here by hand."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from gdoc_sync.core.template import load_template, validate_template

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# English fixed texts, written by hand from what an English session shows (read back through the
# clients; test_the_english_texts_looked_for_are_in_an_english_session checks each is there).
# Words that are the same in Spanish or French ("Total", "Participation", "Session", "Question")
# are left out: they are right there.
ENGLISH = [
    # the Doc
    "When:",
    "Event:",
    "Format:",
    "Companion Sheet",
    "Moderator:",
    "Online moderator",
    "Rapporteur:",
    "Agenda",
    "Policy questions",
    "Online discussion",
    "Action points",
    "For moderators",
    "noting contributions",
    "Note every contribution",
    "Example:",
    "Stakeholder groups and the short names",
    "what should happen",
    "proposer group",
    "hybrid (onsite and online)",
    "Contributions and action points",
    "proposed by",
    "Wednesday",
    "August",
    # the Sheet: tab titles, headers, statuses, channels
    "Contributions",
    "Matrix",
    "Report",
    "gdoc-sync config",
    "Addressees",
    "Contribution",
    "Speaker",
    "Proposer group",
    "Channel",
    "Status",
    "First seen",
    "Last changed",
    "Include",
    "Final wording",
    "Priority",
    "Rapporteur note",
    "Sync note",
    "Stakeholder group",
    "Action point",
    "Contribution ID",
    "Unassigned",
    "in doc",
    "unassigned",
    "onsite",
    "online",
    # the Sheet: sync's notes on rows
    "kept as typed in the Sheet",
    "the Doc says",
    # the Sheet: the Report tab
    "Field",
    "Your text",
    "What the IGF session report asks",
    "Key takeaway",
    "Call to action",
    "Summary",
    "Participants onsite",
    "Participants online",
    "Women and gender-diverse",
    "Gender issues discussed",
    "Short report",
    "Full report",
    "Gender report card",
    "how many people",
    "one of up to three",
    "a summary of the discussion",
    # the report
    "Key takeaways",
    "Calls to action",
    "Session details",
    "Session Doc",
    "Points raised",
    "no stakeholder group named",
    "Contributions noted",
    "Speaker's stakeholder group",
    "Onsite",
    "Online",
    "Share of women",
    "Other or not recorded",
    "Contributions by",
    # the report's list of what is still missing
    "Still missing",
    "STILL MISSING",
    "a summary of",
    "key takeaways",
    "calls to action",
    "short report",
    "gender report card",
    "how far gender issues were discussed",
    "Write them in the Sheet's",
    "run the report again",
    # the board, its status line included
    "room board",
    "Who should act",
    "to fix in the Doc",
    "unassigned to fix",
    "contributions",
    "Snapshot taken",
    "Board as of",
    "STALE",
    "Live",
    "updated",
    "first sync",
    "lost the connection",
    "not updated for",
    # the event report
    "Event report",
    "action points by stakeholder group",
    "sessions read",
    "Sessions by stakeholder group",
    "Sessions without action points yet",
]
# Values of the report's JSON that are for programs, like its keys, the same in every language:
# identities (channel, status, the selection rule) and ids (a question's, "online" for the online
# discussion).
JSON_IDENTITIES = ("schema", "rule", "channel", "status", "id", "question", "questions")


def english_found(text: str) -> list[str]:
    """The English fixed texts in `text`, as whole words, case as listed."""
    return [
        phrase for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)
    ]


def shown(page: str) -> str:
    """What an HTML page shows or reads out: its text and its aria-labels (not its tags,
    attributes, style or script, where words like "online" are class names)."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + labels)


def json_texts(value: Any, key: str = "") -> list[str]:
    """The people-facing strings of a JSON document: every string value but the identities."""
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in JSON_IDENTITIES for t in json_texts(v, k)]
    if isinstance(value, list):
        return [t for v in value for t in json_texts(v, key)]
    return [value] if isinstance(value, str) else []


def doc_text(backend: Any, document_id: str) -> str:
    """Every character of the Doc's body, read back through the Docs API."""
    doc = backend.clients.docs.documents().get(documentId=document_id).execute()
    out = []
    for element in doc["body"]["content"]:
        for run in element.get("paragraph", {}).get("elements", []):
            out.append(run.get("textRun", {}).get("content", ""))
    return "".join(out)


def sheet_cells(backend: Any, spreadsheet_id: str) -> dict[str, str]:
    """Each tab's cells (formatted as shown), through gspread, by tab title."""
    book = backend.clients.sheets.open_by_key(spreadsheet_id)
    return {
        ws.title: "\n".join("\t".join(row) for row in ws.get_all_values())
        for ws in book.worksheets()
    }


def fill_report_tab(backend: Any, spreadsheet_id: str, tab: str, answers: dict[str, str]) -> None:
    """What a rapporteur types into the Report tab: column B of the rows named in column A."""
    ws = backend.clients.sheets.open_by_key(spreadsheet_id).worksheet(tab)
    labels = ws.col_values(1)
    for label, value in answers.items():
        ws.update_cell(labels.index(label) + 1, 2, value)


SESSIONS: dict[str, dict[str, Any]] = {
    "es": {
        "template": "igf-regional-bogota-es",
        "notes": [
            (
                "P1",
                "Gobiernos: Publicar los datos de cobertura rural por municipio",
                ["--speaker", "María Fernanda López", "--group", "Sociedad civil"],
            ),
            (
                "P1",
                "Sector privado y academia: Compartir mapas de cobertura abiertos",
                ["--speaker", "Andrés Gómez", "--online"],
            ),
            (
                "P2",
                "Todos: Acordar una hoja de ruta de conectividad para 2026",
                ["--speaker", "Ana Cristina Suárez", "--group", "Gobiernos"],
            ),
            ("P2", "Una idea que no nombra a ningún grupo", []),
            (
                "online",
                "Sociedad civil: Formar a líderes comunitarios en redes comunitarias",
                ["--speaker", "Camilo Torres", "--online"],
            ),
        ],
        "hint": "p. ej. 'Gobiernos: ...'",
        "online_word": "en línea",
        "trace": "[P1, propuesto por Sociedad civil, presencial]",
        "status": ("Estado", "sin asignar"),
        "date": "miércoles, 20 de agosto de 2025",
        "report_headings": ("Puntos de acción por grupo de partes interesadas", "Informe breve"),
        # the Sheet as a Spanish-speaking rapporteur sees it
        "tabs": ["Intervenciones", "Matriz", "Puntos de acción", "Informe"],
        "config_tab": "configuración de gdoc-sync",
        "speaker_column": "Ponente",
        "sync_note_column": "Nota de sincronización",
        "kept_note": "Ponente se conserva tal como se escribió en la hoja",
        "report_answers": {
            "Conclusión clave 1": "«\u202fLa conectividad\u202f» es un derecho",
            "Llamado a la acción 1": "Actuar ya",
            "Resumen P1": "…",
            "Resumen P2": "…",
            "Resumen P3": "…",
            "Resumen del debate en línea": "…",
            "Participantes presenciales": "40",
            "Participantes en línea": "25",
            "Mujeres y personas de género diverso presenciales": "22",
            "Mujeres y personas de género diverso en línea": "14",
            "Temas de género tratados": "Sí",
        },
        "missing": "un resumen de P1",
        "missing_hint": "Escríbanlo en la pestaña Informe de la hoja",
        "event_heading": "Informe del evento",
    },
    "fr": {
        "template": "igf-regional-dakar-fr",
        "notes": [
            (
                "Q1",
                "Les États : Adopter les décrets d\u2019application de la loi sur les données",
                ["--speaker", "Awa Diop", "--group", "Société civile"],
            ),
            (
                "Q1",
                "Secteur privé et universitaires : Publier des rapports de transparence",
                ["--speaker", "Ibrahima Fall", "--online"],
            ),
            (
                "Q2",
                "Tous : Former 100\u00a0juristes à la protection des données d\u2019ici 2026",
                ["--speaker", "Mariama Bâ", "--group", "États"],
            ),
            ("Q2", "Une idée qui ne nomme aucun groupe", []),
            (
                "online",
                "Société civile : Traduire les textes en wolof et en pulaar",
                ["--speaker", "Ousmane Sow", "--online"],
            ),
        ],
        "hint": "p.\u00a0ex. «\u202fÉtats\u00a0: ...\u202f»",
        "online_word": "en ligne",
        "trace": "[Q1, proposé par Société civile, sur place]",
        "status": ("Statut", "non attribuée"),
        "date": "mercredi 10 septembre 2025",
        "report_headings": ("Actions à mener par groupe de parties prenantes", "Rapport succinct"),
        "tabs": ["Interventions", "Matrice", "Actions à mener", "Rapport"],
        "config_tab": "configuration gdoc-sync",
        "speaker_column": "Intervenant",
        "sync_note_column": "Note de synchronisation",
        "kept_note": "Intervenant conservé tel que saisi dans le tableur",
        "report_answers": {
            "Enseignement principal 1": "La protection des données est un droit\u202f!",
            "Appel à l\u2019action 1": "Agir dès maintenant",
            "Synthèse Q1": "…",
            "Synthèse Q2": "…",
            "Synthèse Q3": "…",
            "Synthèse de la discussion en ligne": "…",
            "Participants sur place": "40",
            "Participants en ligne": "25",
            "Femmes et personnes de genre divers sur place": "22",
            "Femmes et personnes de genre divers en ligne": "14",
            "Questions de genre abordées": "Oui",
        },
        "missing": "une synthèse de Q1",
        "missing_hint": "Écrivez-les dans l\u2019onglet Rapport du tableur",
        "event_heading": "Rapport de l\u2019événement",
    },
}


def run_session(backend: Any, cli: Any, tmp_path: Path, template: str, case: dict[str, Any]):
    """A session run end to end as its organizers, moderators and rapporteur would: every
    output people read, by name (the Doc, each Sheet tab, each report and export format, the
    board, the event report)."""
    created = cli("create", template, "--no-notify", "--json")
    assert created.exit_code == 0, created.stderr
    ids = json.loads(created.stdout)
    doc_id, sheet_id = ids["document_id"], ids["spreadsheet_id"]
    for question, text, options in case["notes"]:
        result = cli("note", doc_id, text, "-q", question, *options)
        assert result.exit_code == 0, result.stderr
    synced = cli("sync", doc_id)
    assert synced.exit_code == 0, synced.stderr
    # A rapporteur corrects the speaker of C0002 in the Sheet: sync keeps it, and says so.
    book = backend.clients.sheets.open_by_key(sheet_id)
    contributions = book.get_worksheet(0)
    header = contributions.row_values(1)
    contributions.update_cell(3, header.index(case["speaker_column"]) + 1, "A. Gómez-Fall")
    again = cli("sync", doc_id)
    assert again.exit_code == 0, again.stderr
    finalized = cli("finalize", doc_id)
    assert finalized.exit_code == 0, finalized.stderr

    outputs: dict[str, str] = {"sync": synced.stdout}
    # The Report tab not filled in yet: the report opens with what is missing.
    for fmt in ("md", "html", "txt", "json"):
        target = tmp_path / f"missing.{fmt}"
        result = cli("report", doc_id, "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        outputs[f"missing.{fmt}"] = target.read_text(encoding="utf-8")
    fill_report_tab(backend, sheet_id, book.get_worksheet(3).title, case["report_answers"])
    for fmt in ("md", "html", "txt", "json", "csv"):
        target = tmp_path / f"report.{fmt}"
        result = cli("report", doc_id, "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        outputs[f"report.{fmt}"] = target.read_text(encoding="utf-8")
    for fmt in ("md", "html", "txt"):
        target = tmp_path / f"export.{fmt}"
        result = cli("export", doc_id, "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        outputs[f"export.{fmt}"] = target.read_text(encoding="utf-8")
    board = tmp_path / "board.html"
    result = cli("board", doc_id, "--snapshot", str(board))
    assert result.exit_code == 0, result.stderr
    outputs["board.html"] = board.read_text("utf-8")
    # The event report of a (one-session) `create --batch --result` file.
    result_file = tmp_path / "created.csv"
    result_file.write_text(
        "line,title,status,document_id,spreadsheet_id\n"
        f"2,{case['template']},created,{doc_id},{sheet_id}\n",
        encoding="utf-8",
    )
    for fmt in ("md", "html", "txt"):
        target = tmp_path / f"event.{fmt}"
        result = cli("report", "--event", str(result_file), "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        outputs[f"event.{fmt}"] = target.read_text(encoding="utf-8")
    return ids, outputs


def people_text(name: str, output: str) -> str:
    """What people read of an output: an HTML page's text, a JSON document's people-facing
    values, the board's status-line words (its page carries them as JSON)."""
    if name.endswith(".json"):
        return "\n".join(json_texts(json.loads(output)))
    if name == "board.html":
        found = re.search(
            r'<script type="application/json" id="board-texts">(.*?)</script>', output
        )
        assert found, "the board page carries its status line's words"
        words = json.loads(found.group(1))
        return shown(output) + "\n" + "\n".join(words.values())
    return shown(output) if name.endswith(".html") else output


@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_session_in_spanish_or_french_has_no_english_fixed_text(
    backend, cli, tmp_path: Path, language: str
) -> None:
    case = SESSIONS[language]
    ids, outputs = run_session(backend, cli, tmp_path, case["template"], case)
    doc_id, sheet_id = ids["document_id"], ids["spreadsheet_id"]
    assert case["hint"] in outputs["sync"]  # the hint quotes one of the session's own groups

    # The Doc, read back through the Docs API: headings, labels, instructions, trace.
    text = doc_text(backend, doc_id)
    assert english_found(text) == [], text
    assert case["trace"] in text
    assert f", {case['online_word']})" in text  # note --online typed the session's word
    assert case["date"] in text
    # The Sheet, read back through gspread: its tab titles and every visible tab's cells (the
    # hidden configuration's rows are read by programs: identities, ids and JSON).
    book = backend.clients.sheets.open_by_key(sheet_id)
    titles = [ws.title for ws in book.worksheets()]
    assert titles == [*case["tabs"], case["config_tab"]]
    assert english_found("\n".join(titles)) == []
    cells = sheet_cells(backend, sheet_id)
    for title, content in cells.items():
        if title != case["config_tab"]:
            assert english_found(content) == [], (title, content)
    contributions = cells[case["tabs"][0]].split("\n")
    header = contributions[0].split("\t")
    status_col = header.index(case["status"][0])
    assert [row.split("\t")[status_col] for row in contributions[1:6]].count(case["status"][1]) == 1
    notes = [row.split("\t")[header.index(case["sync_note_column"])] for row in contributions[1:]]
    assert any(n.startswith(case["kept_note"]) for n in notes), notes  # sync's notes, translated
    # Every report format meant for people (JSON: its people-facing values), the list of what
    # is missing, the exports, the board (its status line's words too) and the event report.
    for name, output in outputs.items():
        if name in ("report.csv", "sync"):
            continue  # CSV: a header for programs, like the JSON's keys; sync: the CLI's lines
        assert english_found(people_text(name, output)) == [], (name, people_text(name, output))
        filled = shown(output) if name == "board.html" else people_text(name, output)
        assert not re.search(r"\{\w+\}", filled), name  # no blank left (the board's words
        # are the script's templates: {time} is filled in on the page)
    # The board's script holds no words of its own: they come from the page's locale pack.
    script = re.search(r"<script>(.*?)</script>", outputs["board.html"], re.S)
    assert script and english_found(re.sub(r"//[^\n]*", "", script.group(1))) == []
    for name in ("report.html", "export.html", "board.html", "event.html"):
        assert f'<html lang="{language}"' in outputs[name], name
    for name in ("report.md", "report.html", "report.txt"):
        for heading in case["report_headings"]:
            assert heading in outputs[name], (name, heading)
    for name in ("missing.md", "missing.html", "missing.txt", "missing.json"):
        assert case["missing"] in outputs[name], name
    for name in ("missing.md", "missing.html", "missing.txt"):
        assert case["missing_hint"] in outputs[name], name  # naming the tab by its title
    for name in ("event.md", "event.html", "event.txt"):
        assert case["event_heading"] in outputs[name], name
    # The people's words, typography included, in every output that shows them.
    typed = case["notes"][2][1].split(":", 1)[1].strip()
    for name in ("report.md", "report.html", "report.txt", "report.json", "report.csv"):
        assert typed in outputs[name], name
    data = json.loads(outputs["report.json"])
    assert data["participation"]["contributions"] == 5
    assert sorted(data["participation"]["by_channel"].items()) == [("online", 2), ("onsite", 3)]
    answers = list(case["report_answers"].values())
    assert data["short_report"]["key_takeaways"] == [answers[0]]  # the labels read back
    assert data["gender_report"]["participants_online"] == 25


def test_the_english_texts_looked_for_are_in_an_english_session(
    backend, cli, tmp_path: Path
) -> None:
    """The scan above is only as good as its list: every English text it looks for is one an
    English session shows (the Spanish template, made in English; read back the same way)."""
    source = (TEMPLATES / "igf-regional-bogota-es.toml").read_text(encoding="utf-8")
    template = tmp_path / "bogota-en.toml"
    template.write_text(source.replace('language = "es"', 'language = "en"'), encoding="utf-8")
    case = {
        **SESSIONS["es"],
        "template": str(template),
        "speaker_column": "Speaker",
        "report_answers": {
            "Key takeaway 1": "Connectivity is a right",
            "Participants onsite": "40",
            "Participants online": "25",
            "Women and gender-diverse onsite": "22",
            "Women and gender-diverse online": "14",
        },
    }
    ids, outputs = run_session(backend, cli, tmp_path, str(template), case)
    book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
    filled = "\n".join(
        [
            doc_text(backend, ids["document_id"]),
            "\n".join(ws.title for ws in book.worksheets()),
            *sheet_cells(backend, ids["spreadsheet_id"]).values(),
            *(
                people_text(n, o)
                for n, o in outputs.items()
                if n not in ("report.csv", "sync", "board.html")
            ),
            shown(outputs["board.html"]),
        ]
    )
    assert not re.search(r"\{\w+\}", filled)  # every blank filled in
    # and the board's status-line words, which its script fills in on the page
    everything = filled + "\n" + people_text("board.html", outputs["board.html"])
    absent = [p for p in ENGLISH if p not in everything]
    assert absent == [], ", ".join(absent)


def test_an_arabic_session_is_laid_out_right_to_left(backend, cli, tmp_path: Path) -> None:
    template = tmp_path / "ar.toml"
    template.write_text(
        'language = "ar"\ntitle = "ورشة عمل حول الشمول الرقمي"\nhybrid = true\n'
        'date = "2025-11-12"\nstart = "10:00"\ntimezone = "Asia/Riyadh"\n'
        '[[groups]]\nkey = "gov"\nname = "الحكومات"\n'
        '[[groups]]\nkey = "cs"\nname = "المجتمع المدني"\n'
        '[[questions]]\nid = "Q1"\ntext = "ما الذي ينبغي تغييره أولًا؟"\n',
        encoding="utf-8",
    )
    created = cli("create", str(template), "--no-notify", "--json")
    assert created.exit_code == 0, created.stderr
    doc_id = json.loads(created.stdout)["document_id"]
    sheet_id = json.loads(created.stdout)["spreadsheet_id"]
    note = cli("note", doc_id, "الحكومات: نشر البيانات المفتوحة", "-q", "Q1", "--online")
    assert note.exit_code == 0, note.stderr
    assert cli("sync", doc_id).exit_code == 0
    assert cli("finalize", doc_id).exit_code == 0
    pages = {}
    for name, args in (
        ("export", ["export", doc_id, "--format", "html"]),
        ("report", ["report", doc_id, "--format", "html"]),
        ("board", ["board", doc_id, "--snapshot"]),
    ):
        target = tmp_path / f"{name}.html"
        result = cli(*args, str(target)) if name == "board" else cli(*args, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        pages[name] = target.read_text(encoding="utf-8")
    for name, page in pages.items():
        assert re.search(r'<html lang="ar" dir="rtl"', page), name
    text = doc_text(backend, doc_id)
    assert "(عبر الإنترنت)" in text  # note --online, in Arabic
    doc = backend.clients.docs.documents().get(documentId=doc_id).execute()
    directions = [
        element["paragraph"]["paragraphStyle"].get("direction")
        for element in doc["body"]["content"]
        if "paragraph" in element
    ]
    assert directions and set(directions) == {"RIGHT_TO_LEFT"}
    assert "الإجراءات المقترحة" in text
    # The Arabic pack is complete too: the Doc, every visible tab (the Report tab's labels and
    # hints included), the report in every format meant for people (with its list of what is
    # still missing: nothing is filled in here) and the board's status line hold none of the
    # English fixed texts.
    assert english_found(text) == [], text
    hidden = {ws.title for ws in backend.clients.sheets.open_by_key(sheet_id).worksheets()}
    hidden = {t for t in hidden if "gdoc-sync" in t}  # the hidden configuration, for programs
    assert len(hidden) == 1
    for title, content in sheet_cells(backend, sheet_id).items():
        if title not in hidden:
            assert english_found(content) == [], (title, content)
    outputs = {"board.html": pages["board"], "report.html": pages["report"]}
    for fmt in ("md", "txt", "json"):
        target = tmp_path / f"report.{fmt}"
        result = cli("report", doc_id, "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        outputs[f"report.{fmt}"] = target.read_text(encoding="utf-8")
    for name, output in outputs.items():
        assert english_found(people_text(name, output)) == [], (name, people_text(name, output))


def test_an_english_sheet_made_before_languages_still_syncs(backend, cli) -> None:
    """A Sheet made before this change: English headers, no recorded column identities, no
    language; sync, finalize and the report read it as English."""
    created = cli("create", "roundtable", "--no-notify", "--json")
    assert created.exit_code == 0, created.stderr
    ids = json.loads(created.stdout)
    book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
    config = book.worksheet("gdoc-sync config")
    rows = config.get_all_values()
    kept = [row for row in rows if row[0] != "column"]
    assert len(kept) < len(rows)  # this version records the identities...
    config.clear()
    config.update(kept, "A1", raw=True)  # ...a Sheet made before it has none
    note = cli("note", ids["document_id"], "Companies: Publish data requests", "-q", "Q1")
    assert note.exit_code == 0, note.stderr
    synced = cli("sync", ids["document_id"])
    assert synced.exit_code == 0, synced.stderr
    assert "1 added" in synced.stdout
    values = book.worksheet("Contributions").get_all_values()
    header = values[0]
    assert header[:3] == ["ID", "Question", "Addressees"]
    assert values[1][header.index("Status")] == "in doc"
    assert values[1][header.index("Channel")] == "onsite"
    assert cli("finalize", ids["document_id"]).exit_code == 0
    actions = book.worksheet("Action points").get_all_values()
    assert actions[0][0] == "Stakeholder group"
    assert actions[1][2] == "Publish data requests"


def test_a_status_typed_in_the_session_language_is_read_back(backend, cli) -> None:
    """A rapporteur sets a Spanish status by hand: sync keeps it as that person's correction,
    and finalize leaves the withdrawn row out."""
    created = cli("create", "igf-regional-bogota-es", "--no-notify", "--json")
    ids = json.loads(created.stdout)
    for text in ("Gobiernos: Abrir los datos", "Sector privado: Invertir en fibra"):
        assert cli("note", ids["document_id"], text, "-q", "P1").exit_code == 0
    assert cli("sync", ids["document_id"]).exit_code == 0
    ws = backend.clients.sheets.open_by_key(ids["spreadsheet_id"]).worksheet("Intervenciones")
    header = ws.row_values(1)
    status = header.index("Estado") + 1
    assert ws.cell(2, status).value == "en el documento"
    ws.update_cell(2, status, "retirada")
    again = cli("sync", ids["document_id"])
    assert again.exit_code == 0, again.stderr
    assert ws.cell(2, status).value == "retirada"
    assert cli("finalize", ids["document_id"]).exit_code == 0
    actions = backend.clients.sheets.open_by_key(ids["spreadsheet_id"]).worksheet(
        "Puntos de acción"
    )
    texts = [row[2] for row in actions.get_all_values()[1:] if row[2]]
    assert texts == ["Invertir en fibra"]


@pytest.mark.parametrize("name", ["igf-regional-bogota-es", "igf-regional-dakar-fr"])
def test_the_shipped_spanish_and_french_templates_are_valid(name: str) -> None:
    assert validate_template(TEMPLATES / f"{name}.toml") == []
    template = load_template(name)
    assert template.language == name[-2:]
    assert len(template.groups) == 5 and len(template.questions) == 3


def test_spanish_and_french_priority_words_order_the_action_list(backend, cli) -> None:
    """Priority typed in the session's language (or another shipped one) ranks like
    urgent/high/medium/low, not by character code."""
    created = cli("create", "igf-regional-bogota-es", "--no-notify", "--json")
    ids = json.loads(created.stdout)
    words = {
        "Publicar el plan": "baja",
        "Abrir los datos": "élevée",
        "Invertir en fibra": "media",
        "Medir la brecha": "urgente",
    }
    for text in words:
        assert cli("note", ids["document_id"], f"Gobiernos: {text}", "-q", "P1").exit_code == 0
    assert cli("sync", ids["document_id"]).exit_code == 0
    book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
    ws = book.worksheet("Intervenciones")
    values = ws.get_all_values()
    header = values[0]
    text_col, priority_col = header.index("Intervención"), header.index("Prioridad")
    for number, row in enumerate(values[1:], start=2):
        ws.update_cell(number, priority_col + 1, words[row[text_col]])
    assert cli("finalize", ids["document_id"]).exit_code == 0
    actions = book.worksheet("Puntos de acción").get_all_values()
    assert [row[2] for row in actions[1:] if row[2]] == [
        "Medir la brecha",
        "Abrir los datos",
        "Invertir en fibra",
        "Publicar el plan",
    ]


def test_headers_renamed_by_hand_in_a_french_sheet_still_sync_to_their_columns(
    backend, cli
) -> None:
    """A rapporteur renames two of sync's headers, in words no locale pack has: sync finds the
    columns by what it last wrote in them (each row's hidden record) and keeps writing there,
    in French."""
    created = cli("create", "igf-regional-dakar-fr", "--no-notify", "--json")
    assert created.exit_code == 0, created.stderr
    ids = json.loads(created.stdout)
    doc_id = ids["document_id"]
    for text, speaker in (
        ("Les États : Publier les décrets", "Awa Diop"),
        ("Société civile : Former les juges", "Ousmane Sow"),
    ):
        assert cli("note", doc_id, text, "-q", "Q1", "--speaker", speaker).exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    ws = backend.clients.sheets.open_by_key(ids["spreadsheet_id"]).worksheet("Interventions")
    header = ws.row_values(1)
    renamed = {"Intervenant": "Orateur·rice", "Statut": "Où en est-on"}
    for old, new in renamed.items():
        ws.update_cell(1, header.index(old) + 1, new)
    note = cli("note", doc_id, "Tous : Traduire les textes", "-q", "Q2", "--speaker", "Mariama Bâ")
    assert note.exit_code == 0, note.stderr
    synced = cli("sync", doc_id)
    assert synced.exit_code == 0, synced.stderr
    values = ws.get_all_values()
    assert values[0] == [renamed.get(h, h) for h in header]  # no column added, none renamed back
    rows = {row[0]: dict(zip(values[0], row, strict=True)) for row in values[1:] if row[0]}
    assert sorted(rows) == ["C0001", "C0002", "C0003"]
    assert [rows[c]["Orateur·rice"] for c in sorted(rows)] == [
        "Awa Diop",
        "Ousmane Sow",
        "Mariama Bâ",
    ]
    assert {rows[c]["Où en est-on"] for c in rows} == {"dans le document"}
    assert rows["C0003"]["Intervention"] == "Traduire les textes"
    assert cli("finalize", doc_id).exit_code == 0


@pytest.fixture
def reword_packs(monkeypatch: pytest.MonkeyPatch):
    """Changes the English and Spanish packs' wording of two headers, as a later version might."""
    from gdoc_sync.locales import texts as packs
    from gdoc_sync.locales.texts import en, es

    def reword() -> None:
        monkeypatch.setitem(en.TEXTS["columns"], "Speaker", "Speaker name")
        monkeypatch.setitem(en.TEXTS["columns"], "Proposer group", "Speaker's group")
        monkeypatch.setitem(es.TEXTS["columns"], "Speaker", "Orador/a")
        monkeypatch.setitem(es.TEXTS["columns"], "Proposer group", "Grupo del orador/a")
        packs.texts.cache_clear()
        packs._reverse.cache_clear()

    yield reword
    monkeypatch.undo()
    packs.texts.cache_clear()
    packs._reverse.cache_clear()


def test_recorded_columns_win_over_the_packs_when_their_wording_changes(
    backend, cli, reword_packs
) -> None:
    """Sheets made before the packs' wording changed still sync: the config tab recorded which
    header text is which column (and English headers are the columns' own names). A Spanish
    Sheet without those records and no row synced yet has only the packs to go by, and says
    what it misses."""
    made = {}
    for name, template, title in (
        ("en", "roundtable", "Recorded columns"),
        ("es", "igf-regional-bogota-es", "Columnas registradas"),
        ("bare", "igf-regional-bogota-es", "Sin registro"),
    ):
        created = cli("create", template, "--set", f"title={title}", "--no-notify", "--json")
        assert created.exit_code == 0, created.stderr
        made[name] = json.loads(created.stdout)
    config = backend.clients.sheets.open_by_key(made["bare"]["spreadsheet_id"]).worksheet(
        "configuración de gdoc-sync"
    )
    kept = [row for row in config.get_all_values() if row[0] != "column"]
    config.clear()
    config.update(kept, "A1", raw=True)
    reword_packs()

    for name, line, question, speaker_column in (
        ("en", "Companies: Publish data requests", "Q1", "Speaker"),
        ("es", "Gobiernos: Abrir los datos", "P1", "Ponente"),
    ):
        ids = made[name]
        note = cli("note", ids["document_id"], line, "-q", question, "--speaker", "Ana Ruiz")
        assert note.exit_code == 0, note.stderr
        synced = cli("sync", ids["document_id"])
        assert synced.exit_code == 0, synced.stderr
        book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
        values = book.get_worksheet(0).get_all_values()
        assert values[1][values[0].index(speaker_column)] == "Ana Ruiz", name
        assert values[1][0] == "C0001"

    bare = made["bare"]
    line = "Gobiernos: Abrir los datos"
    assert (
        cli("note", bare["document_id"], line, "-q", "P1", "--speaker", "Ana Ruiz").exit_code == 0
    )
    refused = cli("sync", bare["document_id"])
    assert refused.exit_code != 0
    assert "has no column 'Orador/a'" in refused.stderr


def test_cli_messages_name_the_doc_and_sheet_as_a_french_session_shows_them(backend, cli) -> None:
    """A hint that points people to a heading, a tab or a column names it in the session's
    language, as the Doc and the Sheet show it."""
    created = cli("create", "igf-regional-dakar-fr", "--no-notify", "--json")
    ids = json.loads(created.stdout)
    doc_id = ids["document_id"]
    text = "Les États : Publier les décrets"
    assert cli("note", doc_id, text, "-q", "Q1").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    assert cli("finalize", doc_id).exit_code == 0
    again = cli("finalize", doc_id)
    assert "the Sheet's Actions à mener tab was refreshed" in again.stderr
    # The rapporteur edits the published list in the Doc by hand.
    backend.clients.docs.documents().batchUpdate(
        documentId=doc_id,
        body={
            "requests": [
                {
                    "replaceAllText": {
                        "containsText": {"text": "Publier les décrets", "matchCase": True},
                        "replaceText": "Publier tous les décrets",
                    }
                }
            ]
        },
    ).execute()
    assert cli("note", doc_id, "Tous : Former les juges", "-q", "Q2").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    refused = cli("finalize", doc_id)
    assert refused.exit_code == 11, refused.stderr
    assert "the Actions à mener section was edited in the Doc" in refused.stderr
    assert "into the Interventions tab's Formulation finale column" in refused.stderr


def test_a_spanish_sessions_sync_costs_what_an_english_one_does(backend, tmp_path: Path) -> None:
    """Tab titles in the session's language cost no request: the Sheet is read by the titles
    this machine last read it by, or, without them, by the Doc's language. A tab renamed by hand
    costs one look-up of the titles (and the read again), once."""
    from gdoc_sync.google import sheet_io
    from gdoc_sync.local.journal import Journal
    from gdoc_sync.local.state import LocalState
    from gdoc_sync.workflows.create import CreateOptions, create_session
    from gdoc_sync.workflows.sync import sync_session

    api = backend.api()
    created = create_session(
        api, load_template("igf-regional-bogota-es"), CreateOptions(notify=False)
    )
    journal = Journal(tmp_path / "journal")

    def calls(state_dir: str) -> list[str]:
        sheet_io._KNOWN_TABS.clear()  # as a new process would start
        backend.emulator.log.clear()
        sync_session(
            api, created.document_id, state=LocalState(tmp_path / state_dir), journal=journal
        )
        return sorted(
            f"{e.api} {'read' if e.method == 'GET' else 'write'}" for e in backend.requests()
        )

    assert calls("state") == ["docs read", "sheets read"]  # the first sync: by the Doc's language
    assert calls("state") == ["docs read", "sheets read"]  # nothing changed
    assert calls("elsewhere") == ["docs read", "sheets read"]  # another machine
    api.update_spreadsheet(
        created.spreadsheet_id,
        [
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": 101, "title": "Aportes"},
                    "fields": "title",
                }
            }
        ],
    )
    assert calls("state") == ["docs read", "sheets read", "sheets read", "sheets read"]
    assert calls("state") == ["docs read", "sheets read"]  # the new title is remembered


def test_an_event_report_is_in_its_first_sessions_language_or_the_one_asked(
    backend, cli, tmp_path: Path
) -> None:
    """An event mixes sessions: its report is in one language, `--language`, else the first
    session's; every session is read, whatever its tabs are titled."""
    rows = ["line,title,status,document_id,spreadsheet_id"]
    for line, (template, question, text) in enumerate(
        (
            ("igf-regional-bogota-es", "P1", "Gobiernos: Abrir los datos"),
            ("igf-regional-dakar-fr", "Q1", "Les États : Publier les décrets"),
            ("roundtable", "Q1", "Companies: Publish data requests"),
        ),
        start=2,
    ):
        created = cli("create", template, "--no-notify", "--json")
        ids = json.loads(created.stdout)
        assert cli("note", ids["document_id"], text, "-q", question).exit_code == 0
        assert cli("sync", ids["document_id"]).exit_code == 0
        rows.append(f"{line},{template},created,{ids['document_id']},{ids['spreadsheet_id']}")
    result_file = tmp_path / "created.csv"
    result_file.write_text("\n".join(rows) + "\n", encoding="utf-8")

    first = cli("report", "--event", str(result_file), "--format", "md")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("# Informe del evento: puntos de acción por grupo")
    assert "3 de 3 sesiones leídas." in first.stdout
    for text in ("Abrir los datos", "Publier les décrets", "Publish data requests"):
        assert text in first.stdout
    asked = cli("report", "--event", str(result_file), "--format", "txt", "--language", "fr")
    assert asked.exit_code == 0, asked.stderr
    assert asked.stdout.startswith("Rapport de l\u2019événement\u00a0: actions à mener")
    data = json.loads(cli("report", "--event", str(result_file), "--format", "json").stdout)
    assert data["language"] == "es"
    assert [s["readable"] for s in data["sessions"]] == [True, True, True]
    refused = cli("report", "some-doc-id-that-is-long-enough", "--language", "fr")
    assert refused.exit_code == 2
    assert "--language is for --event" in refused.stderr


def test_tabs_renamed_with_apostrophes_and_spaces_keep_every_command_working(
    backend, cli, tmp_path: Path
) -> None:
    """Titles are quoted in A1 ranges with their quotes doubled: a person renames the tabs of a
    French Sheet ("Points d'action"), and sync, finalize, the report and the board go on."""
    created = cli("create", "igf-regional-dakar-fr", "--no-notify", "--json")
    ids = json.loads(created.stdout)
    doc_id = ids["document_id"]
    assert cli("note", doc_id, "Les États : Publier les décrets", "-q", "Q1").exit_code == 0
    assert cli("sync", doc_id).exit_code == 0
    renames = {101: "Contributions d'Awa", 103: "Points d'action", 105: "L'rapport ''final''"}
    backend.clients.sheets.open_by_key(ids["spreadsheet_id"]).batch_update(
        {
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "title": title},
                        "fields": "title",
                    }
                }
                for sheet_id, title in renames.items()
            ]
        }
    )
    assert cli("note", doc_id, "Tous : Former les juges", "-q", "Q2").exit_code == 0
    for args in (("sync", doc_id), ("finalize", doc_id)):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
    report = cli("report", doc_id, "--format", "md")
    assert report.exit_code == 0, report.stderr
    assert "Écrivez-les dans l\u2019onglet L'rapport ''final'' du tableur" in report.stdout
    board = tmp_path / "board.html"
    assert cli("board", doc_id, "--snapshot", str(board)).exit_code == 0
    assert "Former les juges" in board.read_text(encoding="utf-8")
    book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
    contributions = book.worksheet("Contributions d'Awa").get_all_values()
    assert [row[0] for row in contributions[1:] if row[0]] == ["C0001", "C0002"]
    actions = book.worksheet("Points d'action").get_all_values()
    assert sorted(row[2] for row in actions[1:] if row[2]) == [
        "Former les juges",
        "Former les juges",
        "Former les juges",
        "Former les juges",
        "Former les juges",
        "Publier les décrets",
    ]


def test_a_spanish_sheet_made_before_tab_titles_had_a_language_still_works(
    backend, cli, tmp_path: Path
) -> None:
    """Sheets of Spanish sessions made by the version before this one: English tab titles and
    an English Report tab, with Spanish headers. The Doc says Spanish, the tabs are found by
    their sheetIds; the rapporteur's English labels are read."""
    created = cli("create", "igf-regional-bogota-es", "--no-notify", "--json")
    ids = json.loads(created.stdout)
    book = backend.clients.sheets.open_by_key(ids["spreadsheet_id"])
    english = {101: "Contributions", 102: "Matrix", 103: "Action points", 104: "gdoc-sync config"}
    english[105] = "Report"
    book.batch_update(
        {
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "title": title},
                        "fields": "title",
                    }
                }
                for sheet_id, title in english.items()
            ]
        }
    )
    report_tab = book.worksheet("Report")
    report_tab.update([["Field"], ["Key takeaway 1"]], "A1", raw=True)
    report_tab.update_acell("B2", "La conectividad es un derecho")
    doc_id = ids["document_id"]
    assert cli("note", doc_id, "Gobiernos: Abrir los datos", "-q", "P1").exit_code == 0
    for command in ("sync", "finalize"):
        result = cli(command, doc_id)
        assert result.exit_code == 0, result.stderr
    target = tmp_path / "report.json"
    assert cli("report", doc_id, "--format", "json", "-o", str(target)).exit_code == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["short_report"]["key_takeaways"] == ["La conectividad es un derecho"]
    titles = [ws.title for ws in book.worksheets()]
    assert titles == ["Contributions", "Matrix", "Action points", "Report", "gdoc-sync config"]
    rows = book.worksheet("Contributions").get_all_values()
    assert rows[1][rows[0].index("Intervención")] == "Abrir los datos"
    actions = book.worksheet("Action points").get_all_values()
    assert [row[2] for row in actions[1:] if row[2]] == ["Abrir los datos"]
