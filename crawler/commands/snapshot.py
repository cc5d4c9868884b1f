"""``blogarchive snapshot OUT... --version V -o SNAP``: a versioned, publishable dataset from crawl outputs."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from crawler.defaults import SNAPSHOT_SHARD_BYTES, SNAPSHOT_SHARD_ROWS
from crawler.outlock import lock_output

NAME = "snapshot"
HELP = "compact crawl outputs into a versioned dataset: Hub layout, card, manifest, changelog"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "outs",
        nargs="+",
        type=Path,
        metavar="OUT",
        help="crawl output directories (the latest fetch of a post wins)",
    )
    parser.add_argument(
        "--version", required=True, help="version of this snapshot, e.g. 1.0.0 (tagged v1.0.0)"
    )
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="SNAP", help="snapshot directory to write"
    )
    parser.add_argument(
        "--previous",
        metavar="SNAP_OR_TARGET",
        help="previous snapshot, or a publish target whose latest version it is (for the changelog)",
    )
    parser.add_argument(
        "--redact-pii",
        action="store_true",
        help="mask e-mail addresses and phone numbers in texts and comments",
    )
    parser.add_argument(
        "--opt-out", type=Path, metavar="FILE", help="blog or post URLs to remove, one a line"
    )
    parser.add_argument(
        "--include-noarchive",
        action="store_true",
        help="keep posts whose pages say noarchive/noindex (left out by default)",
    )
    parser.add_argument("--license", default="other",
                        help="a Hub license identifier for the card, e.g. cc-by-nc-4.0 (default: other)")  # fmt: skip
    parser.add_argument("--contact", default=os.environ.get("BLOGARCHIVE_CONTACT") or None,
                        help="who to write to, shown in the card (default: $BLOGARCHIVE_CONTACT)")  # fmt: skip
    parser.add_argument("--name", default="Blog archive", help="the dataset's pretty name")
    parser.add_argument("--repo-id", help="owner/name shown in the card's loading examples")
    parser.add_argument(
        "--max-shard-rows", type=int, default=SNAPSHOT_SHARD_ROWS, help="rows per file (target)"
    )
    parser.add_argument(
        "--max-shard-mb",
        type=int,
        default=SNAPSHOT_SHARD_BYTES // 2**20,
        help="uncompressed MB per file (target)",
    )
    parser.add_argument(
        "--no-media-bytes",
        action="store_true",
        help="a light snapshot: the media config keeps the files' metadata, not the images",
    )
    parser.add_argument("--force", action="store_true", help="replace SNAP if it exists")  # fmt: skip


def options_from(args: argparse.Namespace):  # -> crawler.release.options.SnapshotOptions
    from crawler.release.options import SnapshotOptions
    from crawler.release.rows import read_opt_out

    return SnapshotOptions(
        version=args.version,
        redact_pii=args.redact_pii,
        include_noarchive=args.include_noarchive,
        opt_out=read_opt_out(args.opt_out) if args.opt_out else frozenset(),
        license=args.license,
        contact=args.contact,
        pretty_name=args.name,
        repo_id=args.repo_id,
        max_shard_rows=max(1, args.max_shard_rows),
        max_shard_bytes=max(1, args.max_shard_mb) * 2**20,
        media_bytes=not args.no_media_bytes,
    )


def run(args: argparse.Namespace) -> int:
    from crawler.progress import ProgressDisplay, bar_wanted
    from crawler.release.publish import previous_snapshot
    from crawler.release.snapshot import build_snapshot

    options = options_from(args)
    display = ProgressDisplay("steps", None, bar_wanted(args.logfile))
    lock_output(args.output, args.output.with_name(f".{args.output.name}.lock"))  # SNAP itself is swapped
    if args.previous:
        with previous_snapshot(args.previous) as previous:
            result = build_snapshot(args.outs, args.output, options, previous, args.force, display)
    else:
        result = build_snapshot(args.outs, args.output, options, None, args.force, display)
    manifest, changes = result.manifest, result.changes
    size = sum(f.bytes for f in manifest.files)
    print(f"snapshot {manifest.version}: {manifest.counts['posts']} posts, {manifest.counts['comments']} comments, "
          f"{len(manifest.files)} files, {size / 2**20:.1f} MiB -> {result.path}")  # fmt: skip
    print(
        f"left out: {manifest.left_out['noarchive']} noarchive/noindex, {manifest.left_out['opt_out']} opt-out"
    )
    if changes is not None:
        print(f"since {manifest.previous_version}: {len(changes.added)} added, {len(changes.changed)} changed, "
              f"{len(changes.removed)} removed, {changes.unchanged} unchanged")  # fmt: skip
    return 0
