"""The crawl loop, once for every platform: fetch, hand to the parse pool, route links.

The spider never parses: each response goes to ``process_capture`` (in a process pool,
off the reactor), which returns post rows and the links to follow, each with its kind
(home, listing, feed, post, comments). Platform spiders only set ``name`` and
``platform``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.blogs import FALLBACK_OUTCOMES, GONE_STATUSES, META_BLOG, BlogBook, slot_key
from crawler.detect import detect_from_url
from crawler.ledger import Sighting, crawl_ledger
from crawler.parsers import PLATFORMS, get_parser
from crawler.parsers.base import Link, LinkKind, Origin
from crawler.pool import ProcessPool, worker_count
from crawler.seeds import MAX_SEED_LENGTH, checked_seeds, read_seeds
from crawler.spiders.media import MediaFetcher
from crawler.traps import TrapGuard, barren_depth, strip_session
from crawler.urls import canonicalize, is_http_url, post_id, same_site
from crawler.warc import (
    META_ARCHIVED_AT,
    META_DATE,
    META_HINT,
    META_KIND,
    META_ORIGINAL,
    META_PLATFORM,
    META_RECORD_ID,
    META_SOURCE,
)
from crawler.wayback import SOURCE as WAYBACK
from crawler.wayback import gone_failure
from crawler.wayback_crawl import WaybackSource
from pipelines.process import ORIGIN, PENDING_HTML, Capture

logger = logging.getLogger(__name__)

META_RECHECK = "blogarchive_recheck"  # a known post asked again: its content hash so far
WALLED_STATUSES = (
    403,
    503,
)  # home pages answering these still go to the parser too: it tells a Cloudflare challenge from a refusal
# Feeds first: the next feed page is fetched as soon as it is known, so the downloader
# always has post URLs queued (behind its own 100 posts, a Blogger feed page stalled the crawl).
PRIORITY = {
    LinkKind.FEED: 30,
    LinkKind.POST: 20,
    LinkKind.COMMENTS: 20,
    LinkKind.HOME: 5,
    LinkKind.LISTING: 0,
}


def classify_failure(failure: Failure) -> str:
    """A short slug for a failed request, used as a stats key."""
    from scrapy import exceptions as sx
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet import error as tx
    from twisted.web._newclient import ResponseFailed

    slug = getattr(failure.value, "slug", None)  # crawler.middlewares.Skipped says why itself
    if slug:
        return slug
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    kinds = (
        ("dns_error", (tx.DNSLookupError, sx.CannotResolveHostError)),
        ("timeout", (tx.TimeoutError, tx.TCPTimedOutError, sx.DownloadTimeoutError)),
        ("connection_refused", (tx.ConnectionRefusedError, sx.DownloadConnectionRefusedError)),
        # DOWNLOAD_MAXSIZE: Scrapy cancels the download (on the announced or the received size).
        ("too_large", (sx.DownloadCancelledError,)),
        ("connection_lost", (tx.ConnectionLost, tx.ConnectionDone, ResponseFailed, sx.ResponseDataLossError,
                             sx.DownloadFailedError)),
    )  # fmt: skip
    for name, types in kinds:
        if failure.check(*types):
            return name
    if failure.check(sx.IgnoreRequest):
        message = str(failure.value).lower()
        if "robots.txt" in message:
            return "robots_forbidden"
        return "too_many_redirects" if "redirection" in message else "ignored"
    return type(failure.value).__name__.lower()


class BlogSpider(MediaFetcher, WaybackSource, scrapy.Spider):
    """Crawls one or more blogs; the platform is detected unless the subclass fixes it."""

    name = "blog"
    platform: str | None = None
    book_class: Any = BlogBook  # per-blog accounting (a distributed worker counts in Redis)
    seeds_from_arguments = True  # False when the seeds come from elsewhere (a worker's Redis list)

    def __init__(
        self, url: str | None = None, platform: str | None = None, seeds: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if self.seeds_from_arguments and not url and not seeds:
            raise CloseSpider("no_url")
        self.seed_urls = [u.strip() for u in (url or "").split(",") if u.strip()]
        self.seeds_file = Path(seeds) if seeds else None
        if platform:
            if platform not in PLATFORMS:
                raise ValueError(f"unknown platform {platform!r}; supported: {', '.join(PLATFORMS)}")
            self.platform = platform
        self.scheduled_posts: set[str] = set()
        self.requested: set[str] = set()  # canonical URLs already asked for in this run
        self.permalinked: set[str] = set()  # ids of posts whose permalink row was yielded in this run
        self.crawled_blogs: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BlogSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.pool = ProcessPool(worker_count(settings.getint("BLOGARCHIVE_WORKERS")))
        spider.max_posts = settings.getint("BLOGARCHIVE_MAX_POSTS")
        spider.out = Path(settings.get("BLOGARCHIVE_OUTPUT"))
        spider.ledger = crawl_ledger(crawler)  # shared with the shard pipeline; closes itself
        spider.blogs = spider.book_class.from_crawler(crawler)
        spider.traps = TrapGuard(
            this_year=datetime.now().year,
            max_pages_per_blog=settings.getint("BLOGARCHIVE_MAX_PAGES_PER_BLOG"),
            max_barren=settings.getint("BLOGARCHIVE_TRAP_BARREN_DEPTH"),
        )
        spider.setup_media(settings)
        spider.seed_failures = {}  # seed URL -> why it gave nothing (unsupported, gone, dns_error...)
        crawler.signals.connect(spider.pool.start, signal=signals.spider_opened)
        crawler.signals.connect(spider.pool.close, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.ledger.rebuilt is not None:
            self.crawler.stats.set_value("blogarchive/resume/ledger_rebuilt_posts", self.ledger.rebuilt)
        if self.ledger.resumed:
            logger.info("resuming the interrupted crawl in %s (run %d)", self.out, self.ledger.run)
            self.crawler.stats.set_value("blogarchive/resume/resumed_run", self.ledger.run)
        elif self.ledger.is_recrawl:
            logger.info("incremental re-crawl of %s: unchanged posts are skipped", self.out)
        for url in self.seed_stream():
            await self.blogs.room()  # seeds are opened as blogs finish: the frontier stays small
            blog = self.blogs.open(url)
            if blog is None:
                continue
            if self.source == WAYBACK:
                for request in self.wayback_seed(url, blog):
                    yield request
                continue
            request = self.make_request(Link(url, LinkKind.HOME), self.platform)
            request.meta[META_BLOG] = blog
            self.blogs.track(request)
            yield request

    def seed_stream(self) -> Iterator[str]:
        """The seed URLs: those of ``url``, then the seed file's, read only as they are needed."""
        seeds = chain(self.seed_urls, read_seeds(self.seeds_file) if self.seeds_file is not None else ())
        yield from checked_seeds(
            seeds,
            self.max_seed_length(),
            lambda url, slug: self.crawler.stats.inc_value(f"blogarchive/errors/{slug}"),
        )

    def max_seed_length(self) -> int:
        """The longest seed URL a crawl takes: Scrapy's own URL length limit."""
        return self.crawler.settings.getint("URLLENGTH_LIMIT") or MAX_SEED_LENGTH

    def make_request(self, link: Link, platform: str | None) -> scrapy.Request:
        meta = {
            META_KIND: link.kind.value,
            META_PLATFORM: platform,
            META_HINT: link.hint,
            META_SOURCE: "live",
            "download_slot": slot_key(link.url),  # host:port: each blog server throttled on its own
        }
        if link.kind is LinkKind.HOME:  # a deleted blog's page may come as a 404/410: the parser names it
            meta["handle_httpstatus_list"] = GONE_STATUSES + WALLED_STATUSES
        request = scrapy.Request(link.url, callback=self.parse_capture, errback=self.on_error, meta=meta,
                                 priority=PRIORITY.get(link.kind, 0) + link.priority)  # fmt: skip
        # A link of a blog read from the Wayback Machine is fetched as its chosen capture.
        return self.as_snapshot(request, link.url) if link.url in self.snapshot_times else request

    async def parse_capture(self, response: Response) -> AsyncIterator[Any]:
        meta = response.meta
        kind = LinkKind(meta[META_KIND])
        stats = self.crawler.stats
        stats.inc_value(f"blogarchive/pages/{kind.value}")
        capture = Capture(
            url=meta.get(META_ORIGINAL) or response.url,  # a snapshot is parsed as its original URL
            body=response.body,
            content_type=_header(response, b"Content-Type"),
            kind=kind,
            fetched_at=meta[META_DATE],
            platform=meta.get(META_PLATFORM),
            warc_record_id=meta.get(META_RECORD_ID),
            source=meta.get(META_SOURCE) or "live",
            archived_at=datetime.fromisoformat(meta[META_ARCHIVED_AT]) if META_ARCHIVED_AT in meta else None,
            hint=meta.get(META_HINT),
        )
        processed = await self.pool.run(capture)
        self.blogs.page(response.request, kind.value, processed.platform, processed.outcome, response.status)
        if kind is LinkKind.HOME and response.status in GONE_STATUSES + WALLED_STATUSES:
            self._home_gone(response, processed.outcome)
            if response.status in GONE_STATUSES or processed.outcome in FALLBACK_OUTCOMES:
                for request in self.fall_back(response, processed.platform):
                    yield request
            return
        if kind is LinkKind.POST:
            self._note_post_fetch(response, processed.rows)
        if processed.outcome:
            stats.inc_value(f"blogarchive/outcome/{processed.outcome}")
            log = logger.warning if kind in (LinkKind.HOME, LinkKind.POST) else logger.info
            log("%s: %s", processed.outcome, response.url)
            if kind is LinkKind.HOME and not (processed.rows or processed.links):
                self._seed_failed(response.request or response, processed.outcome)
            if kind is LinkKind.HOME and processed.outcome in FALLBACK_OUTCOMES:
                for request in self.fall_back(response, processed.platform):
                    yield request
                return
        if processed.platform is None:
            logger.error(
                "unsupported platform at %s (supported: %s; force one with --platform)",
                response.url,
                ", ".join(PLATFORMS),
            )
            if kind is LinkKind.HOME:
                self._seed_failed(response.request or response, "unsupported_platform")
            return
        if capture.source == WAYBACK:
            processed.links = []  # the CDX index, not a capture's links, says what the archive holds
        processed.links = self._guard_links(kind, response, processed.rows, processed.links)
        for row in processed.rows:
            if self._keep_row(row):
                media = list(self.media_requests(row, processed.platform))
                yield row
                for request in media:
                    yield request
        signatures = {
            row["url"]: (row[ORIGIN], block_signature(row))
            for row in processed.rows
            if row[ORIGIN] in _SIGNED
        }
        links = processed.links
        if self.max_posts:  # posts first: once the limit is reached, the page's listing links are not needed
            links = sorted(links, key=lambda link: link.kind is not LinkKind.POST)
        for link in links:
            request = self._follow(link, response, processed.platform, signatures)
            if request is not None:
                yield request

    def _note_post_fetch(self, response: Response, rows: list[dict[str, Any]]) -> None:
        """Validators for the ledger, and new/changed/unchanged counts of a re-crawl."""
        etag, modified = _header(response, b"ETag"), _header(response, b"Last-Modified")
        previous_hash = response.meta.get(META_RECHECK)
        for row in rows:
            if row[ORIGIN] != Origin.PERMALINK:
                continue
            row["_etag"], row["_last_modified"] = etag, modified
            if previous_hash is None:
                self.crawler.stats.inc_value("blogarchive/incremental/new")
            elif previous_hash == row["content_hash"]:
                self.crawler.stats.inc_value("blogarchive/incremental/unchanged_content")
            else:
                self.crawler.stats.inc_value("blogarchive/incremental/changed")

    def _keep_row(self, row: dict[str, Any]) -> bool:
        if row[ORIGIN] == Origin.PERMALINK:
            self.permalinked.add(row["id"])
            return True
        if row[ORIGIN] == Origin.LISTING and row["id"] in self.permalinked:
            # Shards always take the permalink's row: a listing row read after it is dead
            # weight (2 of 3 listing rows of a blog whose posts are on several listings).
            self.crawler.stats.inc_value("blogarchive/rows/listing_superseded")
            return False
        if not self.max_posts:
            return True
        # With --max-posts, posts read off listings count only if their page was scheduled.
        return row["id"] in self.scheduled_posts

    def _follow(
        self, link: Link, response: Response, platform: str, signatures: dict[str, tuple[int, str]]
    ) -> scrapy.Request | None:
        # Links stay on the blog: a home page that moved (blogspot.com -> its custom domain) is the
        # blog's new place; other pages are judged by the URL asked for (a feed redirected to
        # FeedBurner still lists this blog's posts).
        moved = response.meta.get(META_KIND) == LinkKind.HOME.value
        asked = response.url if moved else (response.meta.get("redirect_urls") or [response.url])[0]
        if not is_http_url(link.url) or not same_site(link.url, asked):
            self.crawler.stats.inc_value("blogarchive/links/offsite_or_bad_scheme")
            return None
        url = canonicalize(link.url)
        sighting = None
        if link.kind is LinkKind.POST:
            sighting = self._sighting(url, platform, signatures.get(url))
            self.ledger.mark_seen([sighting])  # written with the next segment's done marks
        if url in self.requested:
            # Listings link the same pages dozens of times: drop repeats before building a
            # Request (Scrapy's duplicate filter would, at a far higher cost per link).
            self.crawler.stats.inc_value("blogarchive/links/repeated")
            return None
        enumerating = link.kind in (LinkKind.LISTING, LinkKind.FEED)
        if enumerating and self.max_posts and self.blogs.post_limit_reached(response.meta.get(META_BLOG)):
            # Enough posts scheduled: more listing or feed pages (a feed names all of its pages
            # at once) would only find posts left out.
            self.crawler.stats.inc_value(f"blogarchive/links/{link.kind.value}_after_max_posts")
            return None
        self.requested.add(url)
        if sighting is None:
            return self.make_request(link, platform)
        if self.max_posts and not self.blogs.take_post(response.meta.get(META_BLOG), sighting.id):
            self.crawler.stats.inc_value("blogarchive/links/over_max_posts")
            return None
        self.scheduled_posts.add(sighting.id)
        self.crawled_blogs.add(sighting.blog_url)
        return self._post_request(link, sighting, platform)

    @staticmethod
    def _sighting(url: str, platform: str, signature: tuple[int, str] | None) -> Sighting:
        origin, sig = signature or (None, None)
        return Sighting(url, post_id(url), canonicalize(get_parser(platform).blog_root(url)),
                        feed_sig=sig if origin == Origin.API else None,
                        listing_sig=sig if origin == Origin.LISTING else None)  # fmt: skip

    def _post_request(self, link: Link, sighting: Sighting, platform: str) -> scrapy.Request | None:
        """A request for a post, unless the ledger says it is done or unchanged."""
        stats = self.crawler.stats
        known = self.ledger.known(sighting.url)
        if known is None or known.fetched_run is None:
            return self.make_request(link, platform)
        if known.fetched_run == self.ledger.run:
            stats.inc_value("blogarchive/resume/skipped_posts")
            return None
        if (sighting.feed_sig and sighting.feed_sig == known.feed_sig) or (
            sighting.listing_sig and sighting.listing_sig == known.listing_sig
        ):
            stats.inc_value("blogarchive/incremental/unchanged_summary")
            return None
        hint_updated = (link.hint or {}).get("updated")
        if hint_updated and known.updated and _same_instant(hint_updated, known.updated):
            stats.inc_value("blogarchive/incremental/unchanged_feed")
            return None
        request = self.make_request(link, platform)
        request.meta[META_RECHECK] = known.content_hash
        if known.etag:
            request.headers["If-None-Match"] = known.etag
        if known.last_modified:
            request.headers["If-Modified-Since"] = known.last_modified
        return request

    def complete_enumeration(self) -> bool:
        """True when every listing and feed page answered: unseen posts were really deleted."""
        stats = self.crawler.stats
        failed = sum(
            stats.get_value(f"blogarchive/errors_by_kind/{k.value}", 0)
            for k in (LinkKind.HOME, LinkKind.LISTING, LinkKind.FEED)
        )
        return not self.max_posts and failed == 0

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        kind = request.meta.get(META_KIND)
        slug = classify_failure(failure)
        platform = request.meta.get(META_PLATFORM) or detect_from_url(request.url)
        if kind == LinkKind.HOME.value and gone_failure(slug, platform):
            self.schedule_now(self.fall_back(request, platform), request)  # before the blog's count ends
        unchanged = slug == "http_304" and META_RECHECK in request.meta
        self.blogs.failed(request, kind, None if unchanged else slug)  # counted for its blog, and ended
        if unchanged:
            self.crawler.stats.inc_value("blogarchive/incremental/unchanged_http")
            return
        if slug == "robots_forbidden" and kind != LinkKind.HOME.value:
            # The owner's wish, not a failure: Blogger's robots.txt forbids /search on every
            # blog, and the posts are reached through feeds and archives anyway.
            self.crawler.stats.inc_value("blogarchive/outcome/robots_forbidden")
            logger.info("robots.txt forbids %s", request.url)
            return
        self.crawler.stats.inc_value(f"blogarchive/errors/{slug}")
        self.crawler.stats.inc_value(f"blogarchive/errors_by_kind/{kind}")
        detail = "" if slug.startswith("http_") else f": {failure.value}"
        logger.warning("%s on %s (%s)%s", slug, request.url, kind, detail)
        if kind == LinkKind.HOME.value:
            self.crawler.stats.inc_value("blogarchive/outcome/blog_unreachable")
            self._seed_failed(request, slug)

    def _home_gone(self, response: Response, outcome: str | None) -> None:
        """A home page answered 403/404/410/503: a "blog deleted" page, a bot wall, or just an error."""
        stats = self.crawler.stats
        stats.inc_value(f"blogarchive/errors_by_kind/{LinkKind.HOME.value}")  # nothing is known deleted
        if outcome:
            stats.inc_value(f"blogarchive/outcome/{outcome}")
        else:
            stats.inc_value(f"blogarchive/errors/http_{response.status}")
            stats.inc_value("blogarchive/outcome/blog_unreachable")
        slug = outcome or f"http_{response.status}"
        logger.warning("%s: %s (HTTP %d)", slug, response.url, response.status)
        self._seed_failed(response.request or response, slug)

    def _seed_failed(self, request: scrapy.Request | Response, slug: str) -> None:
        """Remember why a seed gave nothing: the CLI ends with one clear line when every seed failed."""
        asked = (request.meta.get("redirect_urls") or [request.url])[0]
        seeds = {canonicalize(url): url for url in self.seed_urls}
        seed = seeds.get(canonicalize(asked))
        if seed is not None:
            self.seed_failures.setdefault(seed, slug)

    def _guard_links(self, kind: LinkKind, response: Response, rows: list[dict[str, Any]],
                     links: list[Link]) -> list[Link]:  # fmt: skip
        """The links worth following: trap URLs, chains of pages with nothing new and blogs over
        their page budget are cut (counted as ``blogarchive/traps/<reason>``); session ids dropped."""
        asked = canonicalize((response.meta.get("redirect_urls") or [response.url])[0])
        depth = barren_depth(self._productive(kind, rows, links), self.traps.depth.pop(asked, 0))
        kept = []
        for link in links:
            if ";" in link.url or "?" in link.url:
                clean = strip_session(link.url)
                if clean != link.url:
                    self.crawler.stats.inc_value("blogarchive/traps/session_id_dropped")
                    link = dataclasses.replace(link, url=clean)
            reason = self.traps.check(link.url, depth)
            if reason:
                self.crawler.stats.inc_value(f"blogarchive/traps/{reason}")
                log = logger.warning if self.traps.first(reason, link.url) else logger.debug
                log("trap (%s), not followed: %s (found on %s)", reason, link.url, response.url)
                continue
            if depth:
                key = canonicalize(link.url)
                if key not in self.requested:
                    self.traps.depth.setdefault(key, depth)
            kept.append(link)
        return kept

    def _productive(self, kind: LinkKind, rows: list[dict[str, Any]], links: list[Link]) -> bool:
        """Did the page bring something new: a post (on a permalink), or posts not yet scheduled?"""
        if kind in (LinkKind.POST, LinkKind.COMMENTS):
            return bool(rows)
        if any(row["id"] not in self.scheduled_posts for row in rows):
            return True
        new = (link for link in links if link.kind is LinkKind.POST)
        return any(canonicalize(link.url) not in self.requested for link in new)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


_SIGNED = (Origin.API, Origin.LISTING)


def block_signature(row: dict[str, Any]) -> str:
    """What a feed entry or listing block shows of a post; equal signatures, unchanged post."""
    published = row["published"].isoformat() if row.get("published") else ""
    parts = (row.get("title") or "", row.get(PENDING_HTML) or row.get("text") or "", str(row.get("comment_count")),
             "\x1f".join(row.get("tags") or []), published)  # fmt: skip
    return hashlib.sha1("\x00".join(parts).encode()).hexdigest()


def _same_instant(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except ValueError:
        return False
