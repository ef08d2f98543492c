"""The Sheet's words in each session language, written here by hand: tests that read a
Contributions tab by its English column names and values read a Spanish, French, Portuguese or
Arabic one through these (the headers, statuses and channels as people see them)."""

from __future__ import annotations

from typing import Any

HEADERS = {
    # es
    "Nº": "ID",
    "Pregunta": "Question",
    "Destinatarios": "Addressees",
    "Intervención": "Contribution",
    "Ponente": "Speaker",
    "Grupo que propone": "Proposer group",
    "Canal": "Channel",
    "Estado": "Status",
    # fr
    "Réf.": "ID",
    "Question n°": "Question",
    "Destinataires": "Addressees",
    "Intervention": "Contribution",
    "Intervenant": "Speaker",
    "Groupe qui propose": "Proposer group",
    "Statut": "Status",
    # pt
    "Questão": "Question",
    "Destinatários": "Addressees",
    "Contribuição": "Contribution",
    "Orador": "Speaker",
    "Grupo proponente": "Proposer group",
    "Situação": "Status",
    # ar
    "الرقم": "ID",
    "السؤال": "Question",
    "الجهات المعنية": "Addressees",
    "المداخلة": "Contribution",
    "المتحدث": "Speaker",
    "المجموعة المقترحة": "Proposer group",
    "القناة": "Channel",
    "الحالة": "Status",
}
VALUES = {
    "Channel": {
        "presencial": "onsite",
        "en línea": "online",
        "sur place": "onsite",
        "en ligne": "online",
        "حضوريًا": "onsite",
        "عبر الإنترنت": "online",
    },
    "Status": {
        "en el documento": "in doc",
        "sin asignar": "unassigned",
        "dans le document": "in doc",
        "non attribuée": "unassigned",
        "no documento": "in doc",
        "sem grupo": "unassigned",
        "في المستند": "in doc",
        "بلا مجموعة": "unassigned",
    },
    "Question": {"en línea": "online", "en ligne": "online", "عبر الإنترنت": "online"},
}


def in_english(values: list[list[str]]) -> list[dict[str, str]]:
    """A Contributions tab's rows as dicts keyed by the English column names, with channels,
    statuses and the online section in English."""
    header = [HEADERS.get(h, h) for h in values[0]]
    rows = []
    for raw in values[1:]:
        row = dict(zip(header, raw + [""] * (len(header) - len(raw)), strict=True))
        for column, words in VALUES.items():
            if column in row:
                row[column] = words.get(row[column], row[column])
        rows.append(row)
    return rows


def tab_title(backend: Any, spreadsheet_id: str, index: int) -> str:
    """The title a Sheet's tab has, by its place (0: the contributions, 2: the action points),
    as gspread reads it: a session's tabs are titled in its language."""
    return str(backend.clients.sheets.open_by_key(spreadsheet_id).get_worksheet(index).title)
