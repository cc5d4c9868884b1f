"""Crawl the live Typepad fixture blog end to end and check every post against its ground truth."""

from __future__ import annotations

import pytest

from crawler.urls import canonicalize
from tests.helpers import FixtureWeb, blogarchive, content_outcomes, read_posts, read_stats

FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    web = FixtureWeb("typepad:lang=mixed")
    try:
        out = tmp_path_factory.mktemp("typepad")
        blogarchive("crawl", web.urls[0] + "/blog/", "-o", str(out), "--loglevel", "WARNING", *FAST)
        yield web.site(0), read_posts(out), read_stats(out)
    finally:
        web.close()


def test_every_post_once_and_nothing_else(crawl):
    site, rows, stats = crawl
    expected = sorted(canonicalize(site.url(p.path)) for p in site.posts)
    assert sorted(r["url"] for r in rows) == expected
    assert content_outcomes(stats) == {}
    assert stats["errors"] == {}
    assert {r["blog_url"] for r in rows} == {canonicalize(site.url("/blog/"))}
    assert {r["platform"] for r in rows} == {"typepad"}


def test_post_fields(crawl):
    site, rows, _ = crawl
    by_url = {r["url"]: r for r in rows}
    for post in site.posts:
        row = by_url[canonicalize(site.url(post.path))]
        assert row["title"] == post.title, post.path
        assert row["author"] == post.author, post.path
        assert row["published"] == post.published, post.path
        assert row["tags"] == post.tags, post.path
        assert post.text in row["text"], post.path
        assert row["comment_count"] == post.comment_count, post.path
        assert row["media_urls"] == [site.url(m) for m in post.media_urls], post.path
        assert row["source"] == "live"


def test_comments_in_both_languages(crawl):
    site, rows, _ = crawl
    by_url = {r["url"]: r for r in rows}
    footers = {"fr": 0, "en": 0}
    for post in site.posts:
        comments = by_url[canonicalize(site.url(post.path))]["comments"]
        assert [c["author"] for c in comments] == [c.author for c in post.comments], post.path
        assert [c["published"] for c in comments] == [c.published for c in post.comments], post.path
        assert [c["id"] for c in comments] == [c.id for c in post.comments], post.path
        for got, want in zip(comments, post.comments):
            assert want.text in got["text"], post.path
        footers[post.extra["lang"]] += len(comments)
    assert footers["fr"] > 0 and footers["en"] > 0


def test_trackbacks_and_chrome_stay_out(crawl):
    site, rows, _ = crawl
    by_url = {r["url"]: r for r in rows}
    with_trackbacks = [p for p in site.posts if p.extra["trackback"]]
    assert with_trackbacks
    for post in with_trackbacks:
        row = by_url[canonicalize(site.url(post.path))]
        assert len(row["comments"]) == post.comment_count
        assert all("autre-blog.example" not in (c["author_url"] or "") for c in row["comments"])
    for row in rows:
        for chrome in (
            "Rédigé par",
            "Posted by",
            "Lien permanent",
            "Permalink",
            "TrackBack",
            "Lire la suite",
            "Archives",
        ):
            assert chrome not in row["text"], (row["url"], chrome)


def test_closed_blog_is_gone_not_a_post(tmp_path, fixture_web):
    web = fixture_web("typepad:closed=1")
    blogarchive("crawl", web.urls[0] + "/blog/", "-o", str(tmp_path), "--loglevel", "WARNING", *FAST)
    assert read_posts(tmp_path) == []
    assert read_stats(tmp_path)["outcomes"] == {"blog_gone": 1}


def test_a_new_york_blog_is_read_in_its_zone_by_crawl_and_build_alike(tmp_path, fixture_web):
    """Pages print New York wall times without a zone; only the feed (10 newest) states -05:00/-04:00.
    Finalize learns the zone from the feed and re-zones every other post and every comment."""
    web = fixture_web("typepad:posts=14,lang=en,tz=America/New_York")
    site = web.site()
    out, rebuilt = tmp_path / "out", tmp_path / "rebuilt"
    blogarchive("crawl", web.urls[0] + "/blog/", "-o", str(out), "--loglevel", "WARNING", *FAST)
    blogarchive("build", str(out / "warc"), "-o", str(rebuilt))
    rows = {r["url"]: r for r in read_posts(out)}
    for post in site.posts:
        row = rows[canonicalize(site.url(post.path))]
        assert row["published"] == post.published, post.path
        assert [c["published"] for c in row["comments"]] == [c.published for c in post.comments]
    assert {r["published_precision"] for r in rows.values()} == {"minute", "second"}
    crawled = sorted(p.relative_to(out) for p in (out / "data").glob("*/*.parquet"))
    assert crawled and all((out / p).read_bytes() == (rebuilt / p).read_bytes() for p in crawled)
