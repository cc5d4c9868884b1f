"""Crash-safe shard writing: segments during the crawl, deterministic shards at the end.

During a crawl rows are buffered and flushed every ``BLOGARCHIVE_SEGMENT_ROWS`` rows to
``OUT/.state/segments/seg-NNNNNN.parquet`` (temp file, fsync, atomic rename): a
segment exists whole or not at all, and the segments are the durable record of what
was done (a resumed crawl reads them to skip finished posts).

:func:`finalize` turns the segments into ``OUT/data/<platform>/part-NNNNN-<hash>.parquet``:
one row per post id (permalink beats feed beats listing, then the latest fetch),
pending rows extracted, sorted by id, zstd, bounded rows; the same rows give the same
bytes, whether they came from a crawl or from a build of its WARC.

A shard's name ends with a hash of its bytes and the card lists every file by name:
``datasets`` keys its cache on a local folder's name and its configs' ``data_files``
patterns, not on the files' content (huggingface/datasets#2956), so a glob or a reused
name would load a stale copy after a re-crawl; new content is a new name, hence a new
cache key, and the same content keeps its name.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import tzinfo
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crawler.dates import rezone, zone_from
from crawler.errors import DamagedFile
from crawler.failures import RERUN_HINT, fail, os_failure
from crawler.parsers.base import Origin
from pipelines.dedup import content_hash
from pipelines.media import MediaRecord, media_files, read_index, write_index
from pipelines.merge import MERGED, merge_feed
from pipelines.process import (
    COMMENTS_LOCAL,
    ORIGIN,
    PENDING_HTML,
    PUBLISHED_LOCAL,
    UTC_OFFSET,
    extra_json,
    finish_row,
)
from schemas.post import COLUMN_DOCS, POST_SCHEMA, SCHEMA_VERSION, to_row

logger = logging.getLogger(__name__)

STATE_DIR = ".state"
SEGMENTS = "segments"
QUARANTINE = "quarantine"
ROW_GROUP_ROWS = 10_000
BUCKET_POSTS = 5_000  # posts finalized at once: finalize's memory does not grow with the crawl
ARROW_CHUNK_ROWS = 1_000  # finished rows held as Python objects before becoming Arrow
KEY_COLUMNS = ["id", ORIGIN, "archived_at", "fetched_at", "warc_record_id", "platform"]
SEQ, BUCKET = "_seq", "_bucket"  # a row's place in the segments, and the bucket it goes to

SEGMENT_SCHEMA = pa.schema(
    [f.with_nullable(True) if f.name in ("text", "content_hash") else f for f in POST_SCHEMA]
    + [
        pa.field(ORIGIN, pa.int8(), nullable=False),
        pa.field(PENDING_HTML, pa.string()),
        pa.field(PUBLISHED_LOCAL, pa.timestamp("us")),
        pa.field(UTC_OFFSET, pa.int16()),
        pa.field(COMMENTS_LOCAL, pa.list_(pa.timestamp("us"))),
    ],
    metadata=POST_SCHEMA.metadata,
)


def segments_dir(out: Path) -> Path:
    return out / STATE_DIR / SEGMENTS


def atomic_write_table(table: pa.Table, path: Path, **options: Any) -> None:
    """Write a Parquet file under a temp name, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    pq.write_table(table, tmp, compression="zstd", **options)
    _commit(tmp, path)


def content_name(stem: str, path: Path) -> str:
    """``<stem>-<first 16 hex digits of the file's sha256>.parquet``: the name changes with the bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return f"{stem}-{digest.hexdigest()[:16]}.parquet"


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _commit(tmp: Path, path: Path) -> None:
    """fsync a finished temp file, then rename it into place."""
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
        record[PUBLISHED_LOCAL] = row.get(PUBLISHED_LOCAL)
        record[UTC_OFFSET] = row.get(UTC_OFFSET)
        record[COMMENTS_LOCAL] = row.get(COMMENTS_LOCAL)
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
    return pa.concat_tables([read_segment(f, columns) for f in files])


def read_segment(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One segment file (an older one's missing columns as nulls).

    ``ParquetFile.read``, not ``pq.read_table``: the latter keeps ~40 KB for every file it
    has read (its dataset layer), and a crawl's finalize reads thousands of segments.
    """
    try:
        table = pq.ParquetFile(path).read(columns=columns, use_threads=False)
        if columns is None and not table.schema.equals(SEGMENT_SCHEMA):
            return pq.read_table(path, schema=SEGMENT_SCHEMA)
    except (pa.ArrowException, OSError) as exc:
        raise DamagedFile(path, str(exc).splitlines()[0]) from exc
    return table


def segment_rows(path: Path) -> int:
    """Rows of one segment, from its footer (a DamagedFile when it has none)."""
    try:
        return pq.read_metadata(path).num_rows
    except (pa.ArrowException, OSError) as exc:
        raise DamagedFile(path, str(exc).splitlines()[0]) from exc


def quarantine(path: Path) -> Path:
    """Move a damaged file of ``OUT/.state`` aside, into ``OUT/.state/quarantine`` (kept for a look)."""
    directory = path.parent.parent / QUARANTINE if path.parent.name == SEGMENTS else path.parent / QUARANTINE
    directory.mkdir(parents=True, exist_ok=True)
    moved = directory / f"{path.name}.{int(time.time())}"
    os.replace(path, moved)
    logger.warning("%s is damaged: moved to %s", path, moved)
    return moved


def quarantine_damaged_segments(out: Path) -> list[Path]:
    """Segments without a readable footer (a crash or full disk mid-write, bit rot), moved aside."""
    moved = []
    for path in sorted(segments_dir(out).glob("seg-*.parquet")):
        try:
            segment_rows(path)
        except DamagedFile:
            moved.append(quarantine(path))
    return moved


def damaged_shards(out: Path) -> list[Path]:
    """Shards of ``out/data`` whose footer cannot be read (cut by a crash or a full disk)."""
    damaged = []
    for path in sorted((out / "data").glob("*/part-*.parquet")):
        try:
            pq.read_metadata(path)
        except (pa.ArrowException, OSError):
            damaged.append(path)
    return damaged


def rebuild_damaged_shards(out: Path, shard_rows: int = 50_000) -> list[Path]:
    """Damaged shards moved aside and every shard written again from the segments; the damaged ones.

    Raises DamagedFile when ``out`` holds no segments to rebuild from. Call it under the output lock.
    """
    damaged = damaged_shards(out)
    if damaged and not any(segments_dir(out).glob("seg-*.parquet")):
        raise DamagedFile(damaged[0], "no segments in .state/ to rebuild it from")
    for path in damaged:
        moved = out / STATE_DIR / QUARANTINE / f"{path.parent.name}-{path.name}.{int(time.time())}"
        moved.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, moved)
        logger.warning(
            "%s is damaged: moved to %s, the shards are written again from the segments", path, moved
        )
    if damaged:
        finalize(out, shard_rows)
    return damaged


def durable_post_ids(out: Path) -> set[str]:
    """Ids of the posts whose permalink row is in a segment."""
    return {row["id"] for row in permalink_rows(out, ["id"])}


def permalink_rows(out: Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The segments' permalink rows (``columns`` only; default: what the ledger keeps of them)."""
    columns = columns or ["url", "id", "blog_url", "updated", "content_hash"]
    table = read_segments(out, columns=[*columns, ORIGIN])
    return table.filter(pc.equal(table[ORIGIN], int(Origin.PERMALINK))).select(columns).to_pylist()


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
    ids = pc.take(keyed["id"], order).combine_chunks()
    first_of_id = pa.concat_arrays([pa.array([True]), pc.not_equal(ids[1:], ids[:-1])])
    return table.take(pc.filter(order, first_of_id))


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
               "published_precision", PUBLISHED_LOCAL, UTC_OFFSET,
               ORIGIN, "archived_at", "fetched_at", "warc_record_id"]  # fmt: skip


def feed_entries(segments: pa.Table) -> dict[str, dict[str, Any]]:
    """The latest feed/API entry of each post (exact ids, dates and labels)."""
    is_feed = pc.equal(segments[ORIGIN], int(Origin.API))
    return {row["id"]: row for row in best_rows(segments.select(FEED_FIELDS).filter(is_feed)).to_pylist()}


def merge_feed_entry(row: dict[str, Any], feed: dict[str, Any]) -> bool:
    """Merge a post's feed entry into its page's row by the rule of :func:`merge_feed`.

    Done here too because a post is often scheduled from a listing before the feed entry
    carrying its hint is read. Returns whether the title changed (it is in the hash).
    """
    title = row["title"]
    merged = merge_feed(_merge_view(row), _merge_view(feed))
    for name in ("published", "published_precision", "updated", "tags", "title", "author", "comment_count",
                 "media_urls"):  # fmt: skip
        row[name] = merged[name]
    row[PUBLISHED_LOCAL] = merged["published_local"]
    row[UTC_OFFSET] = merged["utc_offset"]
    row["extra"] = extra_json(merged["post_id"], merged["extra"])
    return row["title"] != title


def _merge_view(row: dict[str, Any]) -> dict[str, Any]:
    """A segment row's values under :data:`pipelines.merge.MERGED` names."""
    extra = json.loads(row["extra"] or "{}")
    return {
        **{name: row[name] for name in MERGED if name in row},
        "published_local": row[PUBLISHED_LOCAL],
        "utc_offset": row[UTC_OFFSET],
        "post_id": extra.pop("post_id", None),
        "extra": extra,
    }


def finalize(out: Path, shard_rows: int = 50_000, exclude: set[str] = frozenset()) -> dict[str, int]:
    """Write ``out/data/<platform>/part-NNNNN-<hash>.parquet`` from the segments; rows per platform.

    ``exclude``: ids left out of the shards (posts deleted upstream; kept in segments and WARC).
    Memory stays bounded whatever the crawl's size: rows are chosen from the segments' key
    columns, the chosen rows (with their comment pages and feed entries) are spilled to
    ``BUCKET_POSTS``-post buckets in shard order, and each bucket is finished and written
    in turn, a row group at a time.
    """
    zones = blog_zones(out)
    keys = read_segments(out, columns=KEY_COLUMNS)
    keys = keys.append_column(SEQ, pa.array(np.arange(keys.num_rows, dtype=np.int64)))
    is_comment_page = pc.equal(keys[ORIGIN], int(Origin.COMMENTS))
    comment_pages = keys.filter(is_comment_page)
    main = best_rows(keys.filter(pc.invert(is_comment_page)))
    # A post known only from a comment page still is a post.
    orphans = best_rows(comment_pages.filter(pc.invert(pc.is_in(comment_pages["id"], value_set=main["id"]))))
    chosen = pa.concat_tables([main, orphans])
    if exclude:
        gone = pa.array(sorted(exclude), pa.string())
        chosen = chosen.filter(pc.invert(pc.is_in(chosen["id"], value_set=gone)))
    chosen = chosen.take(pc.sort_indices(chosen, sort_keys=[("platform", "ascending"), ("id", "ascending")]))
    feeds = best_rows(keys.filter(pc.equal(keys[ORIGIN], int(Origin.API))))
    del keys, main, orphans
    pa.default_memory_pool().release_unused()  # the sorts' scratch memory, before the buckets
    spill = out / STATE_DIR / "finalize"
    shutil.rmtree(spill, ignore_errors=True)
    spill.mkdir(parents=True)
    media = read_index(out)
    try:
        buckets = _spill_buckets(out, spill, chosen, pa.concat_tables([chosen, comment_pages, feeds]))
        writer = _ShardWriter(out / "data", shard_rows)
        for number in range(buckets):
            bucket = chosen.slice(number * BUCKET_POSTS, BUCKET_POSTS)
            for row in _finished_rows(_read_spill(spill, number), bucket, feeds, zones):
                row["media_files"] = media_files(row["media_urls"], row["platform"], media)
                writer.add(row)
        counts = writer.close()
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    data = out / "data"
    for directory in data.glob("*") if data.exists() else []:
        if directory.is_dir() and directory.name not in counts:
            for stale in directory.glob("part-*.parquet"):
                stale.unlink()
    write_output_card(out, counts)
    return counts


ZONE_COLUMNS = ["blog_url", "published", UTC_OFFSET, ORIGIN]
# Rows a crawl and a build of its WARC both write (listing rows a crawl may skip): the
# zones learnt from them agree whatever way the shards were made.
_STATING_ORIGINS = pa.array([int(Origin.PERMALINK), int(Origin.API)], pa.int8())


def blog_zones(out: Path) -> dict[str, tzinfo]:
    """Each blog's zone, from the offsets its zoned sources stated (blogs that stated none are absent)."""
    stated: dict[str, list[tuple[Any, int]]] = {}
    for path in sorted(segments_dir(out).glob("seg-*.parquet")):
        try:
            names = pq.read_schema(path).names
        except (pa.ArrowException, OSError) as exc:
            raise DamagedFile(path, str(exc).splitlines()[0]) from exc
        if UTC_OFFSET not in names:  # written before offsets were kept
            continue
        table = read_segment(path, ZONE_COLUMNS)
        keep = pc.and_(pc.is_valid(table[UTC_OFFSET]), pc.is_in(table[ORIGIN], value_set=_STATING_ORIGINS))
        table = table.filter(pc.and_(keep, pc.is_valid(table["published"])))
        for blog, instant, offset in zip(*(table[c].to_pylist() for c in ZONE_COLUMNS[:3])):
            stated.setdefault(blog, []).append((instant, offset))
    return {blog: zone_from(found) for blog, found in stated.items()}


def rezone_row(row: dict[str, Any], zone: tzinfo) -> None:
    """Read a segment row's zone-less times (its own and its comments') in its blog's zone."""
    if row.get(PUBLISHED_LOCAL) is not None:
        row["published"] = rezone(row[PUBLISHED_LOCAL], zone)
    for comment, local in zip(row["comments"], row.get(COMMENTS_LOCAL) or []):
        if local is not None:
            comment["published"] = rezone(local, zone)


def _spill_buckets(out: Path, spill: Path, chosen: pa.Table, needed: pa.Table) -> int:
    """Copy the segment rows ``needed`` refers to into per-bucket Arrow files, in segment order."""
    position = pc.index_in(needed["id"], value_set=chosen["id"])  # the post's place in shard order
    wanted = pc.is_valid(position)
    # A row may be needed twice (a feed entry that is also the chosen row): once is enough.
    seqs, first = np.unique(pc.filter(needed[SEQ], wanted).to_numpy(), return_index=True)
    bucket_of = pc.filter(position, wanted).to_numpy()[first] // BUCKET_POSTS
    buckets = -(-chosen.num_rows // BUCKET_POSTS)
    writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
    try:
        start = 0
        for path in sorted(segments_dir(out).glob("seg-*.parquet")):
            rows = segment_rows(path)
            low, high = seqs.searchsorted(start), seqs.searchsorted(start + rows)
            if high > low:
                table = read_segment(path).take(pa.array(seqs[low:high] - start))
                table = table.append_column(SEQ, pa.array(seqs[low:high]))
                for number in sorted(set(bucket_of[low:high].tolist())):
                    if number not in writers:
                        writers[number] = pa.ipc.new_stream(str(spill / f"{number}.arrow"), table.schema)
                    writers[number].write_table(table.filter(pa.array(bucket_of[low:high] == number)))
            start += rows
    finally:
        for writer in writers.values():
            writer.close()
    return buckets


def _read_spill(spill: Path, number: int) -> list[dict[str, Any]]:
    path = spill / f"{number}.arrow"
    with pa.ipc.open_stream(pa.memory_map(str(path))) as reader:
        return reader.read_all().to_pylist()


def _finished_rows(rows: list[dict[str, Any]], bucket: pa.Table, feeds: pa.Table,
                   zones: dict[str, tzinfo]) -> Iterable[dict[str, Any]]:  # fmt: skip
    """A bucket's chosen rows in shard order, with later comment pages and feed entries merged,
    zone-less times read in their blog's zone, extracted."""
    for row in rows:
        if row["blog_url"] in zones:
            rezone_row(row, zones[row["blog_url"]])
    by_seq = {row[SEQ]: row for row in rows}
    more_comments = comments_by_post([row for row in rows if row[ORIGIN] == Origin.COMMENTS])
    in_bucket = feeds.filter(pc.is_in(feeds["id"], value_set=bucket["id"]))
    feed_of = {key: {f: by_seq[seq][f] for f in FEED_FIELDS} for key, seq in zip(in_bucket["id"].to_pylist(),
                                                                                  in_bucket[SEQ].to_pylist())}  # fmt: skip
    for seq in bucket[SEQ].to_pylist():
        row = dict(by_seq[seq])
        changed = False
        if row["id"] in more_comments:
            row["comments"] = merge_comments(row["comments"], more_comments[row["id"]])
            changed = True
        if row[ORIGIN] != Origin.API and row["id"] in feed_of:
            changed = merge_feed_entry(row, feed_of[row["id"]]) or changed
        if row.get(PENDING_HTML) is not None or row.get("content_hash") is None:
            finish_row(row)
        elif changed:
            row["content_hash"] = content_hash(row["title"], row["text"], row["comments"])
        yield row


class _ShardWriter:
    """Rows in (platform, id) order to ``part-NNNNN-<hash>.parquet`` files of ``shard_rows`` rows.

    A row group (``ROW_GROUP_ROWS``) is built from small Arrow chunks then written whole,
    so the files are byte for byte what writing each shard's table at once gives.
    """

    def __init__(self, data: Path, shard_rows: int) -> None:
        self.data = data
        self.shard_rows = shard_rows
        self.counts: dict[str, int] = {}
        self.written: list[Path] = []
        self.platform: str | None = None
        self.file: pq.ParquetWriter | None = None
        self.path: Path | None = None
        self.chunks: list[pa.Table] = []
        self.pending: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        if row["platform"] != self.platform:
            self._close_platform()
            self.platform = row["platform"]
            self.counts[self.platform] = 0
        self.pending.append(to_row(row))
        self.counts[self.platform] += 1
        if len(self.pending) >= ARROW_CHUNK_ROWS:
            self._chunk()
        if self.counts[self.platform] % self.shard_rows == 0:
            self._close_file()
        elif (self.counts[self.platform] % self.shard_rows) % ROW_GROUP_ROWS == 0:
            self._row_group()

    def close(self) -> dict[str, int]:
        self._close_platform()
        return self.counts

    def _chunk(self) -> None:
        if self.pending:
            self.chunks.append(pa.Table.from_pylist(self.pending, schema=POST_SCHEMA))
            self.pending = []

    def _row_group(self) -> None:
        self._chunk()
        if not self.chunks:
            return
        if self.file is None:
            number = (self.counts[self.platform] - 1) // self.shard_rows
            self.path = self.data / self.platform / f"part-{number:05d}"
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = pq.ParquetWriter(_tmp_name(self.path), POST_SCHEMA, compression="zstd")
        self.file.write_table(pa.concat_tables(self.chunks).combine_chunks(), row_group_size=ROW_GROUP_ROWS)
        self.chunks = []

    def _close_file(self) -> None:
        self._row_group()
        if self.file is not None and self.path is not None:
            self.file.close()
            tmp = _tmp_name(self.path)
            final = self.path.with_name(content_name(self.path.name, tmp))
            _commit(tmp, final)
            self.written.append(final)
        self.file = self.path = None

    def _close_platform(self) -> None:
        self._close_file()
        if self.platform is not None:
            directory = self.data / self.platform
            for stale in set(directory.glob("part-*.parquet")) - set(self.written):
                stale.unlink()


def count_comments(out: Path) -> int:
    """Comments in the final shards (for the end-of-run summary)."""
    return sum(
        pc.sum(pc.list_value_length(pq.read_table(path, columns=["comments"])["comments"])).as_py() or 0
        for path in shard_files(out)
    )


def shard_files(out: Path, platform: str = "*") -> list[Path]:
    """The final shards of a crawl output (of one platform, or all), in order."""
    return sorted((out / "data").glob(f"{platform}/part-*.parquet"))


def data_files_yaml(paths: list[str]) -> list[str]:
    """A config's ``data_files`` in the card: every file by name (no glob: see the module docstring)."""
    if not paths:
        return ["  data_files:", "  - split: train", "    path: []"]
    return ["  data_files:", "  - split: train", "    path:", *(f"    - {path}" for path in paths)]


def write_output_card(out: Path, counts: dict[str, int]) -> None:
    """A minimal dataset card so ``datasets.load_dataset(OUT)`` reads exactly the current shards."""
    files = {p: [f.relative_to(out).as_posix() for f in shard_files(out, p)] for p in sorted(counts)}
    lines = ["---", "configs:", "- config_name: default", "  default: true",
             *data_files_yaml([f for p in files for f in files[p]])]  # fmt: skip
    for platform in files:
        lines += [f"- config_name: {platform}", *data_files_yaml(files[platform])]
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
        self.crawler = crawler
        self.out = Path(settings.get("BLOGARCHIVE_OUTPUT"))
        self.shard_rows = settings.getint("BLOGARCHIVE_SHARD_ROWS")
        self.stats = crawler.stats
        self.ledger = getattr(crawler, "ledger", None)  # the crawl keeps its ledger on the crawler
        self.recover_segments()
        self.writer = SegmentWriter(
            self.out,
            settings.getint("BLOGARCHIVE_SEGMENT_ROWS"),
            on_flush=self._durable,
            flush_seconds=settings.getfloat("BLOGARCHIVE_SEGMENT_SECONDS"),
        )
        # Flushing by time (the default), the first row is written at once: the crawl is seen to work.
        self.first_flushed = not settings.getfloat("BLOGARCHIVE_SEGMENT_SECONDS")

    @classmethod
    def from_crawler(cls, crawler: Any) -> ShardPipeline:
        from scrapy import signals

        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def _durable(self, rows: list[dict[str, Any]]) -> None:
        if self.ledger is not None:
            self.ledger.mark_fetched([r for r in rows if r[ORIGIN] == 0])

    def recover_segments(self) -> None:
        """Damaged segments moved aside and their posts made to be fetched again (under the output lock)."""
        moved = quarantine_damaged_segments(self.out)
        if not moved:
            return
        self.stats.set_value("blogarchive/resume/quarantined_segments", len(moved))
        if self.ledger is not None:
            refetch = self.ledger.forget_fetched_except(durable_post_ids(self.out))
            self.stats.set_value("blogarchive/resume/refetched_posts", refetch)
            logger.warning(
                "%d damaged segments moved aside: their %d posts are fetched again", len(moved), refetch
            )

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        try:
            self.writer.add(item)
            if not self.first_flushed:
                self.first_flushed = True
                self.writer.flush()
        except OSError as exc:  # a full disk: rows stay unmarked in the ledger, the next run fetches them
            fail(self.crawler, os_failure(exc, self.writer.directory))
        except (
            sqlite3.OperationalError
        ) as exc:  # the ledger's disk is full: the segment is whole, re-fetching is safe
            fail(self.crawler, f"{self.out / STATE_DIR / 'ledger.sqlite'}: {exc}: {RERUN_HINT}")
        return item

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Flush and finalize; a failure is the run's failure (Scrapy would only log it)."""
        try:
            self.finish(spider, reason)
        except DamagedFile as exc:
            moved = quarantine(exc.path)
            if self.ledger is not None:
                self.ledger.forget_fetched_except(durable_post_ids(self.out))
            fail(self.crawler, f"{exc}: moved to {moved}; run the same command again to fetch its posts again",
                 stop=False)  # fmt: skip
        except OSError as exc:
            fail(self.crawler, os_failure(exc), stop=False)
        except Exception as exc:
            logger.exception("finalize failed")
            fail(
                self.crawler,
                f"writing the shards of {self.out} failed: {type(exc).__name__}: {exc}",
                stop=False,
            )

    def finish(self, spider: Any, reason: str) -> None:
        self.writer.flush()
        if self.ledger is not None:  # the media index first: the shards' media_files come from it
            write_index(self.out, (MediaRecord(**r) for r in self.ledger.media_records()))
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
        exclude = self.ledger.unseen_ids(spider.crawled_blogs)
        self.stats.set_value("blogarchive/incremental/deleted", len(exclude))
        return exclude
