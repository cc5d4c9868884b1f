"""``blogarchive seed --redis URL FILE...``: give blogs to the workers of a distributed crawl."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from pathlib import Path

from crawler.defaults import REDIS_PREFIX
from crawler.errors import UserError, require
from crawler.seeds import MAX_SEED_LENGTH, check_seed_file, checked_seeds, read_seeds

NAME = "seed"
HELP = "push blog URLs (a seed file, as for crawl --seeds) to a distributed crawl; --status, --reset"


def add_redis_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--redis", default=os.environ.get("BLOGARCHIVE_REDIS"), metavar="URL",
                        help="Redis of the crawl, e.g. redis://host:6379/0 (default: $BLOGARCHIVE_REDIS)")  # fmt: skip
    parser.add_argument(
        "--prefix", default=REDIS_PREFIX, help="Redis key prefix: one per crawl (default: %(default)s)"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="seed files: one URL a line, or CSV"
    )
    add_redis_arguments(parser)
    parser.add_argument(
        "--reset", action="store_true", help="forget the crawl first: queue, seen URLs, blogs"
    )
    parser.add_argument(
        "--status", action="store_true", help="print the crawl's counts (the default without FILE)"
    )


def redis_url(args: argparse.Namespace) -> str:
    require("scrapy_redis", "distributed", "a distributed crawl")
    if not args.redis:
        raise UserError("give the crawl's Redis with --redis URL (or $BLOGARCHIVE_REDIS)")
    return args.redis


def http_seeds(path: Path, bad: list[str]) -> Iterator[str]:
    """The seeds of a file as a crawl takes them (credentials stripped); those it refuses go to ``bad``."""
    yield from checked_seeds(read_seeds(path), MAX_SEED_LENGTH, lambda url, slug: bad.append(url))


def run(args: argparse.Namespace) -> int:
    url = redis_url(args)
    from crawler.distributed.frontier import Frontier, connect

    for path in args.files:
        check_seed_file(path)
    frontier = Frontier(connect(url), prefix=args.prefix)
    if args.reset:
        print(f"reset: {frontier.reset()} keys deleted")
    for path in args.files:
        bad: list[str] = []
        pushed, known = frontier.push_seeds(http_seeds(path, bad))
        print(f"{path}: {pushed} blogs pushed, {known} already seeded"
              + (f", {len(bad)} lines skipped, not usable as seeds (first: {bad[0][:200]!r})" if bad else ""))  # fmt: skip
    if args.status or not (args.files or args.reset):
        print(json.dumps(frontier.status(), indent=2))
    return 0
