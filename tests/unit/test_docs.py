"""README.md and ARCHITECTURE.md name only what is in the tree: every path, every module and
every ``blogarchive`` command line (parsed by the real argument parser).

A file moved or a module renamed without its docs fails here, naming the doc and its line.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ["README.md", "ARCHITECTURE.md"]
TOP = r"(?:crawler|pipelines|schemas|benchmarks|tests)"
PATH = re.compile(rf"(?<![\w/.-])((?:{TOP}|\.ci)/[\w./<>*-]*)")
DOTTED = re.compile(rf"(?<![\w./-])({TOP}(?:\.\w+)+)")
GENERATED = ("benchmarks/results/",)  # written by a run, not kept in the tree
SUFFIXES = {"py", "json", "jsonl", "tsv", "txt", "md", "gz", "parquet"}


def named(pattern: re.Pattern[str]) -> list[tuple[str, int, str]]:
    """(doc, line, name) for each match of ``pattern`` in the docs."""
    return [
        (doc, number, match.group(1).rstrip(".,:)"))
        for doc in DOCS
        for number, line in enumerate((ROOT / doc).read_text(encoding="utf-8").splitlines(), 1)
        for match in pattern.finditer(line)
    ]


def path_exists(path: str) -> bool:
    """A path exists; a placeholder (``<name>``) or glob (``*``) needs only its fixed head."""
    head = re.split(r"[<*]", path)[0]
    return head.startswith(GENERATED) or (ROOT / head).exists()


def module_has(dotted: str) -> bool:
    """``a.b.c`` is a module, or a name defined in the longest module prefix of it."""
    parts = dotted.split(".")
    for size in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:size])
        source = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        if not source.is_file():
            continue
        rest = parts[size:]
        return (
            not rest
            or rest[0] in SUFFIXES
            or re.search(rf"\b{re.escape(rest[0])}\b", source.read_text()) is not None
        )
    return False


def test_the_docs_name_paths_and_modules():
    paths, modules = named(PATH), named(DOTTED)
    assert len(paths) > 20 and len(modules) > 5  # the patterns still find what the docs name


@pytest.mark.parametrize(("doc", "line", "path"), named(PATH))
def test_a_named_path_exists(doc, line, path):
    assert path_exists(path), f"{doc}:{line} names {path}, not in the tree"


@pytest.mark.parametrize(("doc", "line", "name"), named(DOTTED))
def test_a_named_module_exists(doc, line, name):
    assert module_has(name), f"{doc}:{line} names {name}, no such module or name"


def test_a_moved_module_fails_the_check():
    assert not path_exists("pipelines/parquet.py") and not module_has("crawler.snapshot")
    assert path_exists("crawler/parsers/<name>/") and module_has("crawler.api.crawl")


def command_lines() -> list[tuple[int, list[str]]]:
    """(line, argv) of each README line that is a ``blogarchive`` command, its comment left out."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return [(number, shlex.split(line.split(" #")[0])[1:]) for number, line in enumerate(lines, 1)
            if line.startswith("blogarchive ") and "--version" not in line]  # fmt: skip


def test_every_command_line_of_the_readme_parses(capsys):
    from crawler.cli import build_parser, load_commands

    parser = build_parser(load_commands())
    examples = command_lines()
    assert len(examples) > 10
    for number, argv in examples:
        try:
            parser.parse_args(argv)
        except SystemExit:
            pytest.fail(
                f"README.md:{number}: blogarchive {' '.join(argv)}: {capsys.readouterr().err.strip()}"
            )
