"""The emulator's module layout: no import cycle among its modules, each imports on its own."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import gdoc_sync.emulator

PACKAGE = "gdoc_sync.emulator"
ROOT = Path(gdoc_sync.emulator.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join([PACKAGE, *parts])] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Every emulator module `module` imports at run time, at top level or inside a function;
    imports under `if TYPE_CHECKING:` are for annotations only and do not count."""
    is_package = path.name == "__init__.py"
    base = module.split(".") if is_package else module.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                target = ".".join([*base[: len(base) - node.level + 1], node.module or ""])
            else:
                target = node.module or ""
            target = target.rstrip(".")
            names = [target] + [f"{target}.{alias.name}" for alias in node.names]
        else:
            names = []
        for name in names:
            if name in known and name != module:
                found.add(name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_relative_and_lazy_imports() -> None:
    graph = _graph()
    # app imports the URL tables inside Emulator.__init__; responses use the http module.
    assert f"{PACKAGE}.sheets.urls" in graph[f"{PACKAGE}.app"]
    assert f"{PACKAGE}.http" in graph[f"{PACKAGE}.sheets.responses"]
    assert f"{PACKAGE}.sheets.models" in graph[f"{PACKAGE}.drive.responses"]


def test_no_import_cycle_among_emulator_modules() -> None:
    assert _cycle(_graph()) is None


def test_each_emulator_module_imports_alone() -> None:
    failures = []
    for name in _modules():
        done = subprocess.run(
            [sys.executable, "-c", f"import {name}"], capture_output=True, text=True, check=False
        )
        if done.returncode:
            failures.append(f"{name}: {done.stderr.strip().splitlines()[-1]}")
    assert failures == []
