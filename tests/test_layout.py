"""The package's layers, as the README's Design section states them, read from the source's
imports: the domain (core/) does no I/O, only the command line knows click, and the emulator
stands for Google's side without importing the product's client code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gdoc_sync"

# What each layer may import at run time (imports under `if TYPE_CHECKING:` are annotations only).
ALLOWED = {
    "core": {"core", "errors", "locales"},
    "locales": {"locales"},
    "local": {"local", "core", "errors"},
    "google": {"google", "core", "errors", "local", "emulator"},
    "emulator": {"emulator", "local"},
    "report": {"report", "core", "errors", "google", "local", "locales"},
    "board": {"board", "core", "errors", "google", "local", "locales", "workflows"},
    "workflows": {
        "workflows",
        "core",
        "errors",
        "google",
        "local",
        "locales",
        "report",
        "board",
        "emulator",
    },
}


def _layer(path: Path) -> str:
    """core for gdoc_sync/core/x.py; errors for gdoc_sync/errors.py."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def _runtime_imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) of every import the module runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            found.append((node.lineno, node.module))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_layer_is_a_folder_the_readme_names() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    design = readme[readme.index("## Design") : readme.index("## Development")]
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert folders, "no subpackages found"
    for folder in folders:
        if folder.startswith("_"):
            continue
        assert f"  {folder}/" in design, f"gdoc_sync/{folder}/ is missing from the Design section"
    for module in PACKAGE.glob("*.py"):
        if module.name in {"__init__.py", "__main__.py"}:
            continue
        assert module.name in design, f"gdoc_sync/{module.name} is missing from the Design section"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_respect_the_layers(path: Path) -> None:
    layer = _layer(path)
    for line, module in _runtime_imports(path):
        where = f"gdoc_sync/{path.relative_to(PACKAGE)}:{line} imports {module}"
        if module == "click" or module.startswith("click."):
            assert layer == "cli", f"{where}: only the command line uses click"
        if not module.startswith("gdoc_sync."):
            continue
        target = module.split(".")[1]
        if target == "cli":
            assert layer in {"cli", "__main__"}, f"{where}: nothing below the CLI imports it"
        if layer in ALLOWED:
            assert target in ALLOWED[layer], (
                f"{where}: {layer}/ may import {sorted(ALLOWED[layer])}"
            )


def test_the_layer_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The check above reads real imports: a core module importing the Google seam is caught,
    the same import under TYPE_CHECKING is not."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from typing import TYPE_CHECKING\n"
        "from gdoc_sync.google.api import GoogleApi\n"
        "if TYPE_CHECKING:\n"
        "    from gdoc_sync.workflows.sync import SyncResult\n"
        "def f():\n"
        "    import click\n",
        encoding="utf-8",
    )
    modules = [m for _, m in _runtime_imports(bad)]
    assert modules == ["typing", "gdoc_sync.google.api", "click"]
