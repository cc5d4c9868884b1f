"""Finalize: the segments to deterministic shards.

:func:`finalize` turns the segments into ``OUT/data/<platform>/part-NNNNN-<hash>.parquet``:
one row per post id (permalink beats feed beats listing, then the latest fetch),
pending rows extracted, sorted by id, zstd, bounded rows; the same rows give the same
bytes, whether they came from a crawl or from a build of its WARC.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.dedup import content_hash
from pipelines.media import media_files, read_index
from pipelines.merge import MERGED, merge_feed
from pipelines.rows import extra_json, finish_row
from pipelines.segments import DamagedFile, read_segment, read_segments, segment_rows
from pipelines.select import first_per_id
from pipelines.shards import ShardWriter, damaged_shards, write_output_card
from pipelines.zones import rezone, zone_from
from schemas.media import MediaSelector
from schemas.origins import Origin
from schemas.output import OutputDir
from schemas.segment import COMMENTS_LOCAL, ORIGIN, PENDING_HTML, PUBLISHED_LOCAL, UTC_OFFSET

logger = logging.getLogger(__name__)

BUCKET_POSTS = 5_000  # posts finalized at once: finalize's memory does not grow with the crawl

RANKING = [ORIGIN, "archived_at", "fetched_at", "warc_record_id"]  # what best_rows orders a post's rows by
KEY_COLUMNS = ["id", *RANKING, "platform"]

SEQ = "_seq"  # a row's place in the segments


def best_rows(table: pa.Table) -> pa.Table:
    """One row per id: lowest origin, then the newest Wayback capture, then the latest fetch,
    then the WARC record id (a total order: a crawl and a build choose alike)."""
    if table.num_rows == 0:
        return table

    def newest_first(column: str) -> pa.Array:
        return pc.negate(pc.fill_null(pc.cast(table[column], pa.int64()), 0))

    keyed = pa.table({"id": table["id"], ORIGIN: table[ORIGIN], "_archived": newest_first("archived_at"),
                      "_fetched": newest_first("fetched_at"), "warc_record_id": table["warc_record_id"]})  # fmt: skip
    order = [(name, "ascending") for name in keyed.column_names[1:]]
    return table.take(first_per_id(keyed, order))


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


# A merged field's segment column (the other fields are columns of the same name).
MERGED_COLUMN = {"post_id": "extra", "published_local": PUBLISHED_LOCAL, "utc_offset": UTC_OFFSET}
# A feed entry as the finalizer keeps it: the merged columns, and its key for best_rows.
FEED_FIELDS = list(dict.fromkeys(["id", *(MERGED_COLUMN.get(n, n) for n in MERGED), *RANKING]))


def merge_feed_entry(row: dict[str, Any], feed: dict[str, Any]) -> bool:
    """Merge a post's feed entry into its page's row by the rule of :func:`merge_feed`.

    Done here too because a post is often scheduled from a listing before the feed entry
    carrying its hint is read. Returns whether the title changed (it is in the hash).
    """
    title = row["title"]
    merged = merge_feed(_merge_view(row), _merge_view(feed))
    for name in MERGED:
        if name not in ("post_id", "extra"):
            row[MERGED_COLUMN.get(name, name)] = merged[name]
    row["extra"] = extra_json(merged["post_id"], merged["extra"])
    return row["title"] != title


def _merge_view(row: dict[str, Any]) -> dict[str, Any]:
    """A segment row's values under :data:`pipelines.merge.MERGED` names."""
    view = {name: row.get(MERGED_COLUMN.get(name, name)) for name in MERGED}
    extra = json.loads(row["extra"] or "{}")
    view["post_id"], view["extra"] = extra.pop("post_id", None), extra
    return view


def finalize(
    out: Path, shard_rows: int = 50_000, exclude: set[str] = frozenset(), *, select_media: MediaSelector
) -> dict[str, int]:
    """Write ``out/data/<platform>/part-NNNNN-<hash>.parquet`` from the segments; rows per platform.

    ``select_media``: the platforms' media rules (``crawler.parsers.media.select_media``), which
    give each post's ``media_files`` from its ``media_urls``.

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
    spill = OutputDir(out).spill
    shutil.rmtree(spill, ignore_errors=True)
    spill.mkdir(parents=True)
    media = read_index(out)
    try:
        buckets = _spill_buckets(out, spill, chosen, pa.concat_tables([chosen, comment_pages, feeds]))
        writer = ShardWriter(OutputDir(out).data, shard_rows)
        for number in range(buckets):
            bucket = chosen.slice(number * BUCKET_POSTS, BUCKET_POSTS)
            for row in _finished_rows(_read_spill(spill, number), bucket, feeds, zones):
                row["media_files"] = media_files(select_media(row["media_urls"], row["platform"]), media)
                writer.add(row)
        counts = writer.close()
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    data = OutputDir(out).data
    for directory in data.glob("*") if data.exists() else []:
        if directory.is_dir() and directory.name not in counts:
            for stale in directory.glob("part-*.parquet"):
                stale.unlink()
    write_output_card(out, counts)
    return counts


def rebuild_damaged_shards(out: Path, shard_rows: int = 50_000, *, select_media: MediaSelector) -> list[Path]:
    """Damaged shards moved aside and every shard written again from the segments; the damaged ones.

    Raises DamagedFile when ``out`` holds no segments to rebuild from. Call it under the output lock.
    """
    damaged = damaged_shards(out)
    if damaged and not any(OutputDir(out).segments.glob("seg-*.parquet")):
        raise DamagedFile(damaged[0], "no segments in .state/ to rebuild it from")
    for path in damaged:
        moved = OutputDir(out).quarantine / f"{path.parent.name}-{path.name}.{int(time.time())}"
        moved.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, moved)
        logger.warning(
            "%s is damaged: moved to %s, the shards are written again from the segments", path, moved
        )
    if damaged:
        finalize(out, shard_rows, select_media=select_media)
    return damaged


ZONE_COLUMNS = ["blog_url", "published", UTC_OFFSET, ORIGIN]

# Rows a crawl and a build of its WARC both write (listing rows a crawl may skip): the
# zones learnt from them agree whatever way the shards were made. (A list, made an array where
# used: pyarrow imports pandas at its first conversion, 0.45 s of CPU that an import of this
# module then cost before a build's workers fork.)
_STATING_ORIGINS = [int(Origin.PERMALINK), int(Origin.API)]


def blog_zones(out: Path) -> dict[str, tzinfo]:
    """Each blog's zone, from the offsets its zoned sources stated (blogs that stated none are absent)."""
    stated: dict[str, list[tuple[Any, int]]] = {}
    for path in sorted(OutputDir(out).segments.glob("seg-*.parquet")):
        try:
            names = pq.read_schema(path).names
        except (pa.ArrowException, OSError) as exc:
            raise DamagedFile(path, str(exc).splitlines()[0]) from exc
        if UTC_OFFSET not in names:  # written before offsets were kept
            continue
        table = read_segment(path, ZONE_COLUMNS)
        keep = pc.and_(
            pc.is_valid(table[UTC_OFFSET]),
            pc.is_in(table[ORIGIN], value_set=pa.array(_STATING_ORIGINS, pa.int8())),
        )
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
        for path in sorted(OutputDir(out).segments.glob("seg-*.parquet")):
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
