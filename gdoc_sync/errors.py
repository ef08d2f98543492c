"""Every error gdoc-sync raises, and the exit code each one maps to."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Process exit codes; one per kind of failure a script may want to tell apart."""

    ok = 0
    error = 1
    usage = 2
    not_found = 3
    permission = 4
    conflict = 5
    mass_removal = 6
    quota = 7
    unavailable = 8
    auth = 9
    check_failed = 10
    edited_in_doc = 11


class GdocSyncError(Exception):
    """Base of every error gdoc-sync reports to its user."""

    exit_code = ExitCode.error


class UsageError(GdocSyncError):
    """The command was called with arguments that cannot work."""

    exit_code = ExitCode.usage


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with a template: where it is (file, line, column, field, or the --set
    KEY its value came from) and what is wrong, as data; str() is the line people read."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None  # the field's path in the template, like questions[1].text
    setting: str | None = None  # the --set KEY (or a batch CSV's column) that gave the value

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file
        if self.line is not None and self.setting is None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.setting is not None:
            where += f": --set {self.setting}"
        elif self.field is not None:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class TemplateError(GdocSyncError):
    """A session template is broken; `problems` says what and where, one entry each."""

    exit_code = ExitCode.usage

    def __init__(
        self, message: str | None = None, *, problems: Sequence[TemplateProblem] = ()
    ) -> None:
        self.problems = list(problems) or [TemplateProblem(message or "")]
        super().__init__("\n".join(str(p) for p in self.problems) if message is None else message)


class SessionError(GdocSyncError):
    """A Doc or Sheet is not (or no longer) a usable gdoc-sync session."""


class LocalFileError(GdocSyncError):
    """A file gdoc-sync keeps on this machine (journal, ledger) is unsafe to use."""


class MissingTab(SessionError):
    """The companion Sheet lacks a tab gdoc-sync reads (deleted: a renamed one is found)."""

    def __init__(self, message: str, tab: str) -> None:
        super().__init__(message)
        self.tab = tab


class ApiCallError(GdocSyncError):
    """A Google API (or the emulator) answered with an error that is not more specific.

    `status` is the HTTP status of the answer (None when nothing answered)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class InvalidRequest(ApiCallError):
    """A 400 for a reason gdoc-sync has no type of its own for: the request itself was refused."""


class AlreadyExists(ApiCallError):
    """What a request would add is there already: a tab of that name, a file with that id."""


class RangeNotFound(ApiCallError):
    """A range names a tab the spreadsheet does not have (or cannot be read as A1)."""


class GridLimitExceeded(ApiCallError):
    """A write reaches past the rows or columns a tab has."""


class NotFoundError(ApiCallError):
    """The document, spreadsheet or file does not exist or this account cannot see it."""

    exit_code = ExitCode.not_found


class AccessDeniedError(ApiCallError):
    """The account may not do this to that file."""

    exit_code = ExitCode.permission


class QuotaError(ApiCallError):
    """A quota was exceeded even after gdoc-sync's own retries."""

    exit_code = ExitCode.quota


class UnavailableError(ApiCallError):
    """The service did not answer usefully even after retries."""

    exit_code = ExitCode.unavailable


class ConflictError(GdocSyncError):
    """Someone kept changing the Doc while gdoc-sync tried to write; nothing was written."""

    exit_code = ExitCode.conflict


class RevisionMismatch(ConflictError):
    """The Doc changed after gdoc-sync read it; a write that required that revision was refused."""


class EditedInDocError(GdocSyncError):
    """People edited by hand what gdoc-sync published in the Doc; writing would discard it."""

    exit_code = ExitCode.edited_in_doc


class MassRemovalError(GdocSyncError):
    """A sync would mark too many contributions as removed; the Doc was probably damaged."""

    exit_code = ExitCode.mass_removal


class AuthError(GdocSyncError):
    """Credentials are missing, unreadable, unsafe or lack a scope."""

    exit_code = ExitCode.auth


def describe(exc: BaseException) -> str:
    """The one line an error is shown as: its message, then each note added on the way up
    (`exc.add_note(...)`), joined by '; '. Every place that shows an error to people uses this."""
    notes = [str(note) for note in getattr(exc, "__notes__", ()) if str(note).strip()]
    return "; ".join([str(exc), *notes])
