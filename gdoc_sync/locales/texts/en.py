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
    "tab.report": "Report",
    "tab.config": "gdoc-sync config",
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
    # Sync's notes on a row (the Contributions tab's Sync note column)
    "sync_note": {
        "kept": "{column} kept as typed in the Sheet (the Doc says: {doc})",
        "nothing": "nothing",
        "unknown_groups": "{column}: {names} names no stakeholder group of this session",
        "duplicate": (
            "the same as {id} (pasted twice?): left out of the Matrix and the action list; "
            "delete one copy in the Doc"
        ),
        "may_be": (
            "may be {id} (removed from the Doc), retyped or pasted back with changes: if it is, "
            "copy {id}'s curation here; then clear this note"
        ),
        "lost": "the row was missing from the Sheet: written again from the journal",
    },
    # The Report tab: its header, and per row the label people fill by and the form's ask
    "report_tab": {
        "header.field": "Field",
        "header.text": "Your text",
        "header.hint": "What the IGF session report asks",
        "key_takeaway": "Key takeaway {n}",
        "key_takeaway.hint": (
            "Short report, due hours after the session: one of up to three key takeaways "
            "(one or two sentences)"
        ),
        "call_to_action": "Call to action {n}",
        "call_to_action.hint": (
            "Short report: one of up to three calls to action, naming who should act"
        ),
        "end_time": "End time",
        "end_time.hint": "Session details: when the session ended (HH:MM)",
        "summary": "Summary {q}",
        "summary.hint": "Full report: a summary of the discussion of policy question {q}",
        "summary_online": "Summary online",
        "summary_online.hint": "Full report: a summary of the online discussion",
        "participants_onsite": "Participants onsite",
        "participants_onsite.hint": "Gender report card: how many people were in the room",
        "participants_online": "Participants online",
        "participants_online.hint": "Gender report card: how many people joined online",
        "women_onsite": "Women and gender-diverse onsite",
        "women_onsite.hint": (
            "Gender report card: how many of the people onsite were women or gender-diverse"
        ),
        "women_online": "Women and gender-diverse online",
        "women_online.hint": (
            "Gender report card: how many of the people online were women or gender-diverse"
        ),
        "gender_issues": "Gender issues discussed",
        "gender_issues.hint": (
            "Gender report card: to what extent the session discussed gender issues, and what "
            "was said"
        ),
        "chart_title": "Contributions by stakeholder group and channel",
    },
    "report": {
        "other_group": "Other or not recorded",
        "missing_md": "Still missing before this report can be submitted:",
        "missing_html": "Still missing before submission",
        "missing_txt": "STILL MISSING before this report can be submitted:",
        "missing_hint": "Write them in the Sheet's {tab} tab, then run the report again.",
        "missing.summary": "a summary of {q}",
        "missing.summary_online": "a summary of the online discussion",
        "missing.takeaways": "key takeaways (short report)",
        "missing.calls": "calls to action (short report)",
        "missing.not_number": "{label}: {tab} tab, row {row} says {value}, not a whole number",
        "missing.count": "{label} (gender report card)",
        "missing.gender_issues": "how far gender issues were discussed (gender report card)",
        "missing.end": "the end time",
        "missing.moderator": "the moderator's name (set it in the template's [roles])",
        "missing.rapporteur": "the rapporteur's name (set it in the template's [roles])",
        "missing.no_tab": (
            "the Sheet has no {tab} tab to write these in yet: run gdoc-sync sync once to add it"
        ),
        "short_report": "Short report",
        "key_takeaways": "Key takeaways",
        "calls_to_action": "Calls to action",
        "not_written": "Not written yet.",
        "full_report": "Full report",
        "session_details": "Session details",
        "event": "Event",
        "when": "When",
        "format": "Format",
        "organizers": "Organizers",
        "co_organizers": "Co-organizers",
        "speakers": "Speakers",
        "moderator": "Moderator",
        "online_moderator": "Online moderator",
        "rapporteur": "Rapporteur",
        "session_doc": "Session Doc",
        "policy_questions": "Policy questions",
        "discussion": "Discussion",
        "summary_not_written": "Summary not written yet.",
        "points_raised": "Points raised:",
        "no_group_named": "no stakeholder group named",
        "no_points": "No points were selected for the report.",
        "actions_per_group": "Action points per stakeholder group",
        "no_actions": "No action points were selected.",
        "participation": "Participation",
        "contributions_noted": "Contributions noted: {n}",
        "speakers_group": "Speaker's stakeholder group",
        "onsite": "Onsite",
        "online": "Online",
        "total": "Total",
        "per_group_line": "{group}: {total} ({onsite} onsite, {online} online)",
        "gender_card": "Gender report card",
        "participants_onsite": "Participants onsite",
        "participants_online": "Participants online",
        "women_onsite": "Women and gender-diverse people onsite",
        "women_online": "Women and gender-diverse people online",
        "share_women": "Share of women and gender-diverse people",
        "percent": "{n} %",
        "gender_issues": "Gender issues discussed",
        "not_given": "not given yet",
        "withdrawn_title": "Withdrawn or removed contributions",
        "none": "None.",
        "chart_by_group": "Contributions by the speaker's stakeholder group",
        "chart_by_channel": "Contributions by channel",
        "chart_matrix": "Stakeholder group addressed × policy question (hatched: nothing noted)",
        "contributions": "contributions",
        "colon": ":",
    },
    "board": {
        "room_board": "Room board",
        "page_title": "{title}: room board",
        "waiting": "Waiting for the first sync…",
        "hint": "← → one question · Esc all",
        "contributions": "contributions",
        "onsite": "onsite",
        "online": "online",
        "gap": "gap",
        "gaps": "gaps",
        "unassigned_to_fix": "unassigned to fix",
        "who_should_act": "Who should act?",
        "total": "Total",
        "unassigned": "Unassigned",
        "to_fix": "to fix in the Doc",
        "all": "All",
        "older": "+{n} older: see the Sheet",
        "more": "+{n} more",
        "online_column": "Online",
        # the live status line (the page's script)
        "status.as_of": " Board as of {time}.",
        "status.snapshot": "Snapshot taken {time}",
        "status.lost": "STALE: lost the connection to the board; reconnecting.{as_of}",
        "status.error": "STALE: {message}.{as_of}",
        "status.starting": "Starting: first sync…",
        "status.not_updated": "STALE: not updated for {seconds} s.{as_of}",
        "status.live": "Live · updated {time}",
    },
    # The event report (report --event)
    "event": {
        "title": "Event report: action points by stakeholder group",
        "page_title": "Event report",
        "read": "{readable} of {total} sessions read.",
        "unreadable": "Sessions that could not be read",
        "unreadable_line": "line {line}, {title}: {error}",
        "could_not_read": "COULD NOT READ line {line}, {title}: {error}",
        "actions": "Action points by stakeholder group",
        "by_group": "Sessions by stakeholder group",
        "session": "Session",
        "total": "Total",
        "without": "Sessions without action points yet",
        "none": "None.",
        "none_txt": "none",
    },
}
