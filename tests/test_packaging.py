"""The wheel carries every module and data file the source tree has."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def test_every_subpackage_is_in_the_wheels_package_list() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "gdoc_sync").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "gdoc_sync._templates" in listed
    shipped = {p.name for p in (ROOT / "templates").glob("*.toml")}
    assert shipped, "the shipped templates are packaged from templates/"


def _source_files() -> set[str]:
    """What the wheel must hold, as paths inside it: every file of the package on disk, and the
    shipped templates (they live in templates/ and travel as gdoc_sync/_templates)."""
    files = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "gdoc_sync").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    files |= {f"gdoc_sync/_templates/{p.name}" for p in (ROOT / "templates").glob("*.toml")}
    return files


def _build_wheel(dist: Path) -> Path:
    """Build the wheel from a copy of the sources (setuptools' build/ stays out of the checkout)."""
    src = dist.parent / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("gdoc_sync", "templates"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = dist.glob("gdoc_sync-*.whl")
    return wheel


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    """CI passes the wheel it installed (GDOC_SYNC_WHEEL); elsewhere the test builds one."""
    given = os.environ.get("GDOC_SYNC_WHEEL")
    wheel = Path(given) if given else _build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    shipped = {n for n in names if ".dist-info/" not in n and not n.endswith("/")}
    expected = _source_files()
    assert expected - shipped == set(), "missing from the wheel"
    assert shipped - expected == set(), "in the wheel but not in the source tree"
    # The data files by name, so that an empty walk above cannot pass for a full one.
    for data in (
        "gdoc_sync/py.typed",
        "gdoc_sync/board/static/board.css",
        "gdoc_sync/board/static/board.js",
        "gdoc_sync/locales/texts/ar.py",
        "gdoc_sync/_templates/igf-workshop.toml",
        "gdoc_sync/emulator/__init__.py",
    ):
        assert data in shipped
    assert "gdoc-sync = gdoc_sync.cli.main:main" in scripts


@pytest.mark.skipif(
    os.environ.get("GDOC_SYNC_TEST_INSTALLED") != "1",
    reason="CI's run against the installed wheel sets GDOC_SYNC_TEST_INSTALLED=1",
)
def test_the_suite_runs_against_the_installed_package() -> None:
    """Under CI the tests import the installed wheel, not the checkout, and so do the processes
    they start from the checkout (PYTHONSAFEPATH keeps the current directory off sys.path)."""
    import gdoc_sync

    assert ROOT not in Path(gdoc_sync.__file__).resolve().parents, gdoc_sync.__file__
    child = subprocess.run(
        [sys.executable, "-c", "import gdoc_sync; print(gdoc_sync.__file__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert ROOT not in Path(child.stdout.strip()).resolve().parents, child.stdout
