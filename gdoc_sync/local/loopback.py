"""A WSGI guard for gdoc-sync's local HTTP servers: only clients of this machine get in.

A server on 127.0.0.1 is reachable from every web page the user's browser opens: a page can
send "simple" cross-origin requests (POST with a text/plain body, no preflight), and with DNS
rebinding (a name of the attacker's that resolves to 127.0.0.1) it can even read the answers.
The guard stops both before the application sees the request:

- the Host header must name the server itself (its bound address, `localhost`, or, on a
  wildcard bind, an IP address or this machine's name): a rebound name is refused (421);
- a browser's cross-origin request is refused (403): an `Origin` that is not the server's own,
  or `Sec-Fetch-Site` other than `same-origin`/`none`;
- a request body must be JSON (`Content-Type: application/json`) where the application only
  takes JSON (415): forms and text/plain are what a page can send without asking;
- paths under the protected prefixes need `Authorization: Bearer TOKEN` when a token is set
  (401); servers bound to a non-loopback address must set one.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import socket
from collections.abc import Callable, Iterable, Sequence
from typing import Any

WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN_ENV = "GDOC_SYNC_EMULATOR_TOKEN"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _bare(host: str) -> str:
    """A host name or address without brackets or trailing dot, lowercased."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.rstrip(".")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(_bare(host).split("%", 1)[0])
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether binding to host keeps a server reachable from this machine only."""
    if _bare(host) == "localhost":
        return True
    address = _ip(host)
    return address is not None and address.is_loopback


def split_host_header(value: str) -> str:
    """The host part of a Host header (`127.0.0.1:8089`, `[::1]:8089`, `localhost`)."""
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        return _bare(value[: end + 1]) if end > 0 else _bare(value)
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return _bare(value)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def exposure_warning(host: str, port: int, what: str, protected: str) -> str | None:
    """The warning a server bound to host prints, or None when only this machine can reach it."""
    if is_loopback(host):
        return None
    return (
        f"warning: --host {host} is not a loopback address: anyone who can reach port {port} "
        f"of this machine can {what}; {protected} need the bearer token"
    )


class LocalGuard:
    """WSGI middleware refusing what a web page, a rebound DNS name or a stranger could send."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        host: str,
        token: str | None = None,
        protected_prefixes: Sequence[str] = (),
        json_only: Callable[[str], bool] = lambda path: True,
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.bound = _bare(host)
        self.token = token or None
        self.protected_prefixes = tuple(protected_prefixes)
        self.json_only = json_only
        self.names = {"localhost", self.bound, *(_bare(h) for h in allowed_hosts)}
        self.wildcard = self.bound in WILDCARD_HOSTS
        if self.wildcard or not is_loopback(host):
            # Other machines reach it by this machine's name; no web page can rebind that.
            for name in (socket.gethostname(), socket.getfqdn()):
                if name:
                    self.names.add(_bare(name))

    # -- the checks, each returning a refusal or None ---------------------------------------------

    def host_allowed(self, header: str) -> bool:
        name = split_host_header(header)
        if not name or "," in header:
            return False
        if name in self.names:
            return True
        address = _ip(name)
        if address is None:
            return False  # a DNS name the server does not know: perhaps rebound to it
        if self.wildcard:
            return True  # an address literal cannot be rebound
        bound = _ip(self.bound)
        if bound is not None and address == bound:
            return True
        # Bound to loopback (127.0.0.1 or `localhost`): its other loopback literals are the same.
        return is_loopback(self.bound) and address.is_loopback

    def refusal(self, environ: dict[str, Any]) -> tuple[int, str] | None:
        host = environ.get("HTTP_HOST", "")
        if not host:
            return 421, "the request has no Host header"
        if not self.host_allowed(host):
            return 421, (
                f"Host {host!r} is not this server's address: this server answers only to "
                "its own address or localhost (a DNS-rebinding request is refused)"
            )
        site = environ.get("HTTP_SEC_FETCH_SITE", "").strip().lower()
        if site and site not in ("same-origin", "none"):
            return 403, f"cross-site browser requests are refused (Sec-Fetch-Site: {site})"
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin.strip().lower() != f"http://{host.strip().lower()}":
            return 403, (
                f"cross-origin requests are refused: Origin {origin!r} is not this server "
                f"(http://{host})"
            )
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method in BODY_METHODS and self.json_only(path):
            content_type = environ.get("CONTENT_TYPE", "")
            media = content_type.split(";", 1)[0].strip().lower()
            has_body = bool(content_type) or _has_body(environ)
            if has_body and not (media == "application/json" or media.endswith("+json")):
                shown = content_type or "none"
                return 415, (
                    f"request bodies must be JSON (Content-Type: application/json), got {shown}"
                )
        if self.token and path.startswith(self.protected_prefixes):
            given = environ.get("HTTP_AUTHORIZATION", "")
            scheme, _, value = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                value.strip().encode(), self.token.encode()
            ):
                return 401, (
                    f"{path} needs Authorization: Bearer TOKEN (the token the server printed "
                    f"when it started, or {TOKEN_ENV})"
                )
        return None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        refused = self.refusal(environ)
        if refused is None:
            return self.app(environ, start_response)
        status, message = refused
        body = json.dumps(
            {"error": {"code": status, "message": message, "status": _STATUS[status][1]}}
        ).encode("utf-8")
        headers = [
            ("Content-Type", "application/json; charset=UTF-8"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
        ]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="gdoc-sync"'))
        start_response(f"{status} {_STATUS[status][0]}", headers)
        return [body]


def _has_body(environ: dict[str, Any]) -> bool:
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return True
    try:
        return int(environ.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True


_STATUS = {
    401: ("Unauthorized", "UNAUTHENTICATED"),
    403: ("Forbidden", "PERMISSION_DENIED"),
    415: ("Unsupported Media Type", "INVALID_ARGUMENT"),
    421: ("Misdirected Request", "FAILED_PRECONDITION"),
}
