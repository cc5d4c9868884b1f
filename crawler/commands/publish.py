"""``blogarchive publish SNAP --to TARGET``: a local versioned store, a git remote or a Hugging Face dataset repo."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "publish"
HELP = "publish a snapshot to a local store, a git remote or hf://datasets/<owner>/<name> (idempotent)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("snapshot", type=Path, metavar="SNAP", help="a snapshot directory")
    parser.add_argument("--to", required=True, metavar="TARGET",
                        help="a directory (one folder per version + latest), a git URL, or hf://datasets/<owner>/<name>")  # fmt: skip
    parser.add_argument("--private", action="store_true", help="create the Hub repo as private")


def run(args: argparse.Namespace) -> int:
    from crawler.progress import ProgressDisplay, bar_wanted
    from crawler.release.publish import parse_target, publish

    display = ProgressDisplay("files", None, bar_wanted(args.logfile))
    result = publish(args.snapshot, parse_target(args.to), private=args.private, progress=display)
    print(result.message)
    return 0
