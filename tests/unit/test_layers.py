"""Imports run one way: ``crawler`` -> ``pipelines`` -> ``schemas`` (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A package and the packages of ours it must never import.
FORBIDDEN = {"pipelines": {"crawler"}, "schemas": {"crawler", "pipelines"}}


def imported_packages(source: str) -> set[str]:
    """The top-level packages a module imports, anywhere in it (function-level imports too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_imported_packages_sees_every_form_of_import():
    source = "import crawler.x\nfrom pipelines import y\ndef f():\n    from schemas.post import z\nfrom . import w\n"
    assert imported_packages(source) == {"crawler", "pipelines", "schemas"}


@pytest.mark.parametrize(
    "module",
    sorted(str(p.relative_to(ROOT)) for package in FORBIDDEN for p in (ROOT / package).rglob("*.py")),
)
def test_no_import_against_the_flow(module: str):
    package = Path(module).parts[0]
    wrong = imported_packages((ROOT / module).read_text(encoding="utf-8")) & FORBIDDEN[package]
    assert not wrong, f"{module} imports {sorted(wrong)}: imports run crawler -> pipelines -> schemas"
