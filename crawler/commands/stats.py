"""``blogarchive stats DIR``: rows per platform, language and year; comment coverage."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from crawler.errors import UserError

NAME = "stats"
HELP = "rows per platform / language / year and comment coverage of a dataset"
COLUMNS = ["platform", "language", "published", "comments", "comment_count"]


def dataset_stats(directory: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    by_platform: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    comments_found = comments_declared = posts_with_declared = 0
    for path in sorted(directory.glob("data/*/*.parquet")):
        for row in pq.read_table(path, columns=COLUMNS).to_pylist():
            by_platform[row["platform"]] += 1
            by_language[row["language"] or "unknown"] += 1
            by_year[str(row["published"].year) if row["published"] else "unknown"] += 1
            if row["comment_count"] is not None:
                posts_with_declared += 1
                comments_declared += row["comment_count"]
                comments_found += min(len(row["comments"]), row["comment_count"])
    comment_rows = sum(pq.read_metadata(p).num_rows for p in sorted(directory.glob("comments/*/*.parquet")))
    return {
        "posts": sum(by_platform.values()),
        "comments_config_rows": comment_rows,  # a snapshot's comments config (0 in a crawl output)
        "by_platform": dict(sorted(by_platform.items())),
        "by_language": dict(by_language.most_common()),
        "by_year": dict(sorted(by_year.items())),
        "comment_coverage": {
            "posts_declaring_a_count": posts_with_declared,
            "declared": comments_declared,
            "found": comments_found,
            "ratio": round(comments_found / comments_declared, 4) if comments_declared else None,
        },
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, help="a crawl output or snapshot directory")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    if not args.directory.is_dir():
        raise UserError(f"not a directory: {args.directory}")
    if not any(args.directory.glob("data/*/*.parquet")):
        raise UserError(f"{args.directory} is not a crawl output or snapshot: no data/<platform>/*.parquet")
    from crawler.commands.crawl import rebuild_shards
    from crawler.outlock import lock_output
    from pipelines.shards import damaged_shards
    from schemas.output import OutputDir

    damaged = damaged_shards(args.directory)
    if damaged and not OutputDir(args.directory).state.is_dir():
        raise UserError(f"{damaged[0]} is damaged: rebuild or re-download this dataset")
    if damaged:  # a crawl output: its shards are written again from its segments
        lock_output(args.directory)
        rebuild_shards(args.directory)
    stats = dataset_stats(args.directory)
    if args.json:
        print(json.dumps(stats, indent=2, sort_keys=True))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{stats['posts']} posts[/bold]")
    if stats["comments_config_rows"]:
        console.print(f"comments config: {stats['comments_config_rows']} rows")
    for title in ("by_platform", "by_language", "by_year"):
        table = Table(title=title.replace("_", " "))
        table.add_column("value")
        table.add_column("posts", justify="right")
        for key, value in stats[title].items():
            table.add_row(str(key), str(value))
        console.print(table)
    coverage = stats["comment_coverage"]
    console.print(
        f"comments found {coverage['found']} of {coverage['declared']} declared (ratio {coverage['ratio']})"
    )
    return 0
