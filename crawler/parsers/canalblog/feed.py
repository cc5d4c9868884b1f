"""The blog's RSS 2.0 feed (``/rss.xml``; ``/rss`` on the Overblog engine): recent posts, read by
the shared feed reader."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from crawler.dates import DEFAULT_TZ, When
from crawler.parsers.base import Link, LinkKind, Page, PostPage, post_to_hint
from crawler.parsers.canalblog.urls import (
    PLATFORM,
    POST_PATH,
    SLUG_POST_PATH,
    blog_root,
    is_post_url,
    media_urls,
    post_id_of,
)
from crawler.parsers.feeds import FeedEntry, read_feed
from crawler.urls import same_site

PARIS = ZoneInfo(DEFAULT_TZ)


def parse_feed(text: str, url: str) -> Page:
    """Recent posts, each a POST link carrying its entry as a hint."""
    feed = read_feed(text or "", url)
    if feed is None:
        return Page(kind=LinkKind.FEED, outcome="unparsable")
    posts, links = [], []
    for entry in feed.entries:
        link = entry.link
        if not link or not is_post_url(link) or not same_site(link, url):
            continue
        post = _post(entry, link, feed.title)
        posts.append(post)
        # The page is the authority for labels (category + tags: pipelines.merge lets the
        # page's win) and, unless the feed agrees with the permalink's day, for the date.
        links.append(Link(post.url, LinkKind.POST, hint=post_to_hint(post)))
    outcome = None if posts else "empty"
    return Page(kind=LinkKind.FEED, posts=posts, links=links, blog_title=feed.title, outcome=outcome)


def _post(entry: FeedEntry, link: str, blog_title: str | None) -> PostPage:
    body = entry.body_html
    body_root = lxml_html.fragment_fromstring(body, create_parent="div") if body and body.strip() else None
    return PostPage(
        url=link,
        blog_url=blog_root(link),
        platform=PLATFORM,
        title=entry.title,
        author=entry.author,
        body_html=body,
        tags=entry.tags,
        media_urls=media_urls(body_root, link) if body_root is not None else [],
        blog_title=blog_title,
        post_id=post_id_of(link),
    ).set_published(_same_day(entry.published, link))


def _same_day(stamp: When | None, permalink: str) -> When | None:
    """The entry's date, kept only when it falls on the permalink's day (its month for the
    Overblog engine's ``/YYYY/MM/<slug>.html``), Paris time; a static page's URL says nothing."""
    if stamp is None:
        return None
    path = urlsplit(permalink).path
    local = stamp.utc.astimezone(PARIS)
    dated = POST_PATH.match(path)
    if dated:
        return (
            stamp
            if (local.year, local.month, local.day) == tuple(int(p) for p in dated.groups()[:3])
            else None
        )
    slugged = SLUG_POST_PATH.match(path)
    if slugged:
        return stamp if (local.year, local.month) == (int(slugged[1]), int(slugged[2])) else None
    return stamp
