"""The Wayback Machine as a source of a crawl: a dead blog enumerated by the CDX API, read from raw captures.

:class:`WaybackSource` is a component the spider holds (``spider.wayback``). ``start(url,
platform, blog)`` asks the CDX API for every capture under the blog root (answers cached in
``OUT/.state/cdx/``), keeps one capture per URL (:func:`crawler.wayback.cdx.select_snapshots`)
and has the spider follow each like any other link, so the ledger, ``--max-posts`` and the
duplicate checks apply; the spider's ``make_request`` turns those links into ``id_`` snapshot
requests (:meth:`WaybackSource.as_snapshot`). The spider parses them on the original URL with
``source = "wayback"`` and the capture's time, which the WARC metadata record keeps for
``blogarchive build``. Every archive request goes through one download slot
(``DOWNLOAD_SLOTS["wayback"]``: one connection, about a request per second) with more retries
than a live blog gets, since the archive answers bursts with 429s and refused connections.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response

from crawler.blogs import META_BLOG
from crawler.detect import detect_from_url
from crawler.middlewares import REDIRECT_STATUSES
from crawler.parsers import get_parser
from crawler.parsers.base import Link, LinkKind
from crawler.request_errors import classify_failure
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
from schemas.output import OutputDir

logger = logging.getLogger(__name__)

META_CDX = (
    "blogarchive_cdx"  # {"root", "prefix", "query"} of a CDX request (strings: requests may be kept on disk)
)
META_HOPS = "blogarchive_wayback_hops"
SOURCES = ("live", SOURCE)
CDX_PRIORITY = 30  # finish enumerations before fetching: snapshots wait for the whole index
MAX_HOPS = 3  # redirects from a timestamp to the nearest capture, followed by hand


class Host(Protocol):
    """What the source asks of the spider that holds it: its callbacks (requests name spider methods,
    so they can be kept on disk or in Redis) and its routing of links and requests."""

    def parse_cdx(self, response: Response) -> list[scrapy.Request]: ...

    def on_cdx_error(self, failure: Any) -> None: ...

    def parse_snapshot(self, response: Response) -> Any: ...

    def make_request(self, link: Link, platform: str | None) -> scrapy.Request: ...

    def _follow(self, link: Link, response: Response, platform: str,
                signatures: dict[str, tuple[int, str]]) -> scrapy.Request | None: ...  # fmt: skip


class WaybackSource:
    """CDX enumeration and snapshot requests of one crawl (see the module docstring)."""

    def __init__(self, host: Host, crawler: Any, run: int) -> None:
        settings = crawler.settings
        source = settings.get("BLOGARCHIVE_SOURCE") or "live"
        if source not in SOURCES:
            raise ValueError(f"BLOGARCHIVE_SOURCE must be one of {', '.join(SOURCES)}, not {source!r}")
        self.host = host
        self.crawler = crawler  # its stats exist once the crawl starts
        self.run = run  # the ledger's run: the CDX cache keeps what each run asked
        self.only = source == SOURCE  # --source wayback: every blog is read from the archive
        self.fallback = settings.getbool("BLOGARCHIVE_WAYBACK_FALLBACK")
        self.config = WaybackConfig.from_settings(settings)
        self.cdx_cache = CdxCache(OutputDir(Path(settings.get("BLOGARCHIVE_OUTPUT"))).cdx)
        self.snapshot_times: dict[str, str] = {}  # original URL -> the timestamp of the capture to fetch
        self.enumerated: set[str] = set()  # canonical roots already enumerated in this run
        # CDX prefix -> (rows of the cached pages read, next page's URL)
        self.cdx_cursor: dict[str, tuple[list[CdxRow], str | None]] = {}
        self.cdx_asked: set[str] = set()  # CDX page URLs asked and not answered yet
        self.cdx_failed: set[str] = set()  # CDX page URLs that failed: the enumeration ends there
        self.cdx_errors: dict[str, str] = {}  # blog root -> why a CDX query of it failed
        self.fallback_seeds: dict[str, str] = {}  # canonical root -> the seed that fell back to the archive
        self.recovered_seeds: set[str] = set()  # seeds whose blog the archive has captures of
        self.unreachable: dict[str, str] = {}  # seed -> why the archive could not be reached for it

    # -----------------------------------------------------------------------------
    # Enumeration

    def start(self, url: str, platform: str | None, blog: str | None) -> list[scrapy.Request]:
        """The CDX requests of a blog, or its snapshot requests when every answer is cached."""
        platform = platform or detect_from_url(url)
        if platform is None:
            logger.error("%s: a custom domain needs --platform to be read from the Wayback Machine", url)
            self.crawler.stats.inc_value("blogarchive/wayback/unknown_platform")
            return []
        root = get_parser(platform).blog_root(url)
        if canonicalize(root) in self.enumerated:
            return []
        self.enumerated.add(canonicalize(root))
        logger.info("%s: reading the blog's captures from the Wayback Machine", root)
        return self._enumerate(root, platform, blog)

    def seed(self, url: str, platform: str | None, blog: str, book: Any) -> list[scrapy.Request]:
        """``--source wayback``: the first requests of a seed, counted for its blog in ``book``."""
        requests = self.start(url, platform, blog)
        for request in requests:
            book.track(request)
        if not requests:  # nothing to ask (no platform, or every capture fetched already): the blog ends
            nothing = scrapy.Request(url, meta={META_BLOG: blog})
            book.track(nothing)
            book.done(nothing)
        return requests

    def fall_back(self, request: scrapy.Request | Response, platform: str | None) -> list[scrapy.Request]:
        """The Wayback Machine for a live home that is gone or walled (``BLOGARCHIVE_WAYBACK_FALLBACK``).

        Not when the archive cannot hold the blog (a private address, an unknown platform):
        the live failure is then the true cause, and the crawl ends at once with it.
        """
        if not self.fallback or request.meta.get(META_SOURCE) != "live":
            return []
        asked = (request.meta.get("redirect_urls") or [request.url])[0]
        platform = platform or request.meta.get(META_PLATFORM) or detect_from_url(asked)
        reason = unarchivable_reason(asked, platform, self.config)
        if reason is not None:
            logger.info("%s: not looking in the Wayback Machine: %s", asked, reason)
            self.crawler.stats.inc_value("blogarchive/wayback/fallback_skipped")
            return []
        logger.warning("%s: the live blog is gone, falling back to the Wayback Machine", asked)
        self.crawler.stats.inc_value("blogarchive/wayback/fallback")
        if platform is not None:
            self.fallback_seeds[canonicalize(get_parser(platform).blog_root(asked))] = asked
        return self.start(asked, platform, request.meta.get(META_BLOG))

    def seed_failures(self, failures: dict[str, str]) -> dict[str, str]:
        """The seeds' failures (seed -> why) once the archive had its say: a seed whose blog is gone
        but archived did not fail; one the archive could not answer for says that too."""
        recovered = {canonicalize(seed) for seed in self.recovered_seeds}
        settled = {seed: why for seed, why in failures.items() if canonicalize(seed) not in recovered}
        for seed, why in self.unreachable.items():
            settled[seed] = (
                f"{failures.get(seed, 'gone')}, and the Wayback Machine could not be reached ({why})"
            )
        return settled

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
                **self.archive_meta(),
                # An API page listing the blog's posts: its failure leaves the enumeration incomplete.
                META_KIND: LinkKind.FEED.value,
                META_PLATFORM: platform,
                META_SOURCE: CDX_SOURCE,
                META_CDX: {"root": root, "prefix": prefix, "query": query},
                META_BLOG: blog,
            }
            requests.append(scrapy.Request(query, callback=self.host.parse_cdx, errback=self.host.on_cdx_error,
                                           meta=meta, priority=CDX_PRIORITY))  # fmt: skip
        if pending:
            return requests
        return self._schedule_snapshots(root, platform, blog, rows)

    def _cached_pages(self, prefix: str) -> tuple[list[CdxRow], str | None]:
        """The rows of a query's cached pages, and the first page not cached (None: all are)."""
        query = self.cdx_cursor.get(prefix, ([], cdx_query_url(self.config, prefix)))[1]
        while query is not None and (page := self.cdx_cache.get(query, self.run)) is not None:
            self.crawler.stats.inc_value("blogarchive/wayback/cdx_cached")
            query = self._read(prefix, query, page)
        return self.cdx_cursor.get(prefix, ([], query))

    def _read(self, prefix: str, query: str, page: CdxPage) -> str | None:
        """Add the answer to ``query`` to the prefix's rows; returns the next page's URL (None: the last)."""
        rows, expected = self.cdx_cursor.get(prefix, ([], cdx_query_url(self.config, prefix)))
        following = cdx_query_url(self.config, prefix, page.resume_key) if page.resume_key else None
        if (
            query == expected
        ):  # else an answer out of order (requests kept over a restart): read from the cache
            rows.extend(page.rows)
            self.cdx_cursor[prefix] = (rows, following)
        return following

    def parse_cdx(self, response: Response) -> list[scrapy.Request]:
        """A CDX answer: read (and cached), then the enumeration goes on."""
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
            self.cdx_cache.put(query, self.run, page)
            self._read(meta[META_CDX]["prefix"], query, page)
        return self._enumerate(meta[META_CDX]["root"], meta[META_PLATFORM], meta.get(META_BLOG))

    def query_failed(self, failure: Any) -> list[scrapy.Request]:
        """A CDX query failed: the enumeration goes on with the captures found so far (its requests)."""
        meta = failure.request.meta
        query = meta[META_CDX]["query"]
        slug = classify_failure(failure)
        logger.error("CDX query failed (%s), the captures found so far are used: %s", slug, query)
        self.cdx_errors[meta[META_CDX]["root"]] = slug
        self.cdx_asked.discard(query)
        self.cdx_failed.add(query)
        return self._enumerate(meta[META_CDX]["root"], meta[META_PLATFORM], meta.get(META_BLOG))

    def _schedule_snapshots(self, root: str, platform: str, blog: str | None,
                            rows: list[CdxRow]) -> list[scrapy.Request]:  # fmt: skip
        """One capture per URL, scheduled like links found on the blog's home."""
        snapshots = select_snapshots(rows, get_parser(platform), root, self.config.prefer)
        stats = self.crawler.stats
        stats.inc_value("blogarchive/wayback/captures_listed", len(rows))
        stats.inc_value("blogarchive/wayback/captures_chosen", len(snapshots))
        if not snapshots and root in self.cdx_errors:  # not "no capture": the archive did not answer
            why = self.cdx_errors[root].replace("_", " ")
            logger.error("%s: the Wayback Machine could not be reached (%s)", root, why)
            stats.inc_value("blogarchive/outcome/wayback_unreachable")
            seed = self.fallback_seeds.get(canonicalize(root))
            if seed is not None:
                self.unreachable[seed] = why
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
            request = self.host._follow(Link(snapshot.original, snapshot.kind), found_on, platform, {})
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
            **self.archive_meta(),
            META_SOURCE: SOURCE,
            META_ORIGINAL: original,
            META_ARCHIVED_AT: archived_at(timestamp).isoformat(),
            # Redirects to the nearest capture are followed by hand, to record the final time.
            "dont_redirect": True,
            "handle_httpstatus_list": REDIRECT_STATUSES,
        }
        url = snapshot_url(self.config.snapshots, timestamp, original)
        return request.replace(url=url, callback=self.host.parse_snapshot, meta=meta)

    def nearest_capture(self, response: Response) -> scrapy.Request | None:
        """The capture a snapshot redirects to (the nearest one in time), asked with its own timestamp."""
        meta = response.meta
        location = response.headers.get(b"Location")
        target = urljoin(response.url, location.decode("latin-1").strip()) if location else ""
        found = split_snapshot_url(self.config.snapshots, target)
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
        request = self.host.make_request(link, meta.get(META_PLATFORM))
        request.meta[META_HOPS] = hops + 1
        return request

    def archive_meta(self) -> dict[str, Any]:
        """Politeness for the archive: its own slot and delay, and the patience its bans need."""
        return {
            "download_slot": SLOT,
            "autothrottle_dont_adjust_delay": True,
            "max_retry_times": self.config.retries,
        }
