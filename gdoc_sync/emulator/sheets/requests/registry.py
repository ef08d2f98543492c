"""The batchUpdate request registry: `@_request(name)` registers a handler for one kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# ---------------------------------------------------------------------------------------------
# batchUpdate
# ---------------------------------------------------------------------------------------------

_Handler = Callable[[dict[str, Any], dict[str, Any]], "dict[str, Any] | None"]
_HANDLERS: dict[str, _Handler] = {}

# Every request kind the real API has, to tell "unsupported here" from "no such request".
_KNOWN_REQUESTS = frozenset(
    """addBanding addChart addCommentReply addConditionalFormatRule addDataSource addDimensionGroup
    addFilterView addNamedRange addProtectedRange addSheet addSlicer addTable appendCells
    appendDimension autoFill autoResizeDimensions cancelDataSourceRefresh clearBasicFilter copyPaste
    createDeveloperMetadata cutPaste deleteBanding deleteComment deleteCommentReply
    deleteConditionalFormatRule deleteDataSource deleteDeveloperMetadata deleteDimension
    deleteDimensionGroup deleteDuplicates deleteEmbeddedObject deleteFilterView deleteNamedRange
    deleteProtectedRange deleteRange deleteSheet deleteTable duplicateFilterView duplicateSheet
    findReplace insertComment insertDimension insertRange mergeCells moveDimension pasteData
    randomizeRange refreshDataSource repeatCell setBasicFilter setDataValidation sortRange
    textToColumns trimWhitespace unmergeCells updateBanding updateBorders updateCells
    updateChartSpec updateCommentPost updateConditionalFormatRule updateDataSource
    updateDeveloperMetadata updateDimensionGroup updateDimensionProperties
    updateEmbeddedObjectBorder updateEmbeddedObjectPosition updateFilterView updateNamedRange
    updateProtectedRange updateSheetProperties updateSlicerSpec updateSpreadsheetProperties
    updateTable""".split()
)


def _request(name: str) -> Callable[[_Handler], _Handler]:
    def register(fn: _Handler) -> _Handler:
        _HANDLERS[name] = fn
        return fn

    return register
