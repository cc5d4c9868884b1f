"""The crawl loop, once for every platform: fetch, hand to the parse pool, route links.

The spider never parses: each response goes to ``process_capture`` (in a process pool,
off the reactor), which returns post rows and the links to follow, each with its kind
(home, listing, feed, post, comments). Platform spiders only set ``name`` and
``platform``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import incremental
from crawler.blogs import GONE_STATUSES, META_BLOG, BlogBook, slot_key
from crawler.capture import Capture, Processed
from crawler.detect import detect_from_url
from crawler.incremental import META_RECHECK
from crawler.ledger import Sighting, crawl_ledger
from crawler.middlewares import REDIRECT_STATUSES
from crawler.parsers import PLATFORMS
from crawler.parsers.base import Link, LinkKind
from crawler.pool import ProcessPool, worker_count
from crawler.request_errors import classify_failure
from crawler.seeds import MAX_SEED_LENGTH, checked_seeds, read_seeds
from crawler.spiders.listings import ArchiveGate, ListingGate
from crawler.spiders.media import MediaFetcher
from crawler.traps import TrapGuard, productive
from crawler.urls import canonicalize, is_http_url, same_site
from crawler.warc import (
    META_DATE,
    META_HINT,
    META_KIND,
    META_PLATFORM,
    META_RECORD_ID,
    META_SOURCE,
)
from crawler.wayback.cdx import SOURCE as WAYBACK
from crawler.wayback.cdx import gone_failure
from crawler.wayback.source import WaybackSource
from pipelines.select import SupersededListings
from schemas.origins import Origin
from schemas.outcomes import DISCOVERY_OUTCOMES, FALLBACK_OUTCOMES
from schemas.segment import ORIGIN

logger = logging.getLogger(__name__)

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
_HOME = LinkKind.HOME.value
META_GATED = "blogarchive_feed_gated"  # a feed request its blog's listings wait for (ListingGate)
META_MONTHS = (
    "blogarchive_month_listing"  # a month listing its blog's redundant listings wait for (ArchiveGate)
)
# A link's checks, cached: listings and sidebars link the same URLs on every page of a blog
# (1,732 distinct URLs among 10,151 links of 600 pages): 48 us a page against 110.
_followable = lru_cache(maxsize=1 << 15)(is_http_url)
_canonical = lru_cache(maxsize=1 << 15)(canonicalize)


class BlogSpider(MediaFetcher, scrapy.Spider):
    """Crawls one or more blogs; the platform is detected unless the subclass fixes it."""

    name = "blog"
    platform: str | None = None
    book_class: Any = BlogBook  # per-blog accounting (a distributed worker counts in Redis)
    seeds_from_arguments = True  # False when the seeds come from elsewhere (a worker's Redis list)
    # Listings wait for the feed, skipped when it gives every post (crawler/spiders/listings.py).
    # Off where another process may parse a blog's feed (distributed workers share the frontier).
    gate_listings = True

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
        self.sightings: dict[str, Sighting] = {}  # canonical post URL -> its first sighting in this run
        self.superseded = SupersededListings()  # listing rows after their post's permalink row
        self.crawled_blogs: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BlogSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.pool = ProcessPool(worker_count(settings.getint("BLOGARCHIVE_WORKERS")))
        spider.max_posts = settings.getint("BLOGARCHIVE_MAX_POSTS")
        spider.out = Path(settings.get("BLOGARCHIVE_OUTPUT"))
        spider.ledger = crawl_ledger(crawler)  # shared with the shard pipeline; closes itself
        spider.wayback = WaybackSource(spider, crawler, spider.ledger.run)
        spider.blogs = spider.book_class.from_crawler(crawler)
        spider.traps = TrapGuard(
            this_year=datetime.now().year,
            max_pages_per_blog=settings.getint("BLOGARCHIVE_MAX_PAGES_PER_BLOG"),
            max_barren=settings.getint("BLOGARCHIVE_TRAP_BARREN_DEPTH"),
        )
        spider.setup_media(settings)
        spider.seed_failures = {}  # seed URL -> why it gave nothing (unsupported, gone, dns_error...)
        spider.listings = ListingGate(
            lambda n: crawler.stats.inc_value("blogarchive/links/listing_feed_complete", n)
        )
        spider.archives = ArchiveGate(
            lambda n: crawler.stats.inc_value("blogarchive/links/listing_archive_complete", n)
        )
        crawler.signals.connect(spider._release_listings, signal=signals.spider_idle)
        # Workers start now, not when the spider opens: the fork server's imports run beside the
        # engine's construction (downloader, middlewares: a second of the reactor's CPU) instead of after it.
        spider.pool.start()
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
            if self.wayback.only:
                for request in self.wayback.seed(url, self.platform, blog, self.blogs):
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
        if link.url in self.wayback.snapshot_times:  # a link of a blog read from the Wayback Machine
            return self.wayback.as_snapshot(request, link.url)  # is fetched as its chosen capture
        return request

    async def parse_capture(self, response: Response) -> AsyncIterator[Any]:
        meta = response.meta
        kind = LinkKind(meta[META_KIND])
        stats = self.crawler.stats
        stats.inc_value(f"blogarchive/pages/{kind.value}")
        capture = Capture.of_fetch(response.url, response.body, _header(response, b"Content-Type"),
                                   meta[META_DATE], meta.get(META_RECORD_ID), meta)  # fmt: skip
        processed = await self.pool.run(capture)
        self.blogs.page(response.request, kind.value, processed.platform, processed.outcome, response.status)
        if kind is LinkKind.HOME and response.status in GONE_STATUSES + WALLED_STATUSES:
            self._home_gone(response, processed.outcome)
            if response.status in GONE_STATUSES or processed.outcome in FALLBACK_OUTCOMES:
                for request in self.wayback.fall_back(response, processed.platform):
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
                for request in self.wayback.fall_back(response, processed.platform):
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
            for request in self._months_answered(meta, ok=False):
                yield request
            return
        if capture.source == WAYBACK:
            processed.links = []  # the CDX index, not a capture's links, says what the archive holds
        page_links = processed.links  # unguarded: a gated feed page's posts are counted from these
        processed.links = self._guard_links(kind, response, processed.rows, processed.links)
        for row in processed.rows:
            if self._keep_row(row):
                media = list(self.media_requests(row, processed.platform))
                yield row
                for request in media:
                    yield request
        found = incremental.signatures(processed.rows)
        links = processed.links
        if self.max_posts:  # posts first: once the limit is reached, the page's listing links are not needed
            links = sorted(links, key=lambda link: link.kind is not LinkKind.POST)
        counts: Counter[str] = Counter()  # links not followed, added to the stats once per page
        try:
            for link in links:
                request = self._follow(link, response, processed.platform, found, counts)
                if request is not None:
                    yield request
        finally:
            self._add_counts(counts)
        if meta.get(META_GATED):  # after the feed pages this one names were asked for
            blog = meta.get(META_BLOG)
            feed_posts = [canonicalize(link.url) for link in page_links if link.kind is LinkKind.POST]
            for request in self._released(
                blog, self.listings.feed_parsed(blog, processed.declared_posts, feed_posts)
            ):
                yield request
        for request in self._months_answered(meta, _answered_fully(processed)):
            yield request

    def _note_post_fetch(self, response: Response, rows: list[dict[str, Any]]) -> None:
        """Validators for the ledger, and new/changed/unchanged counts of a re-crawl."""
        etag, modified = _header(response, b"ETag"), _header(response, b"Last-Modified")
        previous_hash = response.meta.get(META_RECHECK)
        for row in rows:
            if row[ORIGIN] != Origin.PERMALINK:
                continue
            row["_etag"], row["_last_modified"] = etag, modified
            self.crawler.stats.inc_value(
                f"blogarchive/incremental/{incremental.fetch_change(previous_hash, row['content_hash'])}"
            )

    def _keep_row(self, row: dict[str, Any]) -> bool:
        if self.superseded.superseded(row):
            self.crawler.stats.inc_value("blogarchive/rows/listing_superseded")
            return False
        if row[ORIGIN] == Origin.PERMALINK:
            return True
        if not self.max_posts:
            return True
        # With --max-posts, posts read off listings count only if their page was scheduled.
        return row["id"] in self.scheduled_posts

    def _follow(
        self,
        link: Link,
        response: Response,
        platform: str,
        signatures: dict[str, tuple[int, str]],
        counts: Counter[str] | None = None,
    ) -> scrapy.Request | None:
        """The request for ``link`` found on ``response``, or None (the reason counted in ``counts``,
        which the caller adds to the stats; without it, in the stats at once)."""
        if counts is not None:
            return self._route(link, response, platform, signatures, counts)
        counts = Counter()
        request = self._route(link, response, platform, signatures, counts)
        self._add_counts(counts)
        return request

    def _add_counts(self, counts: Counter[str]) -> None:
        stats = self.crawler.stats
        for key, count in counts.items():
            stats.inc_value(key, count)

    def _route(
        self,
        link: Link,
        response: Response,
        platform: str,
        signatures: dict[str, tuple[int, str]],
        counts: Counter[str],
    ) -> scrapy.Request | None:
        # Links stay on the blog: a home page that moved (blogspot.com -> its custom domain) is the
        # blog's new place; other pages are judged by the URL asked for (a feed redirected to
        # FeedBurner still lists this blog's posts).
        meta = response.meta
        asked = (
            response.url if meta.get(META_KIND) == _HOME else (meta.get("redirect_urls") or [response.url])[0]
        )
        if not _followable(link.url) or not same_site(link.url, asked):
            counts["blogarchive/links/offsite_or_bad_scheme"] += 1
            return None
        url = _canonical(link.url)
        sighting = self._sighting(url, platform, signatures.get(url)) if link.kind is LinkKind.POST else None
        if url in self.requested:
            # Listings link the same pages dozens of times: drop repeats before building a
            # Request (Scrapy's duplicate filter would, at a far higher cost per link).
            counts["blogarchive/links/repeated"] += 1
            return None
        enumerating = link.kind in (LinkKind.LISTING, LinkKind.FEED)
        if enumerating and self.max_posts and self.blogs.post_limit_reached(meta.get(META_BLOG)):
            # Enough posts scheduled: more listing or feed pages (a feed names all of its pages
            # at once) would only find posts left out.
            counts[f"blogarchive/links/{link.kind.value}_after_max_posts"] += 1
            return None
        self.requested.add(url)
        if sighting is None:
            return self._page_request(link, meta.get(META_BLOG), platform)
        if self.max_posts and not self.blogs.take_post(meta.get(META_BLOG), sighting.id):
            counts["blogarchive/links/over_max_posts"] += 1
            return None
        self.scheduled_posts.add(sighting.id)
        self.crawled_blogs.add(sighting.blog_url)
        return self._post_request(link, sighting, platform)

    def _sighting(self, url: str, platform: str, signature: tuple[int, str] | None) -> Sighting:
        """The ledger's record of a post link, marked seen (written with the next segment's done marks).

        A post is linked from every listing and feed page that shows it: its id and blog are
        found once, and a repeat without a signature is not marked again (the ledger would
        learn nothing: it keeps the run and the latest signatures seen).
        """
        seen = self.sightings.get(url)
        if seen is None:
            seen = self.sightings[url] = incremental.sighting(url, platform, None)
        elif signature is None:
            return seen
        sighting = incremental.signed(seen, signature) if signature is not None else seen
        self.ledger.mark_seen([sighting])
        return sighting

    def _page_request(self, link: Link, blog: str | None, platform: str) -> scrapy.Request | None:
        """A request for a listing or feed page, unless the listing waits for its blog's feed."""
        if not self.gate_listings:
            return self.make_request(link, platform)
        if link.kind is LinkKind.LISTING:
            return (
                None
                if self.listings.hold(blog, link, platform)
                else self._listing_request(link, blog, platform)
            )
        request = self.make_request(link, platform)
        if link.kind is LinkKind.FEED and blog is not None:
            self.listings.feed_requested(blog)
            request.meta[META_GATED] = True
        return request

    def _listing_request(self, link: Link, blog: str | None, platform: str) -> scrapy.Request | None:
        """A request for a listing its feed does not make useless, unless it is a redundant listing
        that waits for its blog's month archives; a month listing's answer is then awaited."""
        if self.archives.hold(blog, link, platform):
            return None
        request = self.make_request(link, platform)
        if self.archives.requested(blog):
            request.meta[META_MONTHS] = True
        return request

    def _released(self, blog: str | None, held: list[tuple[Link, str]]) -> list[scrapy.Request]:
        """Requests for the listings the feed gate released (a redundant one may wait for the month archives)."""
        return [
            r for link, platform in held if (r := self._listing_request(link, blog, platform)) is not None
        ]

    def _months_answered(self, meta: Any, ok: bool) -> list[scrapy.Request]:
        """The redundant listings to fetch now that a month listing answered (none unless it failed)."""
        if not meta.get(META_MONTHS):
            return []
        return [
            self.make_request(link, platform)
            for link, platform in self.archives.answered(meta.get(META_BLOG), ok)
        ]

    def _release_listings(self) -> None:
        """Idle with listings held: a feed or month listing request ended unseen (e.g. dropped);
        they are fetched now. Feed-held listings go through the archive gate first, and what it
        holds then is released with the rest: nothing answers for it any more."""
        released = [
            (blog, self._listing_request(link, blog, platform))
            for blog, link, platform in self.listings.drain()
        ]
        released += [
            (blog, self.make_request(link, platform)) for blog, link, platform in self.archives.drain()
        ]
        scheduled = False
        for blog, request in released:
            if request is None:
                continue
            request.meta[META_BLOG] = blog
            self.blogs.track(request)
            self.crawler.engine.crawl(request)
            scheduled = True
        if scheduled:
            raise DontCloseSpider

    def _post_request(self, link: Link, sighting: Sighting, platform: str) -> scrapy.Request | None:
        """A request for a post, unless the ledger says it is done or unchanged."""
        known = self.ledger.known(sighting.url)
        skip = incremental.skip_reason(known, sighting, (link.hint or {}).get("updated"), self.ledger.run)
        if skip:
            self.crawler.stats.inc_value(f"blogarchive/{skip}")
            return None
        request = self.make_request(link, platform)
        if known is not None and known.fetched_run is not None:
            request.meta[META_RECHECK] = known.content_hash
            request.headers.update(incremental.conditional_headers(known))
        return request

    def complete_enumeration(self) -> bool:
        """True when every listing and feed page answered: unseen posts were really deleted."""
        stats = self.crawler.stats
        failed = sum(
            stats.get_value(f"blogarchive/errors_by_kind/{k.value}", 0)
            for k in (LinkKind.HOME, LinkKind.LISTING, LinkKind.FEED)
        )
        return not self.max_posts and failed == 0

    def closed(self, reason: str) -> None:
        self.seed_failures = self.wayback.seed_failures(self.seed_failures)

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        kind = request.meta.get(META_KIND)
        slug = classify_failure(failure)
        platform = request.meta.get(META_PLATFORM) or detect_from_url(request.url)
        if kind == LinkKind.HOME.value and gone_failure(slug, platform):
            # Scheduled before the blog's count ends.
            self.schedule_now(self.wayback.fall_back(request, platform), request)
        blog = request.meta.get(META_BLOG)
        if request.meta.get(META_GATED):  # the feed failed: its blog's listings are fetched
            self.schedule_now(self._released(blog, self.listings.feed_failed(blog)), request)
        self.schedule_now(self._months_answered(request.meta, ok=False), request)
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

    def parse_cdx(self, response: Response) -> list[scrapy.Request]:
        return self.wayback.parse_cdx(response)

    def on_cdx_error(self, failure: Failure) -> None:
        self.schedule_now(self.wayback.query_failed(failure), failure.request)
        self.on_error(failure)

    async def parse_snapshot(self, response: Response) -> AsyncIterator[Any]:
        """A raw capture, parsed as its original URL; a redirect to the nearest capture, followed."""
        if response.status not in REDIRECT_STATUSES:
            async for result in self.parse_capture(response):
                yield result
            return
        request = self.wayback.nearest_capture(response)
        if request is not None:
            yield request

    def schedule_now(self, requests: list[scrapy.Request], parent: scrapy.Request) -> None:
        """Requests made in an errback: counted for the blog of ``parent`` before it ends, then scheduled.

        (Errback output skips the spider middleware that counts callback output.)
        """
        for request in requests:
            request.meta.setdefault(META_BLOG, parent.meta.get(META_BLOG))
            self.blogs.track(request, parent=parent)
            self.crawler.engine.crawl(request)

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
        """The links worth following (see :meth:`crawler.traps.TrapGuard.follow`)."""
        asked = canonicalize((response.meta.get("redirect_urls") or [response.url])[0])
        new = productive(kind, rows, links, self.scheduled_posts, self.requested)
        return self.traps.follow(links, asked, response.url, new, self.requested,
                                 lambda reason: self.crawler.stats.inc_value(f"blogarchive/traps/{reason}"))  # fmt: skip


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _answered_fully(processed: Processed) -> bool:
    """A month listing page that gave posts or month links (an archive index naming no month, a
    wall, a "no such page" or a parser error means its blog's archive is not known complete)."""
    if processed.outcome is not None and processed.outcome not in DISCOVERY_OUTCOMES:
        return False
    return bool(processed.rows) or any(
        link.kind is LinkKind.LISTING and not link.redundant for link in processed.links
    )
