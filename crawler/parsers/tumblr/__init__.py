"""Tumblr, one module per input format:

- ``theme`` (with ``chrome``): permalink and listing pages of any theme, the HTML a crawl or a WARC holds;
- ``npf``: Neue Post Format blocks, in API v2 ``content`` and in themes' ``data-npf`` attributes;
- ``api``: API v2 JSON and the legacy v1 read API (JSON, JSONP and XML);
- ``rss``: the blog's ``/rss`` feed, through the shared ``crawler.parsers.feeds`` reader;
- ``urls``: blog roots, permalinks, seeds; ``fields``: what the formats read alike.

This module is the platform's parser (the contract of ``crawler.parsers.base``): it tells walls
from content and hands each document to its format's reader.
"""

from __future__ import annotations

import json
import re
from typing import Any

from crawler.parsers.base import LinkKind, Page, parse_html
from crawler.parsers.media import MediaKind
from crawler.parsers.tumblr.api import parse_api, parse_v1_xml
from crawler.parsers.tumblr.fields import PLATFORM
from crawler.parsers.tumblr.rss import parse_rss
from crawler.parsers.tumblr.theme import parse_listing, parse_permalink
from crawler.parsers.tumblr.urls import (
    HOST_PATTERN,
    HTML_MARKERS,
    OWN_SITES,
    RSS_PATH,
    V1_JSON_PATH,
    V1_XML_PATH,
    V2_PATH,
    api_v2_url,
    blog_root,
    canonical_url,
    is_post_url,
    post_id_of,
    seeds,
    split,
)

__all__ = [
    "HOST_PATTERN",
    "HTML_MARKERS",
    "OWN_SITES",
    "PLATFORM",
    "api_v2_url",
    "blog_root",
    "canonical_url",
    "is_post_url",
    "parse",
    "post_id_of",
    "seeds",
]

# Media URL rules (crawler.parsers.media): ``tumblr_<id>_<size>`` -> the ``_1280`` file
# (the largest the v1 API names; a ``_raw`` original is kept as it is).
MEDIA_SIZES = ((re.compile(r"(/tumblr_\w+?)_(?:75sq|100|250|400|500|540|640)(\.\w+)$"), r"\1_1280\2"),)
MEDIA_CHROME = tuple(
    re.compile(p, re.I)
    for p in (
        r"/avatar_[0-9a-f]+_\d+\.\w+$",  # blog avatars, every size
        r"//(?:assets|static|px\.srvcs|www)\.tumblr\.com/",  # theme, share images, impixu beacons
        r"/impixu\b",
    )
)
MEDIA_KINDS = (
    (re.compile(r"/video_file/"), MediaKind.VIDEO),
    (re.compile(r"/audio_file/|//a\.tumblr\.com/"), MediaKind.AUDIO),
)

# What the generic fallback may fill (crawler.parsers.generic): never a title, since untitled
# posts (photo, quote, chat...) are Tumblr's norm and a JSON-LD headline is their caption.
FALLBACK_FIELDS = frozenset({"author", "published", "comments"})
# Pages that are not the blog. By URL (where Tumblr redirects to), else by wording on pages that carry none of
# a blog's or a feed's markers (a post quoting "There's nothing here." stays a post).
WALL_PATHS = (
    ("consent_wall", re.compile(r"^/(?:svc/)?privacy/consent\b")),
    ("login_wall", re.compile(r"^/(?:login|safe-mode|dashboard/blog)\b")),
)
WALL_TEXTS = (
    ("consent_wall", re.compile(r"privacy/consent|gdpr_consent", re.I)),
    (
        "login_wall",
        re.compile(r"viewable within the Tumblr dashboard|www\.tumblr\.com/safe-mode\?url=", re.I),
    ),
    ("blog_gone", re.compile(r"There[’']s nothing here\.|doesn[’']t currently exist at this address", re.I)),
)
# Any page Tumblr serves carries one of these, whatever the theme (and Wayback keeps them in its rewritten URLs).
PAGE_MARKERS = re.compile(
    r"tumblr-feed:|al:ios:app_name|(?:assets|static|\d+\.media)\.tumblr\.com|tumblr_controls", re.I
)
BLOG_MARKERS = re.compile(r"tumblr-feed:|al:ios:url|tumblr_api_read|<tumblr[\s>]|<rss[\s>]|^\s*[{\[]", re.I)


# ---------------------------------------------------------------------------------
# Entry point


def parse(text: str, url: str, kind: LinkKind, follow: bool = True) -> Page:
    """Parse one Tumblr document; walls and junk give an ``outcome``, never posts."""
    _, _, path = split(url)
    wall = _wall(text or "", path)
    if wall:
        return Page(kind=kind, outcome=wall)
    if not text or not text.strip():
        return Page(kind=kind, outcome="empty")
    if kind is LinkKind.FEED or any(p.match(path) for p in (V2_PATH, V1_JSON_PATH, V1_XML_PATH, RSS_PATH)):
        return _parse_feed(text, url, kind)
    root = parse_html(text)
    if root is None:
        return Page(kind=kind, outcome="unparsable")
    if kind is LinkKind.POST:
        if not PAGE_MARKERS.search(text[:200_000]):
            return Page(kind=kind, outcome="not_a_post")
        return parse_permalink(root, url, follow)
    return parse_listing(root, url, kind, follow)


def _wall(text: str, path: str) -> str | None:
    for outcome, pattern in WALL_PATHS:
        if pattern.search(path):
            return outcome
    head = text[:20_000]
    if BLOG_MARKERS.search(head):
        return None
    return next((outcome for outcome, pattern in WALL_TEXTS if pattern.search(head)), None)


def _parse_feed(text: str, url: str, kind: LinkKind) -> Page:
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if "<rss" in stripped[:2000] or "<channel" in stripped[:4000]:
            return parse_rss(stripped, url, kind)
        if "<tumblr" in stripped[:2000]:
            return parse_v1_xml(stripped, url, kind)
        return Page(kind=kind, outcome="unparsable")
    data = _load_json(stripped)
    if not isinstance(data, dict):
        return Page(kind=kind, outcome="unparsable")
    return parse_api(data, url, kind)


def _load_json(text: str) -> Any:
    """JSON, or the legacy JSONP ``var tumblr_api_read = {...};``."""
    if not text.startswith(("{", "[")):
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            return None
        text = text[start : end + 1]
    try:
        return json.loads(text)
    except ValueError:
        return None
