"""Typepad feeds (``atom.xml``, ``index.rss``, ``index.rdf``): a post and its POST link per entry."""

from __future__ import annotations

import re

from crawler.parsers.base import (
    Link,
    LinkKind,
    Page,
    PostPage,
    absolute,
    parse_html,
    post_to_hint,
    unique,
    xpath,
)
from crawler.parsers.feeds import FeedEntry, read_feed
from crawler.parsers.typepad.urls import PLATFORM, blog_root, canonical_url, is_post_url, under
from crawler.urls import is_http_url

MEDIA = ".//img/@src | .//video/@src | .//audio/@src | .//source/@src | .//iframe/@src | .//embed/@src"
_POST_XID = re.compile(r"post-([0-9a-f]{16,})")  # tag:typepad.com,2003:post-6a00d8341c...


def parse_feed(text: str, url: str, kind: LinkKind) -> Page:
    """Every entry of this blog with a permalink; entries of other blogs (planets) left out."""
    feed = read_feed(text, url)
    if feed is None:
        return Page(kind=kind, outcome="unparsable")
    home = blog_root(feed.link or url)
    page = Page(kind=kind, blog_title=feed.title)
    for entry in feed.entries:
        if not entry.link or not is_post_url(entry.link):
            continue
        post = _post(entry, home, feed.title)
        if under(post.url, home) is None:
            continue
        page.posts.append(post)
        page.links.append(Link(post.url, LinkKind.POST, hint=post_to_hint(post)))
    return page


def _post(entry: FeedEntry, home: str, blog_title: str | None) -> PostPage:
    link = entry.link or ""
    xid = _POST_XID.search(entry.id or "")
    return PostPage(
        url=canonical_url(link),
        blog_url=home,
        platform=PLATFORM,
        title=entry.title,
        author=entry.author,
        updated=entry.updated.utc if entry.updated else None,
        body_html=entry.body_html,
        tags=entry.tags,
        media_urls=_media(entry.body_html, link),
        blog_title=blog_title,
        post_id=xid.group(1) if xid else None,
    ).set_published(entry.published)


def _media(body: str | None, url: str) -> list[str]:
    root = parse_html(body) if body else None
    if root is None:
        return []
    return unique([u for u in (absolute(url, s) for s in xpath(root, MEDIA)) if u and is_http_url(u)])
