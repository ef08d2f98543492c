"""English: the fixed texts gdoc-sync writes (the default, and the fallback of every pack)."""

TEXTS = {
    # The Doc
    "heading.agenda": "Agenda",
    "heading.instructions": "For moderators: noting contributions",
    "heading.policy_questions": "Policy questions",
    "heading.online": "Online discussion",
    "heading.actions": "Action points",
    "sheet_link_text": "Contributions and action points",
    "actions_placeholder": (
        "The action points are compiled here when the session is finalized, "
        "one list per stakeholder group."
    ),
    "no_actions": "No action points were selected.",
    "label.event": "Event: ",
    "label.when": "When: ",
    "label.format": "Format: ",
    "label.co_organizers": "Co-organizers: ",
    "label.organizers": "Organizers: ",
    "label.speakers": "Speakers: ",
    "label.companion_sheet": "Companion Sheet: ",
    "label.colon": ": ",  # after a role's name
    "role.moderator": "Moderator",
    "role.online_moderator": "Online moderator",
    "role.rapporteur": "Rapporteur",
    "format.hybrid": "hybrid (onsite and online)",
    "format.onsite": "onsite",
    "format.minutes": "{n} minutes",
    "when.zone": "{zone} time ({utc})",
    "date_pattern": "EEEE d MMMM y",  # CLDR pattern; blank: the language's full date
    "groups_intro": "Stakeholder groups and the short names moderators may type:",
    "groups_also": " (also {aliases})",
    "contribution_format": "Group: what should happen (speaker, proposer group, online)",
    "instructions.intro": (
        "Note every contribution as its own bullet under the question it answers, like this:"
    ),
    "instructions.example": "Example: {example}",
    "instructions.example_text": "Publish a plan for the next steps within a year",
    "instructions.example_speaker": "Amara Okafor",
    "instructions.group": (
        "- Group is the stakeholder group that should act: its name or a short name listed "
        'below. Name several groups with commas, or write "{all}" for every group.'
    ),
    "instructions.brackets": (
        '- In brackets: who said it, the group they speak for, and "{online}" when they joined '
        "online. Leave out what you do not know."
    ),
    "instructions.no_group": (
        '- A point that asks no group in particular to act: write it without "Group:".'
    ),
    "instructions.online": (
        "- Online moderator: note online participants' points under the question they "
        'answer, or under "{heading}" at the end.'
    ),
    "word.all": "All",
    "word.online": "online",  # what `note --online` types in the parenthesis
    "trace.proposed_by": "proposed by {group}",
    "hint.example": "e.g. '{group}: ...'",
    # The Sheet
    "tab.contributions": "Contributions",
    "tab.matrix": "Matrix",
    "tab.actions": "Action points",
    "columns": {
        "ID": "ID",
        "Question": "Question",
        "Addressees": "Addressees",
        "Contribution": "Contribution",
        "Speaker": "Speaker",
        "Proposer group": "Proposer group",
        "Channel": "Channel",
        "Status": "Status",
        "First seen": "First seen",
        "Last changed": "Last changed",
        "Include": "Include",
        "Final wording": "Final wording",
        "Priority": "Priority",
        "Rapporteur note": "Rapporteur note",
        "Sync note": "Sync note",
        "Sync record": "Sync record",
    },
    "action_columns": {
        "Stakeholder group": "Stakeholder group",
        "#": "#",
        "Action point": "Action point",
        "Contribution ID": "Contribution ID",
        "Question": "Question",
        "Proposer group": "Proposer group",
        "Channel": "Channel",
        "Priority": "Priority",
    },
    "statuses": {
        "in doc": "in doc",
        "edited": "edited",
        "withdrawn": "withdrawn",
        "removed from doc": "removed from doc",
        "unassigned": "unassigned",
        "duplicate": "duplicate",
    },
    "channels": {"onsite": "onsite", "online": "online"},
    "matrix.group": "Stakeholder group",
    "matrix.online": "Online discussion",
    "matrix.total": "Total",
    "matrix.unassigned": "Unassigned",
}
