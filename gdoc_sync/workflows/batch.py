"""Whole events: one session per CSV row, validated first, paced under quotas, resumable."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gdoc_sync.core.model import EMAIL_ADDRESS, QUESTION_ID, Person, PolicyQuestion
from gdoc_sync.core.template import Template, load_template
from gdoc_sync.core.textsafe import csv_text
from gdoc_sync.errors import GdocSyncError, TemplateError, TemplateProblem, UsageError, describe
from gdoc_sync.google.api import GoogleApi
from gdoc_sync.local.outputs import check_output, replaceable, write_output
from gdoc_sync.workflows.create import CreatedSession, CreateOptions, create_session, session_id_for

REQUIRED = ("title", "date", "start", "timezone")
EMAIL_COLUMNS = {
    "moderator_email": "moderator",
    "online_moderator_email": "online_moderator",
    "rapporteur_email": "rapporteur",
}
KNOWN = (*REQUIRED, *EMAIL_COLUMNS, "questions")
RESULT_COLUMNS = (
    "line",
    "title",
    "date",
    "start",
    "timezone",
    "session_id",
    "status",
    "document_url",
    "spreadsheet_url",
    "document_id",
    "spreadsheet_id",
    "error",
)
# Statuses in the result CSV.
CREATED = "created"  # made by this run
RESUMED = "resumed"  # an earlier, interrupted run had made part of it; this run completed it
SKIPPED = "skipped"  # already complete: nothing to do
FAILED = "failed"
PENDING = "pending"  # not reached: the run stopped at an earlier failure
PLANNED = "planned"  # dry run


@dataclass
class BatchRow:
    """One valid CSV row: where it came from and the template it fills."""

    line: int
    template: Template
    session_id: str
    values: dict[str, str]


@dataclass
class RowOutcome:
    """What became of one row."""

    row: BatchRow
    status: str = PENDING
    created: CreatedSession | None = None
    error: str = ""

    def csv_row(self) -> dict[str, str]:
        c = self.created
        return {
            "line": str(self.row.line),
            "title": self.row.template.title,
            "date": self.row.values.get("date", ""),
            "start": self.row.values.get("start", ""),
            "timezone": self.row.values.get("timezone", ""),
            "session_id": self.row.session_id,
            "status": self.status,
            "document_url": c.document_url if c else "",
            "spreadsheet_url": c.spreadsheet_url if c else "",
            "document_id": c.document_id if c else "",
            "spreadsheet_id": c.spreadsheet_id if c else "",
            "error": self.error,
        }


@dataclass
class BatchProgress:
    """Reported once when the CSV is validated (done=0), then after every row."""

    done: int
    total: int
    outcome: RowOutcome | None = None


@dataclass
class BatchResult:
    """Every row's outcome, in CSV order."""

    outcomes: list[RowOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


# -- reading and validating the CSV --------------------------------------------------------------


def _parse_questions(text: str) -> tuple[tuple[PolicyQuestion, ...], str | None]:
    """`Q1: text | Q2: text` -> questions, or an error message."""
    out: list[PolicyQuestion] = []
    seen: set[str] = set()
    for part in text.split("|"):
        part = part.strip()
        if not part:
            continue
        qid, sep, qtext = part.partition(":")
        qid, qtext = qid.strip(), qtext.strip()
        if not sep or not qtext:
            return (), f'{part!r}: expected "ID: question text", like "Q1: What should change?"'
        if not QUESTION_ID.match(qid) or qid.lower() == "online":
            return (
                (),
                f'{qid!r} is not a valid question id (letters, digits, "-" and "_"; not "online")',
            )
        if qid.casefold() in seen:
            return (), f"duplicate question id {qid!r}"
        seen.add(qid.casefold())
        out.append(PolicyQuestion(id=qid, text=qtext))
    if not out:
        return (), 'no question found; write "Q1: text | Q2: text", or leave the cell empty'
    return tuple(out), None


def _with_people(template: Template, emails: dict[str, str]) -> Template:
    """The template with the role holders' e-mails (so create shares with them)."""
    roles = dict(template.roles)
    for role, email in emails.items():
        held = roles.get(role)
        roles[role] = dataclasses.replace(held, email=email) if held else Person(email, email)
    return dataclasses.replace(template, roles=roles)


@dataclass(frozen=True)
class _Problem:
    """One problem of the CSV: its line and column (0 when it has none), for listing them top
    to bottom, left to right, and the line people read."""

    line: int
    column: int
    text: str


@dataclass
class _CsvProblems:
    """What is wrong with a batch CSV, collected before anything is created. A problem found
    on many rows for the same column (an unknown template field, say) is reported once, with
    the lines it occurs on."""

    shown: str
    names: list[str]
    found: list[_Problem] = field(default_factory=list)
    by_column: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    by_template: dict[str, list[int]] = field(default_factory=dict)

    def at(self, line: int, text: str) -> None:
        self.found.append(_Problem(line, 0, f"{self.shown}:{line}: {text}"))

    def in_column(self, column: str, message: str, line: int) -> None:
        self.by_column.setdefault((column, message), []).append(line)

    def in_template(self, problem: TemplateProblem, line: int) -> None:
        self.by_template.setdefault(str(problem), []).append(line)

    def raise_any(self) -> None:
        """UsageError listing every problem, top to bottom, if there is one."""
        problems = list(self.found)
        for message, lines in self.by_template.items():
            also = f" (rows on lines {_lines(lines)})" if len(lines) > 1 else f" (line {lines[0]})"
            problems.append(_Problem(0, 0, f"{self.shown}: template problem{also}: {message}"))
        for (column, message), lines in self.by_column.items():
            index = [n.lower() for n in self.names].index(column.lower()) + 1
            also = f" (also on lines {_lines(lines[1:])})" if len(lines) > 1 else ""
            problems.append(
                _Problem(
                    lines[0],
                    index,
                    f'{self.shown}:{lines[0]}: column {index} "{column}": {message}{also}',
                )
            )
        if problems:
            problems.sort(key=lambda p: (p.line, p.column))
            raise UsageError("\n".join(p.text for p in problems))


def read_batch(csv_path: str | Path, template_name: str | Path) -> list[BatchRow]:
    """Every row of the CSV as a filled template; raises UsageError listing every problem, each
    as `FILE:LINE: column N "NAME": what is wrong`, before anything is created."""
    shown = str(csv_path)
    reader = csv.reader(io.StringIO(_read_text(Path(csv_path), shown), newline=""))
    names = _read_header(reader, shown)
    problems = _CsvProblems(shown, names)
    rows: list[BatchRow] = []
    seen_ids: dict[str, int] = {}
    for start, values in _read_values(reader, problems):
        row = _batch_row(start, values, template_name, problems)
        if row is None:
            continue
        if row.session_id in seen_ids:
            problems.at(
                start,
                f"the same session as line {seen_ids[row.session_id]} (same title and event: a "
                "session is its event and title): one row per session, each with its own title",
            )
            continue
        seen_ids[row.session_id] = start
        rows.append(row)
    problems.raise_any()
    if not rows:
        raise UsageError(f"{shown}: no sessions: the CSV has a header but no rows")
    return rows


def _read_text(path: Path, shown: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read the CSV: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{shown}: not UTF-8 text (save the CSV as UTF-8)") from exc


def _read_header(reader: Any, shown: str) -> list[str]:
    """The column names; every problem of the header line at once (UsageError)."""
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        raise UsageError(f"{shown}:1: {exc}") from exc
    if not any(h.strip() for h in header):
        raise UsageError(f"{shown}:1: the CSV is empty (the first line names the columns)")
    names = [h.strip() for h in header]
    lowered = [n.lower() for n in names]
    problems: list[str] = []
    # Role e-mail columns may be left out: a session can be shared later.
    missing = [need for need in REQUIRED if need not in lowered]
    if missing:
        problems.append(
            f"{shown}:1: missing column{'s' if len(missing) > 1 else ''} "
            + ", ".join(f'"{m}"' for m in missing)
            + f" (the header has: {', '.join(names)})"
        )
    for i, name in enumerate(names):
        if not name:
            problems.append(f"{shown}:1: column {i + 1} has no name")
        elif lowered.index(name.lower()) != i:
            problems.append(f'{shown}:1: column {i + 1} "{name}" appears twice')
    if problems:
        raise UsageError("\n".join(problems))
    return names


def _read_values(reader: Any, problems: _CsvProblems) -> Iterator[tuple[int, dict[str, str]]]:
    """(line the row starts on, its cells by column) for every row that is not blank; known
    columns by their lower-case name."""
    names = problems.names
    line = 1
    while True:
        start = line + 1
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.at(reader.line_num, str(exc))
            return
        line = reader.line_num
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(names):
            problems.at(
                start,
                f"{len(raw)} cells but the header names {len(names)} columns "
                "(a comma inside a value needs the value in double quotes)",
            )
            continue
        yield (
            start,
            {
                names[i].lower() if names[i].lower() in KNOWN else names[i]: raw[i].strip()
                for i in range(len(raw))
            },
        )


def _batch_row(
    start: int, values: dict[str, str], template_name: str | Path, problems: _CsvProblems
) -> BatchRow | None:
    """One row's session: the template filled with its cells, its questions and people; None
    (with its problems noted) when the row cannot make one."""
    lowered = [n.lower() for n in problems.names]
    for need in REQUIRED:
        if not values.get(need):
            problems.in_column(need, "must not be empty", start)
    emails: dict[str, str] = {}
    for column, role in EMAIL_COLUMNS.items():
        email = values.get(column, "")
        if email and not EMAIL_ADDRESS.match(email):
            problems.in_column(column, f"{email!r} is not an e-mail address", start)
        elif email:
            emails[role] = email
    questions: tuple[PolicyQuestion, ...] = ()
    if values.get("questions"):
        questions, error = _parse_questions(values["questions"])
        if error:
            problems.in_column("questions", error, start)
    overrides = {
        k: v for k, v in values.items() if v and k not in EMAIL_COLUMNS and k != "questions"
    }
    try:
        template = load_template(template_name, overrides)
    except TemplateError as exc:
        for problem in exc.problems:
            column = (problem.setting or "").strip()
            if column and column.lower() in lowered:
                # A value of this row's cell: said of the cell, not of the template.
                problems.in_column(column, problem.message, start)
            else:
                problems.in_template(problem, start)
        return None
    if questions:
        template = dataclasses.replace(template, questions=questions)
    if emails:
        template = _with_people(template, emails)
    return BatchRow(start, template, session_id_for(template), values)


def _lines(lines: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:10])
    return shown + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")


# -- creating -----------------------------------------------------------------------------------


def write_result(path: Path, outcomes: Sequence[RowOutcome]) -> None:
    """The result CSV, replaced whole each time so an interruption never leaves half a file
    (written through, once, to a FIFO, a device or standard output: see outputs)."""
    rows = [[o.csv_row()[column] for column in RESULT_COLUMNS] for o in outcomes]
    write_output(path, csv_text(RESULT_COLUMNS, rows))


def create_batch(
    api: GoogleApi | None,
    csv_path: str | Path,
    template_name: str | Path,
    *,
    options: CreateOptions | None = None,
    progress: Callable[[BatchProgress], None] = lambda _: None,
    result_csv: str | Path | None = None,
) -> BatchResult:
    """Create one session per CSV row, in order. The whole CSV is checked first: one bad row
    and nothing is created. Running it again after an interruption skips the sessions already
    made (create finds them by their Drive appProperties) and completes a half-made one.

    Pass an api with a RateLimiter (connect adds one for Google) to stay under the per-minute
    quotas; the result CSV is rewritten after every row, so it shows how far a run got."""
    options = options or CreateOptions()
    if options.new:
        raise UsageError(
            "--new cannot be used with --batch: a batch finds its sessions again by id"
        )
    if options.session_id:
        raise UsageError("a batch derives one session id per row; do not pass a session id")
    rows = read_batch(csv_path, template_name)
    outcomes = [RowOutcome(row) for row in rows]
    result = BatchResult(outcomes)
    target = Path(result_csv) if result_csv is not None else None
    if result_csv is not None:
        check_output(result_csv)  # a bad --result is refused before anything is created
    # A file is rewritten after every row; a stream (FIFO, device, stdout) gets it once, at the end.
    streaming = result_csv is not None and not replaceable(result_csv)

    def checkpoint(final: bool = False) -> None:
        if target is not None and (final or not streaming):
            write_result(target, outcomes)

    progress(BatchProgress(0, len(rows)))
    if options.dry_run:
        for done, outcome in enumerate(outcomes, start=1):
            outcome.created = create_session(None, outcome.row.template, options)
            outcome.status = PLANNED
            progress(BatchProgress(done, len(rows), outcome))
        return result
    assert api is not None
    checkpoint()
    for done, outcome in enumerate(outcomes, start=1):
        try:
            created = create_session(api, outcome.row.template, options)
        except GdocSyncError as exc:
            outcome.status, outcome.error = FAILED, describe(exc)
            checkpoint(final=True)
            progress(BatchProgress(done, len(rows), outcome))
            exc.add_note(
                f"stopped at line {outcome.row.line} ({outcome.row.template.title!r}) with "
                f"{done - 1} of {len(rows)} sessions done. Run the same command again to "
                "resume: sessions already made are skipped"
            )
            raise
        outcome.created = created
        if not created.found:
            outcome.status = CREATED
        else:
            outcome.status = RESUMED if created.wrote else SKIPPED
        checkpoint()
        progress(BatchProgress(done, len(rows), outcome))
    if streaming:
        checkpoint(final=True)
    return result


def summary(result: BatchResult) -> str:
    """One line for the end of a run."""
    parts = [
        f"{result.count(s)} {s}"
        for s in (CREATED, RESUMED, SKIPPED, FAILED, PENDING, PLANNED)
        if result.count(s)
    ]
    return f"{len(result.outcomes)} sessions: " + ", ".join(parts)


def result_rows(path: str | Path) -> list[dict[str, Any]]:
    """A result CSV read back (for scripts and tests)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
