"""Portuguese: channel words, "all groups" words, conjunctions, articles, titles, priorities."""

WORDS = {
    "online": [
        "online", "on-line", "em linha", "remoto", "remota", "a distancia", "virtual",
        "pelo zoom", "via zoom", "no zoom", "no chat", "pelo chat", "participacao remota",
    ],
    "onsite": [
        "presencial", "na sala", "em pessoa", "no local", "pessoalmente", "da plateia",
    ],
    "all_groups": [
        "todos", "todas", "todos os", "todas as", "todos os atores", "todas as partes",
        "todas as partes interessadas", "todos os grupos", "todos os setores",
    ],
    "conjunctions": ["e", "ou"],
    "articles": [
        "o", "a", "os", "as", "ao", "aos", "do", "da", "dos", "das", "de", "para o", "para a",
        "para os", "para as",
    ],
    "honorifics": ["sr", "sra", "dr", "dra", "prof", "profa", "exmo", "exma", "embaixador"],
    "priority": {
        "urgente": 0, "altissima": 0,
        "alta": 1, "alto": 1,
        "media": 2, "medio": 2, "normal": 2,
        "baixa": 3, "baixo": 3,
    },
}  # fmt: skip
