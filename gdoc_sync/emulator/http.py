"""What a handler of the emulator gets and gives: the parsed request (`Call`), the answer
(`Response`) and Drive-shaped ids. Apart from `app` so that the services' `responses` modules and
`app` do not import each other."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gdoc_sync.emulator.app import Emulator
    from gdoc_sync.emulator.store import Transaction


@dataclass
class Call:
    """What a handler gets: the parsed request and the transaction it runs in."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]
    tx: Transaction
    emulator: Emulator
    raw: bytes = b""  # the body as sent, for media uploads (CSV, text) that are not JSON

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        return self.query.get(name, [])

    def flag(self, name: str) -> bool:
        return (self.arg(name) or "false").lower() == "true"


@dataclass
class Response:
    """An answer ready for any transport: status, headers and a JSON (or empty) body."""

    status: int
    headers: dict[str, str]
    body: bytes


def new_id(length: int = 44) -> str:
    """An id shaped like Google's Drive file ids."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "1" + "".join(secrets.choice(alphabet) for _ in range(length - 1))
