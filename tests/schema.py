"""Validate JSON responses against the schemas of the discovery documents googleapiclient ships."""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from typing import Any

# The discovery documents google-api-python-client uses for static discovery.
DOCUMENTS = {"docs": "docs.v1.json", "sheets": "sheets.v4.json", "drive": "drive.v3.json"}

_INT64 = re.compile(r"^-?\d+$")
# RFC 3339, as Google writes timestamps: 2023-08-17T10:52:47.380Z or with an offset.
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPECIAL_NUMBERS = ("NaN", "Infinity", "-Infinity")


@functools.cache
def discovery(api: str) -> dict[str, Any]:
    """The discovery document of `api` ("docs", "sheets" or "drive")."""
    root = importlib.resources.files("googleapiclient.discovery_cache") / "documents"
    return json.loads((root / DOCUMENTS[api]).read_text(encoding="utf-8"))


def method(api: str, name: str) -> dict[str, Any]:
    """A method's description, by its dotted name, e.g. ("sheets", "spreadsheets.values.get")."""
    *resources, method_name = name.split(".")
    node: dict[str, Any] = discovery(api)
    for resource in resources:
        node = node["resources"][resource]
    return node["methods"][method_name]


def response_schema(api: str, name: str) -> str | None:
    """The schema name a method answers with, or None for methods with an empty answer."""
    response = method(api, name).get("response")
    return response["$ref"] if response else None


def validate(api: str, value: Any, schema: str | dict[str, Any], path: str = "$") -> list[str]:
    """Problems found in value against a schema (by name or inline), each prefixed by its path."""
    problems: list[str] = []
    name = schema if isinstance(schema, str) else schema.get("id", "object")
    _check(discovery(api)["schemas"], value, schema, path, name, problems)
    return problems


def validate_response(api: str, name: str, value: Any) -> list[str]:
    """Problems found in a method's response against the method's declared response schema."""
    schema = response_schema(api, name)
    if schema is None:
        return [] if value in (None, b"", "", {}) else [f"$: {name} declares no response body"]
    return validate(api, value, schema)


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return f"{type(value).__name__} {text[:60]}"


def _check(
    schemas: dict[str, Any],
    value: Any,
    schema: str | dict[str, Any],
    path: str,
    name: str,
    out: list[str],
) -> None:
    """Check value against schema; name is the schema's name (Schema.field for inline ones)."""
    if isinstance(schema, str):
        schema = {"$ref": schema}
    ref = schema.get("$ref")
    if ref is not None:
        if ref not in schemas:
            out.append(f"{path}: unknown schema {ref!r}")
            return
        schema, name = schemas[ref], ref
    kind = schema.get("type")
    fmt = schema.get("format")
    if kind == "any" or kind is None:
        return
    if kind == "object":
        if not isinstance(value, dict):
            out.append(f"{path}: expected object, got {_describe(value)}")
            return
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            child = f"{path}.{key}"
            if key in properties:
                _check(schemas, item, properties[key], child, f"{name}.{key}", out)
            elif extra is not None:
                _check(schemas, item, extra, child, f"{name}.*", out)
            else:
                out.append(f"{child}: not a field of {name}")
        return
    if kind == "array":
        if not isinstance(value, list):
            out.append(f"{path}: expected array, got {_describe(value)}")
            return
        for i, item in enumerate(value):
            _check(schemas, item, schema.get("items") or {}, f"{path}[{i}]", f"{name}[]", out)
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            out.append(f"{path}: expected boolean, got {_describe(value)}")
        return
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok and fmt in ("int64", "uint64") and isinstance(value, str):
            ok = bool(_INT64.match(value))
        if not ok:
            out.append(f"{path}: expected integer ({fmt}), got {_describe(value)}")
        return
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok and value in _SPECIAL_NUMBERS:
            ok = True
        if not ok:
            out.append(f"{path}: expected number, got {_describe(value)}")
        return
    if kind == "string":
        _check_string(schema, value, path, out)
        return
    out.append(f"{path}: schema type {kind!r} is not understood by the validator")


def _check_string(schema: dict[str, Any], value: Any, path: str, out: list[str]) -> None:
    fmt = schema.get("format")
    if not isinstance(value, str):
        what = "an int64 encoded as a string" if fmt in ("int64", "uint64") else "string"
        out.append(f"{path}: expected {what}, got {_describe(value)}")
        return
    enum = schema.get("enum")
    if enum is not None and value not in enum:
        out.append(f"{path}: {value!r} is not one of {', '.join(enum)}")
    if fmt in ("int64", "uint64") and not _INT64.match(value):
        out.append(f"{path}: expected a decimal int64 string, got {value!r}")
    elif fmt in ("date-time", "google-datetime") and not _DATETIME.match(value):
        out.append(f"{path}: expected an RFC 3339 timestamp, got {value!r}")
    elif fmt == "date" and not _DATE.match(value):
        out.append(f"{path}: expected a date YYYY-MM-DD, got {value!r}")
