"""Spanish: channel words, "all groups" words, conjunctions, articles, titles, priorities."""

WORDS = {
    "online": [
        "en linea", "online", "en remoto", "remoto", "remota", "a distancia", "virtual",
        "por zoom", "via zoom", "en zoom", "desde zoom", "en el chat", "por el chat",
        "por chat", "chat de zoom", "participacion remota", "participante remoto",
        "participante remota", "conectado", "conectada", "en la sala virtual",
    ],
    "onsite": [
        "presencial", "en sala", "en la sala", "en persona", "en el salon", "desde la sala",
        "desde el publico", "publico", "en el lugar", "in situ",
    ],
    "all_groups": [
        "todos", "todas", "todo el mundo", "todos los actores", "todas las partes",
        "todas las partes interesadas", "todos los grupos", "todos los sectores",
        "todas las partes involucradas", "todos los grupos de interes",
    ],
    "conjunctions": ["y", "e", "o", "u"],
    "articles": [
        "el", "la", "los", "las", "al", "del", "de la", "de los", "de las", "de", "para el",
        "para la", "para los", "para las", "a la", "a los", "a las",
    ],
    "honorifics": [
        "sr", "sra", "srta", "don", "dona", "dra", "lic", "lcda", "lcdo", "ing", "mtro",
        "mtra", "excmo", "excma", "embajador", "embajadora", "ministro", "ministra",
    ],
    "priority": {
        "urgente": 0, "muy alta": 0, "maxima": 0,
        "alta": 1, "alto": 1,
        "media": 2, "medio": 2, "normal": 2,
        "baja": 3, "bajo": 3,
    },
}  # fmt: skip
