"""``blogarchive diff SNAP_A SNAP_B``: posts added, changed and removed between two snapshots, as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

NAME = "diff"
HELP = "posts added, changed and removed from snapshot A to snapshot B (JSON)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, metavar="SNAP_A", help="the older snapshot")
    parser.add_argument("new", type=Path, metavar="SNAP_B", help="the newer snapshot")
    parser.add_argument("-o", "--output", type=Path, help="write the JSON here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from crawler.release.changelog import compare, diff_document, load_index

    old_manifest, old_index = load_index(args.old)
    new_manifest, new_index = load_index(args.new)
    document = diff_document(old_manifest, new_manifest, compare(old_index, new_index), new_index)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0
