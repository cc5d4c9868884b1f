"""The ``blogarchive`` command: one sub-command per module of ``crawler.commands``.

Command modules import their heavy dependencies (Scrapy, pyarrow, redis...) in ``run``,
so ``blogarchive --help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from types import ModuleType

from crawler import __version__, commands
from crawler.errors import UserError

LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
DEFAULT_LEVEL = "INFO"
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


def load_commands() -> dict[str, ModuleType]:
    """Every module of ``crawler.commands`` defining NAME, HELP, add_arguments and run."""
    found = {}
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"crawler.commands.{info.name}")
        if hasattr(module, "run"):
            found[module.NAME] = module
    return found


def log_level(text: str) -> str:
    """argparse type: a logging level name, any case."""
    level = text.upper()
    if level not in LEVELS:
        raise argparse.ArgumentTypeError(f"invalid level {text!r} (choose from {', '.join(LEVELS)})")
    return level


def logging_options() -> argparse.ArgumentParser:
    """-v/-q/--loglevel/--logfile, accepted before or after the command's name."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("logging")
    # SUPPRESS: a sub-command's unset option does not overwrite the one given before it.
    group.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                       help="more detail (DEBUG)")  # fmt: skip
    group.add_argument("-q", "--quiet", action="count", default=argparse.SUPPRESS,
                       help="less: warnings only (-qq: errors only)")  # fmt: skip
    group.add_argument("--loglevel", type=log_level, default=argparse.SUPPRESS, metavar="LEVEL",
                       help=f"{', '.join(LEVELS)} (default {DEFAULT_LEVEL})")  # fmt: skip
    group.add_argument("--logfile", default=argparse.SUPPRESS, metavar="FILE",
                       help="write the log to FILE instead of the terminal")  # fmt: skip
    return common


def build_parser(found: dict[str, ModuleType]) -> argparse.ArgumentParser:
    common = logging_options()
    parser = argparse.ArgumentParser(
        prog="blogarchive",
        description="Archive blogs (Blogspot, Canalblog, Typepad, Tumblr) as WARC and Parquet datasets.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"blogarchive {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in found.items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP, parents=[common])
        module.add_arguments(command)
    return parser


def resolve_level(args: argparse.Namespace) -> str:
    """--loglevel wins; else -v gives DEBUG, -q WARNING, -qq ERROR; else INFO."""
    if getattr(args, "loglevel", None):
        return args.loglevel
    if getattr(args, "verbose", 0):
        return "DEBUG"
    quiet = getattr(args, "quiet", 0) or 0
    return LEVELS[max(0, LEVELS.index(DEFAULT_LEVEL) - quiet)]


def setup_logging(args: argparse.Namespace, scrapy_logs: bool) -> None:
    """Level and file of the log; Scrapy's commands (``SCRAPY_LOGGING``) hand them to its settings."""
    args.loglevel = resolve_level(args)
    args.logfile = getattr(args, "logfile", None)
    if scrapy_logs:
        return
    handler = logging.FileHandler(args.logfile, encoding="utf-8") if args.logfile else logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(args.loglevel)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(args.loglevel)


def main(argv: list[str] | None = None) -> int:
    found = load_commands()
    args = build_parser(found).parse_args(argv)
    try:
        setup_logging(args, getattr(found[args.command], "SCRAPY_LOGGING", False))
        return int(found[args.command].run(args) or 0)
    except UserError as exc:
        print(f"blogarchive {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --logfile in a missing directory
        if exc.filename is None:
            raise
        print(f"blogarchive {args.command}: error: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
