"""The retry policy and the rate limiter, with injected clocks: nothing here sleeps."""

from __future__ import annotations

import json

import httplib2
import pytest
from googleapiclient.errors import HttpError

from gdoc_sync.google.ratelimit import RateLimiter
from gdoc_sync.google.retry import RetryPolicy, is_ambiguous, is_retryable


def http_error(status: int, reason: str | None = None, retry_after: str | None = None) -> HttpError:
    headers = {"status": str(status)}
    if retry_after is not None:
        headers["retry-after"] = retry_after
    body = {"error": {"code": status, "message": "boom", "errors": [{"reason": reason or "x"}]}}
    return HttpError(httplib2.Response(headers), json.dumps(body).encode())


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retries_transient_statuses(status: int) -> None:
    assert is_retryable(http_error(status))


@pytest.mark.parametrize("status", [400, 401, 404, 409])
def test_never_retries_other_client_errors(status: int) -> None:
    assert not is_retryable(http_error(status))


def test_403_retried_only_for_rate_limits() -> None:
    assert is_retryable(http_error(403, "rateLimitExceeded"))
    assert is_retryable(http_error(403, "userRateLimitExceeded"))
    assert not is_retryable(http_error(403, "forbidden"))


def test_dropped_connection_is_retryable_and_ambiguous() -> None:
    exc = ConnectionResetError("reset")
    assert is_retryable(exc) and is_ambiguous(exc)
    assert not is_ambiguous(http_error(429))


def test_backoff_honours_retry_after_and_gives_up_after_attempts() -> None:
    waits: list[float] = []
    policy = RetryPolicy(attempts=3, sleep=waits.append, rand=lambda: 1.0)
    calls = []

    def failing() -> None:
        calls.append(1)
        raise http_error(429, retry_after="7")

    with pytest.raises(HttpError):
        policy.call(failing)
    assert len(calls) == 3
    assert waits == [7.0, 7.0]


def test_full_jitter_grows_exponentially_and_is_capped() -> None:
    policy = RetryPolicy(initial=1.0, maximum=8.0, rand=lambda: 1.0)
    assert [policy.wait_for(n, None) for n in range(1, 6)] == [1.0, 2.0, 4.0, 8.0, 8.0]
    half = RetryPolicy(initial=1.0, maximum=8.0, rand=lambda: 0.5)
    assert half.wait_for(3, None) == 2.0


def test_total_time_cap_stops_retrying() -> None:
    waits: list[float] = []
    policy = RetryPolicy(
        attempts=100, total=10.0, sleep=waits.append, rand=lambda: 1.0, initial=4.0, maximum=4.0
    )
    with pytest.raises(HttpError):
        policy.call(lambda: (_ for _ in ()).throw(http_error(503)))
    assert sum(waits) >= 10.0 and sum(waits) < 16.0


def test_success_after_transient_failures() -> None:
    policy = RetryPolicy(sleep=lambda _: None)
    outcomes = [http_error(503), ConnectionResetError("x"), "ok"]

    def flaky() -> str:
        item = outcomes.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    assert policy.call(flaky) == "ok"


def test_ambiguous_failures_of_non_idempotent_writes_are_not_retried() -> None:
    policy = RetryPolicy(sleep=lambda _: None)
    calls = []

    def create() -> None:
        calls.append(1)
        raise http_error(500)

    with pytest.raises(HttpError):
        policy.call(create, retry_ambiguous=False)
    assert len(calls) == 1
    calls.clear()

    def rate_limited_then_ok() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise http_error(429)  # a 429 surely did not apply: safe to repeat
        return "created"

    assert policy.call(rate_limited_then_ok, retry_ambiguous=False) == "created"


def test_rate_limiter_keeps_under_quota_per_minute() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter({("sheets", True): 10}, clock=lambda: now[0], sleep=sleep, headroom=1.0)
    for _ in range(10):
        assert limiter.acquire("sheets", True) == 0.0
    waited = limiter.acquire("sheets", True)
    assert waited == pytest.approx(60.0)
    assert limiter.acquire("sheets", False) == 0.0  # reads have their own quota


def test_rate_limiter_default_headroom_stays_below_googles_quota() -> None:
    limiter = RateLimiter()
    assert limiter.quotas[("docs", True)] == 54
    assert limiter.quotas[("sheets", False)] == 54


def test_shared_limiter_counts_every_process_of_the_account(tmp_path) -> None:
    """Two limiters on one file (two processes: watch and finalize) share the quota."""
    import multiprocessing

    from gdoc_sync.google.ratelimit import SharedRateLimiter

    now = [1000.0]
    slept: list[float] = []

    def make() -> SharedRateLimiter:
        def sleep(seconds: float) -> None:
            slept.append(seconds)
            now[0] += seconds

        return SharedRateLimiter(
            tmp_path / "limits.json",
            {("docs", True): 4},
            clock=lambda: now[0],
            sleep=sleep,
            headroom=1.0,
        )

    watch, finalize = make(), make()
    for limiter in (watch, finalize, watch, finalize):
        assert limiter.acquire("docs", True) == 0.0
    assert finalize.acquire("docs", True) == pytest.approx(60.0)
    assert watch.acquire("docs", False) == 0.0  # no quota configured for reads here

    # And across real processes: 6 writes against a quota of 5 from two processes make one wait.
    path = tmp_path / "shared.json"
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(_spend_three, [str(path)] * 2)
    assert sum(1 for waited in results for w in waited if w > 0) == 1


def _spend_three(path: str) -> list[float]:
    from pathlib import Path

    from gdoc_sync.google.ratelimit import SharedRateLimiter

    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    limiter = SharedRateLimiter(
        Path(path),
        {("sheets", True): 5},
        clock=lambda: 5000.0 + clock[0],
        sleep=sleep,
        headroom=1.0,
    )
    return [limiter.acquire("sheets", True) for _ in range(3)]


# -- every retry is shown -------------------------------------------------------------------------


def test_every_retry_is_reported_with_what_attempt_wait_and_why(backend) -> None:
    from gdoc_sync.emulator.faults import Fault
    from gdoc_sync.google.api import SHEET_MIME
    from gdoc_sync.google.retry import RetryEvent, RetryReason

    events: list[RetryEvent] = []
    waits: list[float] = []
    api = backend.api(retry=RetryPolicy(sleep=waits.append, on_retry=events.append))
    sheet = api.create_file({"name": "Retries", "mimeType": SHEET_MIME})["id"]
    faults = backend.emulator.faults
    faults.add(Fault(status=503, method="GET", path=f"/v4/spreadsheets/{sheet}$", times=1))
    faults.add(Fault(status=429, retry_after=3, method="GET", path=f"/v4/spreadsheets/{sheet}$"))
    assert api.get_spreadsheet(sheet)["spreadsheetId"] == sheet
    what = f"reading spreadsheet {sheet}"
    assert [(e.what, e.attempt, e.reason, e.status) for e in events] == [
        (what, 1, RetryReason.SERVER, 503),
        (what, 2, RetryReason.QUOTA, 429),
    ]
    assert [e.wait for e in events] == waits and waits[1] == 3.0  # Retry-After is honoured
    assert events[1].describe() == (
        f"{what}: over the request quota (HTTP 429); trying again in 3.0 s (attempt 3 of 6)"
    )


def test_a_dropped_connection_is_reported_as_no_answer() -> None:
    from gdoc_sync.google.retry import RetryEvent, RetryReason

    events: list[RetryEvent] = []
    policy = RetryPolicy(sleep=lambda _: None, on_retry=events.append, rand=lambda: 0.5)
    outcomes: list[object] = [ConnectionRefusedError("refused"), "ok"]

    def flaky() -> object:
        item = outcomes.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    assert policy.call(flaky, what="searching Drive") == "ok"
    assert events == [
        RetryEvent("searching Drive", 1, 6, 0.5, RetryReason.NO_ANSWER, None, "connection refused")
    ]


def test_the_cli_prints_each_retry_against_emulator_serve(tmp_path) -> None:
    """A real `gdoc-sync sync` process against a real `emulator serve` process: Google answers
    503, then 429, to reading the Doc; the command says so, one stderr line each, and succeeds."""
    import subprocess
    import sys

    import requests
    from test_standalone_clients import _env, serve

    def gdoc_sync(host: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**_env(tmp_path), "GDOC_SYNC_EMULATOR_HOST": host,
               "GDOC_SYNC_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
        return subprocess.run(
            [sys.executable, "-m", "gdoc_sync", *args],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    with serve(tmp_path / "emulator", tmp_path) as url:
        host = url.removeprefix("http://")
        made = gdoc_sync(host, "create", "igf2025-ws354", "--no-notify", "--json")
        assert made.returncode == 0, made.stderr
        assert "retry:" not in made.stderr
        doc = json.loads(made.stdout)["document_id"]
        control = requests.Session()
        control.trust_env = False
        path = f"/v1/documents/{doc}$"
        control.post(f"{url}/_emulator/faults", json={"faults": [
            {"status": 503, "method": "GET", "path": path, "retry_after": 0.2, "times": 1},
            {"status": 429, "method": "GET", "path": path, "retry_after": 0.2, "times": 1},
        ]}).raise_for_status()  # fmt: skip
        synced = gdoc_sync(host, "sync", doc)
        fired = [f["fired"] for f in control.get(f"{url}/_emulator/faults").json()["faults"]]
    assert synced.returncode == 0, synced.stderr
    assert fired == [1, 1]
    retries = [line for line in synced.stderr.splitlines() if line.startswith("retry: ")]
    assert retries == [
        f"retry: reading document {doc}: the service failed (HTTP 503); trying again in 0.2 s "
        "(attempt 2 of 6)",
        f"retry: reading document {doc}: over the request quota (HTTP 429); trying again in "
        "0.2 s (attempt 3 of 6)",
    ]
    assert "error:" not in synced.stderr
