"""French: the fixed texts gdoc-sync writes in a session whose language is "fr".

French typography: a narrow no-break space (U+202F) before « ; : ! ? » and inside guillemets,
a no-break space (U+00A0) before the colon of a label."""

TEXTS = {
    "heading.agenda": "Ordre du jour",
    "heading.instructions": "Pour les modérateurs\u00a0: noter les interventions",
    "heading.policy_questions": "Questions de politique",
    "heading.online": "Discussion en ligne",
    "heading.actions": "Actions à mener",
    "sheet_link_text": "Interventions et actions à mener",
    "actions_placeholder": (
        "Les actions à mener sont rassemblées ici à la clôture de la session, "
        "une liste par groupe de parties prenantes."
    ),
    "no_actions": "Aucune action à mener n\u2019a été retenue.",
    "label.event": "Événement\u00a0: ",
    "label.when": "Date\u00a0: ",
    "label.format": "Modalité\u00a0: ",
    "label.co_organizers": "Coorganisateurs\u00a0: ",
    "label.organizers": "Organisateurs\u00a0: ",
    "label.speakers": "Intervenants\u00a0: ",
    "label.companion_sheet": "Tableur associé\u00a0: ",
    "label.colon": "\u00a0: ",
    "role.moderator": "Modération",
    "role.online_moderator": "Modération en ligne",
    "role.rapporteur": "Rapporteur·e",
    "format.hybrid": "hybride (sur place et en ligne)",
    "format.onsite": "sur place",
    "format.minutes": "{n}\u00a0minutes",
    "when.zone": "heure de {zone} ({utc})",
    "date_pattern": "",
    "groups_intro": (
        "Groupes de parties prenantes et noms courts que les modérateurs peuvent taper\u00a0:"
    ),
    "groups_also": " (aussi {aliases})",
    "contribution_format": (
        "Groupe\u00a0: ce qui devrait être fait (intervenant, groupe qui propose, en ligne)"
    ),
    "instructions.intro": (
        "Notez chaque intervention comme une puce sous la question à laquelle elle répond, "
        "ainsi\u00a0:"
    ),
    "instructions.example": "Exemple\u00a0: {example}",
    "instructions.example_text": "Publier un plan des prochaines étapes d\u2019ici un an",
    "instructions.example_speaker": "Awa Diop",
    "instructions.group": (
        "- Le groupe est le groupe de parties prenantes qui devrait agir\u00a0: son nom ou un nom "
        "court de la liste. Séparez plusieurs groupes par des virgules, ou écrivez "
        "«\u202f{all}\u202f» pour tous les groupes."
    ),
    "instructions.brackets": (
        "- Entre parenthèses\u00a0: qui l\u2019a dit, le groupe au nom duquel la personne parle, "
        "et «\u202f{online}\u202f» si elle participait à distance. Omettez ce que vous ne "
        "savez pas."
    ),
    "instructions.no_group": (
        "- Un point qui ne demande d\u2019agir à aucun groupe en particulier\u00a0: écrivez-le "
        "sans «\u202fGroupe\u00a0:\u202f»."
    ),
    "instructions.online": (
        "- Modération en ligne\u00a0: notez les interventions en ligne sous la question à "
        "laquelle elles répondent, ou à la fin, sous «\u202f{heading}\u202f»."
    ),
    "word.all": "Tous",
    "word.online": "en ligne",
    "trace.proposed_by": "proposé par {group}",
    "hint.example": "p.\u00a0ex. «\u202f{group}\u00a0: ...\u202f»",
    "tab.contributions": "Interventions",
    "tab.matrix": "Matrice",
    "tab.actions": "Actions à mener",
    "tab.report": "Rapport",
    "tab.config": "configuration gdoc-sync",
    "columns": {
        "ID": "Réf.",
        "Question": "Question n°",
        "Addressees": "Destinataires",
        "Contribution": "Intervention",
        "Speaker": "Intervenant",
        "Proposer group": "Groupe qui propose",
        "Channel": "Canal",
        "Status": "Statut",
        "First seen": "Première saisie",
        "Last changed": "Dernière modification",
        "Include": "Retenir",
        "Final wording": "Formulation finale",
        "Priority": "Priorité",
        "Rapporteur note": "Note du rapporteur",
        "Sync note": "Note de synchronisation",
        "Sync record": "Trace de synchronisation",
    },
    "action_columns": {
        "Stakeholder group": "Groupe de parties prenantes",
        "#": "N°",
        "Action point": "Action à mener",
        "Contribution ID": "Réf. de l\u2019intervention",
        "Question": "Question n°",
        "Proposer group": "Groupe qui propose",
        "Channel": "Canal",
        "Priority": "Priorité",
    },
    "statuses": {
        "in doc": "dans le document",
        "edited": "modifiée",
        "withdrawn": "retirée",
        "removed from doc": "supprimée du document",
        "unassigned": "non attribuée",
        "duplicate": "doublon",
    },
    "channels": {"onsite": "sur place", "online": "en ligne"},
    "matrix.group": "Groupe de parties prenantes",
    "matrix.online": "Discussion en ligne",
    "matrix.total": "Total",
    "matrix.unassigned": "Non attribuées",
    "sync_note": {
        "kept": "{column} conservé tel que saisi dans le tableur (le document dit\u00a0: {doc})",
        "nothing": "rien",
        "unknown_groups": (
            "{column}\u00a0: {names} ne désigne aucun groupe de parties prenantes de la session"
        ),
        "duplicate": (
            "identique à {id} (collée deux fois\u202f?)\u00a0: exclue de la matrice et de la "
            "liste d\u2019actions\u202f; supprimez une des copies dans le document"
        ),
        "may_be": (
            "peut-être {id} (supprimée du document), ressaisie ou recollée avec des "
            "modifications\u00a0: si c\u2019est le cas, copiez ici le travail fait sur {id}, "
            "puis effacez cette note"
        ),
        "lost": ("la ligne manquait dans le tableur\u00a0: réécrite à partir du journal local"),
    },
    "report_tab": {
        "header.field": "Champ",
        "header.text": "Votre texte",
        "header.hint": "Ce que demande le rapport de session de l\u2019IGF",
        "key_takeaway": "Enseignement principal {n}",
        "key_takeaway.hint": (
            "Rapport succinct, attendu quelques heures après la session\u00a0: l\u2019un des "
            "trois principaux enseignements au plus (une ou deux phrases)"
        ),
        "call_to_action": "Appel à l\u2019action {n}",
        "call_to_action.hint": (
            "Rapport succinct\u00a0: l\u2019un des trois appels à l\u2019action au plus, "
            "en nommant qui doit agir"
        ),
        "end_time": "Heure de fin",
        "end_time.hint": "Informations sur la session\u00a0: l\u2019heure de fin (HH:MM)",
        "summary": "Synthèse {q}",
        "summary.hint": (
            "Rapport complet\u00a0: une synthèse du débat sur la question de politique {q}"
        ),
        "summary_online": "Synthèse de la discussion en ligne",
        "summary_online.hint": "Rapport complet\u00a0: une synthèse de la discussion en ligne",
        "participants_onsite": "Participants sur place",
        "participants_onsite.hint": (
            "Bilan genre\u00a0: combien de personnes étaient dans la salle"
        ),
        "participants_online": "Participants en ligne",
        "participants_online.hint": "Bilan genre\u00a0: combien de personnes ont suivi en ligne",
        "women_onsite": "Femmes et personnes de genre divers sur place",
        "women_onsite.hint": (
            "Bilan genre\u00a0: combien des personnes sur place étaient des femmes ou des "
            "personnes de genre divers"
        ),
        "women_online": "Femmes et personnes de genre divers en ligne",
        "women_online.hint": (
            "Bilan genre\u00a0: combien des personnes en ligne étaient des femmes ou des "
            "personnes de genre divers"
        ),
        "gender_issues": "Questions de genre abordées",
        "gender_issues.hint": (
            "Bilan genre\u00a0: dans quelle mesure la session a abordé les questions de genre, "
            "et ce qui a été dit"
        ),
        "chart_title": "Interventions par groupe de parties prenantes et par canal",
    },
    "report": {
        "other_group": "Autre ou non renseigné",
        "missing_md": "Manque encore avant de pouvoir soumettre ce rapport\xa0:",
        "missing_html": "Manque encore avant la soumission",
        "missing_txt": "MANQUE ENCORE avant de pouvoir soumettre ce rapport\xa0:",
        "missing_hint": "Écrivez-les dans l’onglet {tab} du tableur, puis relancez le rapport.",
        "missing.summary": "une synthèse de {q}",
        "missing.summary_online": "une synthèse de la discussion en ligne",
        "missing.takeaways": "les principaux enseignements (rapport succinct)",
        "missing.calls": "les appels à l\u2019action (rapport succinct)",
        "missing.not_number": (
            "{label}\u00a0: onglet {tab}, ligne {row}, on lit {value}, qui n\u2019est pas un "
            "nombre entier"
        ),
        "missing.count": "{label} (bilan genre)",
        "missing.gender_issues": (
            "dans quelle mesure les questions de genre ont été abordées (bilan genre)"
        ),
        "missing.end": "l\u2019heure de fin",
        "missing.moderator": "le nom de la personne qui modère ([roles] du modèle)",
        "missing.rapporteur": "le nom du rapporteur ou de la rapporteuse ([roles] du modèle)",
        "missing.no_tab": (
            "le tableur n\u2019a pas encore d\u2019onglet {tab} où les écrire\u00a0: lancez "
            "gdoc-sync sync une fois pour l\u2019ajouter"
        ),
        "short_report": "Rapport succinct",
        "key_takeaways": "Principaux enseignements",
        "calls_to_action": "Appels à l’action",
        "not_written": "Pas encore rédigé.",
        "full_report": "Rapport complet",
        "session_details": "Informations sur la session",
        "event": "Événement",
        "when": "Date",
        "format": "Modalité",
        "organizers": "Organisateurs",
        "co_organizers": "Coorganisateurs",
        "speakers": "Intervenants",
        "moderator": "Modération",
        "online_moderator": "Modération en ligne",
        "rapporteur": "Rapporteur·e",
        "session_doc": "Document de la session",
        "policy_questions": "Questions de politique",
        "discussion": "Débat",
        "summary_not_written": "Synthèse pas encore rédigée.",
        "points_raised": "Points soulevés\xa0:",
        "no_group_named": "aucun groupe de parties prenantes",
        "no_points": "Aucun point n’a été retenu pour le rapport.",
        "actions_per_group": "Actions à mener par groupe de parties prenantes",
        "no_actions": "Aucune action à mener n’a été retenue.",
        "participation": "Participation",
        "contributions_noted": "Interventions notées\xa0: {n}",
        "speakers_group": "Groupe de l’intervenant",
        "onsite": "Sur place",
        "online": "En ligne",
        "total": "Total",
        "per_group_line": "{group}\xa0: {total} ({onsite} sur place, {online} en ligne)",
        "gender_card": "Bilan genre",
        "participants_onsite": "Participants sur place",
        "participants_online": "Participants en ligne",
        "women_onsite": "Femmes et personnes de genre divers sur place",
        "women_online": "Femmes et personnes de genre divers en ligne",
        "share_women": "Part des femmes et personnes de genre divers",
        "percent": "{n}\xa0%",
        "gender_issues": "Questions de genre abordées",
        "not_given": "pas encore renseigné",
        "withdrawn_title": "Interventions retirées ou supprimées",
        "none": "Aucune.",
        "chart_by_group": "Interventions par groupe de l’intervenant",
        "chart_by_channel": "Interventions par canal",
        "chart_matrix": "Groupe destinataire × question de politique (hachuré\xa0: rien de noté)",
        "contributions": "interventions",
        "colon": "\xa0:",
    },
    "board": {
        "room_board": "Tableau de salle",
        "page_title": "{title} : tableau de salle",
        "waiting": "En attente de la première synchronisation…",
        "hint": "← → une question · Échap toutes",
        "contributions": "interventions",
        "onsite": "sur place",
        "online": "en ligne",
        "gap": "vide",
        "gaps": "vides",
        "unassigned_to_fix": "non attribuées à corriger",
        "who_should_act": "Qui devrait agir ?",
        "total": "Total",
        "unassigned": "Non attribuées",
        "to_fix": "à corriger dans le document",
        "all": "Toutes",
        "older": "+{n} plus anciennes : voir le tableur",
        "more": "+{n} de plus",
        "online_column": "En ligne",
        "status.as_of": " Tableau à {time}.",
        "status.snapshot": "Instantané pris à {time}",
        "status.lost": "PÉRIMÉ\u00a0: connexion au tableau perdue\u202f; reconnexion.{as_of}",
        "status.error": "PÉRIMÉ\u00a0: {message}.{as_of}",
        "status.starting": "Démarrage\u00a0: première synchronisation…",
        "status.not_updated": "PÉRIMÉ\u00a0: pas de mise à jour depuis {seconds}\u00a0s.{as_of}",
        "status.live": "En direct · mis à jour à {time}",
    },
    "event": {
        "title": (
            "Rapport de l\u2019événement\u00a0: actions à mener par groupe de parties prenantes"
        ),
        "page_title": "Rapport de l\u2019événement",
        "read": "{readable} sessions lues sur {total}.",
        "unreadable": "Sessions illisibles",
        "unreadable_line": "ligne {line}, {title}\u00a0: {error}",
        "could_not_read": "ILLISIBLE ligne {line}, {title}\u00a0: {error}",
        "actions": "Actions à mener par groupe de parties prenantes",
        "by_group": "Sessions par groupe de parties prenantes",
        "session": "Session",
        "total": "Total",
        "without": "Sessions encore sans action à mener",
        "none": "Aucune.",
        "none_txt": "aucune",
    },
}
