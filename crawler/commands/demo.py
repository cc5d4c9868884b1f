"""``blogarchive demo``: crawl the bundled demo blogs on loopback, then load them with datasets."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from crawler.errors import UserError, require

NAME = "demo"
HELP = "offline demo: crawl a small blog of every platform served on 127.0.0.1 and load the result"
MARKER = ".blogarchive-demo"  # the demo replaces only a folder holding this: one it made
# The demo blogs are ours and local: no need to be polite to them (tests.fixtureweb.demo_data
# records them with the same settings, so the crawl asks for the pages it recorded).
FAST = (
    "AUTOTHROTTLE_ENABLED=0",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "LOG_LEVEL=WARNING",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("demo-out"), help="where to write (default: ./demo-out)"
    )


def run(args: argparse.Namespace) -> int:
    from crawler import demo

    require("datasets", "hub", "the demo's datasets.load_dataset")
    prepare_output(args.output)
    with demo.serve() as blogs:
        print("demo blogs: " + ", ".join(f"{blog.platform} at {blog.url}" for blog in blogs))
        overrides = [arg for pair in FAST for arg in ("-s", pair)]
        command = [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            *(blog.url for blog in blogs),
            "-o",
            str(args.output),
            *overrides,
        ]
        result = subprocess.run(command, check=False)
        if result.returncode != 0:
            print(f"crawl failed (exit {result.returncode})", file=sys.stderr)
            return result.returncode
    return summarize(args.output)


def prepare_output(out: Path) -> None:
    """An empty ``out`` marked as the demo's; a previous demo output is replaced, nothing else is."""
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} is a file, not a directory")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise UserError(f"{out} exists and was not made by the demo: give another directory with -o")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by `blogarchive demo`, which replaces this folder when run again\n")


def summarize(out: Path) -> int:
    import datasets

    datasets.disable_progress_bars()
    dataset = datasets.load_dataset(str(out), split="train")
    print(f"\nloaded {dataset.num_rows} posts from {out} with datasets.load_dataset({str(out)!r})")
    by_platform: dict[str, list[dict]] = {}
    for row in dataset:
        by_platform.setdefault(row["platform"], []).append(row)
    for platform, rows in sorted(by_platform.items()):
        comments = sum(len(r["comments"]) for r in rows)
        languages = sorted({r["language"] or "?" for r in rows})
        print(f"\n{platform}: {len(rows)} posts, {comments} comments, languages {', '.join(languages)}")
        sample = rows[0]
        print(f"  e.g. {sample['title']!r} by {sample['author']} on {sample['published']:%Y-%m-%d %H:%M} UTC")
        print(f"       tags {sample['tags']}; text: {sample['text'][:100]!r}...")
    print(
        f"\nWARC files: {len(list((out / 'warc').glob('*.warc.gz')))} in {out / 'warc'}; stats in {out / 'stats.json'}"
    )
    return 0
