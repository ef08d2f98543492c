"""The JSON report's schema (JSON Schema, draft 2020-12), versioned: `schema_version` grows
whenever a field changes meaning or goes away; new fields come with a new version too, since
every object is closed (additionalProperties false), so a consumer never meets a surprise.

Personal data: names, affiliations and stakeholder groups as the session Doc shows them; never
an e-mail address."""

from __future__ import annotations

from typing import Any

from gdoc_sync.report.data import SCHEMA_ID, SCHEMA_VERSION


def _obj(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _str(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _int(description: str, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["integer", "null"] if nullable else "integer", "description": description}


def _list(description: str, items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": items}


PERSON = _obj(
    "A person as the Doc shows them (no e-mail address)",
    {
        "name": _str("their name"),
        "affiliation": _str("their institution, or empty"),
        "group": _str("their stakeholder group, or empty"),
    },
)
POINT = _obj(
    "A contribution selected for the report, shown once",
    {
        "id": _str("contribution id, as in the Sheet (C0007)"),
        "question": _str("policy question id, or 'online'"),
        "text": _str(
            "Final wording where given, else the moderator's text without prefix or "
            "attribution; detail lines separated by newlines"
        ),
        "addressees": _list(
            "stakeholder groups asked to act; empty: none named", _str("group name")
        ),
        "speaker": _str("who said it, or empty"),
        "proposer_group": _str("the speaker's stakeholder group, or empty"),
        "channel": _str("onsite or online"),
        "duplicates": _list(
            "ids of the same words noted again under this question", _str("contribution id")
        ),
    },
)
ACTION = _obj(
    "One action point, as finalize publishes it",
    {
        "number": _int("its number in the group's list, from 1"),
        "id": _str("contribution id"),
        "text": _str("Final wording where given, else the moderator's text"),
        "question": _str("policy question id, or 'online'"),
        "speaker": _str("who proposed it, or empty"),
        "proposer_group": _str("the speaker's stakeholder group, or empty"),
        "channel": _str("onsite or online"),
        "priority": _str("the rapporteur's Priority cell, or empty"),
    },
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"{SCHEMA_ID}/v{SCHEMA_VERSION}",
    **_obj(
        "A workshop session's report in the IGF's structure",
        {
            "schema": {"const": SCHEMA_ID, "description": "always " + SCHEMA_ID},
            "schema_version": {"const": SCHEMA_VERSION, "description": "this schema's version"},
            "session": _obj(
                "Session details",
                {
                    "title": _str("session title"),
                    "event": _str("event name"),
                    "date": _str("YYYY-MM-DD, or empty"),
                    "start": _str("HH:MM local time, or empty"),
                    "end": _str("HH:MM local time (template or Report tab), or empty"),
                    "timezone": _str("IANA time zone, or empty"),
                    "location": _str("where, or empty"),
                    "format": _str("session format (Workshop, Roundtable...)"),
                    "hybrid": {"type": "boolean", "description": "onsite and online"},
                    "document_url": _str("the session Doc"),
                    "spreadsheet_url": _str("the companion Sheet"),
                    "co_organizers": _list("co-organizing institutions", _str("name")),
                    "organizers": _list("organizers", PERSON),
                    "speakers": _list("speakers", PERSON),
                    "moderators": _list("moderators", PERSON),
                    "online_moderators": _list("online moderators", PERSON),
                    "rapporteurs": _list("rapporteurs", PERSON),
                },
            ),
            "short_report": _obj(
                "The short report, from the Sheet's Report tab",
                {
                    "key_takeaways": _list("key takeaways, in order", _str("one takeaway")),
                    "calls_to_action": _list("calls to action, in order", _str("one call")),
                },
            ),
            "policy_questions": _list(
                "Each policy question (and the online discussion, if hybrid), with the "
                "rapporteur's summary and the points selected",
                _obj(
                    "A policy question",
                    {
                        "id": _str("question id, or 'online'"),
                        "text": _str("the question"),
                        "summary": _str("the rapporteur's summary, or empty"),
                        "points": _list("points raised, in the order noted", POINT),
                    },
                ),
            ),
            "action_points": _list(
                "Action points per stakeholder group, in the template's group order",
                _obj(
                    "One group's action points",
                    {
                        "group_key": _str("the group's key in the template"),
                        "group": _str("the group's name"),
                        "actions": _list("numbered action points", ACTION),
                    },
                ),
            ),
            "selection": _obj(
                "How the Include column was read (as finalize reads it)",
                {
                    "rule": {"enum": ["all assigned", "ticked only"], "description": "the rule"},
                    "left_out": _list("contributions left out, with why", _str("id: why")),
                },
            ),
            "participation": _obj(
                "Contributions still in the Doc, whatever the curation",
                {
                    "contributions": _int("how many"),
                    "by_group": _list(
                        "per speaker's stakeholder group (and 'Other or not recorded', in the "
                        "session's language)",
                        _obj(
                            "one group",
                            {
                                "group": _str("group name"),
                                "onsite": _int("onsite contributions"),
                                "online": _int("online contributions"),
                                "total": _int("both"),
                            },
                        ),
                    ),
                    "by_channel": _obj(
                        "per channel",
                        {"onsite": _int("onsite"), "online": _int("online")},
                    ),
                },
            ),
            "matrix": _obj(
                "Stakeholder group addressed x policy question: contributions per cell",
                {
                    "groups": _list(
                        "rows: group names, then 'Unassigned' (in the session's language)",
                        _str("name"),
                    ),
                    "questions": _list("columns: question ids", _str("id")),
                    "counts": _list("counts[row][column]", _list("a row", _int("count"))),
                },
            ),
            "gender_report": _obj(
                "The IGF gender report card",
                {
                    "participants_onsite": _int("people in the room", nullable=True),
                    "participants_online": _int("people online", nullable=True),
                    "women_and_gender_diverse_onsite": _int("of them onsite", nullable=True),
                    "women_and_gender_diverse_online": _int("of them online", nullable=True),
                    "share_women_and_gender_diverse_percent": _int(
                        "rounded share, when all four counts are given", nullable=True
                    ),
                    "gender_issues_discussed": _str("to what extent, and what; or empty"),
                },
            ),
            "withdrawn_or_removed": {
                "description": "only with --with-withdrawn: contributions withdrawn or removed",
                "anyOf": [
                    {"type": "null"},
                    _list(
                        "withdrawn or removed contributions",
                        _obj(
                            "one",
                            {
                                "id": _str("contribution id"),
                                "question": _str("question id"),
                                "status": _str("withdrawn or removed from doc"),
                                "text": _str("the moderator's text"),
                            },
                        ),
                    ),
                ],
            },
            "missing": _list(
                "what the IGF form asks that nobody has written yet; empty when complete",
                _str("one missing item"),
            ),
        },
    ),
}


def _event_schema() -> dict[str, Any]:
    from gdoc_sync.report.event import EVENT_SCHEMA_ID, EVENT_SCHEMA_VERSION

    action = _obj(
        "One action point of one session",
        {
            "session": _str("the session's title"),
            "document_url": _str("the session's Doc"),
            "number": _int("its number in the session's list for this group"),
            "id": _str("contribution id in that session"),
            "text": _str("Final wording where given, else the moderator's text"),
            "question": _str("policy question id in that session"),
            "proposer_group": _str("the speaker's stakeholder group, or empty"),
        },
    )
    session = _obj(
        "One row of the result file",
        {
            "line": _str("its line in the result file"),
            "title": _str("the session's title"),
            "document_url": _str("its Doc, or empty when it was never created"),
            "readable": {"type": "boolean", "description": "its Sheet could be read"},
            "action_points": _int("how many action points it has"),
            "by_group": {
                "type": "object",
                "description": "group name -> action points",
                "additionalProperties": _int("count"),
            },
            "error": _str("why it could not be read, or empty"),
        },
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{EVENT_SCHEMA_ID}/v{EVENT_SCHEMA_VERSION}",
        **_obj(
            "A whole event's action points, from a `create --batch --result` file",
            {
                "schema": {"const": EVENT_SCHEMA_ID, "description": "always " + EVENT_SCHEMA_ID},
                "schema_version": {"const": EVENT_SCHEMA_VERSION, "description": "version"},
                "language": _str(
                    "the language of the people's formats (--language, else the first read "
                    "session's): en, es, fr, pt or ar"
                ),
                "sessions": _list("every row of the result file, in order", session),
                "groups": _list("stakeholder group names, first seen first", _str("name")),
                "action_points": _list(
                    "per group, every session's action points",
                    _obj("one group", {"group": _str("name"), "actions": _list("", action)}),
                ),
                "without_action_points": _list("titles of read sessions with none", _str("")),
                "unreadable": _list(
                    "sessions that could not be read, with why",
                    _obj(
                        "one",
                        {"line": _str("line"), "title": _str("title"), "error": _str("why")},
                    ),
                ),
            },
        ),
    }


EVENT_SCHEMA: dict[str, Any] = _event_schema()
