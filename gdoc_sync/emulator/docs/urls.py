"""Docs v1 routes."""

from collections.abc import Callable
from typing import Any

from gdoc_sync.emulator.docs import responses as r

ID = r"(?P<document_id>[^/:]+)"

routes: list[tuple[str, str, Callable[..., Any]]] = [
    ("POST", "/v1/documents", r.create),
    ("GET", f"/v1/documents/{ID}", r.get),
    ("POST", f"/v1/documents/{ID}:batchUpdate", r.batch_update),
]
