"""Drive v3 state and behaviour: files, their metadata, queries and permissions."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from gdoc_sync.emulator.errors import ApiError, InvalidArgument, NotFound
from gdoc_sync.emulator.store import Transaction

DOC_MIME = "application/vnd.google-apps.document"
SHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"
KIND = "file"

ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
TYPES = ("user", "group", "domain", "anyone")
EMULATOR_USER = {
    "kind": "drive#user",
    "displayName": "Local user",
    "emailAddress": "you@localhost",
    "me": True,
    "permissionId": "00000000000000000000",
}


_last_stamp = [dt.datetime.min.replace(tzinfo=dt.UTC)]


def now() -> str:
    """An RFC 3339 time in milliseconds, as Drive gives, strictly increasing in this process so
    that "created first" is never a tie."""
    stamp = dt.datetime.now(dt.UTC)
    stamp = stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)
    if stamp <= _last_stamp[0]:
        stamp = _last_stamp[0] + dt.timedelta(milliseconds=1)
    _last_stamp[0] = stamp
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def file_not_found(file_id: str) -> ApiError:
    return NotFound(
        f"File not found: {file_id}.",
        reason="notFound",
    )


def add_file(
    tx: Transaction,
    file_id: str,
    *,
    name: str,
    mime_type: str,
    parents: list[str] | None = None,
    app_properties: dict[str, str] | None = None,
    properties: dict[str, str] | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """Register a file; Docs and Sheets call this too, so all three APIs see one set of files."""
    stamp = now()
    record = {
        "kind": "drive#file",
        "id": file_id,
        "name": name,
        "mimeType": mime_type,
        "parents": list(parents or ["root"]),
        "appProperties": dict(app_properties or {}),
        "properties": dict(properties or {}),
        "trashed": False,
        "starred": False,
        "createdTime": stamp,
        "modifiedTime": stamp,
        "version": "1",
        "webViewLink": web_view_link(file_id, mime_type),
        "owners": [EMULATOR_USER],
        "permissions": [
            {
                "kind": "drive#permission",
                "id": EMULATOR_USER["permissionId"],
                "type": "user",
                "role": "owner",
                "emailAddress": EMULATOR_USER["emailAddress"],
                "displayName": EMULATOR_USER["displayName"],
            }
        ],
        "capabilities": {"canEdit": True, "canShare": True, "canComment": True},
    }
    if description is not None:
        record["description"] = description
    tx.put(KIND, file_id, record)
    return record


def web_view_link(file_id: str, mime_type: str) -> str:
    if mime_type == DOC_MIME:
        return f"https://docs.google.com/document/d/{file_id}/edit"
    if mime_type == SHEET_MIME:
        return f"https://docs.google.com/spreadsheets/d/{file_id}/edit"
    if mime_type == FOLDER_MIME:
        return f"https://drive.google.com/drive/folders/{file_id}"
    return f"https://drive.google.com/file/d/{file_id}/view"


def touch(tx: Transaction, file_id: str, *, name: str | None = None) -> None:
    """Record that the file's content changed (Docs and Sheets writes call this)."""
    record = tx.get(KIND, file_id)
    if record is None:
        return
    record["modifiedTime"] = now()
    record["version"] = str(int(record.get("version", "1")) + 1)
    if name is not None:
        record["name"] = name
    tx.put(KIND, file_id, record)


def get_file(tx: Transaction, file_id: str) -> dict[str, Any]:
    record = tx.peek(KIND, file_id)
    if record is None:
        raise file_not_found(file_id)
    return record


def public_view(record: dict[str, Any]) -> dict[str, Any]:
    view = copy.deepcopy(record)
    if not view.get("appProperties"):
        view.pop("appProperties", None)
    if not view.get("properties"):
        view.pop("properties", None)
    return view


DEFAULT_FIELDS = ("kind", "id", "name", "mimeType")


def default_view(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in DEFAULT_FIELDS}


def update_file(
    tx: Transaction,
    file_id: str,
    body: dict[str, Any],
    *,
    add_parents: list[str],
    remove_parents: list[str],
) -> dict[str, Any]:
    record = tx.get(KIND, file_id)
    if record is None:
        raise file_not_found(file_id)
    writable = {
        "name",
        "description",
        "trashed",
        "starred",
        "appProperties",
        "properties",
        "mimeType",
    }
    for key, value in body.items():
        if key == "parents":
            # Recorded (RobinBobin/react-native-google-drive-api-wrapper#65): 403 fieldNotWritable.
            raise ApiError(
                "The parents field is not directly writable in update requests. Use the "
                "addParents and removeParents parameters instead.",
                code=403,
                reason="fieldNotWritable",
            )
        if key not in writable:
            if value is None:
                continue  # JSON null: absent
            raise ApiError(
                "The resource body includes fields which are not directly writable.",
                code=403,
                reason="fieldNotWritable",
            )
        if key in ("appProperties", "properties"):
            merged = dict(record.get(key) or {})
            for k, v in (value or {}).items():
                if v is None:
                    merged.pop(k, None)
                else:
                    merged[k] = str(v)
            record[key] = merged
        elif key == "mimeType":
            if value != record["mimeType"]:
                raise InvalidArgument("The mimeType of a Google Workspace file cannot be changed.")
        else:
            record[key] = value
    parents = [p for p in record["parents"] if p not in remove_parents]
    record["parents"] = parents + [p for p in add_parents if p not in parents]
    record["modifiedTime"] = now()
    tx.put(KIND, file_id, record)
    if "name" in body:
        return record
    return record


# -- queries --------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<lparen>\()|(?P<rparen>\))|(?P<lbrace>\{)|(?P<rbrace>\})
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)


def _tokens(q: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    q = q.strip()
    while pos < len(q):
        m = _TOKEN.match(q, pos)
        if not m or m.end() == pos:
            raise InvalidArgument(f"Invalid Value: q at position {pos}", reason="invalid")
        pos = m.end()
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
        while pos < len(q) and q[pos].isspace():
            pos += 1
    return out


class _Query:
    """A recursive-descent reader of Drive's query language (the subset files.list needs)."""

    def __init__(self, q: str) -> None:
        self.toks = _tokens(q)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (kind and tok[0] != kind) or (value and tok[1].lower() != value):
            raise InvalidArgument("Invalid Value", reason="invalid")
        self.i += 1
        return tok

    def parse(self) -> Any:
        node = self.or_()
        if self.peek() is not None:
            raise InvalidArgument("Invalid Value", reason="invalid")
        return node

    def or_(self) -> Any:
        node = self.and_()
        while (tok := self.peek()) and tok == ("word", tok[1]) and tok[1].lower() == "or":
            self.i += 1
            node = ("or", node, self.and_())
        return node

    def and_(self) -> Any:
        node = self.not_()
        while (tok := self.peek()) and tok[0] == "word" and tok[1].lower() == "and":
            self.i += 1
            node = ("and", node, self.not_())
        return node

    def not_(self) -> Any:
        tok = self.peek()
        if tok and tok[0] == "word" and tok[1].lower() == "not":
            self.i += 1
            return ("not", self.not_())
        if tok and tok[0] == "lparen":
            self.i += 1
            node = self.or_()
            self.take("rparen")
            return node
        return self.term()

    def term(self) -> Any:
        tok = self.take()
        if tok[0] == "string":  # 'x' in parents / 'user' in owners
            self.take("word", "in")
            field = self.take("word")[1]
            return ("in", tok[1], field)
        field = tok[1]
        if field in ("appProperties", "properties"):
            self.take("word", "has")
            self.take("lbrace")
            self.take("word", "key")
            self.take("op")
            key = self.take("string")[1]
            self.take("word", "and")
            self.take("word", "value")
            self.take("op")
            value = self.take("string")[1]
            self.take("rbrace")
            return ("has", field, key, value)
        nxt = self.take()
        if nxt[0] == "op":
            value_tok = self.take()
            operand: Any = value_tok[1]
            if value_tok[0] == "word":
                operand = {"true": True, "false": False}.get(operand.lower(), operand)
            return ("cmp", field, nxt[1], operand)
        if nxt[0] == "word" and nxt[1].lower() == "contains":
            return ("contains", field, self.take("string")[1])
        raise InvalidArgument("Invalid Value", reason="invalid")


def _eval(node: Any, f: dict[str, Any]) -> bool:
    op = node[0]
    if op == "and":
        return _eval(node[1], f) and _eval(node[2], f)
    if op == "or":
        return _eval(node[1], f) or _eval(node[2], f)
    if op == "not":
        return not _eval(node[1], f)
    if op == "in":
        if node[2] == "parents":
            return node[1] in f.get("parents", [])
        if node[2] in ("owners", "writers", "readers"):
            return any(p.get("emailAddress") == node[1] for p in f.get("permissions", []))
        raise InvalidArgument("Invalid Value", reason="invalid")
    if op == "has":
        return (f.get(node[1]) or {}).get(node[2]) == node[3]
    if op == "contains":
        value = str(f.get(node[1], ""))
        if node[1] == "fullText":
            value = f.get("name", "") + " " + f.get("description", "")
        return node[2].lower() in value.lower()
    if op == "cmp":
        _, field, cmp, value = node
        actual = f.get(field)
        if isinstance(value, bool):
            actual = bool(actual)
        return {
            "=": actual == value,
            "!=": actual != value,
            "<": actual is not None and actual < value,
            ">": actual is not None and actual > value,
            "<=": actual is not None and actual <= value,
            ">=": actual is not None and actual >= value,
        }[cmp]
    raise InvalidArgument("Invalid Value", reason="invalid")


def list_files(tx: Transaction, q: str | None) -> list[dict[str, Any]]:
    node = _Query(q).parse() if q and q.strip() else None
    found = []
    for file_id in tx.ids(KIND):
        record = tx.peek(KIND, file_id)
        if record is None:
            continue
        if node is None:
            if record.get("trashed"):
                continue
        elif not _eval(node, record):
            continue
        found.append(record)
    # Drive's default order is by modifiedTime descending for most callers; keep newest first.
    found.sort(key=lambda r: r.get("modifiedTime", ""), reverse=True)
    return found


# -- permissions ---------------------------------------------------------------------


def create_permission(
    tx: Transaction, file_id: str, body: dict[str, Any], *, transfer_ownership: bool = False
) -> dict[str, Any]:
    record = tx.get(KIND, file_id)
    if record is None:
        raise file_not_found(file_id)
    role = body.get("role")
    ptype = body.get("type")
    if not role:
        raise InvalidArgument("The permission role field is required.", reason="required")
    if not ptype:
        raise InvalidArgument("The permission type field is required.", reason="required")
    if role not in ROLES:
        raise InvalidArgument(
            f"The value of the parameter 'role' is invalid: {role}", reason="invalid"
        )
    if ptype not in TYPES:
        raise InvalidArgument(
            f"The value of the parameter 'type' is invalid: {ptype}", reason="invalid"
        )
    if role == "owner" and not transfer_ownership:
        raise ApiError(
            "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
            code=403,
            reason="forbidden",
        )
    perm: dict[str, Any] = {"kind": "drive#permission", "type": ptype, "role": role}
    if ptype in ("user", "group"):
        email = body.get("emailAddress")
        if not email or "@" not in email:
            raise InvalidArgument(
                f"The permission emailAddress field is required for type {ptype}.",
                reason="required",
            )
        perm["emailAddress"] = email
        perm["id"] = _permission_id(email)
    elif ptype == "domain":
        domain = body.get("domain")
        if not domain:
            raise InvalidArgument(
                "The permission domain field is required for type domain.", reason="required"
            )
        perm["domain"] = domain
        perm["id"] = _permission_id("domain:" + domain)
        perm["allowFileDiscovery"] = bool(body.get("allowFileDiscovery", False))
    else:
        perm["id"] = "anyoneWithLink" if not body.get("allowFileDiscovery") else "anyone"
        perm["allowFileDiscovery"] = bool(body.get("allowFileDiscovery", False))
    perms = [p for p in record["permissions"] if p["id"] != perm["id"]]
    perms.append(perm)
    record["permissions"] = perms
    tx.put(KIND, file_id, record)
    return perm


def _permission_id(text: str) -> str:
    import hashlib

    return str(int(hashlib.sha256(text.lower().encode()).hexdigest()[:16], 16))


def list_permissions(tx: Transaction, file_id: str) -> list[dict[str, Any]]:
    return list(get_file(tx, file_id)["permissions"])


def delete_permission(tx: Transaction, file_id: str, permission_id: str) -> None:
    record = tx.get(KIND, file_id)
    if record is None:
        raise file_not_found(file_id)
    kept = [p for p in record["permissions"] if p["id"] != permission_id]
    if len(kept) == len(record["permissions"]):
        raise NotFound(f"Permission not found: {permission_id}.", reason="notFound")
    record["permissions"] = kept
    tx.put(KIND, file_id, record)
