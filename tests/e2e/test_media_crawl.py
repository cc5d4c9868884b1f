"""Post images archived end to end: once each, at the largest size, no chrome, incremental, rebuilt."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from crawler.warc import iter_captures, warc_files
from tests.fixtureweb.media import FULL_SIZE
from tests.fixtureweb.server import FixtureWeb
from tests.helpers import blogarchive, read_posts, read_stats

FAST = ["--workers", "0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
        "-s", "BLOGARCHIVE_MEDIA_MAXSIZE=1000000"]  # fmt: skip
SITE = "blogspot:posts=20,media=1,seed=4"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def media_captures(out: Path) -> list:
    return [c for path in warc_files([out / "warc"]) for c in iter_captures(path)
            if c.metadata.get("blogarchive_kind") == "media"]  # fmt: skip


def test_post_images_archived_once_at_full_size_and_no_chrome(tmp_path):
    out = tmp_path / "out"
    with FixtureWeb(SITE) as web:
        blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)
        site = web.site()
    captures = media_captures(out)
    urls = [c.url for c in captures]
    assert len(urls) == len(set(urls)), "each file is fetched once per crawl"
    assert all("/s1600/" in url for url in urls), "always the largest size"
    assert not [u for u in urls if "smilies" in u or "spacer" in u or "blogblog" in u], "no chrome"
    photos = {p for post in site.posts for p in post.media_urls if "/photo-" in p}
    wanted = {p.replace("/s320/", "/s1600/").replace("/s72-c/", "/s1600/") for p in photos}
    fetched = {c.url for c in captures if c.status == 200 and "/photo-" in c.url}
    assert fetched == {web.urls[0].rstrip("/") + p for p in wanted}

    stats = read_stats(out)["media"]
    assert stats["fetched"] == {"image": len(wanted)} and stats["failed"] == {"image": 6}
    assert stats["outcomes"] == {"fetched": len(wanted), "http_404": 2, "wrong_type": 2, "too_large": 2}
    assert stats["bytes"]["image"] > 0

    cells = [cell for row in read_posts(out) for cell in row["media_files"]]
    by_outcome = {c["outcome"] for c in cells}
    assert by_outcome == {"fetched", "not_content", "http_404", "wrong_type", "too_large"}
    for cell in cells:
        assert (cell["sha256"] is not None) == (cell["outcome"] == "fetched")
    from pipelines.media import read_index

    index = read_index(out)
    assert {(r.width, r.height) for r in index.values() if r.outcome == "fetched"} == {FULL_SIZE}

    rebuilt = tmp_path / "rebuilt"
    blogarchive("build", str(out / "warc"), "-o", str(rebuilt))
    for mine, theirs in zip(
        sorted(out.glob("data/*/*.parquet")), sorted(rebuilt.glob("data/*/*.parquet")), strict=True
    ):
        assert mine.read_bytes() == theirs.read_bytes(), "a build of the WARC gives the crawl's shards"


def test_second_crawl_fetches_no_archived_page_or_file_and_text_first_crawl_gets_images_later(tmp_path):
    port = free_port()
    out = tmp_path / "out"
    with FixtureWeb(f"{SITE},port={port}") as web:
        blogarchive("crawl", web.urls[0], "-o", str(out), "--media", "none", *FAST)
        assert media_captures(out) == [] and read_stats(out)["media"]["fetched"] == {}
        assert {c["outcome"] for r in read_posts(out) for c in r["media_files"]} == {
            "not_fetched",
            "not_content",
        }

        blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)  # images now, pages already archived
        second = read_stats(out)
        assert second["pages"].get("post", 0) == 0, "no post page is fetched again"
        assert second["media"]["fetched"] == {"image": 6}
        first_files = len(media_captures(out))

        blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)
        third = read_stats(out)
    assert third["pages"].get("post", 0) == 0
    assert third["media"]["fetched"] == {}, "no file already archived is fetched again"
    # Only the failed files are tried again: 2 broken, 2 wrong-type, and the redirect before one of
    # the 2 too large (which leave no response of their own).
    assert len(media_captures(out)) == first_files + 5
    rows = read_posts(out)
    assert (
        sum(c["outcome"] == "fetched" for r in rows for c in r["media_files"]) == 8
    )  # 6 files, 2 posts twice


def test_snapshot_media_config_loads_pictures_light_and_opted_out(tmp_path):
    import datasets

    from crawler.release.options import SnapshotOptions
    from crawler.release.rows import url_key
    from crawler.release.snapshot import build_snapshot

    out = tmp_path / "out"
    with FixtureWeb(SITE) as web:
        blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)
    snap = tmp_path / "snap"
    result = build_snapshot([out], snap, SnapshotOptions(version="1.0.0"))
    assert result.manifest.counts["media_files"] == 6 and result.manifest.counts["media_bytes"] > 0
    media = datasets.load_dataset(str(snap), "media", split="train", cache_dir=str(tmp_path / "hf"))
    assert len(media) == 6 and isinstance(media.features["image"], datasets.Image)
    for row in media:
        assert row["image"].size == FULL_SIZE == (row["width"], row["height"])
    posts = {r["id"]: r for r in read_posts(out)}
    assert all(
        any(c["file_url"] == row["url"] for c in posts[row["post_id"]]["media_files"]) for row in media
    )
    card = (snap / "README.md").read_text(encoding="utf-8")
    assert "config_name: media" in card and "**6 files**" in card and "belong to their authors" in card

    shown = posts[media[0]["post_id"]]
    light = build_snapshot([out], tmp_path / "light", SnapshotOptions(
        version="1.0.0", media_bytes=False, opt_out=frozenset({url_key(shown["url"])})))  # fmt: skip
    rows = datasets.load_dataset(
        str(tmp_path / "light"), "media", split="train", cache_dir=str(tmp_path / "hf2")
    )
    assert light.manifest.counts["media_files"] == len(rows) == 5, "the opted-out post's file left with it"
    assert all(row["image"] is None and row["sha256"] for row in rows)
    assert "--no-media-bytes" in (tmp_path / "light" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("spec", "media", "kinds"),
    [("typepad:posts=12", "images", {"image"}), ("canalblog:posts=12", "images", {"image"}),
     ("tumblr:posts=12", "all", {"image", "audio", "video"})],
)  # fmt: skip
def test_each_platform_archives_its_post_files_at_full_size(tmp_path, spec, media, kinds):
    out = tmp_path / "out"
    with FixtureWeb(spec) as web:
        blogarchive("crawl", web.urls[0], "-o", str(out), "--media", media, *FAST)
    from pipelines.media import read_index

    index = read_index(out)
    assert index and {r.outcome for r in index.values()} == {"fetched"}
    assert {r.kind for r in index.values()} == kinds
    assert {(r.width, r.height) for r in index.values() if r.kind == "image"} == {FULL_SIZE}
    cells = [c for row in read_posts(out) for c in row["media_files"]]
    wanted = {c["file_url"] for c in cells if c["file_url"] and c["kind"] in kinds}
    assert wanted == set(index), "every post file of a wanted kind, once"


def test_a_dead_blogs_files_come_from_the_archive_raw_captures(tmp_path):
    port = free_port()
    with FixtureWeb(f"typepad:closed=1,port={port}", f"wayback:origin=http://127.0.0.1:{port}") as web:
        out = tmp_path / "out"
        archive = web.urls[1]
        blogarchive("crawl", f"http://127.0.0.1:{port}/blog/", "-o", str(out), *FAST,
                    "-s", f"BLOGARCHIVE_WAYBACK_CDX={archive}/cdx/search/cdx", "-s", f"BLOGARCHIVE_WAYBACK_SNAPSHOTS={archive}/web/",
                    "-s", 'DOWNLOAD_SLOTS={"wayback": {"concurrency": 1, "delay": 0}}')  # fmt: skip
    from pipelines.media import read_index

    index = read_index(out)
    posts_with_images = [r for r in read_posts(out) if r["media_urls"]]
    assert posts_with_images and len(index) == len(posts_with_images)
    assert {r.outcome for r in index.values()} == {"fetched"}
    # The archive holds the sizes the pages showed, not the bare asset: the shown size is taken.
    assert read_stats(out)["scrapy"]["blogarchive/media/wayback_fallback"] == len(index)
    captures = [c for c in media_captures(out) if c.status == 200]
    assert captures and all(c.url.startswith(f"{archive}/web/") and "id_/" in c.url for c in captures)
    assert {c.metadata["blogarchive_source"] for c in captures} == {"wayback"}
