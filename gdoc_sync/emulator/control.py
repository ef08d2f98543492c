"""The emulator's own endpoints (not Google's): request log, fault injection, document import."""

from __future__ import annotations

from typing import Any

from gdoc_sync.emulator.drive import models as drive
from gdoc_sync.emulator.errors import InvalidArgument
from gdoc_sync.emulator.faults import Fault
from gdoc_sync.emulator.http import Call, new_id

PREFIX = "/_emulator"


def health(call: Call) -> dict[str, Any]:
    return {"status": "ok", "dataDir": str(call.emulator.data_dir or ":memory:")}


def requests_list(call: Call) -> dict[str, Any]:
    log = call.emulator.log
    return {
        "requests": call.emulator.log_json(),
        "maxEntries": log.max_entries,
        "dropped": log.dropped(),
    }


def requests_clear(call: Call) -> None:
    call.emulator.log.clear()


def faults_list(call: Call) -> dict[str, Any]:
    return {
        "latencyMs": call.emulator.faults.latency_ms,
        "faults": [f.to_json() for f in call.emulator.faults.rules()],
    }


def faults_add(call: Call) -> dict[str, Any]:
    body = call.body or {}
    if "latencyMs" in body:
        call.emulator.faults.latency_ms = float(body["latencyMs"])
    added = []
    for spec in body.get("faults", []):
        try:
            added.append(call.emulator.faults.add(Fault(**spec)).to_json())
        except (TypeError, ValueError) as exc:
            raise InvalidArgument(f"bad fault {spec!r}: {exc}") from exc
    return {"faults": added}


def faults_clear(call: Call) -> None:
    call.emulator.faults.clear()


def import_document(call: Call) -> dict[str, Any]:
    """Store a documents.get response as a new document (with a new id unless one is given)."""
    from gdoc_sync.emulator.docs import models as docs_models

    body = call.body or {}
    document = body.get("document")
    if not isinstance(document, dict):
        raise InvalidArgument("body.document must be a documents.get response")
    document_id = body.get("documentId") or new_id()
    stored = docs_models.import_document(document, document_id)
    call.tx.put("document", document_id, stored)
    drive.add_file(
        call.tx,
        document_id,
        name=document.get("title") or "Imported document",
        mime_type=drive.DOC_MIME,
        app_properties=body.get("appProperties"),
    )
    return {"documentId": document_id}


routes = [
    ("GET", PREFIX + "/health", health),
    ("GET", PREFIX + "/requests", requests_list),
    ("DELETE", PREFIX + "/requests", requests_clear),
    ("GET", PREFIX + "/faults", faults_list),
    ("POST", PREFIX + "/faults", faults_add),
    ("DELETE", PREFIX + "/faults", faults_clear),
    ("POST", PREFIX + "/documents:import", import_document),
]
