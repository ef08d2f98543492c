"""Google's `fields` syntax, the one parser for it in the emulator: the partial-response
`fields` parameter of every API (`files(id,name)`, `sheets.properties,namedRanges`, `tabs`), and the
FieldMask of Sheets and Docs update requests (`userEnteredFormat(textFormat.bold),note`, `bold`)."""

from __future__ import annotations

from typing import Any

Mask = dict[str, "Mask | None"]


def parse(fields: str) -> Mask:
    """Parse `a,b(c,d/e),f/g` into a tree; a None leaf keeps the whole value. Sheets also
    accepts FieldMask dots (`sheets.properties.title`): the same as slashes."""
    fields = fields.replace(" ", "").replace(".", "/")
    mask, pos = _parse(fields, 0)
    if pos != len(fields):
        raise ValueError(f"Invalid field selection {fields}")
    return mask


def paths(fields: str) -> list[list[str]]:
    """The field paths a mask names, in the order first named: `a.b,c(d,e/f)` ->
    [["a", "b"], ["c", "d"], ["c", "e", "f"]]; `*` is the path ["*"]. A path inside one already
    named whole is dropped (`a,a.b` names ["a"] only). Raises ValueError for a malformed mask."""
    out: list[list[str]] = []

    def walk(mask: Mask, prefix: list[str]) -> None:
        for key, sub in mask.items():
            if sub is None:
                out.append([*prefix, key])
            else:
                walk(sub, [*prefix, key])

    walk(parse(fields), [])
    return out


def _parse(text: str, pos: int) -> tuple[Mask, int]:
    mask: Mask = {}
    while pos < len(text):
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = text[start:pos]
        if not path:
            raise ValueError(f"Invalid field selection {text}")
        sub: Mask | None = None
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse(text, pos + 1)
            if pos >= len(text) or text[pos] != ")":
                raise ValueError(f"Invalid field selection {text}")
            pos += 1
        _add(mask, path.split("/"), sub)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return mask, pos


def _add(mask: Mask, parts: list[str], sub: Mask | None) -> None:
    head, rest = parts[0], parts[1:]
    if not rest:
        existing = mask.get(head)
        if existing is not None and sub is not None:
            existing.update(sub)
        elif head not in mask or sub is None:
            mask[head] = sub if head not in mask else None
        return
    child = mask.get(head)
    if head in mask and child is None:
        return  # already selected whole
    if child is None:
        child = mask[head] = {}
    _add(child, rest, sub)


def apply(value: Any, mask: Mask | None) -> Any:
    if mask is None:
        return value
    if "*" in mask:
        return value
    if isinstance(value, list):
        return [apply(v, mask) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, sub in mask.items():
        if key in value:
            out[key] = apply(value[key], sub)
    return out
