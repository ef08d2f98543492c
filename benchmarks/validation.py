"""How long the emulator's request validator takes on large bodies (it runs on every request).

    python benchmarks/validation.py

Times `gdoc_sync.emulator.validation.check_body` alone, best of 5, on the largest bodies
gdoc-sync sends (a sync of 10,000 contributions) and larger ones, beside the time json.loads
takes to parse the same body (the validator's cost should stay of that order)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from gdoc_sync.emulator import validation


def _best(fn: Callable[[], Any], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _docs_batch(n: int) -> dict[str, Any]:
    text = "Investors: publish HRDD policies (Ana, CSO, online)\n"
    return {
        "requests": [{"insertText": {"location": {"index": 1 + i}, "text": text}} for i in range(n)]
        + [
            {
                "createNamedRange": {
                    "name": f"gdoc_sync:c:C{i:05}",
                    "range": {"startIndex": 1 + i, "endIndex": 2 + i},
                }
            }
            for i in range(n)
        ],
        "writeControl": {"requiredRevisionId": "r1"},
    }


def _values_batch(n: int) -> dict[str, Any]:
    return {
        "valueInputOption": "RAW",
        "data": [
            {
                "range": f"Contributions!A{i + 2}:N{i + 2}",
                "values": [[f"cell {j}" for j in range(14)]],
            }
            for i in range(n)
        ],
    }


def _update_cells(n: int) -> dict[str, Any]:
    cell = {
        "userEnteredValue": {"stringValue": "x"},
        "userEnteredFormat": {"textFormat": {"bold": True}},
    }
    return {
        "requests": [
            {
                "updateCells": {
                    "rows": [{"values": [cell] * 14} for _ in range(n)],
                    "fields": "userEnteredValue,userEnteredFormat",
                    "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                }
            }
        ]
    }


CASES = [
    (
        "docs",
        "POST",
        "/v1/documents/d:batchUpdate",
        "documents.batchUpdate, 10,000 contributions",
        _docs_batch(10_000),
    ),
    (
        "sheets",
        "POST",
        "/v4/spreadsheets/s/values:batchUpdate",
        "values.batchUpdate, 10,000 ranges of 14 cells",
        _values_batch(10_000),
    ),
    (
        "sheets",
        "POST",
        "/v4/spreadsheets/s:batchUpdate",
        "batchUpdate updateCells, 14,000 cells",
        _update_cells(1_000),
    ),
]


def main() -> None:
    print(f"{'body':<50} {'size':>9} {'json.loads':>11} {'validate':>10}")
    for api, verb, path, label, body in CASES:
        raw = json.dumps(body).encode()
        method = validation.find_method(api, verb, path)
        assert method is not None
        parse = _best(lambda raw=raw: json.loads(raw))
        check = _best(
            lambda method=method, body=body, api=api: validation.check_body(api, method, body)
        )
        print(f"{label:<50} {len(raw) / 1e6:>7.1f}MB {parse * 1000:>9.1f}ms {check * 1000:>8.1f}ms")


if __name__ == "__main__":
    main()
