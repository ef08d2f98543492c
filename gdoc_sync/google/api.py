"""Every Google call gdoc-sync makes, each one request, with retries, rate limiting and its
errors classified (google/errors.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError

from gdoc_sync.errors import GdocSyncError
from gdoc_sync.google.clients import Clients
from gdoc_sync.google.deferred_imports import classes_if_loaded
from gdoc_sync.google.errors import classify, is_connection_failure, status_of
from gdoc_sync.google.retry import RetryPolicy

if TYPE_CHECKING:  # the limiter (and its file lock) is only loaded for Google
    from gdoc_sync.google.ratelimit import RateLimiter

T = TypeVar("T")

DOC_MIME = "application/vnd.google-apps.document"
SHEET_MIME = "application/vnd.google-apps.spreadsheet"
SHEETS_BASE = "https://sheets.googleapis.com/v4/spreadsheets"
FILE_FIELDS = "id,name,mimeType,appProperties,webViewLink,parents,trashed,createdTime"


class GoogleApi:
    """The operations gdoc-sync needs, each one request, on whichever backend Clients speak to."""

    def __init__(
        self,
        clients: Clients,
        *,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.clients = clients
        if retry is None:
            retry = RetryPolicy()
            # A server that does not answer is given up on after about two read timeouts.
            retry.unreachable_after = 2 * clients.timeout
        self.retry = retry
        self.limiter = limiter

    # Each collection is built once, when first used (a command that only reads the Doc never
    # builds Drive's): building one makes every method of it.

    @functools.cached_property
    def _documents(self) -> Any:
        return self.clients.docs.documents()

    @functools.cached_property
    def _files(self) -> Any:
        return self.clients.drive.files()

    @functools.cached_property
    def _permissions(self) -> Any:
        return self.clients.drive.permissions()

    # -- the machinery ----------------------------------------------------------------------------

    def _run(
        self,
        what: str,
        fn: Callable[[], T],
        *,
        api: str,
        write: bool,
        retry_ambiguous: bool = True,
    ) -> T:
        def attempt() -> T:
            if self.limiter is not None:
                self.limiter.acquire(api, write)
            return fn()

        try:
            return self.retry.call(attempt, retry_ambiguous=retry_ambiguous, what=what)
        except (
            HttpError,
            RefreshError,
            TransportError,
            *classes_if_loaded("gspread.exceptions", "APIError"),  # when Sheets was used
        ) as exc:
            raise self._classify(exc, what) from exc
        except Exception as exc:
            if is_connection_failure(exc):
                raise self._classify(exc, what) from exc
            raise

    def _classify(self, exc: BaseException, what: str) -> GdocSyncError:
        clients = self.clients
        return classify(
            exc, what, account=clients.account, endpoint=clients.endpoint, hint=clients.hint
        )

    def _sheets(self, method: str, url: str, *, params: Any = None, json: Any = None) -> Any:
        response = self.clients.sheets.http_client.request(method, url, params=params, json=json)
        return response.json() if response.content else {}

    # -- Docs ---------------------------------------------------------------------------

    def get_document(
        self, document_id: str, *, tabs: bool = False, suggestions: str | None = None
    ) -> dict[str, Any]:
        """documents.get; tabs: every tab (includeTabsContent), suggestions: a view mode."""
        params: dict[str, Any] = {"documentId": document_id}
        if tabs:
            params["includeTabsContent"] = True
        if suggestions:
            params["suggestionsViewMode"] = suggestions
        return self._run(
            f"reading document {document_id}",
            lambda: self._documents.get(**params).execute(),
            api="docs",
            write=False,
        )

    def update_document(
        self,
        document_id: str,
        requests: list[dict[str, Any]],
        *,
        required_revision_id: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"requests": requests}
        if required_revision_id:
            body["writeControl"] = {"requiredRevisionId": required_revision_id}
        # A batchUpdate is retried only when it surely did not apply: with a required revision,
        # a repeat of an applied batch fails on the revision instead of applying twice.
        return self._run(
            f"writing document {document_id}",
            lambda: self._documents.batchUpdate(documentId=document_id, body=body).execute(),
            api="docs",
            write=True,
            retry_ambiguous=bool(required_revision_id),
        )

    # -- Sheets ------------------------------------------------------------------------------------

    def get_spreadsheet(
        self, spreadsheet_id: str, *, fields: str | None = None, ranges: list[str] | None = None
    ) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if fields:
            params["fields"] = fields
        if ranges:
            params["ranges"] = ranges
        return self._run(
            f"reading spreadsheet {spreadsheet_id}",
            lambda: self._sheets("get", f"{SHEETS_BASE}/{spreadsheet_id}", params=params),
            api="sheets",
            write=False,
        )

    def get_values(self, spreadsheet_id: str, ranges: list[str]) -> list[list[list[Any]]]:
        """The values of several ranges in one request, as FORMATTED_VALUE rows per range."""
        data = self._run(
            f"reading spreadsheet {spreadsheet_id}",
            lambda: self.clients.sheets.http_client.values_batch_get(
                spreadsheet_id, ranges, params={"valueRenderOption": "FORMATTED_VALUE"}
            ),
            api="sheets",
            write=False,
        )
        return [vr.get("values", []) for vr in data.get("valueRanges", [])]

    def update_values(self, spreadsheet_id: str, data: list[dict[str, Any]]) -> dict[str, Any]:
        """Write several ranges in one request, RAW: text from the Doc never becomes a formula."""
        body = {"valueInputOption": "RAW", "data": data}
        return self._run(
            f"writing spreadsheet {spreadsheet_id}",
            lambda: self.clients.sheets.http_client.values_batch_update(spreadsheet_id, body),
            api="sheets",
            write=True,
        )

    def update_spreadsheet(
        self, spreadsheet_id: str, requests: list[dict[str, Any]], *, idempotent: bool = True
    ) -> dict[str, Any]:
        """A Sheets batchUpdate; one that adds sheets is not idempotent, and is then not retried
        after an ambiguous failure (the next run finds what it did)."""
        return self._run(
            f"updating spreadsheet {spreadsheet_id}",
            lambda: self.clients.sheets.http_client.batch_update(
                spreadsheet_id, {"requests": requests}
            ),
            api="sheets",
            write=True,
            retry_ambiguous=idempotent,
        )

    # -- Drive -------------------------------------------------------------------------------------

    def generate_ids(self, count: int) -> list[str]:
        data = self._run(
            "reserving file ids",
            lambda: self._files.generateIds(count=count, space="drive", type="files").execute(),
            api="drive",
            write=False,
        )
        return list(data["ids"])

    def create_file(self, metadata: dict[str, Any]) -> dict[str, Any]:
        """Create a Drive file. With a reserved id in the metadata a repeat cannot make a second
        file: an earlier attempt that did land answers 409, and the file is read instead. Without
        an id, an ambiguous failure is not retried (the caller must look before trying again)."""
        file_id = metadata.get("id")

        def create() -> dict[str, Any]:
            try:
                return self._files.create(
                    body=metadata, fields=FILE_FIELDS, supportsAllDrives=True
                ).execute()
            except HttpError as exc:
                if file_id and status_of(exc) == 409:
                    return self._files.get(
                        fileId=file_id, fields=FILE_FIELDS, supportsAllDrives=True
                    ).execute()
                raise

        return self._run(
            f"creating {metadata.get('name')!r}",
            create,
            api="drive",
            write=True,
            retry_ambiguous=bool(file_id),
        )

    def find_files(self, query: str) -> list[dict[str, Any]]:
        files: list[dict[str, Any]] = []
        token: str | None = None
        while True:

            def list_page(page_token: str | None = token) -> dict[str, Any]:
                return self._files.list(
                    q=query,
                    fields=f"nextPageToken,files({FILE_FIELDS})",
                    pageSize=1000,
                    pageToken=page_token,
                    supportsAllDrives=True,
                    includeItemsFromAllDrives=True,
                ).execute()

            data = self._run("searching Drive", list_page, api="drive", write=False)
            files.extend(data.get("files", []))
            token = data.get("nextPageToken")
            if not token:
                return files

    def get_file(self, file_id: str) -> dict[str, Any]:
        return self._run(
            f"looking up file {file_id}",
            lambda: self._files.get(
                fileId=file_id, fields=FILE_FIELDS, supportsAllDrives=True
            ).execute(),
            api="drive",
            write=False,
        )

    def trash_file(self, file_id: str) -> None:
        """Move a file to the trash (recoverable for 30 days), never delete it outright."""
        self._run(
            f"trashing file {file_id}",
            lambda: self._files.update(
                fileId=file_id, body={"trashed": True}, supportsAllDrives=True
            ).execute(),
            api="drive",
            write=True,
        )

    def share(
        self,
        file_id: str,
        permission: dict[str, Any],
        *,
        notify: bool,
        message: str | None = None,
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"sendNotificationEmail": notify}
        if notify and message:
            kwargs["emailMessage"] = message
        # Creating the same permission twice leaves one permission, so retrying is safe.
        return self._run(
            f"sharing file {file_id} with {permission.get('emailAddress') or permission['type']}",
            lambda: self._permissions.create(
                fileId=file_id,
                body=permission,
                supportsAllDrives=True,
                fields="id,type,role,emailAddress,domain",
                **kwargs,
            ).execute(),
            api="drive",
            write=True,
        )

    def list_some_files(self, count: int = 1) -> list[dict[str, Any]]:
        """A few files this account can see (doctor's proof that Drive answers)."""
        data = self._run(
            "listing Drive files",
            lambda: self._files.list(pageSize=count, fields="files(id)").execute(),
            api="drive",
            write=False,
        )
        return list(data.get("files", []))

    def user_email(self) -> str | None:
        """Whom these credentials act as, from Drive's about.get (allowed by drive.file)."""
        data = self._run(
            "asking Drive who is logged in",
            lambda: self.clients.drive.about().get(fields="user(emailAddress)").execute(),
            api="drive",
            write=False,
        )
        return data.get("user", {}).get("emailAddress") or None

    def list_permissions(self, file_id: str) -> list[dict[str, Any]]:
        data = self._run(
            f"listing who can see file {file_id}",
            lambda: self._permissions.list(
                fileId=file_id,
                fields="permissions(id,type,role,emailAddress,domain)",
                supportsAllDrives=True,
            ).execute(),
            api="drive",
            write=False,
        )
        return list(data.get("permissions", []))
