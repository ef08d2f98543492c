"""A recursive-descent parser from formula tokens to a small expression tree."""

from __future__ import annotations

import functools
from typing import Any

from gdoc_sync.emulator.sheets.cells import _Err
from gdoc_sync.emulator.sheets.formula.operands import _Unsupported
from gdoc_sync.emulator.sheets.formula.tokenizer import _ref_node, _tokenize


class _Parser:
    """Recursive descent; precedence as in Sheets: comparison < & < +- < */ < ^ < unary."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        if self.take() != ("op", value):
            raise _Unsupported(value)

    def parse(self) -> tuple[Any, ...]:
        node = self.comparison()
        if self.peek()[0] != "end":
            raise _Unsupported(self.peek()[1])
        return node

    def comparison(self) -> tuple[Any, ...]:
        node = self.concat()
        while self.peek()[0] == "op" and self.peek()[1] in ("=", "<>", "<", ">", "<=", ">="):
            op = self.take()[1]
            node = ("bin", op, node, self.concat())
        return node

    def concat(self) -> tuple[Any, ...]:
        node = self.additive()
        while self.peek() == ("op", "&"):
            self.take()
            node = ("bin", "&", node, self.additive())
        return node

    def additive(self) -> tuple[Any, ...]:
        node = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = ("bin", op, node, self.term())
        return node

    def term(self) -> tuple[Any, ...]:
        node = self.power()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = ("bin", op, node, self.power())
        return node

    def power(self) -> tuple[Any, ...]:
        node = self.unary()
        while self.peek() == ("op", "^"):
            self.take()
            node = ("bin", "^", node, self.unary())
        return node

    def unary(self) -> tuple[Any, ...]:
        tok = self.peek()
        if tok == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        if tok == ("op", "+"):
            self.take()
            return self.unary()
        node = self.primary()
        while self.peek() == ("op", "%"):
            self.take()
            node = ("pct", node)
        return node

    def primary(self) -> tuple[Any, ...]:
        kind, text = self.take()
        if kind == "num":
            return ("lit", float(text) if any(c in text for c in ".eE") else int(text))
        if kind == "str":
            return ("lit", text[1:-1].replace('""', '"'))
        if kind == "err":
            return ("lit", _Err(text))
        if kind == "ref":
            return _ref_node(text)
        if kind == "name":
            upper = text.upper()
            if upper in ("TRUE", "FALSE"):
                return ("lit", upper == "TRUE")
            return ("name", text)
        if kind == "func":
            self.expect("(")
            args: list[tuple[Any, ...]] = []
            if self.peek() != ("op", ")"):
                while True:
                    if self.peek()[0] == "op" and self.peek()[1] in (",", ")"):
                        args.append(("lit", None))
                    else:
                        args.append(self.comparison())
                    if self.peek()[0] == "op" and self.peek()[1] in (",", ";"):
                        self.take()
                        continue
                    break
            self.expect(")")
            return ("fn", text.upper(), args)
        if (kind, text) == ("op", "("):
            node = self.comparison()
            self.expect(")")
            return node
        raise _Unsupported(text)


@functools.lru_cache(maxsize=4096)
def _parse_formula(text: str) -> tuple[Any, ...]:
    return _Parser(_tokenize(text[1:])).parse()
