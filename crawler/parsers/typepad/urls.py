"""Typepad URLs: blog roots under a path (``name.typepad.com/<blog>/``), permalinks
``/<blog>/YYYY/MM/<slug>.html`` and Wayback-rewritten forms of them."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from crawler.urls import canonicalize, is_http_url

PLATFORM = "typepad"
POST_PATH = re.compile(r"/(?:19|20)\d{2}/\d{2}/(?!index\.html?$)[^/]+\.html?$")
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d{2}/\d{2}/")
_ROOT_TAIL = re.compile(r"(?:page/\d+/?|archives\.html|atom\.xml|rss\.xml|index\.rdf|index\.html?)$")
_WAYBACK = re.compile(
    r"^(?:(?:https?:)?//web\.archive\.org)?/web/\d{1,14}(?:[a-z]{2}_|\*)?/+(?P<url>.+)$", re.I
)


# Cached, as every function of URLs below: a page asks them of each of its links, from several
# passes (links, tags, comments), and a blog's pages link the same URLs.
@lru_cache(maxsize=1 << 14)
def unwayback(url: str) -> str:
    """The original URL of a Wayback-rewritten one (``/web/2013.../http://x``); others unchanged."""
    match = _WAYBACK.match(url.strip())
    if not match:
        return url
    original = match.group("url")
    if re.match(r"^https?:/[^/]", original, re.I):
        original = original.replace(":/", "://", 1)
    return original if re.match(r"^https?://", original, re.I) else "http://" + original


@lru_cache(maxsize=1 << 14)
def is_post_url(url: str) -> bool:
    """A permalink: ``/<blog>/YYYY/MM/<slug>.html``."""
    try:
        path = urlsplit(unwayback(url)).path
    except ValueError:
        return False
    return bool(POST_PATH.search(path))


@lru_cache(maxsize=1 << 14)
def canonical_url(url: str) -> str:
    """The canonical URL; permalinks lose their query (``?cid=``, ``?no_prefetch=1``)."""
    url = unwayback(url)
    if is_post_url(url):
        parts = urlsplit(url)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return canonicalize(url)


def blog_root(url: str) -> str:
    """The blog's root: Typepad blogs live under a path (``name.typepad.com/<blog>/``)."""
    parts = urlsplit(unwayback(url))
    path = parts.path or "/"
    dated = _DATE_IN_PATH.search(path)
    if dated:
        path = path[: dated.start() + 1]
    else:
        path = _ROOT_TAIL.sub("", path)
        path = path[: path.rfind("/") + 1]
    segments = [s for s in path.split("/") if s]
    root = f"/{segments[0]}/" if segments and not segments[0].startswith(".") else "/"
    return canonicalize(urlunsplit((parts.scheme, parts.netloc, root, "", "")))


@lru_cache(maxsize=1 << 14)
def same_host(a: str, b: str) -> bool:
    try:
        pa, pb = urlsplit(a), urlsplit(b)
        return (pa.hostname or "").lower() == (pb.hostname or "").lower() and pa.port == pb.port
    except ValueError:  # a port that is no number: not this blog
        return False


@lru_cache(maxsize=1 << 14)
def under(url: str, home: str) -> str | None:
    """The path of ``url`` relative to the blog root, or None when off the blog."""
    if not is_http_url(url) or not same_host(url, home):
        return None
    path, root_path = urlsplit(url).path, urlsplit(home).path
    return path[len(root_path) :] if path.startswith(root_path) else None


# How crawler.detect recognises a blog of this platform: its hosts, the platform's own site (not
# a blog), and markers in any page's HTML (custom domains), strongest first (the first alone decides).
HOST_PATTERN = re.compile(r"(^|\.)typepad\.(com|fr|jp)$|(^|\.)blogs\.com$")
OWN_SITES = frozenset({"www.typepad.com"})
HTML_MARKERS = (
    re.compile(r"<meta[^>]+name=['\"]generator['\"][^>]+content=['\"][^'\"]*typepad", re.I),
    # typepad.com/services/quickpost is the "Post to TypePad" share button any site may show: no marker.
    re.compile(r"(static\.typepad\.com|typepad\.com/services/(?!quickpost)|profile\.typepad\.com|TPConnect|Typepad\.set|typepad\.com/t/(?:stats|rsd)\b)", re.I),
    re.compile(r"/\.a/6a[0-9a-f]{30,}|/\.services/blog/6a[0-9a-f]{30,}|id=['\"]entry-6a[0-9a-f]{30,}", re.I),
    re.compile(r"typepad\s+(?:has\s+(?:closed|shut\s+down)|is\s+no\s+longer\s+available)", re.I),  # the 2025 shutdown notice
)  # fmt: skip
