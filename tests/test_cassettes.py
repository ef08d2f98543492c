"""Replay gspread's recorded Google traffic against the emulator and compare status and shape."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from conftest import FIXTURES, TRANSPORTS

from gdoc_sync.emulator.app import Emulator
from gdoc_sync.emulator.server import EmulatorServer
from gdoc_sync.google.transport import http_session, in_process_session

CASSETTES = sorted((FIXTURES / "google" / "gspread-cassettes").glob("*.json"))

# Recorded interactions the emulator cannot reproduce, by (cassette, interaction index).
SKIPPED: dict[tuple[str, int], str] = {
    (
        "ClientTest.test_access_private_spreadsheet.json",
        3,
    ): "403 on a private spreadsheet owned by another account: the emulator has one user, "
    "who may open every file",
}

# Differences already reported as emulator bugs: (detail prefix, the bug).
KNOWN_DIFFERENCES = {
    "$.error.errors: not in the recording": (
        "gdoc_sync/emulator/errors.py: Sheets v4 errors carry no Drive-style 'errors' list"
    ),
}

# Keys whose presence depends on the account, the data or the time, not on the API's shape.
VOLATILE_KEYS = frozenset(
    {
        "nextPageToken",  # present only when more results follow
        "incompleteSearch",  # Drive adds it to lists only sometimes
    }
)

# Keys holding the ids Google (or the emulator) chose: recorded ids are mapped to the new ones.
ID_KEYS = frozenset(
    {"id", "spreadsheetId", "sheetId", "documentId", "namedRangeId", "protectedRangeId"}
)


@dataclass
class Outcome:
    """What became of one recorded interaction."""

    where: str  # cassette#index METHOD path
    status: str  # "match", "mismatch" or "skipped"
    details: list[str] = field(default_factory=list)


class _Current:
    """A WSGI app forwarding to the emulator of the cassette being replayed: one server for all."""

    def __init__(self) -> None:
        self.emulator: Emulator | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        assert self.emulator is not None
        return self.emulator(environ, start_response)


@contextmanager
def _sessions(transport: str) -> Iterator[Callable[[Path], requests.Session]]:
    """Yields a factory: a session talking to a fresh emulator on data_dir, over transport."""
    if transport != "http":
        yield lambda data_dir: in_process_session(Emulator(data_dir))
        return
    current = _Current()
    with EmulatorServer(emulator=current) as server:  # type: ignore[arg-type]

        def fresh(data_dir: Path) -> requests.Session:
            current.emulator = Emulator(data_dir)
            return http_session(server.url)

        yield fresh


def _json(text: str | bytes | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def shape_differences(recorded: Any, actual: Any, path: str = "$") -> list[str]:
    """Where actual's shape differs from recorded's: dict keys recursively, JSON kinds of values."""
    if isinstance(recorded, dict) and isinstance(actual, dict):
        problems = []
        for key in sorted(recorded.keys() - actual.keys() - VOLATILE_KEYS):
            problems.append(f"{path}.{key}: missing (recorded {json.dumps(recorded[key])[:60]})")
        for key in sorted(actual.keys() - recorded.keys() - VOLATILE_KEYS):
            problems.append(
                f"{path}.{key}: not in the recording "
                f"(got {json.dumps(actual[key], ensure_ascii=False)[:60]})"
            )
        for key in sorted(recorded.keys() & actual.keys()):
            problems += shape_differences(recorded[key], actual[key], f"{path}.{key}")
        return problems
    if isinstance(recorded, list) and isinstance(actual, list):
        problems = []
        for i, (a, b) in enumerate(zip(recorded, actual, strict=False)):
            problems += shape_differences(a, b, f"{path}[{i}]")
        return problems
    if _kind(recorded) != _kind(actual):
        return [
            f"{path}: recorded {_kind(recorded)} {json.dumps(recorded)[:40]}, "
            f"got {_kind(actual)} {json.dumps(actual, ensure_ascii=False)[:40]}"
        ]
    return []


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "null")


class IdMap:
    """Recorded ids -> the ids the emulator chose, learnt from answers walked side by side."""

    def __init__(self) -> None:
        self.ids: dict[Any, Any] = {}

    def learn(self, recorded: Any, actual: Any) -> None:
        if isinstance(recorded, dict) and isinstance(actual, dict):
            for key in recorded.keys() & actual.keys():
                old, new = recorded[key], actual[key]
                if (
                    key in ID_KEYS
                    and type(old) is type(new)
                    and isinstance(old, str | int)
                    and old != new
                ):
                    self.ids.setdefault(old, new)
                else:
                    self.learn(old, new)
        elif isinstance(recorded, list) and isinstance(actual, list):
            for old, new in zip(recorded, actual, strict=False):
                self.learn(old, new)

    def text(self, value: str) -> str:
        for old, new in self.ids.items():
            if isinstance(old, str) and len(old) >= 10:
                value = value.replace(old, new)
        return value

    def body(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.body(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.body(v, key) for v in value]
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, int) and not isinstance(value, bool) and key.endswith("Id"):
            return self.ids.get(value, value)
        return value


def replay(cassette: Path, session: requests.Session) -> list[Outcome]:
    """Send every recorded request of one cassette and compare each answer with the recording."""
    outcomes: list[Outcome] = []
    ids = IdMap()
    interactions = json.loads(cassette.read_text(encoding="utf-8"))["interactions"]
    for index, interaction in enumerate(interactions):
        request, response = interaction["request"], interaction["response"]
        uri = ids.text(request["uri"])
        where = f"{cassette.name}#{index} {request['method']} {urlsplit(uri).path}"
        reason = SKIPPED.get((cassette.name, index))
        if reason is not None:
            outcomes.append(Outcome(where, "skipped", [reason]))
            continue
        headers = {"Content-Type": "application/json"} if request.get("body") else {}
        body = _json(request.get("body"))
        data = None
        if body is not None:
            data = json.dumps(ids.body(body), ensure_ascii=False).encode("utf-8")
        answer = session.request(request["method"], uri, data=data, headers=headers)
        recorded_status = response["status"]["code"]
        recorded_body = _json(response["body"]["string"])
        actual_body = _json(answer.content)
        details = []
        if answer.status_code != recorded_status:
            details.append(
                f"status {answer.status_code}, recorded {recorded_status}: {answer.text[:200]}"
            )
        else:
            details += shape_differences(recorded_body, actual_body)
        ids.learn(recorded_body, actual_body)
        outcomes.append(Outcome(where, "mismatch" if details else "match", details))
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("match", "mismatch", "skipped")}
    lines = [", ".join(f"{n} {s}" for s, n in counts.items())]
    for outcome in outcomes:
        if outcome.status != "match":
            lines.append(f"{outcome.status.upper()} {outcome.where}")
            lines += [f"    {d}" for d in outcome.details]
    return "\n".join(lines)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_cassettes_replay_with_googles_statuses_and_shapes(
    transport: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcomes: list[Outcome] = []
    with _sessions(transport) as fresh:
        for i, cassette in enumerate(CASSETTES):
            with fresh(tmp_path / str(i)) as session:
                outcomes += replay(cassette, session)
    report = summary(outcomes)
    with capsys.disabled():
        print(f"\ncassette replay over {transport}: {report.splitlines()[0]}")
    skipped = {o.where.split(" ")[0] for o in outcomes if o.status == "skipped"}
    assert skipped == {f"{name}#{index}" for name, index in SKIPPED}
    compared = [o for o in outcomes if o.status != "skipped"]
    matched = sum(o.status == "match" for o in compared)
    assert len(compared) > 250
    assert matched / len(compared) >= 0.95, report
    unknown = [
        f"{o.where}: {d}"
        for o in compared
        for d in o.details
        if not d.startswith(tuple(KNOWN_DIFFERENCES))
    ]
    assert not unknown, "\n".join(unknown)


def test_shape_comparison_reports_keys_and_kinds_not_values() -> None:
    recorded = {"a": 1, "b": [{"c": "x"}, {"c": "y"}], "gone": None, "nextPageToken": "t"}
    actual = {"a": 2, "b": [{"c": 3}], "new": {"d": 1}}
    assert shape_differences(recorded, actual) == [
        "$.gone: missing (recorded null)",
        '$.new: not in the recording (got {"d": 1})',
        '$.b[0].c: recorded string "x", got number 3',
    ]


def test_recorded_ids_are_mapped_to_the_emulators() -> None:
    ids = IdMap()
    ids.learn(
        {
            "spreadsheetId": "1recordedRecordedRecorded",
            "sheets": [{"properties": {"sheetId": 123, "title": "t"}}],
        },
        {
            "spreadsheetId": "1emulatorEmulatorEmulator",
            "sheets": [{"properties": {"sheetId": 456, "title": "t"}}],
        },
    )
    assert ids.text("/v4/spreadsheets/1recordedRecordedRecorded:batchUpdate") == (
        "/v4/spreadsheets/1emulatorEmulatorEmulator:batchUpdate"
    )
    assert ids.body({"requests": [{"deleteSheet": {"sheetId": 123}}], "rowCount": 123}) == {
        "requests": [{"deleteSheet": {"sheetId": 456}}],
        "rowCount": 123,
    }
