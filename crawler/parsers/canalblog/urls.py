"""Canalblog URLs: the blog at its host's root, permalinks ``/archives/YYYY/MM/DD/<id>.html``
and their comment pages, the listings worth following, and the media a post body links.

Since about 2023 Canalblog runs on Webedia's Overblog engine: new posts are
``/YYYY/MM/<slug>.html`` (the slug may hold a ``/``: ``.../italie-des-coradia-stream-a-200-km/h.html``),
the home page is paged by ``/page/<n>``, tags are ``/tag/<tag>/`` and the feed is ``/rss``; the
old permalinks and the static pages ``/pages/<slug>/<id>.html`` still answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from lxml import html as lxml_html

from crawler.parsers.base import ABSOLUTE, PAGE_HREFS, Link, LinkKind, absolute, unique, xpath
from crawler.urls import canonicalize, same_site

PLATFORM = "canalblog"

POST_PATH = re.compile(r"^/archives/(\d{4})/(\d{2})/(\d{2})/(\d+)\.html$")
# The Overblog engine's permalinks (2023+): year and month, no day, no numeric id.
SLUG_POST_PATH = re.compile(r"^/(\d{4})/(\d{2})/([^?#]+)\.html$")
# Static pages: no date in the URL and never in a listing or the feed, yet written like posts
# (trip reports, long-lived articles the posts link to): kept as posts, or they would be lost.
STATIC_PAGE_PATH = re.compile(r"^/pages/[^/]+/(\d+)\.html$")
COMMENTS_PATH = re.compile(r"^/archives/(\d{4})/(\d{2})/(\d{2})/(\d+)-p(\d+)-\d+\.html$")
MONTH_INDEX = re.compile(r"^/archives/(\d{4})/(\d{2})/(?:index\.html)?$")
# Month pages accept any page size: one request per month instead of ten.
MONTH_PAGE_SIZE = 250
CATEGORY_PATH = re.compile(r"^/archives/(?!\d{4}/)[^/]+/(?:index\.html|p\d+-\d+\.html)?$")
MONTH_LISTING_PATHS = (
    re.compile(r"^/archives/(?:index\.html)?$"),  # every month of the blog
    re.compile(r"^/archives/\d{4}/\d{2}/p\d+-\d+\.html$"),  # a month, paginated
)
# Listings whose every post is in its month's page too (``Link.redundant``).
REDUNDANT_LISTING_PATHS = (
    re.compile(r"^/archives/p\d+-\d+\.html$"),  # home page 2, 3...
    re.compile(r"^/page/\d+/?$"),  # Overblog engine: home page 2, 3...
    CATEGORY_PATH,
    re.compile(r"^/tag/[^/]+(?:/p\d+-\d+\.html)?$"),  # a tag
    re.compile(r"^/tag/[^/]+/(?:page/\d+/?)?$"),  # Overblog engine: a tag and its pages
)
FEED_PATH = "/rss.xml"
FEED_PATHS = (FEED_PATH, "/rss")  # the 2005-2022 template's feed, the Overblog engine's

MEDIA_LINK = re.compile(
    r"storage\.canalblog\.com/|canalblog\.com/storagev1/|\.canalblog\.com/(?:docs|images)/|//image\.canalblog\.com/",
    re.I,
)
MEDIA = ".//img/@src | .//embed/@src | .//iframe/@src | .//video/@src | .//audio/@src | .//source/@src | .//object/@data"


def blog_root(url: str) -> str:
    """A Canalblog blog lives at the root of its host (``x.canalblog.com`` or a custom domain)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme or "http", parts.netloc, "/", "", ""))


def canonical_url(url: str) -> str:
    return canonicalize(url)


def is_post_url(url: str) -> bool:
    """A permalink of either template, or a static page (see ``STATIC_PAGE_PATH``)."""
    path = urlsplit(url).path
    return bool(POST_PATH.match(path) or SLUG_POST_PATH.match(path) or STATIC_PAGE_PATH.match(path))


def post_id_of(url: str) -> str | None:
    """The numeric id a permalink carries (old template, static pages); None for a slug URL."""
    path = urlsplit(url).path
    match = POST_PATH.match(path) or STATIC_PAGE_PATH.match(path)
    return match[match.lastindex] if match else None


def permalink_of(url: str) -> str:
    """The post permalink of a permalink or of one of its comment pages (fragment dropped)."""
    parts = urlsplit(url)
    match = COMMENTS_PATH.match(parts.path)
    path = f"/archives/{match[1]}/{match[2]}/{match[3]}/{match[4]}.html" if match else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def seeds(blog_url: str) -> list[Link]:
    """The home page, the archive index (every month) and the RSS feed (recent posts, a hint)."""
    root = blog_root(blog_url)
    return [
        Link(root, LinkKind.HOME),
        Link(root + "archives/index.html", LinkKind.LISTING),
        Link(root.rstrip("/") + FEED_PATH, LinkKind.FEED),
    ]


def classify(href: str, base: str) -> Link | None:
    """The link to follow for ``href`` on page ``base``, or None (off-blog, trap, not content)."""
    url = absolute(base, href)
    if url is None or not same_site(url, base):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.query:
        return None
    path = quote(unquote(parts.path), safe="/%~+-._")

    def at(new_path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if POST_PATH.match(path) or SLUG_POST_PATH.match(path) or STATIC_PAGE_PATH.match(path):
        return Link(at(path), LinkKind.POST)
    comments = COMMENTS_PATH.match(path)
    if comments:  # offset 0 is the permalink page itself
        return (
            Link(at(path), LinkKind.COMMENTS)
            if int(comments[5])
            else Link(permalink_of(at(path)), LinkKind.POST)
        )
    month = MONTH_INDEX.match(path)
    if month:
        return Link(at(f"/archives/{month[1]}/{month[2]}/p0-{MONTH_PAGE_SIZE}.html"), LinkKind.LISTING)
    if any(pattern.match(path) for pattern in MONTH_LISTING_PATHS):
        return Link(at(path), LinkKind.LISTING)
    if any(pattern.match(path) for pattern in REDUNDANT_LISTING_PATHS):
        return Link(at(path), LinkKind.LISTING, redundant=True)
    if path in FEED_PATHS:
        return Link(at(path), LinkKind.FEED)
    return None


@lru_cache(maxsize=1 << 14)
def _classify_on_site(href: str, origin: str) -> Link | None:
    # The link of an href with a host or a rooted path depends on the page's origin only, and
    # the sidebar's links (months, categories, blogroll) are the same on every page of a blog.
    return classify(href, origin)


def _href_classifier(url: str) -> Callable[[str], Link | None]:
    """``classify(href, url)`` for each href of the page ``url``, cached when it allows."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return lambda href: classify(href, url)
    origin = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))

    def link_of(href: str) -> Link | None:
        stripped = href.strip()
        if stripped.startswith("/") or ABSOLUTE.match(stripped):
            return _classify_on_site(stripped, origin)
        return classify(href, url)

    return link_of


def page_links(root: lxml_html.HtmlElement, url: str) -> list[Link]:
    """Every enumeration link of a page: posts, comment pages, months, categories, tags, feed."""
    here, own_post = canonicalize(url), canonicalize(permalink_of(url))
    link_of = _href_classifier(url)
    found: dict[str, Link] = {}
    for href in PAGE_HREFS(root):
        link = link_of(href)
        if link is None or link.url in found:
            continue
        target = canonicalize(link.url)
        if target == here or (link.kind is LinkKind.POST and target == own_post):
            continue
        if link.kind is LinkKind.COMMENTS and canonicalize(permalink_of(link.url)) != own_post:
            continue  # e.g. the comment form's "Annuler la réponse" points at another post's page
        found[link.url] = link
    return list(found.values())


def media_urls(body: lxml_html.HtmlElement, base: str) -> list[str]:
    """Images, embeds and Canalblog-hosted documents of the body, as found."""
    found = [absolute(base, src) for src in xpath(body, MEDIA)]
    found += [absolute(base, href) for href in xpath(body, ".//a/@href") if MEDIA_LINK.search(href)]
    return unique([url for url in found if url and url.startswith(("http://", "https://"))])


# How crawler.detect recognises a blog of this platform: its hosts, the platform's own site (not
# a blog), and markers in any page's HTML (custom domains), strongest first (the first alone decides).
HOST_PATTERN = re.compile(r"(^|\.)canalblog\.com$")
OWN_SITES = frozenset({"www.canalblog.com"})
# The Overblog-engine markers are the platform's chrome, never a post body's content: an
# ordinary Overblog blog may show a hot-linked image.canalblog.com picture in a post, but not as
# its own og:image, not a Canalblog profile picture, not links to Canalblog's own pages.
HTML_MARKERS = (
    re.compile(r"<meta[^>]+name=['\"]generator['\"][^>]+content=['\"]canalblog", re.I),
    re.compile(r"<meta[^>]+content=['\"]canalblog[^>]+name=['\"]generator['\"]", re.I),
    re.compile(r"(static|storage|stats)\.canalblog\.com", re.I),
    re.compile(r"var\s+CBVARS\s*=", re.I),
    re.compile(r"//profilepics\.canalblog\.com/", re.I),
    re.compile(r"<meta[^>]+content=['\"]https?://image\.canalblog\.com/", re.I),
    re.compile(r"href=['\"]https?://www\.canalblog\.com/(?:cf/|terms|abuse|cookies|user/|['\"])", re.I),
)  # fmt: skip
