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
    "tab.report": "Informe",
    "tab.config": "configuración de gdoc-sync",
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
    "sync_note": {
        "kept": "{column} se conserva tal como se escribió en la hoja (el documento dice: {doc})",
        "nothing": "nada",
        "unknown_groups": (
            "{column}: {names} no es ningún grupo de partes interesadas de esta sesión"
        ),
        "duplicate": (
            "igual que {id} (¿pegada dos veces?): queda fuera de la matriz y de la lista de "
            "acciones; borren una de las copias en el documento"
        ),
        "may_be": (
            "puede ser {id} (quitada del documento), reescrita o pegada de nuevo con cambios: si "
            "lo es, copien aquí la curaduría de {id}; luego borren esta nota"
        ),
        "lost": "la fila faltaba en la hoja: se volvió a escribir a partir del registro local",
    },
    "report_tab": {
        "header.field": "Campo",
        "header.text": "Su texto",
        "header.hint": "Lo que pide el informe de sesión del IGF",
        "key_takeaway": "Conclusión clave {n}",
        "key_takeaway.hint": (
            "Informe breve, para pocas horas después de la sesión: una de hasta tres "
            "conclusiones clave (una o dos frases)"
        ),
        "call_to_action": "Llamado a la acción {n}",
        "call_to_action.hint": (
            "Informe breve: uno de hasta tres llamados a la acción, diciendo quién debe actuar"
        ),
        "end_time": "Hora de cierre",
        "end_time.hint": "Datos de la sesión: a qué hora terminó la sesión (HH:MM)",
        "summary": "Resumen {q}",
        "summary.hint": "Informe completo: un resumen del debate de la pregunta de política {q}",
        "summary_online": "Resumen del debate en línea",
        "summary_online.hint": "Informe completo: un resumen del debate en línea",
        "participants_onsite": "Participantes presenciales",
        "participants_onsite.hint": "Informe de género: cuántas personas había en la sala",
        "participants_online": "Participantes en línea",
        "participants_online.hint": "Informe de género: cuántas personas se conectaron en línea",
        "women_onsite": "Mujeres y personas de género diverso presenciales",
        "women_onsite.hint": (
            "Informe de género: cuántas de las personas presenciales eran mujeres o de género "
            "diverso"
        ),
        "women_online": "Mujeres y personas de género diverso en línea",
        "women_online.hint": (
            "Informe de género: cuántas de las personas en línea eran mujeres o de género diverso"
        ),
        "gender_issues": "Temas de género tratados",
        "gender_issues.hint": (
            "Informe de género: en qué medida la sesión trató temas de género, y qué se dijo"
        ),
        "chart_title": "Intervenciones por grupo de partes interesadas y canal",
    },
    "report": {
        "other_group": "Otro o sin dato",
        "missing_md": "Falta antes de poder entregar este informe:",
        "missing_html": "Falta antes de la entrega",
        "missing_txt": "FALTA antes de poder entregar este informe:",
        "missing_hint": "Escríbanlo en la pestaña {tab} de la hoja y vuelvan a generar el informe.",
        "missing.summary": "un resumen de {q}",
        "missing.summary_online": "un resumen del debate en línea",
        "missing.takeaways": "las conclusiones clave (informe breve)",
        "missing.calls": "los llamados a la acción (informe breve)",
        "missing.not_number": (
            "{label}: pestaña {tab}, fila {row}, dice {value}, que no es un número entero"
        ),
        "missing.count": "{label} (informe de género)",
        "missing.gender_issues": "en qué medida se trataron temas de género (informe de género)",
        "missing.end": "la hora de cierre",
        "missing.moderator": "el nombre de quien modera (en [roles] de la plantilla)",
        "missing.rapporteur": "el nombre de la relatoría (en [roles] de la plantilla)",
        "missing.no_tab": (
            "la hoja aún no tiene la pestaña {tab} para escribirlo: ejecuten gdoc-sync sync una "
            "vez para añadirla"
        ),
        "short_report": "Informe breve",
        "key_takeaways": "Conclusiones principales",
        "calls_to_action": "Llamados a la acción",
        "not_written": "Aún sin redactar.",
        "full_report": "Informe completo",
        "session_details": "Datos de la sesión",
        "event": "Evento",
        "when": "Fecha",
        "format": "Modalidad",
        "organizers": "Organizadores",
        "co_organizers": "Coorganizadores",
        "speakers": "Ponentes",
        "moderator": "Moderación",
        "online_moderator": "Moderación en línea",
        "rapporteur": "Relatoría",
        "session_doc": "Documento de la sesión",
        "policy_questions": "Preguntas de política",
        "discussion": "Debate",
        "summary_not_written": "Resumen aún sin redactar.",
        "points_raised": "Puntos planteados:",
        "no_group_named": "sin grupo de partes interesadas",
        "no_points": "No se seleccionó ningún punto para el informe.",
        "actions_per_group": "Puntos de acción por grupo de partes interesadas",
        "no_actions": "No se seleccionó ningún punto de acción.",
        "participation": "Participación",
        "contributions_noted": "Intervenciones anotadas: {n}",
        "speakers_group": "Grupo de quien interviene",
        "onsite": "Presencial",
        "online": "En línea",
        "total": "Total",
        "per_group_line": "{group}: {total} ({onsite} presenciales, {online} en línea)",
        "gender_card": "Informe de género",
        "participants_onsite": "Participantes presenciales",
        "participants_online": "Participantes en línea",
        "women_onsite": "Mujeres y personas de género diverso presenciales",
        "women_online": "Mujeres y personas de género diverso en línea",
        "share_women": "Proporción de mujeres y personas de género diverso",
        "percent": "{n}\xa0%",
        "gender_issues": "Temas de género tratados",
        "not_given": "aún sin datos",
        "withdrawn_title": "Intervenciones retiradas o quitadas",
        "none": "Ninguna.",
        "chart_by_group": "Intervenciones por grupo de quien interviene",
        "chart_by_channel": "Intervenciones por canal",
        "chart_matrix": "Grupo destinatario × pregunta de política (rayado: nada anotado)",
        "contributions": "intervenciones",
    },
    "board": {
        "room_board": "Tablero de la sala",
        "page_title": "{title}: tablero de la sala",
        "waiting": "Esperando la primera sincronización…",
        "hint": "← → una pregunta · Esc todas",
        "contributions": "intervenciones",
        "onsite": "presencial",
        "online": "en línea",
        "gap": "vacío",
        "gaps": "vacíos",
        "unassigned_to_fix": "sin asignar por corregir",
        "who_should_act": "¿Quién debería actuar?",
        "total": "Total",
        "unassigned": "Sin asignar",
        "to_fix": "por corregir en el documento",
        "all": "Todas",
        "older": "+{n} anteriores: ver la hoja",
        "more": "+{n} más",
        "online_column": "En línea",
        "status.as_of": " Tablero al {time}.",
        "status.snapshot": "Captura del {time}",
        "status.lost": "DESACTUALIZADO: se perdió la conexión con el tablero; reconectando.{as_of}",
        "status.error": "DESACTUALIZADO: {message}.{as_of}",
        "status.starting": "Iniciando: primera sincronización…",
        "status.not_updated": "DESACTUALIZADO: sin actualizar desde hace {seconds} s.{as_of}",
        "status.live": "En vivo · actualizado {time}",
    },
    "event": {
        "title": "Informe del evento: puntos de acción por grupo de partes interesadas",
        "page_title": "Informe del evento",
        "read": "{readable} de {total} sesiones leídas.",
        "unreadable": "Sesiones que no se pudieron leer",
        "unreadable_line": "línea {line}, {title}: {error}",
        "could_not_read": "NO SE PUDO LEER la línea {line}, {title}: {error}",
        "actions": "Puntos de acción por grupo de partes interesadas",
        "by_group": "Sesiones por grupo de partes interesadas",
        "session": "Sesión",
        "total": "Total",
        "without": "Sesiones aún sin puntos de acción",
        "none": "Ninguna.",
        "none_txt": "ninguna",
    },
}
