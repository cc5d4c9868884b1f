"""A Tumblr blog's RSS feed (``/rss``): its recent posts, read by the shared feed reader."""

from __future__ import annotations

from crawler.parsers.base import LinkKind, Page, PostPage, clean_text, parse_html
from crawler.parsers.feeds import FeedEntry, read_feed
from crawler.parsers.tumblr.fields import API_POST_PRIORITY, PLATFORM, media_urls, post_links, strip_tags
from crawler.parsers.tumblr.urls import blog_name, blog_root, canonical_url, is_post_url, post_id_of


def parse_rss(text: str, url: str, kind: LinkKind) -> Page:
    """One post per item that links a permalink, and a POST link with its hint each."""
    feed = read_feed(text, url)
    if feed is None:
        return Page(kind=kind, outcome="unparsable")
    root = blog_root(url)
    posts = [_post(entry, root, feed.title) for entry in feed.entries if is_post_url(entry.link or "")]
    links = post_links(posts, root, priority=API_POST_PRIORITY)
    return Page(
        kind=kind, posts=posts, links=links, blog_title=feed.title, outcome=None if posts else "empty"
    )


def _post(entry: FeedEntry, root: str, blog_title: str | None) -> PostPage:
    link = entry.link or ""
    description = entry.body_html or ""
    fragment = parse_html(f"<div>{description}</div>")
    return PostPage(
        url=canonical_url(link),
        blog_url=root,
        platform=PLATFORM,
        title=_rss_title(entry.title, description),
        author=blog_name(root),
        body_html=description or None,
        tags=entry.tags,
        media_urls=media_urls(fragment, link) if fragment is not None else [],
        blog_title=blog_title,
        post_id=post_id_of(link),
    ).set_published(entry.published)


def _rss_title(title: str | None, description: str) -> str | None:
    """Tumblr fills an untitled post's RSS title with the start of its text: not a title."""
    title = clean_text(title)
    body = clean_text(strip_tags(description)) or ""
    if not title or body.startswith(title.rstrip(".… ")):
        return None
    return title
