"""Blogger feeds: alt=json (also json-in-script), Atom and RSS; one post per entry."""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.dates import When, iso_when, parse_iso, rfc822_when
from crawler.parsers.base import (
    Link,
    LinkKind,
    Page,
    PostPage,
    absolute,
    clean_text,
    node_html,
    parse_html,
    post_to_hint,
    to_int,
    unique,
)
from crawler.parsers.blogspot.byline import take_byline
from crawler.parsers.blogspot.dating import whole_minute
from crawler.parsers.blogspot.fields import author_name, media
from crawler.parsers.blogspot.markup import ATOM_NS, BLOG_POST_ID, JSONP
from crawler.parsers.blogspot.urls import FEED_PAGE_SIZE, PLATFORM, blog_root, canonical_url, is_post_url
from crawler.urls import is_http_url, same_site

FEED_PAGES_AHEAD = 1000  # feed pages the first one names at once when it gives the total


def parse_feed(text: str, url: str) -> Page:
    """One PostPage per entry, a POST link with its hint per entry, and the next feed page."""
    body = (text or "").lstrip("\ufeff \t\r\n")
    entries: list[PostPage] | None
    if body.startswith("<"):
        entries, blog_title, echoed_start, total = _xml_feed(body, url)
    else:
        entries, blog_title, echoed_start, total = _json_feed(body, url)
    if entries is None:
        return Page(kind=LinkKind.FEED, outcome="bad_feed")
    for post in entries:
        post.blog_title = blog_title
    links = [Link(p.url, LinkKind.POST, hint=post_to_hint(p)) for p in entries]
    links += [
        Link(u, LinkKind.FEED, priority=1) for u in next_feed_urls(url, len(entries), echoed_start, total)
    ]
    return Page(kind=LinkKind.FEED, posts=entries, links=links, blog_title=blog_title, declared_posts=total)


def next_feed_urls(url: str, count: int, echoed_start: int | None, total: int | None) -> list[str]:
    """``start-index += count``; none after an empty page or when the server ignored start-index.

    With the total known (``openSearch:totalResults``) the first page names every later one,
    fetched side by side instead of one after the other, and none goes past the total.
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    start = to_int(query.get("start-index")) or 1
    if count == 0 or (echoed_start is not None and echoed_start != start):
        return []
    if total is None:
        starts = [start + count]
    elif start == 1:  # the last page named ahead carries on one by one past the cap
        starts = list(range(start + count, total + 1, count))[:FEED_PAGES_AHEAD]
    else:
        starts = [start + count] if start + count <= total else []
    query.setdefault("max-results", str(FEED_PAGE_SIZE))
    return [urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({**query, "start-index": str(n)}), ""))
            for n in starts]  # fmt: skip


def _json_feed(body: str, url: str) -> tuple[list[PostPage] | None, str | None, int | None, int | None]:
    match = JSONP.match(body)
    try:
        data = json.loads(match.group("json") if match else body)
        feed = data["feed"]
        raw_entries = feed.get("entry") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, None, None, None
    if not isinstance(raw_entries, list):
        return None, None, None, None
    entries = [post for post in (_json_entry(e, url) for e in raw_entries if isinstance(e, dict)) if post]
    echoed = to_int(_t(feed.get("openSearch$startIndex")))
    total = to_int(_t(feed.get("openSearch$totalResults")))
    return entries, clean_text(_t(feed.get("title"))), echoed, total


def _t(value: object) -> str | None:
    """The ``$t`` text of a GData JSON node."""
    if isinstance(value, dict):
        text = value.get("$t")
        return str(text) if text is not None else None
    return None


def _json_entry(entry: dict, url: str) -> PostPage | None:
    links = entry.get("link") if isinstance(entry.get("link"), list) else []
    permalink = next(
        (lk.get("href") for lk in links if isinstance(lk, dict) and lk.get("rel") == "alternate"), None
    )
    authors = entry.get("author") if isinstance(entry.get("author"), list) else []
    categories = entry.get("category") if isinstance(entry.get("category"), list) else []
    body = _t(entry.get("content")) or _t(entry.get("summary"))
    return _feed_post(
        url,
        permalink=permalink,
        entry_id=_t(entry.get("id")),
        title=_t(entry.get("title")),
        author=_t(authors[0].get("name")) if authors and isinstance(authors[0], dict) else None,
        published=iso_when(_t(entry.get("published"))),
        updated=parse_iso(_t(entry.get("updated"))),
        tags=[str(c.get("term")) for c in categories if isinstance(c, dict) and c.get("term")],
        comment_count=to_int(_t(entry.get("thr$total"))),
        body=body,
        summary_only=entry.get("content") is None and body is not None,
    )


def _xml_feed(body: str, url: str) -> tuple[list[PostPage] | None, str | None, int | None, int | None]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None, None, None, None
    if root.tag == f"{{{ATOM_NS['a']}}}feed":
        entries = [_atom_entry(e, url) for e in root.findall("a:entry", ATOM_NS)]
        title = root.findtext("a:title", namespaces=ATOM_NS)
        echoed = root.findtext("os:startIndex", namespaces=ATOM_NS) or root.findtext(
            "os11:startIndex", namespaces=ATOM_NS
        )
        total = root.findtext("os:totalResults", namespaces=ATOM_NS) or root.findtext(
            "os11:totalResults", namespaces=ATOM_NS
        )
    elif root.tag == "rss" and root.find("channel") is not None:
        channel = root.find("channel")
        entries = [_rss_item(item, url) for item in channel.findall("item")]
        title = channel.findtext("title")
        echoed = channel.findtext("os:startIndex", namespaces=ATOM_NS)
        total = channel.findtext("os:totalResults", namespaces=ATOM_NS)
    else:
        return None, None, None, None
    return [p for p in entries if p], clean_text(title), to_int(echoed), to_int(total)


_ALTERNATE = etree.XPath("a:link[@rel='alternate']/@href", namespaces=ATOM_NS)
_CATEGORIES = etree.XPath("a:category/@term", namespaces=ATOM_NS)


def _atom_entry(entry: etree._Element, url: str) -> PostPage | None:
    alternate = _ALTERNATE(entry)
    content = entry.find("a:content", ATOM_NS)
    summary = entry.find("a:summary", ATOM_NS)
    body_node = content if content is not None else summary
    return _feed_post(
        url,
        permalink=alternate[0] if alternate else None,
        entry_id=entry.findtext("a:id", namespaces=ATOM_NS),
        title=entry.findtext("a:title", namespaces=ATOM_NS),
        author=entry.findtext("a:author/a:name", namespaces=ATOM_NS),
        published=iso_when(entry.findtext("a:published", namespaces=ATOM_NS)),
        updated=parse_iso(entry.findtext("a:updated", namespaces=ATOM_NS)),
        tags=[t for t in _CATEGORIES(entry) if t],
        comment_count=to_int(entry.findtext("thr:total", namespaces=ATOM_NS)),
        body=body_node.text if body_node is not None else None,
        summary_only=content is None and summary is not None,
    )


def _rss_item(item: etree._Element, url: str) -> PostPage | None:
    author = item.findtext("author") or ""
    name = re.search(r"\(([^)]*)\)", author)
    return _feed_post(
        url,
        permalink=item.findtext("link"),
        entry_id=item.findtext("guid"),
        title=item.findtext("title"),
        author=name.group(1) if name else None,
        published=rfc822_when(item.findtext("pubDate")),
        updated=parse_iso(item.findtext("a:updated", namespaces=ATOM_NS)),
        tags=[c.text for c in item.findall("category") if c.text],
        comment_count=to_int(item.findtext("thr:total", namespaces=ATOM_NS)),
        body=item.findtext("description"),
        summary_only=False,
    )


def _feed_post(url: str, *, permalink: str | None, entry_id: str | None, title: str | None, author: str | None,
               published: When | None, updated: datetime | None, tags: list[str],
               comment_count: int | None, body: str | None, summary_only: bool) -> PostPage | None:  # fmt: skip
    """A feed entry as a post; ``None`` when it has no permalink on this blog (drafts, pages)."""
    link = absolute(url, permalink)
    if not link or not is_http_url(link) or not is_post_url(link) or not same_site(link, url):
        return None
    ids = BLOG_POST_ID.search(entry_id or "")
    extra = {"blog_id": ids.group(1)} if ids else {}
    if summary_only:
        extra["feed_summary_only"] = True
    root = parse_html(f"<div>{body}</div>") if body else None
    byline = take_byline(root) if root is not None else None  # as on the post's page
    return PostPage(
        url=canonical_url(link),
        blog_url=blog_root(link),
        platform=PLATFORM,
        title=clean_text(title),
        author=byline or author_name(author),
        updated=updated,
        body_html=_wrapped_html(root) if byline and root is not None else body,
        tags=unique([clean_text(t) or "" for t in tags]),
        comment_count=comment_count,
        media_urls=media(root, link) if root is not None else [],
        post_id=ids.group(2) if ids else None,
        extra=extra,
    ).set_published(whole_minute(published))


def _wrapped_html(root: lxml_html.HtmlElement) -> str:
    """The entry's content as parsed inside its ``<div>`` wrapper (after a byline was taken out)."""
    holder = root.body if root.body is not None else root
    return node_html(holder[0]) if len(holder) == 1 else node_html(holder)
