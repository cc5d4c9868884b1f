"""One crawl through every bad case at once, then politeness and bounds: the crawl goes on, counts, keeps.

The ``faults`` fixture site (tests/fixtureweb/sites/faults.py) documents each case.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.warc import iter_captures
from tests.fixtureweb.sites.faults import DISALLOWED_POST, FILE_CANARY, WEB_CANARY
from tests.helpers import blogarchive, read_posts, read_stats

FAST = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "BLOGARCHIVE_RETRY_BACKOFF=0.2",
        "-s", "BLOGARCHIVE_RETRY_MAX_WAIT=1", "--workers", "0")  # fmt: skip
GONE = ("canalblog", "typepad", "tumblr", "blogspot")
DEAD_SEED = "http://blog.invalid/"


def warc_requests(out: Path) -> list[tuple[str, dict[str, str]]]:
    """(URL, request headers) of every request record of the crawl."""
    found = []
    for path in sorted((out / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "request":
                    headers = dict(record.http_headers.headers) if record.http_headers else {}
                    found.append((record.rec_headers.get_header("WARC-Target-URI"), headers))
    return found


def responses(out: Path) -> list:
    return [c for path in sorted((out / "warc").glob("*.warc.gz")) for c in iter_captures(path)]


@pytest.fixture(scope="module")
def faults_crawl(tmp_path_factory):
    """The faults blog, a blog with a broken feed, the four platforms' deleted blogs and a dead host."""
    from tests.helpers import FixtureWeb

    specs = ["faults", "faults:mode=blog,feed=broken,seed=5", *(f"faults:mode=gone-{p}" for p in GONE)]
    out = tmp_path_factory.mktemp("faults") / "out"
    with FixtureWeb(*specs) as web:
        result = blogarchive("crawl", *web.urls, DEAD_SEED, "-o", str(out), *FAST)
        sites = [web.site(i) for i in range(2)]
        gone_urls = dict(zip(GONE, web.urls[2:]))
    return sites, gone_urls, out, result


def test_every_good_post_is_in_the_dataset(faults_crawl):
    (faults, blog), _, out, _ = faults_crawl
    rows = {row["url"]: row for row in read_posts(out)}
    expected = {site.url(post.path): post for site in (faults, blog) for post in site.posts}
    assert sorted(rows) == sorted(expected)  # fault pages give no rows, no good post is missing
    truncated = faults.url(faults.truncated_path)
    for url, post in expected.items():
        row = rows[url]
        assert row["title"] == post.title, url  # windows-1252 and Latin-1 pages: accents intact
        assert post.text in row["text"], url
        if url == truncated:
            continue  # cut before its footer and comments: what was there is kept
        assert row["published"] == post.published, url
        assert row["author"] == post.author, url
        assert [c["id"] for c in row["comments"]] == [c.id for c in post.comments], url
    assert rows[faults.url(faults.posts[0].path)]["title"] == "Les réfractaires du réseautage..."


def test_owners_robots_wishes_are_recorded(faults_crawl):
    (faults, blog), _, out, _ = faults_crawl
    robots = {row["url"]: row["robots"] for row in read_posts(out)}
    wished = {faults.url(path): value for path, value in faults.robots_by_path.items()}
    assert set(wished.values()) == {"noarchive", "noindex, nofollow"}
    assert {url: value for url, value in robots.items() if value} == wished


def test_external_entities_never_leak(faults_crawl):
    _, _, out, _ = faults_crawl
    for row in read_posts(out):
        for field in ("title", "text", "blog_title", "author"):
            assert FILE_CANARY not in (row[field] or "") and WEB_CANARY not in (row[field] or ""), field
    assert not [url for url, _ in warc_requests(out) if "xxe-canary" in url]


def test_every_failure_is_counted_by_kind(faults_crawl):
    _, _, out, result = faults_crawl
    assert result.returncode == 0
    stats = read_stats(out)
    errors, outcomes = stats["errors"], stats["outcomes"]
    assert errors["too_large"] == 2  # 50 MB with and without a Content-Length
    assert errors["connection_lost"] == 1  # reset on every try
    assert errors["http_429"] == 1  # the endless 429 storm, given up after bounded waits
    assert errors["http_404"] == 1
    assert errors["redirect_loop"] == 1
    assert errors["redirect_offsite"] == 2  # a 302 and a meta refresh to another host
    assert errors["redirect_bad_scheme"] == 1
    assert errors["dns_error"] == 1
    assert outcomes["robots_forbidden"] >= 1  # the owner's wish: counted, not an error
    assert "robots_forbidden" not in errors
    assert outcomes["binary_content"] == 1
    assert outcomes["empty"] == 1
    assert outcomes["blog_gone"] == len(GONE)
    assert outcomes["blog_unreachable"] == 1  # the dead host
    assert stats["robotstxt_forbidden"] >= 1
    retries = stats["retries"]
    assert retries["retry_after_waits"] >= 6  # 429 twice, 503 once, the storm three times
    assert retries["retry_after_capped"] == 3  # Retry-After: 3600, waited 1 s (the cap) each time
    assert retries["backoff_waits"] >= 2  # the 500s and the resets
    assert stats["finish_reason"] == "finished"


def test_failures_are_logged_with_their_urls(faults_crawl):
    (faults, _), gone_urls, _, result = faults_crawl
    log = result.stderr
    for platform, url in gone_urls.items():
        assert f"blog_gone: {url}" in log, platform
    assert f"dns_error on {DEAD_SEED}" in log
    for name in ("huge_declared", "huge_streamed"):
        assert f"too_large on {faults.url(faults.fault_paths[name])}" in log
    assert f"binary_content: {faults.url(faults.fault_paths['binary'])}" in log
    assert "trap (date_out_of_range), not followed: " + faults.url("/archives/2999/01/") in log


def test_traps_end_and_are_counted(faults_crawl):
    (faults, _), _, out, _ = faults_crawl
    stats = read_stats(out)
    assert stats["traps"]["date_out_of_range"] >= 1
    assert stats["traps"]["barren_chain"] >= 1  # empty months for ever, "next" past the last page
    fetched = [url for url, _ in warc_requests(out)]
    # Path and query only: the server's port may hold "2999" (it was 32999 in one run).
    asked = [f"{urlsplit(u).path}?{urlsplit(u).query}" for u in fetched]
    assert not [u for u in asked if "2999" in u or "sid=" in u or "jsessionid" in u or "&a=1&a=1" in u]
    assert faults.url(DISALLOWED_POST) not in fetched
    assert stats["pages"]["listing"] < 80  # two blogs: without the guards the calendars never end


def test_retry_after_is_honoured(faults_crawl):
    (faults, _), _, out, _ = faults_crawl
    storm = faults.url(next(p for p, role in faults.roles.items() if role == "storm_429"))
    answers = sorted((c.date, c.status) for c in responses(out) if c.url == storm)
    assert [status for _, status in answers] == [429, 429, 200]
    assert answers[-1][0] - answers[0][0] >= timedelta(seconds=1)  # two 1 s waits, dates to the second


def test_politeness_crawl_delay_user_agent_and_time_bound(fixture_web, tmp_path):
    web = fixture_web("faults:mode=blog,posts=30,crawl_delay=1")
    out = tmp_path / "out"
    # Requests already handed to the downloader are still made (one a second) after --max-time:
    # a small CONCURRENT_REQUESTS keeps that tail short.
    result = blogarchive("crawl", web.urls[0], "-o", str(out), "--max-time", "2", "--workers", "0",
                         "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=3",
                         env={"BLOGARCHIVE_CONTACT": "archivist@example.org"})  # fmt: skip
    assert result.returncode == 0
    stats = read_stats(out)
    assert stats["finish_reason"] == "closespider_timeout"
    dates = sorted(c.date for c in responses(out))
    # Crawl-delay: 1 -> a request a second (WARC dates are to the second); this blog is 60+ pages.
    assert 3 <= len(dates) <= 8
    assert dates[-1] - dates[0] >= timedelta(seconds=len(dates) - 2)
    requests = warc_requests(out)
    assert all("contact: archivist@example.org" in headers.get("User-Agent", "") for _, headers in requests)
    assert all(headers.get("User-Agent", "").startswith("blogarchive/") for _, headers in requests)
    assert any(key.startswith("blogarchive/politeness/crawl_delay/") for key in stats["scrapy"])
    assert read_posts(out)  # what was fetched before the bound is in the dataset


def test_page_budget_ends_every_blog(fixture_web, tmp_path):
    web = fixture_web("faults:mode=blog,posts=30", "faults:mode=blog,posts=30,seed=6")
    out = tmp_path / "out"
    blogarchive("crawl", *web.urls, "-o", str(out), *FAST, "-s", "BLOGARCHIVE_MAX_PAGES_PER_BLOG=8")
    stats = read_stats(out)
    assert stats["traps"]["page_budget"] > 0
    assert sum(stats["pages"].values()) <= 2 * (8 + 1)  # the budget, plus each seed
    assert stats["posts"] > 0  # posts read off the pages that were fetched
    assert stats["finish_reason"] == "finished"


def test_max_posts(fixture_web, tmp_path):
    web = fixture_web("faults:mode=blog,posts=30")
    out = tmp_path / "out"
    blogarchive("crawl", web.urls[0], "-o", str(out), "--max-posts", "4", *FAST)
    assert read_stats(out)["posts"] == len(read_posts(out)) == 4


def test_max_pages_and_robots_override(fixture_web, tmp_path):
    web = fixture_web("faults:mode=blog,posts=30")
    out = tmp_path / "out"
    result = blogarchive(
        "crawl", web.urls[0], "-o", str(out), "--max-pages", "5", *FAST, "-s", "ROBOTSTXT_OBEY=0"
    )
    assert result.returncode == 0
    stats = read_stats(out)
    assert stats["finish_reason"] == "closespider_pagecount"
    assert "robotstxt/request_count" not in stats["scrapy"]  # -s ROBOTSTXT_OBEY=0: robots.txt not even read
    assert not [url for url, _ in warc_requests(out) if url.endswith("/robots.txt")]
