"""Blogger / Blogspot: JSON and Atom feeds, Layouts and newer templates, threaded and classic comments.

The package: ``urls`` (permalinks, roots, seeds), ``feeds`` (JSON, Atom, RSS), ``pages``
(permalink and listing pages, links), ``fields`` (a post's date, author, title, labels),
``comments`` (threaded, classic, declared counts), ``markup`` (selectors and patterns as data).
"""

from __future__ import annotations

import re

from crawler.parsers.base import LinkKind, Page, parse_feed_or_html
from crawler.parsers.blogspot.comments import comment_count_text
from crawler.parsers.blogspot.dating import whole_minute as stamp_when
from crawler.parsers.blogspot.feeds import parse_feed
from crawler.parsers.blogspot.pages import parse_page
from crawler.parsers.blogspot.urls import (
    FEED_PAGE_SIZE,
    FEED_PATH,
    HOST_PATTERN,
    HTML_MARKERS,
    OWN_SITES,
    PLATFORM,
    blog_root,
    canonical_url,
    feed_url,
    is_post_url,
    seeds,
)
from crawler.parsers.media import MediaKind

__all__ = [
    "HOST_PATTERN",
    "HTML_MARKERS",
    "OWN_SITES",
    "FEED_PAGE_SIZE",
    "FEED_PATH",
    "MEDIA_CHROME",
    "MEDIA_KINDS",
    "MEDIA_SIZES",
    "PLATFORM",
    "blog_root",
    "canonical_url",
    "comment_count_text",
    "feed_url",
    "is_post_url",
    "parse",
    "seeds",
    "stamp_when",
]


def _blogger_full(match: re.Match[str]) -> str:
    """``/s320/`` -> ``/s1600/`` (a larger ``/s2048/`` is kept); ``=w640-h480`` -> ``=s0``."""
    if match.group("sep") == "=":
        return "=s0"
    size = match.group("size")
    return match.group(0) if size and int(size) >= 1600 and not match.group("crop") else "/s1600/"


# Media URL rules (crawler.parsers.media): bp.blogspot.com / googleusercontent.com sizes.
MEDIA_SIZES = (
    (
        re.compile(r"(?P<sep>/)(?:s(?P<size>\d+)|w\d+-h\d+|h\d+|w\d+)(?P<crop>(?:-[a-z]+)*)/(?=[^/]+$)"),
        _blogger_full,
    ),
    (re.compile(r"(?P<sep>=)(?:s\d+|w\d+-h\d+|w\d+|h\d+)(?:-[a-z]+)*$"), _blogger_full),
)
MEDIA_CHROME = tuple(
    re.compile(p, re.I)
    for p in (
        r"//(?:resources|img\d|www)\.blogblog\.com/",  # theme images
        r"//www\.blogger\.com/img/",  # icon18_edit_allbkg.gif, the quick-edit pencil
        r"//blogger\.googleusercontent\.com/tracker/",  # the view counter pixel
        r"//(?:www\.)?blogger\.com/(?:profile|img/b16|img/avatar)",
        r"/b/stats\?",
        r"//lh\d\.googleusercontent\.com/[^?#]*/(?:s35|s45|s72-c)-?[^/]*/[^/]*photo\.jpg$",  # commenters' avatars
    )
)
MEDIA_KINDS = (
    (
        re.compile(
            r"//(?:\d\.bp\.blogspot\.com|blogger\.googleusercontent\.com/img|lh\d\.googleusercontent\.com)/"
        ),
        MediaKind.IMAGE,
    ),
)


def parse(text: str, url: str, kind: LinkKind, follow: bool = True) -> Page:
    """Parse one fetched feed or HTML page of a Blogger blog. Never raises on bad input."""
    return parse_feed_or_html(
        text, url, kind, parse_feed, lambda root: parse_page(root, text, url, kind, follow)
    )
