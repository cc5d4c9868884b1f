"""The ``blogarchive`` command: one sub-command per module of ``crawler.commands``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from crawler import commands
from crawler.errors import UserError


def load_commands() -> dict[str, ModuleType]:
    """Every module of ``crawler.commands`` defining NAME, HELP, add_arguments and run."""
    found = {}
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"crawler.commands.{info.name}")
        if hasattr(module, "run"):
            found[module.NAME] = module
    return found


def build_parser(found: dict[str, ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blogarchive",
        description="Archive blogs (Blogspot, Canalblog, Typepad, Tumblr) as WARC and Parquet datasets.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in found.items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    found = load_commands()
    args = build_parser(found).parse_args(argv)
    try:
        return int(found[args.command].run(args) or 0)
    except UserError as exc:
        print(f"blogarchive {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
