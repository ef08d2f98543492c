"""French: channel words, "all groups" words, conjunctions, articles and elisions, titles."""

WORDS = {
    "online": [
        "en ligne", "a distance", "distanciel", "en distanciel", "en visio", "visio",
        "en visioconference", "par zoom", "via zoom", "sur zoom", "dans le chat", "sur le chat",
        "via le chat", "chat", "par le chat", "participant a distance",
        "participante a distance", "connecte", "connectee",
    ],
    "onsite": [
        "sur place", "en presentiel", "presentiel", "en salle", "dans la salle",
        "depuis la salle", "en personne", "public", "dans le public",
    ],
    "all_groups": [
        "tous", "toutes", "tout le monde", "tous les acteurs", "toutes les parties",
        "toutes les parties prenantes", "tous les groupes", "l'ensemble des acteurs",
        "ensemble des acteurs", "l'ensemble des parties prenantes",
    ],
    "conjunctions": ["et", "ou"],
    "articles": [
        "le", "la", "les", "l'", "l’", "aux", "au", "du", "des", "de la", "de l'", "de l’",
        "de", "d'", "d’", "pour les", "pour le", "pour la", "pour l'", "pour l’",
    ],
    "honorifics": [
        "m", "mme", "mlle", "dr", "pr", "me", "son excellence", "s e", "se", "ambassadeur",
        "ambassadrice", "ministre",
    ],
    "priority": {
        "urgent": 0, "urgente": 0, "prioritaire": 0, "tres elevee": 0,
        "elevee": 1, "eleve": 1, "haute": 1, "haut": 1, "forte": 1,
        "moyenne": 2, "moyen": 2, "normale": 2,
        "basse": 3, "bas": 3, "faible": 3,
    },
}  # fmt: skip
