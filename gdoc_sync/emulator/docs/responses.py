"""Docs v1 handlers: parse the request, call the model, shape the answer."""

from __future__ import annotations

from typing import Any

from gdoc_sync.emulator import fieldmask
from gdoc_sync.emulator.docs import models
from gdoc_sync.emulator.drive import models as drive
from gdoc_sync.emulator.errors import InvalidArgument, NotFound
from gdoc_sync.emulator.http import Call, new_id

KIND = "document"


def _load(call: Call, document_id: str) -> dict[str, Any]:
    doc = call.tx.peek(KIND, document_id)
    if doc is None:
        raise NotFound("Requested entity was not found.")
    return doc


def create(call: Call) -> dict[str, Any]:
    body = call.body or {}
    title = body.get("title") or "Untitled document"
    if not isinstance(title, str):
        raise InvalidArgument("Invalid value at 'document.title', expected a string.")
    document_id = new_id()
    doc = models.new_document(document_id, title)
    call.tx.put(KIND, document_id, doc)
    drive.add_file(call.tx, document_id, name=title, mime_type=drive.DOC_MIME)
    return models.render(doc)


def get(call: Call, document_id: str) -> dict[str, Any]:
    doc = _load(call, document_id)
    return models.render(
        doc,
        include_tabs_content=call.flag("includeTabsContent") or _masks_tabs(call.arg("fields")),
        suggestions_view_mode=call.arg("suggestionsViewMode"),
    )


def _masks_tabs(fields: str | None) -> bool:
    """A `fields` mask naming Document.tabs (or a subfield) implies includeTabsContent=true,
    as the includeTabsContent parameter's description in the discovery document says."""
    if not fields:
        return False
    try:
        return "tabs" in fieldmask.parse(fields)
    except ValueError:
        return False  # the mask itself is refused when it is applied


def batch_update(call: Call, document_id: str) -> dict[str, Any]:
    doc = _load(call, document_id)
    body = call.body or {}
    if not isinstance(body.get("requests", []), list):
        raise InvalidArgument("Invalid JSON payload received. 'requests' must be a list.")
    new_doc, response = models.batch_update(doc, body)
    if new_doc is not doc:
        call.tx.put(KIND, document_id, new_doc)
        drive.touch(call.tx, document_id)
    return response
