"""Sheets v4 routes. A1 ranges may hold ':' and '/', so the range group takes the rest."""

from collections.abc import Callable
from typing import Any

from gdoc_sync.emulator.sheets import responses as r

ID = r"(?P<spreadsheet_id>[^/:]+)"
BASE = "/v4/spreadsheets"

routes: list[tuple[str, str, Callable[..., Any]]] = [
    ("POST", BASE, r.create),
    ("GET", f"{BASE}/{ID}", r.get),
    ("POST", f"{BASE}/{ID}:batchUpdate", r.batch_update),
    ("GET", f"{BASE}/{ID}/values:batchGet", r.values_batch_get),
    ("POST", f"{BASE}/{ID}/values:batchUpdate", r.values_batch_update),
    ("POST", f"{BASE}/{ID}/values:batchClear", r.values_batch_clear),
    ("POST", f"{BASE}/{ID}/values/(?P<range_>.+):append", r.values_append),
    ("POST", f"{BASE}/{ID}/values/(?P<range_>.+):clear", r.values_clear),
    ("GET", f"{BASE}/{ID}/values/(?P<range_>.+)", r.values_get),
    ("PUT", f"{BASE}/{ID}/values/(?P<range_>.+)", r.values_update),
]
