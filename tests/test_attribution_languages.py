"""Attributions and prefixes as French, Spanish and Portuguese moderators type them, typed into a
real session Doc through the Docs API, synced, and read back from the Sheet with gspread.

Every expectation below is written by hand from the line typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus_lines import FR_GROUPS, PT_GROUPS
from test_corpus import _rows, _template, _type_lines

from gdoc_sync.core.template import load_template
from gdoc_sync.local.journal import Journal
from gdoc_sync.local.state import LocalState
from gdoc_sync.workflows.create import CreateOptions, create_session
from gdoc_sync.workflows.sync import sync_session

NBSP, NNBSP = "\u00a0", "\u202f"


def _sync(
    backend: Any, tmp_path: Path, language: str, groups: dict, lines: list[str]
) -> tuple[list[dict[str, str]], list[str]]:
    """The Sheet's rows (in English headers), in the order typed, and sync's warnings."""
    api = backend.api()
    template = load_template(_template(tmp_path / f"{language}.toml", language, groups))
    created = create_session(api, template, CreateOptions(notify=False))
    _type_lines(api, created.document_id, lines)
    result = sync_session(
        api,
        created.document_id,
        state=LocalState(tmp_path / "state"),
        journal=Journal(tmp_path / "journal"),
    )
    rows = sorted(_rows(backend, created.spreadsheet_id), key=lambda r: r["ID"])
    assert len(rows) == len(lines)  # none dropped, none duplicated
    return rows, list(result.problems)


def _said(row: dict[str, str]) -> tuple[str, str, str, str, str]:
    return (
        row["Addressees"],
        row["Contribution"],
        row["Speaker"],
        row["Proposer group"],
        row["Channel"],
    )


def test_a_french_affiliation_is_kept_with_the_speaker_and_warned(backend, tmp_path) -> None:
    rows, problems = _sync(
        backend,
        tmp_path,
        "fr",
        FR_GROUPS,
        [
            "États : Publier les algorithmes (Jean-François Tremblay ; Ligue des droits et "
            "libertés ; en présentiel)",
            "Pouvoirs publics : Former les agents (Fatou Diop, Ministère de la Transition "
            "numérique, en ligne)",
            "Jeunesse : Proposer un forum (Awa Ba, Réseau des jeunes et du numérique, UA)",
        ],
    )
    assert [_said(r) for r in rows] == [
        (
            "États",
            "Publier les algorithmes",
            "Jean-François Tremblay, Ligue des droits et libertés",
            "",
            "onsite",
        ),
        (
            "États",
            "Former les agents",
            "Fatou Diop, Ministère de la Transition numérique",
            "",
            "online",
        ),
        (
            "Jeunesse",
            "Proposer un forum",
            "Awa Ba, Réseau des jeunes et du numérique",
            "Union africaine",
            "onsite",
        ),
    ]
    for kept in (
        "Ligue des droits et libertés",
        "Ministère de la Transition numérique",
        "Réseau des jeunes et du numérique",
    ):
        said = [p for p in problems if repr(kept) in p]
        assert len(said) == 1, problems
        assert "kept with the speaker" in said[0]


def test_prose_parentheses_in_a_french_line_stay_text(backend, tmp_path) -> None:
    typed = [
        "Jeunesse : Former les élèves (tablettes, logiciels libres) dans toutes les écoles",
        "Entreprises : Publier les tarifs (ce que demandent les associations de consommateurs)",
        "États : Agir vite (Awa Ba, qui a longuement parlé de la question)",
    ]
    rows, _ = _sync(backend, tmp_path, "fr", FR_GROUPS, typed)
    assert [_said(r) for r in rows] == [
        ("Jeunesse", typed[0].split(" : ", 1)[1], "", "", "onsite"),
        ("Entreprises", typed[1].split(" : ", 1)[1], "", "", "onsite"),
        ("États", typed[2].split(" : ", 1)[1], "", "", "onsite"),
    ]


def test_a_line_wrapped_in_quotes_reaches_its_group_and_keeps_its_quotes(backend, tmp_path) -> None:
    rows, problems = _sync(
        backend,
        tmp_path,
        "fr",
        FR_GROUPS,
        [
            f"«{NBSP}Chercheurs{NBSP}: publier les données{NBSP}» (Mamadou Kane, universités, "
            "en ligne)",
            "“Union africaine : adopter la convention de Malabo” (Dr Ousmane Diouf, UA, en visio)",
            "‹ Jeunes : créer un conseil › (Fanta Camara, sur place)",
        ],
    )
    assert [_said(r) for r in rows] == [
        (
            "Universités",
            f"«{NBSP}publier les données{NBSP}»",
            "Mamadou Kane",
            "Universités",
            "online",
        ),
        (
            "Union africaine",
            "“adopter la convention de Malabo”",
            "Dr Ousmane Diouf",
            "Union africaine",
            "online",
        ),
        ("Jeunesse", "‹ créer un conseil ›", "Fanta Camara", "", "onsite"),
    ]
    assert not [p for p in problems if "unassigned" in p], problems


def test_portuguese_lines_in_german_and_straight_quotes(backend, tmp_path) -> None:
    rows, _ = _sync(
        backend,
        tmp_path,
        "pt",
        PT_GROUPS,
        [
            "„Empresas: respeitar a LGPD“ (Rita Sousa, setor privado, pelo Zoom)",
            '"Governos e academia: abrir os dados" (Ana Paula Costa, Ministério da Gestão e da '
            "Inovação, online)",
        ],
    )
    assert [_said(r) for r in rows] == [
        ("Empresas", "„respeitar a LGPD“", "Rita Sousa", "Empresas", "online"),
        (
            "Governos; Academia",
            '"abrir os dados"',
            "Ana Paula Costa, Ministério da Gestão e da Inovação",
            "",
            "online",
        ),
    ]


def test_warnings_keep_french_no_break_spaces(backend, tmp_path) -> None:
    rows, problems = _sync(
        backend,
        tmp_path,
        "fr",
        FR_GROUPS,
        [f"Gouvernants{NNBSP}: publier le budget{NBSP}! (Omar Ba)"],
    )
    assert rows[0]["Addressees"] == ""
    said = [p for p in problems if "unassigned" in p]
    assert len(said) == 1, problems
    assert f"'Gouvernants{NNBSP}: publier le budget{NBSP}!" in said[0], said[0]
