"""Dead blogs read from a fake Wayback Machine on loopback: fallback, CDX paging, capture times, resume, build."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest

from crawler.parsers import typepad
from crawler.urls import canonicalize
from crawler.wayback.cdx import archived_at
from tests.helpers import FixtureWeb, blogarchive, content_outcomes, read_posts, read_stats

FAST = ("--workers", "0", "--loglevel", "WARNING", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        "-s", "BLOGARCHIVE_RETRY_BACKOFF=0.05")  # fmt: skip
CHROME = ("Wayback", "wm-ipp", "archive.org", "/web/20", "TOOLBAR")


def archive(url: str) -> tuple[str, ...]:
    """Point the crawl at the fake archive; no delay between its requests (one connection still)."""
    return ("-s", f"BLOGARCHIVE_WAYBACK_CDX={url}/cdx/search/cdx", "-s", f"BLOGARCHIVE_WAYBACK_SNAPSHOTS={url}/web/",
            "-s", 'DOWNLOAD_SLOTS={"wayback": {"concurrency": 1, "delay": 0}}')  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def archive_log(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/__log", timeout=10) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def dead_typepad(tmp_path_factory):
    """A Typepad blog that closed (live: the shutdown notice) and its captures; one clean crawl of it."""
    port = free_port()
    web = FixtureWeb(f"typepad:closed=1,port={port}", f"wayback:origin=http://127.0.0.1:{port},missing=5")
    try:
        out = tmp_path_factory.mktemp("dead-typepad")
        seed = f"http://127.0.0.1:{port}/blog/"
        blogarchive("crawl", seed, "-o", str(out), *FAST, *archive(web.urls[1]))
        yield web, web.site(1), seed, out
    finally:
        web.close()


def expected_url(site, path: str) -> str:
    return canonicalize(site.inner.url(path))


def test_a_closed_blog_falls_back_and_every_post_is_found(dead_typepad):
    web, site, seed, out = dead_typepad
    rows, stats = read_posts(out), read_stats(out)
    assert sorted(r["url"] for r in rows) == sorted(expected_url(site, p.path) for p in site.posts)
    assert content_outcomes(stats) == {"blog_gone": 1}  # the live home, then the archive took over
    assert stats["errors"] == {}
    assert stats["scrapy"]["blogarchive/wayback/fallback"] == 1
    assert {(r["source"], r["platform"], r["blog_url"]) for r in rows} == {
        ("wayback", "typepad", canonicalize(seed))
    }
    assert site.missing and all(expected_url(site, path) in {r["url"] for r in rows} for path in site.missing)


def test_posts_come_from_their_latest_capture(dead_typepad):
    _, site, _, out = dead_typepad
    by_url = {r["url"]: r for r in read_posts(out)}
    for post in site.posts:
        row = by_url[expected_url(site, post.path)]
        assert row["title"] == post.title, post.path
        if post.path in site.missing:  # read off a listing page: no permalink was ever captured
            assert row["archived_at"] is not None
            continue
        assert row["archived_at"] == archived_at(site.timestamps(post.path)[-1]), post.path
        assert row["author"] == post.author, post.path
        assert row["published"] == post.published, post.path
        assert row["tags"] == post.tags, post.path
        assert post.text in row["text"], post.path
        assert [c["author"] for c in row["comments"]] == [c.author for c in post.comments], post.path


def test_the_skewed_capture_is_read_where_the_archive_redirects(dead_typepad):
    _, site, _, out = dead_typepad
    row = {r["url"]: r for r in read_posts(out)}[canonicalize(site.skewed)]
    path = typepad.canonical_url(site.skewed).split(":", 2)[-1].split("/", 1)[-1]
    assert row["archived_at"] == archived_at(site.timestamps("/" + path)[-1])
    assert read_stats(out)["scrapy"]["blogarchive/wayback/nearest_capture_redirects"] == 1


def test_no_wayback_chrome_in_any_text(dead_typepad):
    _, _, _, out = dead_typepad
    for row in read_posts(out):
        texts = [row["text"], row["title"] or "", *(c["text"] for c in row["comments"])]
        for chrome in CHROME:
            assert not any(chrome in text for text in texts), (row["url"], chrome)


def test_the_archive_is_paged_and_throttling_is_waited_out(dead_typepad):
    web, site, _, out = dead_typepad
    scrapy_stats = read_stats(out)["scrapy"]
    log = archive_log(web.urls[1])
    assert scrapy_stats["blogarchive/wayback/cdx_pages"] == len(log["cdx"]) > 2  # resumeKey paging
    assert len(set(log["cdx"])) == len(log["cdx"])  # no page asked twice
    assert log["throttled"] == 1 and scrapy_stats["retry/reason_count/429 Unknown Status"] == 1
    assert log["banners"] == 0  # only raw id_ captures are fetched


def test_build_of_the_warc_gives_the_same_rows(dead_typepad, tmp_path):
    _, _, _, out = dead_typepad
    blogarchive("build", str(out / "warc"), "-o", str(tmp_path), "--workers", "0")
    assert read_posts(tmp_path) == read_posts(out)


def test_a_resumed_crawl_does_not_ask_the_cdx_again(dead_typepad, tmp_path):
    web, site, seed, clean = dead_typepad
    asked_before = len(archive_log(web.urls[1])["cdx"])
    command = ("crawl", seed, "-o", str(tmp_path), *FAST, *archive(web.urls[1]))
    blogarchive(*command, "-s", "CLOSESPIDER_ITEMCOUNT=3")
    first = read_stats(tmp_path)["scrapy"]
    asked_first = len(archive_log(web.urls[1])["cdx"]) - asked_before
    assert (
        first["finish_reason"] == "closespider_itemcount"
        and asked_first == first["blogarchive/wayback/cdx_pages"]
    )
    blogarchive(*command)
    second = read_stats(tmp_path)["scrapy"]
    assert len(archive_log(web.urls[1])["cdx"]) - asked_before == asked_first  # nothing asked again
    assert "blogarchive/wayback/cdx_pages" not in second
    assert second["blogarchive/wayback/cdx_cached"] == asked_first
    # A post read off listings may come from any listing that shows it (their capture times differ).
    listed = {expected_url(site, path) for path in site.missing}

    def essentials(rows: list[dict]) -> list[tuple]:
        return [(r["url"], r["title"], r["text"], r["source"], r["comments"],
                 None if r["url"] in listed else r["archived_at"]) for r in rows]  # fmt: skip

    assert essentials(read_posts(tmp_path)) == essentials(read_posts(clean))


def test_source_wayback_reads_a_blogspot_blog_and_its_country_domain(tmp_path, fixture_web):
    web = fixture_web("wayback:inner=blogspot,inner_posts=8,cc=1,page=15")
    site = web.site(0)
    since = min(min(site.timestamps(p.path)) for p in site.posts)[:8]
    blogarchive("crawl", "http://monblog.blogspot.com/", "-o", str(tmp_path), "--source", "wayback",
                "--wayback-prefer", "earliest", "--wayback-from", since, *FAST, *archive(web.urls[0]))  # fmt: skip
    rows = read_posts(tmp_path)
    assert sorted(r["url"] for r in rows) == sorted(expected_url(site, p.path) for p in site.posts)
    assert {r["source"] for r in rows} == {"wayback"}
    for post in site.posts:
        row = next(r for r in rows if r["url"] == expected_url(site, post.path))
        assert row["archived_at"] == archived_at(site.timestamps(post.path)[0]), post.path
        assert row["title"] == post.title and post.text in row["text"], post.path
    originals = set(site.captures)
    assert any(".blogspot.fr/" in url for url in originals)  # half the captures sit under .fr
    queries = [q for q in archive_log(web.urls[0])["cdx"] if "collapse=urlkey" in q and "from=" in q]
    assert any("blogspot.fr" in q for q in queries) and any("blogspot.com" in q for q in queries)
