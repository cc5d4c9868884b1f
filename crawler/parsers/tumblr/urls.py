"""Tumblr URLs: blog roots (``name.tumblr.com``, custom domains, ``www.tumblr.com/<blog>``, API URLs),
permalinks and their canonical form, and the first requests of a crawl."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from crawler.parsers.base import Link, LinkKind
from crawler.urls import canonicalize, is_http_url

API_PAGE_SIZE = 50  # the most either API gives per request
V2_PATH = re.compile(r"^/v2/blog/(?P<blog>[^/]+)/posts(?:/[a-z]+)?/?$")
V1_JSON_PATH = re.compile(r"^/api/read/json/?$")
V1_XML_PATH = re.compile(r"^/api/read/?$")
RSS_PATH = re.compile(r"^/rss/?$")
POST_PATH = re.compile(r"^/post/(?P<id>\d+)(?:/(?P<slug>[^/?#]*))?")
DASHBOARD_POST_PATH = re.compile(r"^/(?:blog/view/)?(?P<blog>[\w-]+)/(?P<id>\d+)(?:/[^/?#]*)?/?$")
LISTING_PATH = re.compile(
    r"^/(?:page/\d+|tagged/[^/?#]+(?:/page/\d+)?|archive(?:/\d{4}/\d{1,2})?|day/\d{4}/\d{2}/\d{2})/?$"
)
PAGED_PATH = re.compile(r"^(?P<base>/tagged/[^/?#]+|)(?:/page/(?P<n>\d+))?/?$")
JUNK_PATH = re.compile(
    r"^/(?:reblog|share|like|follow|ask|submit|login|register|image|notes|embed|customize|dashboard|theme)\b"
)


def split(url: str) -> tuple[str, str, str]:
    """(scheme, netloc lower-cased, path) of ``url``; empty strings when unparsable."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "", "", ""
    return parts.scheme.lower(), parts.netloc.lower(), parts.path or "/"


def _dashboard_blog(netloc: str, path: str) -> re.Match[str] | None:
    """``www.tumblr.com/<blog>/<id>`` (the post URLs of the 2022+ web)."""
    return DASHBOARD_POST_PATH.match(path) if netloc == "www.tumblr.com" else None


# Cached: a page's parse asks these of each of its links several times (post blocks, chrome
# roles, discovery), and a blog's pages link the same URLs.
@lru_cache(maxsize=1 << 14)
def blog_root(url: str) -> str:
    """The blog's home page: ``https://name.tumblr.com/``, a custom domain's root, or the blog of an API URL."""
    scheme, netloc, path = split(url)
    scheme = scheme or "http"
    if netloc == "www.tumblr.com":
        match = re.match(r"^/(?:blog/(?:view/)?)?([\w-]+)", path)
        if match and match.group(1) not in {"privacy", "login", "dashboard", "safe-mode", "svc"}:
            return canonicalize(f"https://{match.group(1)}.tumblr.com/")
    v2 = V2_PATH.match(path)
    if v2:
        return canonicalize(f"{scheme}://{unquote(v2.group('blog'))}/")
    return canonicalize(f"{scheme}://{netloc}/")


@lru_cache(maxsize=1 << 14)
def post_id_of(url: str) -> str | None:
    """The numeric post id in a permalink URL, if it is one."""
    _, netloc, path = split(url)
    match = POST_PATH.match(path) or _dashboard_blog(netloc, path)
    return match.group("id") if match else None


def is_post_url(url: str) -> bool:
    return is_http_url(url) and post_id_of(url) is not None


@lru_cache(maxsize=1 << 14)
def canonical_url(url: str) -> str:
    """``/post/<id>/<slug>``, ``/post/<id>`` and ``www.tumblr.com/<blog>/<id>`` all become ``<root>post/<id>``.

    The id form is the stable one: slugs change with titles and are truncated in links.
    """
    pid = post_id_of(url)
    if pid is None:
        return canonicalize(url)
    return canonicalize(f"{blog_root(url)}post/{pid}")


def same_blog(url: str, root: str) -> bool:
    return is_http_url(url) and blog_root(url) == root


def blog_name(root: str) -> str | None:
    host = split(root)[1].split(":")[0]
    return host[: -len(".tumblr.com")] if host.endswith(".tumblr.com") else None


def with_query(url: str, **params: Any) -> str:
    """``url`` with ``params`` set (``None`` removes one); an API key never rides in a link."""
    parts = urlsplit(url)
    query = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "api_key"}
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def api_v2_url(api_base: str, blog_url: str) -> str:
    """The first API v2 page of a blog (``api_key`` is added by the spider, never stored in links)."""
    host = split(blog_root(blog_url))[1]
    return (
        f"{api_base.rstrip('/')}/v2/blog/{quote(host, safe=':')}/posts?limit={API_PAGE_SIZE}&reblog_info=true"
    )


def seeds(blog_url: str) -> list[Link]:
    """Keyless enumeration first (legacy read API, RSS), then the archive; the home page links the rest."""
    root = blog_root(blog_url)
    if split(root)[1] == "www.tumblr.com":  # a wall Tumblr redirected to, not a blog
        return []
    return [
        Link(f"{root}api/read/json?num={API_PAGE_SIZE}&start=0", LinkKind.FEED, priority=20),
        Link(f"{root}rss", LinkKind.FEED, priority=15),
        Link(f"{root}archive", LinkKind.LISTING, priority=5),
    ]


# How crawler.detect recognises a blog of this platform: its hosts, the platform's own site (not
# a blog), and markers in any page's HTML (custom domains), strongest first (the first alone decides).
HOST_PATTERN = re.compile(r"(^|\.)tumblr\.com$")
OWN_SITES = frozenset({"www.tumblr.com"})
HTML_MARKERS = (
    re.compile(r"<meta[^>]+content=['\"]tumblr-feed:", re.I),
    re.compile(r"<meta[^>]+property=['\"]al:ios:app_name['\"][^>]+content=['\"]Tumblr['\"]", re.I),
    # The theme's files and Tumblr's scripts on its own pages; not the widgets and images other sites
    # embed (share-button.js, the post embed's post.js, the like button's frame, media.tumblr.com pictures).
    re.compile(
        r"(?:assets|static)\.tumblr\.com(?:/|\\/)"
        r"(?!share-button\.js|post\.js|assets(?:/|\\/)html(?:/|\\/)tumblr_like_iframe)",
        re.I,
    ),
)  # fmt: skip
