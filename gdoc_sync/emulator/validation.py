"""Every request checked against the discovery documents the client library ships: unknown
fields and query parameters, types and enum values, answered in Google's wording.

One validator serves Docs v1, Sheets v4 and Drive v3: it finds the method from the request's
HTTP method and path in the API's discovery document, then walks the body along the method's
request schema and the query along its parameters. What differs between the APIs is policy,
taken from Google's recorded answers and documentation:

- Docs and Sheets (gRPC transcoding): an unknown body field is 400 `Invalid JSON payload
  received. Unknown name "foo" at 'requests[0].insert_text': Cannot find field.`; an unknown
  query parameter is 400 `... Cannot bind query parameter ...`; an output-only field is ignored
  (google/api/field_behavior.proto: "the server must ignore it and must not throw an error").
- Drive v3 ignores unknown query parameters (gspread's recorded files.get carries
  `includeItemsFromAllDrives`, which files.get does not declare, and got 200) and answers 403
  `fieldNotWritable` to an output-only File field.

Booleans in the query are matched without case (Google accepted gspread's
`includeValuesInResponse=False`); JSON null is an absent field (gspread's recorded files.copy
sends `"name": null`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from gdoc_sync.emulator import fieldmask
from gdoc_sync.emulator.errors import ApiError, InvalidArgument

DOCUMENTS = {"docs": "docs.v1.json", "sheets": "sheets.v4.json", "drive": "drive.v3.json"}
PACKAGES = {
    "docs": "google.apps.docs.v1",
    "sheets": "google.apps.sheets.v4",
    "drive": "google.apps.drive.v3",
}
# The request field the HTTP body binds to, where it is not the whole request ("*"): it
# prefixes every path in an error (Google: "Invalid value at 'data.values' ..." for
# values.update, recorded by gspread's test_add_validation).
BODY_FIELDS = {
    "documents.create": "document",
    "spreadsheets.create": "spreadsheet",
    "spreadsheets.values.update": "data",
    "spreadsheets.values.append": "data",
}
# Drive answers 403 to an output-only field of these resources (files.create, update, copy).
NOT_WRITABLE = {"drive": frozenset({"File"})}
NOT_WRITABLE_MESSAGE = "The resource body includes fields which are not directly writable."

_SCALAR_TYPES: dict[tuple[str | None, str | None], str] = {
    ("integer", "int32"): "TYPE_INT32",
    ("integer", "uint32"): "TYPE_UINT32",
    ("integer", "int64"): "TYPE_INT64",
    ("integer", "uint64"): "TYPE_UINT64",
    ("string", "int64"): "TYPE_INT64",
    ("string", "uint64"): "TYPE_UINT64",
    ("number", "double"): "TYPE_DOUBLE",
    ("number", "float"): "TYPE_FLOAT",
    ("boolean", None): "TYPE_BOOL",
    ("string", None): "TYPE_STRING",
    ("string", "byte"): "TYPE_BYTES",
}
_INT_RANGES = {
    "int32": (-(2**31), 2**31 - 1),
    "uint32": (0, 2**32 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint64": (0, 2**64 - 1),
}
_INTEGER_TEXT = re.compile(r"^-?\d+$")
_SPECIAL_NUMBERS = frozenset({"NaN", "Infinity", "-Infinity"})
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@functools.cache
def discovery(api: str) -> dict[str, Any]:
    """The discovery document google-api-python-client ships for `api`."""
    # Read as googleapiclient reads it (`discovery_cache.get_static_doc`): importlib.resources
    # alone would add a few milliseconds to every process that starts the local backend.
    from googleapiclient.discovery_cache import get_static_doc

    name, version, _ = DOCUMENTS[api].split(".")
    text = get_static_doc(name, version)
    if text is None:
        raise RuntimeError(f"googleapiclient ships no discovery document {DOCUMENTS[api]}")
    return json.loads(text)


@functools.cache
def snake(name: str) -> str:
    """A JSON field name as Google's error paths spell it: insertText -> insert_text."""
    return _CAMEL.sub("_", name).lower()


@functools.cache
def _output_only_fields(api: str, ref: str) -> frozenset[str]:
    """The fields of a schema that the discovery document marks output-only."""
    properties = discovery(api)["schemas"].get(ref, {}).get("properties", {})
    return frozenset(
        key
        for key, prop in properties.items()
        if prop.get("readOnly") or prop.get("description", "").startswith("Output only")
    )


@dataclass(frozen=True)
class Method:
    """One operation of a discovery document, found from a request."""

    api: str
    id: str  # e.g. "spreadsheets.values.append"
    http_method: str
    regex: re.Pattern[str]
    parameters: dict[str, Any]
    request: str | None  # the body's schema name
    response: str | None = None  # the answer's schema name


def _compile_path(template: str) -> re.Pattern[str]:
    out = []
    for part in re.split(r"(\{\+?[A-Za-z_]+\})", template):
        if part.startswith("{"):
            name = part.strip("{}+")
            # A1 ranges and reserved expansions may hold '/' and ':'.
            out.append(".+" if name == "range" or part.startswith("{+") else "[^/]+")
        else:
            out.append(re.escape(part))
    return re.compile("^/" + "".join(out) + "$")


@functools.cache
def methods(api: str) -> tuple[Method, ...]:
    """Every method of an API, the most literal paths first so `files/generateIds` wins over
    `files/{fileId}`."""
    doc = discovery(api)
    found: list[tuple[int, Method]] = []

    def walk(resource: dict[str, Any]) -> None:
        for method in resource.get("methods", {}).values():
            template = doc.get("servicePath", "") + (method.get("flatPath") or method["path"])
            literal = len(re.sub(r"\{[^}]*\}", "", template))
            request = (method.get("request") or {}).get("$ref")
            response = (method.get("response") or {}).get("$ref")
            found.append(
                (
                    literal,
                    Method(
                        api,
                        method["id"].split(".", 1)[1],
                        method["httpMethod"],
                        _compile_path(template),
                        method.get("parameters", {}),
                        request,
                        response,
                    ),
                )
            )
        for child in resource.get("resources", {}).values():
            walk(child)

    walk(doc)
    found.sort(key=lambda pair: -pair[0])
    return tuple(method for _, method in found)


def find_method(api: str, http_method: str, path: str) -> Method | None:
    if api not in DOCUMENTS:
        return None
    for method in methods(api):
        if method.http_method == http_method and method.regex.match(path):
            return method
    return None


# -- errors ------------------------------------------------------------------------------------


class _Stop(Exception):
    """A value of the wrong type: Google's JSON parser stops at the first one."""


def _type_name(api: str, schema: dict[str, Any]) -> str:
    """How Google names the expected type in `Invalid value at 'x' (TYPE), value`."""
    ref = schema.get("$ref")
    if ref:
        return f"type.googleapis.com/{PACKAGES[api]}.{ref}"
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items") or {}
        if items.get("type") in ("array", "any"):
            inner = "ListValue" if items.get("type") == "array" else "Value"
            return f"type.googleapis.com/google.protobuf.{inner}"
        return _type_name(api, items)
    if kind == "object":
        return "type.googleapis.com/google.protobuf.Struct"
    if kind == "any":
        return "type.googleapis.com/google.protobuf.Value"
    if kind == "string" and "enum" in schema:
        return "TYPE_ENUM"
    fmt = schema.get("format")
    return _SCALAR_TYPES.get((kind, fmt)) or _SCALAR_TYPES.get((kind, None)) or "TYPE_STRING"


def _violation(field: str, message: str) -> dict[str, str]:
    return {"field": field, "description": message} if field else {"description": message}


def _bad_request(messages: list[tuple[str, str]], *, reason: str | None = None) -> ApiError:
    return InvalidArgument(
        "\n".join(message for _, message in messages),
        reason=reason,
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [_violation(f, m) for f, m in messages],
            }
        ],
    )


# -- the body ----------------------------------------------------------------------------------


class _Walk:
    """One body's check: collects unknown names, stops at the first value of a wrong type."""

    def __init__(self, api: str, schemas: dict[str, Any]) -> None:
        self.api = api
        self.schemas = schemas
        self.unknown: list[tuple[str, str]] = []
        self.not_writable: list[str] = []
        self.not_writable_in = NOT_WRITABLE.get(api, frozenset())

    def invalid(self, where: Any, schema: dict[str, Any], value: Any) -> _Stop:
        path = _render(where)
        shown = json.dumps(value, ensure_ascii=False)
        if len(shown) > 200:
            shown = shown[:200] + "..."
        message = f"Invalid value at '{path}' ({_type_name(self.api, schema)}), {shown}"
        self.unknown.append((path, message))
        return _Stop()

    def value(self, value: Any, schema: dict[str, Any], path: Any) -> None:
        if value is None:
            return
        ref = schema.get("$ref")
        if ref is not None:
            self.message(value, ref, path, schema)
            return
        kind = schema.get("type")
        if kind == "string":
            if type(value) is not str:
                fmt = schema.get("format")
                if fmt in ("int64", "uint64") and type(value) is int:
                    return
                raise self.invalid(path, schema, value)
            enum = schema.get("enum")
            if enum is not None and value not in enum:
                raise self.invalid(path, schema, value)
        elif kind == "array":
            if type(value) is not list:
                raise self.invalid(path, schema, value)
            items = schema.get("items") or {}
            kind = items.get("type")
            if kind == "any":
                return  # google.protobuf.Value: anything
            if kind == "array" and (items.get("items") or {}).get("type") == "any":
                # ListValue rows (ValueRange.values): each row must be a list; cells are Values.
                for i, row in enumerate(value):
                    if type(row) is not list and row is not None:
                        raise self.invalid((path, i), items, row)
                return
            for i, item in enumerate(value):
                self.value(item, items, (path, i))
        elif kind == "integer":
            self.integer(value, schema, path)
        elif kind == "number":
            t = type(value)
            if t is int or t is float:
                return
            if t is str and (value in _SPECIAL_NUMBERS or _is_number(value)):
                return
            raise self.invalid(path, schema, value)
        elif kind == "boolean":
            if type(value) is not bool:
                raise self.invalid(path, schema, value)
        elif kind == "object":
            if type(value) is not dict:
                raise self.invalid(path, schema, value)
            extra = schema.get("additionalProperties")
            if extra is not None:
                for key, item in value.items():
                    self.value(item, extra, (path, (key,)))
        # "any" and anything else: accepted as is

    def integer(self, value: Any, schema: dict[str, Any], path: Any) -> None:
        t = type(value)
        if t is int:
            number = value
        elif t is float and value.is_integer():
            number = int(value)
        elif t is str and _INTEGER_TEXT.match(value):
            number = int(value)
        else:
            raise self.invalid(path, schema, value)
        low, high = _INT_RANGES.get(schema.get("format") or "int32", _INT_RANGES["int64"])
        if not low <= number <= high:
            raise self.invalid(path, schema, value)

    def message(self, value: Any, ref: str, path: Any, schema: dict[str, Any]) -> None:
        if type(value) is not dict:
            raise self.invalid(path, schema, value)
        definition = self.schemas.get(ref) or {}
        properties = definition.get("properties")
        if properties is None:
            return
        drop = None
        output_only = _output_only_fields(self.api, ref)
        for key, item in value.items():
            prop = properties.get(key)
            if prop is None:
                shown = _render(path)
                where = f" at '{shown}'" if shown else ""
                self.unknown.append(
                    (
                        shown,
                        f'Invalid JSON payload received. Unknown name "{key}"{where}: '
                        "Cannot find field.",
                    )
                )
                continue
            if key in output_only:
                if ref in self.not_writable_in:
                    self.not_writable.append(key)
                    continue
                if self.api != "drive":
                    drop = [*(drop or []), key]  # ignored, as Google ignores it
                    continue
                # Drive marks inputs output-only too (Permission.emailAddress, which
                # permissions.create requires): outside File the mark is not trusted.
            if item is not None:
                child = (path, key)
                enum = prop.get("enum")
                if enum is not None and type(item) is str and item not in enum:
                    # Google names the enum type; the discovery document does not: the proto
                    # convention of an enum nested in its message stands in for it.
                    raise self.invalid(child, {"$ref": f"{ref}.{key[0].upper()}{key[1:]}"}, item)
                self.value(item, prop, child)
        for key in drop or ():
            del value[key]


def _render(path: Any) -> str:
    """A lazily built path, (parent, part) pairs down from a root string, as Google writes it:
    `requests[0].insert_text.location`. Built only for an error, so the walk stays cheap."""
    parts = []
    while type(path) is tuple:
        path, part = path
        parts.append(part)
    out = path
    for part in reversed(parts):
        if type(part) is int:
            out = f"{out}[{part}]"
        elif type(part) is tuple:
            out = f"{out}[{part[0]}]"
        else:
            out = f"{out}.{snake(part)}" if out else snake(part)
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_body(api: str, method: Method, body: Any) -> None:
    """Raise Google's error for a body that does not fit the method's request schema. Output-
    only fields that Google ignores are removed from body in place."""
    if method.request is None or body is None:
        return
    if type(body) is not dict:
        raise _bad_request(
            [
                (
                    "",
                    'Invalid JSON payload received. Unknown name "": '
                    "Root element must be a message.",
                )
            ]
        )
    walk = _Walk(api, discovery(api)["schemas"])
    prefix = BODY_FIELDS.get(method.id, "")
    try:
        walk.message(body, method.request, prefix, {"$ref": method.request})
    except _Stop:
        pass
    if walk.unknown:
        # Drive's answer also lists the error with reason "invalid" (recorded in
        # masbug/flysystem-google-drive-ext#104).
        raise _bad_request(walk.unknown, reason="invalid" if api == "drive" else None)
    if walk.not_writable:
        raise ApiError(NOT_WRITABLE_MESSAGE, code=403, reason="fieldNotWritable")


# -- the query ---------------------------------------------------------------------------------


def check_query(api: str, method: Method, query: dict[str, list[str]]) -> None:
    """Raise Google's error for an unknown query parameter (Docs, Sheets) or a value of the
    wrong type or outside its enum (all three)."""
    globals_ = discovery(api)["parameters"]
    problems: list[tuple[str, str]] = []
    for name, values in query.items():
        spec = method.parameters.get(name) or globals_.get(name)
        if spec is None:
            if api == "drive":
                continue
            problems.append(
                (
                    "",
                    f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query '
                    f"parameter. Field '{name}' could not be found in request message.",
                )
            )
            continue
        for value in values:
            if not _query_value_ok(spec, value):
                field = snake(name)
                kind = _type_name(api, spec)
                if kind == "TYPE_ENUM":
                    proto = name[0].upper() + name[1:]
                    kind = f"type.googleapis.com/{PACKAGES[api]}.{proto}"
                problems.append((field, f"Invalid value at '{field}' ({kind}), \"{value}\""))
    if problems:
        raise _bad_request(problems, reason="invalid" if api == "drive" else None)


def _query_value_ok(spec: dict[str, Any], value: str) -> bool:
    kind = spec.get("type")
    if kind == "boolean":
        return value.lower() in ("true", "false")
    if kind == "integer":
        return bool(_INTEGER_TEXT.match(value))
    if kind == "number":
        return _is_number(value)
    enum = spec.get("enum")
    return enum is None or value in enum


# Google's front end refuses a larger body before the API sees it (recorded in
# googleworkspace/dotnet-samples#23: "Request payload size exceeds the limit: 10485760 bytes.").
MAX_REQUEST_BYTES = 10 * 1024 * 1024


def check_size(api: str, size: int) -> None:
    """Refuse a request body over Google's payload limit (media uploads aside)."""
    if api in DOCUMENTS and size > MAX_REQUEST_BYTES:
        raise InvalidArgument(f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes.")


def check_fields(api: str, method: Method, query: dict[str, list[str]]) -> None:
    """Drive refuses a `fields` selection that names no field of the answer: 400 `Invalid field
    selection items` (recorded in googleworkspace/java-samples#1547, a v2 name asked of v3)."""
    if api != "drive" or method.response is None or not query.get("fields"):
        return
    try:
        mask = fieldmask.parse(query["fields"][0])
    except ValueError:
        mask = None
    bad = _unknown_selection(api, mask, {"$ref": method.response}) if mask else None
    if mask is None or bad:
        message = f"Invalid field selection {bad or query['fields'][0]}"
        raise InvalidArgument(message, reason="invalidParameter", location="fields")


def _unknown_selection(api: str, mask: Any, schema: dict[str, Any]) -> str | None:
    schemas = discovery(api)["schemas"]
    while True:
        if "$ref" in schema:
            schema = schemas.get(schema["$ref"], {})
        elif schema.get("type") == "array":
            schema = schema.get("items") or {}
        else:
            break
    properties = schema.get("properties")
    extra = schema.get("additionalProperties")
    for key, sub in mask.items():
        if key == "*":
            continue
        if properties is not None and key in properties:
            child = properties[key]
        elif extra is not None:
            child = extra
        else:
            return key
        if sub:
            bad = _unknown_selection(api, sub, child)
            if bad:
                return bad
    return None


def check(api: str, http_method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
    """Validate one request of `api` ("docs", "sheets", "drive"); other paths pass."""
    method = find_method(api, http_method, path)
    if method is None:
        return
    check_query(api, method, query)
    check_fields(api, method, query)
    check_body(api, method, body)
