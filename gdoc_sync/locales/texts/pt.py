"""Portuguese: the fixed texts gdoc-sync writes in a session whose language is "pt"."""

TEXTS = {
    "heading.agenda": "Pauta",
    "heading.instructions": "Para a moderação: como anotar as contribuições",
    "heading.policy_questions": "Questões de política",
    "heading.online": "Discussão online",
    "heading.actions": "Pontos de ação",
    "sheet_link_text": "Contribuições e pontos de ação",
    "actions_placeholder": (
        "Os pontos de ação são reunidos aqui quando a sessão é encerrada, "
        "uma lista por grupo de partes interessadas."
    ),
    "no_actions": "Nenhum ponto de ação foi selecionado.",
    "label.event": "Evento: ",
    "label.when": "Data: ",
    "label.format": "Modalidade: ",
    "label.co_organizers": "Coorganizadores: ",
    "label.organizers": "Organizadores: ",
    "label.speakers": "Palestrantes: ",
    "label.companion_sheet": "Planilha: ",
    "role.moderator": "Moderação",
    "role.online_moderator": "Moderação online",
    "role.rapporteur": "Relatoria",
    "format.hybrid": "híbrida (presencial e online)",
    "format.onsite": "presencial",
    "format.minutes": "{n} minutos",
    "when.zone": "horário de {zone} ({utc})",
    "date_pattern": "",
    "groups_intro": "Grupos de partes interessadas e os nomes curtos que podem ser digitados:",
    "groups_also": " (também {aliases})",
    "contribution_format": "Grupo: o que deveria ser feito (orador, grupo proponente, online)",
    "instructions.intro": (
        "Anote cada contribuição como um marcador próprio sob a questão a que responde, assim:"
    ),
    "instructions.example": "Exemplo: {example}",
    "instructions.example_text": "Publicar um plano com os próximos passos no prazo de um ano",
    "instructions.example_speaker": "Ana Souza",
    "instructions.group": (
        "- Grupo é o grupo de partes interessadas que deveria agir: o nome ou um nome curto da "
        'lista. Separe vários grupos por vírgulas, ou escreva "{all}" para todos.'
    ),
    "instructions.brackets": (
        "- Entre parênteses: quem disse, o grupo em nome do qual fala e "
        '"{online}" se participou online. Omita o que não souber.'
    ),
    "instructions.no_group": (
        '- Um ponto que não pede a nenhum grupo em particular que aja: escreva-o sem "Grupo:".'
    ),
    "instructions.online": (
        "- Moderação online: anote as contribuições online sob a questão a que respondem, "
        'ou no fim, sob "{heading}".'
    ),
    "word.all": "Todos",
    "word.online": "online",
    "trace.proposed_by": "proposto por {group}",
    "hint.example": "p. ex. '{group}: ...'",
    "tab.contributions": "Contribuições",
    "tab.matrix": "Matriz",
    "tab.actions": "Pontos de ação",
    "columns": {
        "ID": "Nº",
        "Question": "Questão",
        "Addressees": "Destinatários",
        "Contribution": "Contribuição",
        "Speaker": "Orador",
        "Proposer group": "Grupo proponente",
        "Channel": "Canal",
        "Status": "Situação",
        "First seen": "Primeiro registro",
        "Last changed": "Última alteração",
        "Include": "Incluir",
        "Final wording": "Redação final",
        "Priority": "Prioridade",
        "Rapporteur note": "Nota da relatoria",
        "Sync note": "Nota da sincronização",
        "Sync record": "Registro da sincronização",
    },
    "action_columns": {
        "Stakeholder group": "Grupo de partes interessadas",
        "#": "Nº",
        "Action point": "Ponto de ação",
        "Contribution ID": "Contribuição",
        "Question": "Questão",
        "Proposer group": "Grupo proponente",
        "Channel": "Canal",
        "Priority": "Prioridade",
    },
    "statuses": {
        "in doc": "no documento",
        "edited": "editada",
        "withdrawn": "retirada",
        "removed from doc": "removida do documento",
        "unassigned": "sem grupo",
        "duplicate": "duplicada",
    },
    "channels": {"onsite": "presencial", "online": "online"},
    "matrix.group": "Grupo de partes interessadas",
    "matrix.online": "Discussão online",
    "matrix.total": "Total",
    "matrix.unassigned": "Sem grupo",
}
