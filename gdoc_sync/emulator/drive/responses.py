"""Drive v3 handlers: parse the request, call the model, shape the answer."""

from __future__ import annotations

import copy
from typing import Any

from gdoc_sync.emulator.drive import models
from gdoc_sync.emulator.drive.models import DOC_MIME, SHEET_MIME
from gdoc_sync.emulator.errors import ApiError, InvalidArgument
from gdoc_sync.emulator.http import Call, Response, new_id
from gdoc_sync.emulator.store import Transaction

DOCUMENT_KIND = "document"
SPREADSHEET_KIND = "spreadsheet"


def _shape(call: Call, record: dict[str, Any]) -> dict[str, Any]:
    if call.arg("fields"):
        return models.public_view(record)
    return models.default_view(record)


def create_content(tx: Transaction, file_id: str, mime_type: str, name: str) -> None:
    """Give a new Docs or Sheets file its empty content."""
    if mime_type == DOC_MIME:
        from gdoc_sync.emulator.docs import models as docs_models

        tx.put(DOCUMENT_KIND, file_id, docs_models.new_document(file_id, name))
    elif mime_type == SHEET_MIME:
        from gdoc_sync.emulator.sheets import models as sheets_models

        tx.put(
            SPREADSHEET_KIND,
            file_id,
            sheets_models.new_spreadsheet(file_id, {"properties": {"title": name}}),
        )


def files_create(call: Call) -> dict[str, Any]:
    body = call.body or {}
    mime_type = body.get("mimeType") or "application/octet-stream"
    name = body.get("name") or "Untitled"
    file_id = body.get("id") or new_id()
    if call.tx.exists(models.KIND, file_id):
        raise ApiError("A file already exists with the provided ID.", code=409, reason="duplicate")
    for parent in body.get("parents") or []:
        if parent != "root" and not call.tx.exists(models.KIND, parent):
            raise models.file_not_found(parent)
    record = models.add_file(
        call.tx,
        file_id,
        name=name,
        mime_type=mime_type,
        parents=body.get("parents"),
        app_properties=body.get("appProperties"),
        properties=body.get("properties"),
        description=body.get("description"),
    )
    create_content(call.tx, file_id, mime_type, name)
    return _shape(call, record)


def files_get(call: Call, file_id: str) -> dict[str, Any]:
    return _shape(call, models.get_file(call.tx, file_id))


def files_list(call: Call) -> dict[str, Any]:
    found = models.list_files(call.tx, call.arg("q"))
    page_size = int(call.arg("pageSize") or 100)
    if not 1 <= page_size <= 1000:
        raise InvalidArgument(
            f"Invalid value '{page_size}'. Values must be within the range: [1, 1000]",
            reason="invalid",
        )
    start = int(call.arg("pageToken") or 0)
    page = found[start : start + page_size]
    shaped = [models.public_view(r) if call.arg("fields") else models.default_view(r) for r in page]
    result: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False, "files": shaped}
    if start + page_size < len(found):
        result["nextPageToken"] = str(start + page_size)
    return result


def files_update(call: Call, file_id: str) -> dict[str, Any]:
    record = models.update_file(
        call.tx,
        file_id,
        call.body or {},
        add_parents=[p for p in (call.arg("addParents") or "").split(",") if p],
        remove_parents=[p for p in (call.arg("removeParents") or "").split(",") if p],
    )
    if "name" in (call.body or {}):
        _rename_content(call.tx, file_id, record["mimeType"], record["name"])
    return _shape(call, record)


def _rename_content(tx: Transaction, file_id: str, mime_type: str, name: str) -> None:
    if mime_type == DOC_MIME:
        doc = tx.get(DOCUMENT_KIND, file_id)
        if doc is not None:
            doc["title"] = name
            tx.put(DOCUMENT_KIND, file_id, doc)
    elif mime_type == SHEET_MIME:
        from gdoc_sync.emulator.sheets import models as sheets_models

        sheet = tx.peek(SPREADSHEET_KIND, file_id)
        if sheet is not None:
            tx.put(SPREADSHEET_KIND, file_id, sheets_models.set_title(sheet, name))


def files_copy(call: Call, file_id: str) -> dict[str, Any]:
    source = models.get_file(call.tx, file_id)
    body = call.body or {}
    new_file = new_id()
    name = body.get("name") or f"Copy of {source['name']}"
    record = models.add_file(
        call.tx,
        new_file,
        name=name,
        mime_type=source["mimeType"],
        parents=body.get("parents") or source.get("parents"),
        app_properties=body.get("appProperties"),
        properties=body.get("properties"),
        description=body.get("description", source.get("description")),
    )
    for kind in (DOCUMENT_KIND, SPREADSHEET_KIND):
        content = call.tx.get(kind, file_id)
        if content is None:
            continue
        content = copy.deepcopy(content)
        if kind == DOCUMENT_KIND:
            content["documentId"] = new_file
            content["title"] = name
            call.tx.put(kind, new_file, content)
        else:
            from gdoc_sync.emulator.sheets import models as sheets_models

            content["spreadsheetId"] = new_file
            call.tx.put(kind, new_file, sheets_models.set_title(content, name))
    return _shape(call, record)


def files_delete(call: Call, file_id: str) -> None:
    models.get_file(call.tx, file_id)
    call.tx.delete(models.KIND, file_id)
    call.tx.delete(DOCUMENT_KIND, file_id)
    call.tx.delete(SPREADSHEET_KIND, file_id)
    call.tx.delete(_COMMENT_KIND, file_id)


def permissions_create(call: Call, file_id: str) -> dict[str, Any]:
    perm = models.create_permission(
        call.tx,
        file_id,
        call.body or {},
        transfer_ownership=call.flag("transferOwnership"),
    )
    if call.arg("fields"):
        return perm
    return {k: perm[k] for k in ("kind", "id", "type", "role") if k in perm}


def permissions_list(call: Call, file_id: str) -> dict[str, Any]:
    perms = models.list_permissions(call.tx, file_id)
    if not call.arg("fields"):
        perms = [{k: p[k] for k in ("kind", "id", "type", "role") if k in p} for p in perms]
    return {"kind": "drive#permissionList", "permissions": perms}


def permissions_delete(call: Call, file_id: str, permission_id: str) -> None:
    models.delete_permission(call.tx, file_id, permission_id)


def generate_ids(call: Call) -> dict[str, Any]:
    count = int(call.arg("count") or 10)
    if not 1 <= count <= 1000:
        raise InvalidArgument(
            f"Invalid value '{count}'. Values must be within the range: [1, 1000]", reason="invalid"
        )
    return {
        "kind": "drive#generatedIds",
        "space": call.arg("space") or "drive",
        "ids": [new_id() for _ in range(count)],
    }


def about_get(call: Call) -> dict[str, Any]:
    return {"kind": "drive#about", "user": models.EMULATOR_USER}


# -- export, comments and the v2 CSV import ---------------------------------------------------

_EXPORTS: dict[str, dict[str, str | None]] = {
    SHEET_MIME: {"text/csv": ",", "text/tab-separated-values": "\t"},
    DOC_MIME: {"text/plain": None},
}


def _content(tx: Transaction, kind: str, file_id: str) -> dict[str, Any]:
    """A Docs or Sheets file's content, as a private copy (its Drive record was read first)."""
    stored = tx.get(kind, file_id)
    if stored is None:
        raise models.file_not_found(file_id)
    return stored


def files_export(call: Call, file_id: str) -> Response:
    """files.export of a Docs or Sheets file to a text format (the binary ones are not made)."""
    record = models.get_file(call.tx, file_id)
    mime_type = call.arg("mimeType")
    if not mime_type:
        raise InvalidArgument("Required parameter: mimeType", reason="required")
    formats = _EXPORTS.get(record["mimeType"])
    if formats is None:
        raise ApiError(
            "Export only supports Docs Editors files.", code=403, reason="fileNotExportable"
        )
    if mime_type not in formats:
        raise InvalidArgument(
            f"The requested conversion to {mime_type} is not supported by the gdoc-sync emulator.",
            reason="badRequest",
        )
    if record["mimeType"] == SHEET_MIME:
        from gdoc_sync.emulator.sheets import models as sheets_models

        content = sheets_models.export_delimited(
            _content(call.tx, SPREADSHEET_KIND, file_id), formats[mime_type] or ","
        )
    else:
        content = _plain_text(_content(call.tx, DOCUMENT_KIND, file_id))
    return Response(200, {"Content-Type": f"{mime_type}; charset=UTF-8"}, content)


def _plain_text(stored: dict[str, Any]) -> bytes:
    """A document as text/plain: its first tab's text, table cells included."""
    from gdoc_sync.emulator.docs import models as docs_models

    return docs_models.document_text(stored).encode("utf-8")


_COMMENT_KIND = "comments"


def _require_fields(call: Call) -> None:
    # Drive documents this for comments and replies: the answer names no default fields.
    if not call.arg("fields"):
        raise InvalidArgument(
            "The 'fields' parameter is required for this method.", reason="required"
        )


def comments_list(call: Call, file_id: str) -> dict[str, Any]:
    _require_fields(call)
    models.get_file(call.tx, file_id)
    comments = call.tx.get(_COMMENT_KIND, file_id) or []
    if not call.flag("includeDeleted"):
        comments = [c for c in comments if not c.get("deleted")]
    page_size = int(call.arg("pageSize") or 20)
    start = int(call.arg("pageToken") or 0)
    result: dict[str, Any] = {
        "kind": "drive#commentList",
        "comments": comments[start : start + page_size],
    }
    if start + page_size < len(comments):
        result["nextPageToken"] = str(start + page_size)
    return result


def comments_create(call: Call, file_id: str) -> dict[str, Any]:
    _require_fields(call)
    models.get_file(call.tx, file_id)
    body = call.body or {}
    if not body.get("content"):
        raise InvalidArgument("Required: content", reason="required")
    stamp = models.now()
    comment = {
        "kind": "drive#comment",
        "id": new_id(22),
        "createdTime": stamp,
        "modifiedTime": stamp,
        "author": {
            "kind": "drive#user",
            "displayName": models.EMULATOR_USER["displayName"],
            "me": True,
        },
        "htmlContent": body["content"],
        "content": body["content"],
        "deleted": False,
        "resolved": False,
        "replies": [],
    }
    if body.get("anchor"):
        comment["anchor"] = body["anchor"]
    comments = call.tx.get(_COMMENT_KIND, file_id) or []
    call.tx.put(_COMMENT_KIND, file_id, [*comments, comment])
    return comment


def upload_v2_update(call: Call, file_id: str) -> dict[str, Any]:
    """Drive v2 files.update as a media upload with convert=true, the only upload gspread makes
    (import_csv): CSV into a spreadsheet. Answers with the v2 File, which has a title."""
    record = models.get_file(call.tx, file_id)
    if call.arg("uploadType") != "media":
        raise InvalidArgument("The emulator accepts only uploadType=media here.")
    if record["mimeType"] != SHEET_MIME:
        raise InvalidArgument("The emulator imports CSV only into spreadsheets.")
    from gdoc_sync.emulator.sheets import models as sheets_models

    stored = _content(call.tx, SPREADSHEET_KIND, file_id)
    text = call.raw.decode("utf-8-sig")
    call.tx.put(SPREADSHEET_KIND, file_id, sheets_models.import_delimited(stored, text))
    models.touch(call.tx, file_id)
    record = models.get_file(call.tx, file_id)
    return {
        "kind": "drive#file",
        "id": file_id,
        "title": record["name"],
        "mimeType": record["mimeType"],
        "createdDate": record["createdTime"],
        "modifiedDate": record["modifiedTime"],
        "version": record["version"],
    }
