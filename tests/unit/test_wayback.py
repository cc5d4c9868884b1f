"""The Wayback Machine source: CDX queries, answers and paging, capture choice, snapshot URLs, the cache."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from crawler import settings as project_settings
from crawler.capture import Capture, process_capture
from crawler.parsers import blogspot, canalblog, get_parser, typepad
from crawler.parsers.base import LinkKind
from crawler.urls import canonicalize
from crawler.wayback.cdx import (
    SLOT,
    CdxCache,
    CdxPage,
    CdxRow,
    WaybackConfig,
    archived_at,
    capture_kind,
    cdx_prefixes,
    cdx_query_url,
    cdx_timestamp,
    gone_failure,
    on_root_host,
    parse_cdx,
    select_snapshots,
    snapshot_url,
    split_snapshot_url,
)
from tests.fixtureweb.sites.wayback import make_site

ROOT = "http://deadblog.typepad.com/blog/"
SNAPSHOTS = "https://web.archive.org/web/"


def row(
    original: str, timestamp: str = "20100101000000", mimetype: str = "text/html", status: str = "200"
) -> CdxRow:
    return CdxRow("key", timestamp, original, mimetype, status)


# --- timestamps --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2009", "2009"), ("2009-05", "200905"), ("2009-05-01T10:00", "200905011000"), ("", ""),
     (" 20090501101112 ", "20090501101112")],
)  # fmt: skip
def test_cdx_timestamp_accepts_digits_and_dates(value, expected):
    assert cdx_timestamp(value) == expected


@pytest.mark.parametrize("value", ["May 2009", "2009/05", "200905011011121"])
def test_cdx_timestamp_refuses_anything_else(value):
    with pytest.raises(ValueError, match="Wayback timestamp"):
        cdx_timestamp(value)


def test_archived_at_is_utc_and_pads_short_timestamps():
    assert archived_at("20100102030405") == datetime(2010, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert archived_at("2010") == datetime(2010, 1, 1, tzinfo=timezone.utc)
    assert archived_at("201006") == datetime(2010, 6, 1, tzinfo=timezone.utc)


# --- CDX queries -------------------------------------------------------------------


def test_typepad_blog_is_a_prefix_under_its_path():
    assert cdx_prefixes(ROOT, "typepad") == ["deadblog.typepad.com/blog/"]
    assert cdx_prefixes("http://127.0.0.1:8123/blog/", "typepad") == ["127.0.0.1:8123/blog/"]


def test_blogspot_blog_is_also_asked_under_its_country_domains():
    prefixes = cdx_prefixes("https://monblog.blogspot.com/", "blogspot")
    assert prefixes[0] == "monblog.blogspot.com/"
    assert {"monblog.blogspot.fr/", "monblog.blogspot.be/", "monblog.blogspot.co.uk/"} <= set(prefixes)
    assert cdx_prefixes("https://monblog.canalblog.com/", "canalblog") == ["monblog.canalblog.com/"]


def test_query_latest_takes_every_capture_and_pages():
    query = parse_qs(
        urlsplit(cdx_query_url(WaybackConfig(page_size=100), "deadblog.typepad.com/blog/")).query
    )
    assert query["url"] == ["deadblog.typepad.com/blog/"]
    assert query["matchType"] == ["prefix"]
    assert query["output"] == ["json"]
    assert query["filter"] == ["statuscode:200"]
    assert query["showResumeKey"] == ["true"]
    assert query["limit"] == ["100"]
    assert "collapse" not in query and "from" not in query and "resumeKey" not in query
    assert query["fl"] == ["urlkey,timestamp,original,mimetype,statuscode"]


def test_query_earliest_collapses_dates_and_resume_key():
    config = WaybackConfig(cdx="http://127.0.0.1:9/cdx", prefer="earliest", since="2009", until="201206")
    url = cdx_query_url(config, "x.canalblog.com/", resume_key="com,canalblog,x)/ 2010")
    assert url.startswith("http://127.0.0.1:9/cdx?")
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["collapse"] == "urlkey"
    assert (query["from"], query["to"]) == ("2009", "201206")
    assert query["resumeKey"] == "com,canalblog,x)/ 2010"


def test_config_from_settings_checks_its_values():
    class Settings(dict):
        def getint(self, name):
            return int(self[name])

    base = {
        name: getattr(project_settings, name)
        for name in dir(project_settings)
        if name.startswith("BLOGARCHIVE_WAYBACK")
    }
    config = WaybackConfig.from_settings(Settings(base, BLOGARCHIVE_WAYBACK_FROM="2009-05"))
    assert (config.since, config.prefer, config.cdx) == (
        "200905",
        "latest",
        "https://web.archive.org/cdx/search/cdx",
    )
    with pytest.raises(ValueError, match="PREFER"):
        WaybackConfig.from_settings(Settings(base, BLOGARCHIVE_WAYBACK_PREFER="newest"))


# --- CDX answers -------------------------------------------------------------------

HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode"]


def test_parse_cdx_reads_rows_by_header_and_the_resume_key():
    body = json.dumps([
        ["original", "timestamp", "urlkey", "statuscode", "mimetype"],
        ["http://x.com/a.html", "20100101000000", "com,x)/a.html", "200", "text/html"],
        [],
        ["com%2Cx%29%2Fa.html+20100101000000"],
    ])  # fmt: skip
    page = parse_cdx(body.encode())
    assert page.rows == [CdxRow("com,x)/a.html", "20100101000000", "http://x.com/a.html", "text/html", "200")]
    assert page.resume_key == "com%2Cx%29%2Fa.html+20100101000000"


@pytest.mark.parametrize("body", [b"", b"[]", json.dumps([HEADER]).encode()])
def test_parse_cdx_of_nothing_is_an_empty_last_page(body):
    assert parse_cdx(body) == CdxPage([])


def test_a_last_page_has_no_resume_key_even_when_short():
    body = json.dumps([HEADER, ["k", "2010", "http://x.com/", "text/html", "200"]])
    assert parse_cdx(body).resume_key is None


@pytest.mark.parametrize(
    "body", [b"<html>Blocked Site Error</html>", b'{"error": 1}', json.dumps([["urlkey"], ["k"]]).encode()]
)
def test_parse_cdx_refuses_what_is_not_cdx_json(body):
    with pytest.raises(ValueError):
        parse_cdx(body)


# --- which captures ----------------------------------------------------------------


def test_capture_kinds_on_a_typepad_blog():
    home = typepad.canonical_url(ROOT)
    feeds = {typepad.canonical_url(ROOT + "atom.xml")}
    assert capture_kind(row(ROOT + "2009/01/post.html"), typepad, home, feeds) is LinkKind.POST
    assert capture_kind(row(ROOT + "2009/01/post.html?cid=6a00"), typepad, home, feeds) is LinkKind.POST
    assert capture_kind(row(ROOT), typepad, home, feeds) is LinkKind.HOME
    assert capture_kind(row(ROOT + "page/2/"), typepad, home, feeds) is LinkKind.LISTING
    assert (
        capture_kind(row(ROOT + "atom.xml", mimetype="application/atom+xml"), typepad, home, feeds)
        is LinkKind.FEED
    )
    # Assets, other feeds (comments!) and failed captures are never fetched.
    assert capture_kind(row(ROOT + "images/a.jpg", mimetype="image/jpeg"), typepad, home, feeds) is None
    assert (
        capture_kind(row(ROOT + "comments/atom.xml", mimetype="application/atom+xml"), typepad, home, feeds)
        is None
    )
    assert capture_kind(row(ROOT + "2009/01/post.html", status="404"), typepad, home, feeds) is None


@pytest.mark.parametrize(
    ("prefer", "expected"), [("latest", "20100101000000"), ("earliest", "20090101000000")]
)
def test_one_capture_per_canonical_url_the_plain_url_first(prefer, expected):
    rows = [
        row(ROOT + "2009/01/post.html", "20100101000000"),
        row(ROOT + "2009/01/post.html?cid=6a00", "20120101000000"),  # a comment permalink: a variant
        row("http://www.deadblog.typepad.com:80/blog/2009/01/post.html", "20090101000000"),
        row(ROOT + "2009/02/other.html?cid=6a01", "20110101000000"),  # no plain capture: the variant
        row(ROOT + "images/a.jpg", "20130101000000", mimetype="image/jpeg"),
    ]
    snapshots = select_snapshots(rows, typepad, ROOT, prefer)
    assert [(s.original, s.timestamp, s.kind) for s in snapshots] == [
        (ROOT + "2009/01/post.html", expected, LinkKind.POST),  # the www./:80 variant put on the root's host
        (ROOT + "2009/02/other.html?cid=6a01", "20110101000000", LinkKind.POST),
    ]


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("http://www.x.com:80/a?b=1", "http://x.com/a?b=1"),
        ("https://x.com/a", "https://x.com/a"),
        ("http://x.com:8080/a", "http://x.com:8080/a"),
        ("http://x.blogspot.fr/a", "http://x.blogspot.fr/a"),  # a country domain stays: canonical folds it
    ],
)
def test_on_root_host(original, expected):
    assert on_root_host(original, "http://x.com/") == expected


def test_canalblog_captures():
    root = "https://monblog.canalblog.com/"
    rows = [row("http://monblog.canalblog.com/archives/2010/09/07/18732506.html"),
            row("http://monblog.canalblog.com/archives/2010/09/index.html"),
            row("http://monblog.canalblog.com/rss.xml", mimetype="text/xml")]  # fmt: skip
    kinds = {s.original.rsplit("/", 1)[-1]: s.kind for s in select_snapshots(rows, canalblog, root, "latest")}
    assert kinds == {"18732506.html": LinkKind.POST, "index.html": LinkKind.LISTING, "rss.xml": LinkKind.FEED}


# --- snapshot URLs -----------------------------------------------------------------


def test_snapshot_url_is_the_raw_id_form():
    assert snapshot_url(SNAPSHOTS, "20100101000000", ROOT + "x.html?a=1") == (
        "https://web.archive.org/web/20100101000000id_/http://deadblog.typepad.com/blog/x.html?a=1"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://web.archive.org/web/20100101000000id_/http://x.com/a.html?b=1", ("20100101000000", "http://x.com/a.html?b=1")),
        ("http://web.archive.org/web/2010id_/https://x.com/", ("2010", "https://x.com/")),
        ("https://web.archive.org/web/20100101000000/http:/x.com/a", ("20100101000000", "http://x.com/a")),
        ("https://web.archive.org/web/20100101000000id_/x.com/a", ("20100101000000", "http://x.com/a")),
        ("https://web.archive.org/other/20100101000000id_/http://x.com/", None),
        ("https://example.org/web/20100101000000id_/http://x.com/", None),
        ("https://web.archive.org/web/*/http://x.com/", None),
    ],
)  # fmt: skip
def test_split_snapshot_url(url, expected):
    assert split_snapshot_url(SNAPSHOTS, url) == expected


def test_split_snapshot_url_under_a_loopback_archive():
    assert split_snapshot_url(
        "http://127.0.0.1:8000/web/", "http://127.0.0.1:8000/web/2011id_/http://a.b/"
    ) == (
        "2011",
        "http://a.b/",
    )
    assert (
        split_snapshot_url("http://127.0.0.1:8000/web/", "http://127.0.0.1:8001/web/2011id_/http://a.b/")
        is None
    )


# --- the cache ---------------------------------------------------------------------


def test_cache_answers_its_run_only(tmp_path):
    cache = CdxCache(tmp_path / "cdx")
    page = CdxPage([row("http://x.com/a.html")], "next key")
    assert cache.get("http://cdx?url=x", run=1) is None
    cache.put("http://cdx?url=x", 1, page)
    assert cache.get("http://cdx?url=x", run=1) == page
    assert cache.get("http://cdx?url=x", run=2) is None  # a new crawl asks again
    assert cache.get("http://cdx?url=y", run=1) is None
    assert [p.name.endswith(".json") for p in (tmp_path / "cdx").iterdir()] == [True]


def test_a_torn_cache_file_is_a_miss(tmp_path):
    cache = CdxCache(tmp_path)
    cache.put("q", 1, CdxPage([]))
    next(tmp_path.iterdir()).write_text("{not json", encoding="utf-8")
    assert cache.get("q", 1) is None


# --- fallback and politeness ---------------------------------------------------------


def test_only_a_dead_host_or_a_closed_platform_sends_to_the_archive():
    assert gone_failure("dns_error", None)
    assert gone_failure("redirect_offsite", "typepad")
    assert not gone_failure("redirect_offsite", "blogspot")  # a custom domain, alive
    assert not gone_failure("timeout", "typepad")


def test_archive_slot_is_one_connection_a_second_by_default():
    slot = project_settings.DOWNLOAD_SLOTS[SLOT]
    assert slot["concurrency"] == 1
    assert slot["delay"] >= 1.0
    assert project_settings.BLOGARCHIVE_WAYBACK_FALLBACK is True
    assert project_settings.BLOGARCHIVE_WAYBACK_PREFER == "latest"


# --- the fake archive's chrome never reaches a row ----------------------------------


def test_toolbar_view_parses_like_the_raw_capture():
    site = make_site(inner="typepad", inner_posts=6, throttle=0)
    site.base_url = "http://127.0.0.1:9"
    post = site.posts[1]
    original = site.inner.url(post.path)
    stamp = site.captures[original][-1]
    texts = []
    for mod in ("id_", ""):
        reply = site.handle(f"/web/{stamp}{mod}/{original}", {})
        assert reply.status == 200
        capture = Capture(original, reply.body, "text/html; charset=utf-8", LinkKind.POST,
                          datetime(2026, 1, 1, tzinfo=timezone.utc), "typepad", source="wayback")  # fmt: skip
        [row_] = process_capture(capture).rows
        texts.append(row_["text"])
        assert row_["url"] == canonicalize(original)
        for chrome in ("Wayback", "wm-ipp", "archive.org", "/web/"):
            assert chrome not in row_["text"]
    assert b"BEGIN WAYBACK TOOLBAR" in site.handle(f"/web/{stamp}/{original}", {}).body
    assert texts[0] == texts[1]


def test_an_archived_blogger_feed_gives_the_posts_whose_permalinks_were_never_captured():
    site = make_site(inner="blogspot", inner_posts=8, missing=2, throttle=0)
    site.base_url = "http://127.0.0.1:9"
    root = site.inner.url("/")
    rows = [CdxRow(c.urlkey, c.timestamp, c.original, c.mimetype, str(c.status)) for c in site.index]
    feeds = [s for s in select_snapshots(rows, blogspot, root, "latest") if s.kind is LinkKind.FEED]
    assert [urlsplit(s.original).path for s in feeds] == ["/feeds/posts/default"]
    [feed] = feeds
    reply = site.handle(f"/web/{feed.timestamp}id_/{feed.original}", {})
    capture = Capture(feed.original, reply.body, "application/atom+xml; charset=utf-8", LinkKind.FEED,
                      datetime(2026, 1, 1, tzinfo=timezone.utc), "blogspot", source="wayback",
                      archived_at=archived_at(feed.timestamp))  # fmt: skip
    by_url = {r["url"]: r for r in process_capture(capture).rows}
    assert site.missing
    for post in site.posts:
        if post.path in site.missing:  # only the archived feed holds these
            row_ = by_url[canonicalize(site.inner.url(post.path))]
            assert (row_["title"], row_["source"]) == (post.title, "wayback")


@pytest.mark.parametrize(
    ("platform", "path"),
    [
        ("blogspot", "feeds/posts/summary?alt=rss"),
        ("typepad", "index.rss"),
        ("tumblr", "rss"),
        ("canalblog", "rss.xml"),
    ],
)
def test_every_platform_s_standard_feeds_are_read_from_the_archive(platform, path):
    parser = get_parser(platform)
    root = {"blogspot": "http://b.blogspot.com/", "typepad": ROOT, "tumblr": "http://t.tumblr.com/",
            "canalblog": "http://c.canalblog.com/"}[platform]  # fmt: skip
    snapshots = select_snapshots([row(root + path, mimetype="application/rss+xml")], parser, root, "latest")
    assert [s.kind for s in snapshots] == [LinkKind.FEED]
