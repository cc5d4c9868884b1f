"""Crawl the fixture Blogspot blog end to end, with its feeds and with HTML only, and check every post.

The two crawls run side by side (one fixture web, one port each):
- ``feeds``: the JSON feed (25 entries a page whatever ``max-results`` asks) enumerates and hints every
  post; permalinks give bodies and threaded comments; UI in French and English (``lang=mixed``);
- ``html``: every ``/feeds/`` URL is a 404 and the template is the old one (time-only timestamps under
  a date header shown once per day, ``dl#comments-block`` comments): home, month archives and
  permalinks must find all 40 posts. Blogger's robots.txt forbids ``/search``, so the "Older posts"
  chain is refused by the crawler, as on the real platform;
- ``short``: the feed stops after 30 posts though its ``totalResults`` says 40: the month archives,
  held while the feed was read, are fetched and give the other 10 (with ``feeds``, whose feed gives
  every post, no archive is fetched at all).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.urls import canonicalize
from tests.helpers import FixtureWeb, blogarchive, content_outcomes, read_posts, read_stats

FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "--workers", "0", "--loglevel", "WARNING")  # fmt: skip
SPECS = {"feeds": "blogspot:posts=40,lang=mixed", "html": "blogspot:posts=40,feeds=0,lang=fr,template=old",
         "short": "blogspot:posts=40,feed_posts=30,lang=mixed"}  # fmt: skip
CHROME = ("Enregistrer un commentaire", "Aucun commentaire", "Post a Comment", "No comments", "Publié par",
          "Posted by", "Libellés :", "Labels:", "Article plus ancien", "Older Post", "Newer Post", "Accueil",
          "Inscription à", "Publier les commentaires (Atom)", "Lire la suite", "Répondre", "Supprimer", "a dit…",
          "Merci pour ce commentaire", "Envoyer par e-mail")  # fmt: skip


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    web = FixtureWeb(*SPECS.values())
    try:
        outs = {name: tmp_path_factory.mktemp(name) for name in SPECS}
        urls = dict(zip(SPECS, web.urls))
        with ThreadPoolExecutor(len(SPECS)) as pool:
            jobs = [
                pool.submit(blogarchive, "crawl", urls[n] + "/", "-o", str(outs[n]), *FAST) for n in SPECS
            ]
            for job in jobs:
                job.result()
        yield {
            name: (web.site(i), read_posts(outs[name]), read_stats(outs[name]), outs[name])
            for i, name in enumerate(SPECS)
        }
    finally:
        web.close()


@pytest.mark.parametrize("name", list(SPECS))
def test_every_post_once_and_nothing_else(crawls, name):
    site, rows, stats, _ = crawls[name]
    assert sorted(r["url"] for r in rows) == sorted(canonicalize(site.url(p.path)) for p in site.posts)
    assert {r["blog_url"] for r in rows} == {canonicalize(site.url("/"))}
    assert {(r["platform"], r["source"]) for r in rows} == {("blogspot", "live")}
    # The home's "Older posts" link (/search), a listing: not followed when the feed gave every post.
    forbidden = 0 if name == "feeds" else 1
    assert content_outcomes(stats) == ({"robots_forbidden": 1} if forbidden else {})
    assert stats.get("robotstxt_forbidden", 0) == forbidden
    # The only failures: the feed when there is none.
    feed_404 = 1 if name == "html" else 0
    assert stats["errors"].get("http_404", 0) == feed_404
    assert sum(stats["errors"].values()) == feed_404


def test_feeds_are_paged_past_the_server_cap(crawls):
    _, _, stats, _ = crawls["feeds"]
    assert stats["pages"]["feed"] == 2  # 25 + 15 entries: openSearch:totalResults (40) says there is no third
    _, _, html_stats, _ = crawls["html"]
    assert "feed" not in html_stats["pages"]


def test_archives_only_when_the_feed_falls_short(crawls):
    _, _, stats, _ = crawls["feeds"]
    assert "listing" not in stats["pages"]  # 40 entries for a totalResults of 40: every post is known
    _, _, short_stats, _ = crawls["short"]
    assert short_stats["pages"]["feed"] == 3  # 25 + 5 entries, then an empty page
    assert short_stats["pages"]["listing"] > 0


@pytest.mark.parametrize("name", list(SPECS))
def test_post_fields(crawls, name):
    site, rows, _, _ = crawls[name]
    by_url = {r["url"]: r for r in rows}
    for post in site.posts:
        row = by_url[canonicalize(site.url(post.path))]
        assert (row["title"], row["author"], row["published"], row["tags"]) == (
            post.title,
            post.author,
            post.published,
            post.tags,
        ), post.path
        assert post.text in row["text"], post.path
        assert row["comment_count"] == post.comment_count, post.path
        assert row["media_urls"] == [site.url(m) for m in post.media_urls], post.path
        assert row["blog_title"] == "Le jardin d'Hélène"
        for chrome in CHROME:
            assert chrome not in row["text"], (post.path, chrome)


@pytest.mark.parametrize("name", list(SPECS))
def test_comments(crawls, name):
    site, rows, _, _ = crawls[name]
    by_url = {r["url"]: r for r in rows}
    replies = 0
    for post in site.posts:
        comments = by_url[canonicalize(site.url(post.path))]["comments"]
        got = [(c["id"], c["author"], c["published"], c["parent_id"]) for c in comments]
        assert got == [(c.id, c.author, c.published, c.parent_id) for c in post.comments], post.path
        for comment, want in zip(comments, post.comments):
            assert want.text in comment["text"], post.path
            assert not any(chrome in comment["text"] for chrome in CHROME), post.path
        replies += sum(1 for c in comments if c["parent_id"])
    assert sum(len(p.comments) for p in site.posts) > 40
    assert (replies > 0) is (name != "html")  # the old template has no threads


def test_load_dataset_reads_the_crawl(crawls, tmp_path):
    import datasets

    site, rows, _, out = crawls["feeds"]
    loaded = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert loaded.num_rows == len(site.posts)
    assert sorted(loaded["url"]) == sorted(r["url"] for r in rows)
    assert sum(len(c) for c in loaded["comments"]) == sum(len(p.comments) for p in site.posts)
