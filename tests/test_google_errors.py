"""The one classifier of Google's errors (google/errors.py), fed through the real clients.

The emulator answers either as it does for the request (its own wording of Google's errors) or,
for the recorded answers, with the recorded body verbatim (a Fault's `body`), so each error
reaches gdoc-sync the way it would from Google: through googleapiclient (Docs, Drive) or gspread
(Sheets), then GoogleApi. Each test asserts the typed error and its exit code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FIXTURES, Backend

from gdoc_sync.emulator.faults import Fault
from gdoc_sync.errors import (
    AccessDeniedError,
    AlreadyExists,
    ApiCallError,
    ExitCode,
    GridLimitExceeded,
    InvalidRequest,
    NotFoundError,
    QuotaError,
    RangeNotFound,
    RevisionMismatch,
    UnavailableError,
    describe,
)
from gdoc_sync.google.api import SHEET_MIME, GoogleApi
from gdoc_sync.google.retry import RetryPolicy

CASSETTES = FIXTURES / "google" / "gspread-cassettes"
SA_EMAIL = "gdoc-sync@workshop-test.iam.gserviceaccount.com"


def recorded(cassette: str, code: int) -> str:
    """The body of the first answer with this status in a recorded cassette."""
    data = json.loads((CASSETTES / cassette).read_text("utf-8"))
    for interaction in data["interactions"]:
        if interaction["response"]["status"]["code"] == code:
            return str(interaction["response"]["body"]["string"])
    raise AssertionError(f"{cassette} records no {code}")


def new_sheet(api: GoogleApi) -> str:
    return str(api.create_file({"name": "Errors", "mimeType": SHEET_MIME})["id"])


def answer_as_recorded(backend: Backend, status: int, body: str, path: str, **more: Any) -> None:
    backend.emulator.faults.add(Fault(action="error", status=status, body=body, path=path, **more))


# -- recorded answers -----------------------------------------------------------------------------


def test_recorded_404_not_found_is_not_found(backend: Backend, api: GoogleApi) -> None:
    sheet = new_sheet(api)
    body = recorded("ClientTest.test_access_non_existing_spreadsheet.json", 404)
    answer_as_recorded(backend, 404, body, f"/v4/spreadsheets/{sheet}$")
    with pytest.raises(NotFoundError) as caught:
        api.get_spreadsheet(sheet)
    err = caught.value
    assert err.exit_code == ExitCode.not_found and err.status == 404
    assert describe(err) == (
        f"reading spreadsheet {sheet}: not found, or this account cannot see it "
        "(Requested entity was not found.)"
    )


def test_recorded_403_is_access_denied(backend: Backend, api: GoogleApi) -> None:
    sheet = new_sheet(api)
    body = recorded("ClientTest.test_access_private_spreadsheet.json", 403)
    answer_as_recorded(backend, 403, body, f"/v4/spreadsheets/{sheet}$", times=2)
    with pytest.raises(AccessDeniedError) as caught:
        api.get_spreadsheet(sheet)
    assert caught.value.exit_code == ExitCode.permission
    assert "permission denied (The caller does not have permission)" in str(caught.value)
    # The same answer to a service account says what to share with whom.
    api.clients.account = SA_EMAIL
    with pytest.raises(AccessDeniedError) as shared:
        api.get_spreadsheet(sheet)
    assert (
        f"the Sheet is not shared with enough rights (editor) with the service account's "
        f"e-mail {SA_EMAIL}" in str(shared.value)
    )


def test_recorded_400_with_field_violations_is_an_invalid_request(
    backend: Backend, api: GoogleApi
) -> None:
    sheet = new_sheet(api)
    body = recorded("WorksheetTest.test_add_validation.json", 400)
    answer_as_recorded(backend, 400, body, "values:batchUpdate$")
    with pytest.raises(InvalidRequest) as caught:
        api.update_values(sheet, [{"range": "Sheet1!A1", "values": [["x"]]}])
    err = caught.value
    assert err.exit_code == ExitCode.error and err.status == 400
    assert not isinstance(err, AlreadyExists | RangeNotFound | GridLimitExceeded)
    assert "Invalid value at 'data.values'" in str(err)


def test_recorded_400_of_a_sheets_batch_update_is_an_invalid_request(
    backend: Backend, api: GoogleApi
) -> None:
    sheet = new_sheet(api)
    body = recorded("WorksheetTest.test_hide_show_worksheet.json", 400)
    answer_as_recorded(backend, 400, body, f"/v4/spreadsheets/{sheet}:batchUpdate$")
    with pytest.raises(InvalidRequest) as caught:
        api.update_spreadsheet(sheet, [{"updateSheetProperties": {"fields": "hidden"}}])
    assert "You can't hide all the sheets in a document." in str(caught.value)


# -- the typed errors, as the emulator words them ------------------------------------------------


def test_adding_a_tab_that_exists_is_already_exists(api: GoogleApi) -> None:
    sheet = new_sheet(api)
    add = [{"addSheet": {"properties": {"title": "Matrix"}}}]
    api.update_spreadsheet(sheet, add)
    with pytest.raises(AlreadyExists) as caught:
        api.update_spreadsheet(sheet, add)
    assert caught.value.exit_code == ExitCode.error and caught.value.status == 400
    assert 'A sheet with the name "Matrix" already exists' in str(caught.value)


def test_a_drive_conflict_is_already_exists(backend: Backend, api: GoogleApi) -> None:
    """Drive's 409 (reason `duplicate`), by its status, whatever the words."""
    backend.emulator.faults.add(
        Fault(action="error", status=409, reason="duplicate", message="Conflict.", method="POST",
              path="^/drive/v3/files$")
    )  # fmt: skip
    with pytest.raises(AlreadyExists):
        api.create_file({"name": "Twice", "mimeType": SHEET_MIME})


def test_reading_a_tab_that_is_not_there_is_range_not_found(api: GoogleApi) -> None:
    sheet = new_sheet(api)
    with pytest.raises(RangeNotFound) as caught:
        api.get_values(sheet, ["'No such tab'!A1:B2"])
    assert "Unable to parse range" in str(caught.value)


def test_writing_past_the_last_row_is_grid_limit_exceeded(api: GoogleApi) -> None:
    sheet = new_sheet(api)
    rows = api.get_spreadsheet(sheet)["sheets"][0]["properties"]["gridProperties"]["rowCount"]
    far = f"Sheet1!A{rows + 5}"
    with pytest.raises(GridLimitExceeded) as caught:
        api.update_values(sheet, [{"range": far, "values": [["too far"]]}])
    assert "exceeds grid limits" in str(caught.value)


def test_a_stale_required_revision_is_revision_mismatch(api: GoogleApi) -> None:
    doc = api.clients.docs.documents().create(body={"title": "Revisions"}).execute()
    first = api.get_document(doc["documentId"])["revisionId"]
    insert = [{"insertText": {"location": {"index": 1}, "text": "Hello"}}]
    api.update_document(doc["documentId"], insert, required_revision_id=first)
    with pytest.raises(RevisionMismatch) as caught:
        api.update_document(doc["documentId"], insert, required_revision_id=first)
    assert caught.value.exit_code == ExitCode.conflict
    assert "the document changed since it was read" in str(caught.value)
    text = json.dumps(api.get_document(doc["documentId"]))
    assert text.count("Hello") == 1  # the refused write changed nothing


# -- quota, outages and Cloud setup ----------------------------------------------------------------

QUOTA_429 = {
    "code": 429,
    "message": "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
    "minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:1234'.",
    "status": "RESOURCE_EXHAUSTED",
    "details": [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "service": "sheets.googleapis.com",
                "quota_limit": "WriteRequestsPerMinutePerUser",
                "quota_limit_value": "60",
            },
        }
    ],
}

DISABLED_403 = {
    "code": 403,
    "message": "Google Docs API has not been used in project 1234 before or it is disabled.",
    "status": "PERMISSION_DENIED",
    "details": [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {
                "consumer": "projects/1234",
                "service": "docs.googleapis.com",
                "serviceTitle": "Google Docs API",
            },
        }
    ],
}


def test_a_quota_that_outlasts_the_retries_names_the_quota(backend: Backend) -> None:
    waits: list[float] = []
    api = backend.api(retry=RetryPolicy(attempts=3, sleep=waits.append, rand=lambda: 0.0))
    sheet = new_sheet(api)
    body = json.dumps({"error": QUOTA_429})
    answer_as_recorded(backend, 429, body, "values:batchUpdate$", times=-1)
    with pytest.raises(QuotaError) as caught:
        api.update_values(sheet, [{"range": "Sheet1!A1", "values": [["x"]]}])
    assert caught.value.exit_code == ExitCode.quota
    assert "quota 'WriteRequestsPerMinutePerUser' of sheets.googleapis.com (limit 60)" in str(
        caught.value
    )
    assert len(waits) == 2  # three attempts, two waits


def test_an_api_not_enabled_names_the_project(backend: Backend, api: GoogleApi) -> None:
    body = json.dumps({"error": DISABLED_403})
    answer_as_recorded(backend, 403, body, "/v1/documents/")
    with pytest.raises(AccessDeniedError) as caught:
        api.get_document("1" * 44)
    assert "the Google Docs API (docs.googleapis.com) is not enabled in Cloud project 1234" in str(
        caught.value
    )


def test_a_server_error_after_the_retries_is_unavailable(backend: Backend) -> None:
    api = backend.api(retry=RetryPolicy(attempts=2, sleep=lambda _: None))
    backend.emulator.faults.add(Fault(action="error", status=503, path="/v1/documents/", times=-1))
    with pytest.raises(UnavailableError) as caught:
        api.get_document("1" * 44)
    assert caught.value.exit_code == ExitCode.unavailable and caught.value.status == 503


def test_every_typed_api_error_is_an_api_call_error_but_the_revision_conflict() -> None:
    for kind in (AlreadyExists, RangeNotFound, GridLimitExceeded, InvalidRequest):
        assert issubclass(kind, ApiCallError) and kind.exit_code == ExitCode.error
    assert RevisionMismatch.exit_code == ExitCode.conflict
