"""documents.batchUpdate requests, one module per kind; `HANDLERS` maps each request kind
to its handler."""

from __future__ import annotations

from gdoc_sync.emulator.docs.requests.structure import (
    _create_footnote,
    _create_header_or_footer,
    _delete_header_or_footer,
    _insert_page_break,
    _insert_person,
    _insert_table,
)
from gdoc_sync.emulator.docs.requests.styles import (
    _create_paragraph_bullets,
    _delete_paragraph_bullets,
    _update_paragraph_style,
    _update_text_style,
)
from gdoc_sync.emulator.docs.requests.tabs import (
    _add_document_tab,
    _delete_tab,
    _update_document_tab_properties,
)
from gdoc_sync.emulator.docs.requests.text import (
    _create_named_range,
    _delete_content_range,
    _delete_named_range,
    _insert_text,
    _replace_all_text,
    _replace_named_range_content,
)

# Every request kind of the Docs v1 discovery document, to tell a typo from a kind the
# emulator does not implement.
KNOWN_REQUESTS = frozenset(
    {
        "acceptSuggestion",
        "addCommentReply",
        "addDocumentTab",
        "createDropdownDefinition",
        "createFooter",
        "createFootnote",
        "createHeader",
        "createNamedRange",
        "createParagraphBullets",
        "deleteComment",
        "deleteCommentReply",
        "deleteContentRange",
        "deleteDropdownDefinition",
        "deleteFooter",
        "deleteHeader",
        "deleteNamedRange",
        "deleteParagraphBullets",
        "deletePositionedObject",
        "deleteSuggestion",
        "deleteTab",
        "deleteTableColumn",
        "deleteTableRow",
        "insertComment",
        "insertDate",
        "insertDropdown",
        "insertInlineImage",
        "insertPageBreak",
        "insertPerson",
        "insertRichLink",
        "insertSectionBreak",
        "insertTable",
        "insertTableColumn",
        "insertTableRow",
        "insertText",
        "mergeTableCells",
        "pinTableHeaderRows",
        "rejectSuggestion",
        "replaceAllText",
        "replaceImage",
        "replaceNamedRangeContent",
        "unmergeTableCells",
        "updateCommentPost",
        "updateDocumentStyle",
        "updateDocumentTabProperties",
        "updateDropdownDefinitionProperties",
        "updateDropdownProperties",
        "updateNamedStyle",
        "updateParagraphStyle",
        "updateSectionStyle",
        "updateTableCellStyle",
        "updateTableColumnProperties",
        "updateTableRowStyle",
        "updateTextStyle",
    }
)


HANDLERS = {
    "insertText": _insert_text,
    "deleteContentRange": _delete_content_range,
    "replaceAllText": _replace_all_text,
    "createNamedRange": _create_named_range,
    "deleteNamedRange": _delete_named_range,
    "replaceNamedRangeContent": _replace_named_range_content,
    "updateParagraphStyle": _update_paragraph_style,
    "updateTextStyle": _update_text_style,
    "createParagraphBullets": _create_paragraph_bullets,
    "deleteParagraphBullets": _delete_paragraph_bullets,
    "insertTable": _insert_table,
    "insertPageBreak": _insert_page_break,
    "insertPerson": _insert_person,
    "createFootnote": _create_footnote,
    "createHeader": _create_header_or_footer("headers"),
    "createFooter": _create_header_or_footer("footers"),
    "deleteHeader": _delete_header_or_footer("headers"),
    "deleteFooter": _delete_header_or_footer("footers"),
    "addDocumentTab": _add_document_tab,
    "deleteTab": _delete_tab,
    "updateDocumentTabProperties": _update_document_tab_properties,
}
