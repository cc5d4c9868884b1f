"""One fetched document in, post rows and links out: the work a crawl and a build share.

``process_capture`` is pure and picklable (it runs in a process pool during a crawl,
inline during a build from WARC): decode -> detect platform -> parse -> per post:
extract text -> normalize -> language -> content hash. Posts read off listings and
feeds are kept "pending" (their HTML unextracted): the permalink page usually gives the
same post, and only orphans are extracted when shards are finalized
(:func:`finish_row`), so no text is extracted twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from crawler.dates import iso_when
from crawler.detect import detect
from crawler.encoding import decode_body, looks_binary
from crawler.pagekind import page_kind
from crawler.parsers import generic, get_parser
from crawler.parsers.base import Link, LinkKind, Page, PostPage
from crawler.urls import canonicalize, post_id, post_url
from crawler.warc import META_ARCHIVED_AT, META_HINT, META_KIND, META_ORIGINAL, META_PLATFORM, META_SOURCE
from pipelines.merge import MERGED, merge_feed
from pipelines.normalize import normalize_inline, normalize_text
from pipelines.rows import extra_json, finish_row
from pipelines.zones import rezone, zone_from
from schemas.origins import Origin
from schemas.outcomes import PageOutcome
from schemas.segment import COMMENTS_LOCAL, ORIGIN, PENDING_HTML, PUBLISHED_LOCAL, UTC_OFFSET

logger = logging.getLogger(__name__)

ORIGIN_OF_KIND = {
    LinkKind.POST: Origin.PERMALINK,
    LinkKind.FEED: Origin.API,
    LinkKind.COMMENTS: Origin.COMMENTS,
}


@dataclass
class Capture:
    """A fetched document as the WARC holds it, plus what the crawl expected it to be."""

    url: str
    body: bytes
    content_type: str | None
    kind: LinkKind | None  # None: a capture without crawl metadata, its kind read from the page
    fetched_at: datetime
    platform: str | None = None
    warc_record_id: str | None = None
    source: str = "live"
    archived_at: datetime | None = None
    hint: dict | None = None

    @classmethod
    def of_fetch(cls, url: str, body: bytes, content_type: str | None, fetched_at: datetime,
                 warc_record_id: str | None, meta: Mapping[str, Any], kind: LinkKind | None = None) -> Capture:  # fmt: skip
        """A response with the crawl metadata it was asked with: a request's meta during a crawl,
        the metadata record beside the WARC response during a build (the one way to make a capture).

        A Wayback snapshot is parsed as its original URL; ``kind`` is for metadata that names
        none (a WARC of another crawler).
        """
        archived_at = meta.get(META_ARCHIVED_AT)
        return cls(
            url=meta.get(META_ORIGINAL) or url,
            body=body,
            content_type=content_type,
            kind=LinkKind(meta[META_KIND]) if META_KIND in meta else kind,
            fetched_at=fetched_at,
            platform=meta.get(META_PLATFORM),
            warc_record_id=warc_record_id,
            source=meta.get(META_SOURCE) or "live",
            archived_at=datetime.fromisoformat(archived_at) if archived_at else None,
            hint=meta.get(META_HINT),
        )


@dataclass
class Processed:
    platform: str | None
    rows: list[dict] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    outcome: str | None = None
    declared_posts: int | None = None  # the posts a feed page says its blog holds


def process_capture(capture: Capture, follow: bool = True) -> Processed:
    """Parse one capture into segment rows and the links to follow. Never raises.

    Without ``follow`` (a build, which follows no link) the result holds no links: its outcome
    still rests on them (``links_only``, ``empty``...), they are not sent back from the worker.
    """
    if looks_binary(capture.body):
        return Processed(capture.platform or detect(capture.url), outcome=PageOutcome.BINARY_CONTENT.value)
    text, _ = decode_body(capture.body, capture.content_type)
    platform = capture.platform or detect(capture.url, text)
    if platform is None:
        return Processed(None, outcome=PageOutcome.UNSUPPORTED_PLATFORM.value)
    parser = get_parser(platform)
    kind = capture.kind or page_kind(text, capture.url, platform)
    try:
        page = generic.complete(
            parse_document(parser, text, capture.url, kind, follow), text, capture.url, kind, parser
        )
    except Exception:  # a parser bug must not stop a crawl: count it, keep the page in the WARC
        logger.exception("parser error on %s", capture.url)
        return Processed(platform, outcome=PageOutcome.PARSER_ERROR.value)
    links = list(page.links)
    if kind is LinkKind.HOME:
        links = parser.seeds(parser.blog_root(capture.url)) + links
    origin = ORIGIN_OF_KIND.get(kind, Origin.LISTING)
    robots = page_robots(text) if kind is LinkKind.POST else None
    posts = []
    for post in page.posts:
        post.robots = post.robots or robots
        if capture.hint and kind is LinkKind.POST:
            post = merge_hint(post, capture.hint)
        post.blog_title = post.blog_title or page.blog_title
        posts.append(post)
    zone_wall_times(posts, text)
    rows = []
    for post in posts:
        row = post_row(post, capture, origin)
        rows.append(finish_row(row) if origin is Origin.PERMALINK else row)
    outcome = page.outcome or silent_outcome(rows, links)
    return Processed(platform, rows, links if follow else [], outcome, page.declared_posts)


def parse_document(parser: ModuleType, text: str, url: str, kind: LinkKind, follow: bool) -> Page:
    """The parser's page; without ``follow``, its links found only when it gives no post.

    Finding a listing's links was 7 % of a build's parse CPU, for links a build never follows. A page's
    posts never rest on its links, but the outcome of a page without posts may (``empty`` against
    ``links_only``): such a page, rare in a build, is parsed again as a crawl parses it.
    """
    page = parser.parse(text, url, kind, follow=follow)
    return page if follow or page.posts else parser.parse(text, url, kind)


def silent_outcome(rows: list[dict], links: list[Link]) -> str | None:
    """The outcome of a page its parser had nothing to say about: never a silent capture.

    ``links_only`` when it gives links to follow, ``no_posts`` when it gives nothing at all.
    """
    if rows:
        return None
    return (PageOutcome.LINKS_ONLY if links else PageOutcome.NO_POSTS).value


_META_ROBOTS = re.compile(
    r"<meta\s[^>]*name\s*=\s*[\"']robots[\"'][^>]*content\s*=\s*[\"']([^\"']*)[\"']"
    r"|<meta\s[^>]*content\s*=\s*[\"']([^\"']*)[\"'][^>]*name\s*=\s*[\"']robots[\"']",
    re.I,
)


def page_robots(html: str) -> str | None:
    """The permalink page's ``<meta name="robots">`` directives (owners' noarchive/noindex)."""
    match = _META_ROBOTS.search(html[:100_000])
    return (match.group(1) or match.group(2)).strip() or None if match else None


# Machine timestamps with an offset in the page's own markup (Blogger's abbr/time, schema.org
# meta and JSON-LD): the blog's offset as the page states it. A pattern that opens on an
# alternation is tried at every character (18 ms a 100 KB page, a quarter of a build's parse
# CPU); one that opens on a literal is found by a fast scan: the stamp's "-MM-DDTHH:MM" is
# scanned for, then the whole stamp matched from its year, and what precedes it matched on the
# reversed page (``title="``, ``datetime='``, ``content="``, ``"datePublished": "``...).
_STAMP_TAIL = re.compile(r"-\d{2}-\d{2}T\d{2}:\d{2}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[+-]\d{2}:?\d{2}")
_BEFORE_STAMP_REVERSED = re.compile(
    r"""["']\s*=\s*(?:eltit|emitetad|tnetnoc)\b|"\s*:\s*"(?:dehsilbuP|deifidoM|detaerC)etad\""""
)


def stated_offsets(html: str) -> list[tuple[datetime, int]]:
    """``(instant, minutes east of UTC)`` of every zoned machine timestamp in the page."""
    found = []
    reversed_html = ""
    for tail in _STAMP_TAIL.finditer(html):
        start = tail.start() - 4  # the stamp's year
        stamp = _STAMP.match(html, start) if start >= 0 else None
        if stamp is None:
            continue
        reversed_html = reversed_html or html[::-1]
        if _BEFORE_STAMP_REVERSED.match(reversed_html, len(html) - start):
            when = iso_when(stamp.group())
            if when is not None and when.offset is not None:
                found.append((when.utc, when.offset))
    return found


def zone_wall_times(posts: list[PostPage], html: str) -> None:
    """Read the page's zone-less times in the zone the page itself states, if it states one.

    Such times are then final (``published_local`` cleared); the others keep their wall
    time for the finalizer, which zones them with what the blog's other pages state.
    """
    pending = [p for p in posts if p.published_local is not None]
    comments = [c for p in posts for c in p.comments if c.published_local is not None]
    if not pending and not comments:
        return
    stated = [(p.published, p.utc_offset) for p in posts if p.published and p.utc_offset is not None]
    stated += stated_offsets(html)
    if not stated:
        return
    zone = zone_from(stated)
    for dated in [*pending, *comments]:
        dated.published = rezone(dated.published_local, zone)
        dated.published_local = None


def merge_hint(post: PostPage, hint: dict) -> PostPage:
    """Merge a permalink page's post with the feed entry its link carried (:func:`merge_feed`)."""
    feed = {**hint, **{name: _when(hint.get(name)) for name in ("published", "published_local", "updated")}}
    merged = merge_feed({name: getattr(post, name) for name in MERGED}, feed)
    merged["tags"] = list(merged["tags"] or [])
    merged["media_urls"] = list(merged["media_urls"] or [])
    for name, value in merged.items():
        setattr(post, name, value)
    return post


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def post_row(post: PostPage, capture: Capture, origin: Origin) -> dict:
    """A segment row from a parsed post: every schema column, text not yet extracted."""
    url = post_url(post.url)
    source = capture.source
    if source == "live" and origin is Origin.API:
        source = "feed"
    return {
        "id": post_id(url),
        "url": url,
        "blog_url": canonicalize(post.blog_url),
        "blog_title": normalize_inline(post.blog_title),
        "platform": post.platform,
        "title": normalize_inline(post.title),
        "author": normalize_inline(post.author),
        "published": post.published,
        "updated": post.updated,
        "text": post.text,
        "tags": _unique_inline(post.tags),
        "comments": [
            {
                "id": c.id,
                "author": normalize_inline(c.author),
                "author_url": c.author_url,
                "published": c.published,
                "text": normalize_text(c.text),
                "parent_id": c.parent_id,
            }
            for c in post.comments
        ],
        "comment_count": post.comment_count,
        "media_urls": _unique_inline(post.media_urls),
        "language": None,
        "language_score": None,
        "source": source,
        "archived_at": capture.archived_at,
        "fetched_at": capture.fetched_at,
        "content_hash": None,
        "warc_record_id": capture.warc_record_id,
        "robots": normalize_inline(post.robots),
        "published_precision": post.published_precision,
        "extra": extra_json(post.post_id, post.extra),
        ORIGIN: int(origin),
        PENDING_HTML: post.body_html,
        PUBLISHED_LOCAL: post.published_local,
        UTC_OFFSET: post.utc_offset,
        COMMENTS_LOCAL: [c.published_local for c in post.comments]
        if any(c.published_local for c in post.comments)
        else None,
    }


def _unique_inline(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        clean = normalize_inline(value)
        if clean:
            seen.setdefault(clean, None)
    return list(seen)
