"""Session templates: TOML files describing one workshop session, loaded, filled and checked."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import tomllib
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

from gdoc_sync.core.groups import GroupMatcher, exact_forms, lookup_forms, normalize
from gdoc_sync.core.model import (
    EMAIL_ADDRESS,
    QUESTION_ID,
    Person,
    PolicyQuestion,
    SessionConfig,
    StakeholderGroup,
)
from gdoc_sync.errors import TemplateError, TemplateProblem
from gdoc_sync.locales import DEFAULT_LANGUAGE, LANGUAGES, VOCABULARY_KEYS

# The repo's templates/ folder; an installed package ships the same files as gdoc_sync/_templates.
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
PACKAGE_TEMPLATES = "_templates"

ROLE_NAMES = ("moderator", "online_moderator", "rapporteur")
ROLE_LABELS = {
    "moderator": "Moderator",
    "online_moderator": "Online moderator",
    "rapporteur": "Rapporteur",
}
SHARE_ROLES = ("reader", "commenter", "writer")

# Scalar session fields: each is also a placeholder, and `--set` may replace it.
SCALAR_FIELDS = (
    "title",
    "event",
    "location",
    "date",
    "start",
    "timezone",
    "format",
    "hybrid",
    "duration_minutes",
)
DERIVED_PLACEHOLDERS = ("end",)

_TOP_KEYS = (
    *SCALAR_FIELDS,
    "co_organizers",
    "organizers",
    "speakers",
    "roles",
    "share",
    "groups",
    "questions",
    "agenda",
    "intro",
    "instructions",
    "gender_report",
    "vars",
    "language",
    "vocabulary",
)
_PERSON_KEYS = ("name", "affiliation", "group", "email")
_ROLE_KEYS = ("name", "email")
_SHARE_KEYS = ("email", "role")
_GROUP_KEYS = ("key", "name", "aliases")
_QUESTION_KEYS = ("id", "text", "prompts")
_AGENDA_KEYS = ("time", "item")
_GENDER_KEYS = ("participants", "women_and_gender_diverse", "engagement", "summary")

# The right shape of each field that is not a plain string, shown when a field has the wrong
# one; TOML lines are separated by " / " to keep every message on one line.
_SHAPES = {
    "groups": '[[groups]] / key = "cso" / name = "Civil society" / aliases = ["CSOs", "NGOs"]',
    "questions": '[[questions]] / id = "Q1" / text = "What should investors do?"',
    "organizers": '[[organizers]] / name = "Amara Okafor" / affiliation = "Example Foundation"',
    "speakers": '[[speakers]] / name = "Amara Okafor" / affiliation = "Example Foundation"',
    "share": '[[share]] / email = "ana@example.org" / role = "commenter"',
    "agenda": '[[agenda]] / time = "11:45" / item = "Opening remarks"',
    "roles": '[roles.moderator] / name = "Ana Lima" / email = "ana@example.org"',
    "gender_report": "[gender_report] / participants = 40 / women_and_gender_diverse = 22",
    "vars": '[vars] / venue = "Room 4"',
    "aliases": 'aliases = ["CSOs", "NGOs"]',
    "prompts": 'prompts = ["Who should act first?"]',
    "co_organizers": 'co_organizers = ["Example Foundation", "Another Org"]',
    "hybrid": "hybrid = true",
    "duration_minutes": "duration_minutes = 90",
    "participants": "participants = 40",
    "email": 'email = "ana@example.org"',
    "timezone": 'timezone = "Europe/Oslo"',
    "role": 'role = "commenter"',
    "id": 'id = "Q1"',
    "key": 'key = "cso"',
    "women_and_gender_diverse": "women_and_gender_diverse = 22",
}


_SHAPE_MARK = "; write it like: "


def _shape(key: str) -> str:
    """ ", like: <example>" for a field with a known shape, else a generic string example."""
    if key in ROLE_NAMES:
        example = f'[roles.{key}] / name = "Ana Lima" / email = "ana@example.org"'
    else:
        example = _SHAPES.get(key) or f'{key} = "some text"'
    return f"{_SHAPE_MARK}{example}"


# Limits: far above any real session, low enough that a hostile file fails fast and clearly.
MAX_TEMPLATE_BYTES = 1_000_000
MAX_NESTING = 16  # arrays and inline tables inside each other
MAX_ENTRIES = {"groups": 100, "questions": 100, "aliases": 100}
MAX_OTHER_ENTRIES = 1_000  # speakers, organizers, agenda, share, prompts, co_organizers
MAX_LABEL_CHARS = 200  # a group's key, name or alias: what moderators type before the colon
MAX_TEXT_CHARS = 20_000  # any other text, placeholders filled

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_GROUP_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_TIME = re.compile(r"(\d{1,2}):(\d{2})\Z")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TOML_POS = re.compile(r"^(.*) \(at (?:line (\d+), column (\d+)|end of document)\)$", re.S)


@dataclass(frozen=True)
class AgendaItem:
    """One line of the session's agenda."""

    item: str
    time: str = ""


@dataclass(frozen=True)
class ShareEntry:
    """Someone the new Doc and Sheet are shared with, and as what (a Drive role)."""

    email: str
    role: str = "writer"


@dataclass(frozen=True)
class GenderReport:
    """The IGF gender report card's answers, if the template already knows them."""

    participants: int | None = None
    women_and_gender_diverse: int | None = None
    engagement: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Template:
    """A loaded session template, placeholders filled: everything needed to create the session."""

    name: str
    source: str
    title: str
    groups: tuple[StakeholderGroup, ...]
    questions: tuple[PolicyQuestion, ...]
    event: str = ""
    location: str = ""
    date: dt.date | None = None
    start: dt.time | None = None
    timezone: str = ""
    format: str = ""
    hybrid: bool = False
    duration_minutes: int | None = None
    co_organizers: tuple[str, ...] = ()
    organizers: tuple[Person, ...] = ()
    speakers: tuple[Person, ...] = ()
    roles: Mapping[str, Person] = field(default_factory=dict)
    share: tuple[ShareEntry, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    intro: str = ""
    instructions: str = ""
    gender_report: GenderReport | None = None
    placeholders: Mapping[str, str] = field(default_factory=dict)
    language: str = DEFAULT_LANGUAGE  # BCP 47: the moderators' words (and, later, fixed texts)
    vocabulary: Mapping[str, Any] = field(default_factory=dict)  # [vocabulary]: extra words

    @property
    def starts_at(self) -> dt.datetime | None:
        """The session's start as an aware datetime, when date, start and timezone are known."""
        if self.date is None or self.start is None or not self.timezone:
            return None
        return dt.datetime.combine(self.date, self.start, zoneinfo.ZoneInfo(self.timezone))

    @property
    def ends_at(self) -> dt.datetime | None:
        start = self.starts_at
        if start is None or self.duration_minutes is None:
            return None
        return start + dt.timedelta(minutes=self.duration_minutes)

    def to_session_config(self, session_id: str) -> SessionConfig:
        """What later commands need of this template; facts hold plain JSON values."""
        facts: dict[str, Any] = {"template": self.name}
        if self.language != DEFAULT_LANGUAGE:
            facts["language"] = self.language
        if self.vocabulary:
            facts["vocabulary"] = {k: v for k, v in self.vocabulary.items()}
        for key in ("event", "location", "timezone", "format"):
            if getattr(self, key):
                facts[key] = getattr(self, key)
        if self.date is not None:
            facts["date"] = self.date.isoformat()
        if self.start is not None:
            facts["start"] = self.start.strftime("%H:%M")
        if "end" in self.placeholders:
            facts["end"] = self.placeholders["end"]
        if self.duration_minutes is not None:
            facts["duration_minutes"] = self.duration_minutes
        if self.co_organizers:
            facts["co_organizers"] = list(self.co_organizers)
        if self.organizers:
            facts["organizers"] = [_person_dict(p) for p in self.organizers]
        if self.speakers:
            facts["speakers"] = [_person_dict(p) for p in self.speakers]
        if self.roles:
            facts["roles"] = {role: _person_dict(p) for role, p in self.roles.items()}
        if self.agenda:
            facts["agenda"] = [
                {"time": a.time, "item": a.item} if a.time else {"item": a.item}
                for a in self.agenda
            ]
        if self.gender_report is not None:
            g = self.gender_report
            facts["gender_report"] = {
                k: v
                for k, v in (
                    ("participants", g.participants),
                    ("women_and_gender_diverse", g.women_and_gender_diverse),
                    ("engagement", g.engagement),
                    ("summary", g.summary),
                )
                if v not in (None, "")
            }
        return SessionConfig(
            session_id=session_id,
            title=self.title,
            groups=self.groups,
            questions=self.questions,
            hybrid=self.hybrid,
            facts=facts,
        )


def _person_dict(p: Person) -> dict[str, str]:
    return {
        k: v
        for k, v in (
            ("name", p.name),
            ("affiliation", p.affiliation),
            ("group", p.group),
            ("email", p.email),
        )
        if v
    }


# --- finding templates ---------------------------------------------------------------------


def _shipped() -> dict[str, Traversable]:
    # Installed, the package's parent is site-packages, where any "templates" folder is not ours.
    if TEMPLATES_DIR.is_dir() and (TEMPLATES_DIR.parent / "pyproject.toml").is_file():
        folder: Traversable = TEMPLATES_DIR
    else:
        import importlib.resources  # only installed, where the repo's folder is not beside it

        folder = importlib.resources.files("gdoc_sync") / PACKAGE_TEMPLATES
        if not folder.is_dir():
            return {}
    return {
        entry.name[: -len(".toml")]: entry
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and entry.is_file()
    }


def _display(path: Traversable) -> str:
    if isinstance(path, Path):
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)
    return str(path)


def _resolve(source: str | Path) -> tuple[str, str, Traversable]:
    """Return (name, shown path, file) for a shipped template name or a path."""
    if isinstance(source, Path) or "/" in source or "\\" in source or source.endswith(".toml"):
        path = Path(source)
        if path.is_dir():
            raise TemplateError(f"{source} is a folder; give a template file (.toml)")
        if not path.is_file():
            raise TemplateError(
                problems=[TemplateProblem("no such template file", file=str(source))]
            )
        return path.stem, str(source), path
    shipped = _shipped()
    if source not in shipped:
        guess = difflib.get_close_matches(source, list(shipped), n=1)
        hint = f' (did you mean "{guess[0]}"?)' if guess else ""
        names = ", ".join(shipped) or "none"
        raise TemplateError(f'no shipped template named "{source}"{hint}; shipped: {names}')
    return source, _display(shipped[source]), shipped[source]


def list_templates() -> list[tuple[str, str]]:
    """(name, title) of every shipped template, by name; a broken one shows its raw title."""
    result = []
    for name, entry in _shipped().items():
        try:
            title = load_template(name).title
        except TemplateError:
            try:
                raw = tomllib.loads(entry.read_bytes().decode("utf-8-sig")).get("title")
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                raw = None
            title = raw if isinstance(raw, str) else ""
        result.append((name, title))
    return result


def load_template(source: str | Path, overrides: Mapping[str, str] | None = None) -> Template:
    """Load a shipped template (by name) or a template file (by path), with `--set` overrides.

    Raises TemplateError listing every problem, one per line, each naming file, line and field.
    """
    name, shown, entry = _resolve(source)
    template, problems = _load(name, shown, _read(shown, entry), overrides or {})
    if problems or template is None:
        raise TemplateError(problems=problems)
    return template


def validate_template(path: str | Path, overrides: Mapping[str, str] | None = None) -> list[str]:
    """Every problem of a template (name or path), one message each; empty when it is fine."""
    try:
        name, shown, entry = _resolve(path)
        raw = _read(shown, entry)
    except TemplateError as exc:
        return [str(exc)]
    return [str(p) for p in _load(name, shown, raw, overrides or {})[1]]


def _read(shown: str, entry: Traversable) -> bytes:
    try:
        return entry.read_bytes()
    except OSError as exc:
        raise TemplateError(
            problems=[
                TemplateProblem(f"cannot read the template: {exc.strerror or exc}", file=shown)
            ]
        ) from exc


def _load(
    name: str, shown: str, raw: bytes, overrides: Mapping[str, str]
) -> tuple[Template | None, list[TemplateProblem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        return None, [TemplateProblem("invalid TOML: not UTF-8 text", shown, line, col)]
    if len(raw) > MAX_TEMPLATE_BYTES:
        return None, [
            TemplateProblem(
                f"the file is {len(raw):,} bytes; a template may have at most "
                f"{MAX_TEMPLATE_BYTES:,}",
                shown,
            )
        ]
    deep = _too_deep(text)
    if deep is not None:
        line, col = deep
        return None, [
            TemplateProblem(
                f"arrays or inline tables nested more than {MAX_NESTING} deep", shown, line, col
            )
        ]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_syntax_error(shown, text, str(exc))]
    except RecursionError:  # a shape _too_deep did not foresee: still one clean line
        return None, [
            TemplateProblem(f"nested too deeply to read (more than {MAX_NESTING} levels)", shown)
        ]
    parser = _Parser(name, shown, text, overrides)
    template = parser.parse(data)
    return (template if not parser.problems else None), parser.located()


def _too_deep(text: str) -> tuple[int, int] | None:
    """(line, column) where arrays or inline tables nest more than MAX_NESTING deep, if they do.

    tomllib parses nesting by recursion: 5,000 levels are a RecursionError, not a TOML error. A
    linear scan that skips strings and comments finds it first."""
    depth = 0
    line, line_start = 1, 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line, line_start = line + 1, i + 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            escapes = c == '"'  # basic strings have backslash escapes, literal ones do not
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if len(quote) == 1 and text[j] == "\n":
                    break  # an unclosed one-line string: tomllib will say so
                j += 2 if escapes and text[j] == "\\" else 1
            skipped = text[i:j]
            if "\n" in skipped:
                line += skipped.count("\n")
                line_start = i + skipped.rfind("\n") + 1
            i = j + (len(quote) if text.startswith(quote, j) else 0)
            continue
        elif c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line, i - line_start + 1
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _syntax_error(shown: str, text: str, message: str) -> TemplateProblem:
    m = _TOML_POS.match(message)
    if not m:
        return TemplateProblem(f"invalid TOML: {message}", shown)
    if m.group(2):
        line, col = int(m.group(2)), int(m.group(3))
    else:
        lines = text.split("\n")
        line, col = len(lines), len(lines[-1]) + 1
    return TemplateProblem(f"invalid TOML: {m.group(1)}", shown, line, col)


# --- where keys are, for messages --------------------------------------------------------------

_KEY_LINE = re.compile(
    r"""\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=(.*)"""
)
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_-]+)\s*=")
_LAST_SEGMENT = re.compile(r"(.*?)(?:\.[^.\[\]]+|\[\d+\])\Z")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _key_lines(text: str) -> dict[str, int]:
    """Map field paths (questions[1].text) to the line defining them; a cheap scan, not a parser."""
    lines: dict[str, int] = {}
    table = ""
    counts: dict[str, int] = {}
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            header = stripped[2:].split("]]", 1)[0].strip()
            index = counts.get(header, 0) + 1  # positions count from 1, as people count
            counts[header] = index
            table = f"{header}[{index}]"
            lines.setdefault(header, number)
            lines.setdefault(table, number)
            continue
        if stripped.startswith("["):
            table = stripped[1:].split("]", 1)[0].strip()
            lines.setdefault(table, number)
            continue
        m = _KEY_LINE.match(line)
        if not m:
            continue
        path = table
        for key in re.split(r"\s*\.\s*", m.group(1)):
            path = _join(path, key.strip("\"'"))
            lines.setdefault(path, number)
        rest = m.group(2)
        for key in _INLINE_KEY.findall(rest):
            lines.setdefault(_join(path, key), number)
        for quote in ('"""', "'''"):
            if rest.count(quote) % 2:
                in_string = quote
                break
    return lines


def _line_for(path: str, lines: Mapping[str, int]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        m = _LAST_SEGMENT.match(path)
        if not m:
            return None
        path = m.group(1)
    return None


# --- checking and building ---------------------------------------------------------------------


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 60 else shown[:56] + '..."'
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return type(value).__name__


def _suggest(word: str, choices: Iterable[str]) -> str:
    guess = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{guess[0]}"?)' if guess else ""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _parse_bool(text: str) -> bool | str:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    return text


class _TooLong(Exception):
    """A text outgrew MAX_TEXT_CHARS while its placeholders were filled."""


class _Parser:
    """Checks raw TOML data field by field, collecting every problem instead of stopping."""

    def __init__(self, name: str, shown: str, text: str, overrides: Mapping[str, str]) -> None:
        self.name = name
        self.shown = shown
        self.lines = _key_lines(text)
        self.overrides = dict(overrides)
        self.problems: list[tuple[str, str]] = []
        self.from_set: dict[str, str] = {}  # field path -> override key that set it
        self.extra: dict[str, str] = {}  # overrides that name no field: plain placeholder values

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def located(self) -> list[TemplateProblem]:
        """Every problem with where it is: the field's line, or the --set KEY that gave it."""
        located = []
        for path, message in self.problems:
            if path in self.from_set:
                message = message.split(_SHAPE_MARK)[0]  # a TOML example does not fit --set
                problem = TemplateProblem(
                    message, self.shown, field=path, setting=self.from_set[path]
                )
            elif path.startswith("--set "):
                problem = TemplateProblem(message, self.shown, setting=path[len("--set ") :])
            else:
                line = _line_for(path, self.lines)
                problem = TemplateProblem(message, self.shown, line, field=path)
            located.append(problem)
        # Top to bottom as in the file; those without a line (missing, --set) come first.
        return sorted(located, key=lambda p: p.line or 0)

    def has_problem(self, *paths: str) -> bool:
        return any(path in paths for path, _ in self.problems)

    # typed access: each returns None (after noting a problem) when the value is unusable

    def known_keys(self, table: Mapping[str, Any], path: str, known: tuple[str, ...]) -> None:
        for key in table:
            if key not in known:
                self.add(_join(path, key), f"unknown field{_suggest(key, known)}")

    def table(self, parent: Mapping[str, Any], key: str, path: str) -> dict[str, Any] | None:
        where = _join(path, key)
        if key not in parent:
            return None
        value = parent[key]
        if not isinstance(value, dict):
            self.add(where, f"expected a table, got {_describe(value)}{_shape(key)}")
            return None
        return value

    def text(
        self, parent: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> str | None:
        where = _join(path, key)
        if key not in parent:
            if required:
                self.add(where, "missing required field")
            return None
        value = parent[key]
        if not isinstance(value, str):
            self.add(where, f"expected a string, got {_describe(value)}{_shape(key)}")
            return None
        if not self.short_enough(where, value, MAX_TEXT_CHARS):
            return None
        if required and not value.strip():
            self.add(where, "must not be empty")
            return None
        return value

    def short_enough(self, where: str, value: str, limit: int) -> bool:
        if len(value) <= limit:
            return True
        self.add(where, f"is {len(value):,} characters long; at most {limit:,}")
        return False

    def not_too_many(self, where: str, key: str, value: list[Any]) -> bool:
        limit = MAX_ENTRIES.get(key, MAX_OTHER_ENTRIES)
        if len(value) <= limit:
            return True
        self.add(f"{where}[{limit + 1}]", f"more than {limit} entries in {key} (the limit)")
        return False

    def strings(self, parent: Mapping[str, Any], key: str, path: str) -> list[str]:
        where = _join(path, key)
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.add(where, f"expected an array of strings, got {_describe(value)}{_shape(key)}")
            return []
        if not self.not_too_many(where, key, value):
            return []
        limit = MAX_LABEL_CHARS if key == "aliases" else MAX_TEXT_CHARS
        out = []
        for i, item in enumerate(value, 1):
            if isinstance(item, str) and not self.short_enough(f"{where}[{i}]", item, limit):
                continue
            if not isinstance(item, str):
                self.add(f"{where}[{i}]", f"expected a string, got {_describe(item)}")
            elif not item.strip():
                self.add(f"{where}[{i}]", "must not be empty")
            else:
                out.append(item)
        return out

    def tables(
        self, parent: Mapping[str, Any], key: str, *, required: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        if key not in parent:
            if required:
                self.add(key, f"missing required field: define at least one{_shape(key)}")
            return []
        value = parent[key]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(key, f"expected an array of tables, got {_describe(value)}{_shape(key)}")
            return []
        if required and not value:
            self.add(key, f"must list at least one entry{_shape(key)}")
        if not self.not_too_many(key, key, value):
            return []
        return [(f"{key}[{i}]", item) for i, item in enumerate(value, 1)]

    def integer(
        self, parent: Mapping[str, Any], key: str, path: str, low: int, high: int
    ) -> int | None:
        where = _join(path, key)
        if key not in parent:
            return None
        value = parent[key]
        if not _is_int(value):
            self.add(where, f"expected an integer, got {_describe(value)}{_shape(key)}")
            return None
        if not low <= value <= high:
            self.add(where, f"must be between {low} and {high}, got {value}")
            return None
        return value

    def email(self, parent: Mapping[str, Any], path: str, *, required: bool = False) -> str | None:
        value = self.text(parent, "email", path, required=required)
        if value is None or not value.strip():
            return None
        if not EMAIL_ADDRESS.match(value.strip()):
            self.add(_join(path, "email"), f"{_describe(value)} is not an email address")
            return None
        return value.strip()

    # the parts

    def apply_overrides(self, data: dict[str, Any]) -> dict[str, Any]:
        data = dict(data)
        declared_vars = data.get("vars")
        if not isinstance(declared_vars, dict):
            declared_vars = {}
        for key, value in self.overrides.items():
            if not _IDENT.match(key):
                self.add(f"--set {key}", "not a valid placeholder name (use letters, digits and _)")
            elif key in DERIVED_PLACEHOLDERS:
                self.add(
                    f"--set {key}", "is computed from start and duration_minutes; set those instead"
                )
            elif key in SCALAR_FIELDS:
                converted: Any = value
                if key == "duration_minutes":
                    converted = int(value) if value.strip().lstrip("-").isdigit() else value
                elif key == "hybrid":
                    converted = _parse_bool(value)
                data[key] = converted
                self.from_set[key] = key
            elif key in ROLE_NAMES:
                roles = dict(data["roles"]) if isinstance(data.get("roles"), dict) else {}
                role = dict(roles[key]) if isinstance(roles.get(key), dict) else {}
                role["name"] = value
                roles[key] = role
                data["roles"] = roles
                self.from_set[f"roles.{key}.name"] = key
            elif key in declared_vars:
                data["vars"] = {**declared_vars, key: value}
                declared_vars = data["vars"]
                self.from_set[f"vars.{key}"] = key
            else:
                self.extra[key] = value  # fine if some text uses it as a placeholder
        return data

    def parse(self, data: dict[str, Any]) -> Template | None:
        data = self.apply_overrides(data)
        self.known_keys(data, "", _TOP_KEYS)

        title = self.text(data, "title", "", required=True)
        event = self.text(data, "event", "") or ""
        location = self.text(data, "location", "") or ""
        fmt = self.text(data, "format", "") or ""
        date, start, timezone = self.when(data)
        hybrid = data.get("hybrid", False)
        if not isinstance(hybrid, bool):
            self.add("hybrid", f"expected true or false, got {_describe(hybrid)}{_shape('hybrid')}")
            hybrid = False
        duration = self.integer(data, "duration_minutes", "", 1, 24 * 60)

        co_organizers = self.strings(data, "co_organizers", "")
        organizers = self.people(data, "organizers")
        speakers = self.people(data, "speakers")
        roles = self.roles(data)
        share = self.share(data)
        groups = self.groups(data)
        questions = self.questions(data)
        agenda = self.agenda(data)
        intro = self.text(data, "intro", "") or ""
        instructions = self.text(data, "instructions", "") or ""
        gender = self.gender(data)
        variables = self.variables(data)
        language = self.language(data)
        vocab = self.vocabulary(data)

        values: dict[str, str | None] = {
            "event": event or None,
            "location": location or None,
            "date": date.isoformat() if date else None,
            "start": start.strftime("%H:%M") if start else None,
            "end": None,
            "timezone": timezone or None,
            "format": fmt or None,
            "duration_minutes": str(duration) if duration is not None else None,
        }
        if date and start and duration is not None:
            end = dt.datetime.combine(date, start) + dt.timedelta(minutes=duration)
            values["end"] = end.strftime("%H:%M")
        for role in ROLE_NAMES:
            values[role] = roles[role].name if role in roles else None
        values.update(variables)
        values.update(self.extra)

        used: set[str] = set()
        fill = self.filler(values, used)
        if title is not None:
            title = fill(title, "title", "title")
        values["title"] = title
        intro = fill(intro, "intro")
        instructions = fill(instructions, "instructions")
        filled_questions = tuple(
            PolicyQuestion(
                id=q.id,
                text=fill(q.text, f"{path}.text"),
                prompts=tuple(fill(p, f"{path}.prompts[{i}]") for i, p in enumerate(q.prompts, 1)),
            )
            for path, q in questions
        )
        filled_agenda = tuple(
            AgendaItem(item=fill(a.item, f"{path}.item"), time=a.time) for path, a in agenda
        )

        for key in self.extra:
            if key not in used:
                known = [k for k in values if k not in self.extra]
                self.add(f"--set {key}", f"not used by this template{_suggest(key, known)}")

        if self.problems or title is None:
            return None
        return Template(
            name=self.name,
            source=self.shown,
            title=title,
            groups=groups,
            questions=filled_questions,
            event=event,
            location=location,
            date=date,
            start=start,
            timezone=timezone,
            format=fmt,
            hybrid=hybrid,
            duration_minutes=duration,
            co_organizers=tuple(co_organizers),
            organizers=organizers,
            speakers=speakers,
            roles=roles,
            share=share,
            agenda=filled_agenda,
            intro=intro,
            instructions=instructions,
            gender_report=gender,
            placeholders={k: v for k, v in values.items() if v is not None},
            language=language,
            vocabulary=vocab,
        )

    def filler(self, values: Mapping[str, str | None], used: set[str]) -> Callable[..., str]:
        def fill(text: str, where: str, self_name: str | None = None) -> str:
            # 10,000 "{v}" with a long v would fill gigabytes: count as it grows, stop past it.
            size = [len(text)]

            def substitute(m: re.Match[str]) -> str:
                whole = m.group(0)
                if whole in ("{{", "}}"):
                    return whole[0]
                name = m.group(1)
                used.add(name)
                value = values.get(name)
                if name == self_name:
                    self.add(where, f"placeholder {{{name}}} cannot be used in the {name} itself")
                elif value is not None:
                    size[0] += len(value) - len(whole)
                    if size[0] > MAX_TEXT_CHARS:
                        raise _TooLong
                    return value
                elif name in values:
                    if self.placeholder_broken(name):
                        return whole  # its field's own problem says enough
                    how = f"set {name} or pass --set {name}=..."
                    self.add(where, f"placeholder {{{name}}} has no value ({how})")
                else:
                    # Stricter than for field names: short names like {venue} and {event} are
                    # 60% alike, and a wrong hint misleads more than none.
                    guess = difflib.get_close_matches(name, list(values), n=1, cutoff=0.75)
                    hint = f" (did you mean {{{guess[0]}}}?)" if guess else ""
                    self.add(where, f"unknown placeholder {{{name}}}{hint}")
                return whole

            try:
                return _PLACEHOLDER.sub(substitute, text)
            except _TooLong:
                self.add(
                    where,
                    f"is more than {MAX_TEXT_CHARS:,} characters long once placeholders are filled",
                )
                return text

        return fill

    def placeholder_broken(self, name: str) -> bool:
        sources = {"end": ("date", "start", "duration_minutes")}.get(name, (name,))
        return self.has_problem(*sources, f"roles.{name}.name", f"roles.{name}", f"vars.{name}")

    def when(self, data: Mapping[str, Any]) -> tuple[dt.date | None, dt.time | None, str]:
        date = start = None
        raw = data.get("date")
        if raw is not None:
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                date = raw
            else:
                try:
                    if not isinstance(raw, str) or not _DATE.match(raw):
                        raise ValueError
                    date = dt.date.fromisoformat(raw)
                except ValueError:
                    self.add("date", f'expected a date like "2025-06-25", got {_describe(raw)}')
        raw = data.get("start")
        if raw is not None:
            if isinstance(raw, dt.time):
                start = raw
            else:
                m = _TIME.match(raw) if isinstance(raw, str) else None
                try:
                    if not m:
                        raise ValueError
                    start = dt.time(int(m.group(1)), int(m.group(2)))
                except ValueError:
                    self.add("start", f'expected a time like "11:45", got {_describe(raw)}')
        timezone = self.text(data, "timezone", "") or ""
        if timezone:
            try:
                zoneinfo.ZoneInfo(timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                self.add(
                    "timezone", f'unknown time zone "{timezone}"{_suggest(timezone, _time_zones())}'
                )
                timezone = ""
        if "start" in data:
            if "date" not in data:
                self.add("date", "missing required field (start needs a date)")
            if "timezone" not in data:
                self.add(
                    "timezone",
                    'missing required field (start needs a time zone, like "Europe/Oslo")',
                )
        return date, start, timezone

    def person(self, item: Mapping[str, Any], path: str, known: tuple[str, ...]) -> Person | None:
        self.known_keys(item, path, known)
        name = self.text(item, "name", path, required=True)
        affiliation = self.text(item, "affiliation", path) if "affiliation" in known else None
        group = self.text(item, "group", path) if "group" in known else None
        email = self.email(item, path)
        if name is None:
            return None
        return Person(
            name=name.strip(), email=email, group=group or None, affiliation=affiliation or None
        )

    def people(self, data: Mapping[str, Any], key: str) -> tuple[Person, ...]:
        people = (self.person(item, path, _PERSON_KEYS) for path, item in self.tables(data, key))
        return tuple(p for p in people if p is not None)

    def roles(self, data: Mapping[str, Any]) -> dict[str, Person]:
        table = self.table(data, "roles", "")
        if table is None:
            return {}
        self.known_keys(table, "roles", ROLE_NAMES)
        roles = {}
        for role in ROLE_NAMES:
            item = self.table(table, role, "roles")
            if item is not None:
                person = self.person(item, f"roles.{role}", _ROLE_KEYS)
                if person is not None:
                    roles[role] = person
        return roles

    def share(self, data: Mapping[str, Any]) -> tuple[ShareEntry, ...]:
        out = []
        for path, item in self.tables(data, "share"):
            self.known_keys(item, path, _SHARE_KEYS)
            email = self.email(item, path, required=True)
            role = self.text(item, "role", path) or "writer"
            if role not in SHARE_ROLES:
                choices = ", ".join(f'"{r}"' for r in SHARE_ROLES)
                self.add(f"{path}.role", f"expected one of {choices}, got {_describe(role)}")
            elif email:
                out.append(ShareEntry(email=email, role=role))
        return tuple(out)

    def groups(self, data: Mapping[str, Any]) -> tuple[StakeholderGroup, ...]:
        out = []
        seen_keys: dict[str, str] = {}
        # Every exact form of every label already taken, first one kept, so a clash names the
        # label it clashes with: one dict lookup per label instead of one matcher per pair.
        taken: dict[str, tuple[int, str, str]] = {}  # form -> (label's rank, group key, path)
        for path, item in self.tables(data, "groups", required=True):
            self.known_keys(item, path, _GROUP_KEYS)
            key = self.text(item, "key", path, required=True)
            name = self.text(item, "name", path, required=True)
            aliases = self.strings(item, "aliases", path)
            if key is not None and not _GROUP_KEY.match(key):
                rule = 'use lowercase letters, digits, "-" and "_"'
                self.add(f"{path}.key", f"{_describe(key)} is not a valid group key ({rule})")
                key = None
            if key is None or name is None:
                continue
            if not self.short_enough(f"{path}.key", key, MAX_LABEL_CHARS):
                continue
            if not self.short_enough(f"{path}.name", name, MAX_LABEL_CHARS):
                continue
            if key in seen_keys:
                self.add(f"{path}.key", f'duplicate group key "{key}" (also {seen_keys[key]})')
                continue
            seen_keys[key] = path
            raw_aliases = item.get("aliases", [])
            labels = [("key", f"{path}.key", key), ("name", f"{path}.name", name)]
            labels += [
                ("alias", f"{path}.aliases[{i}]", a)
                for i, a in enumerate(raw_aliases, 1)
                if isinstance(a, str) and a in aliases
            ]
            mine: dict[str, tuple[int, str, str]] = {}
            for kind, where, label in labels:
                if self.label_problem(kind, where, key, label, taken):
                    continue
                # What a matcher of this label (with its group's key) would match exactly.
                rank = len(taken) + len(mine)
                for form in (*exact_forms(key), *exact_forms(label)):
                    mine.setdefault(form, (rank, key, where))
            for form, owner in mine.items():
                taken.setdefault(form, owner)
            aliases_out = tuple(a.strip() for a in aliases)
            out.append(StakeholderGroup(key=key, name=name.strip(), aliases=aliases_out))
        return tuple(out)

    def label_problem(
        self,
        kind: str,
        where: str,
        key: str,
        label: str,
        taken: Mapping[str, tuple[int, str, str]],
    ) -> bool:
        """Note why moderators could not type this group label before the colon, if they cannot."""
        shown = _describe(label)
        if GroupMatcher([]).is_all(label):
            self.add(where, f"{kind} {shown} is reserved: it addresses every group")
            return True
        alone = GroupMatcher([StakeholderGroup(key, label)])
        if ":" in label or alone.match_list(label) != (key,):
            self.add(where, f'{kind} {shown} must not contain ":", ",", "/", "&" or "+"')
            return True
        clashes = [taken[form] for form in lookup_forms(label) if form in taken]
        if clashes:
            _, other_key, other_where = min(clashes)  # the label taken first, as it reads
            self.add(where, f'{kind} {shown} is also used by group "{other_key}" ({other_where})')
            return True
        return False

    def questions(self, data: Mapping[str, Any]) -> list[tuple[str, PolicyQuestion]]:
        out = []
        seen: dict[str, str] = {}
        for path, item in self.tables(data, "questions", required=True):
            self.known_keys(item, path, _QUESTION_KEYS)
            qid = self.text(item, "id", path, required=True)
            text = self.text(item, "text", path, required=True)
            prompts = self.strings(item, "prompts", path)
            if qid is not None:
                if not QUESTION_ID.match(qid):
                    rule = 'use letters, digits, "-" and "_", like "Q2"'
                    self.add(f"{path}.id", f"{_describe(qid)} is not a valid question id ({rule})")
                    qid = None
                elif qid.lower() == "online":
                    self.add(f"{path}.id", '"online" is reserved for the online discussion section')
                    qid = None
                elif qid.casefold() in seen:
                    self.add(
                        f"{path}.id", f'duplicate question id "{qid}" (also {seen[qid.casefold()]})'
                    )
                    qid = None
                else:
                    seen[qid.casefold()] = path
            if qid is not None and text is not None:
                out.append(
                    (
                        path,
                        PolicyQuestion(
                            id=qid, text=text.strip(), prompts=tuple(p.strip() for p in prompts)
                        ),
                    )
                )
        return out

    def agenda(self, data: Mapping[str, Any]) -> list[tuple[str, AgendaItem]]:
        out = []
        for path, item in self.tables(data, "agenda"):
            self.known_keys(item, path, _AGENDA_KEYS)
            text = self.text(item, "item", path, required=True)
            time = self.text(item, "time", path) or ""
            if text is not None:
                out.append((path, AgendaItem(item=text.strip(), time=time.strip())))
        return out

    def gender(self, data: Mapping[str, Any]) -> GenderReport | None:
        table = self.table(data, "gender_report", "")
        if table is None:
            return None
        self.known_keys(table, "gender_report", _GENDER_KEYS)
        participants = self.integer(table, "participants", "gender_report", 0, 1_000_000)
        women = self.integer(table, "women_and_gender_diverse", "gender_report", 0, 1_000_000)
        if participants is not None and women is not None and women > participants:
            self.add(
                "gender_report.women_and_gender_diverse",
                f"is more than participants ({women} > {participants})",
            )
        return GenderReport(
            participants=participants,
            women_and_gender_diverse=women,
            engagement=self.text(table, "engagement", "gender_report") or "",
            summary=self.text(table, "summary", "gender_report") or "",
        )

    def variables(self, data: Mapping[str, Any]) -> dict[str, str]:
        table = self.table(data, "vars", "")
        if table is None:
            return {}
        out = {}
        for key, value in table.items():
            where = f"vars.{key}"
            if not _IDENT.match(key):
                self.add(where, "not a valid placeholder name (use letters, digits and _)")
            elif key in SCALAR_FIELDS or key in ROLE_NAMES or key in DERIVED_PLACEHOLDERS:
                self.add(where, f'"{key}" is a session field; set it outside [vars]')
            elif not isinstance(value, str):
                self.add(where, f"expected a string, got {_describe(value)}")
            else:
                out[key] = value
        return out

    def language(self, data: Mapping[str, Any]) -> str:
        if "language" not in data:
            return DEFAULT_LANGUAGE
        value = data["language"]
        known = ", ".join(f'"{code}"' for code in LANGUAGES)
        if not isinstance(value, str):
            self.add("language", f'expected a language code like "es", got {_describe(value)}')
            return DEFAULT_LANGUAGE
        # BCP 47: "es-CO" or "fr_SN" use the language's words.
        code = value.strip().replace("_", "-").split("-")[0].lower()
        if code not in LANGUAGES:
            self.add("language", f"unknown language {_describe(value)}; known: {known}")
            return DEFAULT_LANGUAGE
        return code

    def vocabulary(self, data: Mapping[str, Any]) -> dict[str, Any]:
        table = self.table(data, "vocabulary", "")
        if table is None:
            return {}
        self.known_keys(table, "vocabulary", VOCABULARY_KEYS)
        out: dict[str, Any] = {}
        for key in VOCABULARY_KEYS:
            if key not in table:
                continue
            if key == "priority":
                ranks = self.priority_words(table[key])
                if ranks:
                    out[key] = ranks
                continue
            words = [w.strip() for w in self.strings(table, key, "vocabulary")]
            for i, word in enumerate(words):
                if not normalize(word):
                    self.add(f"vocabulary.{key}[{i}]", f"{_describe(word)} has no letters")
            if words:
                out[key] = words
        both = {normalize(w) for w in out.get("online", ())} & {
            normalize(w) for w in out.get("onsite", ())
        }
        if both:
            word = sorted(both)[0]
            self.add("vocabulary.onsite", f'"{word}" is also an online word (vocabulary.online)')
        return out

    def priority_words(self, value: Any) -> dict[str, int]:
        where = "vocabulary.priority"
        if not isinstance(value, dict):
            example = '{ "crítica" = 0, "alta" = 1, "media" = 2, "baja" = 3 }'
            self.add(
                where, f"expected a table of words and ranks like {example}, got {_describe(value)}"
            )
            return {}
        out = {}
        for word, rank in value.items():
            if not _is_int(rank) or not 0 <= rank <= 9:
                self.add(
                    f"{where}.{word}",
                    f"expected a rank from 0 (most urgent) to 9, got {_describe(rank)}",
                )
            elif not word.strip():
                self.add(where, "a priority word must not be empty")
            else:
                out[word.strip()] = rank
        return out


def template_source(source: str | Path) -> str:
    """The raw text of a shipped template (by name) or a template file, for `gdoc-sync init`."""
    _, _, entry = _resolve(source)
    return entry.read_bytes().decode("utf-8-sig")
