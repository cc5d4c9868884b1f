"""What every Tumblr input format reads alike: post types, plain text of an HTML snippet,
media URLs, and the POST links a listing or feed hands to the spider."""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html

from crawler.parsers.base import (
    Link,
    LinkKind,
    PostPage,
    absolute,
    element_text,
    parse_html,
    post_to_hint,
    unique,
    xpath,
)
from crawler.parsers.tumblr.npf import load_npf, npf_media
from crawler.parsers.tumblr.urls import same_blog
from crawler.urls import is_http_url, query_params

PLATFORM = "tumblr"
THOUSANDS = ", ."  # marks Tumblr writes in counts (1,234 notes; 1.234; 1 234), dropped before reading them
# Permalinks found in HTML wait behind those from the APIs, whose hints (exact date, type, notes) then reach
# the permalink's record: the spider schedules a post once, with the first link it sees.
HTML_POST_PRIORITY = -25
API_POST_PRIORITY = 10
TAG_PRIORITY = -10
TYPES = frozenset({"text", "photo", "quote", "link", "chat", "audio", "video", "answer"})
TYPE_ALIASES = {
    "regular": "text",
    "conversation": "chat",
    "photoset": "photo",
    "panorama": "photo",
}
MEDIA_SELECTORS = {
    "images": ".//img/@src",
    "npf": ".//@data-npf",  # NPF blocks a theme renders (video, audio, images): their JSON
    "media": ".//video/@src | .//video/source/@src | .//audio/@src | .//audio/source/@src | .//iframe/@src"
    " | .//embed/@src | .//object/@data",
}
_NOT_MEDIA = re.compile(r"avatar_|(?:assets|static)\.tumblr\.com|/px\.srvcs\.|/impixu")


def norm_type(value: Any) -> str | None:
    """A post type as Tumblr's current names spell it (``regular`` -> ``text``); None if not one."""
    value = str(value or "").lower()
    value = TYPE_ALIASES.get(value, value)
    return value if value in TYPES else None


def strip_tags(value: Any) -> str | None:
    """The text of an HTML snippet (API titles, RSS descriptions)."""
    if not value:
        return None
    fragment = parse_html(f"<div>{value}</div>")
    return element_text(fragment) if fragment is not None else str(value)


def media_urls(block: lxml_html.HtmlElement | None, url: str) -> list[str]:
    """Images, video and audio of a post body; theme assets and avatars left out."""
    if block is None:
        return []
    found = []
    npf = [u for raw in xpath(block, MEDIA_SELECTORS["npf"]) for u in npf_media(load_npf(str(raw)))]
    for raw in xpath(block, MEDIA_SELECTORS["images"]) + xpath(block, MEDIA_SELECTORS["media"]) + npf:
        src = absolute(url, str(raw)) if url else str(raw).strip()
        if not src:
            continue
        audio_file = query_params(src).get("audio_file")
        src = audio_file or src
        if is_http_url(src) and not _NOT_MEDIA.search(src):
            found.append(src)
    return unique(found)


def post_links(posts: list[PostPage], root: str, priority: int) -> list[Link]:
    """A POST link per post of this blog, carrying its entry as the permalink's hint."""
    return [
        Link(p.url, LinkKind.POST, hint=post_to_hint(p), priority=priority)
        for p in posts
        if same_blog(p.url, root)
    ]
