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
    "report": {
        "missing_md": "Manque encore avant de pouvoir soumettre ce rapport\xa0:",
        "missing_html": "Manque encore avant la soumission",
        "missing_txt": "MANQUE ENCORE avant de pouvoir soumettre ce rapport\xa0:",
        "missing_hint": "Écrivez-les dans l’onglet Report du tableur, puis relancez le rapport.",
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
}
