"""Google's defaults for what the emulator creates: styles of a new document, lists, tables."""

from __future__ import annotations

from typing import Any

# Taken from a document Google created (tests/fixtures/google/docs-batchupdate/base.json), so
# a new emulated document reads back with the same styles a real new one has.
DOCUMENT_STYLE: dict[str, Any] = {
    "background": {"color": {}},
    "pageNumberStart": 1,
    "marginTop": {"magnitude": 72, "unit": "PT"},
    "marginBottom": {"magnitude": 72, "unit": "PT"},
    "marginRight": {"magnitude": 72, "unit": "PT"},
    "marginLeft": {"magnitude": 72, "unit": "PT"},
    "pageSize": {
        "height": {"magnitude": 841.8897637795277, "unit": "PT"},
        "width": {"magnitude": 595.2755905511812, "unit": "PT"},
    },
    "marginHeader": {"magnitude": 36, "unit": "PT"},
    "marginFooter": {"magnitude": 36, "unit": "PT"},
    "useCustomHeaderFooterMargins": True,
    "documentFormat": {"documentMode": "PAGES"},
}

NAMED_STYLES: dict[str, Any] = {
    "styles": [
        {
            "namedStyleType": "NORMAL_TEXT",
            "textStyle": {
                "bold": False,
                "italic": False,
                "underline": False,
                "strikethrough": False,
                "smallCaps": False,
                "backgroundColor": {},
                "foregroundColor": {"color": {"rgbColor": {}}},
                "fontSize": {"magnitude": 11, "unit": "PT"},
                "weightedFontFamily": {"fontFamily": "Arial", "weight": 400},
                "baselineOffset": "NONE",
            },
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "alignment": "START",
                "lineSpacing": 115,
                "direction": "LEFT_TO_RIGHT",
                "spacingMode": "COLLAPSE_LISTS",
                "spaceAbove": {"unit": "PT"},
                "spaceBelow": {"unit": "PT"},
                "borderBetween": {
                    "color": {},
                    "width": {"unit": "PT"},
                    "padding": {"unit": "PT"},
                    "dashStyle": "SOLID",
                },
                "borderTop": {
                    "color": {},
                    "width": {"unit": "PT"},
                    "padding": {"unit": "PT"},
                    "dashStyle": "SOLID",
                },
                "borderBottom": {
                    "color": {},
                    "width": {"unit": "PT"},
                    "padding": {"unit": "PT"},
                    "dashStyle": "SOLID",
                },
                "borderLeft": {
                    "color": {},
                    "width": {"unit": "PT"},
                    "padding": {"unit": "PT"},
                    "dashStyle": "SOLID",
                },
                "borderRight": {
                    "color": {},
                    "width": {"unit": "PT"},
                    "padding": {"unit": "PT"},
                    "dashStyle": "SOLID",
                },
                "indentFirstLine": {"unit": "PT"},
                "indentStart": {"unit": "PT"},
                "indentEnd": {"unit": "PT"},
                "keepLinesTogether": False,
                "keepWithNext": False,
                "avoidWidowAndOrphan": True,
                "shading": {"backgroundColor": {}},
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "HEADING_1",
            "textStyle": {"fontSize": {"magnitude": 20, "unit": "PT"}},
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"magnitude": 20, "unit": "PT"},
                "spaceBelow": {"magnitude": 6, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "HEADING_2",
            "textStyle": {"bold": False, "fontSize": {"magnitude": 16, "unit": "PT"}},
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"magnitude": 18, "unit": "PT"},
                "spaceBelow": {"magnitude": 6, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "HEADING_3",
            "textStyle": {
                "bold": False,
                "foregroundColor": {
                    "color": {"rgbColor": {"red": 0.2627451, "green": 0.2627451, "blue": 0.2627451}}
                },
                "fontSize": {"magnitude": 14, "unit": "PT"},
            },
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"magnitude": 16, "unit": "PT"},
                "spaceBelow": {"magnitude": 4, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "HEADING_4",
            "textStyle": {
                "foregroundColor": {"color": {"rgbColor": {"red": 0.4, "green": 0.4, "blue": 0.4}}},
                "fontSize": {"magnitude": 12, "unit": "PT"},
            },
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"magnitude": 14, "unit": "PT"},
                "spaceBelow": {"magnitude": 4, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "HEADING_5",
            "textStyle": {
                "foregroundColor": {"color": {"rgbColor": {"red": 0.4, "green": 0.4, "blue": 0.4}}},
                "fontSize": {"magnitude": 11, "unit": "PT"},
            },
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"magnitude": 12, "unit": "PT"},
                "spaceBelow": {"magnitude": 4, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "HEADING_6",
            "textStyle": {
                "italic": True,
                "foregroundColor": {"color": {"rgbColor": {"red": 0.4, "green": 0.4, "blue": 0.4}}},
                "fontSize": {"magnitude": 11, "unit": "PT"},
            },
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"magnitude": 12, "unit": "PT"},
                "spaceBelow": {"magnitude": 4, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "TITLE",
            "textStyle": {"fontSize": {"magnitude": 26, "unit": "PT"}},
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"unit": "PT"},
                "spaceBelow": {"magnitude": 3, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
        {
            "namedStyleType": "SUBTITLE",
            "textStyle": {
                "italic": False,
                "foregroundColor": {"color": {"rgbColor": {"red": 0.4, "green": 0.4, "blue": 0.4}}},
                "fontSize": {"magnitude": 15, "unit": "PT"},
                "weightedFontFamily": {"fontFamily": "Arial", "weight": 400},
            },
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "direction": "LEFT_TO_RIGHT",
                "spaceAbove": {"unit": "PT"},
                "spaceBelow": {"magnitude": 16, "unit": "PT"},
                "keepLinesTogether": True,
                "keepWithNext": True,
                "pageBreakBefore": False,
            },
        },
    ]
}

SECTION_STYLE: dict[str, Any] = {
    "columnSeparatorStyle": "NONE",
    "contentDirection": "LEFT_TO_RIGHT",
    "sectionType": "CONTINUOUS",
}

PARAGRAPH_STYLE: dict[str, Any] = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}

# A new footnote holds " \n" in 10 pt (desired.json of the batchupdate fixture).
FOOTNOTE_TEXT_STYLE: dict[str, Any] = {"fontSize": {"magnitude": 10, "unit": "PT"}}
FOOTNOTE_PARAGRAPH_STYLE: dict[str, Any] = {
    "namedStyleType": "NORMAL_TEXT",
    "lineSpacing": 100,
    "direction": "LEFT_TO_RIGHT",
}

# What Docs adds when a link is set without its own colour or underline.
LINK_COLOR: dict[str, Any] = {
    "color": {"rgbColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}}
}

TABLE_CELL_STYLE: dict[str, Any] = {
    "rowSpan": 1,
    "columnSpan": 1,
    "backgroundColor": {},
    "paddingLeft": {"magnitude": 5, "unit": "PT"},
    "paddingRight": {"magnitude": 5, "unit": "PT"},
    "paddingTop": {"magnitude": 5, "unit": "PT"},
    "paddingBottom": {"magnitude": 5, "unit": "PT"},
    "contentAlignment": "TOP",
}
TABLE_ROW_STYLE: dict[str, Any] = {"minRowHeight": {"unit": "PT"}}

HEADING_TYPES = frozenset({"TITLE", "SUBTITLE", *(f"HEADING_{n}" for n in range(1, 7))})
NAMED_STYLE_TYPES = HEADING_TYPES | {"NORMAL_TEXT"}

TEXT_STYLE_FIELDS = frozenset(
    {
        "backgroundColor",
        "baselineOffset",
        "bold",
        "fontSize",
        "foregroundColor",
        "italic",
        "link",
        "smallCaps",
        "strikethrough",
        "underline",
        "weightedFontFamily",
    }
)
PARAGRAPH_STYLE_FIELDS = frozenset(
    {
        "alignment",
        "avoidWidowAndOrphan",
        "borderBetween",
        "borderBottom",
        "borderLeft",
        "borderRight",
        "borderTop",
        "direction",
        "headingId",
        "indentEnd",
        "indentFirstLine",
        "indentStart",
        "keepLinesTogether",
        "keepWithNext",
        "lineSpacing",
        "namedStyleType",
        "pageBreakBefore",
        "shading",
        "spaceAbove",
        "spaceBelow",
        "spacingMode",
        "tabStops",
    }
)

# Per preset, the glyph of nesting levels 0, 1 and 2; deeper levels repeat the cycle, as in the
# lists Docs makes. A str is a bullet symbol, a tuple (glyphType, glyphFormat) a number.
_DISC = "\u25cf"
_CIRCLE = "\u25cb"
_SQUARE = "\u25a0"
_DIAMOND = "\u25c6"
_DIAMONDX = "\u2756"
_ARROW3D = "\u27a2"
_ARROW = "\u2794"
_STAR = "\u2605"
_HOLLOWDIAMOND = "\u25c7"
_LEFTTRIANGLE = "\u25c4"
_CHECKBOX = "\u2751"
BULLET_PRESETS: dict[str, tuple[Any, Any, Any]] = {
    "BULLET_DISC_CIRCLE_SQUARE": (_DISC, _CIRCLE, _SQUARE),
    "BULLET_DIAMONDX_ARROW3D_SQUARE": (_DIAMONDX, _ARROW3D, _SQUARE),
    "BULLET_CHECKBOX": (_CHECKBOX, _CHECKBOX, _CHECKBOX),
    "BULLET_ARROW_DIAMOND_DISC": (_ARROW, _DIAMOND, _DISC),
    "BULLET_STAR_CIRCLE_SQUARE": (_STAR, _CIRCLE, _SQUARE),
    "BULLET_ARROW3D_CIRCLE_SQUARE": (_ARROW3D, _CIRCLE, _SQUARE),
    "BULLET_LEFTTRIANGLE_DIAMOND_DISC": (_LEFTTRIANGLE, _DIAMOND, _DISC),
    "BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE": (_DIAMONDX, _HOLLOWDIAMOND, _SQUARE),
    "BULLET_DIAMOND_CIRCLE_SQUARE": (_DIAMOND, _CIRCLE, _SQUARE),
    "NUMBERED_DECIMAL_ALPHA_ROMAN": (("DECIMAL", "."), ("ALPHA", "."), ("ROMAN", ".")),
    "NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS": (("DECIMAL", ")"), ("ALPHA", ")"), ("ROMAN", ")")),
    "NUMBERED_DECIMAL_NESTED": (("DECIMAL", "nested"),) * 3,
    "NUMBERED_UPPERALPHA_ALPHA_ROMAN": (("UPPER_ALPHA", "."), ("ALPHA", "."), ("ROMAN", ".")),
    "NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL": (
        ("UPPER_ROMAN", "."),
        ("UPPER_ALPHA", "."),
        ("DECIMAL", "."),
    ),
    "NUMBERED_ZERODECIMAL_ALPHA_ROMAN": (("ZERO_DECIMAL", "."), ("ALPHA", "."), ("ROMAN", ".")),
}
NESTING_LEVELS = 9


def nesting_levels(preset: str) -> list[dict[str, Any]]:
    """The nestingLevels of a new list made with a bullet preset."""
    cycle = BULLET_PRESETS[preset]
    levels = []
    for level in range(NESTING_LEVELS):
        glyph = cycle[level % 3]
        start = 36 * (level + 1)
        entry: dict[str, Any] = {"bulletAlignment": "START"}
        if isinstance(glyph, str):
            entry["glyphSymbol"] = glyph
            entry["glyphFormat"] = f"%{level}"
        else:
            glyph_type, suffix = glyph
            entry["glyphType"] = glyph_type
            if suffix == "nested":
                entry["glyphFormat"] = "".join(f"%{n}." for n in range(level + 1))
            else:
                entry["glyphFormat"] = f"%{level}{suffix}"
            if glyph_type in ("ROMAN", "UPPER_ROMAN"):
                # Docs right-aligns roman numerals, with a shallower hanging indent.
                entry["bulletAlignment"] = "END"
        hang = 9 if entry["bulletAlignment"] == "END" else 18
        entry["indentFirstLine"] = {"magnitude": start - hang, "unit": "PT"}
        entry["indentStart"] = {"magnitude": start, "unit": "PT"}
        entry["textStyle"] = {}
        entry["startNumber"] = 1
        levels.append(entry)
    return levels


def _signature(levels: list[dict[str, Any]]) -> tuple[Any, ...]:
    return tuple(
        (level.get("glyphSymbol"), level.get("glyphType"), level.get("glyphFormat"))
        for level in levels[:3]
    )


_SIGNATURES = {_signature(nesting_levels(name)): name for name in BULLET_PRESETS}


def preset_of(levels: list[dict[str, Any]]) -> str | None:
    """The preset a list was made with, recognised by its first three glyphs."""
    return _SIGNATURES.get(_signature(levels))
