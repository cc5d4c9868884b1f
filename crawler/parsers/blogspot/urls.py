"""Blogger URLs: permalinks, blog roots, the posts feed and the crawl's seeds."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit, urlunsplit

from crawler.parsers.base import Link, LinkKind
from crawler.urls import canonicalize

PLATFORM = "blogspot"
FEED_PATH = "feeds/posts/default"
# Blogger caps max-results at 100 since 2019 (500, then 150 in 2016): always page with start-index.
FEED_PAGE_SIZE = 100
POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
# Date archives: /2011/, /2011/03/, /2011/03/30/ and the legacy /2011_03_30_archive.html, whose
# name classic blogs could choose (/2003_08_01_webguy_archive.html).
ARCHIVE_PATH = re.compile(r"^/(?:\d{4}/(?:\d{2}/(?:\d{2}/)?)?|\d{4}_\d{2}_\d{2}_[\w.-]*archive\.html)$")


def canonical_url(url: str) -> str:
    """Country domains folded (blogspot.fr -> .com), ``?m=1``, ``showComment`` and fragments dropped."""
    return canonicalize(url)


def blog_root(url: str) -> str:
    """Blogger blogs live at the root of their host."""
    parts = urlsplit(canonicalize(url))
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def is_post_url(url: str) -> bool:
    """Permalinks are ``/YYYY/MM/<slug>.html``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(POST_PATH.match(parts.path))


def feed_url(blog_url: str, start_index: int = 1, max_results: int = FEED_PAGE_SIZE) -> str:
    query = urlencode({"alt": "json", "start-index": start_index, "max-results": max_results})
    return f"{blog_root(blog_url)}{FEED_PATH}?{query}"


def seeds(blog_url: str) -> list[Link]:
    """The posts feed (exact dates, ids and labels, a hint per post) and the home page."""
    root = blog_root(blog_url)
    return [Link(feed_url(root), LinkKind.FEED, priority=1), Link(root, LinkKind.HOME)]


# How crawler.detect recognises a blog of this platform: its hosts, the platform's own site (not
# a blog), and markers in any page's HTML (custom domains), strongest first (the first alone decides).
HOST_PATTERN = re.compile(r"(^|\.)blogspot\.[a-z.]+$|(^|\.)blogger\.com$")
OWN_SITES = frozenset({"www.blogger.com"})
HTML_MARKERS = (
    re.compile(r"<meta[^>]+content=['\"]blogger['\"][^>]+name=['\"]generator['\"]", re.I),
    re.compile(r"<meta[^>]+name=['\"]generator['\"][^>]+content=['\"]blogger['\"]", re.I),
    re.compile(r"www\.blogger\.com/(feeds/\d+|rsd\.g\?blogID=|static/v1/)", re.I),
    re.compile(r"_WidgetManager\._Init\(", re.I),
)  # fmt: skip
