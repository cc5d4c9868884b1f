"""Fetching the media of posts: each file once, at its best size, after the text, into the WARC.

A mixin of :class:`crawler.spiders.base.BlogSpider`. For each post row the spider yields,
:meth:`MediaFetcher.media_requests` asks for the files of its body (``crawler.parsers.media``
says which, and at which URL) that this crawl wants (``BLOGARCHIVE_MEDIA``: images, all,
none) and has not archived yet (the ledger), each once per crawl. Media requests have
the download slot of their host (a media CDN its own, with the delays pages get; a blog's
own server shared with its pages, Crawl-delay included), a priority below every page (text
is never held back) and a size limit (``BLOGARCHIVE_MEDIA_MAXSIZE``: Scrapy
aborts a larger download as it streams). The bytes must prove the kind the URL promised
(magic numbers; an HTML error page sent as image/jpeg is ``wrong_type``). A blog read
from the Wayback Machine has its files read from the archive too (raw ``im_`` captures,
in the archive's slot and budget).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.blogs import META_BLOG, slot_key
from crawler.media_warc import MEDIA, META_MEDIA_OUTCOME, record_of_body
from crawler.parsers.media import MEDIA_MODES, select_media
from crawler.request_errors import classify_failure
from crawler.urls import canonicalize, redact_secrets
from crawler.warc import (
    META_KIND,
    META_LOCATION,
    META_MEDIA_KIND,
    META_MEDIA_URL,
    META_ORIGINAL,
    META_SOURCE,
    WarcMiddleware,
    warc_date,
)
from crawler.wayback.cdx import SOURCE as WAYBACK
from crawler.wayback.cdx import snapshot_url
from pipelines.media import MediaRecord
from schemas.media import FETCHED, MediaKind

logger = logging.getLogger(__name__)

# What a Wayback fallback request keeps of the first one (not its download state).
_KEPT = (
    META_KIND,
    META_MEDIA_KIND,
    META_MEDIA_URL,
    META_SOURCE,
    "download_slot",
    "download_maxsize",
    "download_warnsize",
    "autothrottle_dont_adjust_delay",
    "max_retry_times",
    META_BLOG,
)
MEDIA_PRIORITY = -1000  # below every page: the scheduler hands out text first
META_FALLBACK = (
    "blogarchive_media_fallback"  # the URL as the post gave it, if the archive lacks the best size
)


class MediaFetcher:
    """Media requests, their outcomes, and the counts ``media/fetched|bytes|failed/<kind>``."""

    crawler: Any
    ledger: Any
    blogs: Any

    def setup_media(self, settings: Any) -> None:
        mode = settings.get("BLOGARCHIVE_MEDIA") or "images"
        if mode not in MEDIA_MODES:
            raise ValueError(f"BLOGARCHIVE_MEDIA must be one of {', '.join(MEDIA_MODES)}, not {mode!r}")
        self.media_kinds = MEDIA_MODES[mode]
        self.media_maxsize = settings.getint("BLOGARCHIVE_MEDIA_MAXSIZE")
        self.media_requested: set[str] = set()
        self.media_seen: set[tuple[str, str | None]] = set()  # (file URL as a row gave it, platform)

    def media_requests(self, row: dict[str, Any], platform: str | None) -> Iterator[scrapy.Request]:
        """Requests for the files of a post row this crawl wants and has not archived yet."""
        if not self.media_kinds or not row.get("media_urls"):
            return
        platform = row.get("platform") or platform
        # A post's files come again with each of its rows (listing blocks, feed entry, permalink):
        # a URL already selected for this platform gives nothing new, and is not selected again.
        fresh = [url for url in row["media_urls"] if (url, platform) not in self.media_seen]
        self.media_seen.update((url, platform) for url in fresh)
        stats = self.crawler.stats
        for ref in select_media(fresh, platform):
            if (
                ref.fetch_url is None
                or ref.kind not in self.media_kinds
                or ref.fetch_url in self.media_requested
            ):
                continue
            self.media_requested.add(ref.fetch_url)
            if self.ledger.media_archived(ref.fetch_url):
                stats.inc_value("blogarchive/media/already_archived")
                continue
            yield self._media_request(ref.fetch_url, ref.kind, row, ref.url)

    def _media_request(
        self, url: str, kind: MediaKind, row: dict[str, Any], fallback: str | None = None
    ) -> scrapy.Request:
        meta = {
            META_KIND: MEDIA,
            META_MEDIA_KIND: kind.value,
            META_MEDIA_URL: url,
            META_SOURCE: "live",
            # The slot of the file's host: a CDN is throttled on its own, a blog's own server
            # (old Canalblog /images/) shares its pages' slot and robots.txt Crawl-delay.
            "download_slot": slot_key(url),
            "download_maxsize": self.media_maxsize,
            "download_warnsize": self.media_maxsize,
        }
        if row.get("source") == WAYBACK and row.get("archived_at"):
            # The raw capture nearest the post's, in the archive's slot and budget; an archive
            # often holds only the size the page showed: that one if the largest is missing.
            stamp = row["archived_at"].astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
            meta.update(self.wayback.archive_meta(), **{META_SOURCE: WAYBACK, META_ORIGINAL: url})
            if fallback and canonicalize(fallback) != meta[META_MEDIA_URL]:
                meta[META_FALLBACK] = (stamp, fallback)
            url = snapshot_url(self.wayback.config.snapshots, stamp, meta[META_MEDIA_URL])
        self.crawler.stats.inc_value(f"blogarchive/media/requested/{kind.value}")
        return scrapy.Request(url, callback=self.parse_media, errback=self.media_failed, meta=meta,
                              priority=MEDIA_PRIORITY)  # fmt: skip

    def parse_media(self, response: Response) -> None:
        meta = response.meta
        record = record_of_body(meta[META_MEDIA_URL], meta[META_MEDIA_KIND], response.body)
        self._record(record, meta.get(META_LOCATION))

    def media_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request
        outcome = classify_failure(failure)
        fallback = request.meta.get(META_FALLBACK)
        if fallback and outcome == "http_404":
            stamp, original = fallback
            self.crawler.stats.inc_value("blogarchive/media/wayback_fallback")
            meta = {k: v for k, v in request.meta.items() if k in _KEPT} | {META_ORIGINAL: original}
            yield scrapy.Request(snapshot_url(self.wayback.config.snapshots, stamp, original), callback=self.parse_media,
                                 errback=self.media_failed, meta=meta, priority=MEDIA_PRIORITY)  # fmt: skip
            return
        kind = request.meta[META_MEDIA_KIND]
        location = request.meta.get(META_LOCATION)
        if location is None:  # no response in the WARC: say there what happened, for a build
            location = self._write_outcome(request, outcome)
        self._record(MediaRecord(request.meta[META_MEDIA_URL], kind, outcome), location)
        self.blogs.done(request)  # a post's file failing leaves its blog whole: no error of the blog's

    def _record(self, record: MediaRecord, location: tuple[str, int] | None) -> None:
        stats = self.crawler.stats
        if record.outcome == FETCHED:
            stats.inc_value(f"blogarchive/media/fetched/{record.kind}")
            stats.inc_value(f"blogarchive/media/bytes/{record.kind}", record.bytes or 0)
        else:
            stats.inc_value(f"blogarchive/media/failed/{record.kind}")
            logger.info("media %s: %s", record.outcome, record.url)
        stats.inc_value(f"blogarchive/media/outcome/{record.outcome}")
        values = record.__dict__ | {"warc_file": location[0] if location else None,
                                    "warc_offset": location[1] if location else None}  # fmt: skip
        self.ledger.record_media(values)

    def _write_outcome(self, request: scrapy.Request, outcome: str) -> tuple[str, int] | None:
        """A metadata record for a download that gave no response (too large, timeout, refused)."""
        writer = next((m.writer for m in self.crawler.engine.downloader.middleware.middlewares
                       if isinstance(m, WarcMiddleware)), None)  # fmt: skip
        if writer is None:
            return None
        url = redact_secrets(request.meta[META_MEDIA_URL])
        payload = {
            META_KIND: MEDIA,
            META_MEDIA_KIND: request.meta[META_MEDIA_KIND],
            META_MEDIA_OUTCOME: outcome,
        }
        record = writer.record_factory().create_warc_record(
            url, "metadata", payload=io.BytesIO(json.dumps(payload, sort_keys=True).encode()),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Date": warc_date(datetime.now(timezone.utc))},
        )  # fmt: skip
        return writer.write([record])
