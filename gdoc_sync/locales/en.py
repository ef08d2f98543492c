"""English: the words every session accepts, whatever its language."""

WORDS = {
    "online": [
        "online", "remote", "remotely", "virtual", "virtually", "zoom", "via zoom", "on zoom",
        "by zoom", "zoom chat", "chat", "in chat", "in the chat", "via chat", "on teams",
        "via teams", "teams", "webex", "remote participant", "remote hub", "online participant",
        "joined online", "from the chat",
    ],
    "onsite": [
        "onsite", "on site", "on-site", "in person", "in-person", "room", "in the room",
        "in room", "floor", "from the floor", "in the hall", "audience", "from the audience",
    ],
    "all_groups": [
        "all", "all stakeholders", "all groups", "all stakeholder groups", "everyone",
        "everybody", "all actors", "all parties", "every group", "every stakeholder",
    ],
    "conjunctions": ["and", "&", "plus", "as well as", "et"],  # "et": accepted since 0.1
    "articles": ["the", "to the", "to", "for the", "for", "from the", "from", "of the"],
    "honorifics": [
        "dr", "prof", "professor", "he", "h e", "hon", "honourable", "honorable", "amb",
        "ambassador", "mr", "mrs", "ms", "mx", "sir", "dame", "rev", "minister", "senator",
        "judge", "justice", "eng", "chief",
    ],
    "priority": {
        "urgent": 0, "critical": 0, "top": 0, "highest": 0,
        "high": 1, "h": 1, "p1": 1,
        "medium": 2, "med": 2, "m": 2, "normal": 2, "p2": 2,
        "low": 3, "l": 3, "p3": 3, "lowest": 4,
    },
}  # fmt: skip
