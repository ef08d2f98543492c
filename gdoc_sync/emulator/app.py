"""The emulator as one WSGI application: routing, the request log, faults and error envelopes."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from gdoc_sync.emulator import fieldmask, validation
from gdoc_sync.emulator.errors import ApiError, InvalidArgument, NotFound
from gdoc_sync.emulator.faults import (
    DEFAULT_LOG_SIZE,
    DroppedConnection,
    Fault,
    FaultPlan,
    LoggedRequest,
    RequestLog,
)
from gdoc_sync.emulator.http import Call, Response
from gdoc_sync.emulator.store import Store

DB_NAME = "emulator.sqlite3"

Handler = Callable[..., Any]

# Each API's routes (in matching order), with the path prefixes every one of its patterns starts
# with: an API's modules are imported when a request first reaches one of its paths, so a
# process that only calls Docs (`note` on the local backend) never loads Sheets' engine.
SERVICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("docs", ("/v1/documents",)),
    ("sheets", ("/v4/spreadsheets",)),
    ("drive", ("/drive/v3/", "/upload/drive/v2/")),
    ("control", ("/_emulator/",)),
)


def _route_table(api: str) -> Sequence[tuple[str, str, Any]]:
    """An API's (method, pattern, handler) table, its modules imported now."""
    if api == "docs":
        from gdoc_sync.emulator.docs import urls as docs

        return docs.routes
    if api == "sheets":
        from gdoc_sync.emulator.sheets import urls as sheets

        return sheets.routes
    if api == "drive":
        from gdoc_sync.emulator.drive import urls as drive

        return drive.routes
    from gdoc_sync.emulator import control

    return control.routes


@dataclass
class Route:
    """One operation of an emulated API: its method, its path pattern and its handler."""

    method: str
    pattern: str
    handler: Handler
    api: str
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.regex = re.compile("^" + self.pattern + "$")


class Emulator:
    """Docs v1, Sheets v4 and Drive v3 over one store; callable as a WSGI app."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        base_url: str = "",
        log_size: int = DEFAULT_LOG_SIZE,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir else None
        self.store = Store(self.data_dir / DB_NAME if self.data_dir else None)
        self.log = RequestLog(log_size)
        self.faults = FaultPlan()
        self.base_url = base_url
        self.sleep: Callable[[float], None] = time.sleep
        self._routes: dict[str, list[Route]] = {}  # per API, once loaded

    @property
    def routes(self) -> list[Route]:
        """Every route of every API, in matching order."""
        return [route for api, _ in SERVICES for route in self._routes_of(api)]

    def _routes_of(self, api: str) -> list[Route]:
        routes = self._routes.get(api)
        if routes is None:
            table = _route_table(api)
            routes = self._routes.setdefault(api, [Route(m, p, h, api) for m, p, h in table])
        return routes

    # -- dispatch -------------------------------------------------------------------------------

    def dispatch(
        self, method: str, path: str, query: str, body: bytes, headers: dict[str, str]
    ) -> Response:
        """Answer one request. Raises DroppedConnection when a fault says to hang up."""
        started = time.time()
        path = unquote(path)
        route, params = self._route(method, path)
        api = route.api if route else "unknown"
        fault = None
        if api != "control":
            fault = self.faults.pick(method, path)
            held = fault is not None and fault.action in ("hold", "apply_then_hold")
            delay = self.faults.latency_ms + (fault.latency_ms if fault and not held else 0.0)
            if delay:
                self.sleep(delay / 1000.0)
        try:
            if fault is not None and fault.action in ("error", "drop", "hold"):
                if fault.action == "hold":
                    fault.hold()
                if fault.action in ("drop", "hold"):
                    raise DroppedConnection(path)
                response = self._fault_response(fault, api)
            else:
                response = self._run(route, params, method, path, query, body, headers)
                if fault is not None and fault.after_ms:
                    self.sleep(fault.after_ms / 1000.0)  # applied, its answer not yet sent
                if fault is not None and fault.action == "apply_then_hold":
                    fault.hold()
                    raise DroppedConnection(path)
                if fault is not None and fault.action == "apply_then_drop":
                    raise DroppedConnection(path)
                if fault is not None and fault.action == "apply_then_fail":
                    response = self._fault_response(fault, api)
        except DroppedConnection:
            self._log(method, path, query, 0, api, started, fault)
            raise
        self._log(method, path, query, response.status, api, started, fault)
        return response

    def _route(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for api, prefixes in SERVICES:
            if not path.startswith(prefixes):
                continue  # none of this API's patterns can match
            for route in self._routes_of(api):
                if route.method != method:
                    continue
                m = route.regex.match(path)
                if m:
                    return route, m.groupdict()
        return None, {}

    def _run(
        self,
        route: Route | None,
        params: dict[str, str],
        method: str,
        path: str,
        query: str,
        body: bytes,
        headers: dict[str, str],
    ) -> Response:
        try:
            if route is None:
                raise NotFound(f"The requested URL {path} was not found on this server.")
            parsed_query = parse_qs(query, keep_blank_values=True)
            payload: Any = None
            if not path.startswith("/upload/"):
                validation.check_size(route.api, len(body))
            content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
            content_type = content_type.split(";")[0].strip().lower()
            if body and content_type not in _MEDIA_TYPES:
                try:
                    payload = json.loads(body)
                except ValueError as exc:
                    raise InvalidArgument(f"Invalid JSON payload received. {exc}") from exc
            validation.check(route.api, method, path, parsed_query, payload)
            with self.store.transaction() as tx:
                call = Call(method, path, parsed_query, payload, headers, tx, self, body)
                result = route.handler(call, **params)
            if isinstance(result, Response):
                return result  # media (an export): not JSON, no field mask
            status = 200
            if isinstance(result, tuple):
                status, result = result
            if result is None:
                return Response(204 if status == 200 else status, {}, b"")
            fields = parsed_query.get("fields")
            if fields and fields[0]:
                try:
                    result = fieldmask.apply(result, fieldmask.parse(fields[0]))
                except ValueError as exc:
                    raise InvalidArgument(str(exc)) from exc
            return Response(status, _json_headers(), _dumps(result))
        except ApiError as exc:
            return Response(
                exc.code, {**_json_headers(), **exc.headers}, exc.body(route.api if route else "")
            )

    def _fault_response(self, fault: Fault, api: str) -> Response:
        headers: dict[str, str] = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        if fault.body is not None:  # answer exactly as recorded
            return Response(fault.status, {**_json_headers(), **headers}, fault.body.encode())
        message = fault.message or {
            429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
            f"minute per user' of service '{api}.googleapis.com'.",
            403: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per "
            "user'.",
        }.get(fault.status, "The service is currently unavailable.")
        reason = fault.reason or ("rateLimitExceeded" if fault.status in (403, 429) else None)
        error = ApiError(message, code=fault.status, reason=reason, headers=headers)
        return Response(fault.status, {**_json_headers(), **headers}, error.body(api))

    def _log(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        api: str,
        started: float,
        fault: Fault | None,
    ) -> None:
        if api == "control":
            return
        self.log.add(
            LoggedRequest(
                method=method,
                path=path,
                query=query,
                status=status,
                api=api,
                started=started,
                duration_ms=(time.time() - started) * 1000.0,
                fault=fault.action if fault else None,
            )
        )

    # -- WSGI -------------------------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        # PATH_INFO arrives percent-decoded as latin-1 bytes; undo that to get the raw path.
        raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        if raw_path:
            raw_path = raw_path.split("?", 1)[0]
        else:
            raw_path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        response = self.dispatch(
            environ["REQUEST_METHOD"], raw_path, environ.get("QUERY_STRING", ""), body, headers
        )
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:  # a code HTTP does not name (a fault may inject any)
            reason = "Error"
        start_response(
            f"{response.status} {reason}",
            [*response.headers.items(), ("Content-Length", str(len(response.body)))],
        )
        return [response.body]

    def request_counts(self) -> dict[str, int]:
        return self.log.counts()

    def log_json(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in self.log.entries()]


# Bodies of media uploads, kept raw (Call.raw) instead of parsed as JSON.
_MEDIA_TYPES = frozenset({"text/csv", "text/plain", "text/tab-separated-values"})


def _json_headers() -> dict[str, str]:
    return {"Content-Type": "application/json; charset=UTF-8"}


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
