"""Crash-safe shard writing: segments during the crawl, deterministic shards at the end.

During a crawl rows are buffered and flushed every ``BLOGARCHIVE_SEGMENT_ROWS`` rows to
``OUT/.state/segments/seg-NNNNNN.parquet`` (temp file, fsync, atomic rename): a
segment exists whole or not at all, and the segments are the durable record of what
was done (a resumed crawl reads them to skip finished posts).

:func:`finalize` turns the segments into ``OUT/data/<platform>/part-NNNNN.parquet``:
one row per post id (permalink beats feed beats listing, then the latest fetch),
pending rows extracted, sorted by id, zstd, bounded rows; the same rows give the same
bytes, whether they came from a crawl or from a build of its WARC.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crawler.parsers.base import Origin
from pipelines.dedup import content_hash
from pipelines.process import ORIGIN, PENDING_HTML, finish_row
from schemas.post import COLUMN_DOCS, POST_SCHEMA, SCHEMA_VERSION, to_row

logger = logging.getLogger(__name__)

STATE_DIR = ".state"
SEGMENTS = "segments"
ROW_GROUP_ROWS = 10_000

SEGMENT_SCHEMA = pa.schema(
    [f.with_nullable(True) if f.name in ("text", "content_hash") else f for f in POST_SCHEMA]
    + [pa.field(ORIGIN, pa.int8(), nullable=False), pa.field(PENDING_HTML, pa.string())],
    metadata=POST_SCHEMA.metadata,
)


def segments_dir(out: Path) -> Path:
    return out / STATE_DIR / SEGMENTS


def atomic_write_table(table: pa.Table, path: Path, **options: Any) -> None:
    """Write a Parquet file under a temp name, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp, compression="zstd", **options)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def segment_table(rows: Iterable[dict[str, Any]]) -> pa.Table:
    records = []
    for row in rows:
        record = to_row(row)
        record[ORIGIN] = row[ORIGIN]
        record[PENDING_HTML] = row.get(PENDING_HTML)
        records.append(record)
    return pa.Table.from_pylist(records, schema=SEGMENT_SCHEMA)


class SegmentWriter:
    """Buffers rows and flushes them as whole segment files."""

    def __init__(
        self,
        out: Path,
        flush_rows: int,
        on_flush: Callable[[list[dict[str, Any]]], None] | None = None,
        flush_seconds: float = 0.0,
    ) -> None:
        self.directory = segments_dir(out)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.flush_rows = flush_rows
        # A slow crawl flushes by time too, so a kill loses at most that much work.
        self.flush_seconds = flush_seconds
        self.on_flush = on_flush  # told of the rows once they are durable
        self._last_flush = time.monotonic()
        self.buffer: list[dict[str, Any]] = []
        self._next = _next_segment_number(self.directory)

    def add(self, row: dict[str, Any]) -> None:
        self.buffer.append(row)
        overdue = self.flush_seconds and time.monotonic() - self._last_flush >= self.flush_seconds
        if len(self.buffer) >= self.flush_rows or overdue:
            self.flush()

    def flush(self) -> Path | None:
        self._last_flush = time.monotonic()
        if not self.buffer:
            return None
        path = self.directory / f"seg-{self._next:06d}.parquet"
        atomic_write_table(segment_table(self.buffer), path)
        self._next += 1
        rows, self.buffer = self.buffer, []
        if self.on_flush is not None:
            self.on_flush(rows)
        return path


def _next_segment_number(directory: Path) -> int:
    numbers = [int(p.stem.split("-")[1]) for p in directory.glob("seg-*.parquet")]
    return max(numbers, default=-1) + 1


def read_segments(out: Path, columns: list[str] | None = None) -> pa.Table:
    """Every segment row of ``out`` (an empty table when there is none)."""
    files = sorted(segments_dir(out).glob("seg-*.parquet"))
    schema = SEGMENT_SCHEMA if columns is None else pa.schema([SEGMENT_SCHEMA.field(c) for c in columns])
    if not files:
        return schema.empty_table()
    tables = [
        pq.read_table(f, columns=columns, schema=SEGMENT_SCHEMA if columns is None else None) for f in files
    ]
    return pa.concat_tables(tables)


def best_rows(table: pa.Table) -> pa.Table:
    """One row per id: lowest origin, then the newest Wayback capture, then the latest fetch,
    then the WARC record id (a total order: a crawl and a build choose alike)."""
    if table.num_rows == 0:
        return table

    def newest_first(column: str) -> pa.Array:
        return pc.negate(pc.fill_null(pc.cast(table[column], pa.int64()), 0))

    keyed = pa.table({"id": table["id"], ORIGIN: table[ORIGIN], "_archived": newest_first("archived_at"),
                      "_fetched": newest_first("fetched_at"), "warc_record_id": table["warc_record_id"]})  # fmt: skip
    order = pc.sort_indices(
        keyed,
        sort_keys=[
            ("id", "ascending"),
            (ORIGIN, "ascending"),
            ("_archived", "ascending"),
            ("_fetched", "ascending"),
            ("warc_record_id", "ascending"),
        ],  # fmt: skip
    )
    ids = pc.take(keyed["id"], order).to_pylist()
    take = [int(order[i].as_py()) for i in range(len(ids)) if i == 0 or ids[i] != ids[i - 1]]
    return table.take(pa.array(take, pa.int64()))


def comments_by_post(comment_pages: list[dict[str, Any]]) -> dict[str, list[list[dict[str, Any]]]]:
    """Comments of later comment pages per post id, pages in order (offset, then fetch)."""

    def page_key(row: dict[str, Any]) -> tuple[int, Any, str]:
        offset = json.loads(row["extra"] or "{}").get("comment_offset", 0)
        return int(offset), row["fetched_at"], row["warc_record_id"] or ""

    pages: dict[str, list[list[dict[str, Any]]]] = {}
    for row in sorted(comment_pages, key=lambda r: (r["id"], *page_key(r))):
        pages.setdefault(row["id"], []).append(row["comments"])
    return pages


def merge_comments(first: list[dict[str, Any]], pages: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The first page's comments, then each later page's, each comment once (by id or content)."""
    merged, seen = [], set()
    for comment in [c for page in [first, *pages] for c in page]:
        key = comment["id"] or (comment["author"], comment["published"], comment["text"])
        if key not in seen:
            seen.add(key)
            merged.append(comment)
    return merged


FEED_FIELDS = ["id", "title", "author", "published", "updated", "tags", "comment_count", "media_urls", "extra",
               ORIGIN, "archived_at", "fetched_at", "warc_record_id"]  # fmt: skip


def feed_entries(segments: pa.Table) -> dict[str, dict[str, Any]]:
    """The latest feed/API entry of each post (exact ids, dates and labels)."""
    is_feed = pc.equal(segments[ORIGIN], int(Origin.API))
    return {row["id"]: row for row in best_rows(segments.select(FEED_FIELDS).filter(is_feed)).to_pylist()}


def merge_feed_entry(row: dict[str, Any], feed: dict[str, Any]) -> bool:
    """Merge a post's feed entry into its page's row, like ``merge_hint`` at parse time (but the page's tags win).

    Done here too because a post is often scheduled from a listing before the feed entry
    carrying its hint is read. Returns whether the title changed (it is in the hash).
    """
    title = row["title"]
    row["published"] = feed["published"] or row["published"]
    row["updated"] = feed["updated"] or row["updated"]
    row["tags"] = row["tags"] or feed["tags"]  # a feed may list only the category
    row["title"] = row["title"] or feed["title"]
    row["author"] = row["author"] or feed["author"]
    if row["comment_count"] is None:
        row["comment_count"] = feed["comment_count"]
    row["media_urls"] = row["media_urls"] or feed["media_urls"]
    if feed["extra"]:
        extra = {**json.loads(feed["extra"]), **json.loads(row["extra"] or "{}")}
        row["extra"] = json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str)
    return row["title"] != title


def finalize(out: Path, shard_rows: int = 50_000, exclude: set[str] = frozenset()) -> dict[str, int]:
    """Write ``out/data/<platform>/part-NNNNN.parquet`` from the segments; rows per platform.

    ``exclude``: ids left out of the shards (posts deleted upstream; kept in segments and WARC).
    """
    segments = read_segments(out)
    is_comment_page = pc.equal(segments[ORIGIN], int(Origin.COMMENTS))
    comment_pages = segments.filter(is_comment_page)
    main = best_rows(segments.filter(pc.invert(is_comment_page)))
    # A post known only from a comment page still is a post.
    orphans = best_rows(comment_pages.filter(pc.invert(pc.is_in(comment_pages["id"], value_set=main["id"]))))
    rows = [row for row in main.to_pylist() + orphans.to_pylist() if row["id"] not in exclude]
    rows.sort(key=lambda r: r["id"])
    more_comments = comments_by_post(comment_pages.to_pylist())
    feeds = feed_entries(segments)
    for row in rows:
        changed = False
        if row["id"] in more_comments:
            row["comments"] = merge_comments(row["comments"], more_comments[row["id"]])
            changed = True
        if row[ORIGIN] != Origin.API and row["id"] in feeds:
            changed = merge_feed_entry(row, feeds[row["id"]]) or changed
        if row.get(PENDING_HTML) is not None or row.get("content_hash") is None:
            finish_row(row)
        elif changed:
            row["content_hash"] = content_hash(row["title"], row["text"], row["comments"])
    counts: dict[str, int] = {}
    by_platform: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_platform.setdefault(row["platform"], []).append(row)
    data = out / "data"
    for platform in sorted(by_platform):
        platform_rows = by_platform[platform]  # already sorted by id
        counts[platform] = len(platform_rows)
        directory = data / platform
        written = []
        for number, start in enumerate(range(0, len(platform_rows), shard_rows)):
            table = pa.Table.from_pylist(
                [to_row(r) for r in platform_rows[start : start + shard_rows]], schema=POST_SCHEMA
            )
            path = directory / f"part-{number:05d}.parquet"
            atomic_write_table(table, path, row_group_size=ROW_GROUP_ROWS)
            written.append(path)
        for stale in set(directory.glob("part-*.parquet")) - set(written):
            stale.unlink()
    for directory in data.glob("*") if data.exists() else []:
        if directory.is_dir() and directory.name not in by_platform:
            for stale in directory.glob("part-*.parquet"):
                stale.unlink()
    write_output_card(out, counts)
    return counts


def count_comments(out: Path) -> int:
    """Comments in the final shards (for the end-of-run summary)."""
    return sum(
        pc.sum(pc.list_value_length(pq.read_table(path, columns=["comments"])["comments"])).as_py() or 0
        for path in sorted((out / "data").glob("*/part-*.parquet"))
    )


def write_output_card(out: Path, counts: dict[str, int]) -> None:
    """A minimal dataset card so ``datasets.load_dataset(OUT)`` reads only the shards."""
    lines = ["---", "configs:", "- config_name: default", "  default: true", "  data_files:", "  - split: train",
             "    path: data/*/*.parquet"]  # fmt: skip
    for platform in sorted(counts):
        lines += [
            f"- config_name: {platform}",
            "  data_files:",
            "  - split: train",
            f"    path: data/{platform}/*.parquet",
        ]
    lines += ["---", "", "# blogarchive crawl output", "",
              f"Posts by platform: {', '.join(f'{p} {n}' for p, n in sorted(counts.items())) or 'none'}.",
              f"Schema version {SCHEMA_VERSION}. Raw captures are in `warc/`; `blogarchive snapshot` makes a publishable dataset.",
              "", "| column | meaning |", "|---|---|"]  # fmt: skip
    lines += [f"| {name} | {doc} |" for name, doc in COLUMN_DOCS.items()]
    tmp = out / ".README.md.tmp"
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, out / "README.md")


class ShardPipeline:
    """Item pipeline: rows to crash-safe segments; shards finalized when the spider closes.

    Permalink rows are marked done in the crawl ledger once their segment is on disk.
    When a crawl finishes cleanly, posts its enumeration no longer found (deleted
    upstream) are left out of the shards.
    """

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.out = Path(settings.get("BLOGARCHIVE_OUTPUT"))
        self.shard_rows = settings.getint("BLOGARCHIVE_SHARD_ROWS")
        self.stats = crawler.stats
        self.ledger = getattr(crawler.spider, "ledger", None)
        self.writer = SegmentWriter(
            self.out,
            settings.getint("BLOGARCHIVE_SEGMENT_ROWS"),
            on_flush=self._durable,
            flush_seconds=settings.getfloat("BLOGARCHIVE_SEGMENT_SECONDS"),
        )

    @classmethod
    def from_crawler(cls, crawler: Any) -> ShardPipeline:
        from scrapy import signals

        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def _durable(self, rows: list[dict[str, Any]]) -> None:
        if self.ledger is not None:
            self.ledger.mark_fetched([r for r in rows if r[ORIGIN] == 0])

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self.writer.add(item)
        return item

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.writer.flush()
        counts = finalize(self.out, self.shard_rows, self.excluded_ids(spider, reason))
        for platform, count in counts.items():
            self.stats.set_value(f"blogarchive/shards/rows/{platform}", count)
        self.stats.set_value("blogarchive/shards/rows", sum(counts.values()))
        self.stats.set_value("blogarchive/shards/comments", count_comments(self.out))

    def excluded_ids(self, spider: Any, reason: str) -> set[str]:
        """Ids left out of the shards: posts a complete crawl of their blog no longer found."""
        if (
            self.ledger is None
            or reason != "finished"
            or not getattr(spider, "complete_enumeration", lambda: False)()
        ):
            return set()
        spider.flush_seen()
        exclude = self.ledger.unseen_ids(spider.crawled_blogs)
        self.stats.set_value("blogarchive/incremental/deleted", len(exclude))
        return exclude
