"""Segments are whole or absent; finalize is deterministic and picks one row per post."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pyarrow.parquet as pq

from crawler.parsers.media import select_media
from pipelines.finalize import best_rows, finalize
from pipelines.segments import SegmentWriter, read_segments, segment_table
from pipelines.shards import shard_files
from schemas.origins import Origin
from schemas.segment import COMMENTS_LOCAL, ORIGIN, PENDING_HTML, PUBLISHED_LOCAL, UTC_OFFSET

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def row(
    n: int,
    origin: Origin = Origin.PERMALINK,
    fetched: datetime = T0,
    text: str | None = "Texte du billet",
    **extra,
):
    url = f"https://x.blogspot.com/2014/03/post-{n}.html"
    return {
        "id": f"{n:032d}", "url": url, "blog_url": "https://x.blogspot.com/", "platform": "blogspot",
        "title": f"Billet {n}", "text": text, "tags": [], "comments": [], "media_urls": [], "source": "live",
        "fetched_at": fetched, "content_hash": "0" * 64 if text else None, "warc_record_id": f"<urn:uuid:{n}>",
        ORIGIN: int(origin), PENDING_HTML: None, **extra,
    }  # fmt: skip


def test_best_row_prefers_permalink_then_latest_fetch():
    rows = [
        row(1, Origin.LISTING, T0 + timedelta(hours=5), title="from listing"),
        row(1, Origin.PERMALINK, T0, title="old permalink"),
        row(1, Origin.PERMALINK, T0 + timedelta(hours=1), title="new permalink"),
        row(2, Origin.LISTING, T0, title="only listing"),
    ]
    chosen = best_rows(segment_table(rows)).to_pylist()
    assert [r["title"] for r in chosen] == ["new permalink", "only listing"]


def test_segments_are_written_whole_and_numbered(tmp_path):
    writer = SegmentWriter(tmp_path, flush_rows=2)
    for n in range(5):
        writer.add(row(n))
    writer.flush()
    files = sorted(p.name for p in (tmp_path / ".state" / "segments").iterdir())
    assert files == ["seg-000000.parquet", "seg-000001.parquet", "seg-000002.parquet"]
    assert read_segments(tmp_path).num_rows == 5
    assert SegmentWriter(tmp_path, flush_rows=2)._next == 3  # a resumed writer never overwrites


def test_finalize_extracts_pending_rows_and_is_byte_identical(tmp_path):
    outs = []
    for name, order in (("a", [2, 0, 1]), ("b", [1, 2, 0])):
        out = tmp_path / name
        writer = SegmentWriter(out, flush_rows=2)
        for n in order:
            pending = n == 2
            writer.add(row(n, Origin.LISTING if pending else Origin.PERMALINK, text=None if pending else "Texte",
                           **{PENDING_HTML: "<p>Un billet lu sur la page d'accueil du blog, écrit en français.</p>"} if pending else {}))  # fmt: skip
        writer.flush()
        assert finalize(out, shard_rows=2, select_media=select_media) == {"blogspot": 3}
        outs.append(out)
    a = sorted((outs[0] / "data" / "blogspot").glob("*.parquet"))
    b = sorted((outs[1] / "data" / "blogspot").glob("*.parquet"))
    assert [re.sub(r"-[0-9a-f]{16}\.", ".", p.name) for p in a] == [
        "part-00000.parquet",
        "part-00001.parquet",
    ]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    rows = [r for p in a for r in pq.read_table(p).to_pylist()]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    pending = next(r for r in rows if r["url"].endswith("post-2.html"))
    assert (
        pending["text"] == "Un billet lu sur la page d'accueil du blog, écrit en français."
        and pending["language"] == "fr"
    )
    assert (outs[0] / "README.md").read_text().startswith("---\nconfigs:")


def test_later_comment_pages_are_merged_in_order(tmp_path):
    def comment(n: int) -> dict:
        return {
            "id": f"c{n}",
            "author": "a",
            "author_url": None,
            "published": T0,
            "text": f"commentaire {n}",
            "parent_id": None,
        }

    writer = SegmentWriter(tmp_path, flush_rows=100)
    writer.add(row(7, Origin.COMMENTS, extra='{"comment_offset": 100}', comments=[comment(3)]))
    writer.add(row(7, Origin.PERMALINK, comments=[comment(1)]))
    writer.add(row(7, Origin.COMMENTS, extra='{"comment_offset": 50}', comments=[comment(2), comment(1)]))
    writer.add(
        row(8, Origin.COMMENTS, extra='{"comment_offset": 50}', comments=[comment(9)])
    )  # only a comment page
    writer.flush()
    finalize(tmp_path, select_media=select_media)
    rows = {r["url"][-11:]: r for r in pq.read_table(shard_files(tmp_path)[0]).to_pylist()}
    assert [c["id"] for c in rows["post-7.html"]["comments"]] == ["c1", "c2", "c3"]
    assert [c["id"] for c in rows["post-8.html"]["comments"]] == ["c9"]


def test_feed_entry_is_merged_into_the_permalink_row(tmp_path):
    writer = SegmentWriter(tmp_path, flush_rows=100)
    writer.add(row(3, Origin.PERMALINK, tags=[], published=None))
    feed_published = datetime(2014, 3, 5, 9, 22, tzinfo=timezone.utc)
    writer.add(row(3, Origin.API, tags=["recettes"], published=feed_published, updated=feed_published,
                   extra='{"post_id": "123"}', text=None))  # fmt: skip
    writer.flush()
    finalize(tmp_path, select_media=select_media)
    (merged,) = pq.read_table(shard_files(tmp_path)[0]).to_pylist()
    assert merged["tags"] == ["recettes"] and merged["published"] == feed_published
    assert merged["updated"] == feed_published and merged["extra"] == '{"post_id": "123"}'
    assert merged["text"] == "Texte du billet"  # the page's text, not the feed's


def _zone_rows() -> list[dict]:
    """A Philippine blog: its feed states +08:00 for post 1; post 2's page shows a zone-less
    "July 05, 2020 10:00" (read as Paris for now); post 3 shows a date only; another blog
    (y) states nothing, so its zone-less time stays Paris."""
    stated = datetime(2020, 7, 4, 16, 0, tzinfo=timezone.utc)  # 2020-07-05T00:00+08:00
    paris = datetime(2020, 7, 5, 8, 0, tzinfo=timezone.utc)  # 10:00 in Paris (CEST)
    return [
        row(1, Origin.API, published=stated, published_precision="second", text=None, **{UTC_OFFSET: 480}),
        row(2, published=paris, published_precision="minute", **{PUBLISHED_LOCAL: datetime(2020, 7, 5, 10)},
            comments=[{"id": "c1", "author": "a", "author_url": None, "published": paris, "text": "Salamat!",
                       "parent_id": None},
                      {"id": "c2", "author": "b", "author_url": None, "published": stated, "text": "exact",
                       "parent_id": None}],
            **{COMMENTS_LOCAL: [datetime(2020, 7, 5, 10), None]}),
        row(3, published=datetime(2020, 7, 5, tzinfo=timezone.utc), published_precision="day"),
        {**row(4, published=paris, published_precision="minute", **{PUBLISHED_LOCAL: datetime(2020, 7, 5, 10)}),
         "blog_url": "https://y.blogspot.com/", "url": "https://y.blogspot.com/2020/07/post-4.html"},
    ]  # fmt: skip


def test_finalize_reads_zone_less_times_in_the_zone_the_blog_stated(tmp_path):
    writer = SegmentWriter(tmp_path, flush_rows=100)
    for record in _zone_rows():
        writer.add(record)
    writer.flush()
    finalize(tmp_path, select_media=select_media)
    rows = {r["url"][-11:]: r for r in pq.read_table(tmp_path / "data" / "blogspot").to_pylist()}
    assert rows["post-2.html"]["published"] == datetime(2020, 7, 5, 2, 0, tzinfo=timezone.utc)
    # the zone-less comment too; the exact one (a showComment epoch, say) is left alone
    assert [c["published"] for c in rows["post-2.html"]["comments"]] == [
        datetime(2020, 7, 5, 2, 0, tzinfo=timezone.utc), datetime(2020, 7, 4, 16, 0, tzinfo=timezone.utc)
    ]  # fmt: skip
    assert rows["post-3.html"]["published"] == datetime(
        2020, 7, 5, tzinfo=timezone.utc
    )  # a day stays the day
    assert rows["post-4.html"]["published"] == datetime(2020, 7, 5, 8, 0, tzinfo=timezone.utc)  # Paris
    assert [rows[f"post-{n}.html"]["published_precision"] for n in (1, 2, 3)] == ["second", "minute", "day"]


def test_finalize_zones_do_not_depend_on_arrival_order(tmp_path):
    outs = []
    for name, order in (("a", [0, 1, 2, 3]), ("b", [3, 2, 1, 0])):
        out = tmp_path / name
        writer = SegmentWriter(out, flush_rows=1)  # one row a segment: the stated offset comes first or last
        records = _zone_rows()
        for n in order:
            writer.add(records[n])
        writer.flush()
        finalize(out, select_media=select_media)
        outs.append(out)
    a, b = (sorted((out / "data" / "blogspot").glob("*.parquet")) for out in outs)
    assert a and [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_segments_of_an_older_version_still_finalize(tmp_path, select_media=select_media):
    old = segment_table([row(5, published=T0, published_precision="minute")]).drop_columns(
        [PUBLISHED_LOCAL, UTC_OFFSET, "published_precision"]
    )
    directory = tmp_path / ".state" / "segments"
    directory.mkdir(parents=True)
    pq.write_table(old, directory / "seg-000000.parquet")
    assert finalize(tmp_path, select_media=select_media) == {"blogspot": 1}
    (only,) = pq.read_table(tmp_path / "data" / "blogspot").to_pylist()
    assert only["published"] == T0 and only["published_precision"] is None
