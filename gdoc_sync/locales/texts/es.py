"""Spanish: the fixed texts gdoc-sync writes in a session whose language is "es"."""

TEXTS = {
    "heading.agenda": "Orden del día",
    "heading.instructions": "Para moderadores: cómo anotar las intervenciones",
    "heading.policy_questions": "Preguntas de política",
    "heading.online": "Debate en línea",
    "heading.actions": "Puntos de acción",
    "sheet_link_text": "Intervenciones y puntos de acción",
    "actions_placeholder": (
        "Los puntos de acción se recopilan aquí al cerrar la sesión, "
        "una lista por grupo de partes interesadas."
    ),
    "no_actions": "No se seleccionó ningún punto de acción.",
    "label.event": "Evento: ",
    "label.when": "Fecha: ",
    "label.format": "Modalidad: ",
    "label.co_organizers": "Coorganizadores: ",
    "label.organizers": "Organizadores: ",
    "label.speakers": "Ponentes: ",
    "label.companion_sheet": "Hoja de cálculo: ",
    "role.moderator": "Moderación",
    "role.online_moderator": "Moderación en línea",
    "role.rapporteur": "Relatoría",
    "format.hybrid": "híbrida (presencial y en línea)",
    "format.onsite": "presencial",
    "format.minutes": "{n} minutos",
    "when.zone": "hora de {zone} ({utc})",
    "date_pattern": "",
    "groups_intro": "Grupos de partes interesadas y los nombres cortos que se pueden escribir:",
    "groups_also": " (también {aliases})",
    "contribution_format": "Grupo: lo que debería hacerse (ponente, grupo que propone, en línea)",
    "instructions.intro": (
        "Anoten cada intervención como una viñeta propia bajo la pregunta a la que responde, así:"
    ),
    "instructions.example": "Ejemplo: {example}",
    "instructions.example_text": "Publicar un plan con los próximos pasos en el plazo de un año",
    "instructions.example_speaker": "Lucía Restrepo",
    "instructions.group": (
        "- Grupo es el grupo de partes interesadas que debería actuar: su nombre o un nombre "
        'corto de la lista. Separen varios grupos con comas, o escriban "{all}" para todos.'
    ),
    "instructions.brackets": (
        "- Entre paréntesis: quién lo dijo, el grupo en cuyo nombre habla y "
        '"{online}" si participó en línea. Omitan lo que no sepan.'
    ),
    "instructions.no_group": (
        '- Un punto que no pide actuar a ningún grupo en particular: escríbanlo sin "Grupo:".'
    ),
    "instructions.online": (
        "- Moderación en línea: anoten las intervenciones en línea bajo la pregunta a la que "
        'responden, o al final, bajo "{heading}".'
    ),
    "word.all": "Todos",
    "word.online": "en línea",
    "trace.proposed_by": "propuesto por {group}",
    "hint.example": "p. ej. '{group}: ...'",
    "tab.contributions": "Intervenciones",
    "tab.matrix": "Matriz",
    "tab.actions": "Puntos de acción",
    "columns": {
        "ID": "Nº",
        "Question": "Pregunta",
        "Addressees": "Destinatarios",
        "Contribution": "Intervención",
        "Speaker": "Ponente",
        "Proposer group": "Grupo que propone",
        "Channel": "Canal",
        "Status": "Estado",
        "First seen": "Primera vez",
        "Last changed": "Último cambio",
        "Include": "Incluir",
        "Final wording": "Redacción final",
        "Priority": "Prioridad",
        "Rapporteur note": "Nota de relatoría",
        "Sync note": "Nota de sincronización",
        "Sync record": "Registro de sincronización",
    },
    "action_columns": {
        "Stakeholder group": "Grupo de partes interesadas",
        "#": "Nº",
        "Action point": "Punto de acción",
        "Contribution ID": "Intervención",
        "Question": "Pregunta",
        "Proposer group": "Grupo que propone",
        "Channel": "Canal",
        "Priority": "Prioridad",
    },
    "statuses": {
        "in doc": "en el documento",
        "edited": "editada",
        "withdrawn": "retirada",
        "removed from doc": "quitada del documento",
        "unassigned": "sin asignar",
        "duplicate": "duplicada",
    },
    "channels": {"onsite": "presencial", "online": "en línea"},
    "matrix.group": "Grupo de partes interesadas",
    "matrix.online": "Debate en línea",
    "matrix.total": "Total",
    "matrix.unassigned": "Sin asignar",
}
