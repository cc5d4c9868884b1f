"""What an HTML page is (post, home, listing) from the page itself, once its platform is known.

A capture from another tool's WARC carries no crawl metadata: a custom-domain permalink
(``www.luxuryhaven.co/2019/05/x.html``) cannot be told from a listing by its host, and
a URL alone misses moved or odd permalinks. The page says what it is: Blogger's page
type, Open Graph and schema.org types, the canonical link. Markers as data: a theme that
states its page type another way adds a row to ``KIND_MARKERS``.
"""

from __future__ import annotations

import re
from types import ModuleType
from urllib.parse import urlsplit

from crawler.parsers import get_parser
from crawler.parsers.base import LinkKind

HEAD = 300_000  # page types are stated in the head or the first scripts

# (platform or None for any, pattern, kind), strongest first; the first match decides.
KIND_MARKERS: tuple[tuple[str | None, re.Pattern[str], LinkKind], ...] = (
    # Blogger's data context: 'pageType': 'item' | 'index' | 'archive' | 'static_page' | 'error_page'.
    ("blogspot", re.compile(r"['\"]pageType['\"]\s*:\s*['\"]item['\"]"), LinkKind.POST),
    ("blogspot", re.compile(r"['\"]pageType['\"]\s*:\s*['\"](?:index|archive)['\"]"), LinkKind.LISTING),
    # Blogger 2017+ themes: <body class="item-view ...">, Dynamic Views: data-view="item".
    ("blogspot", re.compile(r"<body[^>]*\bclass\s*=\s*['\"](?:[^'\"]*\s)?item-view\b", re.I), LinkKind.POST),
    ("blogspot", re.compile(r"<body[^>]*\bclass\s*=\s*['\"](?:[^'\"]*\s)?feed-view\b", re.I), LinkKind.LISTING),
    # Open Graph: an article is one post.
    (None, re.compile(r"<meta[^>]+property\s*=\s*['\"]og:type['\"][^>]+content\s*=\s*['\"]article['\"]", re.I),
     LinkKind.POST),
    (None, re.compile(r"<meta[^>]+content\s*=\s*['\"]article['\"][^>]+property\s*=\s*['\"]og:type['\"]", re.I),
     LinkKind.POST),
)  # fmt: skip
# schema.org post types (JSON-LD "@type" or microdata itemtype): exactly one means a permalink.
SCHEMA_POST = re.compile(
    r"['\"]@type['\"]\s*:\s*['\"](?:BlogPosting|Article|NewsArticle|SocialMediaPosting)['\"]"
    r"|itemtype\s*=\s*['\"]https?://schema\.org/(?:BlogPosting|Article|NewsArticle)['\"]",
    re.I,
)
CANONICAL = re.compile(
    r"<link[^>]+rel\s*=\s*['\"]canonical['\"][^>]+href\s*=\s*['\"]([^'\"]+)['\"]"
    r"|<link[^>]+href\s*=\s*['\"]([^'\"]+)['\"][^>]+rel\s*=\s*['\"]canonical['\"]",
    re.I,
)


def page_kind(html: str, url: str, platform: str) -> LinkKind:
    """Post, home or listing: the page's own markers first, then its canonical link and URL."""
    head = html[:HEAD]
    parser = get_parser(platform)
    for marker_platform, pattern, kind in KIND_MARKERS:
        if marker_platform in (None, platform) and pattern.search(head):
            return _home_or(kind, url, parser)
    canonical = CANONICAL.search(head)
    canonical_url = (canonical.group(1) or canonical.group(2)) if canonical else None
    if parser.is_post_url(url) or (canonical_url and _is_post(parser, canonical_url)):
        return LinkKind.POST
    if len(SCHEMA_POST.findall(head)) == 1:
        return LinkKind.POST
    return _home_or(LinkKind.LISTING, url, parser)


def _home_or(kind: LinkKind, url: str, parser: ModuleType) -> LinkKind:
    if kind is LinkKind.LISTING and _is_root(url, parser):
        return LinkKind.HOME
    return kind


def _is_root(url: str, parser: ModuleType) -> bool:
    try:
        return urlsplit(url).path.rstrip("/") == urlsplit(parser.blog_root(url)).path.rstrip("/")
    except ValueError:
        return False


def _is_post(parser: ModuleType, url: str) -> bool:
    try:
        return bool(parser.is_post_url(url))
    except ValueError:
        return False
