"""``blogarchive build WARC... -o OUT``: rebuild shards from WARC files, offline."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from crawler.commands.crawl import add_parse_processes
from crawler.outlock import lock_output

NAME = "build"
HELP = "rebuild Parquet shards from WARC files or directories (any standard WARC, ARC or WACZ)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="WARC",
        help="WARC, ARC or WACZ files, or directories holding them",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help="output directory")
    add_parse_processes(parser, default=-1)
    parser.add_argument("--max-bytes", type=int, default=None, metavar="N",
                        help="skip records over N bytes (default: the crawl's DOWNLOAD_MAXSIZE, 20 MB)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from crawler.build import build, check_inputs, stats_document
    from crawler.commands.crawl import print_summary
    from crawler.pool import worker_count
    from crawler.progress import ProgressDisplay, bar_wanted

    check_inputs(args.inputs)
    lock_output(args.output)
    started = time.monotonic()
    from crawler.settings import DOWNLOAD_MAXSIZE

    max_bytes = DOWNLOAD_MAXSIZE if args.max_bytes is None else args.max_bytes
    display = ProgressDisplay("captures", None, bar_wanted(args.logfile))
    counters = build(
        args.inputs, args.output, worker_count(args.workers), max_bytes=max_bytes, progress=display
    )
    counters["seconds"] = round(time.monotonic() - started, 3)
    document = stats_document(counters)
    document["elapsed_time_seconds"] = counters["seconds"]
    (args.output / "stats.json").write_text(
        json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(json.dumps(counters, sort_keys=True))
    posts = sum(v for k, v in counters.items() if k.startswith("posts/"))
    print(f"{posts} posts in {args.output}/data from {counters.get('captures', 0)} captures "
          f"({counters.get('rows', 0)} rows parsed: a post read on listings, feeds and its own page is one post)",
          file=sys.stderr)  # fmt: skip
    print_summary(args.output, "build")
    return 0
