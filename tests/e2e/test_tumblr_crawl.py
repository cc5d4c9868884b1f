"""Crawl the fixture Tumblr blog end to end, once per enumeration path, and check every post against its truth.

The crawls run side by side (one fixture web, one port per variant):
- ``v1``: the legacy read API is the only way past the home page (no ``/page/N``, archive or tag pages);
- ``v2``: only the API v2 with a key enumerates, behind a GDPR consent wall the spider's cookie opens;
- ``html``: every API answers 404/500 and RSS is gone: the HTML listings and permalinks do it all;
- ``budget``: the API v2 budget runs out after one page; the keyless sources bring the rest;
- ``wall``: the consent wall with no cookie: counted, and never stored as a post.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from crawler.urls import canonicalize
from tests.helpers import ROOT, FixtureWeb, blogarchive, content_outcomes, read_posts, read_stats

FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "BLOGARCHIVE_WORKERS=0")
SPECS = {
    "v1": "tumblr:listings=0",
    "v2": "tumblr:listings=0,v1=0,rss=0,consent=1",
    "html": "tumblr:api=0,rss=0",
    "budget": "tumblr:posts=60,v1=0,rss=0,budget=1",
    "wall": "tumblr:consent=1,posts=5",
}
CHROME = ("il y a", "Ask me anything", "Submit", " notes", "#", "rebloggé depuis", "Rebloguer", "a aimé ce billet",
          "Billet précédent", "Page suivante", "bienvenue sur mon ancien blog")  # fmt: skip


def scrapy_crawl(url: str, out: Path, *settings: str) -> None:
    """``scrapy crawl tumblr``: the Tumblr spider (API key, consent cookie), which ``blogarchive crawl`` does not pick."""
    args = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "tumblr",
        "-a",
        f"url={url}",
        "-s",
        f"BLOGARCHIVE_OUTPUT={out}",
    ]
    for setting in (*settings, "LOG_LEVEL=WARNING"):
        args += ["-s", setting]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not (out / "stats.json").exists():
        raise AssertionError(f"scrapy crawl tumblr exited {result.returncode}\n{result.stderr[-3000:]}")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    names = list(SPECS)
    web = FixtureWeb(*SPECS.values())
    try:
        urls = dict(zip(names, web.urls))
        outs = {name: tmp_path_factory.mktemp(name) for name in names}
        fast = [FAST[i + 1] for i in range(0, len(FAST), 2)]
        key = ["BLOGARCHIVE_TUMBLR_API_KEY=fake"]
        jobs = {
            "v1": lambda: blogarchive(
                "crawl", urls["v1"] + "/", "-o", str(outs["v1"]), "--loglevel", "WARNING", *FAST
            ),
            "v2": lambda: scrapy_crawl(
                urls["v2"] + "/", outs["v2"], *fast, *key, f"BLOGARCHIVE_TUMBLR_API_URL={urls['v2']}"
            ),
            "html": lambda: blogarchive(
                "crawl", urls["html"] + "/", "-o", str(outs["html"]), "--loglevel", "WARNING", *FAST
            ),
            "budget": lambda: scrapy_crawl(
                urls["budget"] + "/",
                outs["budget"],
                *fast,
                *key,
                f"BLOGARCHIVE_TUMBLR_API_URL={urls['budget']}",
            ),  # fmt: skip
            "wall": lambda: scrapy_crawl(
                urls["wall"] + "/", outs["wall"], *fast, "BLOGARCHIVE_TUMBLR_CONSENT_COOKIE="
            ),
        }
        with ThreadPoolExecutor(len(jobs)) as pool:
            for future in [pool.submit(job) for job in jobs.values()]:
                future.result()
        yield {
            name: (web.site(i), read_posts(outs[name]), read_stats(outs[name]))
            for i, name in enumerate(names)
        }
    finally:
        web.close()


def check_every_post(site, rows) -> None:
    """Every post once, each field as the blog has it: the same record whatever path found the post."""
    by_url = {r["url"]: r for r in rows}
    assert sorted(by_url) == sorted(canonicalize(site.url(p.path)) for p in site.posts)
    assert len(rows) == len(by_url)
    for post in site.posts:
        row = by_url[canonicalize(site.url(post.path))]
        where = post.path
        assert row["platform"] == "tumblr" and row["blog_url"] == canonicalize(site.url("/")), where
        assert row["blog_title"] == "Je suis un Netizen, et vous ?", where
        assert row["title"] == post.title, where
        assert row["author"] == post.author, where
        assert row["published"] == post.published, where
        assert row["tags"] == post.tags, where
        assert post.text in row["text"], where
        assert row["media_urls"] == [site.media_url(m) for m in post.media_urls], where
        extra = json.loads(row["extra"])
        assert {k: extra.get(k) for k in post.extra} == post.extra, where
        assert extra["post_id"] == post.path.rsplit("/", 1)[1], where
        assert row["comments"] == [] and row["comment_count"] is None, where
        for chrome in CHROME:
            assert chrome not in row["text"], (where, chrome)


@pytest.mark.parametrize("name", ["v1", "v2", "html", "budget"])
def test_every_post_type_tag_and_date(crawls, name):
    site, rows, stats = crawls[name]
    check_every_post(site, rows)
    types = {json.loads(r["extra"])["type"] for r in rows}
    assert types == {"text", "photo", "quote", "link", "chat", "audio", "video"}
    assert {r["source"] for r in rows} == {"live"}
    assert content_outcomes(stats) == {}


def test_legacy_api_enumerates_past_the_home_page(crawls):
    site, rows, stats = crawls["v1"]
    assert stats["pages"]["feed"] >= 2  # /api/read/json and /rss
    assert stats["pages"].get("listing", 0) == 0 and stats["pages"]["post"] == len(site.posts) == 30
    assert set(stats["errors"]) <= {"http_404"}  # the blog's tag pages are gone in this variant


def test_api_v2_behind_the_consent_wall(crawls):
    site, rows, stats = crawls["v2"]
    assert stats["scrapy"]["blogarchive/tumblr/api_requests"] == 1
    assert stats["pages"]["post"] == 30
    assert "blogarchive/tumblr/api_budget_spent" not in stats["scrapy"]


def test_html_listings_alone_when_every_api_fails(crawls):
    site, rows, stats = crawls["html"]
    assert stats["pages"]["listing"] >= 3  # /page/2, /page/3 and the archive at least
    assert stats["pages"]["post"] == 30
    feed_errors = stats["scrapy"].get("blogarchive/errors_by_kind/feed", 0)
    assert feed_errors == 2  # /api/read/json and /rss, each counted once


def test_spent_api_budget_stops_the_api_not_the_crawl(crawls):
    site, rows, stats = crawls["budget"]
    assert len(rows) == len(site.posts) == 60
    counters = stats["scrapy"]
    assert counters["blogarchive/tumblr/api_requests"] == 1  # the first page only: no 429, no retries
    assert counters["blogarchive/tumblr/api_budget_spent"] == 1
    assert counters["blogarchive/tumblr/api_skipped"] == 1


def test_consent_wall_is_an_outcome_not_content(crawls):
    site, rows, stats = crawls["wall"]
    assert rows == []
    assert stats["outcomes"]["consent_wall"] >= 1
    assert stats["posts"] == 0
