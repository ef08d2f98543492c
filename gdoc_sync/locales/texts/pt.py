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
    "tab.report": "Relatório",
    "tab.config": "configuração do gdoc-sync",
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
    "sync_note": {
        "kept": "{column} mantido como digitado na planilha (o documento diz: {doc})",
        "nothing": "nada",
        "unknown_groups": (
            "{column}: {names} não é nenhum grupo de partes interessadas desta sessão"
        ),
        "duplicate": (
            "igual a {id} (colada duas vezes?): fica fora da matriz e da lista de ações; "
            "apague uma das cópias no documento"
        ),
        "may_be": (
            "pode ser {id} (removida do documento), digitada de novo ou colada com mudanças: se "
            "for, copie aqui a curadoria de {id}; depois apague esta nota"
        ),
        "lost": "a linha faltava na planilha: escrita de novo a partir do registro local",
    },
    "report_tab": {
        "header.field": "Campo",
        "header.text": "Seu texto",
        "header.hint": "O que pede o relatório de sessão do IGF",
        "key_takeaway": "Conclusão principal {n}",
        "key_takeaway.hint": (
            "Relatório curto, poucas horas após a sessão: uma de até três conclusões principais "
            "(uma ou duas frases)"
        ),
        "call_to_action": "Chamado à ação {n}",
        "call_to_action.hint": (
            "Relatório curto: um de até três chamados à ação, dizendo quem deve agir"
        ),
        "end_time": "Hora de término",
        "end_time.hint": "Dados da sessão: a que horas a sessão terminou (HH:MM)",
        "summary": "Resumo {q}",
        "summary.hint": "Relatório completo: um resumo do debate da questão de política {q}",
        "summary_online": "Resumo do debate online",
        "summary_online.hint": "Relatório completo: um resumo do debate online",
        "participants_onsite": "Participantes presenciais",
        "participants_onsite.hint": "Relatório de gênero: quantas pessoas estavam na sala",
        "participants_online": "Participantes online",
        "participants_online.hint": "Relatório de gênero: quantas pessoas participaram online",
        "women_onsite": "Mulheres e pessoas de gênero diverso presenciais",
        "women_onsite.hint": (
            "Relatório de gênero: quantas das pessoas presenciais eram mulheres ou de gênero "
            "diverso"
        ),
        "women_online": "Mulheres e pessoas de gênero diverso online",
        "women_online.hint": (
            "Relatório de gênero: quantas das pessoas online eram mulheres ou de gênero diverso"
        ),
        "gender_issues": "Questões de gênero discutidas",
        "gender_issues.hint": (
            "Relatório de gênero: em que medida a sessão discutiu questões de gênero, e o que "
            "foi dito"
        ),
        "chart_title": "Contribuições por grupo de partes interessadas e canal",
    },
    "report": {
        "other_group": "Outro ou sem registro",
        "missing_md": "Falta antes de poder enviar este relatório:",
        "missing_html": "Falta antes do envio",
        "missing_txt": "FALTA antes de poder enviar este relatório:",
        "missing_hint": "Escreva-os na aba {tab} da planilha e gere o relatório de novo.",
        "missing.summary": "um resumo de {q}",
        "missing.summary_online": "um resumo do debate online",
        "missing.takeaways": "as conclusões principais (relatório curto)",
        "missing.calls": "os chamados à ação (relatório curto)",
        "missing.not_number": (
            "{label}: aba {tab}, linha {row}, diz {value}, que não é um número inteiro"
        ),
        "missing.count": "{label} (relatório de gênero)",
        "missing.gender_issues": (
            "em que medida se discutiram questões de gênero (relatório de gênero)"
        ),
        "missing.end": "a hora de término",
        "missing.moderator": "o nome de quem modera ([roles] do modelo)",
        "missing.rapporteur": "o nome da relatoria ([roles] do modelo)",
        "missing.no_tab": (
            "a planilha ainda não tem a aba {tab} para escrevê-los: execute gdoc-sync sync uma "
            "vez para adicioná-la"
        ),
        "short_report": "Relatório resumido",
        "key_takeaways": "Principais conclusões",
        "calls_to_action": "Chamadas à ação",
        "not_written": "Ainda não redigido.",
        "full_report": "Relatório completo",
        "session_details": "Dados da sessão",
        "event": "Evento",
        "when": "Data",
        "format": "Modalidade",
        "organizers": "Organizadores",
        "co_organizers": "Coorganizadores",
        "speakers": "Palestrantes",
        "moderator": "Moderação",
        "online_moderator": "Moderação online",
        "rapporteur": "Relatoria",
        "session_doc": "Documento da sessão",
        "policy_questions": "Questões de política",
        "discussion": "Discussão",
        "summary_not_written": "Resumo ainda não redigido.",
        "points_raised": "Pontos levantados:",
        "no_group_named": "nenhum grupo de partes interessadas",
        "no_points": "Nenhum ponto foi selecionado para o relatório.",
        "actions_per_group": "Pontos de ação por grupo de partes interessadas",
        "no_actions": "Nenhum ponto de ação foi selecionado.",
        "participation": "Participação",
        "contributions_noted": "Contribuições anotadas: {n}",
        "speakers_group": "Grupo de quem falou",
        "onsite": "Presencial",
        "online": "Online",
        "total": "Total",
        "per_group_line": "{group}: {total} ({onsite} presenciais, {online} online)",
        "gender_card": "Relatório de gênero",
        "participants_onsite": "Participantes presenciais",
        "participants_online": "Participantes online",
        "women_onsite": "Mulheres e pessoas de gênero diverso presenciais",
        "women_online": "Mulheres e pessoas de gênero diverso online",
        "share_women": "Proporção de mulheres e pessoas de gênero diverso",
        "percent": "{n}\xa0%",
        "gender_issues": "Questões de gênero discutidas",
        "not_given": "ainda sem dados",
        "withdrawn_title": "Contribuições retiradas ou removidas",
        "none": "Nenhuma.",
        "chart_by_group": "Contribuições por grupo de quem falou",
        "chart_by_channel": "Contribuições por canal",
        "chart_matrix": "Grupo destinatário × questão de política (hachurado: nada anotado)",
        "contributions": "contribuições",
    },
    "board": {
        "room_board": "Painel da sala",
        "page_title": "{title}: painel da sala",
        "waiting": "Aguardando a primeira sincronização…",
        "hint": "← → uma questão · Esc todas",
        "contributions": "contribuições",
        "onsite": "presencial",
        "online": "online",
        "gap": "lacuna",
        "gaps": "lacunas",
        "unassigned_to_fix": "sem grupo a corrigir",
        "who_should_act": "Quem deveria agir?",
        "total": "Total",
        "unassigned": "Sem grupo",
        "to_fix": "a corrigir no documento",
        "all": "Todas",
        "older": "+{n} anteriores: ver a planilha",
        "more": "+{n} a mais",
        "online_column": "Online",
        "status.as_of": " Quadro às {time}.",
        "status.snapshot": "Captura de {time}",
        "status.lost": "DESATUALIZADO: conexão com o quadro perdida; reconectando.{as_of}",
        "status.error": "DESATUALIZADO: {message}.{as_of}",
        "status.starting": "Iniciando: primeira sincronização…",
        "status.not_updated": "DESATUALIZADO: sem atualização há {seconds} s.{as_of}",
        "status.live": "Ao vivo · atualizado às {time}",
    },
    "event": {
        "title": "Relatório do evento: pontos de ação por grupo de partes interessadas",
        "page_title": "Relatório do evento",
        "read": "{readable} de {total} sessões lidas.",
        "unreadable": "Sessões que não puderam ser lidas",
        "unreadable_line": "linha {line}, {title}: {error}",
        "could_not_read": "NÃO FOI POSSÍVEL LER a linha {line}, {title}: {error}",
        "actions": "Pontos de ação por grupo de partes interessadas",
        "by_group": "Sessões por grupo de partes interessadas",
        "session": "Sessão",
        "total": "Total",
        "without": "Sessões ainda sem pontos de ação",
        "none": "Nenhuma.",
        "none_txt": "nenhuma",
    },
}
