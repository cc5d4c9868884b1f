"""Snapshots: crawl shards compacted into a versioned Hub dataset with its card, manifest and changelog.

The steps live in this package: :mod:`~crawler.release.rows` (reading crawls, one row per post,
left-out posts), :mod:`~crawler.release.comments` (comment rows and their languages),
:mod:`~crawler.release.shards` (the Parquet files), :mod:`~crawler.release.media` (the media
config), :mod:`~crawler.release.changelog` and :mod:`~crawler.release.card`; this module runs them.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from crawler.errors import UserError, require
from crawler.progress import ProgressDisplay
from crawler.release.card import (
    CHART_PATH,
    LICENSE_FILE,
    OTHER_LICENSE_TEXT,
    Tally,
    check_license,
    render_card,
    render_chart,
)
from crawler.release.changelog import Changes, changelog_entry, changelog_text, compare, load_manifest
from crawler.release.comments import DETECTOR_OPTION, CommentLanguages, cached_languages, comment_rows
from crawler.release.media import MediaFiles, write_media_config
from crawler.release.options import (
    CDC_SUPPORTED,
    CHANGELOG_NAME,
    COMMENTS_CONFIG,
    LeftOut,
    SnapshotOptions,
    check_version,
)
from crawler.release.rows import (
    Index,
    crawl_stats,
    in_archive_order,
    index_of,
    keep_stable_rows,
    latest_per_id,
    platforms_in,
    read_posts,
    redact_table,
    split_left_out,
)
from crawler.release.shards import shard_name, write_config
from crawler.replace import clean_stale, swap_in, work_path
from pipelines.language import detector_id
from schemas.manifest import MANIFEST_NAME, FileEntry, Manifest, file_sha256
from schemas.post import POST_SCHEMA, SCHEMA_VERSION

logger = logging.getLogger(__name__)


@dataclass
class SnapshotResult:
    manifest: Manifest
    changes: Changes | None
    path: Path


# ---------------------------------------------------------------- the whole build


def build_snapshot(outs: list[Path], dest: Path, options: SnapshotOptions, previous: Path | None = None,
                   force: bool = False, progress: ProgressDisplay | None = None) -> SnapshotResult:  # fmt: skip
    """Compact crawl outputs into the snapshot directory ``dest`` (built aside, renamed at the end).

    ``progress`` shows its steps: one per platform, the media, the card (default: log lines).
    """
    check_version(options.version)
    check_license(options.license)
    require("huggingface_hub", "hub", "the dataset card")
    for out in outs:
        if not (out / "data").is_dir():
            raise UserError(f"{out} is not a crawl output (no data/ folder)")
    if dest.exists() and any(dest.iterdir()) and not force:
        raise UserError(f"{dest} exists and is not empty (use --force to replace it)")
    previous_manifest = load_manifest(previous) if previous is not None else None
    clean_stale(dest)
    work = work_path(dest)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        with (
            progress or ProgressDisplay("steps", None, live=False) as display,
            CommentLanguages(cached_languages(previous, dest)) as languages,
        ):
            result = _build(outs, work, options, previous, previous_manifest, display, languages)
        swap_in(work, dest)  # the old snapshot is deleted only once the new one is in place
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.path = dest
    return result


def _previous_posts(previous: Path | None, manifest: Manifest | None, platform: str) -> pa.Table:
    if previous is None or manifest is None:
        return POST_SCHEMA.empty_table()
    return read_posts(previous / f.path for f in manifest.data_files({platform}))


def _build(outs: list[Path], work: Path, options: SnapshotOptions, previous: Path | None,
           previous_manifest: Manifest | None, progress: ProgressDisplay,
           languages: CommentLanguages) -> SnapshotResult:  # fmt: skip
    left, tally, media = LeftOut(), Tally(), MediaFiles()
    old_index: Index = {}
    new_index: Index = {}
    files: list[FileEntry] = []
    platforms = platforms_in([*outs, *([previous] if previous else [])])
    for platform in platforms:
        # A step per platform, then the media, then the card.
        progress.update(text=f"{platform}: reading the crawls", total=len(platforms) + 2)
        crawled = [read_posts(sorted((out / "data" / platform).glob("*.parquet"))) for out in outs]
        rows = split_left_out(latest_per_id(crawled), options, left)
        if options.redact_pii:
            rows = redact_table(rows)
        before = _previous_posts(previous, previous_manifest, platform)
        old_index.update(index_of(before))
        rows = in_archive_order(keep_stable_rows(rows, before))
        if rows.num_rows == 0:
            continue
        new_index.update(index_of(rows, fingerprinted=previous_manifest is not None))
        files += write_config(rows, work, f"data/{platform}", platform, "id", options)
        media.add(rows)
        comments = comment_rows(rows, languages)
        files += write_config(
            comments, work, f"{COMMENTS_CONFIG}/{platform}", COMMENTS_CONFIG, "post_id", options
        )
        tally.add(platform, rows, comments)
        logger.info("%s: %d posts, %d comments", platform, rows.num_rows, comments.num_rows)
        progress.update(advance=1, text=f"{len(new_index)} posts so far")
    if languages.detected:
        logger.info("comment languages: %d texts detected, the rest cached or too short", languages.detected)
    if not new_index:
        raise UserError("no posts to publish: every crawl is empty or every post was left out")
    progress.update(completed=len(platforms), text=f"{len(new_index)} posts; media")
    entries, tally.media_files, tally.media_bytes = write_media_config(
        media.rows(outs, options.media_bytes),
        work,
        options.max_shard_bytes,
        options.max_shard_rows,
        options.row_group_bytes,
        shard_name,
    )
    files += entries
    progress.update(advance=1, text=f"{len(new_index)} posts, {tally.media_files} media files; card")
    render_chart(tally.years, work / CHART_PATH)
    if options.license == "other":  # the Hub asks for the text of an `other` license in the repo
        (work / LICENSE_FILE).write_text(OTHER_LICENSE_TEXT, encoding="utf-8")
    for path in [CHART_PATH, *([LICENSE_FILE] if options.license == "other" else [])]:
        files.append(FileEntry(path, "card", file_sha256(work / path), (work / path).stat().st_size))
    manifest = Manifest(
        version=options.version,
        schema_version=SCHEMA_VERSION,
        files=files,
        counts={
            "posts": len(new_index),
            "comments": sum(tally.comments_by_platform.values()),
            "posts_by_platform": dict(sorted(tally.posts_by_platform.items())),
            "media_files": tally.media_files,
            "media_bytes": tally.media_bytes,
        },
        left_out={"noarchive": len(left.noarchive), "opt_out": len(left.opt_out)},
        options={
            "redact_pii": options.redact_pii,
            "include_noarchive": options.include_noarchive,
            "license": options.license,
            "content_defined_chunking": CDC_SUPPORTED,
            "media_bytes": options.media_bytes,
            DETECTOR_OPTION: detector_id(),
        },
        previous_version=previous_manifest.version if previous_manifest else None,
        crawls=[{"name": out.resolve().name, "stats": crawl_stats(out)} for out in outs],
    )
    changes = compare(old_index, new_index) if previous_manifest else None
    (work / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    entry = changelog_entry(manifest, changes, new_index, left)
    (work / CHANGELOG_NAME).write_text(changelog_text(entry, previous), encoding="utf-8")
    (work / "README.md").write_text(render_card(tally, manifest, options), encoding="utf-8")
    progress.update(advance=1, text=f"{len(new_index)} posts, {tally.media_files} media files")
    return SnapshotResult(manifest, changes, work)
