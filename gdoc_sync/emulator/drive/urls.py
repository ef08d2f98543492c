"""Drive v3 routes, at the paths the real clients use once their host is swapped."""

from collections.abc import Callable
from typing import Any

from gdoc_sync.emulator.drive import responses as r

ID = r"(?P<file_id>[^/]+)"
BASE = "/drive/v3"

routes: list[tuple[str, str, Callable[..., Any]]] = [
    ("POST", BASE + "/files", r.files_create),
    ("GET", BASE + "/files", r.files_list),
    ("GET", BASE + "/files/generateIds", r.generate_ids),
    ("GET", BASE + f"/files/{ID}", r.files_get),
    ("PATCH", BASE + f"/files/{ID}", r.files_update),
    ("DELETE", BASE + f"/files/{ID}", r.files_delete),
    ("POST", BASE + f"/files/{ID}/copy", r.files_copy),
    ("POST", BASE + f"/files/{ID}/permissions", r.permissions_create),
    ("GET", BASE + f"/files/{ID}/permissions", r.permissions_list),
    ("DELETE", BASE + f"/files/{ID}/permissions/(?P<permission_id>[^/]+)", r.permissions_delete),
    ("GET", BASE + f"/files/{ID}/export", r.files_export),
    ("GET", BASE + f"/files/{ID}/comments", r.comments_list),
    ("POST", BASE + f"/files/{ID}/comments", r.comments_create),
    ("GET", BASE + "/about", r.about_get),
    # Drive v2, only the media upload gspread's import_csv makes.
    ("PUT", f"/upload/drive/v2/files/{ID}", r.upload_v2_update),
]
