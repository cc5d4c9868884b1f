"""The Wayback Machine half of the crawl loop: a dead blog enumerated by the CDX API, read from raw captures.

:class:`WaybackSource` is mixed into ``BlogSpider``. ``wayback_start(url, platform)`` asks the
CDX API for every capture under the blog root (answers cached in ``OUT/.state/cdx/``), keeps
one capture per URL (:func:`crawler.wayback.cdx.select_snapshots`) and schedules each like any
other link, so the ledger, ``--max-posts`` and the duplicate checks apply; ``make_request``
turns those links into ``id_`` snapshot requests. The spider parses them on the original URL
with ``source = "wayback"`` and the capture's time, which the WARC metadata record keeps for
``blogarchive build``. Every archive request goes through one download slot
(``DOWNLOAD_SLOTS["wayback"]``: one connection, about a request per second) with more retries
than a live blog gets, since the archive answers bursts with 429s and refused connections.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.http import Response

from crawler.blogs import META_BLOG
from crawler.detect import detect_from_url
from crawler.middlewares import REDIRECT_STATUSES
from crawler.parsers import get_parser
from crawler.parsers.base import Link, LinkKind
from crawler.urls import canonicalize
from crawler.warc import META_ARCHIVED_AT, META_HINT, META_KIND, META_ORIGINAL, META_PLATFORM, META_SOURCE
from crawler.wayback.cdx import (
    CDX_SOURCE,
    SLOT,
    SOURCE,
    CdxCache,
    CdxPage,
    CdxRow,
    WaybackConfig,
    archived_at,
    cdx_prefixes,
    cdx_query_url,
    parse_cdx,
    select_snapshots,
    snapshot_url,
    split_snapshot_url,
    unarchivable_reason,
)
from pipelines.parquet import STATE_DIR

logger = logging.getLogger(__name__)

META_CDX = (
    "blogarchive_cdx"  # {"root", "prefix", "query"} of a CDX request (strings: requests may be kept on disk)
)
META_HOPS = "blogarchive_wayback_hops"
SOURCES = ("live", SOURCE)
CDX_PRIORITY = 30  # finish enumerations before fetching: snapshots wait for the whole index
MAX_HOPS = 3  # redirects from a timestamp to the nearest capture, followed by hand


class WaybackSource:
    """CDX enumeration and snapshot requests for ``BlogSpider`` (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        settings = crawler.settings
        spider.source = settings.get("BLOGARCHIVE_SOURCE") or "live"
        if spider.source not in SOURCES:
            raise ValueError(f"BLOGARCHIVE_SOURCE must be one of {', '.join(SOURCES)}, not {spider.source!r}")
        spider.wayback_fallback = settings.getbool("BLOGARCHIVE_WAYBACK_FALLBACK")
        spider.wayback = WaybackConfig.from_settings(settings)
        spider.cdx_cache = CdxCache(Path(settings.get("BLOGARCHIVE_OUTPUT")) / STATE_DIR / "cdx")
        spider.snapshot_times = {}  # original URL -> the timestamp of the capture to fetch
        spider.wayback_blogs = set()  # canonical roots already enumerated in this run
        spider.cdx_cursor = {}  # CDX prefix -> (rows of the cached pages read, next page's URL)
        spider.cdx_asked = set()  # CDX page URLs asked and not answered yet
        spider.cdx_failed = set()  # CDX page URLs that failed: the enumeration ends there
        spider.cdx_errors = {}  # blog root -> why a CDX query of it failed (the archive unreachable...)
        spider.fallback_seeds = {}  # canonical root -> the seed that fell back to the archive
        spider.recovered_seeds = set()  # seeds whose blog the archive has captures of
        crawler.signals.connect(spider.forget_recovered_failures, signal=signals.spider_closed)
        return spider

    # -----------------------------------------------------------------------------
    # Enumeration

    def wayback_start(self, url: str, platform: str | None, blog: str | None) -> list[scrapy.Request]:
        """The CDX requests of a blog, or its snapshot requests when every answer is cached."""
        platform = platform or detect_from_url(url)
        if platform is None:
            logger.error("%s: a custom domain needs --platform to be read from the Wayback Machine", url)
            self.crawler.stats.inc_value("blogarchive/wayback/unknown_platform")
            return []
        root = get_parser(platform).blog_root(url)
        if canonicalize(root) in self.wayback_blogs:
            return []
        self.wayback_blogs.add(canonicalize(root))
        logger.info("%s: reading the blog's captures from the Wayback Machine", root)
        return self._enumerate(root, platform, blog)

    def wayback_seed(self, url: str, blog: str) -> list[scrapy.Request]:
        """``--source wayback``: the first requests of a seed, counted for its blog."""
        requests = self.wayback_start(url, self.platform, blog)
        for request in requests:
            self.blogs.track(request)
        if not requests:  # nothing to ask (no platform, or every capture fetched already): the blog ends
            nothing = scrapy.Request(url, meta={META_BLOG: blog})
            self.blogs.track(nothing)
            self.blogs.done(nothing)
        return requests

    def fall_back(self, request: scrapy.Request | Response, platform: str | None) -> list[scrapy.Request]:
        """The Wayback Machine for a live home that is gone or walled (``BLOGARCHIVE_WAYBACK_FALLBACK``).

        Not when the archive cannot hold the blog (a private address, an unknown platform):
        the live failure is then the true cause, and the crawl ends at once with it.
        """
        if not self.wayback_fallback or request.meta.get(META_SOURCE) != "live":
            return []
        asked = (request.meta.get("redirect_urls") or [request.url])[0]
        platform = platform or request.meta.get(META_PLATFORM) or detect_from_url(asked)
        reason = unarchivable_reason(asked, platform, self.wayback)
        if reason is not None:
            logger.info("%s: not looking in the Wayback Machine: %s", asked, reason)
            self.crawler.stats.inc_value("blogarchive/wayback/fallback_skipped")
            return []
        logger.warning("%s: the live blog is gone, falling back to the Wayback Machine", asked)
        self.crawler.stats.inc_value("blogarchive/wayback/fallback")
        if platform is not None:
            self.fallback_seeds[canonicalize(get_parser(platform).blog_root(asked))] = asked
        return self.wayback_start(asked, platform, request.meta.get(META_BLOG))

    def forget_recovered_failures(self) -> None:
        """A seed whose blog is gone but archived did not fail: the archive gave it."""
        recovered = {canonicalize(seed) for seed in self.recovered_seeds}
        self.seed_failures = {
            s: why for s, why in self.seed_failures.items() if canonicalize(s) not in recovered
        }

    def _enumerate(self, root: str, platform: str, blog: str | None) -> list[scrapy.Request]:
        """The next CDX page of each query not finished, or the snapshots once all are.

        The answers live in the on-disk cache, not in request meta: the enumeration
        survives requests kept on disk, and a resumed run asks nothing twice.
        """
        rows: list[CdxRow] = []
        requests = []
        pending = False
        for prefix in cdx_prefixes(root, platform):
            found, query = self._cached_pages(prefix)
            rows += found
            if query is None or query in self.cdx_failed:
                continue
            pending = True
            if query in self.cdx_asked:
                continue  # on its way
            self.cdx_asked.add(query)
            meta = {
                **self._archive_meta(),
                # An API page listing the blog's posts: its failure leaves the enumeration incomplete.
                META_KIND: LinkKind.FEED.value,
                META_PLATFORM: platform,
                META_SOURCE: CDX_SOURCE,
                META_CDX: {"root": root, "prefix": prefix, "query": query},
                META_BLOG: blog,
            }
            requests.append(scrapy.Request(query, callback=self.parse_cdx, errback=self.on_cdx_error,
                                           meta=meta, priority=CDX_PRIORITY))  # fmt: skip
        if pending:
            return requests
        return self._schedule_snapshots(root, platform, blog, rows)

    def _cached_pages(self, prefix: str) -> tuple[list[CdxRow], str | None]:
        """The rows of a query's cached pages, and the first page not cached (None: all are)."""
        query = self.cdx_cursor.get(prefix, ([], cdx_query_url(self.wayback, prefix)))[1]
        while query is not None and (page := self.cdx_cache.get(query, self.ledger.run)) is not None:
            self.crawler.stats.inc_value("blogarchive/wayback/cdx_cached")
            query = self._read(prefix, query, page)
        return self.cdx_cursor.get(prefix, ([], query))

    def _read(self, prefix: str, query: str, page: CdxPage) -> str | None:
        """Add the answer to ``query`` to the prefix's rows; returns the next page's URL (None: the last)."""
        rows, expected = self.cdx_cursor.get(prefix, ([], cdx_query_url(self.wayback, prefix)))
        following = cdx_query_url(self.wayback, prefix, page.resume_key) if page.resume_key else None
        if (
            query == expected
        ):  # else an answer out of order (requests kept over a restart): read from the cache
            rows.extend(page.rows)
            self.cdx_cursor[prefix] = (rows, following)
        return following

    def parse_cdx(self, response: Response) -> list[scrapy.Request]:
        meta = response.meta
        query = meta[META_CDX]["query"]
        self.crawler.stats.inc_value("blogarchive/wayback/cdx_pages")
        self.cdx_asked.discard(query)
        try:
            page = parse_cdx(response.body)
        except ValueError as exc:
            logger.error(
                "unreadable CDX answer %s (%s): the captures found so far are used", response.url, exc
            )
            self.crawler.stats.inc_value("blogarchive/errors/cdx_unreadable")
            self.cdx_failed.add(query)
        else:
            self.cdx_cache.put(query, self.ledger.run, page)
            self._read(meta[META_CDX]["prefix"], query, page)
        return self._enumerate(meta[META_CDX]["root"], meta[META_PLATFORM], meta.get(META_BLOG))

    def on_cdx_error(self, failure: Any) -> None:
        meta = failure.request.meta
        query = meta[META_CDX]["query"]
        from crawler.spiders.base import classify_failure  # the spider's vocabulary of failures

        slug = classify_failure(failure)
        logger.error("CDX query failed (%s), the captures found so far are used: %s", slug, query)
        self.cdx_errors[meta[META_CDX]["root"]] = slug
        self.cdx_asked.discard(query)
        self.cdx_failed.add(query)
        self.schedule_now(self._enumerate(meta[META_CDX]["root"], meta[META_PLATFORM], meta.get(META_BLOG)),
                          failure.request)  # fmt: skip
        self.on_error(failure)

    def schedule_now(self, requests: list[scrapy.Request], parent: scrapy.Request) -> None:
        """Requests made in an errback: counted for the blog of ``parent`` before it ends, then scheduled.

        (Errback output skips the spider middleware that counts callback output.)
        """
        for request in requests:
            request.meta.setdefault(META_BLOG, parent.meta.get(META_BLOG))
            self.blogs.track(request, parent=parent)
            self.crawler.engine.crawl(request)

    def _schedule_snapshots(self, root: str, platform: str, blog: str | None,
                            rows: list[CdxRow]) -> list[scrapy.Request]:  # fmt: skip
        """One capture per URL, scheduled like links found on the blog's home."""
        snapshots = select_snapshots(rows, get_parser(platform), root, self.wayback.prefer)
        stats = self.crawler.stats
        stats.inc_value("blogarchive/wayback/captures_listed", len(rows))
        stats.inc_value("blogarchive/wayback/captures_chosen", len(snapshots))
        if not snapshots and root in self.cdx_errors:  # not "no capture": the archive did not answer
            why = self.cdx_errors[root].replace("_", " ")
            logger.error("%s: the Wayback Machine could not be reached (%s)", root, why)
            stats.inc_value("blogarchive/outcome/wayback_unreachable")
            seed = self.fallback_seeds.get(canonicalize(root))
            if seed is not None:
                self.seed_failures[seed] = (
                    f"{self.seed_failures.get(seed, 'gone')}, and the Wayback Machine could not be reached ({why})"
                )
        elif not snapshots:
            logger.warning("%s: the Wayback Machine holds no capture of this blog", root)
            stats.inc_value("blogarchive/outcome/wayback_empty")
        elif canonicalize(root) in self.fallback_seeds:
            self.recovered_seeds.add(self.fallback_seeds[canonicalize(root)])
        # _follow reads the URL and meta of the page a link was found on.
        found_on = Response(root, request=scrapy.Request(root, meta={META_BLOG: blog}))
        requests = []
        for snapshot in snapshots:
            self.snapshot_times[snapshot.original] = snapshot.timestamp
            request = self._follow(Link(snapshot.original, snapshot.kind), found_on, platform, {})
            if request is not None:
                request.meta.setdefault(META_BLOG, blog)
                requests.append(request)
        return requests

    # -----------------------------------------------------------------------------
    # Snapshots

    def as_snapshot(self, request: scrapy.Request, original: str) -> scrapy.Request:
        """A request for ``original`` turned into one for its chosen raw capture."""
        timestamp = self.snapshot_times[original]
        meta = {
            **request.meta,
            **self._archive_meta(),
            META_SOURCE: SOURCE,
            META_ORIGINAL: original,
            META_ARCHIVED_AT: archived_at(timestamp).isoformat(),
            # Redirects to the nearest capture are followed by hand, to record the final time.
            "dont_redirect": True,
            "handle_httpstatus_list": REDIRECT_STATUSES,
        }
        url = snapshot_url(self.wayback.snapshots, timestamp, original)
        return request.replace(url=url, callback=self.parse_snapshot, meta=meta)

    async def parse_snapshot(self, response: Response) -> AsyncIterator[Any]:
        if response.status not in REDIRECT_STATUSES:
            async for result in self.parse_capture(response):
                yield result
            return
        request = self._nearest_capture(response)
        if request is not None:
            yield request

    def _nearest_capture(self, response: Response) -> scrapy.Request | None:
        """The capture a snapshot redirects to (the nearest one in time), asked with its own timestamp."""
        meta = response.meta
        location = response.headers.get(b"Location")
        target = urljoin(response.url, location.decode("latin-1").strip()) if location else ""
        found = split_snapshot_url(self.wayback.snapshots, target)
        hops = meta.get(META_HOPS, 0)
        if found is None or hops >= MAX_HOPS:
            logger.warning(
                "not a capture, or too many redirects: %s -> %s", response.url, target or "nowhere"
            )
            self.crawler.stats.inc_value("blogarchive/errors/wayback_redirect")
            return None
        self.crawler.stats.inc_value("blogarchive/wayback/nearest_capture_redirects")
        timestamp, original = found
        self.snapshot_times[original] = timestamp
        link = Link(original, LinkKind(meta[META_KIND]), meta.get(META_HINT))
        request = self.make_request(link, meta.get(META_PLATFORM))
        request.meta[META_HOPS] = hops + 1
        return request

    def _archive_meta(self) -> dict[str, Any]:
        """Politeness for the archive: its own slot and delay, and the patience its bans need."""
        return {
            "download_slot": SLOT,
            "autothrottle_dont_adjust_delay": True,
            "max_retry_times": self.wayback.retries,
        }
